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
