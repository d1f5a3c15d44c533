"""Reading-level check of a Guide: per-section and whole-guide figures against the guide's targets
and hard limits, plain-language findings located on the source, and the PEMAT items a program
can judge.

What is scored: the prose of paragraphs, list items (each item is at least one sentence) and
call-out notes. Headings and image alt text are not scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import SEVERITIES, FormulaLimits, Reading
from ..errors import Problem, ReadingLevelError, StrictError
from ..model import Guide, Section
from .formulas import EMPTY, FORMULAS, HIGHER_IS_EASIER, Figures
from .glossary import glossary_terms
from .pemat import Pemat, judge
from .prose import Passage, Sentence, SourceFile, passages
from .rules import DEFAULT_TARGET, Context, Finding, display, find_all
from .wordlist import guide_word_list

__all__ = [
    "ReadingReport",
    "Sentence",
    "check_guide",
    "reading_failure",
    "section_sentences",
    "strict_failure",
]

SCOPE_NOTE = (
    "Scored: paragraphs, list items (each item at least one sentence) and notes. "
    "Not scored: headings, image alt text, URLs, e-mail addresses and phone numbers."
)
FORMULA_SOURCES = {
    "flesch_kincaid_grade": "Kincaid et al. 1975",
    "smog_grade": "McLaughlin 1969; preferred for health text",
    "flesch_reading_ease": "Flesch 1948",
}


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
    findings: tuple[Finding, ...] = ()

    @property
    def status(self) -> str:
        return _worst([v.status for v in self.verdicts] + [_finding_status(f) for f in self.findings])


@dataclass(frozen=True)
class ReadingReport:
    sections: tuple[SectionReading, ...]
    figures: Figures
    verdicts: tuple[Verdict, ...]
    findings: tuple[Finding, ...] = ()
    accepted: tuple[Finding, ...] = ()
    pemat: Pemat | None = None
    passages: tuple[Passage, ...] = ()

    @property
    def status(self) -> str:
        return _worst([v.status for v in self.verdicts] + [s.status for s in self.sections])

    @property
    def failed(self) -> bool:
        """Above a hard limit, or a finding at error level: the build fails."""
        return self.status == "fail"

    @property
    def above_limit(self) -> bool:
        return any(v.status == "fail" for v in self.verdicts) or any(
            v.status == "fail" for s in self.sections for v in s.verdicts
        )

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def hardest(self, count: int = 5, min_words: int = 5, above: float | None = None) -> list[Sentence]:
        """The hardest sentences by their own grade; `above` keeps only those past that grade."""
        pool = [
            s
            for r in self.sections
            for s in r.sentences
            if s.figures.words >= min_words and (above is None or s.grade > above)
        ]
        return sorted(pool, key=lambda s: s.grade, reverse=True)[:count]

    def to_dict(self, root: Path | None = None) -> dict:
        def where(path: Path) -> str:
            return str(path.relative_to(root)) if root else display(path)

        return {
            "status": self.status,
            "scope": SCOPE_NOTE,
            "counts": {s: self.count(s) for s in reversed(SEVERITIES)} | {"accepted": len(self.accepted)},
            "whole_guide": {
                "figures": self.figures.to_dict(),
                "verdicts": [_verdict(v) for v in self.verdicts],
            },
            "sections": [_section_dict(r, where) for r in self.sections],
            "findings": [f.to_dict(root) for f in self.findings],
            "accepted": [f.to_dict(root) for f in self.accepted],
            "pemat": self.pemat.to_dict() if self.pemat else None,
            "hardest_sentences": [
                {"file": where(s.path), "line": s.line, "grade": round(s.grade, 1), "text": s.text}
                for s in self.hardest()
            ],
        }


def _section_dict(r: SectionReading, where) -> dict:
    return {
        "file": where(r.section.path),
        "title": r.section.title,
        "status": r.status,
        "figures": r.figures.to_dict(),
        "verdicts": [_verdict(v) for v in r.verdicts],
        "sentences": [
            {
                "line": s.line,
                "column": s.column,
                "grade": round(s.grade, 2),
                **_counts(s.figures),
                "text": s.text,
            }
            for s in r.sentences
        ],
    }


def _counts(f: Figures) -> dict:
    return {"words": f.words, "syllables": f.syllables, "polysyllables": f.polysyllables}


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


def _finding_status(finding: Finding) -> str:
    return {"error": "fail", "warning": "warn"}.get(finding.severity, "pass")


def section_sentences(section: Section) -> list[Sentence]:
    """Every scored sentence of a section, with its source line."""
    return [s for p in passages(section) for s in p.sentences]


def _judge(figures: Figures, targets: FormulaLimits, limits: FormulaLimits) -> tuple[Verdict, ...]:
    verdicts = []
    for formula in FORMULAS:
        value = figures.value(formula)
        target = getattr(targets, formula)
        limit = getattr(limits, formula)
        status = (
            "fail" if _past(formula, value, limit) else "warn" if _past(formula, value, target) else "pass"
        )
        verdicts.append(Verdict(formula, value, target, limit, status))
    return tuple(verdicts)


def _past(formula: str, value: float, bound: float | None) -> bool:
    if bound is None:
        return False
    return value < bound if formula in HIGHER_IS_EASIER else value > bound


def check_guide(guide: Guide) -> ReadingReport:
    """Measure, apply the rules and judge the PEMAT items; raise GuideError on a bad word list
    or accept comment."""
    reading = guide.config.reading
    by_section: list[tuple[Section, list[Passage]]] = []
    for section in guide.sections:
        by_section.append((section, passages(section, SourceFile(section), language=guide.config.language)))
    accepts = {s.path: s.accepts for s in guide.sections}
    every = [p for _, found in by_section for p in found]
    target = reading.targets.flesch_kincaid_grade
    glossary = glossary_terms(guide)
    context = Context(
        reading.rules, DEFAULT_TARGET if target is None else target, guide_word_list(guide), glossary
    )
    found, uses = find_all(every, context)
    kept, accepted = [], []
    for f in found:
        (accepted if any(a.covers(f.line, f.rule) for a in accepts.get(f.path, ())) else kept).append(f)
    # A sentence an editor accepted as hard or long is kept as it is and left out of the scores:
    # otherwise the accept comment could never lift a section back under its hard limit.
    left_out = {(f.path, f.line, f.start) for f in accepted if f.rule in SENTENCE_RULES}
    sections = [
        _section_reading(section, found_here, kept, reading, left_out) for section, found_here in by_section
    ]
    total = EMPTY
    for r in sections:
        total = total + r.figures
    return ReadingReport(
        tuple(sections),
        total,
        _judge(total, reading.targets, reading.limits),
        tuple(kept),
        tuple(accepted),
        judge(guide, every, uses),
        tuple(every),
    )


SENTENCE_RULES = ("hard_sentence", "long_sentence")  # an accepted one leaves its sentence out of the scores


def _section_reading(
    section: Section, found: list[Passage], findings: list[Finding], reading: Reading, left_out: set
) -> SectionReading:
    sentences = tuple(s for p in found for s in p.sentences if (s.path, s.line, s.start) not in left_out)
    figures = EMPTY
    for s in sentences:
        figures = figures + s.figures
    mine = tuple(f for f in findings if f.path == section.path)
    return SectionReading(section, figures, _judge(figures, reading.targets, reading.limits), sentences, mine)


# ---- failure -------------------------------------------------------------------------------------


def reading_failure(report: ReadingReport, guide: Guide, with_findings: bool = True) -> ReadingLevelError:
    """The error that stops a build: the findings at error level (with the hard sentences, when
    the guide is above a hard limit), each limit passed, and a line that sums them up.
    `with_findings=False` leaves the findings out, for `kguide check`, which prints them already."""
    problems: list[Problem] = []
    if with_findings:
        problems += [
            f
            for f in report.findings
            if f.severity == "error" or (report.above_limit and f.rule == "hard_sentence")
        ]
    for verdict in report.verdicts:
        if verdict.status == "fail":
            problems.append(
                Problem(
                    f"the whole guide reads above its hard limit: {_past_limit(verdict)}",
                    guide.folder / "guide.toml",
                )
            )
    for section in report.sections:
        for verdict in section.verdicts:
            if verdict.status == "fail":
                problems.append(
                    Problem(
                        f"section reads above its hard limit: {_past_limit(verdict)}", section.section.path
                    )
                )
    errors = report.count("error")
    if errors:
        problems.append(
            Problem(
                f"{errors} finding{'s' if errors != 1 else ''} at error level: fix them, or accept one "
                "with <!-- kguide: accept RULE --> in its paragraph",
                guide.folder,
            )
        )
    return ReadingLevelError(problems)


def strict_failure(report: ReadingReport, guide: Guide) -> StrictError | None:
    """In strict mode, the warnings that fail the build (None when there are none)."""
    problems: list[Problem] = [f for f in report.findings if f.severity == "warning"]
    scopes = [("the whole guide", guide.folder / "guide.toml", report.verdicts)] + [
        ("section", s.section.path, s.verdicts) for s in report.sections
    ]
    for scope, path, verdicts in scopes:
        for v in verdicts:
            if v.status == "warn":
                bound = f"target {v.target:g}"
                problems.append(
                    Problem(
                        f"{scope} is past its target: {FORMULAS[v.formula]} {v.value:.1f} ({bound})", path
                    )
                )
    if not problems:
        return None
    count = len(problems)
    problems.append(
        Problem(
            f"strict mode: {count} warning{'s' if count != 1 else ''} fail{'s' if count == 1 else ''} the build",
            guide.folder,
        )
    )
    return StrictError(problems)


def _past_limit(verdict: Verdict) -> str:
    return f"{FORMULAS[verdict.formula]} {verdict.value:.1f} (limit {verdict.limit:g})"
