"""The reading measures against outside references: the CMU dictionary's syllables, McLaughlin's
SMOG conversion table, published worked examples of the formulas, and GNU `style` (the Debian
package `diction`), an independent implementation, on a few texts.

Each reference is data under tests/data/readability/: adding a case means adding a file (or a
line of a table).
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from conftest import DATA

from kguide.readability.formulas import Figures, measure
from kguide.readability.syllables import _dictionary, fallback_syllables, syllables
from kguide.text import split_sentences

REFERENCES = DATA / "readability"


def _rows(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


# ---- syllables -------------------------------------------------------------------------------

CMU_ROWS = _rows(REFERENCES / "cmu_syllables.tsv")


@pytest.mark.parametrize("word, pronunciation, count", CMU_ROWS, ids=[r[0] for r in CMU_ROWS])
def test_syllables_agree_with_the_cmu_dictionary(word, pronunciation, count):
    # the listed pronunciation is the dictionary's shortest; its vowels carry stress digits
    assert sum(phone[-1].isdigit() for phone in pronunciation.split()) == int(count)
    assert syllables(word) == int(count)


def test_fallback_for_unknown_words_is_close_to_the_dictionary():
    """The spelling rules used for words the dictionary lacks, tried on every tenth dictionary
    word: exact for at least 85% of them and within one syllable for at least 99%."""
    lines = _dictionary().lines[::10]
    pairs = []
    for line in lines:
        word = line.partition(" ")[0]
        if re.fullmatch(r"[a-z]+", word):
            pairs.append((fallback_syllables(word), _dictionary().syllables(word)))
    exact = sum(a == b for a, b in pairs) / len(pairs)
    near = sum(abs(a - b) <= 1 for a, b in pairs) / len(pairs)
    assert len(pairs) > 10000
    assert exact >= 0.85 and near >= 0.99, (exact, near)


# ---- SMOG --------------------------------------------------------------------------------------

SMOG_ROWS = [tuple(int(v) for v in row) for row in _rows(REFERENCES / "smog_conversion.tsv")]


@pytest.mark.parametrize("low, high, grade", SMOG_ROWS, ids=[f"{r[0]}-{r[1]}" for r in SMOG_ROWS])
def test_smog_formula_matches_mclaughlins_conversion_table(low, high, grade):
    """McLaughlin's formula (1.0430 x sqrt(polysyllables x 30 / sentences) + 3.1291) against his
    table for 30 sentences: within 0.8 of the table's grade at the perfect square the row stands
    for, and within the table's stated 1.5 grades for every count in the row."""
    square = (grade - 3) ** 2
    assert low <= square <= high
    assert abs(Figures(30, 300, 450, square).smog_grade - grade) <= 0.8
    for count in range(low, high + 1):
        assert abs(Figures(30, 300, 450, count).smog_grade - grade) <= 1.5, count


# ---- published examples ------------------------------------------------------------------------

PUBLISHED = sorted((REFERENCES / "published").glob("*.toml"))


def _figures(case: dict) -> Figures:
    if "text" in case:
        return measure([s.text for s in split_sentences(case["text"])])
    if "words_per_sentence" in case:
        # averages only: scale them onto 1000 sentences, so the counts are whole
        words = round(case["words_per_sentence"] * 1000)
        return Figures(1000, words, round(case["syllables_per_word"] * words), 0)
    return Figures(case["sentences"], case["sentences"] * 10, case["sentences"] * 15, case["polysyllables"])


@pytest.mark.parametrize("path", PUBLISHED, ids=[p.stem for p in PUBLISHED])
def test_published_examples(path):
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    figures = _figures(case)
    for name, value in case["expected"].items():
        if name in ("sentences", "words", "syllables", "polysyllables"):
            assert getattr(figures, name) == value, name
        else:
            assert figures.value(name) == pytest.approx(value, abs=case["tolerance"]), name


# ---- GNU style --------------------------------------------------------------------------------

STYLE_TEXTS = sorted((REFERENCES / "style").glob("*.txt"))


def _style(path: Path) -> dict[str, float]:
    out = subprocess.run(["style", str(path)], capture_output=True, text=True, check=True).stdout
    found = {
        "flesch_kincaid_grade": r"Kincaid:\s*(-?[\d.]+)",
        "flesch_reading_ease": r"Flesch Index:\s*(-?[\d.]+)",
        "smog": r"SMOG-Grading:\s*(-?[\d.]+)",
        "words": r"(\d+) words,",
        "syllables_per_word": r"= ([\d.]+) syllables",
        "sentences": r"(\d+) sentences,",
    }
    return {name: float(re.search(pattern, out).group(1)) for name, pattern in found.items()}


@pytest.mark.skipif(shutil.which("style") is None, reason="GNU style not installed (apt-get install diction)")
@pytest.mark.parametrize("path", STYLE_TEXTS, ids=[p.stem for p in STYLE_TEXTS])
def test_agrees_with_gnu_style(path):
    """GNU style splits the same sentences and words, and uses the same Flesch-Kincaid and
    Flesch formulas, but counts syllables by spelling rules, which miss vowel pairs ("very" 1,
    "associated" 3, "reactions" 2) where kguide reads the CMU dictionary. So:

    - sentences and words: equal;
    - syllables per word: kguide's within 2% below and 12% above style's;
    - Flesch-Kincaid and Flesch reading ease: every difference is the syllable difference
      through the formula (11.8 and 84.6 points per syllable per word), give or take style's
      rounding to one and two decimals;
    - SMOG: style prints McLaughlin's simple form, 3 + sqrt(30 x polysyllables / sentences);
      computed from kguide's counts it is within 1.5 grades (the two count different words as
      polysyllables), the accuracy McLaughlin gives for his table.

    The texts have no colons (style drops the rest of a sentence after one), abbreviations or
    numbers, which the two treat differently on purpose.
    """
    theirs = _style(path)
    ours = measure([s.text for s in split_sentences(path.read_text(encoding="utf-8"))])
    assert (ours.sentences, ours.words) == (theirs["sentences"], theirs["words"])
    gap = ours.syllables_per_word - theirs["syllables_per_word"]
    assert -0.02 <= gap / theirs["syllables_per_word"] <= 0.12, gap
    assert abs(ours.flesch_kincaid_grade - theirs["flesch_kincaid_grade"]) <= 11.8 * abs(gap) + 0.15
    assert abs(ours.flesch_reading_ease - theirs["flesch_reading_ease"]) <= 84.6 * abs(gap) + 1.0
    simple_smog = 3 + math.sqrt(30 * ours.polysyllables / ours.sentences)
    assert abs(simple_smog - theirs["smog"]) <= 1.5
