"""The PEMAT-P items kguide judges, on small guides written for each item, and on the sample."""

from __future__ import annotations

import pytest
from conftest import GUIDES, ROOT

from kguide.loader import load_guide
from kguide.readability.pemat import is_action
from kguide.readability.report import check_guide
from kguide.text import split_sentences

CONFIG = """title = "PEMAT case"
language = "en-US"

[clinic]
name = "Lakeside Test Clinic"
phone = "555-0100"
address = "1 Test Road, Testville"
"""

# Enough plain prose that the guide is not "very short" (PEMAT: two paragraphs at most).
FILLER = "\n\n".join(
    f"You will rest in a quiet room for a while after part {n}. We will stay close to you." for n in range(3)
)


def items(tmp_path, body: str, title: str = "Your visit") -> dict:
    guide = tmp_path / "guide"
    guide.mkdir(parents=True)
    (guide / "guide.toml").write_text(CONFIG, encoding="utf-8")
    (guide / "01-visit.md").write_text(f"---\ntitle: {title}\n---\n{body}\n", encoding="utf-8")
    pemat = check_guide(load_guide(guide)).pemat
    return {i.number: i for i in pemat.items}


@pytest.mark.parametrize(
    "number, body, met",
    [
        (6, "About 20% of people feel sick. " + FILLER, False),
        (6, "Half of all people, 1/2, feel it. " + FILLER, False),
        (6, "It takes about 40 minutes. " + FILLER, True),
        (7, "Multiply your weight by two to find your dose. " + FILLER, False),
        (7, FILLER, True),
        (9, "## Overview\n\n" + FILLER, False),
        (9, "## What to bring\n\n" + FILLER, True),
        (11, "## In short\n\n- Rest after your visit.\n\n" + FILLER, True),
        (11, FILLER, False),
        (12, "- Rest.\n- Drink water.\n\n" + FILLER, True),
        (12, FILLER, False),
        (20, "Bring your photo ID. " + FILLER, True),
        (
            20,
            "The room is calm. The chair is soft. The lights are low.\n\nIt is quiet.\n\nIt is warm.",
            False,
        ),
        (21, "Patients should not eat before the visit. " + FILLER, False),
        (21, "Do not eat before your visit. " + FILLER, True),
    ],
)
def test_item(tmp_path, number, body, met):
    item = items(tmp_path, body)[number]
    assert item.applies and item.met is met, item.detail


def test_medical_terms_item_counts_glossary_and_explanations(tmp_path):
    assert not items(tmp_path, FILLER)[4].applies  # no medical term: does not apply
    undefined = items(tmp_path / "a", "Some people feel dissociation. " + FILLER)[4]
    assert undefined.applies and not undefined.met and '"dissociation"' in undefined.detail
    explained = items(
        tmp_path / "b", "Some feel dissociation, which is feeling apart from the body. " + FILLER
    )[4]
    assert explained.met


def test_passive_voice_item_allows_one_sentence_in_ten(tmp_path):
    active = " ".join(f"We check you at step {n}." for n in range(10))
    assert items(tmp_path / "a", "You are checked by a nurse. " + active + "\n\n" + FILLER)[5].met
    assert not items(tmp_path / "b", "You are checked. You are seen. " + active)[5].met


def test_long_sections_without_headings_are_not_chunked(tmp_path):
    long = "\n\n".join(
        f"We talk about part {n} of the visit with you, one step at a time, so it is clear."
        for n in range(14)
    )
    found = items(tmp_path, long)
    assert not found[8].met and "01-visit.md:1" in found[8].detail
    assert not found[9].met and "long sections with no heading inside: 01-visit.md" in found[9].detail


def test_very_short_material_skips_sections_headings_and_summary(tmp_path):
    found = items(tmp_path, "Call us if you feel sick.")
    assert [n for n in (8, 9, 11) if found[n].applies] == []


@pytest.mark.parametrize(
    "sentence, action",
    [
        ("Call us at any time.", True),
        ("Please bring your ID.", True),
        ("Do not drive.", True),
        ("If you feel sick, tell the nurse.", True),
        ("You should rest at home.", True),
        ("The room is calm.", False),
        ("If you feel sick, it passes.", False),
    ],
)
def test_is_action(sentence, action):
    assert is_action(sentence) is action


def test_sample_guide_meets_every_item_kguide_judges():
    pemat = check_guide(load_guide(ROOT / "guides" / "ketamine-first-session")).pemat
    assert [(i.number, i.detail) for i in pemat.items if i.applies and not i.met] == []
    assert pemat.score("understandability") == 100.0 and pemat.score("actionability") == 100.0


def test_hard_fixture_fails_the_items_it_should():
    pemat = check_guide(load_guide(GUIDES / "hard")).pemat
    assert sorted(i.number for i in pemat.items if i.applies and not i.met) == [4, 5, 11, 12, 20, 21]
    assert pemat.score("actionability") == 0.0


def test_sentence_split_keeps_us_abbreviation():
    assert [
        s.text
        for s in split_sentences("We live in the U.S. and like it. I grew up in the U.S. Then I moved.")
    ] == [
        "We live in the U.S. and like it.",
        "I grew up in the U.S.",
        "Then I moved.",
    ]
