"""CJK font files for renderers that take a file rather than a fontconfig family name.

Debian ships the CJK fonts as collections (.ttc); drawing libraries want a single face, so the wanted
face is saved once as a standalone file under a cache folder.  Characters a face lacks are reported so
a renderer without font fallback can print the plain ideograph instead of a lookalike it cannot show.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from .spec import fold

FACES = {
    "Noto Sans CJK TC": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 3, "otf"),
    "Noto Serif CJK TC": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 3, "otf"),
    "WenQuanYi Zen Hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, "ttf"),
    "AR PL UMing TW": ("/usr/share/fonts/truetype/arphic/uming.ttc", 2, "ttf"),
    "AR PL UKai TW": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 2, "ttf"),
}
TRUETYPE = ["WenQuanYi Zen Hei", "AR PL UMing TW", "AR PL UKai TW"]


def cache_dir() -> Path:
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "fonts"
    d.mkdir(parents=True, exist_ok=True)
    return d


@cache
def face_file(family: str) -> str:
    """Path of a single-face font file for `family` (extracted from the system collection once)."""
    from fontTools.ttLib import TTCollection

    src, index, ext = FACES[family]
    out = cache_dir() / f"{family.replace(' ', '')}.{ext}"
    if not out.exists():
        TTCollection(src, lazy=False).fonts[index].save(str(out))
    return str(out)


@cache
def charset(family: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(face_file(family), lazy=True).getBestCmap())


def printable(text: str, family: str) -> str:
    """`text` with every character the face cannot draw replaced by its folded form (same truth)."""
    cs = charset(family)
    return "".join(c if ord(c) in cs or c in "\n " else fold(c) for c in text)


def subset_file(family: str, chars: set[str]) -> str:
    """A copy of the face holding only `chars` (plus ASCII), for libraries that cannot subset CFF fonts."""
    import hashlib

    from fontTools import subset

    text = "".join(sorted(set(chars) | {chr(c) for c in range(32, 127)}))
    digest = hashlib.sha1((family + text).encode()).hexdigest()[:12]
    out = cache_dir() / f"sub-{digest}{Path(face_file(family)).suffix}"
    if not out.exists():
        opts = subset.Options()
        opts.layout_features = ["*"]
        opts.name_IDs = ["*"]
        opts.notdef_outline = True
        font = subset.load_font(face_file(family), opts)
        sub = subset.Subsetter(opts)
        sub.populate(text=text)
        sub.subset(font)
        subset.save_font(font, str(out), opts)
    return str(out)
