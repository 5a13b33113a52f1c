"""Makes a print PDF press-ready: colour separated into the press's CMYK, ink limited, marks outside the bleed.

WeasyPrint draws every colour in RGB (``rg``/``RG``) and embeds pictures as they come. A newspaper
press prints four plates on newsprint, and its prepress rejects RGB, four-colour black text and more
ink than the paper takes. :func:`press_ready` rewrites the PDF once, with pikepdf (qpdf):

- **colours**: a neutral grey goes to the black plate alone, and near-black (the theme's ``#111``
  text) to 100% K, which overprints (``/op``, ``/OPM 1``), as a press expects black text to; a
  colour the theme gives in ``[edition.pdf] cmyk`` takes those values, or its spot colour; any other
  is converted by littleCMS (Pillow's ImageCms) from sRGB to the output intent's CMYK, relative
  colorimetric with black-point compensation, and held within the ink limit;
- **pictures** in RGB (or Lab) are separated the same way, perceptual with black-point compensation,
  as newspapers separate photos, and their ink held within the limit by grey-component replacement;
- **boxes and marks**: the TrimBox is the page, the BleedBox 3 mm beyond it, and the MediaBox wide
  enough for crop and registration marks outside the bleed, in the registration colour (every plate),
  colour bars and a slug naming the paper, the date, the 版 and the page, whatever way the page is turned.

numpy, pikepdf, Pillow and fontTools are imported inside the functions that use them.
"""

from __future__ import annotations

import functools
import io
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exporter.errors import ThemeError
from exporter.theming import Theme

#: Below this share of ink a grey is paper; at or above ``1 - NEAR_BLACK`` of darkness it is black.
NEAR_BLACK = 0.85
#: RGB channels within this of each other are a neutral grey, printed on the black plate alone.
NEUTRAL = 0.02
#: How far beyond the trim the bleed goes, and the marks stand (mm): the marks start past the bleed.
BLEED_MM = 3.0
MARK_OFFSET_MM = 4.0
MARK_LENGTH_MM = 5.0
#: The slug around the bleed that holds the marks, the colour bars and the slug line (mm).
SLUG_MM = 16.0
#: The marks a print PDF carries unless the theme's ``marks`` names fewer.
MARKS = ("crop", "registration", "bars", "slug")
MM = 72 / 25.4


@dataclass(frozen=True)
class Ink:
    """One colour as the press prints it: CMYK from 0 to 1, and the spot plate it is printed on, if any."""

    cmyk: tuple[float, float, float, float]
    spot: str | None = None

    @property
    def black(self) -> bool:
        """Black alone, at full strength: the colour that overprints."""
        c, m, y, k = self.cmyk
        return self.spot is None and c == m == y == 0 and k == 1

    @property
    def total(self) -> float:
        """The ink it lays down, in per cent."""
        return sum(self.cmyk) * 100


@dataclass(frozen=True)
class Press:
    """What the press prints on: its CMYK profile (the output intent), the ink the paper takes, the theme's inks."""

    profile: Path
    #: The output condition the PDF/X names (``OutputConditionIdentifier``) and says in words (``Info``).
    condition: str
    info: str
    ink_limit: int
    inks: Mapping[str, Ink] = field(default_factory=dict)
    marks: tuple[str, ...] = MARKS
    #: The faces the slug line is drawn in (file, index), first that has a character first.
    faces: tuple[tuple[Path, int], ...] = ()

    @functools.cached_property
    def profile_bytes(self) -> bytes:
        """The profile's bytes, embedded as the output intent."""
        return self.profile.read_bytes()


#: The newsprint profile exporter ships (profiles/, with its source and licence beside it).
SHIPPED_PROFILE = "newsprint-coldset-tr002.icc"
SHIPPED_CONDITION = "CGATS TR 002"
SHIPPED_INFO = "Coldset offset on newsprint (CGATS/SNAP TR 002), 240% total ink"


def shipped_profile() -> Path:
    """The shipped newsprint CMYK profile."""
    from exporter import shipped

    return shipped.folder("profiles") / SHIPPED_PROFILE


def profile_of(theme: Theme) -> Path:
    """The theme's press's CMYK profile: ``cmyk_profile`` (relative to the theme), else the shipped one."""
    named = str(theme.edition("pdf").get("cmyk_profile") or "")
    if not named:
        return shipped_profile()
    profile = Path(named).expanduser()
    return profile if profile.is_absolute() else theme.path / profile


def press_of(theme: Theme) -> Press:
    """The press the theme prints on: ``[edition.pdf]`` ``cmyk_profile``, ``ink_limit``, ``cmyk`` and ``marks``."""
    settings = theme.edition("pdf")
    toml = str(theme.path / "theme.toml")
    profile = profile_of(theme)
    if settings.get("cmyk_profile"):
        if not profile.is_file():
            raise ThemeError(
                f"[edition.pdf] cmyk_profile {profile}: no such file: give the path of the printer's CMYK profile",
                path=toml,
            )
        condition, info = _profile_name(profile, toml)
    else:
        condition, info = SHIPPED_CONDITION, SHIPPED_INFO
    limit = int(settings.get("ink_limit") or 240)
    if not 100 <= limit <= 400:
        raise ThemeError(
            f"[edition.pdf] ink_limit {limit}: give the paper's total ink in per cent, 100 to 400", path=toml
        )
    inks = {_hex(key, toml): _ink(key, value, toml) for key, value in dict(settings.get("cmyk") or {}).items()}
    marks = tuple(settings.get("marks") or ())
    unknown = [m for m in marks if m not in MARKS]
    if unknown:
        raise ThemeError(f"[edition.pdf] marks: unknown `{unknown[0]}`: use any of {', '.join(MARKS)}", path=toml)
    return Press(profile, condition, info, limit, inks, marks)


def _profile_name(profile: Path, toml: str) -> tuple[str, str]:
    """A printer's profile: checked to be an output profile in CMYK; its description names the condition."""
    from PIL import ImageCms

    try:
        opened = ImageCms.getOpenProfile(str(profile))
    except (OSError, ImageCms.PyCMSError):
        raise ThemeError(
            f"[edition.pdf] cmyk_profile {profile}: not a readable ICC profile: give the printer's CMYK profile",
            path=toml,
        ) from None
    if opened.profile.xcolor_space.strip() != "CMYK":
        raise ThemeError(
            f"[edition.pdf] cmyk_profile {profile} is a {opened.profile.xcolor_space.strip()} profile: "
            "a press needs its CMYK profile",
            path=toml,
        )
    name = (opened.profile.profile_description or profile.stem).strip()
    return name, name


def _hex(key: str, toml: str) -> str:
    """A colour of ``[edition.pdf] cmyk`` as ``#rrggbb``."""
    text = key.strip().lower().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6 or any(ch not in "0123456789abcdef" for ch in text):
        raise ThemeError(f'[edition.pdf] cmyk: `{key}` is not a colour: write it as "#a4161a"', path=toml)
    return "#" + text


def _ink(key: str, value: Any, toml: str) -> Ink:
    """``[c, m, y, k]`` in per cent, or ``{ spot = "NAME", cmyk = [c, m, y, k] }`` for a spot colour."""
    spot = None
    if isinstance(value, dict):
        spot, value = str(value.get("spot") or "") or None, value.get("cmyk")
    if not (
        isinstance(value, list) and len(value) == 4 and all(isinstance(v, int | float) and 0 <= v <= 100 for v in value)
    ):
        raise ThemeError(
            f'[edition.pdf] cmyk "{key}": give four percentages, [0, 100, 85, 10], '
            'or a spot colour, { spot = "PANTONE 186 C", cmyk = [0, 100, 81, 4] }',
            path=toml,
        )
    c, m, y, k = (round(float(v) / 100, 4) for v in value)
    return Ink((c, m, y, k), spot)


def rgb_hex(rgb: Sequence[float]) -> str:
    """``#rrggbb`` of an RGB colour from 0 to 1."""
    return "#" + "".join(f"{round(max(0.0, min(1.0, float(v))) * 255):02x}" for v in rgb)


def limit_ink(cmyk: Any, limit: float) -> Any:
    """CMYK (a numpy array, last axis C, M, Y, K, 0 to 1) within ``limit`` (a fraction, 2.4 for 240%).

    Grey-component replacement first: the grey the three colours make together goes to the black
    plate, which lowers the total by twice what it moves; what is still over is taken from the three
    colours in proportion, black kept.
    """
    import numpy as np

    out = np.array(cmyk, dtype=np.float64, copy=True)
    total = out.sum(axis=-1)
    over = np.maximum(total - limit, 0.0)
    grey = out[..., :3].min(axis=-1)
    moved = np.minimum.reduce([grey, over / 2, 1.0 - out[..., 3]])
    out[..., :3] -= moved[..., None]
    out[..., 3] += moved
    rest = out[..., :3].sum(axis=-1)
    room = np.maximum(limit - out[..., 3], 0.0)
    scale = np.where(rest > room, room / np.maximum(rest, 1e-9), 1.0)
    out[..., :3] *= scale[..., None]
    return np.clip(out, 0.0, 1.0)


class Separator:
    """Separates colours and pictures into the press's CMYK (see the module's docstring)."""

    def __init__(self, press: Press) -> None:
        self.press = press
        self.limit = press.ink_limit / 100

    @functools.cached_property
    def _profiles(self) -> tuple[Any, Any]:
        from PIL import ImageCms

        return ImageCms.createProfile("sRGB"), ImageCms.ImageCmsProfile(io.BytesIO(self.press.profile_bytes))

    @functools.lru_cache(maxsize=8)  # noqa: B019 - one separator per build
    def _transform(self, source: bytes | None, mode: str, intent: Any) -> Any:
        from PIL import ImageCms

        srgb, cmyk = self._profiles
        start = (
            ImageCms.ImageCmsProfile(io.BytesIO(source))
            if source
            else (ImageCms.createProfile("LAB") if mode == "LAB" else srgb)
        )
        return ImageCms.buildTransform(
            start, cmyk, mode, "CMYK", renderingIntent=intent, flags=ImageCms.Flags.BLACKPOINTCOMPENSATION
        )

    @functools.lru_cache(maxsize=4096)  # noqa: B019
    def rgb(self, rgb: tuple[float, float, float]) -> Ink:
        """The ink of an sRGB colour: the theme's, black, a grey on the black plate, or littleCMS's."""
        named = self.press.inks.get(rgb_hex(rgb))
        if named is not None:
            return named
        r, g, b = (max(0.0, min(1.0, v)) for v in rgb)
        if max(r, g, b) - min(r, g, b) <= NEUTRAL:
            dark = 1 - (r + g + b) / 3
            return Ink((0.0, 0.0, 0.0, 1.0 if dark >= NEAR_BLACK else round(dark, 4)))
        from PIL import Image, ImageCms

        pixel = Image.new("RGB", (1, 1), tuple(round(v * 255) for v in (r, g, b)))
        transform = self._transform(None, "RGB", ImageCms.Intent.RELATIVE_COLORIMETRIC)
        out = ImageCms.applyTransform(pixel, transform)
        assert out is not None
        return self._held(tuple(v / 255 for v in out.getpixel((0, 0))))  # type: ignore[union-attr]

    def lab(self, lab: tuple[float, float, float]) -> Ink:
        """The ink of a CIE Lab colour (D50)."""
        from PIL import Image, ImageCms

        pixel = Image.new("LAB", (1, 1), (round(lab[0] * 2.55), round(lab[1]) % 256, round(lab[2]) % 256))
        transform = self._transform(None, "LAB", ImageCms.Intent.RELATIVE_COLORIMETRIC)
        out = ImageCms.applyTransform(pixel, transform)
        assert out is not None
        return self._held(tuple(v / 255 for v in out.getpixel((0, 0))))  # type: ignore[union-attr]

    def _held(self, cmyk: Sequence[float]) -> Ink:
        c, m, y, k = (round(float(v), 4) for v in limit_ink([list(cmyk)], self.limit)[0])
        return Ink((c, m, y, k))

    def picture(self, image: Any, icc: bytes | None) -> bytes:
        """An RGB or Lab picture (Pillow) as CMYK bytes for the press, within the ink limit."""
        import numpy as np
        from PIL import ImageCms

        mode = "LAB" if image.mode == "LAB" else "RGB"
        image = image.convert(mode) if image.mode != mode else image
        transform = self._transform(icc, mode, ImageCms.Intent.PERCEPTUAL)
        cmyk = ImageCms.applyTransform(image, transform)
        assert cmyk is not None
        values = np.asarray(cmyk, dtype=np.float64) / 255
        if values.sum(axis=-1).max() > self.limit:
            values = limit_ink(values, self.limit)
        return bytes(np.round(values * 255).astype(np.uint8).tobytes())


def press_ready(
    pdf: bytes, press: Press, *, slugs: Sequence[str] = (), bleed: bool, rotate: int = 0, opaque: bool = False
) -> bytes:
    """The PDF with its colours and pictures separated for the press, its output intent the press's, and (with
    ``bleed``) its boxes and marks set for the printer; ``slugs`` is the slug line of each page, and ``rotate``
    how far the pages will be turned clockwise when shown (90 for 竖排), which the slug follows.

    ``opaque`` (PDF/X-1a, which allows no transparency) sets pictures with an alpha channel on white paper and
    drops the transparency groups WeasyPrint puts on pages and forms; a page that is transparent otherwise
    (opacity, blending) is left for preflight to refuse.
    """
    import pikepdf

    separator = Separator(press)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        recolour = _Recolour(doc, separator, opaque=opaque)
        for page in doc.pages:
            page.contents_coalesce()
            recolour.stream(page.obj, page.obj.get("/Resources"))
            recolour.group(page.obj)
        recolour.prune()
        _output_intent(doc, press)
        for number, page in enumerate(doc.pages):
            if bleed:
                _marks(doc, page, press, slugs[number] if number < len(slugs) else "", rotate)
            else:  # a PDF/X names the page's finished size: here the whole page, without bleed
                page.obj.TrimBox = page.obj.MediaBox
                for key in ("/ArtBox", "/BleedBox"):
                    if key in page.obj:
                        del page.obj[key]
        out = io.BytesIO()
        # Object streams need PDF 1.5: a PDF/X-1a stays 1.4.
        streams = pikepdf.ObjectStreamMode.generate if doc.pdf_version >= "1.5" else pikepdf.ObjectStreamMode.disable
        doc.save(out, compress_streams=True, object_stream_mode=streams)
    return out.getvalue()


class _Recolour:
    """Rewrites the colour of every content stream, form, pattern and picture of a document once."""

    def __init__(self, doc: Any, separator: Separator, *, opaque: bool = False) -> None:
        self.doc = doc
        self.sep = separator
        self.opaque = opaque
        #: The colour spaces the content names (``cs``/``CS``), and every resource dictionary that lists some.
        self.named: set[str] = set()
        self.listed: list[Any] = []
        self.done: set[tuple[int, int]] = set()
        self.states: dict[tuple[bool, bool], Any] = {}
        self.spots: dict[str, Any] = {}

    def _once(self, obj: Any) -> bool:
        key = obj.objgen
        if key == (0, 0):
            return True
        if key in self.done:
            return False
        self.done.add(key)
        return True

    def stream(self, owner: Any, resources: Any) -> None:
        """Recolour the content of a page or a form, then what its resources paint."""
        import pikepdf

        if resources is not None:
            self._resources(resources)
        used_states: set[tuple[bool, bool]] = set()
        used_spots: set[str] = set()
        spaces = resources.get("/ColorSpace", {}) if resources is not None else {}
        instructions = pikepdf.parse_content_stream(owner)
        out: list[Any] = []
        # (fill overprints, stroke overprints); None until the stream sets a colour.
        state: tuple[bool, bool] | None = None
        fill = stroke = False
        stack: list[tuple[tuple[bool, bool] | None, bool, bool]] = []
        space: dict[str, str] = {"fill": "", "stroke": ""}
        changed = False
        for item in instructions:
            operands, operator = item.operands, str(item.operator)
            ink = None
            if operator == "q":
                stack.append((state, fill, stroke))
            elif operator == "Q" and stack:
                state, fill, stroke = stack.pop()
            elif operator in ("rg", "RG") and len(operands) == 3:
                ink = self.sep.rgb(tuple(float(v) for v in operands))
            elif operator in ("cs", "CS"):
                self.named.update(str(v) for v in operands)
                kind = _space_kind(spaces, operands[0] if operands else None)
                space["fill" if operator == "cs" else "stroke"] = kind
                if kind:
                    changed = True
                    continue  # the colour that follows is written in CMYK instead
            elif operator in ("sc", "scn", "SC", "SCN"):
                kind = space["fill" if operator in ("sc", "scn") else "stroke"]
                values = tuple(float(v) for v in operands if isinstance(v, int | float | pikepdf.Object))
                if kind == "rgb" and len(values) == 3:
                    ink = self.sep.rgb(values)
                elif kind == "lab" and len(values) == 3:
                    ink = self.sep.lab(values)
                if ink is not None:
                    operator = "rg" if operator in ("sc", "scn") else "RG"
            if ink is None:
                out.append(item)
                continue
            changed = True
            stroking = operator == "RG"
            if ink.spot:
                name = self._spot(ink)
                used_spots.add(name)
                self.named.add(name)
                out.append(
                    pikepdf.ContentStreamInstruction([pikepdf.Name(name)], pikepdf.Operator("CS" if stroking else "cs"))
                )
                out.append(pikepdf.ContentStreamInstruction([1], pikepdf.Operator("SCN" if stroking else "scn")))
            else:
                out.append(pikepdf.ContentStreamInstruction(list(ink.cmyk), pikepdf.Operator("K" if stroking else "k")))
            if stroking:
                stroke = ink.black
            else:
                fill = ink.black
            if state != (fill, stroke):
                state = (fill, stroke)
                used_states.add(state)
                out.append(
                    pikepdf.ContentStreamInstruction([pikepdf.Name(self._state_name(state))], pikepdf.Operator("gs"))
                )
        if not changed:
            return
        target = owner.Contents if owner.get("/Type") == "/Page" else owner
        target.write(pikepdf.unparse_content_stream(out))
        if resources is None:
            owner.Resources = resources = pikepdf.Dictionary()
        if used_states:
            states = resources.get("/ExtGState")
            if states is None:
                resources.ExtGState = states = pikepdf.Dictionary()
            for each in used_states:
                states[self._state_name(each)] = self._state(each)
        if used_spots:
            named = resources.get("/ColorSpace")
            if named is None:
                resources.ColorSpace = named = pikepdf.Dictionary()
            for spot in used_spots:
                named[spot] = self.spots[spot]

    def group(self, holder: Any) -> None:
        """A page's or form's transparency group blended in CMYK, or (opaque) dropped."""
        import pikepdf

        group = holder.get("/Group")
        if group is None:
            return
        if self.opaque:
            del holder["/Group"]
        elif group.get("/CS") is not None:
            group.CS = pikepdf.Name.DeviceCMYK

    def prune(self) -> None:
        """Colour spaces no content names taken out of the resources (WeasyPrint lists RGB, Lab and ICC ones
        on every page): what a PDF/X lists, a preflight reads as used."""
        for spaces in self.listed:
            for name in list(spaces.keys()):
                if name not in self.named:
                    del spaces[name]

    def _resources(self, resources: Any) -> None:
        """The pictures, forms, patterns and shadings a stream's resources hold, each recoloured once."""
        spaces = resources.get("/ColorSpace")
        if spaces is not None and all(spaces is not seen for seen in self.listed):
            self.listed.append(spaces)
        for _name, obj in _items(resources.get("/XObject")):
            if not self._once(obj):
                continue
            if obj.get("/Subtype") == "/Image":
                self._picture(obj)
            elif obj.get("/Subtype") == "/Form":
                self.group(obj)
                self.stream(obj, obj.get("/Resources"))
        for _name, pattern in _items(resources.get("/Pattern")):
            if not self._once(pattern):
                continue
            if pattern.get("/PatternType") == 1:
                self.stream(pattern, pattern.get("/Resources"))
            elif pattern.get("/Shading") is not None:
                self._shading(pattern.Shading)
        for _name, shading in _items(resources.get("/Shading")):
            if self._once(shading):
                self._shading(shading)
        for _name, state in _items(resources.get("/ExtGState")):
            mask = state.get("/SMask")
            if mask is not None and hasattr(mask, "get") and mask.get("/G") is not None and self._once(mask.G):
                group = mask.G.get("/Group")
                if group is not None and group.get("/CS") is not None:
                    import pikepdf

                    # A luminosity mask is computed in its group's space: grey keeps it a mask, not a colour.
                    group.CS = pikepdf.Name.DeviceGray
                self.stream(mask.G, mask.G.get("/Resources"))

    def _picture(self, image: Any) -> None:
        """An RGB or Lab picture separated into CMYK (its soft mask, the transparency, untouched)."""
        import pikepdf

        kind, icc = _image_space(image.get("/ColorSpace"))
        if image.get("/ImageMask", False):
            return
        mask = image.get("/SMask") if self.opaque else None
        if kind not in ("rgb", "lab") and mask is None:
            return
        pil = pikepdf.PdfImage(image).as_pil_image()
        if mask is not None:
            pil = _on_paper(pil, pikepdf.PdfImage(mask).as_pil_image())
            del image["/SMask"]
        if pil.mode == "CMYK":
            data = pil.tobytes()
        elif pil.mode in ("L", "1"):
            data = pil.convert("L").tobytes()
        else:
            data = self.sep.picture(pil, icc)
        image.write(zlib.compress(data, 6), filter=pikepdf.Name.FlateDecode)
        image.ColorSpace = pikepdf.Name.DeviceGray if len(data) == pil.width * pil.height else pikepdf.Name.DeviceCMYK
        image.BitsPerComponent = 8
        for key in ("/Decode", "/DecodeParms", "/Intent"):
            if key in image:
                del image[key]

    def _shading(self, shading: Any) -> None:
        """A shading's RGB end colours (axial and radial, exponential or stitched functions) in CMYK."""
        import pikepdf

        kind, _icc = _image_space(shading.get("/ColorSpace"))
        if kind != "rgb":
            return
        functions = [shading.get("/Function")]
        converted = True
        while functions:
            function = functions.pop()
            if function is None:
                continue
            if isinstance(function, pikepdf.Array):
                converted = False  # one function per component: left for preflight to report
                break
            if function.get("/FunctionType") == 3:
                functions.extend(function.Functions)
            elif function.get("/FunctionType") == 2:
                for key in ("/C0", "/C1"):
                    rgb = tuple(float(v) for v in function.get(key, [0, 0, 0] if key == "/C0" else [1, 1, 1]))
                    function[key] = pikepdf.Array(list(self.sep.rgb(rgb).cmyk))
            else:
                converted = False
        if converted:
            shading.ColorSpace = pikepdf.Name.DeviceCMYK

    def _state_name(self, state: tuple[bool, bool]) -> str:
        return f"/exporter-op{int(state[0])}{int(state[1])}"

    def _state(self, state: tuple[bool, bool]) -> Any:
        import pikepdf

        if state not in self.states:
            self.states[state] = self.doc.make_indirect(
                pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, op=state[0], OP=state[1], OPM=1)
            )
        return self.states[state]

    def _spot(self, ink: Ink) -> str:
        import pikepdf

        assert ink.spot is not None
        name = "/exporter-spot-" + "".join(ch if ch.isalnum() else "-" for ch in ink.spot)
        if name not in self.spots:
            tint = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=list(ink.cmyk), N=1)
            self.spots[name] = self.doc.make_indirect(
                pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name("/" + ink.spot), pikepdf.Name.DeviceCMYK, tint])
            )
        return name


def _on_paper(picture: Any, alpha: Any) -> Any:
    """A picture with an alpha channel set on white paper (no ink where it is transparent): PDF/X-1a has no alpha."""
    from PIL import Image

    alpha = alpha.convert("L").resize(picture.size)
    if picture.mode == "CMYK":
        return Image.composite(picture, Image.new("CMYK", picture.size, (0, 0, 0, 0)), alpha)
    mode = "L" if picture.mode in ("L", "1") else "RGB"
    return Image.composite(picture.convert(mode), Image.new(mode, picture.size, "white"), alpha)


def _items(dictionary: Any) -> Iterator[tuple[str, Any]]:
    if dictionary is None:
        return
    yield from dictionary.items()


def _space_kind(spaces: Any, name: Any) -> str:
    """``rgb`` or ``lab`` for a colour space the press cannot print as it is; ``""`` for any other."""
    if name is None:
        return ""
    text = str(name)
    if text in ("/DeviceRGB", "/CalRGB"):
        return "rgb"
    if text in ("/DeviceCMYK", "/DeviceGray", "/Pattern"):
        return ""
    return _image_space(spaces.get(text) if spaces is not None else None)[0]


def _image_space(space: Any) -> tuple[str, bytes | None]:
    """What a colour space is (``rgb``, ``lab`` or ``""``) and, for an ICC-based RGB one, its profile."""
    import pikepdf

    if space is None:
        return "", None
    if isinstance(space, pikepdf.Name):
        return ("rgb" if str(space) in ("/DeviceRGB", "/CalRGB") else ""), None
    if isinstance(space, pikepdf.Array) and len(space) >= 1:
        family = str(space[0])
        if family == "/ICCBased" and int(space[1].get("/N", 0)) == 3:
            return "rgb", bytes(space[1].read_bytes())
        if family == "/CalRGB":
            return "rgb", None
        if family == "/Lab":
            return "lab", None
    return "", None


def _output_intent(doc: Any, press: Press) -> None:
    """The PDF/X output intent: the press's profile, its condition named."""
    import pikepdf

    intents = doc.Root.get("/OutputIntents")
    profile = intents[0].get("/DestOutputProfile") if intents is not None and len(intents) else None
    if profile is None:
        profile = doc.make_stream(press.profile_bytes)
    elif profile.read_bytes() != press.profile_bytes:
        profile.write(press.profile_bytes)
    profile.N = 4
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=pikepdf.String(press.condition),
        OutputCondition=pikepdf.String(press.info),
        Info=pikepdf.String(press.info),
        RegistryName=pikepdf.String("http://www.color.org"),
        DestOutputProfile=profile,
    )
    doc.Root.OutputIntents = pikepdf.Array([doc.make_indirect(intent)])
    doc.docinfo[pikepdf.Name.Trapped] = pikepdf.Name("/False")


def _marks(doc: Any, page: Any, press: Press, slug: str, rotate: int) -> None:
    """The page's boxes set for the printer, and its marks drawn outside the bleed in registration colour."""
    import pikepdf

    trim = [float(v) for v in page.obj.get("/TrimBox", page.obj.MediaBox)]
    bleed = BLEED_MM * MM
    slug_pt = SLUG_MM * MM
    page.obj.BleedBox = pikepdf.Array([trim[0] - bleed, trim[1] - bleed, trim[2] + bleed, trim[3] + bleed])
    media = pikepdf.Array([trim[0] - slug_pt, trim[1] - slug_pt, trim[2] + slug_pt, trim[3] + slug_pt])
    page.obj.MediaBox = media
    page.obj.CropBox = media
    if "/ArtBox" in page.obj:
        del page.obj["/ArtBox"]
    ops = _mark_ops(trim, press, slug, (int(page.obj.get("/Rotate", 0)) + rotate) % 360)
    resources = page.obj.Resources
    spaces = resources.get("/ColorSpace")
    if spaces is None:
        resources.ColorSpace = spaces = pikepdf.Dictionary()
    spaces["/exporter-all"] = doc.make_indirect(
        pikepdf.Array(
            [
                pikepdf.Name.Separation,
                pikepdf.Name.All,
                pikepdf.Name.DeviceCMYK,
                pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1),
            ]
        )
    )
    states = resources.get("/ExtGState")
    if states is None:
        resources.ExtGState = states = pikepdf.Dictionary()
    states["/exporter-knockout"] = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, op=False, OP=False, OPM=0)
    # The page's own content stays as it is (tagged), wrapped in q … Q, for WeasyPrint's leaves its matrix
    # (y down) in force at its end; the marks are an artifact drawn after it.
    page.contents_add(doc.make_stream(b"q\n"), prepend=True)
    marks = b"Q\nq /Artifact BMC /exporter-knockout gs\n" + ops + b"\nEMC Q\n"
    page.contents_add(doc.make_stream(marks), prepend=False)


def _mark_ops(trim: list[float], press: Press, slug: str, rotate: int) -> bytes:
    """Crop and registration marks, colour bars and the slug line around ``trim``, as PDF operators."""
    x0, y0, x1, y1 = trim
    off, length = MARK_OFFSET_MM * MM, MARK_LENGTH_MM * MM
    lines: list[str] = ["/exporter-all CS /exporter-all cs 1 SCN 1 scn 0.25 w 0 J"]
    if "crop" in press.marks:
        for x, dx in ((x0, -1), (x1, 1)):
            for y, dy in ((y0, -1), (y1, 1)):
                lines.append(f"{x + dx * off:.2f} {y:.2f} m {x + dx * (off + length):.2f} {y:.2f} l S")
                lines.append(f"{x:.2f} {y + dy * off:.2f} m {x:.2f} {y + dy * (off + length):.2f} l S")
    if "registration" in press.marks:
        centre = off + length / 2
        for cx, cy in (
            ((x0 + x1) / 2, y0 - centre),
            ((x0 + x1) / 2, y1 + centre),
            (x0 - centre, (y0 + y1) / 2),
            (x1 + centre, (y0 + y1) / 2),
        ):
            lines.append(_target(cx, cy, length / 2))
    # Bars and the slug run along the edge that is the foot when the page is shown (turned pages included).
    along = _foot(trim, rotate, off + length + 1.5 * MM)
    if "bars" in press.marks:
        lines.append(_bars(along))
    if "slug" in press.marks and slug:
        lines.append(_slug(along, slug, press.faces))
    return "\n".join(lines).encode("ascii")


def _target(cx: float, cy: float, r: float) -> str:
    """A registration target: a circle and a cross through it."""
    k = 0.5523 * r * 0.6
    rr = r * 0.6
    circle = (
        f"{cx + rr:.2f} {cy:.2f} m "
        f"{cx + rr:.2f} {cy + k:.2f} {cx + k:.2f} {cy + rr:.2f} {cx:.2f} {cy + rr:.2f} c "
        f"{cx - k:.2f} {cy + rr:.2f} {cx - rr:.2f} {cy + k:.2f} {cx - rr:.2f} {cy:.2f} c "
        f"{cx - rr:.2f} {cy - k:.2f} {cx - k:.2f} {cy - rr:.2f} {cx:.2f} {cy - rr:.2f} c "
        f"{cx + k:.2f} {cy - rr:.2f} {cx + rr:.2f} {cy - k:.2f} {cx + rr:.2f} {cy:.2f} c S"
    )
    return (
        f"{circle} {cx - r:.2f} {cy:.2f} m {cx + r:.2f} {cy:.2f} l S {cx:.2f} {cy - r:.2f} m {cx:.2f} {cy + r:.2f} l S"
    )


@dataclass(frozen=True)
class _Along:
    """A baseline outside the bleed along the shown page's foot: its start, and the matrix that writes along it."""

    matrix: tuple[float, float, float, float, float, float]
    length: float


def _foot(trim: list[float], rotate: int, out: float) -> _Along:
    """The strip below the shown page's foot, ``out`` beyond the trim, as a matrix whose x runs along it."""
    x0, y0, x1, y1 = trim
    if rotate == 90:  # shown turned clockwise: the foot is the right edge, read upwards
        return _Along((0, 1, -1, 0, x1 + out, y0), y1 - y0)
    if rotate == 270:
        return _Along((0, -1, 1, 0, x0 - out, y1), y1 - y0)
    if rotate == 180:
        return _Along((-1, 0, 0, -1, x1, y1 + out), x1 - x0)
    return _Along((1, 0, 0, 1, x0, y0 - out), x1 - x0)


def _cm(along: _Along) -> str:
    return " ".join(f"{v:.3f}" for v in along.matrix) + " cm"


#: The colour bar: solids, half tints and the three-colour grey that balances the black beside it.
BAR_PATCHES: tuple[tuple[float, float, float, float], ...] = (
    (1, 0, 0, 0),
    (0, 1, 0, 0),
    (0, 0, 1, 0),
    (0, 0, 0, 1),
    (1, 1, 0, 0),
    (0, 1, 1, 0),
    (1, 0, 1, 0),
    (0.5, 0, 0, 0),
    (0, 0.5, 0, 0),
    (0, 0, 0.5, 0),
    (0, 0, 0, 0.5),
    (0.5, 0.4, 0.4, 0),
    (0, 0, 0, 0.25),
)
PATCH_MM = 4.0


def _bars(along: _Along) -> str:
    """The colour bar, from the far end of the foot back: a printer reads density and balance from it."""
    size = PATCH_MM * MM
    start = along.length - size * len(BAR_PATCHES)
    patches = [
        f"{c:g} {m:g} {y:g} {k:g} k {start + i * size:.2f} {-size:.2f} {size:.2f} {size:.2f} re f"
        for i, (c, m, y, k) in enumerate(BAR_PATCHES)
    ]
    return "q " + _cm(along) + " " + " ".join(patches) + " Q"


def _slug(along: _Along, text: str, faces: Sequence[tuple[Path, int]]) -> str:
    """The slug line in outlines (no font to embed), at the near end of the foot, in registration colour."""
    size = 7.0
    paths = _outlines(text, size, faces)
    return f"q {_cm(along)} 1 0 0 1 0 {-size:.2f} cm {paths} Q" if paths else ""


def _outlines(text: str, size: float, faces: Sequence[tuple[Path, int]]) -> str:
    """``text`` as filled glyph outlines, ``size`` points high, from the origin: each character in the first of
    ``faces`` (file, index in a collection) that has it, then the shipped sans; one no face has is left out."""
    from fontTools.pens.basePen import BasePen  # type: ignore[import-untyped]

    from exporter import fonts

    shipped = fonts.shipped_fonts_dir() / "ExporterSansSC-Regular.otf"
    opened = [face for face in (_face(*each) for each in (*faces, (shipped, 0))) if face is not None]
    ops: list[str] = []
    x = 0.0
    k = 0.0

    class Pen(BasePen):  # type: ignore[misc]
        def _moveTo(self, p: tuple[float, float]) -> None:
            ops.append(f"{x + p[0] * k:.2f} {p[1] * k:.2f} m")

        def _lineTo(self, p: tuple[float, float]) -> None:
            ops.append(f"{x + p[0] * k:.2f} {p[1] * k:.2f} l")

        def _curveToOne(self, p1: tuple[float, float], p2: tuple[float, float], p3: tuple[float, float]) -> None:
            ops.append(" ".join(f"{x + p[0] * k:.2f} {p[1] * k:.2f}" for p in (p1, p2, p3)) + " c")

        def _closePath(self) -> None:
            ops.append("h")

    for char in text:
        for cmap, glyphs, scale in opened:
            name = cmap.get(ord(char))
            if name is not None:
                k = size * scale
                glyph = glyphs[name]
                glyph.draw(Pen(glyphs))
                x += glyph.width * k
                break
    return " ".join(ops) + " f" if ops else ""


@functools.cache
def _face(path: Path, index: int) -> tuple[dict[int, str], Any, float] | None:
    """A face's character map, glyphs and scale (1 / units per em), read once; None if it cannot be read."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    try:
        font = TTFont(str(path), fontNumber=index, lazy=True)
        return dict(font.getBestCmap() or {}), font.getGlyphSet(), 1 / font["head"].unitsPerEm
    except Exception:  # a face that cannot be read draws nothing: the next one is tried
        return None


def slug_line(paper: str, date: str, page_label: str, section: str, page: int, pages: int) -> str:
    """The slug of one page: paper, date, 版 and page, as a printer finds the plate by it."""
    parts = [paper, date, " ".join(p for p in (page_label, section) if p), f"{page}/{pages}"]
    return "  ".join(p for p in parts if p)


__all__ = [
    "MARKS",
    "Ink",
    "Press",
    "Separator",
    "limit_ink",
    "press_of",
    "press_ready",
    "rgb_hex",
    "shipped_profile",
    "slug_line",
]
