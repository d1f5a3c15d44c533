"""The read-along text (what the listen page and the EPUB show) against the narration script,
on the sample guide and the fixtures, with made-up timings (no speech needed): every sentence
shown gets the audio that speaks it, and only the words the script adds go unshown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kguide.loader import load_guide
from kguide.locale.strings import languages, strings_for
from kguide.narration.audio import Loudness
from kguide.narration.narrate import GuideAudio, TrackAudio
from kguide.narration.script import build_script
from kguide.narration.spoken import guide_lexicon
from kguide.web.readalong import read_along

ROOT = Path(__file__).resolve().parent.parent
GUIDES = [
    ROOT / "guides" / "ketamine-first-session",
    ROOT / "tests" / "data" / "guides" / "mini",
    ROOT / "tests" / "data" / "guides" / "clinics",
    ROOT / "tests" / "data" / "guides" / "spoken",
    ROOT / "guides" / "ketamina-primera-sesion",
    ROOT / "tests" / "data" / "guides" / "mini-es-voice",
]


# What the script says that the text does not show (see narration/script.py).
def _spoken_only() -> re.Pattern:
    """The words the script adds that the page does not show, in every language kguide has."""
    forms = []
    for language in languages():
        t = strings_for(language)
        forms += [
            re.escape(t("step", number=0)).replace("0", r"\d+"),
            re.escape(t.important + "."),
            re.escape(t.checklist_intro),
            re.escape(t.questions_pause),
        ]
    return re.compile("^(" + "|".join(forms) + ")$")


SPOKEN_ONLY = _spoken_only()


def _timed(guide_dir: Path):
    guide = load_guide(guide_dir).bind()
    tracks = build_script(guide, guide_lexicon(guide), 150)
    level = Loudness(-16.0, -2.0, 3.0)
    audio, chapters, offset = [], [], 0.0
    for track in tracks:  # segment n spoken from 2n + 1 to 2n + 2.5 seconds
        cues = tuple((2.0 * n + 1, 2.0 * n + 2.5) for n in range(len(track.segments)))
        seconds = 2.0 * len(track.segments) + 2
        audio.append(TrackAudio(track.stem, track.title, f"audio/{track.stem}.mp3", seconds, 1, level, cues))
        chapters.append((offset, offset + seconds, track.title))
        offset += seconds
    whole = TrackAudio(guide.name, guide.config.title, f"audio/{guide.name}.mp3", offset, 1, level, ())
    return tracks, read_along(guide, tracks, GuideAudio(audio, whole, whole, chapters))


@pytest.mark.parametrize("guide_dir", GUIDES, ids=lambda p: p.name)
def test_every_sentence_shown_is_timed_and_only_added_words_are_unshown(guide_dir):
    tracks, text = _timed(guide_dir)
    assert [p.stem for p in text.parts] == [t.stem for t in tracks]
    for part, track in zip(text.parts, tracks, strict=True):
        sentences = list(part.sentences())
        untimed = [s.text for s in sentences if s.begin is None]
        assert untimed == ([] if part.section else [track.title]), (part.stem, untimed)
        timed = [s for s in sentences if s.begin is not None]
        starts = {2.0 * n + 1: seg for n, seg in enumerate(track.segments)}
        for this, after in zip(timed, timed[1:], strict=False):
            assert this.begin < this.end == after.begin  # in order, no gap, no overlap
        assert timed[-1].end == 2.0 * len(track.segments) + 2
        # every segment is heard within some sentence; one shown nowhere is one the script adds
        keys = [_key(s.text) for s in timed]
        for start, segment in starts.items():
            assert any(s.begin <= start < s.end for s in timed), segment.text
            key = _key(segment.text)
            if part.section and not any(k and (k == key or key.endswith(k)) for k in keys):
                assert SPOKEN_ONLY.match(segment.text), (part.stem, segment.text)


def _key(text: str) -> str:
    return "".join(c.lower() for c in text if c.isalnum())


def test_sentences_keep_their_markup_and_glossary_terms_stand_alone():
    _tracks, text = _timed(GUIDES[2])
    words = next(p for p in text.parts if p.stem == "03-words")
    shown = [s for s in words.sentences()]
    assert [s.text for s in shown[:3]] == [
        "Words to know",
        "Dose:",
        "How much of a drug you get at one time.",
    ]
    term = shown[1].inlines[0]
    assert type(term).__name__ == "Styled" and term.style == "strong"
    bring = next(p for p in text.parts if p.stem == "01-bring")
    note = [s.text for s in bring.sentences()][-1]
    assert note == "Call 911 if you feel very unwell."


def test_each_sentence_has_an_id_of_its_own():
    _tracks, text = _timed(GUIDES[0])
    ids = [s.id for p in text.parts for s in p.sentences()]
    assert len(ids) == len(set(ids)) > 250
