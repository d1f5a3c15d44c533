"""What a patient reaches from the clinic's audio address: the listen page (`site/`) and the
read-along EPUB, both made from the guide's text and the audio's sentence timings."""

from __future__ import annotations

from pathlib import Path

from ..model import Guide
from ..narration.narrate import GuideAudio
from ..narration.script import Track


def write_listen_outputs(guide: Guide, tracks: list[Track], audio: GuideAudio, folder: Path) -> None:
    """Write <guide>.epub and site/ into the build folder `folder` (after the audio and the
    booklets: the site holds copies of them)."""
    from ..epub.book import write_epub
    from .readalong import read_along, site_facts
    from .site import write_site

    text = read_along(guide, tracks, audio)
    facts = site_facts(guide)
    write_epub(text, facts, folder)
    write_site(text, facts, folder)


def listen_preview(guide: Guide, tracks: list[Track], audio: GuideAudio) -> tuple[str, dict[str, str]]:
    """The listen page's HTML (fonts and pictures as file URLs) and its CSS and script by name,
    for a preview: nothing is written."""
    from .readalong import read_along, site_facts
    from .site import preview_page

    return preview_page(read_along(guide, tracks, audio), site_facts(guide))
