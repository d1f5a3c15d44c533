"""Build speed without a change in what is built: a layout decided for one clinic serves the
next (same pages as a fresh layout, in one render per edition), a rejected layout decision falls
back to a fresh layout, every track is leveled right after one encode, and a rebuild after one
sentence is edited speaks that sentence only."""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import partial

import pytest
from conftest import GUIDES, ROOT, run_kguide

from kguide import booklet
from kguide.loader import load_guide

EDITIONS = ("booklet.pdf", "booklet-large-print.pdf")


def _pages(pdf, tmp) -> list[bytes]:
    """Every page of `pdf` as a small grey picture (poppler), to compare layouts."""
    prefix = tmp / f"{pdf.parent.name}-{pdf.stem}"
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(pdf), str(prefix)], check=True)
    return [p.read_bytes() for p in sorted(tmp.glob(f"{prefix.name}-*.pgm"))]


def _count_renders(monkeypatch) -> list[str]:
    """From now on, each WeasyPrint layout appends its edition's name to the list returned."""
    renders: list[str] = []
    real = booklet._render

    def counted(*args):
        renders.append(args[1].name)
        return real(*args)

    monkeypatch.setattr(booklet, "_render", counted)
    return renders


def _write(guide, folder, layouts, monkeypatch) -> int:
    """Write the guide's booklets into `folder`; return how many layouts WeasyPrint made."""
    real = booklet._render
    renders = _count_renders(monkeypatch)
    pages = [(edition, booklet.render_html(guide, edition)) for edition in booklet.editions(guide)]
    folder.mkdir()
    booklet.write_booklets(guide, pages, folder, layouts)
    monkeypatch.setattr(booklet, "_render", real)
    return len(renders)


def test_a_layout_decided_for_one_clinic_gives_the_next_the_pages_of_a_fresh_layout(tmp_path, monkeypatch):
    sample = load_guide(ROOT / "guides" / "ketamine-first-session")
    layouts: dict = {}
    first = _write(sample.bind("riverside"), tmp_path / "riverside", layouts, monkeypatch)
    assert any(flowing for flowing, _ in layouts.values())  # the sample's parts do go on
    hinted = _write(sample.bind("hillcrest"), tmp_path / "hinted", dict(layouts), monkeypatch)
    fresh = _write(sample.bind("hillcrest"), tmp_path / "fresh", None, monkeypatch)
    assert hinted == len(booklet.editions(sample.bind("hillcrest")))  # one layout per edition
    assert fresh > hinted and first > hinted
    for name in EDITIONS:
        assert _pages(tmp_path / "hinted" / name, tmp_path) == _pages(tmp_path / "fresh" / name, tmp_path)


def test_a_layout_decision_the_layout_does_not_confirm_is_laid_out_afresh(tmp_path, monkeypatch):
    """A decision that would leave a nearly empty page (no part going on, notes pages that do
    not fill the last sheet) is not kept: the booklet is laid out as if there were none."""
    sample = load_guide(ROOT / "guides" / "ketamine-first-session").bind("riverside")
    wrong = {"standard": ([], 1), "large-print": ([], 0)}
    renders = _write(sample, tmp_path / "wrong", wrong, monkeypatch)
    assert renders > len(wrong) + 1  # the hint was rendered, refused, and the parts settled
    fresh = _write(sample, tmp_path / "fresh", None, monkeypatch)
    assert renders == fresh + len(wrong)
    for name in EDITIONS:
        assert _pages(tmp_path / "wrong" / name, tmp_path) == _pages(tmp_path / "fresh" / name, tmp_path)


def test_tracks_are_leveled_in_few_encodes_and_measured_right(tmp_path, tts_cache, monkeypatch):
    """The limiter catches true peaks and the default calibration suits the Piper voice, so
    its tracks are within -16 LUFS +/- the tolerance and under the ceiling in one encode, or
    two or three for a track the limiter takes more or less from; the figures gated from the
    pieces' measurements are those of the joined files; a track leveled again is all cache."""
    from kguide.narration import audio, level, narrate, pieces
    from kguide.narration.cache import SegmentCache
    from kguide.narration.engines import make_engine
    from kguide.narration.script import build_script
    from kguide.narration.spoken import guide_lexicon

    guide = load_guide(GUIDES / "spoken").bind()
    voice = guide.config.voice
    engine = make_engine("piper", voice.voice, voice.rate, guide.config.language)
    tracks = build_script(guide, guide_lexicon(guide).for_engine(engine.describe()), voice.rate)
    cache = SegmentCache(tts_cache / "tts", engine)
    store = pieces.PieceCache(tmp_path / "pieces", "test")
    encodes, counts = [], []
    real = level.make_pieces
    monkeypatch.setattr(level, "make_pieces", lambda *args: encodes.append(args) or real(*args))
    for track in tracks:
        plan = narrate.pieces_of(track, [cache.get(s.spoken) for s in track.segments])
        encodes.clear()
        source_level = partial(narrate.speech_level, plan, tmp_path / "speech.wav")
        leveled = level.level_track(plan, source_level, level.Calibration(), store, tmp_path / "work")
        assert len(encodes) <= 3, track.stem
        counts.append(len(encodes))
        mp3, aac = tmp_path / "t.mp3", tmp_path / "t.aac"
        mp3.write_bytes(b"".join(p.mp3.read_bytes() for p in leveled.pieces))
        aac.write_bytes(b"".join(p.aac.read_bytes() for p in leveled.pieces))
        for measured, gated in (
            (audio.measure_loudness(mp3), leveled.mp3),
            (audio.measure_loudness(aac), leveled.aac),
        ):
            assert abs(measured.integrated - audio.TARGET_LUFS) <= audio.LOUDNESS_TOLERANCE, track.stem
            assert measured.true_peak <= audio.MAX_TP, track.stem
            assert gated.integrated == pytest.approx(measured.integrated, abs=0.1), track.stem
            assert gated.true_peak == pytest.approx(measured.true_peak, abs=0.1), track.stem
        # the same track again: every piece comes from the cache
        encodes.clear()
        again = level.level_track(plan, source_level, level.Calibration(), store, tmp_path / "work")
        assert encodes == [] and [p.mp3 for p in again.pieces] == [p.mp3 for p in leveled.pieces]
        # the limiter holds true peaks (between samples too) near its ceiling, before encoding,
        # even driven 10 dB hard: it runs at twice the 22.05 kHz output rate, which leaves about
        # half a dB between samples (limiting at the output rate leaves up to 1.6 dB here),
        # inside the 1.6 dB between the default ceiling and -1 dBTP
        limited = tmp_path / "limited.wav"
        chain = pieces.leveling_filter(10.0, level.Calibration().ceiling_db)
        raw = tmp_path / "speech.wav"
        audio.join_wavs([(piece.source, piece.trail_ms) for piece in plan], raw, 0, 0)
        audio._ffmpeg("-y", "-i", str(raw), "-af", chain, "-c:a", "pcm_s16le", str(limited))
        assert audio.measure_loudness(limited).true_peak <= level.Calibration().ceiling_db + 0.7, track.stem
    assert sum(counts) <= len(counts) + 2, counts


def test_a_rebuild_after_one_sentence_is_edited_speaks_that_sentence_only(tmp_path, tts_cache):
    guide = tmp_path / "spoken"
    shutil.copytree(GUIDES / "spoken", guide)
    out = tmp_path / "out"
    build = ["build", str(guide), "--out", str(out), "--cache-dir", str(tts_cache)]
    assert run_kguide(*build).code == 0
    _add_sentence(guide)
    result = run_kguide(*build)
    assert result.code == 0, result.err
    assert "(1 segments spoken," in result.err, result.err
    manifest = json.loads((out / "spoken" / "manifest.json").read_text())
    assert manifest  # the rebuild finished and was recorded


def _add_sentence(guide) -> None:
    """Add a sentence to the first paragraph of the guide's first section."""
    section = sorted(guide.glob("0*.md"))[0]
    lines = section.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if i > 2 and line and line[0].isalpha())
    lines[index] += " We are glad you are here."
    section.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _pieces(cache) -> set[str]:
    return {p.stem for p in (cache / "pieces").rglob("*.json")}


def test_a_rebuild_after_one_sentence_is_edited_encodes_only_the_pieces_it_changed(tmp_path):
    """A new sentence is encoded, and the one before it (its pause after changed); every other
    piece of the track comes from the cache, at the gain it was encoded with."""
    guide = tmp_path / "mini"
    shutil.copytree(GUIDES / "mini", guide)
    cache = tmp_path / "cache"
    build = ["build", str(guide), "--out", str(tmp_path / "out"), "--cache-dir", str(cache)]
    assert run_kguide(*build).code == 0
    before = _pieces(cache)
    _add_sentence(guide)
    result = run_kguide(*build)
    assert result.code == 0, result.err
    assert "(1 segments spoken," in result.err, result.err
    assert 1 <= len(_pieces(cache) - before) <= 2


def test_clinics_share_every_piece_but_those_that_name_the_clinic(tmp_path):
    """The second clinic's build encodes only the sentences whose words differ from the first's."""
    from kguide.narration.script import build_script
    from kguide.narration.spoken import guide_lexicon

    cache = tmp_path / "cache"
    guide = load_guide(GUIDES / "clinics")
    build = ["build", str(GUIDES / "clinics"), "--out", str(tmp_path / "out"), "--cache-dir", str(cache)]
    assert run_kguide(*build, "--clinic", "lakeside").code == 0
    first = _pieces(cache)
    assert run_kguide(*build, "--clinic", "hilltop").code == 0
    scripts = []
    for clinic in ("lakeside", "hilltop"):
        bound = guide.bind(clinic)
        tracks = build_script(bound, guide_lexicon(bound), bound.config.voice.rate)
        scripts.append({(t.stem, s.spoken, s.pause_ms) for t in tracks for s in t.segments})
    differing = len(scripts[1] - scripts[0])
    assert 0 < differing < len(scripts[1]) // 4
    # each sentence that names the clinic; now and then also a short track of those whose kept
    # gain no longer measures right with the new name, leveled again (Piper and eSpeak NG vary)
    assert differing <= len(_pieces(cache) - first) <= differing + 2


def _drop_tracks(cache) -> None:
    """Remove the finished tracks from the cache (not the voice's calibration and gains)."""
    for track in (cache / "tracks").iterdir():
        if len(track.stem) == 64:
            track.unlink()


def test_a_damaged_cached_piece_is_encoded_again(tmp_path):
    """A piece whose file was cut short in the cache is not joined into a track: it is made again."""
    guide = tmp_path / "mini"
    shutil.copytree(GUIDES / "mini", guide)
    cache = tmp_path / "cache"
    build = ["build", str(guide), "--out", str(tmp_path / "out"), "--cache-dir", str(cache)]
    assert run_kguide(*build).code == 0
    _drop_tracks(cache)
    shutil.rmtree(cache / "pieces")  # left: the pieces the tracks are made of, at their last gains
    assert run_kguide(*build, "--force").code == 0
    piece = max((cache / "pieces").rglob("*.mp3"), key=lambda p: p.stat().st_size)
    whole = piece.read_bytes()
    piece.write_bytes(whole[: len(whole) // 2])
    _drop_tracks(cache)
    before = _pieces(cache)
    result = run_kguide(*build, "--force")
    assert result.code == 0, result.err
    assert _pieces(cache) == before  # the same gains: every other piece came from the cache
    assert len(piece.read_bytes()) > len(whole) // 2  # made again, whole
