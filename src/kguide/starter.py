"""`kguide new PATH`: a starter guide an editor can build on (a commented guide.toml, two short
sections, a questions page and a glossary) that passes `kguide check` and builds as it is."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from .errors import GuideError, Problem

STARTER = "starter"


def starter_files() -> dict[str, str]:
    folder = files("kguide").joinpath("data").joinpath(STARTER)
    return {item.name: item.read_text(encoding="utf-8") for item in folder.iterdir() if item.is_file()}


def new_guide(path: Path) -> list[Path]:
    """Write the starter guide into `path` (a new or empty folder); never overwrite a file."""
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise GuideError(Problem("a new guide needs a new or empty folder; this one is not empty", path))
    try:
        path.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in sorted(starter_files().items()):
            target = path / name
            with target.open("x", encoding="utf-8") as f:  # "x": fails rather than overwrite
                f.write(text)
            written.append(target)
    except OSError as exc:
        raise GuideError(Problem(f"could not write the new guide: {exc.strerror or exc}", path)) from None
    return written
