"""A Spanish guide is spoken in Spanish: numbers, times, phone and service numbers and web
addresses in Spanish words, by a Spanish eSpeak NG voice, and no English word in between."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from audiotools import duration, loudness
from conftest import GUIDES, ROOT, run_kguide

from kguide.loader import load_guide
from kguide.narration.script import build_script
from kguide.narration.spoken import Lexicon, default_lexicon, guide_lexicon, speakable
from kguide.text import digits, number_words

ES = GUIDES / "mini-es-voice"
SAMPLE = ROOT / "guides" / "ketamina-primera-sesion"
# Words an English rule would put into the audio of a Spanish guide.
ENGLISH = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twenty", "forty", "sixty", "hundred", "thousand", "dot", "slash", "dash", "at",
    "to", "a.m.", "p.m.", "am", "pm", "part", "step", "important", "minutes", "hour", "hours",
    "call", "the", "and", "for", "percent", "point",
}  # fmt: skip
# The script's fixed phrases come from the strings table (locale/strings.py), not from the guide.
FIXED = re.compile(r"^(Part \d+\. |Step \d+\. |Important\.$|Here is a checklist|You can pause here)")


def _script(folder: Path, clinic: str = ""):
    guide = load_guide(folder).bind(clinic)
    return build_script(guide, guide_lexicon(guide), 150)


def _english(spoken: str) -> set[str]:
    return {w for w in re.findall(r"[\w.]+", spoken.lower()) if w.strip(".") in ENGLISH or w in ENGLISH}


def _guide_segments(tracks):
    """The spoken text of every sentence the guide itself wrote (its sections), without the
    fixed phrases the script adds."""
    for track in tracks[1:-1]:
        for segment in track.segments:
            if FIXED.match(segment.text) and not segment.text.startswith("Step "):
                continue
            spoken = re.sub(r"^Step \w+\. ", "", segment.spoken)
            yield segment.text, spoken


@pytest.fixture(scope="module")
def es_build(tmp_path_factory, tts_cache) -> Path:
    out = tmp_path_factory.mktemp("build")
    result = run_kguide("build", str(ES), "--out", str(out), "--cache-dir", str(tts_cache))
    assert result.code == 0, result.err
    return out / "mini-es-voice"


def test_spanish_guide_speaks_with_a_spanish_espeak_voice(es_build):
    manifest = json.loads((es_build / "manifest.json").read_text())
    engine = manifest["engine"]
    assert (engine["engine"], engine["driver"], engine["voice"]) == ("pyttsx3", "espeak", "roa/es-419")
    tracks = sorted((es_build / "audio").glob("0*.mp3"))
    assert [t.name for t in tracks] == [
        "00-introduction.mp3",
        "01-su-visita.mp3",
        "02-ayuda.mp3",
        "03-contact-us.mp3",
    ]
    lengths = [duration(t) for t in tracks]
    assert all(seconds > 2.0 for seconds in lengths), lengths  # speech, not just the silences
    whole = duration(es_build / "audio" / "mini-es-voice.mp3")
    assert whole == pytest.approx(sum(lengths), abs=1.0)
    integrated, peak = loudness(es_build / "audio" / "01-su-visita.mp3")
    assert integrated == pytest.approx(-16.0, abs=1.0) and peak <= -1.0


def test_spanish_script_says_numbers_times_and_addresses_in_spanish():
    spoken = {seg.text: seg.spoken for track in _script(ES) for seg in track.segments}
    assert spoken["Llegue a las 8:30 a. m."] == "Llegue a las ocho y treinta de la mañana."
    assert spoken["La sesión dura de 40 a 60 minutos."] == "La sesión dura de cuarenta a sesenta minutos."
    assert spoken["Después, descanse 1 hora en la clínica."] == "Después, descanse una hora en la clínica."
    assert spoken["No maneje durante 24 horas."] == "No maneje durante veinticuatro horas."
    assert spoken["Horario: de lunes a viernes, de 8 a. m. a 5 p. m."] == (
        "Horario: de lunes a viernes, de ocho de la mañana a cinco de la tarde."
    )
    phone = "Llame a Clínica de Prueba Lago Azul al (555) 010-0199 si tiene preguntas."
    assert spoken[phone] == (
        "Llame a Clínica de Prueba Lago Azul al cinco cinco cinco, cero uno cero, cero uno nueve nueve "
        "si tiene preguntas."
    )
    assert spoken["Lea más en www.example.org/lago-azul o escriba a ayuda@example.org."] == (
        "Lea más en www punto example punto org barra lago guion azul o escriba a ayuda arroba "
        "example punto org."
    )
    assert spoken["Llame al 911 si le duele el pecho o le cuesta respirar."] == (
        "Llame al nueve uno uno si le duele el pecho o le cuesta respirar."
    )


@pytest.mark.parametrize("folder", [ES, SAMPLE], ids=["mini-es-voice", "ketamina-primera-sesion"])
def test_no_english_word_in_what_a_spanish_guide_says(folder):
    clinics = load_guide(folder).clinic_ids
    for clinic in clinics:
        said = list(_guide_segments(_script(folder, clinic)))
        assert said
        for text, spoken in said:
            assert not re.search(r"\d", spoken), (text, spoken)  # every number in words
            assert not _english(spoken), (text, spoken, _english(spoken))


def test_spanish_sample_reads_its_phone_numbers_in_spanish():
    for clinic, words in (
        ("rioclaro", "cinco cinco cinco, cero uno cero, tres tres ocho ocho"),
        ("lomaverde", "cinco cinco cinco, cero uno cuatro, siete siete dos cero"),
    ):
        spoken = " ".join(seg.spoken for track in _script(SAMPLE, clinic) for seg in track.segments)
        assert words in spoken
        assert "nueve uno uno" in spoken and "nueve ocho ocho" in spoken


def test_no_english_word_in_the_whole_spanish_script():
    for track in _script(ES):
        for segment in track.segments:
            assert not _english(segment.spoken), (segment.text, segment.spoken)


def test_spanish_numbers_and_digits():
    es = {"language": "es-US"}
    cases = {
        "0": "cero",
        "1": "uno",
        "15": "quince",
        "16": "dieciséis",
        "21": "veintiuno",
        "22": "veintidós",
        "31": "treinta y uno",
        "45": "cuarenta y cinco",
        "100": "cien",
        "101": "ciento uno",
        "555": "quinientos cincuenta y cinco",
        "1000": "mil",
        "1960": "mil novecientos sesenta",
        "2026": "dos mil veintiséis",
        "21000": "veintiún mil",
        "911": "nueve uno uno",
        "0800": "cero ocho cero cero",
    }
    assert {n: number_words(n, **es) for n in cases} == cases
    assert digits("(555) 010-4477", **es) == "cinco cinco cinco cero uno cero cuatro cuatro siete siete"
    assert number_words("45") == "forty five" and digits("988") == "nine eight eight"  # English stays


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("Espere 1 hora.", "Espere una hora."),
        ("Dura 1 día.", "Dura un día."),
        ("Tiene 21 años.", "Tiene veintiún años."),
        (
            "Llegue a las 8:30 a. m. Traiga su lista.",
            "Llegue a las ocho y treinta de la mañana. Traiga su lista.",
        ),
        ("Cerramos a las 7 p.m.", "Cerramos a las siete de la noche."),
        ("Comemos a las 12 p. m.", "Comemos a las doce del mediodía."),
        ("A la 1 p. m. salimos.", "A la una de la tarde salimos."),
        (
            "Es 2.5 mg, el 50 % de la dosis.",
            "Es dos punto cinco miligramos, el cincuenta por ciento de la dosis.",
        ),
        ("Hay 1,000 personas.", "Hay mil personas."),
        ("Le ponen una vía IV.", "Le ponen una vía i uve."),
        ("Llame al 988 en EE. UU.", "Llame al nueve ocho ocho en Estados Unidos."),
        ("De 3-4 horas.", "De tres a cuatro horas."),
    ],
)
def test_spanish_spoken_forms(written, spoken):
    assert speakable(written, default_lexicon("es-US")) == spoken


def test_each_language_gets_its_own_lexicon():
    assert speakable("Call 911 at 9 a.m. about your IV.", default_lexicon("en-US")) == (
        "Call nine one one at 9 A M about your I V."
    )
    french = default_lexicon("fr-FR")  # no lexicon for French: no English entry is said
    assert speakable("Un IV à 9 a.m.", french) == "Un IV à 9 a.m."
    # no digit names for French: the voice is given the digits, one by one, to say in French
    assert (
        speakable("Appelez le 01 23 45 67 89 ou le +44 20 7946 0000.", french)
        == "Appelez le 0 1, 2 3, 4 5, 6 7, 8 9 ou le + 4 4, 2 0, 7 9 4 6, 0 0 0 0."
    )


def test_spanish_a_stays_outside_a_piper_phoneme_block():
    """English "a" before a word with phonemes goes into the block (Piper would spell it out
    alone); Spanish "a" is a word of its own, said as written."""
    sounds = {"ketamina": {"piper": "kˌetamˈina"}}
    spanish = Lexicon(phonemes=sounds, notation="piper", language="es-US")
    assert speakable("Vamos a ketamina.", spanish) == "Vamos a [[ kˌetamˈina. ]]"
    english = Lexicon(phonemes={"ketamine": {"piper": "kˈɛtəmˌiːn"}}, notation="piper")
    assert speakable("It is a ketamine.", english) == "It is [[ ɐ kˈɛtəmˌiːn. ]]"
