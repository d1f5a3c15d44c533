"""The editor's loop: a quick build with no speech, and a failed build's reading report."""

from __future__ import annotations

import json
import shutil

from conftest import GUIDES, run_kguide

HARD = (
    "\nComprehensive pharmacological evaluation necessitates interdisciplinary "
    "consideration of individualized physiological characteristics.\n"
)


def test_no_audio_build_makes_booklets_and_report_without_any_speech(tmp_path):
    out = tmp_path / "out"
    # a voice that does not exist: a build that loaded an engine would fail on it
    result = run_kguide(
        "build",
        str(GUIDES / "mini"),
        "--out",
        str(out),
        "--no-audio",
        "--engine",
        "piper",
        "--voice",
        "/nope.onnx",
    )
    assert result.code == 0, result.err
    folder = out / "mini"
    for name in (
        "booklet.pdf",
        "booklet-large-print.pdf",
        "booklet-print.pdf",
        "reading-report.html",
        "reading.json",
    ):
        assert (folder / name).stat().st_size > 0, name
    assert not (folder / "audio").exists() and not (out / ".cache" / "tts").exists()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["audio"] is None and "mini: no audio (--no-audio)" in result.err
    again = run_kguide("build", str(GUIDES / "mini"), "--out", str(out), "--no-audio")
    assert again.code == 0 and "up to date" in again.err


def test_a_failed_build_writes_its_reading_report_where_the_message_says(tmp_path):
    guide = tmp_path / "mini"
    shutil.copytree(GUIDES / "mini", guide)
    out = tmp_path / "out"
    assert run_kguide("build", str(guide), "--out", str(out), "--no-audio").code == 0
    before = (out / "mini" / "booklet.pdf").read_bytes()
    section = guide / "02-after.md"
    good = section.read_text()
    section.write_text(good + HARD)
    failed = run_kguide("build", str(guide), "--out", str(out), "--no-audio")
    assert failed.code == 1
    report = out / "mini-reading-report.html"
    assert f"the reading report shows each finding in the text: {report}" in failed.err
    assert "very hard to read" in report.read_text(encoding="utf-8")
    assert (out / "mini" / "booklet.pdf").read_bytes() == before  # the last good build is kept
    section.write_text(good)
    assert run_kguide("build", str(guide), "--out", str(out), "--no-audio").code == 0
    assert not report.exists()  # out of date once the guide builds again
    report.write_text("<p>my own notes</p>")  # a file kguide did not write is never touched
    section.write_text(good + HARD)
    assert run_kguide("build", str(guide), "--out", str(out), "--no-audio").code == 1
    assert report.read_text() == "<p>my own notes</p>"


def test_new_writes_a_starter_guide_that_passes_the_check_and_builds(tmp_path, tts_cache):
    made = run_kguide("new", "my-guide", cwd=tmp_path)
    assert made.code == 0, made.err
    guide = tmp_path / "my-guide"
    names = sorted(p.name for p in guide.iterdir())
    assert names == [
        "01-welcome.md",
        "02-your-visit.md",
        "03-questions.md",
        "04-words-to-know.md",
        "guide.toml",
    ]
    assert "# " in (guide / "guide.toml").read_text()  # commented for the editor
    checked = run_kguide("check", "my-guide", "--strict", cwd=tmp_path)
    assert checked.code == 0, checked.out + checked.err  # not even a warning
    assert "findings: 0 errors, 0 warnings, 0 suggestions" in checked.out
    built = run_kguide(
        "build", "my-guide", "--engine", "pyttsx3", "--cache-dir", str(tts_cache), cwd=tmp_path
    )
    assert built.code == 0, built.err
    assert (tmp_path / "build" / "my-guide" / "audio" / "my-guide.mp3").is_file()
    again = run_kguide("new", "my-guide", cwd=tmp_path)  # never over an editor's files
    assert again.code == 2 and "needs a new or empty folder" in again.err
