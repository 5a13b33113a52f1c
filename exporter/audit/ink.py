"""The ink box of each glyph a PDF font draws, read from the font program the PDF embeds.

A glyph's ink is what a reader sees of it, as opposed to its cell (the advance): ，ends a
quarter of an em into its cell, a Latin letter has side bearings. :class:`FontInk` reads, once per
font of the PDF, where its glyphs come from:

- a Type 0 font's descendant with ``FontFile2`` (TrueType) or ``FontFile3`` (OpenType, or bare
  CFF: ``CIDFontType0C``), its CIDs reaching glyphs through ``CIDToGIDMap`` or the CFF charset
  (ISO 32000-1 §9.7.4.2); a simple font's program, its codes reaching glyphs through the
  character the text layer gives (the program's Unicode cmap, or the glyph's Adobe name);
- a Type 3 font's glyph procedure, whose path operators are the glyph's drawing (Chromium
  and Skia embed CJK OpenType fonts so), through the font's ``FontMatrix``.

Bounds are in text space units per unit of font size (1 = one font size), x before horizontal
scaling. A glyph with no ink (a space) has None. When the program is not embedded, or cannot be
read, :meth:`FontInk.bounds` answers :data:`UNKNOWN`, and the audit falls back on its model of
where each class of character has its ink (:mod:`exporter.audit.lines`).

fontTools and uharfbuzz are imported inside the functions that use them.
"""

from __future__ import annotations

import io
import re
from typing import Any, Final

#: A glyph's ink in text space per unit of font size: x0, y0, x1, y1.
Bounds = tuple[float, float, float, float]


class _Unknown:
    """The answer for a glyph whose drawing cannot be read: the class model stands in."""

    def __repr__(self) -> str:
        return "UNKNOWN"


#: The ink of a glyph whose font program is not embedded or cannot be read.
UNKNOWN: Final = _Unknown()

_TOKEN = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)|[A-Za-z'\"*][A-Za-z0-9'\"*]*")
#: Path operators and how many operands each consumes as points.
_PATH = {b"m": 2, b"l": 2, b"c": 6, b"v": 4, b"y": 4}


def _resolve(value: Any) -> Any:
    from pdfminer.pdftypes import resolve1

    return resolve1(value)


def _name(value: Any) -> str:
    """A PDF name as text."""
    from pdfminer.psparser import PSLiteral

    value = _resolve(value)
    if isinstance(value, PSLiteral):
        return str(value.name)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


def _stream_data(value: Any) -> bytes | None:
    from pdfminer.pdftypes import PDFStream

    value = _resolve(value)
    if isinstance(value, PDFStream):
        try:
            return bytes(value.get_data())
        except Exception:  # a damaged or unsupported filter: no program to read
            return None
    return None


class FontInk:
    """Where one font of a PDF has the ink of each glyph: built from the font's dictionary."""

    def __init__(self, spec: dict[str, Any], subtype: str) -> None:
        self.subtype = subtype
        self.spec = spec
        self._cache: dict[tuple[int, str], Bounds | _Unknown | None] = {}
        self._program: Any = None  # "sfnt" / "cff" / "type3" reader, or None
        self._kind = ""
        try:
            self._open()
        except Exception:  # an unreadable program: the class model stands in
            self._kind = ""

    @property
    def embedded(self) -> bool:
        """Whether the glyphs' ink is read from the font itself."""
        return bool(self._kind)

    def _open(self) -> None:
        if self.subtype == "Type3":
            self._open_type3()
            return
        descriptor = _resolve(self.spec.get("FontDescriptor")) or {}
        for key in ("FontFile2", "FontFile3", "FontFile"):
            data = _stream_data(descriptor.get(key))
            if data is None:
                continue
            if key == "FontFile":
                return  # a Type 1 program (eexec): not read, the model stands in
            if data[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf"):
                self._open_sfnt(data)
            else:
                self._open_cff(data)
            return

    def _open_sfnt(self, data: bytes) -> None:
        import uharfbuzz as hb  # type: ignore[import-untyped]
        from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

        tt = TTFont(io.BytesIO(data), lazy=True, fontNumber=0)
        self.scale = 1.0 / tt["head"].unitsPerEm
        self.order = tt.getGlyphOrder()
        self.gid_of_name = {name: gid for gid, name in enumerate(self.order)}
        self.cid_to_gid: dict[int, int] | None = None
        if "CFF " in tt:
            top = tt["CFF "].cff.topDictIndex[0]
            if hasattr(top, "ROS"):  # CID-keyed: the charset maps glyphs to CIDs
                self.cid_to_gid = {_cid_of(name): gid for gid, name in enumerate(self.order)}
        else:
            self.cid_to_gid = self._cid_to_gid_map()
        try:
            self.unicode_cmap: dict[int, str] = tt.getBestCmap() or {}
        except Exception:
            self.unicode_cmap = {}
        self._hb = hb.Font(hb.Face(hb.Blob(data)))
        self._hb.scale = (tt["head"].unitsPerEm, tt["head"].unitsPerEm)
        self._kind = "sfnt"

    def _cid_to_gid_map(self) -> dict[int, int] | None:
        mapping = _resolve(self.spec.get("CIDToGIDMap"))
        table = _stream_data(mapping)
        if table is None:
            return None  # Identity, or absent: CIDs are glyph ids
        return {i // 2: int.from_bytes(table[i : i + 2], "big") for i in range(0, len(table) - 1, 2)}

    def _open_cff(self, data: bytes) -> None:
        from fontTools.cffLib import CFFFontSet  # type: ignore[import-untyped]

        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data), None)
        top = cff[cff.fontNames[0]]
        self.charstrings = top.CharStrings
        matrix = getattr(top, "FontMatrix", [0.001, 0, 0, 0.001, 0, 0])
        self.scale = float(matrix[0]) or 0.001
        self.order = top.charset
        self.cid_keyed = hasattr(top, "ROS")
        self._kind = "cff"

    def _open_type3(self) -> None:
        procs = _resolve(self.spec.get("CharProcs")) or {}
        matrix = [float(_resolve(v)) for v in (_resolve(self.spec.get("FontMatrix")) or [0.001, 0, 0, 0.001, 0, 0])]
        self.matrix = matrix
        self.names: dict[int, str] = {}
        encoding = _resolve(self.spec.get("Encoding")) or {}
        differences = _resolve(encoding.get("Differences")) if isinstance(encoding, dict) else None
        code = 0
        for item in differences or []:
            item = _resolve(item)
            if isinstance(item, int | float):
                code = int(item)
            else:
                self.names[code] = _name(item)
                code += 1
        self.procs = procs
        self._kind = "type3"

    def bounds(self, cid: int, text: str) -> Bounds | _Unknown | None:
        """Glyph ``cid``'s ink in text space per unit of font size, None for no ink, UNKNOWN if unreadable."""
        key = (cid, text)
        if key not in self._cache:
            try:
                self._cache[key] = self._bounds(cid, text) if self._kind else UNKNOWN
            except Exception:  # a glyph the program cannot draw: the model stands in
                self._cache[key] = UNKNOWN
        return self._cache[key]

    def _bounds(self, cid: int, text: str) -> Bounds | _Unknown | None:
        if self._kind == "type3":
            return self._type3_bounds(cid)
        if self._kind == "sfnt":
            gid = self._sfnt_gid(cid, text)
            if gid is None:
                return UNKNOWN
            extents = self._hb.get_glyph_extents(gid)
            if extents is None:
                return UNKNOWN
            if extents.width == 0 or extents.height == 0:
                return None
            x0, x1 = extents.x_bearing, extents.x_bearing + extents.width
            y1, y0 = extents.y_bearing, extents.y_bearing + extents.height
            s = self.scale
            return (x0 * s, y0 * s, x1 * s, y1 * s)
        return self._cff_bounds(cid, text)

    def _sfnt_gid(self, cid: int, text: str) -> int | None:
        if self.subtype in ("CIDFontType0", "CIDFontType2"):
            gid = cid if self.cid_to_gid is None else self.cid_to_gid.get(cid)
            return gid if gid is not None and gid < len(self.order) else None
        # A simple font: its code reaches the glyph through the character the text layer gives.
        name = self.unicode_cmap.get(ord(text)) if len(text) == 1 else None
        return self.gid_of_name.get(name) if name is not None else None

    def _cff_bounds(self, cid: int, text: str) -> Bounds | _Unknown | None:
        if self.cid_keyed:
            name = f"cid{cid:05d}" if cid else ".notdef"
        elif self.subtype in ("CIDFontType0", "CIDFontType2"):
            name = self.order[cid] if cid < len(self.order) else ""
        else:
            from fontTools import agl  # type: ignore[import-untyped]

            name = agl.UV2AGL.get(ord(text), "") if len(text) == 1 else ""
        if name not in self.charstrings:
            return UNKNOWN
        box = self.charstrings[name].calcBounds(self.charstrings)
        if box is None:
            return None
        s = self.scale
        return (box[0] * s, box[1] * s, box[2] * s, box[3] * s)

    def _type3_bounds(self, code: int) -> Bounds | _Unknown | None:
        name = self.names.get(code)
        data = _stream_data(self.procs.get(name)) if name is not None else None
        if data is None:
            return UNKNOWN
        points = _path_points(data)
        if points is None:
            return UNKNOWN
        if not points:
            return None
        a, b, c, d, e, f = self.matrix
        xs = [a * x + c * y + e for x, y in points]
        ys = [b * x + d * y + f for x, y in points]
        return (min(xs), min(ys), max(xs), max(ys))


def _cid_of(glyph: str) -> int:
    """The CID of a CID-keyed CFF glyph named by fontTools (``cid01234``; ``.notdef`` is 0)."""
    return int(glyph[3:]) if glyph.startswith("cid") and glyph[3:].isdigit() else 0


def _path_points(data: bytes) -> list[tuple[float, float]] | None:
    """The points of a Type 3 glyph procedure's paths (control points included); None when it is not paths alone.

    A procedure that draws an image or a form, or changes the matrix, has a drawing this reader
    does not follow; its ``d1`` box, when it has one, stands for its ink.
    """
    numbers: list[float] = []
    points: list[tuple[float, float]] = []
    box: list[float] | None = None
    for token in _TOKEN.findall(data):
        if token[0:1].isalpha() or token in (b"'", b'"', b"*"):
            if token in _PATH:
                operands = numbers[-_PATH[token] :]
                points.extend(zip(operands[0::2], operands[1::2], strict=False))
            elif token == b"re" and len(numbers) >= 4:
                x, y, w, h = numbers[-4:]
                points.extend([(x, y), (x + w, y + h)])
            elif token == b"d1" and len(numbers) >= 6:
                box = numbers[-4:]
            elif token in (b"BI", b"Do", b"cm"):
                if box is not None and box[2] > box[0] and box[3] > box[1]:
                    return [(box[0], box[1]), (box[2], box[3])]
                return None
            numbers = []
        else:
            numbers.append(float(token))
    return points
