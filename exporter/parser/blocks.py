"""Tokenises issue text with markdown-it-py into located blocks: headings, paragraphs, quotes, figures, markers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from exporter.model import Inline, Span
from exporter.parser import inline


@dataclass(frozen=True)
class Heading:
    level: int
    spans: Inline
    line: int


@dataclass(frozen=True)
class Para:
    """A paragraph as a list of source lines (first line number, one run per line)."""

    lines: tuple[Inline, ...]
    line: int


@dataclass(frozen=True)
class QuoteBlock:
    paragraphs: tuple[Inline, ...]
    line: int


@dataclass(frozen=True)
class Image:
    src: str
    alt: Inline
    title: str | None
    line: int


@dataclass(frozen=True)
class Marker:
    """An HTML comment on its own line: a page/section marker or a plain comment."""

    raw: str
    body: str
    line: int


@dataclass(frozen=True)
class RawHtml:
    text: str
    line: int


RawBlock = Heading | Para | QuoteBlock | Image | Marker | RawHtml

_COMMENT = re.compile(r"^\s*<!--(.*?)-->\s*$", re.S)


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    # Lists, indented code, fences and setext headings are off: in newspaper text
    # "1. ", four leading spaces or a dashed line under a paragraph are text, never markup.
    md = MarkdownIt("commonmark", {"html": True})
    md.disable(["code", "fence", "list", "lheading"])
    return md


def tokenize(body: str) -> list[RawBlock]:
    """Blocks of the body in order, each with its 1-based source line."""
    tokens = _md().parse(body)
    blocks: list[RawBlock] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        line = (tok.map[0] + 1) if tok.map else 0
        if tok.type == "heading_open":
            spans = inline.strip(inline.join_lines(inline.lines(tokens[i + 1].children or [])))
            blocks.append(Heading(int(tok.tag[1]), spans, line))
            i += 3
        elif tok.type == "paragraph_open":
            blocks.append(_paragraph(tokens[i + 1], line))
            i += 3
        elif tok.type == "blockquote_open":
            depth = 1
            paras: list[Inline] = []
            j = i + 1
            while j < len(tokens) and depth:
                t = tokens[j]
                if t.type == "blockquote_open":
                    depth += 1
                elif t.type == "blockquote_close":
                    depth -= 1
                elif t.type == "inline":
                    paras.append(inline.join_lines(inline.lines(t.children or [])))
                elif t.type == "html_block":
                    paras.append(inline.merge([Span(t.content.strip())]))
                j += 1
            blocks.append(QuoteBlock(tuple(p for p in paras if p), line))
            i = j
        elif tok.type == "html_block":
            match = _COMMENT.match(tok.content)
            if match:
                blocks.append(Marker(tok.content.strip(), match.group(1).strip(), line))
            else:
                blocks.append(RawHtml(tok.content.strip(), line))
            i += 1
        else:
            i += 1
    return blocks


def _paragraph(tok: Token, line: int) -> Para | Image:
    children = tok.children or []
    meaningful = [c for c in children if not (c.type == "text" and not c.content.strip())]
    if len(meaningful) == 1 and meaningful[0].type == "image":
        img = meaningful[0]
        alt = inline.strip(inline.join_lines(inline.lines(img.children or [])))
        title = img.attrGet("title")
        return Image(str(img.attrGet("src") or ""), alt, str(title) if title else None, line)
    return Para(tuple(inline.lines(children)), line)
