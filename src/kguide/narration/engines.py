"""Text-to-speech engines behind one small interface.

An engine turns one piece of spoken text into a mono 16-bit WAV file. `describe()` names the
engine, voice and version; it is part of the cache key and of the manifest.
"""

from __future__ import annotations

import contextlib
import io
import wave
from pathlib import Path
from typing import Protocol

from ..errors import Problem, RenderError, ToolMissingError


class Engine(Protocol):
    name: str

    def describe(self) -> dict[str, str]: ...

    def synthesize(self, text: str, target: Path) -> None: ...


class Pyttsx3Engine:
    """System voices through pyttsx3: eSpeak NG on Linux, SAPI5 on Windows, NSSS on macOS."""

    name = "pyttsx3"

    def __init__(self, voice: str, rate: int, language: str):
        try:
            import pyttsx3
        except ImportError:
            raise ToolMissingError("the pyttsx3 engine is not installed: pip install pyttsx3") from None
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                self._engine = pyttsx3.init()
        except Exception as exc:  # pyttsx3 raises bare OSError/RuntimeError/KeyError per platform
            raise ToolMissingError(
                f"pyttsx3 could not start a speech engine ({exc}). On Debian or Ubuntu install "
                "eSpeak NG: apt-get install espeak-ng"
            ) from None
        self._driver = str(getattr(self._engine, "driver_name", "") or "")
        voices = self._engine.getProperty("voices") or []
        self.voice = self._pick_voice(voices, voice, language)
        self._engine.setProperty("voice", self.voice)
        self.rate = rate
        self._engine.setProperty("rate", rate)

    @staticmethod
    def _pick_voice(voices, wanted: str, language: str) -> str:
        ids = {v.id: v for v in voices}
        if wanted:
            if wanted in ids:
                return wanted
            by_name = [v.id for v in voices if v.name.lower() == wanted.lower()]
            if by_name:
                return by_name[0]
            raise ToolMissingError(
                f"voice {wanted!r} is not installed for pyttsx3; run 'kguide voices' to list the installed voices"
            )
        lang = language.lower()

        def langs(v) -> list[str]:
            return [
                (x.decode(errors="ignore") if isinstance(x, bytes) else str(x)).lower().lstrip("\x05")
                for x in (v.languages or [])
            ]

        for test in (lambda l: l == lang, lambda l: l.split("-")[0] == lang.split("-")[0]):
            for v in voices:
                if any(test(l) for l in langs(v)) or test(v.id.rsplit("/", 1)[-1].lower()):
                    return v.id
        if voices:
            return voices[0].id
        raise ToolMissingError("pyttsx3 found no voices; install espeak-ng (apt-get install espeak-ng)")

    def describe(self) -> dict[str, str]:
        import pyttsx3

        version = getattr(pyttsx3, "__version__", "")
        if not version:
            from importlib.metadata import version as dist_version

            version = dist_version("pyttsx3")
        return {"engine": self.name, "driver": self._driver, "voice": self.voice, "rate": str(self.rate), "version": version}

    def synthesize(self, text: str, target: Path) -> None:
        for _attempt in range(2):
            target.unlink(missing_ok=True)
            with contextlib.redirect_stdout(io.StringIO()):
                self._engine.save_to_file(text, str(target))
                self._engine.runAndWait()
            if _frames(target) > 0:
                return
        raise RenderError(Problem(f"the pyttsx3 engine wrote no audio for: {text[:60]!r}"))


def _frames(path: Path) -> int:
    try:
        with wave.open(str(path), "rb") as w:
            return w.getnframes()
    except (OSError, EOFError, wave.Error):
        return 0


def voices() -> list[tuple[str, str, str]]:
    """(engine, voice id, name) of every installed voice."""
    out = []
    try:
        import pyttsx3

        with contextlib.redirect_stdout(io.StringIO()):
            engine = pyttsx3.init()
        for v in engine.getProperty("voices") or []:
            out.append(("pyttsx3", v.id, v.name))
    except Exception:  # no engine: the list is simply empty
        pass
    return out


def make_engine(name: str, voice: str, rate: int, language: str) -> Engine:
    if name == "pyttsx3":
        return Pyttsx3Engine(voice, rate, language)
    raise ToolMissingError(f"unknown speech engine {name!r} (known: pyttsx3)")
