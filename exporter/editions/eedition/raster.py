"""Draws the pages of a PDF as pictures (PDFium, through pypdfium2): PNG, WebP and AVIF at the widths asked for.

A page is drawn as a reader sees it, its ``/Rotate`` applied (a 竖排 page stands upright), on white.
pypdfium2 is imported inside the functions.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

#: Picture formats written, and how Pillow saves each: WebP and AVIF for browsers that take them, PNG for all.
FORMATS: dict[str, dict[str, Any]] = {
    "webp": {"format": "WEBP", "quality": 82, "method": 4},
    # One encoder thread: libavif's output depends on how many it is given, which depends on the machine.
    "avif": {"format": "AVIF", "quality": 60, "speed": 8, "max_threads": 1},
    "png": {"format": "PNG", "optimize": True},
}


@dataclass(frozen=True)
class Drawn:
    """One page drawn: its size as shown, in points, and its pictures by (width in pixels, format)."""

    width_pt: float
    height_pt: float
    pictures: dict[tuple[int, str], bytes]


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's width and height as shown (rotation applied), in points."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return [_shown_size(document[i]) for i in range(len(document))]
    finally:
        document.close()


def draw_pages(pdf: bytes, widths: Sequence[int], formats: dict[int, Sequence[str]]) -> Iterator[Drawn]:
    """Each page of ``pdf`` drawn at each width in ``widths`` (pixels), saved in the formats ``formats[width]``.

    One page at a time, in this thread: Pillow's WebP and AVIF encoders run side by side in threads made the
    same page differently from one build to the next, and an edition must be the same bytes each time.
    """
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            width_pt, height_pt = _shown_size(page)
            pictures: dict[tuple[int, str], bytes] = {}
            for width in sorted(set(widths), reverse=True):
                bitmap = page.render(scale=width / width_pt, fill_color=(255, 255, 255, 255), draw_annots=False)
                image = bitmap.to_pil().convert("RGB")
                if image.width != width:  # rounding: the picture is exactly as wide as asked
                    image = image.resize((width, round(image.height * width / image.width)))
                for kind in formats[width]:
                    pictures[(width, kind)] = _encoded(image, kind)
            page.close()
            yield Drawn(width_pt, height_pt, pictures)
    finally:
        document.close()


def _encoded(image: Any, kind: str) -> bytes:
    out = io.BytesIO()
    image.save(out, **FORMATS[kind])
    return out.getvalue()


def _shown_size(page: Any) -> tuple[float, float]:
    # PDFium gives the size as shown, /Rotate applied.
    width, height = page.get_size()
    return float(width), float(height)
