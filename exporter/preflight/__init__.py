"""Checks a PDF, any PDF, as a newspaper printer's prepress department would before it makes plates.

``exporter preflight FILE.pdf`` reads what the file claims (:mod:`~exporter.preflight.claim`:
PDF/X and its output intent, version, ``/Trapped``, ``/ID``, encryption), each page's boxes and
the marks drawn in its bleed (:mod:`~exporter.preflight.boxes`), what each page paints
(:mod:`~exporter.preflight.content`: colour spaces, rich and knocked-out black text, images and
their effective resolution, transparency), its fonts (:mod:`~exporter.preflight.fonts`) and its
total ink, rendered in CMYK by Ghostscript (:mod:`~exporter.preflight.ink`). It reads PDFs only:
the command line imports it, and the print edition may.
"""

from __future__ import annotations

import math
import tempfile
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from exporter.preflight.content import NOT_FOR_PRESS, ImageUse

if TYPE_CHECKING:
    from exporter.preflight.boxes import Boxes
    from exporter.preflight.claim import Claim
    from exporter.preflight.content import PageContent

__all__ = ["SCHEMA", "Finding", "ImageUse", "PageFacts", "Report", "preflight", "summary", "to_json"]

#: The JSON schema's name, written in ``--json`` output.
SCHEMA = "exporter.preflight/1"

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    """One fault: how grave, its code, its page (None for the whole file) and what is wrong with the fix."""

    severity: Severity
    code: str
    page: int | None
    message: str

    def line(self, name: str) -> str:
        """The finding as one line: ``FILE:page N: error[code]: message`` (``FILE: …`` for the whole file)."""
        where = f"{name}:page {self.page}" if self.page is not None else name
        return f"{where}: {self.severity}[{self.code}]: {self.message}"


@dataclass(frozen=True)
class PageFacts:
    """What one page uses: colour spaces, fonts, image placements, ink and marks in the bleed."""

    page: int
    colour_spaces: tuple[str, ...]
    fonts: tuple[str, ...]
    images: tuple[ImageUse, ...]
    #: The highest total ink (C+M+Y+K, %) inside the BleedBox.
    max_ink: float
    #: The area (mm²) where the total ink is over the limit (beyond the rounding allowance).
    over_limit_mm2: float
    marks_in_bleed: int


@dataclass(frozen=True)
class Report:
    """The preflight of one PDF: its claim, each page's facts and the findings in page order."""

    name: str
    claim: str | None
    pdfx: str | None
    pdfa: str | None
    pdf_version: str
    pages: tuple[PageFacts, ...]
    findings: tuple[Finding, ...]
    ink_limit: int
    min_ppi: int

    @property
    def failed(self) -> bool:
        """Whether any finding is an error: the file must not go to press as it is."""
        return any(f.severity == "error" for f in self.findings)

    def lines(self) -> list[str]:
        """The errors and warnings, one line each."""
        return [f.line(self.name) for f in self.findings if f.severity != "info"]


def preflight(pdf: Path | bytes, *, ink_limit: int = 240, min_ppi: int = 150, name: str = "") -> Report:
    """The preflight of a PDF (a path or its bytes); PreflightError when it cannot be read or rendered."""
    if isinstance(pdf, bytes):
        with tempfile.TemporaryDirectory(prefix="exporter-preflight-") as folder:
            path = Path(folder) / "preflight.pdf"
            path.write_bytes(pdf)
            return _preflight(path, ink_limit, min_ppi, name or "PDF")
    return _preflight(pdf, ink_limit, min_ppi, name or str(pdf))


def _open(path: Path, name: str) -> Any:
    """The PDF opened with pikepdf; PreflightError with the reason and the fix when it cannot be."""
    import pikepdf

    from exporter.errors import PreflightError

    if not path.exists():
        raise PreflightError("no such file: check the path", path=name)
    if path.is_dir():
        raise PreflightError("this is a folder: pass a PDF file", path=name)
    with path.open("rb") as head:
        if b"%PDF-" not in head.read(1024):
            raise PreflightError("not a PDF (no %PDF- header): pass a PDF file", path=name)
    try:
        return pikepdf.open(path)
    except pikepdf.PasswordError:
        raise PreflightError("the PDF is encrypted with a password: preflight an unencrypted copy", path=name) from None
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        reason = str(exc).splitlines()[0].removeprefix(f"{path}: ") if str(exc) else type(exc).__name__
        raise PreflightError(f"the PDF is damaged and cannot be read ({reason}): export it again", path=name) from None


def _preflight(path: Path, ink_limit: int, min_ppi: int, name: str) -> Report:
    import pikepdf

    from exporter.errors import PreflightError
    from exporter.preflight.boxes import boxes_of, marks_in_bleed
    from exporter.preflight.claim import claim_of, conditions
    from exporter.preflight.content import Interpreter
    from exporter.preflight.fonts import font_name
    from exporter.preflight.ink import ROUNDING, measure

    with _open(path, name) as pdf:
        claim = claim_of(pdf)
        findings = [Finding("error", p.code, None, p.message) for p in conditions(pdf, claim)]
        pages: list[PageFacts] = []
        fonts_told: set[tuple[Any, str]] = set()
        try:
            for number, page in enumerate(pdf.pages, 1):
                content = Interpreter().page(page)
                boxes = boxes_of(page)
                marks = marks_in_bleed(content.paths, boxes)
                findings += _page_findings(number, content, boxes, marks, claim, min_ppi, fonts_told)
                fonts = tuple(sorted({font_name(font) for font, _ in content.fonts.values()}))
                spaces = tuple(sorted({family for family, _ in content.uses}))
                pages.append(PageFacts(number, spaces, fonts, tuple(content.images), 0.0, 0.0, marks))
        except (pikepdf.PdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
            reason = (str(exc).splitlines() or [""])[0]
            raise PreflightError(
                f"page {len(pages) + 1} cannot be interpreted ({type(exc).__name__}: {reason}): the file is damaged; "
                "export it again",
                path=name,
            ) from None
        version = str(pdf.pdf_version)
    inks = {one.page: one for one in measure(path, ink_limit)}
    for at, facts in enumerate(pages):
        ink = inks.get(facts.page)
        if ink is None:
            continue
        pages[at] = replace(facts, max_ink=ink.max_ink, over_limit_mm2=ink.over_limit_mm2)
        if ink.max_ink > ink_limit + ROUNDING:
            findings.append(
                Finding(
                    "error",
                    "ink-limit",
                    facts.page,
                    f"total ink reaches {ink.max_ink:.0f}%, over the limit of {ink_limit}% on "
                    f"{ink.over_limit_mm2:g} mm²: newsprint cannot take that much ink (it sets off and does not "
                    "dry); convert the colours to the output intent with its ink limit (GCR)",
                )
            )
    ordered = sorted(findings, key=lambda f: (f.page or 0, f.severity != "error"))
    return Report(name, claim.name, claim.pdfx, claim.pdfa, version, tuple(pages), tuple(ordered), ink_limit, min_ppi)


def _page_findings(
    number: int,
    content: PageContent,
    boxes: Boxes,
    marks: int,
    claim: Claim,
    min_ppi: int,
    fonts_told: set[tuple[Any, str]],
) -> list[Finding]:
    """The findings of one page but its ink: boxes, marks, colour, transparency, fonts, images.

    A font's fault is told at its first page (``fonts_told`` keeps which were), but for glyphs it lacks,
    which are each page's own."""
    from exporter.preflight.boxes import box_problems
    from exporter.preflight.fonts import check_font

    findings = [Finding(_severity(s), c, number, m) for s, c, m in box_problems(boxes)]
    if marks:
        findings.append(Finding("error", "marks-in-bleed", number, _marks_message(marks, boxes)))
    findings += _colour_findings(number, content, claim.pdfx)
    if claim.forbids_transparency and content.transparency:
        listed = ", ".join(f"{n} × {what}" for what, n in sorted(content.transparency.items()))
        message = (
            f"{claim.pdfx} allows no transparency, and the page has {listed}: "
            "flatten the transparency, or export as PDF/X-4"
        )
        findings.append(Finding("error", "transparency", number, message))
    for identity, (font, codes) in content.fonts.items():
        for problem in check_font(font, codes):
            if (identity, problem.code) in fonts_told and problem.code != "font-undrawable":
                continue
            fonts_told.add((identity, problem.code))
            findings.append(Finding(_severity(problem.severity), problem.code, number, problem.message))
    for image in content.images:
        if image.ppi < min_ppi:
            findings.append(Finding("error", "low-resolution", number, _ppi_message(image, min_ppi)))
    return findings


def _severity(word: str) -> Severity:
    """A severity the checks wrote as a word."""
    severities: dict[str, Severity] = {"error": "error", "warning": "warning", "info": "info"}
    return severities[word]


def _marks_message(marks: int, boxes: Boxes) -> str:
    from exporter.preflight.boxes import TOLERANCE

    same = all(abs(a - b) <= TOLERANCE for a, b in zip(boxes.media, boxes.bleed, strict=True))
    where = " (the MediaBox is the BleedBox, so they can be nowhere else)" if same else ""
    noun = "mark is" if marks == 1 else "marks are"
    return (
        f"{marks} {noun} drawn in the bleed, outside the TrimBox{where}: the press prints them and trims "
        "into them; draw marks outside the BleedBox, on a MediaBox larger than it"
    )


def _colour_findings(number: int, content: PageContent, pdfx: str | None) -> list[Finding]:
    """The page's colour faults: RGB or Lab anywhere, rich black text, black text that knocks out."""
    findings = []
    wrong: dict[str, Counter[str]] = {}
    for (family, what), n in content.uses.items():
        if family in NOT_FOR_PRESS:
            wrong.setdefault(family, Counter())[what] += n
    if wrong:
        parts = []
        for family, whats in sorted(wrong.items()):
            drawn = [w for w in ("text", "paths") if whats[w]]
            if drawn:
                uses = sum(whats[w] for w in drawn)
                parts.append(f"{' and '.join(drawn)} in {family} ({uses} use{'s' * (uses != 1)})")
            for what, noun in (("images", "image"), ("shadings", "shading")):
                if whats[what]:
                    parts.append(f"{whats[what]} {noun}{'s' * (whats[what] != 1)} in {family}")
        listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
        target = "the output intent's CMYK" if pdfx else "the printer's CMYK"
        findings.append(Finding("error", "rgb", number, f"{listed}: a press separates CMYK; convert to {target}"))
    if content.rich_black_text:
        n = content.rich_black_text
        findings.append(
            Finding(
                "error",
                "rich-black-text",
                number,
                f"{n} text run{'s' * (n != 1)} in rich black (K at least 90% with C+M+Y over 2%): four-colour "
                "text smears on newsprint when the plates misregister; set text in K alone",
            )
        )
    if content.knockout_black_text:
        n = content.knockout_black_text
        findings.append(
            Finding(
                "warning",
                "black-knockout",
                number,
                f"{n} text run{'s' * (n != 1)} in black (K alone) knock{'s' * (n == 1)} out what is beneath: "
                "a white rim shows where the plates misregister; make black text overprint "
                "(ExtGState /op true, /OPM 1)",
            )
        )
    return findings


def _ppi_message(image: ImageUse, min_ppi: int) -> str:
    need_w = math.ceil(image.placed_width_mm / 25.4 * min_ppi)
    need_h = math.ceil(image.placed_height_mm / 25.4 * min_ppi)
    return (
        f"image {image.name} of {image.width}×{image.height} px is placed {image.placed_width_mm:g}×"
        f"{image.placed_height_mm:g} mm: {image.ppi:.0f} ppi, under {min_ppi}; it prints blurred or blocky; "
        f"use {need_w}×{need_h} px or more, or place it smaller"
    )


def _families(report: Report) -> str:
    """The colours the file uses, as a press names them: CMYK, grey, registration, spot colours, RGB."""
    seen = {s for p in report.pages for s in p.colour_spaces}
    named = []
    if seen & {"DeviceCMYK", "ICCBased CMYK"}:
        named.append("CMYK")
    if seen & {"DeviceGray", "CalGray", "ICCBased Gray"}:
        named.append("grey")
    if "Separation All" in seen:
        named.append("registration")
    spots = {s.removeprefix("Separation ") for s in seen if s.startswith("Separation ")} - {"All", "None"}
    named += sorted(spots)
    named += sorted(s for s in seen if s.startswith("DeviceN"))
    if seen & NOT_FOR_PRESS:
        named.append("RGB" if seen & (NOT_FOR_PRESS - {"Lab", "ICCBased Lab"}) else "Lab")
    return " + ".join(named) or "no colour"


def summary(report: Report) -> str:
    """One line for the file: claim, pages, colours, ink, images and the verdict."""
    images = [i for p in report.pages for i in p.images]
    least = min((i.ppi for i in images), default=0.0)
    shown = f"{len(images)} image{'s' * (len(images) != 1)} ≥ {least:.0f} ppi" if images else "no images"
    max_ink = max((p.max_ink for p in report.pages), default=0.0)
    errors = sum(1 for f in report.findings if f.severity == "error")
    warnings = sum(1 for f in report.findings if f.severity == "warning")
    counted = ", ".join(f"{n} {kind}{'s' * (n != 1)}" for kind, n in (("error", errors), ("warning", warnings)) if n)
    verdict = f"fails ({counted})" if errors else f"passes with {counted}" if warnings else "passes"
    pages = len(report.pages)
    return (
        f"{report.name}: {report.claim or 'no PDF/X claim'}, {pages} page{'s' * (pages != 1)}, {_families(report)}, "
        f"max ink {max_ink:.0f}%, {shown}: {verdict}"
    )


def to_json(report: Report) -> dict[str, Any]:
    """The report as the JSON of schema :data:`SCHEMA`."""
    return {
        "schema": SCHEMA,
        "file": report.name,
        "claim": report.claim,
        "pdfx": report.pdfx,
        "pdfa": report.pdfa,
        "pdf_version": report.pdf_version,
        "ink_limit": report.ink_limit,
        "min_ppi": report.min_ppi,
        "failed": report.failed,
        "summary": summary(report),
        "findings": [
            {"severity": f.severity, "code": f.code, "page": f.page, "message": f.message} for f in report.findings
        ],
        "pages": [
            {
                "page": p.page,
                "colour_spaces": list(p.colour_spaces),
                "fonts": list(p.fonts),
                "images": [
                    {
                        "name": i.name,
                        "width": i.width,
                        "height": i.height,
                        "placed_mm": [i.placed_width_mm, i.placed_height_mm],
                        "ppi": i.ppi,
                        "colour_space": i.space,
                    }
                    for i in p.images
                ],
                "max_ink": p.max_ink,
                "over_limit_mm2": p.over_limit_mm2,
                "marks_in_bleed": p.marks_in_bleed,
            }
            for p in report.pages
        ],
    }
