"""The 竖排 print edition, end to end: WeasyPrint lays the pages out sideways, and they are turned.

WeasyPrint 70 ignores ``writing-mode``. So a vertical theme's pages are laid out in horizontal
lines on a page of swapped width and height (:mod:`~exporter.editions.pagesetup`), in fonts turned
a quarter counter-clockwise (:mod:`exporter.fonts.rotate`: each glyph lies on its side, upright
forms where Chinese keeps them upright, 「」 for “”, tate-chu-yoko digits as glyphs reached by a
feature), with pictures turned the same way; then every page is turned a quarter clockwise, and
the lines read as columns, top to bottom, right to left.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exporter.editions import webfonts
from exporter.theming import region


def add_corner_quotes(usage: dict[tuple[str, int], set[str]]) -> None:
    """The turned fonts draw “”‘’ as the corner brackets 「」『』: the subsets need them beside the quotes."""
    from exporter.fonts.rotate import CORNER_QUOTES

    for chars in usage.values():
        chars.update(chr(CORNER_QUOTES[ord(ch)]) for ch in list(chars) if ord(ch) in CORNER_QUOTES)


def turned_fonts(
    fontset: webfonts.FontSet, cache_dir: Path | None, language: str = "zh-Hans"
) -> tuple[str, list[Path]]:
    """The @font-face rules of the fontset, naming the turned fonts that set text sideways, and those fonts.

    Each turned font is derived from a subset of the fontset, so from the faces the issue's roles
    set text in (the regional Noto CJK faces for a zh-HK or zh-TW issue), and bakes in the
    localised forms of the issue's ``language`` (:func:`shaping_language`): a Hong Kong face turned
    as zh-Hans would show mainland forms and ，。 in the top right of their cells.
    Tate-chu-yoko digits are glyphs of each turned font, which the ``.tcy1``, ``.tcy2`` and
    ``.tcy0`` spans reach through a feature (:data:`~exporter.fonts.tcy.TCY_FEATURES`), so
    that they come in the face and weight of their line.
    """
    from exporter.fonts.rotate import rotated_font
    from exporter.fonts.tcy import TCY_FEATURES

    shaping = shaping_language(language)
    # Each turned font is proved against its source when it is made.
    turned = fontset.derived(lambda font: rotated_font(font.path, cache_dir=cache_dir, language=shaping))
    rules = [f'.{kind} {{ font-feature-settings: "{tag}"; }}' for kind, tag in TCY_FEATURES.items()]
    return turned.css + "\n".join(rules) + "\n", [font.path for font in turned.files]


def shaping_language(language: str) -> str:
    """The language a turned font takes its localised forms from: the issue's, for an issue of a region.

    An issue of a region (zh-HK, zh-TW, zh-Hant…, see :func:`exporter.theming.region`) is set in that
    region's faces, shaped with its own language as the horizontal editions shape it; any other
    issue as ``zh-Hans``, simplified Chinese.
    """
    return language if region(language) is not None else "zh-Hans"


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


#: CSS pixels in each unit an SVG's width and height may be given in.
_SVG_UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}


def turned_svg(data: bytes) -> bytes | None:
    """An SVG picture turned a quarter counter-clockwise (nested in one that turns it); None if its size is unknown.

    Its size is its width and height (in px, pt, pc, mm, cm or in), or either and its viewBox's
    proportions; with neither, its viewBox alone, which gives the turned picture proportions and no
    size, as the picture had. A width or height in % has no size to turn.
    """
    import re

    from lxml import etree

    svg = "http://www.w3.org/2000/svg"
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(data, parser)

    def length(value: str | None) -> float | None:
        match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([a-z]*)\s*", value or "")
        return float(match.group(1)) * _SVG_UNITS[match.group(2)] if match and match.group(2) in _SVG_UNITS else None

    width, height = length(root.get("width")), length(root.get("height"))
    box = [float(n) for n in re.findall(r"-?[0-9]*\.?[0-9]+", root.get("viewBox") or "")]
    ratio = box[2] / box[3] if len(box) == 4 and box[2] > 0 and box[3] > 0 else None
    if ratio is not None:
        width = width if width is not None else height * ratio if height is not None else None
        height = height if height is not None else width / ratio if width is not None else None
    if (width is None or height is None) and (ratio is None or root.get("width") or root.get("height")):
        return None
    w, h = (width, height) if width is not None and height is not None else (box[2], box[3])
    outer = etree.Element(f"{{{svg}}}svg", nsmap={None: svg})
    if width is not None and height is not None:
        outer.set("width", f"{h:g}")
        outer.set("height", f"{w:g}")
    outer.set("viewBox", f"0 0 {h:g} {w:g}")
    turn = etree.SubElement(outer, f"{{{svg}}}g", transform=f"translate(0 {w:g}) rotate(-90)")
    root.set("width", f"{w:g}")
    root.set("height", f"{h:g}")
    turn.append(root)
    return bytes(etree.tostring(outer, xml_declaration=True, encoding="utf-8"))


def turn_pages(writer: Any) -> None:
    """Every page of a pypdf writer a quarter clockwise: the lines laid out become columns read right to left."""
    for page in writer.pages:
        page.rotate(90)
