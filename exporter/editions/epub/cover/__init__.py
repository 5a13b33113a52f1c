"""Draws the EPUB cover of an issue as a JPEG: masthead, date line, issue number and leading headlines.

The cover is 1600×2560 pixels, drawn with Pillow in the theme's fonts and colours: the paper's name
large in the ``accent`` colour over a double rule, the date with its weekday, the lunar date, the
issue number and the edition, then the headlines of the first four to six articles (kicker above,
subtitle below) and a footer with the publisher. A theme whose EPUB edition is written
``vertical-rl`` gets a vertical cover: the name and the headlines in columns of characters, top to
bottom and right to left, punctuation in its vertical forms (or turned when no font has them),
numbers of one or two digits upright side by side (縦中横) and Latin words turned sideways.

Every character comes from the first face of its role's chain that maps it, so the traditional
characters the shipped GB 2312 fonts lack come from the system's Noto CJK faces; a character no
face has is an error, never a blank box. The same issue and theme give byte-identical JPEGs:
nothing depends on the time, and the encoder writes no EXIF.

The text is set in :mod:`.setting`, the headlines planned in :mod:`.layout` and drawn in
:mod:`.draw`; Pillow is imported inside the functions that draw.
"""

from __future__ import annotations

import io

from exporter.editions.epub.cover.draw import HEIGHT, WIDTH, _Canvas, _colours, _Horizontal, _Vertical
from exporter.editions.epub.cover.layout import _Content, _Headlines
from exporter.editions.epub.cover.setting import _Faces
from exporter.model import Issue
from exporter.theming import Theme

__all__ = ["HEIGHT", "JPEG_OPTIONS", "WIDTH", "render_cover"]

#: JPEG settings: baseline (not progressive), optimised Huffman tables, no chroma subsampling so
#: that thin red strokes stay sharp.
JPEG_OPTIONS: dict[str, object] = {"quality": 88, "optimize": True, "progressive": False, "subsampling": 0}


def render_cover(issue: Issue, theme: Theme) -> bytes:
    """The issue's EPUB cover, 1600×2560 pixels, as JPEG bytes; vertical when the EPUB edition is.

    Raises :class:`FontError` when a character of the cover is in no face of its role's chain.
    """
    from PIL import Image

    colours = _colours(theme)
    image = Image.new("RGB", (WIDTH, HEIGHT), colours["paper"])
    faces = _Faces(theme, issue.masthead.language)
    content = _Content.of(issue, theme)
    page = _Vertical if theme.edition("epub")["writing_mode"] == "vertical-rl" else _Horizontal
    page(_Canvas(image, faces, colours), content, _Headlines(faces, colours, content.articles)).draw()
    out = io.BytesIO()
    image.save(out, "JPEG", **JPEG_OPTIONS)
    return out.getvalue()
