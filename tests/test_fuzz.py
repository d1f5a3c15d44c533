"""Property-based tests (Hypothesis): generated guide.toml files, front matter and Markdown
sections go through loading and checking (no audio, no PDF); whatever they hold, kguide either
accepts them or raises its own error with a message, never anything else (an internal error).

CI runs a modest number of examples; for many more:

    KGUIDE_FUZZ=long .venv/bin/python -m pytest tests/test_fuzz.py   # 5,000 examples per test
    KGUIDE_FUZZ=long KGUIDE_FUZZ_EXAMPLES=50000 .venv/bin/python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from conftest import GUIDES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kguide.errors import KguideError
from kguide.loader import load_guide
from kguide.readability.report import check_guide

settings.register_profile(
    "ci", max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("KGUIDE_FUZZ_EXAMPLES", "5000")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("long" if os.environ.get("KGUIDE_FUZZ") == "long" else "ci")

CONFIG = (GUIDES / "mini" / "guide.toml").read_text()
SECTION = (GUIDES / "mini" / "02-after.md").read_text()
CHAIR = (GUIDES / "mini" / "chair.png").read_bytes()

# ---- strategies ---------------------------------------------------------------------------

words = st.sampled_from(
    [
        "rest",
        "call",
        "you",
        "the",
        "clinic",
        "medication",
        "IV",
        "911",
        "555-0100",
        "e.g.",
        "a.m.",
        "2.5",
        "50%",
        "www.example.org",
        "Dr.",
        "café",
        "naïve",
        "\u200b",
        "7" * 4500,
        "—",
        "'",
        '"',
        "\\",
        "¹",
        "٣",
    ]
)
text = st.one_of(st.text(max_size=40), st.lists(words, max_size=12).map(" ".join))
scalar = st.one_of(text, st.integers(-(10**30), 10**30), st.floats(allow_nan=True), st.booleans())
KEYS = [
    "title",
    "language",
    "audience",
    "version",
    "date",
    "clinic",
    "clinics",
    "voice",
    "engine",
    "rate",
    "reading",
    "targets",
    "limits",
    "rules",
    "severity",
    "booklet",
    "page_size",
    "templates",
    "name",
    "phone",
    "address",
    "logo",
    "logo_alt",
    "audio_url",
    "x",
]
key = st.one_of(st.sampled_from(KEYS), st.text(min_size=1, max_size=8))


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(repr(value), repr(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


@st.composite
def toml_files(draw) -> str:
    """The fixture's guide.toml with tables and keys added, changed or dropped, or noise."""
    lines = CONFIG.splitlines()
    for _ in range(draw(st.integers(0, 6))):
        action = draw(st.sampled_from(["add", "drop", "table", "change", "noise"]))
        at = draw(st.integers(0, len(lines)))
        if action == "drop" and lines:
            del lines[min(at, len(lines) - 1)]
        elif action == "table":
            path = draw(st.lists(key, min_size=1, max_size=3))
            lines.insert(at, "[" + ".".join(json.dumps(p, ensure_ascii=False) for p in path) + "]")
        elif action == "noise":
            lines.insert(at, draw(st.text(max_size=30)))
        else:
            value = draw(st.one_of(scalar, st.lists(scalar, max_size=3)))
            lines.insert(at, f"{json.dumps(draw(key), ensure_ascii=False)} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _inline(draw) -> str:
    pieces = draw(
        st.lists(
            st.one_of(
                text,
                st.sampled_from(
                    [
                        "**",
                        "*",
                        "_",
                        "`",
                        "[",
                        "](",
                        ")",
                        "<!--",
                        "-->",
                        "<b>",
                        "{{",
                        "}}",
                        "{{ clinic.name }}",
                        "{{ guide.title }}",
                        "{{ clinic.fax }}",
                        "\\",
                        "<!-- kguide: accept long_sentence -->",
                        "![",
                        "![a chair](chair.png)",
                        "![x](../x.png)",
                        "[link](https://example.org)",
                        "&amp;",
                        "  \n",
                    ]
                ),
            ),
            max_size=8,
        )
    )
    return "".join(pieces)


@st.composite
def markdown(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        indent = "  " * draw(st.integers(0, 7))
        lead = draw(
            st.sampled_from(
                [
                    "",
                    "## ",
                    "### ",
                    "#### ",
                    "# ",
                    "- ",
                    "1. ",
                    "- [ ] ",
                    "- [x] ",
                    "> ",
                    "> > ",
                    "    ",
                    "::: print-only",
                    "::: audio-only",
                    ":::",
                    "---",
                    "```",
                    "- **Term**: ",
                    "* ",
                ]
            )
        )
        lines.append(indent + lead + _inline(draw))
        if draw(st.booleans()):
            lines.append("")
    return "\n".join(lines) + "\n"


@st.composite
def front_matter(draw) -> str:
    entries = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["title", "layout", "x", "title ", "- title"]),
                st.one_of(
                    text,
                    st.sampled_from(
                        [
                            "questions",
                            "glossary",
                            "[a",
                            "{b: c}",
                            "|",
                            "&x",
                            "*x",
                            "!!python/object:os.system",
                            "'",
                            "1e400",
                        ]
                    ),
                ),
            ),
            max_size=4,
        )
    )
    return "".join(f"{k}: {v}\n" for k, v in entries)


# ---- the property -------------------------------------------------------------------------


def _load_and_check(files: dict[str, str | bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "guide"
        folder.mkdir()
        (folder / "chair.png").write_bytes(CHAIR)
        for name, content in files.items():
            path = folder / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", errors="surrogatepass")
        try:
            check_guide(load_guide(folder))
        except KguideError as exc:
            assert exc.problems and all(str(p) for p in exc.problems)


def _encodable(value: str) -> str:
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


@given(toml_files())
def test_any_guide_toml_loads_or_is_reported(config):
    _load_and_check({"guide.toml": _encodable(config), "01-welcome.md": SECTION})


@given(front_matter(), markdown())
def test_any_section_loads_or_is_reported(meta, body):
    section = _encodable(f"---\n{meta}---\n{body}")
    _load_and_check({"guide.toml": CONFIG, "01-a.md": section, "02-b.md": SECTION})


@given(st.binary(max_size=300), st.sampled_from(["guide.toml", "01-a.md", "plain_words.tsv"]))
def test_any_bytes_in_any_file_load_or_are_reported(data, name):
    files: dict[str, str | bytes] = {"guide.toml": CONFIG, "01-a.md": SECTION}
    files[name] = data
    _load_and_check(files)
