"""The typed schema of `guide.toml` and its loading.

Every option is a dataclass field with its meaning in the docstring of its class. Loading reports
every problem at once (unknown keys, wrong types, missing values), each naming the file, the key
and, where it can be found, the line.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GuideError, Problem

CONFIG_NAME = "guide.toml"


@dataclass(frozen=True)
class Clinic:
    """The clinic that hands out the guide; shown on the booklet and spoken in the audio.

    name: the clinic's name as patients know it.
    phone: the number patients call; read digit by digit in the audio.
    address: street address, one line.
    website: optional web address.
    email: optional e-mail address.
    hours: optional opening hours, one line.
    """

    name: str
    phone: str
    address: str
    website: str = ""
    email: str = ""
    hours: str = ""


@dataclass(frozen=True)
class FormulaLimits:
    """Reading-level figures by formula name.

    flesch_kincaid_grade: Flesch-Kincaid grade level (school grade; lower is easier).
    smog_grade: SMOG grade (McLaughlin 1969); the measure preferred for health text.
    flesch_reading_ease: Flesch reading ease (0 to 100; higher is easier; a minimum).
    """

    flesch_kincaid_grade: float | None = None
    smog_grade: float | None = None
    flesch_reading_ease: float | None = None


@dataclass(frozen=True)
class Reading:
    """Reading-level targets and hard limits.

    targets: a section or guide past a target gets a warning.
    limits: the whole guide, or any section, past a hard limit fails the build (exit 1).
    """

    targets: FormulaLimits = field(
        default_factory=lambda: FormulaLimits(
            flesch_kincaid_grade=6.0, smog_grade=8.0, flesch_reading_ease=70.0
        )
    )
    limits: FormulaLimits = field(
        default_factory=lambda: FormulaLimits(flesch_kincaid_grade=8.0, smog_grade=10.0)
    )


@dataclass(frozen=True)
class Voice:
    """Narration settings.

    engine: the text-to-speech engine: "pyttsx3" (system voices: eSpeak NG on Linux).
    voice: the engine's voice id; empty picks a voice for the guide's language.
    rate: speaking rate in words per minute (about 150 suits most listeners).
    """

    engine: str = "pyttsx3"
    voice: str = ""
    rate: int = 150


@dataclass(frozen=True)
class Booklet:
    """Printed booklet settings.

    page_size: "A5" or "half-letter" (5.5 x 8.5 in) for the standard edition.
    """

    page_size: str = "A5"


@dataclass(frozen=True)
class GuideConfig:
    """The top level of `guide.toml`.

    title: the guide's title, on the cover, in the PDF metadata and spoken first.
    language: BCP 47 language tag of the text, for example "en-US".
    audience: who the guide is for, one line (kept in the manifest).
    version: the guide's version, printed on the back page.
    date: the date of this version, printed on the back page.
    clinic: the clinic's details (see Clinic).
    reading: reading-level targets and limits (see Reading).
    voice: narration settings (see Voice).
    booklet: booklet settings (see Booklet).
    """

    title: str
    language: str
    clinic: Clinic
    audience: str = ""
    version: str = "1.0"
    date: str = ""
    reading: Reading = field(default_factory=Reading)
    voice: Voice = field(default_factory=Voice)
    booklet: Booklet = field(default_factory=Booklet)


PAGE_SIZES = ("A5", "half-letter")
ENGINES = ("pyttsx3",)
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def load_config(guide_dir: Path) -> GuideConfig:
    """Read and validate `guide.toml` in `guide_dir`; raise GuideError listing every problem."""
    path = guide_dir / CONFIG_NAME
    if not path.is_file():
        raise GuideError(Problem(f"no {CONFIG_NAME} in the guide folder", path))
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GuideError(_toml_problem(exc, path, text)) from None
    problems: list[Problem] = []
    locator = _KeyLocator(text)
    config = _build(GuideConfig, data, (), path, locator, problems)
    if config is not None:
        problems.extend(_check_values(config, path, locator))
    if problems:
        raise GuideError(problems)
    assert config is not None
    return config


def _toml_problem(exc: tomllib.TOMLDecodeError, path: Path, text: str) -> Problem:
    message = str(exc)
    line = None
    match = re.search(r"\(at line (\d+), column \d+\)", message)
    if match:
        line = int(match.group(1))
        message = message[: match.start()].strip()
    elif "(at end of document)" in message:
        line = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
        message = message.replace("(at end of document)", "").strip()
    return Problem(f"invalid TOML: {message}", path, line)


class _KeyLocator:
    """Finds the line of a dotted key in TOML text, for messages (tomllib keeps no positions)."""

    _TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-\s\"]+?)\s*\]\s*(#.*)?$")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"]+)\s*=")

    def __init__(self, text: str):
        self.lines: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), start=1):
            if m := self._TABLE.match(line):
                table = tuple(part.strip().strip('"') for part in m.group(1).split("."))
                self.lines.setdefault(table, number)
            elif m := self._KEY.match(line):
                key = table + (m.group(1).strip('"'),)
                self.lines.setdefault(key, number)

    def line(self, keys: tuple[str, ...]) -> int | None:
        while keys:
            if keys in self.lines:
                return self.lines[keys]
            keys = keys[:-1]
        return None


def _build(cls, data, keys, path, locator, problems):
    """Build dataclass `cls` from `data`, appending a Problem for each mistake found."""
    where = ".".join(keys)
    if not isinstance(data, dict):
        problems.append(
            Problem(f"[{where}] must be a table, not {_type_name(data)}", path, locator.line(keys))
        )
        return None
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key in data:
        if key not in fields:
            known = ", ".join(fields)
            problems.append(
                Problem(
                    f"unknown key '{'.'.join(keys + (key,))}' (known here: {known})",
                    path,
                    locator.line(keys + (key,)),
                )
            )
    values = {}
    for name, f in fields.items():
        key_path = keys + (name,)
        if name not in data:
            no_default = (
                f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            )
            if no_default:
                problems.append(
                    Problem(f"missing key '{'.'.join(key_path)}'", path, locator.line(keys))
                )
            continue
        hint = hints[name]
        value = data[name]
        if dataclasses.is_dataclass(hint):
            built = _build(hint, value, key_path, path, locator, problems)
            if built is not None:
                values[name] = built
            continue
        converted = _convert(value, hint)
        if converted is _WRONG:
            problems.append(
                Problem(
                    f"'{'.'.join(key_path)}' must be {_hint_name(hint)}, not {_type_name(value)}",
                    path,
                    locator.line(key_path),
                )
            )
            continue
        values[name] = converted
    try:
        return cls(**values)
    except TypeError:
        return None  # a missing key was already reported


_WRONG = object()


def _convert(value, hint):
    allowed = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    for kind in allowed:
        if kind is type(None) and value is None:
            return None
        if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if kind is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if kind is str and isinstance(value, str):
            return value
    return _WRONG


def _hint_name(hint) -> str:
    names = {str: "a string", int: "a whole number", float: "a number", type(None): "absent"}
    allowed = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    return " or ".join(names.get(k, str(k)) for k in allowed if k is not type(None))


def _type_name(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    return {
        str: "a string",
        int: "a whole number",
        float: "a number",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _check_values(config: GuideConfig, path: Path, locator: _KeyLocator) -> list[Problem]:
    problems = []

    def bad(keys: tuple[str, ...], message: str) -> None:
        problems.append(Problem(message, path, locator.line(keys)))

    if not config.title.strip():
        bad(("title",), "'title' must not be empty")
    if not _LANG_RE.match(config.language):
        bad(("language",), f"'language' must be a language tag like \"en-US\", not {config.language!r}")
    for key in ("name", "phone", "address"):
        if not getattr(config.clinic, key).strip():
            bad(("clinic", key), f"'clinic.{key}' must not be empty")
    if sum(ch.isdigit() for ch in config.clinic.phone) < 3:
        bad(("clinic", "phone"), f"'clinic.phone' does not look like a phone number: {config.clinic.phone!r}")
    if config.voice.engine not in ENGINES:
        bad(("voice", "engine"), f"'voice.engine' must be one of {', '.join(ENGINES)}, not {config.voice.engine!r}")
    if not 80 <= config.voice.rate <= 300:
        bad(("voice", "rate"), f"'voice.rate' must be between 80 and 300 words per minute, not {config.voice.rate}")
    if config.booklet.page_size not in PAGE_SIZES:
        bad(("booklet", "page_size"), f"'booklet.page_size' must be one of {', '.join(PAGE_SIZES)}, not {config.booklet.page_size!r}")
    return problems
