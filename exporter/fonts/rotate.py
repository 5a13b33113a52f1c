"""Derives from a font a "rotated" font that lets a horizontal layout engine set vertical text (竖排).

WeasyPrint ignores ``writing-mode``, so the vertical PDF is made by a trick: the page is laid out
horizontally, on a sideways page, in a font whose upright glyphs are turned 90° counter-clockwise,
and every page is then turned 90° clockwise (``/Rotate 90``). After the turn, lines are columns
read right to left, characters run top to bottom and stand upright, and the characters that lie
sideways in vertical text (Latin letters, digits: Unicode UTR #50 orientation R) lie sideways, as
they should, because they were left as they are.

The derived font (:func:`rotated_font`):

- **Which glyphs turn.** Each character of the cmap is shaped alone by HarfBuzz, horizontally
  and vertically (``ttb``; script Hani for characters of no script of their own; the
  ``language`` given, ``zh-Hans`` by default), which applies the font's own ``locl`` and, in
  vertical direction, ``vert``: ，。、「」（）《》 reach their vertical forms. For a character that
  :func:`upright` calls upright the vertical form is turned, and the cmap maps the character
  straight to it, so that horizontal shaping needs no feature to find it; every other character
  is mapped to its horizontal (localised) glyph, left as it is. Characters of orientation Tr
  (brackets, ー, ～) turn only when the font has a vertical form for them; without one they stay
  sideways, UTR #50's fallback. Characters of orientation R with ambiguous East Asian width
  (… ‥ — ― “” ‘’) turn too when the font has a vertical form for them, as CJK fonts and
  HarfBuzz's vertical shaping intend: Noto CJK SC has forms for all of these in Chinese (— by
  way of its ``locl``); its designer put them where a sideways horizontal form lands only
  roughly. A glyph that both a turned and a sideways character reach is turned, and the
  sideways character then shows it turned; in Noto CJK SC that happens only to U+3000/U+2003
  (blank) and U+FF40/U+2035.
- **How they turn.** In vertical text a glyph's cell runs from its vertical origin (``VORG``, else
  ``vmtx`` top side bearing above the glyph's top, else the em box top) down by its vertical
  advance (``vmtx``, else the em), and its column is centred on half its horizontal advance. A point
  ``(x, y)`` goes to ``(origin_y - y, x - advance_x / 2 + centre)``: the cell's top edge becomes
  the left edge of a horizontal cell as wide as the vertical advance, its centre line the middle
  of the line box (``centre``, half-way between the em box's top and bottom). Turning the page
  clockwise brings the left edge back to the top and the line box's top to the column's right,
  so ，。 of the mainland vertical forms sit in the top right of their cell.
- **Line box.** ``hhea`` (and ``OS/2`` typo metrics, with USE_TYPO_METRICS) ascender and descender
  are the ideographic em box (``BASE`` ideo/idtp, else typo metrics that span one em, else
  880/−120 per 1000): a line of the sideways page is one em tall, with the turned glyphs centred
  in it, so that after the turn the column is one em wide with the characters centred, and
  ``line-height`` adds equal leading on both sides, as between vertical columns. Latin keeps its
  baseline at 0: after the turn it lies with its baseline near the column's left.
- **Tables.** Outlines stay in their format: CFF charstrings of turned glyphs are redrawn (without
  hints) through a rotating pen, TrueType ``glyf`` glyphs are redrawn decomposed; every other
  glyph keeps its outline byte for byte, and the glyph order is the source's, so glyph ids and
  names compare across the two fonts. The source's ``GSUB``, ``GPOS``, ``GDEF``, ``BASE``,
  ``kern`` and the vertical tables (``vhea``, ``vmtx``, ``VORG``) are dropped: their
  substitutions would undo the cmap's vertical forms, their positions (kerning, ``palt``) were
  made for upright glyphs, and the derived font is only ever set horizontally. Variation
  sequences (cmap format 14) go too.
- **Added glyphs.** After the source's glyphs come the glyphs vertical text needs and no font
  has (:func:`_added_glyphs`): “”‘’ drawn as the turned corner brackets 「」『』 (GB/T 15834),
  so that the text layer keeps the issue's quotes, and three tate-chu-yoko forms of each digit,
  reached by the features of :data:`TCY_FEATURES`, so that upright numbers come in the face and
  weight of their line. A new ``GSUB`` holds only those features and the ``calt`` that keeps an
  apostrophe between Latin letters as it is. A new glyph of a CID-keyed font is named by its
  glyph id, keeping the identity charset of :func:`exporter.fonts.identity_cids`.
- **Proof.** Before a rotated font is cached, :func:`exporter.fonts.glyphtruth.check_rotation`
  compares each of its characters, by outline, with the source face's glyph for it; a font that
  would show a character as another is an error, never written.
- **Names.** The family (name IDs 1, 2, 16, 17) stays the source's, so an ``@font-face`` rule can
  give the rotated file the same CSS family; name IDs 3, 4 and 6 (and the CFF font name) gain
  "Rotated", and the copyright, trademark and licence records (OFL) are kept.
- **Cache.** Files are named by a SHA-256 of the source bytes, the face index, the language,
  fontTools' and HarfBuzz's versions and :data:`ROTATE_RECIPE`, in ``<cache>/rotated``, written
  atomically and byte-identical for the same input (``head.created`` and ``head.modified`` are
  the source's). :func:`rotated_stats` counts fonts made and cache hits.

fontTools and uharfbuzz are imported inside the functions that use them.
"""

from __future__ import annotations

import bisect
import hashlib
import io
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

from exporter import fonts
from exporter.errors import FontError
from exporter.files import write_file

#: Names the rotation recipe; change it whenever the derived font's bytes would change, so that caches renew.
ROTATE_RECIPE = "exporter-rotate/3"
#: The tables a rotated font leaves out (see the module's notes).
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

# UTR #50 (Vertical_Orientation, revision 17, Unicode 9.0): the ranges whose orientation is U, Tu
# or Tr, i.e. not R. Inclusive (first, last) pairs, sorted; adjacent ranges merged.
_UPRIGHT_RANGES: tuple[tuple[int, int], ...] = (
    (0x00A7, 0x00A7),
    (0x00A9, 0x00A9),
    (0x00AE, 0x00AE),
    (0x00B1, 0x00B1),
    (0x00BC, 0x00BE),
    (0x00D7, 0x00D7),
    (0x00F7, 0x00F7),
    (0x02EA, 0x02EB),
    (0x1100, 0x11FF),
    (0x1401, 0x167F),
    (0x18B0, 0x18FF),
    (0x2016, 0x2016),
    (0x2020, 0x2021),
    (0x2030, 0x2031),
    (0x203B, 0x203C),
    (0x2042, 0x2042),
    (0x2047, 0x2049),
    (0x2051, 0x2051),
    (0x2065, 0x2065),
    (0x20DD, 0x20E0),
    (0x20E2, 0x20E4),
    (0x2100, 0x2101),
    (0x2103, 0x2109),
    (0x210F, 0x210F),
    (0x2113, 0x2114),
    (0x2116, 0x2117),
    (0x211E, 0x2123),
    (0x2125, 0x2125),
    (0x2127, 0x2127),
    (0x2129, 0x2129),
    (0x212E, 0x212E),
    (0x2135, 0x213F),
    (0x2145, 0x214A),
    (0x214C, 0x214D),
    (0x214F, 0x2189),
    (0x218C, 0x218F),
    (0x221E, 0x221E),
    (0x2234, 0x2235),
    (0x2300, 0x2307),
    (0x230C, 0x231F),
    (0x2324, 0x232B),
    (0x237D, 0x239A),
    (0x23BE, 0x23CD),
    (0x23CF, 0x23CF),
    (0x23D1, 0x23DB),
    (0x23E2, 0x2422),
    (0x2424, 0x24FF),
    (0x25A0, 0x2619),
    (0x2620, 0x2767),
    (0x2776, 0x2793),
    (0x2B12, 0x2B2F),
    (0x2B50, 0x2B59),
    (0x2BB8, 0x2BEB),
    (0x2BF0, 0x2BFF),
    (0x2E80, 0x3007),
    (0x3008, 0x3011),
    (0x3012, 0x3013),
    (0x3014, 0x301F),
    (0x3020, 0xA4CF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),
    (0xE000, 0xFAFF),
    (0xFE10, 0xFE1F),
    (0xFE30, 0xFE48),
    (0xFE50, 0xFE57),
    (0xFE59, 0xFE62),
    (0xFE67, 0xFE6F),
    (0xFF01, 0xFF0C),
    (0xFF0E, 0xFF1B),
    (0xFF1F, 0xFF60),
    (0xFFE0, 0xFFE7),
    (0xFFF0, 0xFFF8),
    (0xFFFC, 0xFFFD),
    (0x10980, 0x1099F),
    (0x11580, 0x115FF),
    (0x13000, 0x1342F),
    (0x14400, 0x1467F),
    (0x16FE0, 0x16FFF),
    (0x17000, 0x18AFF),
    (0x1B000, 0x1B0FF),
    (0x1D000, 0x1D1FF),
    (0x1D300, 0x1D37F),
    (0x1D800, 0x1DAAF),
    (0x1F000, 0x1F7FF),
    (0x1F900, 0x1F9FF),
    (0x20000, 0x2FFFD),
    (0x30000, 0x3FFFD),
    (0xF0000, 0xFFFFD),
    (0x100000, 0x10FFFD),
)
_UPRIGHT_STARTS = [first for first, _last in _UPRIGHT_RANGES]
# UTR #50 orientation Tr: upright only in a vertical form of the font's, else rotated.
_TR_RANGES: tuple[tuple[int, int], ...] = (
    (0x2329, 0x232A),
    (0x3008, 0x3011),
    (0x3014, 0x301F),
    (0x3030, 0x3030),
    (0x30A0, 0x30A0),
    (0x30FC, 0x30FC),
    (0xFE59, 0xFE5E),
    (0xFF08, 0xFF09),
    (0xFF3B, 0xFF3B),
    (0xFF3D, 0xFF3D),
    (0xFF3F, 0xFF3F),
    (0xFF5B, 0xFF60),
    (0xFFE3, 0xFFE3),
)
# The table covers the Basic Multilingual Plane for good (its wide characters of orientation R,
# －＜＝＞ ﹉﹘ ➕, are rotated); a supplementary character outside it counts as upright when it is
# wide or full-width (East Asian Width W/F): the wide blocks added after Unicode 9.0 (Khitan, kana
# extensions, emoji) are upright in later revisions of UTR #50.
_BMP_END = 0xFFFF


@dataclass(frozen=True)
class RotatedStats:
    """How many rotated fonts this process has made, and how many it found in the cache instead."""

    made: int
    cache_hits: int


@dataclass(frozen=True)
class _Geometry:
    """The em box of the line (descender, ascender) and the font's units per em."""

    descender: int
    ascender: int
    units_per_em: int

    @property
    def centre(self) -> float:
        return (self.ascender + self.descender) / 2


#: A glyph's bounding box (x min, y min, x max, y max) in font units, None when it has no outline.
Bounds: TypeAlias = tuple[int, int, int, int] | None

_stats_lock = threading.Lock()
_stats = {"made": 0, "cache_hits": 0}


def upright(char: str) -> bool:
    """Whether ``char`` stands upright in vertical text, and so is turned in a rotated font.

    True for the UTR #50 orientations U, Tu and Tr (Han, kana, Hangul, CJK and full-width
    punctuation and symbols, ©, ×, ±…) and for wide or full-width characters newer than UTR #50's
    table (by East Asian Width W/F); false for orientation R (Latin, digits, ASCII punctuation,
    dashes, quotation marks “”‘’, …). Tr characters (brackets, ー, ～) are upright in a
    vertical-safe font, which has vertical forms for them; :func:`rotated_font` leaves one sideways
    where the font has none, and turns the vertical forms a font has for R characters of ambiguous
    width (… — ― “”). A character for which this is true must be in a rotated font of the edition:
    from any other font it would come out sideways.
    """
    if len(char) != 1:
        raise ValueError(f"upright() takes one character, not {char!r}")
    code = ord(char)
    if _in_ranges(code, _UPRIGHT_RANGES, _UPRIGHT_STARTS):
        return True
    return code > _BMP_END and unicodedata.east_asian_width(char) in ("W", "F")


def rotated_font(font: Path, *, cache_dir: Path | None = None, index: int = 0, language: str = "zh-Hans") -> Path:
    """The rotated version of face ``index`` of ``font``, from the cache if made before.

    ``language`` (a BCP 47 tag) picks the font's localised forms, which the rotated font bakes
    in: ``zh-Hans`` puts ，。 in the top right of their cell (mainland style), ``zh-Hant`` and
    ``zh-HK`` in the middle where the font has those forms (Noto CJK has). See the module's notes
    for what is turned, how, and which tables change. Raises
    :class:`FontError` when the file cannot be read as a font or its outlines are of a kind this
    cannot turn (CFF2 variable fonts).
    """
    try:
        data = font.read_bytes()
    except OSError as error:
        raise FontError(f"cannot read the font file ({error.strerror}); check the path", path=str(font)) from error
    folder = (cache_dir if cache_dir is not None else fonts.default_cache_dir()) / "rotated"
    key = _key(data, index, language)
    for suffix in ("otf", "ttf"):
        target = folder / f"{key}.{suffix}"
        if target.is_file():
            _count("cache_hits")
            return target
    rotated, suffix = rotate_font_data(data, index, language=language, origin=str(font))
    from exporter.fonts.glyphtruth import check_rotation

    problems = check_rotation(data, rotated, index=index, language=language)
    if problems:
        shown = f"{problems[0]} ({len(problems)} in all)"
        raise FontError(f"the rotated font would be wrong: {shown}; report this", path=str(font))
    target = folder / f"{key}.{suffix}"
    write_file(target, rotated)
    _count("made")
    return target


def rotated_stats() -> RotatedStats:
    """How many rotated fonts :func:`rotated_font` has made in this process, and how many it found cached."""
    with _stats_lock:
        return RotatedStats(made=_stats["made"], cache_hits=_stats["cache_hits"])


def rotate_font_data(
    data: bytes, index: int = 0, *, language: str = "zh-Hans", origin: str = "<font data>"
) -> tuple[bytes, str]:
    """The rotated font of face ``index`` of the font ``data``, and its file suffix (``otf`` or ``ttf``)."""
    import uharfbuzz as hb  # type: ignore[import-untyped]

    # Bounding boxes are set here, from HarfBuzz's glyph extents: fontTools' recalculation
    # would run every CFF charstring through Python, several times.
    tt = _open_static(data, index, origin)
    glyph_order: list[str] = tt.getGlyphOrder()

    hb_font = hb.Font(hb.Face(hb.Blob(data), index))
    geometry = _geometry(tt)
    cmap: dict[int, str] = dict(tt.getBestCmap() or {})
    codes = sorted(cmap)
    horizontal = _shaped_glyphs(hb_font, codes, glyph_order, "ltr", language)
    # The characters that may turn: upright ones and sideways ones of ambiguous width (… ― “”).
    candidates = [c for c in codes if upright(chr(c)) or unicodedata.east_asian_width(chr(c)) == "A"]
    vertical = _shaped_glyphs(hb_font, candidates, glyph_order, "ttb", language)
    new_cmap: dict[int, str] = {}
    turned: set[str] = set()
    for code in codes:
        flat = horizontal.get(code, cmap[code])
        form = vertical.get(code, flat)
        if form == flat and not turns_alone(chr(code)):
            new_cmap[code] = flat  # sideways, or Tr or ambiguous-width R without a vertical form
            continue
        new_cmap[code] = form
        turned.add(form)

    gids = {name: gid for gid, name in enumerate(glyph_order)}
    bounds = {name: _extents(hb_font, gid) for gid, name in enumerate(glyph_order)}
    dashes = frozenset(new_cmap[code] for code in DASHES if code in new_cmap and new_cmap[code] in turned)
    transforms = _transforms(tt, turned, bounds, geometry, stretch=dashes)
    added, features = _added_glyphs(tt, new_cmap, horizontal, transforms, bounds, geometry)
    for new, (source, transform, advance) in added.items():
        transforms[new] = (transform, advance)
        bounds[new] = bounds[source]
        gids[new] = gids[source]
    if "CFF " in tt:
        _turn_cff(tt, hb_font, gids, transforms, {new: source for new, (source, _t, _a) in added.items()})
        suffix = "otf"
    else:
        tt.recalcBBoxes = True  # glyf glyphs carry their own bounds: recalculating them is cheap
        _turn_glyf(tt, transforms, {new: source for new, (source, _t, _a) in added.items()})
        suffix = "ttf"
    hmtx = tt["hmtx"].metrics
    for name, (transform, advance) in transforms.items():
        box = bounds[name] = _turned_bounds(bounds[name], transform)
        hmtx[name] = (advance, box[0] if box is not None else 0)
    return _finish(tt, new_cmap, geometry, bounds, "Rotated", features), suffix


# -- which glyphs turn --------------------------------------------------------------------


def _in_ranges(code: int, ranges: tuple[tuple[int, int], ...], starts: list[int]) -> bool:
    at = bisect.bisect_right(starts, code) - 1
    return at >= 0 and ranges[at][0] <= code <= ranges[at][1]


_TR_STARTS = [first for first, _last in _TR_RANGES]


def _is_tr(code: int) -> bool:
    return _in_ranges(code, _TR_RANGES, _TR_STARTS)


def turns_alone(char: str) -> bool:
    """Whether ``char`` is turned in a rotated font even where the font has no vertical form for it.

    True for UTR #50's U and Tu characters (Han, kana, full-width symbols); Tr ones (brackets,
    ー, ～) turn only through a vertical form, R ones (Latin, digits) only through one of ambiguous width.
    """
    return upright(char) and not _is_tr(ord(char))


def shape_alone(
    hb_font: Any, code: int, direction: str, language: str, features: dict[str, bool] | None = None
) -> int | None:
    """The one glyph HarfBuzz gives the character ``code`` alone, or None (no glyph, .notdef, or several).

    Vertical direction (``ttb``) applies ``vert``, the language ``locl`` (— is the full-width dash
    in Chinese). A character of no script of its own (punctuation, digits) is shaped as Han, as it
    is in Chinese text.
    """
    import uharfbuzz as hb

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


def _shaped_glyphs(
    hb_font: Any, codes: list[int], glyph_order: list[str], direction: str, language: str
) -> dict[int, str]:
    """The glyph name :func:`shape_alone` gives each of ``codes``, where it gives one."""
    forms: dict[int, str] = {}
    for code in codes:
        gid = shape_alone(hb_font, code, direction, language)
        if gid is not None and gid < len(glyph_order):
            forms[code] = glyph_order[gid]
    return forms


def _extents(hb_font: Any, gid: int) -> Bounds:
    """A glyph's bounding box from HarfBuzz's extents (fonts are opened at one unit per em unit)."""
    extents = hb_font.get_glyph_extents(gid)
    if extents is None or (extents.width == 0 and extents.height == 0):
        return None
    x_min, y_max = int(extents.x_bearing), int(extents.y_bearing)
    return x_min, y_max + int(extents.height), x_min + int(extents.width), y_max


# -- geometry -----------------------------------------------------------------------------


def _geometry(tt: Any) -> _Geometry:
    """The ideographic em box of the horizontal line: BASE ideo/idtp, else typo metrics spanning one em, else 88/12."""
    upem = int(tt["head"].unitsPerEm)
    base = _base_em_box(tt)
    if base is not None:
        return _Geometry(base[0], base[1], upem)
    os2 = tt.get("OS/2")
    if os2 is not None and os2.sTypoAscender - os2.sTypoDescender == upem:
        return _Geometry(int(os2.sTypoDescender), int(os2.sTypoAscender), upem)
    descender = -round(upem * 0.12)
    return _Geometry(descender, descender + upem, upem)


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


def _transforms(
    tt: Any, turned: set[str], bounds: dict[str, Bounds], geometry: _Geometry, stretch: frozenset[str] = frozenset()
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


DASHES = (0x2014, 0x2015, 0x2500, 0x2501, 0x2E3A, 0x2E3B)


def _turn(origin_y: int, advance_x: int, geometry: _Geometry) -> Any:
    """The affine map of a glyph's vertical cell onto a horizontal cell, turned 90° counter-clockwise.

    ``(x, y) -> (origin_y - y, x - advance_x / 2 + centre)``, the shift rounded to whole units so
    that whole coordinates stay whole; fontTools' Transform(xx, xy, yx, yy, dx, dy) maps (x, y)
    to (xx·x + yx·y + dx, xy·x + yy·y + dy).
    """
    from fontTools.misc.transform import Transform

    return Transform(0, 1, -1, 0, origin_y, round(geometry.centre - advance_x / 2))


def _turned_bounds(box: Bounds, transform: Any) -> Bounds:
    """The bounding box of a turned glyph: a quarter turn maps boxes onto boxes."""
    if box is None:
        return None
    x_min, y_min, x_max, y_max = box
    (ax, ay), (bx, by) = transform.transformPoint((x_min, y_min)), transform.transformPoint((x_max, y_max))
    return int(min(ax, bx)), int(min(ay, by)), int(max(ax, bx)), int(max(ay, by))


# -- outlines -----------------------------------------------------------------------------


def _turn_cff(
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


def _turn_glyf(tt: Any, transforms: dict[str, tuple[Any, int]], added: dict[str, str]) -> None:
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


def _set_line_metrics(tt: Any, geometry: _Geometry, bounds: dict[str, Bounds]) -> None:
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


# -- the cache ----------------------------------------------------------------------------


def _key(data: bytes, index: int, language: str, recipe: str = ROTATE_RECIPE) -> str:
    """SHA-256 of what decides a derived font's bytes: source bytes, face, language, the tools' versions, the recipe."""
    import fontTools  # type: ignore[import-untyped]
    import uharfbuzz as hb

    digest = hashlib.sha256()
    for part in (
        recipe,
        fontTools.version,
        hb.version_string(),
        str(index),
        language,
        hashlib.sha256(data).hexdigest(),
    ):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def _count(what: str) -> None:
    with _stats_lock:
        _stats[what] += 1


# -- glyphs the rotated font adds: tate-chu-yoko digits, corner quotes ----------------------

#: The OpenType features of a rotated font that set a digit upright, condensed, as the first of
#: two in a cell (``tcy1``), the second of two (``tcy2``) or alone (``tcy0``): the CSS classes
#: of the tate-chu-yoko spans and the feature each turns on.
TCY_FEATURES: dict[str, str] = {"tcy1": "ss01", "tcy2": "ss02", "tcy0": "ss03"}
#: The curly quotes and the corner brackets a vertical page shows for them (GB/T 15834): the
#: rotated font maps each quote to a copy of its bracket's turned vertical form, so that the page
#: shows 「」『』 while the text layer keeps the issue's “”‘’.
CORNER_QUOTES: dict[int, int] = {0x201C: 0x300C, 0x201D: 0x300D, 0x2018: 0x300E, 0x2019: 0x300F}
_DIGITS = range(0x30, 0x3A)
# A digit keeps this much of its height; two side by side keep at most this much of their width,
# and never more than fits in half an em with a little space (the share of the half em they fill).
_TCY_HEIGHT = 0.9
_TCY_PAIR_WIDTH = 0.85
_TCY_PAIR_FILL = 0.92
# The most of the em a digit's height, or a single digit's width, may take.
_TCY_MAX = 0.95

#: A glyph a rotated font adds: (the glyph it is drawn from, its transform, its advance).
Added: TypeAlias = tuple[str, Any, int]


def _added_glyphs(
    tt: Any,
    new_cmap: dict[int, str],
    horizontal: dict[int, str],
    transforms: dict[str, tuple[Any, int]],
    bounds: dict[str, Bounds],
    geometry: _Geometry,
) -> tuple[dict[str, Added], str]:
    """The glyphs a rotated font adds, by their new names in order, and the features that reach them.

    - **Corner quotes.** Each of “”‘’ is mapped (``new_cmap`` is changed) to a new glyph drawn as
      the turned vertical form of 「」『』. Between two ASCII characters (an apostrophe in
      "Xi’an") ``calt`` gives ’ back its unturned glyph.
    - **Tate-chu-yoko (縦中横).** Each digit gets three glyphs, turned 90° counter-clockwise like the
      upright glyphs so that they stand once the page is turned, and condensed so that two share
      one cell: the first of two (feature ``ss01``) sits in the half of the cell that becomes its
      left half after the turn (before it, the lower half of the line box), the second (``ss02``)
      in the other half, drawn back over the same cell; a digit alone (``ss03``) sits in the
      middle and advances by one em. Because they live in the line's own font, the digits of a
      bold sans headline are bold sans, and each glyph keeps its own character in the text layer.

    New glyphs of a CID-keyed CFF font are named by their glyph id (``cid01234``), so that the
    identity charset of :func:`exporter.fonts.identity_cids` holds.
    """
    order = tt.getGlyphOrder()
    cff = tt["CFF "].cff if "CFF " in tt else None
    cid_keyed = cff is not None and hasattr(cff.topDictIndex[0], "ROS")
    added: dict[str, Added] = {}

    def add(source: str, label: str, transform: Any, advance: int) -> str:
        name = f"cid{len(order) + len(added):05d}" if cid_keyed else f"{source}.{label}"
        added[name] = (source, transform, advance)
        return name

    lines = ["languagesystem DFLT dflt;", "languagesystem hani dflt;", "languagesystem latn dflt;"]
    apostrophes: list[tuple[str, str]] = []
    for quote, bracket in CORNER_QUOTES.items():
        form = new_cmap.get(bracket)
        if quote not in new_cmap or form is None or form not in transforms:
            continue
        flat = horizontal.get(quote, new_cmap[quote])
        new_cmap[quote] = add(form, "corner", *transforms[form])
        apostrophes.append((new_cmap[quote], flat))
    ascii_glyphs = sorted({new_cmap[code] for code in range(0x21, 0x7F) if code in new_cmap})
    if apostrophes and ascii_glyphs:
        latin = " ".join(ascii_glyphs)
        rules = " ".join(f"sub [{latin}] {corner}' [{latin}] by {flat};" for corner, flat in apostrophes)
        lines.append(f"feature calt {{ {rules} }} calt;")

    digits = [new_cmap[code] for code in _DIGITS if code in new_cmap and new_cmap[code] not in transforms]
    if digits:
        upem = geometry.units_per_em
        hmtx = tt["hmtx"].metrics
        boxes = [box for box in (bounds[name] for name in digits) if box is not None]
        bottom = min((b[1] for b in boxes), default=0)
        top = max((b[3] for b in boxes), default=upem // 2)
        widest = max((hmtx[name][0] for name in digits), default=upem // 2) or upem // 2
        scale_y = min(_TCY_HEIGHT, _TCY_MAX * upem / max(top - bottom, 1))  # along the column, after the turn
        for kind, feature in TCY_FEATURES.items():
            if kind == "tcy0":
                scale_x = min(scale_y, _TCY_MAX * upem / widest)
                middle = geometry.centre
            else:
                scale_x = min(_TCY_PAIR_WIDTH, _TCY_PAIR_FILL * upem / 2 / widest)
                middle = geometry.centre + (-upem / 4 if kind == "tcy1" else upem / 4)
            # Two digits advance by half an em each, the second drawn back over the first half: digits
            # at one place (an advance of nothing) would read as a doubled, overprinted character to
            # text extraction (poppler), which then breaks the line there.
            advance = upem if kind == "tcy0" else upem // 2
            along = (-(upem // 2) if kind == "tcy2" else 0) + upem / 2
            centre_y = (top + bottom) / 2
            rules = " ".join(
                f"sub {name} by "
                + add(name, kind, _tcy_turn(scale_x, scale_y, centre_y, hmtx[name][0], middle, along), advance)
                + ";"
                for name in dict.fromkeys(digits)
            )
            lines.append(f"feature {feature} {{ {rules} }} {feature};")
    return added, "\n".join(lines) + "\n" if len(lines) > 3 else ""


def _tcy_turn(scale_x: float, scale_y: float, centre_y: float, advance_x: int, middle: float, along: float) -> Any:
    """A digit scaled and turned 90° counter-clockwise into its place in its cell.

    ``(x, y) -> (along - scale_y·(y - centre_y), middle + scale_x·(x - advance_x / 2))``: the
    digits' vertical middle goes to ``along`` (the middle of the cell, from the glyph's origin),
    the middle of the digit's advance to ``middle`` across the line box.
    """
    from fontTools.misc.transform import Transform

    return Transform(
        0, scale_x, -scale_y, 0, round(along + scale_y * centre_y), round(middle - scale_x * advance_x / 2)
    )


def _open_static(data: bytes, index: int, origin: str) -> Any:
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


def _finish(
    tt: Any, cmap: dict[int, str], geometry: _Geometry, bounds: dict[str, Bounds], label: str, features: str
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
