"""A real Piper build opens no network connection and writes nothing outside its output and
cache folders: no telemetry, nothing under HOME, nothing in the temporary folder.

The build runs with an empty HOME and an empty TMPDIR, with a socket guard in the Python
process (sitecustomize) that records any connection, under `strace` when it can run (it sees the
connections native code makes, such as the ONNX runtime's telemetry) and without a network
(`unshare -n`) when that is allowed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

GUARD = """
import os, socket
_log = os.environ["KGUIDE_TEST_SOCKET_LOG"]

def _record(what):
    with open(_log, "a") as f:
        f.write(what + "\\n")

_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex

def connect(self, address):
    if self.family != socket.AF_UNIX:
        _record(f"connect {address!r}")
        raise OSError("network use blocked by the test")
    return _connect(self, address)

def connect_ex(self, address):
    if self.family != socket.AF_UNIX:
        _record(f"connect_ex {address!r}")
        return 101
    return _connect_ex(self, address)

def getaddrinfo(host, *args, **kwargs):
    _record(f"getaddrinfo {host!r}")
    raise socket.gaierror("name lookup blocked by the test")

socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
socket.getaddrinfo = getaddrinfo
"""

SECTION = """---
title: Coming in
---
Come in ten minutes early. Bring your card and a list of your medicines.
"""

CONFIG = """title = "A short visit"
language = "en-US"

[clinic]
name = "Lakeside Test Clinic"
phone = "555-0100"
address = "1 Test Road, Testville"

[voice]
engine = "piper"
"""


def _works(*command: str) -> bool:
    if not shutil.which(command[0]):
        return False
    return subprocess.run([*command, "true"], capture_output=True).returncode == 0


def test_piper_build_opens_no_connection_and_writes_only_its_folders(tmp_path):
    guide = tmp_path / "visit"
    guide.mkdir()
    (guide / "guide.toml").write_text(CONFIG)
    (guide / "01-coming-in.md").write_text(SECTION)
    home, tmp, guard = tmp_path / "home", tmp_path / "tmp", tmp_path / "guard"
    for folder in (home, tmp, guard):
        folder.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD)
    sockets, trace = tmp_path / "sockets.log", tmp_path / "strace.log"
    out, cache = tmp_path / "out", tmp_path / "cache"  # a fresh cache: Piper must really speak
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "KGUIDE_"))},
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "PYTHONPATH": os.pathsep.join([str(guard), str(ROOT / "src")]),
        "KGUIDE_TEST_SOCKET_LOG": str(sockets),
    }
    command = [
        sys.executable,
        "-m",
        "kguide",
        "build",
        str(guide),
        "--out",
        str(out),
        "--cache-dir",
        str(cache),
    ]
    traced = _works("strace", "-f", "-o", os.devnull)
    if traced:
        command = ["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(trace), *command]
    if _works("unshare", "-n"):
        command = ["unshare", "-n", *command]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    spoken = re.search(r"\((\d+) segments spoken", result.stderr)
    assert spoken and int(spoken.group(1)) > 0, result.stderr  # the ONNX runtime really ran
    assert (out / "visit" / "audio" / "visit.mp3").is_file()
    assert not sockets.exists(), sockets.read_text()
    assert sorted(p.relative_to(home) for p in home.rglob("*")) == []
    assert sorted(p.relative_to(tmp) for p in tmp.rglob("*")) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["visit", "home", "tmp", "guard", "out", "cache"] + (["strace.log"] if traced else [])
    )
    if traced:
        network = [l for l in trace.read_text().splitlines() if re.search(r"AF_INET6?\b", l)]
        assert network == [], "\n".join(network[:5])
    else:
        pytest.skip("strace cannot run here: native connections were not watched (HOME and TMPDIR were)")
