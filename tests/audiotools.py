"""Measuring built audio with ffprobe and ffmpeg, for the tests."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path


def probe(path: Path, *entries: str) -> dict:
    """ffprobe's JSON for `entries` ("format=duration", "stream=sample_rate", ...)."""
    args = [a for entry in entries for a in ("-show_entries", entry)]
    out = subprocess.run(
        ["ffprobe", "-v", "error", *args, "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def duration(path: Path) -> float:
    return float(probe(path, "format=duration")["format"]["duration"])


def filter_log(path: Path, audio_filter: str) -> str:
    """What ffmpeg's `audio_filter` prints while it reads the whole file (stderr)."""
    return subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af", audio_filter, "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr


def loudness(path: Path) -> tuple[float, float]:
    """(integrated loudness LUFS, true peak dBTP), by ffmpeg's EBU R128 meter."""
    err = filter_log(path, "ebur128=peak=true")
    summary = err[err.rfind("Summary:") :]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))
    return integrated, peak
