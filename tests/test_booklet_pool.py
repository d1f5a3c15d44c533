"""A single clinic whose audio is made has its booklets laid out by a worker process, beside
the speech, not in the build's own process; with no audio (or booklets already in the cache)
no worker is started and the build's own thread does the work."""

from __future__ import annotations

from conftest import GUIDES
from pdftools import page_count

from kguide import booklet
from kguide.build import BuildOptions, build_clinics


def _build(tmp_path, monkeypatch, cache, audio: bool):
    """Build the small fixture guide; return the layouts made in this process and the result."""
    renders: list[str] = []
    real = booklet._render

    def counted(*args):
        renders.append(args[1].name)
        return real(*args)

    monkeypatch.setattr(booklet, "_render", counted)
    options = BuildOptions(out=tmp_path / "out", cache_dir=cache, audio=audio, force=True)
    (result,) = build_clinics(GUIDES / "mini", options)
    monkeypatch.setattr(booklet, "_render", real)
    return renders, result


def test_a_single_clinic_with_audio_lays_its_booklets_out_in_a_worker(tmp_path, monkeypatch):
    renders, result = _build(tmp_path, monkeypatch, tmp_path / "cache", audio=True)
    assert renders == []  # not one layout in the build's own process
    assert result.audio is not None
    pdf = result.folder / "booklet.pdf"
    assert page_count(pdf) == result.pages > 0
    assert list((tmp_path / "cache" / "booklets").glob("*/*/pages.json"))  # the worker's entry


def test_a_build_with_no_audio_lays_its_booklets_out_itself(tmp_path, monkeypatch):
    renders, result = _build(tmp_path, monkeypatch, tmp_path / "cache", audio=False)
    assert set(renders) == {e.name for e in booklet.editions(result.guide)}
    assert page_count(result.folder / "booklet.pdf") == result.pages > 0
