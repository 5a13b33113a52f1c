"""Finds the font faces an edition's roles name, checks that they cover an issue's text, and subsets them for embedding.

Family names are looked up in three places, in this order: the theme's ``fonts/`` folders, the
fonts shipped in the repository's ``fonts/`` folder, then the system through fontconfig. A role
(``body``, ``headline``, ``sans``…) names a list of families; the faces found for them, in that
order, form the role's fallback chain. ``coverage`` proves that every character of an issue is in
some face of a chain (a missing glyph is an error, never a silent fallback), ``emoji`` finds the
characters no edition sets (see :func:`emoji`), and ``subset`` cuts a
face down to the characters of one issue, keeping what vertical text (竖排) needs: the ``vert``
and ``vrt2`` substitutions with the glyphs they reach, and the ``vhea``, ``vmtx`` and ``VORG``
tables. Subsets land in a content-addressed cache, so that a second build of the same issue
reuses them; the code points each face maps are kept in the same cache folder
(:mod:`exporter.fonts.codepoints`), so that only the first process to check a face reads its cmap.

fontTools and uharfbuzz are imported inside the functions that use them.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import struct
import subprocess
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from exporter.errors import FontError
from exporter.fonts import cache, codepoints
from exporter.fonts.codepoints import CodePoints

if TYPE_CHECKING:
    import uharfbuzz  # type: ignore[import-untyped]

#: OpenType layout features every subset keeps: vertical forms and metrics, proportional and
#: half-width punctuation, contextual punctuation spacing (``chws``/``vchw``), kerning, localised
#: forms, and the composition of ``——`` into one two-cell rule (``ccmp``, ``fwid``). Every other
#: feature is dropped.
LAYOUT_FEATURES: tuple[str, ...] = (
    "vert",
    "vrt2",
    "vpal",
    "vhal",
    "vkrn",
    "vchw",
    "palt",
    "halt",
    "chws",
    "kern",
    "locl",
    "ccmp",
    "fwid",
)
#: Tables vertical text needs; a subset keeps each one the source face has.
VERTICAL_TABLES: tuple[str, ...] = ("vhea", "vmtx", "VORG")
#: Name records a subset keeps: copyright, names, version, trademark, credits, licence and URLs.
NAME_IDS: tuple[int, ...] = (*range(15), 16, 17)
#: Names the subsetting recipe; change it whenever the options above change, so that caches renew.
SUBSET_RECIPE = "exporter-subset/3"
#: The font files a folder scan reads.
FONT_SUFFIXES: frozenset[str] = frozenset({".otf", ".ttf", ".otc", ".ttc"})
#: What the user is told to run when no font is found.
INSTALL_HINT = "apt-get install fonts-noto-cjk fontconfig"

FontSource = Literal["theme", "shipped", "system"]
Flavor = Literal["woff2"] | None

# fontconfig's weight scale and the OpenType/CSS weights it stands for (FcWeightToOpenType).
_FC_WEIGHTS: tuple[tuple[float, int], ...] = (
    (0, 100),
    (40, 200),
    (50, 300),
    (55, 350),
    (75, 380),
    (80, 400),
    (100, 500),
    (180, 600),
    (200, 700),
    (205, 800),
    (210, 900),
    (215, 1000),
)
# Characters a font need not have: invisible format controls and variation selectors.
_IGNORED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


@dataclass(frozen=True)
class Face:
    """One face of a font file (a TTC collection holds several), as a family lookup found it."""

    family: str
    path: Path
    index: int
    weight: int
    style: str
    source: FontSource
    vertical: bool


@dataclass(frozen=True)
class Missing:
    """A character that no face of a chain has, and the first line it occurs on."""

    char: str
    codepoint: str
    line: int


@dataclass(frozen=True)
class _FaceInfo:
    """What a scan of a font file learns about one of its faces."""

    index: int
    families: tuple[str, ...]
    weight: int
    style: str
    vertical: bool


def shipped_fonts_dir() -> Path:
    """The fonts exporter ships (the repository's ``fonts/``), with their licence."""
    from exporter import shipped

    return shipped.folder("fonts")


def find_faces(family: str, search_dirs: Sequence[Path]) -> list[Face]:
    """All faces of ``family``: from the first of ``search_dirs`` that has it, else shipped, else system.

    The first place that has the family wins, with every weight and style it holds there; a
    family found nowhere gives an empty list. Names compare as fontconfig compares them:
    ignoring case and spaces.
    """
    for folder in search_dirs:
        faces = _faces_in_dir(family, Path(folder), "theme")
        if faces:
            return faces
    faces = _faces_in_dir(family, shipped_fonts_dir(), "shipped")
    if faces:
        return faces
    return _order(_system_faces(family))


def families(search_dirs: Sequence[Path] = ()) -> tuple[str, ...]:
    """Every family :func:`find_faces` can find: in ``search_dirs``, among the shipped fonts and the system's.

    For "did you mean" when a theme names a family found nowhere; a damaged file is skipped here.
    """
    found: set[str] = set()
    for folder in (*map(Path, search_dirs), shipped_fonts_dir()):
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES and p.is_file()):
            stat = path.stat()
            try:
                infos = _faces_in_file(path.resolve(), stat.st_size, stat.st_mtime_ns)
            except FontError:
                continue
            found.update(name for info in infos for name in info.families)
    for line in _fc("%{family}\n", "").splitlines():
        found.update(name.strip() for name in _split_unescaped(line) if name.strip())
    return tuple(sorted(found))


def resolve(
    roles: Mapping[str, Sequence[str]],
    search_dirs: Sequence[Path] = (),
    *,
    origin: str | None = None,
) -> dict[str, list[Face]]:
    """The fallback chain of faces for each role, from the role's list of family names.

    A family found nowhere is skipped; a role whose families are all missing raises
    :class:`FontError`. ``origin`` (the theme file that names the roles) goes into that error.
    """
    chains: dict[str, list[Face]] = {}
    for role, names in roles.items():
        families = [names] if isinstance(names, str) else list(names)
        chain: list[Face] = []
        seen: set[tuple[Path, int]] = set()
        for family in families:
            for face in find_faces(family, search_dirs):
                if (face.path, face.index) not in seen:
                    seen.add((face.path, face.index))
                    chain.append(face)
        if not chain:
            wanted = ", ".join(f'"{name}"' for name in families) or "(no family named)"
            places = [str(d) for d in search_dirs] + [str(shipped_fonts_dir()), "the system's fonts (fc-list)"]
            raise FontError(
                f"no font for the {role!r} role: none of {wanted} is in {', '.join(places)}; "
                f"install Noto CJK ({INSTALL_HINT}), put the font files in the theme's fonts/ folder, "
                "or name a family that `fc-list : family` shows",
                path=origin,
            )
        chains[role] = chain
    return chains


def coverage(lines: Iterable[tuple[int, str]], chain: Sequence[Face]) -> list[Missing]:
    """The characters of ``lines`` (line number, text) that no face of ``chain`` has, on every line they are on.

    Each missing character is reported once per line it occurs on, in the order of the lines
    given. White space, invisible format controls and variation selectors are not checked: they
    need no glyph.
    """
    cmaps = [_cmap(face.path, face.index) for face in chain]
    has: dict[str, bool] = {}
    seen: set[tuple[str, int]] = set()
    missing: list[Missing] = []
    for line, text in lines:
        for char in text:
            if (char, line) in seen:
                continue
            seen.add((char, line))
            if char not in has:
                code = ord(char)
                has[char] = char.isspace() or _needs_no_glyph(char) or any(code in cmap for cmap in cmaps)
            if not has[char]:
                missing.append(Missing(char, f"U+{ord(char):04X}", line))
    return missing


def emoji(text: str) -> list[str]:
    """The emoji of ``text`` as written: characters shown as emoji by default, and any followed by U+FE0F.

    These are the characters a layout engine sets in a colour emoji font when the system has one,
    whatever the theme names (Pango asks fontconfig for colour first); the ``regex`` module knows
    Unicode's emoji properties.
    """
    import regex  # type: ignore[import-untyped]

    return [match.group() for match in regex.finditer(r"\p{Emoji}\uFE0F|\p{Emoji_Presentation}", text)]


def system_families_with(char: str) -> tuple[str, ...]:
    """The families of the system's fonts (fontconfig) that have ``char``; none without fontconfig."""
    return _fc_families_with(ord(char))


@functools.lru_cache(maxsize=256)
def _fc_families_with(code: int) -> tuple[str, ...]:
    out = _fc("%{family[0]}\n", f":charset={code:x}")
    return tuple(sorted({line.strip() for line in out.splitlines() if line.strip()}))


def _fc(fields: str, pattern: str) -> str:
    """What ``fc-list`` prints for a pattern; nothing without fontconfig (the system has no fonts to offer)."""
    try:
        done = subprocess.run(
            ["fc-list", "--format", fields, pattern],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout


def subset(
    face: Face,
    text: str,
    *,
    flavor: Flavor = None,
    cache_dir: Path | None = None,
    languages: Sequence[str] | None = None,
) -> Path:
    """A copy of ``face`` cut down to the characters of ``text``, from the cache if made before.

    The subset keeps :data:`LAYOUT_FEATURES` with every glyph they reach (the vertical forms of
    ``vert``/``vrt2`` among them) and the tables of :data:`VERTICAL_TABLES`. ``flavor="woff2"``
    compresses it for EPUB readers. ``languages`` (OpenType language system tags such as
    ``"ZHH "``) keeps, of the face's language systems, only those and the default: the localised
    forms of the others (a Noto CJK face holds the Japanese, Korean and other Chinese forms of
    each character) are left out, as :mod:`tools.build_fonts` leaves them out of the shipped faces.
    Files are named by a SHA-256 of the source face, the characters, the flavor, the languages and
    the recipe, written atomically and byte-identical for the same input; ``cache.stats("subsets")``
    tells whether a call made a subset or found it.
    """
    codepoints = sorted({ord(char) for char in text})
    suffix = "woff2" if flavor == "woff2" else "otf"

    def make() -> tuple[bytes, str]:
        data = subset_font_data(face.path, face.index, codepoints)
        if languages is not None:
            # Cut twice: the language systems go from the small subset, then the glyphs only they reached.
            data = subset_font_data(keep_languages(data, languages), 0, codepoints)
        return (_to_woff2(data, face.path) if flavor == "woff2" else data), suffix

    return cache.cached(
        "subsets",
        [_subset_material(face, codepoints, flavor, languages)],
        make,
        folder=cache_dir if cache_dir is not None else default_cache_dir(),
        suffixes=(suffix,),
        prefix=f"{_slug(face.family)}-{face.weight}-",
    )


def default_cache_dir() -> Path:
    """Where subsets and faces' code points are cached: ``$EXPORTER_CACHE_DIR``, else the user's cache folder."""
    override = os.environ.get("EXPORTER_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    try:
        import platformdirs
    except ImportError:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "exporter"
    return Path(platformdirs.user_cache_dir("exporter"))


def subset_font_data(font: Path | bytes, index: int, codepoints: Iterable[int]) -> bytes:
    """HarfBuzz's subset of face ``index`` of ``font`` (a file or its bytes) to ``codepoints``.

    This is the recipe both the per-issue subsets and ``tools/build_fonts.py`` use: the layout features
    of :data:`LAYOUT_FEATURES` and the glyphs they reach, the vertical tables, the name records
    of :data:`NAME_IDS` in English, CFF subroutines kept (smaller than desubroutinised charstrings).
    """
    import uharfbuzz as hb

    where = str(font) if isinstance(font, Path) else "<font data>"
    blob = _hb_blob(font) if isinstance(font, Path) else hb.Blob(font)
    hb_face = hb.Face(blob, index)
    if hb_face.glyph_count == 0:
        raise FontError(f"face {index} has no glyphs: the file is not a font, or has fewer faces", path=where)
    options = hb.SubsetInput()
    # Set.set() of uharfbuzz 0.57 adds an iterable to the set rather than replacing it: clear first.
    for hb_set, values in (
        (options.unicode_set, codepoints),
        (options.layout_feature_tag_set, [_tag(t) for t in LAYOUT_FEATURES]),
        (options.name_id_set, NAME_IDS),
    ):
        hb_set.clear()
        hb_set.update(values)
    for table in VERTICAL_TABLES:
        options.drop_table_tag_set.discard(_tag(table))
    options.flags = hb.SubsetFlags.DEFAULT
    try:
        result = hb.subset(hb_face, options)
    except RuntimeError as error:
        raise FontError(f"HarfBuzz could not subset face {index}: {error}; try another font", path=where) from error
    return identity_cids(bytes(result.blob.data))


def keep_languages(data: bytes, languages: Sequence[str]) -> bytes:
    """The font ``data`` with only the language systems ``languages`` (and each script's default) in GSUB and GPOS."""
    import io

    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    font = TTFont(io.BytesIO(data), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    for table in ("GSUB", "GPOS"):
        if table not in font:
            continue
        for record in font[table].table.ScriptList.ScriptRecord:
            script = record.Script
            script.LangSysRecord = [r for r in script.LangSysRecord if r.LangSysTag in languages]
            script.LangSysCount = len(script.LangSysRecord)
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue()


def identity_cids(data: bytes) -> bytes:
    """The font ``data`` with the charset of its CID-keyed CFF made the identity: glyph *n* is CID *n*.

    A subset keeps each glyph's CID from the source, so glyph 2 may be CID 15. A PDF shows a
    CID-keyed CFF font by CID (ISO 32000-1 §9.7.4.2: the reader maps CIDs to glyphs through the
    charset), while WeasyPrint writes glyph ids as CIDs: Ghostscript and MuPDF then draw
    ``.notdef`` or nothing where poppler guesses right. With the identity charset CIDs are glyph ids
    in every reader. The charset is rewritten in place, in the shortest form that fits there, the
    rest of its old bytes zeroed, so no offset of the table moves; fonts that are not CID-keyed CFF are returned
    as they are.
    """
    import io

    from fontTools.cffLib import CFFFontSet  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables.DefaultTable import DefaultTable  # type: ignore[import-untyped]

    tt = TTFont(io.BytesIO(data), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    if "CFF " not in tt.reader:
        return data
    table = bytearray(tt.reader["CFF "])
    glyphs = struct.unpack_from(">H", tt.reader["maxp"], 4)[0]
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(bytes(table)), tt, isCFF2=False)
    raw = cff.topDictIndex[0].rawDict
    if "ROS" not in raw or glyphs < 2:
        return data  # name-keyed: a PDF reader takes CIDs as glyph ids already
    start = raw["charset"]
    end = _charset_end(table, start, glyphs)
    # The shortest identity charset that fits where the old one was: the old one, naming the same
    # glyphs in as many ranges or more, is never shorter than the identity of its own format.
    ranges = [(first, min(255, glyphs - first - 1)) for first in range(1, glyphs, 256)]
    identity = next(
        form
        for form in (
            struct.pack(">BHH", 2, 1, glyphs - 2),
            bytes([1]) + b"".join(struct.pack(">HB", first, left) for first, left in ranges),
            bytes([0]) + b"".join(struct.pack(">H", cid) for cid in range(1, glyphs)),
        )
        if len(form) <= end - start
    )
    if bytes(table[start:end]) == identity + bytes(end - start - len(identity)):
        return data
    table[start:end] = identity + bytes(end - start - len(identity))
    cff_table = DefaultTable("CFF ")
    cff_table.data = bytes(table)
    tt["CFF "] = cff_table
    out = io.BytesIO()
    tt.save(out, reorderTables=False)
    return out.getvalue()


def _charset_end(table: bytes | bytearray, start: int, glyphs: int) -> int:
    """Where the CFF charset at ``start``, naming glyphs 1 to ``glyphs`` - 1, ends (formats 0, 1 and 2)."""
    kind = table[start]
    if kind == 0:
        return start + 1 + 2 * (glyphs - 1)
    if kind not in (1, 2):
        raise FontError(f"a CFF charset of format {kind}, which no font may have: the font is damaged")
    size = 1 if kind == 1 else 2
    pos, named = start + 1, 0
    while named < glyphs - 1:
        count = int.from_bytes(table[pos + 2 : pos + 2 + size], "big")
        named += count + 1
        pos += 2 + size
    return pos


# -- looking families up ------------------------------------------------------------------


def _norm(family: str) -> str:
    return "".join(family.split()).casefold()


def _order(faces: Iterable[Face]) -> list[Face]:
    """Regular upright first, then by closeness to 400, then by file: the chain's stable order."""
    return sorted(faces, key=lambda f: (abs(f.weight - 400), f.weight, f.style != "normal", str(f.path), f.index))


def _faces_in_dir(family: str, folder: Path, source: FontSource) -> list[Face]:
    if not folder.is_dir():
        return []
    wanted = _norm(family)
    faces: list[Face] = []
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES and p.is_file()):
        stat = path.stat()
        for info in _faces_in_file(path.resolve(), stat.st_size, stat.st_mtime_ns):
            names = [name for name in info.families if _norm(name) == wanted]
            if names:
                faces.append(Face(names[0], path.resolve(), info.index, info.weight, info.style, source, info.vertical))
    return _order(faces)


@functools.lru_cache(maxsize=1024)
def _faces_in_file(path: Path, size: int, mtime_ns: int) -> tuple[_FaceInfo, ...]:
    """The faces of one font file; cached by path, size and modification time."""
    import uharfbuzz as hb

    blob = _hb_blob(path)
    count = hb.Face(blob, 0).count or 1
    infos: list[_FaceInfo] = []
    for index in range(count):
        hb_face = hb.Face(blob, index)
        if hb_face.glyph_count == 0:
            raise FontError(
                "not a font file HarfBuzz can read (or a damaged one); remove it or replace it with an OTF, TTF or TTC",
                path=str(path),
            )
        families = tuple(dict.fromkeys(n for n in (hb_face.get_name(16), hb_face.get_name(1)) if n))
        weight, style = _weight_and_style(hb_face)
        infos.append(_FaceInfo(index, families, weight, style, _is_vertical(hb_face)))
    return tuple(infos)


def _weight_and_style(hb_face: uharfbuzz.Face) -> tuple[int, str]:
    """The weight class and style from the ``OS/2`` table (400 and upright when it has none)."""
    os2 = hb_face.reference_table("OS/2").data or b""
    if len(os2) < 64:
        return 400, "normal"
    weight, selection = struct.unpack_from(">H", os2, 4)[0], struct.unpack_from(">H", os2, 62)[0]
    style = "italic" if selection & 0x1 else "oblique" if selection & 0x200 else "normal"
    return int(weight) or 400, style


def _is_vertical(hb_face: uharfbuzz.Face) -> bool:
    tables = set(hb_face.table_tags)
    return bool({"vert", "vrt2"} & _feature_tags(hb_face, "GSUB")) and {"vhea", "vmtx"} <= tables


def _feature_tags(hb_face: uharfbuzz.Face, table: str) -> set[str]:
    """Every feature tag of ``table`` (GSUB or GPOS) that some script's language system lists."""
    tags: set[str] = set()
    for script_index, _script in enumerate(hb_face.get_table_script_tags(table)):
        languages = hb_face.get_script_language_tags(table, script_index)
        for language_index in (0xFFFF, *range(len(languages))):
            tags.update(hb_face.get_language_feature_tags(table, script_index, language_index))
    return tags


def _system_faces(family: str) -> list[Face]:
    faces: list[Face] = []
    for path, index, weight, style, names in _fc_list(_norm(family), family):
        try:
            stat = path.stat()
            infos = _faces_in_file(path, stat.st_size, stat.st_mtime_ns)
        except (OSError, FontError):
            continue  # a damaged or vanished system font is fontconfig's problem, not the edition's
        info = next((i for i in infos if i.index == index), None)
        if info is None:
            continue
        own = [n for n in names if _norm(n) == _norm(family)]
        faces.append(Face(own[0] if own else family, path, index, weight, style, "system", info.vertical))
    return faces


#: What :func:`_fc_faces` asks fontconfig of each face.
FC_FIELDS = "%{file}\t%{index}\t%{weight}\t%{slant}\t%{width}\t%{family}\n"


@functools.lru_cache(maxsize=256)
def _fc_list(key: str, family: str) -> tuple[tuple[Path, int, int, str, tuple[str, ...]], ...]:
    """fontconfig's faces of one family (``key``, :func:`_norm`'s): (file, index, CSS weight, style, family names).

    Read from :func:`_fc_faces`, the system's faces listed once: ``fc-list :family=…`` for each family
    took as long as the whole list (fontconfig loads its caches each time), 8 ms a family on a system
    of 176 faces. A face matches as fontconfig matches a family, by any of its names, blanks and case aside.
    """
    return _fc_rows([face for face in _fc_faces() if any(_norm(name) == key for name in face[4])])


@functools.lru_cache(maxsize=1)
def _fc_faces() -> tuple[tuple[Path, int, int, str, tuple[str, ...], int], ...]:
    """Every face fontconfig lists: (file, index, CSS weight, style, family names, width)."""
    return _fc_parsed(_fc(FC_FIELDS, ""))


def _fc_parsed(listing: str) -> tuple[tuple[Path, int, int, str, tuple[str, ...], int], ...]:
    """The faces of an ``fc-list --format`` :data:`FC_FIELDS` listing, named instances of variable fonts left out."""
    rows = []
    for line in listing.splitlines():
        parts = line.split("\t")
        if len(parts) != 6 or not parts[1].isdigit() or int(parts[1]) > 0xFFFF:
            continue  # named instances of variable fonts carry the instance in the index's high bits
        names = tuple(_split_unescaped(parts[5]))
        slant = _first_number(parts[3], 0)
        style = "italic" if slant == 100 else "oblique" if slant >= 110 else "normal"
        weight = _css_weight(_first_number(parts[2], 80))
        rows.append((Path(parts[0]), int(parts[1]), weight, style, names, int(_first_number(parts[4], 100))))
    return tuple(rows)


def _fc_rows(
    rows: Sequence[tuple[Path, int, int, str, tuple[str, ...], int]],
) -> tuple[tuple[Path, int, int, str, tuple[str, ...]], ...]:
    """The faces of one family: of normal width when it has such, each file and index once, in their order."""
    normal_width = [r for r in rows if r[5] == 100]
    kept = normal_width or rows
    unique = {(r[0], r[1]): r[:5] for r in sorted(kept)}
    return tuple(unique.values())


def _split_unescaped(text: str) -> list[str]:
    parts, current, escaped = [], "", False
    for char in text:
        if escaped:
            current += char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ",":
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [p for p in parts if p]


def _first_number(text: str, default: float) -> float:
    """The number of a fontconfig value, the lower end of a range like ``[0 210]``."""
    for token in text.strip("[]").split():
        try:
            return float(token)
        except ValueError:
            continue
    return default


def _css_weight(fc_weight: float) -> int:
    """fontconfig's weight scale (80 regular, 200 bold) mapped to CSS weights (400, 700)."""
    points = _FC_WEIGHTS
    if fc_weight <= points[0][0]:
        return points[0][1]
    for (low_fc, low_css), (high_fc, high_css) in itertools.pairwise(points):
        if fc_weight <= high_fc:
            share = (fc_weight - low_fc) / (high_fc - low_fc)
            return round(low_css + share * (high_css - low_css))
    return points[-1][1]


# -- reading fonts ------------------------------------------------------------------------


def _hb_blob(path: Path) -> uharfbuzz.Blob:
    import uharfbuzz as hb

    try:
        return hb.Blob.from_file_path(str(path))
    except hb.HarfBuzzError as error:
        raise FontError(
            f"cannot read the font file ({error}); check that it exists and is readable", path=str(path)
        ) from error


def _hb_face(path: Path, index: int) -> uharfbuzz.Face:
    import uharfbuzz as hb

    return hb.Face(_hb_blob(path), index)


def _stat(path: Path) -> os.stat_result:
    try:
        return path.stat()
    except OSError as error:
        raise FontError(
            f"cannot read the font file ({error.strerror}); it has moved or gone since the lookup: build again",
            path=str(path),
        ) from error


def _cmap(path: Path, index: int) -> CodePoints:
    stat = _stat(path)
    return _cmap_of(path, index, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _cmap_of(path: Path, index: int, size: int, mtime_ns: int) -> CodePoints:
    """The code points a face maps to glyphs; kept per file version and face, in the process and in the
    cache folder (:mod:`exporter.fonts.codepoints`), so that only the first process to need them reads them."""
    folder = default_cache_dir()
    font = codepoints.FontKey(str(path.resolve()), size, mtime_ns, index)
    points = codepoints.load(folder, font)
    if points is None:
        points = CodePoints(_read_cmap(path, index))
        codepoints.store(folder, font, points)
    return points


def _read_cmap(path: Path, index: int) -> set[int]:
    """The code points a face maps to glyphs, read from its font file."""
    return set(_hb_face(path, index).unicodes)


def _needs_no_glyph(char: str) -> bool:
    code = ord(char)
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return True  # variation selectors
    return unicodedata.category(char) in _IGNORED_CATEGORIES


# -- subset names -------------------------------------------------------------------------


def _tag(tag: str) -> int:
    return int.from_bytes(tag.encode("ascii"), "big")


def _slug(family: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in family.lower()).split()) or "font"


def _subset_material(
    face: Face, codepoints: Sequence[int], flavor: Flavor, languages: Sequence[str] | None = None
) -> str:
    """What decides a subset's bytes, as JSON: source face, characters, flavor, languages and the tools' recipe."""
    import uharfbuzz as hb

    stat = _stat(face.path)
    material: dict[str, Any] = {
        "recipe": SUBSET_RECIPE,
        "harfbuzz": hb.version_string(),
        "uharfbuzz": hb.__version__,
        "font": [str(face.path.resolve()), stat.st_size, stat.st_mtime_ns, face.index],
        "codepoints": list(codepoints),
        "flavor": flavor,
    }
    if languages is not None or flavor == "woff2":
        import fontTools  # type: ignore[import-untyped]

        material["fonttools"] = fontTools.version
    if languages is not None:
        material["languages"] = sorted(languages)
    return json.dumps(material, separators=(",", ":"), sort_keys=True)


def _to_woff2(data: bytes, origin: Path) -> bytes:
    import io

    from fontTools.ttLib import woff2

    out = io.BytesIO()
    try:
        woff2.compress(io.BytesIO(data), out)
    except ImportError as error:
        raise FontError("WOFF2 needs the brotli package: pip install brotli", path=str(origin)) from error
    return out.getvalue()
