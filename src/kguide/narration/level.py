"""One track leveled: one gain and a peak limiter for the whole track, its pieces encoded and
measured after encoding (`pieces`).

A fixed gain and a peak limiter (run oversampled, so it limits true peaks): the voice keeps its
natural rise and fall, and the limiter only catches the peaks that the gain would push past its
ceiling. Limiting and encoding each take a little loudness: how much is a property of the voice,
so what the first tracks show (the calibration) is kept in the cache and every later track is
leveled right in one pass. A track that still misses (-16 LUFS +/- the tolerance, true peak at
most -1 dBTP in both files) is leveled again with the gain and ceiling corrected from its own
measurements.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from .audio import LOUDNESS_TOLERANCE, MAX_TP, TARGET_LUFS, TARGET_TP, Loudness
from .pieces import Encoded, Job, Piece, PieceCache, digest, integrated, loudness_range, make_pieces

ATTEMPTS = 6
# LU from the target that the mean of a track's two files is brought to once the track is being
# corrected (a first try within the tolerance is kept): well within the tolerance, so that a
# later edit that moves the track a little keeps its gain.
CLOSE = 0.3
# LU from the target within which a track keeps the gain it was last leveled with (the
# convention's own tolerance is 1): an edit that nudges a track just past the tolerance it was
# leveled to does not re-encode all of it.
KEEP = 0.95
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


class Gains:
    """The gain each track (by file stem) was last leveled with, for this voice and these
    settings: a later build keeps it while it is near what the track needs, so that the track's
    other pieces come from the cache even when the calibration has moved since."""

    def __init__(self, folder: Path, description: str):
        digest = hashlib.sha256(description.encode()).hexdigest()[:24]
        self.path = folder / f"gains-{digest}.json"

    def load(self) -> dict[str, float]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): float(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def save(self, gains: dict[str, float]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(gains, f, sort_keys=True)
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
    """A leveled track: its encoded pieces in order, each file's loudness (gated from the
    pieces' measurements) and what the voice showed (the calibration)."""

    pieces: list[Encoded]
    mp3: Loudness
    aac: Loudness
    calibration: Calibration
    gain: float = 0.0


def _within(level: Loudness, tolerance: float = LOUDNESS_TOLERANCE) -> bool:
    return abs(level.integrated - TARGET_LUFS) <= tolerance and level.true_peak <= MAX_TP - 0.1


def track_loudness(pieces: list[Encoded], kind: str) -> Loudness:
    """The loudness of `pieces` joined, from their measurements after encoding."""
    blocks = [block for piece in pieces for block in piece.meta[kind]["blocks"]]
    peak = max((piece.meta[kind]["true_peak"] for piece in pieces), default=-200.0)
    return Loudness(integrated(blocks), peak, loudness_range(blocks))


def level_track(
    plan: list[Piece],
    source_level: Callable[[], float],
    calibration: Calibration,
    cache: PieceCache,
    work: Path,
    hint: float | None = None,
) -> Leveled:
    """Level the pieces of one track to the target with one gain and ceiling for the whole
    track: encoded and measured piece by piece (pieces already in `cache` are not encoded
    again), corrected from the track's measurements when it misses.

    `hint` is the gain the track was last leveled with: tried first, and kept when the track
    measures right with it, so that an edit (or another clinic's name) encodes only the pieces
    that changed. Otherwise the gain comes from the speech's loudness (`source_level()`, LUFS)
    and the calibration (`_level_measured`)."""
    digests = [digest(piece.source) for piece in plan]
    if hint is not None:
        pieces = _encoded(plan, digests, hint, calibration.ceiling_db, cache, work)
        levels = track_loudness(pieces, "mp3"), track_loudness(pieces, "aac")
        if all(_within(level, KEEP) for level in levels):
            return Leveled(pieces, *levels, calibration, hint)
    return _level_measured(plan, digests, source_level(), calibration, cache, work)


def _level_measured(
    plan: list[Piece],
    digests: list[str],
    source_level: float,
    calibration: Calibration,
    cache: PieceCache,
    work: Path,
) -> Leveled:
    """Level from the speech's measured loudness and the calibration, correcting the gain (and
    the limiter's ceiling) from each try's measurements."""
    if source_level < -70:  # silence: nothing to level
        pieces = _encoded(plan, digests, 0.0, calibration.ceiling_db, cache, work)
        return Leveled(pieces, track_loudness(pieces, "mp3"), track_loudness(pieces, "aac"), calibration)
    base = TARGET_LUFS - source_level
    ceiling = calibration.ceiling_db
    gain = round(base + calibration.loss, 2)
    tries: list[tuple[float, float]] = []  # (gain, mean loudness of the two files)
    best = None  # the closest try within the tolerance: kept if no later one comes closer
    for attempt in range(ATTEMPTS):
        pieces = _encoded(plan, digests, gain, ceiling, cache, work)
        levels = track_loudness(pieces, "mp3"), track_loudness(pieces, "aac")
        reached = sum(level.integrated for level in levels) / 2
        if all(_within(level) for level in levels) and (
            best is None or abs(reached - TARGET_LUFS) < abs(best[3] - TARGET_LUFS)
        ):
            best = (pieces, levels, gain, reached, ceiling)
        if all(_within(level) for level in levels) and (attempt == 0 or abs(reached - TARGET_LUFS) <= CLOSE):
            break
        overshoot = max(level.true_peak for level in levels) - TARGET_TP
        if overshoot > 0:  # a lower ceiling changes how the limiter responds: start afresh
            ceiling -= overshoot + 0.1
            tries = []
        tries.append((gain, reached))
        gain = round(gain + (TARGET_LUFS - reached) / _slope(tries), 2)
    else:
        if best is not None:
            pieces, levels, gain, reached, ceiling = best
    loss = source_level + gain - reached
    return Leveled(pieces, *levels, Calibration(round(loss, 3), round(ceiling, 3)), gain)


def _encoded(
    plan: list[Piece], digests: list[str], gain: float, ceiling: float, cache: PieceCache, work: Path
) -> list[Encoded]:
    """The track's pieces at this gain and ceiling: from the cache, the others encoded now."""
    keys = [cache.key(piece, d, gain, ceiling) for piece, d in zip(plan, digests, strict=True)]
    found = {key: cache.get(key) for key in dict.fromkeys(keys)}
    jobs = [(p, key, gain, ceiling) for p, key in zip(plan, keys, strict=True) if found[key] is None]
    if jobs:
        found.update(make_pieces(jobs, cache, work))
    return [found[key] for key in keys]


def missing_pieces(
    plan: list[Piece], digests: list[str], gain: float, ceiling: float, cache: PieceCache
) -> list[Job]:
    """The pieces of `plan` at this gain and ceiling that the cache does not have yet."""
    jobs = []
    for piece, d in zip(plan, digests, strict=True):
        key = cache.key(piece, d, gain, ceiling)
        if not cache.has(key):
            jobs.append((piece, key, gain, ceiling))
    return jobs


def _slope(tries: list[tuple[float, float]]) -> float:
    """dB of loudness per dB of gain: the limiter gives back less than each dB, so after one
    try the next gain comes from the last two (the secant method)."""
    if len(tries) < 2:
        return FIRST_SLOPE
    (g0, r0), (g1, r1) = tries[-2], tries[-1]
    if abs(g1 - g0) < 1e-6:
        return 1.0
    return min(1.0, max(0.2, (r1 - r0) / (g1 - g0)))
