"""<guide>.epub: EPUB 3.3 with Media Overlays. One XHTML file and one SMIL file per track (the
introduction, each section, "contact us"): every sentence has an id, and the SMIL pairs it with
its clip of that part's MP3, so a reading app highlights each sentence as it is spoken.
Accessibility metadata follows EPUB Accessibility 1.1."""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..web.readalong import Part, ReadAlong, SiteFacts
from ..web.render import FONT_FAMILY, clock, environment, font_files, static_file
from .cover import cover_svg

ACTIVE_CLASS = "-epub-media-overlay-active"
MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


@dataclass(frozen=True)
class Item:
    """One file of the book: its path inside EPUB/, id and media type."""

    href: str
    id: str
    media_type: str
    properties: str = ""
    overlay: str = ""


def epub_name(facts: SiteFacts) -> str:
    return f"{facts.name}.epub"


def smil_clock(seconds: float) -> str:
    """A SMIL clock value, h:mm:ss.fff (also the form media:duration takes)."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _clips(part: Part) -> list[tuple[str, float, float]]:
    return [(s.id, s.begin, s.end) for s in part.sentences() if s.begin is not None and s.end > s.begin]


def _identifier(facts: SiteFacts) -> str:
    """The same guide, clinic and version always get the same identifier."""
    seed = f"kguide:{facts.name}:{facts.clinic.name}:{facts.version}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def write_epub(text: ReadAlong, facts: SiteFacts, build: Path) -> Path:
    """Write `build`/<guide>.epub from the read-along text and the build's part MP3s."""
    env = environment(facts.templates, "epub", facts.language)
    files: dict[str, bytes | Path] = {}
    items: list[Item] = []

    def add(href: str, content: bytes | Path, media_type: str, **extra) -> Item:
        item = Item(href, _item_id(href), media_type, **extra)
        files[href] = content
        items.append(item)
        return item

    images = {}
    for number, source in enumerate(text.figures, start=1):
        href = f"images/{number:02d}-{source.name}"
        add(href, source, MEDIA_TYPES[source.suffix.lower()])
        images[source] = f"../{href}"
    fonts = []
    for source, weight, style in font_files():
        add(f"fonts/{source.name}", source, "font/ttf")
        fonts.append((f"../fonts/{source.name}", weight, style))
    css = env.get_template("book.css.j2").render(fonts=fonts, family=FONT_FAMILY, active=ACTIVE_CLASS)
    add("css/book.css", css.encode(), "text/css")
    add("images/cover.svg", cover_svg(facts).encode(), "image/svg+xml", properties="cover-image")
    page = env.get_template("cover.xhtml.j2").render(facts=facts)
    spine = [add("text/cover.xhtml", page.encode(), "application/xhtml+xml")]

    durations = {}
    for part in text.parts:
        clips = _clips(part)
        smil_href, page_href = f"smil/{part.stem}.smil", f"text/{part.stem}.xhtml"
        overlay = None
        if clips:
            smil = env.get_template("overlay.smil.j2").render(
                part=part, clips=clips, page=f"../{page_href}", clock=smil_clock
            )
            overlay = add(smil_href, smil.encode(), "application/smil+xml")
            durations[overlay.id] = sum(end - begin for _, begin, end in clips)
        add(f"audio/{part.stem}.mp3", build / part.audio, "audio/mpeg")
        xhtml = env.get_template("part.xhtml.j2").render(facts=facts, part=part, images=images)
        spine.append(
            add(page_href, xhtml.encode(), "application/xhtml+xml", overlay=overlay.id if overlay else "")
        )
    nav = env.get_template("nav.xhtml.j2").render(facts=facts, parts=text.parts)
    add("nav.xhtml", nav.encode(), "application/xhtml+xml", properties="nav")

    opf = env.get_template("package.opf.j2").render(
        facts=facts,
        identifier=_identifier(facts),
        modified=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        items=items,
        spine=spine,
        durations=durations,
        total=sum(durations.values()),
        clock=smil_clock,
        active=ACTIVE_CLASS,
        has_figures=bool(text.figures),
        length=clock(text.seconds),
    )
    files["package.opf"] = opf.encode()
    target = build / epub_name(facts)
    _zip(target, files, static_file(env, "container.xml"))
    return target


def _item_id(href: str) -> str:
    stem = Path(href).stem
    kind = href.split("/", 1)[0] if "/" in href else "doc"
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem)
    return f"{kind}-{safe}"


def _zip(target: Path, files: dict[str, bytes | Path], container: str) -> None:
    """The OCF container: `mimetype` first and stored, then everything else; audio and
    pictures are stored as they are (already compressed), text is deflated."""
    with zipfile.ZipFile(target, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", container, compress_type=zipfile.ZIP_DEFLATED)
        for href, content in files.items():
            packed = Path(href).suffix in (".xhtml", ".smil", ".opf", ".css", ".svg", ".ttf")
            method = zipfile.ZIP_DEFLATED if packed else zipfile.ZIP_STORED
            data = content.read_bytes() if isinstance(content, Path) else content
            book.writestr(f"EPUB/{href}", data, compress_type=method)
