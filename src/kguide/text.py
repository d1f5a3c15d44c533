"""Text knowledge shared by the reading check and the narration: sentences, words, numbers,
phone numbers and service numbers.

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

DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
# Three-digit service numbers (911, 988, 211...) are said digit by digit, never "nine eleven".
SERVICE_NUMBERS = frozenset({"211", "311", "411", "511", "711", "811", "911", "988"})
SERVICE_RE = re.compile(r"\b(" + "|".join(sorted(SERVICE_NUMBERS)) + r")\b")
PHONE_RE = re.compile(r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b|\b\d{3}-\d{4}\b")
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+\b", re.IGNORECASE)
WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['\u2019\-][A-Za-z0-9]+)*")
_END = re.compile(r"([.!?]+)([\"'\u201d\u2019)\]]*)(\s+)")


def _spanish(language: str) -> bool:
    return language.lower().split("-")[0] == "es"


def digits(text: str, *, language: str = "en-US") -> str:
    """The digits of `text` as words, one by one: "988" -> "nine eight eight" ("nueve ocho
    ocho" in Spanish). In a language with no digit names here, the digits themselves, spaced,
    for the voice to say in its own language: never English words in another language."""
    if language.lower().split("-")[0] not in ("en", "es"):
        return " ".join(d for d in text if d.isdigit())
    names = DIGITS_ES if _spanish(language) else DIGITS
    return " ".join(names[int(d)] for d in text if d.isdigit())


def number_words(number: str, *, language: str = "en-US") -> str:
    """Words for a written whole number: "45" -> "forty five" ("cuarenta y cinco" in Spanish).
    Service numbers and numbers of a million or more (and any with a leading zero) are read
    digit by digit."""
    if number in SERVICE_NUMBERS or len(number) > 6 or (len(number) > 1 and number[0] == "0"):
        return digits(number, language=language)
    return _words_es(int(number)) if _spanish(language) else _words(int(number))


def _words(n: int) -> str:
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return _TEENS[n - 10]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + DIGITS[n % 10])
    if n < 1000:
        rest = n % 100
        return DIGITS[n // 100] + " hundred" + ("" if rest == 0 else " " + _words(rest))
    rest = n % 1000
    return _words(n // 1000) + " thousand" + ("" if rest == 0 else " " + _words(rest))


DIGITS_ES = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"]
# 10 to 29 are one word each in Spanish ("dieciséis", "veintitrés").
_UNDER_30_ES = [
    "diez",
    "once",
    "doce",
    "trece",
    "catorce",
    "quince",
    "dieciséis",
    "diecisiete",
    "dieciocho",
    "diecinueve",
    "veinte",
    "veintiuno",
    "veintidós",
    "veintitrés",
    "veinticuatro",
    "veinticinco",
    "veintiséis",
    "veintisiete",
    "veintiocho",
    "veintinueve",
]
_TENS_ES = ["", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"]
_HUNDREDS_ES = [
    "",
    "ciento",
    "doscientos",
    "trescientos",
    "cuatrocientos",
    "quinientos",
    "seiscientos",
    "setecientos",
    "ochocientos",
    "novecientos",
]


def _words_es(n: int) -> str:
    if n < 10:
        return DIGITS_ES[n]
    if n < 30:
        return _UNDER_30_ES[n - 10]
    if n < 100:
        return _TENS_ES[n // 10] + ("" if n % 10 == 0 else " y " + DIGITS_ES[n % 10])
    if n < 1000:
        rest = n % 100
        if n == 100:
            return "cien"
        return _HUNDREDS_ES[n // 100] + ("" if rest == 0 else " " + _words_es(rest))
    thousands, rest = divmod(n, 1000)
    # "mil", not "uno mil"; "veintiún mil", not "veintiuno mil"
    head = "mil" if thousands == 1 else apocope_es(_words_es(thousands)) + " mil"
    return head + ("" if rest == 0 else " " + _words_es(rest))


def apocope_es(words: str) -> str:
    """A Spanish number said before a noun: "uno" -> "un", "veintiuno" -> "veintiún"."""
    if words.endswith("veintiuno"):
        return words[: -len("veintiuno")] + "veintiún"
    if words == "uno" or words.endswith(" uno"):
        return words[:-1]
    return words


@dataclass(frozen=True)
class Span:
    """A sentence: its text and its start offset in the block's text."""

    text: str
    start: int


def scrub(text: str) -> str:
    """Blank out what is not prose (URLs, e-mail, phone numbers), keeping offsets."""
    text = _URL.sub(lambda m: " " * len(m.group()), text)
    return PHONE_RE.sub(lambda m: " " * len(m.group()), text)


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
