"""What was meant to be said against what the recognizer heard, compared fairly.

Both sides are brought to the same plain words before they are compared: case and punctuation
go, "a.m." is "am", hyphens split words, initialisms are read letter by letter ("IV" and "I.V."
are "i v"), a web address is read with "dot" and "slash", and numbers are words. A number can be
said as a number ("forty") or digit by digit ("nine eight eight"), and a recognizer may write
either as digits, so each side is tried both ways and the closer reading counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import digits, number_words

_INITIALS_DOTTED = re.compile(r"\b(?:[A-Z]\.){2,}")
_INITIALISM = re.compile(r"\b[A-Z]{2,5}s?\b")
_NUMBER = re.compile(r"\d+")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[A-Za-z])|(?<=[A-Za-z])(?=\d)")
_ADDRESS_DOT = re.compile(r"(?<=[a-z0-9])\.(?=[a-z0-9])", re.I)
# Words a recognizer spells its own way that mean the same.
_SAME = {"okay": "ok", "alright": "all right", "www": "w w w", "percent": "per cent", "%": " per cent"}


@dataclass(frozen=True)
class Comparison:
    """One sentence compared: the words meant and heard (normalised), the word errors (edits)."""

    said: tuple[str, ...]
    heard: tuple[str, ...]
    errors: int

    @property
    def words(self) -> int:
        return len(self.said)

    @property
    def word_error(self) -> float:
        return self.errors / self.words if self.words else float(bool(self.heard))


def _initials(match: re.Match) -> str:
    word = match.group()
    plural = word.endswith("s") and word[:-1].isupper()
    letters = word[:-1] if plural else word
    return " " + " ".join(letters.lower()) + ("s" if plural else "") + " "


def _prepare(text: str) -> str:
    """Everything except numbers: those are read in words() one way or the other."""
    text = text.replace("\u2019", "'").replace("\u2013", " ").replace("\u2014", " ")
    text = _INITIALS_DOTTED.sub(lambda m: m.group().replace(".", ""), text)
    text = re.sub(r"\b([ap])\.m\.", r"\1m", text, flags=re.I)
    text = _INITIALISM.sub(_initials, text)
    text = _ADDRESS_DOT.sub(" dot ", text)
    text = text.replace("/", " slash ").replace("%", " percent ").replace("&", " and ")
    text = _DIGIT_LETTER.sub(" ", text.lower())
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)  # 1,000
    text = re.sub(r"[^a-z0-9' ]+", " ", text).replace("'", "")
    for word, same in _SAME.items():
        text = re.sub(rf"\b{re.escape(word)}\b", same, text)
    return text


def words(text: str, by_digit: bool) -> tuple[str, ...]:
    """The plain words of `text`; numbers said as numbers, or digit by digit when `by_digit`."""
    read = digits if by_digit else number_words
    spelled = _NUMBER.sub(lambda m: f" {read(m.group())} ", _prepare(text))
    return tuple(spelled.replace("-", " ").split())


def edits(said: tuple[str, ...], heard: tuple[str, ...]) -> int:
    """Word-level Levenshtein distance: substitutions, deletions and insertions."""
    previous = list(range(len(heard) + 1))
    for i, word in enumerate(said, start=1):
        current = [i]
        for j, other in enumerate(heard, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other)))
        previous = current
    return previous[-1]


def compare(said: str, heard: str) -> Comparison:
    """The closest of the readings of both sides (numbers as numbers or digit by digit)."""
    best = None
    for said_digits in (False, True):
        for heard_digits in (False, True):
            a, b = words(said, said_digits), words(heard, heard_digits)
            found = Comparison(a, b, edits(a, b))
            if best is None or found.errors < best.errors:
                best = found
    assert best is not None
    return best


def split_heard(said: list[str], heard: list[str]) -> list[int]:
    """Which of the sentences `said` (spoken one after another) each heard word belongs to.

    The words heard in a run of sentences are aligned with the words said (an edit-distance
    alignment on the plain words); each heard word goes to the sentence of the word it lines up
    with, a word heard in addition to the sentence before it."""
    ref = [(i, w) for i, text in enumerate(said) for w in words(text, False)]
    hyp = [(j, w) for j, text in enumerate(heard) for w in words(text, False)]
    n, m = len(ref), len(hyp)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            same = ref[i - 1][1] == hyp[j - 1][1]
            cost[i][j] = min(cost[i - 1][j] + 1, cost[i][j - 1] + 1, cost[i - 1][j - 1] + (not same))
    owner: dict[int, int] = {}  # heard token -> sentence
    i, j = n, m
    while j > 0:
        if i > 0 and cost[i][j] == cost[i - 1][j - 1] + (ref[i - 1][1] != hyp[j - 1][1]):
            owner[j - 1] = ref[i - 1][0]
            i, j = i - 1, j - 1
        elif i > 0 and cost[i][j] == cost[i - 1][j] + 1:
            i -= 1
        else:  # a word heard in addition: the sentence said just before it
            owner[j - 1] = ref[i - 1][0] if i > 0 else 0
            j -= 1
    sentence_of = [0] * len(heard)
    last = 0
    first_token = {}
    for k, (j, _) in enumerate(hyp):
        first_token.setdefault(j, k)
    for j in range(len(heard)):
        if j in first_token:
            last = owner[first_token[j]]
        sentence_of[j] = last
    return sentence_of
