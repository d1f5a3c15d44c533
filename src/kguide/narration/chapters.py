"""ID3 chapter frames (CHAP, with a CTOC table of contents) in an MP3, so that players can jump
between the parts of the whole-guide file (ID3v2 Chapter Frame Addendum)."""

from __future__ import annotations

from pathlib import Path

from mutagen.id3 import CHAP, CTOC, ID3, TIT2, CTOCFlags


def write_mp3_chapters(path: Path, chapters: list[tuple[float, float, str]]) -> None:
    """Add one CHAP frame per (start s, end s, title) and a top-level ordered CTOC."""
    tags = ID3(str(path))
    tags.delall("CHAP")
    tags.delall("CTOC")
    ids = []
    for index, (start, end, title) in enumerate(chapters, start=1):
        element = f"chp{index}"
        ids.append(element)
        tags.add(
            CHAP(
                element_id=element,
                start_time=round(start * 1000),
                end_time=round(end * 1000),
                start_offset=0xFFFFFFFF,  # "not used": players go by time
                end_offset=0xFFFFFFFF,
                sub_frames=[TIT2(encoding=3, text=[title])],
            )
        )
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=3, text=["Contents"])],
        )
    )
    tags.save(str(path), v2_version=3)


def read_mp3_chapters(path: Path) -> list[tuple[float, float, str]]:
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
