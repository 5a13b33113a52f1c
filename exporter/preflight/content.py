"""Reads what each page paints: interprets its content streams and tallies colours, text, images, marks and fonts.

The page's content, the form XObjects it draws (recursively, each with its ``/Matrix``), the tiling
patterns it fills with and the appearance streams of its annotations are interpreted with the
graphics state a press cares about: the CTM (``q``/``Q``/``cm``), the fill and stroke colour
spaces and values, the overprint parameters of ``gs`` (``/OP``, ``/op``, ``/OPM``), the font and
the text rendering mode. Nothing is rendered: :mod:`exporter.preflight.ink` does that.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

#: A PDF matrix ``[a b c d e f]``.
Matrix = tuple[float, float, float, float, float, float]
#: A rectangle ``(x0, y0, x1, y1)`` in the page's default user space, x0 <= x1 and y0 <= y1.
Rect = tuple[float, float, float, float]

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

#: The colour-space families a press cannot separate without a conversion.
NOT_FOR_PRESS = frozenset({"DeviceRGB", "CalRGB", "ICCBased RGB", "Lab", "ICCBased Lab"})
#: The families whose values are process inks (C, M, Y, K) or, for grey, K alone.
_CMYK = frozenset({"DeviceCMYK", "ICCBased CMYK"})
_GRAY = frozenset({"DeviceGray", "CalGray", "ICCBased Gray"})

_FILLS = frozenset({"f", "F", "f*", "B", "B*", "b", "b*"})
_STROKES = frozenset({"S", "s", "B", "B*", "b", "b*"})
_SHOWS = frozenset({"Tj", "TJ", "'", '"'})
_TRANSPARENT_BLENDS = frozenset({"/Normal", "/Compatible"})


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """The matrix that applies ``m`` and then ``n`` (``m × n`` in the PDF's row-vector convention)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    """The point ``(x, y)`` transformed by ``m``."""
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def bounds(points: list[tuple[float, float]]) -> Rect:
    """The bounding box of some points."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


@dataclass(frozen=True)
class Space:
    """A colour space as a press sees it: its family (``DeviceRGB``, ``ICCBased CMYK``, ``Separation All``…)
    and how many components its colour values have."""

    family: str
    components: int


@dataclass(frozen=True)
class ImageUse:
    """One placement of an image: its pixels, its placed size (mm) and its effective resolution (ppi)."""

    name: str
    width: int
    height: int
    placed_width_mm: float
    placed_height_mm: float
    ppi: float
    space: str


@dataclass
class PageContent:
    """What one page paints: a tally the interpreter adds to as it goes."""

    #: (family, what) -> painting operators: what is "text", "paths", "images" or "shadings".
    uses: Counter[tuple[str, str]] = field(default_factory=Counter)
    images: list[ImageUse] = field(default_factory=list)
    #: The boxes of painted paths, in default user space.
    paths: list[Rect] = field(default_factory=list)
    #: Font dictionaries used, by identity, with the character codes each showed.
    fonts: dict[Any, tuple[Any, set[bytes]]] = field(default_factory=dict)
    rich_black_text: int = 0
    knockout_black_text: int = 0
    #: What makes the page transparent, with counts ("ExtGState /ca 0.5", "image /SMask"...).
    transparency: Counter[str] = field(default_factory=Counter)


_GRAY_SPACE = Space("DeviceGray", 1)


@dataclass(frozen=True)
class _State:
    """The graphics state the interpreter tracks: ``q`` saves it as it is, each operator makes a new one."""

    ctm: Matrix = IDENTITY
    fill: Space = _GRAY_SPACE
    stroke: Space = _GRAY_SPACE
    fill_values: tuple[float, ...] = (0.0,)
    stroke_values: tuple[float, ...] = (0.0,)
    fill_pattern: Any = None
    stroke_pattern: Any = None
    fill_overprint: bool = False
    stroke_overprint: bool = False
    overprint_mode: int = 0
    font: Any = None
    render_mode: int = 0


def space_of(obj: Any, resources: Any) -> Space:
    """The colour space a ``cs``/``CS`` operand, an image's ``/ColorSpace`` or a shading's names.

    A device space is replaced by the resources' ``/DefaultGray``, ``/DefaultRGB`` or ``/DefaultCMYK``
    when there is one; an ICC-based space is named by its number of components (``/N``).
    """
    import pikepdf

    if isinstance(obj, pikepdf.Name):
        name = str(obj)
        device = {"/DeviceGray": 1, "/DeviceRGB": 3, "/DeviceCMYK": 4, "/G": 1, "/RGB": 3, "/CMYK": 4}
        if name in device:
            full = {1: "DeviceGray", 3: "DeviceRGB", 4: "DeviceCMYK"}[device[name]]
            default = _resource(resources, "/ColorSpace", "/Default" + full[6:])
            if default is not None:
                return space_of(default, None)
            return Space(full, device[name])
        if name == "/Pattern":
            return Space("Pattern", 0)
        found = _resource(resources, "/ColorSpace", name)
        if found is None:
            return Space(f"unknown {name}", 1)
        return space_of(found, None)
    if isinstance(obj, pikepdf.Array) and len(obj) > 0:
        kind = str(obj[0])
        if kind == "/ICCBased":
            stream = obj[1]
            n = int(stream.get("/N", 0))
            named = {1: "Gray", 3: "RGB", 4: "CMYK"}.get(n, f"{n} components")
            if n == 3 and _icc_space(stream) == b"Lab ":
                named = "Lab"
            return Space(f"ICCBased {named}", n)
        if kind in ("/CalRGB", "/Lab"):
            return Space(kind[1:], 3)
        if kind == "/CalGray":
            return Space("CalGray", 1)
        if kind in ("/Indexed", "/I"):
            base = space_of(obj[1], resources)
            return Space(base.family, 1)
        if kind == "/Separation":
            return Space(f"Separation {str(obj[1])[1:]}", 1)
        if kind == "/DeviceN":
            names = "+".join(str(n)[1:] for n in obj[1])
            return Space(f"DeviceN {names}", len(obj[1]))
        if kind == "/Pattern":
            return Space("Pattern", 0)
        return space_of(obj[0], resources)
    return Space("unknown", 1)


def _icc_space(stream: Any) -> bytes:
    """The data colour space of an ICC profile's header (``b"CMYK"``, ``b"RGB "``, ``b"Lab "``...)."""
    try:
        return bytes(stream.read_bytes()[16:20])
    except Exception:  # a profile that cannot be decoded: its /N alone tells
        return b""


def _resource(resources: Any, kind: str, name: str) -> Any:
    """The resource ``name`` of category ``kind`` (``/Font``, ``/XObject``...), or None."""
    if resources is None:
        return None
    category = resources.get(kind)
    if category is None:
        return None
    return category.get(name)


def _numbers(operands: list[Any]) -> tuple[float, ...]:
    """The numeric operands (a pattern's name, or junk, left out)."""
    return tuple(float(x) for x in operands if _numeric(x))


def _numeric(x: Any) -> bool:
    try:
        float(x)
    except (TypeError, ValueError):
        return False
    return True


def _cmyk(space: Space, values: tuple[float, ...]) -> tuple[float, float, float, float] | None:
    """The process-ink values of a colour, or None when it is not CMYK or grey."""
    if space.family in _CMYK and len(values) == 4:
        return values[0], values[1], values[2], values[3]
    if space.family in _GRAY and len(values) == 1:
        return 0.0, 0.0, 0.0, 1.0 - values[0]
    return None


class Interpreter:
    """Interprets one page's content streams into a :class:`PageContent`."""

    def __init__(self) -> None:
        self.content = PageContent()
        self._forms: list[Any] = []  # the forms being interpreted: a form that draws itself is not followed
        self._patterns: set[Any] = set()  # the tiling patterns interpreted: once each
        self._in_pattern = 0

    def page(self, page: Any) -> PageContent:
        """Interprets the page, its annotations' normal appearances included."""
        import pikepdf

        resources = page.obj.get("/Resources")
        group = page.obj.get("/Group")
        if group is not None and str(group.get("/S")) == "/Transparency":
            self.content.transparency["page transparency group"] += 1
        self._run(pikepdf.parse_content_stream(page), resources, _State())
        for annotation in page.obj.get("/Annots", []):
            appearance = self._appearance(annotation)
            if appearance is not None:
                self._form(appearance, _State(ctm=self._annotation_matrix(annotation, appearance)))
        return self.content

    @staticmethod
    def _appearance(annotation: Any) -> Any:
        """The normal appearance stream an annotation prints with, or None (hidden, or none)."""
        flags = int(annotation.get("/F", 0))
        if flags & 2 or not flags & 4:  # hidden, or not printed
            return None
        normal = annotation.get("/AP", {}).get("/N")
        if normal is None:
            return None
        if not hasattr(normal, "read_bytes"):  # a dictionary of states
            state = annotation.get("/AS")
            normal = normal.get(str(state)) if state is not None else None
        return normal

    @staticmethod
    def _annotation_matrix(annotation: Any, form: Any) -> Matrix:
        """The matrix that maps the form's space to the annotation's /Rect (ISO 32000-1 §12.5.5)."""
        matrix = _matrix(form.get("/Matrix"))
        box = [float(v) for v in form.get("/BBox", [0, 0, 1, 1])]
        rect = [float(v) for v in annotation.get("/Rect", [0, 0, 1, 1])]
        corners = [apply(matrix, x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
        x0, y0, x1, y1 = bounds(corners)
        sx = (rect[2] - rect[0]) / (x1 - x0) if x1 > x0 else 1.0
        sy = (rect[3] - rect[1]) / (y1 - y0) if y1 > y0 else 1.0
        # _form applies the form's /Matrix itself: this is what comes after it
        return (sx, 0.0, 0.0, sy, min(rect[0], rect[2]) - x0 * sx, min(rect[1], rect[3]) - y0 * sy)

    def _form(self, form: Any, state: _State) -> None:
        """Interprets a form XObject with the state at its ``Do`` (its /Matrix applied first)."""
        import pikepdf

        identity = form.objgen if form.is_indirect else form.unparse()
        if identity in self._forms:
            return
        group = form.get("/Group")
        if group is not None and str(group.get("/S")) == "/Transparency":
            self.content.transparency["form transparency group"] += 1
        inner = replace(state, ctm=multiply(_matrix(form.get("/Matrix")), state.ctm))
        self._forms.append(identity)
        try:
            self._run(pikepdf.parse_content_stream(form), form.get("/Resources"), inner)
        finally:
            self._forms.pop()

    def _run(self, instructions: list[Any], resources: Any, state: _State) -> None:
        """Interprets a list of content-stream instructions with ``resources``, from ``state``."""
        import pikepdf

        stack: list[_State] = []
        base = state.ctm
        path: list[tuple[float, float]] = []
        for instruction in instructions:
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                self._inline_image(instruction.iimage, resources, state)
                continue
            op = str(instruction.operator)
            operands = list(instruction.operands)
            if op == "q":
                stack.append(state)
            elif op == "Q":
                if stack:
                    state = stack.pop()
            elif op == "cm" and len(operands) == 6:
                m = _numbers(operands)
                state = replace(state, ctm=multiply((m[0], m[1], m[2], m[3], m[4], m[5]), state.ctm))
            elif op in ("m", "l") and len(operands) == 2:
                path.append(apply(state.ctm, float(operands[0]), float(operands[1])))
            elif op in ("c", "v", "y"):
                values = _numbers(operands)
                path += [apply(state.ctm, values[i], values[i + 1]) for i in range(0, len(values) - 1, 2)]
            elif op == "re" and len(operands) == 4:
                x, y, w, h = _numbers(operands)
                path += [apply(state.ctm, x + dx, y + dy) for dx in (0, w) for dy in (0, h)]
            elif op in _FILLS or op in _STROKES:
                self._paint(op, path, state, base)
                path = []
            elif op == "n":
                path = []
            elif op in ("cs", "CS") and operands:
                space = space_of(operands[0], resources)
                # the initial colour: black (K 100% in CMYK, 0 in grey), else each component 0
                initial = (0.0, 0.0, 0.0, 1.0) if space.family in _CMYK else (0.0,) * space.components
                state = _set_colour(state, op == "cs", space, initial, None)
            elif op in ("sc", "scn", "SC", "SCN"):
                fill = op.islower()
                space = state.fill if fill else state.stroke
                state = _set_colour(state, fill, space, _numbers(operands), self._pattern(operands, resources))
            elif op in ("g", "G", "rg", "RG", "k", "K"):
                device = {"g": "/DeviceGray", "rg": "/DeviceRGB", "k": "/DeviceCMYK"}[op.lower()]
                space = space_of(pikepdf.Name(device), resources)
                state = _set_colour(state, op.islower(), space, _numbers(operands), None)
            elif op == "gs" and operands:
                state = self._ext_g_state(_resource(resources, "/ExtGState", str(operands[0])), state)
            elif op == "Tf" and operands:
                state = replace(state, font=_resource(resources, "/Font", str(operands[0])))
            elif op == "Tr" and operands:
                state = replace(state, render_mode=int(operands[0]))
            elif op in _SHOWS:
                self._show(operands, state)
            elif op == "Do" and operands:
                self._do(_resource(resources, "/XObject", str(operands[0])), str(operands[0]), state, resources)
            elif op == "sh" and operands:
                shading = _resource(resources, "/Shading", str(operands[0]))
                if shading is not None:
                    self.content.uses[(space_of(shading.get("/ColorSpace"), resources).family, "shadings")] += 1

    def _paint(self, op: str, path: list[tuple[float, float]], state: _State, base: Matrix) -> None:
        """Tallies a painted path: its colours, and its box for the marks check."""
        if path and not self._in_pattern:  # a pattern's cells repeat over the area it fills: no mark
            self.content.paths.append(bounds(path))
        if op in _FILLS:
            self._use(state.fill, state.fill_pattern, "paths", base)
        if op in _STROKES:
            self._use(state.stroke, state.stroke_pattern, "paths", base)

    def _use(self, space: Space, pattern: Any, what: str, base: Matrix) -> None:
        """Tallies one use of a colour: a pattern's own colours for a pattern colour."""
        if space.family != "Pattern":
            self.content.uses[(space.family, what)] += 1
            return
        if pattern is None:
            return
        if int(pattern.get("/PatternType", 1)) == 2:
            shading = pattern.get("/Shading")
            if shading is not None:
                self.content.uses[(space_of(shading.get("/ColorSpace"), None).family, "shadings")] += 1
            return
        # a tiling pattern: its cells are painted in the pattern space, the page's (or the form's) own
        identity = pattern.objgen if pattern.is_indirect else pattern.unparse()
        if identity in self._patterns:
            return
        self._patterns.add(identity)
        self._in_pattern += 1
        try:
            self._form(pattern, _State(ctm=base))
        finally:
            self._in_pattern -= 1

    @staticmethod
    def _pattern(operands: list[Any], resources: Any) -> Any:
        import pikepdf

        if operands and isinstance(operands[-1], pikepdf.Name):
            return _resource(resources, "/Pattern", str(operands[-1]))
        return None

    def _ext_g_state(self, gs: Any, state: _State) -> _State:
        """The state with an ExtGState's overprint parameters; notes the ExtGState's transparency."""
        import pikepdf

        if gs is None:
            return state
        if "/OP" in gs:
            state = replace(state, stroke_overprint=bool(gs.OP))
            if "/op" not in gs:  # /OP alone sets both (ISO 32000-1 table 58)
                state = replace(state, fill_overprint=bool(gs.OP))
        if "/op" in gs:
            state = replace(state, fill_overprint=bool(gs.get("/op")))
        if "/OPM" in gs:
            state = replace(state, overprint_mode=int(gs.OPM))
        soft = gs.get("/SMask")
        if soft is not None and str(soft) != "/None":
            self.content.transparency["ExtGState soft mask"] += 1
        for key in ("/ca", "/CA"):
            if key in gs and float(gs[key]) < 1:
                self.content.transparency[f"ExtGState {key} {float(gs[key]):g}"] += 1
        blend = gs.get("/BM")
        if blend is not None:
            first = str(blend[0]) if isinstance(blend, pikepdf.Array) and len(blend) else str(blend)
            if first not in _TRANSPARENT_BLENDS:
                self.content.transparency[f"ExtGState /BM {first}"] += 1
        return state

    def _show(self, operands: list[Any], state: _State) -> None:
        """Tallies one text-showing operator: its colour, its kind of black and the codes it shows."""
        import pikepdf

        codes = b"".join(
            bytes(x)
            for operand in operands
            for x in (operand if isinstance(operand, pikepdf.Array) else [operand])
            if isinstance(x, pikepdf.String)
        )
        if state.font is not None:
            font = state.font
            identity = font.objgen if font.is_indirect else font.unparse()
            self.content.fonts.setdefault(identity, (font, set()))[1].add(codes)
        mode = state.render_mode  # 0 fill, 1 stroke, 2 both, 3 invisible; 4 to 7 the same, and clip
        if mode in (0, 2, 4, 6):
            self.content.uses[(state.fill.family, "text")] += 1
            ink = _cmyk(state.fill, state.fill_values)
            if ink is not None and ink[3] >= 0.9:
                if sum(ink[:3]) > 0.02:
                    self.content.rich_black_text += 1
                elif not (state.fill_overprint and state.overprint_mode == 1):
                    self.content.knockout_black_text += 1
        if mode in (1, 2, 5, 6):
            self.content.uses[(state.stroke.family, "text")] += 1

    def _do(self, xobject: Any, name: str, state: _State, resources: Any) -> None:
        """Interprets a form, or tallies an image's placement."""
        if xobject is None:
            return
        subtype = str(xobject.get("/Subtype"))
        if subtype == "/Form":
            self._form(xobject, state)
        elif subtype == "/Image":
            if bool(xobject.get("/ImageMask", False)):
                space = state.fill
                self._use(state.fill, state.fill_pattern, "images", state.ctm)
            else:
                named = xobject.get("/ColorSpace")
                space = space_of(named, resources) if named is not None else Space("JPEG 2000 own space", 0)
                self.content.uses[(space.family, "images")] += 1
            soft = xobject.get("/SMask")
            if soft is not None and str(soft) != "/None":
                self.content.transparency["image /SMask"] += 1
            self.content.images.append(
                _placement(name, int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0)), state.ctm, space)
            )

    def _inline_image(self, image: Any, resources: Any, state: _State) -> None:
        """Tallies an inline image (``BI``…``EI``) like an image XObject."""
        import pikepdf

        obj = image.obj
        mask = bool(obj.get("/ImageMask", obj.get("/IM", False)))
        if mask:
            space = state.fill
            self._use(state.fill, state.fill_pattern, "images", state.ctm)
        else:
            named = obj.get("/ColorSpace", obj.get("/CS", pikepdf.Name("/DeviceGray")))
            space = space_of(named, resources)
            self.content.uses[(space.family, "images")] += 1
        width = int(obj.get("/Width", obj.get("/W", 0)))
        height = int(obj.get("/Height", obj.get("/H", 0)))
        self.content.images.append(_placement("inline image", width, height, state.ctm, space))


def _placement(name: str, width: int, height: int, ctm: Matrix, space: Space) -> ImageUse:
    """An image's placement: the unit square through the CTM gives its size on the page."""
    placed_w = math.hypot(ctm[0], ctm[1])  # points
    placed_h = math.hypot(ctm[2], ctm[3])
    ppi_w = width / (placed_w / 72) if placed_w else math.inf
    ppi_h = height / (placed_h / 72) if placed_h else math.inf
    return ImageUse(
        name.lstrip("/"),
        width,
        height,
        round(placed_w * 25.4 / 72, 1),
        round(placed_h * 25.4 / 72, 1),
        round(min(ppi_w, ppi_h), 1),
        space.family,
    )


def _set_colour(state: _State, fill: bool, space: Space, values: tuple[float, ...], pattern: Any) -> _State:
    """The state with a new fill (or stroke) colour: its space, its values and its pattern (or None)."""
    if fill:
        return replace(state, fill=space, fill_values=values, fill_pattern=pattern)
    return replace(state, stroke=space, stroke_values=values, stroke_pattern=pattern)


def _matrix(value: Any) -> Matrix:
    if value is None or len(value) != 6:
        return IDENTITY
    m = [float(v) for v in value]
    return (m[0], m[1], m[2], m[3], m[4], m[5])
