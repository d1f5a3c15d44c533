"""Locale data: each locale's emergency and crisis numbers, phone region and date format, from
one data file (locale/locales.toml) that the booklet, the listen page, the audio and the reading
check read through one object, `Locale`.

The guide's `language` (a BCP 47 tag, "en-GB") picks the table; guide.toml `[locale]` and a
clinic profile's `[clinics.<id>.locale]` override any value (`resolve`). A tag with no table
gives a `Locale` with no emergency number (`known` is False): the outputs then say "your local
emergency number" and never a number that may be wrong where the guide is used.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files

import phonenumbers

# The words an output shows when the locale has no emergency number. A plain English fallback:
# the strings table per language takes this phrase over.
NO_EMERGENCY_NUMBER = "your local emergency number"

# The values a guide or clinic may override, and their meaning (README: "Locale").
OVERRIDABLE = (
    "region",
    "emergency",
    "emergency_also",
    "crisis",
    "crisis_name",
    "crisis_how",
    "crisis_note",
    "date_format",
)
DEFAULT_DATE_FORMAT = "{year}-{month_number}-{day_number}"
_FIELD = re.compile(r"\{(\w+)\}")
DATE_FIELDS = ("day", "month", "year", "day_number", "month_number")


@dataclass(frozen=True)
class Locale:
    """How one locale's outputs write and read numbers, and which numbers they give.

    tag: the language tag it was made for.
    known: False when kguide has no data for the tag (then emergency and crisis are "").
    region: the phone region (ISO 3166 code, "GB") numbers are read and checked for; "" none.
    emergency / emergency_also: the emergency number(s) to print ("" when unknown).
    crisis, crisis_name, crisis_how, crisis_note: the crisis line and how to reach it.
    service_numbers: more short numbers said digit by digit.
    date_format: "{day} {month} {year}" style.
    """

    tag: str
    known: bool = False
    region: str = ""
    emergency: str = ""
    emergency_also: str = ""
    crisis: str = ""
    crisis_name: str = ""
    crisis_how: str = ""
    crisis_note: str = ""
    service_numbers: tuple[str, ...] = ()
    date_format: str = DEFAULT_DATE_FORMAT

    @property
    def country_code(self) -> str:
        """The country calling code of the phone region ("44"), "" for none."""
        code = phonenumbers.country_code_for_region(self.region) if self.region else 0
        return str(code) if code else ""

    @property
    def phone_region(self) -> str:
        """The region to parse national numbers for: "ZZ" (international numbers only) if none."""
        return self.region or "ZZ"

    @property
    def spoken_numbers(self) -> tuple[str, ...]:
        """Every number of the locale that is said digit by digit, as written."""
        found = (self.emergency, self.emergency_also, self.crisis, *self.service_numbers)
        return tuple(dict.fromkeys(n for n in found if n))

    def format_date(self, year: int, month: int, day: int, month_names: tuple[str, ...]) -> str:
        """A date as this locale writes it; `month_names` are the language's twelve names."""
        values = {
            "year": str(year),
            "month": month_names[month - 1],
            "day": str(day),
            "month_number": f"{month:02d}",
            "day_number": f"{day:02d}",
        }
        return _FIELD.sub(lambda m: values.get(m.group(1), m.group()), self.date_format)


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict]:
    text = files("kguide.locale").joinpath("locales.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def known_tags() -> tuple[str, ...]:
    """The language tags kguide has locale data for."""
    return tuple(_tables())


def no_locale_data(tag: str) -> str:
    """The warning for a language tag kguide has no emergency number for."""
    return (
        f"kguide has no locale data for language {tag!r} (it has {', '.join(known_tags())}): "
        f'the booklet and audio say "{NO_EMERGENCY_NUMBER}"; set [locale] emergency to give one'
    )


def _region_of(tag: str) -> str:
    """The region subtag of a tag ("fr-BE" -> "BE") when phonenumbers knows it, else ""."""
    for part in tag.split("-")[1:]:
        if len(part) == 2 and part.upper() in phonenumbers.SUPPORTED_REGIONS:
            return part.upper()
    return ""


@lru_cache(maxsize=64)
def _base(tag: str) -> Locale:
    table = next((t for name, t in _tables().items() if name.lower() == tag.lower()), None)
    if table is None:
        return Locale(tag, region=_region_of(tag))
    values = {k: v for k, v in table.items() if k != "service_numbers"}
    return Locale(tag, known=True, service_numbers=tuple(table.get("service_numbers", ())), **values)


def resolve(tag: str, *overrides: dict[str, str]) -> Locale:
    """The locale for language tag `tag`, each override (guide, then clinic) winning over the
    one before: an empty value keeps the value below it."""
    locale = _base(tag)
    for override in overrides:
        changed = {k: v for k, v in override.items() if k in OVERRIDABLE and v}
        if changed:
            locale = replace(locale, **changed)
    return locale


_SERVICE_NUMBER = re.compile(r"^\d+(?:[ -]\d+)*$")


def override_problems(values: dict[str, str]) -> list[tuple[str, str]]:
    """(key, what is wrong) for the values of a [locale] table."""
    found = []
    region = values.get("region", "")
    if region and region not in phonenumbers.SUPPORTED_REGIONS:
        found.append(
            ("region", f'must be a country code phone numbers are known for, like "GB", not {region!r}')
        )
    for key in ("emergency", "emergency_also", "crisis"):
        if values.get(key) and not _SERVICE_NUMBER.match(values[key]):
            found.append((key, f"must be a number as dialled (digits, spaces), not {values[key]!r}"))
    unknown = [n for n in _FIELD.findall(values.get("date_format", "")) if n not in DATE_FIELDS]
    if unknown:
        known = ", ".join("{" + n + "}" for n in DATE_FIELDS)
        found.append(("date_format", f"names unknown fields {unknown} (known: {known})"))
    return found


def phone_problem(phone: str, locale: Locale) -> str | None:
    """Why `phone` is not a number patients of the locale's region can dial, or None when it
    is. It must also be found whole in a sentence, so that it is never scored as words and is
    read digit by digit."""
    from .phones import phone_spans  # phones reads this module's Locale

    try:
        number = phonenumbers.parse(phone, locale.region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        problem = "is not a phone number"
    elif phone_spans(phone, locale) != [(0, len(phone))]:
        problem = "is not written as a phone number is written (groups of digits, as patients dial it)"
    else:
        return None
    return f"{problem} in region {locale.region} (set [locale] region for another): {phone!r}"
