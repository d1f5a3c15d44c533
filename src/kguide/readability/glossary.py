"""The guide's glossary: the terms it defines, read from its glossary section(s).

A section is the glossary when its front matter says `layout: glossary`. Its terms are the
bold words that open its list items (`- **Term**: what it means.`); "**IV (intravenous line)**"
defines both "IV" and "intravenous line".
"""

from __future__ import annotations

import re

from ..model import Guide, ListBlock, Section, iter_blocks, plain_text

GLOSSARY_LAYOUT = "glossary"


def is_glossary(section: Section) -> bool:
    return getattr(section, "layout", "") == GLOSSARY_LAYOUT


def glossary_terms(guide: Guide) -> set[str]:
    """Every defined term, lower-cased (initialisms keep their case)."""
    terms: set[str] = set()
    for section in guide.sections:
        if is_glossary(section):
            for block in iter_blocks(section.blocks):
                if isinstance(block, ListBlock):
                    terms |= {t for item in block.items for t in _item_terms(item)}
    return terms


def _item_terms(item) -> set[str]:
    entry = item.entry
    if entry is None:
        return set()
    text = plain_text(entry[0]).strip().rstrip(":").strip()
    names = [re.sub(r"\s*\(.*?\)\s*", " ", text).strip()] + re.findall(r"\((.*?)\)", text)
    return {_normal(n) for n in names if n}


def _normal(term: str) -> str:
    term = " ".join(term.split())
    return term if term.isupper() and " " not in term else term.lower()


def defines(terms: set[str], key: str) -> bool:
    """Whether the glossary defines `key` (an entry's key): as a term, a plural, or a word of a
    longer term ("screening" in "screening visit")."""
    if key in terms or key + "s" in terms or key.removesuffix("s") in terms:
        return True
    pattern = re.compile(r"(?<!\w)" + re.escape(key) + r"(?!\w)")
    return any(pattern.search(term) for term in terms)
