"""Inline content (the guide model's Text, Styled, Link, Code, Break) for the read-along: its
plain text, a key of its letters and digits for matching spoken text, slices of it at sentence
boundaries, and HTML/XHTML for it."""

from __future__ import annotations

from html import escape

from .. import model


def plain(inlines: tuple) -> str:
    """The words, a line break as a space: the offsets used by `key_map` and `slice_inlines`."""
    return model.plain_text(inlines, " ")


def key_map(inlines: tuple) -> tuple[str, list[int]]:
    """Letters and digits only, lower case, and each one's offset in `plain(inlines)`."""
    text = plain(inlines)
    keys, offsets = [], []
    for offset, char in enumerate(text):
        if char.isalnum():
            keys.append(char.lower())
            offsets.append(offset)
    return "".join(keys), offsets


def slice_inlines(inlines: tuple, start: int, end: int) -> tuple:
    """The inline content between two offsets of its plain text, markup kept, with the
    white space at either end left out."""
    text = plain(inlines)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return _slice(inlines, start, end)[0]


def _length(node) -> int:
    return len(plain((node,)))


def _slice(inlines: tuple, start: int, end: int, at: int = 0) -> tuple[tuple, int]:
    out = []
    for node in inlines:
        size = _length(node)
        lo, hi = max(start - at, 0), min(end - at, size)
        if lo < hi:
            if isinstance(node, model.Text):
                out.append(model.Text(node.text[lo:hi]))
            elif isinstance(node, model.Code):
                out.append(model.Code(node.text[lo:hi]))
            elif isinstance(node, model.Break):
                out.append(node)
            elif isinstance(node, model.Styled):
                out.append(model.Styled(node.style, _slice(node.children, start, end, at)[0]))
            elif isinstance(node, model.Link):
                out.append(model.Link(node.href, _slice(node.children, start, end, at)[0]))
        at += size
    return tuple(out), at


TAGS = {"em": "em", "strong": "strong"}


def to_html(inlines: tuple, links: bool = True) -> str:
    """HTML (also well-formed XHTML) for inline content; soft line breaks are spaces."""
    out = []
    for node in inlines:
        if isinstance(node, model.Text):
            out.append(escape(node.text.replace("\n", " "), quote=False))
        elif isinstance(node, model.Code):
            out.append(f"<code>{escape(node.text, quote=False)}</code>")
        elif isinstance(node, model.Break):
            out.append("<br/>")
        elif isinstance(node, model.Styled):
            tag = TAGS.get(node.style, "span")
            out.append(f"<{tag}>{to_html(node.children, links)}</{tag}>")
        elif isinstance(node, model.Link):
            inner = to_html(node.children, links)
            if links and node.href:
                out.append(f'<a href="{escape(node.href)}">{inner}</a>')
            else:
                out.append(inner)
    return "".join(out)
