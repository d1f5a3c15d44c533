"""Reading a guide's files: the one way kguide reads text from a guide folder.

Every file must resolve inside the guide's folder (a symbolic link to a file elsewhere is an
error), be no bigger than MAX_FILE_BYTES, hold text and be valid UTF-8. A byte-order mark is
dropped and Windows (CRLF) or old Mac (CR) line ends become "\\n", so the rest of kguide sees one
kind of text whatever the editor saved. Each problem names the file (and the line).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from .errors import GuideError, Problem

MAX_FILE_BYTES = 200_000  # one section, guide.toml, lexicon.toml or plain_words.tsv
MAX_GUIDE_BYTES = 2_000_000  # all the sections of a guide together
# C0 control characters other than tab and line ends: not text an editor writes.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def inside(path: Path, folder: Path) -> bool:
    """Does `path`, every symbolic link followed, lie inside `folder`?"""
    return Path(path).resolve().is_relative_to(Path(folder).resolve())


def require_inside(path: Path, folder: Path) -> None:
    if not inside(path, folder):
        raise GuideError(
            Problem(
                f"is a link to a file outside the guide folder ({Path(path).resolve()}); "
                "copy the file into the guide folder instead",
                path,
            )
        )


def read_bytes(path: Path, guide_folder: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a file in the guide folder, refusing links outside it and big files."""
    path = Path(path)
    require_inside(path, guide_folder)
    if path.is_dir():
        raise GuideError(Problem("is a folder, not a file", path))
    if path.exists() and not path.is_file():  # a pipe or a device would block or never end
        raise GuideError(Problem("is not a regular file (a pipe or a device?)", path))
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise GuideError(Problem(f"cannot be read: {exc.strerror or exc}", path)) from None
    if len(data) > limit:
        raise _too_big(path, limit)
    return data


def _too_big(path: Path, limit: int) -> GuideError:
    return GuideError(
        Problem(
            f"is too big: more than {limit // 1000} KB (the limit for one file; "
            "split a long section into several)",
            path,
        )
    )


def decode(data: bytes, path: Path) -> str:
    """Strict UTF-8 to text with "\\n" line ends; a BOM is dropped."""
    if b"\x00" in data:
        raise GuideError(Problem("is not a text file (it holds binary data)", path))
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise GuideError(
            Problem(
                f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); "
                "save the file as UTF-8 in your editor",
                path,
                line,
            )
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if match := _CONTROL.search(text):
        line = text.count("\n", 0, match.start()) + 1
        raise GuideError(
            Problem(
                f"holds a control character (U+{ord(match.group()):04X}) that is not text; "
                "delete it in your editor",
                path,
                line,
            )
        )
    return text


def read_text(path: Path, guide_folder: Path, limit: int = MAX_FILE_BYTES) -> str:
    """The text of a file in the guide folder; raise GuideError naming the file (and line)."""
    return decode(read_bytes(path, guide_folder, limit), Path(path))


def check_guide_size(paths: list[Path], folder: Path) -> None:
    """All the sections together stay under MAX_GUIDE_BYTES."""
    sizes = {p: p.stat().st_size for p in paths if p.is_file() and inside(p, folder)}
    big = [p for p, size in sizes.items() if size > MAX_FILE_BYTES]
    if big:  # one file past its own limit: name it, not the whole guide
        raise GuideError([_too_big(p, MAX_FILE_BYTES).problems[0] for p in big])
    total = sum(sizes.values())
    if total > MAX_GUIDE_BYTES:
        raise GuideError(
            Problem(
                f"the sections hold {total // 1000} KB of text, more than the limit of "
                f"{MAX_GUIDE_BYTES // 1000} KB for one guide",
                folder,
            )
        )
