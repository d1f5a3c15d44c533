"""The EPUB's cover picture: the guide's title and the clinic's name, in large type, made here
as SVG (no font file needed: a reading app shows the text in its own sans-serif)."""

from __future__ import annotations

import textwrap
from html import escape

from ..locale.strings import strings_for

WIDTH, HEIGHT = 1200, 1800


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True) or [""]


def cover_svg(facts) -> str:
    title = _lines(facts.title, 18)
    clinic = _lines(facts.clinic.name, 26)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="cover-title">',
        f'<title id="cover-title">{escape(facts.title)}. {escape(facts.clinic.name)}.</title>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<rect width="{WIDTH}" height="80" fill="#0a3d91"/>',
        f'<rect y="{HEIGHT - 80}" width="{WIDTH}" height="80" fill="#0a3d91"/>',
        '<g font-family="Atkinson Hyperlegible, Verdana, Arial, sans-serif" fill="#111111">',
    ]
    y = 420
    for line in title:
        out.append(f'<text x="100" y="{y}" font-size="104" font-weight="700">{escape(line)}</text>')
        y += 130
    y += 120
    out.append(f'<rect x="100" y="{y - 90}" width="400" height="10" fill="#0a3d91"/>')
    for line in clinic:
        out.append(f'<text x="100" y="{y + 20}" font-size="64">{escape(line)}</text>')
        y += 84
    out.append(
        f'<text x="100" y="{HEIGHT - 180}" font-size="56">{escape(strings_for(facts.language).read_and_listen)}</text>'
    )
    out += ["</g>", "</svg>", ""]
    return "\n".join(out)
