"""Reads a WeasyPrint layout back as the make-up sees it: per page, its 版 and where each piece of a story stands.

The print template marks what the make-up placed: each 版's section carries ``data-folio`` (its index),
each story's piece ``data-piece`` (its id), each block of a story's body ``data-block`` (its index in
the article), and the head and 续 line the class ``article-head`` or ``jump-head``. The layout is
walked box by box (WeasyPrint's formatting structure, version 70): a line box counts as a line of the
block and piece it is in, on the page it is on.

WeasyPrint is imported inside the function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from exporter.editions.pdf.makeup import Laid, OnPage


@dataclass
class _Seen:
    head: bool = False
    lines: int = 0
    blocks: set[int] = field(default_factory=set)
    block_lines: dict[int, int] = field(default_factory=dict)
    block_area: dict[int, float] = field(default_factory=dict)
    columns: set[int] = field(default_factory=set)
    top: float = float("inf")
    bottom: float = float("-inf")
    head_bottom: float = float("-inf")


def laid_out(document: Any, rest: frozenset[tuple[str, int | None]] | None = None) -> list[Laid]:
    """The pages of a rendered WeasyPrint document, as :class:`Laid` records.

    ``rest``: the document was laid out only up to a page (:mod:`exporter.editions.pdf.firstpages`), and these
    pieces and blocks run on past it. A last page stands for the pages not laid out (``rest=True``): the pieces
    on it run on there, so that they and their blocks do not end on the pages before.
    """
    from weasyprint.formatting_structure import boxes

    pages: list[tuple[int, float, dict[str, _Seen], int]] = []
    folio = 0
    last_page_of: dict[str, int] = {}
    block_last_page: dict[tuple[str, int], int] = {}
    heights: list[float] = []
    for number, page in enumerate(document.pages, 1):
        page_box = page._page_box
        top = page_box.content_box_y()
        height = page_box.height or 1
        seen: dict[str, _Seen] = {}
        deepest = top
        lines = 0
        stack: list[tuple[Any, str | None, int | None, bool]] = [
            (child, None, None, False) for child in reversed(page_box.children)
        ]
        while stack:
            box, piece, block, head = stack.pop()
            if isinstance(box, boxes.MarginBox):
                continue
            attrs = _attributes(box)
            if attrs is not None:
                folio = _folio(box, attrs, folio)
                if "data-piece" in attrs:
                    piece = attrs["data-piece"]
                    here = seen.setdefault(piece, _Seen())
                    here.top = min(here.top, box.position_y)
                    here.bottom = max(here.bottom, box.position_y + box.margin_height())
                if "data-block" in attrs and piece is not None:
                    block = int(attrs["data-block"])
                classes = attrs.get("class", "").split()
                if "article-head" in classes or "jump-head" in classes:
                    head = True
            if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)):
                deepest = max(deepest, box.position_y + box.margin_height())
                if isinstance(box, boxes.LineBox) and piece is not None:
                    here = seen[piece]
                    if head:
                        here.head = True
                        here.head_bottom = max(here.head_bottom, box.position_y + box.margin_height())
                    elif block is not None:
                        here.lines += 1
                        here.blocks.add(block)
                        here.block_lines[block] = here.block_lines.get(block, 0) + 1
                        here.block_area[block] = here.block_area.get(block, 0.0) + box.margin_height()
                        here.columns.add(round(box.position_x))
                        lines += 1
                        block_last_page[(piece, block)] = number
                    last_page_of[piece] = number
                if isinstance(box, boxes.LineBox):
                    continue
            if isinstance(box, boxes.ReplacedBox) and piece is not None and block is not None:
                seen[piece].blocks.add(block)
                seen[piece].block_area[block] = seen[piece].block_area.get(block, 0.0) + box.margin_height()
                block_last_page[(piece, block)] = number
                last_page_of[piece] = number
            stack.extend((child, piece, block, head) for child in reversed(getattr(box, "children", ())))
        pages.append((folio, (deepest - top) / height, seen, lines))
        heights.append(height)
    if rest is not None:
        after = len(pages) + 1
        seen = {}
        for piece, block in sorted(rest, key=lambda item: (item[0], -1 if item[1] is None else item[1])):
            seen.setdefault(piece, _Seen())
            last_page_of[piece] = after
            if block is not None:
                block_last_page[(piece, block)] = after
        pages.append((folio, 0.0, seen, 0))
        heights.append(heights[-1] if heights else 1.0)
    laid: list[Laid] = []
    for number, (folio_index, fill, seen, lines) in enumerate(pages, 1):
        standing = rest is not None and number == len(pages)
        on_page = tuple(
            OnPage(
                piece=piece,
                head=s.head,
                lines=s.lines,
                ends=frozenset(b for b in s.blocks if block_last_page.get((piece, b)) == number),
                complete=last_page_of.get(piece, number) == number and not standing,
                height=round(s.bottom - s.top, 2) if s.bottom > s.top else 0.0,
                head_height=round(s.head_bottom - s.top, 2) if s.head else 0.0,
                block_lines=tuple(sorted(s.block_lines.items())),
                block_area=tuple(sorted((b, round(a, 2)) for b, a in s.block_area.items())),
                columns=len(s.columns),
            )
            for piece, s in seen.items()
        )
        laid.append(
            Laid(
                number,
                folio_index,
                on_page,
                fill=round(fill, 3),
                lines=lines,
                height=round(heights[number - 1], 2),
                rest=standing,
            )
        )
    return laid


def holds_story(page: Any) -> bool:
    """A page box of a WeasyPrint layout holds a box of a story's piece (a ``data-piece`` element): as
    :func:`laid_out` reads it, the page has pieces."""
    from weasyprint.formatting_structure import boxes

    stack: list[Any] = list(page.children)
    while stack:
        box = stack.pop()
        if isinstance(box, boxes.MarginBox):
            continue
        attrs = _attributes(box)
        if attrs is not None and "data-piece" in attrs:
            return True
        stack.extend(getattr(box, "children", ()))
    return False


def runs_on(root_box: Any, skip_stack: Any) -> frozenset[tuple[str, int | None]]:
    """The pieces, each with the block it is in (``None`` outside its blocks), that a layout resuming at
    ``skip_stack`` (WeasyPrint's place to go on from, child indexes from ``root_box`` down) goes on with."""
    found: set[tuple[str, int | None]] = set()
    stack: list[tuple[Any, Any, str | None, int | None]] = [(root_box, skip_stack, None, None)]
    while stack:
        box, skip, piece, block = stack.pop()
        attrs = _attributes(box)
        if attrs is not None:
            if "data-piece" in attrs:
                piece, block = attrs["data-piece"], None
            if "data-block" in attrs and piece is not None:
                block = int(attrs["data-block"])
        if piece is not None:
            found.add((piece, block))
        children = getattr(box, "children", None)
        if not skip or not isinstance(children, list):
            continue
        for index, deeper in skip.items():
            # A text box's skip is a place in its text, not a child.
            if isinstance(index, int) and 0 <= index < len(children):
                stack.append((children[index], deeper, piece, block))
    return frozenset(found)


@dataclass(frozen=True)
class Region:
    """Where a piece of a story stands on a page: a rectangle in CSS px from the page's top left corner."""

    piece: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class PageMap:
    """One laid-out page: its size (CSS px), its 版 (the index of its ``data-folio`` section) and its regions."""

    width: float
    height: float
    folio: int
    regions: tuple[Region, ...]


def page_maps(document: Any) -> list[PageMap]:
    """The pages of a rendered WeasyPrint document with the boxes of every ``data-piece`` element on them.

    A story set in columns has a box in each column it runs through (WeasyPrint fragments the element): each
    is a region; a box inside another of the same piece adds nothing.
    """
    from weasyprint.formatting_structure import boxes

    maps: list[PageMap] = []
    folio = 0
    for page in document.pages:
        found: list[Region] = []
        stack: list[Any] = list(reversed(page._page_box.children))
        while stack:
            box = stack.pop()
            if isinstance(box, boxes.MarginBox):
                continue
            attrs = _attributes(box)
            if attrs is not None:
                folio = _folio(box, attrs, folio)
                if "data-piece" in attrs and box.element_tag == "article":
                    found.append(
                        Region(
                            attrs["data-piece"],
                            round(box.border_box_x(), 2),
                            round(box.border_box_y(), 2),
                            round(box.border_width(), 2),
                            round(box.border_height(), 2),
                        )
                    )
                    continue
            stack.extend(reversed(getattr(box, "children", ())))
        regions = tuple(r for r in found if r.width > 0 and r.height > 0)
        maps.append(PageMap(round(page.width, 2), round(page.height, 2), folio, regions))
    return maps


def _attributes(box: Any) -> Any:
    """The attributes of the element a box lays out; ``None`` for a box no element made (a line, anonymous)."""
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) is None:
        return None
    return element.attrib


def _folio(box: Any, attrs: Any, folio: int) -> int:
    """The 版 a box opens (its section's ``data-folio``), else the one the walk is in."""
    return int(attrs["data-folio"]) if "data-folio" in attrs and box.element_tag == "section" else folio
