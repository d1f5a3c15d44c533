"""The PEMAT-P items a program can judge (AHRQ's Patient Education Materials Assessment Tool,
print version), scored as PEMAT scores them: the share of the items that apply which are met.

Judged here, by item number: understandability 4 (medical terms defined), 5 (active voice),
6 (clear numbers), 7 (no calculations), 8 (short sections), 9 (informative headings),
11 (a summary), 12 (visual cues: lists, notes, bold); actionability 20 (at least one action),
21 (the reader addressed as "you"). The others (purpose, logical order, pictures, ...) need a
person. PEMAT counts 70% or more as understandable or actionable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..locale.strings import primary
from ..model import Guide, Heading, ListBlock, Note, Styled, iter_blocks
from .glossary import is_glossary
from .pemat_words import ENGLISH, PEMAT_WORDS, PematWords
from .prose import Passage, Sentence
from .rules import TermUse, passive_spans

PASS_SCORE = 70.0
CHUNK_WORDS = 200  # prose under one heading: about half an A5 page in large type
VERY_SHORT_WORDS = 300  # PEMAT's "very short": two paragraphs or fewer, one page at most
PASSIVE_SHARE = 0.10  # at most one sentence in ten with a passive verb


@dataclass(frozen=True)
class Item:
    number: int
    domain: str  # "understandability" or "actionability"
    text: str
    applies: bool
    met: bool
    detail: str

    def to_dict(self) -> dict:
        return {
            "item": self.number,
            "domain": self.domain,
            "text": self.text,
            "applies": self.applies,
            "met": self.met if self.applies else None,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Pemat:
    items: tuple[Item, ...]

    def score(self, domain: str | None = None) -> float | None:
        """Percent of the applicable items met, or None when none applies."""
        judged = [i for i in self.items if i.applies and (domain is None or i.domain == domain)]
        return 100.0 * sum(i.met for i in judged) / len(judged) if judged else None

    def counts(self, domain: str) -> tuple[int, int]:
        judged = [i for i in self.items if i.applies and i.domain == domain]
        return sum(i.met for i in judged), len(judged)

    def to_dict(self) -> dict:
        scores = {d: _rounded(self.score(d)) for d in ("understandability", "actionability")}
        return {"pass_score": PASS_SCORE, **scores, "items": [i.to_dict() for i in self.items]}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def judge(guide: Guide, passages: list[Passage], uses: dict[str, TermUse]) -> Pemat:
    language = guide.config.language
    words = PEMAT_WORDS.get(primary(language), ENGLISH)
    sentences = [(p, s) for p in passages for s in p.sentences]
    very_short = sum(p.words for p in passages) <= VERY_SHORT_WORDS and _top_paragraphs(guide) <= 2
    return Pemat(
        (
            _medical_terms(uses),
            _active_voice(sentences, language),
            _numbers(sentences, words),
            _calculations(sentences, words),
            _chunks(guide, passages, very_short),
            _headings(guide, passages, very_short, words),
            _summary(guide, very_short, words),
            _visual_cues(guide),
            _action(sentences, words),
            _addressed(sentences, words),
        )
    )


def _top_paragraphs(guide: Guide) -> int:
    return sum(len(s.blocks) - sum(isinstance(b, Heading) for b in s.blocks) for s in guide.sections)


def _where(sentence: Sentence) -> str:
    return f"{sentence.path.name}:{sentence.line}"


def _listed(places: list[str], limit: int = 5) -> str:
    more = f" and {len(places) - limit} more" if len(places) > limit else ""
    return ", ".join(places[:limit]) + more


U, A = "understandability", "actionability"


def _medical_terms(uses: dict[str, TermUse]) -> Item:
    text = "Medical terms are defined"
    if not uses:
        return Item(4, U, text, False, False, "no medical term from the word list is used")
    missing = [
        f'"{u.match.text}" ({u.passage.section.path.name}:{u.passage.locate(u.match.start)[0]})'
        for u in uses.values()
        if not u.defined
    ]
    if missing:
        return Item(4, U, text, True, False, f"not defined: {_listed(missing)}")
    return Item(4, U, text, True, True, f"all {len(uses)} medical terms used are defined")


def _active_voice(sentences: list[tuple[Passage, Sentence]], language: str) -> Item:
    passive = [s for p, s in sentences if passive_spans(p, s.start, s.end, language)]
    share = len(passive) / len(sentences) if sentences else 0.0
    met = share <= PASSIVE_SHARE
    detail = f"{len(passive)} of {len(sentences)} sentences ({share:.0%}) have a passive verb; at most {PASSIVE_SHARE:.0%}"
    return Item(5, U, "The material uses the active voice", bool(sentences), met, detail)


def _numbers(sentences: list[tuple[Passage, Sentence]], words: PematWords) -> Item:
    text = "Numbers are clear (whole numbers, no percentages or fractions)"
    with_numbers = [s for _, s in sentences if re.search(r"\d", s.text)]
    if not with_numbers:
        return Item(6, U, text, False, False, "no numbers")
    hard = [_where(s) for s in with_numbers if words.hard_numbers.search(s.text)]
    if hard:
        return Item(6, U, text, True, False, f"percentages, fractions or decimals at {_listed(hard)}")
    return Item(6, U, text, True, True, f"{len(with_numbers)} sentences with numbers, all whole numbers")


def _calculations(sentences: list[tuple[Passage, Sentence]], words: PematWords) -> Item:
    text = "The reader is not asked to calculate"
    asks = [_where(s) for _, s in sentences if words.calculation.search(s.text)]
    if asks:
        return Item(7, U, text, True, False, f"a calculation is asked for at {_listed(asks)}")
    return Item(7, U, text, True, True, "no sentence asks for a calculation")


def _chunks(guide: Guide, passages: list[Passage], very_short: bool) -> Item:
    text = f"Information is in short sections (at most {CHUNK_WORDS} words under a heading)"
    if very_short:
        return Item(8, U, text, False, False, "very short material")
    long = [
        f"{path.name}:{line} ({words} words)"
        for path, line, words in _chunk_words(guide, passages)
        if words > CHUNK_WORDS
    ]
    if long:
        return Item(8, U, text, True, False, f"long sections at {_listed(long)}")
    return Item(8, U, text, True, True, "every part under a heading is short")


def _chunk_words(guide: Guide, passages: list[Passage]) -> list[tuple]:
    """(file, first line, words) of the prose under each heading; a glossary is a list of its own."""
    chunks = []
    for section in guide.sections:
        if is_glossary(section):
            continue
        starts = [1] + [b.line for b in section.blocks if isinstance(b, Heading)]
        counts = [0] * len(starts)
        for p in passages:
            if p.section is section:
                counts[sum(1 for line in starts[1:] if line < p.line)] += p.words
        chunks += [(section.path, line, words) for line, words in zip(starts, counts, strict=False)]
    return chunks


def _headings(guide: Guide, passages: list[Passage], very_short: bool, words: PematWords) -> Item:
    text = "Sections have informative headings"
    if very_short:
        return Item(9, U, text, False, False, "very short material")
    headings = [s.title for s in guide.sections] + [
        b.text for s in guide.sections for b in iter_blocks(s.blocks) if isinstance(b, Heading)
    ]
    generic = [f'"{h}"' for h in headings if words.generic.match(h.strip())]
    bare = [
        s.path.name
        for s in guide.sections
        if not is_glossary(s)
        and not any(isinstance(b, Heading) for b in s.blocks)
        and sum(p.words for p in passages if p.section is s) > CHUNK_WORDS
    ]
    if generic or bare:
        problems = ([f"generic headings: {_listed(generic)}"] if generic else []) + (
            [f"long sections with no heading inside: {_listed(bare)}"] if bare else []
        )
        return Item(9, U, text, True, False, "; ".join(problems))
    return Item(9, U, text, True, True, f"{len(headings)} headings, none generic")


def _summary(guide: Guide, very_short: bool, words: PematWords) -> Item:
    text = 'The material has a summary (a part headed like "Key points" or "In short")'
    if very_short:
        return Item(11, U, text, False, False, "very short material")
    titles = [(s.path.name, s.title) for s in guide.sections] + [
        (s.path.name, b.text) for s in guide.sections for b in iter_blocks(s.blocks) if isinstance(b, Heading)
    ]
    found = [f'"{title}" ({name})' for name, title in titles if words.summary.search(title)]
    if found:
        return Item(11, U, text, True, True, f"summary: {found[0]}")
    return Item(11, U, text, True, False, "no heading names a summary")


def _visual_cues(guide: Guide) -> Item:
    blocks = [b for s in guide.sections for b in iter_blocks(s.blocks)]
    cues = {
        "lists": any(isinstance(b, ListBlock) for b in blocks),
        "boxed notes": any(isinstance(b, Note) for b in blocks),
        "bold": any(_has_bold(getattr(b, "inlines", ())) for b in blocks),
    }
    used = [name for name, present in cues.items() if present]
    detail = f"uses {', '.join(used)}" if used else "no lists, boxed notes or bold"
    return Item(12, U, "Visual cues (lists, boxes, bold) point to key points", True, bool(used), detail)


def _has_bold(inlines) -> bool:
    return any(isinstance(i, Styled) and (i.style == "strong" or _has_bold(i.children)) for i in inlines)


def is_action(sentence: str, language: PematWords = ENGLISH) -> bool:
    """Whether a sentence tells the reader to do something: "Call us.", "If it hurts, tell us.",
    "You should rest." """
    words = [w.lower() for w in language.token.findall(sentence)]
    while words and words[0] in language.lead_ins:
        words = words[1:]
    if not words:
        return False
    if words[0] in language.if_clause and "," in sentence:
        return is_action(sentence.split(",", 1)[1], language)
    if words[0] in language.imperatives or _negative_command(words, language):
        return True
    return bool(language.must.search(sentence))


def _negative_command(words: list[str], language: PematWords) -> bool:
    """ "Do not drive", "No maneje": a negation and (in Spanish) an imperative after it."""
    negation = list(language.negation)
    if words[: len(negation)] != negation:
        return False
    return len(negation) > 1 or (len(words) > 1 and words[1] in language.imperatives)


def _action(sentences: list[tuple[Passage, Sentence]], words: PematWords) -> Item:
    actions = [s for _, s in sentences if is_action(s.text, words)]
    detail = (
        f"{len(actions)} sentences tell the reader what to do"
        if actions
        else "no sentence tells the reader what to do"
    )
    return Item(20, A, "At least one action the reader can take", True, bool(actions), detail)


def _addressed(sentences: list[tuple[Passage, Sentence]], words: PematWords) -> Item:
    text = 'The reader is addressed as "you"'
    third = [_where(s) for _, s in sentences if words.third_person.search(s.text)]
    you = sum(1 for _, s in sentences if words.you.search(s.text) or is_action(s.text, words))
    if third:
        return Item(21, A, text, True, False, f"the reader is named in the third person at {_listed(third)}")
    if not you:
        return Item(21, A, text, True, False, 'no sentence speaks to the reader as "you"')
    return Item(
        21,
        A,
        text,
        True,
        True,
        f'{you} of {len(sentences)} sentences speak to the reader as "you" or tell them what to do',
    )
