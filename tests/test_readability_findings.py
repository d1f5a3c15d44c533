"""Plain-language findings, data-driven: each tests/data/readability/findings/<case>.md is a
section checked in a small guide (see guide.toml there), and <case>.out beside it holds the
exact lines `kguide check` prints for it, then one `accepted:` line per finding accepted in the
source. Adding a case means adding a file; KGUIDE_REGENERATE=1 rewrites the .out files, so a
change shows as a diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import DATA

from kguide.loader import load_guide
from kguide.readability.report import check_guide

FINDINGS = DATA / "readability" / "findings"
CASES = sorted(p for p in FINDINGS.glob("*.md") if p.name != "glossary.md")


def case_guide(case: Path, folder: Path) -> Path:
    """A guide made of the case's section, the shared glossary and the case's settings."""
    guide = folder / "case"
    guide.mkdir()
    config = (FINDINGS / "guide.toml").read_text(encoding="utf-8")
    extra = case.with_suffix(".toml")
    if extra.is_file():
        config += "\n" + extra.read_text(encoding="utf-8")
    (guide / "guide.toml").write_text(config, encoding="utf-8")
    shutil.copy(case, guide / f"01-{case.stem}.md")
    shutil.copy(FINDINGS / "glossary.md", guide / "99-glossary.md")
    words = case.with_suffix(".tsv")
    if words.is_file():
        shutil.copy(words, guide / "plain_words.tsv")
    return guide


def printed(guide: Path) -> str:
    report = check_guide(load_guide(guide))
    lines = [str(f) for f in report.findings] + [f"accepted: {f}" for f in report.accepted]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_findings(case, tmp_path, monkeypatch):
    guide = case_guide(case, tmp_path)
    monkeypatch.chdir(guide)  # paths print relative to the working folder, as in a shell
    got = printed(guide)
    expected = case.with_suffix(".out")
    if os.environ.get("KGUIDE_REGENERATE"):
        expected.write_text(got, encoding="utf-8")
    assert got == expected.read_text(encoding="utf-8")


def test_every_case_has_its_expected_output():
    assert CASES, "no cases found"
    assert [c.stem for c in CASES if not c.with_suffix(".out").is_file()] == []
