"""The strings tables: every fixed phrase of the booklet, narration, listen page and EPUB comes
from the table of the guide's language. The tables hold the same keys and placeholders; a
Spanish guide's outputs hold no English phrase; a missing phrase is a bug (exit 3), a language
with no table a clear input error (exit 2)."""

from __future__ import annotations

import html
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from conftest import GUIDES, build_fixture, run_kguide
from pdftools import link_annotations, outline, struct_elements, text

from kguide import booklet
from kguide.loader import load_guide
from kguide.locale.strings import (
    MissingPhrase,
    Strings,
    languages,
    placeholders,
    strings_for,
    table,
)
from kguide.narration.script import build_script, script_text
from kguide.narration.spoken import Lexicon
from kguide.readability.report import SCOPE_NOTE

# ---- the tables -------------------------------------------------------------------------------


def _forms(phrase) -> dict[str, str]:
    return phrase if isinstance(phrase, dict) else {"": phrase}


@pytest.mark.parametrize("language", [lang for lang in languages() if lang != "en"])
def test_every_table_has_the_keys_and_placeholders_of_english(language):
    english, other = table("en"), table(language)
    assert sorted(set(english) - set(other)) == [], f"missing in {language}.toml"
    assert sorted(set(other) - set(english)) == [], f"in {language}.toml, not in en.toml"
    for key, phrase in english.items():
        theirs = other[key]
        assert set(_forms(phrase)) == set(_forms(theirs)), f"{key}: plural forms differ"
        for form, words in _forms(phrase).items():
            assert placeholders(words) == placeholders(_forms(theirs)[form]), f"{key} {form}"


@pytest.mark.parametrize("language", languages())
def test_phrases_are_well_formed(language):
    # a key must not hide a method or attribute of the table (t.keys, t.language)
    methods = {name for name in [*dir(Strings), *vars(strings_for("en"))] if not name.startswith("_")}
    for key, phrase in table(language).items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", key) and key not in methods, key
        assert not key.startswith("jinja_"), key
        if isinstance(phrase, dict):
            assert set(phrase) == {"one", "other"}, key
            assert all("count" in placeholders(p) for p in phrase.values()), key
        for words in _forms(phrase).values():
            assert isinstance(words, str) and words.strip() == words and words, key
            placeholders(words)  # raises on anything but a plain name


def test_the_languages_kguide_has():
    assert {"en", "es"} <= set(languages())


def test_a_phrase_is_picked_by_the_primary_subtag_and_counted():
    t = strings_for("es-US")
    assert t.important == "Importante" and strings_for("es-MX").important == "Importante"
    assert t("intro_parts", count=1) == "Esta guía tiene 1 parte."
    assert t("intro_parts", count=3) == "Esta guía tiene 3 partes."
    assert strings_for("en-GB")("intro_minutes", count=1).endswith("1 minute.")


def test_values_are_never_read_as_formats_and_markup_is_escaped():
    t = strings_for("en")
    assert t("step", number="{number.__class__}") == "Step {number.__class__}."
    assert str(t.html("picture_shows", alt="<b>&")) == "A picture shows: &lt;b&gt;&amp;"


def test_a_missing_or_misused_phrase_is_a_bug_never_english():
    t = strings_for("es")
    with pytest.raises(MissingPhrase, match="no_such_phrase"):
        _ = t.no_such_phrase
    with pytest.raises(MissingPhrase, match="step"):
        t("step")  # its {number} not given
    with pytest.raises(MissingPhrase, match="intro_parts"):
        t("intro_parts")  # plural forms need a count


def test_a_template_asking_for_a_missing_phrase_exits_3_naming_it(mini_copy, tmp_path):
    own = mini_copy / "own" / "booklet"
    own.mkdir(parents=True)
    source = (booklet.package_templates() / "booklet" / "booklet.html.j2").read_text(encoding="utf-8")
    (own / "booklet.html.j2").write_text(
        source.replace("{{ t.how_to_use }}", "{{ t.how_to_use_this }}"), encoding="utf-8"
    )
    config = mini_copy / "guide.toml"
    config.write_text('templates = "own"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_kguide("build", str(mini_copy), "--out", str(tmp_path / "out"), "--no-audio")
    assert result.code == 3, result.err
    assert "how_to_use_this" in result.err and "Traceback" not in result.err


def test_a_language_with_no_table_is_an_input_error(mini_copy, tmp_path):
    config = mini_copy / "guide.toml"
    french = config.read_text(encoding="utf-8").replace("en-US", "fr-FR")
    config.write_text(re.sub(r'phone = "[^"]*"', 'phone = "01 23 45 67 89"', french), encoding="utf-8")
    result = run_kguide("build", str(mini_copy), "--out", str(tmp_path / "out"), "--no-audio")
    assert result.code == 2, result.err
    assert "guide.toml:2:" in result.err and "'fr-FR'" in result.err
    assert "languages kguide has: en, es" in result.err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))


# ---- the outputs of a Spanish guide -----------------------------------------------------------


# Words spelled the same in English and Spanish, so not a sign of English (the Spanish table is
# not consulted: a phrase left in English there must still be found).
SAME_IN_SPANISH = {"error"}


def _fragments(language: str = "en") -> dict[str, set[str]]:
    """Each phrase's words between placeholders, of at least four letters ("MB" and "min" are
    the same in both languages)."""
    found: dict[str, set[str]] = {}
    for key, phrase in table(language).items():
        for words in _forms(phrase).values():
            for piece in re.split(r"\{[a-z_]+\}", words):
                piece = piece.strip(" .,:;()")
                if sum(c.isalpha() for c in piece) >= 4 and piece not in SAME_IN_SPANISH:
                    found.setdefault(piece, set()).add(key)
    return found


def _word_search(piece: str, words: str) -> bool:
    """`piece` in `words` as whole words ("Important" is not in "Importante")."""
    return re.search(r"(?<!\w)" + re.escape(piece) + r"(?!\w)", words) is not None


def english_in(texts: dict[str, str]) -> list[str]:
    """Every English phrase fragment found in any of `texts` (name -> text), as name: words."""
    hits = []
    for piece, keys in sorted(_fragments().items()):
        for name, words in texts.items():
            if _word_search(piece, words):
                hits.append(f"{name}: {piece!r} ({', '.join(sorted(keys))})")
    return hits


class _Visible(HTMLParser):
    """The words a reader or a screen reader meets in an HTML or XHTML page: text, and the
    attributes read aloud or shown (alt, title, aria-label, label, content, data-*); CSS is read
    only for its quoted strings (the booklet's notes pages take their title from one)."""

    SPOKEN = {"alt", "title", "aria-label", "label", "content", "data-running", "data-label"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        self.in_style = tag == "style"
        self.parts += [value for name, value in attrs if name in self.SPOKEN and value]

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            data = " ".join(re.findall(r'"([^"]*)"', data))
        self.parts.append(data)


# Words of English that no Spanish text has: a fixed phrase written into a template or a module,
# not in en.toml, shows up by them.
ENGLISH_WORDS = (
    "the",
    "you",
    "your",
    "this",
    "with",
    "and",
    "of",
    "to",
    "is",
    "are",
    "for",
    "from",
    "at",
    "or",
    "it",
)


def english_words_in(texts: dict[str, str]) -> list[str]:
    pattern = re.compile(r"(?<![\w/.@-])(" + "|".join(ENGLISH_WORDS) + r")(?![\w/.@-])", re.IGNORECASE)
    hits = []
    for name, words in texts.items():
        for match in pattern.finditer(words):
            hits.append(f"{name}: ...{words[max(0, match.start() - 40) : match.end() + 40]}...")
    return hits


def visible(markup: str) -> str:
    parser = _Visible()
    parser.feed(markup)
    return " ".join(" ".join(html.unescape(p) for p in parser.parts).split())


def _pdf_words(pdf: Path) -> str:
    words = [text(pdf)]
    words += [a["contents"] for a in link_annotations(pdf)]
    words += [alt for _, alt in struct_elements(pdf)]
    words += [title for title, _ in outline(pdf)]
    return " ".join(" ".join(words).split())


@pytest.fixture(scope="module")
def es_build(tmp_path_factory, tts_cache) -> Path:
    return build_fixture(tmp_path_factory, tts_cache, "mini-es")


def _outputs(build: Path, guide_dir: Path) -> dict[str, str]:
    """Every output's words: both booklets (PDF text, link descriptions, alt texts, bookmarks),
    the booklet HTML with notes pages, the narration script, transcript and captions, the
    listen page, every file of the EPUB and the audio's tags."""
    from mutagen.id3 import ID3

    guide = load_guide(guide_dir).bind()
    texts = {name: _pdf_words(build / name) for name in ("booklet.pdf", "booklet-large-print.pdf")}
    for edition in booklet.editions(guide):
        texts[f"{edition.name} HTML"] = visible(booklet.render_html(guide, edition, notes_pages=2))
    texts["script"] = script_text(build_script(guide, Lexicon(), guide.config.voice.rate))
    for name in ("transcript.txt", "captions.vtt"):
        texts[name] = (build / name).read_text(encoding="utf-8")
    texts["listen page"] = visible((build / "site" / "index.html").read_text(encoding="utf-8"))
    with zipfile.ZipFile(build / f"{guide_dir.name}.epub") as book:
        for name in book.namelist():
            if name.endswith((".xhtml", ".opf", ".svg")):
                texts[f"EPUB {name}"] = visible(book.read(name).decode("utf-8"))
    tags = ID3(build / "audio" / f"{guide_dir.name}.mp3")
    texts["MP3 tags"] = " ".join(
        str(frame) for frame in tags.values() if not frame.FrameID.startswith("APIC")
    )
    return texts


def test_a_spanish_guide_has_no_english_phrase_in_any_output(es_build):
    texts = _outputs(es_build, GUIDES / "mini-es")
    assert english_in(texts) == []
    assert english_words_in(texts) == []
    # and the Spanish phrases are there, in every kind of output
    t = strings_for("es-US")
    assert t.how_to_use in texts["booklet.pdf"] and t.checkbox_ticked in texts["booklet.pdf"]
    assert t.notes in texts["standard HTML"]
    assert t("step", number=1) in texts["script"] and t.questions_pause in texts["transcript.txt"]
    assert t.read_along in texts["listen page"] and t.audio_player in texts["listen page"]
    assert t.contents in texts["EPUB EPUB/nav.xhtml"]
    assert (
        t(
            "album_description",
            count=3,
            title="Su cita en pocas palabras",
            clinic="Clínica de Prueba del Lago",
        )
        in texts["MP3 tags"]
    )


def test_a_spanish_guide_s_reading_report_has_spanish_labels(es_build, mini_build):
    """The report's own words. Its findings, scope note and PEMAT items come from the reading
    check, not the strings table: the PEMAT rows are left out here, and only the phrases of
    en.toml are looked for (formula names are names)."""

    def own_words(report: Path) -> str:
        page = report.read_text(encoding="utf-8")
        page = page.replace(html.escape(SCOPE_NOTE, quote=True), "")
        return visible(re.sub(r"<tr><td class='n'>.*?</tr>", "", page))

    spanish = own_words(es_build / "reading-report.html")
    assert english_in({"reading report": spanish}) == []
    t = strings_for("es")
    assert t.report_findings in spanish and t.report_the_guide in spanish
    english = own_words(mini_build / "reading-report.html")
    assert len(english_in({"reading report": english})) > 10


def test_the_english_check_finds_english_in_an_english_guide(mini_build):
    """The check above is able to fail: on the English fixture it finds the phrases of every
    kind of output."""
    hits = english_in(_outputs(mini_build, GUIDES / "mini"))
    for output in (
        "booklet.pdf",
        "standard HTML",
        "script",
        "listen page",
        "EPUB EPUB/nav.xhtml",
        "MP3 tags",
    ):
        assert any(hit.startswith(output + ":") for hit in hits), output
    assert any("'Notes' (notes)" in hit for hit in hits)
    assert len(english_words_in({"listen page": _outputs(mini_build, GUIDES / "mini")["listen page"]})) > 10


def test_a_spanish_guide_s_outputs_say_their_language(es_build):
    with pikepdf.open(es_build / "booklet.pdf") as pdf:
        assert str(pdf.Root.Lang) == "es-US"
    page = (es_build / "site" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="es-US">' in page and 'srclang="es-US"' in page
    with zipfile.ZipFile(es_build / "mini-es.epub") as book:
        for name in [n for n in book.namelist() if n.endswith(".xhtml")]:
            assert 'xml:lang="es-US"' in book.read(name).decode("utf-8"), name
        assert "<dc:language>es-US</dc:language>" in book.read("EPUB/package.opf").decode("utf-8")


def test_a_checkbox_label_in_spanish_is_still_the_list_item_s_label(es_build):
    """The PDF repair finds a checklist's box by the label of the guide's language."""
    labels = [alt for kind, alt in struct_elements(es_build / "booklet.pdf") if kind == "/Lbl" and alt]
    assert labels == ["Casilla, sin marcar", "Casilla, marcada"]
