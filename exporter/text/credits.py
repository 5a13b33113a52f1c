"""Marks up a byline or photo credit so that no name or credit word is split across two lines.

A byline is printed as written (its mark, outlet, slashes and where it was filed), with each credit
word (本报记者, 实习生, 文/图) in ``span.role`` and each name the parser read from it in
``span.name``, which the themes keep on one line. A two-character name that the paper padded to
three cells (赵 一) is the one name the parser paired again, and is set as it is spelled (赵一): the
padding lined names up in a printed column and, reflowed, reads as a gap between two names, so it
is the one thing of a byline the markup leaves out; the gap between names is the space the byline
has there, which the themes widen (``word-spacing``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from markupsafe import Markup, escape

from exporter.model import Credit
from exporter.text.compose import Scheme
from exporter.text.typography import text_html

#: The classes of the spans this module writes, for themes to style (docs/themes.md lists them).
CREDIT_CLASSES: dict[str, str] = {
    "byline-mark": "the mark that opens a byline (□), printed as written",
    "role": "a credit word of a byline or photo credit (本报记者, 实习生, 文/图): kept on one line",
    "name": "a name in a byline or photo credit: kept on one line; a name padded to three cells (赵 一) is set tight",
    "credit": "a photo credit in a caption, （记者 周宁 摄）: one unit, broken only where it is longer than the line",
}

_PAD = "[\\s\u3000]"


def written(text: str) -> re.Pattern[str]:
    """``text`` as written in a byline: any padding between two characters, any run of spaces for one."""
    parts: list[str] = []
    space = False
    for ch in text:
        if ch.isspace():
            space = True
            continue
        if parts:
            parts.append(f"{_PAD}+" if space else f"{_PAD}*")
        parts.append(re.escape(ch))
        space = False
    return re.compile("".join(parts))


def credit_html(
    raw: str,
    credits: Sequence[Credit],
    *,
    vertical: bool = False,
    corner_quotes: bool = False,
    scheme: Scheme | None = None,
) -> Markup:
    """``raw`` escaped, with a byline's mark, each credit word and each name of ``credits`` in a span.

    The roles and names are found in ``raw`` in their order; should one not be there (a credit not
    read from this text), the rest of ``raw`` is printed as it is.
    """

    def plain(text: str) -> str:
        return str(text_html(text, vertical=vertical, corner_quotes=corner_quotes, scheme=scheme))

    out: list[str] = []
    pos = 0
    if raw and unicodedata.category(raw[0]) == "So":
        out.append(f'<span class="byline-mark">{escape(raw[0])}</span>')
        pos = 1
    wanted: list[tuple[str, str]] = []  # (text, class), in the order they stand in raw
    for credit in credits:
        if credit.role:
            wanted.append((credit.role, "role"))
        wanted.extend((name, "name") for name in credit.names)
    for text, kind in wanted:
        match = written(text).search(raw, pos)
        if match is None:
            break
        out.append(plain(raw[pos : match.start()]))
        out.append(f'<span class="{kind}">{plain(text)}</span>')
        pos = match.end()
    out.append(plain(raw[pos:]))
    return Markup("".join(out))
