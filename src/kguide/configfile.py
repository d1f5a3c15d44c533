"""Reading `guide.toml` into the typed schema (config.py).

Loading reports every problem at once (unknown keys, wrong types, missing values, values out of
range), each naming the file, the key and, where it can be found, the line.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import types
import typing
from pathlib import Path

from .config import (
    CLINIC_ID_RE,
    CONFIG_NAME,
    ENGINES,
    LANG_RE,
    LOGO_TYPES,
    MISHEARD_LEVELS,
    PAGE_SIZES,
    RULE_NAMES,
    SEVERITIES,
    Clinic,
    GuideConfig,
    Listen,
    Rules,
)
from .errors import GuideError, Problem
from .inputs import read_text
from .locale.strings import languages, primary, unknown_language_message


def load_config(guide_dir: Path) -> GuideConfig:
    """Read and validate `guide.toml` in `guide_dir`; raise GuideError listing every problem."""
    path = guide_dir / CONFIG_NAME
    if not path.exists() and not path.is_symlink():
        raise GuideError(Problem(f"no {CONFIG_NAME} in the guide folder", path))
    text = read_text(path, guide_dir)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GuideError(_toml_problem(exc, path, text)) from None
    problems: list[Problem] = []
    locator = _KeyLocator(text)
    prebuilt = _clinic_profiles(data, path, locator, problems)
    config = _build(GuideConfig, data, (), path, locator, problems, prebuilt)
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


def _clinic_profiles(data: dict, path: Path, locator: _KeyLocator, problems: list[Problem]) -> dict:
    """Build the `[clinics.<id>]` profiles; the first stands in for `[clinic]`.

    Returns the GuideConfig fields built here, for `_build` to take as they are.
    """
    profiles = data.get("clinics")
    if profiles is None:
        return {}
    if "clinic" in data:
        problems.append(
            Problem(
                "use one [clinic] table or [clinics.<id>] tables, not both", path, locator.line(("clinic",))
            )
        )
    if not isinstance(profiles, dict) or not profiles:
        problems.append(
            Problem("[clinics] must hold a [clinics.<id>] table per clinic", path, locator.line(("clinics",)))
        )
        return {"clinics": {}, "clinic": None}
    clinics = {}
    for clinic_id, table in profiles.items():
        if not CLINIC_ID_RE.match(clinic_id):
            problems.append(
                Problem(
                    f"clinic id '{clinic_id}' must be lower-case letters, digits and hyphens (it names an output folder)",
                    path,
                    locator.line(("clinics", clinic_id)),
                )
            )
        built = _build(Clinic, table, ("clinics", clinic_id), path, locator, problems)
        if built is not None:
            clinics[clinic_id] = built
    return {"clinics": clinics, "clinic": next(iter(clinics.values()), None)}


def _build(cls, data, keys, path, locator, problems, prebuilt=None):
    """Build dataclass `cls` from `data`, appending a Problem for each mistake found.

    `prebuilt` holds fields the caller built and checked itself; None there was already reported.
    """
    prebuilt = prebuilt or {}
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
        if name in prebuilt:
            if prebuilt[name] is not None:
                values[name] = prebuilt[name]
            continue
        if name not in data:
            no_default = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            if no_default:
                problems.append(Problem(f"missing key '{'.'.join(key_path)}'", path, locator.line(keys)))
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
        if kind is bool and isinstance(value, bool):
            return value
        if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if kind is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if kind is str and isinstance(value, str):
            return value
    return _WRONG


def _hint_name(hint) -> str:
    names = {
        str: "a string",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        type(None): "absent",
    }
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
    if not LANG_RE.match(config.language):
        bad(("language",), f"'language' must be a language tag like \"en-US\", not {config.language!r}")
    elif primary(config.language) not in languages():
        bad(("language",), f"'language': {unknown_language_message(config.language)}")
    profiles = {("clinics", i): c for i, c in config.clinics.items()} or {("clinic",): config.clinic}
    for keys, clinic in profiles.items():
        for key, message in _clinic_problems(clinic, path.parent):
            bad(keys + (key,), f"'{'.'.join(keys + (key,))}' {message}")
    if config.voice.engine not in ENGINES:
        bad(
            ("voice", "engine"),
            f"'voice.engine' must be one of {', '.join(ENGINES)}, not {config.voice.engine!r}",
        )
    if not 80 <= config.voice.rate <= 300:
        bad(
            ("voice", "rate"),
            f"'voice.rate' must be between 80 and 300 words per minute, not {config.voice.rate}",
        )
    if config.booklet.page_size not in PAGE_SIZES:
        bad(
            ("booklet", "page_size"),
            f"'booklet.page_size' must be one of {', '.join(PAGE_SIZES)}, not {config.booklet.page_size!r}",
        )
    if config.templates:
        folder = (path.parent / config.templates).resolve()
        if not folder.is_relative_to(path.parent.resolve()):
            bad(
                ("templates",),
                f"'templates' must be a folder inside the guide folder, not {config.templates!r}",
            )
        elif not folder.is_dir():
            bad(("templates",), f"'templates' folder not found: {config.templates!r}")
    for keys, message in _rules_problems(config.reading.rules):
        bad(keys, message)
    for keys, message in _listen_problems(config.listen, path.parent):
        bad(keys, message)
    return problems


def _listen_problems(listen: Listen, guide_dir: Path) -> list[tuple[tuple[str, ...], str]]:
    found = []
    if listen.misheard not in MISHEARD_LEVELS:
        found.append(
            (
                ("listen", "misheard"),
                f"'listen.misheard' must be one of {', '.join(MISHEARD_LEVELS)}, not {listen.misheard!r}",
            )
        )
    if not 0 <= listen.max_word_error <= 1:
        found.append(
            (
                ("listen", "max_word_error"),
                f"'listen.max_word_error' must be between 0 and 1, not {listen.max_word_error}",
            )
        )
    if listen.model and not (guide_dir / listen.model).is_dir():
        found.append((("listen", "model"), f"'listen.model' folder not found: {listen.model!r}"))
    return found


def _rules_problems(rules: Rules) -> list[tuple[tuple[str, ...], str]]:
    """(key path, what is wrong) for the [reading.rules] tables."""
    found = []
    for name in RULE_NAMES:
        rule = getattr(rules, name)
        keys = ("reading", "rules", name)
        if rule.severity not in (*SEVERITIES, "off"):
            choices = ", ".join(f'"{s}"' for s in (*SEVERITIES, "off"))
            found.append(
                (
                    keys + ("severity",),
                    f"'reading.rules.{name}.severity' must be one of {choices}, not {rule.severity!r}",
                )
            )
        for key, value in dataclasses.asdict(rule).items():
            if key != "severity" and value <= 0:
                found.append(
                    (keys + (key,), f"'reading.rules.{name}.{key}' must be more than 0, not {value}")
                )
    for name, low, high in (
        ("long_sentence", "warning_above", "error_above"),
        ("hard_sentence", "hard_above_target", "very_hard_above_target"),
    ):
        rule = getattr(rules, name)
        if getattr(rule, low) > getattr(rule, high):
            found.append(
                (
                    ("reading", "rules", name, low),
                    f"'reading.rules.{name}.{low}' must not be more than '{high}'",
                )
            )
    return found


def _clinic_problems(clinic: Clinic, guide_dir: Path) -> list[tuple[str, str]]:
    """(key, what is wrong) for one clinic profile."""
    found = [
        (key, "must not be empty") for key in ("name", "phone", "address") if not getattr(clinic, key).strip()
    ]
    if sum(ch.isdigit() for ch in clinic.phone) < 3:
        found.append(("phone", f"does not look like a phone number: {clinic.phone!r}"))
    if clinic.logo:
        logo = (guide_dir / clinic.logo).resolve()
        if not logo.is_relative_to(guide_dir.resolve()):
            found.append(("logo", f"must be a file inside the guide folder: {clinic.logo!r}"))
        elif not logo.is_file():
            found.append(("logo", f"file not found: {clinic.logo!r}"))
        elif logo.suffix.lower() not in LOGO_TYPES:
            found.append(("logo", f"must be one of {', '.join(LOGO_TYPES)}: {clinic.logo!r}"))
        if not clinic.logo_alt.strip():
            found.append(("logo", "needs a 'logo_alt' too: what the logo shows, in words (its alt text)"))
    elif clinic.logo_alt:
        found.append(("logo_alt", "is set but there is no logo"))
    if clinic.audio_url and not re.match(r"^https?://[^\s/]+\.[^\s]+$", clinic.audio_url):
        found.append(("audio_url", f"must be a web address starting with https://, not {clinic.audio_url!r}"))
    return found
