"""Findings an editor can act on: a hard sentence names its hardest words and where it could
be split; an accepted sentence leaves its section's score."""

from __future__ import annotations

import shutil

from conftest import GUIDES, run_kguide

from kguide.readability.advice import hard_sentence_advice, hardest_words, split_point


def test_hardest_words_are_long_or_uncommon_hardest_first():
    hard = hardest_words("Take the contraindications list and the chair to your physician today.")
    assert [h.word for h in hard] == ["contraindications", "physician"]
    assert hard[0].why == "5 syllables, uncommon"  # the CMU dictionary's count
    assert hardest_words("You can sit in the big chair and rest.") == []
    assert [h.word for h in hardest_words("Call 988 or the ER.")] == []  # numbers, initials


def test_split_point_is_a_join_near_the_middle_with_a_sentence_each_side():
    assert split_point("You may feel sleepy for a few hours, and you should rest at home today.") == (
        'at "hours | and"'
    )
    assert split_point("Rest, and sleep.") is None  # no sentence left on either side
    assert "could be split" not in hard_sentence_advice("Administration is complicated.")


def test_an_accepted_hard_sentence_leaves_its_sections_score(tmp_path):
    guide = tmp_path / "mini"
    shutil.copytree(GUIDES / "mini", guide)
    hard = (
        "Comprehensive pharmacological evaluation necessitates interdisciplinary "
        "consideration of individualized physiological characteristics."
    )
    section = guide / "02-after.md"
    section.write_text(section.read_text() + f"\n{hard}\n")
    failed = run_kguide("check", str(guide))
    assert failed.code == 1 and "section reads above its hard limit" in failed.err
    section.write_text(section.read_text().replace(hard, hard + " <!-- kguide: accept hard_sentence -->"))
    accepted = run_kguide("check", str(guide), "--format", "json")
    assert accepted.code == 0, accepted.err
    assert "section reads above its hard limit" not in accepted.err


def test_speaking_rate_warning_says_what_to_change(mini_build):
    import json

    from kguide.narration.narrate import rate_advice

    assert rate_advice(114, 160).endswith("set voice.rate in guide.toml from 160 to about 210")
    assert rate_advice(190, 150) == "set voice.rate in guide.toml from 150 to about 120"
    assert rate_advice(60, 280).endswith("to about 300")  # never past what the setting allows
    warnings = json.loads((mini_build / "manifest.json").read_text())["audio"]["rate_warnings"]
    assert warnings and all("set voice.rate in guide.toml from 160 to about" in w for w in warnings)
