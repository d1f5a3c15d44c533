"""Locale data: the guide's language picks the emergency and crisis numbers every output gives,
a guide's [locale] and a clinic profile's [clinics.ID.locale] override them, and a language
kguide has no data for warns and gives no number at all (never 911)."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pdftools
import phonenumbers
import pytest
from audiotools import duration as probe_seconds
from conftest import GUIDES, run_kguide

from kguide import booklet
from kguide.loader import load_guide
from kguide.locale.data import known_tags, resolve
from kguide.locale.strings import emergency_sentence, strings_for
from kguide.narration.script import build_script, transcript
from kguide.narration.spoken import guide_lexicon

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "kguide"
SHIPPED = ("en-US", "en-GB", "en-CA", "en-AU", "en-IE", "es-US", "es-MX", "es-ES")


@pytest.fixture
def gb_copy(tmp_path) -> Path:
    target = tmp_path / "mini-gb"
    shutil.copytree(GUIDES / "mini-gb", target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


def _outro(guide_dir: Path, clinic: str = ""):
    guide = load_guide(guide_dir).bind(clinic)
    return build_script(guide, guide_lexicon(guide), 160)[-1].segments


# ---- the data ---------------------------------------------------------------------------------


def test_every_shipped_locale_has_numbers_a_phone_can_dial():
    assert set(SHIPPED) <= set(known_tags())
    for tag in SHIPPED:
        locale = resolve(tag)
        assert locale.known and locale.region in phonenumbers.SUPPORTED_REGIONS, tag
        assert locale.emergency.isdigit() and locale.crisis and locale.crisis_name, tag
        assert locale.country_code == str(phonenumbers.country_code_for_region(locale.region)), tag


@pytest.mark.parametrize(
    "tag, emergency, crisis",
    [
        ("en-US", "911", "988"),
        ("en-GB", "999", "116 123"),
        ("en-IE", "112 or 999", "116 123"),
        ("en-AU", "000", "13 11 14"),
        ("en-CA", "911", "988"),
        ("es-MX", "911", "800 911 2000"),
        ("es-ES", "112", "024"),
        ("es-US", "911", "988"),
    ],
)
def test_the_language_tag_picks_the_locale(tag, emergency, crisis):
    locale = resolve(tag)
    given = " or ".join(n for n in (locale.emergency, locale.emergency_also) if n)
    assert (given, locale.crisis) == (emergency, crisis)
    said = emergency_sentence(strings_for(tag), locale)
    assert locale.emergency in said and (locale.emergency_also or locale.emergency) in said


def test_a_tag_without_data_gives_no_number_but_keeps_its_phone_region():
    locale = resolve("en-NZ")
    assert not locale.known and locale.emergency == "" and locale.crisis == ""
    t = strings_for("en")
    assert emergency_sentence(t, locale) == t.emergency_unknown
    assert locale.region == "NZ"  # phone numbers are still read for New Zealand


def test_no_emergency_number_is_fixed_text_in_code_or_templates():
    """Every emergency and crisis number comes from locales.toml: none is a string in a module
    (docstrings and comments aside) or text in a template."""
    numbers = {n for tag in SHIPPED for n in resolve(tag).spoken_numbers if len(n.replace(" ", "")) <= 4}
    pattern = re.compile(r"(?<![\w.\-/#,])(" + "|".join(sorted(numbers)) + r")(?![\w\-/])")
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix == ".py":
            found += [f"{path.name}: {s!r}" for s in _code_strings(path) if pattern.search(s)]
        elif path.suffix in (".j2", ".html", ".js", ".css"):
            text = path.read_text(encoding="utf-8")
            found += [f"{path.name}: {m.group()}" for m in pattern.finditer(text)]
    assert not found, "\n".join(found)


def _code_strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_dates_are_written_the_locale_way():
    months = ("January", "February", "March", "April", "May", "June", "July", "August")
    assert resolve("en-US").format_date(2026, 5, 4, months) == "May 4, 2026"
    assert resolve("en-GB").format_date(2026, 5, 4, months) == "4 May 2026"
    assert resolve("es-MX").format_date(2026, 5, 4, ("enero", "febrero", "marzo", "abril", "mayo")) == (
        "4 de mayo de 2026"
    )


# ---- an en-GB guide's outputs --------------------------------------------------------------


def test_gb_booklet_prints_999_and_never_911(tmp_path):
    result = run_kguide("build", str(GUIDES / "mini-gb"), "--no-audio", "--out", str(tmp_path))
    assert result.code == 0, result.err
    text = " ".join(pdftools.text(tmp_path / "mini-gb" / "booklet.pdf").split())
    assert "In an emergency, call 999." in text
    assert "116 123, Samaritans" in text
    assert "020 7946 0000" in text
    assert "911" not in text and "988" not in text
    assert "no locale data" not in result.err
    transcript_text = (tmp_path / "mini-gb" / "transcript.txt").read_text(encoding="utf-8")
    assert "In an emergency, call 999." in transcript_text and "911" not in transcript_text


def test_gb_narration_says_nine_nine_nine():
    guide = load_guide(GUIDES / "mini-gb").bind()
    tracks = build_script(guide, guide_lexicon(guide), 160)
    outro = tracks[-1].segments
    assert outro[-1].text == "In an emergency, call 999."
    assert outro[-1].spoken == "In an emergency, call nine nine nine."
    assert "zero two zero, seven nine four six, zero zero zero zero" in outro[1].spoken
    said = " ".join(s.spoken for t in tracks for s in t.segments)
    assert "nine one one" not in said and "911" not in transcript(guide, tracks)


def test_gb_listen_page_and_audio_give_999(tmp_path, tts_cache):
    """A real build with speech (eSpeak NG through pyttsx3, a tiny guide): the listen page links
    999 and Samaritans, and the last track, which says the emergency number, is there."""
    result = run_kguide(
        "build", str(GUIDES / "mini-gb"), "--out", str(tmp_path), "--cache-dir", str(tts_cache)
    )
    assert result.code == 0, result.err
    build = tmp_path / "mini-gb"
    page = (build / "site" / "index.html").read_text(encoding="utf-8")
    urgent = " ".join(re.search(r'<p class="urgent">(.*?)</p>', page, re.S).group(1).split())
    assert '<a href="tel:999">999</a>' in urgent and '<a href="tel:116123">116 123</a>, Samaritans' in urgent
    assert not re.search(r"(?<![\d.])(911|988)(?![\d.])", page)  # timings such as 46.988 aside
    captions = (build / "captions.vtt").read_text(encoding="utf-8")
    assert "In an emergency, call 999." in captions
    last = sorted((build / "audio").glob("*-contact-us.mp3"))
    assert last and probe_seconds(last[0]) > 3


# ---- overrides ------------------------------------------------------------------------------


def test_guide_locale_overrides_the_language_data(gb_copy):
    _append(gb_copy / "guide.toml", '[locale]\nemergency = "112"\ncrisis_name = "the Samaritans"\n')
    guide = load_guide(gb_copy).bind()
    assert (guide.locale.emergency, guide.locale.crisis, guide.locale.crisis_name) == (
        "112",
        "116 123",
        "the Samaritans",
    )
    html = booklet.render_html(guide, booklet.editions(guide)[0])
    assert ">112</a>." in html and ">999<" not in html and "the Samaritans" in html
    assert _outro(gb_copy)[-1].spoken == "In an emergency, call one one two."


def test_a_clinic_profile_locale_wins_over_the_guide(tmp_path):
    folder = tmp_path / "clinics"
    shutil.copytree(GUIDES / "clinics", folder)
    toml = folder / "guide.toml"
    text = toml.read_text(encoding="utf-8")
    first, second = [m.group(1) for m in re.finditer(r"^\[clinics\.([\w-]+)\]$", text, re.MULTILINE)]
    _append(toml, '[locale]\nemergency = "112"\ncrisis_name = "the crisis line"\n')
    _edit(
        toml,
        f"[clinics.{second}]",
        f'[clinics.{second}.locale]\nemergency = "999"\ncrisis = "0800 555 0199"\n\n[clinics.{second}]',
    )
    one, two = load_guide(folder).bind(first), load_guide(folder).bind(second)
    # the guide's [locale] over the en-US data; the second clinic's own over the guide's
    assert (one.locale.emergency, one.locale.crisis, one.locale.crisis_name) == (
        "112",
        "988",
        "the crisis line",
    )
    assert (two.locale.emergency, two.locale.crisis, two.locale.crisis_name) == (
        "999",
        "0800 555 0199",
        "the crisis line",
    )
    html = booklet.render_html(two, booklet.editions(two)[0])
    assert 'href="tel:999"' in html and 'href="tel:08005550199"' in html and "tel:112" not in html
    assert _outro(folder, second)[-1].text == "In an emergency, call 999."
    assert _outro(folder, first)[-1].text == "In an emergency, call 112."


# ---- a language with no data ----------------------------------------------------------------


def test_unknown_tag_warns_once_and_prints_no_911(tmp_path):
    folder = tmp_path / "clinics"
    shutil.copytree(GUIDES / "clinics", folder)
    _edit(folder / "guide.toml", 'language = "en-US"', 'language = "en-NZ"')
    _edit(folder / "guide.toml", 'phone = "555-0100"', 'phone = "03 234 5678"')
    _edit(folder / "guide.toml", 'phone = "555-0199"', 'phone = "03 234 5679"')
    out = tmp_path / "build"
    result = run_kguide("build", str(folder), "--no-audio", "--out", str(out))
    assert result.code == 0, result.err
    warnings = [line for line in result.err.splitlines() if "no locale data" in line]
    assert len(warnings) == 1, result.err  # once, for both clinics
    assert "guide.toml" in warnings[0] and "'en-NZ'" in warnings[0]
    for pdf in sorted(out.glob("clinics/*/booklet.pdf")):
        text = " ".join(pdftools.text(pdf).split()).split("Contact us")[-1]  # the guide's own text aside
        assert strings_for("en").emergency_unknown in text, pdf
        assert "911" not in text and "988" not in text, pdf
    assert len(list(out.glob("clinics/*/booklet.pdf"))) == 2
    segments = _outro(folder)
    assert segments[-1].text == strings_for("en").emergency_unknown


def test_a_locale_given_in_the_guide_silences_the_warning(tmp_path):
    folder = tmp_path / "mini"
    shutil.copytree(GUIDES / "mini", folder)
    _edit(folder / "guide.toml", 'language = "en-US"', 'language = "en-NZ"')
    _edit(folder / "guide.toml", 'phone = "555-0100"', 'phone = "03 234 5678"')
    _append(folder / "guide.toml", '[locale]\nemergency = "111"\n')
    result = run_kguide("build", str(folder), "--no-audio", "--out", str(tmp_path / "out"))
    assert result.code == 0, result.err
    assert "no locale data" not in result.err
    text = " ".join(pdftools.text(tmp_path / "out" / "mini" / "booklet.pdf").split())
    assert "In an emergency, call 111." in text


# ---- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            'phone = "020 7946 0000"',
            'phone = "123"',
            r"guide\.toml:9: 'clinic\.phone' is not a phone number in region GB",
        ),
        (
            "[voice]",
            '[locale]\nregion = "XX"\n\n[voice]',
            r"guide\.toml:14: 'locale\.region' must be a country code",
        ),
        (
            "[voice]",
            '[locale]\nemergency = "call 999"\n\n[voice]',
            r"guide\.toml:14: 'locale\.emergency' must be a number",
        ),
        (
            "[voice]",
            '[locale]\ndate_format = "{weekday}"\n\n[voice]',
            r"guide\.toml:14: 'locale\.date_format' names unknown",
        ),
        (
            "[voice]",
            "[locale]\nemergency = 999\n\n[voice]",
            r"guide\.toml:14: 'locale\.emergency' must be a string",
        ),
        ("[voice]", '[locale]\nfax = "1"\n\n[voice]', r"guide\.toml:14: unknown key 'locale\.fax'"),
    ],
)
def test_locale_and_phone_errors_name_file_and_line(gb_copy, old, new, message):
    _edit(gb_copy / "guide.toml", old, new)
    result = run_kguide("check", str(gb_copy))
    assert result.code == 2, result.err
    assert re.search(message, result.err), result.err
    assert "Traceback" not in result.err


def test_a_clinic_phone_is_read_for_the_clinic_region(gb_copy):
    """A number that is fine in one region is wrong in another: the clinic's [locale] region
    decides."""
    toml = gb_copy / "guide.toml"
    assert run_kguide("check", str(gb_copy)).code == 0  # 020 7946 0000 is a London number
    _append(toml, '[clinic.locale]\nregion = "US"\n')
    result = run_kguide("check", str(gb_copy))
    assert result.code == 2 and re.search(r"guide\.toml:9: 'clinic\.phone' .* region US", result.err), (
        result.err
    )


def test_a_clinic_phone_must_read_as_a_phone_of_its_region(tmp_path):
    """A US-style number in a New Zealand guide would be scored as words and read as amounts:
    it is an error, naming the file, the line and the value."""
    folder = tmp_path / "mini"
    shutil.copytree(GUIDES / "mini", folder)
    _edit(folder / "guide.toml", 'language = "en-US"', 'language = "en-NZ"')
    result = run_kguide("check", str(folder))
    assert result.code == 2, result.err
    assert re.search(
        r"guide\.toml:9: 'clinic\.phone' is not written as a phone number .* region NZ .*'555-0100'",
        result.err,
    )
