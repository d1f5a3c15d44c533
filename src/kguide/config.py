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
from .inputs import read_text

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
    logo: optional image file inside the guide folder (.png, .jpg or .svg), printed on the cover.
    logo_alt: what the logo shows, in words (its alt text); needed with `logo`.
    audio_url: optional web address of the audio version ("https://..."): printed, and as a QR
        code on the cover and the back page.
    """

    name: str
    phone: str
    address: str
    website: str = ""
    email: str = ""
    hours: str = ""
    logo: str = ""
    logo_alt: str = ""
    audio_url: str = ""


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


# The levels of a reading finding, mildest first; "off" turns a rule off. An "error" fails the
# build; "warning" and "suggestion" are shown but do not.
SEVERITIES = ("suggestion", "warning", "error")


@dataclass(frozen=True)
class LongSentence:
    """long_sentence: a sentence of too many words (plain-language guidance: under 20).

    severity: the level past `error_above`: "error", "warning", "suggestion" or "off".
    warning_above: more words than this is a warning.
    error_above: more words than this takes `severity`.
    """

    severity: str = "error"
    warning_above: int = 20
    error_above: int = 25


@dataclass(frozen=True)
class HardSentence:
    """hard_sentence: a sentence whose own Flesch-Kincaid grade is far above the guide's target
    (the target is [reading.targets] flesch_kincaid_grade, or grade 6 when it is not set).

    severity: the level of a very hard sentence: "error", "warning", "suggestion" or "off".
    hard_above_target: grades above the target that make a sentence hard (a warning).
    very_hard_above_target: grades above the target that make it very hard (takes `severity`).
    min_words: shorter sentences are not judged: one long word sends a short sentence's grade
        far up, though the sentence is easy to read.
    """

    severity: str = "error"
    hard_above_target: float = 4.0
    very_hard_above_target: float = 8.0
    min_words: int = 6


@dataclass(frozen=True)
class PlainWord:
    """plain_word: a word or phrase that has a plainer swap in the word list.

    severity: "error", "warning", "suggestion" or "off".
    """

    severity: str = "warning"


@dataclass(frozen=True)
class PassiveVoice:
    """passive_voice: a passive verb ("is given"); active verbs say who does what.

    severity: "error", "warning", "suggestion" or "off".
    """

    severity: str = "suggestion"


@dataclass(frozen=True)
class UndefinedTerm:
    """undefined_term: a medical term from the word list that the glossary does not define and
    that is not explained where it is first used.

    severity: "error", "warning", "suggestion" or "off".
    """

    severity: str = "warning"


@dataclass(frozen=True)
class LongParagraph:
    """long_paragraph: a paragraph of too many words.

    severity: "error", "warning", "suggestion" or "off".
    max_words: more words than this is a finding (plain-language guidance: 150).
    """

    severity: str = "warning"
    max_words: int = 150


@dataclass(frozen=True)
class Rules:
    """The plain-language rules of the reading check, one table each: [reading.rules.<rule>].

    long_sentence: see LongSentence.
    hard_sentence: see HardSentence.
    plain_word: see PlainWord.
    passive_voice: see PassiveVoice.
    undefined_term: see UndefinedTerm.
    long_paragraph: see LongParagraph.
    """

    long_sentence: LongSentence = field(default_factory=LongSentence)
    hard_sentence: HardSentence = field(default_factory=HardSentence)
    plain_word: PlainWord = field(default_factory=PlainWord)
    passive_voice: PassiveVoice = field(default_factory=PassiveVoice)
    undefined_term: UndefinedTerm = field(default_factory=UndefinedTerm)
    long_paragraph: LongParagraph = field(default_factory=LongParagraph)


RULE_NAMES = tuple(f.name for f in dataclasses.fields(Rules))


@dataclass(frozen=True)
class Reading:
    """Reading-level targets, hard limits and plain-language rules.

    targets: a section or guide past a target gets a warning.
    limits: the whole guide, or any section, past a hard limit fails the build (exit 1).
    rules: the plain-language rules (see Rules); a finding at "error" level fails the build.
    """

    targets: FormulaLimits = field(
        default_factory=lambda: FormulaLimits(
            flesch_kincaid_grade=6.0, smog_grade=8.0, flesch_reading_ease=70.0
        )
    )
    limits: FormulaLimits = field(
        default_factory=lambda: FormulaLimits(flesch_kincaid_grade=8.0, smog_grade=10.0)
    )
    rules: Rules = field(default_factory=Rules)


@dataclass(frozen=True)
class Voice:
    """Narration settings.

    engine: "piper" (neural voices, offline; the default) or "pyttsx3" (system voices:
        eSpeak NG on Linux, SAPI5 on Windows, NSSS on macOS).
    voice: for piper, the path of a Piper .onnx voice (relative to the guide folder), empty for
        the bundled en_US-joe-medium; for pyttsx3, a voice id from `kguide voices`, empty to
        pick one for the guide's language.
    rate: speaking rate in words per minute, not counting pauses (about 150 suits most
        listeners).
    """

    engine: str = "piper"
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
    clinic: the clinic's details (see Clinic), for a guide handed out by one clinic.
    clinics: clinic profiles, one [clinics.<id>] table each (see Clinic), in place of [clinic]:
        one booklet and audio per clinic from the same sections. When loaded, `clinic` is the
        profile being built (the first by default).
    reading: reading-level targets and limits (see Reading).
    voice: narration settings (see Voice).
    booklet: booklet settings (see Booklet).
    templates: optional folder inside the guide folder with the guide's own templates; a file
        there (for example booklet/booklet.css) replaces kguide's file of the same name.
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
    clinics: dict[str, Clinic] = field(default_factory=dict)
    templates: str = ""


PAGE_SIZES = ("A5", "half-letter")
ENGINES = ("piper", "pyttsx3")
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
CLINIC_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LOGO_TYPES = (".png", ".jpg", ".jpeg", ".svg")


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
            bad(("templates",), f"'templates' must be a folder inside the guide folder, not {config.templates!r}")
        elif not folder.is_dir():
            bad(("templates",), f"'templates' folder not found: {config.templates!r}")
    for keys, message in _rules_problems(config.reading.rules):
        bad(keys, message)
    return problems


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
