"""Audio plumbing: segments + silences -> one WAV, ffmpeg, loudness measurement (ffmpeg's EBU
R128 meter) and joining encoded files without re-encoding (the M4B).

Loudness follows the spoken-word convention: -16 LUFS integrated, true peak at most -1 dBTP
(aimed at -1.5 for headroom). Leveling is in `level`, encoding and measuring in `pieces`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, RenderError, ToolMissingError

TARGET_LUFS = -16.0
TARGET_TP = -1.5  # dBTP aimed at; the convention's ceiling is -1
MAX_TP = -1.0  # dBTP: no file kguide writes goes over it
LOUDNESS_TOLERANCE = 0.8  # LU either side of the target accepted in each file (the convention: 1)
SAMPLE_RATE = 22050  # the voices' own rate: nothing above 11 kHz to keep
MP3_BITRATE = "64k"
AAC_BITRATE = "48k"


def settings() -> dict:
    """Everything here that shapes a finished track (part of the track cache key)."""
    return {
        "lufs": TARGET_LUFS,
        "true_peak": TARGET_TP,
        "max_true_peak": MAX_TP,
        "tolerance": LOUDNESS_TOLERANCE,
        "rate": SAMPLE_RATE,
        "bitrate": MP3_BITRATE,
        "aac_bitrate": AAC_BITRATE,
        "version": 10,
    }


def ffmpeg() -> str:
    return _tool("ffmpeg")


def require_tools() -> None:
    """Fail before any rendering if a program the audio needs is missing."""
    _tool("ffmpeg")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise ToolMissingError(
            f"{name} is not installed; it encodes and measures the audio. "
            "On Debian or Ubuntu: apt-get install ffmpeg"
        )
    return path


def _ffmpeg(*args: str) -> subprocess.CompletedProcess:
    """Run ffmpeg quietly with `args`; a failure is a RenderError with its last lines."""
    return _run([ffmpeg(), "-hide_banner", "-nostats", *args])


def _run(args: list[str]) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-5:])
        raise RenderError(Problem(f"ffmpeg failed: {tail}"))
    return result


def join_wavs(
    parts: list[tuple[Path, int]], target: Path, head_ms: int, tail_ms: int
) -> list[tuple[float, float]]:
    """Write `parts` (WAV path, silence after it in ms) to one WAV, with `head_ms` of silence
    before the first and `tail_ms` after the last; return each part's (start, end) in seconds."""
    params = None
    spans = []
    position = 0  # frames written so far
    with wave.open(str(target), "wb") as out:
        for index, (path, pause_ms) in enumerate(parts):
            with wave.open(str(path), "rb") as seg:
                if params is None:
                    params = seg.getparams()
                    out.setnchannels(params.nchannels)
                    out.setsampwidth(params.sampwidth)
                    out.setframerate(params.framerate)
                    position += _write_silence(out, params, head_ms)
                elif (seg.getnchannels(), seg.getsampwidth(), seg.getframerate()) != (
                    params.nchannels,
                    params.sampwidth,
                    params.framerate,
                ):
                    raise RenderError(Problem(f"segment {path.name} has a different audio format"))
                frames = seg.getnframes()
                out.writeframes(seg.readframes(frames))
            spans.append((position / params.framerate, (position + frames) / params.framerate))
            position += frames
            last = index == len(parts) - 1
            position += _write_silence(out, params, tail_ms if last else pause_ms)
    return spans


def _write_silence(out, params, ms: int) -> int:
    frames = int(params.framerate * ms / 1000)
    out.writeframes(b"\x00" * (params.sampwidth * params.nchannels * frames))
    return frames


@dataclass(frozen=True)
class Loudness:
    integrated: float  # LUFS
    true_peak: float  # dBTP
    lra: float

    def to_dict(self) -> dict:
        return {
            "integrated_lufs": round(self.integrated, 2),
            "true_peak_dbtp": round(self.true_peak, 2),
            "lra": round(self.lra, 2),
        }


def concat_copy(sources: list[Path], target: Path, metadata: Path, extra: list[str] = ()) -> None:
    """Join audio files of one format without re-encoding; tags and chapter marks come from the
    ffmetadata file `metadata`, and `extra` adds inputs and options (the cover picture)."""
    listing = target.parent / f".{target.name}.list"
    listing.write_text("".join(f"file '{p.resolve()}'\n" for p in sources), encoding="utf-8")
    try:
        args = ["-y", "-f", "concat", "-safe", "0", "-i", str(listing), "-i", str(metadata)]
        args += [*extra, "-map", "0:a", "-map_metadata", "1", "-map_chapters", "1", "-c", "copy"]
        _ffmpeg(*args, str(target))
    finally:
        listing.unlink(missing_ok=True)


def measure_loudness(path: Path, peak: bool = True) -> Loudness:
    """Integrated loudness, loudness range and (if `peak`) true peak, by ffmpeg's ebur128."""
    spec = "ebur128=peak=true" if peak else "ebur128"
    result = _ffmpeg("-i", str(path), "-af", spec, "-f", "null", "-")
    summary = result.stderr[result.stderr.rfind("Summary:") :]

    def number(pattern: str) -> float:
        match = re.search(pattern, summary)
        if not match:
            raise RenderError(Problem(f"could not measure the loudness of {path.name}"))
        return float(match.group(1))

    integrated = number(r"I:\s+(-?[\d.]+|-inf) LUFS")
    lra = number(r"LRA:\s+(-?[\d.]+) LU")
    true_peak = number(r"Peak:\s+(-?[\d.]+|-inf) dBFS") if peak else float("nan")
    return Loudness(integrated, true_peak, lra)
