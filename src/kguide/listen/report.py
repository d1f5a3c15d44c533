"""The listening check shown: a table in text, a part of the reading report in HTML."""

from __future__ import annotations

import html

from .run import Listening


def format_table(listening: Listening) -> str:
    lines = [f"{'track':<36} {'words':>6} {'errors':>7} {'word error':>11}"]
    for stem, (_title, words, errors) in listening.sections.items():
        share = errors / words if words else 0.0
        lines.append(f"{stem:<36} {words:>6} {errors:>7} {share:>10.1%}")
    lines.append(f"{'guide':<36} {listening.words:>6} {listening.errors:>7} {listening.word_error:>10.1%}")
    count = sum(h.misheard for h in listening.sentences)
    lines.append(
        f"{count} of {len(listening.sentences)} sentences heard differently; "
        f"{listening.heard_now} transcribed now, the rest from the cache"
    )
    return "\n".join(lines)


def html_part(listening: Listening) -> str:
    """The "Listening check" part of reading-report.html."""
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(title)}</td><td>{words}</td><td>{errors}</td>"
        f"<td>{(errors / words if words else 0):.1%}</td></tr>"
        for title, words, errors in listening.sections.values()
    )
    rows += (
        f"<tr><th>The whole guide</th><td>{listening.words}</td><td>{listening.errors}</td>"
        f"<td>{listening.word_error:.1%}</td></tr>"
    )
    misheard = "".join(
        f"<li><code>{e(h.where[0].name)}:{h.where[1]}:{h.where[2]}</code>: said <q>{e(h.segment.text)}</q>, "
        f"heard <q>{e(h.heard)}</q></li>"
        for h in listening.sentences
        if h.misheard
    )
    return (
        '<section id="listening"><h2>Listening check</h2>'
        "<p>A speech recognizer listened to the audio, sentence by sentence. Word error is the share "
        "of words it heard wrong, missed or added; numbers and initials count as they are said.</p>"
        "<table><tr><th>part</th><th>words</th><th>word errors</th><th>word error</th></tr>"
        f"{rows}</table>"
        f"<h3>Sentences heard differently</h3><ul>{misheard or '<li>None.</li>'}</ul></section>"
    )
