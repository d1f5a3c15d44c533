"""The listen page (site/) of a built fixture guide, in headless Chromium (Debian's, driven by
Playwright): it loads from disk asking for nothing outside its folder, axe-core finds no
violation, the part buttons and the transcript drive the player, the sentence at the player's
time is marked, and the keyboard alone reaches every control."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from webtools import AXE, CHROMIUM_ARGS, chromium, require
from webtools import cues as _cues

from kguide.narration.chapters import read_mp3_chapters

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(scope="module")
def site(clinics_build) -> Path:
    return clinics_build / "lakeside" / "site"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, site):
    """The page at phone width, with every request it makes recorded in `page.requests`."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto((site / "index.html").as_uri())
    page.wait_for_function("document.getElementById('player').readyState >= 1")
    yield page
    context.close()


def _seek(page, seconds: float) -> None:
    page.evaluate(
        """t => new Promise(done => { const a = document.getElementById('player');
             a.addEventListener('seeked', () => done(), {once: true}); a.currentTime = t; })""",
        seconds,
    )


def test_page_loads_from_disk_asking_nothing_outside_its_folder(page, site):
    page.evaluate("document.fonts.ready")
    folder = site.resolve().as_uri() + "/"
    assert page.requests, "no request recorded"
    outside = [url for url in page.requests if not url.startswith(folder)]
    assert not outside, outside
    for url in page.requests:  # and everything it asks for is there
        assert (site / url[len(folder) :].split("#")[0]).is_file(), url
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family + ' ' + f.weight)"
    )
    assert any("Atkinson Hyperlegible" in face for face in loaded), loaded


def test_page_content(page, site):
    assert page.get_attribute("html", "lang") == "en-US"
    assert page.inner_text("h1") == "Getting ready"
    assert "Lakeside Test Clinic" in page.inner_text("header")
    assert page.locator("audio source").get_attribute("src") == "audio/clinics.mp3"
    track = page.locator("audio track")
    assert track.get_attribute("kind") == "captions" and track.get_attribute("src") == "captions.vtt"
    assert page.locator('a[href="tel:5550100"]').count() >= 2
    help_text = page.inner_text("footer")
    assert "988" in help_text and "911" in help_text
    assert page.locator('a[href="tel:988"]').count() == 1 and page.locator('a[href="tel:911"]').count() == 1
    links = page.eval_on_selector_all(".downloads a", "as => as.map(a => a.getAttribute('href'))")
    assert {"clinics.epub", "audio/clinics.m4b", "booklet.pdf", "booklet-large-print.pdf"} <= set(links)
    assert sum(1 for link in links if re.fullmatch(r"audio/\d\d-[a-z-]+\.mp3", link)) == 5
    for link in links:
        assert (site / link).is_file(), link


def test_page_weighs_under_100_kb(site):
    size = sum((site / name).stat().st_size for name in ("index.html", "listen.css", "listen.js"))
    assert size < 100_000, size


def test_axe_finds_no_violation(page, browser, site):
    require(AXE, "axe-core")
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
        ]
        assert not violations, "\n".join(violations)
        assert len(result["passes"]) > 20  # axe really ran its rules


def test_part_button_moves_the_player_to_the_part_start(page, site):
    chapters = read_mp3_chapters(site / "audio" / "clinics.mp3")  # the marks in the MP3 itself
    button = page.get_by_role("button", name=re.compile(r"^Part 3: Words to know"))
    button.click()
    start = chapters[3][0]  # the introduction is chapter 0
    assert chapters[3][2] == "Words to know"
    time = page.evaluate("document.getElementById('player').currentTime")
    assert start - 0.01 <= time < start + 1.0, (time, start)
    assert button.get_attribute("aria-current") == "true"
    assert page.inner_text("#now-part") == "Part 3: Words to know"


def test_player_time_marks_the_sentence_being_spoken(page, site):
    """For every caption cue shown word for word as a sentence, the middle of the cue marks it."""
    checked = 0
    cues = _cues(site / "captions.vtt")
    shown = page.eval_on_selector_all("#text .s", "es => es.map(e => e.textContent.trim())")
    for start, end, words in cues:
        if words not in shown:
            continue
        _seek(page, (start + end) / 2)
        marked = page.eval_on_selector_all("#text .s.now", "es => es.map(e => e.textContent.trim())")
        assert marked == [words], ((start + end) / 2, marked)
        checked += 1
    assert checked >= len(cues) * 0.6, f"only {checked} of {len(cues)} cues are shown word for word"


def test_a_sentence_plays_from_its_start_by_click_and_by_keyboard(page):
    sentence = page.locator("#text .s", has_text="How much of a drug you get at one time.")
    begin = float(sentence.get_attribute("data-begin"))
    sentence.click()
    time = page.evaluate("document.getElementById('player').currentTime")
    assert begin - 0.01 <= time < begin + 1.0
    page.evaluate("document.getElementById('player').pause()")
    _seek(page, 0)
    other = page.locator("#text .s", has_text="Bring these things with you.")
    other.focus()
    page.keyboard.press("ArrowDown")  # the next sentence: "Your photo ID" (after the checklist's words)
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Your photo ID"
    page.keyboard.press("Enter")
    target = float(page.evaluate("document.activeElement.getAttribute('data-begin')"))
    time = page.evaluate("document.getElementById('player').currentTime")
    assert target - 0.01 <= time < target + 1.0


def test_keyboard_alone_reaches_every_control(page):
    """Tab from the top: every link, button, the player, the checkbox and the transcript are
    reached, each showing a visible focus outline."""
    wanted = page.evaluate(
        """() => [...document.querySelectorAll('a[href], button, input, audio[controls]')]
                 .filter(e => e.tagName === 'AUDIO' || !e.closest('audio'))  /* not the fallback */
                 .map(e => e.outerHTML.slice(0, 80))"""
    )
    reached, transcript = set(), False
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("body").focus()
    for _ in range(len(wanted) + 15):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                 return {html: e.outerHTML.slice(0, 80), sentence: e.classList.contains('s'),
                         outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                         audio: e.tagName === 'AUDIO', body: e === document.body}; }"""
        )
        if info["body"]:  # past the last control
            continue
        reached.add(info["html"])
        transcript |= info["sentence"]
        assert info["outline"] or info["audio"], f"no visible focus on {info['html']}"
    missing = [w for w in wanted if w not in reached]
    assert not missing, missing
    assert transcript, "Tab never reached the transcript"


@pytest.mark.parametrize("width", [320, 640])  # 640 px: a 1280 px window at 200% zoom
def test_no_sideways_scrolling(browser, site, width):
    context = browser.new_context(viewport={"width": width, "height": 700})
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert scroll_width <= width


def test_reduced_motion_turns_smooth_scrolling_off(browser, site):
    behaviours = {}
    for motion in ("reduce", "no-preference"):
        context = browser.new_context(reduced_motion=motion)
        page = context.new_page()
        page.goto((site / "index.html").as_uri())
        behaviours[motion] = page.evaluate("getComputedStyle(document.documentElement).scrollBehavior")
        context.close()
    assert behaviours == {"reduce": "auto", "no-preference": "smooth"}


def test_each_clinic_gets_its_own_page_and_book(clinics_build):
    clinics = {
        "lakeside": ("Lakeside Test Clinic", "555-0100"),
        "hilltop": ("Hilltop Test Clinic", "555-0199"),
    }
    for clinic_id, (name, phone) in clinics.items():
        folder = clinics_build / clinic_id
        html = (folder / "site" / "index.html").read_text(encoding="utf-8")
        assert name in html and f'href="tel:{phone.replace("-", "")}"' in html
        others = [n for i, (n, _) in clinics.items() if i != clinic_id]
        assert not any(n in html for n in others)
        with zipfile.ZipFile(folder / "clinics.epub") as book:
            opf = book.read("EPUB/package.opf").decode()
        assert f"<dc:creator>{name}</dc:creator>" in opf
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert {"clinics.epub", "site/index.html", "site/audio/clinics.mp3"} <= set(manifest["outputs"])
        # the site's files are the build's own (same bytes), so the folder can be published alone
        for name_ in (
            "audio/clinics.mp3",
            "audio/clinics.m4b",
            "captions.vtt",
            "booklet.pdf",
            "clinics.epub",
        ):
            assert (folder / "site" / name_).read_bytes() == (folder / name_).read_bytes(), name_
