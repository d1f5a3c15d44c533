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


def outline(pdf_path: Path) -> list[tuple[str, int]]:
    """(title, 1-based page) of every bookmark, depth first."""
    found: list[tuple[str, int]] = []
    with pikepdf.open(pdf_path) as pdf:
        pages = {page.objgen: i + 1 for i, page in enumerate(pdf.pages)}

        def walk(items) -> None:
            for item in items:
                dest = item.destination
                page = pages.get(dest[0].objgen, 0) if isinstance(dest, pikepdf.Array) else 0
                found.append((item.title, page))
                walk(item.children)

        with pdf.open_outline() as tree:
            walk(tree.root)
    return found


def _marked_positions(pdf: pikepdf.Pdf) -> tuple[dict, dict]:
    """Where each (page, MCID) is in its page's content stream, and the last text-showing
    operator's font size in points (as `text_sizes`) per page outside artifacts."""
    positions, last_sizes = {}, {}
    for index, page in enumerate(pdf.pages):
        stack: list[bool] = []
        size, scale = 0.0, [1.0]
        for n, instruction in enumerate(pikepdf.parse_content_stream(page)):
            op = str(instruction.operator)
            if op == "q":
                scale.append(scale[-1])
            elif op == "Q":
                scale.pop()
            elif op == "cm":
                scale[-1] *= abs(float(instruction.operands[3]))
            elif op in ("BMC", "BDC"):
                operands = instruction.operands
                stack.append(str(operands[0]) == "/Artifact")
                props = operands[1] if len(operands) > 1 else None
                if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                    positions[(index, int(props.MCID))] = n
            elif op == "EMC":
                stack.pop()
            elif op == "Tf":
                size = round(float(instruction.operands[1]) * scale[-1], 1)
            elif op in TEXT_SHOWING and not any(stack):
                last_sizes[index] = size
    return positions, last_sizes


def _mcids(node, page: int | None, pages: dict) -> list[tuple[int, int]]:
    if isinstance(node, pikepdf.Array):
        return [m for kid in node for m in _mcids(kid, page, pages)]
    if isinstance(node, pikepdf.Dictionary):
        if "/Pg" in node:
            page = pages[node.Pg.objgen]
        if "/MCID" in node:
            return [(page, int(node.MCID))]
        return _mcids(node.K, page, pages) if "/K" in node and "/S" in node else []
    return [(page, int(node))] if isinstance(node, int) else []


def list_items(pdf_path: Path) -> list[dict]:
    """Every LI of the structure tree: its children's types, its label's /ActualText and
    /A /BBox, and whether its label is drawn before its body in the content stream."""
    items = []
    with pikepdf.open(pdf_path) as pdf:
        pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
        positions, _ = _marked_positions(pdf)
        stack = [pdf.Root.StructTreeRoot.K]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(reversed(list(node)))
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
                if node.S == "/LI":
                    items.append(_list_item(node, pages, positions))
                if "/K" in node:
                    stack.append(node.K)
    return items


def _list_item(node, pages: dict, positions: dict) -> dict:
    kids = list(node.K) if isinstance(node.K, pikepdf.Array) else [node.K]
    kinds = [str(k.get("/S")) for k in kids if isinstance(k, pikepdf.Dictionary)]
    label = next((k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/Lbl"), None)
    body = [
        m
        for k in kids
        if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/LBody"
        for m in _mcids(k, pages.get(node.Pg.objgen), pages)
    ]
    label_marks = _mcids(label, pages.get(node.Pg.objgen), pages) if label is not None else []
    before = all(positions[a] < positions[b] for a in label_marks for b in body if a[0] == b[0])
    bbox = ()
    if label is not None and "/A" in label and "/BBox" in label.A:
        bbox = tuple(float(v) for v in label.A.BBox)
    actual = str(label.get("/ActualText", "")) if label is not None else ""
    return {"kinds": kinds, "label_text": actual, "label_bbox": bbox, "label_first": before}


def last_text_sizes(pdf_path: Path) -> list[float]:
    """For each page, the font size of the last text drawn outside artifacts (0 if none)."""
    with pikepdf.open(pdf_path) as pdf:
        _, sizes = _marked_positions(pdf)
        return [sizes.get(i, 0.0) for i in range(len(pdf.pages))]


def link_annotations(pdf_path: Path, page: int | None = None) -> list[dict]:
    """Every Link annotation (or those of one 1-based page): its URI or destination and its
    description (/Contents)."""
    found = []
    with pikepdf.open(pdf_path) as pdf:
        for index, pdf_page in enumerate(pdf.pages):
            if page is not None and index + 1 != page:
                continue
            for annot in pdf_page.obj.get("/Annots", pikepdf.Array()):
                if annot.get("/Subtype") != "/Link":
                    continue
                uri = str(annot.A.URI) if "/A" in annot and "/URI" in annot.A else ""
                found.append(
                    {
                        "uri": uri,
                        "dest": str(annot.get("/Dest", "")),
                        "contents": str(annot.get("/Contents", "")),
                        "page": index + 1,
                    }
                )
    return found


def _to_unicode(font) -> dict[int, str]:
    """A Type0 font's ToUnicode map (bfchar and bfrange entries), code -> text."""
    import re

    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for start, end, text in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            first = int.from_bytes(bytes.fromhex(text), "big")
            for offset, code in enumerate(range(int(start, 16), int(end, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


def marked_texts(pdf_path: Path, page: int) -> dict[int, str]:
    """The text of each marked-content sequence (by MCID) on one 1-based page, decoded through
    the fonts' ToUnicode maps: what a screen reader gets for it."""
    texts: dict[int, str] = {}
    with pikepdf.open(pdf_path) as pdf:
        pdf_page = pdf.pages[page - 1]
        fonts = {str(name): _to_unicode(f) for name, f in pdf_page.Resources.get("/Font", {}).items()}
        current, font, stack = None, {}, []
        for instruction in pikepdf.parse_content_stream(pdf_page):
            op, operands = str(instruction.operator), instruction.operands
            if op in ("BMC", "BDC"):
                props = operands[1] if len(operands) > 1 else None
                mcid = int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
                stack.append(mcid)
                current = mcid if mcid is not None else current
            elif op == "EMC":
                stack.pop()
                current = next((m for m in reversed(stack) if m is not None), None)
            elif op == "Tf":
                font = fonts.get(str(operands[0]), {})
            elif op in TEXT_SHOWING and current is not None:
                strings = operands[0] if op == "TJ" else [operands[-1]]
                for item in strings:
                    if isinstance(item, pikepdf.String):
                        raw = bytes(item)
                        codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
                        texts[current] = texts.get(current, "") + "".join(font.get(c, "?") for c in codes)
    return texts
