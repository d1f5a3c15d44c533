"""Narration script -> audio files: one MP3 per track, the whole guide as one MP3 with chapter
marks and as an M4B audiobook, and WebVTT captions timed to the whole-guide audio.

In stages: plan (which tracks the cache already has), speak and level (each track is leveled and
encoded while the next is spoken), tag (a tagged copy of each encoded track), join (the
whole-guide files, with the cover picture) and captions.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..locale.strings import strings_for
from ..model import Guide
from . import audio
from .cache import CachedTrack, Progress, SegmentCache, TrackCache
from .level import Calibration, Calibrations, Gains, Leveled, level_track, missing_pieces, typical
from .pieces import Piece, PieceCache, digest, integrated, loudness_range, make_pieces, with_info_frame
from .script import HEAD_SILENCE, TAIL_SILENCE, Track
from .whole import Album, tag_track, write_m4b, write_whole_mp3

SLOW_WPM, FAST_WPM = 130, 170  # a section spoken outside this range gets a warning
Cover = Callable[[], Path | None]  # waits for the cover picture, if there is one


@dataclass(frozen=True)
class TrackAudio:
    stem: str
    title: str
    file: str  # relative to the build folder
    seconds: float
    words: int
    loudness: audio.Loudness
    cues: tuple[tuple[float, float], ...] = ()  # each segment's (start, end) in the track

    @property
    def speech_seconds(self) -> float:
        """From the first word to the last: the room tone at either end is not speech."""
        if self.cues:
            return self.cues[-1][1] - self.cues[0][0]
        return self.seconds

    @property
    def words_per_minute(self) -> float:
        """Speaking rate, pauses between sentences included (as a listener hears it)."""
        return self.words / (self.speech_seconds / 60) if self.speech_seconds else 0.0

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "title": self.title,
            "seconds": round(self.seconds, 2),
            "words": self.words,
            "words_per_minute": round(self.words_per_minute, 1),
            **self.loudness.to_dict(),
        }


@dataclass(frozen=True)
class GuideAudio:
    tracks: list[TrackAudio]
    whole: TrackAudio
    m4b: TrackAudio
    chapters: list[tuple[float, float, str]]  # start s, end s, title, in the whole-guide file

    def rate_warnings(self, section_stems: set[str], rate: int) -> list[str]:
        """A warning, saying what to change, for each section spoken too slowly or too fast
        (words a minute with the pauses between sentences, as a listener hears it)."""
        return [
            f"{t.file}: spoken at {t.words_per_minute:.0f} words a minute (aim for {SLOW_WPM} to {FAST_WPM}): "
            + rate_advice(t.words_per_minute, rate)
            for t in self.tracks
            if t.stem in section_stems and not SLOW_WPM <= t.words_per_minute <= FAST_WPM
        ]


def rate_advice(heard: float, rate: int) -> str:
    """What to change for a part heard at `heard` words a minute with voice.rate `rate`."""
    aim = (SLOW_WPM + FAST_WPM) / 2
    suggested = max(80, min(300, round(rate * aim / heard / 5) * 5)) if heard else rate
    if heard < SLOW_WPM:
        return (
            f"each list item, heading and note adds a pause, so a part of many short items sounds slow; "
            f"join short items into sentences, or set voice.rate in guide.toml from {rate} to about {suggested}"
        )
    return f"set voice.rate in guide.toml from {rate} to about {suggested}"


def narrate(
    guide: Guide,
    tracks: list[Track],
    cache: SegmentCache,
    finished: TrackCache,
    out_dir: Path,
    progress: Progress | None = None,
    cover: Cover | None = None,
) -> GuideAudio:
    """Write the audio files of `tracks` into `out_dir`/audio and the captions into `out_dir`."""
    audio_dir = out_dir / "audio"
    audio_dir.mkdir(parents=True, exist_ok=True)
    parts, todo = plan_tracks(tracks, finished)
    cache.hits += len({s.spoken for t in tracks if t.stem in parts for s in t.segments})  # whole tracks
    work = Path(tempfile.mkdtemp(prefix="kguide-audio-"))
    try:
        parts.update(make_tracks(todo, cache, finished, work, progress))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    album = _album(guide, cover() if cover else None)
    ordered = write_tracks(tracks, parts, audio_dir, album)
    result = join_whole(guide.name, tracks, parts, ordered, audio_dir, album)
    (out_dir / "captions.vtt").write_text(captions(tracks, ordered), encoding="utf-8")
    return result


def plan_tracks(tracks: list[Track], finished: TrackCache) -> tuple[dict[str, CachedTrack], list]:
    """Stage 1: the tracks the cache has (by stem), and the (track, key) of those to make."""
    parts, todo = {}, []
    for track in tracks:
        key = finished.key([(s.spoken, s.pause_ms) for s in track.segments])
        hit = finished.get(key)
        if hit is None:
            todo.append((track, key))
        else:
            parts[track.stem] = hit
    return parts, todo


def _spoken(todo: list, cache: SegmentCache, progress: Progress | None) -> Iterator[tuple[Track, str]]:
    """Stage 2: yield each (track, key) once its speech is cached. An engine that uses every core
    speaks track by track, so that a spoken track is leveled while the next is spoken; the others
    speak everything at once in worker processes."""
    texts = [[s.spoken for s in track.segments] for track, _ in todo]
    if not getattr(cache.engine, "uses_all_cores", False):
        cache.fill([t for group in texts for t in group], progress)
        yield from todo
        return
    total, done = len(cache.missing([t for group in texts for t in group])), 0
    for job, group in zip(todo, texts, strict=True):
        count = len(cache.missing(group))
        step = (lambda d, _n, base=done: progress(base + d, total)) if progress and count else None
        cache.fill(group, step)
        done += count
        yield job


def make_tracks(
    todo: list, cache: SegmentCache, finished: TrackCache, work: Path, progress: Progress | None
) -> dict[str, CachedTrack]:
    """Stages 2 and 3: speak the tracks not cached, level and encode each (in threads: ffmpeg
    runs in processes of its own) while the next is spoken, and cache them."""
    store = Calibrations(finished.folder, finished.description)
    known = store.load()
    gains = Gains(finished.folder, finished.description)
    last = gains.load()
    pieces = PieceCache(finished.folder.parent / "pieces", finished.description)
    if todo and all(track.stem in last for track, _ in todo):  # a rebuild, or a further clinic
        _prefetch(todo, cache, pieces, last, (known or Calibration()).ceiling_db, work, progress)
    futures: dict[str, Future] = {}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for track, key in _spoken(todo, cache, progress):
            futures[track.stem] = pool.submit(
                _finish,
                track,
                key,
                cache,
                (finished, pieces),
                work,
                known or Calibration(),
                last.get(track.stem),
            )
    results = [future.result() for future in futures.values()]
    if known is None and results:  # what these tracks showed about this voice, for next time
        store.save(typical([leveled.calibration for _, leveled in results]))
    if results:
        gains.save(
            {**last, **{stem: leveled.gain for stem, (_, leveled) in zip(futures, results, strict=True)}}
        )
    return {stem: made for stem, (made, _) in zip(futures, results, strict=True)}


def _prefetch(
    todo: list,
    cache: SegmentCache,
    pieces: PieceCache,
    last: dict[str, float],
    ceiling: float,
    work: Path,
    progress: Progress | None,
) -> None:
    """When every track to make was leveled before (an edit, another clinic), speak them all
    first, then encode every new piece at its track's last gain in one batch: each track is
    then checked from the cache, not encoded piece by piece in runs of its own."""
    cache.fill([s.spoken for track, _ in todo for s in track.segments], progress)
    jobs = []
    for track, _ in todo:
        plan = pieces_of(track, [cache.get(s.spoken) for s in track.segments])
        jobs += missing_pieces(plan, [digest(p.source) for p in plan], last[track.stem], ceiling, pieces)
    make_pieces(jobs, pieces, work / "prefetch")


def _finish(
    track: Track,
    key: str,
    cache: SegmentCache,
    stores: tuple[TrackCache, PieceCache],
    work: Path,
    calibration: Calibration,
    hint: float | None,
) -> tuple[CachedTrack, Leveled]:
    """Stage 3 for one track: measure its speech, level and encode its pieces (those not in the
    piece cache), join them by copying frames, cache the track."""
    sources = [cache.get(s.spoken) for s in track.segments]
    plan = pieces_of(track, sources)
    level = partial(speech_level, plan, work / f"{track.stem}.raw.wav")
    finished, pieces = stores
    leveled = level_track(plan, level, calibration, pieces, work / track.stem, hint)
    mp3, aac = work / f"{track.stem}.mp3", work / f"{track.stem}.aac"
    cues, offset = [], 0
    frames = []
    with open(aac, "wb") as aac_out:
        for piece in leveled.pieces:
            frames.append(piece.mp3.read_bytes())
            aac_out.write(piece.aac.read_bytes())
            begin, end = piece.meta["speech"]
            cues.append(((offset + begin) / audio.SAMPLE_RATE, (offset + end) / audio.SAMPLE_RATE))
            offset += piece.mp3_samples
    mp3.write_bytes(with_info_frame(b"".join(frames), mp3))
    meta = {
        "seconds": offset / audio.SAMPLE_RATE,
        "aac_seconds": sum(p.aac_samples for p in leveled.pieces) / audio.SAMPLE_RATE,
        "cues": cues,
        "loudness": leveled.mp3.to_dict(),
        "aac_loudness": leveled.aac.to_dict(),
        "blocks": {
            kind: [b for p in leveled.pieces for b in p.meta[kind]["blocks"]] for kind in ("mp3", "aac")
        },
    }
    finished.put(key, mp3, aac, meta)
    return CachedTrack(*finished.paths(key), meta), leveled


def pieces_of(track: Track, sources: list[Path]) -> list[Piece]:
    """The pieces of a track: each segment's speech (`sources`) with the pause after it, the
    room tone before the first and after the last."""
    last = len(sources) - 1
    return [
        Piece(path, HEAD_SILENCE if i == 0 else 0, TAIL_SILENCE if i == last else s.pause_ms)
        for i, (path, s) in enumerate(zip(sources, track.segments, strict=True))
    ]


def speech_level(plan: list[Piece], scratch: Path) -> float:
    """The integrated loudness (LUFS) of the track's speech as the voice made it."""
    audio.join_wavs([(piece.source, piece.trail_ms) for piece in plan], scratch, 0, 0)
    try:
        return audio.measure_loudness(scratch, peak=False).integrated
    finally:
        scratch.unlink(missing_ok=True)


def _album(guide: Guide, cover: Path | None) -> Album:
    config = guide.config
    count = len(guide.sections)
    description = strings_for(config.language)(
        "album_description", count=count, title=config.title, clinic=config.clinic.name
    )
    return Album(config.title, config.clinic.name, description, cover)


def write_tracks(
    tracks: list[Track], parts: dict[str, CachedTrack], audio_dir: Path, album: Album
) -> list[TrackAudio]:
    """Stage 4: a tagged copy of each encoded track in the audio folder."""
    out = []
    for number, track in enumerate(tracks, start=1):
        part = parts[track.stem]
        tag_track(part.mp3, audio_dir / f"{track.stem}.mp3", album, track.title, f"{number}/{len(tracks)}")
        out.append(_track_audio(track, part.meta))
    return out


def join_whole(
    name: str,
    tracks: list[Track],
    parts: dict[str, CachedTrack],
    ordered: list[TrackAudio],
    audio_dir: Path,
    album: Album,
) -> GuideAudio:
    """Stage 5: the whole guide as one MP3 and one M4B, joined without re-encoding, each with
    chapters at its own track boundaries (AAC and MP3 frames differ in length). Their loudness
    is gated from the measurements of the pieces they are made of."""
    chapters = _chapters([(t.seconds, t.title) for t in ordered])
    book = _chapters(
        [(parts[t.stem].meta["aac_seconds"], r.title) for t, r in zip(tracks, ordered, strict=True)]
    )
    whole, m4b = audio_dir / f"{name}.mp3", audio_dir / f"{name}.m4b"
    with ThreadPoolExecutor(max_workers=2) as pool:  # two ffmpeg processes
        joined = pool.submit(write_whole_mp3, [parts[t.stem].mp3 for t in tracks], whole, album, chapters)
        write_m4b([parts[t.stem].aac for t in tracks], m4b, album, book)
        joined.result()
    cues = tuple(
        (offset + begin, offset + end)
        for (offset, _, _), r in zip(chapters, ordered, strict=True)
        for begin, end in r.cues
    )
    words = sum(t.words for t in tracks)

    def measured(kind: str) -> audio.Loudness:
        blocks = [b for t in tracks for b in parts[t.stem].meta["blocks"][kind]]
        peak = max(
            parts[t.stem].meta[f"{'aac_' if kind == 'aac' else ''}loudness"]["true_peak_dbtp"] for t in tracks
        )
        return audio.Loudness(integrated(blocks), peak, loudness_range(blocks))

    return GuideAudio(
        ordered,
        TrackAudio(name, album.title, f"audio/{whole.name}", chapters[-1][1], words, measured("mp3"), cues),
        TrackAudio(name, album.title, f"audio/{m4b.name}", book[-1][1], words, measured("aac"), cues),
        chapters,
    )


def _chapters(lengths: list[tuple[float, str]]) -> list[tuple[float, float, str]]:
    out, start = [], 0.0
    for seconds, title in lengths:
        out.append((start, start + seconds, title))
        start += seconds
    return out


def _loudness(data: dict) -> audio.Loudness:
    return audio.Loudness(data["integrated_lufs"], data["true_peak_dbtp"], data["lra"])


def _track_audio(track: Track, meta: dict) -> TrackAudio:
    cues = tuple(tuple(c) for c in meta["cues"])
    return TrackAudio(
        track.stem,
        track.title,
        f"audio/{track.stem}.mp3",
        meta["seconds"],
        track.words,
        _loudness(meta["loudness"]),
        cues,
    )


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def captions(tracks: list[Track], audio_tracks: list[TrackAudio]) -> str:
    """WebVTT for the whole-guide audio: one cue a sentence, timed from the synthesized audio.

    A cue starts when its sentence starts and stays on screen through the pause after it, until
    the next sentence; a track's last cue stays until the track ends.
    """
    lines = ["WEBVTT", ""]
    offset = 0.0
    number = 0
    for track, result in zip(tracks, audio_tracks, strict=True):
        starts = [start for start, _ in result.cues]
        ends = starts[1:] + [result.seconds]
        for segment, start, end in zip(track.segments, starts, ends, strict=True):
            number += 1
            lines += [
                str(number),
                f"{_timestamp(offset + start)} --> {_timestamp(offset + end)}",
                segment.text,
                "",
            ]
        offset += result.seconds
    return "\n".join(lines)
