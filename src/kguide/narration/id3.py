"""An ID3v2.3 tag written frame by frame in the order given: the whole-guide MP3's tags, chapter
frames (CHAP, in time order, under one ordered top-level CTOC: the ID3v2 Chapter Frame Addendum)
and cover picture. Writing the tag here lets the whole guide be joined by copying bytes, with no
ffmpeg run; mutagen would store the chapter frames ordered by size, which scrambles them for
players that read the frames rather than the table of contents.

Text is UTF-16 with a byte-order mark (encoding 1), the one Unicode encoding ID3v2.3 has.
"""

from __future__ import annotations

import struct

from .chapters import Chapter

UTF16 = 1


def _text(value: str) -> bytes:
    return value.encode("utf-16")  # with its byte-order mark


def _frame(frame_id: str, body: bytes) -> bytes:
    return frame_id.encode("ascii") + struct.pack(">IH", len(body), 0) + body


def text_frame(frame_id: str, value: str) -> bytes:
    return _frame(frame_id, bytes([UTF16]) + _text(value))


def comment_frame(value: str, language: str = "eng") -> bytes:
    return _frame(
        "COMM", bytes([UTF16]) + language.encode("ascii")[:3] + _text("") + b"\x00\x00" + _text(value)
    )


def picture_frame(jpeg: bytes, description: str = "Cover") -> bytes:
    """APIC: the front cover (picture type 3)."""
    return _frame(
        "APIC", bytes([UTF16]) + b"image/jpeg\x00" + bytes([3]) + _text(description) + b"\x00\x00" + jpeg
    )


def chapter_frames(chapters: list[Chapter]) -> bytes:
    """One CTOC (top level, ordered) listing the chapters, then a CHAP per chapter in time
    order, each with its title (TIT2); times in milliseconds, byte offsets unset."""
    ordered = sorted(chapters)
    if len(ordered) > 255:  # a guide has at most 100 sections (NN-name.md) and two more tracks
        raise ValueError("an ID3 table of contents holds at most 255 chapters")
    ids = [f"ch{i}".encode("ascii") for i in range(len(ordered))]
    toc = b"toc\x00" + bytes([0x03, len(ids)]) + b"".join(i + b"\x00" for i in ids)
    out = _frame("CTOC", toc)
    for element, (start, end, title) in zip(ids, ordered, strict=True):
        times = struct.pack(">IIII", round(start * 1000), round(end * 1000), 0xFFFFFFFF, 0xFFFFFFFF)
        out += _frame("CHAP", element + b"\x00" + times + text_frame("TIT2", title))
    return out


def tag(frames: list[bytes]) -> bytes:
    """The whole tag: the ID3v2.3 header (its size syncsafe) and the frames as given."""
    body = b"".join(frames)
    size = len(body)
    syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    return b"ID3\x03\x00\x00" + syncsafe + body
