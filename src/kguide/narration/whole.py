"""Tags and cover art on the finished files, and the whole guide as one MP3 and one M4B.

Tracks are leveled and encoded untagged (the cache keeps them so: clinics that share a track's
words share the encoded track) and tagged here, on a copy, with the clinic's name as the artist.
The whole-guide files are joined from the encoded tracks without re-encoding, with chapter marks
in time order and the cover picture; the M4B is marked as an audiobook.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import APIC, ID3, TALB, TCON, TIT2, TPE1, TPE2, TRCK, ID3NoHeaderError
from mutagen.mp4 import MP4, MP4Cover

from . import audio, id3
from .chapters import Chapter, ffmetadata
from .pieces import with_info_frame, without_info_frame

MP3_GENRE = "Speech"
M4B_GENRE = "Audiobook"
AUDIOBOOK = 2  # the iTunes media kind (stik) of an audiobook


@dataclass(frozen=True)
class Album:
    """What every file of one guide's audio is tagged with."""

    title: str
    artist: str  # the clinic
    description: str
    cover: Path | None = None  # a square JPEG

    def cover_bytes(self) -> bytes | None:
        return self.cover.read_bytes() if self.cover and self.cover.is_file() else None


def tag_track(source: Path, target: Path, album: Album, title: str, number: str) -> None:
    """Copy an encoded MP3 to `target` and write its ID3 tags (and the cover) there."""
    shutil.copyfile(source, target)
    try:
        tags = ID3(str(target))
    except ID3NoHeaderError:
        tags = ID3()
    tags.add(TIT2(encoding=3, text=[title]))
    tags.add(TALB(encoding=3, text=[album.title]))
    tags.add(TPE1(encoding=3, text=[album.artist]))
    tags.add(TPE2(encoding=3, text=[album.artist]))
    tags.add(TRCK(encoding=3, text=[number]))
    tags.add(TCON(encoding=3, text=[MP3_GENRE]))
    _add_cover(tags, album)
    tags.save(str(target), v2_version=3)


def _add_cover(tags: ID3, album: Album) -> None:
    picture = album.cover_bytes()
    if picture:
        tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="Cover", data=picture))


def write_whole_mp3(sources: list[Path], target: Path, album: Album, chapters: list[Chapter]) -> None:
    """Join the tracks into one MP3 by copying their frames, under one Info frame, with an
    ID3v2.3 tag: title, album, artist, genre, the description as a comment, CHAP frames in time
    order under an ordered CTOC, and the cover as an APIC frame (front cover)."""
    frames = b"".join(without_info_frame(_audio(path)) for path in sources)
    parts = [
        id3.text_frame("TIT2", album.title),
        id3.text_frame("TALB", album.title),
        id3.text_frame("TPE1", album.artist),
        id3.text_frame("TPE2", album.artist),
        id3.text_frame("TCON", MP3_GENRE),
        id3.comment_frame(album.description),
        id3.chapter_frames(chapters),
    ]
    picture = album.cover_bytes()
    if picture:
        parts.append(id3.picture_frame(picture))
    target.write_bytes(id3.tag(parts) + with_info_frame(frames, target))


def _audio(path: Path) -> bytes:
    """An MP3 file's frames, after its ID3v2 tag if it has one."""
    data = path.read_bytes()
    if data[:3] == b"ID3" and len(data) >= 10:
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        return data[10 + size :]
    return data


def write_m4b(sources: list[Path], target: Path, album: Album, chapters: list[Chapter]) -> None:
    """Join the AAC (ADTS) tracks into an M4B with chapters, then tag it as an audiobook (mutagen):
    title, album, artist, genre, description, media kind 2 (audiobook) and the cover."""
    _join(sources, target, {"title": album.title}, chapters, ["-bsf:a", "aac_adtstoasc", "-f", "ipod"])
    book = MP4(str(target))
    book["\xa9nam"] = [album.title]
    book["\xa9alb"] = [album.title]
    book["\xa9ART"] = [album.artist]
    book["aART"] = [album.artist]
    book["\xa9gen"] = [M4B_GENRE]
    book["desc"] = [album.description]
    book["stik"] = [AUDIOBOOK]
    picture = album.cover_bytes()
    if picture:
        book["covr"] = [MP4Cover(picture, imageformat=MP4Cover.FORMAT_JPEG)]
    book.save()


def _join(sources: list[Path], target: Path, tags: dict, chapters: list[Chapter], extra: list[str]) -> None:
    metadata = target.parent / f".{target.name}.meta"
    metadata.write_text(ffmetadata(tags, chapters), encoding="utf-8")
    try:
        audio.concat_copy(sources, target, metadata, extra)
    finally:
        metadata.unlink(missing_ok=True)
