"""A build opens no network connection and writes nothing outside its output and cache folders.

Some libraries kguide uses would, left to themselves:

- the ONNX runtime (Piper's neural network) sends usage telemetry to a Microsoft server and keeps
  a device id and an event database under ~/.cache/Microsoft;
- PulseAudio's client library, which eSpeak NG loads even when it only writes files, makes
  ~/.config/pulse and /tmp/pulse-* folders while it looks for a sound server;
- fontconfig (WeasyPrint's font lookup) writes a font cache under ~/.cache/fontconfig when the
  system's cache is out of date.

`apply()` sets their switches in kguide's own process before they load, so every engine, worker
and tool kguide starts inherits them; `confine_caches()` sends what may be cached into kguide's
cache folder for the length of a build.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

SWITCHES = {
    "ORT_DISABLE_TELEMETRY": "1",  # onnxruntime: no telemetry, no ~/.cache/Microsoft
    # No sound server: kguide only writes audio files; a socket that never exists stops the
    # PulseAudio client before it makes its folders (and before it would start a server).
    "PULSE_SERVER": "unix:/nonexistent/kguide-writes-files-only",
}


def apply() -> None:
    """Turn off telemetry and sound-server lookups for this process and its children."""
    os.environ.update(SWITCHES)


def disable_onnxruntime_telemetry() -> None:
    """The runtime's own switch too, once it is imported (the variable covers its start)."""
    apply()
    try:
        import onnxruntime
    except ImportError:
        return
    off = getattr(onnxruntime, "disable_telemetry_events", None)
    if off is not None:
        off()


@contextlib.contextmanager
def confine_caches(cache_root: Path) -> Iterator[None]:
    """Caches that libraries keep under ~/.cache (fontconfig's) go into kguide's cache folder."""
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(Path(cache_root).resolve() / "xdg")
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = saved
