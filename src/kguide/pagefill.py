"""How full each page of a laid-out booklet is, and which parts should not start a new page.

A part normally starts on a new page. When that would leave the page before it nearly empty
(under `MIN_FILL` of its text area), the part goes on from that page instead: fewer sheets of
paper, and no page a reader takes for missing text. Measured on WeasyPrint's layout, before the
PDF is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

MIN_FILL = 0.35


def _lowest(box) -> float:
    """The lowest point of anything drawn inside `box` (text lines, pictures, ruled or boxed
    blocks), in CSS pixels from the page's top; 0 when nothing is drawn."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox):
        return 0.0
    if isinstance(box, boxes.LineBox):  # its baseline: the line spacing below it is not ink
        return box.position_y + (box.baseline or box.height)
    if isinstance(box, boxes.ReplacedBox):
        return box.position_y + box.margin_height()
    style = getattr(box, "style", None)
    drawn = style is not None and (
        bool(style["border_bottom_width"]) or any(kind != "none" for kind, _ in style["background_image"])
    )
    lowest = box.border_box_y() + box.border_height() if drawn and box.height != "auto" else 0.0
    for child in getattr(box, "children", ()):
        lowest = max(lowest, _lowest(child))
    return lowest


def page_fills(document) -> list[float]:
    """For each page, how far down its text area the content reaches (0 empty, 1 full)."""
    fills = []
    for page in document.pages:
        page_box = page._page_box
        top, height = page_box.content_box_y(), page_box.height
        reach = max((_lowest(child) for child in page_box.children), default=0.0)
        fills.append(max(0.0, min(1.0, (reach - top) / height)) if reach else 0.0)
    return fills


def _starts(document, anchors: Iterable[str]) -> dict[str, int]:
    """The page (0-based) each of `anchors` starts on (a part's anchor is on each of its pages)."""
    wanted, starts = set(anchors), {}
    for index, page in enumerate(document.pages):
        for anchor in wanted & set(page.anchors):
            starts.setdefault(anchor, index)
    return starts


def flowing_parts(document, stems: Iterable[str]) -> set[str]:
    """The parts (by anchor) whose own page would leave the page before under MIN_FILL full."""
    fills = page_fills(document)
    return {stem for stem, i in _starts(document, stems).items() if i > 0 and fills[i - 1] < MIN_FILL}


def _short_tail(document, stems: list[str], back: str, notes: int = 0, flowing=None) -> str | None:
    """When the last page before `back` is under MIN_FILL full, the last part still starting on
    a new page (`flowing`: the parts going on, by default the document's): letting it go on
    gives the pages after it room to pull back. `notes`: notes pages the document has before
    `back` (the page looked at is the one before them)."""
    fills, flowing = page_fills(document), document.flowing if flowing is None else flowing
    starts = _starts(document, [*stems, back])
    before = starts.get(back, 0) - notes - 1
    if back not in starts or before < 0 or fills[before] >= MIN_FILL:
        return None
    candidates = [s for s in stems if s not in flowing and starts.get(s, 0) > 0]
    return max(candidates, key=lambda s: starts[s], default=None)


FLOW_MARGIN = 1.6  # em: the space above a part that goes on (booklet.css, `.part.flows`)


def _find(box, anchor: str):
    """The box of the element with id `anchor` in `box`'s tree, or None."""
    element = getattr(box, "element", None)
    if element is not None and element.get("id") == anchor:
        return box
    for child in getattr(box, "children", ()):
        found = _find(child, anchor)
        if found is not None:
            return found
    return None


def _stays(document, stem: str) -> bool:
    """Whether letting part `stem` go on leaves the layout as it is: the page before it has no
    room for even the space above a part that goes on and its heading (so it starts on a new
    page all the same, the space above dropped at the break)."""
    index = _starts(document, [stem]).get(stem, 0)
    part = _find(document.pages[index]._page_box, stem) if index > 0 else None
    heading = next((c for c in getattr(part, "children", ()) if hasattr(c, "border_height")), None)
    if heading is None:
        return False
    height = document.pages[index]._page_box.height
    need = (FLOW_MARGIN * part.style["font_size"] + heading.border_height()) / height
    return page_fills(document)[index - 1] + need > 1


def settle(render: Callable, stems: Iterable[str], back: str, sheet: int = 1, first=None):
    """Render with every part on a new page (or start from `first`, a layout with some parts
    going on already, as `predict` guessed); let the parts that leave a nearly empty page before
    them go on from it, until no more need to; then, while the last page before `back` is nearly
    empty, let one more part go on. `render(flowing, notes)` returns a document with `.flowing`
    and `.notes` set. Each layout after the first has the notes pages that make the one before
    it fill whole sheets of `sheet` pages (notes pages come after every part, so they change no
    decision), and a part that `_stays` as it was is let go on without a layout of its own:
    the result is what one layout per step, then one more for the notes pages, would give."""
    stems = list(stems)
    document = first if first is not None else render(frozenset(), 0)

    def again(flowing: frozenset[str]):
        return render(flowing, -(len(document.pages) - document.notes) % sheet)

    for _ in stems:
        more = flowing_parts(document, stems) - document.flowing
        if not more:
            break
        document = again(document.flowing | more)
    flowing = document.flowing
    for _ in stems:
        extra = _short_tail(document, stems, back, document.notes, flowing)
        if extra is None:
            break
        flowing = flowing | {extra}
        if not _stays(document, extra):
            document = again(flowing)
    if flowing != document.flowing or len(document.pages) % sheet:
        document = again(flowing)
    return document


def confirms(document, stems: Iterable[str], back: str, notes: int = 0) -> bool:
    """Whether `document`, rendered with the parts in `document.flowing` going on and `notes`
    notes pages before `back`, is where `settle` stops: no other part leaves a nearly empty page
    before it, and the page before the back page (and its notes pages) is not nearly empty. A
    layout decided for one clinic is checked so before another clinic, or a rebuild, reuses it."""
    stems = list(stems)
    return not flowing_parts(document, stems) - document.flowing and (
        _short_tail(document, stems, back, notes) is None
    )


def reuse(render: Callable, hint: tuple | None, stems: Iterable[str], back: str, sheet: int = 1):
    """The layout of an earlier decision `hint` (flowing parts, notes pages), kept between
    builds: rendered once, and returned when it `confirms` and fills whole sheets of `sheet`
    pages; None otherwise (the caller then lays the booklet out afresh with `settle`)."""
    if hint is None:
        return None
    document = render(frozenset(hint[0]), hint[1])
    if len(document.pages) % sheet == 0 and confirms(document, stems, back, hint[1]):
        return document
    return None


def afresh(render: Callable, stems: Iterable[str], back: str, sheet: int = 1):
    """Laid out with no earlier decision: every part on a new page, then settled from the parts
    `predict` guesses from that layout, with the notes pages the guess needs to fill whole
    sheets of `sheet` pages (when the guess is right, the second layout is the last)."""
    stems = list(stems)
    first = render(frozenset(), 0)
    guess = predict(first, stems, back)
    if guess is None or not guess[0]:  # notes pages change no decision: settle adds them
        return settle(render, stems, back, sheet, first)
    flowing, pages = guess
    return settle(render, stems, back, sheet, render(flowing, -pages % sheet))


def predict(document, stems: Iterable[str], back: str) -> tuple[frozenset[str], int] | None:
    """Where `settle` would end, worked out from `document` (every part on a new page) without
    laying the booklet out again: each part's length in pages is read from that layout, the
    parts are set one after another, and settle's two rules are applied to those figures until
    they change nothing. Returns the parts that go on and the pages the booklet would then have
    (with no notes pages). A guess: the caller lays it out once and settles from there. None
    when the layout does not have the parts as expected."""
    stems = list(stems)
    fills = page_fills(document)
    starts = _starts(document, [*stems, back])
    order = [stem for stem in stems if stem in starts]
    if back not in starts or not order or sorted(starts[s] for s in order) != [starts[s] for s in order]:
        return None
    ends = [starts[s] for s in order[1:]] + [starts[back]]
    length = {stem: (end - starts[stem] - 1) + fills[end - 1] for stem, end in zip(order, ends, strict=True)}
    opening = (starts[order[0]] - 1, fills[starts[order[0]] - 1] if starts[order[0]] > 0 else 1.0)
    back_pages = len(document.pages) - starts[back]
    flowing: set[str] = set()
    for _ in range(2 * len(order) + 2):
        before, page, last = _set_out(order, length, opening, flowing)
        more = {s for s in order if s not in flowing and s != order[0] and before[s] < MIN_FILL}
        if more:
            flowing |= more
            continue
        candidates = [s for s in order if s not in flowing and s != order[0]]
        if last >= MIN_FILL or not candidates:
            return frozenset(flowing), page + 1 + back_pages
        flowing.add(candidates[-1])
    return None


def _set_out(order, length, opening, flowing) -> tuple[dict[str, float], int, float]:
    """The parts set one after another from `opening` (the last page before the first part and
    how full it is): how full the page before each part that starts a new page is, and the last
    page before the back (0-based) and how full it is."""
    page, fill = opening
    before = {}
    for stem in order:
        if stem not in flowing:
            before[stem] = fill
            page, fill = page + 1, 0.0
        reach = fill + length[stem]
        page, fill = page + int(reach), reach - int(reach)
        if fill == 0.0 and reach > 0:
            page, fill = page - 1, 1.0
    return before, page, fill
