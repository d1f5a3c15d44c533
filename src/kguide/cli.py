"""The kguide command line: thin wrappers that parse options, call one function and map errors
to exit codes (0 ok; 1 guide too hard to read: above a hard limit or a reading finding at error
level; 2 bad input or missing tool)."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import click

from .config import ENGINES, RULE_NAMES, SEVERITIES
from .console import CONSOLE, NORMAL, QUIET, VERBOSE
from .errors import KguideError, Problem

GUIDES_DIR = Path("guides")


def _guide_dirs(paths: tuple[Path, ...]) -> list[Path]:
    if paths:
        return list(paths)
    if not GUIDES_DIR.is_dir():
        raise KguideError(f"no guide given and no '{GUIDES_DIR}/' folder here; run kguide build GUIDE_DIR")
    found = sorted(p for p in GUIDES_DIR.iterdir() if (p / "guide.toml").is_file())
    if not found:
        raise KguideError(f"no guides (folders with a guide.toml) in '{GUIDES_DIR}/'")
    return found


def _report_error(exc: KguideError) -> int:
    from .readability.rules import Finding

    for problem in exc.problems:
        # A reading finding names its own level: "path:line:col: error rule: message".
        if isinstance(problem, Finding):
            CONSOLE.finding(problem)
        else:
            CONSOLE.err(f"error: {problem}", "error")
    return exc.exit_code


def _run_each(dirs: list[Path], action) -> int:
    """Run `action` on every guide, reporting errors as they come; return the worst exit code."""
    code = 0
    for folder in dirs:
        try:
            action(folder)
        except KguideError as exc:
            code = max(code, _report_error(exc))
        except OSError as exc:
            code = max(code, _report_os_error(exc))
    return code


def _report_os_error(exc: OSError) -> int:
    """A file or folder the system would not read or write (read-only, full disk, a file where
    a folder should be, a name too long): bad input or a bad place, exit 2, naming the path."""
    from .errors import Problem

    names = [os.fsdecode(n) for n in (exc.filename, exc.filename2) if n is not None]
    path = Path(names[-1]) if names else None  # a copy or a move: the place written to
    reason = exc.strerror or str(exc)
    if len(names) > 1:
        reason += f" (from {names[0]})"
    return _report_error(KguideError(Problem(reason, path)))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "KGUIDE"})
@click.version_option(package_name="kguide")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors, warnings and results.")
@click.option("-v", "--verbose", is_flag=True, help="Print more: every finding during a build.")
def cli(quiet: bool, verbose: bool) -> None:
    """Build plain-language patient guides into an accessible booklet and a narrated audio guide.

    Every option can also be set in the environment: KGUIDE_<COMMAND>_<OPTION>, for example
    KGUIDE_BUILD_OUT=/srv/guides or KGUIDE_CHECK_FORMAT=json (and KGUIDE_QUIET=1). NO_COLOR=1
    turns colour off.
    """
    CONSOLE.verbosity = QUIET if quiet else VERBOSE if verbose else NORMAL


@cli.command()
@click.argument("guide_dirs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Output folder; each guide goes to OUT/<guide name>/ (OUT/<guide name>/<clinic id>/ with clinic profiles).",
)
@click.option("--force", is_flag=True, help="Rebuild even if nothing changed since the last build.")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default=None,
    help="Speech engine, overriding the guide's voice.engine.",
)
@click.option(
    "--voice", default=None, help="Voice id, overriding the guide's voice.voice (see 'kguide voices')."
)
@click.option("--rate", type=click.IntRange(80, 300), default=None, help="Speaking rate in words per minute.")
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Where speech and finished tracks are cached between builds (default OUT/.cache).",
)
@click.option(
    "--clinic",
    "clinics",
    multiple=True,
    metavar="ID",
    help="Build for this clinic profile ([clinics.ID] in guide.toml) only; repeatable. Default: every profile.",
)
@click.option("--strict", is_flag=True, help="Fail on any warning (like strict = true in guide.toml).")
@click.option(
    "--no-audio", "no_audio", is_flag=True, help="Booklets and reading report only, in seconds: no speech."
)
@click.option("--listen", "listen_after", is_flag=True, help="Then run the listening check (kguide listen).")
def build(
    guide_dirs, out, force, engine, voice, rate, cache_dir, clinics, strict, no_audio, listen_after
) -> None:
    """Check, then build the booklet and audio of each guide (default: every guide in guides/)."""
    from .build import BuildOptions, build_clinics

    if listen_after and no_audio:
        raise click.UsageError("--listen listens to the audio: it cannot go with --no-audio")

    options = BuildOptions(
        out=out,
        cache_dir=cache_dir,
        force=force,
        engine=engine,
        voice=voice,
        rate=rate,
        clinics=clinics,
        strict=strict,
        audio=not no_audio,
    )

    def one(folder: Path) -> None:
        results = build_clinics(folder, options, log=CONSOLE.log, progress=CONSOLE.progress(folder.name))
        if results and CONSOLE.verbosity >= VERBOSE:
            from .readability.terminal import format_findings

            CONSOLE.err(
                format_findings(results[0].report, color=CONSOLE.color(sys.stderr)) or "no findings", "detail"
            )
        for result in results:
            if not result.skipped:
                from .readability.terminal import figures_summary

                figures = figures_summary(result.report.figures)
                CONSOLE.out(f"{result.guide.name}: built {result.folder} ({figures})")
        if listen_after:
            _listener(out, cache_dir, clinics, "text", strict)(folder)

    sys.exit(_code(lambda: _run_each(_guide_dirs(guide_dirs), one)))


@cli.command()
@click.argument("guide_dirs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    envvar="KGUIDE_CHECK_FORMAT",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="text for people; json (one document for every guide) or sarif (SARIF 2.1.0) for tools.",
)
@click.option(
    "--min-level",
    type=click.Choice(SEVERITIES),
    default="suggestion",
    show_default=True,
    help="Print findings at this level and above (text format).",
)
@click.option(
    "--html",
    "html_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Also write the HTML report to DIR/<guide name>-reading-report.html.",
)
@click.option("--strict", is_flag=True, help="Fail on any warning (like strict = true in guide.toml).")
def check(guide_dirs, fmt, min_level, html_dir, strict) -> None:
    """Check the reading level and plain language of each guide (default: every guide in guides/).

    Prints each finding as PATH:LINE:COLUMN: LEVEL RULE: MESSAGE, then a table per section.
    Exits with 1 when a finding is at error level or a hard limit is passed.
    """
    from .build import check as check_guide
    from .readability.export import Checked, json_document, sarif_document
    from .readability.report import reading_failure, strict_failure

    checked: list[Checked] = []

    def one(folder: Path) -> None:
        item = Checked(folder.name, folder)
        checked.append(item)
        try:
            guide, item.report = check_guide(folder)
        except KguideError as exc:
            item.errors, item.code = exc.problems, exc.exit_code
            raise
        report = item.report
        if html_dir is not None:
            _write_html_report(report, guide, html_dir)
        if fmt == "text":
            _print_check(guide, report, min_level)
        failure = reading_failure(report, guide, with_findings=False) if report.failed else None
        if failure is None and (strict or guide.config.strict):
            failure = strict_failure(report, guide)
        if failure is not None:
            item.code = failure.exit_code
            raise failure  # the findings themselves were printed above

    code = _code(lambda: _run_each(_guide_dirs(guide_dirs), one))
    if fmt == "json":
        click.echo(json.dumps(json_document(checked), indent=2))
    elif fmt == "sarif":
        click.echo(json.dumps(sarif_document(checked), indent=2))
    sys.exit(code)


def _print_check(guide, report, min_level: str) -> None:
    from .readability.terminal import format_findings, format_table

    color = CONSOLE.color()
    CONSOLE.out(f"{guide.name}: {guide.config.title}")
    findings = format_findings(report, min_level, color=color)
    if findings:
        CONSOLE.out(findings)
    CONSOLE.out(format_table(report, width=CONSOLE.width(), color=color))
    CONSOLE.out("")


def _write_html_report(report, guide, folder: Path) -> None:
    from .readability import html_report

    path = folder / f"{guide.name}-{html_report.REPORT_NAME}"
    if path.is_symlink() or (path.exists() and not html_report.written_by_kguide(path)):
        raise KguideError([Problem(f"{path} is not a reading report kguide wrote: not overwriting it")])
    folder.mkdir(parents=True, exist_ok=True)
    html_report.write(report, guide, path)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
def new(path: Path) -> None:
    """Start a guide in PATH: guide.toml, two sections, a questions page and a glossary."""
    from .starter import new_guide

    def make() -> int:
        written = new_guide(path)
        click.echo(f"wrote {len(written)} files in {path}: " + ", ".join(p.name for p in written))
        click.echo(f"next: edit them, then run  kguide check {path}  and  kguide build {path}")
        return 0

    sys.exit(_code(make))


@cli.command()
@click.argument("guide_dir", required=False, type=click.Path(path_type=Path))
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0: any free port."
)
@click.option(
    "--clinic", default="", metavar="ID", help="Preview as this clinic profile (default: the first)."
)
def serve(guide_dir, port, clinic) -> None:
    """Preview a guide while you write: booklet, reading report and findings, on localhost,
    rendered again on every save. No speech is made."""
    from .serve import serve as run

    def start() -> int:
        folder = guide_dir or _one_guide()
        try:
            run(folder, port, clinic, announce=CONSOLE.err)
        except OSError as exc:
            raise KguideError(f"cannot serve on port {port}: {exc.strerror or exc}") from None
        except KeyboardInterrupt:
            CONSOLE.interrupted("stopped")
        return 0

    sys.exit(_code(start))


def _one_guide() -> Path:
    found = _guide_dirs(())
    if len(found) > 1:
        raise KguideError(
            "several guides in guides/: name the one to serve, e.g. kguide serve " + str(found[0])
        )
    return found[0]


@cli.command()
@click.argument("rule", type=click.Choice(RULE_NAMES))
def explain(rule: str) -> None:
    """Say what a reading rule checks, why, and how to fix or accept its findings."""
    from .readability.explain import explain as explain_rule

    width = min(CONSOLE.width(), 100)
    click.echo("\n".join(textwrap.fill(p, width) if p else p for p in explain_rule(rule).split("\n")))


@cli.command()
@click.argument("guide_dirs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=Path("build"),
    show_default=True,
    help="The output folder the guide was built into.",
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="The cache folder of the build (default OUT/.cache); transcriptions are kept there too.",
)
@click.option(
    "--clinic", "clinics", multiple=True, metavar="ID", help="Listen to this clinic's build only; repeatable."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--strict", is_flag=True, help="Fail on any misheard sentence (like strict = true in guide.toml)."
)
def listen(guide_dirs, out, cache_dir, clinics, fmt, strict) -> None:
    """Transcribe each spoken sentence of built guides and point at the sentences heard
    differently from their text, with the word error per part and for the guide.

    Prints each as PATH:LINE:COLUMN: LEVEL misheard: said "...", heard "...". Needs the
    listen extra: pip install 'kguide[listen]'.
    """
    sys.exit(
        _code(lambda: _run_each(_guide_dirs(guide_dirs), _listener(out, cache_dir, clinics, fmt, strict)))
    )


def _listener(out, cache_dir, clinics, fmt: str, strict: bool):
    """The listening check of one guide folder, printed; also used by build --listen."""

    def one(folder: Path) -> None:
        from .listen.output import listen_and_report

        listen_and_report(folder, out, cache_dir, clinics, fmt, strict, click.echo)

    return one


@cli.command()
def voices() -> None:
    """List the installed text-to-speech voices."""
    from .narration.engines import voices as list_voices

    found = list_voices()
    if not found:
        click.echo("No voices found. Install eSpeak NG: apt-get install espeak-ng", err=True)
        sys.exit(2)
    for engine, voice_id, name in found:
        click.echo(f"{engine}\t{voice_id}\t{name}")


def _code(run) -> int:
    try:
        return run()
    except KguideError as exc:
        return _report_error(exc)
    except OSError as exc:
        return _report_os_error(exc)
    except KeyboardInterrupt:
        CONSOLE.interrupted("interrupted; the last good build is unchanged")
        return 130


def main() -> None:
    from . import offline

    offline.apply()  # before any library that would phone home or write under HOME loads
    try:
        cli(prog_name="kguide")
    except Exception as exc:  # a bug, not bad input: say so plainly, keep the trace on request
        if os.environ.get("KGUIDE_DEBUG"):
            raise
        click.echo(f"kguide: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("This is a bug in kguide. Run again with KGUIDE_DEBUG=1 to see the details.", err=True)
        sys.exit(3)
