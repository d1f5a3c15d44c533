"""The fixed phrases of every output (booklet, narration, listen page, EPUB, reading report), one
table per language: `strings/<language>.toml`, picked by the primary subtag of the guide's
`language` ("es-US" -> es.toml).

A phrase is a string, or a table of plural forms (`one`, `other`) for a phrase that takes a
count. Placeholders are plain names in braces (`{number}`), filled in with `format`: a value is
never read as a format itself, and no attribute or index lookups are allowed. A key missing at
run time is a bug in kguide (the tables are tested to hold the same keys), never a quiet
fallback to English: it raises `MissingPhrase`, which the CLI reports as an internal error.
"""

from __future__ import annotations

import string
import tomllib
from functools import lru_cache
from importlib.resources import files

from markupsafe import Markup, escape

PLURAL_FORMS = ("one", "other")
_FORMATTER = string.Formatter()


class MissingPhrase(Exception):
    """A phrase kguide asked for is not in the language's table, or was given the wrong values:
    a bug in kguide (exit 3), not in the guide. Not a LookupError, so Jinja never turns it into
    an undefined value."""


class UnknownLanguage(ValueError):
    """No strings table for a language; the caller names the file that set it."""


def primary(language: str) -> str:
    """The primary subtag of a BCP 47 tag, lowercase: "es-US" -> "es" (also "es_MX", as Piper
    writes it)."""
    return language.replace("_", "-").split("-", 1)[0].lower()


def languages() -> list[str]:
    """The languages kguide has a strings table for, sorted."""
    folder = files("kguide.locale").joinpath("strings")
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def unknown_language_message(language: str) -> str:
    return (
        f"kguide has no fixed phrases (booklet, audio, pages) in the language {language!r}; "
        f"languages kguide has: {', '.join(languages())}"
    )


def placeholders(phrase: str) -> set[str]:
    """The names a phrase takes; a placeholder that is not a plain name is refused."""
    names = set()
    for _, name, spec, conversion in _FORMATTER.parse(phrase):
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValueError(f"placeholder {{{name}}} must be a plain name")
        names.add(name)
    return names


class Strings:
    """One language's phrases. `t.key` is a phrase with no placeholders; `t("key", name=value)`
    fills one in (`count=` picks a plural form); `t.html(...)` does the same for a template,
    escaping the phrase and every value that is not already markup."""

    def __init__(self, language: str, table: dict[str, object]):
        self.language = language
        self._table = table

    def __getattr__(self, key: str) -> str:
        if key.startswith(("_", "jinja_")):  # Python's and Jinja's own questions of an object
            raise AttributeError(key)
        return self(key)

    def __call__(self, key: str, count: int | None = None, **values: object) -> str:
        phrase = self._phrase(key, count)
        if count is not None:
            values["count"] = count
        wanted = placeholders(phrase)
        if wanted != set(values):
            raise MissingPhrase(
                f"phrase {key!r} ({self.language}) takes {sorted(wanted)}, was given {sorted(values)}"
            )
        return phrase.format(**values)

    def html(self, key: str, count: int | None = None, **values: object) -> Markup:
        phrase = self._phrase(key, count)
        if count is not None:
            values["count"] = count
        if placeholders(phrase) != set(values):
            raise MissingPhrase(f"phrase {key!r} ({self.language}) was given {sorted(values)}")
        return Markup(escape(phrase)).format(**values)

    def _phrase(self, key: str, count: int | None) -> str:
        if key not in self._table:
            raise MissingPhrase(f"no phrase {key!r} in the {self.language} strings table")
        phrase = self._table[key]
        if isinstance(phrase, dict):
            if count is None:
                raise MissingPhrase(f"phrase {key!r} has plural forms: give it a count")
            return phrase["one" if count == 1 else "other"]
        if count is not None:
            raise MissingPhrase(f"phrase {key!r} has no plural forms, yet was given a count")
        return phrase

    def keys(self) -> set[str]:
        return set(self._table)


def table(language: str) -> dict[str, object]:
    """The raw table of a primary language subtag ("en"), as the TOML file has it."""
    if language not in languages():
        raise UnknownLanguage(unknown_language_message(language))
    source = files("kguide.locale").joinpath("strings").joinpath(f"{language}.toml")
    return tomllib.loads(source.read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def strings_for(language: str) -> Strings:
    """The phrases for a guide's language tag ("en-US", "es-US", "es")."""
    return Strings(primary(language), table(primary(language)))


def emergency_sentence(t: Strings, locale) -> str:
    """ "In an emergency, call 112 or 999." in the table's language with the locale's numbers
    (a `locale.data.Locale`), or the phrase for a locale that has none: never a number the
    locale does not give."""
    if not locale.emergency:
        return t.emergency_unknown
    number = locale.emergency
    if locale.emergency_also:
        number = t("emergency_either", first=locale.emergency, second=locale.emergency_also)
    return t("emergency", emergency=number)
