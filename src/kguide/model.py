"""The Guide / Section / block model: the one source every renderer and check reads.

Print and audio are two renderings of this model; the reading check is a third reader. Each block
keeps the line of its source, and each section its source lines and accept comments, so every
finding and error can point at the file, line and column an editor must change without any
renderer opening a source file again.

Clinic and guide fields written `{{ clinic.phone }}` in a section are `Placeholder` nodes. A guide
is parsed once; `Guide.bind(clinic_id)` gives the guide as one clinic hands it out, with every
placeholder filled in, and the reading check scores the unbound guide, where a placeholder stands
for a typical value (see `Placeholder.typical`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import GuideConfig
from .locale.data import Locale

# ---- inline content --------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Styled:
    """Emphasis ("em") or strong emphasis ("strong") around inline content."""

    style: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Break:
    """A hard line break in print; a space when spoken."""


@dataclass(frozen=True)
class Placeholder:
    """A clinic or guide field (`{{ clinic.phone }}`), filled in per clinic by `Guide.bind`.

    typical: what the reading check scores in its place (the same for every clinic, so one
    check serves them all): a phone number, address or link is not scored as words at all.
    """

    name: str
    typical: str


Inline = Text | Styled | Link | Code | Break | Placeholder

# The fields a section may name, and what the reading check scores in their place.
TYPICAL_VALUES = {
    "clinic.name": "the clinic",
    "clinic.phone": "555-0100",
    "clinic.address": "12 Main Street",
    "clinic.website": "www.example.org",
    "clinic.email": "info@example.org",
    "clinic.hours": "Monday to Friday, 9 to 5",
    "clinic.audio_url": "https://www.example.org/audio",
    "guide.title": "",  # the guide's own value: it is the same for every clinic
    "guide.version": "",
    "guide.date": "",
}
PLACEHOLDER_NAMES = tuple(TYPICAL_VALUES)
PLACEHOLDER_RE = re.compile(r"\{\{\s*(\w+\.\w+)\s*\}\}")


def plain_text(inlines: tuple[Inline, ...], line_break: str = " ") -> str:
    """The words of inline content, without markup; a hard line break becomes `line_break`."""
    out = []
    for node in inlines:
        if isinstance(node, Text | Code):
            out.append(node.text)
        elif isinstance(node, Styled | Link):
            out.append(plain_text(node.children, line_break))
        elif isinstance(node, Break):
            out.append(line_break)
        elif isinstance(node, Placeholder):
            out.append(node.typical)
    return "".join(out)


# ---- blocks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = the first sub-heading level inside a section (written `##`)
    inlines: tuple[Inline, ...]
    line: int

    @property
    def text(self) -> str:
        return plain_text(self.inlines)


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    line: int

    @property
    def text(self) -> str:
        return plain_text(self.inlines)


@dataclass(frozen=True)
class ListItem:
    blocks: tuple[Block, ...]
    line: int
    checked: bool | None = None  # None: not a checklist item

    @property
    def entry(self) -> tuple[tuple[Inline, ...], tuple[Inline, ...]] | None:
        """(term, meaning) when the item reads `**Term**: meaning` (a glossary entry), else None.
        The one place that knows how a term is written."""
        if len(self.blocks) != 1 or not isinstance(self.blocks[0], Paragraph):
            return None
        inlines = self.blocks[0].inlines
        if len(inlines) < 2 or not isinstance(inlines[0], Styled) or inlines[0].style != "strong":
            return None
        if not isinstance(inlines[1], Text) or not inlines[1].text.startswith(":"):
            return None
        rest = inlines[1].text[1:].lstrip()
        return inlines[0].children, ((Text(rest),) if rest else ()) + inlines[2:]


@dataclass(frozen=True)
class ListBlock:
    """A list. `role` says what it is for, set by the reader from the section it sits in:
    "checklist" (a box on every item), "questions" (in a `layout: questions` section: the reader's
    own questions follow), "glossary" (in a `layout: glossary` section) or "" (a plain list)."""

    ordered: bool
    items: tuple[ListItem, ...]
    line: int
    start: int = 1
    role: str = ""

    @property
    def is_checklist(self) -> bool:
        return all(item.checked is not None for item in self.items)


@dataclass(frozen=True)
class Note:
    """A call-out box (a Markdown block quote), used for safety points."""

    blocks: tuple[Block, ...]
    line: int


@dataclass(frozen=True)
class Figure:
    src: Path  # resolved, inside the guide folder
    alt: str
    line: int


Block = Heading | Paragraph | ListBlock | Note | Figure


def iter_blocks(blocks: tuple[Block, ...]):
    """Every block, depth first, including those inside lists and notes."""
    for block in blocks:
        yield block
        if isinstance(block, ListBlock):
            for item in block.items:
                yield from iter_blocks(item.blocks)
        elif isinstance(block, Note):
            yield from iter_blocks(block.blocks)


@dataclass(frozen=True)
class Accept:
    """`<!-- kguide: accept RULE, ... -->`: findings of `rules` on source lines first..last of
    its section (the run of non-blank lines the comment sits in) are accepted."""

    line: int
    rules: frozenset[str]
    first: int
    last: int

    def covers(self, line: int | None, rule: str) -> bool:
        return line is not None and self.first <= line <= self.last and rule in self.rules


@dataclass(frozen=True)
class Section:
    """One part of the guide. `blocks` is what is printed (and scored for reading level);
    `audio_blocks` is what is spoken. They differ only by print-only and audio-only blocks.
    `source` holds the file's lines as read, for columns in findings."""

    number: int
    slug: str
    title: str
    path: Path
    blocks: tuple[Block, ...]
    audio_blocks: tuple[Block, ...] = ()
    layout: str = ""  # "" (plain), "questions" (writing lines follow) or "glossary" (term lists)
    source: tuple[str, ...] = ()
    accepts: tuple[Accept, ...] = ()

    @property
    def stem(self) -> str:
        return f"{self.number:02d}-{self.slug}"


@dataclass(frozen=True)
class Guide:
    """A loaded guide. `texts` holds the optional inputs beside guide.toml (lexicon.toml,
    plain_words.tsv) as read; `hashes` the sha256 of every input, read once at load.

    `clinic_id` is the profile the guide is bound to ("" for a guide with one [clinic], or for
    the unbound guide of a guide with profiles: see `bind`)."""

    name: str
    folder: Path
    config: GuideConfig
    sections: tuple[Section, ...]
    inputs: tuple[Path, ...] = field(default=())
    clinic_id: str = ""
    texts: dict[str, str] = field(default_factory=dict, compare=False)
    hashes: dict[str, str] = field(default_factory=dict, compare=False)
    bound: bool = False

    def input_hashes(self) -> dict[str, str]:
        if self.hashes:
            return dict(self.hashes)
        return {
            str(p.relative_to(self.folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in self.inputs
        }

    @property
    def clinic_ids(self) -> tuple[str, ...]:
        """The profiles to build by default: every [clinics.<id>], or ("",) for one [clinic]."""
        return tuple(self.config.clinics) or ("",)

    @property
    def locale(self) -> Locale:
        """The locale of the clinic the guide is bound to (the first clinic's when unbound):
        the locale data for `language` with the guide's and the clinic's [locale] over it. The
        one object every renderer reads for emergency and crisis numbers and phone regions."""
        return self.config.resolved_locale()

    def bind(self, clinic_id: str = "") -> Guide:
        """The guide as clinic `clinic_id` hands it out, every placeholder filled in; no parsing.
        "" is the single [clinic], or the first profile."""
        config = self.config
        if config.clinics:
            clinic_id = clinic_id or next(iter(config.clinics))
            config = dataclasses.replace(config, clinic=config.clinics[clinic_id])
        values = field_values(config)
        fill = _Filler(values)
        sections = tuple(
            dataclasses.replace(
                s,
                title=fill.string(s.title),
                blocks=fill.blocks(s.blocks),
                audio_blocks=fill.blocks(s.audio_blocks),
            )
            for s in self.sections
        )
        return dataclasses.replace(self, config=config, sections=sections, clinic_id=clinic_id, bound=True)


def require_bound(guide: Guide) -> None:
    """Renderers show one clinic's guide: an unbound one here is a bug in the caller."""
    if not guide.bound:
        raise ValueError(f"{guide.name}: a renderer was given the unbound guide; call Guide.bind first")


def field_values(config: GuideConfig) -> dict[str, str]:
    """The value of every placeholder for the clinic in `config`."""
    values = {}
    for name in PLACEHOLDER_NAMES:
        owner, key = name.split(".")
        values[name] = str(getattr(config.clinic if owner == "clinic" else config, key))
    return values


class _Filler:
    def __init__(self, values: dict[str, str]):
        self.values = values

    def string(self, text: str) -> str:
        return PLACEHOLDER_RE.sub(lambda m: self.values.get(m.group(1), m.group()), text)

    def inlines(self, nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for node in nodes:
            if isinstance(node, Placeholder):
                node = Text(self.values[node.name])
            elif isinstance(node, Styled):
                node = Styled(node.style, self.inlines(node.children))
            elif isinstance(node, Link):
                node = Link(self.string(node.href), self.inlines(node.children))
            if isinstance(node, Text) and out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + node.text)
            elif not (isinstance(node, Text) and not node.text):
                out.append(node)
        return tuple(out)

    def blocks(self, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        return tuple(self.block(b) for b in blocks)

    def block(self, block: Block) -> Block:
        if isinstance(block, Heading | Paragraph):
            return dataclasses.replace(block, inlines=self.inlines(block.inlines))
        if isinstance(block, ListBlock):
            items = tuple(dataclasses.replace(i, blocks=self.blocks(i.blocks)) for i in block.items)
            return dataclasses.replace(block, items=items)
        if isinstance(block, Note):
            return dataclasses.replace(block, blocks=self.blocks(block.blocks))
        if isinstance(block, Figure):
            return dataclasses.replace(block, alt=self.string(block.alt))
        return block
