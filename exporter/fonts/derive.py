"""The machinery for deriving a font from another: geometry, turning outlines, cmap, line metrics, names, finishing.

A derived font keeps its source's glyph order and outlines, and redraws the glyphs it turns (see
:mod:`exporter.fonts.rotate`). fontTools and uharfbuzz are imported inside the functions that use them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, TypeAlias

from exporter.errors import FontError

#: The tables a derived font leaves out (see :mod:`exporter.fonts.rotate` for why).
DROPPED_TABLES: tuple[str, ...] = (
    "GSUB",
    "GPOS",
    "GDEF",
    "BASE",
    "JSTF",
    "kern",
    "morx",
    "kerx",
    "vhea",
    "vmtx",
    "VORG",
    "hdmx",
    "LTSH",
    "VDMX",
    "DSIG",
)


@dataclass(frozen=True)
class Geometry:
    """The em box of the line (descender, ascender) and the font's units per em."""

    descender: int
    ascender: int
    units_per_em: int

    @property
    def centre(self) -> float:
        return (self.ascender + self.descender) / 2


#: A glyph's bounding box (x min, y min, x max, y max) in font units, None when it has no outline.
Bounds: TypeAlias = tuple[int, int, int, int] | None
#: A glyph a derived font adds: (the glyph it is drawn from, its transform, its advance).
Added: TypeAlias = tuple[str, Any, int]


class NewGlyphs:
    """The glyphs a derived font adds after its source's, by their new names in order.

    New glyphs of a CID-keyed CFF font are named by their glyph id (``cid01234``), so that the
    identity charset of :func:`exporter.fonts.identity_cids` holds; others by source and label.
    """

    def __init__(self, tt: Any) -> None:
        cff = tt["CFF "].cff if "CFF " in tt else None
        self._first = len(tt.getGlyphOrder())
        self._cid_keyed = cff is not None and hasattr(cff.topDictIndex[0], "ROS")
        self.glyphs: dict[str, Added] = {}

    def add(self, source: str, label: str, transform: Any, advance: int) -> str:
        """Add a glyph drawn from ``source`` by ``transform``, advancing by ``advance``; its new name."""
        name = f"cid{self._first + len(self.glyphs):05d}" if self._cid_keyed else f"{source}.{label}"
        self.glyphs[name] = (source, transform, advance)
        return name


def shape_alone(
    hb_font: Any, code: int, direction: str, language: str, features: dict[str, bool] | None = None
) -> int | None:
    """The one glyph HarfBuzz gives the character ``code`` alone, or None (no glyph, .notdef, or several).

    Vertical direction (``ttb``) applies ``vert``, the language ``locl`` (— is the full-width dash
    in Chinese). A character of no script of its own (punctuation, digits) is shaped as Han, as it
    is in Chinese text.
    """
    import uharfbuzz as hb  # type: ignore[import-untyped]

    buffer = hb.Buffer()
    buffer.add_codepoints([code])
    buffer.guess_segment_properties()
    if buffer.script in (None, "Zyyy", "Zinh", "Zzzz"):
        buffer.script = "Hani"
    buffer.direction = direction
    buffer.language = language
    hb.shape(hb_font, buffer, features or {})
    infos = buffer.glyph_infos
    return int(infos[0].codepoint) if len(infos) == 1 and infos[0].codepoint != 0 else None


def shaped_glyphs(
    hb_font: Any, codes: list[int], glyph_order: list[str], direction: str, language: str
) -> dict[int, str]:
    """The glyph name :func:`shape_alone` gives each of ``codes``, where it gives one."""
    forms: dict[int, str] = {}
    for code in codes:
        gid = shape_alone(hb_font, code, direction, language)
        if gid is not None and gid < len(glyph_order):
            forms[code] = glyph_order[gid]
    return forms


def extents(hb_font: Any, gid: int) -> Bounds:
    """A glyph's bounding box from HarfBuzz's extents (fonts are opened at one unit per em unit)."""
    extents = hb_font.get_glyph_extents(gid)
    if extents is None or (extents.width == 0 and extents.height == 0):
        return None
    x_min, y_max = int(extents.x_bearing), int(extents.y_bearing)
    return x_min, y_max + int(extents.height), x_min + int(extents.width), y_max


# -- geometry -----------------------------------------------------------------------------


def line_geometry(tt: Any) -> Geometry:
    """The ideographic em box of the horizontal line: BASE ideo/idtp, else typo metrics spanning one em, else 88/12."""
    upem = int(tt["head"].unitsPerEm)
    base = _base_em_box(tt)
    if base is not None:
        return Geometry(base[0], base[1], upem)
    os2 = tt.get("OS/2")
    if os2 is not None and os2.sTypoAscender - os2.sTypoDescender == upem:
        return Geometry(int(os2.sTypoDescender), int(os2.sTypoAscender), upem)
    descender = -round(upem * 0.12)
    return Geometry(descender, descender + upem, upem)


def _base_em_box(tt: Any) -> tuple[int, int] | None:
    base = tt.get("BASE")
    axis = getattr(getattr(base, "table", None), "HorizAxis", None)
    if axis is None or axis.BaseTagList is None or axis.BaseScriptList is None:
        return None
    tags = list(axis.BaseTagList.BaselineTag)
    if "ideo" not in tags:
        return None
    upem = int(tt["head"].unitsPerEm)
    for record in axis.BaseScriptList.BaseScriptRecord:
        if record.BaseScriptTag not in ("hani", "kana", "DFLT"):
            continue
        values = record.BaseScript.BaseValues
        if values is None:
            continue
        coords = [c.Coordinate for c in values.BaseCoord]
        bottom = int(coords[tags.index("ideo")])
        top = int(coords[tags.index("idtp")]) if "idtp" in tags else bottom + upem
        if top - bottom == upem:
            return bottom, top
    return None


def turn_transforms(
    tt: Any, turned: set[str], bounds: dict[str, Bounds], geometry: Geometry, stretch: frozenset[str] = frozenset()
) -> dict[str, tuple[Any, int]]:
    """Each turned glyph's transform (see :func:`_turn`) and its new horizontal advance, the vertical one.

    Glyphs in ``stretch`` (the dashes) are drawn over their whole advance, so that ——, set as
    two of them, reads as one unbroken line down the column.
    """
    vorg = tt.get("VORG")
    vmtx = tt.get("vmtx")
    hmtx = tt["hmtx"].metrics
    result: dict[str, tuple[Any, int]] = {}
    for name in sorted(turned):
        advance = geometry.units_per_em
        top_bearing: int | None = None
        if vmtx is not None and name in vmtx.metrics:
            advance, top_bearing = vmtx.metrics[name]
        box = bounds[name]
        if vorg is not None:
            origin = int(vorg[name])
        elif top_bearing is not None and box is not None:
            origin = box[3] + top_bearing
        else:
            origin = geometry.ascender
        transform = _turn(origin, hmtx[name][0], geometry)
        if name in stretch and box is not None and box[3] > box[1]:
            from fontTools.misc.transform import Transform  # type: ignore[import-untyped]

            # After the turn the dash runs along x from origin - yMax to origin - yMin.
            start, length = origin - box[3], box[3] - box[1]
            scale = advance / length
            transform = Transform(0, 1, -scale, 0, scale * (origin - start), transform.dy)
        result[name] = (transform, int(advance))
    return result


def _turn(origin_y: int, advance_x: int, geometry: Geometry) -> Any:
    """The affine map of a glyph's vertical cell onto a horizontal cell, turned 90° counter-clockwise.

    ``(x, y) -> (origin_y - y, x - advance_x / 2 + centre)``, the shift rounded to whole units so
    that whole coordinates stay whole; fontTools' Transform(xx, xy, yx, yy, dx, dy) maps (x, y)
    to (xx·x + yx·y + dx, xy·x + yy·y + dy).
    """
    from fontTools.misc.transform import Transform

    return Transform(0, 1, -1, 0, origin_y, round(geometry.centre - advance_x / 2))


def turned_bounds(box: Bounds, transform: Any) -> Bounds:
    """The bounding box of a turned glyph: a quarter turn maps boxes onto boxes."""
    if box is None:
        return None
    x_min, y_min, x_max, y_max = box
    (ax, ay), (bx, by) = transform.transformPoint((x_min, y_min)), transform.transformPoint((x_max, y_max))
    return int(min(ax, bx)), int(min(ay, by)), int(max(ax, bx)), int(max(ay, by))


# -- outlines -----------------------------------------------------------------------------


def turn_cff(
    tt: Any, hb_font: Any, gids: dict[str, int], transforms: dict[str, tuple[Any, int]], added: dict[str, str]
) -> None:
    """Redraw the turned glyphs' charstrings (HarfBuzz reads the outlines, fast), without hints.

    The glyphs of ``added`` (new name -> the glyph they are drawn from) are appended, in order.
    """
    from fontTools.pens.t2CharStringPen import T2CharStringPen  # type: ignore[import-untyped]
    from fontTools.pens.transformPen import TransformPen  # type: ignore[import-untyped]

    cff = tt["CFF "].cff
    top = cff[cff.fontNames[0]]
    char_strings = top.CharStrings
    new: dict[str, tuple[Any, int | None]] = {}
    for name, (transform, advance) in transforms.items():
        old, fd = char_strings.getItemAndSelector(added.get(name, name))
        private = old.private
        default_width = getattr(private, "defaultWidthX", 0)
        nominal_width = getattr(private, "nominalWidthX", 0)
        # A charstring states its width relative to nominalWidthX, or not at all when it is the default.
        pen = T2CharStringPen(None if advance == default_width else advance - nominal_width, None)
        hb_font.draw_glyph_with_pen(gids[name], TransformPen(pen, transform))
        charstring = pen.getCharString(private=private, globalSubrs=old.globalSubrs)
        if name in added:
            new[name] = (charstring, fd)
        else:
            char_strings[name] = charstring
    names = list(tt.getGlyphOrder()) + list(added)
    for name in added:
        charstring, fd = new[name]
        if char_strings.charStringsAreIndexed:
            char_strings.charStringsIndex.append(charstring)
            char_strings.charStrings[name] = len(char_strings.charStringsIndex) - 1
        else:
            char_strings.charStrings[name] = charstring
        if fd is not None and hasattr(top, "FDSelect"):
            top.FDSelect.append(fd)
    top.charset = names
    tt.setGlyphOrder(names)


def turn_glyf(tt: Any, transforms: dict[str, tuple[Any, int]], added: dict[str, str]) -> None:
    """Redraw the turned glyphs decomposed, decompose the composites that use one, append those of ``added``."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen  # type: ignore[import-untyped]
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped]

    glyf = tt["glyf"]
    glyph_set = tt.getGlyphSet()
    redraw = set(transforms) - set(added)
    for name in tt.getGlyphOrder():
        glyph = glyf[name]
        if glyph.isComposite() and set(glyph.getComponentNames(glyf)) & redraw:
            redraw.add(name)
    recorded: dict[str, Any] = {}
    for name in sorted(redraw | set(added.values())):  # every outline is read before any is replaced
        recording = DecomposingRecordingPen(glyph_set)
        glyph_set[name].draw(recording)
        recorded[name] = recording
    order = list(tt.getGlyphOrder())
    for name in sorted(redraw) + list(added):
        pen = TTGlyphPen(None)
        recording = recorded[added.get(name, name)]
        recording.replay(TransformPen(pen, transforms[name][0]) if name in transforms else pen)
        glyph = pen.glyph()
        glyph.recalcBounds(glyf)
        glyf[name] = glyph
    tt.setGlyphOrder(order + list(added))
    glyf.glyphOrder = tt.getGlyphOrder()


# -- tables -------------------------------------------------------------------------------


def _write_cmap(tt: Any, mapping: dict[int, str]) -> None:
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable  # type: ignore[import-untyped]

    bmp = {code: name for code, name in mapping.items() if code <= 0xFFFF}
    subtables = []
    for platform, encoding in ((0, 3), (3, 1)):
        subtable = CmapSubtable.newSubtable(4)
        subtable.platformID, subtable.platEncID, subtable.language, subtable.cmap = platform, encoding, 0, dict(bmp)
        subtables.append(subtable)
    if len(bmp) != len(mapping):
        for platform, encoding in ((0, 4), (3, 10)):
            subtable = CmapSubtable.newSubtable(12)
            subtable.platformID, subtable.platEncID, subtable.language = platform, encoding, 0
            subtable.cmap = dict(mapping)
            subtables.append(subtable)
    tt["cmap"].tables = subtables


def _set_line_metrics(tt: Any, geometry: Geometry, bounds: dict[str, Bounds]) -> None:
    """Line box (hhea, OS/2 typo): the em box, no gap; bounding boxes and win metrics (they clip) cover every glyph."""
    boxes = [box for box in bounds.values() if box is not None]
    x_min = min((b[0] for b in boxes), default=0)
    y_min = min((b[1] for b in boxes), default=0)
    x_max = max((b[2] for b in boxes), default=0)
    y_max = max((b[3] for b in boxes), default=0)
    head = tt["head"]
    head.xMin, head.yMin, head.xMax, head.yMax = x_min, y_min, x_max, y_max
    hmtx = tt["hmtx"].metrics
    hhea = tt["hhea"]
    hhea.ascent, hhea.descent, hhea.lineGap = geometry.ascender, geometry.descender, 0
    hhea.advanceWidthMax = max((advance for advance, _lsb in hmtx.values()), default=0)
    inked = [(hmtx[name][0], box) for name, box in bounds.items() if box is not None]
    hhea.minLeftSideBearing = min((box[0] for _adv, box in inked), default=0)
    hhea.minRightSideBearing = min((adv - box[2] for adv, box in inked), default=0)
    hhea.xMaxExtent = max((box[2] for _adv, box in inked), default=0)
    if "CFF " in tt:
        cff = tt["CFF "].cff
        cff[cff.fontNames[0]].FontBBox = [x_min, y_min, x_max, y_max]
    os2 = tt.get("OS/2")
    if os2 is None:
        return
    os2.sTypoAscender, os2.sTypoDescender, os2.sTypoLineGap = geometry.ascender, geometry.descender, 0
    if os2.version >= 2:
        os2.version = max(os2.version, 4)
        os2.fsSelection |= 1 << 7  # USE_TYPO_METRICS: the typo metrics are the line box
    os2.usWinAscent = max(geometry.ascender, y_max, 0)
    os2.usWinDescent = max(-geometry.descender, -y_min, 0)


def _rename(tt: Any, label: str = "Rotated") -> None:
    """Name IDs 3, 4 and 6 (and the CFF font name) gain ``label``; the family and the licence stay."""
    name_table = tt["name"]
    for record in name_table.names:
        text = record.toUnicode()
        if record.nameID in (3, 4):
            record.string = f"{text} {label}"
        elif record.nameID == 6:
            record.string = f"{text}-{label}"
    if "CFF " in tt:
        cff = tt["CFF "].cff
        old = cff.fontNames[0]
        new = f"{old}-{label}"[:63]
        top = cff[old]
        cff.fontNames[0] = new
        if hasattr(top, "FontName"):
            top.FontName = new
        if hasattr(top, "CIDFontName"):
            top.CIDFontName = new


def open_static(data: bytes, index: int, origin: str) -> Any:
    """Face ``index`` of the font ``data``, refused unless it is a static font with outlines."""
    from fontTools.ttLib import TTFont, TTLibError  # type: ignore[import-untyped]

    try:
        tt = TTFont(io.BytesIO(data), fontNumber=index, recalcTimestamp=False, recalcBBoxes=False)
        tt.getGlyphOrder()
        tt.getBestCmap()
    except (TTLibError, OSError, ValueError, IndexError, AssertionError) as error:
        raise FontError(
            f"cannot read face {index} as a font ({error}); use an OTF, TTF or TTC file", path=origin
        ) from error
    if "CFF2" in tt or "gvar" in tt:
        raise FontError("variable fonts cannot be rotated; use a static instance (OTF or TTF)", path=origin)
    if "CFF " not in tt and "glyf" not in tt:
        raise FontError("the font has no outlines (CFF or glyf) to rotate", path=origin)
    return tt


def finish(
    tt: Any, cmap: dict[int, str], geometry: Geometry, bounds: dict[str, Bounds], label: str, features: str
) -> bytes:
    """A derived font's last steps: its cmap, line metrics and names, the tables it drops, its features, its bytes."""
    _write_cmap(tt, cmap)
    _set_line_metrics(tt, geometry, bounds)
    _rename(tt, label)
    for table in DROPPED_TABLES:
        if table in tt:
            del tt[table]
    if features:
        from fontTools.feaLib.builder import addOpenTypeFeaturesFromString  # type: ignore[import-untyped]

        addOpenTypeFeaturesFromString(tt, features, tables=["GSUB"])
    out = io.BytesIO()
    tt.save(out, reorderTables=True)
    return out.getvalue()
