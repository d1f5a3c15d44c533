"""Readability formulas on counted text.

Flesch-Kincaid grade (Kincaid et al. 1975):
    0.39 * words/sentences + 11.8 * syllables/words - 15.59
Flesch reading ease (Flesch 1948):
    206.835 - 1.015 * words/sentences - 84.6 * syllables/words
SMOG grade (McLaughlin 1969, the formula form, scaled to 30 sentences):
    1.0430 * sqrt(polysyllables * 30 / sentences) + 3.1291
A polysyllable is a word of three or more syllables.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ..text import words
from .syllables import syllables

FORMULAS = {
    "flesch_kincaid_grade": "Flesch-Kincaid grade",
    "smog_grade": "SMOG grade",
    "flesch_reading_ease": "Flesch reading ease",
}
# For these a higher value is easier to read, so a target is a minimum.
HIGHER_IS_EASIER = {"flesch_reading_ease"}


@dataclass(frozen=True)
class Figures:
    sentences: int
    words: int
    syllables: int
    polysyllables: int

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

    def value(self, formula: str) -> float:
        return getattr(self, formula)

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.sentences + other.sentences,
            self.words + other.words,
            self.syllables + other.syllables,
            self.polysyllables + other.polysyllables,
        )

    def to_dict(self) -> dict:
        data = asdict(self)
        data["words_per_sentence"] = round(self.words_per_sentence, 2)
        for name in FORMULAS:
            data[name] = round(self.value(name), 2)
        return data


EMPTY = Figures(0, 0, 0, 0)


def measure_sentence(sentence: str, *, language: str = "en-US") -> Figures:
    counts = [syllables(w) for w in words(sentence, language=language)]
    if not counts:
        return EMPTY
    return Figures(1, len(counts), sum(counts), sum(1 for c in counts if c >= 3))


def measure(sentences: list[str]) -> Figures:
    """Figures for a list of sentences (already split)."""
    total = EMPTY
    for sentence in sentences:
        total = total + measure_sentence(sentence)
    return total
