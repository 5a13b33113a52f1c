"""The 竖排 print edition, end to end: WeasyPrint lays the pages out sideways, and they are turned.

WeasyPrint 70 ignores ``writing-mode``. So a vertical theme's pages are laid out in horizontal
lines on a page of swapped width and height (:mod:`~exporter.editions.pdf.page`), in fonts turned
a quarter counter-clockwise (:mod:`exporter.fonts.rotate`: each glyph lies on its side, upright
forms where Chinese keeps them upright, 「」 for “”, tate-chu-yoko digits as glyphs reached by a
feature), with pictures turned the same way; then every page is turned a quarter clockwise, and
the lines read as columns, top to bottom, right to left.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exporter.editions import webfonts
from exporter.theming import Theme


def is_vertical(theme: Theme) -> bool:
    """Whether the theme sets its print edition vertically (竖排)."""
    return bool(theme.edition("pdf")["writing_mode"] == "vertical-rl")


def add_corner_quotes(usage: dict[tuple[str, int], set[str]]) -> None:
    """The turned fonts draw “”‘’ as the corner brackets 「」『』: the subsets need them beside the quotes."""
    from exporter.fonts.rotate import CORNER_QUOTES

    for chars in usage.values():
        chars.update(chr(CORNER_QUOTES[ord(ch)]) for ch in list(chars) if ord(ch) in CORNER_QUOTES)


def turned_fonts(fontset: webfonts.FontSet, cache_dir: Path | None) -> tuple[str, list[Path]]:
    """The @font-face rules of the fontset, naming the turned fonts that set text sideways, and those fonts.

    Tate-chu-yoko digits are glyphs of each turned font, which the ``.tcy1``, ``.tcy2`` and
    ``.tcy0`` spans reach through a feature (:data:`~exporter.fonts.tcy.TCY_FEATURES`), so
    that they come in the face and weight of their line.
    """
    from exporter.fonts.rotate import rotated_font
    from exporter.fonts.tcy import TCY_FEATURES

    # Each turned font is proved against its source when it is made.
    turned = fontset.derived(lambda font: rotated_font(font.path, cache_dir=cache_dir))
    rules = [f'.{kind} {{ font-feature-settings: "{tag}"; }}' for kind, tag in TCY_FEATURES.items()]
    return turned.css + "\n".join(rules) + "\n", [font.path for font in turned.files]


def figure_bytes(source: Path, *, turned: bool) -> bytes:
    """The image file's bytes; turned a quarter counter-clockwise to stand upright once the page is turned."""
    if not turned:
        return source.read_bytes()
    import io

    from PIL import Image

    from exporter.imagefiles import quiet

    with quiet(), Image.open(source) as image:
        out = io.BytesIO()
        image.rotate(90, expand=True).save(out, "PNG", optimize=True)
    return out.getvalue()


def turn_pages(writer: Any) -> None:
    """Every page of a pypdf writer a quarter clockwise: the lines laid out become columns read right to left."""
    for page in writer.pages:
        page.rotate(90)
