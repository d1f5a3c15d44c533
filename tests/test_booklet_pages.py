"""Page breaks measured on the built PDF: a part starts on a new page only when the page before
it is at least 35% full, headings stay with what follows, and the sample guide fits its page
budget (at most 24 A5 pages, 22 large print) with no part page under 35% full."""

from __future__ import annotations

import pytest
from conftest import ROOT
from pdftools import last_text_sizes, outline, page_count, page_fills, text_sizes

from kguide import booklet
from kguide.loader import load_guide

MIN_FILL = 0.35
# the page margins (top, bottom) in mm of each edition, where the running header and page number sit
MARGINS = {"booklet.pdf": (18, 20), "booklet-large-print.pdf": (22, 24)}


def _part_starts(pdf) -> list[int]:
    """The 1-based pages on which a part's heading is the first thing."""
    return [page for title, page in outline(pdf) if title.startswith("Part ")]


def _fills(pdf) -> list[float]:
    return page_fills(pdf, *MARGINS[pdf.name])


@pytest.fixture(scope="module")
def sample_booklets(tmp_path_factory):
    """The sample guide's booklets for one clinic, rendered on their own (no audio)."""
    guide = load_guide(ROOT / "guides" / "ketamine-first-session").bind("riverside")
    folder = tmp_path_factory.mktemp("sample")
    pages = [(edition, booklet.render_html(guide, edition)) for edition in booklet.editions(guide)]
    booklet.write_booklets(guide, pages, folder)
    return folder


def _part_pages(pdf) -> list[int]:
    """The pages from the first part to the last page before the back page, without notes pages."""
    first = _part_starts(pdf)[0]
    back = next(page for title, page in outline(pdf) if title == "Contact us")
    notes = {i + 1 for i, size in enumerate(last_text_sizes(pdf)) if size == 0}
    return [page for page in range(first, back) if page not in notes]


@pytest.mark.parametrize("name", MARGINS)
def test_sample_booklet_fits_its_page_budget_with_no_near_empty_page(name, sample_booklets):
    pdf = sample_booklets / name
    assert page_count(pdf) <= (24 if name == "booklet.pdf" else 22)
    fills = _fills(pdf)
    low = {page: fills[page - 1] for page in _part_pages(pdf) if fills[page - 1] < MIN_FILL}
    assert low == {}, f"pages under {MIN_FILL:.0%} full: {low}"


@pytest.mark.parametrize("name", MARGINS)
def test_a_part_starts_a_new_page_only_after_a_page_at_least_35_percent_full(
    name, mini_build, clinics_build, sample_booklets
):
    for folder in (mini_build, clinics_build / "lakeside", clinics_build / "hilltop", sample_booklets):
        pdf = folder / name
        fills = _fills(pdf)
        first, *later = _part_starts(pdf)  # part 1 follows the contents page
        starts = [page for page in sorted(set(later) - {first}) if _on_top(pdf, page)]
        low = {page - 1: fills[page - 2] for page in starts if fills[page - 2] < MIN_FILL}
        assert low == {}, f"{pdf}: part starts after nearly empty pages {low}"


def _on_top(pdf, page: int) -> bool:
    """Whether the part heading on `page` begins the page (the page holds no earlier text)."""
    from pdftools import marked_texts

    first = next(iter(marked_texts(pdf, page).values()), "")
    return first.startswith("Part ")


@pytest.mark.parametrize("name", MARGINS)
def test_no_page_ends_with_a_heading(name, mini_build, clinics_build, sample_booklets):
    for folder in (mini_build, clinics_build / "lakeside", sample_booklets):
        pdf = folder / name
        body = text_sizes(pdf).most_common(1)[0][0]
        last = last_text_sizes(pdf)
        ends = {page + 1: size for page, size in enumerate(last) if size > body}
        assert ends == {}, f"{pdf}: pages ending with larger (heading) text {ends}"


def _line_counts(page) -> dict[object, int]:
    """The lines each paragraph or list item (by its HTML element) has on one laid-out page."""
    from weasyprint.formatting_structure import boxes

    counts: dict[object, int] = {}

    def walk(box, owner) -> None:
        if isinstance(box, boxes.LineBox):
            counts[owner] = counts.get(owner, 0) + 1
            return
        if getattr(box, "element_tag", None) in ("p", "li") and box.element is not None:
            owner = box.element
        for child in getattr(box, "children", ()):
            walk(child, owner)

    walk(page._page_box, None)
    counts.pop(None, None)
    return counts


@pytest.mark.parametrize("edition_name", ["standard", "large-print"])
def test_no_paragraph_leaves_a_single_line_on_a_page(edition_name):
    """No widows or orphans: a paragraph or list item split over two pages has at least two
    lines on each (checked on WeasyPrint's layout of the sample guide, every part going on)."""
    guide = load_guide(ROOT / "guides" / "ketamine-first-session").bind("riverside")
    edition = next(e for e in booklet.editions(guide) if e.name == edition_name)
    flowing = frozenset(s.stem for s in guide.sections)  # the most page breaks inside parts
    document = booklet._render(guide, edition, booklet.render_html(guide, edition, flowing=flowing))
    pages = [_line_counts(page) for page in document.pages]
    split = 0
    for before, after in zip(pages, pages[1:], strict=False):
        for element in before.keys() & after.keys():
            split += 1
            assert before[element] >= 2 and after[element] >= 2, (before[element], after[element])
    assert split  # the check met at least one paragraph split over two pages
