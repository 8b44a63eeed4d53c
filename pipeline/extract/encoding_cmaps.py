"""Type0 fonts whose /Encoding CMap pdfminer reads wrong, read right.

A Type0 font maps the codes of a shown string to glyph ids (CIDs) through its /Encoding CMap.
Two kinds pdfminer (20260107) gets wrong:

- An embedded CMap. Most producers name a predefined one (Identity-H); fpdf2 embeds its own for
  OpenType (CFF) faces such as Noto Sans CJK, named Adobe-Identity-UCS. pdfminer only looks the
  name up among the predefined CMaps, finds none and maps every code to nothing, so such a deck
  reads as having no text at all (pdfminer.six issue #1072, open). pdfminer also looks /ToUnicode
  up by CID, where the PDF keys it by code; with an identity encoding the two agree, with an
  embedded one not.
- A predefined CMap built on another (Adobe's `usecmap`): ETenms-B5-H is ETen-B5-H with
  proportional Latin letters, but pdfminer's copy holds only those letters, so the Big5 text of
  FPDF's widely used Chinese add-on reads as Latin garbage (pdfplumber issue #1073).

`read_encoding_cmaps()` makes pdfminer read such fonts: it parses the embedded code-to-CID map and
re-keys the font's /ToUnicode map by CID, and lays a built-on CMap's own codes over its base's.
Fonts under any other predefined encoding are untouched.

A /ToUnicode map may also lack glyphs the font draws: PoDoFo leaves out a glyph its TrueType face
shares between two characters (AR PL UKai's 高, which is also the Kangxi radical ⾼), so pdfminer
reads '(cid:23512)'. Where glyph ids are the CIDs (Identity CIDToGIDMap) and the face is embedded,
the face's own cmap names such a glyph, read only when a glyph is missing (see _FaceFallback).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from io import BytesIO
from typing import Any

from pdfminer.cmapdb import CMap, CMapDB, FileCMap, FileUnicodeMap
from pdfminer.pdffont import PDFCIDFont, TrueTypeFont
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import PSLiteral, literal_name

_CIDCHAR = re.compile(rb"begincidchar(.*?)endcidchar", re.S)
_CIDRANGE = re.compile(rb"begincidrange(.*?)endcidrange", re.S)
_CHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*(\d+)")
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\d+)")


def code_to_cid(cmap_program: bytes) -> dict[bytes, int]:
    """The code-to-CID pairs of a CMap program (its cidchar and cidrange sections)."""
    pairs: dict[bytes, int] = {}
    for section in _CIDCHAR.findall(cmap_program):
        for code, cid in _CHAR.findall(section):
            pairs[bytes.fromhex(code.decode())] = int(cid)
    for section in _CIDRANGE.findall(cmap_program):
        for low, high, cid in _RANGE.findall(section):
            start, end, width = int(low, 16), int(high, 16), len(low) // 2
            pairs.update({(start + i).to_bytes(width, "big"): int(cid) + i for i in range(end - start + 1)})
    return pairs


def _embedded_encoding(spec: Mapping[str, Any]) -> dict[bytes, int] | None:
    """The font's code-to-CID pairs when its /Encoding is an embedded CMap pdfminer does not know."""
    encoding = resolve1(spec.get("Encoding"))
    if not isinstance(encoding, PDFStream):
        return None
    name = encoding.get("CMapName")
    if name is not None and _predefined(literal_name(name)):
        return None  # pdfminer reads it by its name
    return code_to_cid(encoding.get_data()) or None


def _predefined(name: str) -> bool:
    try:
        CMapDB.get_cmap(name)
    except CMapDB.CMapNotFound:
        return False
    return True


# Adobe's predefined CMaps that pdfminer holds without the CMap they are built on (`usecmap`).
_BUILT_ON = {
    "ETenms-B5-H": "ETen-B5-H",
    "ETenms-B5-V": "ETen-B5-V",
    "UniJIS-UCS2-HW-H": "UniJIS-UCS2-H",
    "UniJIS-UCS2-HW-V": "UniJIS-UCS2-V",
}


def built_on(name: str) -> CMap | None:
    """The whole of a predefined CMap pdfminer holds only the changes of: its base's codes with its
    own laid over them (None for any other CMap)."""
    base = _BUILT_ON.get(name)
    if base is None:
        return None
    own = CMapDB.get_cmap(name)
    whole = CMap(**own.attrs)
    whole.use_cmap(CMapDB.get_cmap(base))
    whole.use_cmap(own)
    return whole


class _FaceFallback(FileUnicodeMap):
    """A /ToUnicode map that, for a glyph it lacks, asks the embedded face's cmap (`load`, read
    once, on the first glyph missing: most maps lack none, and a CJK face's cmap is large)."""

    def __init__(self, given: FileUnicodeMap, load: Callable[[], dict[int, str]]) -> None:
        super().__init__(**given.attrs)
        self.cid2unichr = given.cid2unichr
        self._load = load
        self._face: dict[int, str] | None = None

    def get_unichr(self, cid: int) -> str:
        if cid in self.cid2unichr:
            return self.cid2unichr[cid]
        if self._face is None:
            self._face = self._load()
        return self._face[cid]


def _face_cmap(fontfile: bytes) -> dict[int, str]:
    """Glyph id to character, from a TrueType face's own cmap ({} when it has none)."""
    try:
        return TrueTypeFont("", BytesIO(fontfile)).create_unicode_map().cid2unichr
    except Exception:  # noqa: BLE001 - a face pdfminer cannot parse names nothing
        return {}


def _fall_back_on_the_face(font: PDFCIDFont, spec: Mapping[str, Any]) -> None:
    """Let a /ToUnicode map that lacks a glyph ask the embedded TrueType face (see module docstring).
    `spec` is the descendant CIDFont's (pdfminer copies the Type0 font's /ToUnicode into it)."""
    to_gid = resolve1(spec.get("CIDToGIDMap"))
    fontfile = getattr(font, "fontfile", None)
    identity = to_gid is None or (isinstance(to_gid, PSLiteral) and literal_name(to_gid) == "Identity")
    if identity and fontfile is not None and type(font.unicode_map) is FileUnicodeMap:
        font.unicode_map = _FaceFallback(font.unicode_map, lambda: _face_cmap(fontfile.get_data()))


def _read_font(font: PDFCIDFont, spec: Mapping[str, Any]) -> None:
    encoding = resolve1(spec.get("Encoding"))
    if isinstance(encoding, PSLiteral) and (whole := built_on(literal_name(encoding))) is not None:
        font.cmap = whole
        return
    pairs = _embedded_encoding(spec)
    if not pairs:
        return
    cmap = FileCMap()
    for code, cid in pairs.items():
        cmap.add_code2cid(code.decode("latin-1"), cid)
    font.cmap = cmap
    if isinstance(font.unicode_map, FileUnicodeMap):
        by_code = font.unicode_map.cid2unichr
        rekeyed = FileUnicodeMap()
        rekeyed.cid2unichr = {
            cid: by_code[key] for code, cid in pairs.items() if (key := int.from_bytes(code)) in by_code
        }
        font.unicode_map = rekeyed


def read_encoding_cmaps() -> None:
    """Make pdfminer's CID fonts read an embedded /Encoding CMap, or one built on another, and name a
    glyph their /ToUnicode lacks from their embedded face (idempotent)."""
    if getattr(PDFCIDFont.__init__, "reads_encoding_cmaps", False):
        return
    original = PDFCIDFont.__init__

    def __init__(self: PDFCIDFont, rsrcmgr: Any, spec: Mapping[str, Any], *args: Any, **kwargs: Any) -> None:
        original(self, rsrcmgr, spec, *args, **kwargs)
        _read_font(self, spec)
        _fall_back_on_the_face(self, spec)

    __init__.reads_encoding_cmaps = True  # type: ignore[attr-defined]
    PDFCIDFont.__init__ = __init__  # type: ignore[method-assign]
