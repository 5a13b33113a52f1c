"""Measures a PDF's page make-up (版面): each page's fill and body lines, and what a night editor would not sign off.

What a night editor would not sign off: stranded headlines, widow and underfull pages, 转版 lines
without their pair (:data:`PAGE_KINDS`).

The report reads the lines :mod:`~exporter.audit.lines` finds, horizontal or vertical. A vertical
page (columns of characters running down, read right to left, in tiers) is measured as the page it
was laid out as before it was turned a quarter clockwise: the tiers are its columns, and its
content fills them from the right edge leftwards. Every measure below is taken along two axes of
this *flow*: **across** the columns (left to right, or tiers top to bottom) and **down** them
(top to bottom, or right to left).

**Furniture and content.** Running heads, folios and the editor's foot line are the glyphs drawn
inside ``/Artifact`` marked content (exporter marks its margin boxes so); everything else the page
draws as text or image is content. Lines (their glyphs' em boxes) and images are the content's
extent; rules and backgrounds are not (a column rule is as long as the longest column).

**The text area** (per page size and direction, for the whole PDF) runs across from the least to
the greatest extent of any page's content, and down from where the page's head margin ends to where
its foot margin begins. A margin box centres its text in the margin (CSS Paged Media), so each
margin is twice the distance from the page's edge to the middle of the ink of the furniture lines
set in it (the median over the pages that have them); a side without furniture takes the content's
extent over all pages instead, and content beyond the area widens it.

**Fill** is the mean, over the text area's width, of how far down the page's content reaches at
each point across, as a share of the area's depth: for columns of equal width, the mean over the
columns of the depth each reaches. A blank strip narrower than :data:`GAP` body ems between two
filled ones is a column gap and takes the lesser depth of the two (at the area's edge, the depth
of the one strip beside it); any other blank strip counts as empty. A page whose columns all reach
the foot reads about 1.0; one whose first column is full and whose two others are empty reads
about a third.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from exporter.audit.lines import Block, Line
from exporter.audit.reading import Box, Page

#: A blank strip across narrower than this many body ems, between two strips with content, is a column gap.
GAP = 3.0
#: A headline is set at least this many times the body size.
HEADLINE = 1.5
#: A size that this share of the inked glyphs (outside contents lists) have is a body size.
BODY_SHARE = 0.15
#: A headline needs at least this many body lines after it on its page.
KEEP_LINES = 3
#: A page under this fill is underfull, unless it is the last.
UNDERFULL = 1 / 3
#: A page holding this many body lines, or fewer (but some), is a widow page.
WIDOW_LINES = 2

#: The kinds of page finding, with what each means.
PAGE_KINDS: dict[str, str] = {
    "stranded-headline": (
        f"a headline with fewer than {KEEP_LINES} body lines after it on its page, its text going on over the page"
    ),
    "widow-page": f"a page whose content holds only {WIDOW_LINES} body lines or fewer",
    "underfull-page": "a page less than a third full that is not the last page",
    "mismatched-jump": (
        "a 下转 (上接) line whose page holds no 上接 (下转) naming the page it comes from, or names another 版"
    ),
}

_NUMERAL = "0-9〇零一二三四五六七八九十百两"
#: A 转版 line: （下转第A03版·第3页） or （上接第2页）, read with full-width digits and letters as ASCII
#: and blanks taken out.
JUMP = re.compile(rf"[（(](下[转轉]|上接)第(?:([A-Za-z0-9]{{1,4}})版[·・•‧.]第)?([{_NUMERAL}]+)[页頁][）)]")
#: Full-width digits and letters as ASCII (a jump's page and 版 may be set in either).
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF5B) if chr(code - 0xFEE0).isalnum()}
_DIGITS = dict(zip("〇零一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))


@dataclass(frozen=True)
class PageMakeup:
    """One page's make-up: whether it is vertical, how full it is (0 to 1), and its body lines."""

    page: int
    vertical: bool
    fill: float
    lines: int


@dataclass(frozen=True)
class Headline:
    """A headline and the body lines that follow it on its page."""

    page: int
    text: str
    following: int


@dataclass(frozen=True)
class Jump:
    """A 转版 line: on which page, which way (下转: continued on; 上接: continued from), the page and 版 it names."""

    page: int
    direction: str
    target: int
    label: str
    text: str


@dataclass(frozen=True)
class Mismatch:
    """A jump line whose pair is missing or elsewhere, and why."""

    jump: Jump
    reason: str


@dataclass(frozen=True)
class PageFinding:
    """One page finding: its page, kind (:data:`PAGE_KINDS`), message and the text concerned."""

    page: int
    kind: str
    message: str
    text: str = ""

    def __str__(self) -> str:
        return f"page {self.page}: {self.kind}: {self.message}" + (f" «{self.text}»" if self.text else "")


@dataclass(frozen=True)
class PageReport:
    """The make-up of a PDF: each page, then the findings of the page rules and the jumps."""

    path: str
    pages: tuple[PageMakeup, ...]
    stranded: tuple[Headline, ...]
    #: The pages holding one or two body lines.
    widows: tuple[int, ...]
    #: The pages under a third full, the last page left out.
    underfull: tuple[int, ...]
    jumps: tuple[Jump, ...]
    mismatched: tuple[Mismatch, ...]
    #: Whether the PDF marks its furniture as artifacts (else running heads count as content).
    artifacts: bool

    @property
    def findings(self) -> tuple[PageFinding, ...]:
        """The findings of the page rules, in page order (and kind order on a page)."""
        fill = {p.page: p for p in self.pages}
        found = [
            PageFinding(h.page, "stranded-headline", _lines(h.following, "after it on the page"), h.text)
            for h in self.stranded
        ]
        found += [PageFinding(n, "widow-page", _lines(fill[n].lines, "on the page")) for n in self.widows]
        found += [
            PageFinding(n, "underfull-page", f"{fill[n].fill:.0%} full, under a third, and not the last page")
            for n in self.underfull
        ]
        found += [PageFinding(m.jump.page, "mismatched-jump", m.reason, m.jump.text) for m in self.mismatched]
        order = list(PAGE_KINDS)
        return tuple(sorted(found, key=lambda f: (f.page, order.index(f.kind))))


def _lines(n: int, where: str) -> str:
    return f"{n} body line{'s' * (n != 1)} {where}"


def page_report(pdf: Path) -> PageReport:
    """The page report of the PDF at ``pdf``; AuditError if it cannot be read."""
    from exporter.audit.lines import find_blocks, find_lines
    from exporter.audit.reading import read_pages

    read = []
    for page in read_pages(pdf):
        lines = find_lines(page.glyphs)
        read.append((page, lines, find_blocks(lines)))
    return report_of(str(pdf), read)


def report_of(path: str, read: Sequence[tuple[Page, list[Line], list[Block]]]) -> PageReport:
    """The page report of pages already read: each page with its lines and blocks (those of :func:`page_report`)."""
    flows = [_Flow.of(page, lines) for page, lines, _ in read]
    sizes = body_sizes([line for flow in flows for line in flow.content])
    size = min(sizes, default=0.0)
    areas = _areas(flows)
    pages, stranded, widows, underfull = [], [], [], []
    last = len(read)
    for flow in flows:
        area = areas[flow.key]
        body = [line for line in flow.content if _is_body(line, sizes)]
        fill = _fill(flow, area, size)
        pages.append(PageMakeup(flow.number, flow.vertical, round(fill, 3), len(body)))
        if 0 < len(body) <= WIDOW_LINES:
            widows.append(flow.number)
        if fill < UNDERFULL and flow.number != last:
            underfull.append(flow.number)
        if flow.number != last:
            stranded += _stranded(flow, body, sizes, area)
    jumps = [jump for flow in flows for jump in _jumps(flow)]
    return PageReport(
        path,
        tuple(pages),
        tuple(stranded),
        tuple(widows),
        tuple(underfull),
        tuple(jumps),
        tuple(_mismatched(jumps, len(read))),
        any(page.artifacts for page, _, _ in read),
    )


# -- the flow: the page as laid out, before a vertical page was turned ---------------------------


@dataclass(frozen=True)
class _Flow:
    """A page on its flow's axes: its content lines and images, and its furniture lines, as boxes (across, down)."""

    number: int
    vertical: bool
    #: The page's extent across and down.
    size: tuple[float, float]
    content: tuple[Line, ...]
    boxes: tuple[tuple[float, float, float, float], ...]
    images: tuple[tuple[float, float, float, float], ...]
    furniture: tuple[tuple[float, float, float, float], ...]

    @property
    def key(self) -> tuple[bool, int, int]:
        return (self.vertical, round(self.size[0]), round(self.size[1]))

    @staticmethod
    def of(page: Page, lines: list[Line]) -> _Flow:
        content = [line for line in lines if not _furniture(line)]
        weights = {way: sum(len(line.inked) for line in content if line.vertical == way) for way in (False, True)}
        vertical = weights[True] > weights[False]
        width = page.width or max((g.box[2] for g in page.glyphs), default=0.0)
        height = page.height

        def flow(box: Box) -> tuple[float, float, float, float]:
            x0, y0, x1, y1 = box
            if vertical:  # across: down the page as shown; down the flow: leftwards from the right edge
                return (height - y1, width - x1, height - y0, width - x0)
            return (x0, height - y1, x1, height - y0)

        return _Flow(
            page.number,
            vertical,
            (height, width) if vertical else (width, height),
            tuple(content),
            tuple(flow(line.box) for line in content),
            tuple(flow(box) for box in page.images),
            tuple(flow(_ink(line)) for line in lines if _furniture(line)),
        )


def _ink(line: Line) -> Box:
    """The rectangle the line's ink takes (its em boxes' when no ink was read)."""
    inks = [g.ink for g in line.glyphs if g.ink is not None]
    if not inks:
        return line.box
    return (min(b[0] for b in inks), min(b[1] for b in inks), max(b[2] for b in inks), max(b[3] for b in inks))


def _furniture(line: Line) -> bool:
    return sum(1 for g in line.glyphs if g.artifact) * 2 > len(line.glyphs)


@dataclass(frozen=True)
class _Area:
    """The text area of pages of one size and direction, on the flow's axes: across a0–a1, down d0–d1."""

    a0: float
    a1: float
    d0: float
    d1: float


def _areas(flows: Sequence[_Flow]) -> dict[tuple[bool, int, int], _Area]:
    areas = {}
    for key in {flow.key for flow in flows}:
        group = [flow for flow in flows if flow.key == key]
        depth = group[0].size[1]
        extents = [box for flow in group for box in (*flow.boxes, *flow.images)]
        if not extents:
            areas[key] = _Area(0.0, group[0].size[0], 0.0, depth)
            continue
        heads = [(b[1] + b[3]) / 2 for flow in group for b in flow.furniture if (b[1] + b[3]) / 2 < depth / 4]
        feet = [(b[1] + b[3]) / 2 for flow in group for b in flow.furniture if (b[1] + b[3]) / 2 > depth * 3 / 4]
        top = min(b[1] for b in extents)
        bottom = max(b[3] for b in extents)
        if heads:
            top = min(top, 2 * statistics.median(heads))
        if feet:
            bottom = max(bottom, depth - 2 * (depth - statistics.median(feet)))
        areas[key] = _Area(min(b[0] for b in extents), max(b[2] for b in extents), top, bottom)
    return areas


def _fill(flow: _Flow, area: _Area, size: float) -> float:
    """How far down the page's content reaches, averaged across the text area (the module's docstring)."""
    width, depth = area.a1 - area.a0, area.d1 - area.d0
    if width <= 0 or depth <= 0:
        return 0.0
    boxes = [
        (max(b[0], area.a0), min(b[2], area.a1), min(max(b[3], area.d0), area.d1))
        for b in (*flow.boxes, *flow.images)
        if min(b[2], area.a1) > max(b[0], area.a0)
    ]
    edges = sorted({area.a0, area.a1, *(b[0] for b in boxes), *(b[1] for b in boxes)})
    strips: list[tuple[float, float | None]] = []  # (width, depth reached or None)
    for a, b in itertools.pairwise(edges):
        if b <= a:
            continue
        middle = (a + b) / 2
        reached = [d for s, e, d in boxes if s <= middle <= e]
        strips.append((b - a, max(reached) if reached else None))
    total = 0.0
    i = 0
    while i < len(strips):
        if strips[i][1] is not None:
            total += strips[i][0] * (strips[i][1] - area.d0)  # type: ignore[operator]
            i += 1
            continue
        j = i
        while j < len(strips) and strips[j][1] is None:
            j += 1
        run = sum(w for w, _ in strips[i:j])
        near = [strips[k][1] for k in (i - 1, j) if 0 <= k < len(strips)]
        reached = [d for d in near if d is not None]
        if reached and run < GAP * size:  # a column gap, or the blank a column's ragged lines leave at the edge
            total += run * (min(reached) - area.d0)
        i = j
    return min(1.0, max(0.0, total / (width * depth)))


# -- lines, headlines, jumps ----------------------------------------------------------------------


def _contents(line: Line) -> bool:
    return line.block is not None and line.block.contents


def body_sizes(lines: Sequence[Line]) -> tuple[float, ...]:
    """The sizes of body text: each that at least :data:`BODY_SHARE` of the inked glyphs have, outside contents lists.

    An issue may set its lead story larger than the others: both are body text.
    """
    weights: dict[float, int] = {}
    for line in lines:
        if not _contents(line):
            weights[round(line.em, 1)] = weights.get(round(line.em, 1), 0) + len(line.inked)
    total = sum(weights.values())
    return tuple(sorted(size for size, n in weights.items() if n >= BODY_SHARE * total))


def _is_body(line: Line, sizes: Sequence[float]) -> bool:
    """A content line in a body size (within 3%), outside a contents list's blocks of leader dots."""
    return any(abs(line.em - size) <= 0.03 * size for size in sizes) and not _contents(line)


def _stranded(flow: _Flow, body: list[Line], sizes: Sequence[float], area: _Area) -> list[Headline]:
    """The page's headlines whose story goes on over the page with fewer than :data:`KEEP_LINES` body lines
    after them on it, and no headline below them on the page.

    A headline is a block of lines set :data:`HEADLINE` times the largest body size or larger. A
    body line (or an entry of a contents list) follows the lowest headline above it: the print edition's
    stories span the page's width, their columns under their headline, or stand side by side as modules, each
    headline over its own columns (headlines level with each other share the width at the midpoints between
    them, and a line follows the one over its middle). A story goes on over the page
    when nothing follows its headline, or the lines that do reach the foot of the text area (within
    :data:`KEEP_LINES` lines): a short story whose columns end higher ended on the page.
    """
    size = max(sizes, default=0.0)
    body = body + [line for line in flow.content if _contents(line)]
    box = dict(zip(map(id, flow.content), flow.boxes, strict=True))
    heads: list[tuple[tuple[float, float, float, float], str]] = []
    seen: set[int] = set()
    for line in flow.content:
        if line.em >= HEADLINE * size and line.block is not None and id(line.block) not in seen:
            seen.add(id(line.block))
            parts = [box[id(one)] for one in line.block.lines if id(one) in box]
            extent = (
                min(p[0] for p in parts),
                min(p[1] for p in parts),
                max(p[2] for p in parts),
                max(p[3] for p in parts),
            )
            heads.append((extent, "".join(one.text for one in line.block.lines)))
    regions = _regions([h for h, _ in heads])
    following = [0] * len(heads)
    deepest = [0.0] * len(heads)
    for line in body:
        a0, d0, a1, d1 = box[id(line)]
        middle = (a0 + a1) / 2
        above = [
            i for i, (h, _) in enumerate(heads) if h[3] <= d0 + 0.1 * size and regions[i][0] <= middle < regions[i][1]
        ]
        if above:
            owner = max(above, key=lambda i: heads[i][0][3])
            following[owner] += 1
            deepest[owner] = max(deepest[owner], d1)
    found = []
    for i, (h, text) in enumerate(heads):
        # A headline with another below it on the page (over its columns or not: the 报头 over the 导读's title)
        # is not the page's last: its text, if any, is above the next.
        below = any(k[1] >= h[3] - 0.1 * size for j, (k, _) in enumerate(heads) if j != i)
        goes_on = not following[i] or deepest[i] >= area.d1 - KEEP_LINES * 1.8 * size
        if following[i] < KEEP_LINES and not below and goes_on:
            found.append(Headline(flow.number, text, following[i]))
    return found


def _regions(heads: Sequence[tuple[float, float, float, float]]) -> list[tuple[float, float]]:
    """The stretch across the page each headline's story takes: the whole width, or for headlines level with
    others (modules side by side), the stretch between the midpoints to its neighbours' middles."""
    regions = []
    for h in heads:
        level = sorted((k[0] + k[2]) / 2 for k in heads if k[1] < h[3] and h[1] < k[3])
        middle = (h[0] + h[2]) / 2
        i = level.index(middle)
        start = (level[i - 1] + middle) / 2 if i > 0 else float("-inf")
        end = (level[i + 1] + middle) / 2 if i + 1 < len(level) else float("inf")
        regions.append((start, end))
    return regions


def _jumps(flow: _Flow) -> list[Jump]:
    """The 转版 lines of the page, in the order of its blocks: each block's text read as one, blanks taken out."""
    found = []
    seen: set[int] = set()
    for line in flow.content:
        if line.block is None or id(line.block) in seen:
            continue
        seen.add(id(line.block))
        text = re.sub(r"\s+", "", "".join(one.text for one in line.block.lines).translate(_HALF_WIDTH))
        for match in JUMP.finditer(text):
            direction = "下转" if match[1].startswith("下") else "上接"
            found.append(Jump(flow.number, direction, number(match[3]), match[2] or "", match[0]))
    return found


def number(numeral: str) -> int:
    """A page number in Arabic digits, or in Chinese numerals: 三, 十二, 二十, 一百零五, or digit by digit (一〇五)."""
    if numeral.isdigit() and numeral.isascii():
        return int(numeral)
    if "十" not in numeral and "百" not in numeral:
        value = 0
        for ch in numeral:
            value = value * 10 + _DIGITS[ch]
        return value
    value, digit = 0, 0
    for ch in numeral:
        if ch == "百":
            value += (digit or 1) * 100
            digit = 0
        elif ch == "十":
            value += (digit or 1) * 10
            digit = 0
        else:
            digit = _DIGITS[ch]
    return value + digit


def _mismatched(jumps: Sequence[Jump], pages: int) -> list[Mismatch]:
    """Each jump whose pair is not where it says, or that gives a page another 版 than the other jumps do."""
    found = []
    labels: dict[int, set[str]] = {}
    for jump in jumps:
        if jump.label:
            labels.setdefault(jump.target, set()).add(jump.label)
    for jump in jumps:
        other = "上接" if jump.direction == "下转" else "下转"
        pairs = [j.page for j in jumps if j.direction == other and j.target == jump.page]
        if not 1 <= jump.target <= pages:
            reason = f"names page {jump.target}, and the PDF has {pages}"
        elif jump.target in pairs:
            if len(labels.get(jump.target, ())) > 1:
                named = "、".join(sorted(labels[jump.target]))
                reason = f"page {jump.target} is named as more than one 版 ({named})"
            else:
                continue
        elif pairs:
            where = "、".join(map(str, pairs))
            reason = f"the {other} naming page {jump.page} is on page {where}, not page {jump.target}"
        else:
            reason = f"page {jump.target} holds no {other} naming page {jump.page}"
        found.append(Mismatch(jump, reason))
    return found
