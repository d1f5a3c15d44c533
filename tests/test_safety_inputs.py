"""Whatever an editor or a disk throws at kguide is a message naming the file (and line), exit
2, no traceback, the last good build kept: bad encodings, binary files, links out of the guide,
files too big, lists nested too deep, lexicon patterns that would hang."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from conftest import GUIDES, run_kguide

OUTSIDE = "Secret text from a file outside the guide.\n"


def _append_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(path.read_bytes() + data)


def _link_out(guide: Path, name: str, content: str | bytes = OUTSIDE) -> None:
    outside = guide.parent / f"outside-{Path(name).name}"
    if isinstance(content, bytes):
        outside.write_bytes(content)
    else:
        outside.write_text(content)
    target = guide / name
    target.unlink(missing_ok=True)
    target.symlink_to(outside)


def _nested(depth: int) -> str:
    lines = ["---", "title: Nested", "---"]
    lines += ["  " * d + f"- Level {d + 1}" for d in range(depth)]
    return "\n".join(lines) + "\n"


def _section(text: str) -> str:
    return f"---\ntitle: More\n---\n{text}\n"


# (name, how to break the mini guide, expected text in the message, commands that must report it)
BOTH, BUILD = ("build", "check"), ("build",)
CASES = [
    (
        "section-invalid-utf8",
        lambda g: _append_bytes(g / "02-after.md", b"\nCaf\xe9 au lait.\n"),
        "02-after.md:13: is not valid UTF-8 (byte 0xe9 at column 4)",
        BOTH,
    ),
    (
        "config-invalid-utf8",
        lambda g: _append_bytes(g / "guide.toml", b'\n[booklet2]\nx = "\xff"\n'),
        "guide.toml:21: is not valid UTF-8 (byte 0xff at column 6)",
        BOTH,
    ),
    (
        "word-list-invalid-utf8",
        lambda g: (g / "plain_words.tsv").write_bytes(
            b"# word\tplain\tkind\nutilise\tuse\tplain\nna\xefve\t\tignore\n"
        ),
        "plain_words.tsv:3: is not valid UTF-8",
        BOTH,
    ),
    (
        "lexicon-invalid-utf8",
        lambda g: (g / "lexicon.toml").write_bytes(b'[words]\n"Hilltop" = "Hill top"\n"caf\xe9" = "cafe"\n'),
        "lexicon.toml:3: is not valid UTF-8",
        BUILD,
    ),
    (
        "binary-named-like-a-section",
        lambda g: (g / "03-picture.md").write_bytes((g / "chair.png").read_bytes()),
        "03-picture.md: is not a text file (it holds binary data)",
        BOTH,
    ),
    (
        "control-character",
        lambda g: _append_bytes(g / "02-after.md", b"\nRing the bell\x07 twice.\n"),
        "02-after.md:13: holds a control character (U+0007)",
        BOTH,
    ),
    (
        "folder-named-like-a-section",
        lambda g: (g / "03-notes.md").mkdir(),
        "03-notes.md: is a folder, not a file",
        BOTH,
    ),
    (
        "pipe-named-like-a-section",
        lambda g: os.mkfifo(g / "03-pipe.md"),
        "03-pipe.md: is not a regular file",
        BOTH,
    ),
    (
        "section-linked-outside",
        lambda g: _link_out(g, "03-more.md", _section(OUTSIDE)),
        "03-more.md: is a link to a file outside the guide folder",
        BOTH,
    ),
    (
        "config-linked-outside",
        lambda g: _link_out(g, "guide.toml", (GUIDES / "mini" / "guide.toml").read_text()),
        "guide.toml: is a link to a file outside the guide folder",
        BOTH,
    ),
    (
        "word-list-linked-outside",
        lambda g: _link_out(g, "plain_words.tsv", "utilise\tuse\tplain\n"),
        "plain_words.tsv: is a link to a file outside the guide folder",
        BOTH,
    ),
    (
        "lexicon-linked-outside",
        lambda g: _link_out(g, "lexicon.toml", '[words]\n"Hilltop" = "Hill top"\n'),
        "lexicon.toml: is a link to a file outside the guide folder",
        BUILD,
    ),
    (
        "image-linked-outside",
        lambda g: _link_out(g, "chair.png", (GUIDES / "mini" / "chair.png").read_bytes()),
        "01-welcome.md:12: image 'chair.png' is outside the guide folder",
        BOTH,
    ),
    (
        "logo-linked-outside",
        lambda g: (
            _link_out(g, "logo.png", (GUIDES / "mini" / "chair.png").read_bytes()),
            (g / "guide.toml").write_text(
                (g / "guide.toml")
                .read_text()
                .replace(
                    'website = "www.example.org/lakeside"',
                    'website = "www.example.org/lakeside"\nlogo = "logo.png"\nlogo_alt = "Our logo"',
                )
            ),
        ),
        "guide.toml:12: 'clinic.logo' must be a file inside the guide folder: 'logo.png'",
        BOTH,
    ),
    (
        "section-too-big",
        lambda g: (g / "03-long.md").write_text(_section("Rest well today. " * 15_000)),
        "03-long.md: is too big: more than 200 KB",
        BOTH,
    ),
    (
        "guide-too-big",
        lambda g: [
            (g / f"{n:02d}-part.md").write_text(_section("Rest well today.\n\n" * 10_000))
            for n in range(3, 15)
        ],
        "the sections hold 2",
        BOTH,
    ),
    (
        "nested-too-deep",
        lambda g: (g / "03-nested.md").write_text(_nested(6)),
        "03-nested.md:8: lists and notes are nested more than 4 deep here",
        BOTH,
    ),
    (
        "lexicon-nested-repetition",
        lambda g: (g / "lexicon.toml").write_text("[patterns]\n'(a+)+$' = 'x'\n"),
        "lexicon.toml:2: pattern '(a+)+$' cannot be used: it repeats something that is itself repeated",
        BUILD,
    ),
]


@pytest.mark.parametrize("name, breaker, expected, commands", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_a_message_and_the_last_build_kept(
    name, breaker, expected, commands, mini_copy, tmp_path, tts_cache
):
    out = tmp_path / "out"
    good = out / "mini"
    good.mkdir(parents=True)
    (good / "booklet.pdf").write_bytes(b"%PDF-previous good build")
    (good / "manifest.json").write_text(json.dumps({"outputs": {"booklet.pdf": {}}}))
    breaker(mini_copy)
    for command in commands:
        args = ["build", str(mini_copy), "--out", str(out), "--cache-dir", str(tts_cache)]
        result = run_kguide(*(args if command == "build" else ["check", str(mini_copy)]))
        assert result.code == 2, (command, result.err)
        assert "Traceback" not in result.err and "internal error" not in result.err
        assert result.err.startswith("error: "), result.err
        assert expected in result.err, result.err
        assert "Secret text" not in result.out + result.err
    assert (good / "booklet.pdf").read_bytes() == b"%PDF-previous good build"
    assert sorted(p.name for p in out.iterdir()) == ["mini"]


def _check_json(guide: Path) -> dict:
    result = run_kguide("check", str(guide), "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_byte_order_mark_and_windows_line_ends_read_like_plain_utf8(mini_copy, tmp_path):
    plain = _check_json(mini_copy)
    for path in [mini_copy / "guide.toml", *sorted(mini_copy.glob("*.md"))]:
        text = path.read_text()
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert _check_json(mini_copy) == plain


def test_slow_lexicon_pattern_stops_with_a_message(mini_copy, tmp_path, tts_cache):
    # Not caught when loaded (no repeated repetition), but exponential on this text: the
    # time limit stops it.
    (mini_copy / "lexicon.toml").write_text("[patterns]\n'(a|aa)+$' = 'x'\n")
    section = mini_copy / "02-after.md"
    section.write_text(section.read_text() + "\nSay " + "a" * 60 + "b now.\n")
    started = time.monotonic()
    result = run_kguide(
        "build", str(mini_copy), "--out", str(tmp_path / "out"), "--cache-dir", str(tts_cache)
    )
    assert time.monotonic() - started < 60
    assert result.code == 2, result.err
    assert "lexicon pattern '(a|aa)+$' took more than 1 s" in result.err
    assert "Traceback" not in result.err


def test_a_five_thousand_digit_number_is_just_a_hard_sentence(mini_copy):
    (mini_copy / "03-numbers.md").write_text(_section("Call " + "7" * 5000 + " now."))
    result = run_kguide("check", str(mini_copy))
    assert result.code == 1, result.err  # far above the reading limits: a finding, not a crash
    assert "03-numbers.md: section reads above its hard limit" in result.err
    assert "internal error" not in result.err


def _check_seconds(folder: Path, words: int) -> float:
    import random

    from kguide.loader import load_guide
    from kguide.readability.report import check_guide

    pool = [
        "you",
        "can",
        "rest",
        "at",
        "home",
        "after",
        "the",
        "visit",
        "and",
        "call",
        "us",
        "if",
        "you",
        "feel",
        "sick",
        "or",
        "medication",
    ]
    rng = random.Random(words)
    (folder / "03-long.md").write_text(_section(" ".join(rng.choice(pool) for _ in range(words))))
    started = time.process_time()
    check_guide(load_guide(folder))
    return time.process_time() - started


def test_checking_time_grows_in_proportion_to_the_text(mini_copy):
    # One long paragraph with thousands of findings on one line: was quadratic (finding each
    # word's column scanned the line again), 12 times slower for 4 times the text.
    _check_seconds(mini_copy, 500)  # warm the dictionaries
    small = _check_seconds(mini_copy, 6_000)
    large = _check_seconds(mini_copy, 24_000)
    assert large < 6 * small + 0.2, (small, large)
