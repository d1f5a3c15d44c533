"""What each reading rule checks, why it matters for patients, and what to do: `kguide explain
RULE`, the HTML report and the SARIF rule descriptions all read this one table."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import RULE_NAMES


@dataclass(frozen=True)
class RuleHelp:
    title: str
    why: str
    fix: str


RULES = {
    "long_sentence": RuleHelp(
        "A sentence of too many words.",
        "Readers with low literacy lose the thread of long sentences; plain-language guidance keeps "
        "sentences under 20 words.",
        "Split the sentence in two, one idea each. A list often helps: steps, things to bring.",
    ),
    "hard_sentence": RuleHelp(
        "A sentence whose own Flesch-Kincaid grade is far above the guide's target "
        "(in Spanish: whose own INFLESZ is far below it).",
        "Long words and long sentences make a grade high. A very hard sentence stops a reader.",
        "Change the hardest words the message names for everyday ones, and split the sentence where "
        "the message shows. Say one thing per sentence.",
    ),
    "plain_word": RuleHelp(
        "A word or phrase with a plainer swap in the word list.",
        'Everyday words are understood faster and by more people ("doctor", not "physician").',
        "Use the plainer word the message gives. A guide's own plain_words.tsv can add or drop words.",
    ),
    "passive_voice": RuleHelp(
        'A passive verb ("is given", "was told").',
        'Active verbs say who does what: "the nurse gives you" is clearer than "you are given".',
        'Say who does it: "We give you a blanket", "You will get a call".',
    ),
    "undefined_term": RuleHelp(
        "A medical term the guide does not explain.",
        "Patients cannot look up a term in the middle of a page; unexplained terms are skipped or misread.",
        'Explain it where it is first used ("an IV, a thin tube in your arm"), or add it to the '
        "guide's glossary section (layout: glossary).",
    ),
    "long_paragraph": RuleHelp(
        "A paragraph of too many words.",
        "Long blocks of text look hard before a word is read; plain-language guidance keeps "
        "paragraphs short.",
        "Break it into shorter paragraphs, or turn part of it into a list, under a clear heading.",
    ),
}
assert set(RULES) == set(RULE_NAMES), "every rule needs its explanation"

HOW_TO = (
    'Every rule has a level in guide.toml: [reading.rules.RULE] severity = "error", "warning", '
    '"suggestion" or "off". To keep one finding as it is, put <!-- kguide: accept RULE --> in its '
    "paragraph; an accepted hard or long sentence is also left out of its section's score."
)


def explain(rule: str) -> str:
    """The text `kguide explain RULE` prints."""
    help = RULES[rule]
    return f"{rule}: {help.title}\n\nWhy: {help.why}\n\nWhat to do: {help.fix}\n\n{HOW_TO}\n"
