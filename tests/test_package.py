"""kguide as a clinic installs it: a wheel built from the source, installed into a fresh virtual
environment outside the checkout, builds a guide from a folder of its own."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import zipfile

from conftest import GUIDES, ROOT


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)


def test_wheel_installs_and_builds_a_guide_outside_the_checkout(tmp_path, tts_cache):
    dist = tmp_path / "dist"
    made = _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        str(dist),
        str(ROOT),
    )
    assert made.returncode == 0, made.stderr
    wheel = next(dist.glob("kguide-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "kguide/templates/booklet/booklet.html.j2",
        "kguide/templates/booklet/booklet.css",
        "kguide/data/lexicon.toml",
        "kguide/readability/data/plain_words.tsv",
        "kguide/locale/strings/en.toml",
        "kguide/locale/strings/es.toml",
    ):
        assert needed in names, needed

    venv = tmp_path / "venv"
    assert _run(sys.executable, "-m", "venv", "--without-pip", str(venv)).returncode == 0
    python = venv / "bin" / "python"
    installed = _run(
        sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)
    )
    assert installed.returncode == 0, installed.stderr
    # kguide's dependencies come from the test environment's site-packages (a path, not a site
    # folder: its .pth files, such as an editable install of kguide, are not read)
    deps = [p for p in site.getsitepackages() if "site-packages" in p]
    new_site = next((venv / "lib").glob("python3*/site-packages"))
    (new_site / "zz-test-deps.pth").write_text("\n".join(deps) + "\n")

    work = tmp_path / "clinic"
    shutil.copytree(GUIDES / "mini", work / "my-guide")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KGUIDE_DEBUG")}
    where = _run(str(python), "-c", "import kguide.cli; print(kguide.cli.__file__)", cwd=work, env=env)
    assert where.stdout.startswith(str(venv)), where.stdout + where.stderr
    built = _run(
        str(venv / "bin" / "kguide"), "build", "my-guide", "--cache-dir", str(tts_cache), cwd=work, env=env
    )
    assert built.returncode == 0, built.stderr
    out = work / "build" / "my-guide"
    for name in (
        "booklet.pdf",
        "booklet-large-print.pdf",
        "booklet-print.pdf",
        "audio/my-guide.mp3",
        "captions.vtt",
    ):
        assert (out / name).stat().st_size > 0, name
