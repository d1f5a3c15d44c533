"""Guide model -> booklet HTML (Jinja2) -> tagged PDF (WeasyPrint, PDF/UA-1)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import guide as model
from .errors import GuideError, Problem, RenderError
from .guide import Guide

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "templates"


@dataclass(frozen=True)
class Edition:
    """One printed edition of the booklet."""

    name: str
    filename: str
    page_size: str


PAGE_SIZES = {"A5": "A5", "half-letter": "5.5in 8.5in"}


def editions(guide: Guide) -> list[Edition]:
    return [Edition("standard", "booklet.pdf", PAGE_SIZES[guide.config.booklet.page_size])]


def templates_dir() -> Path:
    """The booklet templates: `templates/` of the checkout (KGUIDE_TEMPLATES overrides)."""
    import os

    override = os.environ.get("KGUIDE_TEMPLATES")
    return Path(override).resolve() if override else TEMPLATES_DIR


def _font_faces() -> tuple[Path, list[dict]]:
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


def _environment(root: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / "booklet"),
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
    env.globals.update(plain=model.plain_text, image_url=lambda p: Path(p).as_uri(), display_url=_display_url)
    return env


def _display_url(href: str) -> str:
    """A link as a reader would type it from paper: no scheme, no trailing slash."""
    for prefix in ("https://", "http://", "mailto:", "tel:"):
        if href.startswith(prefix):
            href = href[len(prefix):]
    return href.rstrip("/")


def render_html(guide: Guide, edition: Edition) -> str:
    """The booklet's HTML for one edition, as WeasyPrint will read it."""
    root = templates_dir()
    _, faces = _font_faces()
    env = _environment(root)
    try:
        template = env.get_template("booklet.html.j2")
        return template.render(
            guide=guide,
            clinic=guide.config.clinic,
            edition=edition,
            fonts=faces,
            stylesheet=(root / "booklet" / "booklet.css").as_uri(),
        )
    except jinja2.TemplateError as exc:
        path = Path(getattr(exc, "filename", None) or root / "booklet" / "booklet.html.j2")
        raise GuideError(Problem(f"booklet template error: {exc}", path, getattr(exc, "lineno", None))) from None


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def write_pdf(guide: Guide, edition: Edition, html: str, target: Path) -> int:
    """Render `html` to a tagged PDF/UA-1 file at `target`; return its page count.

    WeasyPrint logs, rather than raises, on a missing resource or an accessibility gap; those
    records fail the build here, naming the guide.
    """
    import weasyprint

    font_dir, _ = _font_faces()
    fetcher = _LocalFetcher([guide.folder, templates_dir(), font_dir])
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    old_propagate = logger.propagate
    logger.propagate = False
    try:
        document = weasyprint.HTML(
            string=html, base_url=guide.folder.resolve().as_uri() + "/", url_fetcher=fetcher
        )
        rendered = document.render()
        rendered.write_pdf(target, pdf_variant="pdf/ua-1")
    except weasyprint.urls.FatalURLFetchingError as exc:
        raise RenderError(Problem(f"booklet: {exc.__cause__ or exc}", guide.folder)) from None
    finally:
        logger.removeHandler(collector)
        logger.propagate = old_propagate
    errors = [r for r in collector.records if r.levelno >= logging.ERROR]
    if errors:
        messages = "; ".join(r.getMessage() for r in errors[:5])
        raise RenderError(Problem(f"booklet ({edition.name}): {messages}", guide.folder))
    return len(rendered.pages)


def _local_fetcher_class():
    import weasyprint.urls as urls

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
