"""The audio files as players see them: chapter order, cover art, audiobook tags, the level of
every file (measured here with ffmpeg's EBU R128 meter), and tracks shared between clinics."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from audiotools import loudness, probe
from conftest import GUIDES, run_kguide
from mutagen.id3 import ID3, CTOCFlags
from mutagen.mp4 import MP4
from PIL import Image, ImageChops, ImageStat


@pytest.fixture()
def spoken(piper_build) -> Path:
    """The fixture guide spoken by Piper, as the narration tests build it (once a session)."""
    return piper_build


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


def test_chapter_frames_are_stored_in_time_order(spoken):
    """ffprobe lists CHAP frames in the order they are stored: it must be time order."""
    whole = spoken / "audio" / "spoken.mp3"
    chapters = probe(whole, "chapter=start_time,end_time:chapter_tags=title")["chapters"]
    titles = [t["title"] for t in _manifest(spoken)["audio"]["tracks"]]
    assert [c["tags"]["title"] for c in chapters] == titles
    starts = [float(c["start_time"]) for c in chapters]
    assert starts == sorted(starts) and starts[0] == 0.0
    tags = ID3(str(whole))
    stored = [frame.element_id for frame in tags.getall("CHAP")]  # in file order
    (toc,) = tags.getall("CTOC")
    assert stored == list(toc.child_element_ids)
    assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED


def _booklet_cover(folder: Path, tmp_path: Path, pixels: int) -> Image.Image:
    """Page 1 of the built booklet, rendered by poppler (not the renderer kguide uses)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "300",
            "-f",
            "1",
            "-l",
            "1",
            "-scale-to",
            str(pixels),
            "-png",
            str(folder / "booklet.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    return Image.open(next(tmp_path.glob("page*.png"))).convert("L")


def _check_cover(data: bytes, folder: Path, tmp_path: Path) -> None:
    cover = Image.open(io.BytesIO(data))
    assert cover.format == "JPEG" and cover.width == cover.height >= 600
    page = _booklet_cover(folder, tmp_path, cover.height)
    box = ((cover.width - page.width) // 2, 0, (cover.width - page.width) // 2 + page.width, page.height)
    difference = ImageChops.difference(cover.convert("L").crop(box), page)
    assert ImageStat.Stat(difference).mean[0] < 6  # the booklet's cover, set on a white square
    assert ImageStat.Stat(cover.convert("L")).extrema[0][0] < 40  # not blank: black type on it


def test_whole_guide_files_have_the_booklet_cover(spoken, tmp_path):
    (apic,) = ID3(str(spoken / "audio" / "spoken.mp3")).getall("APIC")
    assert apic.type == 3 and apic.mime == "image/jpeg"  # front cover
    _check_cover(apic.data, spoken, tmp_path / "mp3")
    book = MP4(str(spoken / "audio" / "spoken.m4b"))
    _check_cover(bytes(book["covr"][0]), spoken, tmp_path / "m4b")


def test_m4b_is_an_audiobook_with_its_tags(spoken):
    book = MP4(str(spoken / "audio" / "spoken.m4b"))
    manifest = _manifest(spoken)
    assert book["stik"] == [2]  # media kind: audiobook
    assert book["\xa9nam"] == [manifest["title"]] and book["\xa9alb"] == [manifest["title"]]
    assert book["\xa9ART"] == [manifest["clinic"]]
    assert book["\xa9gen"] == ["Audiobook"]
    assert manifest["clinic"] in book["desc"][0]
    titles = [c["tags"]["title"] for c in probe(book.filename, "chapter_tags=title")["chapters"]]
    assert titles == [t["title"] for t in manifest["audio"]["tracks"]]


def test_every_audio_file_is_at_the_spoken_word_level(spoken):
    """-16 LUFS +/- 1 and a true peak of at most -1 dBTP, measured on the files themselves,
    the M4B included; the manifest's figures are those of the files."""
    audio = _manifest(spoken)["audio"]
    entries = audio["tracks"] + [audio["whole"], audio["m4b"]]
    files = sorted(p.name for p in (spoken / "audio").iterdir())
    assert sorted(Path(e["file"]).name for e in entries) == files
    for entry in entries:
        integrated, peak = loudness(spoken / entry["file"])
        assert -17.0 <= integrated <= -15.0, (entry["file"], integrated)
        assert peak <= -1.0, (entry["file"], peak)
        assert entry["integrated_lufs"] == pytest.approx(integrated, abs=0.3), entry["file"]
        assert entry["true_peak_dbtp"] == pytest.approx(peak, abs=0.3), entry["file"]


def _audio_payload(path: Path) -> bytes:
    """The MP3's audio frames, without its ID3 tag."""
    data = path.read_bytes()
    size = ID3(str(path)).size
    return data[size:]


def test_clinics_share_encoded_tracks_and_keep_their_own_tags(clinics_build):
    """A track with the same words in two clinics is encoded once and tagged per clinic."""
    lakeside, hilltop = clinics_build / "lakeside" / "audio", clinics_build / "hilltop" / "audio"
    shared = [p.name for p in sorted(lakeside.glob("0[1-9]-*.mp3")) if (hilltop / p.name).is_file()]
    assert shared
    for name in shared[:-1]:  # the last track is the clinic's own contact track
        assert _audio_payload(lakeside / name) == _audio_payload(hilltop / name), name
        assert str(ID3(str(lakeside / name))["TPE1"]) != str(ID3(str(hilltop / name))["TPE1"])
    intro = "00-introduction.mp3"
    assert _audio_payload(lakeside / intro) != _audio_payload(hilltop / intro)  # says the clinic


def test_no_change_rebuild_loads_no_engine_or_renderer(spoken, tts_cache):
    """An up-to-date build stops before WeasyPrint, Piper, onnxruntime or the narration code load."""
    out = spoken.parent
    result = run_kguide(
        "build",
        str(GUIDES / "spoken"),
        "--out",
        str(out),
        "--cache-dir",
        str(tts_cache),
        env={"PYTHONPROFILEIMPORTTIME": "1"},
    )
    assert result.code == 0 and "up to date" in result.err, result.err
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.err.splitlines() if "import time:" in line}
    assert "kguide.build" in imported  # the import log is there
    for heavy in ("weasyprint", "piper", "onnxruntime", "kguide.narration.narrate", "pypdfium2"):
        assert heavy not in imported, heavy


def test_booklets_are_rendered_only_when_their_inputs_change(mini_copy, tmp_path):
    """A forced rebuild takes the booklets from the cache (byte for byte: a new render would
    carry a new creation date); an edit renders them again."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    args = ("build", str(mini_copy), "--out", str(out), "--cache-dir", str(cache))
    first_run = run_kguide(*args)
    assert first_run.code == 0, first_run.err
    first = {name: (out / "mini" / name).read_bytes() for name in ("booklet.pdf", "booklet-large-print.pdf")}
    assert len(list((cache / "booklets").glob("*/*/pages.json"))) == 1
    forced = run_kguide(*args, "--force")
    assert forced.code == 0, forced.err
    assert {name: (out / "mini" / name).read_bytes() for name in first} == first
    section = mini_copy / "02-after.md"
    section.write_text(section.read_text().replace("Eat a light meal.", "Eat a small meal."))
    assert run_kguide(*args).code == 0
    assert (out / "mini" / "booklet.pdf").read_bytes() != first["booklet.pdf"]
    assert len(list((cache / "booklets").glob("*/*/pages.json"))) == 2
