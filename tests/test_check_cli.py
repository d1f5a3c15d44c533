"""`kguide check` and the reading gate of `kguide build`, run as a user runs them: the exact
lines printed, the exit codes (0 clean, 1 a finding at error level or a hard limit passed,
2 bad input), the JSON and the HTML report."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import GUIDES, ROOT, run_kguide

SAMPLE = ROOT / "guides" / "ketamine-first-session"

DENSE = """
Subsequent to the administration of the medication, individuals should refrain from operating
a motor vehicle until such time as their physician has ascertained that it is safe to do so.
"""

# What `kguide check` prints for DENSE added to the end of the mini guide's 02-after.md.
DENSE_FINDINGS = """\
mini/02-after.md:13:1: error hard_sentence: very hard to read: grade 17.7 (target 6): hardest words: "individuals" (5 syllables), "administration" (5 syllables), "medication" (4 syllables); it could be split in two at "vehicle | until"
mini/02-after.md:13:1: error long_sentence: 30 words in one sentence (more than 25): split it
mini/02-after.md:13:1: warning plain_word: use "After" instead of "Subsequent to"
mini/02-after.md:13:19: warning plain_word: use "giving" instead of "administration"
mini/02-after.md:13:41: warning plain_word: use "medicine" instead of "medication"
mini/02-after.md:13:53: warning plain_word: use "people" instead of "individuals"
mini/02-after.md:13:72: warning plain_word: use "do not, avoid" instead of "refrain from"
mini/02-after.md:14:3: warning plain_word: use "car" instead of "motor vehicle"
mini/02-after.md:14:17: warning plain_word: use "until" instead of "until such time as"
mini/02-after.md:14:42: warning plain_word: use "doctor" instead of "physician"
mini/02-after.md:14:56: warning plain_word: use "find out" instead of "ascertained"
"""
SUMMARY = "error: mini: 2 findings at error level: fix them, or accept one with <!-- kguide: accept RULE --> in its paragraph\n"


@pytest.fixture()
def dense(tmp_path):
    """A copy of the mini guide with a dense paragraph at the end of 02-after.md (lines 13-14)."""
    guide = tmp_path / "mini"
    shutil.copytree(GUIDES / "mini", guide)
    with (guide / "02-after.md").open("a", encoding="utf-8") as section:
        section.write(DENSE)
    return guide


def test_dense_paragraph_is_located_with_plainer_words_and_fails(dense):
    result = run_kguide("check", "mini", cwd=dense.parent)
    assert result.code == 1
    assert result.out.startswith("mini: Your visit in short\n" + DENSE_FINDINGS)
    assert re.search(r"^02-after\.md .* 2/9/0  fail$", result.out, re.MULTILINE)
    assert result.err == SUMMARY


def test_min_level_hides_milder_findings(dense):
    result = run_kguide("check", "mini", "--min-level", "error", cwd=dense.parent)
    errors = [line for line in DENSE_FINDINGS.splitlines() if ": error " in line]
    assert result.out.startswith("mini: Your visit in short\n" + "\n".join(errors) + "\nsection ")


def test_build_fails_on_the_dense_paragraph_and_writes_nothing(dense):
    result = run_kguide("build", "mini", "--out", "out", cwd=dense.parent)
    assert result.code == 1
    errors = [line for line in DENSE_FINDINGS.splitlines() if ": error " in line]
    report_line = "error: the reading report shows each finding in the text: out/mini-reading-report.html\n"
    assert result.err == "\n".join(errors) + "\n" + SUMMARY + report_line
    assert not (dense.parent / "out" / "mini").exists()


def test_json_carries_every_finding_and_figure(dense):
    result = run_kguide("check", "mini", "--format", "json", cwd=dense.parent)
    assert result.code == 1
    document = json.loads(result.out)
    assert document["exit_code"] == 1 and len(document["guides"]) == 1
    data = document["guides"][0]
    assert data["name"] == "mini" and data["folder"] == "mini" and data["exit_code"] == 1
    assert data["status"] == "fail"
    assert data["counts"] == {"error": 2, "warning": 9, "suggestion": 0, "accepted": 0}
    assert len(data["findings"]) == 11
    assert data["findings"][2] == {
        "file": "mini/02-after.md",  # as the text output prints it
        "line": 13,
        "column": 1,
        "severity": "warning",
        "rule": "plain_word",
        "message": 'use "After" instead of "Subsequent to"',
        "text": "Subsequent to",
        "suggestion": "After",
    }
    after = data["sections"][1]
    assert after["figures"]["words"] == 59
    assert after["sentences"][-1]["line"] == 13 and after["sentences"][-1]["words"] == 30
    assert {i["item"] for i in data["pemat"]["items"]} == {4, 5, 6, 7, 8, 9, 11, 12, 20, 21}


def test_html_report_highlights_the_sentence_and_words(dense, tmp_path):
    result = run_kguide("check", "mini", "--html", str(tmp_path / "reports"), cwd=dense.parent)
    assert result.code == 1
    html = (tmp_path / "reports" / "mini-reading-report.html").read_text(encoding="utf-8")
    assert '<span class="s long very-hard" title="error hard_sentence: very hard to read' in html
    assert (
        '<mark class="plain_word" title="warning plain_word: use &quot;doctor&quot; instead of &quot;physician&quot;">physician</mark>'
        in html
    )
    assert '<a href="#f1">02-after.md:13:1</a>' in html and '<a id="f1"></a>' in html
    assert "<script" not in html and "http" not in html.split("<h2>The guide</h2>")[0]


def test_accept_comment_lets_the_sentence_stand(dense):
    section = dense / "02-after.md"
    text = section.read_text(encoding="utf-8")
    section.write_text(
        text.replace("\nSubsequent", "\n<!-- kguide: accept long_sentence, hard_sentence -->\nSubsequent")
    )
    result = run_kguide("check", "mini", "--format", "json", cwd=dense.parent)
    assert result.code == 0, result.err
    data = json.loads(result.out)["guides"][0]
    assert [f["rule"] for f in data["accepted"]] == ["hard_sentence", "long_sentence"]
    assert data["counts"]["error"] == 0 and data["counts"]["accepted"] == 2
    assert data["findings"][0]["line"] == 14  # the paragraph moved down one line


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            lambda g: _append(g / "02-after.md", "\nRest. <!-- kguide: accept long-sentence -->\n"),
            (
                "error: mini/02-after.md:13: unknown rule 'long-sentence' in accept comment (known: long_sentence, "
                "hard_sentence, plain_word, passive_voice, undefined_term, long_paragraph)\n"
            ),
        ),
        (
            lambda g: _append(g / "02-after.md", "\n<!-- a note to the editor -->\n"),
            "error: mini/02-after.md:13: raw HTML is not allowed in a guide; use Markdown (the one comment allowed is <!-- kguide: accept RULE -->)\n",
        ),
        (
            lambda g: _append(g / "guide.toml", '\n[reading.rules.plain_word]\nseverity = "loud"\n'),
            (
                "error: mini/guide.toml:21: 'reading.rules.plain_word.severity' must be one of \"suggestion\", "
                '"warning", "error", "off", not \'loud\'\n'
            ),
        ),
        (
            lambda g: _append(
                g / "guide.toml", "\n[reading.rules.long_sentence]\nwarning_above = 30\nerror_above = 25\n"
            ),
            "error: mini/guide.toml:21: 'reading.rules.long_sentence.warning_above' must not be more than 'error_above'\n",
        ),
        (
            lambda g: _append(g / "guide.toml", '\n[reading.rules.passive]\nseverity = "off"\n'),
            (
                "error: mini/guide.toml:20: unknown key 'reading.rules.passive' (known here: long_sentence, "
                "hard_sentence, plain_word, passive_voice, undefined_term, long_paragraph)\n"
            ),
        ),
        (
            lambda g: (g / "plain_words.tsv").write_text("# word\tplain\tkind\nutilise\tuse\n"),
            "error: mini/plain_words.tsv:2: expected 3 columns split by tabs (word, plain, kind), found 2\n",
        ),
    ],
    ids=["unknown-rule", "other-html", "bad-severity", "thresholds", "unknown-rule-table", "bad-word-list"],
)
def test_bad_input_is_exit_2_with_file_and_line(change, expected, tmp_path):
    guide = tmp_path / "mini"
    shutil.copytree(GUIDES / "mini", guide)
    change(guide)
    result = run_kguide("check", "mini", cwd=tmp_path)
    assert (result.code, result.err) == (2, expected)


def _append(path, text: str) -> None:
    with path.open("a", encoding="utf-8") as out:
        out.write(text)


def test_usage_error_is_exit_2():
    result = run_kguide("check", "--min-level", "loud")
    assert result.code == 2 and "Invalid value for '--min-level'" in result.err


def test_sample_guide_passes_every_check_at_error_level():
    result = run_kguide("check", str(SAMPLE), "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)["guides"][0]
    assert data["counts"]["error"] == 0 and data["counts"]["warning"] == 0
    assert data["pemat"]["understandability"] == 100.0 and data["pemat"]["actionability"] == 100.0


def test_readme_shows_the_sample_guides_figures():
    """The README's table of the sample's figures is what `kguide check` reports today."""
    from kguide.loader import load_guide
    from kguide.readability.report import check_guide

    report = check_guide(load_guide(SAMPLE))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {
        m.group(1): [float(v) for v in m.group(2).split("|")]
        for m in re.finditer(r"^\| (?:\*\*)?([\w -]+?)(?:\*\*)? \|([-\d. |]+)\|$", readme, re.MULTILINE)
    }
    expected = {r.section.stem: r.figures for r in report.sections} | {"whole guide": report.figures}
    assert set(expected) <= set(rows)
    for name, f in expected.items():
        shown = [f.words, f.words_per_sentence, f.flesch_kincaid_grade, f.smog_grade, f.flesch_reading_ease]
        assert rows[name] == [round(v, 1) if i < 4 else round(v) for i, v in enumerate(shown)], name


def test_html_report_never_overwrites_a_file_kguide_did_not_write(dense, tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    mine = reports / "mini-reading-report.html"
    mine.write_text("my own notes\n", encoding="utf-8")
    result = run_kguide("check", "mini", "--html", str(reports), cwd=dense.parent)
    assert result.code == 2 and "not a reading report kguide wrote" in result.err
    assert "Traceback" not in result.err and mine.read_text(encoding="utf-8") == "my own notes\n"
    mine.unlink()
    elsewhere = tmp_path / "elsewhere.html"
    elsewhere.write_text("keep\n", encoding="utf-8")
    mine.symlink_to(elsewhere)  # a link to someone's file is not written through
    assert run_kguide("check", "mini", "--html", str(reports), cwd=dense.parent).code == 2
    assert elsewhere.read_text(encoding="utf-8") == "keep\n"
    mine.unlink()
    assert run_kguide("check", "mini", "--html", str(reports), cwd=dense.parent).code == 1
    assert (
        run_kguide("check", "mini", "--html", str(reports), cwd=dense.parent).code == 1
    )  # its own: replaced


def test_build_writes_the_html_report_beside_reading_json(mini_build):
    html = (mini_build / "reading-report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Reading report: Your visit in short" in html
    assert json.loads((mini_build / "reading.json").read_text())["counts"]["error"] == 0


def test_strict_mode_fails_on_a_warning(tmp_path):
    """--strict (or strict = true in guide.toml) turns any warning into a failure, exit 1."""
    import shutil

    guide = tmp_path / "spoken"
    shutil.copytree(GUIDES / "spoken", guide)
    relaxed = run_kguide("check", str(guide))
    assert relaxed.code == 0 and "warning undefined_term" in relaxed.out
    strict = run_kguide("check", "--strict", str(guide))
    assert strict.code == 1, strict.err
    assert "strict mode: 1 warning fails the build" in strict.err
    toml = guide / "guide.toml"
    toml.write_text(toml.read_text().replace('language = "en-US"', 'language = "en-US"\nstrict = true'))
    assert run_kguide("check", str(guide)).code == 1
    built = run_kguide("build", str(guide), "--out", str(tmp_path / "out"))
    assert built.code == 1 and "undefined_term" in built.err
    assert not (tmp_path / "out" / "spoken").exists()  # nothing built
    toml.write_text(toml.read_text().replace("strict = true", 'strict = "yes"'))
    bad = run_kguide("check", str(guide))
    assert bad.code == 2 and "'strict' must be true or false" in bad.err


def test_json_and_sarif_are_one_document_for_several_guides(dense, tmp_path):
    """Any number of guides give one JSON document (each entry naming its guide) and one SARIF
    2.1.0 log; paths are those the text output prints; a broken guide is in both."""
    from sarif_pydantic import Sarif

    broken = tmp_path / "broken"
    shutil.copytree(GUIDES / "mini", broken)
    (broken / "guide.toml").write_text('title = "x"\nlanguage = 5\n')
    cwd = dense.parent
    text = run_kguide("check", "mini", str(GUIDES / "hard"), "broken", cwd=cwd)
    result = run_kguide("check", "mini", str(GUIDES / "hard"), "broken", "--format", "json", cwd=cwd)
    assert result.code == 2 == text.code
    document = json.loads(result.out)  # one document, not several glued together
    assert document["exit_code"] == 2
    assert [(g["name"], g["status"], g["exit_code"]) for g in document["guides"]] == [
        ("mini", "fail", 1),
        ("hard", "fail", 1),
        ("broken", "error", 2),
    ]
    assert "'language' must be a string" in document["guides"][2]["errors"][0]["message"]
    for finding in document["guides"][0]["findings"]:
        line = f"{finding['file']}:{finding['line']}:{finding['column']}: {finding['severity']} {finding['rule']}:"
        assert line in text.out
    sarif = run_kguide("check", "mini", "broken", "--format", "sarif", cwd=cwd)
    assert sarif.code == 2
    log = json.loads(sarif.out)
    Sarif.model_validate(log)
    results = log["runs"][0]["results"]
    first = results[0]
    assert first["ruleId"] == "hard_sentence" and first["level"] == "error"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "mini/02-after.md"},
        "region": {"startLine": 13, "startColumn": 1},
    }
    assert {r["level"] for r in results} == {"error", "warning"}
    assert results[-1]["ruleId"] == "input_error"
    rules = {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in results} <= rules


def test_explain_says_what_a_rule_checks_and_what_to_do():
    result = run_kguide("explain", "undefined_term")
    assert result.code == 0
    assert result.out.startswith("undefined_term: A medical term the guide does not explain.")
    assert "glossary" in result.out and "<!-- kguide: accept RULE -->" in result.out
    unknown = run_kguide("explain", "long_words")
    assert unknown.code == 2 and "Invalid value" in unknown.err
