"""Spares WeasyPrint's column balancing the layouts it makes in vain, answering it as it would answer itself.

WeasyPrint 70 balances columns (``layout/column.py``) by laying them out at a height, and, while the
content does not fit, again at a greater one. The step is the room the next column's first box needs
at the foot of the column before it, less the room left there. To find that room it lays the next
box out with no room at all on an empty page (the probe), which gives the box's first fragment.
While a PDF is laid out, :func:`steps_found` puts :func:`probe` in WeasyPrint's place for the
layouts of column boxes, which spares three kinds of work:

- **Columns of boxes that keep together** (``break-inside: avoid``, as each of the 导读's 版 does). The
  probe gives a box's first line or heading alone, less than the room left, which tells the loop nothing;
  it then grows the columns a pixel a round: 28 rounds for the 导读 of the project's example, at every
  trial of its front page. Here the next box is laid out whole, with room enough, and the step is its full
  height. The columns change only when a box moves up a column, and the least step over the columns is the
  next height at which one does: the loop lands where the pixel steps would have, in a round or two. Where
  some box may break (a story's paragraphs beside a figure), a full step could leap past a height at which
  the text fits another way, and the probe is WeasyPrint's own.
- **Rounds in which the first column holds nothing** (a story opening with a figure taller than its
  share, a few lines fewer than ``orphans`` asks): see :class:`_Columns`. The loop is answered exactly as
  WeasyPrint's own layouts would answer it.
- **Probes made again**: the next box from where a column ended is the same box every round it ends there.
"""

from __future__ import annotations

import contextlib
import inspect
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
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
    """In place of WeasyPrint's block layout: a column box laid out as :func:`steps_found` tells."""
    assert _original is not None

    def lay(column: Any, space: float, empty: bool = page_is_empty) -> Any:
        return _original(context, column, space, skip_stack, containing_block, empty, *args, **kwargs)

    if not getattr(box, "is_column", False):
        return lay(box, bottom_space)
    columns: _Columns = box.__dict__.setdefault("_exporter_columns", _Columns())

    def next_box() -> Any:
        # The balancing loop's probe: the column's next box, with no room on an empty page.
        if all(child.style["break_inside"] in KEEPS for child in box.children if child.is_in_normal_flow()):
            return columns.next_box(context, skip_stack, lambda: lay(_first_box(box, skip_stack), -inf, True))
        return columns.next_box(context, skip_stack, lambda: lay(box, inf, True))

    if bottom_space != inf:
        return columns.column(context, bottom_space, skip_stack, page_is_empty, lambda space: lay(box, space), next_box)
    if not page_is_empty:
        return lay(box, bottom_space)
    return next_box()


def _first_box(box: Any, skip_stack: Any) -> Any:
    """The column with its children up to its first box in flow, from where ``skip_stack`` starts, so that what
    follows that box is not laid out."""
    index = next(iter(skip_stack)) if skip_stack else 0
    while index < len(box.children) - 1 and not box.children[index].is_in_normal_flow():
        index += 1
    return box.copy_with_children(box.children[: index + 1])


def _traces(context: Any) -> tuple[int, ...]:
    """What a layout leaves in WeasyPrint's context beside the boxes it returns: floats, boxes broken out of flow,
    footnotes, running elements. A layout that leaves any is not answered again from memory."""
    return (
        len(context.excluded_shapes),
        len(context.broken_out_of_flow),
        len(context.footnotes),
        len(context.current_page_footnotes),
        len(context.reported_footnotes),
        sum(len(boxes) for pages in context.running_elements.values() for boxes in pages.values()),
    )


@dataclass(frozen=True)
class _Nothing:
    """A column that held nothing at ``bottom_space``: its ``result``, and the bottom space above which it holds
    nothing either (infinite while not found)."""

    bottom_space: float
    result: Any
    below: float = inf


@dataclass
class _Columns:
    """What the layouts of one column box have shown. A balancing loop makes its column box once and lays its
    columns out at each height it tries, a step taller each round, and probes each column's next box.

    - Where the first column holds nothing (its first box does not fit), the loop learns nothing and takes the
      same step again. The second time, the rounds to come are found ahead, down to the first at which the
      column holds something (:meth:`_first_holding`). Less room never holds more, so every round below that
      one holds nothing, and is answered so, unlaid.
    - A probe of the next box from where a column ended (no room, an empty page) gives the same box whenever the
      column ends there again: it is laid out once.

    A column that holds something is laid out every time: a block broken at its foot is as tall as the room
    left, which the loop measures. Layouts that leave anything in WeasyPrint's context (:func:`_traces`) are
    not answered from memory.
    """

    #: The least room a column of this box was laid out in: the loop's first run, at the greatest height.
    floor: float = inf
    nothing: dict[tuple[str, bool, float, int], _Nothing] = field(default_factory=dict)
    probes: dict[tuple[str, float, int], Any] = field(default_factory=dict)

    def next_box(self, context: Any, skip_stack: Any, lay: Callable[[], Any]) -> Any:
        key = (repr(skip_stack), context.page_bottom, len(context.excluded_shapes))
        if key in self.probes:
            return self.probes[key]
        traces = _traces(context)
        result = lay()
        if _traces(context) == traces:
            self.probes[key] = result
        return result

    def column(
        self,
        context: Any,
        bottom_space: float,
        skip_stack: Any,
        page_is_empty: bool,
        lay: Callable[[float], Any],
        first: Callable[[], Any],
    ) -> Any:
        self.floor = min(self.floor, bottom_space)
        key = (repr(skip_stack), page_is_empty, context.page_bottom, len(context.excluded_shapes))
        before = self.nothing.get(key)
        if before is not None and bottom_space > before.below:
            return before.result
        traces = _traces(context)
        result = lay(bottom_space)
        if result[0] is not None or _traces(context) != traces:
            return result
        below = inf
        if before is not None and 0 < (step := before.bottom_space - bottom_space) < inf:
            below = bottom_space - (self._first_holding(context, lay, bottom_space, step, first) - 0.5) * step
        self.nothing[key] = _Nothing(bottom_space, result, below)
        return result

    def _first_holding(
        self, context: Any, lay: Callable[[float], Any], bottom_space: float, step: float, first: Callable[[], Any]
    ) -> int:
        """The least number of steps taller than ``bottom_space`` at which the column holds something (one more
        than the loop takes, when it holds nothing up to :attr:`floor`); what is laid out to find it is put back.

        The search starts from the height at which the column's first fragment (``first``: the loop's probe of
        its first box, a line, or a box that keeps together laid out whole) would reach no lower than the
        column's foot, which no less room can hold; from there it steps up by one, two, four… and halves back. Its
        layouts are short: a column laid out far taller than it needs lays out every line it then holds.
        """
        from weasyprint.layout.block import remove_placeholders

        shapes = len(context.excluded_shapes)

        def put_back(result: Any) -> Any:
            del context.excluded_shapes[shapes:]
            if result[0] is not None:
                remove_placeholders(context, [result[0]], [], [])
            return result[0]

        def holds(steps: int) -> bool:
            return put_back(lay(bottom_space - steps * step)) is not None

        last = int((bottom_space - self.floor) / step + 1e-9)
        start = 1
        fragment = put_back(first())
        flow = next((c for c in fragment.children if c.is_in_normal_flow()), None) if fragment is not None else None
        if flow is not None:
            reach = flow.border_box_y() + flow.border_height() - (context.page_bottom - bottom_space)
            start = max(1, math.ceil(reach / step - 1e-6))
        start = min(start, last)
        low, high = 0, None
        if start >= 1 and holds(start):
            if start == 1 or not holds(start - 1):
                return start
            high = start - 1
        else:
            low, more = start, 1
            while high is None and low < last:
                steps = min(low + more, last)
                if holds(steps):
                    high = steps
                else:
                    low, more = steps, more * 2
            if high is None:
                return last + 1
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (low, middle) if holds(middle) else (middle, high)
        return high


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
