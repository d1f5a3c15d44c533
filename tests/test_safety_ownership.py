"""kguide deletes only what it wrote: output and cache folders that would put a guide, the
templates or kguide's code at risk are refused; a replaced build loses only the files its
manifest lists; a killed build's staging folder is removed by the next build."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import GUIDES, ROOT, run_kguide


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _build(guide: Path, out: Path, cache: Path | None, *extra: str, env: dict | None = None):
    args = ["build", str(guide), "--out", str(out), *extra]
    if cache is not None:
        args += ["--cache-dir", str(cache)]
    return run_kguide(*args, env=env)


def test_out_holding_the_guide_is_refused_and_the_guide_kept(tmp_path, tts_cache):
    # The reported loss: --out set to the folder that holds the guide deleted its sections.
    guides = tmp_path / "guides"
    shutil.copytree(GUIDES / "mini", guides / "mini")
    before = _snapshot(guides)
    for out in (guides, guides / "mini", guides / "mini" / "build"):
        result = _build(guides / "mini", out, tts_cache)
        assert result.code == 2, result.err
        assert "Traceback" not in result.err
        assert result.err.startswith(f"error: {out}: the output folder "), result.err
        assert "guide folder" in result.err
    assert _snapshot(guides) == before


def test_guide_named_like_the_cache_is_refused_and_the_cache_kept(tmp_path):
    # The reported loss: a guide folder named ".cache" was built into OUT/.cache, the cache.
    out = tmp_path / "out"
    first = _build(GUIDES / "mini", out, None)  # a real build: speaks into OUT/.cache
    assert first.code == 0, first.err
    cache = _snapshot(out / ".cache")
    assert any(name.startswith("tts/") for name in cache)
    odd = tmp_path / "guides" / ".cache"
    shutil.copytree(GUIDES / "mini", odd)
    result = _build(odd, out, None)
    assert result.code == 2, result.err
    assert "the output folder is the cache folder" in result.err, result.err
    assert _snapshot(out / ".cache") == cache
    assert (out / "mini" / "manifest.json").is_file()


def test_cache_or_output_in_the_templates_or_the_code_is_refused(tmp_path, tts_cache):
    package = ROOT / "src" / "kguide"
    before = _snapshot(package / "templates")
    cases = [
        (["--cache-dir", str(package / "templates")], "the cache folder is the templates folder"),
        (["--cache-dir", str(package / "templates" / "booklet" / "c")], "the cache folder sits inside"),
        (["--out", str(ROOT / "src")], "the output folder holds the templates folder"),
    ]
    for extra, expected in cases:
        args = ["build", str(GUIDES / "mini")]
        if "--out" not in extra:
            args += ["--out", str(tmp_path / "out")]
        result = run_kguide(*args, *extra)
        assert result.code == 2, result.err
        assert expected in result.err, result.err
    assert _snapshot(package / "templates") == before
    assert not (package / "templates" / "booklet" / "c").exists()


def test_output_folder_with_a_users_files_is_refused(tmp_path, tts_cache):
    out = tmp_path / "out"
    (out / "mini").mkdir(parents=True)
    (out / "mini" / "my-notes.txt").write_text("mine")
    result = _build(GUIDES / "mini", out, tts_cache)
    assert result.code == 2, result.err
    assert "holds files kguide did not write (my-notes.txt)" in result.err
    assert (out / "mini" / "my-notes.txt").read_text() == "mine"


def _start_build(guide: Path, out: Path, cache: Path, tmp: Path) -> subprocess.Popen:
    env = {**os.environ, "TMPDIR": str(tmp)}
    return subprocess.Popen(
        [sys.executable, "-m", "kguide", "build", str(guide), "--out", str(out), "--cache-dir", str(cache)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for(predicate, seconds: float = 120) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_killed_build_leaves_nothing_the_next_build_does_not_clean(tmp_path, mini_copy):
    out, cache, tmp = tmp_path / "out", tmp_path / "cache", tmp_path / "tmp"
    tmp.mkdir()
    # A user's folder that merely looks like a staging folder is never touched.
    lookalike = out / ".mini.tmp-abc123"
    lookalike.mkdir(parents=True)
    (lookalike / "keep.txt").write_text("mine")
    build = _start_build(mini_copy, out, cache, tmp)
    staged = lambda: [p for p in out.glob(".mini.tmp-*") if (p / ".kguide-work").is_dir()]  # noqa: E731
    # Kill it once it is speaking (the audio works in its temporary folder).
    assert _wait_for(lambda: any(any(p.glob(".kguide-work/*")) for p in staged())), "no staging seen"
    build.send_signal(signal.SIGKILL)
    build.wait()
    left = staged()
    assert len(left) == 1
    assert list(tmp.iterdir()) == []  # its temporary work was inside the staging folder
    result = _build(mini_copy, out, cache)
    assert result.code == 0, result.err
    assert not left[0].exists()
    assert sorted(p.name for p in out.iterdir()) == [".mini.tmp-abc123", "mini"]
    assert (lookalike / "keep.txt").read_text() == "mine"
    assert list(tmp.iterdir()) == []


def test_rebuild_replaces_only_what_the_manifest_lists_and_restores_a_cut_off_swap(tmp_path, tts_cache):
    out = tmp_path / "out"
    assert _build(GUIDES / "mini", out, tts_cache).code == 0
    built = _snapshot(out / "mini")
    # A build killed between its two renames leaves the last good build as .mini.old-*.
    (out / "mini").rename(out / ".mini.old-x1y2z3")
    result = _build(GUIDES / "mini", out, tts_cache)
    assert result.code == 0, result.err
    assert "up to date" in result.err  # put back, nothing rebuilt
    assert _snapshot(out / "mini") == built
    assert sorted(p.name for p in out.iterdir()) == ["mini"]
    # --force replaces the build: every old file goes, nothing else is left beside it.
    result = _build(GUIDES / "mini", out, tts_cache, "--force")
    assert result.code == 0, result.err
    assert sorted(p.name for p in out.iterdir()) == ["mini"]
    assert set(_snapshot(out / "mini")) == set(built)
