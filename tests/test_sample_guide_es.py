"""The Spanish sample guide: complete, with the safety points, and built as a user builds it:
booklet, audio in a Spanish voice, reading check."""

from __future__ import annotations

import json

import pikepdf
import pytest
from audiotools import duration, loudness
from conftest import ROOT, run_kguide
from pdftools import text

from kguide.loader import load_guide

SAMPLE = ROOT / "guides" / "ketamina-primera-sesion"


def test_spanish_sample_covers_the_visit_and_the_safety_points():
    guide = load_guide(SAMPLE)
    assert guide.config.language == "es-US"
    assert len(guide.sections) == len(load_guide(ROOT / "guides" / "ketamine-first-session").sections)
    titles = " | ".join(s.title.lower() for s in guide.sections)
    for part in ("antes de su visita", "durante", "después", "efectos secundarios", "preguntas", "palabras"):
        assert part in titles
    assert [s.layout for s in guide.sections[-2:]] == ["questions", "glossary"]
    assert sorted(guide.config.clinics) == ["lomaverde", "rioclaro"]
    for clinic in guide.config.clinics.values():
        assert "555" in clinic.phone and "example.org" in clinic.audio_url
    body = " ".join(p.read_text(encoding="utf-8").lower() for p in SAMPLE.glob("*.md"))
    for safety in ("no maneje", "todas las medicinas", "911", "988", "{{ clinic.phone }}"):
        assert safety in body, safety


@pytest.fixture(scope="module")
def rioclaro(tmp_path_factory, tts_cache):
    """The Spanish sample built for one of its clinics through the CLI (eSpeak NG is quick; the
    other clinic differs only in its name, phone and addresses)."""
    out = tmp_path_factory.mktemp("build")
    result = run_kguide(
        "build", str(SAMPLE), "--clinic", "rioclaro", "--out", str(out), "--cache-dir", str(tts_cache)
    )
    assert result.code == 0, result.err
    return out / "ketamina-primera-sesion" / "rioclaro"


def test_spanish_sample_builds_booklet_audio_and_reading_check(rioclaro):
    with pikepdf.open(rioclaro / "booklet.pdf") as pdf:
        assert str(pdf.Root.Lang) == "es-US"
    first_part = text(rioclaro / "booklet.pdf")
    assert "Qué es la ketamina" in first_part and "(555) 010-3388" in first_part
    manifest = json.loads((rioclaro / "manifest.json").read_text())
    assert manifest["engine"]["voice"] == "roa/es-419"
    whole = rioclaro / "audio" / "ketamina-primera-sesion.mp3"
    assert duration(whole) > 10 * 60  # about 2,300 words spoken
    integrated, peak = loudness(rioclaro / "audio" / "04-durante-la-sesion.mp3")
    assert integrated == pytest.approx(-16.0, abs=1.0) and peak <= -1.0
    reading = json.loads((rioclaro / "reading.json").read_text())
    assert reading["status"] in ("pass", "warn")
