"""Sets the cover's text in units and lines (or columns): faces, kinsoku, vertical forms, line breaking."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from exporter import fonts
from exporter.errors import FontError
from exporter.text.script import LATIN_RUN, is_wide
from exporter.text.typography import vertical_quotes
from exporter.theming import Theme

if TYPE_CHECKING:
    from PIL import ImageFont

# CJK fonts draw ideographs in an em box from 0.12 em below the baseline to 0.88 em above it.
_ASCENT = 0.88
_MEASURE_SIZE = 1000
_TOKEN = re.compile(LATIN_RUN.pattern + r"|—+|―+|…+|\s+|.", re.S)
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


class _Shaper:
    """Sets a group of characters in the faces of one style: horizontal runs, or vertical pieces.

    A little over 60 lines: :meth:`vertical` decides each character's way in one place, in order.
    """

    def __init__(self, faces: _Faces, style: _Style) -> None:
        self.faces = faces
        self.style = style
        self.chain = faces.chain(style.role, style.weight)

    def face(self, char: str) -> fonts.Face:
        """The first face of the chain that maps ``char``; a :class:`FontError` when none does."""
        face = self.faces.find(char, self.chain)
        if face is None:
            families = ", ".join(dict.fromkeys(f.family for f in self.chain))
            raise FontError(
                f"the cover needs {char!r} (U+{ord(char):04X}), which none of the {self.style.role!r} role's "
                f"fonts has ({families}): install fonts-noto-cjk or add a font that has it to the role"
            )
        return face

    def runs(self, text: str, kind: Kind) -> list[_Piece]:
        """Horizontal runs of ``text``, one per face."""
        runs: list[tuple[str, fonts.Face]] = []
        for char in text:
            face = self.face(char)
            if runs and runs[-1][1] == face:
                runs[-1] = (runs[-1][0] + char, face)
            else:
                runs.append((char, face))
        return [_Piece(run, face, kind, self.faces.advance(face, run)) for run, face in runs]

    def vertical(self, group: str) -> list[_Piece]:
        """Ideographs upright, punctuation in vertical forms, 1–2 digits side by side, Latin turned."""
        pieces: list[_Piece] = []
        turned = ""

        def flush() -> None:
            nonlocal turned
            if turned:
                pieces.extend(self.runs(turned, "turned"))
                turned = ""

        for token in _TOKEN.findall(group):
            if LATIN_RUN.fullmatch(token):
                face = self.face(token[0])
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
                    pieces.append(_Piece(char, self.face(char), "shifted", 1.0))
                elif char in _TURNED or not is_wide(char):
                    turned += char
                else:
                    flush()
                    pieces.append(_Piece(char, self.face(char), "upright", 1.0))
        flush()
        return pieces


class _Setter:
    """Breaks text into units and lines (or columns) in one style, horizontal or vertical."""

    def __init__(self, faces: _Faces, style: _Style, vertical: bool) -> None:
        self.faces = faces
        self.style = style
        self.vertical = vertical
        self.shaper = _Shaper(faces, style)
        self.chain = self.shaper.chain

    def units(self, text: str) -> list[_Unit]:
        """The units of one paragraph, each punctuation mark held by its neighbour as kinsoku wants."""
        groups = _groups(vertical_quotes(text) if self.vertical else text)
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
            pieces = self.shaper.vertical(group)
        else:
            pieces = self.shaper.runs(group, "run")
        return _Unit(group, tuple(pieces), sum(p.advance for p in pieces))

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


def _groups(text: str) -> list[str]:
    """The tokens of ``text``, a closing mark joined to what it follows, an opening one to what follows it."""
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
    return groups


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
