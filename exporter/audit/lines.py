"""Groups a page's glyphs into lines, lines into blocks with their measure, and finds where paragraphs end.

**Lines.** Glyphs are taken in the order the page draws them. A glyph joins a line when it
follows the line's last glyph along the line: to its right on the same band (horizontal), or below
it in the same column (vertical), no more than :data:`MAX_STEP` ems on; or comes just before the
line's first glyph (leader dots are drawn from the right). Which of the two a line is
comes from its first two glyphs, whatever the page's rotation; a line of one glyph takes the
page's usual direction. A glyph that follows none of the last few lines starts a new one, so that
marks drawn between a line's characters (emphasis dots) do not cut it.

**Axes.** Along a line, ``t`` grows in reading order (x, or down the page); across, ``u`` grows
from one line to the next (down the page, or leftwards between vertical columns).

**Blocks.** Consecutive lines of one direction and size, each one line pitch on from the last
(:data:`MAX_PITCH` ems at most) and starting near the block's start, make a block: a run of one
column. Its **measure** is the end most of its lines share (within :data:`EDGE` em); a block of
lines that share none takes that of a block on the page with the same start whose measure its
longest line reaches, else it has no known measure (and is not body text).

**Paragraph ends** cannot be read from a PDF; they are inferred. A line ends its paragraph when
the next line of its block is indented (starts more than half an em in), when the next line is
further on than the block's usual pitch (paragraphs set apart by space), when it is its block's
last line and short (a full line at a column's foot goes on in the next column), or, in a block
with no indented line, when it is short and ends with a stop mark. A short line is one that ends
more than a quarter em before the measure.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from exporter.audit.reading import Glyph

#: The farthest a glyph may be from the line's last glyph (blank between their cells), in em: less
#: than a column gap (CSS's default is 1 em), more than justification opens between two characters.
MAX_STEP = 0.8
#: How far a glyph's em box may reach back over the last one's, in em: a mark set half-width
#: overlaps the next glyph's box by half an em, and two touching marks set half-width on the sides
#: that face each other (。“) by a whole em, their centres then one on the other.
OVERLAP = 1.05
#: The farthest a line of a block may start from the block's start (an indent), in em.
MAX_INDENT = 3.0
#: The widest step between two lines of one block, in em of their size.
MAX_PITCH = 3.0
#: How close two line ends are to count as one edge, in em.
EDGE = 0.15
#: How many of the page's latest lines a glyph may continue (the others are closed).
OPEN_LINES = 3

#: Marks that close: their ink sits in the first half of their cell (in fonts that do not centre them).
CLOSING = set("，。、；：？！）］｝」』》〉】〕〗〙〛”’,.;:?!)]}%")
#: Marks that open: their ink sits in the second half of their cell.
OPENING = set("（［｛「『《〈【〔〖〘〚“‘([{")
#: Full-width marks whose ink is in the first half of their cell (in fonts that do not centre them).
_END_MARKS = {c for c in CLOSING if not c.isascii()}
#: Leader dots, as a contents entry has them between its title and its page.
_LEADER = re.compile(r"[.·…‥]{3,}\s*\S{0,4}$")
#: Marks that end a sentence: a short line ending with one ends its paragraph, in a block with no indents.
STOPS = set("。！？…」』”’）.!?")


@dataclass(frozen=True, slots=True)
class Cell:
    """One glyph of a line, on the line's axis: its cell and ink along the line (``t``), in page units."""

    glyph: Glyph
    start: float
    end: float
    #: The ink along the line; None for a glyph that draws nothing.
    ink: tuple[float, float] | None
    #: Whether the ink was read from the font (else it is the class model's).
    measured: bool

    @property
    def text(self) -> str:
        return self.glyph.text


@dataclass
class Line:
    """A line of text: its glyphs in reading order, its direction, size and place."""

    vertical: bool
    glyphs: list[Glyph]
    cells: list[Cell] = field(default_factory=list)
    em: float = 0.0
    #: Across the lines: the middle of the line's band.
    u: float = 0.0
    block: Block | None = None
    index: int = 0  # in its block
    last_of_paragraph: bool = False
    first_of_paragraph: bool = False

    @property
    def text(self) -> str:
        """The line's characters in reading order; a glyph that is blank shows as a space."""
        return "".join(" " if c.glyph.text.isspace() else c.text for c in self.cells).strip()

    @property
    def inked(self) -> list[Cell]:
        """The cells that draw something, in reading order."""
        return [c for c in self.cells if c.ink is not None]

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The rectangle the line's glyphs take on the page (x0, y0, x1, y1, y up)."""
        boxes = [g.box for g in self.glyphs]
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )

    @property
    def start(self) -> float:
        inked = self.inked
        return inked[0].start if inked else 0.0

    @property
    def end(self) -> float:
        """Where the line's last cell ends; a closing mark's at the end of its ink's half of the em.

        A closing mark set half-width at the end of a line (as clreq asks) keeps its full glyph box,
        which reaches half an em past the measure; one set full width leaves half an em of blank.
        """
        inked = self.inked
        if not inked:
            return 0.0
        last = inked[-1]
        if last.text in _END_MARKS and last.ink is not None and not _centres_marks(last.glyph.font):
            return last.start + 0.5 * (last.end - last.start)
        return last.end


@dataclass
class Block:
    """A run of lines of one column: their measure (start and end along the lines) and pitch."""

    lines: list[Line]
    start: float = 0.0
    end: float = 0.0
    pitch: float = 0.0
    indents: bool = False
    #: Whether the measure is known: two lines of the block (or of a block in the same column) end together.
    measured: bool = False

    @property
    def contents(self) -> bool:
        """Whether most of the block's lines have leader dots: a table of contents, not text."""
        return sum(1 for line in self.lines if _LEADER.search(line.text)) * 2 > len(self.lines)


def _centre(box: tuple[float, float, float, float]) -> tuple[float, float]:
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def _follows(g: Glyph, h: Glyph) -> str:
    """Whether ``h`` follows ``g`` along a horizontal line ("h"), a vertical one ("v"), or neither ("")."""
    em = max(g.em, h.em)
    gx0, gy0, gx1, gy1 = g.box
    hx0, hy0, hx1, hy1 = h.box
    (gcx, gcy), (hcx, hcy) = _centre(g.box), _centre(h.box)
    across_h = _overlap(gy0, gy1, hy0, hy1) >= 0.5 * min(gy1 - gy0, hy1 - hy0)
    across_v = _overlap(gx0, gx1, hx0, hx1) >= 0.5 * min(gx1 - gx0, hx1 - hx0)
    horizontal = across_h and hcx > gcx - 0.05 * em and -OVERLAP * em <= hx0 - gx1 <= MAX_STEP * em
    vertical = across_v and hcy < gcy + 0.05 * em and -OVERLAP * em <= gy0 - hy1 <= MAX_STEP * em
    if horizontal and vertical:
        return "h" if abs(hcx - gcx) >= abs(hcy - gcy) else "v"
    return "h" if horizontal else "v" if vertical else ""


def find_lines(glyphs: Sequence[Glyph]) -> list[Line]:
    """The page's lines, in the order their first glyphs are drawn, with their cells in reading order."""
    drafts: list[_Draft] = []
    open_drafts: list[_Draft] = []
    for glyph in glyphs:
        for draft in reversed(open_drafts):
            if draft.take(glyph):
                open_drafts.remove(draft)
                open_drafts.append(draft)
                break
        else:
            draft = _Draft([glyph], glyph, glyph)
            drafts.append(draft)
            open_drafts = [*open_drafts, draft][-OPEN_LINES:]
    merged: list[_Draft] = []
    for draft in drafts:  # a line drawn in two runs, the second from its far end (leader dots)
        if merged and merged[-1].join(draft):
            continue
        merged.append(draft)
    counts = {way: sum(len(d.glyphs) for d in merged if d.direction == way) for way in "hv"}
    usual = "v" if counts["v"] > counts["h"] else "h"
    lines = []
    for draft in merged:
        line = Line(vertical=(draft.direction or usual) == "v", glyphs=draft.glyphs)
        _measure(line)
        if line.inked:
            lines.append(line)
    return lines


@dataclass
class _Draft:
    """A line being gathered: its glyphs as drawn, its two ends along the line, and its direction once known."""

    glyphs: list[Glyph]
    head: Glyph
    tail: Glyph
    direction: str = ""

    def _way(self, way: str) -> bool:
        """Whether ``way`` is the line's direction, which it becomes if the line had none."""
        if way and self.direction in ("", way):
            self.direction = way
            return True
        return False

    def take(self, glyph: Glyph) -> bool:
        """Add the glyph if it follows the line's tail or comes just before its head."""
        if self._way(_follows(self.tail, glyph)):
            self.tail = glyph
        elif self._way(_follows(glyph, self.head)):
            self.head = glyph
        else:
            return False
        self.glyphs.append(glyph)
        return True

    def join(self, other: _Draft) -> bool:
        """Take the glyphs of the next line drawn if it goes on this one along the same band."""
        if self.direction and other.direction and self.direction != other.direction:
            return False
        want = self.direction or other.direction
        way = _follows(self.tail, other.head)
        if way and way == (want or way):
            self.tail = other.tail
        else:
            way = _follows(other.tail, self.head)
            if not way or way != (want or way):
                return False
            self.head = other.head
        self.direction = way
        self.glyphs.extend(other.glyphs)
        return True


def _measure(line: Line) -> None:
    """The line's cells along its axis, in reading order, its em and the middle of its band."""
    cells = []
    for g in line.glyphs:
        x0, y0, x1, y1 = g.box
        start, end = (-y1, -y0) if line.vertical else (x0, x1)
        ink: tuple[float, float] | None = None
        if g.ink is not None:
            ix0, iy0, ix1, iy1 = g.ink
            ink = (-iy1, -iy0) if line.vertical else (ix0, ix1)
        elif not g.blank:
            ink = model_ink(g.text, start, end, centred=_centres_marks(g.font))
        cells.append(Cell(g, start, end, ink, g.measured))
    cells.sort(key=lambda c: (c.start + c.end) / 2)
    # Two marks set half-width on the sides that face each other (。“, ”（) share one centre: the
    # order they were drawn in is their reading order.
    drawn = {id(g): n for n, g in enumerate(line.glyphs)}
    for n in range(1, len(cells)):
        a, b = cells[n - 1], cells[n]
        same = abs((a.start + a.end) - (b.start + b.end)) / 2 < 0.1 * a.glyph.em
        if same and drawn[id(a.glyph)] > drawn[id(b.glyph)]:
            cells[n - 1], cells[n] = b, a
    line.cells = cells
    inked = [c.glyph for c in cells if c.ink is not None] or line.glyphs
    line.em = statistics.median(g.em for g in inked)
    line.u = statistics.median(-_centre(g.box)[0] if line.vertical else -_centre(g.box)[1] for g in inked)


def _centres_marks(font: str) -> bool:
    """Whether a font (by its name) centres its punctuation, as traditional Chinese fonts do."""
    name = font.split("+")[-1].lower()
    return any(tag in name for tag in ("tc", "hk", "hant", "ming"))


def model_ink(text: str, start: float, end: float, *, centred: bool) -> tuple[float, float]:
    """Where a glyph's ink lies in its cell when its font cannot be read: by the class of its character.

    Closing marks have it in the first half of the cell, opening marks in the second, and both in
    the middle half in a font that centres them; anything else fills its cell.
    """
    half = (end - start) / 2
    if text in CLOSING or text in OPENING:
        if centred:
            return (start + half / 2, end - half / 2)
        return (start, start + half) if text in CLOSING else (start + half, end)
    return (start, end)


def find_blocks(lines: Sequence[Line]) -> list[Block]:
    """The page's blocks, each a run of lines of one column, with its measure and paragraph ends."""
    blocks: list[Block] = []
    current: Block | None = None
    for line in lines:
        if current is not None and _continues(current, line):
            current.lines.append(line)
        else:
            current = Block([line])
            blocks.append(current)
        line.block = current
        line.index = len(current.lines) - 1
    for block in blocks:
        _edges(block)
    for block in blocks:
        block.measured = _shared_end(block)
        if not block.measured:
            longest = max(line.end for line in block.lines)
            twin = next(
                (
                    b
                    for b in blocks
                    if b is not block
                    and _same_column(b, block)
                    and _shared_end(b)
                    and abs(b.end - longest) <= EDGE * block.lines[0].em
                ),
                None,
            )
            if twin is not None:
                block.end = twin.end
                block.start = min(block.start, twin.start)
                block.measured = True
        _paragraphs(block)
    return blocks


def _continues(block: Block, line: Line) -> bool:
    last = block.lines[-1]
    if line.vertical != last.vertical or abs(line.em - last.em) > 0.03 * last.em:
        return False
    step = line.u - last.u
    first = block.lines[0]
    return (
        0.8 * line.em <= step <= MAX_PITCH * line.em
        and _overlap(line.start, line.end, last.start, last.end) > 0
        and abs(line.start - min(first.start, last.start)) <= MAX_INDENT * line.em
    )


def _shared_end(block: Block) -> bool:
    ends = [line.end for line in block.lines]
    em = block.lines[0].em
    return any(sum(1 for other in ends if abs(other - end) <= EDGE * em) >= 2 for end in ends)


def _same_column(a: Block, b: Block) -> bool:
    em = b.lines[0].em
    return (
        a.lines[0].vertical == b.lines[0].vertical
        and abs(a.lines[0].em - em) <= 0.03 * em
        and abs(a.start - b.start) <= 0.5 * em
    )


def _edges(block: Block) -> None:
    """The block's start and end (those most lines share, the outermost on a tie) and pitch.

    Not the least start or the greatest end: a line that starts with an opening mark set half-width
    (or ends with a closing one) has a glyph box that reaches half an em past the edge.
    """
    lines = block.lines
    em = lines[0].em
    block.start = _shared(sorted(line.start for line in lines), em)
    block.end = _shared(sorted((line.end for line in lines), reverse=True), em)
    steps = [b.u - a.u for a, b in itertools.pairwise(lines)]
    block.pitch = statistics.median(steps) if steps else 0.0
    block.indents = any(line.start - block.start > 0.5 * em for line in lines)


def _shared(edges: list[float], em: float) -> float:
    """The edge most of ``edges`` share (within :data:`EDGE`), the first of them on a tie."""
    best, votes = edges[0], 0
    for edge in edges:
        count = sum(1 for other in edges if abs(other - edge) <= EDGE * em)
        if count > votes:
            best, votes = edge, count
    return best


def _paragraphs(block: Block) -> None:
    lines = block.lines
    for i, line in enumerate(lines):
        em = line.em
        indented = line.start - block.start > 0.5 * em
        line.first_of_paragraph = i == 0 or indented or lines[i - 1].last_of_paragraph
        short = block.end - line.end > 0.25 * em
        if i == len(lines) - 1:  # a full line at a column's foot goes on in the next
            line.last_of_paragraph = short
            continue
        following = lines[i + 1]
        line.last_of_paragraph = (
            following.start - block.start > 0.5 * em
            or following.u - line.u > 1.25 * block.pitch
            or (not block.indents and short and line.text[-1:] in STOPS)
            # a sentence that ends far from the measure ends its paragraph, whatever comes next (a subhead)
            or (block.end - line.end > 2 * em and line.text[-1:] in STOPS)
        )
