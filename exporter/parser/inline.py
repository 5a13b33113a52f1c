"""Turns markdown-it inline tokens into spans and cuts or joins runs of spans."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it.token import Token

from exporter.model import Inline, Mark, Span
from exporter.text.script import is_wide


def join_text(left: str, right: str) -> str:
    """The separator a line break between ``left`` and ``right`` stands for (none in CJK)."""
    if not left or not right:
        return ""
    return "" if is_wide(left[-1]) or is_wide(right[0]) else " "


def merge(spans: Sequence[Span]) -> Inline:
    """Adjacent spans with the same marks become one; empty spans go."""
    out: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if out and out[-1].marks == span.marks and out[-1].href == span.href:
            out[-1] = Span(out[-1].text + span.text, span.marks, span.href)
        else:
            out.append(span)
    return tuple(out)


def concat(left: Inline, right: Inline, sep: str = "") -> Inline:
    """Two runs joined, with ``sep`` (unmarked) between them."""
    return merge([*left, Span(sep), *right])


def cut(spans: Inline, n: int) -> tuple[Inline, Inline]:
    """Split a run after its first ``n`` characters."""
    head: list[Span] = []
    tail: list[Span] = []
    for span in spans:
        if n <= 0:
            tail.append(span)
        elif len(span.text) <= n:
            head.append(span)
            n -= len(span.text)
        else:
            head.append(Span(span.text[:n], span.marks, span.href))
            tail.append(Span(span.text[n:], span.marks, span.href))
            n = 0
    return merge(head), merge(tail)


def lstrip(spans: Inline) -> Inline:
    """The run without leading white space (ASCII or ideographic)."""
    text = "".join(s.text for s in spans)
    return cut(spans, len(text) - len(text.lstrip()))[1]


def rstrip(spans: Inline) -> Inline:
    """The run without trailing white space."""
    text = "".join(s.text for s in spans)
    return cut(spans, len(text.rstrip()))[0]


def strip(spans: Inline) -> Inline:
    return rstrip(lstrip(spans))


def lines(children: Sequence[Token]) -> list[Inline]:
    """The inline children of a block, one run of spans per source line."""
    out: list[list[Span]] = [[]]
    marks: list[Mark] = []
    href: list[str | None] = []
    for tok in children:
        current = frozenset(marks)
        link = href[-1] if href else None
        if tok.type in ("softbreak", "hardbreak"):
            out.append([])
        elif tok.type == "code_inline":
            out[-1].append(Span(tok.content, current | {"code"}, link))
        elif tok.type == "strong_open":
            marks.append("strong")
        elif tok.type == "em_open":
            marks.append("em")
        elif tok.type in ("strong_close", "em_close"):
            if marks:
                marks.pop()
        elif tok.type == "link_open":
            target = tok.attrGet("href")
            href.append(str(target) if target is not None else None)
        elif tok.type == "link_close":
            if href:
                href.pop()
        else:  # text, raw HTML kept as text, an image's alt text: the text as it is
            out[-1].append(Span(tok.content, current, link))
    return [merge(line) for line in out]


def html(tokens: Sequence[Token]) -> list[tuple[int, str]]:
    """Raw HTML inside lines of text (headlines, paragraphs, quotes, captions): its 1-based line and tag."""
    found: list[tuple[int, str]] = []

    def walk(children: Sequence[Token], line: int) -> int:
        for tok in children:
            if tok.type in ("softbreak", "hardbreak"):
                line += 1
            elif tok.type == "html_inline":
                found.append((line, tok.content))
                line += tok.content.count("\n")  # a tag may go on over a line break
            elif tok.children:
                line = walk(tok.children, line)
        return line

    for tok in tokens:
        if tok.type == "inline" and tok.map and tok.children:
            walk(tok.children, tok.map[0] + 1)
    return found


def join_lines(runs: Sequence[Inline]) -> Inline:
    """Lines of one paragraph joined: nothing between CJK, a space between Latin words."""
    result: Inline = ()
    for run in runs:
        run = strip(run)
        if not run:
            continue
        if not result:
            result = run
            continue
        left = "".join(s.text for s in result)
        right = "".join(s.text for s in run)
        result = concat(result, run, join_text(left, right))
    return result
