"""Shared fixtures: the CLI run as a user runs it, and one build of the small fixture guide."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
GUIDES = DATA / "guides"


class Run:
    def __init__(self, result: subprocess.CompletedProcess):
        self.code = result.returncode
        self.out = result.stdout
        self.err = result.stderr


def ctrl_c_works() -> None:
    """For Popen's preexec_fn: the child gets Ctrl-C as a terminal would give it, even when the
    tests run in the background (where the shell starts them with SIGINT ignored)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_kguide(*args: str, cwd: Path | None = None, env: dict | None = None) -> Run:
    """Run `python -m kguide ARGS` in a fresh process, as a user would from a shell."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("KGUIDE_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-m", "kguide", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=600,
    )
    return Run(result)


@pytest.fixture(scope="session")
def tts_cache(tmp_path_factory) -> Path:
    """One speech cache for the whole test session, so each phrase is synthesized once."""
    return tmp_path_factory.mktemp("tts-cache")


@pytest.fixture()
def mini_copy(tmp_path) -> Path:
    """A writable copy of the small fixture guide."""
    target = tmp_path / "mini"
    shutil.copytree(GUIDES / "mini", target)
    return target


def build_fixture(tmp_path_factory, tts_cache: Path, name: str) -> Path:
    """Build the fixture guide `name` through the CLI into a fresh folder, with the session's
    speech cache; returns build/<guide>/."""
    out = tmp_path_factory.mktemp("build")
    result = run_kguide("build", str(GUIDES / name), "--out", str(out), "--cache-dir", str(tts_cache))
    assert result.code == 0, result.err
    return out / name


@pytest.fixture(scope="session")
def mini_build(tmp_path_factory, tts_cache) -> Path:
    """The small fixture guide built once through the CLI; returns build/<guide>/."""
    return build_fixture(tmp_path_factory, tts_cache, "mini")


@pytest.fixture(scope="session")
def clinics_build(tmp_path_factory, tts_cache) -> Path:
    """The fixture guide with two clinic profiles built once (every profile); returns
    build/clinics/, which holds one folder per clinic."""
    return build_fixture(tmp_path_factory, tts_cache, "clinics")


@pytest.fixture(scope="session")
def piper_build(tmp_path_factory, tts_cache) -> Path:
    """The fixture guide spoken by Piper (the default engine), built once through the CLI."""
    return build_fixture(tmp_path_factory, tts_cache, "spoken")


@pytest.fixture(scope="session")
def lakeside(clinics_build) -> Path:
    """The two-clinic fixture guide's build for its lakeside profile."""
    return clinics_build / "lakeside"


@pytest.fixture(scope="session")
def hilltop(clinics_build) -> Path:
    return clinics_build / "hilltop"
