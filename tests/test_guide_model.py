"""Markdown sources -> the Guide model: block types, checklists, notes, figures and source lines."""

from __future__ import annotations

from conftest import GUIDES

from kguide.loader import load_guide
from kguide.model import Figure, Heading, Link, ListBlock, Note, Paragraph, Placeholder, Styled
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
    # clinic fields are placeholder nodes; the reading check sees a typical value in their place
    call = welcome.blocks[4]
    assert [n.name for n in call.inlines if isinstance(n, Placeholder)] == ["clinic.name", "clinic.phone"]
    assert call.text == "Call the clinic at 555-0100 with any question."
    # bound to its clinic, the same parsed section reads with the clinic's details
    assert (
        guide.bind().sections[0].blocks[4].text == "Call Lakeside Test Clinic at 555-0100 with any question."
    )
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
    assert first.clinic_ids == ("lakeside", "hilltop") and first.bind().clinic_id == "lakeside"
    hilltop = load_guide(GUIDES / "clinics", "hilltop")
    assert hilltop.clinic_id == "hilltop" and hilltop.config.clinic.name == "Hilltop Test Clinic"
    assert [s.layout for s in hilltop.sections] == ["", "questions", "glossary"]
    assert (GUIDES / "clinics" / "logo.svg").resolve() in first.inputs  # the logo's hash keys the build
    assert load_guide(GUIDES / "mini").clinic_id == ""  # a single [clinic]


def test_text_is_text_fields_are_filled_per_clinic(tmp_path):
    """Braces in settings are shown and spoken as typed; only the documented fields are filled,
    in body text, headings, link targets and titles, from the one parsed model."""
    import shutil

    from kguide.booklet import editions, render_html
    from kguide.narration.script import build_script
    from kguide.narration.spoken import Lexicon

    guide_dir = tmp_path / "mini"
    shutil.copytree(GUIDES / "mini", guide_dir)
    toml = guide_dir / "guide.toml"
    toml.write_text(toml.read_text().replace('name = "Lakeside Test Clinic"', 'name = "Clinic {{ 7*7 }}"'))
    section = guide_dir / "02-after.md"
    section.write_text(
        section.read_text().replace("title: After your visit", "title: After {{ clinic.name }}")
        + "\n## Ask {{ clinic.name }}\n\nSee [our page](https://x.example/{{clinic.phone}}).\n"
    )
    guide = load_guide(guide_dir).bind()
    after = guide.sections[1]
    assert after.title == "After Clinic {{ 7*7 }}"
    heading = [b for b in after.blocks if isinstance(b, Heading)][-1]
    assert heading.text == "Ask Clinic {{ 7*7 }}"
    link = after.blocks[-1].inlines[1]
    assert isinstance(link, Link) and link.href == "https://x.example/555-0100"
    spoken = " ".join(s.text for t in build_script(guide, Lexicon(), 150) for s in t.segments)
    assert "Clinic {{ 7*7 }}" in spoken and "49" not in spoken
    html = render_html(guide, editions(guide)[0])
    assert "Clinic {{ 7*7 }}" in html and "Clinic 49" not in html
