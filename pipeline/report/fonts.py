"""Chinese text in the report renders without tofu, offline, on any machine that opens it.

The report embeds a subset of a CJK font (only the characters it prints, as base64 WOFF in an
@font-face rule), taken from the machine that writes it: the font named in scorecards.toml's
[report] section, else what fontconfig picks for Traditional Chinese, else a known system path.
Whoever opens the file then needs no font of their own. When no CJK font is found, the page still
names the usual Traditional Chinese system fonts (PingFang TC, Microsoft JhengHei, Noto Sans CJK
TC), which most readers' machines have.
"""

from __future__ import annotations

import base64
import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

FAMILY = "ScorecardsCJK"
STACK = (
    f'"{FAMILY}", "Noto Sans CJK TC", "Noto Sans TC", "Source Han Sans TC", "PingFang TC", '
    '"Microsoft JhengHei", "Heiti TC", sans-serif'
)
PROBE = "臺"  # a Traditional Chinese character every office name has
KNOWN_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msjh.ttc",
)


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int = 0  # the face within a .ttc collection


def _covers(font: FontFile, char: str = PROBE) -> bool:
    try:
        face = TTFont(font.path, fontNumber=font.index, lazy=True)
        return ord(char) in (face.getBestCmap() or {})
    except Exception:  # an unreadable or odd font file is simply not a candidate
        return False


def _traditional_face(path: Path) -> FontFile:
    """In a collection, the Traditional Chinese face (its family name ends in TC), else the first."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return FontFile(path)
    names = [face["name"].getDebugName(1) or "" for face in TTCollection(path, lazy=True).fonts]
    index = next((i for i, name in enumerate(names) if name.endswith(" TC") and "Mono" not in name), 0)
    return FontFile(path, index)


def _fontconfig_choice() -> FontFile | None:
    if shutil.which("fc-match") is None:
        return None
    done = subprocess.run(
        ["fc-match", "--format=%{file}\n%{index}", "sans-serif:lang=zh-tw"], capture_output=True, text=True, timeout=10
    )
    lines = done.stdout.splitlines()
    if done.returncode != 0 or len(lines) < 2 or not Path(lines[0]).is_file():
        return None
    return FontFile(Path(lines[0]), int(lines[1] or 0))


def find_cjk_font(configured: Path | None = None) -> FontFile | None:
    """A font with Traditional Chinese glyphs on this machine, or None."""
    if configured is not None:
        return _traditional_face(configured)
    candidates = [_fontconfig_choice(), *(_traditional_face(Path(p)) for p in KNOWN_PATHS if Path(p).is_file())]
    return next((font for font in candidates if font is not None and _covers(font)), None)


def font_face_css(font: FontFile, text: str) -> str:
    """An @font-face rule embedding `font` cut down to the characters of `text` (WOFF, base64)."""
    face = TTFont(font.path, fontNumber=font.index, lazy=False)
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text))))
    subsetter.subset(face)
    buffer = io.BytesIO()
    face.flavor = "woff"
    face.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'@font-face {{ font-family: "{FAMILY}"; src: url(data:font/woff;base64,{data}) format("woff"); }}'
