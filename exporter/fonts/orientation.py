"""Tells which characters stand upright in vertical text: the UTR #50 orientation tables and :func:`upright`."""

from __future__ import annotations

import bisect

from exporter.text.script import is_wide

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


def upright(char: str) -> bool:
    """Whether ``char`` stands upright in vertical text, and so is turned in a rotated font.

    True for the UTR #50 orientations U, Tu and Tr (Han, kana, Hangul, CJK and full-width
    punctuation and symbols, ©, ×, ±…) and for wide or full-width characters newer than UTR #50's
    table (by East Asian Width W/F); false for orientation R (Latin, digits, ASCII punctuation,
    dashes, quotation marks “”‘’, …). Tr characters (brackets, ー, ～) are upright in a
    vertical-safe font, which has vertical forms for them; :func:`exporter.fonts.rotate.rotated_font`
    leaves one sideways where the font has none, and turns the vertical forms a font has for R
    characters of ambiguous width (… — ― “”). A character for which this is true must be in a
    rotated font of the edition: from any other font it would come out sideways.
    """
    if len(char) != 1:
        raise ValueError(f"upright() takes one character, not {char!r}")
    code = ord(char)
    if _in_ranges(code, _UPRIGHT_RANGES, _UPRIGHT_STARTS):
        return True
    return code > _BMP_END and is_wide(char)


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
