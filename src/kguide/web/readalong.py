"""The guide's text paired with the audio, sentence by sentence: what the listen page and the
read-along EPUB both show.

The narration script speaks each section's blocks one sentence (segment) at a time, and adds a
few words of its own ("Part 2.", "Step 1.", "Important.", "A picture shows: ..."). Here the
section's blocks are laid out again with their markup, and each segment is matched to the text
it reads by comparing letters and digits only, so that every sentence shown gets the time span
of the words that speak it. Words spoken but not shown are heard with the sentence that follows
them (or, at a track's end, the one before). The introduction and "contact us" tracks have no
section: their segments are shown as they are spoken, a paragraph per long pause.

This module is the one place that reads the guide model and the narration objects for the web
and EPUB renderers: `read_along` and `site_facts` are all they call.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import model
from ..locale.data import Locale
from ..locale.strings import strings_for
from ..narration.narrate import GuideAudio
from ..narration.script import PAUSE_PARAGRAPH, Track
from .inlines import key_map, plain, slice_inlines


@dataclass
class Sentence:
    """One sentence shown, with the span of the audio that speaks it (seconds in its track;
    `end` runs to the next sentence's start, as the captions do). `begin` is None when no
    segment of the audio was found for it."""

    id: str
    inlines: tuple
    begin: float | None = None
    end: float | None = None

    @property
    def text(self) -> str:
        return " ".join(plain(self.inlines).split())


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = the first heading level inside a part
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Paragraph:
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Item:
    blocks: tuple
    checked: bool | None = None


@dataclass(frozen=True)
class List:
    ordered: bool
    items: tuple[Item, ...]
    start: int = 1
    checklist: bool = False


@dataclass(frozen=True)
class Note:
    blocks: tuple


@dataclass(frozen=True)
class Figure:
    src: Path
    alt: str
    sentence: Sentence


@dataclass
class Part:
    """One track of the audio: the introduction, a section, or "contact us"."""

    number: int  # 1-based, in the order of the tracks
    stem: str  # e.g. "02-before-your-visit"; its audio is audio/<stem>.mp3
    title: Sentence  # shown as the part's heading; timed to the spoken announcement
    blocks: tuple
    seconds: float  # the track's length
    offset: float  # where the track starts in the whole-guide audio
    section: bool = True
    label: str = ""  # "Part 2: Before your visit", or the title of a track with no section

    @property
    def audio(self) -> str:
        return f"audio/{self.stem}.mp3"

    @property
    def prefix(self) -> str:
        """What the label adds before the title: "Part 2: " (or nothing)."""
        return self.label.removesuffix(self.title.text)

    def sentences(self) -> Iterator[Sentence]:
        yield self.title
        yield from _sentences(self.blocks)


@dataclass(frozen=True)
class ReadAlong:
    parts: tuple[Part, ...]
    whole_audio: str  # e.g. "audio/<guide>.mp3", relative to the build folder
    seconds: float  # the whole guide's length
    figures: tuple[Path, ...] = field(default=())


@dataclass(frozen=True)
class SiteFacts:
    """What the renderers show besides the text."""

    name: str  # the guide's folder name: the EPUB is <name>.epub
    title: str
    language: str
    clinic: object  # config.Clinic: name, phone, address, website, email, hours, audio_url
    version: str
    date: str
    booklets: tuple[tuple[str, str], ...]  # (file name, label) of each edition
    templates: tuple[Path, ...]  # template roots: the guide's own first, then kguide's
    locale: Locale | None = None  # the clinic's locale (emergency and crisis lines); None: by language


def site_facts(guide: model.Guide) -> SiteFacts:
    from ..booklet import editions, package_templates, templates_dir

    config = guide.config
    t = strings_for(config.language)
    labels = {"standard": t.booklet_pdf, "large-print": t.large_print_pdf}
    return SiteFacts(
        guide.name,
        config.title,
        config.language,
        config.clinic,
        config.version,
        config.date,
        tuple((e.filename, labels.get(e.name, e.filename)) for e in editions(guide)),
        tuple(dict.fromkeys([templates_dir(guide), package_templates()])),
        guide.locale,
    )


def _sentences(blocks) -> Iterator[Sentence]:
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            yield from block.sentences
        elif isinstance(block, Figure):
            yield block.sentence
        elif isinstance(block, Note):
            yield from _sentences(block.blocks)
        elif isinstance(block, List):
            for item in block.items:
                yield from _sentences(item.blocks)


def read_along(guide: model.Guide, tracks: list[Track], audio: GuideAudio) -> ReadAlong:
    """Every track's text, laid out as the guide has it, each sentence timed."""
    sections = {s.stem: s for s in guide.sections}
    t = strings_for(guide.config.language)
    ids = _Ids()
    parts = []
    count = 0
    for number, (track, timing, chapter) in enumerate(
        zip(tracks, audio.tracks, audio.chapters, strict=True), start=1
    ):
        section = sections.get(track.stem)
        if section is None:
            part, by_segment = _spoken_part(track, ids)
        else:
            part, by_segment = _section_part(section, track, ids)
        part.number, part.seconds, part.offset = number, timing.seconds, chapter[0]
        count += part.section
        part.label = t("part_label", number=count, title=part.title.text) if part.section else part.title.text
        _time(by_segment, track, timing.cues, timing.seconds)
        parts.append(part)
    figures = tuple(dict.fromkeys(b.src for p in parts for b in _figures(p.blocks)))
    return ReadAlong(tuple(parts), audio.whole.file, audio.whole.seconds, figures)


def _figures(blocks) -> Iterator[Figure]:
    for block in blocks:
        if isinstance(block, Figure):
            yield block
        elif isinstance(block, Note):
            yield from _figures(block.blocks)
        elif isinstance(block, List):
            for item in block.items:
                yield from _figures(item.blocks)


class _Ids:
    def __init__(self):
        self.count = 0

    def __call__(self, inlines) -> Sentence:
        self.count += 1
        return Sentence(f"s{self.count}", tuple(inlines))


# ---- laying out a section ---------------------------------------------------------------------


class _Run:
    """Inline content that segments read from start to end: a heading, a paragraph, an alt text."""

    def __init__(self, inlines: tuple):
        self.inlines = inlines
        self.key, self.offsets = key_map(inlines)
        self.cuts: list[tuple[int, int]] = []  # (key position, segment index) where a sentence starts


class _Layout:
    """Blocks of runs; after alignment each run is cut into sentences."""

    def __init__(self):
        self.runs: list[_Run] = []

    def run(self, inlines) -> _Run:
        run = _Run(tuple(inlines))
        self.runs.append(run)
        return run

    def blocks(self, blocks) -> list:
        out = []
        for block in blocks:
            if isinstance(block, model.Heading):
                out.append(("heading", block.level, self.run(block.inlines)))
            elif isinstance(block, model.Paragraph):
                if block.text.strip():
                    out.append(("paragraph", self.run(block.inlines)))
            elif isinstance(block, model.ListBlock):
                items = [(self.blocks(item.blocks), item.checked) for item in block.items]
                out.append(("list", block, items))
            elif isinstance(block, model.Note):
                out.append(("note", self.blocks(block.blocks)))
            elif isinstance(block, model.Figure):
                out.append(("figure", block, self.run((model.Text(block.alt),))))
        return out


def _section_part(section: model.Section, track: Track, ids: _Ids) -> tuple[Part, dict]:
    layout = _Layout()
    title = layout.run((model.Text(section.title),))
    body = layout.blocks(section.audio_blocks)
    _align(layout.runs, track)
    pieces, by_segment = {}, {}
    for run in layout.runs:
        pieces[id(run)], starts = _cut(run, ids)
        by_segment.update(starts)
    part = Part(0, track.stem, pieces[id(title)][0], tuple(_build(body, pieces)), 0.0, 0.0)
    return part, by_segment


def _build(layout_blocks, pieces) -> Iterator:
    for entry in layout_blocks:
        kind = entry[0]
        if kind == "heading":
            yield Heading(entry[1], tuple(pieces[id(entry[2])]))
        elif kind == "paragraph":
            yield Paragraph(tuple(pieces[id(entry[1])]))
        elif kind == "list":
            block, items = entry[1], entry[2]
            built = tuple(Item(tuple(_build(blocks, pieces)), checked) for blocks, checked in items)
            yield List(block.ordered, built, block.start, block.is_checklist)
        elif kind == "note":
            yield Note(tuple(_build(entry[1], pieces)))
        elif kind == "figure":
            block, run = entry[1], entry[2]
            sentence = pieces[id(run)][0]
            yield Figure(block.src, block.alt, sentence)


def _align(runs: list[_Run], track: Track) -> None:
    """Match each segment to the run (and key position) it reads, in order, noting in each run
    where a segment starts; a segment that matches nothing was spoken only."""
    index, position = 0, 0
    for number, segment in enumerate(track.segments):
        key = key_map((model.Text(segment.text),))[0]
        if not key:
            continue
        match = _match(runs, index, position, key)
        if match is None:
            continue
        index, start, position = match
        runs[index].cuts.append((start, number))
        if position >= len(runs[index].key):
            index, position = index + 1, 0


def _match(runs: list[_Run], index: int, position: int, key: str) -> tuple[int, int, int] | None:
    """(run, start, end) of `key` at the reading position, or at the start of a later run
    (text that was not spoken is skipped); an announcement ("Part 2. Title") matches a whole
    run by its ending."""
    for number in range(index, len(runs)):
        rest = runs[number].key[position if number == index else 0 :]
        start = position if number == index else 0
        if rest and rest.startswith(key):
            return number, start, start + len(key)
        if rest and len(key) > len(rest) and key.endswith(rest):
            return number, start, start + len(rest)
    return None


def _cut(run: _Run, ids: _Ids) -> tuple[list[Sentence], dict[int, Sentence]]:
    """Cut a run into sentences where segments start reading it; also segment -> sentence."""
    cuts = sorted(run.cuts)
    starts = [0] + [run.offsets[k] for k, _ in cuts[1:]]
    bounds = zip(starts, starts[1:] + [len(plain(run.inlines))], strict=True)
    sentences = [ids(slice_inlines(run.inlines, a, b)) for a, b in bounds]
    return sentences, {segment: sentences[i] for i, (_, segment) in enumerate(cuts)}


# ---- the introduction and "contact us" ---------------------------------------------------------


def _spoken_part(track: Track, ids: _Ids) -> tuple[Part, dict[int, Sentence]]:
    """A track with no section: its segments as spoken, a paragraph per long pause."""
    title = ids((model.Text(track.title),))
    paragraphs, current, by_segment = [], [], {}
    for number, segment in enumerate(track.segments):
        sentence = ids((model.Text(segment.text),))
        current.append(sentence)
        by_segment[number] = sentence
        if segment.pause_ms >= PAUSE_PARAGRAPH:
            paragraphs.append(Paragraph(tuple(current)))
            current = []
    if current:
        paragraphs.append(Paragraph(tuple(current)))
    return Part(0, track.stem, title, tuple(paragraphs), 0.0, 0.0, section=False), by_segment


# ---- timing -----------------------------------------------------------------------------------


def _time(by_segment: dict[int, Sentence], track: Track, cues, seconds: float) -> None:
    """Give each sentence the span from its first segment to the next sentence's start (the
    last runs to the track's end). Words spoken but not shown go with the sentence they are
    closer to, by the pauses around them: "Step 2." and "Important." lead into what follows,
    "You can pause here ..." closes what came before."""
    timed: list[Sentence] = []
    pending = None
    before = 0
    for number, ((start, _end), segment) in enumerate(zip(cues, track.segments, strict=True)):
        sentence = by_segment.get(number)
        if sentence is None:
            if pending is None and (not timed or before >= segment.pause_ms):
                pending = start
        elif sentence.begin is None:
            sentence.begin = start if pending is None else pending
            timed.append(sentence)
            pending = None
        before = segment.pause_ms
    for this, after in zip(timed, timed[1:] + [None], strict=True):
        this.end = after.begin if after is not None else seconds
