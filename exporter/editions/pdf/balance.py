"""Tells WeasyPrint's column balancing how much taller a column must be for a box that keeps together to move up.

WeasyPrint 70 balances columns (``layout/column.py``) by laying them out at a height, and, while the
content does not fit, again at a greater one. The step is the room the next column's first box needs
at the foot of the column before it, less the room left there. To find that room it lays the next
box out with no room at all on an empty page, which gives the box's first fragment: for a box that
keeps together (``break-inside: avoid``, as each of the 导读's 版 does), that is its first line or
heading alone, less than the room left, which tells the loop nothing; it then grows the columns a
pixel a round, each round laying the first column out again: 28 rounds for the 导读 of the project's
example, at every trial of its front page.

While a PDF is laid out, :func:`steps_found` puts :func:`probe` in WeasyPrint's place for that one
call, where every box of the columns keeps together: the next box is laid out whole, with room
enough, and the step is its full height. The columns then change only when a box moves up a column,
and the least step over the columns is the next height at which one does: the loop lands on the
height the pixel steps would have reached, in a round or two. Where some box may break (a story's
paragraphs beside a figure), a full step could leap past a height at which the text fits another way,
and the probe is WeasyPrint's own.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable, Iterator
from math import inf
from typing import Any

#: The parameters of WeasyPrint's ``block_box_layout`` that :func:`probe` reads, in their order.
PARAMETERS = ("context", "box", "bottom_space", "skip_stack", "containing_block", "page_is_empty")

#: The values of break-inside that keep a box in one column.
KEEPS = frozenset({"avoid", "avoid-column"})

_original: Callable[..., Any] | None = None


def probe(
    context: Any,
    box: Any,
    bottom_space: float,
    skip_stack: Any,
    containing_block: Any,
    page_is_empty: bool,
    *args: Any,
    **kwargs: Any,
) -> Any:
    """In place of WeasyPrint's block layout: a column's next box laid out whole when it keeps together."""
    assert _original is not None
    # The balancing loop's probe is the one call that lays a column box out with no room on an empty page.
    if (
        bottom_space != inf
        or not page_is_empty
        or not getattr(box, "is_column", False)
        or not all(child.style["break_inside"] in KEEPS for child in box.children if child.is_in_normal_flow())
    ):
        return _original(context, box, bottom_space, skip_stack, containing_block, page_is_empty, *args, **kwargs)
    # The column with its children up to the next box only, so that what follows it is not laid out.
    index = next(iter(skip_stack)) if skip_stack else 0
    while index < len(box.children) - 1 and not box.children[index].is_in_normal_flow():
        index += 1
    alone = box.copy_with_children(box.children[: index + 1])
    return _original(context, alone, -inf, skip_stack, containing_block, page_is_empty, *args, **kwargs)


@contextlib.contextmanager
def steps_found() -> Iterator[None]:
    """Lay out with :func:`probe` in WeasyPrint's block layout, and WeasyPrint's own back after."""
    global _original
    from weasyprint.layout import block

    from exporter.editions.pdf.artifacts import WeasyPrintChanged

    found = tuple(inspect.signature(block.block_box_layout).parameters)[: len(PARAMETERS)]
    if found != PARAMETERS:
        raise WeasyPrintChanged(
            f"weasyprint.layout.block.block_box_layout takes ({', '.join(found)}, …), not ({', '.join(PARAMETERS)}, …) "
            "as exporter/editions/pdf/balance.py expects: update it for this WeasyPrint"
        )
    _original = block.block_box_layout
    block.block_box_layout = probe
    try:
        yield
    finally:
        block.block_box_layout = _original
        _original = None
