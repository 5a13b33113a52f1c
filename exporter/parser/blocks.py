"""Tokenises issue text with markdown-it-py into located blocks: headings, paragraphs, quotes, figures, markers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import isPunctChar, isWhiteSpace
from markdown_it.rules_inline.state_inline import Delimiter, StateInline
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from exporter.model import Align, CodeBlock, Inline, ItemList, ListItem, Span, Table
from exporter.parser import inline
from exporter.text.script import is_wide


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
class Note:
    """A finding about the markup itself, for the assembler to report with the others."""

    line: int
    code: str
    severity: str
    message: str


@dataclass(frozen=True)
class InlineHtml:
    """A tag inside a line of text, kept as text: listed after the blocks, for its finding."""

    text: str
    line: int


RawBlock = Heading | Para | QuoteBlock | Image | Marker | RawHtml | ItemList | Table | CodeBlock | Note | InlineHtml

_COMMENT = re.compile(r"^\s*<!--(.*?)-->\s*$", re.S)


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    # Indented code and setext headings are off: in newspaper text four leading spaces or a dashed
    # line under a paragraph are text, never markup. Lists, pipe tables and fenced blocks are read.
    md = MarkdownIt("commonmark", {"html": True})
    md.disable(["code", "lheading"])
    md.enable("table")
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
    last_punct, next_punct = isPunctChar(last), isPunctChar(nxt)  # ASCII punctuation included
    last_open = last_space or last_punct or is_wide(last)
    next_open = next_space or next_punct or is_wide(nxt)
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
    md = _md()
    tokens = md.parse(body)
    source = body.split("\n")
    blocks: list[RawBlock] = []
    for node in SyntaxTreeNode(tokens).children:
        line = _span(node)[0] + 1
        if node.type in ("blockquote", "bullet_list", "ordered_list") and _too_deep(node, md.options["maxNesting"]):
            blocks.extend(_flattened(node, source))
        elif node.type == "heading":
            spans = inline.strip(inline.join_lines(_lines(node.children[0])))
            blocks.append(Heading(int(node.tag[1]), spans, line))
        elif node.type == "paragraph":
            blocks.append(_paragraph(node.children[0].token, line))  # type: ignore[arg-type]
        elif node.type == "blockquote":
            paragraphs = _paragraphs_of(node.children)
            depth = _quote_depth(node)
            if depth > 1:
                blocks.append(
                    Note(
                        line,
                        "quote-nested",
                        "warning",
                        f"a quote inside a quote ({depth} levels) is printed as one quote, its paragraphs in order: "
                        "if that reads wrong, quote it in words (“…”) instead",
                    )
                )
            blocks.append(QuoteBlock(tuple(p for p in paragraphs if p), line))
        elif node.type in ("bullet_list", "ordered_list"):
            blocks.append(_list(node))
        elif node.type == "table":
            blocks.extend(_table(node, source))
        elif node.type == "fence":
            blocks.extend(_fence(node, source))
        elif node.type == "hr":
            blocks.append(
                Note(
                    line,
                    "rule-dropped",
                    "info",
                    f"the line `{source[line - 1].strip()}` (a thematic break) is not printed",
                )
            )
        elif node.type == "html_block":
            content = node.content
            match = _COMMENT.match(content)
            if match:
                blocks.append(Marker(content.strip(), match.group(1).strip(), line))
            else:
                blocks.append(RawHtml(content.strip(), line))
    blocks += [InlineHtml(text, line) for line, text in inline.html(tokens)]
    return blocks


def _span(node: SyntaxTreeNode) -> tuple[int, int]:
    """The 0-based first line of a block and the line after it: markdown-it gives every block and row one."""
    assert node.map is not None, node.type
    return node.map[0], node.map[1]


def _lines(node: SyntaxTreeNode) -> list[Inline]:
    """The runs of an inline node, one per source line."""
    assert node.token is not None, node.type
    return inline.lines(node.token.children or [])


def _too_deep(node: SyntaxTreeNode, limit: int) -> bool:
    """Whether markdown-it stopped reading inside this block: it skips what is nested ``limit`` levels deep."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("blockquote", "list_item") and current.level >= limit - 1:
            return True
        stack.extend(current.children)
    return False


def _quote_depth(node: SyntaxTreeNode) -> int:
    inner = [_quote_depth(child) for child in node.children]
    return (1 if node.type == "blockquote" else 0) + max(inner, default=0)


def _paragraphs_of(nodes: Sequence[SyntaxTreeNode]) -> list[Inline]:
    """The text of these nodes and all they hold (quotes, lists, tables) as paragraphs, in order; none is lost."""
    out: list[Inline] = []
    for child in nodes:
        if child.type == "inline":
            out.append(inline.join_lines(_lines(child)))
        elif child.type == "html_block":
            out.append(inline.merge([Span(child.content.strip())]))
        elif child.type == "fence":
            out.append(inline.merge([Span(child.content.rstrip("\n"))]))
        elif child.type == "ordered_list":  # each item's first paragraph after its number
            for item in child.children:
                paragraphs = _paragraphs_of(item.children)
                if paragraphs:
                    paragraphs[0] = inline.concat((Span(item.info + item.markup),), paragraphs[0], " ")
                out.extend(paragraphs)
        elif child.type == "tr":
            cells = [text for cell in child.children if (text := inline.join_lines(_lines(cell.children[0])))]
            if cells:  # an empty cell adds no space
                row = cells[0]
                for cell in cells[1:]:
                    row = inline.concat(row, cell, " ")
                out.append(row)
        else:
            out.extend(_paragraphs_of(child.children))
    return out


def _list(node: SyntaxTreeNode) -> ItemList:
    items: list[ListItem] = []
    for item in node.children:
        paragraphs: list[Inline] = []
        lists: list[ItemList] = []
        for child in item.children:
            if child.type in ("bullet_list", "ordered_list"):
                lists.append(_list(child))
            else:  # a paragraph, quote, table, heading or fence inside an item: its text as paragraphs of the item
                paragraphs.extend(_paragraphs_of([child]))
        marker = item.info + item.markup  # a bullet item's info is empty
        line = _span(item)[0] + 1
        items.append(ListItem(marker, tuple(p for p in paragraphs if p), line, tuple(lists)))
    return ItemList(node.type == "ordered_list", tuple(items), _span(node)[0] + 1)


_ALIGN: dict[str, Align] = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}


def _table(node: SyntaxTreeNode, source: list[str]) -> list[RawBlock]:
    """A pipe table; a row with more cells than the header widens the table, so that no cell is lost."""
    from markdown_it.rules_block.table import escapedSplit

    rows: list[list[Inline]] = []
    lines: list[int] = []
    align = [_ALIGN.get(str(cell.attrs.get("style"))) for cell in node.children[0].children[0].children]
    notes: list[RawBlock] = []
    for part in node.children:
        for tr in part.children:
            cells = [inline.strip(inline.join_lines(_lines(cell.children[0]))) for cell in tr.children]
            number = _span(tr)[0]
            written = escapedSplit(source[number].strip().strip("|"))
            if len(written) > len(cells):
                for extra in written[len(cells) :]:
                    cells.append(
                        inline.strip(
                            inline.join_lines(inline.lines(_md().parseInline(extra.strip())[0].children or []))
                        )
                    )
                notes.append(
                    Note(
                        number + 1,
                        "table-cells",
                        "warning",
                        f"this row has {len(written)} cells and the header {len(rows[0])}: "
                        "the table is widened so that no cell is lost; give the header as many cells as its rows",
                    )
                )
            rows.append(cells)
            lines.append(number + 1)
    width = max(len(row) for row in rows)
    rows = [row + [()] * (width - len(row)) for row in rows]
    align += [None] * (width - len(align))
    table = Table(tuple(rows[0]), tuple(tuple(r) for r in rows[1:]), tuple(align), lines[0], tuple(lines))
    return [table, *notes]


def _fence(node: SyntaxTreeNode, source: list[str]) -> list[RawBlock]:
    """A fenced block as text line for line; an unclosed fence would swallow the rest of the issue: an error."""
    first, end = _span(node)
    fence = node.markup
    last = source[end - 1].strip()
    closed = end - 1 > first and len(last) >= len(fence) and set(last) == set(fence)
    if not closed:
        return [
            Note(
                first + 1,
                "code-unclosed",
                "error",
                f"the block opened by `{source[first].strip()}` is never closed, so all that follows would print as "
                f"code: close it with a line of `{fence}`, or delete this line",
            )
        ]
    text = node.content.rstrip("\n")
    return [CodeBlock(text, node.info.strip(), first + 1)] if text.strip() else []


_PREFIX = re.compile(r"^(?:[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]?)*")


def _flattened(node: SyntaxTreeNode, source: list[str]) -> list[RawBlock]:
    """A quote or list nested deeper than markdown-it reads, as one level: every line of its text kept."""
    first, end = _span(node)
    groups: list[tuple[int, str, list[str]]] = []  # (line, marker, lines)
    previous: str | None = None
    depth = 0
    columns: list[int] = []  # where each open item's mark stands: a list nested by indentation
    for number in range(first, end):
        text = source[number]
        prefix = _PREFIX.match(text)
        assert prefix is not None  # the pattern matches an empty prefix too
        marks = "".join(prefix.group(0).split())
        item = re.findall(r"[-+*]|\d{1,9}[.)]", marks)
        if item:
            column = len(text) - len(text.lstrip())
            while columns and columns[-1] >= column:
                columns.pop()
            columns.append(column)
        depth = max(depth, marks.count(">") + len(item) + max(len(columns) - 1, 0))
        rest = text[prefix.end() :].strip()
        if not rest:
            previous = None
            continue
        if previous is None or (marks and marks != previous) or item:
            groups.append((number + 1, item[-1] if item else "-", []))
        groups[-1][2].append(rest)
        previous = marks
    paragraphs = [
        (line, marker, inline.join_lines(inline.lines(_md().parseInline("\n".join(lines))[0].children or [])))
        for line, marker, lines in groups
    ]
    # markdown-it reads maxNesting - 1 levels; a quote takes one, a list two (the list and its item)
    limit = _md().options["maxNesting"] - 1
    quote = node.type == "blockquote"
    note = Note(
        first + 1,
        "nesting-flattened",
        "warning",
        f"this {'quote' if quote else 'list'} is nested {depth} levels deep, more than the "
        f"{limit if quote else limit // 2} the format reads: it is printed as one level, every line of its text "
        "kept; remove the extra `>` or list marks",
    )
    if quote:
        return [note, QuoteBlock(tuple(p for _, _, p in paragraphs if p), first + 1)]
    items = tuple(ListItem(marker, (p,), line) for line, marker, p in paragraphs if p)
    return [note, ItemList(node.type == "ordered_list", items, first + 1)]


def _paragraph(tok: Token, line: int) -> Para | Image:
    children = tok.children or []
    meaningful = [c for c in children if not (c.type == "text" and not c.content.strip())]
    if len(meaningful) == 1 and meaningful[0].type == "image":
        img = meaningful[0]
        alt = inline.strip(inline.join_lines(inline.lines(img.children or [])))
        title = img.attrGet("title")
        return Image(str(img.attrGet("src") or ""), alt, str(title) if title else None, line)
    return Para(tuple(inline.lines(children)), line)
