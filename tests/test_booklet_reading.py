"""The booklet as a screen reader and a printer meet it: the contents, links, headings and
bookmarks, checklists, list markers, notes pages, the back page and the print sheet, each read
from the built PDF (the fixture builds `mini`, A5, and `clinics`, half-letter)."""

from __future__ import annotations

import re

import pikepdf
import pytest
from pdftools import (
    furniture_per_page,
    link_annotations,
    list_items,
    marked_texts,
    outline,
    page_count,
    page_size,
    struct_elements,
    text,
)

TAGGED = ("booklet.pdf", "booklet-large-print.pdf")
A4_LANDSCAPE, LETTER_LANDSCAPE = (841.89, 595.28), (792.0, 612.0)
SIX_MM = 6 / 25.4 * 72


# ---- contents ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TAGGED)
def test_contents_has_one_link_per_entry(name, lakeside):
    links = link_annotations(lakeside / name, page=3)
    assert [link["dest"] for link in links] == ["01-bring", "02-questions", "03-words", "contact-us"]
    assert links[0]["contents"] == "Go to: Part 1, What to bring"
    kinds = [kind for kind, _ in struct_elements(lakeside / name)]
    assert kinds.count("/Link") == len(link_annotations(lakeside / name))  # no link inside a link
    assert kinds.count("/TOC") == 1 and kinds.count("/TOCI") == 4  # tagged as a table of contents
    assert kinds.count("/Reference") == 4


@pytest.mark.parametrize("name", TAGGED)
def test_contents_reads_titles_and_page_numbers_without_leader_dots(name, lakeside):
    read = list(marked_texts(lakeside / name, 3).values())
    assert read[:3] == ["Contents", "1. What to bring", "4"]
    assert "Contact us" in read
    assert not [t for t in read if re.fullmatch(r"[.\s]+", t)], read  # the leader is not text


# ---- links ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TAGGED)
def test_addresses_are_live_links_with_descriptions(name, lakeside, hilltop):
    lake = {link["uri"]: link["contents"] for link in link_annotations(lakeside / name) if link["uri"]}
    assert (
        lake["https://www.example.org/lakeside/audio"]
        == "Listen to this guide: www.example.org/lakeside/audio"
    )
    assert lake["https://www.example.org/lakeside"].startswith("Website of Lakeside Test Clinic")
    assert lake["tel:5550100"] == "Call Lakeside Test Clinic: 555-0100"
    assert lake["tel:911"] == "Call 911, emergency services"
    assert lake["tel:988"] == "Call 988, the Suicide and Crisis Lifeline"
    hill = {link["uri"] for link in link_annotations(hilltop / name)}
    assert "tel:5550199" in hill and not any("lakeside" in uri for uri in hill)


def test_email_address_is_a_mailto_link(hilltop):
    links = {link["uri"]: link["contents"] for link in link_annotations(hilltop / "booklet.pdf")}
    assert links["mailto:hilltop@example.org"] == "E-mail Hilltop Test Clinic: hilltop@example.org"


# ---- headings, bookmarks, notes pages ---------------------------------------------------------


@pytest.mark.parametrize("name", TAGGED)
def test_part_headings_and_bookmarks_keep_the_space_after_the_number(name, lakeside):
    titles = [title for title, _ in outline(lakeside / name)]
    assert "Part 1. What to bring" in titles and "Part 3. Words to know" in titles
    heading = list(marked_texts(lakeside / name, 4).values())
    assert heading[0].startswith("Part 1.") and heading[0][len("Part 1.") :].isspace()
    assert heading[1] == "What to bring"


def test_notes_pages_are_artifacts_not_headings(mini_build):
    booklet = mini_build / "booklet.pdf"
    assert page_count(booklet) == 8
    assert [title for title, _ in outline(booklet) if "Notes" in title] == []
    for page in (6, 7):
        assert "Notes" in text(booklet, page=page)  # printed for the reader ...
        assert marked_texts(booklet, page) == {}  # ... but all of it is page furniture
        assert furniture_per_page(booklet)[page - 1] == 2  # the title and the page number


# ---- checklists and list markers --------------------------------------------------------------


@pytest.mark.parametrize("name", TAGGED)
def test_checkboxes_are_announced_labels_at_least_6_mm(name, lakeside):
    boxes = [item for item in list_items(lakeside / name) if item["label_text"].startswith("Checkbox")]
    assert [item["label_text"] for item in boxes] == ["Checkbox, not ticked", "Checkbox, ticked"]
    for item in boxes:
        assert item["kinds"] == ["/Lbl", "/LBody"]
        x1, y1, x2, y2 = item["label_bbox"]
        assert abs(x2 - x1) >= SIX_MM and abs(y2 - y1) >= SIX_MM, item["label_bbox"]


@pytest.mark.parametrize("name", TAGGED)
def test_every_list_marker_comes_before_its_text(name, mini_build, lakeside):
    for folder in (mini_build, lakeside):
        items = list_items(folder / name)
        assert items and all(item["kinds"][-1] == "/LBody" for item in items)
        assert [item for item in items if not item["label_first"]] == []
        assert sum(1 for item in items if item["kinds"] == ["/Lbl", "/LBody"]) >= 2


# ---- back page --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TAGGED)
def test_back_page_has_no_folio_and_the_help_numbers(name, lakeside):
    pdf = lakeside / name
    last = page_count(pdf)
    assert furniture_per_page(pdf)[last - 1] == 0
    back = " ".join(text(pdf, page=last).split())
    assert "Contact us" in back and "Lakeside Test Clinic" in back
    assert "In an emergency, call 911." in back
    assert "call or text 988, the Suicide and Crisis Lifeline" in back


# ---- the print file ---------------------------------------------------------------------------


def test_print_sheets_are_exactly_a4_or_letter(mini_build, lakeside):
    assert page_size(mini_build / "booklet-print.pdf") == A4_LANDSCAPE
    assert page_size(lakeside / "booklet-print.pdf") == LETTER_LANDSCAPE


def test_print_file_says_how_to_print(mini_build):
    with pikepdf.open(mini_build / "booklet-print.pdf") as pdf:
        preferences = pdf.Root.ViewerPreferences
        assert preferences.PrintScaling == "/None" and preferences.Duplex == "/DuplexFlipShortEdge"
        for key in ("/Title", "/Subject"):
            note = str(pdf.docinfo[key])
            assert "actual size" in note and "double-sided" in note and "short edge" in note, note
