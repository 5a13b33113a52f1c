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
from exporter.text.compose import SCHEMES, Composition, Scheme, compose
from exporter.text.compose import SPAN_CLASSES as COMPOSE_CLASSES
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
    **COMPOSE_CLASSES,
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


def text_html(
    text: str,
    *,
    vertical: bool = False,
    corner_quotes: bool = False,
    scheme: Scheme | None = None,
    paragraph: bool = False,
) -> Markup:
    """Escaped text with the spans of its composition: punctuation, unbreakable runs, CJK-Latin gaps, tcy."""
    if corner_quotes:
        text = vertical_quotes(text)
    composition = compose(text, scheme or SCHEMES["kaiming"], paragraph=paragraph)
    return Markup(_render(composition, 0, len(text), vertical=vertical))


def _render(composition: Composition, start: int, end: int, *, vertical: bool) -> str:
    """The HTML of ``text[start:end]``: its own Latin runs and marks, and the unbreakable runs clipped to it."""
    text = composition.text
    opens: dict[int, list[str]] = {}
    closes: dict[int, int] = {}

    def wrap(a: int, b: int, tag: str) -> None:
        a, b = max(a, start), min(b, end)
        if a < b:
            opens.setdefault(a, []).append(tag)
            closes[b] = closes.get(b, 0) + 1

    for a, b in composition.unbreakable:
        wrap(a, b, '<span class="nobr">')
    for a, b, kind in composition.long_marks:
        wrap(a, b, f'<span class="{kind}">')
    out: list[str] = []
    i = start
    latin = {m.start(): m for m in LATIN_RUN.finditer(text, start, end)}
    while i < end:
        out.append("</span>" * closes.pop(i, 0))
        out.extend(opens.pop(i, ()))
        match = latin.get(i)
        if match is not None:
            out.append(_latin(text, match.group(0), i, match.end(), vertical=vertical))
            i = match.end()
            continue
        ch = escape(text[i])
        classes = composition.marks.get(i)
        out.append(f'<span class="{" ".join(classes)}">{ch}</span>' if classes else str(ch))
        i += 1
    out.append("</span>" * closes.pop(end, 0))
    return "".join(out)


def _latin(text: str, word: str, start: int, end: int, *, vertical: bool) -> str:
    """A Latin word or number: a span with its quarter-em gaps where Han characters touch it, or a tcy."""
    before = start > 0 and is_han_or_kana(text[start - 1])
    after = end < len(text) and is_han_or_kana(text[end])
    if vertical and word.isdigit() and len(word) <= 2:
        if len(word) == 1:
            return f'<span class="tcy tcy0">{escape(word)}</span>'
        first, second = escape(word[0]), escape(word[1])
        return f'<span class="tcy"><span class="tcy1">{first}</span><span class="tcy2">{second}</span></span>'
    if before or after:
        classes = "latin" + (" gap-before" if before else "") + (" gap-after" if after else "")
        return f'<span class="{classes}">{escape(word)}</span>'
    return str(escape(word))


def _safe_href(href: str) -> str | None:
    scheme = urlparse(href).scheme.lower()
    return href if scheme in ("http", "https", "mailto") else None


def inline_html(
    spans: Inline,
    *,
    vertical: bool = False,
    corner_quotes: bool = False,
    scheme: Scheme | None = None,
    paragraph: bool = True,
    emphasis_dots: bool = False,
) -> Markup:
    """Spans as HTML: strong, em, code and links (http, https, mailto only), every text escaped.

    The spans are composed as one run (:func:`~exporter.text.compose.compose`), so marks that touch
    across ``**bold**`` are compressed; a run never broken that crosses from one span into the
    next is kept whole inside each. With ``emphasis_dots`` (the print edition), each character of
    ``em`` text that takes a 着重号 is a span of its own (:mod:`exporter.text.emphasis`).
    """
    text = "".join(span.text for span in spans)
    if corner_quotes:
        text = vertical_quotes(text)
    composition = compose(text, scheme or SCHEMES["kaiming"], paragraph=paragraph)
    parts: list[str] = []
    offset = 0
    for span in spans:
        html = _render(composition, offset, offset + len(span.text), vertical=vertical)
        offset += len(span.text)
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
