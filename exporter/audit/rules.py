"""The composition findings of one page's lines, one function per kind, as a newspaper desk would mark them.

Each kind has a short, stable name (:data:`KINDS`, documented in docs/typography.md). Lengths are
in ems of the glyphs concerned. Which lines are **body text**: the lines in the page's body size
(the size most of its inked glyphs have, within 3%; on a page of fewer than :data:`FEW_GLYPHS`
glyphs, the document's), in a block of two lines or more, most of whose lines have no leader dots
(a contents page's). A line's end is measured only in a block whose measure is known: two of its
lines, or of a block in the same column, end together. Headlines, captions, running heads,
page numbers and a contents page's entries are not, and only the kinds that hold for any line
(prohibitions, punctuation gaps, tracking, dashes) look at them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from exporter.audit.lines import CLOSING, MAX_STEP, OPENING, Block, Cell, Line

#: The kinds of finding, in the order they are listed, with what each means.
KINDS: dict[str, str] = {
    "line-start": "a line starts with a closing mark (，。、；：？！）」』》”’ …… —— and the like)",
    "line-end": "a line ends with an opening mark (（「『《“‘ and the like)",
    "punct-gap": "two adjacent punctuation marks with more than half an em of blank between their ink",
    "latin-gap": "a CJK–Latin gap left at a line's start or end (more than 0.1 em of blank before the edge)",
    "tracking": "letters or digits of one word or number spaced apart (6 . 8 %)",
    "short-line": "a line inside a paragraph that ends more than a quarter em short of the measure",
    "lone-char": "a paragraph's last line holding one character (with its closing marks)",
    "broken-dash": "a —— or …… split across two lines, or a —— drawn as two dashes with a gap",
}

#: A page with fewer inked glyphs than this takes the document's body size.
FEW_GLYPHS = 200
#: Marks that may start a paragraph but not a line inside one.
_NOT_AFTER_A_BREAK = set("…‥—―·・‧%‰℃")
#: Full-width punctuation whose gaps between neighbours count.
_MARKS = {c for c in CLOSING | OPENING if not c.isascii()} | set("…—―·")
_DASHES = set("—―")
_ELLIPSES = set("…⋯")
#: Blank between two marks' ink beyond which they are not set close: half an em.
PUNCT_GAP = 0.5
#: Blank before a line's edge that a CJK–Latin gap leaves: more than 0.1 em.
LATIN_GAP = 0.1
#: A line inside a paragraph may end this short of the measure: a quarter em.
SHORT = 0.25
#: Blank between two letters or digits beyond their advance that counts as tracking.
TRACKING = 0.03
#: A word or a number: letters and digits, with the marks that live inside numbers (6.8%, 1,000).
_WORD = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.,%]*[A-Za-z0-9%])?")
#: Blank between two dashes' ink that breaks a ——.
DASH_GAP = 0.05


@dataclass(frozen=True)
class Finding:
    """One thing a desk would send back: its page, kind, what is wrong, and the line with a marker."""

    page: int
    kind: str
    message: str
    #: The line's text in reading order, with ‸ where the fault is when that helps.
    text: str
    #: "font" when every glyph concerned had its ink read from its font, "model" when the class model stood in.
    ink: str
    #: The line's rectangle in points from the page's top left corner as shown: left, top, right, bottom.
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _ink_source(*cells: Cell) -> str:
    return "font" if all(c.measured for c in cells) else "model"


def _marked(line: Line, at: int) -> str:
    """The line's text with ‸ before its ``at``-th cell."""
    parts = [(" " if c.glyph.text.isspace() else c.text) for c in line.cells]
    parts.insert(at, "‸")
    return "".join(parts).strip()


def body_size(lines: Sequence[Line]) -> float | None:
    """The size (em) most inked glyphs of these lines have, or None when there are too few of them."""
    weights: dict[float, int] = {}
    for line in lines:
        key = round(line.em, 1)
        weights[key] = weights.get(key, 0) + len(line.inked)
    if sum(weights.values()) < FEW_GLYPHS:
        return None
    return max(weights.items(), key=lambda item: (item[1], item[0]))[0]


def is_body(line: Line, size: float) -> bool:
    """Whether the line is body text: in the body size, in a block of two lines or more.

    A block most of whose lines have leader dots is a table of contents, not body text.
    """
    block = line.block
    if block is None or len(block.lines) < 2 or block.contents:
        return False
    return abs(line.em - size) <= 0.03 * size


def audit_page(number: int, height: float, blocks: Sequence[Block], size: float) -> list[Finding]:
    """Every finding of the page (``height`` points tall) whose blocks are given, in the order of the lines drawn."""
    findings: list[Finding] = []
    indent = _usual_indent(blocks, size)
    for block in blocks:
        for line in block.lines:
            found = _prohibitions(number, line) + _punct_gaps(number, line)
            found += _tracking(number, line) + _dashes(number, line)
            if is_body(line, size):
                found += _edges(number, line, indent) + _lone(number, line)
            x0, y0, x1, y1 = line.box
            where = (round(x0, 1), round(height - y1, 1), round(x1, 1), round(height - y0, 1))
            findings += [replace(finding, box=where) for finding in found]
    return findings


def _usual_indent(blocks: Sequence[Block], size: float) -> float:
    """The page's paragraph indent, in em: the median of its body lines' that start with no Latin."""
    indents = [
        (line.start - block.start) / line.em
        for block in blocks
        for line in block.lines
        if is_body(line, size) and line.start - block.start > 0.5 * line.em and not _is_latin(line.inked[0].text[:1])
    ]
    indents.sort()
    return indents[len(indents) // 2] if indents else 2.0


def _continuation(line: Line) -> bool:
    """Whether the line goes on a paragraph begun on an earlier line (of its block, or a column before)."""
    block = line.block
    if block is None or line.start - block.start > 0.5 * line.em:
        return False
    if line.index == 0:
        return block.indents
    return not block.lines[line.index - 1].last_of_paragraph


def _prohibitions(page: int, line: Line) -> list[Finding]:
    found = []
    inked = line.inked
    first, last = inked[0], inked[-1]
    head = first.text[:1]
    if head in CLOSING or (head in _NOT_AFTER_A_BREAK and _continuation(line) and not _split_pair(line)):
        found.append(Finding(page, "line-start", f"the line starts with {head}", _marked(line, 0), _ink_source(first)))
    tail = last.text[-1:]
    if tail in OPENING:
        found.append(
            Finding(page, "line-end", f"the line ends with {tail}", _marked(line, len(line.cells)), _ink_source(last))
        )
    return found


def _split_pair(line: Line) -> bool:
    """Whether the line starts with the second half of a —— or …… that the line before ends with (a broken-dash)."""
    block = line.block
    if block is None or line.index == 0:
        return False
    tail, head = block.lines[line.index - 1].inked[-1].text, line.inked[0].text
    return (tail in _DASHES and head in _DASHES) or (tail in _ELLIPSES and head in _ELLIPSES)


def _neighbours(line: Line) -> list[tuple[int, Cell, Cell]]:
    """Each pair of inked cells next to each other (no blank glyph between), with the second's index."""
    pairs = []
    for i in range(1, len(line.cells)):
        a, b = line.cells[i - 1], line.cells[i]
        if a.ink is not None and b.ink is not None:
            pairs.append((i, a, b))
    return pairs


def _punct_gaps(page: int, line: Line) -> list[Finding]:
    found = []
    for i, a, b in _neighbours(line):
        if a.text in _MARKS and b.text in _MARKS and not (a.text in _DASHES and b.text in _DASHES):
            if a.text in _ELLIPSES and b.text in _ELLIPSES:
                continue
            assert a.ink is not None and b.ink is not None
            blank = (b.ink[0] - a.ink[1]) / line.em
            if blank > PUNCT_GAP:
                found.append(
                    Finding(
                        page,
                        "punct-gap",
                        f"{blank:.2f} em of blank between the ink of {a.text} and {b.text}",
                        _marked(line, i),
                        _ink_source(a, b),
                    )
                )
    return found


def _tracking(page: int, line: Line) -> list[Finding]:
    """Gaps wider than the advance inside a word or number: a run of letters and digits, with . , % inside it."""
    found = []
    spaces_drawn = any(c.glyph.text.isspace() for c in line.cells)
    texts = "".join(c.text if len(c.text) == 1 else "\ufffc" for c in line.cells)
    wide: list[int] = []
    for run in _WORD.finditer(texts):
        for i in range(run.start() + 1, run.end()):
            a, b = line.cells[i - 1], line.cells[i]
            blank = (b.start - a.end) / line.em
            # A blank of a space's width with no space drawn is a word space, unless the line draws its spaces.
            if TRACKING < blank < (MAX_STEP if spaces_drawn else 0.2):
                wide.append(i)
    if wide:
        found.append(
            Finding(
                page,
                "tracking",
                f"{len(wide)} gap{'s' * (len(wide) != 1)} inside a word or number wider than its letters' advance",
                _marked(line, wide[0]),
                "font",
            )
        )
    return found


def _dashes(page: int, line: Line) -> list[Finding]:
    found = []
    for i, a, b in _neighbours(line):
        if a.text in _DASHES and b.text in _DASHES:
            assert a.ink is not None and b.ink is not None
            blank = (b.ink[0] - a.ink[1]) / line.em
            if blank > DASH_GAP:
                found.append(
                    Finding(
                        page,
                        "broken-dash",
                        f"—— drawn as two dashes with {blank:.2f} em of blank between them",
                        _marked(line, i),
                        _ink_source(a, b),
                    )
                )
    block = line.block
    if block is not None and line.index + 1 < len(block.lines):
        following = block.lines[line.index + 1]
        tail, head = line.inked[-1].text, following.inked[0].text
        for pair, name in ((_DASHES, "——"), (_ELLIPSES, "……")):
            if tail in pair and head in pair:
                found.append(
                    Finding(
                        page,
                        "broken-dash",
                        f"{name} split across two lines",
                        _marked(line, len(line.cells)) + " / " + following.text,
                        _ink_source(line.inked[-1], following.inked[0]),
                    )
                )
    return found


def _edges(page: int, line: Line, indent: float) -> list[Finding]:
    """CJK–Latin gaps at the line's ends, and a line short of the measure."""
    found = []
    block = line.block
    assert block is not None
    em = line.em
    first, last = line.inked[0], line.inked[-1]
    offset = (line.start - block.start) / em
    if offset > 0.5:  # indented: measured from the page's usual indent
        offset -= indent if abs(offset - indent) < 0.5 else round(offset)
    if _is_latin(first.text[:1]) and LATIN_GAP < offset <= 0.5:
        found.append(
            Finding(
                page,
                "latin-gap",
                f"{offset:.2f} em of blank before {first.text} at the line's start",
                line.text,
                "font",
            )
        )
    if line.last_of_paragraph or not block.measured:  # the end of a line is measured against a known measure
        return found
    short = (block.end - line.end) / em
    if _is_latin(last.text[-1:]) and LATIN_GAP < short <= 0.5:
        found.append(
            Finding(
                page, "latin-gap", f"{short:.2f} em of blank after {last.text} at the line's end", line.text, "font"
            )
        )
    elif short > SHORT:
        found.append(
            Finding(
                page,
                "short-line",
                f"ends {short:.2f} em short of the measure inside a paragraph",
                _marked(line, len(line.cells)),
                "font",
            )
        )
    return found


def _lone(page: int, line: Line) -> list[Finding]:
    block = line.block
    assert block is not None
    if not line.last_of_paragraph or line.index == 0 or block.lines[line.index - 1].last_of_paragraph:
        return []
    letters = [c.text for c in line.inked if c.text not in CLOSING]
    if len(letters) == 1 and line.inked[0].text == letters[0]:
        return [
            Finding(page, "lone-char", f"the paragraph's last line holds one character: {line.text}", line.text, "font")
        ]
    return []
