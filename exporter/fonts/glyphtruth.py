"""Reads a PDF back and proves that every glyph it draws is the glyph of the character its text layer claims.

A PDF can look right in one viewer and wrong in another, and its text layer can say one thing
while the page shows another. This module reads what a conforming reader reads, without
rendering anything:

- every text-showing operator (``Tj``/``TJ``) of every page and form XObject, and the font it
  uses;
- the font's ``ToUnicode`` map, which is the text layer's claim for each glyph;
- the embedded font program (fontTools), whose CFF charset maps each CID to a glyph, as
  ISO 32000-1 §9.7.4.2 tells a reader to (a CID the charset lacks is drawn as ``.notdef`` by
  Ghostscript and MuPDF, and a guess by poppler);
- the font exporter gave WeasyPrint for that face (matched by PostScript name): the embedded
  glyph must have the source glyph's extents, and must be the glyph the source font's cmap gives
  the claimed character, or one its substitutions (``locl``; in rotated fonts the corner quotes,
  the apostrophe's ``calt`` and the tate-chu-yoko features) reach from it; a glyph claimed by
  several characters (``——``) must be the ligature the font makes of their glyphs (``ccmp``), or
  what a substitution makes of that (``fwid``). Vertical forms
  (``vert``/``vrt2``) do not count in fonts set horizontally.

:func:`check_rotation` proves a rotated font (:mod:`exporter.fonts.rotate`) against the face it
was derived from, by outline: each character's glyph must be the source face's vertical form of
that character (of its corner bracket, for a curly quote) turned a quarter counter-clockwise,
its horizontal glyph unturned (Latin, digits), or for a tate-chu-yoko digit the source digit
turned and condensed. Outlines are compared as point sets, normalised to their bounding box.

fontTools, uharfbuzz and pikepdf (qpdf) are imported inside the functions that use them.
"""

from __future__ import annotations

import io
import itertools
import re
import struct
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Features whose substitutions set text vertically: their glyphs are wrong in a horizontal line.
VERTICAL_FEATURES = frozenset({"vert", "vrt2", "vrtr", "vkna"})

_TEXT = re.compile(
    rb"/([^\s/\[\]<>(){}%]+)\s+[-+\d.]+\s+Tf"  # font
    rb"|\[([^\]]*)\]\s*TJ"  # array of strings and adjustments
    rb"|<([0-9A-Fa-f\s]*)>\s*Tj"  # one hex string
    rb"|\)\s*(?:Tj|'|\")"  # a literal string: WeasyPrint writes none
)
_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")
_BFRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _shown_char(char: str) -> str:
    """A character for a message: itself and its code point, or the code point and name of a space or control."""
    if char.isprintable() and not char.isspace():
        return f"{char} (U+{ord(char):04X})"
    return f"U+{ord(char):04X} {unicodedata.name(char, '?')}"


@dataclass(frozen=True)
class Finding:
    """One glyph that does not show what the text layer says: the character, where, and what is wrong."""

    char: str
    page: int
    face: str
    problem: str
    context: str

    def __str__(self) -> str:
        shown = " ".join(_shown_char(c) for c in self.char)
        shown = shown or "a glyph with no text"
        return f"{shown} on page {self.page}, in 「{self.context}」, {self.problem} ({self.face})"


@dataclass
class _Source:
    """A font exporter gave the layout engine: its cmap, the substitutions that count, its glyphs."""

    path: Path
    face: str
    cmap: dict[int, int]
    reach: dict[int, set[int]]
    hb_font: Any
    glyph_count: int
    #: Ligatures: the glyphs they are made of, in order, and the glyph they make.
    ligatures: dict[tuple[int, ...], int] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)

    def expected(self, text: str) -> set[int]:
        """The glyphs that may show ``text``: its characters' cmap glyphs and what substitutions make of them.

        For more than one character, the ligatures of their glyphs too, and what substitutions make of those.
        """
        found: set[int] = set()
        starts = [self.cmap[ord(char)] for char in text if ord(char) in self.cmap]
        if len(text) > 1:
            each = [self.expected(char) for char in text]
            starts += [
                glyph
                for parts, glyph in self.ligatures.items()
                if len(parts) == len(each) and all(p in e for p, e in zip(parts, each, strict=True))
            ]
        for gid in starts:
            todo = [gid]
            while todo:
                current = todo.pop()
                if current in found:
                    continue
                found.add(current)
                todo.extend(self.reach.get(current, ()))
        return found

    def whose(self, gid: int) -> str:
        """The character whose glyph ``gid`` is (by the cmap, else by a substitution), for a message."""
        if not self.names:
            for code, glyph in sorted(self.cmap.items()):
                self.names.setdefault(glyph, chr(code))
            for code in sorted(self.cmap):
                for glyph in self.expected(chr(code)):
                    self.names.setdefault(glyph, chr(code))
        return self.names.get(gid, "")


@dataclass
class _PdfFont:
    """One font of the PDF: its text layer, how its CIDs reach glyphs, its program and its source."""

    name: str
    to_unicode: dict[int, str]
    cid_to_gid: dict[int, int] | None  # None: CIDs are glyph ids
    glyph_count: int
    hb_font: Any
    source: _Source | None


def check_pdf(pdf: bytes, fonts: Sequence[Path], *, vertical: frozenset[Path] = frozenset()) -> list[Finding]:
    """What in ``pdf`` is not the glyph of its character, given the font files exporter gave WeasyPrint.

    ``vertical`` names the fonts set sideways (the rotated fonts of the vertical edition), in
    which every substitution of the font counts; in the others the vertical ones do not. Each
    distinct (font, glyph) is reported once, at its first use.
    """
    import pikepdf

    sources = _sources(fonts, vertical)
    document = pikepdf.open(io.BytesIO(pdf))
    fonts_seen: dict[Any, _PdfFont] = {}
    findings: list[Finding] = []
    checked: set[tuple[int, int]] = set()
    for number, page in enumerate(document.pages, 1):
        for content, resources in _streams(page.obj.get("/Contents"), pikepdf.Page(page).resources):
            shown: list[tuple[_PdfFont, int]] = _shown(content, resources, fonts_seen, sources)
            text = [font.to_unicode.get(cid, "") for font, cid in shown]
            for at, (font, cid) in enumerate(shown):
                if (id(font), cid) in checked:
                    continue
                checked.add((id(font), cid))
                problem = _problem(font, cid, text[at])
                if problem is not None:
                    context = "".join(text[max(0, at - 10) : at + 11]).strip()
                    face = font.source.face if font.source is not None else font.name
                    findings.append(Finding(text[at], number, face, problem, context))
    return findings


def _problem(font: _PdfFont, cid: int, claimed: str) -> str | None:
    """Why glyph ``cid`` of ``font`` does not show ``claimed``, or None when it does."""
    gid = cid if font.cid_to_gid is None else font.cid_to_gid.get(cid)
    if gid is None or gid >= font.glyph_count:
        return f"has CID {cid}, which the embedded font lacks: Ghostscript and MuPDF draw .notdef or nothing"
    if gid == 0:
        return "is drawn as .notdef (a missing-glyph box)"
    source = font.source
    if source is None:
        return f"is set in {font.name}, a font exporter did not give the layout engine"
    if gid >= source.glyph_count or font.hb_font.get_glyph_extents(gid) != source.hb_font.get_glyph_extents(gid):
        return "is drawn with a glyph that is not its font's (fonts mixed up in the PDF)"
    if not claimed:
        return "is a glyph the text layer gives no character"
    if claimed.isspace() and gid in source.expected(" \u3000"):
        return None
    if gid not in source.expected(claimed):
        other = source.whose(gid)
        shown = f"the glyph of {other} (U+{ord(other[0]):04X})" if other else f"glyph {gid}, no character's"
        return f"is drawn as {shown}"
    return None


def _data(contents: Any) -> bytes:
    """The bytes of a content stream, or of an array of them."""
    import pikepdf

    if isinstance(contents, pikepdf.Array):
        return b"\n".join(part.read_bytes() for part in contents)
    return bytes(contents.read_bytes())


def _streams(contents: Any, resources: Any) -> Iterator[tuple[bytes, Any]]:
    """The page's content and that of each form XObject it uses (recursively), with their resources."""
    if contents is None:
        return
    data = _data(contents)
    yield data, resources
    xobjects = resources.get("/XObject") if resources is not None else None
    if xobjects is None:
        return
    for name in sorted(set(re.findall(rb"/([^\s/\[\]<>(){}%]+)\s+Do\b", data))):
        key = "/" + name.decode("latin-1")
        if key not in xobjects:
            continue
        xobject = xobjects[key]
        if str(xobject.get("/Subtype")) == "/Form":
            yield from _streams(xobject, xobject.get("/Resources", resources))


def _shown(
    content: bytes, resources: Any, seen: dict[Any, _PdfFont], sources: list[_Source]
) -> list[tuple[_PdfFont, int]]:
    """Each glyph the content shows, in order, as (font, CID); two-byte codes (Identity-H)."""
    shown: list[tuple[_PdfFont, int]] = []
    font: _PdfFont | None = None
    fonts = resources.get("/Font") if resources is not None else None
    for match in _TEXT.finditer(content):
        name, array, single = match.group(1), match.group(2), match.group(3)
        if name is not None:
            key = "/" + name.decode("latin-1")
            if fonts is None or key not in fonts:
                raise ValueError(f"the content uses the font {key}, which its resources lack")
            reference = fonts[key]
            identity = reference.objgen if reference.is_indirect else id(reference)
            if identity not in seen:
                seen[identity] = _read_font(reference, sources)
            font = seen[identity]
            continue
        if single is None and array is None:
            raise ValueError("a text operator with a literal string, which this check does not read")
        if array is not None and b"(" in array:
            raise ValueError("a TJ array with a literal string, which this check does not read")
        if font is None:
            raise ValueError("text shown before any font is set")
        codes = bytes.fromhex(b"".join([single] if single is not None else _HEX.findall(array or b"")).decode("ascii"))
        shown.extend(zip(itertools.repeat(font), struct.unpack(f">{len(codes) // 2}H", codes[: len(codes) // 2 * 2])))
    return shown


def _read_font(font: Any, sources: list[_Source]) -> _PdfFont:
    """The text layer, CID map, program and source of one Type 0 font of the PDF."""
    import uharfbuzz as hb  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    name = str(font.get("/BaseFont", "?")).lstrip("/")
    to_unicode = _to_unicode(bytes(font.ToUnicode.read_bytes())) if "/ToUnicode" in font else {}
    descendant = font.DescendantFonts[0]
    descriptor = descendant.FontDescriptor
    program = next((descriptor[k] for k in ("/FontFile3", "/FontFile2", "/FontFile") if k in descriptor), None)
    if program is None:
        return _PdfFont(name, to_unicode, None, 0, None, None)
    data = bytes(program.read_bytes())
    tt = TTFont(io.BytesIO(data), lazy=True)
    cid_to_gid: dict[int, int] | None = None
    postscript = _postscript_name(tt)
    if "CFF " in tt:
        top = tt["CFF "].cff.topDictIndex[0]
        if hasattr(top, "ROS"):  # CID-keyed: the charset maps glyphs to CIDs
            cid_to_gid = {_cid(glyph): gid for gid, glyph in enumerate(tt.getGlyphOrder())}
    else:
        mapping = descendant.get("/CIDToGIDMap")
        if mapping is not None and str(mapping) != "/Identity":
            table = bytes(mapping.read_bytes())
            cid_to_gid = {i // 2: int.from_bytes(table[i : i + 2], "big") for i in range(0, len(table) - 1, 2)}
    hb_font = hb.Font(hb.Face(hb.Blob(data)))
    source = next((s for s in sources if _postscript_name_of(s) == postscript), None)
    return _PdfFont(name, to_unicode, cid_to_gid, hb_font.face.glyph_count, hb_font, source)


def _cid(glyph: str) -> int:
    return 0 if glyph == ".notdef" else int(glyph[3:])


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """A ToUnicode CMap's bfchar and bfrange entries: code -> text."""
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in _BFCHAR.findall(block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode("ascii")).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for first, last, start in _BFRANGE.findall(block):
            base = int(start, 16)
            for offset, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                mapping[code] = chr(base + offset)
    return mapping


_POSTSCRIPT: dict[Path, str] = {}


def _postscript_name(tt: Any) -> str:
    if "CFF " in tt:
        return str(tt["CFF "].cff.fontNames[0])
    record = tt["name"].getName(6, 3, 1) or tt["name"].getName(6, 1, 0)
    return record.toUnicode() if record is not None else ""


def _postscript_name_of(source: _Source) -> str:
    if source.path not in _POSTSCRIPT:
        from fontTools.ttLib import TTFont

        _POSTSCRIPT[source.path] = _postscript_name(TTFont(source.path, lazy=True))
    return _POSTSCRIPT[source.path]


def _sources(paths: Sequence[Path], vertical: frozenset[Path]) -> list[_Source]:
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    sources = []
    for path in dict.fromkeys(paths):
        tt = TTFont(path, lazy=True)
        gids = {name: gid for gid, name in enumerate(tt.getGlyphOrder())}
        cmap = {code: gids[name] for code, name in (tt.getBestCmap() or {}).items()}
        reach, ligatures = _substitutions(tt, gids, allow_vertical=path in vertical)
        record = tt["name"].getName(4, 3, 1) or tt["name"].getName(4, 1, 0)
        face = record.toUnicode() if record is not None else path.name
        hb_font = hb.Font(hb.Face(hb.Blob.from_file_path(str(path))))
        sources.append(_Source(path, face, cmap, reach, hb_font, len(gids), ligatures))
    return sources


def _substitutions(
    tt: Any, gids: dict[str, int], *, allow_vertical: bool
) -> tuple[dict[int, set[int]], dict[tuple[int, ...], int]]:
    """glyph -> glyphs one substitution makes of it, and the ligatures, from the lookups of the features that count."""
    reach: dict[int, set[int]] = {}
    ligatures: dict[tuple[int, ...], int] = {}
    if "GSUB" not in tt or tt["GSUB"].table.LookupList is None:
        return reach, ligatures
    table = tt["GSUB"].table
    lookups = table.LookupList.Lookup
    wanted: set[int] = set()
    for record in table.FeatureList.FeatureRecord if table.FeatureList else ():
        if allow_vertical or record.FeatureTag not in VERTICAL_FEATURES:
            wanted.update(record.Feature.LookupListIndex)
    todo = sorted(wanted)
    while todo:
        index = todo.pop()
        for subtable in lookups[index].SubTable:
            while getattr(subtable, "ExtSubTable", None) is not None:
                subtable = subtable.ExtSubTable
            for old, new in _single(subtable):
                reach.setdefault(gids[old], set()).update(gids[n] for n in new)
            for first, found in (getattr(subtable, "ligatures", None) or {}).items():
                for ligature in found:
                    parts = (gids[first], *(gids[c] for c in ligature.Component))
                    ligatures[parts] = gids[ligature.LigGlyph]
            for nested in _nested(subtable):
                if nested not in wanted:
                    wanted.add(nested)
                    todo.append(nested)
    return reach, ligatures


def _single(subtable: Any) -> Iterator[tuple[str, list[str]]]:
    """(glyph, what it becomes) of a single, multiple or alternate substitution subtable."""
    mapping = getattr(subtable, "mapping", None)
    if isinstance(mapping, dict):
        for old, new in mapping.items():
            yield old, [new] if isinstance(new, str) else list(new)
    alternates = getattr(subtable, "alternates", None)
    if isinstance(alternates, dict):
        for old, new in alternates.items():
            yield old, list(new)


def _nested(subtable: Any) -> list[int]:
    """The lookups a contextual subtable applies (formats 1, 2 and 3, chained or not)."""
    records = list(getattr(subtable, "SubstLookupRecord", None) or ())
    for set_name, rule_name in (
        ("ChainSubRuleSet", "ChainSubRule"),
        ("SubRuleSet", "SubRule"),
        ("ChainSubClassSet", "ChainSubClassRule"),
        ("SubClassSet", "SubClassRule"),
    ):
        for rule_set in getattr(subtable, set_name, None) or ():
            for rule in (getattr(rule_set, rule_name, None) or ()) if rule_set is not None else ():
                records.extend(rule.SubstLookupRecord)
    return [record.LookupListIndex for record in records]


# -- rotated fonts against their source faces -------------------------------------------------------


def check_rotation(
    source: Path | bytes,
    rotated: Path | bytes,
    *,
    index: int = 0,
    language: str = "zh-Hans",
    chars: str | None = None,
) -> list[str]:
    """Where the rotated font ``rotated`` does not show the characters of ``source`` as vertical text must.

    ``index`` is the source's face in a collection. Without ``chars``, every character of the
    source must be in the rotated font (one it lacked would be set sideways from another font).
    Each character (of ``chars``, else every character the rotated font maps) is shaped in the
    rotated font horizontally, as the layout engine will, plus once with each tate-chu-yoko
    feature for digits; each glyph it gets is compared by outline with what the source face
    gives: its vertical form (for “”‘’ the vertical form of 「」『』) turned a quarter
    counter-clockwise when the character stands upright or has a vertical form, its horizontal
    glyph as it is otherwise, the source digit turned and condensed for tate-chu-yoko. Returns
    one line per character that fails.
    """
    import uharfbuzz as hb

    src, rot = (
        hb.Font(hb.Face(hb.Blob(f if isinstance(f, bytes) else f.read_bytes()), i))
        for f, i in ((source, index), (rotated, 0))
    )
    problems: list[str] = []
    if chars is None:
        have = _cmap_of(rotated)
        problems += [
            f"{chr(c)} (U+{c:04X}) is not in the rotated font: it would be set sideways"
            for c in sorted(_cmap_of(source, index) - have)
        ]
        codes = sorted(have)
    else:
        codes = sorted({ord(c) for c in chars})
    for code in codes:
        char = chr(code)
        if not (char.isspace() or unicodedata.category(char) in ("Cc", "Cf")):
            problems += _check_turned_char(src, rot, code, language)
    return problems


def _check_turned_char(src: Any, rot: Any, code: int, language: str) -> list[str]:
    """What is wrong with the rotated font ``rot``'s glyphs for ``code`` (see :func:`check_rotation`)."""
    from exporter.fonts.derive import shape_alone as _glyph
    from exporter.fonts.orientation import turns_alone
    from exporter.fonts.rotate import CORNER_QUOTES, DASHES
    from exporter.fonts.tcy import TCY_FEATURES

    char = chr(code)
    flat = _glyph(src, code, "ltr", language)
    shown_as = CORNER_QUOTES.get(code, code)
    if _glyph(src, shown_as, "ltr", language) is None:
        shown_as = code  # no bracket in the face: the quote's own vertical form
    upright_form = _glyph(src, shown_as, "ttb", language)
    got = _glyph(rot, code, "ltr", language)
    if got is None or flat is None:
        return [f"{char} (U+{code:04X}) is missing from one of the fonts"]
    problems: list[str] = []
    turned = upright_form is not None and (upright_form != flat or shown_as != code or turns_alone(char))
    if turned:
        assert upright_form is not None
        same = _same_outline(src, upright_form, rot, got, turn=True, stretch=code in DASHES)
    else:
        same = _same_outline(src, flat, rot, got, turn=False, stretch=False)
    if not same:
        problems.append(f"{char} (U+{code:04X}) is not the source's {'turned ' if turned else ''}glyph")
    if "0" <= char <= "9":
        for feature in TCY_FEATURES.values():
            tcy = _glyph(rot, code, "ltr", language, {feature: True})
            if tcy is None or tcy == got or not _same_outline(src, flat, rot, tcy, turn=True, stretch=True):
                problems.append(f"{char} (U+{code:04X}) with {feature} is not the source digit turned upright")
    return problems


def _cmap_of(font: Path | bytes, index: int = 0) -> set[int]:
    from fontTools.ttLib import TTFont

    data = io.BytesIO(font) if isinstance(font, bytes) else font
    return set(TTFont(data, fontNumber=index, lazy=True).getBestCmap() or {})


class _Points:
    """A pen that keeps every point of an outline, on and off the curve, and where each contour starts."""

    def __init__(self) -> None:
        self.points: list[tuple[float, float]] = []
        self.starts: list[int] = []

    def moveTo(self, point: tuple[float, float]) -> None:
        self.starts.append(len(self.points))
        self.points.append(point)

    def lineTo(self, point: tuple[float, float]) -> None:
        self.points.append(point)

    def curveTo(self, *points: tuple[float, float]) -> None:
        self.points.extend(points)

    def qCurveTo(self, *points: tuple[float, float]) -> None:
        self.points.extend(p for p in points if p is not None)

    def closePath(self) -> None:
        pass

    def endPath(self) -> None:
        pass


def _outline(font: Any, gid: int) -> _Points:
    pen = _Points()
    font.draw_glyph_with_pen(gid, pen)
    return pen


def _same_outline(src: Any, source_gid: int, rot: Any, rotated_gid: int, *, turn: bool, stretch: bool) -> bool:
    """Whether two glyphs have one outline, the source's turned a quarter counter-clockwise when ``turn``.

    Both point sets are moved to their bounding box's corner; with ``stretch`` (dashes drawn over
    their cell, tate-chu-yoko digits condensed) each axis is also scaled to the unit, so that only
    the shape counts. Two points match within 1.5 font units, or 1% of the box when scaled.
    """
    pen_a, pen_b = _outline(src, source_gid), _outline(rot, rotated_gid)
    a, b = pen_a.points, pen_b.points
    if not a or not b:
        return not a and not b
    if turn:
        a = [(-y, x) for x, y in a]
    if _normalised(a, stretch) == _normalised(b, stretch):
        return True
    tolerance = 0.01 if stretch else 1.5
    a, b = _normalised(a, stretch, grid=False), _normalised(b, stretch, grid=False)
    if _near(a, b, tolerance):
        return True
    # A redundant point (on a straight edge, or closing a contour) may be dropped when a glyph is redrawn.
    return _on_edges(a, b, pen_b.starts, tolerance) and _on_edges(b, a, pen_a.starts, tolerance)


def _on_edges(
    points: list[tuple[float, float]], polygon: list[tuple[float, float]], starts: list[int], tol: float
) -> bool:
    """Whether every point lies within ``tol`` of an edge of the contours' control polygons."""
    edges: list[tuple[tuple[float, float], tuple[float, float]]] = []
    for at, start in enumerate(starts):
        end = starts[at + 1] if at + 1 < len(starts) else len(polygon)
        contour = polygon[start:end]
        edges.extend(zip(contour, contour[1:] + contour[:1], strict=True))
    for px, py in points:
        for (ax, ay), (bx, by) in edges:
            dx, dy = bx - ax, by - ay
            length = dx * dx + dy * dy
            t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
            if (ax + t * dx - px) ** 2 + (ay + t * dy - py) ** 2 <= tol * tol:
                break
        else:
            return False
    return True


def _normalised(points: list[tuple[float, float]], stretch: bool, *, grid: bool = True) -> Any:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, y0 = min(xs), min(ys)
    sx = (max(xs) - x0) or 1.0 if stretch else 1.0
    sy = (max(ys) - y0) or 1.0 if stretch else 1.0
    moved = [((x - x0) / sx, (y - y0) / sy) for x, y in points]
    if grid:
        return frozenset((round(x, 2), round(y, 2)) if stretch else (round(x), round(y)) for x, y in moved)
    return moved


def _near(a: list[tuple[float, float]], b: list[tuple[float, float]], tolerance: float) -> bool:
    """Whether each point of ``a`` has one of ``b`` within ``tolerance`` and the other way round (a grid hash)."""

    def cells(points: list[tuple[float, float]]) -> set[tuple[int, int]]:
        return {(int(x // tolerance), int(y // tolerance)) for x, y in points}

    def covered(points: list[tuple[float, float]], other: set[tuple[int, int]]) -> bool:
        for x, y in points:
            cx, cy = int(x // tolerance), int(y // tolerance)
            if not any((cx + dx, cy + dy) in other for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
                return False
        return True

    return covered(a, cells(b)) and covered(b, cells(a))
