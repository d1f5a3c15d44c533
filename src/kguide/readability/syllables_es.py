"""Spanish syllables by rule: Spanish spelling says how a word splits, so no dictionary is needed.

1. Letters become units: "ch", "ll", "rr" are one consonant each; the "u" of "que", "qui",
   "gue", "gui" is silent (it is part of the consonant); "y" is a vowel at the end of a word
   after a vowel ("hoy", "muy") and as the word "y", a consonant elsewhere.
2. Vowels: a, e, o are strong; i, u, ü (and a final "y") are weak. Next to each other, two
   strong vowels are two syllables (hiatus: "le-er"); a weak vowel with any vowel is one
   syllable (diphthong: "cie-lo", "ciu-dad"; triphthong: "buey"), unless the weak vowel bears an
   accent: "dí-a", "ba-úl", "re-ír" are hiatus.
3. Consonants between two vowels: one goes with the next syllable ("ca-sa"); two split
   ("can-to") unless they are a cluster that starts a syllable, a consonant followed by l or r
   ("o-tro", "ha-blar"); of three or four, the last one goes on, or the last two when they are
   such a cluster ("ins-tan-te", "ex-pli-car", "obs-truir").
An "h" is a consonant: "a-ho-ra", "pro-hi-bir" (kept as hiatus, as most people say it).
"""

from __future__ import annotations

from functools import lru_cache

from ..text import number_words

STRONG = set("aeoáéóíú")  # an accented i or u is strong: it never joins a diphthong
WEAK = set("iuüy")
VOWELS = STRONG | WEAK | set("àèòìùï")
CLUSTERS = {a + b for a in "pbcgfkt" for b in "lr"} | {"dr"}
CLUSTERS -= {"tl"}  # "at-las" in most of the Spanish-speaking world
DIGRAPHS = ("ch", "ll", "rr")
# Names of letters, for initialisms read letter by letter: "VIH" is "uve i hache".
LETTER_SYLLABLES = dict.fromkeys("abcdeiokpqtuy", 1) | dict.fromkeys("fhjlmnñrsvxz", 2) | {"w": 3}


def _units(word: str) -> list[tuple[str, bool]]:
    """(letters, is_vowel) for each sound unit of a lower-case word."""
    units: list[tuple[str, bool]] = []
    i = 0
    while i < len(word):
        ch = word[i]
        pair = word[i : i + 2]
        if pair in DIGRAPHS:
            units.append((pair, False))
            i += 2
        elif ch in "qg" and word[i + 1 : i + 2] == "u" and word[i + 2 : i + 3] in ("e", "i", "é", "í"):
            units.append((word[i : i + 2], False))  # "qu", "gu": the u is silent
            i += 2
        elif ch == "y":
            at_end = i == len(word) - 1
            after_vowel = bool(units) and units[-1][1]
            units.append((ch, at_end and (after_vowel or len(word) == 1)))
            i += 1
        else:
            units.append((ch, ch in VOWELS))
            i += 1
    return units


def _splits_vowels(left: str, right: str) -> bool:
    """Do two vowels side by side belong to two syllables (hiatus)?"""
    return left in STRONG and right in STRONG


def syllabify(word: str) -> list[str]:
    """The syllables of one Spanish word (letters only), in order: "hablar" -> ["ha", "blar"]."""
    units = _units(word.lower())
    # Nuclei: runs of vowel units, split at each hiatus. Each nucleus: (first unit, last unit).
    nuclei: list[list[int]] = []
    for index, (letters, vowel) in enumerate(units):
        if not vowel:
            continue
        if nuclei and nuclei[-1][1] == index - 1 and not _splits_vowels(units[index - 1][0], letters):
            nuclei[-1][1] = index
        else:
            nuclei.append([index, index])
    if not nuclei:
        return [word] if word else []
    starts = [0]
    for (_, end), (start, _) in zip(nuclei, nuclei[1:], strict=False):
        starts.append(_boundary([u[0] for u in units[end + 1 : start]], end + 1))
    starts.append(len(units))
    return ["".join(u[0] for u in units[a:b]) for a, b in zip(starts, starts[1:], strict=False)]


def _boundary(consonants: list[str], first: int) -> int:
    """Index of the unit that starts the next syllable, given the consonants between two nuclei."""
    count = len(consonants)
    if count <= 1:
        return first
    if count == 2:
        return first if consonants[0] + consonants[1] in CLUSTERS else first + 1
    if consonants[-2] + consonants[-1] in CLUSTERS:
        return first + count - 2
    return first + count - 1


def spanish_number(number: str, language: str = "es-US") -> str:
    """Spanish words for a written whole number, as the narration says it: "45" -> "cuarenta y
    cinco"; the locale's service numbers and long numbers digit by digit."""
    return number_words(number, language=language)


@lru_cache(maxsize=8192)
def spanish_syllables(word: str) -> int:
    """Syllables in one word token of Spanish text (letters, digits, hyphens, apostrophes)."""
    if "-" in word:
        return sum(spanish_syllables(part) for part in word.split("-") if part)
    if word.isdecimal():
        return sum(spanish_syllables(w) for w in spanish_number(word).split())
    letters = "".join(ch for ch in word if ch.isalpha())
    if not letters:
        return 1
    if letters.isupper() and 2 <= len(letters) <= 5:
        return sum(LETTER_SYLLABLES.get(ch, 1) for ch in letters.lower())
    return max(1, len(syllabify(letters)))
