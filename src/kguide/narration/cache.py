"""Synthesized segments, cached by a hash of (engine description, spoken text).

Entries are written to a temporary name and renamed into place, so an interrupted build never
leaves a half-written entry behind.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from .engines import Engine

Progress = Callable[..., None]  # called with (done, to do) and, for other work than speech, what is done


class SegmentCache:
    def __init__(self, folder: Path, engine: Engine, factory: Callable[[], Engine] | None = None):
        """`factory` makes a fresh engine like `engine` in a worker process (see fill)."""
        self.folder = folder
        self.engine = engine
        self.factory = factory
        self._engine_key = json.dumps(engine.describe(), sort_keys=True)
        self.hits = 0
        self.misses = 0
        self._counted: set[str] = set()  # texts fill has counted (as a hit or a miss)

    def key(self, spoken: str) -> str:
        return hashlib.sha256(f"{self._engine_key}\n{spoken}".encode()).hexdigest()

    def path(self, spoken: str) -> Path:
        key = self.key(spoken)
        return self.folder / key[:2] / f"{key}.wav"

    def missing(self, texts: list[str]) -> list[str]:
        return [t for t in dict.fromkeys(texts) if not self.path(t).is_file()]

    def fill(self, texts: list[str], progress: Progress | None = None) -> None:
        """Synthesize every text not cached yet, using every core.

        Engines that already spread one synthesis over all cores (Piper, through onnxruntime)
        run here; the others (eSpeak NG is single-threaded) run in a pool of worker processes,
        each with its own engine. Workers are spawned, not forked: the booklet renders in a
        thread meanwhile, and forking a threaded process is unsafe.
        """
        todo = self.missing(texts)
        fresh = dict.fromkeys(t for t in texts if t not in self._counted)
        self.hits += len([t for t in fresh if t not in todo])
        self._counted.update(fresh)
        if progress and todo:
            progress(0, len(todo))
        workers = min(os.cpu_count() or 1, len(todo) // 4)
        if getattr(self.engine, "uses_all_cores", False) or self.factory is None or workers < 2:
            for done, text in enumerate(todo, start=1):
                _synthesize_into(self.engine, text, self.path(text))
                self.misses += 1
                if progress:
                    progress(done, len(todo))
            return
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_worker_start, initargs=(self.factory,)
        ) as pool:
            jobs = [pool.submit(_worker_synthesize, text, str(self.path(text))) for text in todo]
            for done, job in enumerate(as_completed(jobs), start=1):
                job.result()
                self.misses += 1
                if progress:
                    progress(done, len(todo))

    def get(self, spoken: str) -> Path:
        """The WAV of `spoken`, synthesizing it if it is not cached yet (counted as a miss;
        hits are counted by fill, which every build calls first)."""
        path = self.path(spoken)
        if path.is_file():
            return path
        _synthesize_into(self.engine, spoken, path)
        self.misses += 1
        return path


def _synthesize_into(engine: Engine, spoken: str, path: Path) -> None:
    """Synthesize to a temporary name, then rename: no half-written entry ever shows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".wav")
    os.close(fd)
    try:
        engine.synthesize(spoken, Path(tmp))
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


_WORKER_ENGINE: Engine | None = None


def _worker_start(factory: Callable[[], Engine]) -> None:
    global _WORKER_ENGINE
    _WORKER_ENGINE = factory()


def _worker_synthesize(spoken: str, path: str) -> None:
    assert _WORKER_ENGINE is not None
    _synthesize_into(_WORKER_ENGINE, spoken, Path(path))


@dataclass(frozen=True)
class CachedTrack:
    mp3: Path
    aac: Path  # ADTS
    meta: dict


class TrackCache:
    """Finished tracks (leveled, untagged MP3 and AAC, and their measurements), keyed by
    everything that shapes their sound: the engine, each segment's spoken text and pause, and
    the audio settings. Tags are written on a copy (`whole.tag_track`), so a rebuild after one
    edit levels and encodes only the track that changed, and clinics share every track whose
    words they share."""

    def __init__(self, folder: Path, engine: Engine, settings: dict):
        self.folder = folder
        self._prefix = json.dumps({"engine": engine.describe(), "audio": settings}, sort_keys=True)

    @property
    def description(self) -> str:
        """The engine and the audio settings (the voice's leveling calibration is kept per this)."""
        return self._prefix

    def key(self, segments: list[tuple[str, int]]) -> str:
        data = json.dumps({"segments": segments}, sort_keys=True)
        return hashlib.sha256(f"{self._prefix}\n{data}".encode()).hexdigest()

    def paths(self, key: str) -> tuple[Path, Path]:
        """Where the entry's MP3 and AAC (ADTS) files are kept."""
        return self.folder / f"{key}.mp3", self.folder / f"{key}.aac"

    def get(self, key: str) -> CachedTrack | None:
        mp3, aac = self.paths(key)
        meta = self.folder / f"{key}.json"
        if not (mp3.is_file() and aac.is_file() and meta.is_file()):
            return None
        try:
            return CachedTrack(mp3, aac, json.loads(meta.read_text(encoding="utf-8")))
        except ValueError:
            return None

    def put(self, key: str, mp3: Path, aac: Path, meta: dict) -> None:
        """Store a track; the JSON goes last, so an entry is complete once it is there."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for suffix, data in (
            (".mp3", mp3.read_bytes()),
            (".aac", aac.read_bytes()),
            (".json", json.dumps(meta).encode()),
        ):
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, self.folder / f"{key}{suffix}")
            finally:
                Path(tmp).unlink(missing_ok=True)
