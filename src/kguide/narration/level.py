"""One track's WAV -> leveled MP3 and AAC, measured after encoding.

A fixed gain and a peak limiter (run oversampled, so it limits true peaks): the voice keeps its
natural rise and fall, and the limiter only catches the peaks that the gain would push past its
ceiling. One ffmpeg run levels the track and
encodes both files; both are then measured with ffmpeg's EBU R128 meter. Limiting and encoding
each take a little loudness, and encoding raises true peaks over the limiter's sample-peak
ceiling: how much is a property of the voice, so what the first track shows (the calibration) is
kept in the cache and every later track is leveled right in one pass. A track that still misses
(-16 LUFS +/- the tolerance, true peak at most -1 dBTP in both files) is leveled again with the
gain and ceiling corrected from its own measurements.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from .audio import (
    AAC_BITRATE,
    LOUDNESS_TOLERANCE,
    MAX_TP,
    MP3_BITRATE,
    SAMPLE_RATE,
    TARGET_LUFS,
    TARGET_TP,
    Loudness,
    _ffmpeg,
    measure_loudness,
)

ATTEMPTS = 6
# The limiter's rate, in multiples of the output rate: voices speak at 16 to 22 kHz, so this is
# four times their own rate or more, enough to see the peaks between samples (twice costs twice
# the limiter's time for the same measured true peaks).
OVERSAMPLE = 2
FIRST_SLOPE = 0.7  # a limiter working on speech gives back about this much of a dB of gain


@dataclass(frozen=True)
class Calibration:
    """What leveling showed about a voice: the dB the limiter and the encoders take from the
    loudness (added to the gain), and the limiter ceiling (dBFS) that keeps encoded true peaks
    under the target."""

    loss: float = 5.2  # what Piper's bundled voice shows; any voice corrects it after one track
    ceiling_db: float = TARGET_TP - 1.1


class Calibrations:
    """Calibrations kept in the cache folder, one per (engine and voice, audio settings)."""

    def __init__(self, folder: Path, description: str):
        digest = hashlib.sha256(description.encode()).hexdigest()[:24]
        self.path = folder / f"calibration-{digest}.json"

    def load(self) -> Calibration | None:
        try:
            return Calibration(**json.loads(self.path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def save(self, calibration: Calibration) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(asdict(calibration), f)
        os.replace(tmp, self.path)


def typical(calibrations: list[Calibration]) -> Calibration:
    """The median of what several tracks showed: one odd track (a short introduction with
    unusual peaks) does not set the start for every later track."""
    middle = len(calibrations) // 2
    return Calibration(
        sorted(c.loss for c in calibrations)[middle], sorted(c.ceiling_db for c in calibrations)[middle]
    )


@dataclass(frozen=True)
class Leveled:
    mp3: Loudness
    aac: Loudness
    calibration: Calibration


def _within(level: Loudness) -> bool:
    return abs(level.integrated - TARGET_LUFS) <= LOUDNESS_TOLERANCE and level.true_peak <= MAX_TP - 0.1


def level_track(source: Path, mp3: Path, m4a: Path, calibration: Calibration) -> Leveled:
    """Level `source` to the target; write it as MP3 (untagged) and AAC in MP4; measure both."""
    source_level = measure_loudness(source, peak=False).integrated
    if source_level < -70:  # silence: nothing to level
        encode_both(source, 0.0, calibration.ceiling_db, mp3, m4a)
        return Leveled(*_measure_both(mp3, m4a), calibration)
    base = TARGET_LUFS - source_level
    gain, ceiling = base + calibration.loss, calibration.ceiling_db
    tries: list[tuple[float, float]] = []  # (gain, mean loudness of the two files)
    for _attempt in range(ATTEMPTS):
        encode_both(source, gain, ceiling, mp3, m4a)
        levels = _measure_both(mp3, m4a)
        if all(_within(level) for level in levels):
            break
        overshoot = max(level.true_peak for level in levels) - TARGET_TP
        if overshoot > 0:  # a lower ceiling changes how the limiter responds: start afresh
            ceiling -= overshoot + 0.1
            tries = []
        reached = sum(level.integrated for level in levels) / 2
        tries.append((gain, reached))
        gain += (TARGET_LUFS - reached) / _slope(tries)
    return Leveled(*levels, Calibration(round(gain - base, 3), round(ceiling, 3)))


def _measure_both(mp3: Path, m4a: Path) -> tuple[Loudness, Loudness]:
    """Both files at once (each ffmpeg meter is single-threaded): an edited track is ready sooner."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        mp3_level = pool.submit(measure_loudness, mp3)
        return mp3_level.result(), measure_loudness(m4a)


def _slope(tries: list[tuple[float, float]]) -> float:
    """dB of loudness per dB of gain: the limiter gives back less than each dB, so after one
    try the next gain comes from the last two (the secant method)."""
    if len(tries) < 2:
        return FIRST_SLOPE
    (g0, r0), (g1, r1) = tries[-2], tries[-1]
    if abs(g1 - g0) < 1e-6:
        return 1.0
    return min(1.0, max(0.2, (r1 - r0) / (g1 - g0)))


def leveling_filter(gain: float, ceiling_db: float) -> str:
    """The ffmpeg filter chain that levels a track (its output at the output rate).

    The limiter works on the signal oversampled, so that it catches the peaks between samples
    too (true peaks): the encoded files' true peaks then sit a steady distance under the
    target, and nearly every track is right after one encode."""
    ceiling = 10 ** (ceiling_db / 20)
    return (
        f"volume={gain:.2f}dB,aresample={SAMPLE_RATE * OVERSAMPLE},"
        f"alimiter=limit={ceiling:.4f}:level=0:attack=5:release=50,aresample={SAMPLE_RATE}"
    )


def encode_both(source: Path, gain: float, ceiling_db: float, mp3: Path, m4a: Path) -> None:
    """Gain and limiter, then the MP3 and the AAC from the same leveled signal, in one run."""
    chain = f"[0:a]{leveling_filter(gain, ceiling_db)},asplit=2[m][a]"
    rate = ["-ar", str(SAMPLE_RATE), "-ac", "1"]
    _ffmpeg(
        "-y",
        "-i",
        str(source),
        "-filter_complex",
        chain,
        "-map",
        "[m]",
        "-c:a",
        "libmp3lame",
        "-b:a",
        MP3_BITRATE,
        # LAME's fast mode: about half the time of its default, and the same for speech at 96 kb/s
        "-compression_level",
        "7",
        *rate,
        "-id3v2_version",
        "3",
        "-map_metadata",
        "-1",
        str(mp3),
        "-map",
        "[a]",
        "-c:a",
        "aac",
        # ffmpeg's "fast" AAC coder: about three times quicker than its default, and speech at
        # 64 kb/s sounds the same.
        "-aac_coder",
        "fast",
        "-b:a",
        AAC_BITRATE,
        *rate,
        "-map_metadata",
        "-1",
        str(m4a),
    )
