"""Plain-language rules: findings located on the source by line and column, each with a level,
a rule name and a message that says what to do.

Rules (configured in [reading.rules], see config.Rules): long_sentence, hard_sentence,
plain_word, passive_voice, undefined_term, long_paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..config import SEVERITIES, Rules
from ..errors import Problem
from .advice import hard_sentence_advice
from .formulas import FORMULAS, HIGHER_IS_EASIER
from .glossary import defines
from .passive import passive_spans
from .prose import Passage, Sentence
from .wordlist import Entry, Match, WordList


@dataclass(frozen=True)
class Finding(Problem):
    """A located finding. Printed as `path:line:column: severity rule: message`."""

    column: int = 1
    severity: str = "warning"
    rule: str = ""
    text: str = ""  # the words found (the whole sentence or paragraph for those rules)
    suggestion: str = ""  # plainer words, where the rule has them
    start: int = 0  # offsets in the passage's text, for the HTML report
    end: int = 0
    passage: Passage | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{display(self.path)}:{self.line}:{self.column}: {self.severity} {self.rule}: {self.message}"

    def sort_key(self) -> tuple:
        return (str(self.path), self.line or 0, self.column, self.rule)

    def to_dict(self, root: Path | None = None) -> dict:
        data = {
            "file": str(self.path.relative_to(root)) if root and self.path else display(self.path),
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
            "text": self.text,
        }
        if self.suggestion:
            data["suggestion"] = self.suggestion
        return data


def display(path: Path | None) -> str:
    """A path relative to the working folder when it lies inside it, as in every kguide message."""
    if path is None:
        return ""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def level(severity: str, wanted: str) -> str | None:
    """The milder of a rule's configured severity and the level a finding asks for; None if off."""
    if severity not in SEVERITIES:
        return None
    return min(severity, wanted, key=SEVERITIES.index)


@dataclass(frozen=True)
class Context:
    """What the rules need besides the text."""

    rules: Rules
    target: float  # the sentence score's target: Flesch-Kincaid grade, or INFLESZ in Spanish
    words: WordList
    glossary: set[str]
    language: str = "en-US"


def _finding(
    passage: Passage, rule: str, severity: str, message: str, start: int, end: int, **extra
) -> Finding:
    line, column = passage.locate(start)
    return Finding(
        message,
        passage.section.path,
        line,
        column,
        severity,
        rule,
        start=start,
        end=end,
        passage=passage,
        **extra,
    )


def _sentence_finding(
    passage: Passage, sentence: Sentence, rule: str, severity: str, message: str
) -> Finding:
    return Finding(
        message,
        sentence.path,
        sentence.line,
        sentence.column,
        severity,
        rule,
        sentence.text,
        start=sentence.start,
        end=sentence.end,
        passage=passage,
    )


# ---- sentences and paragraphs ------------------------------------------------------------------


def long_sentence(passage: Passage, sentence: Sentence, ctx: Context) -> list[Finding]:
    rule = ctx.rules.long_sentence
    count = sentence.figures.words
    if count > rule.error_above:
        severity, limit = level(rule.severity, "error"), rule.error_above
    elif count > rule.warning_above:
        severity, limit = level(rule.severity, "warning"), rule.warning_above
    else:
        return []
    if severity is None:
        return []
    message = f"{count} words in one sentence (more than {limit}): split it"
    return [_sentence_finding(passage, sentence, "long_sentence", severity, message)]


# A score where higher is easier (INFLESZ) is judged in points: this many per grade of the
# rule's hard_above_target and very_hard_above_target (4 and 8 grades: 20 and 40 points below
# the target, so INFLESZ 45 is hard and 25 very hard against the target 65).
POINTS_PER_GRADE = 5.0


def hard_sentence(passage: Passage, sentence: Sentence, ctx: Context) -> list[Finding]:
    rule = ctx.rules.hard_sentence
    formula = sentence.formula
    if formula is None or sentence.figures.words < rule.min_words:
        return []
    # Past the target by this much, in grades (a score where higher is easier: in points / 5)
    past = sentence.score - ctx.target
    if formula in HIGHER_IS_EASIER:
        past = -past / POINTS_PER_GRADE
    if past > rule.very_hard_above_target:
        severity, how = level(rule.severity, "error"), "very hard"
    elif past > rule.hard_above_target:
        severity, how = level(rule.severity, "warning"), "hard"
    else:
        return []
    if severity is None:
        return []
    advice = hard_sentence_advice(sentence.text, language=ctx.language)
    if formula == "flesch_kincaid_grade":
        message = f"{how} to read: grade {sentence.score:.1f} (target {ctx.target:g}): {advice}"
    else:
        least = "at least " if formula in HIGHER_IS_EASIER else ""
        score = f"{FORMULAS[formula]} {sentence.score:.0f} (target {least}{ctx.target:g})"
        message = f"{how} to read: {score}: {advice}"
    return [_sentence_finding(passage, sentence, "hard_sentence", severity, message)]


def long_paragraph(passage: Passage, ctx: Context) -> list[Finding]:
    rule = ctx.rules.long_paragraph
    severity = level(rule.severity, "error")
    if severity is None or passage.words <= rule.max_words:
        return []
    message = f"{passage.words} words in one paragraph (more than {rule.max_words}): break it up"
    first = passage.sentences[0]
    return [
        Finding(
            message,
            first.path,
            first.line,
            first.column,
            severity,
            "long_paragraph",
            passage.sentences[0].text,
            start=first.start,
            end=passage.sentences[-1].end,
            passage=passage,
        )
    ]


# ---- passive voice -------------------------------------------------------------------------------


def passive_voice(passage: Passage, sentence: Sentence, ctx: Context) -> list[Finding]:
    severity = level(ctx.rules.passive_voice.severity, "error")
    if severity is None:
        return []
    found = []
    for start, end in passive_spans(passage, sentence.start, sentence.end, ctx.language):
        words = " ".join(passage.text[start:end].split())
        message = f'passive voice "{words}": say who does it, if you can'
        found.append(_finding(passage, "passive_voice", severity, message, start, end, text=words))
    return found


# ---- words: plain swaps and medical terms ------------------------------------------------------


def plain_word(passage: Passage, matches: list[Match], ctx: Context) -> list[Finding]:
    severity = level(ctx.rules.plain_word.severity, "error")
    if severity is None:
        return []
    found = []
    for match in matches:
        entry = match.entry
        if not entry.plain or (entry.medical and defines(ctx.glossary, entry.key)):
            continue  # a medical term the glossary defines may stay: the guide teaches it
        plain = _same_case(match.text, entry.plain)
        message = f'use "{plain}" instead of "{match.text}"'
        if entry.medical:
            message = f'medical term: use "{plain}" instead of "{match.text}", or define it in the glossary'
        found.append(
            _finding(
                passage,
                "plain_word",
                severity,
                message,
                match.start,
                match.end,
                text=match.text,
                suggestion=plain,
            )
        )
    return found


def _same_case(found: str, plain: str) -> str:
    """ "Prior to" -> "Before": a swap at the start of a sentence starts with a capital too."""
    if found[:1].isupper() and not found.isupper() and plain[:1].islower():
        return plain[:1].upper() + plain[1:]
    return plain


@dataclass(frozen=True)
class TermUse:
    """The first use of a medical term in the guide, and whether the guide explains it."""

    entry: Entry
    passage: Passage
    match: Match
    in_glossary: bool
    explained_here: bool

    @property
    def defined(self) -> bool:
        return self.in_glossary or self.explained_here


# A term explained where it is used: "dissociation, which is ...", "an IV is a thin tube",
# "PTSD, a problem that ...", "a thin tube (a catheter)", "this is called fasting".
_EXPLAINED_AFTER = re.compile(
    r"^\s*(\(|,\s*(which|that)\s+(is|are|means)\b|,\s*(a|an|the)\s|,?\s*(is|are|means)\s+(a|an|the|when|how|what)\b|:)",
    re.IGNORECASE,
)
_EXPLAINED_BEFORE = re.compile(r"\b(called|known as|named|\(|meaning)\s*$", re.IGNORECASE)
# In Spanish: "la ketamina, que es ...", "la disociación, es decir ...", "un catéter (un tubo
# fino)", "la ketamina es un medicamento ...", "esto se llama ayuno", "un tubo llamado catéter".
_EXPLAINED_AFTER_ES = re.compile(
    r"^\s*(\(|,\s*(que|lo que)\s+(es|son|significa|quiere decir)\b|,\s*(es decir|o sea)\b"
    r"|,\s*(un|una|el|la|los|las)\s|,?\s*(es|son|significa|quiere decir)\s+(un|una|el|la|cuando|lo que|que)\b|:)",
    re.IGNORECASE,
)
_EXPLAINED_BEFORE_ES = re.compile(
    r"\b(se llama|se llaman|llamad[oa]s?|conocid[oa]s? como|\(|es decir)\s*$", re.IGNORECASE
)
_EXPLAINED = {"es": (_EXPLAINED_AFTER_ES, _EXPLAINED_BEFORE_ES)}


def first_uses(
    passages: list[Passage], words: WordList, glossary: set[str], language: str = "en"
) -> dict[str, TermUse]:
    """The first use of each medical term, in guide order."""
    after, before = _EXPLAINED.get(language, (_EXPLAINED_AFTER, _EXPLAINED_BEFORE))
    uses: dict[str, TermUse] = {}
    for passage in passages:
        for match in words.find(passage.text, passage.tokens):
            entry = match.entry
            if not entry.medical or entry.key in uses:
                continue
            explained = bool(
                after.match(passage.text[match.end :]) or before.search(passage.text[: match.start])
            )
            uses[entry.key] = TermUse(entry, passage, match, defines(glossary, entry.key), explained)
    return uses


def undefined_term(uses: dict[str, TermUse], ctx: Context) -> list[Finding]:
    """Medical terms without a plain swap that the guide never explains: found at first use.
    (A term with a swap is the plain_word rule's: swapping it is the better fix.)"""
    severity = level(ctx.rules.undefined_term.severity, "error")
    if severity is None:
        return []
    found = []
    for use in uses.values():
        if use.defined or use.entry.plain:
            continue
        text = use.match.text
        message = f'medical term "{text}" is not explained: say what it means here, or add it to the glossary'
        found.append(
            _finding(
                use.passage, "undefined_term", severity, message, use.match.start, use.match.end, text=text
            )
        )
    return found


def find_all(passages: list[Passage], ctx: Context) -> tuple[list[Finding], dict[str, TermUse]]:
    """Every finding of every rule over the guide's passages, in source order."""
    found: list[Finding] = []
    for passage in passages:
        found += long_paragraph(passage, ctx)
        for sentence in passage.sentences:
            found += long_sentence(passage, sentence, ctx)
            found += hard_sentence(passage, sentence, ctx)
            found += passive_voice(passage, sentence, ctx)
        found += plain_word(passage, ctx.words.find(passage.text, passage.tokens), ctx)
    uses = first_uses(passages, ctx.words, ctx.glossary, ctx.words.language)
    found += undefined_term(uses, ctx)
    return sorted(found, key=Finding.sort_key), uses
