"""One model: a guide is read and parsed once per build, whatever the number of clinics, and
no renderer or check opens a section file again."""

from __future__ import annotations

import builtins
import io
from pathlib import Path

from conftest import GUIDES

from kguide import markdown
from kguide.build import BuildOptions, build_clinics


def test_two_clinic_build_reads_and_parses_each_section_once(tmp_path, tts_cache, monkeypatch):
    guide_dir = (GUIDES / "clinics").resolve()
    sections = {p.resolve() for p in guide_dir.glob("*.md")}
    opened: list[Path] = []
    parsed: list[Path] = []

    real_open, real_parse = io.open, markdown.parse_section

    def counting_open(file, *args, **kwargs):
        if isinstance(file, str | Path) and Path(file).resolve() in sections:
            opened.append(Path(file).resolve())
        return real_open(file, *args, **kwargs)

    def counting_parse(path, *args, **kwargs):
        parsed.append(path)
        return real_parse(path, *args, **kwargs)

    monkeypatch.setattr(io, "open", counting_open)
    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(markdown, "parse_section", counting_parse)
    results = build_clinics(guide_dir, BuildOptions(out=tmp_path / "out", cache_dir=tts_cache))

    assert [r.guide.clinic_id for r in results] == ["lakeside", "hilltop"]
    assert all(not r.skipped for r in results)
    assert sorted(parsed) == sorted(sections)  # each section parsed once for both clinics
    assert sorted(opened) == sorted(sections)  # and read once: its hash and text come from one read
    # each clinic's outputs carry its own details, from the same parsed model
    for result, phone in zip(results, ("555-0100", "555-0199"), strict=True):
        transcript = (result.folder / "transcript.txt").read_text(encoding="utf-8")
        assert phone in transcript and "{{" not in transcript
