"""kguide on a terminal: colour only where it shows (not piped, not with NO_COLOR), lines that
fit the width, plurals, -h, -q, options from the environment."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys

from conftest import GUIDES, run_kguide


def _on_terminal(*args: str, columns: int = 80, **env: str) -> str:
    """Run kguide with a pseudo-terminal as its standard output and error."""
    leader, follower = pty.openpty()
    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")} | {"TERM": "xterm"} | env
    full["COLUMNS"] = str(columns)
    process = subprocess.Popen(
        [sys.executable, "-m", "kguide", *args], stdout=follower, stderr=follower, env=full, close_fds=True
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def test_colour_on_a_terminal_only():
    shown = _on_terminal("check", str(GUIDES / "spoken"))
    assert "\x1b[" in shown and "warning" in shown
    assert "\x1b[" not in _on_terminal("check", str(GUIDES / "spoken"), NO_COLOR="1")
    piped = run_kguide("check", str(GUIDES / "spoken"))
    assert "\x1b[" not in piped.out + piped.err


def test_table_and_notes_fit_the_terminal_and_plurals_are_right():
    shown = _on_terminal("check", str(GUIDES / "spoken"), columns=80, NO_COLOR="1")
    table = shown[shown.index("section ") :]
    assert max(len(line) for line in table.splitlines()) <= 80
    assert "findings: 0 errors, 1 warning, 0 suggestions" in " ".join(table.split())
    assert not any(
        line.endswith("-") and not line.endswith("--") for line in table.splitlines()
    )  # no word split


def test_help_quiet_and_options_from_the_environment(tmp_path):
    assert run_kguide("-h").code == 0 and "Usage: kguide" in run_kguide("-h").out
    assert "--no-audio" in run_kguide("build", "-h").out
    quiet = run_kguide("-q", "build", str(GUIDES / "mini"), "--no-audio", "--out", str(tmp_path))
    assert quiet.code == 0 and "booklet.pdf (" not in quiet.err and "built" in quiet.out
    env = run_kguide("check", str(GUIDES / "mini"), env={"KGUIDE_CHECK_FORMAT": "json"})
    assert json.loads(env.out)["guides"][0]["name"] == "mini"
