"""Each spoken segment leveled and encoded once, as a piece of MP3 and a piece of AAC (ADTS),
and measured after encoding; tracks are joined from pieces by copying their frames.

A piece is one segment's speech with the silence after it (and the room tone before it, for a
track's first segment). Pieces are encoded independently, without a Xing/LAME header, so their
frames can follow one another in any file: the decoder plays every frame, each piece's encoder
delay included (silence before its speech, so the pause after each segment is shortened by it).
Independent MP3 and AAC frames join cleanly where both sides are silent, and every piece begins
and ends in silence.

Pieces are kept in a cache keyed by the speech, the silences and the leveling, so a rebuild
after one sentence is edited encodes that sentence only, and clinics that share a sentence share
its encoded piece. Each piece keeps its measurement (ffmpeg's EBU R128 meter on the encoded
frames): the loudness of each 100 ms step (the momentary loudness of the 400 ms block ending
there) and the highest true peak. A track's or a whole file's integrated loudness is gated from
its pieces' blocks exactly as the meter gates one file's.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
import wave
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, RenderError
from .audio import AAC_BITRATE, MP3_BITRATE, SAMPLE_RATE, _ffmpeg

MP3_DELAY = 1105  # samples of silence LAME puts before the first sample (encoder and decoder delay)
AAC_DELAY = 1024  # ffmpeg's AAC encoder's priming samples
BATCH = 32  # pieces per ffmpeg run (each piece is an input and two outputs)
STEP = 0.1  # s between the meter's momentary-loudness readings


@dataclass(frozen=True)
class Piece:
    """What one piece is made of: a segment's WAV and the silence before and after it (ms)."""

    source: Path
    lead_ms: int
    trail_ms: int


@dataclass(frozen=True)
class Encoded:
    """One encoded piece: its files, their lengths in samples, the speech's place in the MP3
    (start and end, in samples) and the measurements of each file."""

    mp3: Path
    aac: Path
    meta: dict

    @property
    def mp3_samples(self) -> int:
        return self.meta["mp3"]["samples"]

    @property
    def aac_samples(self) -> int:
        return self.meta["aac"]["samples"]


class PieceCache:
    """Encoded pieces by key: {key}.mp3, {key}.aac, {key}.json (written last)."""

    def __init__(self, folder: Path, description: str):
        self.folder = folder
        self._prefix = description

    def key(self, piece: Piece, digest: str, gain: float, ceiling: float) -> str:
        data = json.dumps([digest, piece.lead_ms, piece.trail_ms, round(gain, 3), round(ceiling, 3)])
        return hashlib.sha256(f"{self._prefix}\n{data}".encode()).hexdigest()

    def _base(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def has(self, key: str) -> bool:
        return self._base(key).with_suffix(".json").is_file()

    def get(self, key: str) -> Encoded | None:
        base = self._base(key)
        mp3, aac, meta = base.with_suffix(".mp3"), base.with_suffix(".aac"), base.with_suffix(".json")
        if not (mp3.is_file() and aac.is_file() and meta.is_file()):
            return None
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            whole = all(
                path.stat().st_size == data[kind]["bytes"] for path, kind in ((mp3, "mp3"), (aac, "aac"))
            )
        except (ValueError, KeyError, TypeError, OSError):
            return None
        return Encoded(mp3, aac, data) if whole else None  # a damaged entry is made again

    def put(self, key: str, mp3: Path, aac: Path, meta: dict) -> Encoded:
        base = self._base(key)
        base.parent.mkdir(parents=True, exist_ok=True)
        for suffix, data in ((".mp3", mp3.read_bytes()), (".aac", aac.read_bytes()), (".json", None)):
            fd, tmp = tempfile.mkstemp(dir=base.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(json.dumps(meta).encode() if data is None else data)
                os.replace(tmp, base.with_suffix(suffix))
            finally:
                Path(tmp).unlink(missing_ok=True)
        return Encoded(base.with_suffix(".mp3"), base.with_suffix(".aac"), meta)


def digest(path: Path) -> str:
    """The speech's own content (a re-spoken segment is a new piece, even under the same text)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


Job = tuple[Piece, str, float, float]  # a piece, its key, the gain (dB) and the limiter ceiling (dBFS)


def make_pieces(todo: list[Job], cache: PieceCache, work: Path) -> dict[str, Encoded]:
    """Encode and measure every piece of `todo` (each at its own gain and ceiling) and cache
    it; return them by key."""
    todo = list({job[1]: job for job in todo}.values())  # each key once
    if not todo:
        return {}
    work.mkdir(parents=True, exist_ok=True)
    sources = [_write_source(job[0], work / f"p{i}.wav") for i, job in enumerate(todo)]
    chains = [leveling_filter(gain, ceiling) for _, _, gain, ceiling in todo]
    batches = [list(range(i, min(i + BATCH, len(todo)))) for i in range(0, len(todo), BATCH)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda b: _encode(b, sources, chains, work), batches))
    mp3s = [work / f"p{i}.mp3" for i in range(len(todo))]
    aacs = [work / f"p{i}.aac" for i in range(len(todo))]
    mp3_lengths = [mp3_samples(p.read_bytes(), p) for p in mp3s]
    aac_lengths = [adts_samples(p.read_bytes(), p) for p in aacs]
    mp3_measured, aac_measured = measure_pieces(
        [(mp3s, mp3_lengths, work / "all.mp3"), (aacs, aac_lengths, work / "all.aac")]
    )
    made = {}
    for i, (_, key, _, _) in enumerate(todo):
        speech = sources[i][1]
        meta = {
            "speech": [MP3_DELAY + speech[0], MP3_DELAY + speech[1]],
            "mp3": {"samples": mp3_lengths[i], "bytes": mp3s[i].stat().st_size, **mp3_measured[i]},
            "aac": {"samples": aac_lengths[i], "bytes": aacs[i].stat().st_size, **aac_measured[i]},
        }
        made[key] = cache.put(key, mp3s[i], aacs[i], meta)
    for path in [*mp3s, *aacs, *(s[0] for s in sources)]:
        path.unlink(missing_ok=True)
    return made


def _write_source(piece: Piece, target: Path) -> tuple[Path, tuple[int, int]]:
    """The piece's PCM at the output rate's timing: silence, speech, silence. Returns the file
    and where the speech is in it (samples at the output rate)."""
    with wave.open(str(piece.source), "rb") as seg:
        params = seg.getparams()
        frames = seg.readframes(seg.getnframes())
    rate, width = params.framerate, params.sampwidth * params.nchannels
    lead = int(rate * piece.lead_ms / 1000)
    trail = max(0, int(rate * piece.trail_ms / 1000) - round(MP3_DELAY * rate / SAMPLE_RATE))
    with wave.open(str(target), "wb") as out:
        out.setnchannels(params.nchannels)
        out.setsampwidth(params.sampwidth)
        out.setframerate(rate)
        out.writeframes(b"\x00" * (width * lead) + frames + b"\x00" * (width * trail))
    scale = SAMPLE_RATE / rate
    return target, (round(lead * scale), round((lead + params.nframes) * scale))


def leveling_filter(gain: float, ceiling_db: float) -> str:
    """Gain, then a limiter run at twice the output rate so that it catches the peaks between
    samples too (true peaks), then the output rate."""
    ceiling = 10 ** (ceiling_db / 20)
    return (
        f"volume={gain:.2f}dB,aresample={SAMPLE_RATE * 2},"
        f"alimiter=limit={ceiling:.4f}:level=0:attack=5:release=50,aresample={SAMPLE_RATE}"
    )


def _encode(batch: list[int], sources: list, chains: list[str], work: Path) -> None:
    """One ffmpeg run for a batch: each input leveled once, then split to both encoders."""
    args = ["-y"]
    for i in batch:
        args += ["-i", str(sources[i][0])]
    graph = ";".join(f"[{n}:a]{chains[i]},asplit=2[m{n}][a{n}]" for n, i in enumerate(batch))
    args += ["-filter_complex", graph]
    for n, i in enumerate(batch):
        args += ["-map", f"[m{n}]", "-c:a", "libmp3lame", "-b:a", MP3_BITRATE, "-compression_level", "7"]
        args += ["-write_xing", "0", "-id3v2_version", "0", "-write_id3v1", "0", "-map_metadata", "-1"]
        args += ["-f", "mp3", str(work / f"p{i}.mp3")]
        args += ["-map", f"[a{n}]", "-c:a", "aac", "-aac_coder", "fast", "-b:a", AAC_BITRATE]
        args += ["-map_metadata", "-1", "-f", "adts", str(work / f"p{i}.aac")]
    _ffmpeg(*args)


_LINE = re.compile(
    r"Parsed_ebur128_(\d+) .*?t:\s*([\d.]+)\s+TARGET:.*?M:\s*(-?[\d.]+|-inf|nan)\s.*?FTPK:\s*(-?[\d.]+|-inf)\s"
)


def measure_pieces(groups: list[tuple[list[Path], list[int], Path]]) -> list[list[dict]]:
    """Measure pieces after encoding, in one ffmpeg run: for each group (its files, their
    lengths in samples, a scratch file) one meter over the group's frames one after the other.
    Each piece gets its momentary loudness every 100 ms and its highest true peak; a 100 ms
    step that spans two pieces counts its peak in both."""
    inputs, graph, outputs = [], [], []
    for n, (files, _, joined) in enumerate(groups):
        with open(joined, "wb") as out:
            for path in files:
                out.write(path.read_bytes())
        inputs += ["-i", str(joined)]
        graph.append(f"[{n}:a]ebur128=peak=true:framelog=info[m{n}]")
        outputs += ["-map", f"[m{n}]", "-f", "null", "-"]
    try:
        log = _ffmpeg("-v", "info", *inputs, "-filter_complex", ";".join(graph), *outputs).stderr
    finally:
        for _, _, joined in groups:
            joined.unlink(missing_ok=True)
    steps: dict[int, list[tuple[float, float, float]]] = {n: [] for n in range(len(groups))}
    for match in _LINE.finditer(log):
        steps[int(match.group(1))].append(
            (float(match.group(2)), _number(match.group(3)), _number(match.group(4)))
        )
    return [_assign(steps[n], lengths, joined) for n, (_, lengths, joined) in enumerate(groups)]


def _assign(steps: list[tuple[float, float, float]], lengths: list[int], joined: Path) -> list[dict]:
    """Each meter step (end time, momentary loudness, true peak) to the piece it belongs to."""
    bounds, total = [], 0
    for length in lengths:
        bounds.append((total / SAMPLE_RATE, (total + length) / SAMPLE_RATE))
        total += length
    out = [{"blocks": [], "true_peak": -math.inf} for _ in lengths]
    index = 0
    for end, momentary, peak in steps:
        start, middle = end - STEP, end - STEP / 2
        while index < len(bounds) - 1 and bounds[index][1] <= middle:
            index += 1
        out[index]["blocks"].append(momentary)
        for k in range(max(0, index - 1), min(len(bounds), index + 2)):
            if bounds[k][0] < end and start < bounds[k][1]:
                out[k]["true_peak"] = max(out[k]["true_peak"], peak)
    if not any(piece["blocks"] for piece in out):
        raise RenderError(Problem(f"could not measure the loudness of {joined.name}"))
    return [{**piece, "true_peak": _finite(piece["true_peak"])} for piece in out]


def _number(text: str) -> float:
    value = float(text)
    return -200.0 if math.isnan(value) or value < -200 else value


def _finite(value: float) -> float:
    return -200.0 if value == -math.inf else round(value, 2)


# Loudness gated from the meter's momentary blocks (ITU-R BS.1770-4, EBU Tech 3342 for LRA).


def integrated(blocks: list[float]) -> float:
    """Integrated loudness (LUFS) from 400 ms blocks at a 100 ms step: the absolute gate at
    -70 LUFS, then the relative gate 10 LU under the mean of the blocks that pass it."""
    energies = [_energy(b) for b in blocks if b > -70.0]
    if not energies:
        return -70.0
    gate = _loudness(sum(energies) / len(energies)) - 10.0
    kept = [e for e in energies if _loudness(e) > gate]
    return round(_loudness(sum(kept) / len(kept)), 2)


def loudness_range(blocks: list[float]) -> float:
    """Loudness range (LU): short-term (3 s) loudness every 100 ms from the momentary blocks,
    gated at -70 LUFS and 20 LU under their mean, 95th minus 10th percentile."""
    energies = [_energy(b) for b in blocks]
    window = round(3.0 / STEP) - 3  # 400 ms blocks ending every 100 ms: 27 cover 3 s
    if len(energies) < window:
        return 0.0
    short = [_loudness(sum(energies[i - window : i]) / window) for i in range(window, len(energies) + 1)]
    short = [s for s in short if s > -70.0]
    if not short:
        return 0.0
    gate = _loudness(sum(_energy(s) for s in short) / len(short)) - 20.0
    kept = sorted(s for s in short if s > gate)
    low, high = kept[round(0.10 * (len(kept) - 1))], kept[round(0.95 * (len(kept) - 1))]
    return round(high - low, 2)


def _energy(lufs: float) -> float:
    return 10 ** ((lufs + 0.691) / 10)


def _loudness(energy: float) -> float:
    return -0.691 + 10 * math.log10(energy) if energy > 0 else -200.0


# Frame counting: the length of a piece as players play it.

_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_MP3_KBPS = {
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}


@dataclass(frozen=True)
class _Frame:
    """What a Layer III frame header says: samples, bytes (padding included), side-info bytes."""

    samples: int
    size: int
    side: int


def _frame(data: bytes, position: int) -> _Frame | None:
    """The header of the MP3 frame at `position`, or None when none starts there."""
    b1, b2, b3 = data[position + 1], data[position + 2], data[position + 3]
    version, layer = (b1 >> 3) & 3, (b1 >> 1) & 3
    if data[position] != 0xFF or b1 & 0xE0 != 0xE0 or layer != 1 or version == 1:
        return None
    kbps = _MP3_KBPS[3 if version == 3 else 2][b2 >> 4]
    rate = _MP3_RATES[version][(b2 >> 2) & 3]
    samples, mono = (1152 if version == 3 else 576), (b3 >> 6) == 3
    side = (17 if mono else 32) if version == 3 else (9 if mono else 17)
    return _Frame(samples, samples // 8 * kbps * 1000 // rate + ((b2 >> 1) & 1), side)


def mp3_samples(data: bytes, path: Path) -> int:
    """Samples in a headerless Layer III stream (every frame is played)."""
    position, samples = 0, 0
    while position + 4 <= len(data):
        frame = _frame(data, position)
        if frame is None:
            raise RenderError(Problem(f"{path.name}: not an MP3 frame at byte {position}"))
        position += frame.size
        samples += frame.samples
    return samples


def adts_samples(data: bytes, path: Path) -> int:
    """Samples in an ADTS stream."""
    position, samples = 0, 0
    while position + 7 <= len(data):
        if data[position] != 0xFF or data[position + 1] & 0xF6 != 0xF0:
            raise RenderError(Problem(f"{path.name}: not an ADTS frame at byte {position}"))
        length = ((data[position + 3] & 3) << 11) | (data[position + 4] << 3) | (data[position + 5] >> 5)
        samples += 1024 * ((data[position + 6] & 3) + 1)
        position += length
    return samples


def with_info_frame(data: bytes, path: Path) -> bytes:
    """A headerless constant-bitrate MP3 stream with an "Info" frame before it (the LAME/Xing
    header of a constant-bitrate file): a silent frame that decoders skip, giving the number of
    frames and bytes, so that players show the exact length and seek right."""
    first = _frame(data, 0) if len(data) >= 4 else None
    if first is None:
        return data
    header = bytes([data[0], data[1], data[2] & ~0x02, data[3]])  # the first frame's, unpadded
    size = first.size - ((data[2] >> 1) & 1)
    frames = mp3_samples(data, path) // first.samples
    tag = b"Info" + (3).to_bytes(4, "big") + frames.to_bytes(4, "big") + (len(data) + size).to_bytes(4, "big")
    frame = header + bytes(first.side) + tag
    return frame + bytes(size - len(frame)) + data


def without_info_frame(data: bytes) -> bytes:
    """The stream's audio frames, without the Info (or Xing) frame before them, if any."""
    first = _frame(data, 0) if len(data) >= 4 else None
    if first is None or data[4 + first.side : 8 + first.side] not in (b"Info", b"Xing"):
        return data
    return data[first.size :]
