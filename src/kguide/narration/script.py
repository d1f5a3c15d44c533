"""Guide model -> narration script: a list of tracks, each a list of spoken segments.

The script is the audio's single source: the transcript is written from it and the TTS engine
speaks it. `text` is what the listener hears described in words (for the transcript); `spoken`
is what the engine is given, after pronunciation fixes (see spoken.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..guide import Figure, Guide, Heading, ListBlock, Note, Paragraph
from .spoken import speakable

# Pauses in milliseconds, inserted as silence after a segment (engines here have no SSML).
PAUSE_SENTENCE = 350
PAUSE_ITEM = 450
PAUSE_PARAGRAPH = 700
PAUSE_HEADING = 600
PAUSE_ANNOUNCE = 1000
PAUSE_TRACK_END = 1500
HEAD_SILENCE = 750  # room tone at the start of every track
TAIL_SILENCE = 2000  # and at its end


@dataclass(frozen=True)
class Segment:
    text: str
    pause_ms: int

    @property
    def spoken(self) -> str:
        return speakable(self.text)


@dataclass(frozen=True)
class Track:
    stem: str  # file name without extension, e.g. "02-before-your-visit"
    title: str
    segments: tuple[Segment, ...]

    @property
    def words(self) -> int:
        return sum(len(s.text.split()) for s in self.segments)


def _sentence(text: str) -> str:
    """Spoken units end with a full stop so the voice falls at the end of an item or title."""
    text = " ".join(text.split())
    return text if text[-1:] in ".!?:" else text + "."


def _block_segments(blocks, out: list[Segment]) -> None:
    for block in blocks:
        if isinstance(block, Heading):
            out.append(Segment(_sentence(block.text), PAUSE_HEADING))
        elif isinstance(block, Paragraph):
            if block.text.strip():
                out.append(Segment(_sentence(block.text), PAUSE_PARAGRAPH))
        elif isinstance(block, ListBlock):
            for number, item in enumerate(block.items, start=block.start):
                inner: list[Segment] = []
                _block_segments(item.blocks, inner)
                if block.ordered and inner:
                    inner[0] = Segment(f"{number}. {inner[0].text}", inner[0].pause_ms)
                out.extend(Segment(s.text, PAUSE_ITEM) for s in inner)
            if out:
                out[-1] = Segment(out[-1].text, PAUSE_PARAGRAPH)
        elif isinstance(block, Note):
            _block_segments(block.blocks, out)
        elif isinstance(block, Figure):
            out.append(Segment(_sentence(f"A picture shows: {block.alt}"), PAUSE_PARAGRAPH))


def build_script(guide: Guide) -> list[Track]:
    config = guide.config
    clinic = config.clinic
    count = len(guide.sections)
    intro = [
        Segment(_sentence(config.title), PAUSE_ANNOUNCE),
        Segment(f"A guide for patients from {clinic.name}.", PAUSE_PARAGRAPH),
        Segment(
            f"This guide has {count} parts. Each part is its own track, so you can stop, "
            "go back, or skip to the part you need.",
            PAUSE_PARAGRAPH,
        ),
    ]
    tracks = [Track("00-introduction", "Introduction", tuple(intro))]
    for index, section in enumerate(guide.sections, start=1):
        segments = [Segment(_sentence(f"Part {index}. {section.title}"), PAUSE_ANNOUNCE)]
        _block_segments(section.blocks, segments)
        segments[-1] = Segment(segments[-1].text, PAUSE_TRACK_END)
        tracks.append(Track(section.stem, section.title, tuple(segments)))
    outro = [
        Segment("This is the end of the guide.", PAUSE_PARAGRAPH),
        Segment(f"If you have questions, call {clinic.name} at {clinic.phone}.", PAUSE_PARAGRAPH),
        Segment(f"Again, the number is {clinic.phone}.", PAUSE_PARAGRAPH),
        Segment("In an emergency, call 911.", PAUSE_TRACK_END),
    ]
    tracks.append(Track(f"{len(guide.sections) + 1:02d}-contact-us", "Contact us", tuple(outro)))
    return tracks


def transcript(guide: Guide, tracks: list[Track]) -> str:
    """The words of the audio, track by track, for people who read instead of listen."""
    lines = [guide.config.title, f"Audio guide transcript. {guide.config.clinic.name}.", ""]
    for track in tracks:
        lines.append(f"[{track.stem}] {track.title}")
        lines.extend(segment.text for segment in track.segments)
        lines.append("")
    return "\n".join(lines)


__all__ = ["Segment", "Track", "build_script", "transcript"]
