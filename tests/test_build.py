"""A whole build of the small fixture guide through the CLI: open what it made and measure it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pikepdf
import pytest
from audiotools import loudness, probe
from conftest import GUIDES, run_kguide
from pdftools import struct_elements

A5 = (419.53, 595.28)


def test_build_writes_every_output(mini_build):
    names = {p.relative_to(mini_build).as_posix() for p in mini_build.rglob("*") if p.is_file()}
    assert {
        "booklet.pdf",
        "booklet-large-print.pdf",
        "booklet-print.pdf",
        "transcript.txt",
        "reading.json",
        "manifest.json",
        "audio/00-introduction.mp3",
        "audio/01-welcome.mp3",
        "audio/02-after.mp3",
        "audio/03-contact-us.mp3",
        "audio/mini.mp3",
    } <= names
    leftovers = [p.name for p in mini_build.parent.iterdir() if p.name.startswith(".mini.")]
    assert leftovers == []


def test_pdf_is_tagged_with_language_title_and_page_size(mini_build):
    with pikepdf.open(mini_build / "booklet.pdf") as pdf:
        assert str(pdf.Root.Lang) == "en-US"
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        assert str(pdf.docinfo["/Title"]) == "Your visit in short"
        with pdf.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"
            assert xmp["dc:title"] == "Your visit in short"
        for page in pdf.pages:
            box = [float(v) for v in page.MediaBox]
            assert (round(box[2], 2), round(box[3], 2)) == A5


def test_pdf_headings_are_in_order_without_skipped_levels(mini_build):
    types = [kind for kind, _ in struct_elements(mini_build / "booklet.pdf")]
    headings = [int(t[2:]) for t in types if re.fullmatch(r"/H\d", t)]
    # cover title, "How to use" and its "Listen to this guide", "Contents", then each part and its
    # sub-headings, back page (the notes pages have no heading: their title is page furniture)
    assert headings == [1, 2, 3, 2, 2, 3, 2, 2]
    for before, after in zip(headings, headings[1:], strict=False):
        assert after <= before + 1


def test_pdf_lists_and_figures_are_tagged(mini_build):
    elements = struct_elements(mini_build / "booklet.pdf")
    types = [kind for kind, _ in elements]
    figures = [alt for kind, alt in elements if kind == "/Figure"]
    assert "/L" in types and "/LI" in types and "/LBody" in types
    assert figures == ["A soft chair in a quiet room"]


def test_pdf_fonts_are_embedded_with_unicode_maps(mini_build):
    seen = {}
    with pikepdf.open(mini_build / "booklet.pdf") as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                embedded = any(k in descriptor.keys() for k in ("/FontFile2", "/FontFile3", "/FontFile"))  # noqa: SIM118 (pikepdf)
                seen[str(font.BaseFont)] = ("/ToUnicode" in font.keys(), embedded)  # noqa: SIM118
    assert seen, "no fonts found"
    for name, (unicode_map, embedded) in seen.items():
        assert "Atkinson-Hyperlegible" in name
        assert unicode_map and embedded, name


def test_pdf_text_has_title_clinic_contents_and_sections(mini_build):
    text = subprocess.run(
        ["pdftotext", "-layout", str(mini_build / "booklet.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Your visit in short" in text
    assert "Lakeside Test Clinic" in text
    assert "555-0100" in text  # the template variable was filled
    assert "{{" not in text
    assert re.search(r"1\. Welcome\s+4", text), "contents line with page number"
    assert "Do not drive until the next day." in text
    assert "www.example.org/lakeside" in text


def test_pdf_page_renders_to_a_non_blank_image(mini_build, tmp_path):
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-f",
            "4",
            "-l",
            "4",
            "-gray",
            str(mini_build / "booklet.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    (image,) = tmp_path.glob("p*.pgm")
    data = image.read_bytes()
    header_end = data.index(b"255\n") + 4
    pixels = data[header_end:]
    dark = sum(1 for b in pixels if b < 128)
    assert 0.005 < dark / len(pixels) < 0.5


def _probe(path):
    return probe(path, "format=duration:stream=sample_rate,channels,codec_name", "format_tags")


def test_audio_tracks_match_their_words(mini_build):
    manifest = json.loads((mini_build / "manifest.json").read_text())
    tracks = manifest["audio"]["tracks"] + [manifest["audio"]["whole"]]
    assert [t["file"] for t in tracks] == [
        "audio/00-introduction.mp3",
        "audio/01-welcome.mp3",
        "audio/02-after.mp3",
        "audio/03-contact-us.mp3",
        "audio/mini.mp3",
    ]
    for track in tracks:
        info = _probe(mini_build / track["file"])
        stream = info["streams"][0]
        assert stream["codec_name"] == "mp3"
        assert stream["sample_rate"] == "22050" and stream["channels"] == 1
        duration = float(info["format"]["duration"])
        # Speech at 160 words a minute plus pauses and room tone: the duration must fit the words.
        speech = track["words"] / 160 * 60
        assert speech * 0.6 < duration < speech * 1.7 + 6, (track["file"], duration, track["words"])
        assert abs(duration - track["seconds"]) < 0.5


def test_whole_guide_is_the_tracks_end_to_end(mini_build):
    parts = sum(float(_probe(p)["format"]["duration"]) for p in sorted((mini_build / "audio").glob("0*.mp3")))
    whole = float(_probe(mini_build / "audio" / "mini.mp3")["format"]["duration"])
    assert abs(whole - parts) < 0.5
    tags = _probe(mini_build / "audio" / "mini.mp3")["format"]["tags"]
    assert tags["artist"] == "Lakeside Test Clinic" and tags["album"] == "Your visit in short"


def test_audio_loudness_is_level(mini_build):
    for name in ("01-welcome.mp3", "mini.mp3"):
        integrated, peak = loudness(mini_build / "audio" / name)
        assert -17.0 <= integrated <= -15.0, (name, integrated)
        assert peak <= -1.0, (name, peak)


def test_transcript_and_narration_script(mini_build):
    text = (mini_build / "transcript.txt").read_text()
    assert text.startswith("Your visit in short\n")
    assert "A guide for patients from Lakeside Test Clinic." in text
    assert "Part 1. Welcome." in text and "Part 2. After your visit." in text
    assert "A picture shows: A soft chair in a quiet room." in text
    assert "If you have questions, call Lakeside Test Clinic at 555-0100." in text


def test_manifest_records_inputs_tools_and_engine(mini_build):
    manifest = json.loads((mini_build / "manifest.json").read_text())
    assert set(manifest["inputs"]) == {"guide.toml", "01-welcome.md", "02-after.md", "chair.png"}
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in manifest["inputs"].values())
    assert manifest["engine"]["engine"] == "pyttsx3" and manifest["engine"]["rate"] == "160"
    assert manifest["tools"]["weasyprint"] and manifest["tools"]["ffmpeg"].startswith("ffmpeg version")
    assert manifest["reading"]["status"] == "pass"
    assert manifest["booklet"]["pages"] == 8  # filled to whole folded sheets with notes pages
    assert manifest["booklet"]["files"] == {
        "booklet.pdf": 8,
        "booklet-print.pdf": 4,
        "booklet-large-print.pdf": 6,
    }
    assert "booklet.pdf" in manifest["outputs"]


def test_reading_json_has_sections_and_guide(mini_build):
    reading = json.loads((mini_build / "reading.json").read_text())
    assert [s["file"] for s in reading["sections"]] == ["01-welcome.md", "02-after.md"]
    assert set(reading["whole_guide"]["figures"]) >= {
        "flesch_kincaid_grade",
        "smog_grade",
        "flesch_reading_ease",
        "words",
    }


def test_rebuild_without_change_is_skipped_and_an_edit_rebuilds(mini_copy, tmp_path, tts_cache):
    out = tmp_path / "out"
    args = ("build", str(mini_copy), "--out", str(out), "--cache-dir", str(tts_cache))
    assert run_kguide(*args).code == 0
    first = (out / "mini" / "manifest.json").read_text()
    again = run_kguide(*args)
    assert again.code == 0 and "up to date" in again.err
    assert (out / "mini" / "manifest.json").read_text() == first
    section = mini_copy / "02-after.md"
    section.write_text(section.read_text().replace("Eat a light meal.", "Eat a small meal."))
    edited = run_kguide(*args)
    assert edited.code == 0, edited.err
    # only the edited item is spoken anew; the rest comes from the cache
    assert re.search(r"\(1 segments spoken, \d+ from cache\)", edited.err), edited.err
    assert "Eat a small meal." in (out / "mini" / "transcript.txt").read_text()


def test_hard_guide_fails_with_located_sentences_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    result = run_kguide("build", str(GUIDES / "hard"), "--out", str(out))
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "the whole guide reads above its hard limit: SMOG grade" in result.err
    # findings print as PATH:LINE:COLUMN: LEVEL RULE: MESSAGE (see tests/test_check_cli.py)
    lines = [l for l in result.err.splitlines() if ": error hard_sentence: very hard to read" in l]
    assert [l.split(": error ")[0].rsplit("/", 1)[1] for l in lines] == [
        "01-preparation.md:6:1",
        "01-preparation.md:11:1",
    ]
    assert not any(":4:" in l for l in lines)  # "You will come in at nine." is easy
    assert not (out / "hard").exists()


def test_check_prints_a_table_and_json(tmp_path):
    table = run_kguide("check", str(GUIDES / "mini"))
    assert table.code == 0
    assert re.search(r"01-welcome\.md\s+\d+\s+[\d.]+\s+-?[\d.]+", table.out)
    assert "whole guide" in table.out
    data = run_kguide("check", str(GUIDES / "mini"), "--format", "json")
    parsed = json.loads(data.out)["guides"][0]
    assert parsed["status"] == "pass" and len(parsed["sections"]) == 2
    hard = run_kguide("check", str(GUIDES / "hard"))
    assert hard.code == 1 and "fail" in hard.out


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="eSpeak NG not installed")
def test_voices_lists_installed_voices():
    result = run_kguide("voices")
    assert result.code == 0
    assert re.search(r"^pyttsx3\t\S*en-us\S*\t", result.out, re.M)
