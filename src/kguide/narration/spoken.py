"""Written text -> text an engine says right: the pronunciation lexicon.

Applied only to what is spoken, never to print or the transcript. Phone numbers (in any form
`phonenumbers` finds for the locale's region) are read digit by digit in the groups they are
written in, the locale's service numbers (911, 999, 116 123) the same way, web addresses with
"dot" and "slash" (in a Spanish guide "punto" and "barra", and every number in Spanish words:
spanish.py); then the lexicon's whole-word entries and patterns apply: kguide's defaults for
the guide's language (src/kguide/data/lexicon.toml for English, lexicon_es.toml for Spanish;
none for another language) and the guide's own `lexicon.toml`, which adds to them or overrides
them.
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
from ..locale.strings import primary
from ..text import digits, phone_groups, phone_spans
from . import phonemes, spanish

LEXICON_NAME = "lexicon.toml"
# kguide's own lexicon per primary language subtag; a language not listed gets none.
DEFAULT_LEXICONS = {"en": "lexicon.toml", "es": "lexicon_es.toml"}
# How a web address is read: the words for ".", "/", "-" and "@", per primary language subtag.
_URL_WORDS = {
    "en": {".": " dot ", "/": " slash ", "-": " dash "},
    "es": {".": " punto ", "/": " barra ", "-": " guion ", "@": " arroba "},
}
_URL = re.compile(
    r"\b(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:org|com|net|gov|edu|health|info)(?:/[\w/.-]*)?",
    re.I,
)
# In Spanish an e-mail address is read too ("arroba"): an English voice says "@" as "at" itself.
_EMAIL_OR_URL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b|" + _URL.pattern, re.I)


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, str] = field(default_factory=dict)
    patterns: tuple[tuple[re.Pattern, str], ...] = ()  # regex-module patterns (limits.py)
    phonemes: dict[str, dict[str, str]] = field(default_factory=dict)  # word -> notation -> phonemes
    notation: str = ""  # the phoneme notation of the engine the text is for ("" for none)
    locale: Locale | None = None  # how numbers are read: the guide's locale (None: its language's)
    language: str = "en-US"  # the guide's language tag: how numbers and addresses are said

    @property
    def primary(self) -> str:
        return primary(self.language)

    def merged(self, other: Lexicon) -> Lexicon:
        return Lexicon(
            {**self.words, **other.words},
            self.patterns + other.patterns,
            {**self.phonemes, **other.phonemes},
            other.notation or self.notation,
            other.locale or self.locale,
            self.language,
        )

    def for_engine(self, engine: dict[str, str]) -> Lexicon:
        """This lexicon giving the engine described by `engine` its phonemes."""
        return Lexicon(
            self.words, self.patterns, self.phonemes, phonemes.notation(engine), self.locale, self.language
        )

    def apply(self, text: str) -> str:
        if self.words:
            keys = sorted(self.words, key=len, reverse=True)
            pattern = re.compile(r"(?<![\w.])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w])")
            text = pattern.sub(lambda m: self.words[m.group()], text)
        for regex, replacement in self.patterns:
            text = substitute(regex, replacement, text)
        return phonemes.apply(text, self.phonemes, self.notation, self.primary == "en")


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


def default_lexicon(language: str = "en-US") -> Lexicon:
    """kguide's own lexicon for a language tag (by its primary subtag); empty for a language
    kguide has none for, so no English entry is ever said in another language."""
    name = DEFAULT_LEXICONS.get(primary(language))
    if name is None:
        return Lexicon(language=language)
    resource = files("kguide").joinpath("data").joinpath(name)
    lexicon = _parse(resource.read_text(encoding="utf-8"), Path(str(resource)))
    return dataclasses.replace(lexicon, language=language)


def guide_lexicon(guide) -> Lexicon:
    """kguide's defaults for the guide's language, plus the guide's own lexicon.toml when it
    has one (read with the guide, into the model)."""
    lexicon = default_lexicon(guide.config.language)
    if LEXICON_NAME in guide.texts:
        lexicon = lexicon.merged(_parse(guide.texts[LEXICON_NAME], guide.folder / LEXICON_NAME))
    return dataclasses.replace(lexicon, locale=guide.locale)


# Said before the country code of an international number, per primary language subtag.
_PLUS = {"en": "plus", "es": "más"}


def _phone(written: str, locale: Locale, language: str) -> str:
    groups = phone_groups(written, locale=locale)
    said = ", ".join(digits(group, language=language) for group in groups)
    plus = _PLUS.get(primary(language), "+")
    return f"{plus} {said}" if groups and groups[0].startswith("+") else said


def _numbers(text: str, locale: Locale, language: str) -> str:
    """Every phone and service number of `text` said digit by digit, group by group."""
    for start, end in reversed(phone_spans(text, locale=locale)):
        text = text[:start] + _phone(text[start:end], locale, language) + text[end:]
    return text


def _url(match: re.Match, language: str = "en-US") -> str:
    url = re.sub(r"^https?://", "", match.group())
    for mark, word in _URL_WORDS.get(primary(language), {}).items():
        url = url.replace(mark, word)
    return url


def speakable(text: str, lexicon: Lexicon) -> str:
    text = " ".join(text.split())
    language = lexicon.language
    spoken = _numbers(text, lexicon.locale or resolve(language), language)
    address = _EMAIL_OR_URL if lexicon.primary == "es" else _URL
    spoken = address.sub(lambda m: _url(m, language), spoken)
    if lexicon.primary == "es":
        spoken = spanish.spoken_times(spoken)
    spoken = lexicon.apply(spoken)
    if lexicon.primary == "es":
        spoken = " ".join(spanish.spoken_numbers(spoken).split())
    # "at 9 a.m." -> "at 9 A M": keep the full stop the entry swallowed, so the voice falls.
    if text.endswith(".") and spoken[-1:].isalnum():
        spoken += "."
    return spoken
