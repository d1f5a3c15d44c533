"""Synthesized segments, cached by a hash of (engine description, spoken text).

Entries are written to a temporary name and renamed into place, so an interrupted build never
leaves a half-written entry behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from .engines import Engine


class SegmentCache:
    def __init__(self, folder: Path, engine: Engine):
        self.folder = folder
        self.engine = engine
        self._engine_key = json.dumps(engine.describe(), sort_keys=True)
        self.hits = 0
        self.misses = 0

    def key(self, spoken: str) -> str:
        return hashlib.sha256(f"{self._engine_key}\n{spoken}".encode()).hexdigest()

    def path(self, spoken: str) -> Path:
        key = self.key(spoken)
        return self.folder / key[:2] / f"{key}.wav"

    def get(self, spoken: str) -> Path:
        """The WAV of `spoken`, synthesizing it if it is not cached yet."""
        path = self.path(spoken)
        if path.is_file():
            self.hits += 1
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".wav")
        os.close(fd)
        try:
            self.engine.synthesize(spoken, Path(tmp))
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        self.misses += 1
        return path


class TrackCache:
    """Finished tracks (leveled MP3 + its measurements), keyed by everything that shapes them:
    the engine, each segment's spoken text and pause, the audio settings and the tags. A
    rebuild after one edit levels and encodes only the track that changed."""

    def __init__(self, folder: Path, engine: Engine, settings: dict):
        self.folder = folder
        self._prefix = json.dumps({"engine": engine.describe(), "audio": settings}, sort_keys=True)

    def key(self, segments: list[tuple[str, int]], tags: dict[str, str]) -> str:
        data = json.dumps({"segments": segments, "tags": tags}, sort_keys=True)
        return hashlib.sha256(f"{self._prefix}\n{data}".encode()).hexdigest()

    def get(self, key: str) -> tuple[Path, dict] | None:
        mp3, meta = self.folder / f"{key}.mp3", self.folder / f"{key}.json"
        if not (mp3.is_file() and meta.is_file()):
            return None
        try:
            return mp3, json.loads(meta.read_text(encoding="utf-8"))
        except ValueError:
            return None

    def put(self, key: str, mp3: Path, meta: dict) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for suffix, write in ((".mp3", lambda f: f.write(mp3.read_bytes())), (".json", lambda f: f.write(json.dumps(meta).encode()))):
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as f:
                    write(f)
                os.replace(tmp, self.folder / f"{key}{suffix}")
            finally:
                Path(tmp).unlink(missing_ok=True)
