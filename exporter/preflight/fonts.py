"""Checks that every font a page uses has an embedded program that draws every glyph the page shows.

A font with no program (``/FontFile``, ``/FontFile2``, ``/FontFile3``) is replaced by whatever the
press's RIP has, and one whose program fontTools cannot parse, or that lacks a glyph the page
shows, prints a box or nothing. Glyphs are checked for composite fonts with an Identity encoding
(two-byte codes that are CIDs): a CID must be in the CFF charset of a CIDFontType0, and its glyph
id (through ``/CIDToGIDMap``) below the glyph count of a CIDFontType2. Type 3 fonts are drawn with
page content and are not checked. A composite font without a ``/ToUnicode`` map is a warning: it
prints, but its text cannot be searched or copied (a simple font's encoding tells its characters).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from exporter.fonts.glyphtruth import _cid


@dataclass(frozen=True)
class FontProblem:
    """A fault of one font: the finding's severity, code and message."""

    severity: str
    code: str
    message: str


@dataclass(frozen=True)
class _Program:
    """What a parsed font program can draw: its glyph count, and the CIDs of a CID-keyed CFF."""

    glyphs: int
    cids: frozenset[int] | None


def font_name(font: Any) -> str:
    """The font's /BaseFont, as a message names it."""
    return str(font.get("/BaseFont", "/(unnamed)"))[1:]


def check_font(font: Any, codes: set[bytes]) -> list[FontProblem]:
    """The faults of ``font`` given the character codes a page shows with it."""
    subtype = str(font.get("/Subtype"))
    if subtype == "/Type3":
        return []
    name = font_name(font)
    composite = subtype == "/Type0"
    descendant = font.DescendantFonts[0] if composite and "/DescendantFonts" in font else None
    holder = descendant if descendant is not None else font
    descriptor = holder.get("/FontDescriptor")
    kind = str(holder.get("/Subtype", "/no /Subtype"))[1:]
    problems: list[FontProblem] = []
    if composite and "/ToUnicode" not in font:
        problems.append(
            FontProblem(
                "warning",
                "no-tounicode",
                f"font {name} has no ToUnicode map: its text cannot be searched or copied; embed one",
            )
        )
    stream, key = None, ""
    for key in ("/FontFile", "/FontFile2", "/FontFile3"):
        if descriptor is not None and key in descriptor:
            stream = descriptor[key]
            break
    if stream is None:
        return [
            *problems,
            FontProblem(
                "error",
                "font-not-embedded",
                f"font {name} ({kind}) is not embedded: the press's RIP would substitute another; embed the font",
            ),
        ]
    try:
        program = _parse(bytes(stream.read_bytes()), key, str(stream.get("/Subtype", "")))
    except Exception as exc:
        return [
            *problems,
            FontProblem(
                "error",
                "font-undrawable",
                f"font {name} ({kind}): the embedded program does not parse ({type(exc).__name__}); embed it again",
            ),
        ]
    if descendant is None or str(font.get("/Encoding")) not in ("/Identity-H", "/Identity-V") or program is None:
        return problems
    cids = sorted({int.from_bytes(code[i : i + 2], "big") for code in codes for i in range(0, len(code) - 1, 2)})
    missing = [cid for cid in cids if not _draws(program, cid, descendant)]
    if missing:
        shown = ", ".join(str(cid) for cid in missing[:5]) + (" …" if len(missing) > 5 else "")
        problems.append(
            FontProblem(
                "error",
                "font-undrawable",
                f"font {name} ({kind}) lacks {len(missing)} glyph{'s' * (len(missing) != 1)} the page shows "
                f"(CID {shown}): they print as .notdef or nothing; embed the font with these glyphs",
            )
        )
    return problems


def _draws(program: _Program, cid: int, descendant: Any) -> bool:
    """Whether the program has a glyph for ``cid``."""
    if program.cids is not None:
        return cid in program.cids
    mapping = descendant.get("/CIDToGIDMap")
    gid = cid
    if mapping is not None and str(mapping) != "/Identity":
        table = bytes(mapping.read_bytes())
        gid = int.from_bytes(table[2 * cid : 2 * cid + 2], "big") if 2 * cid + 2 <= len(table) else 0
        if gid == 0 and cid != 0:
            return False
    return gid < program.glyphs


def _parse(data: bytes, key: str, subtype: str) -> _Program | None:
    """The embedded program parsed with fontTools (None for a Type 1 program, checked by its header only)."""
    from fontTools.cffLib import CFFFontSet  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    if key == "/FontFile":
        if not data.startswith((b"%!", b"\x80\x01")):
            raise ValueError("not a Type 1 program")
        return None
    if key == "/FontFile3" and subtype != "/OpenType":  # bare CFF: Type1C or CIDFontType0C
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data), None)
        return _cff_program(cff)
    tt = TTFont(io.BytesIO(data))
    if "CFF " in tt:
        return _cff_program(tt["CFF "].cff)
    return _Program(int(tt["maxp"].numGlyphs), None)


def _cff_program(cff: Any) -> _Program:
    top = cff.topDictIndex[0]
    order = list(top.charset)
    cids = frozenset(_cid(glyph) for glyph in order) if hasattr(top, "ROS") else None
    return _Program(len(order), cids)
