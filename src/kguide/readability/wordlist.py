"""The plain-language word list: complex words and phrases with plainer ones to use, and the
medical terms a guide must swap or define.

kguide ships one list per language (`data/plain_words.tsv` for English,
`data/plain_words_es.tsv` for Spanish; none for other languages); a guide can add to it, or
override and drop entries, with a `plain_words.tsv` of the same three columns in its own folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import GuideError, Problem
from ..locale.strings import primary
from ..text import word_spans

GUIDE_LIST = "plain_words.tsv"
SHIPPED_LISTS = {"en": "plain_words.tsv", "es": "plain_words_es.tsv"}
KINDS = ("plain", "medical", "ignore")


@dataclass(frozen=True)
class Entry:
    """One word or phrase of the list.

    term: as listed ("prior to", "IV").
    plain: plainer words to use instead; "" for a medical term that can only be defined.
    medical: a medical term, which the guide must swap or define (PEMAT item 4).
    """

    term: str
    plain: str
    medical: bool

    @property
    def key(self) -> str:
        return _key(self.term)


@dataclass(frozen=True)
class Match:
    """An entry found in a text: its offsets there and the words as written."""

    start: int
    end: int
    text: str
    entry: Entry


def _key(term: str) -> str:
    # Initialisms ("IV", "PTSD") keep their case: "iv" or "Iv" in prose is another word.
    return term if _is_initialism(term) else term.lower()


def _is_initialism(term: str) -> bool:
    return term.isupper() and " " not in term


_ES_VERB_ENDINGS = {
    "ar": "a an as o amos ado ada ados adas ando ará arán aremos e en es ó aron aba aban arle arles arse",
    "er": "e en es o emos ido ida idos idas iendo erá erán eremos a an ió ieron ía ían erle erles erse",
    "ir": "e en es o imos ido ida idos idas iendo irá irán iremos a an ió ieron ía ían irle irles irse",
}


def _forms_es(word: str) -> set[str]:
    """The regular inflections of a Spanish word: "administrar" also finds "administrará",
    "intravenoso" also "intravenosa" and "intravenosos"."""
    if _is_initialism(word):
        return {word, word + "s"}
    forms = {word, word + "s", word + "es"}
    if len(word) > 3 and word[-2:] in _ES_VERB_ENDINGS:
        stem = word[:-2]
        forms |= {stem + ending for ending in _ES_VERB_ENDINGS[word[-2:]].split()}
    elif word.endswith(("o", "a")):
        forms |= {word[:-1] + end for end in ("o", "a", "os", "as")}
    return forms


def _forms(word: str, language: str = "en") -> set[str]:
    """The regular inflections of a word, so that "administer" also finds "administered"."""
    if language == "es":
        return _forms_es(word)
    if _is_initialism(word):
        return {word, word + "s"}
    forms = {word, word + "s", word + "es", word + "ed", word + "ing"}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    return forms


class WordList:
    """Finds the list's words and phrases in prose, longest phrase first."""

    def __init__(self, entries: dict[str, Entry], language: str = "en"):
        self.entries = entries
        self.language = language
        # first word -> [(all words of a phrase, entry)], longest first; the last word inflects
        self._starts: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        for entry in entries.values():
            words = tuple(entry.key.split())
            if len(words) > 1:
                self._starts.setdefault(words[0], []).append((words, entry))
        for phrases in self._starts.values():
            phrases.sort(key=lambda p: -len(p[0]))
        self._single: dict[str, Entry] = {}
        singles = [e for e in entries.values() if " " not in e.key]
        for entry in singles:  # inflected forms first, so a listed word always wins
            for form in _forms(entry.key, language):
                self._single.setdefault(form, entry)
        for entry in singles:
            self._single[entry.key] = entry

    def find(self, text: str, tokens: list[re.Match] | None = None) -> list[Match]:
        """Every entry in `text`, left to right, without overlaps; `tokens`: its words, if known."""
        tokens = word_spans(text) if tokens is None else tokens
        found: list[Match] = []
        index = 0
        while index < len(tokens):
            match = self._match_at(text, tokens, index)
            if match is None:
                index += 1
                continue
            found.append(match[0])
            index += match[1]
        return found

    def _match_at(self, text: str, tokens: list[re.Match], index: int) -> tuple[Match, int] | None:
        token = tokens[index].group()
        lower = token.lower()
        for words, entry in self._starts.get(lower, ()):
            size = len(words)
            window = [t.group().lower() for t in tokens[index : index + size]]
            if (
                len(window) == size
                and window[:-1] == list(words[:-1])
                and window[-1] in _forms(words[-1], self.language)
            ):
                start, end = tokens[index].start(), tokens[index + size - 1].end()
                return Match(start, end, text[start:end], entry), size
        entry = self._single.get(token) or self._single.get(lower)
        if entry is None:
            return None
        span = tokens[index]
        return Match(span.start(), span.end(), token, entry), 1


@lru_cache(maxsize=4)
def _shipped(language: str = "en") -> dict[str, Entry | None]:
    if language not in SHIPPED_LISTS:
        return {}
    source = resources.files("kguide.readability") / "data" / SHIPPED_LISTS[language]
    return _parse(source.read_text(encoding="utf-8"), Path(str(source)))


def _parse(text: str, path: Path) -> dict[str, Entry | None]:
    """Read the three tab-separated columns; raise GuideError naming each bad line.

    An entry of kind "ignore" maps to None, to drop the shipped entry of that word.
    """
    entries: dict[str, Entry | None] = {}
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) != 3:
            problems.append(
                Problem(
                    f"expected 3 columns split by tabs (word, plain, kind), found {len(columns)}",
                    path,
                    number,
                )
            )
            continue
        term, plain, kind = (c.strip() for c in columns)
        if kind not in KINDS:
            problems.append(Problem(f"kind must be one of {', '.join(KINDS)}, not {kind!r}", path, number))
        elif not term:
            problems.append(Problem("the word column is empty", path, number))
        elif kind == "plain" and not plain:
            problems.append(Problem(f"'{term}' has kind 'plain' but no plainer words to use", path, number))
        else:
            entries[_key(term)] = Entry(term, plain, kind == "medical") if kind != "ignore" else None
    if problems:
        raise GuideError(problems)
    return entries


def guide_word_list(guide) -> WordList:
    """The shipped list, updated by the guide's own plain_words.tsv if it has one (read with
    the guide, into the model)."""
    language = primary(guide.config.language)
    entries = dict(_shipped(language))
    if GUIDE_LIST in guide.texts:
        entries.update(_parse(guide.texts[GUIDE_LIST], guide.folder / GUIDE_LIST))
    return WordList({k: e for k, e in entries.items() if e is not None}, language)
