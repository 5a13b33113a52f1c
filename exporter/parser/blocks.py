"""Tokenises issue text with markdown-it-py into located blocks: headings, paragraphs, quotes, figures, markers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline.state_inline import Delimiter, StateInline
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


@dataclass(frozen=True)
class InlineHtml:
    """A tag inside a line of text, kept as text: listed after the blocks, for its finding."""

    text: str
    line: int


RawBlock = Heading | Para | QuoteBlock | Image | Marker | RawHtml | InlineHtml

_COMMENT = re.compile(r"^\s*<!--(.*?)-->\s*$", re.S)


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    # Lists, indented code, fences and setext headings are off: in newspaper text
    # "1. ", four leading spaces or a dashed line under a paragraph are text, never markup.
    md = MarkdownIt("commonmark", {"html": True})
    md.disable(["code", "fence", "list", "lheading"])
    md.inline.ruler.at("emphasis", _emphasis)
    # markdown-it leaves `![图](file:///…)` and `javascript:` targets as plain text; take every target,
    # so that the figure check refuses them by name instead of printing the markup.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def _emphasis(state: StateInline, silent: bool) -> bool:
    """markdown-it's emphasis rule with a flanking test that suits Chinese, which has no spaces.

    CommonMark lets `**` after punctuation close only before a space or punctuation, so
    `**“加粗”**后` would keep its asterisks. As the markdown-cjk-friendly proposal does, a wide
    (CJK) character next to the run counts here as punctuation would on that side.
    """
    start = state.pos
    marker = state.src[start]
    if silent or marker not in ("_", "*"):
        return False
    pos = start
    while pos < state.posMax and state.src[pos] == marker:
        pos += 1
    last = state.src[start - 1] if start > 0 else " "
    nxt = state.src[pos] if pos < state.posMax else " "
    last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(nxt))
    last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
    next_punct = isMdAsciiPunct(ord(nxt)) or isPunctChar(nxt)
    last_open = last_space or last_punct or inline.is_wide(last)
    next_open = next_space or next_punct or inline.is_wide(nxt)
    left = not (next_space or (next_punct and not last_open))
    right = not (last_space or (last_punct and not next_open))
    in_word = marker == "*"
    can_open = left and (in_word or not right or last_punct)
    can_close = right and (in_word or not left or next_punct)
    for _ in range(pos - start):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(Delimiter(ord(marker), pos - start, len(state.tokens) - 1, -1, can_open, can_close))
    state.pos = pos
    return True


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
    blocks += [InlineHtml(text, line) for line, text in inline.html(tokens)]
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
