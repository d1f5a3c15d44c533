"""The audio's cover picture: the booklet's own cover page (title, clinic, logo), rendered with
PDFium and set on a white square, the shape players show."""

from __future__ import annotations

from pathlib import Path

COVER_PIXELS = 1400  # square; what podcast and audiobook apps ask for at least


def cover_from_pdf(pdf: Path, target: Path, pixels: int = COVER_PIXELS) -> Path:
    """Render page 1 of `pdf` to a `pixels`-square JPEG at `target`; return `target`."""
    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[0]
        width, height = page.get_size()
        scale = pixels / max(width, height)
        image = page.render(scale=scale).to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    square = Image.new("RGB", (pixels, pixels), "white")
    square.paste(image, ((pixels - image.width) // 2, (pixels - image.height) // 2))
    square.save(target, "JPEG", quality=85, optimize=True)
    return target
