"""Small readers of built PDFs for the tests: text sizes from content streams, page furniture,
text in a part of a page, and pixels of a rendered page."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pikepdf

TEXT_SHOWING = {"Tj", "TJ", "'", '"'}


def text_sizes(pdf_path: Path, pages: range | None = None) -> Counter:
    """Text-showing operators by effective font size in points (Tf size times the CTM scale)."""
    sizes: Counter = Counter()
    with pikepdf.open(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            if pages is not None and index not in pages:
                continue
            scale, size = [1.0], 0.0
            for instruction in pikepdf.parse_content_stream(page):
                op = str(instruction.operator)
                if op == "q":
                    scale.append(scale[-1])
                elif op == "Q":
                    scale.pop()
                elif op == "cm":
                    scale[-1] *= abs(float(instruction.operands[3]))
                elif op == "Tf":
                    size = float(instruction.operands[1]) * scale[-1]
                elif op in TEXT_SHOWING:
                    sizes[round(size, 1)] += 1
    return sizes


def furniture_per_page(pdf_path: Path) -> list[int]:
    """For each page, how many text-showing operators sit inside a Pagination Artifact."""
    counts = []
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            stack: list[bool] = []
            count = 0
            for instruction in pikepdf.parse_content_stream(page):
                op = str(instruction.operator)
                if op in ("BMC", "BDC"):
                    props = instruction.operands[1] if len(instruction.operands) > 1 else None
                    pagination = (
                        str(instruction.operands[0]) == "/Artifact"
                        and isinstance(props, pikepdf.Dictionary)
                        and props.get("/Type") == "/Pagination"
                    )
                    stack.append(pagination)
                elif op == "EMC":
                    stack.pop()
                elif op in TEXT_SHOWING and any(stack):
                    count += 1
            counts.append(count)
    return counts


def page_size(pdf_path: Path, index: int = 0) -> tuple[float, float]:
    with pikepdf.open(pdf_path) as pdf:
        box = [float(v) for v in pdf.pages[index].MediaBox]
    return round(box[2] - box[0], 2), round(box[3] - box[1], 2)


def page_count(pdf_path: Path) -> int:
    with pikepdf.open(pdf_path) as pdf:
        return len(pdf.pages)


def text(
    pdf_path: Path, page: int | None = None, crop: tuple[float, float, float, float] | None = None
) -> str:
    """pdftotext of the whole file, or of one page (1-based), or of a crop (x, y, w, h in points)."""
    args = ["pdftotext", "-layout"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    if crop is not None:  # pixels at 72 dpi are points
        x, y, w, h = crop
        args += ["-r", "72", "-x", str(int(x)), "-y", str(int(y)), "-W", str(int(w)), "-H", str(int(h))]
    result = subprocess.run([*args, str(pdf_path), "-"], capture_output=True, text=True, check=True)
    return result.stdout


def dark_fraction(pdf_path: Path, page: int, tmp: Path) -> float:
    """The share of dark pixels on one page (1-based) rendered to a grey image by pdftoppm."""
    prefix = tmp / f"page{page}"
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", str(page), "-l", str(page), "-gray", str(pdf_path), str(prefix)],
        check=True,
    )
    (image,) = tmp.glob(f"page{page}*.pgm")
    data = image.read_bytes()
    pixels = data[data.index(b"255\n") + 4 :]
    return sum(1 for b in pixels if b < 128) / len(pixels)


def render_png(pdf_path: Path, page: int, tmp: Path, dpi: int = 100) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    prefix = tmp / f"png{page}"
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", str(pdf_path), str(prefix)],
        check=True,
    )
    (image,) = tmp.glob(f"png{page}*.png")
    return image


def struct_elements(pdf_path: Path) -> list[tuple[str, str]]:
    """(type, alt text) of every element of the structure tree, in reading order."""
    found: list[tuple[str, str]] = []

    def walk(node) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append((str(node.S), str(node.get("/Alt", ""))))
            if "/K" in node:
                walk(node.K)

    with pikepdf.open(pdf_path) as pdf:
        walk(pdf.Root.StructTreeRoot.K)
    return found


def page_fills(pdf_path: Path, top_mm: float, bottom_mm: float, dpi: int = 50) -> list[float]:
    """For each page, how far down its text area the ink reaches (0 empty, 1 full): the page
    rendered grey by pdftoppm, the lowest row with a dark pixel between the top and bottom
    margins (where the running header and the page number sit) over the height between them."""
    import tempfile

    fills = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf_path), f"{tmp}/p"], check=True)
        for image in sorted(Path(tmp).glob("p*.pgm"), key=lambda p: int(p.stem.split("-")[-1])):
            header, pixels = _pgm(image)
            width, height = header
            top, bottom = round(top_mm / 25.4 * dpi), height - round(bottom_mm / 25.4 * dpi)
            inked = [y for y in range(top, bottom) if min(pixels[y * width : (y + 1) * width]) < 128]
            fills.append(round((inked[-1] + 1 - top) / (bottom - top), 3) if inked else 0.0)
    return fills


def _pgm(image: Path) -> tuple[tuple[int, int], bytes]:
    """(width, height) and the pixel bytes of a binary 8-bit PGM file."""
    data = image.read_bytes()
    fields, position = [], 2
    while len(fields) < 3:
        while data[position : position + 1].isspace():
            position += 1
        end = position
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(int(data[position:end]))
        position = end
    return (fields[0], fields[1]), data[position + 1 :]
