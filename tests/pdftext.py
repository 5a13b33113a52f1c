"""Reads a PDF back for tests: lines with their boxes from poppler's ``pdftotext -bbox-layout``."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_LINE = re.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', re.S)
_WORD = re.compile(r"<word [^>]*>([^<]*)</word>")


@dataclass(frozen=True)
class Line:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return self.y1 - self.y0


#: Marks a line poppler cut at a half-width mark's box starts with.
_CUT_AT = frozenset("。，、；：？！）」』”’》〉】")


def lines(pdf: Path) -> list[Line]:
    """The lines poppler finds, a line it cut where a half-width mark's glyph box overlaps the next put back.

    A mark set half-width (标点挤压) keeps its full-width glyph, whose box poppler takes to reach
    half an em into the next character's (a whole em where two such marks face each other, 。“);
    poppler then starts a new line there (``pdftotext``
    shows a line break, ``-raw`` and MuPDF do not).
    """
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is not installed: run ./dev test, which installs poppler-utils"
    out = subprocess.run([tool, "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found: list[Line] = []
    for number, page in enumerate(_PAGE.finditer(out), start=1):
        for m in _LINE.finditer(page.group(3)):
            text = "".join(html.unescape(w) for w in _WORD.findall(m.group(5)))
            line = Line(number, float(m.group(1)), float(m.group(2)), float(m.group(3)), float(m.group(4)), text)
            # The line it was cut from: the one before it, or, for a line that starts with a mark, an earlier one
            # on the same baseline (poppler may have put another line between: a line start's half-width opening
            # mark reaching into the column gap can join it to the column before's line).
            at = next(
                (
                    i
                    for i in range(len(found) - 1, -1, -1)
                    if found[i].page == number
                    and abs(found[i].y1 - line.y1) < 0.1
                    and (abs(found[i].y0 - line.y0) < 0.1 or line.text[:1] in _CUT_AT)
                    and -1.05 * line.height <= line.x0 - found[i].x1 < 0
                    and (i == len(found) - 1 or line.text[:1] in _CUT_AT)
                ),
                None,
            )
            if at is not None:
                last = found[at]
                found[at] = Line(number, last.x0, last.y0, line.x1, last.y1, last.text + line.text)
            else:
                found.append(line)
    return found


def raw_text(pdf: Path) -> str:
    """The text as poppler's ``pdftotext -raw`` reads it: in the order it was drawn, line by line."""
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is not installed: run ./dev test, which installs poppler-utils"
    return subprocess.run(
        [tool, "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def plain_text(pdf: Path) -> str:
    """The text in content order (pypdf), as a viewer's copy gives it: articles column by column."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def _merge(found: list[Line], gap: float) -> list[Line]:
    """Pieces of one line that poppler split at a wide gap (after a dateline) put back together."""
    out: list[Line] = []
    for ln in sorted(found, key=lambda ln: (ln.page, round(ln.y0, 1), ln.x0)):
        last = out[-1] if out else None
        if last and last.page == ln.page and abs(last.y0 - ln.y0) < 0.5 and 0 <= ln.x0 - last.x1 <= gap:
            out[-1] = Line(last.page, last.x0, min(last.y0, ln.y0), ln.x1, max(last.y1, ln.y1), last.text + ln.text)
        else:
            out.append(ln)
    return out


def body_columns(found: list[Line], body_height: float, tolerance: float = 0.3) -> dict[tuple[int, float], list[Line]]:
    """Body lines (by their box height) grouped by page and column (the left edge, indent allowed)."""
    body = _merge([ln for ln in found if abs(ln.height - body_height) <= tolerance], 0.8 * body_height)
    lefts = sorted({round(ln.x0, 1) for ln in body})
    columns: dict[tuple[int, float], list[Line]] = {}
    for ln in body:
        # A column's left edge is the smallest x0 within 3 em to the left of this line.
        left = min(x for x in lefts if ln.x0 - 3 * body_height <= x <= ln.x0 + 0.05)
        columns.setdefault((ln.page, left), []).append(ln)
    for key in columns:
        columns[key].sort(key=lambda ln: ln.y0)
    return columns
