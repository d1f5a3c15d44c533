"""Tests for holes that seeded bugs once slipped through: each fails if its bug comes back
(see tests/seed_bugs.py, which seeds them one at a time and runs these)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from conftest import GUIDES, run_kguide

from kguide import build, cli, ownership
from kguide.narration.cache import SegmentCache, TrackCache
from kguide.readability.syllables import fallback_syllables


class _Engine:
    name = "fake"

    def __init__(self, **describe):
        self._describe = {"engine": "fake", "voice": "v1", "rate": "150", **describe}

    def describe(self) -> dict[str, str]:
        return dict(self._describe)


@pytest.mark.parametrize("change", [{"engine": "other"}, {"voice": "v2"}, {"rate": "170"}])
def test_speech_cache_keys_change_with_engine_voice_and_rate(tmp_path, change):
    """A --rate (or voice, or engine) change must never reuse speech made with the old one."""
    base = SegmentCache(tmp_path, _Engine())
    other = SegmentCache(tmp_path, _Engine(**change))
    assert base.key("Hello there.") != other.key("Hello there.")
    assert base.path("Hello there.") != other.path("Hello there.")
    assert base.key("Hello there.") == SegmentCache(tmp_path, _Engine()).key("Hello there.")
    tracks = TrackCache(tmp_path, _Engine(), {}), TrackCache(tmp_path, _Engine(**change), {})
    assert tracks[0].key([("Hi.", 400)]) != tracks[1].key([("Hi.", 400)])


def _guide_with_one_hard_section(tmp_path: Path) -> Path:
    guide = tmp_path / "mixed"
    guide.mkdir()
    (guide / "guide.toml").write_text(
        'title = "Mixed"\nlanguage = "en-US"\n[clinic]\nname = "Test Clinic"\nphone = "555-0100"\n'
        'address = "1 Test Road"\n[reading.limits]\nflesch_kincaid_grade = 8.0\n'
        '[reading.rules.hard_sentence]\nseverity = "off"\n[reading.rules.long_sentence]\nseverity = "off"\n'
        '[reading.rules.plain_word]\nseverity = "off"\n[reading.rules.undefined_term]\nseverity = "off"\n'
    )
    easy = "You can sit in a soft chair. We stay with you. You can ask us to stop. " * 6
    for number in range(1, 5):
        (guide / f"0{number}-easy-{number}.md").write_text(f"---\ntitle: Easy {number}\n---\n{easy}\n")
    hard = (
        "Intravenous administration necessitates comprehensive pharmacological consideration "
        "regarding contraindications and individualized physiological characteristics."
    )
    (guide / "05-hard.md").write_text(f"---\ntitle: Hard\n---\n{hard}\n")
    return guide


def test_a_section_above_its_hard_limit_fails_though_the_guide_is_below(tmp_path):
    guide = _guide_with_one_hard_section(tmp_path)
    result = run_kguide("check", str(guide))
    assert result.code == 1, result.out + result.err
    assert "05-hard.md: section reads above its hard limit: Flesch-Kincaid grade" in result.err
    assert "whole guide reads above" not in result.err  # the guide as a whole is below its limit


def test_an_internal_error_exits_3_with_a_plain_message(monkeypatch, capsys):
    def broken(*_args, **_kwargs):
        raise RuntimeError("seeded")

    monkeypatch.setattr(build, "build_clinics", broken)
    monkeypatch.setattr(sys, "argv", ["kguide", "build", str(GUIDES / "mini")])
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: seeded" in err and "Traceback" not in err


def test_several_guides_exit_with_the_worst_code(tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(GUIDES / "mini", broken)
    (broken / "guide.toml").write_text("title = [\n")
    hard, good = GUIDES / "hard", GUIDES / "mini"
    assert run_kguide("check", str(good), str(hard)).code == 1
    assert run_kguide("check", str(hard), str(good)).code == 1
    assert run_kguide("check", str(broken), str(hard), str(good)).code == 2
    assert run_kguide("check", str(hard), str(broken)).code == 2


def test_output_swap_keeps_the_last_build_when_the_rename_fails(tmp_path, monkeypatch):
    """Between staging and the final rename, a failure must leave the previous build whole."""
    target = tmp_path / "out" / "guide"
    target.mkdir(parents=True)
    (target / "booklet.pdf").write_text("previous good build")
    (target / "manifest.json").write_text('{"outputs": {"booklet.pdf": {}}}')  # a build kguide wrote
    staging = tmp_path / "out" / ".guide.tmp-1"
    staging.mkdir()
    (staging / "booklet.pdf").write_text("new build")
    real_rename = Path.rename

    def failing_rename(self, dest):
        if Path(self) == staging:
            raise OSError(28, "No space left on device")
        return real_rename(self, dest)

    monkeypatch.setattr(Path, "rename", failing_rename)
    with pytest.raises(OSError):
        ownership.swap_into_place(staging, target)
    assert (target / "booklet.pdf").read_text() == "previous good build"


@pytest.mark.parametrize(
    "word, count",
    [("table", 2), ("little", 2), ("simple", 2), ("bottle", 2), ("apple", 2), ("stable", 2), ("flible", 2)],
)
def test_syllable_fallback_counts_a_final_consonant_le(word, count):
    """Words the dictionary lacks are estimated from their spelling: "-ble" is a syllable."""
    assert fallback_syllables(word) == count


@pytest.mark.parametrize("words, severity", [(20, None), (21, "warning"), (25, "warning"), (26, "error")])
def test_long_sentence_limits_are_exact(mini_copy, words, severity):
    """Defaults: more than 20 words is a warning, more than 25 an error; not one word later."""
    from kguide.loader import load_guide
    from kguide.readability.report import check_guide

    sentence = " ".join(["we"] * (words - 1) + ["rest."]).capitalize()
    section = mini_copy / "02-after.md"
    section.write_text(section.read_text() + f"\n{sentence}\n")
    found = [f for f in check_guide(load_guide(mini_copy)).findings if f.rule == "long_sentence"]
    assert [f.severity for f in found] == ([severity] if severity else [])
