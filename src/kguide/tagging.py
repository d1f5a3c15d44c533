"""Closing WeasyPrint's PDF/UA gaps after it has written the PDF (pikepdf).

WeasyPrint 70 tags the text of page margin boxes (page numbers, running headers) with an MCID and
a structure element that it never links into the tree (issue #1836): that content is then neither
real content nor an Artifact, which PDF/UA forbids. Here each such sequence becomes a Pagination
Artifact and its ParentTree entry is cleared. Link annotations get a description a listener can
use ("Go to: Part 2, After your visit") in place of the bare anchor name.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

_PAGINATION = Dictionary(Type=Name.Pagination)


def fix_pdf(path: Path, link_names: dict[str, str]) -> int:
    """Rewrite the PDF at `path` in place; return how many sequences became Artifacts.

    `link_names` maps an internal link target (an HTML id) to the words that describe it.
    """
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        root = pdf.Root.StructTreeRoot
        reachable = _reachable(root)
        parent_tree = root.ParentTree
        changed = 0
        for page in pdf.pages:
            parents = _parents_of(parent_tree, page)
            if parents is not None:
                changed += _artifact_orphans(pdf, page, parents, reachable)
        _describe_links(pdf, link_names)
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


def _describe_links(pdf: pikepdf.Pdf, link_names: dict[str, str]) -> None:
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", Array()):
            if annot.get("/Subtype") != "/Link":
                continue
            target = str(annot.get("/Dest", "")) if isinstance(annot.get("/Dest"), pikepdf.String) else ""
            if target in link_names:
                annot.Contents = pikepdf.String(f"Go to: {link_names[target]}")
            elif "/A" in annot and "/URI" in annot.A:
                annot.Contents = pikepdf.String(f"Web address: {annot.A.URI}")
