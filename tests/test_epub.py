"""The read-along EPUB of a built fixture guide: EPUBCheck and Ace by DAISY pass it, and its
Media Overlays pair each sentence with the audio that speaks it (checked against the captions
and the chapter marks the audio build wrote, not against the EPUB code's own figures)."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from webtools import ace, ace_failures, epubcheck
from webtools import cues as _cues
from webtools import seconds as _seconds

from kguide.narration.chapters import read_mp3_chapters

OPF = "{http://www.idpf.org/2007/opf}"
SMIL = "{http://www.w3.org/ns/SMIL}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def clinic(clinics_build) -> Path:
    return clinics_build / "lakeside"


@pytest.fixture(scope="module")
def book(clinic) -> zipfile.ZipFile:
    return zipfile.ZipFile(clinic / "clinics.epub")


def _overlays(book: zipfile.ZipFile) -> dict[str, list[tuple[str, str, float, float]]]:
    """SMIL file -> its (text src, audio src, clip begin, clip end) in order."""
    out = {}
    for name in book.namelist():
        if name.endswith(".smil"):
            root = ET.fromstring(book.read(name))
            out[name] = [
                (
                    par.find(f"{SMIL}text").get("src"),
                    par.find(f"{SMIL}audio").get("src"),
                    _seconds(par.find(f"{SMIL}audio").get("clipBegin")),
                    _seconds(par.find(f"{SMIL}audio").get("clipEnd")),
                )
                for par in root.iter(f"{SMIL}par")
            ]
    return out


def _duration(data: bytes, tmp_path: Path) -> float:
    path = tmp_path / "part.mp3"
    path.write_bytes(data)
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(out)


def test_epubcheck_finds_no_error_and_no_warning(clinic):
    messages = epubcheck(clinic / "clinics.epub")
    bad = [m for m in messages if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    assert not bad, "\n".join(f"{m['severity']} {m['ID']}: {m['message']} {m['locations'][:1]}" for m in bad)


def test_ace_finds_no_violation(clinic, tmp_path):
    report = ace(clinic / "clinics.epub", tmp_path / "ace")
    assert not ace_failures(report), "\n".join(ace_failures(report))
    assert report["earl:result"]["earl:outcome"] == "pass"
    metadata = report["a11y-metadata"]
    assert not metadata["empty"]
    for name in (
        "schema:accessMode",
        "schema:accessibilityFeature",
        "schema:accessibilitySummary",
        "schema:accessibilityHazard",
        "schema:accessModeSufficient",
        "dcterms:conformsTo",
    ):
        assert name in metadata["present"]


def test_container_has_mimetype_first_and_stored(book):
    first = book.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert book.read("mimetype") == b"application/epub+zip"


def test_package_metadata(book):
    root = ET.fromstring(book.read("EPUB/package.opf"))
    metas = {}
    for meta in root.iter(f"{OPF}meta"):
        metas.setdefault((meta.get("property"), meta.get("refines")), []).append(meta.text)
    assert metas[("media:active-class", None)] == ["-epub-media-overlay-active"]
    assert metas[("dcterms:conformsTo", None)] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert "synchronizedAudioText" in metas[("schema:accessibilityFeature", None)]
    assert set(metas[("schema:accessMode", None)]) >= {"textual", "auditory"}
    assert metas[("schema:accessibilityHazard", None)] == ["none"]
    # one duration per overlay, and the total is their sum
    items = {i.get("id"): i for i in root.iter(f"{OPF}item")}
    overlays = {i.get("media-overlay") for i in items.values() if i.get("media-overlay")}
    per = {ref[1:]: _seconds(v[0]) for (prop, ref), v in metas.items() if prop == "media:duration" and ref}
    assert set(per) == overlays and len(overlays) == 5  # introduction, three sections, contact
    assert _seconds(metas[("media:duration", None)][0]) == pytest.approx(sum(per.values()), abs=0.005)
    smil = _overlays(book)
    for overlay, seconds in per.items():
        clips = smil["EPUB/" + items[overlay].get("href")]
        assert seconds == pytest.approx(sum(end - begin for *_, begin, end in clips), abs=0.005)


def test_every_clip_points_at_a_sentence_and_lies_in_its_part(book, tmp_path):
    for name, pars in _overlays(book).items():
        assert pars, name
        folder = name.rsplit("/", 1)[0]
        page_name = Path(folder).parent.as_posix() + "/" + pars[0][0].split("#")[0].removeprefix("../")
        page = ET.fromstring(book.read(page_name))
        ids = {e.get("id"): e for e in page.iter() if e.get("id")}
        length = _duration(book.read("EPUB/" + pars[0][1].removeprefix("../")), tmp_path)
        last_end = 0.0
        for text, audio, begin, end in pars:
            target = ids[text.split("#")[1]]
            words = "".join(target.itertext()) or target.get("alt", "")
            assert words.strip(), text
            assert audio == pars[0][1]
            assert last_end - 0.001 <= begin < end <= length + 0.05, (name, text, begin, end, length)
            last_end = end


def test_clips_match_the_captions(clinic, book):
    """Each caption cue (one a sentence) starts inside a clip of its part, and a sentence shown
    as it is spoken starts its clip where its cue starts, or earlier only by words that are
    spoken and not shown ("Important.", "Step 2.")."""
    chapters = read_mp3_chapters(clinic / "audio" / "clinics.mp3")
    overlays = _overlays(book)
    stems = sorted(Path(n).stem for n in overlays)
    assert len(stems) == len(chapters)
    by_part: dict[int, list[tuple[float, str]]] = {}
    for start, _end, words in _cues(clinic / "captions.vtt"):
        number = max(i for i, (begin, _, _) in enumerate(chapters) if begin <= start + 0.001)
        by_part.setdefault(number, []).append((start - chapters[number][0], words))
    exact = total = 0
    for number, cues in by_part.items():
        pars = overlays[f"EPUB/smil/{stems[number]}.smil"]
        page = ET.fromstring(book.read(f"EPUB/text/{stems[number]}.xhtml"))
        texts = {e.get("id"): " ".join("".join(e.itertext()).split()) for e in page.iter() if e.get("id")}
        shown = set(texts.values())
        for local, words in cues:
            total += 1
            assert any(b - 0.002 <= local < e for _, _, b, e in pars), (words, local)
            for src, _, begin, _ in pars:
                if texts.get(src.split("#")[1]) != words:
                    continue
                exact += 1
                assert begin <= local + 0.002, words
                unshown = [w for t, w in cues if begin - 0.002 <= t < local - 0.002]
                assert not any(w in shown for w in unshown), (words, unshown)
    assert exact >= total * 0.6, f"only {exact} of {total} cues matched a sentence exactly"


def test_every_section_sentence_has_an_id_and_a_clip(book):
    overlays = _overlays(book)
    for name in book.namelist():
        if not re.match(r"EPUB/text/\d\d-.*\.xhtml$", name):
            continue
        page = ET.fromstring(book.read(name))
        body = page.find(f"{XHTML}body")
        spans = [e for e in body.iter(f"{XHTML}span") if e.get("id")]
        clipped = {src.split("#")[1] for src, *_ in overlays[f"EPUB/smil/{Path(name).stem}.smil"]}
        unclipped = [("".join(s.itertext())) for s in spans if s.get("id") not in clipped]
        # only the heading of the introduction and of "contact us" is not spoken
        assert len(unclipped) <= 1, (name, unclipped)


def test_a_guide_with_a_picture(mini_build):
    """The picture is in the book, described, and read in sync ("A picture shows: ...")."""
    epub = mini_build / "mini.epub"
    messages = [m for m in epubcheck(epub) if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    assert not messages, messages
    with zipfile.ZipFile(epub) as book:
        page = ET.fromstring(book.read("EPUB/text/01-welcome.xhtml"))
        image = next(page.iter(f"{XHTML}img"))
        assert image.get("alt") == "A soft chair in a quiet room"
        assert book.read("EPUB/" + image.get("src").removeprefix("../")).startswith(b"\x89PNG")
        pars = _overlays(book)["EPUB/smil/01-welcome.smil"]
        assert any(src.endswith("#" + image.get("id")) for src, *_ in pars)
    assert (mini_build / "site" / "images" / "01-chair.png").is_file()
