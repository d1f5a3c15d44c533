"""An independent check of a tagged PDF against the machine-checkable PDF/UA-1 conditions of the
Matterhorn Protocol that a booklet can break.

It reads the PDF as any reader would (pikepdf only, nothing from the renderer) and returns plain
findings, so a build or a test can fail on any of them:

- catalog: document language, MarkInfo, DisplayDocTitle, XMP `pdfuaid:part` and `dc:title`
  (Matterhorn 06, 07, 11);
- content: every painted item is either tagged (inside marked content with an MCID) or an
  Artifact, never both (01-003, 01-004, 01-005);
- structure: every MCID on a page is reached from the structure tree through the ParentTree and
  back, and every MCID the tree names is on its page (01-006 and the ParentTree's consistency);
- structure types are standard ones (02-001), headings start at H1 and skip no level (14-002,
  14-003), figures have Alt or ActualText (13-004), lists hold only LI, LI only Lbl and LBody
  (16-001, 16-002);
- annotations are tagged and links described (28-xxx), pages with annotations have /Tabs /S;
- fonts are embedded, with a ToUnicode map, and TrueType CID fonts have a CIDToGIDMap (31-xxx).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

STANDARD_TYPES = {
    "Document",
    "Part",
    "Art",
    "Sect",
    "Div",
    "BlockQuote",
    "Caption",
    "TOC",
    "TOCI",
    "Index",
    "NonStruct",
    "Private",
    "H",
    "H1",
    "H2",
    "H3",
    "H4",
    "H5",
    "H6",
    "P",
    "L",
    "LI",
    "Lbl",
    "LBody",
    "Table",
    "TR",
    "TH",
    "TD",
    "THead",
    "TBody",
    "TFoot",
    "Span",
    "Quote",
    "Note",
    "Reference",
    "BibEntry",
    "Code",
    "Link",
    "Annot",
    "Ruby",
    "RB",
    "RT",
    "RP",
    "Warichu",
    "WT",
    "WP",
    "Figure",
    "Formula",
    "Form",
}
LIST_CHILDREN = {"LI", "L", "Caption"}
LIST_ITEM_CHILDREN = {"Lbl", "LBody"}
PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "INLINE IMAGE"}
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@dataclass
class _Element:
    kind: str
    node: Dictionary
    page: int | None
    mcids: list[tuple[int, int]] = field(default_factory=list)  # (page index, MCID)
    annotations: list[tuple[int, int]] = field(default_factory=list)  # objgen of OBJR targets


def check_pdf(path: Path) -> list[str]:
    """Every PDF/UA-1 finding for the PDF at `path`; an empty list means none was found."""
    with pikepdf.open(path) as pdf:
        findings = _catalog(pdf)
        if "/StructTreeRoot" not in pdf.Root:
            return [*findings, "no structure tree (the PDF is not tagged)"]
        pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
        elements = _structure(pdf, pages, findings)
        content = [_page_content(page, i, findings) for i, page in enumerate(pdf.pages)]
        findings += _parent_tree(pdf, elements, content)
        findings += _structure_rules(elements, pdf)
        findings += _annotations(pdf, elements)
        findings += _fonts(pdf)
    return findings


# ---- catalog and metadata ---------------------------------------------------------------------


def _catalog(pdf: pikepdf.Pdf) -> list[str]:
    found = []
    root = pdf.Root
    lang = str(root.get("/Lang", ""))
    if not _LANG_RE.match(lang):
        found.append(f"document language (/Lang) missing or not a language tag: {lang!r}")
    mark = root.get("/MarkInfo", Dictionary())
    if not bool(mark.get("/Marked", False)):
        found.append("/MarkInfo /Marked is not true")
    if bool(mark.get("/Suspects", False)):
        found.append("/MarkInfo /Suspects is true")
    prefs = root.get("/ViewerPreferences", Dictionary())
    if not bool(prefs.get("/DisplayDocTitle", False)):
        found.append("/ViewerPreferences /DisplayDocTitle is not true (the title is not shown)")
    if "/Metadata" not in root:
        return [*found, "no XMP metadata stream"]
    meta = pdf.open_metadata()
    if str(meta.get("pdfuaid:part", "")) != "1":
        found.append("XMP metadata has no pdfuaid:part = 1")
    if not str(meta.get("dc:title", "")).strip():
        found.append("XMP metadata has no dc:title")
    return found


# ---- structure tree ---------------------------------------------------------------------------


def _structure(pdf: pikepdf.Pdf, pages: dict, findings: list[str]) -> list[_Element]:
    """The structure elements reachable from the root, in document order."""
    elements: list[_Element] = []
    seen: set = set()
    role_map = pdf.Root.StructTreeRoot.get("/RoleMap", Dictionary())

    def page_of(node, inherited):
        ref = node.get("/Pg")
        return pages.get(ref.objgen, inherited) if ref is not None else inherited

    def walk(kids, parent: _Element | None) -> None:
        kids = kids if isinstance(kids, Array) else [kids]
        for kid in kids:
            if isinstance(kid, int):
                if parent is None or parent.page is None:
                    findings.append(f"MCID {kid} in the structure tree without a page")
                else:
                    parent.mcids.append((parent.page, int(kid)))
            elif isinstance(kid, Dictionary) and kid.get("/Type") == "/MCR":
                page = page_of(kid, parent.page if parent else None)
                parent.mcids.append((page, int(kid.MCID)))
            elif isinstance(kid, Dictionary) and kid.get("/Type") == "/OBJR":
                parent.annotations.append(kid.Obj.objgen)
            elif isinstance(kid, Dictionary) and "/S" in kid:
                if kid.objgen != (0, 0) and kid.objgen in seen:
                    findings.append("a structure element appears twice in the tree")
                    continue
                seen.add(kid.objgen)
                kind = str(kid.S)[1:]
                mapped = str(role_map.get("/" + kind, "/" + kind))[1:]
                element = _Element(mapped, kid, page_of(kid, parent.page if parent else None))
                elements.append(element)
                if "/K" in kid:
                    walk(kid.K, element)

    walk(pdf.Root.StructTreeRoot.get("/K", Array()), None)
    return elements


def _structure_rules(elements: list[_Element], pdf: pikepdf.Pdf) -> list[str]:
    found = []
    levels = []
    for element in elements:
        if element.kind not in STANDARD_TYPES:
            found.append(f"structure type /{element.kind} is not standard and not role-mapped")
        if re.fullmatch(r"H[1-6]", element.kind):
            levels.append(int(element.kind[1]))
        if element.kind == "Figure" and not (
            str(element.node.get("/Alt", "")).strip() or str(element.node.get("/ActualText", "")).strip()
        ):
            found.append(f"Figure without alt text (page {_page_label(element)})")
        kinds = _child_kinds(element.node)
        if element.kind == "L" and not set(kinds) <= LIST_CHILDREN:
            found.append(f"list (L) holds {sorted(set(kinds) - LIST_CHILDREN)} (page {_page_label(element)})")
        if element.kind == "LI" and not set(kinds) <= LIST_ITEM_CHILDREN:
            found.append(
                f"list item (LI) holds {sorted(set(kinds) - LIST_ITEM_CHILDREN)} (page {_page_label(element)})"
            )
    if levels and levels[0] != 1:
        found.append(f"the first heading is H{levels[0]}, not H1")
    for before, after in pairwise(levels):
        if after > before + 1:
            found.append(f"heading level skipped: H{after} follows H{before}")
    return found


def _child_kinds(node: Dictionary) -> list[str]:
    kids = node.get("/K", Array())
    kids = kids if isinstance(kids, Array) else [kids]
    return [str(k.S)[1:] for k in kids if isinstance(k, Dictionary) and "/S" in k]


def _page_label(element: _Element) -> str:
    return str(element.page + 1) if element.page is not None else "?"


# ---- page content -----------------------------------------------------------------------------


@dataclass
class _PageContent:
    page: int
    mcids: set[int] = field(default_factory=set)


def _page_content(page: pikepdf.Page, index: int, findings: list[str]) -> _PageContent:
    content = _PageContent(index)
    untagged = _walk_stream(page, page.obj.get("/Resources", Dictionary()), [], content, index, findings)
    if untagged:
        findings.append(f"page {index + 1}: {untagged} content item(s) neither tagged nor marked as Artifact")
    return content


def _walk_stream(
    stream, resources, stack: list, content: _PageContent, index: int, findings: list[str]
) -> int:
    """Walk one content stream; return how many painting operators ran outside marked content."""
    untagged = 0
    depth = len(stack)
    for instruction in pikepdf.parse_content_stream(stream):
        op = str(instruction.operator)
        if op in ("BMC", "BDC"):
            stack.append(_marked(instruction.operands, resources, stack, content, index, findings))
        elif op == "EMC":
            if len(stack) <= depth:
                findings.append(f"page {index + 1}: EMC without a matching BMC/BDC")
            else:
                stack.pop()
        elif op in PAINTING:
            if op == "Do" and _is_form(resources, instruction.operands[0]):
                form = resources.XObject[instruction.operands[0]]
                untagged += _walk_stream(
                    form, form.get("/Resources", resources), stack, content, index, findings
                )
            elif not any(kind in ("tagged", "artifact") for kind in stack):
                untagged += 1
    if len(stack) != depth:
        findings.append(f"page {index + 1}: marked content not closed at the end of a stream")
        del stack[depth:]
    return untagged


def _marked(operands, resources, stack: list, content: _PageContent, index: int, findings: list[str]) -> str:
    """Classify one BMC/BDC: "artifact", "tagged" (has an MCID) or "other"."""
    tag = str(operands[0])
    props = operands[1] if len(operands) > 1 else None
    if isinstance(props, Name):
        props = resources.get("/Properties", Dictionary()).get(props)
    if tag == "/Artifact":
        if "tagged" in stack:
            findings.append(f"page {index + 1}: an Artifact inside tagged content")
        return "artifact"
    if isinstance(props, Dictionary) and "/MCID" in props:
        if "artifact" in stack:
            findings.append(f"page {index + 1}: tagged content inside an Artifact")
        mcid = int(props.MCID)
        if mcid in content.mcids:
            findings.append(f"page {index + 1}: MCID {mcid} is used twice")
        content.mcids.add(mcid)
        return "tagged"
    return "other"


def _is_form(resources, name) -> bool:
    xobject = resources.get("/XObject", Dictionary()).get(name)
    return xobject is not None and xobject.get("/Subtype") == "/Form"


def _parent_tree(pdf: pikepdf.Pdf, elements: list[_Element], content: list[_PageContent]) -> list[str]:
    """Each MCID on a page must lead, through the ParentTree, to a reachable element naming it."""
    found = []
    tree = _number_tree(pdf.Root.StructTreeRoot.get("/ParentTree", Dictionary()))
    by_object = {e.node.objgen: e for e in elements}
    in_tree = {mcid for e in elements for mcid in e.mcids}
    for page, marks in zip(pdf.pages, content, strict=False):
        key = page.obj.get("/StructParents")
        if marks.mcids and key is None:
            found.append(f"page {marks.page + 1}: marked content but no /StructParents")
            continue
        parents = tree.get(int(key)) if key is not None else None
        outside = 0
        for mcid in sorted(marks.mcids):
            target = parents[mcid] if isinstance(parents, Array) and mcid < len(parents) else None
            element = by_object.get(target.objgen) if isinstance(target, Dictionary) else None
            if element is None or (marks.page, mcid) not in element.mcids:
                outside += 1
        if outside:
            found.append(
                f"page {marks.page + 1}: {outside} marked-content sequence(s) outside the structure tree"
            )
    on_pages = {(m.page, mcid) for m in content for mcid in m.mcids}
    missing = in_tree - on_pages
    if missing:
        found.append(f"{len(missing)} MCID(s) in the structure tree are not on their page")
    return found


def _number_tree(node: Dictionary) -> dict[int, object]:
    out: dict[int, object] = {}
    nums = node.get("/Nums", Array())
    for i in range(0, len(nums) - 1, 2):
        out[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids", Array()):
        out.update(_number_tree(kid))
    return out


# ---- annotations and fonts --------------------------------------------------------------------


def _annotations(pdf: pikepdf.Pdf, elements: list[_Element]) -> list[str]:
    found = []
    tree = _number_tree(pdf.Root.StructTreeRoot.get("/ParentTree", Dictionary()))
    by_object = {e.node.objgen: e for e in elements}
    for index, page in enumerate(pdf.pages):
        annots = [a for a in page.obj.get("/Annots", Array()) if a.get("/Subtype") != "/Popup"]
        if annots and page.obj.get("/Tabs") != "/S":
            found.append(f"page {index + 1}: annotations but /Tabs is not /S")
        for annot in annots:
            kind = str(annot.get("/Subtype", "/?"))[1:]
            target = tree.get(int(annot.StructParent)) if "/StructParent" in annot else None
            element = by_object.get(target.objgen) if isinstance(target, Dictionary) else None
            if element is None or annot.objgen not in element.annotations:
                found.append(f"page {index + 1}: {kind} annotation not in the structure tree")
            if kind == "Link" and not str(annot.get("/Contents", "")).strip():
                found.append(f"page {index + 1}: link without a description (/Contents)")
    return found


def _fonts(pdf: pikepdf.Pdf) -> list[str]:
    found = []
    seen: set = set()
    for resources in _all_resources(pdf):
        for name, font in resources.get("/Font", Dictionary()).items():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            found += _font_findings(font, str(font.get("/BaseFont", name)))
    return found


def _font_findings(font: Dictionary, label: str) -> list[str]:
    found = []
    subtype = font.get("/Subtype")
    described = font.DescendantFonts[0] if subtype == "/Type0" else font
    if subtype == "/Type3":
        return []  # glyphs drawn by content streams, nothing to embed
    descriptor = described.get("/FontDescriptor", Dictionary())
    if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
        found.append(f"font {label} is not embedded")
    if "/ToUnicode" not in font:
        found.append(f"font {label} has no ToUnicode map")
    if described.get("/Subtype") == "/CIDFontType2" and "/CIDToGIDMap" not in described:
        found.append(f"font {label} has no CIDToGIDMap")
    return found


def _all_resources(pdf: pikepdf.Pdf):
    """Page resources and, depth first, those of the Form XObjects they use."""
    stack = [page.obj.get("/Resources", Dictionary()) for page in pdf.pages]
    seen: set = set()
    while stack:
        resources = stack.pop()
        yield resources
        for xobject in resources.get("/XObject", Dictionary()).values():
            if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                stack.append(xobject.get("/Resources", Dictionary()))
