"""Draws the cover with Pillow: lines, columns and rules on a canvas, the page across or in columns."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from exporter.editions.epub.cover.layout import TIER_GAP, Block, _Content, _Headlines, _Plan
from exporter.editions.epub.cover.setting import _ASCENT, Line, _advance, _Faces, _Setter, _Style, _Unit
from exporter.theming import Theme

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1600, 2560
#: Colours a theme may set as options; the accent comes from the theme's ``accent`` option.
DEFAULT_COLOURS = {"accent": "#a4161a", "paper": "#fdfcf8", "ink": "#1b1a17", "muted": "#57534b", "rule": "#cbc5b8"}


def _colours(theme: Theme) -> dict[str, tuple[int, int, int]]:
    from PIL import ImageColor

    colours: dict[str, tuple[int, int, int]] = {}
    for key, default in DEFAULT_COLOURS.items():
        value = theme.options.get(key, default)
        try:
            rgb = ImageColor.getrgb(str(value))
        except ValueError:
            rgb = ImageColor.getrgb(default)
        colours[key] = (rgb[0], rgb[1], rgb[2])
    return colours


def _sideways(text: str, squeezed: bool, font: ImageFont.FreeTypeFont, width: float, size: float) -> Image.Image:
    """A mask of ``text`` set across, squeezed into one em (縦中横) or turned to read downwards."""
    from PIL import Image, ImageDraw

    box = (max(1, math.ceil(width)), max(1, math.ceil(size)))
    mask = Image.new("L", box, 0)
    ImageDraw.Draw(mask).text((0, _ASCENT * size), text, font=font, fill=255, anchor="ls")
    if squeezed:  # two digits squeezed into one em
        return mask.resize((max(1, round(0.96 * size)), box[1]), Image.Resampling.LANCZOS)
    return mask.transpose(Image.Transpose.ROTATE_270)  # turned a quarter clockwise, to read downwards


class _Canvas:
    """The image being drawn, with the theme's faces and colours: lines across, columns down, rules."""

    def __init__(self, image: Image.Image, faces: _Faces, colours: dict[str, tuple[int, int, int]]) -> None:
        from PIL import ImageDraw

        self.image = image
        self.draw: ImageDraw.ImageDraw = ImageDraw.Draw(image)
        self.faces = faces
        self.colours = colours

    def style(self, role: str, weight: int, size: float, colour: str) -> _Style:
        return _Style(role, weight, size, self.colours[colour])

    def setter(self, style: _Style, vertical: bool) -> _Setter:
        return _Setter(self.faces, style, vertical)

    def hline(self, line: Line, style: _Style, x: float, baseline: float) -> None:
        """A line of text from ``x`` on the baseline."""
        size = style.size
        for unit in line:
            for piece in unit.pieces:
                if piece.face is not None:
                    font = self.faces.font(piece.face, size)
                    self.draw.text((x, baseline), piece.text, font=font, fill=style.colour, anchor="ls")
                x += piece.advance * size

    def hcentred(self, line: Line, style: _Style, centre: float, top: float, pitch: float) -> None:
        """A line centred on ``centre``, in a line box of ``pitch`` from ``top``."""
        x = centre - _advance(line) * style.size / 2
        self.hline(line, style, x, top + (pitch - style.size) / 2 + _ASCENT * style.size)

    def vcolumn(self, column: Line, style: _Style, centre: float, top: float) -> None:
        """A column of text down from ``top``, centred on ``centre``."""
        size = style.size
        y = top
        for unit in column:
            for piece in unit.pieces:
                face = piece.face
                if face is not None:
                    font = self.faces.font(face, size)
                    width = self.faces.advance(face, piece.text) * size
                    if piece.kind in ("upright", "shifted") or (piece.kind == "tcy" and width <= 0.96 * size):
                        x, baseline = centre - width / 2, y + _ASCENT * size
                        if piece.kind == "shifted":
                            x, baseline = x + 0.5 * size, baseline - 0.56 * size
                        self.draw.text((x, baseline), piece.text, font=font, fill=style.colour, anchor="ls")
                    else:
                        mask = _sideways(piece.text, piece.kind == "tcy", font, width, size)
                        self.draw.bitmap((round(centre - mask.width / 2), round(y)), mask, fill=style.colour)
                y += piece.advance * size

    def rule(self, box: tuple[float, float, float, float], colour: str) -> None:
        x0, y0, x1, y1 = box
        self.draw.rectangle((round(x0), round(y0), round(x1) - 1, round(y1) - 1), fill=self.colours[colour])


class _Page:
    """One cover drawn on a canvas: what it says, its headlines' plans, and the footer both directions share."""

    margin = 120

    def __init__(self, canvas: _Canvas, content: _Content, headlines: _Headlines) -> None:
        self.canvas = canvas
        self.content = content
        self.headlines = headlines

    def hdouble(self, left: float, right: float, y: float, thick_first: bool = True) -> float:
        """A thick and a thin rule across, in the accent colour; returns the y below them."""
        first, second = (10, 3) if thick_first else (3, 10)
        self.canvas.rule((left, y, right, y + first), "accent")
        self.canvas.rule((left, y + first + 7, right, y + first + 7 + second), "accent")
        return y + first + 7 + second

    def footer(self, left: float, right: float) -> float:
        """The closing double rule, the publisher under it; returns the rule's top."""
        canvas, publisher = self.canvas, self.content.publisher
        top = HEIGHT - (200 if publisher else 150)
        self.hdouble(left, right, top, thick_first=False)
        if publisher:
            style = canvas.style("body", 400, 40, "muted")
            for line in canvas.setter(style, False).lines(publisher, right - left, 1):
                canvas.hcentred(line, style, (left + right) / 2, top + 40, style.size)
        return top

    def masthead_units(self, vertical: bool) -> list[_Unit]:
        """The paper's name in units, measured at a probe size."""
        probe = self.canvas.style("body", 900, 100, "accent")
        return self.canvas.setter(probe, vertical).units(self.content.title)


class _Horizontal(_Page):
    """The cover set across: the name over the date lines, the headlines centred one under another."""

    def draw(self) -> None:
        canvas, content = self.canvas, self.content
        left, right = self.margin, WIDTH - self.margin
        y = 130.0
        if content.title:
            y = self.masthead(left, right, y) + 44
        y = self.hdouble(left, right, y) + 30
        info = canvas.style("body", 400, 42, "ink")
        for text in ("　".join(content.dates), "　".join(content.numbers)):
            for line in canvas.setter(info, False).lines(text, right - left, 2) if text else ():
                canvas.hcentred(line, info, WIDTH / 2, y, info.size * 1.6)
                y += info.size * 1.6
        y = self.hdouble(left, right, y + 20, thick_first=False) + 70
        self.headlines_across(left, right, y, self.footer(left, right) - 70)

    def masthead(self, left: float, right: float, top: float) -> float:
        """The paper's name across, as large as fits (300 px at most), letter-spaced; returns its bottom."""
        units = self.masthead_units(False)
        tracking = 0.14 if len(units) <= 6 else 0.06
        natural = _advance(units) + tracking * (len(units) - 1)
        size = min(300.0, (right - left) / natural)
        style = self.canvas.style("body", 900, size, "accent")
        x = (left + right) / 2 - natural * size / 2
        for unit in units:
            self.canvas.hline((unit,), style, x, top + _ASCENT * size)
            x += (unit.advance + tracking) * size
        return top + size

    def headlines_across(self, left: float, right: float, top: float, bottom: float) -> None:
        """The planned headlines centred between ``top`` and ``bottom``, a short rule between two."""
        plan = self.headlines.plan(right - left, bottom - top, 1, vertical=False)
        if plan is None:
            return
        blocks = plan.tiers[0]
        heights = [sum(t.extent for t in block) for block in blocks]
        gap = plan.gap
        if len(blocks) > 1:
            gap += min((bottom - top - sum(heights) - gap * (len(blocks) - 1)) / (len(blocks) - 1), gap * 1.2)
        y = top + (bottom - top - sum(heights) - gap * (len(blocks) - 1)) / 2
        quarter = (right - left) * 0.3
        for i, block in enumerate(blocks):
            if i:
                self.canvas.rule((left + quarter, y - gap / 2 - 1, right - quarter, y - gap / 2 + 1), "rule")
            for text in block:
                y += text.before
                for line in text.lines:
                    self.canvas.hcentred(line, text.style, (left + right) / 2, y, text.pitch)
                    y += text.pitch
            y += gap


class _Vertical(_Page):
    """The cover set in columns: the name and date columns in a panel on the right, headline columns to its left."""

    def draw(self) -> None:
        canvas = self.canvas
        left, right = self.margin, WIDTH - self.margin
        top = self.hdouble(left, right, self.margin) + 50
        bottom = self.footer(left, right) - 50
        panel = (right - 360, right)
        y = top
        if self.content.title:
            y = self.masthead(sum(panel) / 2, top, top + (bottom - top) * 0.6) + 40
            canvas.rule((panel[0] + 40, y, panel[1] - 40, y + 3), "accent")
            canvas.rule((panel[0] + 40, y + 10, panel[1] - 40, y + 20), "accent")
            y += 60
        self.info(panel, y, bottom)
        canvas.rule((panel[0] - 20, top - 20, panel[0] - 10, bottom + 20), "accent")
        canvas.rule((panel[0] - 30, top - 20, panel[0] - 27, bottom + 20), "accent")
        self.headlines_down(left, panel[0] - 80, top, bottom)

    def masthead(self, centre: float, top: float, bottom: float) -> float:
        """The paper's name downwards, as large as fits (290 px at most); returns its bottom."""
        units = self.masthead_units(True)
        tracking = 0.1
        natural = _advance(units) + tracking * (len(units) - 1)
        size = min(290.0, (bottom - top) / natural)
        style = self.canvas.style("body", 900, size, "accent")
        y = top
        for unit in units:
            self.canvas.vcolumn((unit,), style, centre, y)
            y += (unit.advance + tracking) * size
        return y - tracking * size

    def info(self, panel: tuple[float, float], top: float, bottom: float) -> None:
        """Date, lunar date, issue number and edition in columns under the name, right to left."""
        style = self.canvas.style("body", 400, 44, "ink")
        setter = self.canvas.setter(style, True)
        texts = (*self.content.dates, *self.content.numbers)
        columns = [c for text in texts for c in setter.lines(text, bottom - top, 2)]
        pitch = style.size * 1.6
        x = sum(panel) / 2 + (len(columns) - 1) * pitch / 2
        for column in columns:
            self.canvas.vcolumn(column, style, x, top)
            x -= pitch

    def headlines_down(self, left: float, right: float, top: float, bottom: float) -> None:
        """Headline columns right to left, in the tiers :meth:`_Headlines.vertical_plan` chose."""
        chosen = self.headlines.vertical_plan(bottom - top, right - left)
        if chosen is None:
            return
        plan, length = chosen
        for number, blocks in enumerate(plan.tiers):
            tier_top = top + number * (length + TIER_GAP)
            if number:
                self.canvas.rule((left, tier_top - TIER_GAP / 2 - 1, right, tier_top - TIER_GAP / 2 + 1), "rule")
            _tier(self.canvas, plan, blocks, left, right, tier_top, length)


def _tier(
    canvas: _Canvas, plan: _Plan, blocks: tuple[Block, ...], left: float, right: float, top: float, length: float
) -> None:
    """One tier's blocks from the right, the spare room shared between them, a rule between two."""
    widths = [sum(t.extent for t in block) for block in blocks]
    gap = plan.gap
    if len(blocks) > 1:
        spare = right - left - sum(widths) - gap * (len(blocks) - 1)
        gap += min(spare / (len(blocks) - 1), gap * 2)
    x = right
    for i, block in enumerate(blocks):
        if i:
            canvas.rule((x + gap / 2 - 1, top + 10, x + gap / 2 + 1, top + length - 10), "rule")
        for text in block:
            x -= text.before
            for column in text.lines:
                canvas.vcolumn(column, text.style, x - text.pitch / 2, top + text.drop)
                x -= text.pitch
        x -= gap
