"""Which engine speaks a guide, and a voice that must speak the guide's language.

With `[voice] engine` empty (the default) the guide's language picks the engine: English
speaks with Piper and the bundled en_US-joe-medium, any other language with pyttsx3 (eSpeak NG
on Linux, which has a voice for most languages: Latin American Spanish for es-US and es-MX,
Spain's for es-ES). A Piper `.onnx` voice named in `voice` means Piper, in any language.

A voice whose language is not the guide's (by the primary subtag: "es-419" speaks "es-US") is
an input error naming both languages and the setting that chose the voice.
"""

from __future__ import annotations

from pathlib import Path

from ..config import CONFIG_NAME
from ..configfile import key_line
from ..errors import GuideError, Problem
from ..locale.strings import primary

_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese"}


def pick_engine(engine: str, voice: str, language: str) -> str:
    """The engine named, or the one the voice file or the guide's language calls for."""
    if engine:
        return engine
    if voice.endswith(".onnx"):
        return "piper"
    return "piper" if primary(language) == "en" else "pyttsx3"


def _named(tag: str) -> str:
    name = _NAMES.get(primary(tag))
    return f"{name} ({tag})" if name else tag


def check_voice_language(
    engine, guide, engine_option: str | None = None, voice_option: str | None = None
) -> None:
    """Stop (exit 2) when `engine`'s voice speaks another language than the guide. Nothing is
    checked when the engine does not say its voice's language (SAPI5, NSSS)."""
    spoken = getattr(engine, "language", "")
    wanted = guide.config.language
    if not spoken or primary(spoken) == primary(wanted):
        return
    setting, path, line = _setting(guide, engine_option, voice_option)
    raise GuideError(
        Problem(
            f"{setting} gives the voice {engine.voice!r} ({engine.name}), which speaks "
            f"{_named(spoken)}, but the guide's language is {_named(wanted)}: choose a voice "
            f"in {_NAMES.get(primary(wanted), wanted)} ('kguide voices' lists them), or leave "
            "voice.engine and voice.voice empty to have one picked for the guide's language",
            path,
            line,
        )
    )


def _setting(
    guide, engine_option: str | None, voice_option: str | None
) -> tuple[str, Path | None, int | None]:
    """The setting that chose the voice, and where it is written (guide.toml and its line)."""
    if voice_option:
        return f"--voice {voice_option!r}", None, None
    if engine_option and not guide.config.voice.voice:
        return f"--engine {engine_option}", None, None
    path = guide.folder / CONFIG_NAME
    voice = guide.config.voice
    if voice.voice and voice_option is None:
        return f"voice.voice = {voice.voice!r}", path, key_line(path, ("voice", "voice"))
    if voice.engine:
        return f"voice.engine = {voice.engine!r}", path, key_line(path, ("voice", "engine"))
    return f"language = {guide.config.language!r}", path, key_line(path, ("language",))
