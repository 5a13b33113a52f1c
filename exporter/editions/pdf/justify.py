"""Justifies CJK lines in WeasyPrint, which stretches only spaces, by spacing the characters of a line.

WeasyPrint (70) justifies a line by widening its spaces; a line of Chinese has none, so it stays
ragged. While a PDF is laid out, :func:`cjk_justification` puts in place of WeasyPrint's
``justify_line`` one that spreads a mostly-CJK line's free width over its characters, as
``text-justify: inter-character`` would, through Pango's letter spacing (half of it falls before
the line's first character and half after its last, a fraction of a point). No character is added
to the text: what a reader copies out of the PDF is what the issue says.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from exporter.text.script import is_wide

_original: Callable[[Any, Any, float], None] | None = None
# The widest gap justification may open between two characters, in em.
MAX_SPACING = 0.12


def _text_boxes(box: Any) -> Iterator[Any]:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


def _space(context: Any, box: Any, spacing: float, advance: float) -> float:
    """Move ``box`` by ``advance`` and space its characters; return the advance for what follows.

    A text box only gets the letter spacing in its style, and the width that spacing adds to each
    character: Pango sets the text with the new style when the box is drawn (WeasyPrint calls
    ``reactivate`` with the box's style then). Laying the text out again here cost a Pango layout per
    box on every layout pass, and column balancing makes several passes.
    """
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        box.position_x += advance
        if not box.text:
            return advance
        style = box.style.copy()
        base = style["letter_spacing"]
        style["letter_spacing"] = (0 if base == "normal" else base) + spacing
        grown = spacing * sum(1 for ch in box.text if not unicodedata.combining(ch))
        box.style, box.width = style, box.width + grown
        return advance + grown
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += advance
        before = advance
        if _classes(box) & UNSPACED:
            spacing = 0.0  # the first digit of an upright pair: the pair shares one cell
        for child in box.children:
            if child.is_in_normal_flow():
                advance = _space(context, child, spacing, advance)
        box.width += advance - before
        return advance
    box.translate(advance, 0)  # an atomic inline, such as an image
    return advance


def _last_inline(box: Any) -> Any:
    """The innermost inline box that ends the line, if the line ends in one."""
    from weasyprint.formatting_structure import boxes

    found = None
    while isinstance(box, (boxes.LineBox, boxes.InlineBox)) and box.children:
        box = box.children[-1]
        if isinstance(box, boxes.InlineBox):
            found = box
    return found


UNSPACED = frozenset({"tcy1"})


def _classes(box: Any) -> set[str]:
    element = getattr(box, "element", None)
    value = element.get("class") if element is not None and hasattr(element, "get") else None
    return set(value.split()) if value else set()


def justify_line(context: Any, line: Any, extra_width: float) -> None:
    """In place of WeasyPrint's: CJK lines get character spacing, other lines WeasyPrint's word spacing."""
    text = "".join(box.text for box in _text_boxes(line)).strip(" ")
    letters = [ch for ch in text if not ch.isspace()]
    cjk = sum(1 for ch in letters if is_wide(ch))
    if extra_width > 0 and letters and cjk * 2 >= len(letters):
        # The quarter-em that sets a Latin word off from Han characters has no place at a line's
        # end: the line ends flush, so that space goes to the gaps between characters.
        last = _last_inline(line)
        if last is not None and last.margin_right:
            extra_width += last.margin_right
            last.margin_right = 0
        # Pango puts the spacing after each character, the last one too, where it is not seen.
        # A line that would need more than MAX_SPACING (a long unbreakable run pushed to the next
        # line) stays a little short rather than falling apart into letters that read as words.
        spacing = min(extra_width / max(len(text) - 1, 1), MAX_SPACING * line.style["font_size"])
        _space(context, line, spacing, 0.0)
    elif _original is not None:
        _original(context, line, extra_width)


@contextlib.contextmanager
def cjk_justification() -> Iterator[None]:
    """Lay out with CJK justification inside the block; WeasyPrint's own behaviour is restored after."""
    global _original
    from weasyprint.layout import inline

    _original = inline.justify_line
    inline.justify_line = justify_line
    try:
        yield
    finally:
        inline.justify_line = _original
        _original = None
