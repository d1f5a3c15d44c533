"""Bounds on the work one guide can ask for, each with a message naming the file and line.

A real guide is far below every one: sections of a few KB, lists nested two deep, lexicon
patterns like `\\bRm (\\d+)`. The limits stop a mistaken or hostile file from hanging a build or
filling memory. File sizes are bounded where files are read (inputs.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import regex

from .errors import GuideError, Problem

try:  # the regular-expression parser of the standard library (Python 3.11 and later)
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10 and older
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

MAX_NESTING = 4  # lists and notes inside one another
PATTERN_SECONDS = 1.0  # the most one lexicon pattern may take on one sentence


class UnsafePattern(ValueError):
    """A valid pattern that kguide will not run."""


_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT)}


# ---- nesting ------------------------------------------------------------------------------


def nesting_problems(blocks, path: Path) -> list[Problem]:
    """Lists and notes nested more than MAX_NESTING deep, one problem per top-level block."""
    problems = []
    for block in blocks:
        line = _too_deep((block,), 0)
        if line is not None:
            problems.append(
                Problem(
                    f"lists and notes are nested more than {MAX_NESTING} deep here; "
                    "a reader follows two levels at most",
                    path,
                    line,
                )
            )
    return problems


def _too_deep(blocks, depth: int) -> int | None:
    """The line of the first list or note past the limit, or None."""
    for block in blocks:
        items = getattr(block, "items", None)
        if items is not None or type(block).__name__ == "Note":
            if depth + 1 > MAX_NESTING:
                return block.line
            inner = [b for item in items for b in item.blocks] if items is not None else block.blocks
            if (line := _too_deep(inner, depth + 1)) is not None:
                return line
        elif isinstance(getattr(block, "blocks", None), tuple):  # print-only / audio-only
            line = _too_deep(block.blocks, depth)
            if line is not None:
                return line
    return None


# ---- lexicon patterns ---------------------------------------------------------------------


def compile_pattern(source: str) -> regex.Pattern:
    """A lexicon pattern, refused when it repeats a repetition (`(a+)+`), which can take time
    that grows exponentially with the text; run with a time limit (see `substitute`)."""
    parsed = _sre_parse.parse(source)  # raises re.error for a pattern that is not valid
    if _nested_repeat(parsed.data if hasattr(parsed, "data") else parsed, False):
        raise UnsafePattern(
            "it repeats something that is itself repeated (like '(a+)+'), which can take "
            "very long: repeat it once"
        )
    try:
        return regex.compile(source, flags=regex.VERSION0)
    except regex.error as exc:
        raise re.error(str(exc)) from None


def _nested_repeat(items, inside: bool) -> bool:
    for op, arg in items:
        if op in _REPEATS:
            low, high, sub = arg
            repeats = high is _sre.MAXREPEAT or high > 1
            if repeats and inside:
                return True
            if _nested_repeat(_items(sub), inside or repeats):
                return True
        elif op is _sre.SUBPATTERN:
            if _nested_repeat(_items(arg[-1]), inside):
                return True
        elif op is _sre.BRANCH:
            if any(_nested_repeat(_items(branch), inside) for branch in arg[1]):
                return True
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT) and _nested_repeat(_items(arg[1]), inside):
            return True
    return False


def _items(sub):
    return sub.data if hasattr(sub, "data") else sub


def substitute(pattern: regex.Pattern, replacement: str, text: str) -> str:
    """`pattern.sub` with a time limit: a pattern too slow for its text is an input error."""
    try:
        return pattern.sub(replacement, text, timeout=PATTERN_SECONDS)
    except TimeoutError:
        raise GuideError(
            Problem(
                f"lexicon pattern {pattern.pattern!r} took more than {PATTERN_SECONDS:g} s on "
                f"{text[:60]!r}: make it simpler"
            )
        ) from None
