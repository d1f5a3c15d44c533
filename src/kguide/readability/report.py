"""Reading-level check of a Guide: per-section and whole-guide figures against the guide's targets
and hard limits, and the hardest sentences located on their source lines.

What is scored: the prose of paragraphs, list items (each item is at least one sentence) and
call-out notes. Headings and image alt text are not scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import FormulaLimits
from ..guide import Figure, Guide, Heading, ListBlock, Note, Paragraph, Section
from .formulas import EMPTY, FORMULAS, HIGHER_IS_EASIER, Figures, measure_sentence
from .text import split_sentences

SCOPE_NOTE = (
    "Scored: paragraphs, list items (each item at least one sentence) and notes. "
    "Not scored: headings, image alt text, URLs, e-mail addresses and phone numbers."
)


@dataclass(frozen=True)
class Sentence:
    text: str
    path: Path
    line: int
    figures: Figures

    @property
    def grade(self) -> float:
        """Flesch-Kincaid grade of this one sentence, to rank the hardest."""
        return self.figures.flesch_kincaid_grade


@dataclass(frozen=True)
class Verdict:
    formula: str
    value: float
    target: float | None
    limit: float | None
    status: str  # "pass", "warn" or "fail"


@dataclass(frozen=True)
class SectionReading:
    section: Section
    figures: Figures
    verdicts: tuple[Verdict, ...]
    sentences: tuple[Sentence, ...]

    @property
    def status(self) -> str:
        return _worst(v.status for v in self.verdicts)


@dataclass(frozen=True)
class ReadingReport:
    sections: tuple[SectionReading, ...]
    figures: Figures
    verdicts: tuple[Verdict, ...]

    @property
    def status(self) -> str:
        return _worst([v.status for v in self.verdicts] + [s.status for s in self.sections])

    @property
    def failed(self) -> bool:
        return self.status == "fail"

    def hardest(self, count: int = 5, min_words: int = 5, above: float | None = None) -> list[Sentence]:
        """The hardest sentences by their own grade; `above` keeps only those past that grade."""
        pool = [
            s for r in self.sections for s in r.sentences
            if s.figures.words >= min_words and (above is None or s.grade > above)
        ]
        return sorted(pool, key=lambda s: s.grade, reverse=True)[:count]

    def to_dict(self, root: Path | None = None) -> dict:
        def where(path: Path) -> str:
            return str(path.relative_to(root)) if root else str(path)

        return {
            "status": self.status,
            "scope": SCOPE_NOTE,
            "guide": {"figures": self.figures.to_dict(), "verdicts": [_verdict(v) for v in self.verdicts]},
            "sections": [
                {
                    "file": where(r.section.path),
                    "title": r.section.title,
                    "status": r.status,
                    "figures": r.figures.to_dict(),
                    "verdicts": [_verdict(v) for v in r.verdicts],
                }
                for r in self.sections
            ],
            "hardest_sentences": [
                {"file": where(s.path), "line": s.line, "grade": round(s.grade, 1), "text": s.text}
                for s in self.hardest()
            ],
        }


def _verdict(v: Verdict) -> dict:
    return {
        "formula": v.formula,
        "value": round(v.value, 2),
        "target": v.target,
        "limit": v.limit,
        "status": v.status,
    }


_ORDER = {"pass": 0, "warn": 1, "fail": 2}


def _worst(statuses) -> str:
    return max(statuses, key=_ORDER.__getitem__, default="pass")


def section_sentences(section: Section) -> list[Sentence]:
    """Every scored sentence of a section, with its source line."""
    out: list[Sentence] = []

    def add_text(text: str, line: int) -> None:
        for span in split_sentences(text):
            figures = measure_sentence(span.text)
            if figures.words:
                sentence_line = line + text[: span.start].count("\n")
                out.append(Sentence(" ".join(span.text.split()), section.path, sentence_line, figures))

    def walk(blocks) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                add_text(block.text, block.line)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    walk(item.blocks)
            elif isinstance(block, Note):
                walk(block.blocks)
            elif isinstance(block, Heading | Figure):
                continue

    walk(section.blocks)
    return out


def _judge(figures: Figures, targets: FormulaLimits, limits: FormulaLimits) -> tuple[Verdict, ...]:
    verdicts = []
    for formula in FORMULAS:
        value = figures.value(formula)
        target = getattr(targets, formula)
        limit = getattr(limits, formula)

        def past(bound: float | None) -> bool:
            if bound is None:
                return False
            return value < bound if formula in HIGHER_IS_EASIER else value > bound

        status = "fail" if past(limit) else "warn" if past(target) else "pass"
        verdicts.append(Verdict(formula, value, target, limit, status))
    return tuple(verdicts)


def check_guide(guide: Guide) -> ReadingReport:
    reading = guide.config.reading
    sections = []
    total = EMPTY
    for section in guide.sections:
        sentences = section_sentences(section)
        figures = EMPTY
        for s in sentences:
            figures = figures + s.figures
        total = total + figures
        sections.append(
            SectionReading(section, figures, _judge(figures, reading.targets, reading.limits), tuple(sentences))
        )
    return ReadingReport(tuple(sections), total, _judge(total, reading.targets, reading.limits))


def format_table(report: ReadingReport, root: Path | None = None) -> str:
    """A plain-text table: one row per section and one for the whole guide."""
    header = f"{'section':<34} {'words':>6} {'w/sent':>6} {'FK grade':>9} {'SMOG':>6} {'ease':>6}  status"
    lines = [header, "-" * len(header)]

    def row(name: str, figures: Figures, verdicts, status: str) -> str:
        marks = {v.formula: _mark(v) for v in verdicts}
        return (
            f"{name[:34]:<34} {figures.words:>6} {figures.words_per_sentence:>6.1f} "
            f"{figures.flesch_kincaid_grade:>8.1f}{marks['flesch_kincaid_grade']} "
            f"{figures.smog_grade:>5.1f}{marks['smog_grade']} "
            f"{figures.flesch_reading_ease:>5.0f}{marks['flesch_reading_ease']}  {status}"
        )

    for r in report.sections:
        lines.append(row(r.section.path.name, r.figures, r.verdicts, r.status))
    lines.append("-" * len(header))
    lines.append(row("whole guide", report.figures, report.verdicts, report.status))
    targets = "; ".join(_bounds(v) for v in report.verdicts)
    lines.append(f"targets and limits: {targets}")
    lines.append("(* past target: warning; ! past hard limit: fails the build)")
    return "\n".join(lines)


def _mark(v: Verdict) -> str:
    return {"pass": " ", "warn": "*", "fail": "!"}[v.status]


def _bounds(v: Verdict) -> str:
    word = "at least" if v.formula in HIGHER_IS_EASIER else "at most"
    parts = []
    if v.target is not None:
        parts.append(f"target {word} {v.target:g}")
    if v.limit is not None:
        parts.append(f"limit {v.limit:g}")
    return f"{FORMULAS[v.formula]} " + (", ".join(parts) if parts else "not checked")
