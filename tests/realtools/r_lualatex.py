"""LuaLaTeX renderer: r_latex's tables typeset by LuaTeX-ja instead of xeCJK.

LuaTeX-ja breaks CJK lines by its own rules (JIS X 4051-like kinsoku, its own glue between
ideographs, Latin and punctuation: 'xkanjiskip' a quarter em), and LuaTeX writes its own font
subsets and text layer (one text object per line, glyphs positioned by TJ kerns).
"""

from __future__ import annotations

import random
from pathlib import Path

from . import r_latex
from .generate import _cmd_version
from .spec import Deck


def tool_version(engine: str | None = None) -> str:
    return _cmd_version(["lualatex", "--version"])


def producer_options(rng: random.Random, style: dict) -> dict:
    return {"repeat_header": rng.random() < 0.5, "gutter_pt": rng.choice([1.5, 2, 3])}


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """As r_latex.render. LuaTeX-ja breaks no line inside a Latin run or before closing
    punctuation, so a narrow column can overflow into the page margin: then the type is set a
    point smaller (down to 7 pt) and the deck typeset again."""
    opts = {**(options or {}), "engine": "lualatex"}
    while True:
        used = r_latex.render(deck, out_pdf, opts)
        pt = int(used["font_pt"])
        if pt <= 7 or not any("outside the page" in p for p in used["problems"]):
            return used
        opts = {**opts, "font_pt": pt - 1}
