"""What kguide may write and delete.

kguide writes only into its output folder and its cache folder, and deletes only what it wrote
itself:

- the files a build's own `manifest.json` lists (and that manifest), when a new build replaces
  an old one or a guide moves from one [clinic] to clinic profiles;
- its staging folders, `.NAME.tmp-*` beside the output, each marked by a `.kguide-staging`
  file (or, in the last instant before it is moved into place, by its manifest), once no build
  is using them: a build that was killed leaves one behind and the next build removes it;
- `.NAME.old-*`, the previous build while it is being replaced: the next build puts it back
  when the replacement was interrupted, or removes the files its manifest lists.

An output or cache folder that is, holds or sits inside a guide folder, the templates or kguide's
own code is refused before anything is written, and so is an output folder that holds files
kguide did not write.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import GuideError, Problem
from .inputs import inside

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; stale folders are judged by age instead
    fcntl = None

MANIFEST = "manifest.json"
MARKER = ".kguide-staging"
WORK = ".kguide-work"
CONFIG_NAME = "guide.toml"
STALE_AFTER = 24 * 3600  # seconds; used only where locks are not available
_locks: dict[Path, int] = {}


# ---- which folders kguide may write --------------------------------------------------------


def _overlap(a: Path, b: Path) -> str:
    """How folder `a` relates to folder `b`: "is", "holds", "sits inside" or ""."""
    if a == b:
        return "is"
    if b.is_relative_to(a):
        return "holds"
    if a.is_relative_to(b):
        return "sits inside"
    return ""


def _inside_a_guide(folder: Path) -> Path | None:
    for parent in (folder, *folder.parents):
        if (parent / CONFIG_NAME).is_file():
            return parent
    return None


def _risk(role: str, folder: Path, protected: list[tuple[Path, str]]) -> Problem | None:
    for part in (folder, *folder.parents):
        if part.exists() and not part.is_dir():
            return Problem(f"the {role} cannot be made: {part} is a file, not a folder", folder)
    real = folder.resolve()
    for other, name in protected:
        if how := _overlap(real, other.resolve()):
            return Problem(f"the {role} {how} {name} ({other}); choose another", folder)
    if guide := _inside_a_guide(real):
        return Problem(f"the {role} sits inside a guide folder ({guide}); choose another", folder)
    return None


def check_folders(guide_folder: Path, out: Path, target: Path, cache: Path, templates: list[Path]) -> None:
    """Refuse output and cache folders that would put a guide, the templates or kguide's code at
    risk, and an existing output folder (`target`, the guide's folder in `out`) that holds files
    kguide did not write."""
    protected = [(Path(guide_folder), "the guide folder")]
    protected += [(Path(t), "the templates folder") for t in templates]
    protected.append((Path(__file__).parent, "kguide's own code"))
    problems = []
    for role, folder in (("output folder", out), ("cache folder", cache)):
        if problem := _risk(role, folder, protected):
            problems.append(problem)
    if not problems and (problem := _risk("output folder", target, protected)):
        problems.append(problem)
    if how := _overlap(target.resolve(), cache.resolve()):
        problems.append(
            Problem(
                f"the output folder {how} the cache folder ({cache}); rename the guide folder "
                "or choose another --cache-dir",
                target,
            )
        )
    if problems:
        raise GuideError(problems)
    if target.is_symlink() or target.exists() and not target.is_dir():
        raise GuideError(
            Problem("the output folder is a file or a link, not a folder; choose another --out", target)
        )
    foreign = foreign_files(target)
    if foreign:
        shown = ", ".join(str(p.relative_to(target)) for p in foreign[:5])
        more = f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        raise GuideError(
            Problem(
                f"the output folder holds files kguide did not write ({shown}{more}); "
                "move them away or choose another --out",
                target,
            )
        )


# ---- which files are kguide's --------------------------------------------------------------


def _listed(folder: Path) -> set[Path] | None:
    """The files a build folder's manifest lists (with the manifest), or None without one."""
    manifest = folder / MANIFEST
    if manifest.is_symlink() or not manifest.is_file():
        return None
    try:
        outputs = json.loads(manifest.read_text(encoding="utf-8")).get("outputs", {})
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(outputs, dict):
        return None
    files = {manifest}
    for name in outputs:
        parts = Path(str(name)).parts
        path = folder.joinpath(*parts) if parts else folder
        if parts and ".." not in parts and not Path(str(name)).is_absolute() and inside(path.parent, folder):
            files.add(path)
    return files


_STAGING_RE = re.compile(r"^\..+\.(tmp|old)-[A-Za-z0-9_]+$")


def _is_staging(folder: Path) -> bool:
    return bool(_STAGING_RE.match(folder.name)) and (
        (folder / MARKER).is_file() or (folder / MANIFEST).is_file()
    )


def _owned(folder: Path) -> set[Path]:
    """Every file under `folder` that kguide wrote: listed in the manifest of the folder or of a
    build folder inside it, or inside one of its staging folders."""
    owned: set[Path] = set()
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        if _is_staging(here) and here != folder:
            owned.update(here / f for f in files)
            owned.update(p for d in dirs for p in (here / d).rglob("*"))
            dirs[:] = []
            continue
        owned.update(_listed(here) or ())
        if MARKER in files:
            owned.add(here / MARKER)
    return owned


def foreign_files(folder: Path) -> list[Path]:
    """Files under `folder` that kguide did not write (none when it does not exist)."""
    if not folder.is_dir():
        return [folder] if folder.exists() or folder.is_symlink() else []
    owned = _owned(folder)
    return sorted(p for p in folder.rglob("*") if (p.is_file() or p.is_symlink()) and p not in owned)


def _remove_empty_dirs(folder: Path) -> None:
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir() and not p.is_symlink()), reverse=True):
        with contextlib.suppress(OSError):
            sub.rmdir()
    with contextlib.suppress(OSError):
        folder.rmdir()


def remove_listed(folder: Path) -> None:
    """Remove the files `folder`'s own manifest lists, then the manifest, then emptied folders
    (an old single-clinic build beside new clinic folders); anything else stays."""
    listed = _listed(folder)
    if listed is None:
        return
    manifest = folder / MANIFEST
    for path in sorted(listed - {manifest}):
        if path.is_symlink() or path.is_file():
            path.unlink(missing_ok=True)
    manifest.unlink(missing_ok=True)
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir() and not p.is_symlink()), reverse=True):
        with contextlib.suppress(OSError):
            sub.rmdir()


def remove_build(folder: Path) -> None:
    """Remove a replaced build: only the files kguide wrote, then the folders they leave empty."""
    owned = _owned(folder)
    manifests = {p for p in owned if p.name == MANIFEST}
    for path in sorted(owned - manifests) + sorted(manifests):  # manifests last: they say what is ours
        path.unlink(missing_ok=True)
    _remove_empty_dirs(folder)


# ---- staging, locks and stale folders ------------------------------------------------------


def _lock(folder: Path, blocking: bool = True) -> int | None:
    """An advisory lock on a folder, held until released or the process ends (even by kill)."""
    fd = os.open(folder, os.O_RDONLY)
    if fcntl is None:
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except OSError:
        os.close(fd)
        return None
    return fd


def _in_use(folder: Path) -> bool:
    if fcntl is None:
        return time.time() - folder.stat().st_mtime < STALE_AFTER
    fd = _lock(folder, blocking=False)
    if fd is None:
        return True
    os.close(fd)
    return False


@contextlib.contextmanager
def _parent_lock(parent: Path) -> Iterator[None]:
    """Swaps and clean-ups of one output folder's neighbours happen one at a time."""
    fd = _lock(parent)
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)


def clean_stale(target: Path) -> None:
    """Put back a previous build whose replacement was killed half-way, and remove the staging
    folders of killed builds of `target` (never one a running build is using)."""
    parent = target.parent
    if not parent.is_dir():
        return
    with _parent_lock(parent):
        for kind in ("old", "tmp"):
            for folder in sorted(parent.glob(f".{glob_escape(target.name)}.{kind}-*")):
                if folder.is_symlink() or not folder.is_dir() or not _STAGING_RE.match(folder.name):
                    continue
                if kind == "old":
                    if not target.exists() and _listed(folder) is not None:
                        folder.rename(target)
                    else:
                        remove_build(folder)
                elif _is_staging(folder) and not _in_use(folder):
                    shutil.rmtree(folder, ignore_errors=True)


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def make_staging(target: Path) -> Path:
    """A new, marked and locked staging folder beside `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with _parent_lock(target.parent):  # locked before it is marked: never taken for stale
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        staging.chmod(0o755)  # mkdtemp makes it private; the build is an ordinary folder
        fd = _lock(staging)
        if fd is not None:
            _locks[staging] = fd
        (staging / MARKER).write_text(f"kguide build, process {os.getpid()}\n", encoding="utf-8")
    return staging


@contextlib.contextmanager
def temp_work(staging: Path) -> Iterator[Path]:
    """Send the build's temporary files (WeasyPrint's fonts, audio work) into the staging folder,
    so a killed build leaves none in the system's temporary folder."""
    work = staging / WORK
    work.mkdir(exist_ok=True)
    saved = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = str(work)
    os.environ["TMPDIR"] = str(work)
    try:
        yield work
    finally:
        tempfile.tempdir = saved[0]
        if saved[1] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved[1]


def seal(staging: Path) -> None:
    """Drop the marker and the work folder before the manifest lists the outputs."""
    shutil.rmtree(staging / WORK, ignore_errors=True)
    (staging / MARKER).unlink(missing_ok=True)


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace `target` by `staging` with renames only, so readers never see a partial build;
    then remove the files of the replaced build that kguide wrote."""
    with _parent_lock(target.parent):
        old = None
        if target.exists():
            foreign = foreign_files(target)
            if foreign:
                raise GuideError(
                    Problem(f"the output folder holds files kguide did not write ({foreign[0]})", target)
                )
            suffix = staging.name.rsplit(".tmp-", 1)[-1]
            old = target.with_name(f".{target.name}.old-{suffix}")
            target.rename(old)
        try:
            staging.rename(target)
        except OSError:
            if old is not None:
                old.rename(target)
            raise
        if old is not None:
            remove_build(old)


def discard(staging: Path) -> None:
    """After a build: remove its staging folder if it is still there, release its lock."""
    if staging.is_dir() and not staging.is_symlink():  # made by make_staging, never moved in place
        shutil.rmtree(staging, ignore_errors=True)
    fd = _locks.pop(staging, None)
    if fd is not None:
        os.close(fd)


def record_outputs(folder: Path, paths: list[Path]) -> None:
    """Add files kguide wrote into a finished build (the listening check's results) to that
    build's manifest, with their sizes and hashes, so they stay kguide's own: a later build
    replaces them like every other output. The manifest is replaced whole, never half-written."""
    import hashlib

    manifest = folder / MANIFEST
    data = json.loads(manifest.read_text(encoding="utf-8"))
    outputs = data.setdefault("outputs", {})
    for path in paths:
        outputs[str(path.relative_to(folder))] = {
            "bytes": path.stat().st_size,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        }
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".manifest-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(json.dumps(data, indent=2) + "\n")
    os.replace(tmp, manifest)
