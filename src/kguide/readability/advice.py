"""What makes a hard sentence hard, in terms an editor can act on: its hardest words (most
syllables, least common in everyday English or Spanish) and a place where it could be split in two.

Word frequency comes from `wordfreq` (offline data in the package, English and Spanish lists):
its Zipf scale runs from about 1 (very rare) to 7 ("the", "de"); everyday words score 4 and up.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from ..locale.strings import primary
from ..text import WORD_RE, words
from .formulas import syllable_counter

RARE_BELOW = 3.5  # Zipf frequency under which a word counts as uncommon
LONG_FROM = 3  # syllables from which a word counts as long
# Words a long sentence can often be split before: "..., and you", "...; then", "... because ...".
_JOINS = {
    "en": re.compile(
        r"(?:[,;:]\s+(?:and|but|so|or|then|which|because)\b|;|\s+(?:because|which|so that|while|after|until|unless)\b)"
    ),
    "es": re.compile(
        r"(?:[,;:]\s+(?:y|pero|así que|o|luego|que|porque|pues)\b|;"
        r"|\s+(?:porque|para que|aunque|mientras|hasta que|después de que|antes de que|cuando|si)\b)"
    ),
}


@lru_cache(maxsize=4096)
def frequency(word: str, language: str = "en") -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, primary(language))


@dataclass(frozen=True)
class HardWord:
    word: str
    syllables: int
    frequency: float

    @property
    def why(self) -> str:
        parts = []
        if self.syllables >= LONG_FROM:
            parts.append(f"{self.syllables} syllables")
        if self.frequency < RARE_BELOW:
            parts.append("uncommon")
        return ", ".join(parts)


def hardest_words(sentence: str, count: int = 3, language: str = "en") -> list[HardWord]:
    """The words that make `sentence` hard: long or uncommon, hardest first (numbers and
    initialisms left out: they are read, not puzzled over)."""
    found: dict[str, HardWord] = {}
    for word in words(sentence):
        if word.isdigit() or word.isupper():
            continue
        key = word.lower()
        hard = HardWord(word, syllable_counter(language)(word), frequency(key, language))
        if (hard.syllables >= LONG_FROM or hard.frequency < RARE_BELOW) and key not in found:
            found[key] = hard
    ranked = sorted(found.values(), key=lambda h: (-h.syllables, h.frequency))
    return ranked[:count]


def split_point(sentence: str, language: str = "en") -> str | None:
    """Where the sentence could be split in two: before the joining word nearest its middle
    (`at "visit | because"`), or None when there is no such place. Linear in the sentence."""
    spans = [m.span() for m in WORD_RE.finditer(sentence)]
    starts = [start for start, _ in spans]
    middle = len(sentence) / 2
    best = None
    joins = _JOINS.get(primary(language))
    if joins is None:
        return None
    for match in joins.finditer(sentence):
        before = bisect.bisect_left(starts, match.start())  # words wholly before the join
        after = len(starts) - bisect.bisect_left(starts, match.end())
        if before < 4 or after < 4:
            continue  # each half must still be a sentence
        if best is None or abs(match.start() - middle) < abs(best[0].start() - middle):
            best = (match, before)
    if best is None:
        return None
    match, before = best
    last = sentence[slice(*spans[before - 1])]
    join = WORD_RE.findall(match.group())
    return f'at "{last} | {join[0]}"' if join else f'at "{last} |"'


def hard_sentence_advice(sentence: str, language: str = "en") -> str:
    """The plain next step for a hard sentence: which words to change and where to split."""
    hard = hardest_words(sentence, language=language)
    parts = []
    if hard:
        parts.append("hardest words: " + ", ".join(f'"{h.word}" ({h.why})' for h in hard))
    split = split_point(sentence, language)
    if split:
        parts.append(f"it could be split in two {split}")
    if not parts:
        return "use shorter sentences and plainer words"
    return "; ".join(parts)
