"""Imposition for a folded, saddle-stitched booklet printed on an office printer.

The booklet's pages go two-up on landscape sheets (A5 on A4, half-letter on Letter), in the order
that makes a booklet once the double-sided stack is folded in half and stapled on the fold. The
page count is padded to a multiple of 4 with blank pages placed before the last page, so that the
back page (the clinic's contact details) stays on the outside back cover.

The imposed file is for printing only: it is not tagged. The accessible file is the booklet
itself.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pikepdf import Rectangle


def padded_order(pages: int) -> list[int | None]:
    """The booklet's pages (1-based) padded to a multiple of 4; None is a blank page."""
    blanks = -pages % 4
    if pages < 2:
        return [*range(1, pages + 1), *[None] * blanks]
    return [*range(1, pages), *[None] * blanks, pages]


def sheet_sides(pages: int) -> list[tuple[int | None, int | None]]:
    """(left, right) page numbers for each printed side, front then back, sheet by sheet.

    For n pages (a multiple of 4), sheet k (from 0) carries n-2k and 2k+1 on its front and
    2k+2 and n-2k-1 on its back.
    """
    order = padded_order(pages)
    n = len(order)
    sides = []
    for k in range(n // 4):
        for left, right in ((n - 2 * k, 2 * k + 1), (2 * k + 2, n - 2 * k - 1)):
            sides.append((order[left - 1], order[right - 1]))
    return sides


# Landscape office paper, in points: two A5 pages are 1 mm narrower than A4, so they sit
# centred on it, the fold in the middle of the sheet.
SHEETS = {"A4": (841.89, 595.28), "Letter": (792.0, 612.0)}
PRINTING_NOTE = "print at actual size (100%), double-sided, flip on the short edge; fold and staple"


def sheet_size(width: float, height: float) -> tuple[float, float]:
    """The paper that two pages of `width` x `height` points go on side by side: A4 or Letter
    when they fit it (by less than 2 mm), else exactly their own size."""
    for paper_width, paper_height in SHEETS.values():
        if 0 <= paper_width - 2 * width < 6 and 0 <= paper_height - height < 6:
            return paper_width, paper_height
    return 2 * width, height


def impose(source: Path, target: Path, title: str) -> int:
    """Write the print-ready file `target` from the booklet `source`; return its sheet sides."""
    with pikepdf.open(source) as booklet, pikepdf.new() as sheets:
        box = booklet.pages[0].mediabox
        width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
        paper_width, paper_height = sheet_size(width, height)
        x0, y0 = paper_width / 2 - width, (paper_height - height) / 2
        forms = {}
        for left, right in sheet_sides(len(booklet.pages)):
            side = sheets.add_blank_page(page_size=(paper_width, paper_height))
            for slot, number in enumerate((left, right)):
                if number is None:
                    continue
                if number not in forms:
                    forms[number] = sheets.copy_foreign(booklet.pages[number - 1].as_form_xobject())
                x = x0 + slot * width
                side.add_overlay(forms[number], Rectangle(x, y0, x + width, y0 + height))
        _printing_note(sheets, title)
        sheets.save(target)
        return len(sheets.pages)


def _printing_note(sheets: pikepdf.Pdf, title: str) -> None:
    """Say how to print where the person printing meets it: the window title and subject, and
    the print dialog's own settings (no scaling, duplex flipped on the short edge)."""
    sheets.docinfo["/Title"] = f"{title} (print file: {PRINTING_NOTE})"
    sheets.docinfo["/Subject"] = f"To print this booklet: {PRINTING_NOTE}."
    sheets.Root.ViewerPreferences = pikepdf.Dictionary(
        DisplayDocTitle=True, PrintScaling=pikepdf.Name("/None"), Duplex=pikepdf.Name.DuplexFlipShortEdge
    )
