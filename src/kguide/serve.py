"""`kguide serve`: a live preview while writing, like `mkdocs serve`.

The guide and its templates are watched; on every save the guide is loaded and checked again
and the booklet (as HTML; as PDF on request), the listen page, the reading report and the
findings are rendered again. Pages reload themselves when something changed. No speech is made:
the listen page is timed from the words at the voice's speaking rate, and its player has no audio. The server listens on
localhost only and serves nothing but the pages it renders and the files they use from the
guide folder, the templates and the font.
"""

from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

from . import booklet
from .build import check
from .errors import KguideError
from .loader import check_clinics, require_phrases
from .readability import html_report

POLL_SECONDS = 0.3
_RELOAD = """<script>
(function () {
  var seen = null;
  function poll() {
    fetch("/_kguide/version", {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (v) {
      if (seen !== null && v !== seen) { location.reload(); }
      seen = v;
    }).catch(function () {}).finally(function () { setTimeout(poll, 700); });
  }
  poll();
})();
</script>"""
# Browsers cannot count pages (no target-counter): the preview says where the number will be.
_PAGE_NUMBERS = (
    '<style>a.page-ref::after, .contents .toc-page::after { content: " [number in the PDF]"; '
    "color: #555; font-size: .8em; }</style>"
)
_STYLE = """
body { font: 18px/1.5 system-ui, sans-serif; margin: 0; color: #111; }
header { padding: .5rem 1rem; background: #f2f2f2; border-bottom: 1px solid #ccc; }
header a { margin-right: 1rem; color: #0645ad; }
main { display: flex; gap: 1rem; padding: 1rem; }
iframe { flex: 3; height: 85vh; border: 1px solid #ccc; }
aside { flex: 2; max-height: 85vh; overflow: auto; }
.error { color: #a00000; } .warning { color: #7a4d00; } .suggestion { color: #333; }
li { margin-bottom: .4rem; font-size: 15px; }
"""


@dataclass
class Preview:
    """Everything the server shows, rendered again whenever a watched file changes."""

    folder: Path
    clinic: str = ""
    version: int = 0
    pages: dict[str, str] = field(default_factory=dict)
    assets: dict[str, str] = field(default_factory=dict)  # the listen page's CSS and script
    roots: dict[str, Path] = field(default_factory=dict)
    guide: object = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def render(self) -> None:
        pages: dict[str, str] = {}
        assets: dict[str, str] = {}
        try:
            guide, report = check(self.folder)
            require_phrases(guide)
            check_clinics(guide.config, (self.clinic,) if self.clinic else (), guide.folder)
            bound = guide.bind(self.clinic)
            roots = {
                "guide": guide.folder,
                "templates": booklet.templates_dir(bound),
                "kguide": booklet.package_templates(),
                "font": booklet.font_faces()[0],
            }
            for edition in booklet.editions(bound):
                page = self._local(booklet.render_html(bound, edition), roots)
                pages[f"/{edition.name}.html"] = page.replace("</head>", _PAGE_NUMBERS + "</head>", 1)
            listen, assets = _listen_page(bound)
            pages["/listen.html"] = self._local(listen, roots)
            pages["/reading-report.html"] = html_report.render(report, bound)
            findings = "\n".join(
                f"{f.path.name}:{f.line}:{f.column}: {f.severity} {f.rule}: {f.message}"
                for f in report.findings
            )
            pages["/"] = _index(bound.config.title, report.status, findings, [])
        except KguideError as exc:
            guide, roots = None, {}
            pages["/"] = _index(self.folder.name, "error", "", [str(p) for p in exc.problems])
        with self.lock:
            self.pages, self.assets, self.roots, self.guide = pages, assets, roots, guide
            self.version += 1

    @staticmethod
    def _local(page: str, roots: dict[str, Path]) -> str:
        """File URLs in the booklet's HTML, as the server's own addresses."""
        for name, root in roots.items():
            page = page.replace(root.resolve().as_uri(), f"/_files/{name}")
        return page

    def watched(self) -> dict[Path, float]:
        folders = [self.folder, booklet.package_templates()]
        if self.guide is not None:
            folders.append(booklet.templates_dir(self.guide))
        stamps = {}
        for folder in dict.fromkeys(folders):
            for path in list(folder.rglob("*"))[:5000]:
                if path.is_file():
                    try:
                        stamps[path] = path.stat().st_mtime_ns
                    except OSError:
                        continue
        return stamps

    def file(self, url_path: str) -> Path | None:
        """A file under one of the allowed roots, for `/_files/<root>/<path>`; else None."""
        parts = unquote(url_path).removeprefix("/_files/").split("/", 1)
        root = self.roots.get(parts[0])
        if root is None or len(parts) < 2:
            return None
        path = (root / parts[1]).resolve()
        return path if path.is_relative_to(root.resolve()) and path.is_file() else None


def _listen_page(bound) -> tuple[str, dict[str, str]]:
    """The listen page, timed from the words (no speech), with a note that says so."""
    from .narration.estimate import estimated_audio
    from .narration.script import build_script
    from .narration.spoken import guide_lexicon
    from .web import listen_preview

    rate = bound.config.voice.rate
    tracks = build_script(bound, guide_lexicon(bound), rate)
    page, assets = listen_preview(bound, tracks, estimated_audio(bound.name, tracks, rate))
    note = (
        '<p class="preview-note" role="status" style="background:#fff3c4;padding:.5rem 1rem;margin:0">'
        "Preview: no audio yet. <code>kguide build</code> makes the audio; until then the player "
        "is empty and the lengths are estimates from the words.</p>"
    )
    return page.replace("<body>", "<body>" + note, 1), assets


def _index(title: str, status: str, findings: str, errors: list[str]) -> str:
    lines = errors or findings.splitlines() or ["No findings: the guide reads well."]
    kind = "error" if errors else None
    items = "".join(
        f'<li class="{kind or (line.split(": ")[1].split()[0] if ": " in line else "")}">{html.escape(line)}</li>'
        for line in lines
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Preview: {html.escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body><header><strong>{html.escape(title)}</strong> ({status}) "
        '<a href="/" >Booklet</a><a href="/large-print.html" target="page">Large print</a>'
        '<a href="/listen.html" target="page">Listen page</a>'
        '<a href="/reading-report.html" target="page">Reading report</a>'
        '<a href="/booklet.pdf">Booklet PDF</a></header>'
        '<main><iframe name="page" title="Preview" src="/standard.html"></iframe>'
        f"<aside><h2>{'Errors' if errors else 'Findings'}</h2><ul>{items}</ul></aside></main>"
        f"{_RELOAD}</body></html>"
    )


def _handler(preview: Preview):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args) -> None:  # the terminal shows kguide's own lines only
            pass

        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            path = urlparse(self.path).path
            with preview.lock:
                page = preview.pages.get(path)
                asset = preview.assets.get(path.lstrip("/"))
                version = preview.version
            if path == "/_kguide/version":
                return self._send(str(version).encode(), "text/plain")
            if page is not None:
                return self._send(page.replace("</body>", _RELOAD + "</body>", 1).encode(), "text/html")
            if asset is not None:
                return self._send(asset.encode(), _type(Path(path)))
            if path == "/booklet.pdf":
                return self._pdf()
            if path.startswith("/_files/") and (found := preview.file(path)):
                return self._send(found.read_bytes(), _type(found))
            self.send_error(404)

        def _pdf(self) -> None:
            try:
                guide, _ = check(preview.folder)
                bound = guide.bind(preview.clinic)
                edition = booklet.editions(bound)[0]
                pdf = booklet.render_pdf_bytes(bound, edition, booklet.render_html(bound, edition))
            except KguideError as exc:
                return self._send(html.escape(str(exc)).encode(), "text/plain", 500)
            self._send(pdf, "application/pdf")

        def _send(self, body: bytes, kind: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text") else ""))
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _type(path: Path) -> str:
    return {
        ".css": "text/css",
        ".js": "text/javascript",
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".gif": "image/gif",
        ".webp": "image/webp",
        ".ttf": "font/ttf",
        ".otf": "font/otf",
        ".woff2": "font/woff2",
    }.get(path.suffix.lower(), "application/octet-stream")


def serve(folder: Path, port: int, clinic: str = "", announce=print) -> None:
    """Render, serve on 127.0.0.1:`port` (0: any free port) and re-render on every change,
    until interrupted."""
    preview = Preview(Path(folder).resolve(), clinic)
    preview.render()
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(preview))
    server.daemon_threads = True
    announce(
        f"serving {preview.folder.name} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)"
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        stamps = preview.watched()
        while True:
            time.sleep(POLL_SECONDS)
            now = preview.watched()
            if now != stamps:
                stamps = now
                preview.render()
                state = "error" if preview.guide is None else "updated"
                announce(f"{time.strftime('%H:%M:%S')} {state}: {preview.folder.name}")
    finally:
        server.shutdown()
        server.server_close()
