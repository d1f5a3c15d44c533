"""The sample guide: complete, plain, and written in its own words."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

from kguide.loader import load_guide
from kguide.readability.report import check_guide

SAMPLE = ROOT / "guides" / "ketamine-first-session"


def test_sample_guide_reads_at_grade_six_or_below():
    report = check_guide(load_guide(SAMPLE))
    assert report.figures.flesch_kincaid_grade <= 6.0
    assert report.figures.smog_grade <= 8.0
    assert report.status == "pass"
    assert all(s.status == "pass" for s in report.sections)


def test_sample_guide_covers_the_visit():
    guide = load_guide(SAMPLE)
    assert 6 <= len(guide.sections) <= 9
    titles = " | ".join(s.title.lower() for s in guide.sections)
    for part in ("before your visit", "during", "after", "side effects", "questions", "words to know"):
        assert part in titles
    text = " ".join(p.read_text().lower() for p in SAMPLE.glob("*.md"))
    assert all("555" in clinic.phone for clinic in guide.config.clinics.values())
    for safety in ("do not drive", "911", "988", "medicines"):
        assert safety in text, safety


def test_sample_guide_shares_no_sentences_with_the_sources():
    tool = ROOT.parent / "shared" / "tools" / "seed_overlap.py"
    if not tool.is_file():
        pytest.skip("the source articles are not beside this checkout")
    result = subprocess.run([sys.executable, str(tool), str(ROOT / "guides")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
