"""Guide model -> narration script: tracks of spoken segments, with the pause after each.

The script is the audio's single source: the engine speaks `spoken`, and the transcript and
captions show `text`. One segment is one sentence (or one list item, heading or announcement),
so pauses between sentences are ours to set (no engine here takes SSML) and each caption cue
matches one sentence of the audio.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..locale.strings import Strings, emergency_sentence, strings_for
from ..model import Figure, Guide, Heading, ListBlock, Note, Paragraph, Section, plain_text, require_bound
from ..text import split_sentences
from .spoken import Lexicon, speakable

# Pauses in milliseconds, inserted as silence after a segment.
PAUSE_SENTENCE = 400
PAUSE_ITEM = 500
PAUSE_TERM = 350  # between a glossary term and its meaning
PAUSE_PARAGRAPH = 800
PAUSE_HEADING = 700
PAUSE_ANNOUNCE = 1200
PAUSE_PART_END = 1000
HEAD_SILENCE = 750  # room tone at the start of every track (0.5 to 1 s)
TAIL_SILENCE = 2000  # and at its end (1 to 3 s)


@dataclass(frozen=True)
class Segment:
    text: str  # as written: transcript and captions
    spoken: str  # as the engine is given it
    pause_ms: int
    # Where the words come from: (section file, line, column); None for the introduction and the
    # closing words, which come from guide.toml. Not part of equality: it never changes the audio.
    where: tuple[Path, int, int] | None = field(default=None, compare=False)

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Track:
    stem: str  # file name without extension, e.g. "02-before-your-visit"
    title: str
    segments: tuple[Segment, ...]

    @property
    def words(self) -> int:
        return sum(s.words for s in self.segments)


def _sentence(text: str) -> str:
    """Spoken units end with a stop so the voice falls at the end of an item or a title."""
    text = " ".join(text.split())
    return text if text[-1:] in ".!?:" else text + "."


class _Writer:
    def __init__(self, lexicon: Lexicon, t: Strings, section: Section | None = None):
        self.lexicon = lexicon
        self.t = t
        self.section = section
        self.segments: list[Segment] = []

    def say(self, text: str, pause_ms: int, where: tuple[Path, int, int] | None = None) -> None:
        text = _sentence(text)
        self.segments.append(Segment(text, speakable(text, self.lexicon), pause_ms, where))

    def prose(
        self, text: str, pause_ms: int, sentence_pause: int = PAUSE_SENTENCE, at: tuple | None = None
    ) -> None:
        """A paragraph or item: one segment a sentence, a longer pause after the last.
        `at` is (line, source text, words before it in `text`), to locate each sentence."""
        normal = " ".join(text.split())
        spans = split_sentences(normal)
        for index, span in enumerate(spans):
            where = self.where(at[0], at[1], normal.count(" ", 0, span.start) - at[2]) if at else None
            self.say(span.text, pause_ms if index == len(spans) - 1 else sentence_pause, where)

    def where(self, line: int, raw: str, word: int = 0) -> tuple[Path, int, int] | None:
        """(file, line, column) of the `word`-th word of `raw`, a block's text from `line`."""
        if self.section is None:
            return None
        words = list(re.finditer(r"\S+", raw))
        if not words:
            return (self.section.path, line, 1)
        token = words[min(max(word, 0), len(words) - 1)]
        number = line + raw.count("\n", 0, token.start())
        source = self.section.source[number - 1] if 0 < number <= len(self.section.source) else ""
        word_text = token.group().strip(".,;:!?\"'()*_")
        # the n-th such word on its printed line is taken to be the n-th on the source line
        before = raw[raw.rfind("\n", 0, token.start()) + 1 : token.start()].count(word_text)
        found = -1
        for _ in range(before + 1):
            found = source.find(word_text, found + 1)
            if found < 0:
                break
        return (self.section.path, number, found + 1 if found >= 0 else 1)

    def end_pause(self, pause_ms: int) -> None:
        if self.segments:
            last = self.segments[-1]
            self.segments[-1] = dataclasses.replace(last, pause_ms=max(last.pause_ms, pause_ms))

    def blocks(self, blocks) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                self.say(block.text, PAUSE_HEADING, self.where(block.line, block.text))
            elif isinstance(block, Paragraph):
                if block.text.strip():
                    self.prose(block.text, PAUSE_PARAGRAPH, at=(block.line, block.text, 0))
            elif isinstance(block, ListBlock):
                self.list(block)
            elif isinstance(block, Note):
                self.say(self.t.important, PAUSE_SENTENCE, self.where(block.line, ""))
                self.blocks(block.blocks)
                self.end_pause(PAUSE_PARAGRAPH)
            elif isinstance(block, Figure):
                self.say(self.t("picture_shows", alt=block.alt), PAUSE_PARAGRAPH, self.where(block.line, ""))

    def list(self, block: ListBlock) -> None:
        items = [_item_text(item) for item in block.items]
        questions = block.role == "questions"
        if block.role == "checklist":
            self.say(self.t.checklist_intro, PAUSE_SENTENCE, self.where(block.line, ""))
        for number, (item, (text, term)) in enumerate(
            zip(block.items, items, strict=True), start=block.start
        ):
            first = next((b for b in item.blocks if isinstance(b, Paragraph)), None)
            raw = first.text if first else ""
            line = first.line if first else item.line
            if term:  # a glossary entry: the term, a short pause, then its meaning
                self.say(term, PAUSE_TERM, self.where(line, raw))
                self.prose(text, PAUSE_ITEM, at=(line, raw, -len(term.split())))
            elif block.ordered and not questions:
                step = self.t("step", number=number)
                self.prose(f"{step} {text}", PAUSE_ITEM, at=(line, raw, len(step.split())))
            else:
                self.prose(text, PAUSE_ITEM, at=(line, raw, 0))
        if questions and items:
            self.end_pause(PAUSE_SENTENCE)
            self.say(self.t.questions_pause, PAUSE_PARAGRAPH, self.where(block.line, ""))
        self.end_pause(PAUSE_PARAGRAPH)


def _item_text(item) -> tuple[str, str | None]:
    """The words of a list item, and its term if it is a glossary entry ("**Term**: meaning")."""
    if item.entry is not None:
        term, meaning = item.entry
        return " ".join(plain_text(meaning).split()), " ".join(plain_text(term).split())
    parts = [block.text for block in item.blocks if isinstance(block, Paragraph)]
    return " ".join(" ".join(parts).split()), None


def estimated_minutes(words: int, rate: int) -> int:
    """Listening time, for the introduction: the words at the speaking rate plus pauses."""
    return max(1, math.ceil(words / rate * 1.15))


def build_script(guide: Guide, lexicon: Lexicon, rate: int) -> list[Track]:
    require_bound(guide)
    config = guide.config
    t = strings_for(config.language)
    body: list[Track] = []
    for index, section in enumerate(guide.sections, start=1):
        writer = _Writer(lexicon, t, section)
        title_line = next((n for n, line in enumerate(section.source, 1) if line.startswith("title:")), 1)
        announce = t("part_announce", number=index, title=section.title)
        writer.say(announce, PAUSE_ANNOUNCE, writer.where(title_line, section.title))
        writer.blocks(section.audio_blocks)
        writer.end_pause(PAUSE_PART_END)
        body.append(Track(section.stem, section.title, tuple(writer.segments)))

    count = len(guide.sections)
    return (
        [Track("00-introduction", t.track_introduction, _introduction(guide, lexicon, t, body, rate))]
        + body
        + [Track(f"{count + 1:02d}-contact-us", t.contact_us, _closing(guide, lexicon, t))]
    )


def _introduction(guide: Guide, lexicon: Lexicon, t: Strings, body: list[Track], rate: int) -> tuple:
    minutes = estimated_minutes(sum(track.words for track in body), rate)
    intro = _Writer(lexicon, t)
    intro.say(guide.config.title, PAUSE_ANNOUNCE)
    intro.say(t("intro_from", clinic=guide.config.clinic.name), PAUSE_PARAGRAPH)
    intro.say(  # one segment of two sentences, as it has always been spoken
        t("intro_parts", count=len(guide.sections)) + " " + t("intro_minutes", count=minutes),
        PAUSE_SENTENCE,
    )
    intro.prose(t.intro_tracks, PAUSE_PARAGRAPH)
    return tuple(intro.segments)


def _closing(guide: Guide, lexicon: Lexicon, t: Strings) -> tuple:
    clinic = guide.config.clinic
    outro = _Writer(lexicon, t)
    outro.say(t.outro_end, PAUSE_PARAGRAPH)
    outro.say(t("outro_questions", clinic=clinic.name, phone=clinic.phone), PAUSE_SENTENCE)
    outro.say(t("outro_again", phone=clinic.phone), PAUSE_PARAGRAPH)
    # never a number that may be wrong where the guide is used: "your local emergency number"
    outro.say(emergency_sentence(t, guide.locale), PAUSE_PART_END)
    return tuple(outro.segments)


def transcript(guide: Guide, tracks: list[Track]) -> str:
    """The words of the audio, track by track, for people who read instead of listen."""
    t = strings_for(guide.config.language)
    lines = [guide.config.title, t("transcript_heading", clinic=guide.config.clinic.name), ""]
    for number, track in enumerate(tracks, start=1):
        lines.append(t("transcript_track", number=number, title=track.title))
        lines.extend(segment.text for segment in track.segments)
        lines.append("")
    return "\n".join(lines)


def script_text(tracks: list[Track]) -> str:
    """The whole script as plain text, one segment a line: `text | spoken | pause`, for review
    and for the golden-file tests (it changes only when the narration would)."""
    lines = []
    for track in tracks:
        lines.append(f"## {track.stem}: {track.title}")
        for s in track.segments:
            spoken = "" if s.spoken == s.text else f"  => {s.spoken}"
            lines.append(f"[{s.pause_ms:>4} ms] {s.text}{spoken}")
    return "\n".join(lines) + "\n"
