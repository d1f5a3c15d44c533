"""Reading-level measurement against values worked out by hand from the formulas' definitions
and the CMU Pronouncing Dictionary."""

from __future__ import annotations

import math

import pytest

from kguide.readability.formulas import Figures, measure, measure_sentence
from kguide.readability.syllables import fallback_syllables, syllables
from kguide.text import number_words, split_sentences, words

# Counts from the CMU dictionary (the fewest syllables among a word's pronunciations).
CMU_WORDS = [
    ("the", 1),
    ("cat", 1),
    ("fire", 1),
    ("every", 2),
    ("session", 2),
    ("nasal", 2),
    ("medicine", 3),
    ("therapy", 3),
    ("appointment", 3),
    ("anxiety", 4),
    ("dissociation", 5),
    ("PTSD", 4),
    ("don't", 1),
    ("nurse's", 2),
]


@pytest.mark.parametrize("word, count", CMU_WORDS)
def test_dictionary_syllables(word, count):
    assert syllables(word) == count


@pytest.mark.parametrize(
    "word, count",
    [
        ("ketamine", 3),  # not in the dictionary: vowel groups less the silent final e
        ("IV", 2),  # an initialism is read letter by letter
        ("40", 2),  # "forty"
        ("911", 3),  # a service number, said "nine one one"
        ("120", 5),  # "one hundred twenty"
        ("light-headed", 3),  # parts counted apart
        ("zzz", 3),  # no vowels, short: letters
    ],
)
def test_fallback_numbers_and_hyphens(word, count):
    assert syllables(word) == count


def test_fallback_rules():
    assert fallback_syllables("blorpe") == 1
    assert fallback_syllables("glimmerous") == 3
    assert fallback_syllables("a") == 1


def test_number_words():
    assert number_words("0") == "zero"
    assert number_words("45") == "forty five"
    assert number_words("120") == "one hundred twenty"
    assert number_words("2026") == "two thousand twenty six"
    assert number_words("911") == "nine one one"  # a service number, digit by digit
    assert number_words("0800") == "zero eight zero zero"
    long = "7" * 5000  # far past Python's limit for int(str): read digit by digit
    assert number_words(long) == " ".join(["seven"] * 5000)
    assert syllables(long) == 10000


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Call 911. Do it now!", ["Call 911.", "Do it now!"]),
        ("Dr. Lee will see you at 9 a.m. on Monday.", ["Dr. Lee will see you at 9 a.m. on Monday."]),
        ("Come at 9 a.m. Bring your ID.", ["Come at 9 a.m.", "Bring your ID."]),
        ("Take 2.5 mg. Then rest.", ["Take 2.5 mg.", "Then rest."]),
        ("Bring snacks, e.g. fruit or nuts. Rest.", ["Bring snacks, e.g. fruit or nuts.", "Rest."]),
        ("Is it safe? Yes. It is.", ["Is it safe?", "Yes.", "It is."]),
        ('She said "go home." Then she left.', ['She said "go home."', "Then she left."]),
        ("No end mark here", ["No end mark here"]),
    ],
)
def test_sentence_split(text, expected):
    assert [s.text for s in split_sentences(text)] == expected


def test_sentence_offsets_point_into_the_text():
    text = "One two.\nThree four five."
    spans = split_sentences(text)
    assert [text[s.start :].startswith(s.text) for s in spans] == [True, True]
    assert spans[1].start == 9


def test_urls_emails_and_phone_numbers_are_not_words():
    assert words("Call (555) 010-4477 or 555-0100, see www.example.org/a or mail a.b@example.org today") == [
        "Call",
        "or",
        "see",
        "or",
        "mail",
        "today",
    ]


def test_flesch_kincaid_and_ease_on_one_sentence():
    figures = measure_sentence("The cat sat on the mat.")
    assert (figures.words, figures.syllables, figures.polysyllables) == (6, 6, 0)
    assert figures.flesch_kincaid_grade == pytest.approx(0.39 * 6 + 11.8 * 1 - 15.59)  # -1.45
    assert figures.flesch_reading_ease == pytest.approx(206.835 - 1.015 * 6 - 84.6)  # 116.145
    assert figures.smog_grade == pytest.approx(3.1291)


def test_formulas_on_known_counts():
    # 30 sentences, 300 words, 450 syllables, 30 words of three or more syllables
    f = Figures(sentences=30, words=300, syllables=450, polysyllables=30)
    assert f.flesch_kincaid_grade == pytest.approx(6.01)
    assert f.flesch_reading_ease == pytest.approx(69.785)
    assert f.smog_grade == pytest.approx(1.0430 * math.sqrt(30) + 3.1291)  # 8.84
    # SMOG scales polysyllables to 30 sentences: 10 sentences with 10 polysyllables is the same
    assert Figures(10, 100, 150, 10).smog_grade == pytest.approx(f.smog_grade)


def test_measure_sums_sentences():
    f = measure(["Your visit is soon.", "Medicine helps anxiety."])
    # your(1) visit(2) is(1) soon(1) | medicine(3) helps(1) anxiety(4)
    assert (f.sentences, f.words, f.syllables, f.polysyllables) == (2, 7, 13, 2)


def test_dense_text_scores_far_harder_than_plain_text():
    dense = measure_sentence(
        "Prior to the administration of intravenous medication, individuals should ascertain "
        "that all concurrent pharmacological interventions have been communicated."
    )
    plain = measure_sentence("Before we give you the drug, tell us about all the pills you take.")
    assert dense.flesch_kincaid_grade > 18
    assert plain.flesch_kincaid_grade < 6
    assert dense.smog_grade > plain.smog_grade + 8
