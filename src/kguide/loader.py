"""A guide folder -> the Guide model: guide.toml, every section file (read and parsed once, by
markdown.py), the optional inputs beside them, and the hash of each input, from the same read."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from . import inputs, markdown
from .config import CONFIG_NAME, GuideConfig
from .configfile import key_line, load_config
from .errors import GuideError, Problem
from .locale.strings import languages, primary, unknown_language_message
from .model import Figure, Guide, Section, iter_blocks

SECTION_RE = re.compile(r"^(\d{2})-([a-z0-9][a-z0-9-]*)\.md$")
OPTIONAL_INPUTS = ("lexicon.toml", "plain_words.tsv")  # files beside guide.toml that shape the build


def load_guide(folder: Path, clinic: str = "") -> Guide:
    """Load, parse and validate a whole guide, once; raise GuideError listing every problem.

    Returns the unbound guide (placeholders in place: what the reading check scores); with
    `clinic`, the guide bound to that profile (see Guide.bind).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise GuideError(Problem("guide folder not found", folder))
    folder = folder.resolve()
    config = load_config(folder)
    if clinic:
        check_clinics(config, (clinic,), folder)
    problems: list[Problem] = []
    sections = []
    hashes: dict[str, str] = {}
    files = sorted(p for p in folder.iterdir() if p.suffix == ".md" and not p.name.startswith("."))
    inputs.check_guide_size(files, folder)
    numbers: dict[int, Path] = {}
    for path in files:
        match = SECTION_RE.match(path.name)
        if not match:
            problems.append(
                Problem("section files must be named NN-slug.md (for example 01-welcome.md)", path)
            )
            continue
        number = int(match.group(1))
        if number in numbers:
            problems.append(Problem(f"section number {number:02d} is used twice", path))
            continue
        numbers[number] = path
        try:
            data = inputs.read_bytes(path, folder)  # the one read of the file: its hash and its text
            hashes[path.name] = hashlib.sha256(data).hexdigest()
            sections.append(markdown.parse_section(path, data, number, match.group(2), folder, config))
        except GuideError as exc:
            problems.extend(exc.problems)
    problems += _unread_files(folder)
    if not files:
        problems.append(Problem("the guide has no sections (NN-slug.md files)", folder))
    if problems:
        raise GuideError(problems)
    texts = {
        name: inputs.read_text(folder / name, folder)
        for name in OPTIONAL_INPUTS
        if (folder / name).exists() or (folder / name).is_symlink()
    }
    paths = [folder / CONFIG_NAME] + [s.path for s in sections] + _figure_paths(sections)
    paths += [folder / name for name in texts]
    paths += [(folder / c.logo).resolve() for c in (config.clinics or {"": config.clinic}).values() if c.logo]
    paths = tuple(dict.fromkeys(paths))
    for path in paths:
        name = str(path.relative_to(folder))
        if name not in hashes:
            hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    guide = Guide(folder.name, folder, config, tuple(sections), paths, texts=texts, hashes=hashes)
    return guide.bind(clinic) if clinic else guide


_MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".mdtxt")
_IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")


def _unread_files(folder: Path) -> list[Problem]:
    """Files that look like sections but that kguide would not read (another Markdown suffix,
    or NN- in the name): reported, never skipped."""
    return [
        Problem(f"kguide reads sections only from NN-slug.md files: rename it to {path.stem}.md", path)
        for path in sorted(folder.iterdir())
        if path.is_file()
        and path.suffix != ".md"
        and (
            path.suffix.lower() in (*_MARKDOWN_SUFFIXES, ".md")
            or (re.match(r"^\d{2}-", path.name) and path.suffix.lower() not in _IMAGES)
        )
    ]


def require_phrases(guide: Guide) -> None:
    """A booklet, audio or listen page needs kguide's fixed phrases in the guide's language; the
    reading check does not (it says what it cannot score)."""
    if primary(guide.config.language) not in languages():
        path = guide.folder / CONFIG_NAME
        message = f"'language': {unknown_language_message(guide.config.language)}"
        raise GuideError([Problem(message, path, key_line(path, ("language",)))])


def check_clinics(config: GuideConfig, wanted: tuple[str, ...], folder: Path) -> None:
    """Every profile in `wanted` exists; a mistyped --clinic fails before anything is built."""
    for clinic in wanted:
        if not config.clinics:
            raise GuideError(
                Problem(
                    f"no clinic profile '{clinic}': the guide has one [clinic] table", folder / CONFIG_NAME
                )
            )
        if clinic not in config.clinics:
            known = ", ".join(config.clinics)
            raise GuideError(Problem(f"no clinic profile '{clinic}' (known: {known})", folder / CONFIG_NAME))


def _figure_paths(sections: list[Section]) -> list[Path]:
    return [b.src for s in sections for b in iter_blocks(s.blocks + s.audio_blocks) if isinstance(b, Figure)]
