"""Closing WeasyPrint's PDF/UA gaps after it has written the PDF (pikepdf).

WeasyPrint 70 tags the text of page margin boxes (page numbers, running headers) with an MCID and
a structure element that it never links into the tree (issue #1836): that content is then neither
real content nor an Artifact, which PDF/UA forbids. Here each such sequence becomes a Pagination
Artifact and its ParentTree entry is cleared. Link annotations get a description a listener can
use ("Go to: Part 2, After your visit") in place of the bare anchor name.

WeasyPrint also gives every box inside a link its own annotation and Link element, so one
contents entry would be announced several times: those are merged into the outermost link. A
list item whose marker sits inside it holds its text loose beside the label: that text is
wrapped in an LBody. A checklist's box (a small picture titled "Checkbox, ...") becomes the
item's label (Lbl), so a listener hears "checkbox, not ticked" before the item. A list whose
every item is one link inside the document (the contents) is tagged TOC, each item a TOCI.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

from .locale.strings import Strings, strings_for

_PAGINATION = Dictionary(Type=Name.Pagination)


def fix_pdf(path: Path, link_names: dict[str, str], t: Strings | None = None) -> int:
    """Rewrite the PDF at `path` in place; return how many sequences became Artifacts.

    `link_names` maps an internal link target (an HTML id) to the words that describe it; `t`
    is the booklet's phrases (English when not given): link descriptions, checkbox labels.
    """
    t = t or strings_for("en")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        root = pdf.Root.StructTreeRoot
        reachable = _reachable(root)
        parent_tree = root.ParentTree
        changed = 0
        for page in pdf.pages:
            parents = _parents_of(parent_tree, page)
            if parents is not None:
                changed += _artifact_orphans(pdf, page, parents, reachable)
        _merge_nested_links(pdf, root)
        _repair_list_items(pdf, root, parent_tree, {t.checkbox_ticked, t.checkbox_not_ticked})
        _contents_as_toc(root)
        _describe_links(pdf, link_names, t)
        pdf.save(path)
    return changed


def _reachable(root: Dictionary) -> set[tuple[int, int]]:
    """The structure elements reached from the tree's root, by object number."""
    seen: set[tuple[int, int]] = set()
    stack = [root.get("/K", Array())]
    while stack:
        node = stack.pop()
        if isinstance(node, Array):
            stack.extend(node)
        elif isinstance(node, Dictionary) and "/S" in node and node.objgen not in seen:
            seen.add(node.objgen)
            if "/K" in node:
                stack.append(node.K)
    return seen


def _parents_of(parent_tree: Dictionary, page: pikepdf.Page) -> Array | None:
    """The page's MCID -> structure element array (WeasyPrint writes a flat /Nums)."""
    key = page.obj.get("/StructParents")
    if key is None:
        return None
    nums = parent_tree.get("/Nums", Array())
    for i in range(0, len(nums) - 1, 2):
        if int(nums[i]) == int(key):
            return nums[i + 1] if isinstance(nums[i + 1], Array) else None
    return None


def _artifact_orphans(pdf: pikepdf.Pdf, page: pikepdf.Page, parents: Array, reachable: set) -> int:
    orphans = {
        mcid
        for mcid, element in enumerate(parents)
        if not isinstance(element, Dictionary) or element.objgen not in reachable
    }
    if not orphans:
        return 0
    instructions = []
    changed = 0
    for instruction in pikepdf.parse_content_stream(page):
        operands = instruction.operands
        if str(instruction.operator) == "BDC" and _mcid(operands) in orphans:
            instruction = pikepdf.ContentStreamInstruction(
                [Name.Artifact, _PAGINATION], pikepdf.Operator("BDC")
            )
            changed += 1
        instructions.append(instruction)
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
    for mcid in orphans:
        parents[mcid] = None  # nothing on the page refers to this MCID any more
    return changed


def _mcid(operands) -> int | None:
    if len(operands) > 1 and isinstance(operands[1], Dictionary) and "/MCID" in operands[1]:
        return int(operands[1].MCID)
    return None


def _describe_links(pdf: pikepdf.Pdf, link_names: dict[str, str], t: Strings) -> None:
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", Array()):
            if annot.get("/Subtype") != "/Link":
                continue
            target = str(annot.get("/Dest", "")) if isinstance(annot.get("/Dest"), pikepdf.String) else ""
            if target in link_names:
                annot.Contents = pikepdf.String(t("link_go_to", target=link_names[target]))
            elif "/A" in annot and "/URI" in annot.A:
                uri = str(annot.A.URI)
                annot.Contents = pikepdf.String(link_names.get(uri) or t("link_web", address=uri))


def _kids(node: Dictionary) -> list:
    kids = node.get("/K", Array())
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_objr(node) -> bool:
    return isinstance(node, Dictionary) and node.get("/Type") == "/OBJR"


def _merge_nested_links(pdf: pikepdf.Pdf, root: Dictionary) -> None:
    """Keep one annotation per link (the outermost box's); the boxes inside it become Spans."""
    dropped: set[tuple[int, int]] = set()

    def inner(node: Dictionary) -> None:
        kept = []
        for kid in _kids(node):
            if _is_objr(kid):
                dropped.add(kid.Obj.objgen)
                continue
            if isinstance(kid, Dictionary) and "/S" in kid:
                if kid.get("/S") == "/Link":
                    kid.S = Name.Span
                inner(kid)
            kept.append(kid)
        node.K = Array(kept)

    def outer(node: Dictionary) -> None:
        for kid in _kids(node):
            if not isinstance(kid, Dictionary) or "/S" not in kid:
                continue
            if kid.get("/S") != "/Link":
                outer(kid)
                continue
            own = [k for k in _kids(kid) if _is_objr(k)]
            kid.K = Array(own[:1] + [k for k in _kids(kid) if not _is_objr(k)])
            dropped.update(k.Obj.objgen for k in own[1:])
            for grandchild in _kids(kid):
                if isinstance(grandchild, Dictionary) and "/S" in grandchild:
                    if grandchild.get("/S") == "/Link":
                        grandchild.S = Name.Span
                    inner(grandchild)

    outer(root)
    if not dropped:
        return
    keys = set()
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        keys.update(int(a.StructParent) for a in annots if a.objgen in dropped and "/StructParent" in a)
        page.obj.Annots = Array([a for a in annots if a.objgen not in dropped])
    nums = root.ParentTree.get("/Nums", Array())
    pairs = [(nums[i], nums[i + 1]) for i in range(0, len(nums) - 1, 2) if int(nums[i]) not in keys]
    root.ParentTree.Nums = Array([x for pair in pairs for x in pair])


def _repair_list_items(pdf: pikepdf.Pdf, root: Dictionary, parent_tree: Dictionary, boxes: set[str]) -> None:
    """Every LI as Lbl then LBody: loose content goes into an LBody, a checkbox into the Lbl."""
    stack = [root]
    while stack:
        node = stack.pop()
        for kid in _kids(node):
            if isinstance(kid, Dictionary) and "/S" in kid:
                if kid.S == Name.LI:
                    _wrap_body(pdf, kid, parent_tree)
                    _label_checkbox(kid, boxes)
                stack.append(kid)


def _wrap_body(pdf: pikepdf.Pdf, item: Dictionary, parent_tree: Dictionary) -> None:
    kids = _kids(item)
    loose = [k for k in kids if not (isinstance(k, Dictionary) and k.get("/S") in (Name.Lbl, Name.LBody))]
    if not loose:
        return
    body = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=item, K=Array(loose)))
    if "/Pg" in item:
        body.Pg = item.Pg
    for kid in loose:
        if isinstance(kid, Dictionary):
            kid.P = body
        else:  # an MCID held by the item itself
            _reparent_mcid(parent_tree, item, int(kid), body)
    labels = [k for k in kids if isinstance(k, Dictionary) and k.get("/S") == Name.Lbl]
    bodies = [k for k in kids if isinstance(k, Dictionary) and k.get("/S") == Name.LBody]
    item.K = Array(labels + bodies + [body])


def _same(a, b: Dictionary) -> bool:
    return isinstance(a, Dictionary) and a.objgen == b.objgen


def _reparent_mcid(parent_tree: Dictionary, old: Dictionary, mcid: int, new: Dictionary) -> None:
    nums = parent_tree.get("/Nums", Array())
    for i in range(1, len(nums), 2):
        parents = nums[i]
        if isinstance(parents, Array) and mcid < len(parents):
            target = parents[mcid]
            if isinstance(target, Dictionary) and target.objgen == old.objgen:
                parents[mcid] = new


def _label_checkbox(item: Dictionary, boxes: set[str]) -> None:
    """A Figure titled with a checkbox label ("Checkbox, ticked") anywhere in the item's body
    becomes its Lbl."""
    stack = [k for k in _kids(item) if isinstance(k, Dictionary) and k.get("/S") == Name.LBody]
    while stack:
        node = stack.pop()
        for kid in _kids(node):
            if not isinstance(kid, Dictionary) or "/S" not in kid:
                continue
            if kid.get("/S") == "/Figure" and str(kid.get("/Alt", "")) in boxes:
                node.K = Array([k for k in _kids(node) if not _same(k, kid)])
                kid.S = Name.Lbl
                kid.ActualText = pikepdf.String(str(kid.Alt))
                kid.P = item
                item.K = Array([kid, *_kids(item)])
                return
            stack.append(kid)


def _links_in(node: Dictionary) -> list[Dictionary]:
    found, stack = [], [node]
    while stack:
        element = stack.pop()
        for kid in _kids(element):
            if isinstance(kid, Dictionary) and kid.get("/S") == "/Link":
                found.append(kid)
            elif isinstance(kid, Dictionary) and "/S" in kid:
                stack.append(kid)
    return found


def _internal(link: Dictionary) -> bool:
    return any(_is_objr(k) and "/Dest" in k.Obj for k in _kids(link))


def _contents_as_toc(root: Dictionary) -> None:
    """L -> TOC, LI -> TOCI and LBody -> Reference where every item is one internal link."""
    stack = [root]
    while stack:
        node = stack.pop()
        for kid in _kids(node):
            if not isinstance(kid, Dictionary) or "/S" not in kid:
                continue
            items = _kids(kid)
            if kid.get("/S") == "/L" and len(items) > 1 and all(_one_internal_link(i) for i in items):
                kid.S = Name.TOC
                for item in items:
                    item.S = Name.TOCI
                    for part in _kids(item):
                        if isinstance(part, Dictionary) and part.get("/S") == "/LBody":
                            part.S = Name.Reference
            else:
                stack.append(kid)


def _one_internal_link(item) -> bool:
    if not isinstance(item, Dictionary) or item.get("/S") != "/LI":
        return False
    links = _links_in(item)
    return len(links) == 1 and _internal(links[0])
