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

from . import audio
from .chapters import Chapter, ffmetadata

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
    """Join the tracks into one MP3: tags, CHAP frames in time order under an ordered CTOC
    (written by ffmpeg), the cover as an APIC frame (front cover)."""
    tags = {
        "title": album.title,
        "album": album.title,
        "artist": album.artist,
        "album_artist": album.artist,
        "genre": MP3_GENRE,
        "comment": album.description,
    }
    extra: list[str] = []
    if album.cover_bytes():
        extra = ["-i", str(album.cover), "-map", "2:v", "-disposition:v:0", "attached_pic"]
        extra += ["-metadata:s:v", "title=Cover", "-metadata:s:v", "comment=Cover (front)"]
    _join(sources, target, tags, chapters, [*extra, "-id3v2_version", "3", "-write_id3v1", "0"])


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
