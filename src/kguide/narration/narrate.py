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
from pathlib import Path

from ..locale.strings import strings_for
from ..model import Guide
from . import audio
from .cache import CachedTrack, Progress, SegmentCache, TrackCache
from .level import Calibration, Calibrations, level_track, typical
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
    futures: dict[str, Future] = {}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for track, key in _spoken(todo, cache, progress):
            futures[track.stem] = pool.submit(
                _finish, track, key, cache, finished, work, known or Calibration()
            )
    results = [future.result() for future in futures.values()]
    if known is None and results:  # what these tracks showed about this voice, for next time
        store.save(typical([calibration for _, calibration in results]))
    return {stem: made for stem, (made, _) in zip(futures, results, strict=True)}


def _finish(
    track: Track, key: str, cache: SegmentCache, finished: TrackCache, work: Path, calibration: Calibration
) -> tuple[CachedTrack, Calibration]:
    """Stage 3 for one track: join its segments, level and encode, measure, cache."""
    raw = work / f"{track.stem}.raw.wav"
    cues = audio.join_wavs(
        [(cache.get(s.spoken), s.pause_ms) for s in track.segments], raw, HEAD_SILENCE, TAIL_SILENCE
    )
    mp3, m4a = work / f"{track.stem}.mp3", work / f"{track.stem}.m4a"
    leveled = level_track(raw, mp3, m4a, calibration)
    meta = {
        "seconds": audio.duration(mp3),
        "cues": cues,
        "loudness": leveled.mp3.to_dict(),
        "aac_loudness": leveled.aac.to_dict(),
    }
    finished.put(key, mp3, m4a, meta)
    return CachedTrack(*finished.paths(key), meta), leveled.calibration


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
    """Stage 5: the whole guide as one MP3 and one M4B, joined without re-encoding. Their
    loudness is that of the measured tracks they are made of (the tests measure the files)."""
    chapters, start = [], 0.0
    for track in ordered:
        chapters.append((start, start + track.seconds, track.title))
        start += track.seconds
    whole, m4b = audio_dir / f"{name}.mp3", audio_dir / f"{name}.m4b"
    write_whole_mp3([parts[t.stem].mp3 for t in tracks], whole, album, chapters)
    write_m4b([parts[t.stem].m4a for t in tracks], m4b, album, chapters)
    cues = tuple(
        (offset + begin, offset + end)
        for (offset, _, _), r in zip(chapters, ordered, strict=True)
        for begin, end in r.cues
    )
    words = sum(t.words for t in tracks)
    aac = [
        (_loudness(parts[t.stem].meta["aac_loudness"]), r.seconds)
        for t, r in zip(tracks, ordered, strict=True)
    ]
    return GuideAudio(
        ordered,
        TrackAudio(
            name,
            album.title,
            f"audio/{whole.name}",
            audio.duration(whole),
            words,
            audio.combined_loudness([(r.loudness, r.seconds) for r in ordered]),
            cues,
        ),
        TrackAudio(
            name,
            album.title,
            f"audio/{m4b.name}",
            audio.duration(m4b),
            words,
            audio.combined_loudness(aac),
            cues,
        ),
        chapters,
    )


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
