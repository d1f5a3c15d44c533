"""What kguide prints on a terminal: colour only on a terminal that shows it (never when piped,
or with NO_COLOR set), lines that fit the terminal's width, how much to say (-q, -v), a progress
line, and an interruption message that starts a line of its own."""

from __future__ import annotations

import os
import sys

import click

QUIET, NORMAL, VERBOSE = -1, 0, 1


class Console:
    def __init__(self, verbosity: int = NORMAL):
        self.verbosity = verbosity
        self._open_line = False  # a progress line is drawn without its newline

    @staticmethod
    def color(stream=None) -> bool:
        stream = stream or sys.stdout
        return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"

    @staticmethod
    def width() -> int:
        """The terminal's width (COLUMNS, else the terminal of standard output or error, as in
        `kguide check | less`); 100 when there is no terminal at all."""
        if os.environ.get("COLUMNS", "").isdigit():
            return max(60, int(os.environ["COLUMNS"]))
        for stream in (sys.stdout, sys.stderr):
            try:
                return max(60, os.get_terminal_size(stream.fileno()).columns)
            except (OSError, ValueError, AttributeError):
                continue
        return 100

    def out(self, text: str) -> None:
        self._close_line()
        click.echo(text, color=self.color())

    def err(self, text: str, level: str = "info") -> None:
        """A message on standard error: "info" (quiet hides it), "detail" (only with -v),
        "warning" and "error" (always)."""
        if level == "info" and self.verbosity <= QUIET or level == "detail" and self.verbosity < VERBOSE:
            return
        self._close_line()
        color = self.color(sys.stderr)
        if level in ("warning", "error") and ":" in text:
            word, rest = text.split(":", 1)
            text = click.style(word, fg="red" if level == "error" else "yellow", bold=True) + ":" + rest
        click.echo(text, err=True, color=color)

    def finding(self, finding) -> None:
        """A reading finding, `path:line:col: LEVEL rule: message`, its level in colour."""
        self._close_line()
        color = self.color(sys.stderr)
        level = finding.severity
        text = str(finding)
        if color:
            hue = {"error": "red", "warning": "yellow"}.get(level, "cyan")
            text = text.replace(f" {level} ", " " + click.style(level, fg=hue, bold=True) + " ", 1)
        click.echo(text, err=True, color=color)

    def log(self, message: str) -> None:
        """The build's own lines: a "warning: ..." line is a warning, the rest information."""
        self.err(message, "warning" if message.startswith("warning:") else "info")

    def progress(self, name: str):
        """A one-line progress bar on a terminal (None elsewhere, or when quiet)."""
        if not sys.stderr.isatty() or self.verbosity <= QUIET:
            return None

        def show(done: int, total: int, what: str = "speaking") -> None:
            bar = max(10, min(30, self.width() - len(name) - 30))
            filled = bar * done // total if total else bar
            click.echo(
                f"\r{name}: {what} {done}/{total} [{'#' * filled}{'.' * (bar - filled)}]", err=True, nl=False
            )
            self._open_line = done < total
            if done >= total:
                click.echo("", err=True)

        return show

    def interrupted(self, message: str) -> None:
        self._open_line = True  # whatever was being drawn, the message starts a new line
        self._close_line()
        click.echo(message, err=True)

    def _close_line(self) -> None:
        if self._open_line:
            click.echo("", err=True)
            self._open_line = False


CONSOLE = Console()
