"""Audio assembly: segments + silences -> one WAV per track -> loudness-normalised MP3s.

Loudness follows the spoken-word convention: -16 LUFS integrated, true peak at most -1 dBTP
(aimed at -1.5 for headroom), measured with ffmpeg's ebur128 filter.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, RenderError, ToolMissingError

TARGET_LUFS = -16.0
TARGET_TP = -1.5  # dBTP; the convention's ceiling is -1
SAMPLE_RATE = 44100
MP3_BITRATE = "96k"
AAC_BITRATE = "64k"
LOUDNESS_TOLERANCE = 0.3  # LU either side of the target that needs no second pass


def settings() -> dict:
    """Everything here that shapes a finished track (part of the track cache key)."""
    return {
        "lufs": TARGET_LUFS,
        "true_peak": TARGET_TP,
        "tolerance": LOUDNESS_TOLERANCE,
        "rate": SAMPLE_RATE,
        "bitrate": MP3_BITRATE,
        "version": 3,
    }


def ffmpeg() -> str:
    return _tool("ffmpeg")


def require_tools() -> None:
    """Fail before any rendering if a program the audio needs is missing."""
    _tool("ffmpeg")
    _tool("ffprobe")


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


def combined_loudness(parts: list[tuple[Loudness, float]]) -> Loudness:
    """Loudness of tracks played end to end, from each track's loudness and length.

    The energy-weighted mean of leveled tracks (every one within the tolerance of the target);
    the true peak is the highest track's. This saves decoding the whole guide once more; the
    tests measure the joined file itself and hold it to the same tolerance.
    """
    total = sum(seconds for _, seconds in parts)
    if total <= 0:
        return Loudness(float("-inf"), float("-inf"), 0.0)
    energy = sum(10 ** (level.integrated / 10) * seconds for level, seconds in parts) / total
    return Loudness(
        10 * math.log10(energy),
        max(level.true_peak for level, _ in parts),
        max(level.lra for level, _ in parts),
    )


@dataclass(frozen=True)
class LevelHint:
    """What leveling one track showed about this voice, so the next track starts near its
    settings: the dB that the peak limiter and the MP3 encoder each take from the loudness, and
    the limiter ceiling (dBFS) that keeps the encoded true peak under the target."""

    limiter_loss: float = 0.0
    encoder_loss: float = 0.0
    ceiling_db: float = TARGET_TP - 0.5


def level_and_encode(
    source: Path, wav_out: Path, mp3_out: Path, tags: dict[str, str], hint: LevelHint = LevelHint()
) -> tuple[Loudness, LevelHint]:
    """Bring `source` to the target loudness; write it as WAV (at its own rate) and as MP3.

    A fixed gain and a peak limiter: the voice keeps its natural rise and fall, and the limiter
    only catches the peaks that the gain would push past the ceiling. Limiting lowers the
    loudness a little, so the gain is corrected from measurements of the WAV (cheap); MP3
    encoding lowers it a little more, which the WAV target allows for, and can raise true peaks
    over the limiter's sample-peak ceiling, which a lower ceiling then allows for. Returns the
    encoded file's loudness and what this track showed, as a hint for the next.
    """
    source_level = measure_loudness(source, peak=False).integrated
    if source_level < -70:  # silence: nothing to level
        _gain_and_limit(source, wav_out, 0.0, hint.ceiling_db)
        encode_mp3(wav_out, mp3_out, tags)
        return measure_loudness(mp3_out), hint
    base = TARGET_LUFS - source_level
    encoder_loss, ceiling = hint.encoder_loss, hint.ceiling_db
    gain = base + hint.limiter_loss + encoder_loss
    for _attempt in range(3):
        aim = TARGET_LUFS + encoder_loss
        wav_level, gain = _level_wav(source, wav_out, gain, aim, ceiling)
        encode_mp3(wav_out, mp3_out, tags)
        final = measure_loudness(mp3_out)
        encoder_loss = wav_level - final.integrated
        overshoot = final.true_peak - TARGET_TP
        if abs(final.integrated - TARGET_LUFS) <= LOUDNESS_TOLERANCE and overshoot <= 0.4:
            break
        if overshoot > 0:
            ceiling -= overshoot + 0.1
    limiter_loss = gain - base - (aim - TARGET_LUFS)
    return final, LevelHint(limiter_loss, encoder_loss, ceiling)


def _level_wav(source: Path, target: Path, gain: float, aim: float, ceiling_db: float) -> tuple[float, float]:
    """Apply gain + limiter, correcting the gain until the WAV measures `aim` LUFS.

    The limiter gives back less than each dB of gain, so after the first step the next gain is
    found by the secant method from the last two tries. Returns (loudness reached, gain used).
    """
    tries: list[tuple[float, float]] = []
    result, used = aim, gain
    for _attempt in range(5):
        _gain_and_limit(source, target, gain, ceiling_db)
        used = gain
        result = measure_loudness(target, peak=False).integrated
        if abs(result - aim) <= 0.1:
            break
        tries.append((gain, result))
        slope = 1.0
        if len(tries) >= 2:
            (g0, r0), (g1, r1) = tries[-2], tries[-1]
            if abs(g1 - g0) > 1e-6 and r1 != r0:
                slope = min(1.0, max(0.2, (r1 - r0) / (g1 - g0)))
        gain += (aim - result) / slope
    return result, used


def _gain_and_limit(source: Path, target: Path, gain: float, ceiling_db: float) -> None:
    # The limiter works on sample peaks; true peaks (between samples, and after MP3 encoding)
    # run higher, hence a ceiling under the true-peak target.
    ceiling = 10 ** (ceiling_db / 20)
    chain = f"volume={gain:.2f}dB,alimiter=limit={ceiling:.4f}:level=0:attack=5:release=50"
    _ffmpeg("-y", "-i", str(source), "-af", chain, "-ac", "1", "-c:a", "pcm_s16le", str(target))


def _encode(source: Path, target: Path, codec: list[str], tags: dict[str, str]) -> None:
    metadata = [arg for key, value in tags.items() for arg in ("-metadata", f"{key}={value}")]
    rate = ["-ar", str(SAMPLE_RATE), "-ac", "1"]
    _ffmpeg("-y", "-i", str(source), *codec, *rate, *metadata, str(target))


def encode_mp3(source: Path, target: Path, tags: dict[str, str]) -> None:
    _encode(source, target, ["-c:a", "libmp3lame", "-b:a", MP3_BITRATE, "-id3v2_version", "3"], tags)


def encode_aac(source: Path, target: Path) -> None:
    """AAC in an MP4 container, for the M4B audiobook."""
    # ffmpeg's "fast" AAC coder: about three times quicker than its default, and speech at
    # 64 kb/s sounds the same.
    _encode(source, target, ["-c:a", "aac", "-aac_coder", "fast", "-b:a", AAC_BITRATE], {})


def duration(path: Path) -> float:
    """Seconds of audio in a file, as players see it (ffprobe)."""
    result = subprocess.run(
        [_tool("ffprobe"), "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
    )
    try:
        return float(result.stdout.strip())
    except ValueError:
        raise RenderError(Problem(f"could not read the length of {path.name}")) from None


def concat_copy(
    sources: list[Path],
    target: Path,
    tags: dict[str, str],
    chapters: list[tuple[float, float, str]] | None = None,
    fmt: str | None = None,
) -> None:
    """Join audio files of one format without re-encoding; optionally write chapter marks
    (start s, end s, title) through an ffmetadata file (used for the M4B)."""
    work = target.parent
    listing = work / f".{target.name}.list"
    listing.write_text("".join(f"file '{p.resolve()}'\n" for p in sources), encoding="utf-8")
    meta = work / f".{target.name}.meta"
    try:
        args = ["-y", "-f", "concat", "-safe", "0", "-i", str(listing)]
        if chapters:
            meta.write_text(_ffmetadata(tags, chapters), encoding="utf-8")
            args += ["-i", str(meta), "-map", "0:a", "-map_metadata", "1", "-map_chapters", "1"]
        else:
            args += ["-map_metadata", "-1"]
            for key, value in tags.items():
                args += ["-metadata", f"{key}={value}"]
        args += ["-c", "copy"]
        if target.suffix == ".mp3":
            args += ["-id3v2_version", "3"]
        if fmt:
            args += ["-f", fmt]
        _ffmpeg(*args, str(target))
    finally:
        listing.unlink(missing_ok=True)
        meta.unlink(missing_ok=True)


def _ffmetadata(tags: dict[str, str], chapters: list[tuple[float, float, str]]) -> str:
    def escape(value: str) -> str:
        return re.sub(r"([=;#\\\n])", r"\\\1", value)

    lines = [";FFMETADATA1"] + [f"{k}={escape(v)}" for k, v in tags.items()]
    for start, end, title in chapters:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={round(start * 1000)}",
            f"END={round(end * 1000)}",
            f"title={escape(title)}",
        ]
    return "\n".join(lines) + "\n"


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
