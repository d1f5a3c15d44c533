"""Written text -> text an engine says right.

Applied only to what is spoken, never to print or the transcript. Phone numbers are read digit
by digit in groups; short emergency numbers digit by digit; initialisms letter by letter; a few
abbreviations in full.
"""

from __future__ import annotations

import re

from ..readability.syllables import number_words

DIGITS = "zero one two three four five six seven eight nine".split()

# Written form -> spoken form. Whole words only, case-sensitive.
DEFAULT_LEXICON = {
    "IV": "I V",
    "IVs": "I Vs",
    "PTSD": "P T S D",
    "OCD": "O C D",
    "ER": "E R",
    "ID": "I D",
    "e.g.": "for example",
    "i.e.": "that is",
    "a.m.": "A M",
    "p.m.": "P M",
    "mg": "milligrams",
    "US": "U S",
    "etc.": "and so on",
}

_PHONE = re.compile(r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b|\b\d{3}-\d{4}\b")
_SHORT_CODE = re.compile(r"\b(911|988|711|411|311|211)\b")
_URL = re.compile(r"\b(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:org|com|net|gov|edu|health)(?:/[\w/.-]*)?", re.I)


def _digits(text: str) -> str:
    return " ".join(DIGITS[int(d)] for d in text if d.isdigit())


def _phone(match: re.Match) -> str:
    groups = re.findall(r"\d+", match.group())
    return ", ".join(_digits(g) for g in groups)


def _url(match: re.Match) -> str:
    url = re.sub(r"^https?://", "", match.group())
    return url.replace(".", " dot ").replace("/", " slash ").replace("-", " dash ")


def _lexicon_pattern(lexicon: dict[str, str]) -> re.Pattern:
    keys = sorted(lexicon, key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w])")


_DEFAULT_PATTERN = _lexicon_pattern(DEFAULT_LEXICON)


def speakable(text: str) -> str:
    text = " ".join(text.split())
    text = _PHONE.sub(_phone, text)
    text = _SHORT_CODE.sub(lambda m: _digits(m.group()), text)
    text = _URL.sub(_url, text)
    text = _DEFAULT_PATTERN.sub(lambda m: DEFAULT_LEXICON[m.group()], text)
    # Ranges read as words: "40 to 60" is fine, "40-60" becomes "40 to 60".
    text = re.sub(r"\b(\d+)\s*[-\u2013]\s*(\d+)\b", r"\1 to \2", text)
    return text


__all__ = ["DEFAULT_LEXICON", "speakable", "number_words"]
