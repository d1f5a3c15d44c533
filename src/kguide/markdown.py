"""Markdown sources -> the Guide model (model.py), read and parsed once per build.

Every section file is read here, once; its raw lines, accept comments and each block's line go
into the model, so no renderer or check opens a source file again. `{{ clinic.phone }}` and the
other documented fields become Placeholder nodes; nothing in a section is ever evaluated.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.container import container_plugin

from .config import GuideConfig
from .errors import GuideError, Problem
from .inputs import decode
from .limits import nesting_problems
from .model import (
    PLACEHOLDER_RE,
    TYPICAL_VALUES,
    Block,
    Break,
    Code,
    Figure,
    Heading,
    Inline,
    Link,
    ListBlock,
    ListItem,
    Note,
    Paragraph,
    Placeholder,
    Section,
    Styled,
    Text,
    field_values,
)
from .scan import ACCEPT_RE, NO_HTML, field_problems
from .scan import accepts as accept_comments

FRONT_MATTER_KEYS = {"title", "layout"}
LAYOUTS = ("questions", "glossary")  # sections the booklet lays out in a way of their own
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}


def _split_front_matter(lines: list[str], path: Path) -> tuple[dict, int]:
    """Return (front matter, number of source lines before the body)."""
    if not lines or lines[0].strip() != "---":
        raise GuideError(
            Problem("missing front matter: start the file with '---', 'title: ...', '---'", path, 1)
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            break
    else:
        raise GuideError(Problem("front matter is not closed with '---'", path, 1))
    raw = "\n".join(lines[1:index])
    try:
        meta = yaml.safe_load(raw) if raw.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc)
        raise GuideError(Problem(f"invalid YAML front matter: {reason}", path, line)) from None
    if not isinstance(meta, dict):
        raise GuideError(Problem("front matter must be 'key: value' lines", path, 2))
    return meta, index + 1


def decode_lines(data: bytes, path: Path) -> list[str]:
    """A section file's lines as text (a byte-order mark and CRLF line ends are accepted)."""
    return decode(data, path).splitlines()


def parse_section(
    path: Path, data: bytes, number: int, slug: str, folder: Path, config: GuideConfig
) -> Section:
    """Parse one section file (its bytes, read once) into the model."""
    lines = decode_lines(data, path)
    meta, offset = _split_front_matter(lines, path)
    problems = []
    for key in meta:
        if key not in FRONT_MATTER_KEYS:
            problems.append(
                Problem(
                    f"unknown front matter key '{key}' (known: {', '.join(sorted(FRONT_MATTER_KEYS))})",
                    path,
                    _meta_line(lines, key),
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
                _meta_line(lines, "layout"),
            )
        )
    problems += field_problems(lines, path)
    accepts = accept_comments(lines, offset, path, problems)
    body = "\n".join(lines[offset:]) + "\n"
    typical = {**TYPICAL_VALUES, **{k: v for k, v in field_values(config).items() if k.startswith("guide.")}}
    typical["clinic.phone"] = config.clinic.phone  # a number of the guide's locale: never scored
    blocks = _parse_markdown(body, path, offset, folder, problems, typical)
    problems.extend(nesting_problems(blocks, path))
    # Each medium's headings must run in order (headings may sit in print-only or audio-only).
    for problem in _heading_problems(_view(blocks, "print"), path) + _heading_problems(
        _view(blocks, "audio"), path
    ):
        if problem not in problems:
            problems.append(problem)
    if problems:
        raise GuideError(problems)
    role = {"questions": "questions", "glossary": "glossary"}.get(layout, "")
    print_blocks, audio_blocks = (_with_roles(_view(blocks, m), role) for m in ("print", "audio"))
    return Section(
        number, slug, title.strip(), path, print_blocks, audio_blocks, layout, tuple(lines), tuple(accepts)
    )


def _with_roles(blocks: tuple[Block, ...], role: str) -> tuple[Block, ...]:
    """Mark each list with what it is for: a checklist, or a list of glossary entries
    (`**Term**: meaning`), anywhere; else in a questions or glossary section, that section's kind;
    else a plain list."""
    out = []
    for block in blocks:
        if isinstance(block, ListBlock):
            entries = all(item.entry is not None for item in block.items)
            kind = "checklist" if block.is_checklist else "glossary" if entries else role
            items = tuple(ListItem(_with_roles(i.blocks, role), i.line, i.checked) for i in block.items)
            block = ListBlock(block.ordered, items, block.line, block.start, kind)
        elif isinstance(block, Note):
            block = Note(_with_roles(block.blocks, role), block.line)
        out.append(block)
    return tuple(out)


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


def _meta_line(lines: list[str], key: str) -> int | None:
    for number, line in enumerate(lines, start=1):
        if line.startswith(f"{key}:"):
            return number
    return None


class _Only:
    """Blocks for one medium only (`::: print-only` or `::: audio-only` in the source); split
    into the two views of a section when it loads, so no renderer ever sees this wrapper."""

    def __init__(self, medium: str, blocks: tuple):
        self.medium = medium  # "print" or "audio"
        self.blocks = blocks


def _view(blocks: tuple, medium: str) -> tuple[Block, ...]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, _Only):
            if block.medium == medium:
                out.extend(_view(block.blocks, medium))
        else:
            out.append(block)
    return tuple(out)


_MD = (
    MarkdownIt("commonmark").use(container_plugin, name="audio-only").use(container_plugin, name="print-only")
)
_TASK_RE = re.compile(r"^\[( |x|X)\]\s+")


class _Parser:
    def __init__(self, path: Path, offset: int, folder: Path, problems: list[Problem], typical: dict):
        self.typical = typical
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
                self.error(node, NO_HTML)
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
                # a field in a link target ([site](https://x.org/{{clinic.phone}})) survives
                # the reader's URL escaping, to be filled in per clinic
                href = str(child.attrs.get("href", "")).replace("%7B%7B", "{{").replace("%7D%7D", "}}")
                out.append(Link(href, self.inlines(child)))
            elif kind == "code_inline":
                out.append(Code(child.content))
            elif kind == "html_inline":
                if not ACCEPT_RE.fullmatch(child.content.strip()):
                    self.problems.append(Problem(NO_HTML, self.path, self._inline_line(node)))
            elif kind == "image":
                self.problems.append(
                    Problem("put each image in a paragraph of its own", self.path, self._inline_line(node))
                )
            else:
                out.append(Text(child.content))
        return self.fields(_merge_text(out))

    def fields(self, nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
        """Text nodes split at each `{{ clinic.phone }}` into text and Placeholder nodes."""
        out: list[Inline] = []
        for node in nodes:
            if not isinstance(node, Text) or "{{" not in node.text:
                out.append(node)
                continue
            pos = 0
            for m in PLACEHOLDER_RE.finditer(node.text):
                if m.group(1) in self.typical:
                    out += [
                        Text(node.text[pos : m.start()]),
                        Placeholder(m.group(1), self.typical[m.group(1)]),
                    ]
                    pos = m.end()
            out.append(Text(node.text[pos:]))
        return tuple(n for n in out if not (isinstance(n, Text) and not n.text))

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


def _parse_markdown(body: str, path: Path, offset: int, folder: Path, problems: list[Problem], typical: dict):
    tree = SyntaxTreeNode(_MD.parse(body))
    return _Parser(path, offset, folder, problems, typical).blocks(tree.children)
