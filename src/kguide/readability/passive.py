"""Passive voice by language: the word sets of data/passive.toml (English) and
data/passive_es.toml (Spanish), and where a passage's passive verbs are."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

from ..config import reading_language
from .prose import Passage

PASSIVE_FILES = {"en": "passive.toml", "es": "passive_es.toml"}


@dataclass(frozen=True)
class PassiveWords:
    """The word sets of one language's passive-voice rule (data/passive*.toml)."""

    be: frozenset[str]
    between: frozenset[str]
    irregular: frozenset[str]
    states: frozenset[str]
    not_participles: frozenset[str]
    endings: tuple[str, ...] = ("ed",)
    adverb_ending: str = "ly"
    clitic_passive: frozenset[str] = frozenset()  # "se le", "se les": the next word is a verb


def _passive_words(name: str) -> PassiveWords:
    data = tomllib.loads((resources.files("kguide.readability") / "data" / name).read_text("utf-8"))
    sets = {
        k: frozenset(data.get(k, ())) for k in ("be", "between", "irregular", "states", "not_participles")
    }
    extra = {}
    if "endings" in data:
        extra = {
            "endings": tuple(data["endings"]),
            "adverb_ending": data["adverb_ending"],
            "clitic_passive": frozenset(data["clitic_passive"]),
        }
    return PassiveWords(**sets, **extra)


PASSIVE = {lang: _passive_words(name) for lang, name in PASSIVE_FILES.items()}


def _participle(word: str, words: PassiveWords) -> bool:
    w = word.lower()
    if w in words.irregular:
        return True
    return (
        w.endswith(words.endings) and len(w) > 3 and w not in words.states and w not in words.not_participles
    )


def passive_spans(passage: Passage, start: int, end: int, language: str = "en-US") -> list[tuple[int, int]]:
    """(start, end) of each passive verb ("is given", "was not told"; "es administrado",
    "se le dará") in the passage's text[start:end]. None in a language without passive data."""
    words = PASSIVE.get(reading_language(language))
    if words is None:
        return []
    tokens = [t for t in passage.tokens if start <= t.start() < end]
    spans = []
    for index, token in enumerate(tokens):
        lower = token.group().lower()
        if index + 2 < len(tokens) and f"{lower} {tokens[index + 1].group().lower()}" in words.clitic_passive:
            spans.append((token.start(), tokens[index + 2].end()))
            continue
        if lower not in words.be:
            continue
        after = index + 1
        while after < len(tokens) and _between(tokens[after].group(), words):
            after += 1
        if after < len(tokens) and _participle(tokens[after].group(), words):
            spans.append((token.start(), tokens[after].end()))
    return spans


def _between(word: str, words: PassiveWords) -> bool:
    lower = word.lower()
    return lower in words.between or (lower.endswith(words.adverb_ending) and len(lower) > 4)
