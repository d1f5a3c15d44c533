"""Line scans of a section's source, before it is parsed: the fields written in braces (only the
documented ones are allowed, and nothing is ever evaluated) and the accept comments."""

from __future__ import annotations

import re
from pathlib import Path

from .config import RULE_NAMES
from .errors import Problem
from .model import PLACEHOLDER_NAMES, PLACEHOLDER_RE, Accept

_FIELD_RE = re.compile(r"\{\{(.*?)\}\}|\{\{|\{%")


def field_problems(lines: list[str], path: Path) -> list[Problem]:
    """Only the documented fields may be written in braces; nothing else is ever evaluated."""
    problems = []
    known = ", ".join("{{ " + n + " }}" for n in PLACEHOLDER_NAMES)
    for number, line in enumerate(lines, start=1):
        for m in _FIELD_RE.finditer(line):
            if m.group() == "{%":
                message = (
                    f"template tags ('{{%') are not allowed in a guide; the fields you can use are {known}"
                )
            elif m.group(1) is None:
                message = "'{{' is not closed with '}}' on this line"
            elif PLACEHOLDER_RE.fullmatch(m.group()) and m.group(1).strip() in PLACEHOLDER_NAMES:
                continue
            else:
                message = f"unknown field {m.group()!r} (known: {known})"
            problems.append(Problem(message, path, number, m.start() + 1))
    return problems


# The one HTML a guide may hold: an editor accepting a reading finding in the paragraph it sits
# in, above or below. Print and audio skip them; the reading check takes them from the model.
ACCEPT_RE = re.compile(r"<!--\s*kguide:\s*accept\s+(?P<rules>[\w\s,-]+?)\s*-->")
NO_HTML = "raw HTML is not allowed in a guide; use Markdown (the one comment allowed is <!-- kguide: accept RULE -->)"


def accepts(lines: list[str], offset: int, path: Path, problems: list[Problem]) -> list[Accept]:
    """The accept comments of a section; an unknown rule name is an input error."""
    text = "\n".join(lines)
    found = []
    for match in ACCEPT_RE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if line <= offset:
            continue
        names = frozenset(n for n in re.split(r"[\s,]+", match.group("rules")) if n)
        unknown = sorted(names - set(RULE_NAMES))
        if unknown:
            problems.append(
                Problem(
                    f"unknown rule '{unknown[0]}' in accept comment (known: {', '.join(RULE_NAMES)})",
                    path,
                    line,
                )
            )
            continue
        first, last = line, text.count("\n", 0, match.end()) + 1
        while first > 1 and lines[first - 2].strip():
            first -= 1
        while last < len(lines) and lines[last].strip():
            last += 1
        found.append(Accept(line, names, first, last))
    return found
