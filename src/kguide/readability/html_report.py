"""The reading report as one self-contained HTML page (no scripts, no outside files), so an
editor can open it from disk: figures per section against the targets; the guide's text with
hard and very hard sentences highlighted and each finding shown on hover; every finding listed
with a link to its place; and the PEMAT items.
"""

from __future__ import annotations

from html import escape
from itertools import pairwise
from pathlib import Path

from markupsafe import Markup

from ..config import SEVERITIES
from ..locale.strings import Strings, languages, primary, strings_for
from ..model import Figure, Guide, Heading, ListBlock, Note, Paragraph
from .formulas import FORMULAS, HIGHER_IS_EASIER, band
from .pemat import PASS_SCORE
from .prose import Passage, Sentence
from .report import SCOPE_NOTE, ReadingReport, Verdict
from .reportfile import GENERATOR, REPORT_NAME, written_by_kguide
from .rules import Finding

__all__ = ["REPORT_NAME", "render", "write", "written_by_kguide"]

SENTENCE_RULES = {"long_sentence", "hard_sentence", "long_paragraph"}

_STYLE = """
body { font: 17px/1.55 system-ui, sans-serif; color: #1a1a1a; max-width: 60em; margin: 2em auto; padding: 0 1em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #135e1a; } .warn { color: #7a5200; } .fail { color: #a40000; font-weight: bold; }
.s.hard { background: #fff1a8; } .s.very-hard { background: #ffc4c4; }
.s.long { text-decoration: underline wavy #b35900; text-decoration-skip-ink: none; }
mark { background: none; color: inherit; border-bottom: 3px solid; cursor: help; }
mark.plain_word { border-color: #7b3fb8; } mark.passive_voice { border-color: #1f63c6; }
mark.undefined_term { border-color: #d46a00; border-bottom-style: dotted; }
p.long_paragraph { border-left: 4px solid #b35900; padding-left: 0.5em; }
aside.note { border: 2px solid #444; padding: 0 0.8em; margin: 1em 0; }
.legend span { margin-right: 1em; padding: 0 0.3em; }
article { border-top: 1px solid #ccc; margin-top: 2em; }
.where { font-family: ui-monospace, monospace; font-size: 0.9em; white-space: nowrap; }
"""


def write(report: ReadingReport, guide: Guide, path: Path, listening: str = "") -> None:
    path.write_text(render(report, guide, listening), encoding="utf-8")


def render(report: ReadingReport, guide: Guide, listening: str = "") -> str:
    """`listening`: the "Listening check" part (HTML, from kguide.listen), when there is one."""
    ids = {id(f): f"f{n}" for n, f in enumerate(report.findings, start=1)}
    # an editor's report: in English for a language kguide has no phrases for
    t = strings_for(guide.config.language if primary(guide.config.language) in languages() else "en")
    title = escape(t("report_title", title=guide.config.title))
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(guide.config.language)}"><head><meta charset="utf-8">'
        f'<meta name="generator" content="{GENERATOR}">',
        f"<title>{title}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{title}</h1>",
        _summary(report, t),
        _figures(report, t),
        _text(report, guide, ids, t),
        _findings(report, guide, ids, t),
        _pemat(report, t),
        listening,
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _summary(report: ReadingReport, t: Strings) -> str:
    counts = ", ".join(t(f"report_count_{s}", count=report.count(s)) for s in reversed(SEVERITIES))
    accepted = t("report_accepted_count", count=len(report.accepted)) if report.accepted else ""
    status = f'<strong class="{report.status}">{escape(t("report_" + report.status))}</strong>'
    return (
        f"<p>{t.html('report_status', status=Markup(status), counts=counts + accepted)}</p>"
        + "".join(f"<p>{escape(note)}</p>" for note in report.notes)
        + f"<p>{escape(SCOPE_NOTE)}</p>"
        f'<p class="legend">{escape(t.report_in_the_text)} <span class="s hard">{escape(t.report_hard)}</span>'
        f'<span class="s very-hard">{escape(t.report_very_hard)}</span><span class="s long">{escape(t.report_long)}</span>'
        f'<mark class="plain_word">{escape(t.report_plain_word)}</mark> <mark class="passive_voice">{escape(t.report_passive)}</mark> '
        f'<mark class="undefined_term">{escape(t.report_term)}</mark>. {escape(t.report_hover)}</p>'
    )


def _figures(report: ReadingReport, t: Strings) -> str:
    head = "".join(f"<th>{escape(FORMULAS[f])}</th>" for f in report.figures.formulas)
    rows = [_figure_row(r.section.path.name, r.figures, r.verdicts, r.status, t) for r in report.sections] + [
        _figure_row(t.report_whole_guide, report.figures, report.verdicts, report.status, t)
    ]
    bounds = "".join(f"<td>{escape(_bound(v, t))}</td>" for v in report.verdicts)
    columns = (t.report_section, t.report_words, t.report_words_per_sentence)
    return (
        f"<h2>{escape(t.report_figures)}</h2><table><tr>{''.join(f'<th>{escape(c)}</th>' for c in columns)}"
        f"{head}<th>{escape(t.report_status_column)}</th></tr>{''.join(rows)}"
        f"<tr><td>{escape(t.report_target_limit)}</td><td></td><td></td>{bounds}<td></td></tr></table>"
    )


def _figure_row(name: str, figures, verdicts: tuple[Verdict, ...], status: str, t: Strings) -> str:
    cells = "".join(
        f'<td class="n {v.status}">{v.value:.{0 if v.formula in HIGHER_IS_EASIER else 1}f}'
        f"{f' ({band(v.formula, v.value)})' if band(v.formula, v.value) else ''}</td>"
        for v in verdicts
    )
    return (
        f"<tr><td>{escape(name)}</td><td class='n'>{figures.words}</td>"
        f"<td class='n'>{figures.words_per_sentence:.1f}</td>{cells}<td class='{status}'>{escape(t('report_' + status))}</td></tr>"
    )


def _bound(v: Verdict, t: Strings) -> str:
    key = "report_at_least" if v.formula in HIGHER_IS_EASIER else "report_at_most"
    target = t(key, value=f"{v.target:g}") if v.target is not None else t.report_no_target
    return target + (t("report_limit", value=f"{v.limit:g}") if v.limit is not None else "")


def _pemat(report: ReadingReport, t: Strings) -> str:
    pemat = report.pemat
    if pemat is None:
        return ""
    scores = []
    for domain in ("understandability", "actionability"):
        score = pemat.score(domain)
        met, judged = pemat.counts(domain)
        name = t("report_" + domain)
        scores.append(
            t("report_pemat_score", domain=name, score=f"{score:.0f}", met=met, judged=judged)
            if score is not None
            else t("report_pemat_none", domain=name)
        )
    rows = "".join(
        f"<tr><td class='n'>{i.number}</td><td>{escape(i.text)}</td>"
        f"<td class='{_item_class(i)}'>{escape(_item_word(i, t))}</td><td>{escape(i.detail)}</td></tr>"
        for i in pemat.items
    )
    columns = (t.report_item, t.report_asks, t.report_result, t.report_detail)
    return (
        f"<h2>{escape(t.report_pemat)}</h2><p>{escape('; '.join(scores))}. "
        f"{escape(t('report_pemat_pass', score=f'{PASS_SCORE:.0f}'))}</p>"
        f"<table><tr>{''.join(f'<th>{escape(c)}</th>' for c in columns)}</tr>{rows}</table>"
    )


def _item_class(item) -> str:
    return "" if not item.applies else "pass" if item.met else "fail"


def _item_word(item, t: Strings) -> str:
    return t.report_not_applicable if not item.applies else t.report_met if item.met else t.report_not_met


def _findings(report: ReadingReport, guide: Guide, ids: dict[int, str], t: Strings) -> str:
    def row(f: Finding, anchor: str | None) -> str:
        where = f"{_relative(f.path, guide)}:{f.line}:{f.column}"
        place = f'<a href="#{anchor}">{escape(where)}</a>' if anchor else escape(where)
        return (
            f"<tr><td class='where'>{place}</td><td class='{_severity_class(f.severity)}'>{f.severity}</td>"
            f"<td>{f.rule}</td><td>{escape(f.message)}</td></tr>"
        )

    columns = (t.report_where, t.report_level, t.report_rule, t.report_message)
    head = f"<tr>{''.join(f'<th>{escape(c)}</th>' for c in columns)}</tr>"
    out = [f"<h2>{escape(t.report_findings)}</h2>"]
    if report.findings:
        out.append(f"<table>{head}{''.join(row(f, ids[id(f)]) for f in report.findings)}</table>")
    else:
        out.append(f"<p>{escape(t.report_none)}</p>")
    if report.accepted:
        out.append(
            f"<h3>{escape(t.report_accepted)}</h3><table>{head}{''.join(row(f, None) for f in report.accepted)}</table>"
        )
    return "".join(out)


def _relative(path: Path | None, guide: Guide) -> str:
    if path is None:
        return ""
    return str(path.relative_to(guide.folder)) if path.is_relative_to(guide.folder) else str(path)


def _severity_class(severity: str) -> str:
    return {"error": "fail", "warning": "warn"}.get(severity, "")


# ---- the guide's text -------------------------------------------------------------------------


def _text(report: ReadingReport, guide: Guide, ids: dict[int, str], t: Strings) -> str:
    by_block = {id(p.block): p for p in report.passages}
    by_passage: dict[int, list[Finding]] = {}
    for f in report.findings:
        if f.passage is not None:
            by_passage.setdefault(id(f.passage.block), []).append(f)
    context = (by_block, by_passage, ids, t)
    out = [f"<h2>{escape(t.report_the_guide)}</h2>"]
    for section in guide.sections:
        out.append(
            f'<article><h3>{escape(section.title)} <span class="where">{escape(section.path.name)}</span></h3>'
        )
        out += [_block(b, context) for b in section.blocks]
        out.append("</article>")
    return "\n".join(out)


def _block(block, context) -> str:
    if isinstance(block, Heading):
        level = min(6, block.level + 3)
        return f"<h{level}>{escape(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        return _paragraph(block, context)
    if isinstance(block, ListBlock):
        tag = "ol" if block.ordered else "ul"
        items = "".join(
            "<li>" + "".join(_block(b, context) for b in item.blocks) + "</li>" for item in block.items
        )
        return f"<{tag}>{items}</{tag}>"
    if isinstance(block, Note):
        return '<aside class="note">' + "".join(_block(b, context) for b in block.blocks) + "</aside>"
    if isinstance(block, Figure):
        return f"<p><em>[{escape(context[3]('report_picture', alt=block.alt))}]</em></p>"
    return ""


def _paragraph(block: Paragraph, context) -> str:
    by_block, by_passage, ids, _ = context
    passage = by_block.get(id(block))
    if passage is None:
        return f"<p>{escape(block.text)}</p>"
    findings = by_passage.get(id(block), [])
    long = [f for f in findings if f.rule == "long_paragraph"]
    attrs = f' class="long_paragraph" title="{escape(_tips(long))}"' if long else ""
    return f"<p{attrs}>{_anchors(long, ids)}{_marked(passage, findings, ids)}</p>"


def _marked(passage: Passage, findings: list[Finding], ids: dict[int, str]) -> str:
    text = passage.text
    out = []
    position = 0
    for sentence in passage.sentences:
        out.append(escape(text[position : sentence.start]))
        out.append(_sentence(passage, sentence, findings, ids))
        position = sentence.end
    out.append(escape(text[position:]))
    return "".join(out)


def _sentence(passage: Passage, sentence: Sentence, findings: list[Finding], ids: dict[int, str]) -> str:
    own = [f for f in findings if f.rule in SENTENCE_RULES - {"long_paragraph"} and f.start == sentence.start]
    words = [f for f in findings if f.rule not in SENTENCE_RULES and sentence.start <= f.start < sentence.end]
    inner = _words(passage.text, sentence.start, sentence.end, words, ids)
    if not own:
        return inner
    classes = " ".join(sorted({_sentence_class(f) for f in own}))
    return f'{_anchors(own, ids)}<span class="s {classes}" title="{escape(_tips(own))}">{inner}</span>'


def _sentence_class(finding: Finding) -> str:
    if finding.rule == "long_sentence":
        return "long"
    return "very-hard" if finding.message.startswith("very hard") else "hard"


def _words(text: str, start: int, end: int, findings: list[Finding], ids: dict[int, str]) -> str:
    """text[start:end] with each run covered by word findings in a <mark>."""
    cuts = sorted({start, end} | {min(max(p, start), end) for f in findings for p in (f.start, f.end)})
    out = []
    opened: set[int] = set()
    for left, right in pairwise(cuts):
        piece = escape(text[left:right])
        covering = [f for f in findings if f.start <= left and right <= f.end]
        if not covering:
            out.append(piece)
            continue
        first = [f for f in covering if id(f) not in opened]
        opened |= {id(f) for f in first}
        classes = " ".join(sorted({f.rule for f in covering}))
        out.append(
            f'{_anchors(first, ids)}<mark class="{classes}" title="{escape(_tips(covering))}">{piece}</mark>'
        )
    return "".join(out)


def _anchors(findings: list[Finding], ids: dict[int, str]) -> str:
    """Link targets for the findings table, one per finding, where the finding starts."""
    return "".join(f'<a id="{ids[id(f)]}"></a>' for f in findings)


def _tips(findings: list[Finding]) -> str:
    return "\n".join(f"{f.severity} {f.rule}: {f.message}" for f in findings)
