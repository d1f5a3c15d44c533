"""Narration script -> audio files: one MP3 per track and one for the whole guide."""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from ..guide import Guide
from . import audio
from .cache import SegmentCache, TrackCache
from .script import HEAD_SILENCE, TAIL_SILENCE, Track


@dataclass(frozen=True)
class TrackAudio:
    stem: str
    title: str
    file: str  # relative to the build folder
    seconds: float
    words: int
    loudness: audio.Loudness

    @property
    def words_per_minute(self) -> float:
        return self.words / (self.seconds / 60) if self.seconds else 0.0

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "title": self.title,
            "seconds": round(self.seconds, 2),
            "words": self.words,
            "words_per_minute": round(self.words_per_minute, 1),
            **self.loudness.to_dict(),
        }


def narrate(
    guide: Guide, tracks: list[Track], cache: SegmentCache, finished: TrackCache, out_dir: Path
) -> list[TrackAudio]:
    """Write `audio/<track>.mp3` for every track and `audio/<guide>.mp3` into `out_dir`."""
    audio_dir = out_dir / "audio"
    audio_dir.mkdir(parents=True, exist_ok=True)
    album = guide.config.title
    artist = guide.config.clinic.name
    results: dict[str, TrackAudio] = {}
    hint: audio.LevelHint | None = None
    todo = []
    for number, track in enumerate(tracks, start=1):
        tags = {"title": track.title, "album": album, "artist": artist, "track": f"{number}/{len(tracks)}"}
        key = finished.key([(s.spoken, s.pause_ms) for s in track.segments], tags)
        hit = finished.get(key)
        if hit is None:
            todo.append((track, tags, key))
            continue
        mp3, meta = hit
        shutil.copyfile(mp3, audio_dir / f"{track.stem}.mp3")
        results[track.stem] = _track_audio(track, meta)
        hint = hint or audio.LevelHint(**meta["hint"])

    with tempfile.TemporaryDirectory(prefix="kguide-audio-") as work:
        work_dir = Path(work)
        raws = {}
        for track, _tags, _key in todo:  # speech first, in this thread: engines are not thread-safe
            parts = [(cache.get(s.spoken), s.pause_ms) for s in track.segments]
            raw = work_dir / f"{track.stem}.raw.wav"
            raws[track.stem] = (raw, audio.join_wavs(parts, raw, HEAD_SILENCE, TAIL_SILENCE))

        def finish(job, hint: audio.LevelHint | None) -> audio.LevelHint:
            track, tags, key = job
            raw, seconds = raws[track.stem]
            mp3 = audio_dir / f"{track.stem}.mp3"
            level, learned = audio.level_and_encode(raw, work_dir / f"{track.stem}.wav", mp3, tags, hint or audio.LevelHint())
            meta = {"seconds": seconds, "loudness": level.to_dict(), "hint": asdict(learned)}
            finished.put(key, mp3, meta)
            results[track.stem] = _track_audio(track, meta)
            return learned

        # The first track leveled shows how the limiter and encoder treat this voice; the rest
        # start from that. ffmpeg runs in its own processes, so threads keep every core busy.
        if todo and hint is None:
            hint = finish(todo.pop(0), None)
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            list(pool.map(lambda job: finish(job, hint), todo))

    ordered = [results[t.stem] for t in tracks]
    whole = audio_dir / f"{guide.name}.mp3"
    audio.concat_mp3s([audio_dir / f"{t.stem}.mp3" for t in tracks], whole, {"title": album, "album": album, "artist": artist})
    ordered.append(
        TrackAudio(
            guide.name, album, f"audio/{whole.name}", sum(r.seconds for r in ordered),
            sum(t.words for t in tracks), audio.combined_loudness([(r.loudness, r.seconds) for r in ordered]),
        )
    )
    return ordered


def _track_audio(track: Track, meta: dict) -> TrackAudio:
    loud = meta["loudness"]
    level = audio.Loudness(loud["integrated_lufs"], loud["true_peak_dbtp"], loud["lra"])
    return TrackAudio(track.stem, track.title, f"audio/{track.stem}.mp3", meta["seconds"], track.words, level)
