"""The independent PDF/UA-1 check can fail: each way of breaking a good booklet is found, and
WeasyPrint's own output (before kguide closes its gaps) is found wanting."""

from __future__ import annotations

import subprocess
import sys

import pikepdf
import pytest
from conftest import GUIDES

from kguide import booklet
from kguide.errors import RenderError
from kguide.loader import load_guide
from kguide.tagging import fix_pdf
from kguide.uacheck import check_pdf


def _elements(pdf: pikepdf.Pdf, kind: str) -> list[pikepdf.Dictionary]:
    found = []
    stack = [pdf.Root.StructTreeRoot.K]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if kind == node.S:
                found.append(node)
            if "/K" in node:
                stack.append(node.K)
    return found


def _first_font(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return next(iter(pdf.pages[1].Resources.Font.values()))


def _drop_pdfua_id(pdf: pikepdf.Pdf) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        del meta["pdfuaid:part"]


def _untagged_drawing(pdf: pikepdf.Pdf) -> None:
    pdf.pages[2].contents_add(b"0 0 10 10 re f\n")


def _furniture_as_content(pdf: pikepdf.Pdf) -> None:
    """Undo kguide's fix on one page: the page number is marked content again, with an MCID
    that no structure element claims (what WeasyPrint writes)."""
    page = pdf.pages[2]
    instructions = list(pikepdf.parse_content_stream(page))
    for i, instruction in enumerate(instructions):
        if str(instruction.operator) == "BDC" and str(instruction.operands[0]) == "/Artifact":
            props = pikepdf.Dictionary(MCID=900)
            instructions[i] = pikepdf.ContentStreamInstruction(
                [pikepdf.Name.Span, props], pikepdf.Operator("BDC")
            )
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


BREAKERS = [
    ("no-language", lambda pdf: pdf.Root.__delattr__("Lang"), "document language (/Lang) missing"),
    (
        "title-not-shown",
        lambda pdf: pdf.Root.ViewerPreferences.__setattr__("DisplayDocTitle", False),
        "DisplayDocTitle is not true",
    ),
    ("no-pdfua-id", _drop_pdfua_id, "XMP metadata has no pdfuaid:part = 1"),
    (
        "not-marked",
        lambda pdf: pdf.Root.MarkInfo.__setattr__("Marked", False),
        "/MarkInfo /Marked is not true",
    ),
    ("no-structure-tree", lambda pdf: pdf.Root.__delattr__("StructTreeRoot"), "no structure tree"),
    (
        "figure-without-alt",
        lambda pdf: _elements(pdf, "/Figure")[0].__delattr__("Alt"),
        "Figure without alt text",
    ),
    (
        "skipped-heading",
        lambda pdf: _elements(pdf, "/H3")[0].__setattr__("S", pikepdf.Name.H5),
        "heading level skipped: H5 follows H2",
    ),
    (
        "first-heading-not-h1",
        lambda pdf: _elements(pdf, "/H1")[0].__setattr__("S", pikepdf.Name.H2),
        "the first heading is H2, not H1",
    ),
    (
        "list-item-outside-list",
        lambda pdf: _elements(pdf, "/LI")[0].__setattr__("S", pikepdf.Name.P),
        "list (L) holds ['P']",
    ),
    (
        "non-standard-type",
        lambda pdf: _elements(pdf, "/P")[0].__setattr__("S", pikepdf.Name.Para),
        "structure type /Para is not standard",
    ),
    (
        "untagged-content",
        _untagged_drawing,
        "page 3: 1 content item(s) neither tagged nor marked as Artifact",
    ),
    (
        "furniture-outside-tree",
        _furniture_as_content,
        "page 3: 1 marked-content sequence(s) outside the structure tree",
    ),
    ("font-without-unicode", lambda pdf: _first_font(pdf).__delattr__("ToUnicode"), "has no ToUnicode map"),
    (
        "font-not-embedded",
        lambda pdf: _first_font(pdf).DescendantFonts[0].FontDescriptor.__delattr__("FontFile2"),
        "is not embedded",
    ),
    (
        "link-without-description",
        lambda pdf: pdf.pages[2].Annots[0].__delattr__("Contents"),
        "link without a description",
    ),
]


@pytest.mark.parametrize("name, breaker, expected", BREAKERS, ids=[b[0] for b in BREAKERS])
def test_check_finds_each_breakage(name, breaker, expected, mini_build, tmp_path):
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(mini_build / "booklet.pdf") as pdf:
        breaker(pdf)
        pdf.save(broken)
    findings = check_pdf(broken)
    assert any(expected in f for f in findings), findings


def _raw_weasyprint(tmp_path):
    import weasyprint

    guide = load_guide(GUIDES / "mini").bind()
    edition = booklet.editions(guide)[0]
    html = booklet.render_html(guide, edition)
    raw = tmp_path / "raw.pdf"
    weasyprint.HTML(string=html, base_url=guide.folder.as_uri() + "/").write_pdf(raw, pdf_variant="pdf/ua-1")
    return guide, raw


def test_weasyprint_leaves_page_numbers_outside_the_tree_and_kguide_closes_the_gap(tmp_path):
    guide, raw = _raw_weasyprint(tmp_path)
    before = check_pdf(raw)
    gaps = ("outside the structure tree", "link", "list item (LI) holds")
    assert before and all(any(gap in f for gap in gaps) for f in before), before
    assert fix_pdf(raw, {s.stem: s.title for s in guide.sections}) > 0
    assert check_pdf(raw) == []


@pytest.mark.parametrize(
    "old, new, where",
    [
        ('alt="A soft chair in a quiet room"', "", "01-welcome.md:12: booklet (booklet.pdf): Image"),
        ('<html lang="en-US"', "<html", 'guide.toml: booklet (booklet.pdf): Missing required "lang"'),
    ],
    ids=["image-alt", "document-lang"],
)
def test_weasyprint_accessibility_errors_fail_the_build_naming_the_file(old, new, where, tmp_path):
    guide = load_guide(GUIDES / "mini").bind()
    edition = booklet.editions(guide)[0]
    html = booklet.render_html(guide, edition)
    assert old in html
    with pytest.raises(RenderError) as caught:
        booklet.write_pdf(guide, edition, html.replace(old, new), tmp_path / "booklet.pdf")
    assert any(where in str(p) for p in caught.value.problems), caught.value


# ---- a second opinion: pdfua, a checker written apart from kguide ----------------------------


def _pdfua(path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pdfua", "check", "--format", "json", str(path)],
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("name", ["booklet.pdf", "booklet-large-print.pdf"])
def test_independent_checker_finds_nothing(name, mini_build, clinics_build):
    for folder in (mini_build, clinics_build / "lakeside"):
        result = _pdfua(folder / name)
        assert result.returncode == 0, result.stdout


def test_independent_checker_can_fail(tmp_path):
    """The same HTML rendered without PDF/UA tagging: the second checker objects."""
    import weasyprint

    guide = load_guide(GUIDES / "mini").bind()
    html = booklet.render_html(guide, booklet.editions(guide)[0])
    plain = tmp_path / "untagged.pdf"
    weasyprint.HTML(string=html, base_url=guide.folder.as_uri() + "/").write_pdf(plain)
    result = _pdfua(plain)
    assert result.returncode != 0
    assert "UA-28-004" in result.stdout  # no XMP claim of PDF/UA
