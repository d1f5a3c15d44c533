"""What the listen page and the EPUB share: their Jinja environment, the font, phone links and
the help lines (emergency and crisis numbers)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..locale.strings import Strings, strings_for
from . import readalong as ra
from .inlines import to_html


def environment(roots: tuple[Path, ...], kind: str, language: str) -> jinja2.Environment:
    """Templates from `root/kind` for each root in turn (a guide's own folder first), like the
    booklet's; `t` is the phrases of the guide's language."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([root / kind for root in roots]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
    )
    env.globals["t"] = strings_for(language)
    env.filters.update(inlines=lambda inlines, links=True: Markup(to_html(inlines, links)), clock=clock)
    env.tests.update(
        heading=lambda b: isinstance(b, ra.Heading),
        paragraph=lambda b: isinstance(b, ra.Paragraph),
        list=lambda b: isinstance(b, ra.List),
        note=lambda b: isinstance(b, ra.Note),
        figure=lambda b: isinstance(b, ra.Figure),
        timed=lambda s: s.begin is not None,
    )
    return env


def static_file(env: jinja2.Environment, name: str) -> str:
    """A template file's text as it is (CSS, script)."""
    source, _, _ = env.loader.get_source(env, name)
    return source


def clock(seconds: float) -> str:
    """3:05, or 1:02:03 past an hour: a length as players show it."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def megabytes(path: Path, t: Strings) -> str:
    size = path.stat().st_size / 1_000_000
    return t("megabytes", size=f"{size:.1f}") if size >= 0.1 else t.under_tenth_megabyte


def link_or_copy(source: Path, target: Path) -> None:
    """A hard link when the file system allows one (no second copy on disk), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


# ---- the font ---------------------------------------------------------------------------------

FONT_FAMILY = "Atkinson Hyperlegible"


def font_files() -> list[tuple[Path, int, str]]:
    """(TrueType file, weight, style) of each face of the booklet's font, from its Python
    package. Browsers fetch only the faces a page uses; the files are copied as they are, since
    making WOFF2 of them takes seconds of every build for some 60 KB a face."""
    from ..booklet import font_faces

    folder, faces = font_faces()
    return [(folder / Path(face["url"]).name, face["weight"], face["style"]) for face in faces]


# ---- phone numbers and help lines -------------------------------------------------------------


def tel_href(phone: str, country_code: str = "") -> str:
    """A tel: link for a number as written: a ten-digit national number gets the country code."""
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("+"):
        return f"tel:+{digits}"
    if country_code and len(digits) == 10:
        return f"tel:+{country_code}{digits}"
    return f"tel:{digits}"
