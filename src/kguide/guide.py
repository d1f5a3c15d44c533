"""The Guide / Section / block model, and Markdown sources -> model.

Print and audio are two renderings of this one model. Each block keeps the line of its source so
that every finding and error can point at the file and line an editor must change.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.sandbox
import yaml
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.container import container_plugin

from .config import CONFIG_NAME, GuideConfig, load_config
from .errors import GuideError, Problem
from .inputs import check_guide_size, read_text
from .limits import nesting_problems

SECTION_RE = re.compile(r"^(\d{2})-([a-z0-9][a-z0-9-]*)\.md$")
FRONT_MATTER_KEYS = {"title", "layout"}
LAYOUTS = ("questions", "glossary")  # sections the booklet lays out in a way of their own
OPTIONAL_INPUTS = ("lexicon.toml", "plain_words.tsv")  # files beside guide.toml that shape the build
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}


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


Inline = Text | Styled | Link | Code | Break


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


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[ListItem, ...]
    line: int
    start: int = 1

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


@dataclass(frozen=True)
class _Only:
    """Blocks for one medium only (`::: print-only` or `::: audio-only` in the source); split
    into the two views of a section when it loads, so no renderer ever sees this wrapper."""

    medium: str  # "print" or "audio"
    blocks: tuple


def _view(blocks: tuple, medium: str) -> tuple[Block, ...]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, _Only):
            if block.medium == medium:
                out.extend(_view(block.blocks, medium))
        else:
            out.append(block)
    return tuple(out)


@dataclass(frozen=True)
class Section:
    """One part of the guide. `blocks` is what is printed (and scored for reading level);
    `audio_blocks` is what is spoken. They differ only by print-only and audio-only blocks."""

    number: int
    slug: str
    title: str
    path: Path
    blocks: tuple[Block, ...]
    audio_blocks: tuple[Block, ...] = ()
    layout: str = ""  # "" (plain), "questions" (writing lines follow) or "glossary" (term lists)

    @property
    def stem(self) -> str:
        return f"{self.number:02d}-{self.slug}"


@dataclass(frozen=True)
class Guide:
    name: str
    folder: Path
    config: GuideConfig
    sections: tuple[Section, ...]
    inputs: tuple[Path, ...] = field(default=())
    clinic_id: str = ""  # the [clinics.<id>] profile in config.clinic; "" for a single [clinic]

    def input_hashes(self) -> dict[str, str]:
        return {
            str(p.relative_to(self.folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in self.inputs
        }


# ---- loading ---------------------------------------------------------------------------------


def load_guide(folder: Path, clinic: str = "") -> Guide:
    """Load and validate a whole guide; raise GuideError listing every problem found.

    `clinic` picks one of the guide's [clinics.<id>] profiles (default: the first); the sections'
    `{{ clinic.* }}` names are filled from it.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise GuideError(Problem("guide folder not found", folder))
    folder = folder.resolve()
    config, clinic = _with_clinic(load_config(folder), clinic, folder)
    problems: list[Problem] = []
    sections = []
    files = sorted(p for p in folder.iterdir() if p.suffix == ".md" and not p.name.startswith("."))
    check_guide_size(files, folder)
    numbers: dict[int, Path] = {}
    for path in files:
        match = SECTION_RE.match(path.name)
        if not match:
            problems.append(
                Problem("section files must be named NN-slug.md (for example 01-welcome.md)", path)
            )
            continue
        number = int(match.group(1))
        if number in numbers:
            problems.append(Problem(f"section number {number:02d} is used twice", path))
            continue
        numbers[number] = path
        try:
            sections.append(_load_section(path, number, match.group(2), folder, config))
        except GuideError as exc:
            problems.extend(exc.problems)
    if not files:
        problems.append(Problem("the guide has no sections (NN-slug.md files)", folder))
    if problems:
        raise GuideError(problems)
    extras = [folder / name for name in OPTIONAL_INPUTS if (folder / name).is_file()]
    inputs = tuple([folder / CONFIG_NAME] + [s.path for s in sections] + _figure_paths(sections) + extras)
    if config.clinic.logo:
        inputs += ((folder / config.clinic.logo).resolve(),)
    return Guide(folder.name, folder, config, tuple(sections), tuple(dict.fromkeys(inputs)), clinic)


def _with_clinic(config: GuideConfig, clinic: str, folder: Path) -> tuple[GuideConfig, str]:
    """The config with `clinic` as its clinic, and the profile's id ("" for a single [clinic])."""
    if not config.clinics:
        if clinic:
            raise GuideError(
                Problem(
                    f"no clinic profile '{clinic}': the guide has one [clinic] table", folder / CONFIG_NAME
                )
            )
        return config, ""
    clinic = clinic or next(iter(config.clinics))
    if clinic not in config.clinics:
        known = ", ".join(config.clinics)
        raise GuideError(Problem(f"no clinic profile '{clinic}' (known: {known})", folder / CONFIG_NAME))
    return dataclasses.replace(config, clinic=config.clinics[clinic]), clinic


def _figure_paths(sections: list[Section]) -> list[Path]:
    return [b.src for s in sections for b in iter_blocks(s.blocks) if isinstance(b, Figure)]


def iter_blocks(blocks: tuple[Block, ...]):
    """Every block, depth first, including those inside lists and notes."""
    for block in blocks:
        yield block
        if isinstance(block, ListBlock):
            for item in block.items:
                yield from iter_blocks(item.blocks)
        elif isinstance(block, Note):
            yield from iter_blocks(block.blocks)


def _split_front_matter(text: str, path: Path) -> tuple[dict, str, int]:
    """Return (front matter, body, number of source lines before the body)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise GuideError(
            Problem("missing front matter: start the file with '---', 'title: ...', '---'", path, 1)
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            break
    else:
        raise GuideError(Problem("front matter is not closed with '---'", path, 1))
    raw = "".join(lines[1:index])
    try:
        meta = yaml.safe_load(raw) if raw.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc)
        raise GuideError(Problem(f"invalid YAML front matter: {reason}", path, line)) from None
    if not isinstance(meta, dict):
        raise GuideError(Problem("front matter must be 'key: value' lines", path, 2))
    return meta, "".join(lines[index + 1 :]), index + 1


def _load_section(path: Path, number: int, slug: str, folder: Path, config: GuideConfig) -> Section:
    text = read_text(path, folder)
    meta, body, offset = _split_front_matter(text, path)
    problems = []
    for key in meta:
        if key not in FRONT_MATTER_KEYS:
            problems.append(
                Problem(
                    f"unknown front matter key '{key}' (known: {', '.join(sorted(FRONT_MATTER_KEYS))})",
                    path,
                    _meta_line(text, key),
                )
            )
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem("the section needs a 'title' in its front matter", path, 2))
    layout = meta.get("layout", "")
    if layout not in ("", *LAYOUTS):
        problems.append(
            Problem(
                f"'layout' must be one of {', '.join(LAYOUTS)}, not {layout!r}",
                path,
                _meta_line(text, "layout"),
            )
        )
    body = _render_template(body, path, offset, config)
    blocks = _parse_markdown(body, path, offset, folder, problems)
    problems.extend(nesting_problems(blocks, path))
    # Each medium's headings must run in order (headings may sit in print-only or audio-only).
    for problem in _heading_problems(_view(blocks, "print"), path) + _heading_problems(
        _view(blocks, "audio"), path
    ):
        if problem not in problems:
            problems.append(problem)
    if problems:
        raise GuideError(problems)
    return Section(number, slug, title.strip(), path, _view(blocks, "print"), _view(blocks, "audio"), layout)


def _heading_problems(blocks: tuple[Block, ...], path: Path) -> list[Problem]:
    """Headings may go down one level at a time (## then ###), never skip one."""
    problems = []
    level = 0
    for block in blocks:
        if isinstance(block, Heading):
            if block.level > level + 1:
                problems.append(
                    Problem(
                        f"heading level skipped: use {'#' * (level + 2)} here (sub-headings start at ##)",
                        path,
                        block.line,
                    )
                )
            level = block.level
    return problems


def _meta_line(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return None


_ENV = jinja2.sandbox.ImmutableSandboxedEnvironment(
    undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True
)


def _render_template(body: str, path: Path, offset: int, config: GuideConfig) -> str:
    """Fill `{{ clinic.name }}` and the like; an unknown name is an error on its line."""
    try:
        template = _ENV.from_string(body)
        return template.render(clinic=config.clinic, guide=config)
    except jinja2.TemplateSyntaxError as exc:
        raise GuideError(Problem(f"template error: {exc.message}", path, offset + exc.lineno)) from None
    except jinja2.UndefinedError as exc:
        line = _template_line(exc)
        raise GuideError(
            Problem(
                f"unknown template variable {_undefined_name(exc.message or '')} (known: "
                + ", ".join(TEMPLATE_NAMES)
                + ")",
                path,
                offset + line if line else None,
            )
        ) from None
    except jinja2.sandbox.SecurityError as exc:
        raise GuideError(Problem(f"template error: {exc}", path)) from None


TEMPLATE_NAMES = [
    "clinic.name",
    "clinic.phone",
    "clinic.address",
    "clinic.website",
    "clinic.email",
    "clinic.hours",
    "guide.title",
]


def _undefined_name(message: str) -> str:
    """Jinja's "'X object' has no attribute 'fax'" -> "'clinic.fax'"."""
    if m := re.search(r"'(?:[\w.]+\.)?(\w+) object' has no attribute '(\w+)'", message):
        owner = {"Clinic": "clinic", "GuideConfig": "guide"}.get(m.group(1), m.group(1))
        return f"'{owner}.{m.group(2)}'"
    if m := re.search(r"'(\w+)' is undefined", message):
        return f"'{m.group(1)}'"
    return message


def _template_line(exc: BaseException) -> int | None:
    """Jinja rewrites tracebacks so that template frames carry the template's line number."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


_MD = (
    MarkdownIt("commonmark").use(container_plugin, name="audio-only").use(container_plugin, name="print-only")
)
_TASK_RE = re.compile(r"^\[( |x|X)\]\s+")
# The one HTML a guide may hold: an editor accepting a reading finding in the paragraph it sits
# in, above or below. The reading check reads these from the source; print and audio skip them.
ACCEPT_RE = re.compile(r"<!--\s*kguide:\s*accept\s+(?P<rules>[\w\s,-]+?)\s*-->")
_NO_HTML = "raw HTML is not allowed in a guide; use Markdown (the one comment allowed is <!-- kguide: accept RULE -->)"


class _Parser:
    def __init__(self, path: Path, offset: int, folder: Path, problems: list[Problem]):
        self.path = path
        self.offset = offset
        self.folder = folder
        self.problems = problems

    def line(self, node: SyntaxTreeNode) -> int:
        return self.offset + (node.map[0] + 1 if node.map else 0)

    def error(self, node: SyntaxTreeNode, message: str) -> None:
        self.problems.append(Problem(message, self.path, self.line(node)))

    def blocks(self, nodes) -> tuple[Block, ...]:
        out: list[Block] = []
        for node in nodes:
            block = self.block(node)
            if block is not None:
                out.append(block)
        return tuple(out)

    def block(self, node: SyntaxTreeNode) -> Block | None:
        kind = node.type
        if kind == "heading":
            level = int(node.tag[1]) - 1
            if level < 1:
                self.error(
                    node, "a section's title comes from its front matter: use '##' for headings in the body"
                )
                return None
            return Heading(level, self.inlines(node.children[0]), self.line(node))
        if kind == "paragraph":
            inline = node.children[0]
            images = [c for c in inline.children if c.type == "image"]
            if images:
                return self.figure(node, inline, images)
            return Paragraph(self.inlines(inline), self.line(node))
        if kind in ("bullet_list", "ordered_list"):
            items = tuple(self.item(child) for child in node.children)
            start = int(node.attrs.get("start", 1)) if kind == "ordered_list" else 1
            checks = [i.checked is not None for i in items]
            if any(checks) and not all(checks):
                self.error(node, "a checklist must have a box ('[ ]') on every item")
            return ListBlock(kind == "ordered_list", items, self.line(node), start)
        if kind == "blockquote":
            return Note(self.blocks(node.children), self.line(node))
        if kind in ("container_audio-only", "container_print-only"):
            return _Only(kind.removeprefix("container_").removesuffix("-only"), self.blocks(node.children))
        if kind == "hr":
            return None
        if kind in ("html_block",):
            if not ACCEPT_RE.fullmatch(node.content.strip()):
                self.error(node, _NO_HTML)
            return None
        if kind in ("code_block", "fence"):
            self.error(node, "code blocks are not supported (an indented line of 4+ spaces makes one)")
            return None
        self.error(node, f"unsupported Markdown element: {kind}")
        return None

    def item(self, node: SyntaxTreeNode) -> ListItem:
        blocks = list(self.blocks(node.children))
        checked = None
        if blocks and isinstance(blocks[0], Paragraph):
            first = blocks[0]
            lead = first.inlines[0] if first.inlines else None
            if isinstance(lead, Text) and (m := _TASK_RE.match(lead.text)):
                checked = m.group(1) != " "
                rest = (Text(lead.text[m.end() :]),) + first.inlines[1:]
                blocks[0] = Paragraph(rest, first.line)
        return ListItem(tuple(blocks), self.line(node), checked)

    def figure(self, node, inline, images) -> Figure | None:
        if len(images) > 1 or any(
            c.type != "image" and not (c.type in ("text", "softbreak") and not c.content.strip())
            for c in inline.children
        ):
            self.error(node, "put each image in a paragraph of its own")
            return None
        image = images[0]
        alt = image.content.strip()
        src = str(image.attrs.get("src", ""))
        if not alt:
            self.error(node, f"image '{src}' has no alt text: write ![what it shows]({src})")
            return None
        if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
            self.error(node, f"image '{src}' must be a file in the guide folder, not a URL")
            return None
        target = (self.path.parent / src).resolve()
        if not target.is_relative_to(self.folder.resolve()):
            self.error(node, f"image '{src}' is outside the guide folder")
            return None
        if not target.is_file():
            self.error(node, f"image file not found: {src}")
            return None
        if target.suffix.lower() not in IMAGE_TYPES:
            self.error(node, f"image '{src}' must be one of {', '.join(sorted(IMAGE_TYPES))}")
            return None
        return Figure(target, alt, self.line(node))

    def inlines(self, node: SyntaxTreeNode) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for child in node.children:
            kind = child.type
            if kind == "text":
                out.append(Text(child.content))
            elif kind == "softbreak":
                out.append(Text("\n"))  # kept so sentences can be traced to their line
            elif kind == "hardbreak":
                out.append(Break())
            elif kind in ("em", "strong"):
                out.append(Styled(kind, self.inlines(child)))
            elif kind == "link":
                out.append(Link(str(child.attrs.get("href", "")), self.inlines(child)))
            elif kind == "code_inline":
                out.append(Code(child.content))
            elif kind == "html_inline":
                if not ACCEPT_RE.fullmatch(child.content.strip()):
                    self.problems.append(Problem(_NO_HTML, self.path, self._inline_line(node)))
            elif kind == "image":
                self.problems.append(
                    Problem("put each image in a paragraph of its own", self.path, self._inline_line(node))
                )
            else:
                out.append(Text(child.content))
        return _merge_text(out)

    def _inline_line(self, node: SyntaxTreeNode) -> int | None:
        while node is not None and not node.map:
            node = node.parent
        return self.line(node) if node is not None else None


def _merge_text(nodes: list[Inline]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and not node.text:
            continue
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)


def _parse_markdown(body: str, path: Path, offset: int, folder: Path, problems: list[Problem]):
    tree = SyntaxTreeNode(_MD.parse(body))
    return _Parser(path, offset, folder, problems).blocks(tree.children)
