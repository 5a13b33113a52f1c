"""Reads each glyph a PDF's pages draw: its character, its em box and its ink, as a reader sees the page.

pdfminer.six interprets the pages (content streams, forms, fonts, text state); a text device
of ours takes each glyph it shows, with the glyph's CID and font, where pdfminer's own layout
keeps only a guessed box. Coordinates are the page's as a reader sees it: pdfminer turns the page
by its ``/Rotate``, so this project's vertical PDFs (laid out sideways and turned) and a browser's
``writing-mode: vertical-rl`` PDFs both give columns running down the page.

A glyph's **em box** runs along its advance and one em across it (from the font's descent): for a
glyph set along its line, the advance is its cell; for an upright glyph of a vertical line whose
producer draws it unturned (Chromium), the em across it is its cell. Which of the two a line uses
is :mod:`exporter.audit.lines`'s to decide. Its **ink** comes from :mod:`exporter.audit.ink`.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exporter.audit.ink import UNKNOWN, Bounds, FontInk
from exporter.errors import AuditError

#: A rectangle in the page's space, as a reader sees it: x0, y0, x1, y1 (y up).
Box = tuple[float, float, float, float]

#: Vertical presentation forms (what a browser's text layer gives for the glyphs of vertical text)
#: and the characters they are forms of.
_VERTICAL_FORMS = str.maketrans(
    dict(
        zip(
            "︐︑︒︓︔︕︖︗︘︙︰︱︲︳︴︵︶︷︸︹︺︻︼︽︾︿﹀﹁﹂﹃﹄﹇﹈",
            "，、。：；！？〖〗…‥—–__（）｛｝〔〕【】《》〈〉「」『』［］",
            strict=True,
        )
    )
)


def normalise(text: str) -> str:
    """A glyph's character as the audit classes it: vertical forms and Kangxi radicals as the characters they show."""
    text = text.translate(_VERTICAL_FORMS)
    if len(text) == 1 and ("\u2f00" <= text <= "\u2fdf" or "\uf900" <= text <= "\ufaff"):
        return unicodedata.normalize("NFKC", text)
    return text


@dataclass(frozen=True, slots=True)
class Glyph:
    """One glyph a page draws: its character, em box, ink, em and font."""

    text: str
    box: Box
    #: The ink read from the font program; None when the glyph has none or it could not be read (``measured``).
    ink: Box | None
    #: Whether ``ink`` was read from the font (True) or is left to the class model (False).
    measured: bool
    em: float
    font: str
    #: Whether the glyph is drawn inside an ``/Artifact`` marked-content sequence: page furniture
    #: (running heads, folios, a foot line), not content.
    artifact: bool = False

    @property
    def blank(self) -> bool:
        """A glyph that draws nothing: a space, or a glyph whose measured drawing is empty."""
        return self.text.isspace() or (self.measured and self.ink is None)


@dataclass(frozen=True)
class Page:
    """One page: its number as a reader counts them (1-based), its size as shown, its glyphs in the order drawn."""

    number: int
    height: float
    glyphs: tuple[Glyph, ...]
    width: float = 0.0
    #: The rectangle of each image the page draws outside artifacts, in the page's space as shown.
    images: tuple[Box, ...] = ()
    #: Whether any marked-content sequence of the page is an ``/Artifact``.
    artifacts: bool = False


def _transform(matrix: tuple[float, ...], points: list[tuple[float, float]]) -> Box:
    a, b, c, d, e, f = matrix
    xs = [a * x + c * y + e for x, y in points]
    ys = [b * x + d * y + f for x, y in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _device_class() -> type:
    """pdfminer's text device, taught to keep each glyph (imported when a PDF is read)."""
    from pdfminer.pdfdevice import PDFTextDevice
    from pdfminer.pdffont import PDFCIDFont, PDFFont, PDFType3Font, PDFUnicodeNotDefined

    class GlyphDevice(PDFTextDevice):
        """Keeps each glyph shown, with its em box and ink in the page's space."""

        def __init__(self, resources: Any) -> None:
            super().__init__(resources)
            self.resources = resources
            self.glyphs: list[Glyph] = []
            self.images: list[Box] = []
            self.inks: dict[int, FontInk] = {}
            #: For each open marked-content sequence, whether it is an artifact.
            self.tags: list[bool] = []
            self.artifacts = False

        def begin_page(self, page: Any, ctm: Any) -> None:
            self.glyphs, self.images, self.tags, self.artifacts = [], [], [], False

        def begin_tag(self, tag: Any, props: Any = None) -> None:
            artifact = str(getattr(tag, "name", tag)) == "Artifact"
            self.artifacts = self.artifacts or artifact
            self.tags.append(artifact)

        def end_tag(self) -> None:
            if self.tags:
                self.tags.pop()

        def render_image(self, name: str, stream: Any) -> None:
            if self.ctm is not None and not any(self.tags):
                self.images.append(_transform(self.ctm, [(0.0, 0.0), (1.0, 1.0)]))

        def _ink(self, font: PDFFont) -> FontInk:
            ink = self.inks.get(id(font))
            if ink is None:
                spec = self.resources.specs.get(id(font), {})
                subtype = "Type3" if isinstance(font, PDFType3Font) else str(_subtype(spec))
                ink = self.inks[id(font)] = FontInk(spec, subtype)
            return ink

        def render_char(
            self,
            matrix: tuple[float, float, float, float, float, float],
            font: PDFFont,
            fontsize: float,
            scaling: float,
            rise: float,
            cid: int,
            ncs: Any,
            graphicstate: Any,
        ) -> float:
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                text = "\ufffd"
            advance = float(font.char_width(cid)) * fontsize * scaling
            # One em in text space: the font size, through a Type 3 font's own matrix.
            em = fontsize * (abs(float(font.vscale)) * 1000 if isinstance(font, PDFType3Font) else 1.0)
            descent = _descent(font) * em
            box = _transform(matrix, [(0.0, descent + rise), (advance, descent + rise + em)])
            bounds = self._ink(font).bounds(cid, text)
            measured = bounds is not UNKNOWN
            ink: Box | None = None
            if isinstance(bounds, tuple):
                ink = _ink_box(matrix, bounds, fontsize, scaling, rise)
            scale = (matrix[2] ** 2 + matrix[3] ** 2) ** 0.5
            vertical = isinstance(font, PDFCIDFont) and font.is_vertical()
            self.glyphs.append(
                Glyph(normalise(text), box, ink, measured, em * scale, str(font.fontname), any(self.tags))
            )
            # A vertical font (Identity-V) advances down: pdfminer adds what this returns to y.
            return -advance if vertical else advance

    return GlyphDevice


def _ink_box(matrix: tuple[float, ...], bounds: Bounds, fontsize: float, scaling: float, rise: float) -> Box:
    x0, y0, x1, y1 = bounds
    corners = [(x * fontsize * scaling, y * fontsize + rise) for x in (x0, x1) for y in (y0, y1)]
    return _transform(matrix, corners)


def _subtype(spec: dict[str, Any]) -> str:
    from exporter.audit.ink import _name

    return _name(spec.get("Subtype", "")) if spec else ""


def _descent(font: Any) -> float:
    """The font's descent in ems, from its descriptor when that is sane, else the ideographic -0.12."""
    descriptor = getattr(font, "descriptor", None) or {}
    try:
        value = float(descriptor.get("Descent", 0)) / 1000
    except (TypeError, ValueError):
        value = 0.0
    if value > 0:
        value = -value
    return value if -0.5 <= value < 0 else -0.12


def _resource_class() -> type:
    from pdfminer.pdfinterp import PDFResourceManager

    class Resources(PDFResourceManager):
        """pdfminer's resource manager, remembering the dictionary each font was made from."""

        def __init__(self) -> None:
            super().__init__(caching=True)
            self.specs: dict[int, dict[str, Any]] = {}

        def get_font(self, objid: object, spec: Any) -> Any:
            font = super().get_font(objid, spec)
            self.specs.setdefault(id(font), dict(spec))
            return font

    return Resources


def page_count(path: Path) -> int:
    """How many pages the PDF has; AuditError when it cannot be read."""
    with _opened(path) as document:
        from pdfminer.pdfpage import PDFPage

        return sum(1 for _ in PDFPage.create_pages(document))


def read_pages(path: Path, only: int | None = None) -> Iterator[Page]:
    """Each page of the PDF (or page ``only``) with its glyphs; AuditError when the file cannot be read."""
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.pdfpage import PDFPage

    with _opened(path) as document:
        resources = _resource_class()()
        device = _device_class()(resources)
        interpreter = PDFPageInterpreter(resources, device)
        for number, page in enumerate(PDFPage.create_pages(document), 1):
            if only is not None and number != only:
                continue
            try:
                interpreter.process_page(page)
            except Exception as exc:  # a damaged page: told as the file's error
                raise AuditError(
                    f"page {number} cannot be read ({exc}): check that the PDF opens", path=str(path)
                ) from None
            x0, y0, x1, y1 = page.mediabox
            height = abs(x1 - x0) if page.rotate % 180 else abs(y1 - y0)
            width = abs(y1 - y0) if page.rotate % 180 else abs(x1 - x0)
            yield Page(number, height, tuple(device.glyphs), width, tuple(device.images), device.artifacts)


class _opened:
    """The PDF opened as a pdfminer document, with its errors told as AuditError."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> Any:
        from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFParser

        logging.getLogger("pdfminer").setLevel(logging.ERROR)
        where = str(self.path)
        if not self.path.exists():
            raise AuditError("no such file: check the path", path=where)
        if self.path.is_dir():
            raise AuditError("this is a folder: pass a PDF file", path=where)
        try:
            self.file = self.path.open("rb")
            head = self.file.read(1024)
        except OSError as exc:
            raise AuditError(f"cannot be read ({exc.strerror}): check its permissions", path=where) from None
        if b"%PDF-" not in head:
            self.file.close()
            raise AuditError("not a PDF (no %PDF- header): pass a PDF file", path=where)
        self.file.seek(0)
        try:
            return PDFDocument(PDFParser(self.file))
        except (PDFPasswordIncorrect, PDFEncryptionError):
            self.file.close()
            raise AuditError("the PDF is encrypted with a password: audit a copy without one", path=where) from None
        except Exception as exc:
            self.file.close()
            raise AuditError(f"damaged PDF ({type(exc).__name__}): check that it opens", path=where) from None

    def __exit__(self, *exc: object) -> None:
        self.file.close()
