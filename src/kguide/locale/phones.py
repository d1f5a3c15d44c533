"""Phone and service numbers in text: where they are, and the digit groups they are said in.

Phone numbers are found with `phonenumbers` for the locale's region, in any national or
international form. Its lenient level ("possible") is needed for the fictional numbers guides
use as examples ((555) 010-4477 is possible, not valid), but it also takes years and ranges
("2024-2025" in GB) for numbers: a number that is not valid is kept only when it is written in
the groups the region writes it in, in two groups or more. The locale's service numbers
("999", "116 123", "13 11 14") are found as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from .data import Locale

_DIGIT_RUN = re.compile(r"\d+")
_ENOUGH_DIGITS = re.compile(r"\d(?:\D{0,3}\d){2}")  # three digits close together


def phone_spans(text: str, locale: Locale) -> list[tuple[int, int]]:
    """(start, end) of every phone and service number in `text`, in order, none overlapping."""
    if not _ENOUGH_DIGITS.search(text):
        return []
    spans = [(m.start, m.end) for m in _phone_matches(text, locale.phone_region) if _looks_like_phone(m)]
    pattern = _service_pattern(locale.spoken_numbers)
    if pattern is not None:
        for m in pattern.finditer(text):
            if not any(start < m.end() and m.start() < end for start, end in spans):
                spans.append(m.span())
    return sorted(spans)


def _phone_matches(text: str, region: str):
    return phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE)


def _looks_like_phone(match) -> bool:
    number = match.number
    if phonenumbers.is_valid_number(number):
        return True
    written = _DIGIT_RUN.findall(match.raw_string)
    form = (
        phonenumbers.PhoneNumberFormat.INTERNATIONAL
        if match.raw_string.lstrip().startswith("+")
        else phonenumbers.PhoneNumberFormat.NATIONAL
    )
    return len(written) >= 2 and written == _DIGIT_RUN.findall(phonenumbers.format_number(number, form))


@lru_cache(maxsize=32)
def _service_pattern(numbers: tuple[str, ...]) -> re.Pattern | None:
    if not numbers:
        return None
    forms = sorted((r"[ \-]?".join(_DIGIT_RUN.findall(n)) for n in numbers), key=len, reverse=True)
    # not a group of a longer number: "1 000 000", "2.988", "988.5"
    return re.compile(r"(?<![\w+\-])(?<!\d[\s.,])(?:" + "|".join(forms) + r")(?![\w\-]|[\s.,]\d)")


def digit_groups(written: str, locale: Locale) -> tuple[bool, list[str]]:
    """(international, groups): how a number written as `written` is said, group by group.

    The groups are the ones it is written in; a number written as one long run of digits is
    grouped as its region writes it ("02079460000" -> 020 7946 0000)."""
    international = written.lstrip().startswith("+")
    groups = _DIGIT_RUN.findall(written)
    if len(groups) == 1 and len(groups[0]) >= 7:
        try:
            number = phonenumbers.parse(written, locale.phone_region)
        except phonenumbers.NumberParseException:
            return international, groups
        form = phonenumbers.PhoneNumberFormat
        formatted = phonenumbers.format_number(number, form.INTERNATIONAL if international else form.NATIONAL)
        if "".join(_DIGIT_RUN.findall(formatted)) == groups[0]:
            groups = _DIGIT_RUN.findall(formatted)
    return international, groups
