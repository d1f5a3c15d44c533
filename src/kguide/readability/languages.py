"""What the reading check can do in each language, and what it says when it cannot.

English and Spanish have formulas, a sentence score, a plain-word list, passive-voice words and
word frequencies. Any other language is measured (words, sentences, paragraphs) but never
scored with another language's formulas: the rules that do not depend on language still run,
and the report names the ones that are off.
"""

from __future__ import annotations

from pathlib import Path

from ..config import CONFIG_NAME, FormulaLimits, reading_language
from .formulas import SENTENCE_FORMULA

# Languages with their own word data for these rules (plain_word, passive_voice,
# undefined_term) and the hard-sentence score; PEMAT's wording checks read English only.
WORD_RULES = {"en", "es"}
PEMAT_LANGUAGES = {"en", "es"}
# The sentence score's target when guide.toml sets none: grade 6 (AMA and NIH) in English;
# INFLESZ 65, "bastante fácil", in Spanish.
DEFAULT_SENTENCE_TARGET = {"flesch_kincaid_grade": 6.0, "inflesz": 65.0}
LANGUAGE_INDEPENDENT = "long_sentence, long_paragraph"


def sentence_target(targets: FormulaLimits, language: str) -> float:
    """The target a single sentence is judged against by hard_sentence, in its formula's units."""
    formula = SENTENCE_FORMULA.get(reading_language(language))
    if formula is None:
        return 0.0
    value = getattr(targets, formula)
    return DEFAULT_SENTENCE_TARGET[formula] if value is None else value


def language_notes(language: str, folder: Path) -> tuple[str, ...]:
    """Warnings for the report: what the check leaves out for this language."""
    lang = reading_language(language)
    where = _display(folder / CONFIG_NAME)
    notes = []
    if lang not in SENTENCE_FORMULA:
        notes.append(
            f'warning: {where}: kguide has no reading formulas for {lang} (language = "{language}"); '
            f"the plain-language rules that do not depend on language still run ({LANGUAGE_INDEPENDENT}); "
            "hard_sentence and passive_voice are off, and plain_word and undefined_term read only the "
            "guide's own plain_words.tsv"
        )
    if lang not in PEMAT_LANGUAGES:
        notes.append(f"PEMAT items are not judged for {lang}: kguide reads their wording in English only")
    return tuple(notes)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
