"""Seed realistic bugs into kguide, one at a time, and see whether the tests catch each.

    .venv/bin/python tests/seed_bugs.py            # every seeded bug
    .venv/bin/python tests/seed_bugs.py 3 7        # only bugs 3 and 7
    .venv/bin/python tests/seed_bugs.py --list     # what each bug is

Each bug is a small change to one function (a wrong constant, a lost argument, an off-by-one,
a dropped check). The checkout is copied to a temporary folder, the bug is written into the copy,
and the tests that cover that code run against it; a bug is caught when they fail. The checkout
itself is never changed. The script prints one line per bug and the score, and exits 1 when any
bug was missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Bug:
    area: str
    what: str
    file: str  # under src/kguide/
    old: str
    new: str
    tests: tuple[str, ...]  # pytest arguments: files or node ids under tests/


BUGS = [
    # ---- readability ----------------------------------------------------------------------------
    Bug(
        "readability",
        "Flesch-Kincaid's syllable weight 11.8 becomes 11.2",
        "readability/formulas.py",
        "11.8 * self.syllables_per_word",
        "11.2 * self.syllables_per_word",
        ("tests/test_readability_references.py",),
    ),
    Bug(
        "readability",
        "the syllable fallback counts 'table' as one syllable",
        "readability/syllables.py",
        'not w.endswith(("le", "ee", "ye"))',
        'not w.endswith(("ee", "ye"))',
        ("tests/test_holes.py",),
    ),
    Bug(
        "readability",
        "section-level hard limits ignored",
        "readability/report.py",
        "return _worst([v.status for v in self.verdicts] + [_finding_status(f) for f in self.findings])",
        "return _worst([_finding_status(f) for f in self.findings])",
        ("tests/test_holes.py",),
    ),
    Bug(
        "readability",
        "an accept comment covers one line less",
        "model.py",
        "self.first <= line <= self.last",
        "self.first <= line < self.last",
        ("tests/test_check_cli.py", "tests/test_readability_findings.py"),
    ),
    Bug(
        "readability",
        "'Dr.' ends a sentence",
        "text.py",
        "            if word in abbreviations:\n                return False\n",
        "",
        ("tests/test_readability.py",),
    ),
    Bug(
        "readability",
        "Fernandez-Huerta as often miscopied: sentences per 100 words in place of words per sentence",
        "readability/formulas.py",
        "- 1.02 * self.words_per_sentence",
        "- 1.02 * 100 * self.sentences / self.words",
        ("tests/test_readability_es.py",),
    ),
    Bug(
        "readability",
        "an accented i or u no longer makes a hiatus ('dí-a' counts as one syllable)",
        "readability/syllables_es.py",
        'STRONG = set("aeoáéóíú")',
        'STRONG = set("aeoáéó")',
        ("tests/test_readability_es.py",),
    ),
    Bug(
        "readability",
        "words are ASCII again: 'análisis' splits in two",
        "text.py",
        'WORD_RE = re.compile(r"[^\\W_]+(?:[\'\\u2019\\-][^\\W_]+)*")',
        'WORD_RE = re.compile(r"[A-Za-z0-9]+(?:[\'\\u2019\\-][A-Za-z0-9]+)*")',
        ("tests/test_readability_es.py",),
    ),
    Bug(
        "readability",
        "a Spanish guide is scored with the English formulas",
        "readability/formulas.py",
        "return READING_FORMULAS.get(self.language, ())",
        'return READING_FORMULAS["en"]',
        ("tests/test_readability_es.py",),
    ),
    Bug(
        "readability",
        "long sentences: a limit of 25 lets 26 words through",
        "readability/rules.py",
        "if count > rule.error_above:",
        "if count > rule.error_above + 1:",
        ("tests/test_readability_findings.py", "tests/test_holes.py"),
    ),
    Bug(
        "readability",
        "an accepted hard sentence still counts in its section's score",
        "readability/report.py",
        "if (s.path, s.line, s.start) not in left_out",
        "if s",
        ("tests/test_advice.py",),
    ),
    # ---- build ----------------------------------------------------------------------------------
    Bug(
        "build",
        "the up-to-date check ignores the build key",
        "manifest.py",
        'if data.get("build_key") != key:',
        "if False:",
        ("tests/test_build.py::test_rebuild_without_change_is_skipped_and_an_edit_rebuilds",),
    ),
    Bug(
        "build",
        "the output swap deletes the last build before the rename",
        "ownership.py",
        "            target.rename(old)\n",
        "            shutil.rmtree(target)\n            old = None\n",
        ("tests/test_holes.py::test_output_swap_keeps_the_last_build_when_the_rename_fails",),
    ),
    Bug(
        "build",
        "the cache folder is not checked against the guide",
        "ownership.py",
        '(("output folder", out), ("cache folder", cache))',
        '(("output folder", out),)',
        ("tests/test_safety_ownership.py",),
    ),
    Bug(
        "build",
        "each clinic parses the guide again",
        "build.py",
        "bound = [guide.bind(clinic) for clinic in wanted]",
        "bound = [load_guide(guide_dir).bind(clinic) for clinic in wanted]",
        ("tests/test_one_model.py",),
    ),
    Bug(
        "narration",
        "the speech cache key loses the engine, voice and rate",
        "narration/cache.py",
        "self._engine_key = json.dumps(engine.describe(), sort_keys=True)",
        'self._engine_key = "speech"',
        ("tests/test_holes.py",),
    ),
    Bug(
        "narration",
        "phone numbers read as one run of digits",
        "narration/spoken.py",
        'said = ", ".join(digits(group, language=language) for group in groups)',
        'said = " ".join(digits(group, language=language) for group in groups)',
        ("tests/test_narration.py", "tests/test_phones.py"),
    ),
    Bug(
        "narration",
        "a Spanish guide's digits are read in English",
        "text.py",
        "names = DIGITS_ES if _spanish(language) else DIGITS",
        "names = DIGITS",
        ("tests/test_spanish_narration.py",),
    ),
    Bug(
        "narration",
        "a voice of another language than the guide's is taken",
        "narration/voicelang.py",
        "if not spoken or primary(spoken) == primary(wanted):",
        "if not spoken or primary(spoken) == primary(spoken):",
        ("tests/test_voice_language.py::test_piper_voice_by_path_is_judged_by_its_own_config",),
    ),
    Bug(
        "narration",
        "parts are announced from 0",
        "narration/script.py",
        'announce = t("part_announce", number=index, title=section.title)',
        'announce = t("part_announce", number=index - 1, title=section.title)',
        ("tests/test_narration.py",),
    ),
    Bug(
        "narration",
        "a clinic field is spoken with its typical value",
        "model.py",
        "node = Text(self.values[node.name])",
        "node = Text(node.typical)",
        ("tests/test_guide_model.py",),
    ),
    Bug(
        "narration",
        "captions are not moved on by each track's length",
        "narration/narrate.py",
        "        offset += result.seconds\n",
        "",
        ("tests/test_build.py", "tests/test_narration.py"),
    ),
    Bug(
        "audio",
        "the meter's true peaks are not counted in the pieces they fall in",
        "narration/pieces.py",
        '                out[k]["true_peak"] = max(out[k]["true_peak"], peak)',
        '                out[k]["true_peak"] = max(out[k]["true_peak"], peak - 3)',
        ("tests/test_speed.py::test_tracks_are_leveled_in_few_encodes_and_measured_right",),
    ),
    Bug(
        "audio",
        "the limiter runs at the output rate, so it misses the peaks between samples",
        "narration/pieces.py",
        'f"volume={gain:.2f}dB,aresample={SAMPLE_RATE * 2},"',
        'f"volume={gain:.2f}dB,aresample={SAMPLE_RATE},"',
        ("tests/test_speed.py::test_tracks_are_leveled_in_few_encodes_and_measured_right",),
    ),
    Bug(
        "audio",
        "the relative gate of the integrated loudness is 20 LU, not 10",
        "narration/pieces.py",
        "    gate = _loudness(sum(energies) / len(energies)) - 10.0",
        "    gate = _loudness(sum(energies) / len(energies)) - 20.0",
        ("tests/test_speed.py::test_tracks_are_leveled_in_few_encodes_and_measured_right",),
    ),
    Bug(
        "audio",
        "the Info frame counts one frame too many",
        "narration/pieces.py",
        "    frames = mp3_samples(data, path) // first.samples",
        "    frames = mp3_samples(data, path) // first.samples + 1",
        ("tests/test_narration.py::test_whole_guide_chapters_match_the_tracks",),
    ),
    Bug(
        "audio",
        "the whole-guide MP3's chapters are stored in reverse",
        "narration/id3.py",
        "    ordered = sorted(chapters)",
        "    ordered = sorted(chapters, reverse=True)",
        ("tests/test_audio_files.py::test_chapter_frames_are_stored_in_time_order",),
    ),
    Bug(
        "audio",
        "a track's last gain is never tried again",
        "narration/narrate.py",
        "work / track.stem, hint)",
        "work / track.stem, None)",
        ("tests/test_speed.py::test_clinics_share_every_piece_but_those_that_name_the_clinic",),
    ),
    Bug(
        "audio",
        "the M4B's chapters are the MP3's",
        "narration/narrate.py",
        "m4b, album, book)",
        "m4b, album, chapters)",
        ("tests/test_narration.py::test_whole_guide_chapters_match_the_tracks",),
    ),
    # ---- tagging --------------------------------------------------------------------------------
    Bug(
        "tagging",
        "page furniture is not made an artifact",
        "tagging.py",
        "changed += _artifact_orphans(pdf, page, parents, reachable)",
        "changed += 0",
        ("tests/test_uacheck.py",),
    ),
    Bug(
        "tagging",
        "links get no description",
        "tagging.py",
        "        _describe_links(pdf, link_names, t)\n",
        "",
        ("tests/test_uacheck.py", "tests/test_booklet_reading.py"),
    ),
    # ---- cli ------------------------------------------------------------------------------------
    Bug("cli", "an internal error exits 1", "cli.py", "sys.exit(3)", "sys.exit(1)", ("tests/test_holes.py",)),
    Bug(
        "cli",
        "several guides: the last exit code wins, not the worst",
        "cli.py",
        "code = max(code, _report_error(exc))",
        "code = _report_error(exc)",
        ("tests/test_holes.py",),
    ),
    Bug(
        "cli",
        "colour when the output is piped",
        "console.py",
        "return stream.isatty() and not",
        "return True and not",
        ("tests/test_terminal.py",),
    ),
    # ---- locale -------------------------------------------------------------------------------
    Bug(
        "locale",
        "the UK booklet and audio give the US emergency number",
        "locale/locales.toml",
        'region = "GB"\nemergency = "999"',
        'region = "GB"\nemergency = "911"',
        ("tests/test_locale.py",),
    ),
    Bug(
        "locale",
        "a clinic's [locale] loses to the guide's",
        "config.py",
        "resolve(self.language, self.locale.values(), clinic.locale.values())",
        "resolve(self.language, clinic.locale.values(), self.locale.values())",
        ("tests/test_locale.py",),
    ),
    Bug(
        "locale",
        "years and ranges taken for phone numbers (the lenient matcher unchecked)",
        "locale/phones.py",
        "if phonenumbers.is_valid_number(number):\n        return True",
        "if True:\n        return True",
        ("tests/test_phones.py",),
    ),
    Bug(
        "locale",
        "phone numbers found for the US whatever the guide's language",
        "readability/report.py",
        "passages(section, SourceFile(section), language=language)",
        'passages(section, SourceFile(section), language="en-US")',
        ("tests/test_phones.py",),
    ),
    # ---- strings --------------------------------------------------------------------------------
    Bug(
        "strings",
        "the booklet's note label written in English into the template",
        "templates/booklet/blocks.html.j2",
        '<p class="note-label">{{ t.important }}</p>',
        '<p class="note-label">Important</p>',
        ("tests/test_strings.py",),
    ),
    Bug(
        "strings",
        "the Spanish table says a step in English",
        "locale/strings/es.toml",
        'step = "Paso {number}."',
        'step = "Step {number}."',
        ("tests/test_strings.py",),
    ),
    Bug(
        "strings",
        "a missing phrase quietly falls back to its key",
        "locale/strings.py",
        'raise MissingPhrase(f"no phrase {key!r} in the {self.language} strings table")',
        "return key",
        ("tests/test_strings.py",),
    ),
]


def _copy_checkout(target: Path) -> None:
    skip = {".git", ".venv", "build", ".tools", ".cache", "__pycache__", ".pytest_cache"}
    for item in ROOT.iterdir():
        if item.name in skip or item.name.endswith(".egg-info"):
            continue
        if item.is_symlink():
            (target / item.name).symlink_to(os.readlink(item))
        elif item.is_dir():
            shutil.copytree(item, target / item.name, symlinks=True, ignore=shutil.ignore_patterns(*skip))
        else:
            shutil.copy2(item, target / item.name)


def run_bug(number: int, bug: Bug, work: Path) -> tuple[str, float]:
    """'caught', 'missed' or 'stale' (the code the bug changes is no longer there)."""
    copy = work / f"bug-{number}"
    copy.mkdir()
    _copy_checkout(copy)
    source = copy / "src" / "kguide" / bug.file
    text = source.read_text(encoding="utf-8")
    if bug.old not in text:
        return "stale", 0.0
    source.write_text(text.replace(bug.old, bug.new, 1), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *bug.tests],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    shutil.rmtree(copy, ignore_errors=True)
    return ("missed" if result.returncode == 0 else "caught"), time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("numbers", nargs="*", type=int, help="bug numbers to seed (default: all)")
    parser.add_argument("--list", action="store_true", help="list the bugs and stop")
    args = parser.parse_args()
    chosen = [(n, b) for n, b in enumerate(BUGS, start=1) if not args.numbers or n in args.numbers]
    if args.list:
        for n, b in chosen:
            print(f"{n:2d} {b.area:<12} {b.what}")
        return 0
    counts = {"caught": 0, "missed": 0, "stale": 0}
    with tempfile.TemporaryDirectory(prefix="kguide-seeded-") as work:
        for n, bug in chosen:
            outcome, seconds = run_bug(n, bug, Path(work))
            counts[outcome] += 1
            print(f"{n:2d} {outcome:<7} {seconds:6.1f} s  {bug.area:<12} {bug.what}", flush=True)
    judged = counts["caught"] + counts["missed"]
    print(
        f"caught {counts['caught']} of {judged} seeded bugs"
        + (f" ({counts['stale']} stale)" if counts["stale"] else "")
    )
    return 0 if counts["missed"] == 0 and counts["stale"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
