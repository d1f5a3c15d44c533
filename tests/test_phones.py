"""Phone numbers in any common national or international form: found for the locale's region
(with phonenumbers), never scored as words by the reading check, and read digit by digit in
the groups they are written in."""

from __future__ import annotations

import pytest
from conftest import GUIDES, run_kguide

from kguide.locale.data import resolve
from kguide.narration.spoken import default_lexicon, speakable
from kguide.text import phone_spans, words


def _said(text: str, tag: str) -> str:
    lexicon = default_lexicon()
    return speakable(text, type(lexicon)(locale=resolve(tag)))


FORMS = [
    ("en-US", "(555) 010-4477"),
    ("en-US", "555-0100"),
    ("en-US", "+1 555 010 4477"),
    ("en-US", "1-800-555-0199"),
    ("en-GB", "020 7946 0000"),
    ("en-GB", "+44 20 7946 0000"),
    ("en-IE", "01 234 5678"),
    ("en-AU", "(02) 9876 5432"),
    ("es-MX", "55 1234 5678"),
    ("es-ES", "912 345 678"),
    ("en-US", "+44 20 7946 0000"),  # an international number in any locale
    ("en-GB", "116 123"),  # the locale's service numbers, as written
    ("en-AU", "13 11 14"),
    ("es-MX", "800 911 2000"),
]


@pytest.mark.parametrize("tag, number", FORMS, ids=[f"{t}:{n}" for t, n in FORMS])
def test_a_phone_number_is_found_whole_in_a_sentence(tag, number):
    sentence = f"If you feel ill, call {number} at any time."
    assert [sentence[a:b] for a, b in phone_spans(sentence, language=tag)] == [number]
    assert words(sentence, language=tag) == ["If", "you", "feel", "ill", "call", "at", "any", "time"]


@pytest.mark.parametrize("tag", ["en-US", "en-GB", "en-AU", "es-ES", "en-IE", "es-MX", "en-NZ"])
def test_years_ranges_and_doses_are_not_phone_numbers(tag):
    """phonenumbers' lenient level takes "2024-2025" for a UK number, and "000" (Australia's
    emergency number) is a group of "1 000 000": kguide takes neither."""
    sentence = "From 2024-2025, 1 in 1000 people took 10-12 mg, 20 30 40 50 times, since 1990."
    assert phone_spans(sentence, language=tag) == []
    other = "It costs $1,250,000: 120/80, 98.6, 24/7, Room 1204, 1 000 000 doses, 1 in 10 000, 2026-05-04."
    assert phone_spans(other, language=tag) == []
    assert "2024-2025" in words(sentence, language=tag) or "2024" in words(sentence, language=tag)


@pytest.mark.parametrize(
    "tag, text, said",
    [
        ("en-US", "Call (555) 010-4477.", "Call five five five, zero one zero, four four seven seven."),
        ("en-US", "Call 911 or 988.", "Call nine one one or nine eight eight."),
        ("en-GB", "Call 999.", "Call nine nine nine."),
        ("en-GB", "Call 116 123.", "Call one one six, one two three."),
        ("en-GB", "Ring 020 7946 0000.", "Ring zero two zero, seven nine four six, zero zero zero zero."),
        ("en-GB", "Ring 02079460000.", "Ring zero two zero, seven nine four six, zero zero zero zero."),
        (
            "en-GB",
            "From abroad, ring +44 20 7946 0000.",
            "From abroad, ring plus four four, two zero, seven nine four six, zero zero zero zero.",
        ),
        ("en-AU", "Call 000 or 13 11 14.", "Call zero zero zero or one three, one one, one four."),
        ("en-IE", "Call 112 or 999.", "Call one one two or nine nine nine."),
        ("en-US", "Take 999 steps.", "Take 999 steps."),  # not a US service number
    ],
)
def test_phone_and_service_numbers_are_read_digit_by_digit_in_groups(tag, text, said):
    assert _said(text, tag) == said


def test_uk_and_international_numbers_pass_the_reading_check():
    """On a build that scores them as words, the sentence with both numbers is "very hard"
    (grade 33) and the check fails."""
    result = run_kguide("check", str(GUIDES / "mini-gb"))
    assert result.code == 0, result.out + result.err
    assert "020 7946 0000" not in result.out


def test_the_reading_check_uses_the_guide_language(tmp_path):
    """The same guide as en-US: a UK national number is not a US phone number, so it is words."""
    import shutil

    folder = tmp_path / "mini-gb"
    shutil.copytree(GUIDES / "mini-gb", folder)
    toml = folder / "guide.toml"
    toml.write_text(
        toml.read_text()
        .replace('language = "en-GB"', 'language = "en-US"')
        .replace('phone = "020 7946 0000"', 'phone = "555-0100"')
    )
    result = run_kguide("check", str(folder))
    assert result.code == 1 and "02-after.md:6:1: error hard_sentence" in result.out, result.out
