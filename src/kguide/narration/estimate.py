"""The audio's timings without speaking: each sentence's length from its words at the voice's
speaking rate, with the script's own pauses and room tone. `kguide serve` lays out the listen
page with these while the editor writes; `kguide build` times it from the real audio."""

from __future__ import annotations

from .audio import Loudness
from .narrate import GuideAudio, TrackAudio
from .script import HEAD_SILENCE, TAIL_SILENCE, Track

MIN_SEGMENT = 0.4  # a one-word segment ("Important.") still takes a moment to say
UNMEASURED = Loudness(float("nan"), float("nan"), float("nan"))


def estimated_track(track: Track, rate: int) -> TrackAudio:
    """A track timed from its words: `rate` words a minute while speaking."""
    at = HEAD_SILENCE / 1000
    cues = []
    for segment in track.segments:
        length = max(MIN_SEGMENT, segment.words * 60 / rate)
        cues.append((round(at, 3), round(at + length, 3)))
        at += length + segment.pause_ms / 1000
    seconds = round(at + TAIL_SILENCE / 1000, 3)
    return TrackAudio(
        track.stem, track.title, f"audio/{track.stem}.mp3", seconds, track.words, UNMEASURED, tuple(cues)
    )


def estimated_audio(name: str, tracks: list[Track], rate: int) -> GuideAudio:
    """The whole guide timed from its words: the tracks end to end, a chapter each."""
    timed = [estimated_track(track, rate) for track in tracks]
    chapters, at = [], 0.0
    for track in timed:
        chapters.append((round(at, 3), round(at + track.seconds, 3), track.title))
        at += track.seconds
    words = sum(t.words for t in timed)
    whole = TrackAudio(name, name, f"audio/{name}.mp3", round(at, 3), words, UNMEASURED)
    m4b = TrackAudio(name, name, f"audio/{name}.m4b", round(at, 3), words, UNMEASURED)
    return GuideAudio(timed, whole, m4b, chapters)
