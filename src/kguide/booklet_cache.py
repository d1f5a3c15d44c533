"""Finished booklets kept between builds, and the audio's cover picture made from them.

A booklet is rendered only when what shapes it changed: the HTML of each edition (the guide's
words, the clinic's details), the templates, the images, WeasyPrint and kguide itself (the caller
passes those as `inputs`). Entries are written to a temporary folder and renamed into place, so
an interrupted build never leaves a half-written one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

from . import booklet
from .model import Guide
from .narration.cover import cover_from_pdf

COVER = "cover.jpg"
PAGES = "pages.json"  # written last: an entry is complete once it is there


def booklets_and_cover(
    guide: Guide, pages: list[tuple[booklet.Edition, str]], folder: Path, cache: Path, inputs: dict
) -> tuple[list[tuple[str, int]], Path]:
    """Write every edition and the print file into `folder` (from the cache when it has them);
    return (file name, pages) each and the path of the cover picture (a square JPEG)."""
    data = {"html": [(edition.filename, html) for edition, html in pages], "inputs": inputs}
    key = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    entry = cache / key[:2] / key
    written = _cached(entry, folder)
    if written is not None:
        return written, entry / COVER
    written = booklet.write_booklets(guide, pages, folder)
    entry.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=entry.parent))
    try:
        for name, _count in written:
            shutil.copyfile(folder / name, staging / name)
        cover_from_pdf(folder / pages[0][0].filename, staging / COVER)
        (staging / PAGES).write_text(json.dumps(written), encoding="utf-8")
        if entry.exists():  # another build stored it meanwhile
            shutil.rmtree(staging)
        else:
            staging.rename(entry)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written, entry / COVER


def _cached(entry: Path, folder: Path) -> list[tuple[str, int]] | None:
    try:
        written = [(str(name), int(count)) for name, count in json.loads((entry / PAGES).read_text())]
    except (OSError, ValueError, TypeError):
        return None
    if not all((entry / name).is_file() for name, _ in written) or not (entry / COVER).is_file():
        return None
    for name, _count in written:
        shutil.copyfile(entry / name, folder / name)
    return written
