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
  :func:`~exporter.fonts.orientation.upright` calls upright the vertical form is turned, and the cmap maps the character
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
  reached by the features of :data:`~exporter.fonts.tcy.TCY_FEATURES`, so that upright numbers come in the face and
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
  atomically (:mod:`exporter.fonts.cache`) and byte-identical for the same input (``head.created``
  and ``head.modified`` are the source's). ``cache.stats("rotated")`` counts fonts made and cache hits.

The shared machinery of derived fonts is :mod:`exporter.fonts.derive`; fontTools and uharfbuzz are
imported inside the functions that use them.
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path
from typing import Any

from exporter import fonts
from exporter.errors import FontError
from exporter.fonts import cache, derive
from exporter.fonts.derive import Bounds, Geometry, NewGlyphs
from exporter.fonts.orientation import turns_alone, upright
from exporter.fonts.tcy import tcy_features

#: Names the rotation recipe; change it whenever the derived font's bytes would change, so that caches renew.
ROTATE_RECIPE = "exporter-rotate/3"
#: The dashes a rotated font draws over their whole advance, so that ——, set as two of them,
#: reads as one unbroken line down the column.
DASHES = (0x2014, 0x2015, 0x2500, 0x2501, 0x2E3A, 0x2E3B)
#: The curly quotes and the corner brackets a vertical page shows for them (GB/T 15834): the
#: rotated font maps each quote to a copy of its bracket's turned vertical form, so that the page
#: shows 「」『』 while the text layer keeps the issue's “”‘’.
CORNER_QUOTES: dict[int, int] = {0x201C: 0x300C, 0x201D: 0x300D, 0x2018: 0x300E, 0x2019: 0x300F}


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

    def make() -> tuple[bytes, str]:
        rotated, suffix = rotate_font_data(data, index, language=language, origin=str(font))
        from exporter.fonts.glyphtruth import check_rotation

        problems = check_rotation(data, rotated, index=index, language=language)
        if problems:
            shown = f"{problems[0]} ({len(problems)} in all)"
            raise FontError(f"the rotated font would be wrong: {shown}; report this", path=str(font))
        return rotated, suffix

    folder = cache_dir if cache_dir is not None else fonts.default_cache_dir()
    return cache.cached("rotated", _key_parts(data, index, language), make, folder=folder, suffixes=("otf", "ttf"))


def rotate_font_data(
    data: bytes, index: int = 0, *, language: str = "zh-Hans", origin: str = "<font data>"
) -> tuple[bytes, str]:
    """The rotated font of face ``index`` of the font ``data``, and its file suffix (``otf`` or ``ttf``)."""
    import uharfbuzz as hb  # type: ignore[import-untyped]

    # Bounding boxes are set here, from HarfBuzz's glyph extents: fontTools' recalculation
    # would run every CFF charstring through Python, several times.
    tt = derive.open_static(data, index, origin)
    glyph_order: list[str] = tt.getGlyphOrder()

    hb_font = hb.Font(hb.Face(hb.Blob(data), index))
    geometry = derive.line_geometry(tt)
    cmap: dict[int, str] = dict(tt.getBestCmap() or {})
    codes = sorted(cmap)
    horizontal = derive.shaped_glyphs(hb_font, codes, glyph_order, "ltr", language)
    # The characters that may turn: upright ones and sideways ones of ambiguous width (… ― “”).
    candidates = [c for c in codes if upright(chr(c)) or unicodedata.east_asian_width(chr(c)) == "A"]
    vertical = derive.shaped_glyphs(hb_font, candidates, glyph_order, "ttb", language)
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
    bounds = {name: derive.extents(hb_font, gid) for gid, name in enumerate(glyph_order)}
    dashes = frozenset(new_cmap[code] for code in DASHES if code in new_cmap and new_cmap[code] in turned)
    transforms = derive.turn_transforms(tt, turned, bounds, geometry, stretch=dashes)
    added, features = _added_glyphs(tt, new_cmap, horizontal, transforms, bounds, geometry)
    for new, (source, transform, advance) in added.items():
        transforms[new] = (transform, advance)
        bounds[new] = bounds[source]
        gids[new] = gids[source]
    if "CFF " in tt:
        derive.turn_cff(tt, hb_font, gids, transforms, {new: source for new, (source, _t, _a) in added.items()})
        suffix = "otf"
    else:
        tt.recalcBBoxes = True  # glyf glyphs carry their own bounds: recalculating them is cheap
        derive.turn_glyf(tt, transforms, {new: source for new, (source, _t, _a) in added.items()})
        suffix = "ttf"
    hmtx = tt["hmtx"].metrics
    for name, (transform, advance) in transforms.items():
        box = bounds[name] = derive.turned_bounds(bounds[name], transform)
        hmtx[name] = (advance, box[0] if box is not None else 0)
    return derive.finish(tt, new_cmap, geometry, bounds, "Rotated", features), suffix


def _key_parts(data: bytes, index: int, language: str) -> list[str]:
    """What decides a rotated font's bytes: the recipe, the tools' versions, face, language, source bytes."""
    import fontTools  # type: ignore[import-untyped]
    import uharfbuzz as hb

    return [
        ROTATE_RECIPE,
        fontTools.version,
        hb.version_string(),
        str(index),
        language,
        hashlib.sha256(data).hexdigest(),
    ]


def _added_glyphs(
    tt: Any,
    new_cmap: dict[int, str],
    horizontal: dict[int, str],
    transforms: dict[str, tuple[Any, int]],
    bounds: dict[str, Bounds],
    geometry: Geometry,
) -> tuple[dict[str, derive.Added], str]:
    """The glyphs a rotated font adds, by their new names in order, and the features that reach them.

    - **Corner quotes.** Each of “”‘’ is mapped (``new_cmap`` is changed) to a new glyph drawn as
      the turned vertical form of 「」『』. Between two ASCII characters (an apostrophe in
      "Xi’an") ``calt`` gives ’ back its unturned glyph.
    - **Tate-chu-yoko (縦中横).** Three glyphs for each digit (:func:`exporter.fonts.tcy.tcy_features`).
    """
    added = NewGlyphs(tt)
    lines = ["languagesystem DFLT dflt;", "languagesystem hani dflt;", "languagesystem latn dflt;"]
    lines += _corner_quotes(new_cmap, horizontal, transforms, added)
    lines += tcy_features(tt, new_cmap, transforms, bounds, geometry, added)
    return added.glyphs, "\n".join(lines) + "\n" if len(lines) > 3 else ""


def _corner_quotes(
    new_cmap: dict[int, str], horizontal: dict[int, str], transforms: dict[str, tuple[Any, int]], added: NewGlyphs
) -> list[str]:
    """Map each of “”‘’ to a new glyph, its corner bracket's turned vertical form; the ``calt`` line for apostrophes."""
    apostrophes: list[tuple[str, str]] = []
    for quote, bracket in CORNER_QUOTES.items():
        form = new_cmap.get(bracket)
        if quote not in new_cmap or form is None or form not in transforms:
            continue
        flat = horizontal.get(quote, new_cmap[quote])
        new_cmap[quote] = added.add(form, "corner", *transforms[form])
        apostrophes.append((new_cmap[quote], flat))
    ascii_glyphs = sorted({new_cmap[code] for code in range(0x21, 0x7F) if code in new_cmap})
    if not (apostrophes and ascii_glyphs):
        return []
    latin = " ".join(ascii_glyphs)
    rules = " ".join(f"sub [{latin}] {corner}' [{latin}] by {flat};" for corner, flat in apostrophes)
    return [f"feature calt {{ {rules} }} calt;"]
