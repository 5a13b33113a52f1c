"""Adds the markup that Chinese typography needs around the text, never changing a character of it.

CJK-Latin spacing, tate-chu-yoko (縦中横) for short numbers in vertical text and the bold
dateline are spans for CSS to set. One substitution is a rendering choice of vertical themes,
documented as such: ``“”‘’`` become ``「」『』``, because simplified Chinese fonts have no vertical
forms for the curly quotes (GB/T 15834).
"""

from __future__ import annotations

from urllib.parse import urlparse

from markupsafe import Markup, escape

from exporter.model import Inline
from exporter.text.script import LATIN_RUN, is_han_or_kana

#: The classes of the spans this module writes, for themes to style (docs/themes.md lists them).
SPAN_CLASSES: dict[str, str] = {
    "latin": "a Latin word or number beside Han characters",
    "gap-before": "…with Han characters before it: a quarter-em of space on that side",
    "gap-after": "…with Han characters after it: a quarter-em of space on that side",
    "tcy": "one or two digits set upright in one cell of vertical text (tate-chu-yoko)",
    "tcy0": "a tate-chu-yoko of one digit",
    "tcy1": "the first of two tate-chu-yoko digits",
    "tcy2": "the second of two tate-chu-yoko digits",
}

VERTICAL_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})


def vertical_quotes(text: str) -> str:
    """Curly quotes turned to corner brackets for vertical text; an apostrophe inside a Latin word stays."""
    out = []
    for i, ch in enumerate(text):
        if ch in "‘’" and 0 < i < len(text) - 1 and text[i - 1].isascii() and text[i + 1].isascii():
            out.append(ch)
        else:
            out.append(ch.translate(VERTICAL_QUOTES))
    return "".join(out)


def text_html(text: str, *, vertical: bool = False, corner_quotes: bool = False) -> Markup:
    """Escaped text with spans for CJK-Latin spacing and, in vertical text, tate-chu-yoko."""
    if corner_quotes:
        text = vertical_quotes(text)
    out: list[str] = []
    pos = 0
    for match in LATIN_RUN.finditer(text):
        start, end = match.span()
        word = match.group(0)
        before = start > 0 and is_han_or_kana(text[start - 1])
        after = end < len(text) and is_han_or_kana(text[end])
        out.append(str(escape(text[pos:start])))
        if vertical and word.isdigit() and len(word) <= 2:
            if len(word) == 1:
                out.append(f'<span class="tcy tcy0">{escape(word)}</span>')
            else:
                first, second = escape(word[0]), escape(word[1])
                out.append(
                    f'<span class="tcy"><span class="tcy1">{first}</span><span class="tcy2">{second}</span></span>'
                )
        elif before or after:
            classes = "latin" + (" gap-before" if before else "") + (" gap-after" if after else "")
            out.append(f'<span class="{classes}">{escape(word)}</span>')
        else:
            out.append(str(escape(word)))
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def _safe_href(href: str) -> str | None:
    scheme = urlparse(href).scheme.lower()
    return href if scheme in ("http", "https", "mailto") else None


def inline_html(
    spans: Inline, *, vertical: bool = False, corner_quotes: bool = False, emphasis_dots: bool = False
) -> Markup:
    """Spans as HTML: strong, em, code and links (http, https, mailto only), every text escaped.

    With ``emphasis_dots`` (the print edition), each character of ``em`` text that takes a 着重号
    is a span of its own (:mod:`exporter.text.emphasis`).
    """
    parts: list[str] = []
    for span in spans:
        html = str(text_html(span.text, vertical=vertical, corner_quotes=corner_quotes))
        if "code" in span.marks:
            html = f"<code>{html}</code>"
        if "em" in span.marks:
            from exporter.text.emphasis import dotted

            html = f"<em>{dotted(html) if emphasis_dots else html}</em>"
        if "strong" in span.marks:
            html = f"<strong>{html}</strong>"
        href = _safe_href(span.href) if span.href else None
        if href:
            html = f'<a href="{escape(href)}">{html}</a>'
        parts.append(html)
    return Markup("".join(parts))
