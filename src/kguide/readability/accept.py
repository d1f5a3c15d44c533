"""Inline acceptance of a finding, for the rare sentence that must stay as it is:

    <!-- kguide: accept long_sentence, plain_word -->

The comment accepts findings of the named rules in the paragraph (or list) it touches: the run
of non-blank source lines it sits in, so it may go on the line above, on the line below, or at
the end of a line of the paragraph. Print and audio leave it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..config import RULE_NAMES
from ..errors import GuideError, Problem
from ..guide import ACCEPT_RE
from .prose import SourceFile


@dataclass(frozen=True)
class Accept:
    path: Path
    line: int  # where the comment is
    rules: frozenset[str]
    first: int  # the source lines it covers
    last: int

    def covers(self, path: Path | None, line: int | None, rule: str) -> bool:
        return (
            path == self.path and line is not None and self.first <= line <= self.last and rule in self.rules
        )


def accepts(source: SourceFile) -> list[Accept]:
    """The accept comments of a section file; an unknown rule name is an input error."""
    text = "\n".join(source.lines)
    found = []
    problems = []
    for match in ACCEPT_RE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        names = frozenset(n for n in re.split(r"[\s,]+", match.group("rules")) if n)
        unknown = sorted(names - set(RULE_NAMES))
        if unknown:
            problems.append(
                Problem(
                    f"unknown rule '{unknown[0]}' in accept comment (known: {', '.join(RULE_NAMES)})",
                    source.path,
                    line,
                )
            )
            continue
        last_line = text.count("\n", 0, match.end()) + 1
        first, last = _run(source.lines, line, last_line)
        found.append(Accept(source.path, line, names, first, last))
    if problems:
        raise GuideError(problems)
    return found


def _run(lines: list[str], first: int, last: int) -> tuple[int, int]:
    """The run of non-blank lines (1-based, inclusive) around lines first..last."""
    while first > 1 and lines[first - 2].strip():
        first -= 1
    while last < len(lines) and lines[last].strip():
        last += 1
    return first, last
