"""Chapter marks for the whole-guide files, so that players can jump between its parts.

ffmpeg writes them from an ffmetadata file while it joins the tracks: in the MP3 as ID3 CHAP
frames in time order under one ordered top-level CTOC (the ID3v2 Chapter Frame Addendum), in the
M4B as a chapter track. (mutagen orders the frames it saves by size, which scrambles chapters for
players that read the frames rather than the table of contents.)
"""

from __future__ import annotations

import re
from pathlib import Path

from mutagen.id3 import ID3

Chapter = tuple[float, float, str]  # start s, end s, title


def ffmetadata(tags: dict[str, str], chapters: list[Chapter]) -> str:
    """An ffmetadata file: the file's tags, then one [CHAPTER] per chapter, in time order."""

    def escape(value: str) -> str:
        return re.sub(r"([=;#\\\n])", r"\\\1", value)

    lines = [";FFMETADATA1"] + [f"{k}={escape(v)}" for k, v in tags.items()]
    for start, end, title in sorted(chapters):
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={round(start * 1000)}",
            f"END={round(end * 1000)}",
            f"title={escape(title)}",
        ]
    return "\n".join(lines) + "\n"


def read_mp3_chapters(path: Path) -> list[Chapter]:
    """The chapters of an MP3 in table-of-contents order: (start s, end s, title)."""
    tags = ID3(str(path))
    chaps = {frame.element_id: frame for frame in tags.getall("CHAP")}
    tocs = tags.getall("CTOC")
    order = list(tocs[0].child_element_ids) if tocs else sorted(chaps)
    out = []
    for element in order:
        frame = chaps[element]
        title = str(frame.sub_frames["TIT2"]) if "TIT2" in frame.sub_frames else ""
        out.append((frame.start_time / 1000, frame.end_time / 1000, title))
    return out
