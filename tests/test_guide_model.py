"""Markdown sources -> the Guide model: block types, checklists, notes, figures and source lines."""

from __future__ import annotations

from conftest import GUIDES

from kguide.guide import Figure, Heading, Link, ListBlock, Note, Paragraph, Styled, load_guide
from kguide.readability.report import check_guide, section_sentences


def test_mini_guide_model():
    guide = load_guide(GUIDES / "mini")
    assert guide.config.title == "Your visit in short"
    assert [s.stem for s in guide.sections] == ["01-welcome", "02-after"]
    welcome, after = guide.sections
    kinds = [type(b).__name__ for b in welcome.blocks]
    assert kinds == ["Paragraph", "Heading", "ListBlock", "Figure", "Paragraph"]
    heading = welcome.blocks[1]
    assert isinstance(heading, Heading) and heading.level == 1 and heading.line == 7
    checklist = welcome.blocks[2]
    assert isinstance(checklist, ListBlock) and checklist.is_checklist
    assert [i.blocks[0].text for i in checklist.items] == ["Your photo ID", "A list of your pills"]
    figure = welcome.blocks[3]
    assert isinstance(figure, Figure) and figure.alt == "A soft chair in a quiet room" and figure.line == 12
    # template variables are filled before parsing
    assert welcome.blocks[4].text == "Call Lakeside Test Clinic at 555-0100 with any question."
    note = after.blocks[1]
    assert isinstance(note, Note) and isinstance(note.blocks[0].inlines[0], Styled)
    numbered = after.blocks[2]
    assert numbered.ordered and not numbered.is_checklist
    link = after.blocks[3].inlines[1]
    assert isinstance(link, Link) and link.href == "https://www.example.org/lakeside"


def test_sentences_keep_their_source_lines():
    guide = load_guide(GUIDES / "mini")
    sentences = section_sentences(guide.sections[0])
    by_text = {s.text: s.line for s in sentences}
    assert by_text["This short guide helps you get ready."] == 4
    assert by_text["Read it before you come in."] == 5  # the paragraph's second line
    assert by_text["Your photo ID"] == 9  # each list item is a sentence
    assert "What to bring" not in by_text  # headings are not scored


def test_hard_fixture_points_at_its_hardest_sentence():
    guide = load_guide(GUIDES / "hard")
    report = check_guide(guide)
    assert report.failed
    hardest = report.hardest(count=1)[0]
    assert hardest.path.name == "01-preparation.md" and hardest.line == 11
    assert isinstance(guide.sections[0].blocks[1], Paragraph)


def test_clinic_profiles_and_section_layouts():
    first = load_guide(GUIDES / "clinics")
    assert first.clinic_id == "lakeside" and list(first.config.clinics) == ["lakeside", "hilltop"]
    hilltop = load_guide(GUIDES / "clinics", "hilltop")
    assert hilltop.clinic_id == "hilltop" and hilltop.config.clinic.name == "Hilltop Test Clinic"
    assert [s.layout for s in hilltop.sections] == ["", "questions", "glossary"]
    assert (GUIDES / "clinics" / "logo.svg").resolve() in first.inputs  # the logo's hash keys the build
    assert load_guide(GUIDES / "mini").clinic_id == ""  # a single [clinic]
