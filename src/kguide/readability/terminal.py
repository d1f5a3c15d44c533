"""The reading check on a terminal: finding lines, and a table that fits the terminal's width,
in colour when the terminal shows colour (never when piped or with NO_COLOR)."""

from __future__ import annotations

import textwrap

from ..config import SEVERITIES
from .formulas import FORMULAS, HIGHER_IS_EASIER, Figures, band
from .pemat import PASS_SCORE, Pemat
from .report import FORMULA_SOURCES, SCOPE_NOTE, ReadingReport, Verdict

COLOURS = {
    "error": "red",
    "warning": "yellow",
    "suggestion": "cyan",
    "fail": "red",
    "warn": "yellow",
    "pass": "green",
}
_NUMBERS = 56  # width of the table's number columns, after the section name
# Each formula's column: heading, width, number format.
COLUMNS = {
    "flesch_kincaid_grade": ("FK grade", 9, ".1f"),
    "smog_grade": ("SMOG", 6, ".1f"),
    "flesch_reading_ease": ("ease", 6, ".0f"),
    "fernandez_huerta": ("F-Huerta", 9, ".0f"),
    "inflesz": ("INFLESZ", 8, ".0f"),
}
_ANSI = {"red": 31, "green": 32, "yellow": 33, "cyan": 36}


def paint(text: str, colour: str | None, color: bool) -> str:
    return f"\x1b[{_ANSI[colour]}m{text}\x1b[0m" if color and colour else text


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def format_findings(report: ReadingReport, min_level: str = "suggestion", color: bool = False) -> str:
    """One line per finding at `min_level` or above: `path:line:col: severity rule: message`.
    Lines are never wrapped: editors and CI read them as they are."""
    floor = SEVERITIES.index(min_level)
    lines = []
    for f in report.findings:
        if SEVERITIES.index(f.severity) >= floor:
            line = str(f)
            lines.append(
                line.replace(f" {f.severity} ", " " + paint(f.severity, COLOURS[f.severity], color) + " ", 1)
            )
    return "\n".join(lines)


def format_table(report: ReadingReport, width: int = 100, color: bool = False) -> str:
    """A table of one row per section and one for the whole guide, then the bounds, the PEMAT
    scores and the count of findings, all within `width` columns."""
    name = max(16, min(34, width - _NUMBERS - 1))
    columns = " ".join(f"{COLUMNS[f][0]:>{COLUMNS[f][1]}}" for f in report.figures.formulas)
    header = f"{'section':<{name}} {'words':>6} {'w/sent':>6} {columns}  {'e/w/s':>8}  status"
    lines = [header, "-" * min(len(header), width)]
    for r in report.sections:
        lines.append(_row(r.section.path.name, name, r.figures, r.verdicts, r.findings, r.status, color))
    lines.append("-" * min(len(header), width))
    lines.append(
        _row("whole guide", name, report.figures, report.verdicts, report.findings, report.status, color)
    )
    bounds = "; ".join(_bounds(v) for v in report.verdicts) or "none: no reading formulas for this language"
    notes = list(report.notes) + [
        "targets and limits: " + bounds,
        "(* past target: warning; ! past hard limit: fails the build; e/w/s: findings at error, warning, "
        "suggestion level)",
        SCOPE_NOTE,
    ]
    if report.pemat:
        notes += _pemat_lines(report.pemat)
    accepted = f"; {len(report.accepted)} accepted in the source" if report.accepted else ""
    notes.append(
        f"findings: {plural(report.count('error'), 'error')}, {plural(report.count('warning'), 'warning')}, "
        f"{plural(report.count('suggestion'), 'suggestion')}{accepted}"
    )
    for note in notes:
        indent = "  " if note.startswith("  ") else ""
        lines += textwrap.wrap(
            note, width, subsequent_indent=indent + "  ", break_long_words=False, break_on_hyphens=False
        ) or [""]
    return "\n".join(lines)


def _row(name: str, size: int, figures: Figures, verdicts, findings, status: str, color: bool) -> str:
    marks = {v.formula: _mark(v) for v in verdicts}
    counts = "/".join(str(sum(1 for f in findings if f.severity == s)) for s in reversed(SEVERITIES))
    shown = name if len(name) <= size else name[: size - 1] + "\u2026"
    values = " ".join(
        f"{figures.value(f):>{COLUMNS[f][1] - 1}{COLUMNS[f][2]}}{marks.get(f, ' ')}" for f in figures.formulas
    )
    return (
        f"{shown:<{size}} {figures.words:>6} {figures.words_per_sentence:>6.1f} "
        f"{values}  {counts:>8}  " + paint(status, COLOURS[status], color)
    )


def figures_summary(figures: Figures) -> str:
    """The reading figures for a one-line build summary: "Flesch-Kincaid grade 5.2, SMOG 7.1"
    in English, "INFLESZ 72 (bastante fácil), Fernandez-Huerta 76" in Spanish."""
    if figures.language == "en":
        return f"Flesch-Kincaid grade {figures.flesch_kincaid_grade:.1f}, SMOG {figures.smog_grade:.1f}"
    parts = []
    for formula in sorted(figures.formulas, key=lambda f: f != "inflesz"):
        named = band(formula, figures.value(formula)) if formula == "inflesz" else ""
        parts.append(f"{FORMULAS[formula]} {figures.value(formula):.0f}" + (f" ({named})" if named else ""))
    return ", ".join(parts) or f"no reading formulas for {figures.language}"


def _pemat_lines(pemat: Pemat) -> list[str]:
    parts = []
    for domain in ("understandability", "actionability"):
        met, judged = pemat.counts(domain)
        score = pemat.score(domain)
        parts.append(
            f"{domain} {score:.0f}% ({met} of {plural(judged, 'item')})"
            if score is not None
            else f"{domain}: no item applies"
        )
    lines = [f"PEMAT-P, items kguide can judge: {', '.join(parts)}; {PASS_SCORE:.0f}% or more passes"]
    lines += [
        f"  item {i.number} not met: {i.text}: {i.detail}" for i in pemat.items if i.applies and not i.met
    ]
    return lines


def _mark(v: Verdict) -> str:
    return {"pass": " ", "warn": "*", "fail": "!"}[v.status]


def _bounds(v: Verdict) -> str:
    word = "at least" if v.formula in HIGHER_IS_EASIER else "at most"
    parts = []
    if v.target is not None:
        parts.append(f"target {word} {v.target:g}")
    if v.limit is not None:
        parts.append(f"limit {v.limit:g}")
    name = f"{FORMULAS[v.formula]} ({FORMULA_SOURCES[v.formula]})"
    named = band(v.formula, v.value)
    now = f" (now {v.value:.0f}, {named})" if named else ""
    return f"{name} " + (", ".join(parts) if parts else "not checked") + now
