"""The HTML reading report's file: its name and how kguide knows it wrote one (so it may replace
or remove it), without loading the reading check."""

from __future__ import annotations

from pathlib import Path

REPORT_NAME = "reading-report.html"
GENERATOR = "kguide reading report"


def written_by_kguide(path: Path) -> bool:
    """Whether `path` is a reading report kguide wrote (so kguide may replace or remove it)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            return f'<meta name="generator" content="{GENERATOR}">' in f.read(600)
    except OSError:
        return False
