"""The reading check in Spanish: Spanish syllables, sentences and words; Fernandez-Huerta and
INFLESZ in place of the English formulas; Spanish plain words and passive voice; targets that
name their formula; and what a language with no formulas gets. Run through the CLI as a user
runs `kguide check`, on the small Spanish fixture guide tests/data/guides/mini-es-read.

Worked example, by hand, for mini-es-read/02-despues.md (syllables by the rules of Spanish
spelling; "día" and "agua": "dí-a" is a hiatus, "a-gua" a diphthong):

    Descanse el resto del día.           des-can-se el res-to del dí-a     5 words,  9 syllables
    Pida a alguien que la lleve a casa.  pi-da a al-guien que la lle-ve a ca-sa
                                                                           8 words, 12 syllables
    No maneje hasta mañana.              no ma-ne-je has-ta ma-ña-na       4 words,  9 syllables
    ¡Tome mucha agua!                    to-me mu-cha a-gua                3 words,  6 syllables

    20 words, 4 sentences, 36 syllables: 5 words per sentence, 1.8 syllables per word.
    Fernandez-Huerta = 206.84 - 60 * 1.8 - 1.02 * 5 = 206.84 - 108 - 5.1 = 93.74
    INFLESZ          = 206.835 - 62.3 * 1.8 - 5     = 206.835 - 112.14 - 5 = 89.695
"""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import GUIDES, run_kguide

from kguide.readability.advice import hard_sentence_advice
from kguide.readability.formulas import Figures, formulas_for, measure
from kguide.readability.pemat import is_action
from kguide.readability.pemat_words import SPANISH
from kguide.readability.syllables_es import spanish_syllables, syllabify
from kguide.text import split_sentences, words

# Spanish words split into syllables by hand (hiatus, diphthongs and triphthongs, accented i
# and u, silent u of "que"/"gui", "ll", "rr", "ch" and consonant clusters).
SPLITS = [
    "ca-sa",
    "pe-rro",
    "ca-lle",
    "mu-cho",
    "ha-blar",
    "o-tro",
    "ins-tan-te",
    "ex-pli-car",
    "obs-truir",
    "can-to",
    "ciu-dad",
    "dí-a",
    "ba-úl",
    "re-ír",
    "o-í-do",
    "pa-ís",
    "gue-rra",
    "que-so",
    "pin-güi-no",
    "hoy",
    "muy",
    "buey",
    "le-er",
    "a-ho-ra",
    "a-ná-li-sis",
    "in-tra-ve-no-so",
    "ad-mi-nis-trar",
    "pos-te-rior-men-te",
    "cui-da-do",
    "ac-ción",
    "ke-ta-mi-na",
    "cons-truc-ción",
    "a-é-re-o",
    "U-ru-guay",
    "me-di-ci-na",
    "mé-di-co",
    "en-fer-me-ra",
    "pas-ti-lla",
    "a-gua",
    "tar-je-ta",
    "vi-si-ta",
    "des-can-se",
    "ma-ña-na",
    "ma-ne-je",
    "al-guien",
    "cie-lo",
    "fue-go",
    "tie-ne",
    "pre-gun-tas",
    "lla-me",
    "sa-lud",
    "bra-zo",
    "blan-co",
    "tra-ba-jo",
    "dra-ma",
    "cre-ma",
    "gran-de",
    "fru-ta",
    "pla-to",
    "cla-ro",
    "glo-bo",
    "flor",
    "a-brir",
    "ha-blan-do",
    "pa-dre",
    "co-bre",
    "li-bro",
    "re-gla",
    "si-glo",
    "ins-truc-cio-nes",
    "pers-pec-ti-va",
    "trans-por-te",
    "abs-trac-to",
    "co-ra-zón",
    "pul-món",
    "san-gre",
    "ca-be-za",
    "es-tó-ma-go",
    "ri-ñón",
    "hí-ga-do",
    "pe-cho",
    "ma-re-o",
    "na-ú-se-as",
    "vó-mi-to",
    "do-lor",
    "pre-sión",
    "tran-qui-lo",
    "se-gu-ro",
    "cua-tro",
    "cin-co",
    "sie-te",
    "o-cho",
    "nue-ve",
    "diez",
    "on-ce",
    "do-ce",
    "te-lé-fo-no",
    "nú-me-ro",
    "clí-ni-ca",
    "ho-ra",
    "cuán-do",
    "dón-de",
    "por-qué",
    "se-ma-na",
    "a-ño",
    "dia-rio",
    "pa-cien-te",
    "re-ci-bir",
    "re-cu-pe-ra-ción",
    "jue-ves",
    "sá-ba-do",
    "do-min-go",
    "mar-tes",
    "miér-co-les",
    "sue-ño",
    "cau-sa",
    "deu-da",
    "an-ti-guo",
    "pei-ne",
    "oi-go",
    "le-ón",
    "po-e-ta",
    "ca-er",
    "ma-íz",
    "Ra-úl",
    "ve-hí-cu-lo",
    "guí-a",
    "a-ve-ri-guáis",
    "es-cu-char",
]

HARD = (
    "Posteriormente a la administración intravenosa del medicamento, los pacientes deberán "
    "abstenerse de conducir vehículos motorizados hasta que el facultativo responsable determine "
    "que resulta completamente seguro."
)
# By hand: 25 words, 76 syllables, one sentence: INFLESZ = 206.835 - 62.3 * 76/25 - 25 = -7.6,
# "muy difícil"; 20 and 40 points under the target 65 make a sentence hard and very hard.


def test_spanish_syllables_by_rule_on_known_words():
    assert len(SPLITS) >= 100
    wrong = [(w, "-".join(syllabify(w.replace("-", "")))) for w in SPLITS]
    wrong = [(w, got) for w, got in wrong if got != w.lower()]
    assert wrong == []
    assert [spanish_syllables(w.replace("-", "")) for w in SPLITS] == [w.count("-") + 1 for w in SPLITS]


def test_spanish_numbers_and_initialisms_are_counted_as_said():
    assert spanish_syllables("45") == 6  # cua-ren-ta y cin-co
    assert spanish_syllables("100") == 1  # cien
    assert spanish_syllables("911") == 6  # nue-ve u-no u-no, digit by digit
    assert spanish_syllables("VIH") == 5  # u-ve i ha-che


def test_words_take_accents_and_eñe_in_every_language():
    assert words("El análisis de sangre del niño, pingüino y acción.") == [
        "El",
        "análisis",
        "de",
        "sangre",
        "del",
        "niño",
        "pingüino",
        "y",
        "acción",
    ]
    assert words("A café near the naïve crowd.") == ["A", "café", "near", "the", "naïve", "crowd"]


def test_spanish_sentences_keep_abbreviations_and_inverted_marks():
    text = (
        "La Dra. Pérez y el Sr. Gómez le ven a las 9 a.m. el lunes. ¿Tiene preguntas? ¡Llame hoy! "
        "Traiga algo, p. ej. su tarjeta. Vive en EE. UU. Desde hace años. Dígale que no. Es el núm. 4."
    )
    assert [s.text for s in split_sentences(text, language="es-US")] == [
        "La Dra. Pérez y el Sr. Gómez le ven a las 9 a.m. el lunes.",
        "¿Tiene preguntas?",
        "¡Llame hoy!",
        "Traiga algo, p. ej. su tarjeta.",
        "Vive en EE. UU.",
        "Desde hace años.",
        "Dígale que no.",
        "Es el núm. 4.",
    ]


def test_formulas_by_language():
    assert formulas_for("es-MX") == ("fernandez_huerta", "inflesz")
    assert formulas_for("en-GB") == ("flesch_kincaid_grade", "smog_grade", "flesch_reading_ease")
    assert formulas_for("fr-FR") == ()
    figures = measure(["Descanse el resto del día.", "¡Tome mucha agua!"], language="es-US")
    assert (figures.words, figures.sentences, figures.syllables) == (8, 2, 15)
    data = figures.to_dict()
    assert "inflesz" in data and not any(k.startswith(("flesch", "smog")) for k in data)
    # A worked figure: 10 words, 2 sentences, 20 syllables
    f = Figures(2, 10, 20, 0, "es")
    assert f.inflesz == pytest.approx(206.835 - 62.3 * 2 - 5)
    assert f.fernandez_huerta == pytest.approx(206.84 - 60 * 2 - 1.02 * 5)


def test_hard_word_advice_uses_spanish_syllables_and_frequency():
    advice = hard_sentence_advice(HARD, language="es-US")
    assert '"facultativo" (5 syllables, uncommon)' in advice  # wordfreq's Spanish list
    assert '"intravenosa" (5 syllables, uncommon)' in advice


def _check_json(folder, *args):
    result = run_kguide("check", folder.name, "--format", "json", *args, cwd=folder.parent)
    return result, json.loads(result.out)["guides"][0]


def test_spanish_guide_is_scored_with_spanish_formulas_only():
    result = run_kguide("check", "mini-es-read", cwd=GUIDES)
    assert result.code == 0, result.err
    header = result.out.splitlines()[1]
    assert "INFLESZ" in header and "F-Huerta" in header
    assert "FK grade" not in result.out and "SMOG" not in result.out and "Flesch" not in result.out
    assert "INFLESZ (Szigriszt-Pazos 1993 on the INFLESZ scale" in result.out
    assert "target at least 65, limit 55" in result.out

    result, guide = _check_json(GUIDES / "mini-es-read")
    assert result.code == 0
    assert guide["language"] == "es-US" and guide["formulas"] == ["fernandez_huerta", "inflesz"]
    text = json.dumps(guide)
    assert "flesch" not in text and "smog" not in text and '"grade"' not in text
    after = guide["sections"][1]
    assert [(s["words"], s["syllables"]) for s in after["sentences"]] == [(5, 9), (8, 12), (4, 9), (3, 6)]
    figures = after["figures"]
    assert (figures["words"], figures["sentences"], figures["syllables"]) == (20, 4, 36)
    assert figures["fernandez_huerta"] == pytest.approx(93.74, abs=0.01)
    assert figures["inflesz"] == pytest.approx(89.695, abs=0.01)
    verdicts = {v["formula"]: v for v in guide["whole_guide"]["verdicts"]}
    assert set(verdicts) == {"fernandez_huerta", "inflesz"}
    assert verdicts["inflesz"]["target"] == 65 and verdicts["inflesz"]["limit"] == 55
    assert verdicts["inflesz"]["band"] == "muy fácil"


@pytest.fixture()
def es_copy(tmp_path):
    guide = tmp_path / "mini-es-read"
    shutil.copytree(GUIDES / "mini-es-read", guide)
    return guide


def test_hard_spanish_sentence_fails_naming_its_formula(es_copy):
    with (es_copy / "02-despues.md").open("a", encoding="utf-8") as section:
        section.write("\n" + HARD + "\n")
    result = run_kguide("check", "mini-es-read", cwd=es_copy.parent)
    assert result.code == 1
    hard = [line for line in result.out.splitlines() if " hard_sentence: " in line]
    assert hard == [
        hard[0].split(": error")[0] + ": error hard_sentence: very hard to read: INFLESZ -8 "
        "(target at least 65): " + hard_sentence_advice(HARD, language="es-US")
    ]
    assert hard[0].startswith("mini-es-read/02-despues.md:8:1:")
    assert 'warning plain_word: use "Después" instead of "Posteriormente"' in result.out
    assert 'warning plain_word: use "por la vena" instead of "intravenosa"' in result.out
    assert 'warning plain_word: use "médico" instead of "facultativo"' in result.out
    assert "Flesch" not in result.out and "grade" not in result.out
    # 45 words, 5 sentences, 112 syllables: 206.835 - 62.3 * 112/45 - 9 = 42.8, under the limit 55
    assert "section reads below its hard limit: INFLESZ 42.8 (algo difícil) (limit at least 55)" in result.err


def test_spanish_passive_voice_and_inflected_plain_words(es_copy):
    (es_copy / "02-despues.md").write_text(
        "---\ntitle: Después\n---\nSe le administrará la medicina por la mañana.\n"
        "La presión es revisada por la enfermera.\nUsted se siente cansado y está cansada.\n",
        encoding="utf-8",
    )
    result, guide = _check_json(es_copy)
    found = {(f["rule"], f["text"]) for f in guide["findings"]}
    assert ("passive_voice", "Se le administrará") in found
    assert ("passive_voice", "es revisada") in found
    assert not any(rule == "passive_voice" and "cansad" in text for rule, text in found)
    assert ("plain_word", "administrará") in found
    assert [f["suggestion"] for f in guide["findings"] if f["text"] == "administrará"] == ["dar"]


def test_spanish_target_names_its_formula_in_strict_mode(es_copy):
    config = es_copy / "guide.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\n[reading.targets]\ninflesz = 95\n", encoding="utf-8"
    )
    result = run_kguide("check", "mini-es-read", "--strict", cwd=es_copy.parent)
    assert result.code == 1
    assert "the whole guide is past its target: INFLESZ 89.1 (target at least 95)" in result.err
    # a table that sets one formula leaves the others unchecked
    notes = " ".join(result.out.split("targets and limits: ")[1].split())
    assert notes.startswith("Fernandez-Huerta (Fernandez-Huerta 1959, corrected form) not checked")
    assert "target at least 95, limit 55" in notes


def test_target_of_another_language_is_an_input_error_with_its_line(es_copy):
    config = es_copy / "guide.toml"
    text = config.read_text(encoding="utf-8") + "\n[reading.limits]\nsmog_grade = 8\n"
    config.write_text(text, encoding="utf-8")
    line = text.splitlines().index("smog_grade = 8") + 1
    result = run_kguide("check", "mini-es-read", cwd=es_copy.parent)
    assert result.code == 2
    assert (
        f"mini-es-read/guide.toml:{line}: 'reading.limits.smog_grade' is a formula for English text; "
        "the guide's language es-US has fernandez_huerta, inflesz"
    ) in result.err
    assert "Traceback" not in result.err


def test_english_guide_refuses_spanish_formulas(mini_copy):
    config = mini_copy / "guide.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\n[reading.targets]\ninflesz = 65\n", encoding="utf-8"
    )
    result = run_kguide("check", "mini", cwd=mini_copy.parent)
    assert result.code == 2
    assert (
        "'reading.targets.inflesz' is a formula for Spanish text; the guide's language en-US has"
        in result.err
    )


FRENCH = (
    "Votre visite est courte. Lisez ce guide avant de venir et apportez votre carte, la liste de vos "
    "médicaments, une bouteille d'eau, un pull chaud et le numéro de la personne qui vous ramène."
)


def test_language_without_formulas_is_measured_not_scored(es_copy):
    config = es_copy / "guide.toml"
    french = config.read_text(encoding="utf-8").replace('"es-US"', '"fr-FR"')
    config.write_text(french.replace('"555-0100"', '"01 23 45 67 89"'), encoding="utf-8")
    (es_copy / "02-despues.md").write_text("---\ntitle: Après\n---\n" + FRENCH + "\n", encoding="utf-8")
    result = run_kguide("check", "mini-es-read", cwd=es_copy.parent)
    assert (
        'warning: mini-es-read/guide.toml: kguide has no reading formulas for fr (language = "fr-FR"); '
        "the plain-language rules that do not depend on language still run"
    ) in " ".join(line.strip() for line in result.out.splitlines())
    # the rule that does not depend on language still runs: 30 words in one sentence
    assert "error long_sentence: 30 words in one sentence" in result.out
    assert result.code == 1
    for english in ("FK grade", "SMOG", "Flesch", "grade", "INFLESZ"):
        assert english not in result.out
    _, guide = _check_json(es_copy)
    assert guide["formulas"] == [] and guide["whole_guide"]["verdicts"] == []
    assert {f["rule"] for f in guide["findings"]} == {"long_sentence"}


def test_html_report_and_build_name_the_spanish_formulas(tmp_path):
    result = run_kguide("check", "mini-es-read", "--html", str(tmp_path / "html"), cwd=GUIDES)
    assert result.code == 0, result.err
    html = (tmp_path / "html" / "mini-es-read-reading-report.html").read_text(encoding="utf-8")
    assert "<th>Fernandez-Huerta</th><th>INFLESZ</th>" in html
    assert "90 (muy fácil)" in html  # 02-despues.md: INFLESZ 89.695
    assert "Flesch" not in html and "SMOG" not in html
    result = run_kguide("build", "mini-es-read", "--no-audio", "--out", str(tmp_path / "out"), cwd=GUIDES)
    assert result.code == 0, result.err
    assert "mini-es-read: built" in result.out
    assert result.out.rstrip().endswith("(INFLESZ 89 (muy fácil), Fernandez-Huerta 93)")


def test_spanish_medical_term_must_be_explained_where_first_used(es_copy):
    section = es_copy / "02-despues.md"
    section.write_text("---\ntitle: Después\n---\nLe damos ketamina en la clínica.\n", encoding="utf-8")
    _, guide = _check_json(es_copy)
    assert [(f["rule"], f["text"]) for f in guide["findings"]] == [("undefined_term", "ketamina")]
    section.write_text(
        "---\ntitle: Después\n---\nLe damos ketamina, que es una medicina para la depresión.\n",
        encoding="utf-8",
    )
    _, guide = _check_json(es_copy)
    assert guide["findings"] == []


@pytest.mark.parametrize(
    ("sentence", "action"),
    [
        ("Llame a la clínica.", True),
        ("Por favor, traiga su tarjeta.", True),
        ("No maneje hasta mañana.", True),
        ("Si le duele, avise a la enfermera.", True),
        ("Usted debe descansar hoy.", True),
        ("No es grave.", False),
        ("La clínica abre a las ocho.", False),
    ],
)
def test_spanish_sentences_that_tell_the_reader_what_to_do(sentence, action):
    assert is_action(sentence, SPANISH) is action


def test_spanish_pemat_items_read_spanish_wording(es_copy):
    _, guide = _check_json(es_copy)
    items = {i["item"]: i for i in guide["pemat"]["items"]}
    assert items[20]["met"] and items[21]["met"]  # "Llame", "Descanse"; "su tarjeta"
    with (es_copy / "02-despues.md").open("a", encoding="utf-8") as section:
        section.write("\nEl paciente debe traer el 50 % del pago.\n")
    _, guide = _check_json(es_copy)
    items = {i["item"]: i for i in guide["pemat"]["items"]}
    assert not items[21]["met"] and "third person at 02-despues.md:8" in items[21]["detail"]
    assert not items[6]["met"] and "02-despues.md:8" in items[6]["detail"]
