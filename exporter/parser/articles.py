"""Assembles located blocks into sections and articles: kickers, headlines, bylines, datelines, repairs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from exporter import imagefiles
from exporter.diagnostics import Diagnostic
from exporter.errors import suggest
from exporter.model import (
    Article,
    Block,
    Byline,
    CodeBlock,
    Dateline,
    EditorsNote,
    Figure,
    Inline,
    ItemList,
    Paragraph,
    Quote,
    Section,
    Span,
    Subhead,
    Table,
    plain,
)
from exporter.parser import bylines, datelines, inline
from exporter.parser.blocks import Heading, Image, Marker, Note, Para, QuoteBlock, RawBlock, RawHtml
from exporter.text.script import is_wide

CLOSING = tuple("。！？…”’」』）》.!?)\"'")
INTRODUCING = ("：", ":")
_NOTE_LABEL = re.compile(r"^(编者按|编者的话|編者按|編者的話)\s*[：:]?\s*")
_MARKER_PART = re.compile(r"^\s*([A-Za-z_\u4e00-\u9fff]+)\s*[:：]\s*(.*?)\s*$")
_HEADLINE_BREAK = re.compile(r"[ \u3000\t]+")


@dataclass
class _Draft:
    """An article while its blocks are collected."""

    id: str
    headline: str
    line: int
    level: int
    kicker: str | None = None
    bylines: list[Byline] = field(default_factory=list)
    dateline: Dateline | None = None
    blocks: list[Block] = field(default_factory=list)

    @property
    def has_body(self) -> bool:
        return any(isinstance(b, Paragraph) for b in self.blocks) or self.dateline is not None


@dataclass
class _SectionDraft:
    title: str | None
    page: str | None
    line: int
    articles: list[_Draft] = field(default_factory=list)


def headline_parts(text: str) -> tuple[str, tuple[str, ...], str | None]:
    """Headline, its lines, and the subtitle after ``——`` (副题)."""
    text = text.strip()
    subtitle: str | None = None
    cut = text.find("——")
    if cut > 0:
        text, subtitle = text[:cut].strip(), text[cut + 2 :].strip() or None
    parts: list[str] = []
    start = 0
    for match in _HEADLINE_BREAK.finditer(text):
        left, right = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
        if left and right and is_wide(left) and is_wide(right):
            parts.append(text[start : match.start()])
            start = match.end()
    parts.append(text[start:])
    return text, tuple(p for p in parts if p), subtitle


class Assembler:
    """Walks the blocks of one issue in order and builds its sections and articles.

    A state machine, as markdown-it's own rules are: one short method per kind of block, all reading
    and changing the same state (the open section, the open article, kickers waiting for a
    headline), which is why they stay together in one class of many small methods.
    """

    def __init__(self, base: str | None) -> None:
        self.base = base
        self.notes: list[Diagnostic] = []
        self.sections: list[_SectionDraft] = [_SectionDraft(None, None, 1)]
        self.article: _Draft | None = None
        self.kickers: list[tuple[str, int]] = []
        self.count = 0
        self.raw_html: set[int] = set()  # lines of raw HTML kept as paragraphs: never cut, never joined

    def note(self, line: int, code: str, severity: str, message: str) -> None:
        self.notes.append(Diagnostic(line, code, severity, message))  # type: ignore[arg-type]

    # -- articles ---------------------------------------------------------

    def _open(self, headline: str, line: int, level: int) -> _Draft:
        self.count += 1
        draft = _Draft(f"a{self.count:02d}", headline, line, level)
        if self.kickers:
            draft.kicker = " ".join(k for k, _ in self.kickers)
            if len(self.kickers) > 1:
                self.note(
                    self.kickers[0][1],
                    "kicker-stacked",
                    "warning",
                    f"{len(self.kickers)} headings in a row before line {line} were taken as one kicker: "
                    "give each article a body, or keep one kicker line",
                )
            self.kickers = []
        self.sections[-1].articles.append(draft)
        self.article = draft
        return draft

    def _current(self, line: int) -> _Draft:
        if self.article is None:
            self.note(
                line,
                "text-before-article",
                "error",
                "text stands before the first headline and belongs to no article: add a `## headline` above it",
            )
            return self._open("", line, 2)
        return self.article

    # -- blocks -------------------------------------------------------------

    def run(self, blocks: list[RawBlock]) -> list[Section]:
        for i, block in enumerate(blocks):
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if isinstance(block, Heading):
                self.heading(block, nxt)
            elif isinstance(block, Para):
                self.paragraph(block)
            elif isinstance(block, QuoteBlock):
                if block.paragraphs:
                    self._current(block.line).blocks.append(Quote(block.paragraphs, block.line))
            elif isinstance(block, Image):
                self.figure(block)
            elif isinstance(block, (ItemList, Table, CodeBlock)):
                self._current(block.line).blocks.append(block)
            elif isinstance(block, Note):
                self.note(block.line, block.code, block.severity, block.message)
            elif isinstance(block, Marker):
                self.marker(block)
            elif isinstance(block, RawHtml):
                self.note(block.line, "raw-html", "warning", "raw HTML is not passed through; it is kept as text")
                self.raw_html.add(block.line)
                self._add_paragraph(self._current(block.line), (Span(block.text),), block.line)
        return self.finish()

    def heading(self, block: Heading, nxt: RawBlock | None) -> None:
        text = plain(block.spans)
        if block.level <= 2:
            if isinstance(nxt, Heading) and nxt.level <= 2 and text:
                self.kickers.append((text, block.line))
                return
            self._open(text, block.line, block.level)
            if nxt is None or (isinstance(nxt, (Heading, Marker)) and not (isinstance(nxt, Heading) and nxt.level > 2)):
                self.note(
                    block.line,
                    "article-empty",
                    "warning",
                    "a headline with no text after it: add its text or delete it",
                )
            return
        level = 3 if block.level == 3 else 4
        self._current(block.line).blocks.append(Subhead(block.spans, level, block.line))

    def paragraph(self, block: Para) -> None:
        article = self._current(block.line)
        rest: list[Inline] = []
        first_line = block.line
        for offset, run in enumerate(block.lines):
            text = plain(run).strip()
            starts_body = not rest
            if starts_body and text and self._is_byline(article, text):
                article.bylines.append(bylines.parse_byline(text, block.line + offset))
                first_line = block.line + offset + 1
                continue
            rest.append(run)
        spans = inline.join_lines(rest)
        if spans:
            self._add_paragraph(article, spans, first_line)

    @staticmethod
    def _is_byline(article: _Draft, text: str) -> bool:
        if text[0] in bylines.MARKS:
            return True
        return not article.has_body and bylines.is_byline(text)

    def _add_paragraph(self, article: _Draft, spans: Inline, line: int) -> None:
        text = plain(spans)
        label = _NOTE_LABEL.match(text)
        if label:
            _, body = inline.cut(spans, label.end())
            article.blocks.append(EditorsNote(label.group(0).strip(), body, line))
            return
        if not article.has_body and article.dateline is None:
            found = datelines.find(text)
            if found is not None:
                article.dateline = Dateline(
                    found.raw, found.source, found.place, found.month, found.day, line, found.kind, found.credits
                )
                _, spans = inline.cut(spans, found.end)
                if not spans:
                    return
        article.blocks.append(Paragraph(spans, line))

    def figure(self, block: Image) -> None:
        caption_text = plain(block.alt)
        caption, credit = bylines.split_photo_credit(caption_text)
        spans = inline.cut(block.alt, len(caption))[0] if credit else block.alt
        self._check_image(block.src, block.line)
        self._current(block.line).blocks.append(
            Figure(block.src, spans, block.title, credit, bylines.photo_credits(credit) if credit else (), block.line)
        )

    def _check_image(self, src: str, line: int) -> None:
        """A finding when the figure's file is refused, missing, no image or too large (see :mod:`imagefiles`)."""
        problem = imagefiles.find(src, None if self.base is None else Path(self.base)).problem
        if problem is not None:
            self.note(line, problem.code, problem.severity, problem.message)

    def marker(self, block: Marker) -> None:
        parts = [p for p in re.split(r"[,，;；]", block.body) if p.strip()]
        values: dict[str, str] = {}
        for part in parts:
            match = _MARKER_PART.match(part)
            if not match:
                values = {}
                break
            values[match.group(1).lower()] = match.group(2)
        keys = set(values)
        if values and keys <= {"page", "section"}:
            empty = [k for k, v in values.items() if not v]
            if empty:
                self.note(
                    block.line,
                    "marker-empty",
                    "error",
                    f"`{empty[0]}:` in {block.raw} has no value: write it, such as `<!-- {empty[0]}: A01 -->`",
                )
                return
            page = values.get("page", self.sections[-1].page if "section" in values else None)
            self.sections.append(_SectionDraft(values.get("section"), page, block.line))
            self.article = None
            return
        if values:
            unknown = sorted(keys - {"page", "section"})[0]
            hint = suggest(unknown, ["page", "section"]) or "markers know `page` and `section`"
            self.note(block.line, "marker-unknown", "error", f"{block.raw} is not a page or section marker: {hint}")
            return
        self.note(block.line, "comment-dropped", "info", f"the comment {block.raw[:60]} is not printed")

    # -- repairs ------------------------------------------------------------

    def repair(self, draft: _Draft) -> Article:
        blocks: list[Block] = []
        for block in draft.blocks:
            prev = blocks[-1] if blocks else None
            if (
                isinstance(block, Paragraph)
                and isinstance(prev, Paragraph)
                and _is_cut(prev.text)
                and not {prev.line, block.line} & self.raw_html
                # a byline between the two is not a block, but nothing is joined across it
                and not any(prev.line < b.line < block.line for b in draft.bylines)
            ):
                left, right = prev.text, block.text
                joined = inline.concat(prev.spans, block.spans, inline.join_text(left, right))
                blocks[-1] = Paragraph(joined, prev.line, (*prev.joined, block.line))
                self.note(
                    prev.line,
                    "paragraph-joined",
                    "warning",
                    f"a paragraph cut by a column or page break was joined to line {block.line} "
                    f"(…{left[-8:]}|{right[:8]}…): if they are two paragraphs, "
                    f"end line {prev.line} with closing punctuation",
                )
                continue
            blocks.append(block)
        truncated = False
        last = blocks[-1] if blocks else None
        if isinstance(last, Paragraph) and _is_cut(last.text) and last.line not in self.raw_html:
            truncated = True
            self.note(
                last.line,
                "article-truncated",
                "warning",
                f"the article stops mid-sentence (…{last.text[-12:]}): it is kept and marked as truncated; "
                "add the rest of its text if you have it",
            )
        headline, lines, subtitle = headline_parts(draft.headline)
        return Article(
            id=draft.id,
            headline=headline,
            headline_lines=lines,
            line=draft.line,
            level=draft.level,
            kicker=draft.kicker,
            subtitle=subtitle,
            bylines=tuple(draft.bylines),
            dateline=draft.dateline,
            blocks=tuple(blocks),
            truncated=truncated,
        )

    def finish(self) -> list[Section]:
        sections: list[Section] = []
        for sec in self.sections:
            if sec.articles:
                articles = tuple(self.repair(a) for a in sec.articles)
                sections.append(Section(sec.title, sec.page, articles, sec.line))
        return sections


def _is_cut(text: str) -> bool:
    text = text.rstrip()
    return bool(text) and not text.endswith(CLOSING) and not text.endswith(INTRODUCING)
