"""The few exceptions the CLI turns into clear messages and exit codes.

Exit codes (documented in the README):
  0  success
  1  the guide is too hard to read (above a hard limit)
  1  strict mode: a warning fails the build
  2  bad input or a missing tool: nothing was written
  3  a bug in kguide
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file."""

    message: str
    path: Path | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = display(self.path)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        return where + self.message


def display(path: Path) -> str:
    """Show a path relative to the working folder when it lies inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class KguideError(Exception):
    """Base class: carries one or more problems and the exit code."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class GuideError(KguideError):
    """The guide's sources are broken (config, Markdown, templates, images)."""


class ToolMissingError(KguideError):
    """A program or engine that the build needs is not installed."""


class RenderError(KguideError):
    """A renderer (WeasyPrint, TTS, ffmpeg) failed on input that had validated."""


class StrictError(KguideError):
    """Strict mode (`--strict`, or `strict = true` in guide.toml): a warning fails the build."""

    exit_code = 1


class ReadingLevelError(KguideError):
    """The guide reads above a hard limit."""

    exit_code = 1
