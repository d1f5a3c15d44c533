"""Several clinics' booklets laid out in worker processes while the main process makes the audio.

WeasyPrint is pure Python: in a thread it shares one core with everything else the build does.
When more than one clinic is built, each clinic's booklets are rendered into the booklet cache
by a worker process ahead of time; the clinic's own build then finds them there. The first
clinic is laid out alone, so that its layout decisions are there for every clinic after it
(`booklet_cache`: one render per edition instead of several). A single clinic whose audio
is made gets a worker too (`alone`), so that its layout runs on the other core beside the
speech rather than under the main process's lock, unless its booklets are in the cache already.

A worker that fails leaves no entry: the clinic's build then renders its booklets itself, and
reports any error as a single-clinic build would.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import shutil
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from . import offline
from .model import Guide

WORKERS = 2


class BookletPool:
    """Booklet jobs (guide bound to a clinic, booklet cache folder, what shapes the booklets)."""

    def __init__(self, jobs: list[tuple[Guide, Path, dict]], cache_root: Path, alone: bool = False):
        self._jobs: dict[str, Future] = {}
        self._pool: ProcessPoolExecutor | None = None
        if len(jobs) < 2 and not (alone and jobs and not _cached(jobs[0])):
            return  # one clinic with no audio, or nothing to lay out: the build's thread does it
        context = multiprocessing.get_context("spawn")  # the build runs threads: never fork
        workers = min(WORKERS, len(jobs))
        self._pool = ProcessPoolExecutor(workers, mp_context=context, initializer=offline.apply)
        first, rest = jobs[0], jobs[1:]
        started = self._submit(first, cache_root)
        waiting = {guide.clinic_id: Future() for guide, _, _ in rest}
        self._jobs.update(waiting)

        def then(_done: Future) -> None:
            for job in rest:
                if self._pool is None:
                    return
                try:
                    _chain(self._submit(job, cache_root), waiting[job[0].clinic_id])
                except RuntimeError:  # the pool was shut down: the clinics render their own
                    waiting[job[0].clinic_id].set_result(None)

        started.add_done_callback(then)

    def _submit(self, job: tuple[Guide, Path, dict], cache_root: Path) -> Future:
        guide, cache, inputs = job
        future = self._pool.submit(_prepare, guide, cache, inputs, cache_root)
        self._jobs[guide.clinic_id] = future
        return future

    def wait(self, clinic_id: str) -> None:
        """Until the worker has finished this clinic's booklets (or failed: the caller renders)."""
        job = self._jobs.get(clinic_id)
        if job is not None:
            with contextlib.suppress(Exception):  # rendered again by the caller, which reports it
                job.result()

    def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.shutdown(wait=True, cancel_futures=True)


def _cached(job: tuple[Guide, Path, dict]) -> bool:
    """Whether the job's booklets are in the cache (False when they cannot be made: the
    build's own thread then reports why)."""
    from .booklet_cache import is_cached

    guide, cache, inputs = job
    try:
        return is_cached(guide, cache, inputs)
    except Exception:  # a template error: the build reports it, in its order
        return True


def _chain(source: Future, target: Future) -> None:
    def copy(done: Future) -> None:
        if done.cancelled() or done.exception() is not None:
            target.set_result(None)
        else:
            target.set_result(done.result())

    source.add_done_callback(copy)


def _prepare(guide: Guide, cache: Path, inputs: dict, cache_root: Path) -> None:
    """In a worker: render the clinic's booklets and cover into the booklet cache."""
    from . import booklet
    from .booklet_cache import booklets_and_cover

    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".tmp-work-", dir=cache))
    saved = tempfile.tempdir
    tempfile.tempdir = str(work)  # WeasyPrint's font files: in kguide's cache, then removed
    try:
        with offline.confine_caches(cache_root):
            pages = [(edition, booklet.render_html(guide, edition)) for edition in booklet.editions(guide)]
            (work / "out").mkdir()
            booklets_and_cover(guide, pages, work / "out", cache, inputs)
    finally:
        tempfile.tempdir = saved
        shutil.rmtree(work, ignore_errors=True)
