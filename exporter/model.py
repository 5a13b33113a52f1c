"""Frozen dataclasses that describe one issue of a newspaper, with no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Literal

if TYPE_CHECKING:
    from exporter.diagnostics import Diagnostic

Mark = Literal["strong", "em", "code"]


@dataclass(frozen=True)
class Span:
    """A run of text with the inline marks (bold, emphasis, code) it carries."""

    text: str
    marks: frozenset[Mark] = frozenset()
    href: str | None = None


Inline = tuple[Span, ...]


def plain(spans: Inline) -> str:
    """The text of a run of spans, without marks."""
    return "".join(span.text for span in spans)


@dataclass(frozen=True)
class Credit:
    """One role in a byline or photo credit and the names under it (记者 王萌)."""

    role: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Byline:
    """A byline as written, with the outlet it names, its credits and where the report was filed.

    ``place`` and ``report`` are the end of a byline such as 記者 鄭雅文／臺南報導: 臺南 and 報導.
    """

    raw: str
    outlet: str | None
    credits: tuple[Credit, ...]
    line: int
    place: str | None = None
    report: str | None = None


@dataclass(frozen=True)
class Dateline:
    """The dateline that opens an article (本报12月29日讯), kept apart from its text.

    ``kind`` is the word that ends it (讯, 電, 專電, or 報導 of 〔記者鄭雅文／台南報導〕, which names no
    source); ``credits`` are the reporters it names (本报讯（记者 王萌）, （中央社記者鄭雅文台南27日電）).
    A dateline may give a day with no month (中央社台北27日電).
    """

    raw: str
    source: str | None
    place: str | None
    month: int | None
    day: int | None
    line: int
    kind: str | None = None
    credits: tuple[Credit, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of body text; ``joined`` lists the lines of parts joined to it."""

    kind: ClassVar[str] = "paragraph"

    spans: Inline
    line: int
    joined: tuple[int, ...] = ()

    @property
    def text(self) -> str:
        return plain(self.spans)


@dataclass(frozen=True)
class Subhead:
    """A subhead (小标题) inside an article; level 3, or 4 for a minor one."""

    kind: ClassVar[str] = "subhead"

    spans: Inline
    level: int
    line: int

    @property
    def text(self) -> str:
        return plain(self.spans)


@dataclass(frozen=True)
class Quote:
    """A block quotation, one or more paragraphs."""

    kind: ClassVar[str] = "quote"

    paragraphs: tuple[Inline, ...]
    line: int

    @property
    def text(self) -> str:
        return "\n".join(plain(p) for p in self.paragraphs)


@dataclass(frozen=True)
class Figure:
    """An image with its caption, title and photo credit (记者 王萌 摄)."""

    kind: ClassVar[str] = "figure"

    src: str
    caption: Inline
    title: str | None
    credit: str | None
    credits: tuple[Credit, ...]
    line: int

    @property
    def text(self) -> str:
        return plain(self.caption)


@dataclass(frozen=True)
class EditorsNote:
    """An editor's note (编者按), its label kept apart from its text."""

    kind: ClassVar[str] = "editors_note"

    label: str
    spans: Inline
    line: int

    @property
    def text(self) -> str:
        return plain(self.spans)


@dataclass(frozen=True)
class ListItem:
    """One item of a list: its marker as written (``1.``, ``2)``, ``-``), paragraphs and lists inside it."""

    marker: str
    paragraphs: tuple[Inline, ...]
    line: int
    lists: tuple[ItemList, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join([*(plain(p) for p in self.paragraphs), *(sub.text for sub in self.lists)])


@dataclass(frozen=True)
class ItemList:
    """A list (results, prices, steps): numbered when ``ordered``, its numbers kept as the issue writes them."""

    kind: ClassVar[str] = "list"

    ordered: bool
    items: tuple[ListItem, ...]
    line: int

    @property
    def text(self) -> str:
        """The items' text, each after its number when the list is numbered (the editions print them)."""
        return "\n".join(text for _, text in _block_texts(self))


Align = Literal["left", "center", "right"] | None


@dataclass(frozen=True)
class Table:
    """A table (results, timetables, prices): a header row, body rows, and each column's alignment."""

    kind: ClassVar[str] = "table"

    head: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    align: tuple[Align, ...]
    line: int
    row_lines: tuple[int, ...] = ()  # the source line of the header and of each body row

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in _block_texts(self))


@dataclass(frozen=True)
class CodeBlock:
    """Text set line for line as written (a fenced block: code, a listing); ``info`` follows the fence."""

    kind: ClassVar[str] = "code"

    text: str
    info: str
    line: int


Block = Paragraph | Subhead | Quote | Figure | EditorsNote | ItemList | Table | CodeBlock


@dataclass(frozen=True)
class Article:
    """One article: kicker, headline on its lines, subtitle, bylines, dateline, body."""

    id: str
    headline: str
    headline_lines: tuple[str, ...]
    line: int
    level: int = 2
    kicker: str | None = None
    subtitle: str | None = None
    bylines: tuple[Byline, ...] = ()
    dateline: Dateline | None = None
    blocks: tuple[Block, ...] = ()
    truncated: bool = False

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Paragraph))


@dataclass(frozen=True)
class Section:
    """A page (版) or section (栏目) of the issue and the articles in it."""

    title: str | None
    page: str | None
    articles: tuple[Article, ...]
    line: int


@dataclass(frozen=True)
class Masthead:
    """What the masthead (报头) shows; ``inferred`` names fields guessed from the text.

    ``lines`` gives the issue file's line of each front matter key, for errors about its value; it is
    not part of the issue's JSON.
    """

    title: str | None = None
    date: dt.date | None = None
    weekday: str | None = None
    lunar_date: str | None = None
    number: str | None = None
    edition: str | None = None
    publisher: str | None = None
    language: str = "zh-CN"
    identifier: str | None = None
    editor: str | None = None
    theme: str | None = None
    inferred: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), compare=False, hash=False)
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}), compare=False, hash=False)


@dataclass(frozen=True)
class Issue:
    """One issue of a newspaper: its masthead, sections, and what the parser noticed."""

    masthead: Masthead
    sections: tuple[Section, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    source: str | None = None

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(a for s in self.sections for a in s.articles)

    def iter_articles(self) -> Iterator[tuple[Section, Article]]:
        for section in self.sections:
            for article in section.articles:
                yield section, article

    def texts(self) -> Iterator[tuple[int, str]]:
        """Every text the editions show, with its source line (the masthead's on line 1).

        The identifier is among them though the masthead prints it only when it is a CN serial or an ISSN
        (:mod:`exporter.text.serials`): its characters are checked against the fonts all the same.
        """
        m = self.masthead
        for value in (m.title, m.edition, m.publisher, m.editor, m.number, m.identifier):
            if value:
                yield 1, value
        for section in self.sections:
            for value in (section.title, section.page):
                if value:
                    yield section.line, value
            for article in section.articles:
                for value in (article.kicker, article.headline, article.subtitle):
                    if value:
                        yield article.line, value
                for byline in article.bylines:
                    yield byline.line, byline.raw
                if article.dateline:
                    yield article.dateline.line, article.dateline.raw
                for block in article.blocks:
                    yield from _block_texts(block)
                    if isinstance(block, Figure) and block.credit:
                        yield block.line, block.credit
                    if isinstance(block, EditorsNote):
                        yield block.line, block.label

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


def _block_texts(block: Block) -> Iterator[tuple[int, str]]:
    """A block's texts with their lines: a list by item, a table by row, a code block by line."""
    if isinstance(block, ItemList):
        for item in block.items:
            yield item.line, (f"{item.marker} " if block.ordered else "") + "\n".join(plain(p) for p in item.paragraphs)
            for sub in item.lists:
                yield from _block_texts(sub)
    elif isinstance(block, Table):
        rows = (block.head, *block.rows)
        lines = block.row_lines or (block.line,) * len(rows)
        for line, row in zip(lines, rows, strict=True):
            yield line, " ".join(plain(cell) for cell in row)
    elif isinstance(block, CodeBlock):
        for offset, text in enumerate(block.text.split("\n"), start=1):
            yield block.line + offset, text
    else:
        yield block.line, block.text
