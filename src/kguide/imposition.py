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


def impose(source: Path, target: Path, title: str) -> int:
    """Write the print-ready file `target` from the booklet `source`; return its sheet sides."""
    with pikepdf.open(source) as booklet, pikepdf.new() as sheets:
        box = booklet.pages[0].mediabox
        width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
        forms = {}
        for left, right in sheet_sides(len(booklet.pages)):
            side = sheets.add_blank_page(page_size=(2 * width, height))
            for slot, number in enumerate((left, right)):
                if number is None:
                    continue
                if number not in forms:
                    forms[number] = sheets.copy_foreign(booklet.pages[number - 1].as_form_xobject())
                x = slot * width
                side.add_overlay(forms[number], Rectangle(x, 0, x + width, height))
        sheets.docinfo["/Title"] = f"{title} (print file: double-sided, flip on short edge, fold)"
        sheets.save(target)
        return len(sheets.pages)
