"""Checks a page's boxes (MediaBox, BleedBox, TrimBox, ArtBox) and finds the marks drawn in its bleed.

PDF/X wants a TrimBox or an ArtBox on every page, not both, nested as TrimBox ⊆ BleedBox ⊆
MediaBox, and a bleed of 3 mm or more on each side where the page has one. Marks (crop marks,
colour bars, slugs) belong outside the BleedBox, on a MediaBox larger than it: a painted path
whose whole box lies outside the TrimBox but inside the BleedBox is printed on the sheet and cut
through by the trim. A box that crosses the trim edge is page content that bleeds, not a mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from exporter.preflight.content import Rect

#: The least bleed a press wants beyond the trim, in mm.
MIN_BLEED_MM = 3.0
#: How far (pt) a box may stray over another's edge and still count as inside: rounding of the writers.
TOLERANCE = 0.5

_MM = 72 / 25.4


@dataclass(frozen=True)
class Boxes:
    """A page's boxes in default user space; ``trim`` is the TrimBox, else the ArtBox, else the MediaBox."""

    media: Rect
    bleed: Rect
    trim: Rect
    has_trim: bool
    has_art: bool
    has_bleed: bool


def _rect(value: Any) -> Rect:
    x0, y0, x1, y1 = (float(v) for v in value)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def boxes_of(page: Any) -> Boxes:
    """The boxes of a pikepdf page (BleedBox defaulting to the CropBox, that to the MediaBox)."""
    import pikepdf

    obj = page.obj
    media = _rect(pikepdf.Page(page).mediabox)
    crop = _rect(obj.CropBox) if "/CropBox" in obj else media
    bleed = _rect(obj.BleedBox) if "/BleedBox" in obj else crop
    trim = _rect(obj.TrimBox) if "/TrimBox" in obj else _rect(obj.ArtBox) if "/ArtBox" in obj else media
    return Boxes(media, bleed, trim, "/TrimBox" in obj, "/ArtBox" in obj, "/BleedBox" in obj)


def _inside(inner: Rect, outer: Rect) -> bool:
    return (
        inner[0] >= outer[0] - TOLERANCE
        and inner[1] >= outer[1] - TOLERANCE
        and inner[2] <= outer[2] + TOLERANCE
        and inner[3] <= outer[3] + TOLERANCE
    )


def _mm(points: float) -> str:
    return f"{points / _MM:.1f}"


def box_problems(boxes: Boxes) -> list[tuple[str, str, str]]:
    """The faults of a page's boxes, as (severity, code, message)."""
    problems: list[tuple[str, str, str]] = []
    if boxes.has_trim and boxes.has_art:
        problems.append(
            ("error", "boxes", "the page has both a TrimBox and an ArtBox: PDF/X allows one; remove the ArtBox")
        )
    elif not boxes.has_trim and not boxes.has_art:
        problems.append(
            (
                "error",
                "boxes",
                "the page has neither a TrimBox nor an ArtBox: a press cannot tell the finished size; set one",
            )
        )
    if not _inside(boxes.trim, boxes.bleed):
        problems.append(("error", "boxes", "the TrimBox is not inside the BleedBox: set the BleedBox around it"))
    if not _inside(boxes.bleed, boxes.media):
        problems.append(("error", "boxes", "the BleedBox is not inside the MediaBox: make the MediaBox larger"))
    t, b = boxes.trim, boxes.bleed
    sides = {"left": t[0] - b[0], "bottom": t[1] - b[1], "right": b[2] - t[2], "top": b[3] - t[3]}
    short = {side: d for side, d in sides.items() if TOLERANCE < d < MIN_BLEED_MM * _MM - TOLERANCE}
    if short:
        listed = ", ".join(f"{side} {_mm(d)} mm" for side, d in short.items())
        problems.append(
            (
                "warning",
                "bleed",
                f"the bleed is under {MIN_BLEED_MM:g} mm ({listed}): white edges show where the trim wanders; "
                f"bleed {MIN_BLEED_MM:g} mm on every side",
            )
        )
    return problems


def marks_in_bleed(paths: list[Rect], boxes: Boxes) -> int:
    """How many painted paths lie wholly outside the TrimBox and inside the BleedBox."""
    t = boxes.trim
    count = 0
    for x0, y0, x1, y1 in paths:
        outside = x1 <= t[0] + TOLERANCE or x0 >= t[2] - TOLERANCE or y1 <= t[1] + TOLERANCE or y0 >= t[3] - TOLERANCE
        if outside and _inside((x0, y0, x1, y1), boxes.bleed):
            count += 1
    return count
