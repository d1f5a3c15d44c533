"""Words and sentences of plain text, for scoring.

Sentence ends are ". ! ?" followed by space and a new sentence, except after known
abbreviations ("Dr.", "e.g.") and inside numbers ("2.5"). Each list item is scored as its own
sentence by the caller, so an item without a full stop still counts as one. URLs, e-mail
addresses and phone numbers are not words for scoring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations that never end a sentence when followed by more text.
ABBREVIATIONS = {
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "st",
    "vs",
    "e.g",
    "i.e",
    "approx",
    "no",
    "fig",
    "mt",
    "jr",
    "sr",
    "dept",
    "ave",
    "inc",
    "ltd",
    "cf",
}
# Abbreviations that end a sentence only when a capitalised word follows.
TIME_ABBREVIATIONS = {"a.m", "p.m", "u.s", "etc"}

_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+\b", re.IGNORECASE)
_PHONE = re.compile(r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b|\b\d{3}-\d{4}\b")
WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['\u2019\-][A-Za-z0-9]+)*")
_END = re.compile(r"([.!?]+)([\"'\u201d\u2019)\]]*)(\s+)")


@dataclass(frozen=True)
class Span:
    """A sentence: its text and its start offset in the block's text."""

    text: str
    start: int


def scrub(text: str) -> str:
    """Blank out what is not prose (URLs, e-mail, phone numbers), keeping offsets."""
    text = _URL.sub(lambda m: " " * len(m.group()), text)
    return _PHONE.sub(lambda m: " " * len(m.group()), text)


def words(text: str) -> list[str]:
    """Word tokens of prose: URLs, e-mail addresses and phone numbers do not count."""
    return WORD_RE.findall(scrub(text))


def word_spans(text: str) -> list[re.Match]:
    """The words of `words(text)` as matches, whose offsets are offsets in `text`."""
    return list(WORD_RE.finditer(scrub(text)))


def split_sentences(text: str) -> list[Span]:
    """Split a block of prose into sentences, keeping each one's start offset."""
    spans: list[Span] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end(2)
        if not _is_boundary(text, match):
            continue
        _add(spans, text, start, end)
        start = match.end()
    _add(spans, text, start, len(text))
    return spans


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped and WORD_RE.search(stripped):
        spans.append(Span(stripped, start + (len(chunk) - len(chunk.lstrip()))))


def _is_boundary(text: str, match: re.Match) -> bool:
    if match.group(1) != ".":
        return True  # "!" "?" "..." end a sentence
    before = text[: match.start()]
    token = re.search(r"([A-Za-z.]+)$", before)
    following = text[match.end() : match.end() + 1]
    if token:
        word = token.group(1).lower()
        if word in ABBREVIATIONS:
            return False
        if word in TIME_ABBREVIATIONS:
            return following.isupper()
    # a lower-case word after "." continues the sentence
    return not (following and following.islower())
