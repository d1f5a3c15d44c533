"""`kguide listen`: hear a built guide back and point at the sentences a listener may mishear.

For each clinic's build it rebuilds the narration script from the guide (each sentence with its
source location), checks that it is the script the build spoke (its captions), takes each
sentence's speech from the speech cache, lets the recognizer transcribe it and compares what was
heard with the sentence as written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..config import CONFIG_NAME
from ..errors import GuideError, Problem, StrictError
from ..loader import check_clinics
from ..model import Guide
from ..narration.cache import SegmentCache
from ..narration.script import Segment, Track, build_script
from ..narration.spoken import guide_lexicon
from .compare import Comparison, compare
from .recognizer import Recognizer

MANIFEST = "manifest.json"
RESULT_NAME = "listening.json"


@dataclass(frozen=True)
class Heard:
    """One sentence: what it says, where it comes from, what the recognizer heard."""

    track: str
    segment: Segment
    heard: str
    comparison: Comparison
    where: tuple[Path, int, int]

    @property
    def misheard(self) -> bool:
        return self.comparison.errors > 0


@dataclass
class Listening:
    """The listening check of one clinic's build."""

    guide: Guide  # bound to the clinic
    folder: Path
    tracks: list[Track]
    sentences: list[Heard]
    heard_now: int = 0
    level: str = "warning"
    max_word_error: float = 0.1
    sections: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # stem -> title, words, errors

    def __post_init__(self) -> None:
        for track in self.tracks:
            own = [h for h in self.sentences if h.track == track.stem]
            self.sections[track.stem] = (
                track.title,
                sum(h.comparison.words for h in own),
                sum(h.comparison.errors for h in own),
            )

    @property
    def words(self) -> int:
        return sum(words for _, words, _ in self.sections.values())

    @property
    def errors(self) -> int:
        return sum(errors for _, _, errors in self.sections.values())

    @property
    def word_error(self) -> float:
        return self.errors / self.words if self.words else 0.0

    def over_limit(self) -> bool:
        """The guide's word error is above max_word_error. (A part's is not judged alone: a
        short part, such as the closing words with the phone number, swings too much.)"""
        return self.word_error > self.max_word_error

    def findings(self) -> list[str]:
        return [
            f"{_show(h.where[0])}:{h.where[1]}:{h.where[2]}: {self.level} misheard: "
            f'said "{h.segment.text}", heard "{h.heard}"'
            for h in self.sentences
            if h.misheard
        ]

    def to_dict(self) -> dict:
        return {
            "guide": self.guide.name,
            "clinic": self.guide.clinic_id,
            "folder": str(self.folder),
            "words": self.words,
            "word_errors": self.errors,
            "word_error": round(self.word_error, 4),
            "max_word_error": self.max_word_error,
            "over_limit": self.over_limit(),
            "sections": [
                {
                    "track": stem,
                    "title": title,
                    "words": w,
                    "word_errors": e,
                    "word_error": round(e / w, 4) if w else 0,
                }
                for stem, (title, w, e) in self.sections.items()
            ],
            "misheard": [
                {
                    "file": _show(h.where[0]),
                    "line": h.where[1],
                    "column": h.where[2],
                    "level": self.level,
                    "track": h.track,
                    "said": h.segment.text,
                    "heard": h.heard,
                    "word_errors": h.comparison.errors,
                }
                for h in self.sentences
                if h.misheard
            ],
            "sentences": len(self.sentences),
            "transcribed_now": self.heard_now,
        }


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def listen_guide(
    guide: Guide, out: Path, cache_dir: Path | None = None, clinics: tuple[str, ...] = ()
) -> list[Listening]:
    """Listen to each clinic's build of `guide` (loaded, unbound) under `out`."""
    guide_dir = guide.folder
    check_clinics(guide.config, clinics, guide.folder)
    settings = guide.config.listen
    config_path = guide.folder / CONFIG_NAME
    model = (guide.folder / settings.model) if settings.model else None
    cache_root = cache_dir or out / ".cache"
    builds = []
    for clinic in clinics or guide.clinic_ids:
        bound = guide.bind(clinic)
        folder = out / guide.name / clinic if clinic else out / guide.name
        builds.append((bound, folder, _manifest(folder, guide_dir, out)))
    recognizer = Recognizer(model, cache_root / "listen", config_path)
    results = []
    for bound, folder, manifest in builds:
        results.append(_listen_one(bound, folder, manifest, cache_root, recognizer))
    return results


def _manifest(folder: Path, guide_dir: Path, out: Path) -> dict:
    path = folder / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise GuideError(
            Problem(f"no build to listen to: run kguide build {guide_dir} --out {out} first", path)
        ) from None


class _Described:
    """The engine a build used, as its manifest describes it: enough to find its speech."""

    def __init__(self, description: dict):
        self._description = description

    def describe(self) -> dict:
        return self._description


def _listen_one(
    guide: Guide, folder: Path, manifest: dict, cache_root: Path, recognizer: Recognizer
) -> Listening:
    engine = manifest.get("engine", {})
    rate = int(engine.get("rate", guide.config.voice.rate))
    tracks = build_script(guide, guide_lexicon(guide), rate)
    segments = [(t.stem, s) for t in tracks for s in t.segments]
    captions = _caption_texts(folder / "captions.vtt")
    if captions != [s.text for _, s in segments]:
        raise GuideError(
            Problem("the build is older than the guide's text: build it again, then listen", folder)
        )
    cache = SegmentCache(cache_root / "tts", _Described(engine))
    wavs = [cache.path(s.spoken) for _, s in segments]
    missing = sum(not p.is_file() for p in wavs)
    if missing:
        raise GuideError(
            Problem(
                f"{missing} sentences of this build are not in the speech cache {cache_root / 'tts'}: "
                "build again with the same --out or --cache-dir, then listen",
                folder,
            )
        )
    before = recognizer.heard_now
    heard = recognizer.hear(wavs, [s.text for _, s in segments])
    config_path = guide.folder / CONFIG_NAME
    config_lines = config_path.read_text(encoding="utf-8").splitlines()
    sentences = [
        Heard(
            stem, s, text, compare(s.text, text), s.where or _config_where(config_path, config_lines, s.text)
        )
        for (stem, s), text in zip(segments, heard, strict=True)
    ]
    settings = guide.config.listen
    return Listening(
        guide,
        folder,
        tracks,
        sentences,
        recognizer.heard_now - before,
        settings.misheard,
        settings.max_word_error,
    )


def _config_where(path: Path, lines: list[str], text: str) -> tuple[Path, int, int]:
    """Words spoken from guide.toml (the introduction, the closing words): the line of the first
    value they say, such as the clinic's phone number; else the title line."""
    found = []
    for number, line in enumerate(lines, start=1):
        match = re.match(r'\s*(\w+)\s*=\s*"([^"]+)"', line)
        if match and match.group(2) in text:
            found.append((text.index(match.group(2)), number, line.index('"') + 2))
    if found:
        _, number, column = min(found)
        return (path, number, column)
    title = next((n for n, line in enumerate(lines, start=1) if line.startswith("title")), 1)
    return (path, title, 1)


def _caption_texts(path: Path) -> list[str]:
    """The text of each cue of a WebVTT file kguide wrote (one line a cue)."""
    try:
        blocks = path.read_text(encoding="utf-8").split("\n\n")
    except OSError:
        return []
    return [
        lines[2]
        for block in blocks
        if len(lines := block.strip("\n").split("\n")) >= 3 and re.match(r"\d+$", lines[0])
    ]


def failure(listening: Listening, strict: bool) -> StrictError | None:
    """Exit 1 when a misheard sentence is an error (or a warning in strict mode), or the word
    error of the guide or a section is above max_word_error."""
    problems = []
    count = sum(h.misheard for h in listening.sentences)
    if count and (listening.level == "error" or strict):
        why = "" if listening.level == "error" else " (strict mode: warnings fail)"
        problems.append(Problem(f"{count} sentences misheard{why}", listening.folder))
    if listening.over_limit():
        problems.append(
            Problem(
                f"the guide's word error {listening.word_error:.1%} is above "
                f"max_word_error {listening.max_word_error:.1%}",
                listening.folder,
            )
        )
    return StrictError(problems) if problems else None
