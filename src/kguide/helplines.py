"""The numbers a patient may need at once (emergency, crisis line), by the guide's language tag,
from one data file (data/help_lines.toml) that the booklet, the listen page and the audio read."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=8)
def help_lines(language: str) -> dict | None:
    """The emergency and crisis numbers for a language tag, or None when kguide has none."""
    data = tomllib.loads(
        files("kguide").joinpath("data").joinpath("help_lines.toml").read_text(encoding="utf-8")
    )
    return data.get(language)
