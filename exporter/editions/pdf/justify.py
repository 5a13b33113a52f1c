"""Finishes each line of the print edition as clreq asks: ends trimmed, then justified punctuation first.

WeasyPrint (70) breaks lines and then aligns each one (``text_align``), justifying by widening
spaces, which a line of Chinese has none of. While a PDF is laid out, :func:`cjk_justification`
puts in place of WeasyPrint's ``text_align`` one that first finishes the line's ends, reading the
classes the composition gave the text (:mod:`exporter.text.compose`):

- an opening mark that starts a line (not a paragraph) is set half-width, and so is a closing or
  stop mark that ends a line that is not a paragraph's last (never a mark of 台港式, ``full``,
  which is centred in its cell and keeps it whole);
- the quarter-em that sets a Latin word off from Han characters is taken away at both ends;

and then justifies a mostly-CJK line in clreq's order: the free width goes first to marks the
punctuation scheme set half-width (never to marks compressed because they touch), each given back
at most its half em; what is left is spread evenly between characters through Pango's letter
spacing, never inside a Latin word, a number, a 破折号 or a tate-chu-yoko pair, which move as one,
nor between two marks that touch.
No character is added to the text: what a reader copies out of the PDF is what the issue says.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from exporter.text.script import is_wide

_original: Callable[[Any, Any, float, bool], float] | None = None
_original_justify: Callable[[Any, Any, float], None] | None = None

#: Classes of spans that move as one: no spacing goes inside them.
UNSPACED = frozenset({"latin", "dash", "ellipsis", "tcy"})


def _classes(box: Any) -> set[str]:
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", "").endswith("::marker"):
        return set()
    value = element.get("class") if hasattr(element, "get") else None
    return set(value.split()) if value else set()


def _flow(box: Any) -> list[Any]:
    return [child for child in box.children if child.is_in_normal_flow()]


def _leaves(box: Any, chain: tuple[Any, ...] = ()) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    """Text boxes of a line in order, each with the inline boxes around it (outermost first)."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box, chain
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        inner = chain if isinstance(box, boxes.LineBox) else (*chain, box)
        for child in _flow(box):
            yield from _leaves(child, inner)


def _place(box: Any, x: float) -> float:
    """Put ``box`` with its margin edge at ``x`` and its content after; return where its margin ends."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        box.position_x = x
        return float(x + box.width)
    if isinstance(box, boxes.InlineBox):
        box.position_x = x
        start = x + box.margin_left + box.border_left_width + box.padding_left
        inner = start
        for child in _flow(box):
            inner = _place(child, inner)
        box.width = inner - start
        return float(inner + box.padding_right + box.border_right_width + box.margin_right)
    box.translate(x - box.position_x, 0)  # an atomic inline, such as an image
    return float(x + box.margin_width())


def _replace(line: Any) -> None:
    """Lay the line's boxes out again after margins or widths changed."""
    children = _flow(line)
    if not children:
        return
    x = children[0].position_x
    for child in children:
        x = _place(child, x)
    line.width = x - line.position_x  # as WeasyPrint measures a line: from its start to its last box's end


#: For each end of a line: the margin that faces it, the gap class of a Latin word there, the mark class.
_ENDS = {"start": ("margin_left", "gap-before", "po"), "end": ("margin_right", "gap-after", "pc")}


def _trim(edge: tuple[Any, tuple[Any, ...]], end: str) -> bool:
    """Finish one end of a line: a mark there half-width, a Latin word's gap there gone; whether a margin changed."""
    margin, gap, mark = _ENDS[end]
    text_box, chain = edge
    changed = False
    for box in reversed(chain):
        classes = _classes(box)
        if getattr(box, margin) > 0 and {"latin", gap} <= classes:
            setattr(box, margin, 0)
            changed = True
        if mark in classes and not {"initial", "full"} & classes:
            if "half" not in classes:
                setattr(box, margin, -text_box.style["font_size"] / 2)
                changed = True
            box.exporter_trimmed = True  # half-width at the line's end: justification leaves it so
    return changed


def trim_ends(line: Any, *, last: bool) -> None:
    """Set half-width the opening mark starting the line and the closing mark ending it; drop edge gaps.

    The end of a paragraph's last line is left as it is: it does not reach the measure.
    """
    inked = [(box, chain) for box, chain in _leaves(line) if box.text.strip()]
    if not inked:
        return
    changed = _trim(inked[0], "start")
    if not last and _trim(inked[-1], "end"):
        changed = True
    if changed:
        _replace(line)


def text_align(context: Any, line: Any, available_width: float, last: bool) -> float:
    """In place of WeasyPrint's: the line's ends finished first, then WeasyPrint's alignment."""
    trim_ends(line, last=last)
    assert _original is not None
    return _original(context, line, available_width, last)


def _expandable(line: Any) -> list[Any]:
    """Marks the scheme set half-width, untouched by other marks and not trimmed at a line end."""
    from weasyprint.formatting_structure import boxes

    found = []
    stack = [line]
    while stack:
        box = stack.pop()
        if isinstance(box, boxes.InlineBox):
            classes = _classes(box)
            if "half" in classes and "adj" not in classes and not getattr(box, "exporter_trimmed", False):
                found.append(box)
        if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            stack.extend(_flow(box))
    return found


def _spread(box: Any, spacing: float = 0.0) -> int:
    """How many units of ``box`` take spacing after them: characters, and runs that move as one.

    With ``spacing``, each gets it: a character through Pango's letter spacing, a run as a margin.
    """
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        count = sum(1 for ch in box.text if not unicodedata.combining(ch))
        if count and spacing:
            style = box.style.copy()
            base = style["letter_spacing"]
            style["letter_spacing"] = (0 if base == "normal" else base) + spacing
            box.style, box.width = style, box.width + spacing * count
        return count
    if isinstance(box, boxes.InlineBox) and {"pc", "adj"} <= _classes(box):
        return 0  # a mark another mark follows: no spacing comes between them
    if isinstance(box, boxes.InlineBox) and _classes(box) & UNSPACED:
        box.margin_right += spacing
        return 1
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        return sum(_spread(child, spacing) for child in _flow(box))
    return 1


def justify_line(context: Any, line: Any, extra_width: float) -> None:
    """In place of WeasyPrint's: CJK lines justified punctuation first, other lines by word spacing."""
    text = "".join(box.text for box, _ in _leaves(line)).strip(" ")
    letters = [ch for ch in text if not ch.isspace()]
    cjk = sum(1 for ch in letters if is_wide(ch))
    if not (extra_width > 0 and letters and cjk * 2 >= len(letters)):
        if _original_justify is not None:
            _original_justify(context, line, extra_width)
        return
    marks = _expandable(line)
    room = [box.style["font_size"] / 2 for box in marks]
    total = sum(room)
    given = min(extra_width, total)
    for box, cap in zip(marks, room, strict=True):
        share = given * cap / total
        if "po" in _classes(box):
            box.margin_left += share
        else:
            box.margin_right += share
    left = extra_width - given
    units = _spread(line)  # counted only
    spacing = left / (units - 1) if left > 0 and units > 1 else 0.0
    if spacing:
        _spread(line, spacing)
    # The spacing after the line's last character falls past the measure, where it is not seen.
    _replace(line)


@contextlib.contextmanager
def cjk_justification() -> Iterator[None]:
    """Lay out with these line ends, this justification and LB19a's breaks beside quotes inside the block."""
    global _original, _original_justify
    from weasyprint.layout import inline

    from exporter.editions.pdf import breaks

    _original, _original_justify = inline.text_align, inline.justify_line
    inline.text_align, inline.justify_line = text_align, justify_line
    restore_breaks = breaks.install()
    try:
        yield
    finally:
        restore_breaks()
        inline.text_align, inline.justify_line = _original, _original_justify
        _original = _original_justify = None
