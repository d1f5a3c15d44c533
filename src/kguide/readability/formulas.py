"""Readability formulas on counted text.

Flesch-Kincaid grade (Kincaid et al. 1975):
    0.39 * words/sentences + 11.8 * syllables/words - 15.59
Flesch reading ease (Flesch 1948):
    206.835 - 1.015 * words/sentences - 84.6 * syllables/words
SMOG grade (McLaughlin 1969, the formula form, scaled to 30 sentences):
    1.0430 * sqrt(polysyllables * 30 / sentences) + 3.1291
A polysyllable is a word of three or more syllables.

Spanish:
Fernandez-Huerta (1959), in its corrected form:
    206.84 - 60 * syllables/words - 1.02 * words/sentences
    The 1959 paper writes L = 206.84 - 0.60 P - 1.02 F with P syllables per 100 words and F
    "sentences per 100 words", and many tools copy it so; but with F so, more (shorter)
    sentences would lower the score, the opposite of Flesch's formula it adapts. Law (2011,
    "Error in the Fernandez Huerta readability formula") and legible.es show that F must be the
    mean sentence length in words, as in Flesch's; kguide uses that corrected form.
INFLESZ (Barrio-Cantalejo et al. 2008): the Szigriszt-Pazos perspicuity (1993),
    206.835 - 62.3 * syllables/words - words/sentences,
    read on the INFLESZ scale: under 40 muy difícil, 40-55 algo difícil, 55-65 normal,
    65-80 bastante fácil, over 80 muy fácil.
A language with no formulas (READING_FORMULAS in config.py) is measured (words, sentences)
but never scored: English formulas are never applied to other languages.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ..config import READING_FORMULAS, reading_language
from ..text import words
from .syllables import fallback_syllables, syllables
from .syllables_es import spanish_syllables

FORMULAS = {
    "flesch_kincaid_grade": "Flesch-Kincaid grade",
    "smog_grade": "SMOG grade",
    "flesch_reading_ease": "Flesch reading ease",
    "fernandez_huerta": "Fernandez-Huerta",
    "inflesz": "INFLESZ",
}
# For these a higher value is easier to read, so a target is a minimum.
HIGHER_IS_EASIER = {"flesch_reading_ease", "fernandez_huerta", "inflesz"}
# The formula a single sentence is judged by (hard_sentence) and ranked by, per language.
SENTENCE_FORMULA = {"en": "flesch_kincaid_grade", "es": "inflesz"}
# The INFLESZ scale (Barrio-Cantalejo et al. 2008): (lowest score, band).
INFLESZ_SCALE = (
    (80, "muy fácil"),
    (65, "bastante fácil"),
    (55, "normal"),
    (40, "algo difícil"),
    (0, "muy difícil"),
)
# Fernandez-Huerta's scale (1959): (lowest score, band, school grade).
FERNANDEZ_HUERTA_SCALE = (
    (90, "muy fácil"),
    (80, "fácil"),
    (70, "algo fácil"),
    (60, "normal"),
    (50, "algo difícil"),
    (30, "difícil"),
    (0, "muy difícil"),
)


def band(formula: str, value: float) -> str:
    """The Spanish scale's name for a score ("bastante fácil"), or "" for a formula without one."""
    scale = {"inflesz": INFLESZ_SCALE, "fernandez_huerta": FERNANDEZ_HUERTA_SCALE}.get(formula, ())
    return next((name for low, name in scale if value >= low), scale[-1][1] if scale else "")


def formulas_for(language: str) -> tuple[str, ...]:
    """The formula names of a language tag ("es-US"); () for a language kguide cannot score."""
    return READING_FORMULAS.get(reading_language(language), ())


def syllable_counter(language: str):
    """The syllable counter of a language: the CMU dictionary for English, Spanish rules for
    Spanish, vowel groups for others (whose syllables no formula reads)."""
    lang = reading_language(language)
    return {"en": syllables, "es": spanish_syllables}.get(lang, fallback_syllables)


@dataclass(frozen=True)
class Figures:
    sentences: int
    words: int
    syllables: int
    polysyllables: int
    language: str = "en"  # primary subtag: which formulas apply

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def flesch_kincaid_grade(self) -> float:
        if not self.words:
            return 0.0
        return 0.39 * self.words_per_sentence + 11.8 * self.syllables_per_word - 15.59

    @property
    def flesch_reading_ease(self) -> float:
        if not self.words:
            return 100.0
        return 206.835 - 1.015 * self.words_per_sentence - 84.6 * self.syllables_per_word

    @property
    def smog_grade(self) -> float:
        if not self.sentences:
            return 0.0
        return 1.0430 * math.sqrt(self.polysyllables * 30 / self.sentences) + 3.1291

    @property
    def fernandez_huerta(self) -> float:
        if not self.words:
            return 100.0
        return 206.84 - 60 * self.syllables_per_word - 1.02 * self.words_per_sentence

    @property
    def inflesz(self) -> float:
        if not self.words:
            return 100.0
        return 206.835 - 62.3 * self.syllables_per_word - self.words_per_sentence

    @property
    def formulas(self) -> tuple[str, ...]:
        return READING_FORMULAS.get(self.language, ())

    def value(self, formula: str) -> float:
        return getattr(self, formula)

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.sentences + other.sentences,
            self.words + other.words,
            self.syllables + other.syllables,
            self.polysyllables + other.polysyllables,
            self.language if self.words else other.language,
        )

    def to_dict(self) -> dict:
        data = asdict(self)
        del data["language"]
        data["words_per_sentence"] = round(self.words_per_sentence, 2)
        for name in self.formulas:
            data[name] = round(self.value(name), 2)
        return data


EMPTY = Figures(0, 0, 0, 0)


def empty(language: str = "en-US") -> Figures:
    return Figures(0, 0, 0, 0, reading_language(language))


def measure_sentence(sentence: str, *, language: str = "en-US") -> Figures:
    count = syllable_counter(language)
    counts = [count(w) for w in words(sentence, language=language)]
    if not counts:
        return empty(language)
    return Figures(1, len(counts), sum(counts), sum(1 for c in counts if c >= 3), reading_language(language))


def measure(sentences: list[str], *, language: str = "en-US") -> Figures:
    """Figures for a list of sentences (already split)."""
    total = empty(language)
    for sentence in sentences:
        total = total + measure_sentence(sentence, language=language)
    return total
