"""Narration script -> audio files: one MP3 per track, the whole guide as one MP3 with chapter
marks and as an M4B audiobook, and WebVTT captions timed to the whole-guide audio."""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from ..model import Guide
from . import audio
from .cache import Progress, SegmentCache, TrackCache
from .chapters import write_mp3_chapters
from .script import HEAD_SILENCE, TAIL_SILENCE, Track

SLOW_WPM, FAST_WPM = 130, 170  # a section spoken outside this range gets a warning


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
    chapters: list[tuple[float, float, str]]  # start s, end s, title, in the whole-guide file

    def rate_warnings(self, section_stems: set[str]) -> list[str]:
        return [
            f"{t.file}: spoken at {t.words_per_minute:.0f} words a minute (aim for {SLOW_WPM} to {FAST_WPM})"
            for t in self.tracks
            if t.stem in section_stems and not SLOW_WPM <= t.words_per_minute <= FAST_WPM
        ]


def narrate(
    guide: Guide,
    tracks: list[Track],
    cache: SegmentCache,
    finished: TrackCache,
    out_dir: Path,
    progress: Progress | None = None,
) -> GuideAudio:
    """Write the audio files of `tracks` into `out_dir`/audio and the captions into `out_dir`."""
    audio_dir = out_dir / "audio"
    audio_dir.mkdir(parents=True, exist_ok=True)
    album, artist = guide.config.title, guide.config.clinic.name
    results: dict[str, TrackAudio] = {}
    hint: audio.LevelHint | None = None
    todo = []
    work = Path(tempfile.mkdtemp(prefix="kguide-audio-"))
    try:
        for number, track in enumerate(tracks, start=1):
            tags = {
                "title": track.title,
                "album": album,
                "artist": artist,
                "track": f"{number}/{len(tracks)}",
            }
            key = finished.key([(s.spoken, s.pause_ms) for s in track.segments], tags)
            hit = finished.get(key)
            if hit is None:
                todo.append((track, tags, key))
                continue
            shutil.copyfile(hit.mp3, audio_dir / f"{track.stem}.mp3")
            shutil.copyfile(hit.m4a, work / f"{track.stem}.m4a")
            results[track.stem] = _track_audio(track, hit.meta)
            hint = hint or audio.LevelHint(**hit.meta["hint"])

        # Speech first, in this process: most engines are not thread-safe.
        cache.fill([s.spoken for track, _, _ in todo for s in track.segments], progress)
        raws = {}
        for track, _tags, _key in todo:
            parts = [(cache.get(s.spoken), s.pause_ms) for s in track.segments]
            raw = work / f"{track.stem}.raw.wav"
            raws[track.stem] = (raw, audio.join_wavs(parts, raw, HEAD_SILENCE, TAIL_SILENCE))

        def finish(job, hint: audio.LevelHint | None) -> audio.LevelHint:
            track, tags, key = job
            raw, cues = raws[track.stem]
            mp3, leveled, m4a = (
                audio_dir / f"{track.stem}.mp3",
                work / f"{track.stem}.wav",
                work / f"{track.stem}.m4a",
            )
            level, learned = audio.level_and_encode(raw, leveled, mp3, tags, hint or audio.LevelHint())
            audio.encode_aac(leveled, m4a)
            meta = {
                "seconds": audio.duration(mp3),
                "cues": cues,
                "loudness": level.to_dict(),
                "hint": asdict(learned),
            }
            finished.put(key, mp3, m4a, meta)
            results[track.stem] = _track_audio(track, meta)
            return learned

        # The first track leveled shows how the limiter and encoder treat this voice; the rest
        # start from that. ffmpeg runs in its own processes, so threads keep every core busy.
        if todo and hint is None:
            hint = finish(todo.pop(0), None)
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            list(pool.map(lambda job: finish(job, hint), todo))

        ordered = [results[t.stem] for t in tracks]
        chapters = _chapters(ordered)
        tags = {"title": album, "album": album, "artist": artist, "genre": "Speech"}
        whole = audio_dir / f"{guide.name}.mp3"
        audio.concat_copy([audio_dir / f"{t.stem}.mp3" for t in tracks], whole, tags)
        write_mp3_chapters(whole, chapters)
        audio.concat_copy(
            [work / f"{t.stem}.m4a" for t in tracks],
            audio_dir / f"{guide.name}.m4b",
            tags,
            chapters,
            fmt="ipod",
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    (out_dir / "captions.vtt").write_text(captions(tracks, ordered), encoding="utf-8")
    offsets = [start for start, _, _ in chapters]
    whole_audio = TrackAudio(
        guide.name,
        album,
        f"audio/{whole.name}",
        audio.duration(whole),
        sum(t.words for t in tracks),
        audio.combined_loudness([(r.loudness, r.seconds) for r in ordered]),
        tuple(
            (offset + start, offset + end)
            for offset, r in zip(offsets, ordered, strict=True)
            for start, end in r.cues
        ),
    )
    return GuideAudio(ordered, whole_audio, chapters)


def _chapters(tracks: list[TrackAudio]) -> list[tuple[float, float, str]]:
    chapters, start = [], 0.0
    for track in tracks:
        chapters.append((start, start + track.seconds, track.title))
        start += track.seconds
    return chapters


def _track_audio(track: Track, meta: dict) -> TrackAudio:
    loud = meta["loudness"]
    level = audio.Loudness(loud["integrated_lufs"], loud["true_peak_dbtp"], loud["lra"])
    cues = tuple(tuple(c) for c in meta["cues"])
    return TrackAudio(
        track.stem, track.title, f"audio/{track.stem}.mp3", meta["seconds"], track.words, level, cues
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
