"""Guide model -> booklet HTML (Jinja2) -> tagged PDF (WeasyPrint, PDF/UA-1) -> print file.

Two editions are rendered from one template: the standard booklet (A5 or half-letter) and a large
print one (A4 or Letter, body text 18 pt). Each PDF is closed where WeasyPrint leaves PDF/UA gaps
(`tagging`), then checked (`uacheck`); any finding fails the build. The standard booklet is also
imposed two-up for folding (`imposition`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import model
from .errors import GuideError, Problem, RenderError
from .locale.strings import Strings, strings_for
from .model import Guide, require_bound

PRINT_FILE = "booklet-print.pdf"
SIGNATURE = 4  # a folded sheet carries four pages


@dataclass(frozen=True)
class Edition:
    """One printed edition of the booklet."""

    name: str
    filename: str
    page_size: str  # a CSS page size


# standard page size -> (CSS size of the standard edition, CSS size of the large print edition)
PAGE_SIZES = {"A5": ("A5", "A4"), "half-letter": ("5.5in 8.5in", "letter")}


def editions(guide: Guide) -> list[Edition]:
    standard, large = PAGE_SIZES[guide.config.booklet.page_size]
    return [
        Edition("standard", "booklet.pdf", standard),
        Edition("large-print", "booklet-large-print.pdf", large),
    ]


def package_templates() -> Path:
    """kguide's own templates, shipped inside the package (package data, not the checkout)."""
    return Path(str(files("kguide").joinpath("templates")))


def templates_dir(guide: Guide | None = None) -> Path:
    """The templates a guide is rendered with: its own folder when guide.toml sets
    `templates = "FOLDER"` (relative to the guide), else kguide's own."""
    if guide is not None and guide.config.templates:
        return (guide.folder / guide.config.templates).resolve()
    return package_templates()


def font_faces() -> tuple[Path, list[dict]]:
    """The font folder and its @font-face entries: Atkinson Hyperlegible comes in a Python
    package, so nothing is downloaded when a booklet is made."""
    import fontpkg_atkinson_hyperlegible as font

    folder = Path(font.ROOT) / "files"
    faces = []
    for style, weight, filename in [
        ("normal", 400, "AtkinsonHyperlegible-Regular.ttf"),
        ("normal", 700, "AtkinsonHyperlegible-Bold.ttf"),
        ("italic", 400, "AtkinsonHyperlegible-Italic.ttf"),
        ("italic", 700, "AtkinsonHyperlegible-BoldItalic.ttf"),
    ]:
        faces.append(
            {"family": font.FAMILY, "url": (folder / filename).as_uri(), "weight": weight, "style": style}
        )
    return folder, faces


@lru_cache(maxsize=8)
def _environment(roots: tuple[Path, ...], t: Strings) -> jinja2.Environment:
    """Templates are looked up in each root in turn: a guide's own folder may replace any one
    file and take the rest from kguide's. One environment per roots and language, so that each
    template is compiled once, not once per layout (jinja2 reloads a template whose file
    changed)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([root / "booklet" for root in roots]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=False,
    )
    env.tests.update(
        text_node=lambda n: isinstance(n, model.Text),
        styled_node=lambda n: isinstance(n, model.Styled),
        link_node=lambda n: isinstance(n, model.Link),
        code_node=lambda n: isinstance(n, model.Code),
        break_node=lambda n: isinstance(n, model.Break),
        heading_block=lambda b: isinstance(b, model.Heading),
        paragraph_block=lambda b: isinstance(b, model.Paragraph),
        list_block=lambda b: isinstance(b, model.ListBlock),
        note_block=lambda b: isinstance(b, model.Note),
        figure_block=lambda b: isinstance(b, model.Figure),
    )
    env.globals.update(
        plain=model.plain_text,
        image_url=lambda p: Path(p).as_uri(),
        display_url=_display_url,
        glossary_entries=glossary_entries,
        tel_href=tel_href,
        web_href=web_href,
        checkbox_label=lambda checked: checkbox_label(checked, t),
        t=t,
    )
    env.filters["css_string"] = css_string
    return env


def css_string(text: str) -> Markup:
    """`text` as a quoted CSS string, for a phrase in a style sheet (a <style> element is not
    HTML-escaped, so quotes and backslashes are escaped the CSS way)."""
    escaped = "".join(c if c.isalnum() or c in " .,:;-" else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{escaped}"')


def _display_url(href: str) -> str:
    """A link as a reader would type it from paper: no scheme, no trailing slash."""
    for prefix in ("https://", "http://", "mailto:", "tel:"):
        href = href.removeprefix(prefix)
    return href.rstrip("/")


def tel_href(number: str) -> str:
    """A `tel:` address a phone can dial: the number's digits (and a leading +)."""
    digits = "".join(c for c in number if c.isdigit())
    return "tel:" + ("+" if number.strip().startswith("+") else "") + digits


def web_href(address: str) -> str:
    """A web address as a link: `https://` added when the guide writes it without a scheme."""
    return address if "://" in address else "https://" + address


def checkbox_label(checked: bool, t: Strings) -> str:
    """What a screen reader says for a checklist's box."""
    return t.checkbox_ticked if checked else t.checkbox_not_ticked


def glossary_entries(block: model.ListBlock) -> list[tuple[tuple, tuple]] | None:
    """(term, meaning) inlines of a glossary list written `- **Term**: meaning`, or None when
    any item is written otherwise (the list is then printed as it is)."""
    entries = [item.entry for item in block.items]
    return None if any(e is None for e in entries) else entries


def qr_svg(url: str, label: str) -> Markup:
    """An inline SVG QR code for `url`, made here (segno, offline); its <title> is the alt text."""
    import segno

    code = segno.make(url, error="m", micro=False)
    return Markup(
        code.svg_inline(scale=1, border=4, title=label, omitsize=True, svgclass="qr", lineclass=None)
    )


def _guide_features(guide: Guide) -> dict[str, object]:
    """What the "how to use this booklet" page mentions: only what the guide has."""
    blocks = [b for s in guide.sections for b in model.iter_blocks(s.blocks)]
    questions = next((s for s in guide.sections if s.layout == "questions"), None)
    return {
        "checklists": any(isinstance(b, model.ListBlock) and b.is_checklist for b in blocks),
        "notes": any(isinstance(b, model.Note) for b in blocks),
        "questions": questions,
    }


def render_html(
    guide: Guide, edition: Edition, notes_pages: int = 0, flowing: frozenset[str] = frozenset()
) -> str:
    """The booklet's HTML for one edition, as WeasyPrint will read it.

    `notes_pages` pages for notes go before the back page (to fill the last folded sheet); the
    parts named in `flowing` (by stem) go on from the page before rather than on a new page.
    """
    require_bound(guide)
    root = templates_dir(guide)
    roots = list(dict.fromkeys([root, package_templates()]))
    _, faces = font_faces()
    t = strings_for(guide.config.language)
    env = _environment(tuple(roots), t)
    clinic = guide.config.clinic
    qr = ""
    if clinic.audio_url:
        qr = qr_svg(clinic.audio_url, t("qr_label", address=_display_url(clinic.audio_url)))
    try:
        template = env.get_template("booklet.html.j2")
        return template.render(
            guide=guide,
            clinic=clinic,
            edition=edition,
            fonts=faces,
            stylesheet=next(
                r / "booklet" / "booklet.css" for r in roots if (r / "booklet" / "booklet.css").is_file()
            ).as_uri(),
            logo_url=(guide.folder / clinic.logo).resolve().as_uri() if clinic.logo else "",
            qr=qr,
            has=_guide_features(guide),
            notes_pages=notes_pages,
            flowing=flowing,
            help=guide.locale,
        )
    except jinja2.TemplateError as exc:
        path = Path(getattr(exc, "filename", None) or root / "booklet" / "booklet.html.j2")
        raise GuideError(
            Problem(f"booklet template error: {exc}", path, getattr(exc, "lineno", None))
        ) from None


def write_booklets(
    guide: Guide, pages: list[tuple[Edition, str]], folder: Path, layouts: dict | None = None
) -> list[tuple[str, int]]:
    """Write every edition from its HTML, and the print file; return (file name, pages) each.

    The standard edition gets notes pages so that it folds from whole sheets: then the booklet
    and the print file number their pages alike. `layouts` (`pagefill.reuse`) gets the decisions.
    """
    written, layouts = [], {} if layouts is None else layouts
    for edition, html in pages:
        document = _laid_out(guide, edition, html, layouts.get(edition.name))
        layouts[edition.name] = (sorted(document.flowing), document.notes)
        written.append((edition.filename, _write(guide, edition, document, folder / edition.filename)))
        if edition.name == "standard":
            from .imposition import impose

            sides = impose(folder / edition.filename, folder / PRINT_FILE, guide.config.title)
            written.append((PRINT_FILE, sides))
    return written


def _laid_out(guide: Guide, edition: Edition, html: str, hint: tuple | None = None):
    """The edition rendered with parts going on where a new page would leave one nearly empty
    (`pagefill.afresh`) and, for the standard edition, notes pages to fill its last folded
    sheet; or once, from an earlier decision `hint` that this layout confirms (`pagefill.reuse`)."""
    from .pagefill import afresh, reuse

    def render(flowing: frozenset[str], notes: int = 0):
        source = render_html(guide, edition, notes, flowing) if flowing or notes else html
        document = _render(guide, edition, source)
        document.flowing, document.notes = flowing, notes
        return document

    stems, sheet = [s.stem for s in guide.sections], SIGNATURE if edition.name == "standard" else 1
    return reuse(render, hint, stems, "contact-us", sheet) or afresh(render, stems, "contact-us", sheet)


def write_pdf(guide: Guide, edition: Edition, html: str, target: Path) -> int:
    """Render `html` to a tagged PDF/UA-1 file at `target`; return its page count."""
    return _write(guide, edition, _render(guide, edition, html), target)


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _weasyprint_errors(guide: Guide, edition: Edition) -> Iterator[None]:
    """WeasyPrint logs, rather than raises, on a missing resource or an accessibility gap (a
    missing alt or lang); those records fail the build here, naming the guide's file."""
    import weasyprint

    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    old_propagate = logger.propagate
    logger.propagate = False
    try:
        yield
    except weasyprint.urls.FatalURLFetchingError as exc:
        raise RenderError(Problem(f"booklet: {exc.__cause__ or exc}", guide.folder)) from None
    finally:
        logger.removeHandler(collector)
        logger.propagate = old_propagate
    errors = [r.getMessage() for r in collector.records if r.levelno >= logging.ERROR]
    if errors:
        raise RenderError([_locate(f"booklet ({edition.filename}): {m}", guide) for m in errors[:5]])


def _locate(message: str, guide: Guide) -> Problem:
    """Name the section and line of an image WeasyPrint complains about, else the guide."""
    for section in guide.sections:
        for block in model.iter_blocks(section.blocks):
            if isinstance(block, model.Figure) and (
                str(block.src) in message or block.src.as_uri() in message
            ):
                return Problem(message, section.path, block.line)
    return Problem(message, guide.folder / "guide.toml")


def _render(guide: Guide, edition: Edition, html: str):
    import weasyprint

    font_dir, _ = font_faces()
    fetcher = _LocalFetcher([guide.folder, templates_dir(guide), package_templates(), font_dir])
    with _weasyprint_errors(guide, edition):
        document = weasyprint.HTML(
            string=html, base_url=guide.folder.resolve().as_uri() + "/", url_fetcher=fetcher
        )
        return document.render()


def _write(guide: Guide, edition: Edition, document, target: Path) -> int:
    """Write the rendered document as PDF/UA-1, close WeasyPrint's gaps, check the result."""
    from .tagging import fix_pdf
    from .uacheck import check_pdf

    with _weasyprint_errors(guide, edition):
        document.write_pdf(target, pdf_variant="pdf/ua-1")
    fix_pdf(target, _link_names(guide), strings_for(guide.config.language))
    findings = check_pdf(target)
    if findings:
        raise RenderError(
            [Problem(f"{edition.filename} is not valid PDF/UA-1: {f}", guide.folder) for f in findings]
        )
    return len(document.pages)


def _link_names(guide: Guide) -> dict[str, str]:
    """What each internal link leads to, in words, for screen readers."""
    t = strings_for(guide.config.language)
    names = {s.stem: t("link_part", number=i, title=s.title) for i, s in enumerate(guide.sections, start=1)}
    names["contact-us"] = t.contact_us
    names.update({f"{s.stem}-lines": t.link_questions for s in guide.sections if s.layout == "questions"})
    return names | _address_names(guide)


def _address_names(guide: Guide) -> dict[str, str]:
    """What each web, e-mail and phone link on the cover and back page does, in words."""
    clinic = guide.config.clinic
    t = strings_for(guide.config.language)
    names = {tel_href(clinic.phone): t("link_call", name=clinic.name, phone=clinic.phone)}
    if clinic.audio_url:
        names[clinic.audio_url] = t("link_listen", address=_display_url(clinic.audio_url))
    if clinic.website:
        names[web_href(clinic.website)] = t(
            "link_website", name=clinic.name, address=_display_url(clinic.website)
        )
    if clinic.email:
        names[f"mailto:{clinic.email}"] = t("link_email", name=clinic.name, address=clinic.email)
    help = guide.locale
    for number in (help.emergency, help.emergency_also):
        if number:
            names[tel_href(number)] = t("link_emergency", number=number)
    if help.crisis:
        names[tel_href(help.crisis)] = t("link_crisis", number=help.crisis, name=help.crisis_name)
    return names


def _local_fetcher_class():
    from weasyprint import urls

    class LocalFetcher(urls.URLFetcher):
        """Serves only files inside the allowed folders; anything else stops the render."""

        def __init__(self, roots: list[Path]):
            super().__init__(allowed_protocols={"file"}, fail_on_errors=True)
            self.roots = [Path(r).resolve() for r in roots]

        def fetch(self, url, headers=None):
            if not url.startswith("file:"):
                raise ValueError(f"not fetched (outside the guide and templates): {url}")
            from urllib.request import url2pathname

            path = Path(url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"not fetched (outside the guide and templates): {path}")
            if not path.is_file():
                raise ValueError(f"file not found: {path}")
            return super().fetch(url, headers)

    return LocalFetcher


def _LocalFetcher(roots: list[Path]):
    return _local_fetcher_class()(roots)


def render_pdf_bytes(guide: Guide, edition: Edition, html: str) -> bytes:
    """The PDF of `html`, in memory, for the live preview (`kguide serve`): no files written."""
    document = _render(guide, edition, html)
    with _weasyprint_errors(guide, edition):
        return document.write_pdf(pdf_variant="pdf/ua-1")
