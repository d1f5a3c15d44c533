"""The booklet before WeasyPrint (golden HTML files), the glossary reader, and imposition order on
a small made-up PDF."""

from __future__ import annotations

import os

import pikepdf
import pytest
from conftest import DATA, GUIDES
from pdftools import page_size, text

from kguide import booklet
from kguide.imposition import impose, sheet_sides
from kguide.loader import load_guide
from kguide.model import ListBlock

GOLDEN = DATA / "golden"

# (golden file, guide, clinic profile, edition, notes pages)
CASES = [
    ("mini-booklet.html", "mini", "", "standard", 2),
    ("clinics-lakeside-booklet-large-print.html", "clinics", "lakeside", "large-print", 0),
]


def _portable(html: str, guide_folder) -> str:
    """The HTML with this machine's absolute file URLs replaced by names."""
    fonts_folder, _ = booklet.font_faces()
    for folder, name in (
        (booklet.package_templates(), "{templates}"),
        (fonts_folder, "{fonts}"),
        (guide_folder, "{guide}"),
    ):
        html = html.replace(folder.resolve().as_uri(), name)
    return html


@pytest.mark.parametrize(
    "golden_name, guide_name, clinic, edition_name, notes", CASES, ids=[c[0] for c in CASES]
)
def test_booklet_html_matches_golden_file(golden_name, guide_name, clinic, edition_name, notes):
    """The booklet HTML before WeasyPrint. Regenerate: KGUIDE_REGENERATE=1 ./test.sh -k golden"""
    guide = load_guide(GUIDES / guide_name).bind(clinic)
    edition = next(e for e in booklet.editions(guide) if e.name == edition_name)
    html = _portable(booklet.render_html(guide, edition, notes_pages=notes), guide.folder)
    golden = GOLDEN / golden_name
    if os.environ.get("KGUIDE_REGENERATE"):
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8")


def test_glossary_entries_split_term_and_meaning():
    guide = load_guide(GUIDES / "clinics").bind()
    words = next(s for s in guide.sections if s.layout == "glossary")
    (glossary,) = [b for b in words.blocks if isinstance(b, ListBlock)]
    entries = booklet.glossary_entries(glossary)
    assert [(t[0].text, m[0].text) for t, m in entries] == [
        ("Dose", "How much of a drug you get at one time."),
        ("IV", "A thin tube put into a vein."),
    ]
    bring = guide.sections[0].blocks[1]
    assert isinstance(bring, ListBlock) and booklet.glossary_entries(bring) is None


def test_sheet_sides_for_eight_and_six_pages():
    assert sheet_sides(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    # six pages: two blanks go before the last page, which stays the back cover
    assert sheet_sides(6) == [(6, 1), (2, None), (None, 3), (4, 5)]


def _numbered_pdf(path, pages: int, size=(200, 300)) -> None:
    """A PDF whose pages say "Page N", in a standard font."""
    with pikepdf.new() as pdf:
        font = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )
        )
        for number in range(1, pages + 1):
            page = pdf.add_blank_page(page_size=size)
            page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
            page.Contents = pdf.make_stream(f"BT /F1 24 Tf 40 150 Td (Page {number}) Tj ET".encode())
        pdf.save(path)


def test_imposed_sheets_carry_pages_in_folding_order(tmp_path):
    source, imposed = tmp_path / "six.pdf", tmp_path / "imposed.pdf"
    _numbered_pdf(source, 6)
    assert impose(source, imposed, "Six pages") == 4
    assert page_size(imposed) == (400.0, 300.0)
    halves = []
    for side in range(1, 5):
        left = " ".join(text(imposed, page=side, crop=(0, 0, 200, 300)).split())
        right = " ".join(text(imposed, page=side, crop=(200, 0, 200, 300)).split())
        halves.append((left, right))
    assert halves == [("Page 6", "Page 1"), ("Page 2", ""), ("", "Page 3"), ("Page 4", "Page 5")]
