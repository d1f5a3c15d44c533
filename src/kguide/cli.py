"""The kguide command line: thin wrappers that parse options, call one function and map errors
to exit codes (0 ok; 1 guide too hard to read: above a hard limit or a reading finding at error
level; 2 bad input or missing tool)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from .config import ENGINES, SEVERITIES
from .errors import KguideError

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
        click.echo(str(problem) if isinstance(problem, Finding) else f"error: {problem}", err=True)
    return exc.exit_code


def _run_each(dirs: list[Path], action) -> int:
    """Run `action` on every guide, reporting errors as they come; return the worst exit code."""
    code = 0
    for folder in dirs:
        try:
            action(folder)
        except KguideError as exc:
            code = max(code, _report_error(exc))
    return code


@click.group()
@click.version_option(package_name="kguide")
def cli() -> None:
    """Build plain-language patient guides into an accessible booklet and a narrated audio guide."""


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
@click.option("--listen", "listen_after", is_flag=True, help="Then run the listening check (kguide listen).")
def build(guide_dirs, out, force, engine, voice, rate, cache_dir, clinics, strict, listen_after) -> None:
    """Check, then build the booklet and audio of each guide (default: every guide in guides/)."""
    from .build import BuildOptions, build_clinics

    options = BuildOptions(
        out=out,
        cache_dir=cache_dir,
        force=force,
        engine=engine,
        voice=voice,
        rate=rate,
        clinics=clinics,
        strict=strict,
    )

    def one(folder: Path) -> None:
        results = build_clinics(
            folder, options, log=lambda m: click.echo(m, err=True), progress=_progress(folder.name)
        )
        for result in results:
            if not result.skipped:
                f = result.report.figures
                click.echo(
                    f"{result.guide.name}: built {result.folder} (Flesch-Kincaid grade {f.flesch_kincaid_grade:.1f}, "
                    f"SMOG {f.smog_grade:.1f})"
                )
        if listen_after:
            _listener(out, cache_dir, clinics, "text", strict)(folder)

    sys.exit(_code(lambda: _run_each(_guide_dirs(guide_dirs), one)))


@cli.command()
@click.argument("guide_dirs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
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
    from .readability.report import reading_failure, strict_failure

    def one(folder: Path) -> None:
        guide, report = check_guide(folder)
        if html_dir is not None:
            _write_html_report(report, guide, html_dir)
        if fmt == "json":
            click.echo(json.dumps({"guide": guide.name, **report.to_dict(root=guide.folder)}, indent=2))
        else:
            _print_check(guide, report, min_level)
        if report.failed:
            raise reading_failure(report, guide, with_findings=False)  # printed above already
        if (strict or guide.config.strict) and (failure := strict_failure(report, guide)):
            raise failure

    sys.exit(_code(lambda: _run_each(_guide_dirs(guide_dirs), one)))


def _print_check(guide, report, min_level: str) -> None:
    from .readability.report import format_findings, format_table

    click.echo(f"{guide.name}: {guide.config.title}")
    findings = format_findings(report, min_level)
    if findings:
        click.echo(findings)
    click.echo(format_table(report))
    click.echo("")


def _write_html_report(report, guide, folder: Path) -> None:
    from .readability import html_report

    folder.mkdir(parents=True, exist_ok=True)
    html_report.write(report, guide, folder / f"{guide.name}-{html_report.REPORT_NAME}")


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


def _progress(name: str):
    """A one-line progress bar for speech synthesis, on a terminal only."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        end = "\n" if done >= total else ""
        click.echo(
            f"\r{name}: speaking {done}/{total} [{'#' * filled}{'.' * (width - filled)}]{end}",
            err=True,
            nl=False,
        )

    return show


def _code(run) -> int:
    try:
        return run()
    except KguideError as exc:
        return _report_error(exc)
    except KeyboardInterrupt:
        click.echo("interrupted; the last good build is unchanged", err=True)
        return 130


def main() -> None:
    try:
        cli()
    except Exception as exc:  # a bug, not bad input: say so plainly, keep the trace on request
        if os.environ.get("KGUIDE_DEBUG"):
            raise
        click.echo(f"kguide: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("This is a bug in kguide. Run again with KGUIDE_DEBUG=1 to see the details.", err=True)
        sys.exit(3)
