"""`kguide serve`, started as an editor starts it: the pages, a change on save, errors shown in
the page, nothing served from outside the allowed folders, a clean stop."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from conftest import GUIDES, ctrl_c_works


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def _wait(check, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


@pytest.fixture()
def served(tmp_path):
    guide = tmp_path / "mini"
    shutil.copytree(GUIDES / "mini", guide)
    env = {k: v for k, v in os.environ.items() if k != "KGUIDE_DEBUG"}
    process = subprocess.Popen(
        [sys.executable, "-m", "kguide", "serve", str(guide), "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        preexec_fn=ctrl_c_works,
        env=env,
    )
    line = process.stderr.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert match, line
    yield guide, match.group(0), process
    if process.poll() is None:
        process.kill()
        process.wait()


def test_serve_renders_again_on_save_and_stops_cleanly(served):
    guide, url, process = served
    status, index = _get(url)
    assert status == 200 and b'src="/standard.html"' in index and b"/_kguide/version" in index
    status, page = _get(url + "standard.html")
    assert status == 200 and b"Your visit in short" in page and b"[number in the PDF]" in page
    assert b"file://" not in page  # the booklet's files come from the server
    css = re.search(rb'href="(/_files/[^"]+\.css)"', page).group(1).decode()
    assert _get(url.rstrip("/") + css)[0] == 200
    assert _get(url + "_files/guide/../../../../etc/passwd")[0] == 404
    version = _get(url + "_kguide/version")[1]

    section = guide / "02-after.md"
    section.write_text(section.read_text() + "\nBring a warm blanket from home.\n")
    _wait(lambda: _get(url + "_kguide/version")[1] != version)
    assert b"Bring a warm blanket from home." in _get(url + "standard.html")[1]
    assert b"Bring a warm blanket from home." in _get(url + "reading-report.html")[1]
    assert b"Bring a warm blanket from home." in _get(url + "listen.html")[1]

    section.write_text("no front matter\n")  # a broken save: the page says what is wrong
    _wait(lambda: b"missing front matter" in _get(url)[1])
    assert _get(url + "standard.html")[0] == 404

    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0 and "stopped" in err and "Traceback" not in err


def test_serve_makes_the_pdf_on_request(served):
    _guide, url, _process = served
    status, pdf = _get(url + "booklet.pdf")
    assert status == 200 and pdf.startswith(b"%PDF")


def test_serve_shows_the_listen_page_timed_from_the_words(served):
    """The listen page while writing: the same template as the build's, laid out and timed
    without speech, its CSS, script, font and pictures from the server, a note that the audio
    comes with the build."""
    _guide, url, _process = served
    status, page = _get(url + "listen.html")
    assert status == 200 and b"Preview: no audio yet" in page
    assert b"file://" not in page and b'href="/listen.html"' in _get(url)[1]
    text = page.decode()
    assert "Part 1: " in text and 'id="player"' in text
    begins = [float(b) for b in re.findall(r'<span class="s" id="s\d+" data-begin="([\d.]+)"', text)]
    assert len(begins) > 10 and begins == sorted(begins) and begins[-1] > 30  # timed, in order
    for asset, kind in (("listen.css", "text/css"), ("listen.js", "text/javascript")):
        with urllib.request.urlopen(url + asset, timeout=30) as response:
            assert response.headers["Content-Type"].startswith(kind) and response.read()
    fonts = re.findall(r'url\("(/_files/font/[^"]+)"\)', text)
    assert fonts and all(_get(url.rstrip("/") + f)[0] == 200 for f in fonts)
