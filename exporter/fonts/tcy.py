"""Makes the tate-chu-yoko (縦中横) digit glyphs of a rotated font and the features that reach them."""

from __future__ import annotations

from typing import Any

from exporter.fonts.derive import Bounds, Geometry, NewGlyphs

#: The OpenType features of a rotated font that set a digit upright, condensed, as the first of
#: two in a cell (``tcy1``), the second of two (``tcy2``) or alone (``tcy0``): the CSS classes
#: of the tate-chu-yoko spans and the feature each turns on.
TCY_FEATURES: dict[str, str] = {"tcy1": "ss01", "tcy2": "ss02", "tcy0": "ss03"}
_DIGITS = range(0x30, 0x3A)
# A digit keeps this much of its height; two side by side keep at most this much of their width,
# and never more than fits in half an em with a little space (the share of the half em they fill).
_TCY_HEIGHT = 0.9
_TCY_PAIR_WIDTH = 0.85
_TCY_PAIR_FILL = 0.92
# The most of the em a digit's height, or a single digit's width, may take.
_TCY_MAX = 0.95


def tcy_features(
    tt: Any,
    new_cmap: dict[int, str],
    transforms: dict[str, tuple[Any, int]],
    bounds: dict[str, Bounds],
    geometry: Geometry,
    added: NewGlyphs,
) -> list[str]:
    """Add three tate-chu-yoko glyphs for each digit to ``added``; the feature lines that reach them.

    Each digit's glyphs are turned 90° counter-clockwise like the upright glyphs, so that they
    stand once the page is turned, and condensed so that two share one cell: the first of two
    (feature ``ss01``) sits in the half of the cell that becomes its left half after the turn
    (before it, the lower half of the line box), the second (``ss02``) in the other half, drawn
    back over the same cell; a digit alone (``ss03``) sits in the middle and advances by one em.
    Because they live in the line's own font, the digits of a bold sans headline are bold sans,
    and each glyph keeps its own character in the text layer.
    """
    digits = [new_cmap[code] for code in _DIGITS if code in new_cmap and new_cmap[code] not in transforms]
    if not digits:
        return []
    upem = geometry.units_per_em
    hmtx = tt["hmtx"].metrics
    boxes = [box for box in (bounds[name] for name in digits) if box is not None]
    bottom = min((b[1] for b in boxes), default=0)
    top = max((b[3] for b in boxes), default=upem // 2)
    widest = max((hmtx[name][0] for name in digits), default=upem // 2) or upem // 2
    scale_y = min(_TCY_HEIGHT, _TCY_MAX * upem / max(top - bottom, 1))  # along the column, after the turn
    lines = []
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
            + added.add(name, kind, _tcy_turn(scale_x, scale_y, centre_y, hmtx[name][0], middle, along), advance)
            + ";"
            for name in dict.fromkeys(digits)
        )
        lines.append(f"feature {feature} {{ {rules} }} {feature};")
    return lines


def _tcy_turn(scale_x: float, scale_y: float, centre_y: float, advance_x: int, middle: float, along: float) -> Any:
    """A digit scaled and turned 90° counter-clockwise into its place in its cell.

    ``(x, y) -> (along - scale_y·(y - centre_y), middle + scale_x·(x - advance_x / 2))``: the
    digits' vertical middle goes to ``along`` (the middle of the cell, from the glyph's origin),
    the middle of the digit's advance to ``middle`` across the line box.
    """
    from fontTools.misc.transform import Transform  # type: ignore[import-untyped]

    return Transform(
        0, scale_x, -scale_y, 0, round(along + scale_y * centre_y), round(middle - scale_x * advance_x / 2)
    )
