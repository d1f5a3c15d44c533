"""The listen page: `site/` in the build folder, to publish as it is at the clinic's audio_url.

The folder holds everything it shows or offers (audio, captions, booklets, EPUB, font, pictures),
so it can be copied to any static host, or opened from disk, and asks nothing of any other
server. The audio and documents are hard links to the build's own files where the file system
allows (no second copy on disk), else copies; the font and pictures are always copies.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from ..locale.data import resolve
from ..locale.strings import strings_for
from .readalong import ReadAlong, SiteFacts
from .render import (
    FONT_FAMILY,
    clock,
    environment,
    font_files,
    link_or_copy,
    megabytes,
    static_file,
    tel_href,
)

SITE = "site"
PAGE = "index.html"


@dataclass(frozen=True)
class Download:
    href: str
    label: str
    detail: str  # format, length, size


def write_site(text: ReadAlong, facts: SiteFacts, build: Path) -> Path:
    """Write `build`/site/ from the build's audio, captions, booklets and EPUB."""
    site = build / SITE
    site.mkdir()
    env = environment(facts.templates, "site", facts.language)
    for name in ("listen.css", "listen.js"):
        (site / name).write_text(static_file(env, name), encoding="utf-8")
    fonts = _write_fonts(site)
    images = _copy_figures(text, site)
    for relative in [text.whole_audio, "captions.vtt"] + [p.audio for p in text.parts]:
        link_or_copy(build / relative, site / relative)
    downloads = _downloads(text, facts, build, site)
    page = render_page(env, text, facts, downloads, fonts, images)
    (site / PAGE).write_text(page, encoding="utf-8")
    return site


def render_page(env, text: ReadAlong, facts: SiteFacts, downloads, fonts, images) -> str:
    """The listen page's HTML."""
    lines = facts.locale or resolve(facts.language)
    return env.get_template("index.html.j2").render(
        facts=facts,
        clinic=facts.clinic,
        text=text,
        parts=text.parts,
        downloads=downloads,
        fonts=fonts,
        font_family=FONT_FAMILY,
        images=images,
        help=lines,
        clinic_tel=tel_href(facts.clinic.phone, lines.country_code),
        tel=tel_href,
    )


def preview_page(text: ReadAlong, facts: SiteFacts) -> tuple[str, dict[str, str]]:
    """The listen page as `kguide serve` shows it before any audio is made: the same template,
    with the font and pictures as file URLs and no file sizes; also the page's own CSS and
    script by name."""
    env = environment(facts.templates, "site", facts.language)
    t = strings_for(facts.language)
    fonts = [(source.resolve().as_uri(), weight, style) for source, weight, style in font_files()]
    images = {source: source.resolve().as_uri() for source in text.figures}
    later = "made by kguide build"
    downloads = {
        "main": [Download(text.whole_audio, t.whole_guide, f"MP3, {later}")]
        + [Download(name, label, later) for name, label in facts.booklets],
        "parts": [Download(p.audio, p.label, f"MP3, about {clock(p.seconds)}, {later}") for p in text.parts],
    }
    assets = {name: static_file(env, name) for name in ("listen.css", "listen.js")}
    return render_page(env, text, facts, downloads, fonts, images), assets


def _write_fonts(site: Path) -> list[tuple[str, int, str]]:
    folder = site / "fonts"
    folder.mkdir()
    faces = []
    for source, weight, style in font_files():
        shutil.copyfile(source, folder / source.name)  # never a link into the installed package
        faces.append((f"fonts/{source.name}", weight, style))
    return faces


def _copy_figures(text: ReadAlong, site: Path) -> dict[Path, str]:
    """Each picture of the guide as images/NN-name, so names from different folders never clash."""
    out = {}
    for number, source in enumerate(text.figures, start=1):
        relative = f"images/{number:02d}-{source.name}"
        (site / relative).parent.mkdir(exist_ok=True)
        shutil.copyfile(source, site / relative)  # a copy: the guide's own file may change later
        out[source] = relative
    return out


def _downloads(text: ReadAlong, facts: SiteFacts, build: Path, site: Path) -> dict[str, list[Download]]:
    whole = text.whole_audio
    m4b = str(Path(whole).with_suffix(".m4b"))
    epub = f"{facts.name}.epub"
    files = [m4b, epub] + [name for name, _ in facts.booklets]
    for relative in files:
        link_or_copy(build / relative, site / relative)
    t = strings_for(facts.language)

    def size(relative: str) -> str:
        return megabytes(site / relative, t)

    minutes = round(text.seconds / 60)
    length = t("minutes_short", minutes=minutes) if text.seconds >= 60 else t.under_a_minute
    main = [
        Download(whole, t.whole_guide, f"MP3, {length}, {size(whole)}"),
        Download(m4b, t.audiobook, f"M4B, {length}, {size(m4b)}"),
        Download(epub, t.ebook, f"EPUB, {size(epub)}"),
    ] + [Download(name, label, size(name)) for name, label in facts.booklets]
    parts = [Download(p.audio, p.label, f"MP3, {clock(p.seconds)}, {size(p.audio)}") for p in text.parts]
    return {"main": main, "parts": parts}
