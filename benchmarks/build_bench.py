"""Times kguide on the sample guide beside the raw engines it drives, and prints the ratios.

    .venv/bin/python benchmarks/build_bench.py [GUIDE_DIR]

Measured, in one run on one machine:
  cold build        kguide build with an empty output folder and an empty speech cache
  no-change rebuild kguide build again, nothing changed
  one-edit rebuild  kguide build after one paragraph of one section changed
  check             kguide check (the reading-level check alone)
  raw eSpeak NG     espeak-ng speaking the whole transcript to one WAV file, at the same rate
  raw WeasyPrint    WeasyPrint rendering kguide's booklet HTML to PDF, with nothing else
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(args: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, **kwargs)
    return time.perf_counter() - start


def main() -> int:
    sample = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "guides" / "ketamine-first-session"
    kguide = [sys.executable, "-m", "kguide"]
    with tempfile.TemporaryDirectory(prefix="kguide-bench-") as tmp:
        work = Path(tmp)
        guide = work / sample.name
        shutil.copytree(sample, guide)
        out, cache = work / "out", work / "cache"
        build = kguide + ["build", str(guide), "--out", str(out), "--cache-dir", str(cache)]

        results: dict[str, float] = {}
        results["cold build"] = timed(build)
        results["no-change rebuild"] = timed(build)
        section = sorted(guide.glob("[0-9][0-9]-*.md"))[1]
        text = section.read_text(encoding="utf-8")
        lines = text.splitlines()
        # change the first plain paragraph line after the front matter
        index = next(i for i, l in enumerate(lines) if i > 2 and l and l[0].isalpha())
        lines[index] = lines[index] + " We are glad you are here."
        section.write_text("\n".join(lines) + "\n", encoding="utf-8")
        results["one-edit rebuild"] = timed(build)
        results["check"] = timed(kguide + ["check", str(guide)])

        # The raw engines on the same text.
        built = out / sample.name
        transcript = (built / "transcript.txt").read_text(encoding="utf-8")
        rate = _rate(guide)
        results["raw eSpeak NG"] = timed(
            ["espeak-ng", "-v", "en-us", "-s", str(rate), "-w", str(work / "raw.wav")], input=transcript.encode()
        )
        html_file = work / "booklet.html"
        subprocess.run(
            [sys.executable, "-c", _DUMP_HTML, str(guide), str(html_file)], check=True, capture_output=True
        )
        results["raw WeasyPrint"] = timed(
            [sys.executable, "-c", _RAW_WEASYPRINT, str(html_file), str(guide), str(work / "raw.pdf")]
        )
        audio_seconds = _duration(built / "audio" / f"{sample.name}.mp3")

    width = max(len(k) for k in results)
    print(f"kguide benchmark: {sample.name} ({audio_seconds / 60:.1f} min of audio)")
    for name, seconds in results.items():
        print(f"  {name:<{width}}  {seconds:8.2f} s")
    raw = results["raw eSpeak NG"] + results["raw WeasyPrint"]
    print("ratios:")
    print(f"  cold build / (raw eSpeak NG + raw WeasyPrint)   {results['cold build'] / raw:6.2f}x")
    print(f"  no-change rebuild / cold build                   {results['no-change rebuild'] / results['cold build']:6.3f}x")
    print(f"  one-edit rebuild / cold build                    {results['one-edit rebuild'] / results['cold build']:6.3f}x")
    print(f"  one-edit rebuild / (raw eSpeak NG + WeasyPrint)  {results['one-edit rebuild'] / raw:6.2f}x")
    print(f"  audio real-time factor of the cold build         {results['cold build'] / audio_seconds:6.3f}")
    return 0


def _rate(guide: Path) -> int:
    import tomllib

    data = tomllib.loads((guide / "guide.toml").read_text(encoding="utf-8"))
    return int(data.get("voice", {}).get("rate", 150))


def _duration(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True, text=True, check=True,
    ).stdout
    return float(out.strip())


_DUMP_HTML = """
import sys
from pathlib import Path
from kguide import booklet
from kguide.guide import load_guide
guide = load_guide(Path(sys.argv[1]))
Path(sys.argv[2]).write_text(booklet.render_html(guide, booklet.editions(guide)[0]), encoding="utf-8")
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
