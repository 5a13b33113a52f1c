"""Draws the EPUB cover of an issue as a JPEG: masthead, date line, issue number and leading headlines.

The cover is 1600×2560 pixels, drawn with Pillow in the theme's fonts and colours: the paper's name
large in the ``accent`` colour over a double rule, the date with its weekday, the lunar date, the
issue number and the edition, then the headlines of the first four to six articles (kicker above,
subtitle below) and a footer with the publisher. A theme whose EPUB edition is written
``vertical-rl`` gets a vertical cover: the name and the headlines in columns of characters, top to
bottom and right to left, punctuation in its vertical forms (or turned when no font has them),
numbers of one or two digits upright side by side (縦中横) and Latin words turned sideways.

Every character comes from the first face of its role's chain that maps it, so the traditional
characters the shipped GB 2312 fonts lack come from the system's Noto CJK faces; a character no
face has is an error, never a blank box. The same issue and theme give byte-identical JPEGs:
nothing depends on the time, and the encoder writes no EXIF.

Pillow is imported inside the functions that draw.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from exporter import fonts
from exporter.errors import FontError
from exporter.model import Article, Issue, Masthead
from exporter.text.typography import vertical_quotes
from exporter.theming import Theme

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1600, 2560
#: JPEG settings: baseline (not progressive), optimised Huffman tables, no chroma subsampling so
#: that thin red strokes stay sharp.
JPEG_OPTIONS: dict[str, object] = {"quality": 88, "optimize": True, "progressive": False, "subsampling": 0}
#: Colours a theme may set as options; the accent comes from the theme's ``accent`` option.
DEFAULT_COLOURS = {"accent": "#a4161a", "paper": "#fdfcf8", "ink": "#1b1a17", "muted": "#57534b", "rule": "#cbc5b8"}
#: How many articles the cover lists, at most and (when the issue has them) at least.
MOST_HEADLINES, FEWEST_HEADLINES = 6, 4

# CJK fonts draw ideographs in an em box from 0.12 em below the baseline to 0.88 em above it.
_ASCENT = 0.88
_MEASURE_SIZE = 1000
_LATIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.,%+\-/:'’&]*[A-Za-z0-9%])?")
_TOKEN = re.compile(_LATIN.pattern + r"|—+|―+|…+|\s+|.", re.S)
# Kinsoku (禁则): these never start a line or column, those never end one.
_CLOSING = frozenset("，。、；：？！）》」』”’〉】〕〗］｝),.;:?!]}…—―·～%％‰")
_OPENING = frozenset("（《「『“‘〈【〔〖［｛([{")
# Unicode's vertical presentation forms, used when a face of the chain has them.
_VERTICAL_FORMS = str.maketrans(
    {
        "，": "︐",
        "、": "︑",
        "。": "︒",
        "：": "︓",
        "；": "︔",
        "！": "︕",
        "？": "︖",
        "「": "﹁",
        "」": "﹂",
        "『": "﹃",
        "』": "﹄",
        "（": "︵",
        "）": "︶",
        "《": "︽",
        "》": "︾",
        "〈": "︿",
        "〉": "﹀",
        "【": "︻",
        "】": "︼",
        "〔": "︹",
        "〕": "︺",
        "〖": "︗",
        "〗": "︘",
        "｛": "︷",
        "｝": "︸",
        "［": "﹇",
        "］": "﹈",
        "…": "︙",
        "‥": "︰",
        "—": "︱",
        "―": "︱",
        "–": "︲",
    }
)
# Without a vertical form, these move from the lower left of the em box to its upper right.
_SHIFTED = frozenset("，。、．")
# Without a vertical form, these are turned a quarter clockwise like Latin text.
_TURNED = frozenset("（）《》〈〉「」『』【】〔〕〖〗｛｝［］…‥—―–～：；")

# A line or column may end after these at no cost; elsewhere a break costs :data:`_BREAK_COST`.
_BREAK_AFTER = frozenset("，。、；：？！…—,.;:?!")
# The cost of a break between two characters of a phrase, as a share of the line's length.
_BREAK_COST = 0.25
_SCALES = (1.15, 1.05, 1.0, 0.92, 0.85)
_VERTICAL_SCALES = (1.4, 1.3, 1.2, *_SCALES)
_SMALL_SCALES = (0.78, 0.7, 0.62, 0.55)

Kind = Literal["run", "upright", "shifted", "tcy", "turned", "space"]


@dataclass(frozen=True)
class _Piece:
    """Text drawn one way in one face; ``advance`` is its length along the line, in em."""

    text: str
    face: fonts.Face | None
    kind: Kind
    advance: float


@dataclass(frozen=True)
class _Unit:
    """What a line may not be broken inside: a character with the punctuation it holds, a Latin word."""

    text: str
    pieces: tuple[_Piece, ...]
    advance: float

    @property
    def space(self) -> bool:
        return self.text.isspace()


Line = tuple[_Unit, ...]


@dataclass(frozen=True)
class _Style:
    """A role at a weight, size and colour."""

    role: str
    weight: int
    size: float
    colour: tuple[int, int, int]


@dataclass(frozen=True)
class _Text:
    """Lines (or columns) in one style: their pitch, the space before them, and (in columns) their drop."""

    lines: tuple[Line, ...]
    style: _Style
    pitch: float
    before: float = 0.0
    drop: float = 0.0
    breaks: int = 0

    @property
    def extent(self) -> float:
        return self.before + len(self.lines) * self.pitch


Block = tuple[_Text, ...]


@dataclass(frozen=True)
class _Plan:
    """The headlines the cover shows: their blocks in tiers, the least gap between blocks, the scale."""

    tiers: tuple[tuple[Block, ...], ...]
    gap: float
    scale: float

    @property
    def count(self) -> int:
        return sum(len(tier) for tier in self.tiers)

    @property
    def breaks(self) -> int:
        """How many times a headline had to be broken where its text does not break it."""
        return sum(text.breaks for tier in self.tiers for block in tier for text in block)


def render_cover(issue: Issue, theme: Theme) -> bytes:
    """The issue's EPUB cover, 1600×2560 pixels, as JPEG bytes; vertical when the EPUB edition is.

    Raises :class:`FontError` when a character of the cover is in no face of its role's chain.
    """
    from PIL import Image

    colours = _colours(theme)
    image = Image.new("RGB", (WIDTH, HEIGHT), colours["paper"])
    cover = _Cover(issue, theme, image, colours)
    if theme.edition("epub")["writing_mode"] == "vertical-rl":
        cover.draw_vertical()
    else:
        cover.draw_horizontal()
    out = io.BytesIO()
    image.save(out, "JPEG", **JPEG_OPTIONS)
    return out.getvalue()


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


class _Faces:
    """The theme's faces for the cover: a chain per role and weight, glyph lookup, Pillow fonts."""

    def __init__(self, theme: Theme, language: str) -> None:
        self.chains = fonts.resolve(
            theme.font_roles(language),
            theme.font_dirs,
            origin=str(theme.path / "theme.toml"),
        )
        self._chains: dict[tuple[str, int], tuple[fonts.Face, ...]] = {}
        self._has: dict[tuple[Path, int, str], bool] = {}
        self._fonts: dict[tuple[Path, int, int], ImageFont.FreeTypeFont] = {}
        self._advances: dict[tuple[Path, int, str], float] = {}

    def chain(self, role: str, weight: int) -> tuple[fonts.Face, ...]:
        """The role's families in order, each by its face nearest ``weight`` (the heavier on a tie)."""
        key = (role, weight)
        if key not in self._chains:
            faces = self.chains.get(role) or self.chains.get("body") or next(iter(self.chains.values()))
            families: dict[str, list[fonts.Face]] = {}
            for face in faces:
                families.setdefault(face.family, []).append(face)
            self._chains[key] = tuple(
                min(group, key=lambda f: (abs(f.weight - weight), f.style != "normal", -f.weight))
                for group in families.values()
            )
        return self._chains[key]

    def has(self, face: fonts.Face, char: str) -> bool:
        """Whether the face's cmap maps ``char``."""
        key = (face.path, face.index, char)
        if key not in self._has:
            self._has[key] = not fonts.coverage([(0, char)], [face])
        return self._has[key]

    def find(self, char: str, chain: Sequence[fonts.Face]) -> fonts.Face | None:
        """The first face of ``chain`` that maps ``char``."""
        return next((face for face in chain if self.has(face, char)), None)

    def font(self, face: fonts.Face, size: float) -> ImageFont.FreeTypeFont:
        from PIL import ImageFont

        px = max(1, round(size))
        key = (face.path, face.index, px)
        if key not in self._fonts:
            self._fonts[key] = ImageFont.truetype(
                str(face.path), px, index=face.index, layout_engine=ImageFont.Layout.BASIC
            )
        return self._fonts[key]

    def advance(self, face: fonts.Face, text: str) -> float:
        """The width of ``text`` set horizontally in ``face``, in em."""
        key = (face.path, face.index, text)
        if key not in self._advances:
            self._advances[key] = self.font(face, _MEASURE_SIZE).getlength(text) / _MEASURE_SIZE
        return self._advances[key]


class _Setter:
    """Breaks text into units and lines (or columns) in one style, horizontal or vertical."""

    def __init__(self, faces: _Faces, style: _Style, vertical: bool) -> None:
        self.faces = faces
        self.style = style
        self.vertical = vertical
        self.chain = faces.chain(style.role, style.weight)

    def _face(self, char: str) -> fonts.Face:
        face = self.faces.find(char, self.chain)
        if face is None:
            families = ", ".join(dict.fromkeys(f.family for f in self.chain))
            raise FontError(
                f"the cover needs {char!r} (U+{ord(char):04X}), which none of the {self.style.role!r} role's "
                f"fonts has ({families}): install fonts-noto-cjk or add a font that has it to the role"
            )
        return face

    def units(self, text: str) -> list[_Unit]:
        """The units of one paragraph, each punctuation mark held by its neighbour as kinsoku wants."""
        if self.vertical:
            text = vertical_quotes(text)
        groups: list[str] = []
        for token in _TOKEN.findall(text):
            if token.isspace():
                if groups and not groups[-1].isspace():
                    groups.append("　" if "　" in token else " ")
            elif groups and not groups[-1].isspace() and (token[0] in _CLOSING or groups[-1][-1] in _OPENING):
                groups[-1] += token
            else:
                groups.append(token)
        while groups and groups[-1].isspace():
            groups.pop()
        units: list[_Unit] = []
        for i, group in enumerate(groups):
            if group == " " and groups[i - 1][-1].isascii() and groups[i + 1][0].isascii():
                space = self.faces.advance(self.chain[0], " ")  # a word space between Latin words
                units.append(_Unit(group, (_Piece(group, None, "space", space),), space))
            else:
                units.append(self.unit(group))
        return units

    def unit(self, group: str) -> _Unit:
        """One unit: a space, or text set as horizontal runs or as vertical pieces."""
        if group.isspace():
            pieces: list[_Piece] = [_Piece(group, None, "space", 1.0 if group == "　" else 0.5)]
        elif self.vertical:
            pieces = self._vertical_pieces(group)
        else:
            pieces = self._runs(group, "run")
        return _Unit(group, tuple(pieces), sum(p.advance for p in pieces))

    def _runs(self, text: str, kind: Kind) -> list[_Piece]:
        """Horizontal runs of ``text``, one per face."""
        runs: list[tuple[str, fonts.Face]] = []
        for char in text:
            face = self._face(char)
            if runs and runs[-1][1] == face:
                runs[-1] = (runs[-1][0] + char, face)
            else:
                runs.append((char, face))
        return [_Piece(run, face, kind, self.faces.advance(face, run)) for run, face in runs]

    def _vertical_pieces(self, group: str) -> list[_Piece]:
        """Ideographs upright, punctuation in vertical forms, 1–2 digits side by side, Latin turned."""
        pieces: list[_Piece] = []
        turned = ""

        def flush() -> None:
            nonlocal turned
            if turned:
                pieces.extend(self._runs(turned, "turned"))
                turned = ""

        for token in _TOKEN.findall(group):
            if _LATIN.fullmatch(token):
                face = self._face(token[0])
                if token.isdigit() and len(token) <= 2 and all(self.faces.has(face, c) for c in token):
                    flush()
                    pieces.append(_Piece(token, face, "tcy", 1.0))
                else:
                    turned += token
                continue
            for char in token:
                form = char.translate(_VERTICAL_FORMS)
                form_face = self.faces.find(form, self.chain) if form != char else None
                if form_face is not None:
                    flush()
                    pieces.append(_Piece(form, form_face, "upright", 1.0))
                elif char in _SHIFTED:
                    flush()
                    pieces.append(_Piece(char, self._face(char), "shifted", 1.0))
                elif char in _TURNED or unicodedata.east_asian_width(char) not in ("W", "F"):
                    turned += char
                else:
                    flush()
                    pieces.append(_Piece(char, self._face(char), "upright", 1.0))
        flush()
        return pieces

    def lines(self, text: str, limit_px: float, most: int) -> tuple[Line, ...]:
        """``text`` in lines of at most ``limit_px``, evened out, breaking at punctuation where it can.

        A newline in ``text`` forces a break. Beyond ``most`` lines the text is cut, and the
        last line kept ends with an ellipsis (……).
        """
        limit = limit_px / self.style.size
        lines: list[Line] = []
        for paragraph in text.split("\n"):
            units: list[_Unit] = []
            for unit in self.units(paragraph):
                if unit.advance > limit:  # longer than the line: break it anywhere
                    units.extend(self.unit(c) for c in unit.text)
                else:
                    units.append(unit)
            if units:
                lines += _even(units, limit, len(_greedy(units, limit)))
        if len(lines) > most:
            lines = lines[:most]
            ellipsis = self.unit("……")
            last = list(lines[-1])
            while last and _advance(_strip(last)) + ellipsis.advance > limit:
                last.pop()
            lines[-1] = (*_strip(last), ellipsis)
        return tuple(lines)


def _strip(units: Sequence[_Unit]) -> tuple[_Unit, ...]:
    start, end = 0, len(units)
    while start < end and units[start].space:
        start += 1
    while end > start and units[end - 1].space:
        end -= 1
    return tuple(units[start:end])


def _advance(units: Iterable[_Unit]) -> float:
    return sum(u.advance for u in units)


def _greedy(units: Sequence[_Unit], limit: float) -> list[Line]:
    """Lines filled as far as they go."""
    lines: list[Line] = []
    current: list[_Unit] = []
    for unit in units:
        if current and not unit.space and _advance(_strip([*current, unit])) > limit + 1e-9:
            lines.append(_strip(current))
            current = []
        current.append(unit)
    lines.append(_strip(current))
    return [line for line in lines if line]


def _even(units: Sequence[_Unit], limit: float, count: int) -> list[Line]:
    """``count`` lines of even length, preferring breaks after punctuation and at spaces.

    Dynamic programming over the break points: a line costs the square of what it leaves empty,
    and a break between two characters of a phrase costs as much as leaving a quarter line empty.
    """
    size = len(units)
    if count <= 1:
        return _greedy(units, limit)
    prefix = [0.0]
    for unit in units:
        prefix.append(prefix[-1] + unit.advance)

    def width(i: int, j: int) -> float:
        w = prefix[j] - prefix[i]
        if units[i].space:
            w -= units[i].advance
        if j - 1 > i and units[j - 1].space:
            w -= units[j - 1].advance
        return w

    def penalty(j: int) -> float:
        before, after = units[j - 1], units[j]
        if before.space or after.space or before.text[-1] in _BREAK_AFTER:
            return 0.0
        return (_BREAK_COST * limit) ** 2

    inf = math.inf
    best = [[inf] * (size + 1) for _ in range(count + 1)]
    back = [[0] * (size + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    for k in range(1, count + 1):
        for j in range(1, size + 1):
            for i in range(j - 1, k - 2, -1):
                w = width(i, j)
                if w > limit + 1e-9:
                    break
                if best[k - 1][i] == inf or (j - i == 1 and units[i].space):
                    continue
                cost = best[k - 1][i] + (limit - w) ** 2 + (penalty(i) if i else 0.0)
                if cost < best[k][j]:
                    best[k][j], back[k][j] = cost, i
    if best[count][size] == inf:
        return _greedy(units, limit)
    lines: list[Line] = []
    j = size
    for k in range(count, 0, -1):
        i = back[k][j]
        lines.append(_strip(units[i:j]))
        j = i
    return [line for line in reversed(lines) if line]


def _date(masthead: Masthead) -> str | None:
    if masthead.date is None:
        return None
    day = masthead.date
    text = f"{day.year}年{day.month}月{day.day}日"
    return f"{text} {masthead.weekday}" if masthead.weekday else text


def _pack(extents: Sequence[float], gap: float, room: float, tiers: int) -> list[list[int]] | None:
    """The blocks split, in order, into one or two tiers that each fit ``room``, filled as evenly as can be."""

    def filled(indices: Sequence[int]) -> float:
        return sum(extents[i] for i in indices) + gap * (len(indices) - 1)

    everything = list(range(len(extents)))
    if tiers == 1 or len(extents) < 2:
        return [everything] if filled(everything) <= room else None
    splits = [[everything[:k], everything[k:]] for k in range(1, len(extents))]
    good = [s for s in splits if all(filled(t) <= room for t in s)]
    if not good:
        return None
    return min(good, key=lambda s: (max(filled(t) for t in s), -len(s[0])))


class _Cover:
    """One cover being drawn: the issue's texts, the theme's faces and colours, the image."""

    margin = 120

    def __init__(
        self, issue: Issue, theme: Theme, image: Image.Image, colours: dict[str, tuple[int, int, int]]
    ) -> None:
        from PIL import ImageDraw

        self.masthead = m = issue.masthead
        self.image = image
        self.draw: ImageDraw.ImageDraw = ImageDraw.Draw(image)
        self.colours = colours
        self.faces = _Faces(theme, m.language)
        lunar = None
        if m.lunar_date and theme.options.get("lunar_date", True):
            lunar = theme.label(m.language, "lunar").format(date=m.lunar_date)
        number = theme.label(m.language, "issue_number").format(number=m.number) if m.number else None
        self.title = "".join((m.title or "").split())
        self.dates = [t for t in (_date(m), lunar) if t]
        self.numbers = [t for t in (number, m.edition) if t]
        self.publisher = (m.publisher or "").strip()
        self.articles = issue.articles[:MOST_HEADLINES]
        self._blocks: dict[tuple[str, bool, float, float, bool], Block] = {}

    def style(self, role: str, weight: int, size: float, colour: str) -> _Style:
        return _Style(role, weight, size, self.colours[colour])

    def setter(self, style: _Style, vertical: bool) -> _Setter:
        return _Setter(self.faces, style, vertical)

    # -- choosing the headlines -----------------------------------------------------------

    def block(self, article: Article, lead: bool, scale: float, length: float, vertical: bool) -> Block:
        """An article's kicker, headline and subtitle, set in lines (or columns) of ``length``."""
        key = (article.id, lead, scale, length, vertical)
        if key not in self._blocks:
            self._blocks[key] = self._block(article, lead, scale, length, vertical)
        return self._blocks[key]

    def _block(self, article: Article, lead: bool, scale: float, length: float, vertical: bool) -> Block:
        small = max(30.0, 40 * scale)
        big = (112 if lead else 84) * scale
        kicker = self.style("body", 400, small, "accent" if lead else "muted")
        headline = self.style("headline", 700, big, "ink")
        subtitle = self.style("body", 400, small, "muted")
        texts: list[_Text] = []
        if article.kicker:
            lines = self.setter(kicker, vertical).lines(article.kicker, length - 2 * big, 2)
            texts.append(_Text(lines, kicker, small * 1.5, drop=big))
        parts = [p for p in article.headline_lines or (article.headline,) if p.strip()]
        lines = self.setter(headline, vertical).lines("\n".join(parts), length, 4)
        breaks = max(0, len(lines) - len(parts))
        texts.append(_Text(lines, headline, big * 1.24, before=small * 0.3 if texts else 0.0, breaks=breaks))
        if article.subtitle:
            lines = self.setter(subtitle, vertical).lines("——" + article.subtitle, length - 2 * big, 2)
            texts.append(_Text(lines, subtitle, small * 1.5, before=small * 0.4, drop=big * 1.5))
        return tuple(texts)

    def plan(self, length: float, room: float, tiers: int, vertical: bool, unbroken: bool = False) -> _Plan | None:
        """The most articles (four to six) at the largest scale that fits, else fewer and smaller.

        With ``unbroken``, only a plan where every headline keeps to its own lines (or columns).
        """
        total = len(self.articles)
        if not total:
            return None
        fewest = min(FEWEST_HEADLINES, total)
        scales = _VERTICAL_SCALES if vertical else _SCALES
        tries = [(n, s) for n in range(total, fewest - 1, -1) for s in scales]
        if not unbroken:
            tries += [(n, s) for n in range(fewest, 0, -1) for s in _SMALL_SCALES]
        for count, scale in tries:
            chosen = self.articles[:count]
            leads = [a.level == 1 for a in chosen]
            if not any(leads):
                leads[0] = True
            blocks = [self.block(a, lead, scale, length, vertical) for a, lead in zip(chosen, leads, strict=True)]
            gap = 64 * scale
            packed = _pack([sum(t.extent for t in b) for b in blocks], gap, room, tiers)
            if packed is not None:
                plan = _Plan(tuple(tuple(blocks[i] for i in tier) for tier in packed), gap, scale)
                if not (unbroken and plan.breaks):
                    return plan
        return None

    # -- drawing --------------------------------------------------------------------------

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
        from PIL import Image, ImageDraw

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
                        box = (max(1, math.ceil(width)), max(1, math.ceil(size)))
                        mask = Image.new("L", box, 0)
                        ImageDraw.Draw(mask).text((0, _ASCENT * size), piece.text, font=font, fill=255, anchor="ls")
                        if piece.kind == "tcy":  # two digits squeezed into one em
                            mask = mask.resize((max(1, round(0.96 * size)), box[1]), Image.Resampling.LANCZOS)
                        else:  # turned a quarter clockwise, to read downwards
                            mask = mask.transpose(Image.Transpose.ROTATE_270)
                        self.draw.bitmap((round(centre - mask.width / 2), round(y)), mask, fill=style.colour)
                y += piece.advance * size

    def rule(self, box: tuple[float, float, float, float], colour: str) -> None:
        x0, y0, x1, y1 = box
        self.draw.rectangle((round(x0), round(y0), round(x1) - 1, round(y1) - 1), fill=self.colours[colour])

    def hdouble(self, left: float, right: float, y: float, thick_first: bool = True) -> float:
        """A thick and a thin rule across, in the accent colour; returns the y below them."""
        first, second = (10, 3) if thick_first else (3, 10)
        self.rule((left, y, right, y + first), "accent")
        self.rule((left, y + first + 7, right, y + first + 7 + second), "accent")
        return y + first + 7 + second

    def footer(self, left: float, right: float) -> float:
        """The closing double rule, the publisher under it; returns the rule's top."""
        top = HEIGHT - (200 if self.publisher else 150)
        self.hdouble(left, right, top, thick_first=False)
        if self.publisher:
            style = self.style("body", 400, 40, "muted")
            for line in self.setter(style, False).lines(self.publisher, right - left, 1):
                self.hcentred(line, style, (left + right) / 2, top + 40, style.size)
        return top

    # -- horizontal -----------------------------------------------------------------------

    def draw_horizontal(self) -> None:
        left, right = self.margin, WIDTH - self.margin
        y = 130.0
        if self.title:
            y = self.masthead_horizontal(left, right, y) + 44
        y = self.hdouble(left, right, y) + 30
        info = self.style("body", 400, 42, "ink")
        for text in ("　".join(self.dates), "　".join(self.numbers)):
            for line in self.setter(info, False).lines(text, right - left, 2) if text else ():
                self.hcentred(line, info, WIDTH / 2, y, info.size * 1.6)
                y += info.size * 1.6
        y = self.hdouble(left, right, y + 20, thick_first=False) + 70
        self.headlines_horizontal(left, right, y, self.footer(left, right) - 70)

    def masthead_horizontal(self, left: float, right: float, top: float) -> float:
        """The paper's name across, as large as fits (300 px at most), letter-spaced; returns its bottom."""
        probe = self.style("body", 900, 100, "accent")
        units = self.setter(probe, False).units(self.title)
        tracking = 0.14 if len(units) <= 6 else 0.06
        natural = _advance(units) + tracking * (len(units) - 1)
        size = min(300.0, (right - left) / natural)
        style = self.style("body", 900, size, "accent")
        x = (left + right) / 2 - natural * size / 2
        for unit in units:
            self.hline((unit,), style, x, top + _ASCENT * size)
            x += (unit.advance + tracking) * size
        return top + size

    def headlines_horizontal(self, left: float, right: float, top: float, bottom: float) -> None:
        plan = self.plan(right - left, bottom - top, 1, vertical=False)
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
                self.rule((left + quarter, y - gap / 2 - 1, right - quarter, y - gap / 2 + 1), "rule")
            for text in block:
                y += text.before
                for line in text.lines:
                    self.hcentred(line, text.style, (left + right) / 2, y, text.pitch)
                    y += text.pitch
            y += gap

    # -- vertical -------------------------------------------------------------------------

    def draw_vertical(self) -> None:
        left, right = self.margin, WIDTH - self.margin
        top = self.hdouble(left, right, self.margin) + 50
        bottom = self.footer(left, right) - 50
        panel = (right - 360, right)
        y = top
        if self.title:
            y = self.masthead_vertical(sum(panel) / 2, top, top + (bottom - top) * 0.6) + 40
            self.rule((panel[0] + 40, y, panel[1] - 40, y + 3), "accent")
            self.rule((panel[0] + 40, y + 10, panel[1] - 40, y + 20), "accent")
            y += 60
        self.info_vertical(panel, y, bottom)
        self.rule((panel[0] - 20, top - 20, panel[0] - 10, bottom + 20), "accent")
        self.rule((panel[0] - 30, top - 20, panel[0] - 27, bottom + 20), "accent")
        self.headlines_vertical(left, panel[0] - 80, top, bottom)

    def masthead_vertical(self, centre: float, top: float, bottom: float) -> float:
        """The paper's name downwards, as large as fits (290 px at most); returns its bottom."""
        probe = self.style("body", 900, 100, "accent")
        units = self.setter(probe, True).units(self.title)
        tracking = 0.1
        natural = _advance(units) + tracking * (len(units) - 1)
        size = min(290.0, (bottom - top) / natural)
        style = self.style("body", 900, size, "accent")
        y = top
        for unit in units:
            self.vcolumn((unit,), style, centre, y)
            y += (unit.advance + tracking) * size
        return y - tracking * size

    def info_vertical(self, panel: tuple[float, float], top: float, bottom: float) -> None:
        """Date, lunar date, issue number and edition in columns under the name, right to left."""
        style = self.style("body", 400, 44, "ink")
        setter = self.setter(style, True)
        columns = [c for text in (*self.dates, *self.numbers) for c in setter.lines(text, bottom - top, 2)]
        pitch = style.size * 1.6
        x = sum(panel) / 2 + (len(columns) - 1) * pitch / 2
        for column in columns:
            self.vcolumn(column, style, x, top)
            x -= pitch

    def headlines_vertical(self, left: float, right: float, top: float, bottom: float) -> None:
        """Headline columns right to left, in one tier or two: whichever holds the most headlines,
        then breaks none of them into columns their text does not ask for, then has the largest type.
        """
        tier_gap = 90.0
        plans: list[tuple[_Plan, float]] = []
        for tiers, unbroken in itertools.product((1, 2), (False, True)):
            length = (bottom - top - tier_gap * (tiers - 1)) / tiers
            plan = self.plan(length, right - left, tiers, vertical=True, unbroken=unbroken)
            if plan is not None:
                plans.append((plan, length))
        if not plans:
            return
        plan, length = max(plans, key=lambda p: (p[0].count, not p[0].breaks, p[0].scale, -len(p[0].tiers)))
        for number, blocks in enumerate(plan.tiers):
            tier_top = top + number * (length + tier_gap)
            if number:
                self.rule((left, tier_top - tier_gap / 2 - 1, right, tier_top - tier_gap / 2 + 1), "rule")
            widths = [sum(t.extent for t in block) for block in blocks]
            gap = plan.gap
            if len(blocks) > 1:
                spare = right - left - sum(widths) - gap * (len(blocks) - 1)
                gap += min(spare / (len(blocks) - 1), gap * 2)
            x = right
            for i, block in enumerate(blocks):
                if i:
                    self.rule((x + gap / 2 - 1, tier_top + 10, x + gap / 2 + 1, tier_top + length - 10), "rule")
                for text in block:
                    x -= text.before
                    for column in text.lines:
                        self.vcolumn(column, text.style, x - text.pitch / 2, tier_top + text.drop)
                        x -= text.pitch
                x -= gap
