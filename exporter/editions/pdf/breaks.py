"""Lets the print edition break a line beside a Chinese quotation mark, as Unicode 15.1's LB19a allows.

Pango's line breaker (the one WeasyPrint 70 asks whether a line may break between two inline
boxes) follows the line-breaking rules of Unicode before 15.1, in which the curly quotes
``“”‘’`` (class QU) never have a break on either side. In Chinese text they are full-width marks
of their own cells, and UAX #14 since Unicode 15.1 (rule LB19a) allows a break before an opening
quote and after a closing one between East Asian characters. Without it, ``业“走出去”`` moves to
the next line whole and leaves the line before it loose. The composition puts every such mark in
a span of its own (:mod:`exporter.text.compose`), so the break falls between two inline boxes,
where :func:`can_break_text` answers in place of WeasyPrint's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from exporter.text.compose import END_BLANK, LONG_MARKS, OPENING
from exporter.text.script import is_wide

#: Opening quotes (Unicode Pi) and closing quotes (Pf) of class QU.
OPENING_QUOTES = frozenset("“‘")
CLOSING_QUOTES = frozenset("”’")

_original: Callable[[str, Any], bool | None] | None = None


def quote_break(before: str, after: str) -> bool | None:
    """Whether a line may break between ``before`` and ``after`` by LB19a; None where LB19a says nothing."""
    if after in OPENING_QUOTES and is_wide(before) and before not in OPENING:
        return True
    if before in CLOSING_QUOTES and is_wide(after) and after not in END_BLANK and after not in LONG_MARKS:
        return True
    return None


def can_break_text(text: str, lang: Any) -> bool | None:
    """In place of WeasyPrint's: LB19a between two characters, Pango for everything else."""
    if len(text) == 2:
        found = quote_break(text[0], text[1])
        if found is not None:
            return found
    assert _original is not None
    return _original(text, lang)


def install() -> Callable[[], None]:
    """Put :func:`can_break_text` in WeasyPrint's inline layout; return what puts Pango's back."""
    global _original
    from weasyprint.layout import inline

    _original = inline.can_break_text
    inline.can_break_text = can_break_text

    def restore() -> None:
        global _original
        inline.can_break_text = _original
        _original = None

    return restore
