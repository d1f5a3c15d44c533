"""Text knowledge shared by the reading check and the narration: sentences, words, numbers,
phone numbers and service numbers.

Sentence ends are ". ! ?" followed by space and a new sentence, except after known
abbreviations ("Dr.", "e.g."; in Spanish "Dra.", "Sra.", "p. ej.") and inside numbers ("2.5").
A Spanish question or exclamation opens with "¿" or "¡", which stays with its sentence. Words
are letters of any alphabet (accents and "ñ" included: "análisis" is one word) and digits. Each list item is scored as its own
sentence by the caller, so an item without a full stop still counts as one. URLs, e-mail
addresses, phone numbers and the locale's service numbers (emergency, crisis line) are not
words for scoring.

Phone numbers are found with `phonenumbers` for the locale's region, in any national or
international form ("020 7946 0000", "+44 20 7946 0000", "(555) 010-4477"); functions that need
the locale take `language` (the full tag, "en-GB") or a resolved `locale` (with the guide's and
clinic's overrides), which wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .locale import phones
from .locale.data import Locale, resolve
from .locale.strings import primary

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
# Spanish abbreviations, by the primary language subtag of a guide's language tag ("no" is not
# one: in Spanish it is the word that ends "Dígale que no.", and "núm." is the number sign).
LANGUAGE_ABBREVIATIONS = {
    "es": {
        "dr",
        "dra",
        "sr",
        "sra",
        "srta",
        "ud",
        "uds",
        "lic",
        "ing",
        "prof",
        "profa",
        "aprox",
        "núm",
        "pág",
        "tel",
        "tfno",
        "av",
        "avda",
        "ej",
        "p. ej",
        "p.ej",
        "dto",
        "ee",
        "vs",
        "cf",
    }
}
LANGUAGE_TIME_ABBREVIATIONS = {"es": {"a.m", "p.m", "etc", "ee.uu", "ee. uu"}}

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

_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+\b", re.IGNORECASE)
# A word: letters of any alphabet and digits ([^\W_]), joined by apostrophes or hyphens.
WORD_RE = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
_END = re.compile(r"([.!?]+)([\"'\u201d\u2019\u00bb)\]]*)(\s+)")


def _spanish(language: str) -> bool:
    return primary(language) == "es"


def digits(text: str, *, language: str = "en-US") -> str:
    """The digits of `text` as words, one by one: "988" -> "nine eight eight" ("nueve ocho
    ocho" in Spanish). In a language with no digit names here, the digits themselves, spaced,
    for the voice to say in its own language: never English words in another language."""
    if primary(language) not in ("en", "es"):
        return " ".join(d for d in text if d.isdigit())
    names = DIGITS_ES if _spanish(language) else DIGITS
    return " ".join(names[int(d)] for d in text if d.isdigit())


def number_words(number: str, *, language: str = "en-US") -> str:
    """Words for a written whole number: "45" -> "forty five" ("cuarenta y cinco" in Spanish).
    The locale's service numbers ("911", "999") and numbers of a million or more (and any with
    a leading zero) are read digit by digit."""
    if number in service_digits(language) or len(number) > 6 or (len(number) > 1 and number[0] == "0"):
        return digits(number, language=language)
    return _words_es(int(number)) if _spanish(language) else _words(int(number))


@lru_cache(maxsize=32)
def service_digits(language: str) -> frozenset[str]:
    return frozenset(re.sub(r"\D", "", n) for n in resolve(language).spoken_numbers)


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


def scrub(text: str, *, language: str = "en-US", locale: Locale | None = None) -> str:
    """Blank out what is not prose (URLs, e-mail, phone and service numbers), keeping offsets."""
    text = _URL.sub(lambda m: " " * len(m.group()), text)
    for start, end in reversed(phone_spans(text, language=language, locale=locale)):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def phone_spans(text: str, *, language: str = "en-US", locale: Locale | None = None) -> list[tuple[int, int]]:
    """(start, end) of each phone number and service number of `text`, for the locale of
    `language` (or `locale`, with its overrides)."""
    return phones.phone_spans(text, locale or resolve(language))


def phone_groups(written: str, *, language: str = "en-US", locale: Locale | None = None) -> list[str]:
    """The digit groups a phone or service number is said in, digit by digit, group by group:
    "+44 20 7946 0000" -> ["+44", "20", "7946", "0000"] (the "+" marks the country code)."""
    international, groups = phones.digit_groups(written, locale or resolve(language))
    if international and groups:
        groups[0] = "+" + groups[0]
    return groups


def words(text: str, *, language: str = "en-US") -> list[str]:
    """Word tokens of prose: URLs, e-mail addresses and phone numbers do not count."""
    return WORD_RE.findall(scrub(text, language=language))


def word_spans(text: str, *, language: str = "en-US") -> list[re.Match]:
    """The words of `words(text)` as matches, whose offsets are offsets in `text`."""
    return list(WORD_RE.finditer(scrub(text, language=language)))


def split_sentences(text: str, *, language: str = "en-US") -> list[Span]:
    """Split a block of prose into sentences, keeping each one's start offset."""
    spans: list[Span] = []
    start = 0
    abbreviations = LANGUAGE_ABBREVIATIONS.get(primary(language), ABBREVIATIONS)
    times = LANGUAGE_TIME_ABBREVIATIONS.get(primary(language), TIME_ABBREVIATIONS)
    for match in _END.finditer(text):
        end = match.end(2)
        if not _is_boundary(text, match, abbreviations, times):
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


_TOKEN_BEFORE = re.compile(r"((?:[^\W\d_]+\.\s?)*[^\W\d_]+)$")


def _is_boundary(text: str, match: re.Match, abbreviations=ABBREVIATIONS, times=TIME_ABBREVIATIONS) -> bool:
    if match.group(1) != ".":
        return True  # "!" "?" "..." end a sentence
    before = text[max(0, match.start() - 12) : match.start()]
    token = _TOKEN_BEFORE.search(before)
    following = text[match.end() : match.end() + 1]
    if token:
        # the whole dotted token ("p. ej", "e.g"), then its last part ("Dra")
        for word in (token.group(1).lower(), token.group(1).lower().rsplit(".", 1)[-1].strip()):
            if word in abbreviations:
                return False
            if word in times:
                return following.isupper()
    # a lower-case word after "." continues the sentence
    return not (following and following.islower())
