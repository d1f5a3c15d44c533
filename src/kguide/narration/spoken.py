"""Written text -> text an engine says right: the pronunciation lexicon.

Applied only to what is spoken, never to print or the transcript. Phone numbers (in any form
`phonenumbers` finds for the locale's region) are read digit by digit in the groups they are
written in, the locale's service numbers (911, 999, 116 123) the same way, web addresses with
"dot" and "slash"; then the lexicon's whole-word entries and patterns apply: kguide's defaults
(src/kguide/data/lexicon.toml) and the guide's own `lexicon.toml`, which adds to them or
overrides them.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from ..errors import GuideError, Problem
from ..limits import UnsafePattern, compile_pattern, substitute
from ..locale.data import Locale, resolve
from ..text import PLUS, digits, phone_groups, phone_spans
from . import phonemes

LEXICON_NAME = "lexicon.toml"
_URL = re.compile(
    r"\b(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:org|com|net|gov|edu|health|info)(?:/[\w/.-]*)?",
    re.I,
)


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, str] = field(default_factory=dict)
    patterns: tuple[tuple[re.Pattern, str], ...] = ()  # regex-module patterns (limits.py)
    phonemes: dict[str, dict[str, str]] = field(default_factory=dict)  # word -> notation -> phonemes
    notation: str = ""  # the phoneme notation of the engine the text is for ("" for none)
    locale: Locale | None = None  # how numbers are read: the guide's locale (None: en-US)

    def merged(self, other: Lexicon) -> Lexicon:
        return Lexicon(
            {**self.words, **other.words},
            self.patterns + other.patterns,
            {**self.phonemes, **other.phonemes},
            other.notation or self.notation,
            other.locale or self.locale,
        )

    def for_engine(self, engine: dict[str, str]) -> Lexicon:
        """This lexicon giving the engine described by `engine` its phonemes."""
        return Lexicon(self.words, self.patterns, self.phonemes, phonemes.notation(engine), self.locale)

    def apply(self, text: str) -> str:
        if self.words:
            keys = sorted(self.words, key=len, reverse=True)
            pattern = re.compile(r"(?<![\w.])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w])")
            text = pattern.sub(lambda m: self.words[m.group()], text)
        for regex, replacement in self.patterns:
            text = substitute(regex, replacement, text)
        return phonemes.apply(text, self.phonemes, self.notation)


def _parse(text: str, path: Path) -> Lexicon:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+)", str(exc))
        raise GuideError(
            Problem(f"invalid TOML: {exc}", path, int(match.group(1)) if match else None)
        ) from None
    problems = []
    lines = text.splitlines()

    def line_of(key: str) -> int | None:
        for number, line in enumerate(lines, start=1):
            if line.lstrip().startswith((f'"{key}"', f"'{key}'", f"{key} ")):
                return number
        return None

    for table in data:
        if table not in ("words", "patterns", "phonemes"):
            problems.append(
                Problem(
                    f"unknown table [{table}] (known: words, patterns, phonemes)", path, line_of(f"[{table}]")
                )
            )
    sounds, found = phonemes.parse(data.get("phonemes", {}), path, line_of)
    problems += found
    words = data.get("words", {})
    patterns = []
    for kind, table in (("words", words), ("patterns", data.get("patterns", {}))):
        if not isinstance(table, dict):
            problems.append(Problem(f'[{kind}] must be a table of "written" = "spoken"', path))
            continue
        for key, value in table.items():
            if not isinstance(value, str):
                problems.append(Problem(f"{kind} entry {key!r} must be a string", path, line_of(key)))
            elif kind == "patterns":
                try:
                    patterns.append((compile_pattern(key), value))
                except UnsafePattern as exc:
                    problems.append(Problem(f"pattern {key!r} cannot be used: {exc}", path, line_of(key)))
                except re.error as exc:
                    problems.append(
                        Problem(
                            f"pattern {key!r} is not a valid regular expression: {exc}", path, line_of(key)
                        )
                    )
    if problems:
        raise GuideError(problems)
    return Lexicon({k: v for k, v in words.items() if isinstance(v, str)}, tuple(patterns), sounds)


def default_lexicon() -> Lexicon:
    resource = files("kguide").joinpath("data").joinpath(LEXICON_NAME)
    return _parse(resource.read_text(encoding="utf-8"), Path(str(resource)))


def guide_lexicon(guide) -> Lexicon:
    """kguide's defaults, plus the guide's own lexicon.toml when it has one (read with the
    guide, into the model)."""
    lexicon = default_lexicon()
    if LEXICON_NAME in guide.texts:
        lexicon = lexicon.merged(_parse(guide.texts[LEXICON_NAME], guide.folder / LEXICON_NAME))
    return dataclasses.replace(lexicon, locale=guide.locale)


def _phone(written: str, locale: Locale) -> str:
    groups = phone_groups(written, locale=locale)
    said = ", ".join(digits(group) for group in groups)
    return f"{PLUS} {said}" if groups and groups[0].startswith("+") else said


def _numbers(text: str, locale: Locale) -> str:
    """Every phone and service number of `text` said digit by digit, group by group."""
    for start, end in reversed(phone_spans(text, locale=locale)):
        text = text[:start] + _phone(text[start:end], locale) + text[end:]
    return text


def _url(match: re.Match) -> str:
    url = re.sub(r"^https?://", "", match.group())
    return url.replace(".", " dot ").replace("/", " slash ").replace("-", " dash ")


def speakable(text: str, lexicon: Lexicon) -> str:
    text = " ".join(text.split())
    spoken = _numbers(text, lexicon.locale or resolve("en-US"))
    spoken = _URL.sub(_url, spoken)
    spoken = lexicon.apply(spoken)
    # "at 9 a.m." -> "at 9 A M": keep the full stop the entry swallowed, so the voice falls.
    if text.endswith(".") and spoken[-1:].isalnum():
        spoken += "."
    return spoken
