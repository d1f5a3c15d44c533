"""The printed booklet: both editions and the print file, opened and measured.

Uses the two fixture builds: `mini` (one [clinic], A5, gets notes pages to fill its last sheet)
and `clinics` (two [clinics.<id>] profiles, half-letter, a logo, a QR code, a questions page
and a glossary).
"""

from __future__ import annotations

import pikepdf
import pytest
from conftest import GUIDES, run_kguide
from pdftools import (
    dark_fraction,
    furniture_per_page,
    page_count,
    page_size,
    render_png,
    struct_elements,
    text,
    text_sizes,
)

from kguide.uacheck import check_pdf

A5, A4 = (419.53, 595.28), (595.28, 841.89)
HALF_LETTER, LETTER = (396.0, 612.0), (612.0, 792.0)
TAGGED = ("booklet.pdf", "booklet-large-print.pdf")


# ---- PDF/UA: the independent check finds nothing in any tagged PDF built ----------------------


@pytest.mark.parametrize("name", TAGGED)
def test_tagged_pdfs_pass_the_structure_check(name, mini_build, lakeside, hilltop):
    for folder in (mini_build, lakeside, hilltop):
        assert check_pdf(folder / name) == [], folder / name


def test_page_furniture_is_artifacts_and_names_the_part(lakeside):
    booklet = lakeside / "booklet.pdf"
    # the cover and the outside back cover have no furniture; every other page its number;
    # page 5 (the questions part goes on) also the running header; page 7 is a notes page
    # (its title and number)
    assert furniture_per_page(booklet) == [0, 1, 1, 1, 2, 1, 2, 0]
    width, height = page_size(booklet)
    assert text(booklet, page=5, crop=(0, height - 60, width, 60)).split() == ["5"]
    assert " ".join(text(booklet, page=5, crop=(0, 0, width, 60)).split()) == "Part 2: Questions to ask"
    assert text(booklet, page=4, crop=(0, 0, width, 60)).strip() == ""  # a part's first page


def test_print_file_is_not_tagged(mini_build):
    with pikepdf.open(mini_build / "booklet-print.pdf") as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        assert "print file" in str(pdf.docinfo["/Title"])


# ---- editions: page sizes and type sizes ------------------------------------------------------


def test_editions_have_their_page_sizes(mini_build, lakeside):
    assert page_size(mini_build / "booklet.pdf") == A5
    assert page_size(mini_build / "booklet-large-print.pdf") == A4
    assert page_size(mini_build / "booklet-print.pdf") == (A4[1], A4[0])  # A4 landscape
    assert page_size(lakeside / "booklet.pdf") == HALF_LETTER
    assert page_size(lakeside / "booklet-large-print.pdf") == LETTER
    assert page_size(lakeside / "booklet-print.pdf") == (LETTER[1], LETTER[0])  # Letter landscape


def test_body_text_sizes(mini_build):
    standard = text_sizes(mini_build / "booklet.pdf")
    large = text_sizes(mini_build / "booklet-large-print.pdf")
    assert standard.most_common(1)[0][0] == 13.0
    assert large.most_common(1)[0][0] == 18.0
    assert min(large) >= 16.0, large  # nothing in the large print edition is small, not even page numbers
    assert max(large) > 18.0  # headings are larger than the body


def test_fonts_of_the_print_file_are_embedded(mini_build):
    with pikepdf.open(mini_build / "booklet-print.pdf") as pdf:
        fonts = {}
        for page in pdf.pages:
            for xobject in page.Resources.XObject.values():
                for font in xobject.Resources.get("/Font", {}).values():
                    descriptor = font.DescendantFonts[0].FontDescriptor
                    fonts[str(font.BaseFont)] = "/FontFile2" in descriptor
    assert fonts and all(fonts.values()), fonts


# ---- the print file: whole sheets in saddle-stitch order --------------------------------------


def test_booklet_fills_whole_sheets_with_notes_pages(mini_build):
    pages = page_count(mini_build / "booklet.pdf")
    assert pages == 8  # six pages of content and two notes pages
    assert page_count(mini_build / "booklet-print.pdf") * 2 == pages
    words = text(mini_build / "booklet.pdf")
    assert words.count("Notes") == 2
    assert "Contact us" in text(mini_build / "booklet.pdf", page=8)  # the back page stays at the back


def test_print_file_sides_are_in_saddle_stitch_order(mini_build):
    imposed = mini_build / "booklet-print.pdf"
    width, height = page_size(imposed)
    sides = []
    for side in range(1, page_count(imposed) + 1):
        numbers = []
        for x in (0, width / 2):
            footer = text(imposed, page=side, crop=(x, height - 45, width / 2, 45)).split()
            numbers.append(footer[0] if footer else "")
        sides.append(tuple(numbers))
    # sheet 1 front: the back page and the cover (neither numbered); back: 2 and 7; sheet 2: 6
    # and 3, 4 and 5
    assert sides == [("", ""), ("2", "7"), ("6", "3"), ("4", "5")]
    assert "Contact us" in text(imposed, page=1, crop=(0, 0, width / 2, height))


# ---- what the pages show ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, page",
    [("booklet.pdf", 1), ("booklet.pdf", 4), ("booklet-large-print.pdf", 1), ("booklet-print.pdf", 1)],
)
def test_pages_render_to_non_blank_images(name, page, lakeside, tmp_path):
    assert 0.005 < dark_fraction(lakeside / name, page, tmp_path) < 0.5


def test_cover_qr_code_opens_the_audio_page(lakeside, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    for name in ("booklet.pdf", "booklet-large-print.pdf"):
        found = zxingcpp.read_barcodes(Image.open(render_png(lakeside / name, 1, tmp_path / name)))
        assert [code.text for code in found] == ["https://www.example.org/lakeside/audio"], name


def test_each_clinic_gets_its_own_booklet_and_audio(lakeside, hilltop):
    for folder in (lakeside, hilltop):
        names = {p.name for p in folder.iterdir()}
        assert {
            "booklet.pdf",
            "booklet-large-print.pdf",
            "booklet-print.pdf",
            "transcript.txt",
            "manifest.json",
        } <= names
    lake, hill = (" ".join(text(f / "booklet.pdf").split()) for f in (lakeside, hilltop))
    assert "Lakeside Test Clinic" in lake and "Hilltop" not in lake
    assert "Hilltop Test Clinic" in hill and "Lakeside" not in hill
    assert "555-0199" in hill and "2 Test Hill, Testville" in hill
    assert "www.example.org/lakeside/audio" in lake
    assert "Ask Hilltop Test Clinic for it." in hill  # no audio link: ask the clinic
    assert "Hilltop Test Clinic" in (hilltop / "transcript.txt").read_text()
    assert "Lakeside" not in (hilltop / "transcript.txt").read_text()


def _figures(path) -> list[str]:
    return [alt for kind, alt in struct_elements(path) if kind == "/Figure"]


def test_logo_and_qr_code_are_figures_with_alt_text(lakeside, hilltop):
    assert _figures(lakeside / "booklet.pdf") == [
        "Lakeside Test Clinic logo: a black circle over a line",
        "QR code: scan it to listen to this guide at www.example.org/lakeside/audio",  # cover
        "QR code: scan it to listen to this guide at www.example.org/lakeside/audio",  # back page
    ]
    assert _figures(hilltop / "booklet.pdf") == []


def test_questions_page_and_glossary(lakeside):
    booklet = lakeside / "booklet.pdf"
    assert "Write your own questions on page 5." in " ".join(text(booklet, page=2).split())
    assert "Your own questions" in text(booklet, page=5)
    glossary = [line.strip() for line in text(booklet, page=6).splitlines() if line.strip()]
    assert glossary[glossary.index("Dose") + 1] == "How much of a drug you get at one time."
    assert glossary[glossary.index("IV") + 1] == "A thin tube put into a vein."


def test_build_one_clinic_only(clinics_build, tts_cache):
    out = clinics_build.parent
    result = run_kguide(
        "build",
        str(GUIDES / "clinics"),
        "--out",
        str(out),
        "--cache-dir",
        str(tts_cache),
        "--clinic",
        "hilltop",
    )
    assert result.code == 0, result.err
    assert "up to date" in result.err and "hilltop" in result.err and "lakeside" not in result.err


def test_unknown_clinic_is_an_error_and_builds_nothing(tmp_path):
    result = run_kguide(
        "build",
        str(GUIDES / "clinics"),
        "--out",
        str(tmp_path / "out"),
        "--clinic",
        "lakeside",
        "--clinic",
        "nowhere",
    )
    assert result.code == 2
    assert (
        "error: tests/data/guides/clinics/guide.toml: no clinic profile 'nowhere' (known: lakeside, hilltop)"
        in result.err
    )
    assert not (tmp_path / "out").exists()


def test_moving_to_clinic_profiles_removes_the_old_single_clinic_files(mini_copy, tmp_path, tts_cache):
    out = tmp_path / "out"
    args = ("build", str(mini_copy), "--out", str(out), "--cache-dir", str(tts_cache))
    assert run_kguide(*args).code == 0
    assert (out / "mini" / "booklet.pdf").is_file()
    config = mini_copy / "guide.toml"
    config.write_text(config.read_text().replace("[clinic]", "[clinics.lakeside]"))
    moved = run_kguide(*args)
    assert moved.code == 0, moved.err
    assert sorted(p.name for p in (out / "mini").iterdir()) == ["lakeside"]
    assert (out / "mini" / "lakeside" / "booklet.pdf").is_file()
