"""The build pipeline: load -> check -> booklet -> narration -> write, atomically.

Everything is written into a staging folder beside the output and moved into place at the end,
so a failed or interrupted build leaves the last good build untouched.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from . import booklet, offline, ownership
from .config import CONFIG_NAME
from .errors import KguideError, Problem, StrictError, display
from .loader import check_clinics, load_guide, require_phrases
from .locale.data import no_locale_data
from .manifest import (
    build_key,
    package_version,
    source_hash,
    templates_hashes,
    up_to_date,
    write_manifest,
)
from .model import Guide
from .narration import audio
from .narration.cache import Progress, SegmentCache, TrackCache
from .narration.engines import make_engine
from .narration.spoken import guide_lexicon
from .narration.voicelang import check_voice_language, pick_engine
from .readability.reportfile import REPORT_NAME, written_by_kguide

if TYPE_CHECKING:  # imported where used: an up-to-date build stops before it needs them
    from .narration.narrate import GuideAudio
    from .readability.report import ReadingReport


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
    report: ReadingReport | None  # None when the build was up to date (not checked again)
    skipped: bool = False
    pages: int = 0
    booklets: dict[str, int] = field(default_factory=dict)  # PDF file name -> pages
    audio: GuideAudio | None = None


Log = Callable[[str], None]


def check(guide_dir: Path) -> tuple[Guide, ReadingReport]:
    """Load the guide (parsed once) and check its reading level, as `kguide check` does; a build
    calls the same check_guide on the same unbound guide, so one check serves every clinic."""
    guide = load_guide(guide_dir)
    from .readability.report import check_guide

    return guide, check_guide(guide)


def _voice_settings(guide: Guide, options: BuildOptions) -> tuple[str, str, int]:
    v = guide.config.voice
    voice = v.voice if options.voice is None else options.voice
    engine = pick_engine(options.engine or v.engine, voice, guide.config.language)
    return engine, voice, options.rate or v.rate


def build_clinics(
    guide_dir: Path, options: BuildOptions, log: Log = lambda _m: None, progress: Progress | None = None
) -> list[BuildResult]:
    """Build the guide once per clinic profile in `options.clinics` (default: all of them).

    The guide is read and parsed once, and checked once, when something must be built; each
    clinic renders the same model. When every clinic's last build is up to date, nothing more
    is done (not even the reading check)."""
    offline.apply()  # no telemetry, no sound server: before any engine or tool starts
    guide = load_guide(guide_dir)
    require_phrases(guide)
    check_clinics(guide.config, options.clinics, guide.folder)  # before anything is built
    wanted = options.clinics or guide.clinic_ids
    bound = [guide.bind(clinic) for clinic in wanted]
    if any(not one.locale.emergency for one in bound):  # once, for all clinics
        log(f"warning: {guide.folder / CONFIG_NAME}: {no_locale_data(guide.config.language)}")
    plans = [_plan(one, options) for one in bound]
    for one, plan in zip(bound, plans, strict=True):  # before anything is written: nothing at risk
        ownership.check_folders(
            guide.folder, options.out, plan.target, plan.cache_root, _templates_roots(one)
        )
    report = None
    failed_report = options.out / f"{guide.name}-{REPORT_NAME}"
    if options.force or not all(up_to_date(plan.target, plan.key) for plan in plans):
        from .readability.report import check_guide, reading_failure, strict_failure

        report = check_guide(guide)
        failure = reading_failure(report, guide) if report.failed else None
        if failure is None and (options.strict or guide.config.strict):
            failure = strict_failure(report, guide)
        if failure is not None:
            raise _with_report(failure, report, guide, failed_report)
    if written_by_kguide(failed_report):
        failed_report.unlink()  # the report of an earlier failed build, now out of date
    from .booklet_pool import BookletPool

    stale = [
        (one, plan.cache_root / "booklets", _booklet_inputs(one))
        for one, plan in zip(bound, plans, strict=True)
        if options.force or not up_to_date(plan.target, plan.key)
    ]
    speaks = any(plan.engine is not None for plan in plans)  # booklets beside it, in a worker
    pool = BookletPool(stale, plans[0].cache_root if plans else options.out, alone=speaks)
    try:
        results = [
            build_guide(one, plan, report, options, log, progress, pool.wait)
            for one, plan in zip(bound, plans, strict=True)
        ]
    finally:
        pool.close()
    if wanted != ("",):
        _remove_single_clinic_build(options.out / guide.name)
    return results


@dataclass(frozen=True)
class _Plan:
    """What one clinic's build is made with, and where it goes: known before any work."""

    engine: object | None
    factory: Callable | None
    described: dict
    rate: int
    target: Path
    cache_root: Path
    key: str


def _plan(guide: Guide, options: BuildOptions) -> _Plan:
    engine_name, voice, rate = _voice_settings(guide, options)
    if engine_name == "piper" and voice and not Path(voice).is_absolute():
        voice = str(guide.folder / voice)  # a voice file named in guide.toml sits by the guide
    engine = factory = None
    if options.audio:
        audio.require_tools()
        factory = partial(_engine, engine_name, voice, rate, guide.config.language)
        engine = factory()
        check_voice_language(engine, guide, options.engine, options.voice)
    described = engine.describe() if engine else {"audio": "none (--no-audio)"}
    out = options.out
    target = out / guide.name / guide.clinic_id if guide.clinic_id else out / guide.name
    cache_root = options.cache_dir or out / ".cache"
    return _Plan(engine, factory, described, rate, target, cache_root, build_key(guide, described))


def _with_report(failure: KguideError, report: ReadingReport, guide: Guide, path: Path) -> KguideError:
    """A build that fails its reading check writes the reading report beside the output (the
    last good build stays as it was) and says where it is."""
    if path.is_symlink() or (path.exists() and not written_by_kguide(path)):
        return failure  # not kguide's file: leave it alone
    from .readability import html_report

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
    plan: _Plan,
    report: ReadingReport | None,
    options: BuildOptions,
    log: Log = lambda _m: None,
    progress: Progress | None = None,
    prepared: Callable[[str], None] = lambda _clinic: None,
) -> BuildResult:
    """Build one clinic's guide (`guide` bound to it, `plan` from build_clinics, whose folder
    checks it passed) into its output folder. `report` is the guide's reading check; None only
    when every clinic was up to date, so nothing is built. `prepared(clinic)` waits until a
    worker has put the clinic's booklets in the booklet cache (`booklet_pool`)."""
    engine, factory, target, cache_root, key = (
        plan.engine,
        plan.factory,
        plan.target,
        plan.cache_root,
        plan.key,
    )
    ownership.clean_stale(target)  # a killed build's staging; a replacement cut off half-way
    # Before the reading check and the heavy imports: an unchanged guide built cleanly last time.
    if not options.force and up_to_date(target, key):
        log(f"{guide.name}: up to date ({target})")
        return BuildResult(guide, target, None, skipped=True)
    lexicon = guide_lexicon(guide)
    if engine is not None:
        lexicon = lexicon.for_engine(engine.describe())
    from .narration.narrate import narrate
    from .narration.script import build_script, transcript
    from .web import write_listen_outputs

    staging = ownership.make_staging(target)
    try:
        result = BuildResult(guide, target, report)
        _write_reading(report, guide, staging)
        # Template errors show before any slow work; the booklet is then rendered by a worker
        # process (`booklet_pool`) while the audio is made, and copied from the booklet cache by
        # a thread here (which renders it itself, reporting any error, when the worker failed).
        pages = [(edition, booklet.render_html(guide, edition)) for edition in booklet.editions(guide)]
        with (
            ownership.temp_work(staging),
            offline.confine_caches(cache_root),
            ThreadPoolExecutor(max_workers=1) as pool,
        ):
            tracks = build_script(guide, lexicon, plan.rate)
            if engine is not None:
                cache = SegmentCache(cache_root / "tts", engine, factory)
                if hasattr(engine, "warm") and cache.missing([s.spoken for t in tracks for s in t.segments]):
                    engine.warm()  # the voice loads while the booklets start
            printing = pool.submit(_booklets, guide, pages, staging, cache_root / "booklets", prepared)
            (staging / "transcript.txt").write_text(transcript(guide, tracks), encoding="utf-8")
            if engine is not None:
                finished = TrackCache(cache_root / "tracks", engine, audio.settings())
                cover = lambda: printing.result()[1]  # noqa: E731  ready when the booklet is
                result.audio = narrate(guide, tracks, cache, finished, staging, progress, cover)
            if progress is not None and not printing.done():
                progress(0, 1, "finishing the booklets")
            result.booklets = dict(printing.result()[0])
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
        warnings = (
            result.audio.rate_warnings({s.stem for s in guide.sections}, plan.rate) if result.audio else []
        )
        for warning in warnings:
            log(f"warning: {warning}")
        if warnings and (options.strict or guide.config.strict):
            raise StrictError(
                [Problem(w, target) for w in warnings] + [Problem("strict mode: warnings fail the build")]
            )
        if result.audio is not None:  # <guide>.epub and site/ pair the text with the audio
            write_listen_outputs(guide, tracks, result.audio, staging)
        ownership.seal(staging)
        write_manifest(guide, report, plan.described, key, result, staging)
        ownership.swap_into_place(staging, target)
    finally:
        ownership.discard(staging)
    return result


def _booklets(guide: Guide, pages: list, folder: Path, cache: Path, prepared: Callable[[str], None]):
    from .booklet_cache import booklets_and_cover

    prepared(guide.clinic_id)
    return booklets_and_cover(guide, pages, folder, cache, _booklet_inputs(guide))


def _templates_roots(guide: Guide) -> list[Path]:
    return list(dict.fromkeys([booklet.templates_dir(guide), booklet.package_templates()]))


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
        "templates": templates_hashes(guide),
        "files": {k: v for k, v in guide.input_hashes().items() if not k.endswith((".md", ".toml", ".tsv"))},
        "weasyprint": package_version("weasyprint"),
        "kguide": source_hash(),
    }


def _write_reading(report: ReadingReport, guide: Guide, folder: Path) -> None:
    from .readability import html_report

    data = report.to_dict(root=guide.folder)
    (folder / "reading.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    html_report.write(report, guide, folder / html_report.REPORT_NAME)
