"""Spanish spoken forms: what a Spanish guide's text becomes before a voice says it.

Every number is given as Spanish words ("45" -> "cuarenta y cinco"), clock times with the part
of the day ("8 a. m." -> "ocho de la mañana", "5:30 p. m." -> "cinco y treinta de la tarde"),
decimals with "punto" and percentages with "por ciento", so the script itself shows what is
said and no engine falls back on English number rules. Phone and service numbers are read
digit by digit before this (spoken.py), web addresses with "punto" and "barra".
"""

from __future__ import annotations

import re

from ..text import apocope_es, digits, number_words

# "8 a.m.", "8 a. m.", "8:30 p. m.", "8 AM": the hour, minutes, and a or p.
_TIME = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*([aApP])\.?\s?[mM]\.?(?!\w)")
_CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})\b")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_DECIMAL = re.compile(r"\b(\d+)([.,])(\d+)\b")
_PERCENT = re.compile(r"(\d)\s*%")
_NUMBER = re.compile(r"\b\d+\b")
_SENTENCE_NEXT = re.compile(r"\s+[¿¡]?[A-ZÁÉÍÓÚÑ]")
_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")
# Nouns ending in -a that are masculine: "un día", not "una día".
_MASCULINE_A = frozenset(
    {"día", "días", "mapa", "mapas", "problema", "problemas", "programa", "tema", "sistema"}
)


def _hour(hour: int) -> str:
    """An hour of the clock: "la una", so "una", never "uno"."""
    words = number_words(str(hour), language="es")
    return words[:-1] + "a" if words.endswith("uno") else words


def _part_of_day(hour: int, pm: bool) -> str:
    if not pm:
        return "de la medianoche" if hour == 12 else "de la mañana"
    if hour == 12:
        return "del mediodía"
    return "de la tarde" if hour < 7 else "de la noche"


def _time(match: re.Match) -> str:
    hour = int(match.group(1))
    minutes = int(match.group(2) or 0)
    said = _hour(hour)
    if minutes:
        said += " y " + number_words(str(minutes), language="es")
    said += " " + _part_of_day(hour, match.group(3).lower() == "p")
    # "a las 8 a. m. Traiga...": the stop after "m." also ended the sentence
    if match.group().endswith(".") and _SENTENCE_NEXT.match(match.string, match.end()):
        said += "."
    return said


def _clock(match: re.Match) -> str:
    hour, minutes = int(match.group(1)), int(match.group(2))
    if hour > 23 or minutes > 59:
        return match.group()
    said = _hour(hour)
    return said + (" y " + number_words(str(minutes), language="es") if minutes else "")


def _number(match: re.Match) -> str:
    """A whole number as words; before a noun, "uno" becomes "un" or "una" ("una hora")."""
    words = number_words(match.group(), language="es")
    if not words.endswith("uno"):
        return words
    following = _NEXT_WORD.match(match.string, match.end())
    if following is None:
        return words
    noun = following.group(1).lower()
    if noun.endswith(("a", "as")) and noun not in _MASCULINE_A:
        return words[:-1] + "a"
    return apocope_es(words)


def spoken_times(text: str) -> str:
    """Clock times as Spanish words, before the lexicon (whose "a. m." stands alone)."""
    return _CLOCK.sub(_clock, _TIME.sub(_time, text))


def spoken_numbers(text: str) -> str:
    """Decimals, percentages and whole numbers as Spanish words, after the lexicon (whose
    patterns may look for digits)."""
    text = _PERCENT.sub(r"\1 por ciento", text)
    text = _THOUSANDS.sub("", text)  # "1,000"
    text = _DECIMAL.sub(_decimal, text)
    return _NUMBER.sub(_number, text)


def _decimal(match: re.Match) -> str:
    whole, mark, after = match.groups()
    point = "punto" if mark == "." else "coma"
    # "2.05" is "dos punto cero cinco": a leading zero after the point is said
    said = number_words(after, language="es") if after[0] != "0" else digits(after, language="es")
    return f"{number_words(whole, language='es')} {point} {said}"
