"""Finished booklets kept between builds, and the audio's cover picture made from them.

A booklet is rendered only when what shapes it changed: the HTML of each edition (the guide's
words, the clinic's details), the templates, the images, WeasyPrint and kguide itself (the caller
passes those as `inputs`). Entries are written to a temporary folder and renamed into place, so
an interrupted build never leaves a half-written one.

Laying a booklet out takes several renders (`pagefill` tries which parts go on from the page
before); the decision is kept per guide and edition, and the next booklet of that guide (another
clinic, or a rebuild after an edit) renders it first and keeps it when the layout confirms it.
"""

from __future__ import annotations

import hashlib
import json
import os
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
    entry = entry_for(pages, cache, inputs)
    written = _cached(entry, folder)
    if written is not None:
        return written, entry / COVER
    layouts = _Layouts(cache, guide.name, inputs)
    decided = layouts.load()
    written = booklet.write_booklets(guide, pages, folder, decided)
    layouts.save(decided)
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


def entry_for(pages: list[tuple[booklet.Edition, str]], cache: Path, inputs: dict) -> Path:
    """The cache folder of the booklets made from `pages` (edition, HTML) and `inputs`."""
    data = {"html": [(edition.filename, html) for edition, html in pages], "inputs": inputs}
    key = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    return cache / key[:2] / key


def is_cached(guide: Guide, cache: Path, inputs: dict) -> bool:
    """Whether the booklet cache holds the guide's finished booklets (no layout needed)."""
    pages = [(edition, booklet.render_html(guide, edition)) for edition in booklet.editions(guide)]
    entry = entry_for(pages, cache, inputs)
    return (entry / PAGES).is_file() and (entry / COVER).is_file()


class _Layouts:
    """The last layout decision of each edition of a guide: edition -> (flowing parts, notes
    pages). Only a hint: a booklet keeps it only when its own layout confirms it."""

    def __init__(self, cache: Path, name: str, inputs: dict):
        digest = hashlib.sha256(json.dumps([name, inputs], sort_keys=True).encode()).hexdigest()[:24]
        self.path = cache / f"layout-{digest}.json"

    def load(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {str(k): (list(map(str, v[0])), int(v[1])) for k, v in data.items()}
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            return {}

    def save(self, layouts: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(layouts, f)
        os.replace(tmp, self.path)


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
