"""`pagefill.settle` gives the pages of the plain page-fill rule, in fewer layouts: one layout
per step (every part on a new page; the parts that leave a nearly empty page before them let go
on until no more need to; then, while the last page is nearly empty, one more part), then one
more layout for the notes pages that fill the standard edition's last sheet. Compared page by
page (which part starts where, how full each page is) on the sample guide and the fixtures."""

from __future__ import annotations

import pytest
from conftest import GUIDES, ROOT

from kguide import booklet, pagefill
from kguide.loader import load_guide

BACK = "contact-us"


def _renderer(guide, edition, html, counter: list):
    def render(flowing=frozenset(), notes=0):
        counter.append(notes)
        source = booklet.render_html(guide, edition, notes, flowing) if flowing or notes else html
        document = booklet._render(guide, edition, source)
        document.flowing, document.notes = flowing, notes
        return document

    return render


def _plain_rule(render, stems: list[str], sheet: int):
    """The rule laid out step by step, as written: one layout for every decision."""
    document = render()
    while more := pagefill.flowing_parts(document, stems) - document.flowing:
        document = render(document.flowing | more)
    while extra := pagefill._short_tail(document, stems, BACK):
        document = render(document.flowing | {extra})
    if len(document.pages) % sheet:
        document = render(document.flowing, -len(document.pages) % sheet)
    return document


def _shape(document, stems: list[str]):
    starts = pagefill._starts(document, [*stems, BACK])
    fills = [round(f, 3) for f in pagefill.page_fills(document)]
    return sorted(document.flowing), document.notes, len(document.pages), starts, fills


def _compare(guide, edition_name: str) -> tuple[int, int, int]:
    """Lay the edition out three ways (`settle` from nothing, `afresh` from `predict`'s guess,
    the plain rule); assert the same pages; return the layouts each took.
    `afresh`, which the build uses, never takes more layouts than `settle`."""
    edition = next(e for e in booklet.editions(guide) if e.name == edition_name)
    html, stems = booklet.render_html(guide, edition), [s.stem for s in guide.sections]
    sheet = booklet.SIGNATURE if edition.name == "standard" else 1
    fast, guessed, plain = [], [], []
    document = pagefill.settle(_renderer(guide, edition, html, fast), stems, BACK, sheet)
    built = pagefill.afresh(_renderer(guide, edition, html, guessed), stems, BACK, sheet)
    reference = _plain_rule(_renderer(guide, edition, html, plain), stems, sheet)
    assert _shape(document, stems) == _shape(reference, stems)
    assert _shape(built, stems) == _shape(reference, stems)
    assert len(guessed) <= len(fast)
    return len(guessed), len(fast), len(plain)


def test_the_sample_standard_edition_gets_the_plain_rules_pages_in_fewer_layouts():
    """The sample lets a part go on whose page before is full (it starts on a new page all the
    same: no layout for it) and needs a notes page (in the last layout, not one more)."""
    sample = load_guide(ROOT / "guides" / "ketamine-first-session").bind("riverside")
    guessed, fast, plain = _compare(sample, "standard")
    assert (fast, plain) == (6, 8)
    assert guessed < fast  # predict's guess saves the layouts of its first steps


@pytest.mark.parametrize(
    ("name", "clinic", "edition"),
    [
        ("clinics", "lakeside", "standard"),
        ("clinics", "lakeside", "large-print"),
        ("mini", "", "standard"),
        ("hard", "", "standard"),
        ("mini-es", "", "large-print"),
    ],
)
def test_fixture_guides_get_the_plain_rules_pages(name, clinic, edition):
    _, fast, plain = _compare(load_guide(GUIDES / name).bind(clinic), edition)
    assert fast <= plain
    if edition == "standard":
        assert fast < plain  # the notes pages come with the last decision's layout
