"""`kguide listen` for one guide folder: listen, print, keep the results beside the build."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from ..loader import load_guide
from ..ownership import record_outputs
from ..readability import html_report
from ..readability.report import check_guide
from .report import format_table, html_part
from .run import RESULT_NAME, failure, listen_guide


def listen_and_report(
    guide_dir: Path,
    out: Path,
    cache_dir: Path | None,
    clinics: tuple[str, ...],
    fmt: str,
    strict: bool,
    echo: Callable[[str], None],
) -> None:
    """Listen to the guide's builds and print what was heard differently (text or JSON); write
    listening.json and the "Listening check" part of reading-report.html into each build.
    Raises StrictError (exit 1) when the check fails."""
    guide = load_guide(guide_dir)
    results = listen_guide(guide, out, cache_dir, clinics)
    report = check_guide(guide)
    for listening in results:
        data = listening.to_dict()
        (listening.folder / RESULT_NAME).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        html_report.write(
            report, listening.guide, listening.folder / html_report.REPORT_NAME, html_part(listening)
        )
        record_outputs(
            listening.folder, [listening.folder / RESULT_NAME, listening.folder / html_report.REPORT_NAME]
        )
        if fmt == "json":
            echo(json.dumps(data, indent=2))
            continue
        clinic = f" ({listening.guide.clinic_id})" if listening.guide.clinic_id else ""
        echo(f"{guide.name}{clinic}: listening check")
        for line in listening.findings():
            echo(line)
        echo(format_table(listening))
        echo("")
    strict = strict or guide.config.strict
    for listening in results:
        if problem := failure(listening, strict):
            raise problem
