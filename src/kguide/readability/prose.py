"""The scored prose of a section: its passages (each paragraph, in the body, a list item or a
note) split into sentences, each located on the source by line and column.

The model holds text as printed (markup gone, `{{ clinic.name }}` filled in) with a "\\n" where
the source line breaks, so a sentence's line is its passage's line plus the breaks before it.
Columns come from finding the same word in the raw source line.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import (
    Figure,
    Heading,
    Inline,
    ListBlock,
    Note,
    Paragraph,
    Section,
    plain_text,
)
from ..text import WORD_RE, split_sentences, word_spans
from .formulas import SENTENCE_FORMULA, Figures, measure_sentence


class SourceFile:
    """The raw lines of a section file (kept in the model), to turn offsets in printed text
    into columns."""

    def __init__(self, section: Section):
        self.path = section.path
        self.lines = section.source

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def column(self, number: int, printed_line: str, offset: int) -> int:
        """1-based column in source line `number` of the word at `offset` of `printed_line`.

        The word is the n-th of its kind on the printed line, so it is taken to be the n-th on
        the source line too; a word the source does not hold (a filled-in template value)
        falls back to column 1.
        """
        token = WORD_RE.match(printed_line, offset)
        if token is None:
            return 1
        word = token.group()
        # Cached per line and word: a long line with many findings stays linear, not quadratic.
        before = bisect.bisect_left(_occurrences(printed_line, word), offset)
        found = _occurrences(self.line(number), word)
        if not found:
            return 1
        return found[min(before, len(found) - 1)] + 1


@functools.lru_cache(maxsize=4096)
def _occurrences(line: str, word: str) -> list[int]:
    """Where `word` stands as a whole word in `line` (str.find: a regex per word is slow)."""
    found = []
    index = line.find(word)
    while index >= 0:
        end = index + len(word)
        if not (index and _in_word(line[index - 1])) and not (end < len(line) and _in_word(line[end])):
            found.append(index)
        index = line.find(word, index + 1)
    return found


def _in_word(ch: str) -> bool:
    return ch.isalnum() or ch in "'\u2019-_"


@dataclass(frozen=True)
class Sentence:
    """One scored sentence: its text (spaces normalised), where it starts, and its figures."""

    text: str
    path: Path
    line: int
    figures: Figures
    start: int = 0  # offsets in the passage's text
    end: int = 0
    column: int = 1

    @property
    def grade(self) -> float:
        """Flesch-Kincaid grade of this one sentence (English), to rank the hardest."""
        return self.figures.flesch_kincaid_grade

    @property
    def formula(self) -> str | None:
        """The formula a sentence of its language is judged by (None: a language without one)."""
        return SENTENCE_FORMULA.get(self.figures.language)

    @property
    def score(self) -> float:
        """This sentence's value of its language's sentence formula: grade, or INFLESZ."""
        return self.figures.value(self.formula) if self.formula else 0.0

    @property
    def difficulty(self) -> float:
        """Higher is harder, in any language: to rank the hardest sentences."""
        return -self.score if self.formula and self.formula != "flesch_kincaid_grade" else self.score


@dataclass(frozen=True)
class Passage:
    """A paragraph of scored prose and its sentences."""

    section: Section
    block: Paragraph
    text: str  # as printed, with "\n" at each source line break
    sentences: tuple[Sentence, ...]
    source: SourceFile = field(compare=False, repr=False)
    language: str = "en-US"  # the guide's language tag: phone numbers are read for its locale

    @property
    def line(self) -> int:
        return self.block.line

    @property
    def words(self) -> int:
        return sum(s.figures.words for s in self.sentences)

    @functools.cached_property
    def tokens(self) -> list[re.Match]:
        """The words of the passage (URLs and phone numbers left out), found once for every rule."""
        return word_spans(self.text, language=self.language)

    def locate(self, offset: int) -> tuple[int, int]:
        """(line, column) in the source of the word at `offset` of the passage's text."""
        line_start = self.text.rfind("\n", 0, offset) + 1
        line_end = self.text.find("\n", offset)
        printed = self.text[line_start : line_end if line_end >= 0 else len(self.text)]
        number = self.line + self.text.count("\n", 0, offset)
        return number, self.source.column(number, printed, offset - line_start)


def source_text(inlines: tuple[Inline, ...]) -> str:
    """Printed text with a hard line break kept as "\\n", so lines still match the source."""
    return plain_text(inlines, line_break="\n")


def passages(section: Section, source: SourceFile | None = None, *, language: str = "en-US") -> list[Passage]:
    """Every scored passage of a section, in order. Headings and image alt text are not prose.
    `language`: the guide's language tag, which says how sentences split and syllables count."""
    source = source or SourceFile(section)
    out: list[Passage] = []

    def walk(blocks) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                passage = _passage(section, block, source, language)
                if passage.sentences:
                    out.append(passage)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    walk(item.blocks)
            elif isinstance(block, Note):
                walk(block.blocks)
            elif isinstance(block, Heading | Figure):
                continue

    walk(section.blocks)
    return out


def _passage(section: Section, block: Paragraph, source: SourceFile, language: str) -> Passage:
    text = source_text(block.inlines)
    sentences = []
    for span in split_sentences(text, language=language):
        figures = measure_sentence(span.text, language=language)
        if not figures.words:
            continue
        line = block.line + text.count("\n", 0, span.start)
        sentences.append(
            Sentence(
                " ".join(span.text.split()),
                section.path,
                line,
                figures,
                span.start,
                span.start + len(span.text),
            )
        )
    passage = Passage(section, block, text, (), source, language)
    located = tuple(_with_column(passage, s) for s in sentences)
    return Passage(section, block, text, located, source, language)


def _with_column(passage: Passage, sentence: Sentence) -> Sentence:
    first = WORD_RE.search(passage.text, sentence.start)
    _, column = passage.locate(first.start()) if first else (sentence.line, 1)
    return dataclasses.replace(sentence, column=column)
