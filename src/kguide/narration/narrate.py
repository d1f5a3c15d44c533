"""Narration script -> audio files: one MP3 per track and one for the whole guide."""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..guide import Guide
from . import audio
from .cache import SegmentCache
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


def narrate(guide: Guide, tracks: list[Track], cache: SegmentCache, out_dir: Path) -> list[TrackAudio]:
    """Write `audio/<track>.mp3` for every track and `audio/<guide>.mp3` into `out_dir`."""
    audio_dir = out_dir / "audio"
    audio_dir.mkdir(parents=True, exist_ok=True)
    album = guide.config.title
    artist = guide.config.clinic.name
    with tempfile.TemporaryDirectory(prefix="kguide-audio-") as work:
        work_dir = Path(work)
        jobs = []
        for number, track in enumerate(tracks, start=1):
            parts = [(cache.get(s.spoken), s.pause_ms) for s in track.segments]
            raw = work_dir / f"{track.stem}.raw.wav"
            seconds = audio.join_wavs(parts, raw, HEAD_SILENCE, TAIL_SILENCE)
            tags = {"title": track.title, "album": album, "artist": artist, "track": f"{number}/{len(tracks)}"}
            jobs.append((track, raw, seconds, tags))

        def finish(job, encoder_loss: float) -> tuple[TrackAudio, float]:
            track, raw, seconds, tags = job
            mp3 = audio_dir / f"{track.stem}.mp3"
            level, loss = audio.level_and_encode(raw, work_dir / f"{track.stem}.wav", mp3, tags, encoder_loss)
            return TrackAudio(track.stem, track.title, f"audio/{mp3.name}", seconds, track.words, level), loss

        # The first track shows how much MP3 encoding lowers this voice's loudness; the rest aim
        # for it. ffmpeg runs in its own processes, so threads keep every core busy.
        first, loss = finish(jobs[0], 0.0)
        results = [first]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            results += [r for r, _ in pool.map(lambda job: finish(job, loss), jobs[1:])]
        whole = audio_dir / f"{guide.name}.mp3"
        audio.concat_mp3s([audio_dir / f"{t.stem}.mp3" for t in tracks], whole, {"title": album, "album": album, "artist": artist})
        # The whole guide's true peak is the highest of its tracks'; its loudness is measured.
        level = audio.measure_loudness(whole, peak=False)
        peak = max(r.loudness.true_peak for r in results)
        results.append(
            TrackAudio(
                guide.name, album, f"audio/{whole.name}", sum(r.seconds for r in results),
                sum(t.words for t in tracks), audio.Loudness(level.integrated, peak, level.lra),
            )
        )
    return results
