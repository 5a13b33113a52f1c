"""Tests of ``exporter preflight``: a press-ready PDF/X-4 passes, and each purpose-made fault fails with its one line.

Every PDF is made here: WeasyPrint lays out a small page in CMYK (its output intent the CMYK
profile Ghostscript ships), pikepdf then makes it what a press wants (a MediaBox larger than the
BleedBox, ``/Trapped /False``, black text overprinting), and each bad file changes one thing.
The interpreter's own tests use pages written by hand with pikepdf.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image

from exporter.errors import PreflightError
from exporter.preflight import Report, preflight, summary, to_json
from exporter.preflight.boxes import Boxes, box_problems, marks_in_bleed
from exporter.preflight.claim import Claim, claim_of
from exporter.preflight.content import Interpreter

ROOT = Path(__file__).resolve().parent.parent
CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
MM = 72 / 25.4

# One line of a finding: FILE:page N: severity[code]: message, or FILE: severity[code]: message.
LINE = re.compile(r"^(?P<file>.+?)(?::page (?P<page>\d+))?: (?P<severity>error|warning)\[(?P<code>[a-z0-9-]+)\]: \S.*$")


# -- the PDFs ----------------------------------------------------------------------------------------


def _jpeg(folder: Path, name: str, width: int, height: int) -> Path:
    """A CMYK JPEG of one flat colour (M 50%, Y 100%: 150% ink)."""
    path = folder / name
    Image.new("CMYK", (width, height), (0, 128, 255, 0)).save(path, "JPEG", quality=90)
    return path


def _weasyprint(folder: Path, body: str, css: str = "", *, variant: str = "pdf/x-4", marks: bool = False) -> bytes:
    """A 100×80 mm page with a 3 mm bleed laid out by WeasyPrint in CMYK, black text in K alone."""
    import weasyprint

    html = f"""<html><head><style>
    @color-profile device-cmyk {{ src: url({CMYK_PROFILE.as_uri()}); components: c, m, y, k }}
    @page {{ size: 100mm 80mm; margin: 10mm; bleed: 3mm; {"marks: crop;" if marks else ""} }}
    body {{ color: device-cmyk(0 0 0 1); font-family: DejaVu Serif; font-size: 12pt; margin: 0 }}
    {css}
    </style></head><body>{body}</body></html>"""
    return bytes(weasyprint.HTML(string=html, base_url=str(folder) + "/").write_pdf(pdf_variant=variant))


def _edit(data: bytes, change: Callable[[pikepdf.Pdf], None]) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _crop_marks(pdf: pikepdf.Pdf, page: Any) -> None:
    """Crop marks in registration colour (Separation /All: 400% of ink) on the MediaBox, outside the BleedBox."""
    registration = pikepdf.Array(
        [
            pikepdf.Name.Separation,
            pikepdf.Name.All,
            pikepdf.Name.DeviceCMYK,
            pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1),
        ]
    )
    page.obj.Resources.ColorSpace = pikepdf.Dictionary(page.obj.Resources.get("/ColorSpace", {}))
    page.obj.Resources.ColorSpace["/PFreg"] = registration
    tx0, ty0, tx1, ty1 = (float(v) for v in page.obj.TrimBox)
    bx0, by0, bx1, by1 = (float(v) for v in page.obj.BleedBox)
    gap, end = 1 * MM, 5 * MM
    lines = []
    for x, y, outward in ((tx0, ty0, -1), (tx1, ty0, 1), (tx0, ty1, -1), (tx1, ty1, 1)):
        edge_x = bx0 if outward < 0 else bx1
        edge_y = by0 if y == ty0 else by1
        down = -1 if y == ty0 else 1
        lines.append(f"{edge_x + outward * gap:.3f} {y:.3f} m {edge_x + outward * end:.3f} {y:.3f} l S")
        lines.append(f"{x:.3f} {edge_y + down * gap:.3f} m {x:.3f} {edge_y + down * end:.3f} l S")
    marks = "q /PFreg CS 1 SCN 0.25 w " + " ".join(lines) + " Q\n"
    pikepdf.Page(page).contents_add(pdf.make_stream(marks.encode("ascii")))


def _press_ready(data: bytes, *, overprint: bool = True, media: bool = True) -> bytes:
    """What a press wants of WeasyPrint's PDF/X: a MediaBox 5 mm beyond the BleedBox with crop marks in
    registration colour on it, no ArtBox, ``/Trapped /False`` and (``overprint``) every fill overprinting,
    black text included."""

    def change(pdf: pikepdf.Pdf) -> None:
        for page in pdf.pages:
            if media:
                x0, y0, x1, y1 = (float(v) for v in page.obj.BleedBox)
                m = 5 * MM
                page.obj.MediaBox = pikepdf.Array([x0 - m, y0 - m, x1 + m, y1 + m])
                _crop_marks(pdf, page)
            if "/ArtBox" in page.obj:
                del page.obj["/ArtBox"]
            if overprint:
                page.obj.Resources.ExtGState["/PFop"] = pikepdf.Dictionary(
                    Type=pikepdf.Name.ExtGState, OP=True, op=True, OPM=1
                )
                pikepdf.Page(page).contents_add(pdf.make_stream(b"/PFop gs\n"), prepend=True)
        pdf.trailer.Info.Trapped = pikepdf.Name("/False")

    return _edit(data, change)


GOOD_BODY = (
    '<p>Press</p><div style="background: device-cmyk(0.6 0 0 0); font-size: 30pt">OVER</div>'
    '<img src="big.jpg" style="width: 40mm">'
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("preflight")
    _jpeg(where, "big.jpg", 600, 400)  # 40 mm wide: 381 ppi
    _jpeg(where, "small.jpg", 40, 30)  # 80 mm wide: 13 ppi
    return where


@pytest.fixture(scope="module")
def good(folder: Path) -> bytes:
    return _press_ready(_weasyprint(folder, GOOD_BODY))


def _contents(page: Any) -> list[Any]:
    """The page's content streams."""
    contents = page.obj.Contents
    return list(contents) if isinstance(contents, pikepdf.Array) else [contents]


def _errors(report: Report) -> list[str]:
    return [f.code for f in report.findings if f.severity == "error"]


def _only_line(report: Report, code: str) -> str:
    """The report's one error or warning line, which must be of ``code``."""
    lines = report.lines()
    assert len(lines) == 1, lines
    match = LINE.match(lines[0])
    assert match is not None, lines[0]
    assert match["code"] == code, lines[0]
    return lines[0]


# -- a press-ready PDF passes ------------------------------------------------------------------------


@pytest.mark.slow
def test_a_press_ready_pdf_x4_passes_with_no_finding(good: bytes) -> None:
    report = preflight(good, name="good.pdf")
    assert report.findings == ()
    assert not report.failed
    assert report.claim == "PDF/X-4"
    assert report.pdf_version == "1.6"
    (page,) = report.pages
    assert page.colour_spaces == ("DeviceCMYK", "Separation All")
    assert page.marks_in_bleed == 0  # the crop marks are outside the bleed
    assert page.fonts and all("DejaVu" in f for f in page.fonts)
    (image,) = page.images
    assert (image.width, image.height, image.placed_width_mm) == (600, 400, 40.0)
    assert image.ppi == pytest.approx(381, abs=1)
    # the image is M 50 + Y 100; the black text overprints its cyan 60%: 160% where they meet; the
    # crop marks' 400% are outside the BleedBox, and not measured
    assert 158 <= page.max_ink <= 162
    assert page.over_limit_mm2 == 0
    assert summary(report) == "good.pdf: PDF/X-4, 1 page, CMYK + registration, max ink 160%, 1 image ≥ 381 ppi: passes"


@pytest.mark.slow
def test_ghostscript_honours_overprint_on_its_cmyk_device(folder: Path) -> None:
    """Black text on cyan 60% measures 160% when it overprints and 100% when it knocks out (the ink
    module's comment says why)."""
    body = '<div style="background: device-cmyk(0.6 0 0 0); font-size: 30pt">OVER</div>'
    pdf = _weasyprint(folder, body)
    overprinting = preflight(_press_ready(pdf))
    knocking_out = preflight(_press_ready(pdf, overprint=False))
    assert overprinting.pages[0].max_ink == pytest.approx(160, abs=1)
    assert knocking_out.pages[0].max_ink == pytest.approx(100, abs=1)
    line = _only_line(knocking_out, "black-knockout")
    assert line.startswith("PDF:page 1: warning[black-knockout]: 1 text run in black (K alone) knocks out")
    assert not knocking_out.failed  # a warning


# -- each bad PDF fails with its one line -------------------------------------------------------------


@pytest.mark.slow
def test_rgb_text_fails_with_rgb(folder: Path) -> None:
    Image.new("RGB", (400, 300), (250, 200, 120)).save(folder / "rgb.jpg", "JPEG")
    body = '<p style="color: rgb(200, 30, 30)">Red</p><img src="rgb.jpg" style="width: 40mm">'
    line = _only_line(preflight(_press_ready(_weasyprint(folder, body)), name="rgb.pdf"), "rgb")
    assert line == (
        "rgb.pdf:page 1: error[rgb]: text in DeviceRGB (1 use) and 1 image in DeviceRGB: a press separates CMYK; "
        "convert to the output intent's CMYK"
    )


@pytest.mark.slow
def test_a_missing_output_intent_fails_though_the_claim_is_kept(good: bytes) -> None:
    def drop(pdf: pikepdf.Pdf) -> None:
        del pdf.Root["/OutputIntents"]

    report = preflight(_edit(good, drop), name="x.pdf")
    line = _only_line(report, "no-output-intent")
    assert line.startswith("x.pdf: error[no-output-intent]: no /OutputIntents entry with /S /GTS_PDFX")
    assert report.claim == "PDF/X-4"


@pytest.mark.slow
def test_an_rgb_output_intent_fails(good: bytes) -> None:
    def rgb(pdf: pikepdf.Pdf) -> None:
        profile = Path("/usr/share/color/icc/ghostscript/srgb.icc").read_bytes()
        pdf.Root.OutputIntents[0].DestOutputProfile = pdf.make_stream(profile, N=3)

    line = _only_line(preflight(_edit(good, rgb)), "intent-not-cmyk")
    assert "profile is RGB, not CMYK" in line


@pytest.mark.slow
def test_no_pdfx_claim_fails(good: bytes) -> None:
    def unclaim(pdf: pikepdf.Pdf) -> None:
        del pdf.Root["/Metadata"]

    report = preflight(_edit(good, unclaim))
    assert report.claim is None
    assert _only_line(report, "no-pdfx").startswith("PDF: error[no-pdfx]: no PDF/X claim: a press needs PDF/X")


@pytest.mark.slow
def test_weasyprint_crop_marks_are_marks_in_the_bleed(folder: Path) -> None:
    """WeasyPrint's ``marks: crop`` with ``bleed: 3mm`` draws its marks inside the BleedBox, which is its MediaBox.

    It draws them in DeviceRGB black (rgb, and 296% of ink as Ghostscript converts it): recoloured
    to K, the marks alone are left."""
    made = _weasyprint(folder, "<p>Marks</p>", marks=True)
    raw = preflight(_press_ready(made, media=False))
    assert sorted(set(_errors(raw))) == ["ink-limit", "marks-in-bleed", "rgb"]

    def recolour(pdf: pikepdf.Pdf) -> None:
        marks = pdf.pages[0].Resources.XObject["/x0"]
        marks.write(marks.read_bytes().replace(b"0 0 0 rg", b"0 0 0 1 k").replace(b"0 0 0 RG", b"0 0 0 1 K"))

    report = preflight(_edit(_press_ready(made, media=False), recolour), name="marks.pdf")
    line = _only_line(report, "marks-in-bleed")
    assert line.startswith(
        "marks.pdf:page 1: error[marks-in-bleed]: 8 marks are drawn in the bleed, outside the TrimBox "
        "(the MediaBox is the BleedBox"
    )
    assert line.endswith("draw marks outside the BleedBox, on a MediaBox larger than it")
    assert report.pages[0].marks_in_bleed == 8


@pytest.mark.slow
def test_a_low_resolution_image_fails(folder: Path) -> None:
    pdf = _press_ready(_weasyprint(folder, '<img src="small.jpg" style="width: 80mm">'))
    report = preflight(pdf)
    line = _only_line(report, "low-resolution")
    assert "image" in line and "of 40×30 px is placed 80×60 mm: 13 ppi, under 150" in line
    assert line.endswith("use 473×355 px or more, or place it smaller")
    assert preflight(pdf, min_ppi=12).findings == ()


@pytest.mark.slow
def test_ink_over_the_limit_fails(folder: Path) -> None:
    box = '<div style="background: device-cmyk(1 1 1 1); width: 20mm; height: 20mm"></div>'
    report = preflight(_press_ready(_weasyprint(folder, box)))
    line = _only_line(report, "ink-limit")
    assert re.search(r"total ink reaches 400%, over the limit of 240% on \d+(\.\d)? mm²", line), line
    assert report.pages[0].over_limit_mm2 == pytest.approx(400, rel=0.05)
    assert preflight(_press_ready(_weasyprint(folder, box)), ink_limit=400).findings == ()


@pytest.mark.slow
def test_ink_within_the_rounding_of_8_bits_passes(folder: Path) -> None:
    """C, M, Y and K 60% each render as 153/255: exactly 240%; 2 points of rounding are allowed, not 3."""
    box = _press_ready(_weasyprint(folder, '<div style="background: device-cmyk(0.6 0.6 0.6 0.6); height: 9mm"></div>'))
    report = preflight(box, ink_limit=238)
    assert report.findings == ()
    assert report.pages[0].max_ink == 240.0
    assert report.pages[0].over_limit_mm2 == 0
    assert _errors(preflight(box, ink_limit=237)) == ["ink-limit"]


@pytest.mark.slow
def test_rich_black_text_fails(folder: Path) -> None:
    pdf = _press_ready(_weasyprint(folder, '<p style="color: device-cmyk(0.5 0.3 0.3 1)">Rich</p>'))
    line = _only_line(preflight(pdf), "rich-black-text")
    assert "1 text run in rich black (K at least 90% with C+M+Y over 2%)" in line
    assert line.endswith("set text in K alone")


@pytest.mark.slow
def test_a_font_not_embedded_fails(good: bytes) -> None:
    def unembed(pdf: pikepdf.Pdf) -> None:
        for font in pdf.pages[0].Resources.Font.values():
            del font.DescendantFonts[0].FontDescriptor["/FontFile2"]

    line = _only_line(preflight(_edit(good, unembed)), "font-not-embedded")
    assert re.search(r"font \w+\+DejaVu-Serif \(CIDFontType2\) is not embedded", line), line


@pytest.mark.slow
def test_a_glyph_the_font_lacks_fails(good: bytes) -> None:
    def show_missing(pdf: pikepdf.Pdf) -> None:
        for part in _contents(pdf.pages[0]):
            data = part.read_bytes()
            if b"TJ" in data:
                part.write(data.replace(b"TJ", b"TJ [<7fff>] TJ", 1))

    line = _only_line(preflight(_edit(good, show_missing)), "font-undrawable")
    assert "lacks 1 glyph the page shows (CID 32767)" in line


@pytest.mark.slow
def test_a_cid_the_cff_charset_lacks_fails(folder: Path) -> None:
    """A CID the CID-keyed CFF's charset lacks is told, by its number."""
    face = ROOT / "fonts" / "ExporterSerifSC-Regular.otf"
    css = f"@font-face {{ font-family: Face; src: url({face.as_uri()}) }} p {{ font-family: Face }}"
    pdf = _press_ready(_weasyprint(folder, "<p>报纸</p>", css))
    report = preflight(pdf)
    assert report.findings == ()
    (font,) = report.pages[0].fonts
    assert re.fullmatch(r"[A-Z]{6}\+Face", font), font

    from fontTools.ttLib import TTFont

    with pikepdf.open(io.BytesIO(pdf)) as opened:
        (embedded,) = opened.pages[0].Resources.Font.values()
        program = embedded.DescendantFonts[0].FontDescriptor.FontFile3.read_bytes()
    charset = {0 if g == ".notdef" else int(g[3:]) for g in TTFont(io.BytesIO(program)).getGlyphOrder()}
    lacking = min(set(range(1, 65536)) - charset)

    def show_missing(pdf: pikepdf.Pdf) -> None:
        for part in _contents(pdf.pages[0]):
            data = part.read_bytes()
            if b"TJ" in data:
                part.write(data.replace(b"TJ", b"TJ [<%04x>] TJ" % lacking, 1))

    line = _only_line(preflight(_edit(pdf, show_missing)), "font-undrawable")
    assert f"(CIDFontType0) lacks 1 glyph the page shows (CID {lacking})" in line


@pytest.mark.slow
def test_glyph_ids_written_as_cids_of_a_sparse_cff_charset_fail(folder: Path) -> None:
    """WeasyPrint writes glyph ids as the codes of a CID-keyed CFF font: when the font's charset is sparse
    (a subset that kept its CIDs, here 0, 3568 and 6631), the codes 1 and 2 are CIDs the charset lacks."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    face = TTFont(ROOT / "fonts" / "ExporterSerifSC-Regular.otf")
    subsetter = subset.Subsetter(subset.Options(layout_features=[], notdef_outline=True))
    subsetter.populate(text="报纸")
    subsetter.subset(face)
    assert face.getGlyphOrder() == [".notdef", "cid03568", "cid06631"]
    face.save(folder / "sparse.otf")
    sparse = (folder / "sparse.otf").as_uri()
    css = f"@font-face {{ font-family: Sparse; src: url({sparse}) }} p {{ font-family: Sparse }}"
    line = _only_line(preflight(_press_ready(_weasyprint(folder, "<p>报纸</p>", css))), "font-undrawable")
    assert "(CIDFontType0) lacks 2 glyphs the page shows (CID 1, 2): they print as .notdef or nothing" in line


@pytest.mark.slow
def test_pdf_x1a_with_transparency_fails(folder: Path) -> None:
    pdf = _press_ready(_weasyprint(folder, '<p style="opacity: 0.5">Half</p>', variant="pdf/x-1a"))
    report = preflight(pdf)
    assert report.claim == "PDF/X-1a:2003"
    line = _only_line(report, "transparency")
    assert "PDF/X-1a:2003 allows no transparency, and the page has" in line
    assert "ExtGState /ca 0.5" in line
    # the same page is fine in PDF/X-4, which allows transparency
    assert preflight(_press_ready(_weasyprint(folder, '<p style="opacity: 0.5">Half</p>'))).findings == ()


@pytest.mark.slow
def test_the_documents_conditions(good: bytes) -> None:
    """/Trapped, the header version and the file /ID each fail alone."""

    def untrapped(pdf: pikepdf.Pdf) -> None:
        del pdf.trailer.Info["/Trapped"]

    assert "/Trapped in the Info dictionary is missing" in _only_line(preflight(_edit(good, untrapped)), "trapped")
    with pikepdf.open(io.BytesIO(good)) as pdf:
        out = io.BytesIO()
        pdf.save(out, force_version="1.7")
    line = _only_line(preflight(out.getvalue()), "pdf-version")
    assert "the header says PDF 1.7 but PDF/X-4 allows PDF 1.6 at most" in line


@pytest.mark.slow
def test_both_trimbox_and_artbox_fail_and_a_short_bleed_warns(good: bytes) -> None:
    def art(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].obj.ArtBox = pdf.pages[0].obj.TrimBox

    assert "both a TrimBox and an ArtBox" in _only_line(preflight(_edit(good, art)), "boxes")

    def short(pdf: pikepdf.Pdf) -> None:
        x0, y0, x1, y1 = (float(v) for v in pdf.pages[0].obj.TrimBox)
        pdf.pages[0].obj.BleedBox = pikepdf.Array([x0 - 1 * MM, y0 - 3 * MM, x1 + 3 * MM, y1 + 3 * MM])

    line = _only_line(preflight(_edit(good, short)), "bleed")
    assert "the bleed is under 3 mm (left 1.0 mm)" in line


# -- unreadable PDFs ---------------------------------------------------------------------------------


def test_unreadable_files_raise_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(PreflightError, match="no such file"):
        preflight(tmp_path / "missing.pdf")
    text = tmp_path / "text.pdf"
    text.write_text("hello")
    with pytest.raises(PreflightError, match="not a PDF"):
        preflight(text)
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.6\n" + b"\x00garbage" * 20)
    with pytest.raises(PreflightError, match="damaged"):
        preflight(damaged)
    locked = tmp_path / "locked.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(locked, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    with pytest.raises(PreflightError, match="encrypted with a password") as caught:
        preflight(locked)
    assert str(caught.value).startswith(f"{locked}: error: ")
    assert "\n" not in str(caught.value)


# -- the interpreter, on pages written by hand ---------------------------------------------------------


def _page(content: bytes, resources: dict[str, Any] | None = None, **boxes: list[float]) -> tuple[pikepdf.Pdf, Any]:
    """A one-page PDF and its page drawing ``content``, 200×200 pt, with ``resources`` (made direct)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    page.obj.Resources = pikepdf.Dictionary(resources or {})
    page.obj.Contents = pdf.make_stream(content)
    for key, value in boxes.items():
        page.obj[f"/{key}"] = pikepdf.Array(value)
    return pdf, page


def _form(pdf: Any, content: bytes, matrix: list[float], resources: dict[str, Any] | None = None) -> Any:
    return pdf.make_stream(
        content,
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Form,
        BBox=[0, 0, 100, 100],
        Matrix=matrix,
        Resources=pikepdf.Dictionary(resources or {}),
    )


def _image(pdf: Any, width: int, height: int, space: str = "/DeviceCMYK") -> Any:
    components = {"/DeviceCMYK": 4, "/DeviceRGB": 3, "/DeviceGray": 1}[space]
    return pdf.make_stream(
        bytes(width * height * components),
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=width,
        Height=height,
        ColorSpace=pikepdf.Name(space),
        BitsPerComponent=8,
    )


def test_image_resolution_takes_the_forms_matrix_and_the_smaller_of_its_two_ppi() -> None:
    pdf, page = _page(b"")
    image = _image(pdf, 300, 100)
    # the form halves everything; the image is placed 144×72 pt in the form: 72×36 pt on the page
    form = _form(pdf, b"q 144 0 0 72 0 0 cm /Im Do Q", [0.5, 0, 0, 0.5, 10, 10], {"/XObject": {"/Im": image}})
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm=form))
    page.obj.Contents = pdf.make_stream(b"/Fm Do")
    content = Interpreter().page(page)
    (placed,) = content.images
    # 300 px over 1 inch = 300 ppi across, 100 px over 0.5 inch = 200 ppi down: 200
    assert placed.ppi == pytest.approx(200)
    assert (placed.placed_width_mm, placed.placed_height_mm) == (25.4, 12.7)


def test_default_rgb_and_icc_spaces_are_named_by_their_components() -> None:
    pdf, page = _page(b"")
    rgb_profile = pdf.make_stream(Path("/usr/share/color/icc/ghostscript/srgb.icc").read_bytes(), N=3)
    cmyk_profile = pdf.make_stream(CMYK_PROFILE.read_bytes(), N=4)
    page.obj.Resources = pikepdf.Dictionary(
        ColorSpace=pikepdf.Dictionary(
            DefaultCMYK=pikepdf.Array([pikepdf.Name.ICCBased, cmyk_profile]),
            CS0=pikepdf.Array([pikepdf.Name.ICCBased, rgb_profile]),
        )
    )
    page.obj.Contents = pdf.make_stream(b"0 0 0 1 k 0 0 10 10 re f /CS0 cs 1 0 0 sc 0 0 5 5 re f 0.5 G 0 0 m 9 9 l S")
    content = Interpreter().page(page)
    assert content.uses == {("ICCBased CMYK", "paths"): 1, ("ICCBased RGB", "paths"): 1, ("DeviceGray", "paths"): 1}


def test_black_text_overprints_only_with_op_and_opm_1_and_q_restores_the_state() -> None:
    gs = {
        "/OP": pikepdf.Dictionary(OP=True, OPM=1),  # /OP alone sets the fill's overprint too
        "/OPM0": pikepdf.Dictionary(op=True, OPM=0),
    }
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    resources = {"/ExtGState": gs, "/Font": {"/F": font}}
    content = (
        b"BT /F 10 Tf 0 0 0 1 k (a) Tj ET"  # knocks out
        b" q /OP gs BT /F 10 Tf 0 0 0 1 k (b) Tj ET Q"  # overprints
        b" BT /F 10 Tf 0 0 0 1 k (c) Tj ET"  # the Q undid the overprint: knocks out
        b" /OPM0 gs BT /F 10 Tf 0 0 0 1 k (d) Tj ET"  # op true, but OPM 0 knocks the other inks out
        b" BT /F 10 Tf 0.1 0.1 0.1 0.95 k (e) Tj 0.01 0 0 1 k (f) Tj 0.5 0.5 0.5 0.8 k (g) Tj ET"
        b" BT 3 Tr /F 10 Tf 1 1 1 1 k (h) Tj ET"  # invisible
        b" BT 0 Tr /F 10 Tf 0 g (i) Tj ET"  # grey 0: K 100%, knocks out
    )
    _pdf, page = _page(content, resources)  # the page lives as long as its PDF
    tallied = Interpreter().page(page)
    assert tallied.rich_black_text == 1  # e (C+M+Y 0.3); not f (0.01), not g (K 0.8), not h (invisible)
    assert tallied.knockout_black_text == 5  # a, c, d, f, i
    (shown,) = [codes for _font, codes in tallied.fonts.values()]
    assert shown == {bytes([c]) for c in b"abcdefghi"}


def test_printed_annotations_and_tiling_patterns_are_interpreted_hidden_annotations_not() -> None:
    pdf, page = _page(b"/Pattern cs /P0 scn 0 0 50 50 re f")
    cell = _form(pdf, b"0 1 0 rg 0 0 5 5 re f", [1, 0, 0, 1, 0, 0])
    cell.PatternType, cell.PaintType, cell.TilingType = 1, 1, 1
    cell.XStep, cell.YStep = 10, 10
    page.obj.Resources = pikepdf.Dictionary(Pattern=pikepdf.Dictionary(P0=cell))

    def annotation(flags: int, colour: bytes) -> Any:
        appearance = _form(pdf, colour + b" 0 0 100 100 re f", [1, 0, 0, 1, 0, 0])
        return pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Square,
            Rect=[10, 10, 60, 60],
            F=flags,
            AP=pikepdf.Dictionary(N=appearance),
        )

    page.obj.Annots = pikepdf.Array([annotation(4, b"1 0 0 1 k"), annotation(4 | 2, b"0 0 1 RG 0 0 1 rg")])
    tallied = Interpreter().page(page)
    # the pattern's cell (RGB, in the pattern: no mark) and the printed annotation (CMYK); not the hidden one
    assert tallied.uses == {("DeviceRGB", "paths"): 1, ("DeviceCMYK", "paths"): 1}
    # the filled area and the annotation, mapped onto its /Rect
    assert tallied.paths == [(0.0, 0.0, 50.0, 50.0), (10.0, 10.0, 60.0, 60.0)]


def test_transparency_is_found_in_ext_g_states_images_and_groups() -> None:
    pdf, page = _page(b"/G1 gs /G2 gs /G3 gs /G4 gs /Im Do /Fm Do")
    image = _image(pdf, 2, 2)
    image.SMask = _image(pdf, 2, 2, "/DeviceGray")
    form = _form(pdf, b"", [1, 0, 0, 1, 0, 0])
    form.Group = pikepdf.Dictionary(S=pikepdf.Name.Transparency)
    page.obj.Resources = pikepdf.Dictionary(
        ExtGState=pikepdf.Dictionary(
            G1=pikepdf.Dictionary(BM=pikepdf.Name.Multiply),
            G2=pikepdf.Dictionary(BM=pikepdf.Name.Normal, ca=1, CA=1, SMask=pikepdf.Name("/None")),
            G3=pikepdf.Dictionary(SMask=pikepdf.Dictionary(S=pikepdf.Name.Luminosity)),
            G4=pikepdf.Dictionary(BM=pikepdf.Array([pikepdf.Name.Compatible])),
        ),
        XObject=pikepdf.Dictionary(Im=image, Fm=form),
    )
    tallied = Interpreter().page(page)
    assert tallied.transparency == {
        "ExtGState /BM /Multiply": 1,
        "ExtGState soft mask": 1,
        "image /SMask": 1,
        "form transparency group": 1,
    }


def test_without_ghostscript_the_ink_check_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from exporter.preflight import ink

    monkeypatch.setattr(ink.shutil, "which", lambda name: None)
    with pytest.raises(PreflightError) as caught:
        ink.measure(Path("x.pdf"), 240)
    assert str(caught.value) == (
        "x.pdf: error: Ghostscript (gs) is not installed and the ink check renders with it: apt-get install ghostscript"
    )


def test_marks_are_paths_wholly_in_the_bleed_not_content_that_bleeds() -> None:
    trim = [20.0, 20.0, 180.0, 180.0]
    content = (
        b"0 0 0 1 K 12 185 m 18 185 l S"  # a crop mark, left of the trim: a mark
        b" 182 25 6 10 re f"  # a box right of the trim: a mark
        b" 10 10 50 50 re f"  # a box across the trim corner: content that bleeds
        b" 50 50 20 20 re f"  # inside the trim
        b" -20 90 10 10 re f"  # beyond the bleed, on the media: where marks belong
    )
    _pdf, page = _page(content, MediaBox=[-30, -30, 230, 230], BleedBox=[10, 10, 190, 190], TrimBox=trim)
    boxes = Boxes((-30, -30, 230, 230), (10, 10, 190, 190), (20, 20, 180, 180), True, False, True)
    tallied = Interpreter().page(page)
    assert len(tallied.paths) == 5
    assert marks_in_bleed(tallied.paths, boxes) == 2


def test_boxes_must_nest() -> None:
    nested = Boxes((0, 0, 100, 100), (5, 5, 95, 95), (10, 10, 90, 90), True, False, True)
    assert box_problems(nested) == [
        (
            "warning",
            "bleed",
            "the bleed is under 3 mm (left 1.8 mm, bottom 1.8 mm, right 1.8 mm, top 1.8 mm): white edges show "
            "where the trim wanders; bleed 3 mm on every side",
        )
    ]
    wide = Boxes((0, 0, 100, 100), (-5, 0, 100, 100), (10, 10, 90, 90), True, False, True)
    assert [p[2] for p in box_problems(wide) if p[1] == "boxes"] == [
        "the BleedBox is not inside the MediaBox: make the MediaBox larger"
    ]
    none = Boxes((0, 0, 100, 100), (0, 0, 100, 100), (0, 0, 100, 100), False, False, False)
    assert [p[1] for p in box_problems(none)] == ["boxes"]


def test_claims_are_read_from_info_and_xmp() -> None:
    with pikepdf.new() as pdf:
        pdf.trailer.Info = pdf.make_indirect(
            pikepdf.Dictionary(GTS_PDFXVersion="PDF/X-1:2001", GTS_PDFXConformance="PDF/X-1a:2001")
        )
        claim = claim_of(pdf)
        assert (claim.pdfx, claim.forbids_transparency) == ("PDF/X-1a:2001", True)
        xmp = (
            b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            b'<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" pdfaid:part="3" '
            b'pdfaid:conformance="B"/><rdf:Description rdf:about="" '
            b'xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"><pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>'
            b"</rdf:Description></rdf:RDF></x:xmpmeta>"
        )
        pdf.Root.Metadata = pdf.make_stream(xmp)
        claim = claim_of(pdf)
        assert claim == Claim("PDF/X-4", "PDF/A-3B")  # fields compared whole: pikepdf has a lazy module of that name
        assert not claim.forbids_transparency


# -- the command line ----------------------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "exporter", "preflight", *args], capture_output=True, text=True, env=env, check=False
    )


@pytest.mark.slow
def test_cli_exit_codes_lines_and_json(good: bytes, folder: Path, tmp_path: Path) -> None:
    passing = tmp_path / "good.pdf"
    passing.write_bytes(good)
    done = _run(str(passing))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{passing}: PDF/X-4, 1 page, CMYK + registration, max ink 160%, 1 image ≥ 381 ppi: passes\n"

    failing = tmp_path / "rich.pdf"
    failing.write_bytes(_press_ready(_weasyprint(folder, '<p style="color: device-cmyk(0.5 0.3 0.3 1)">R</p>')))
    done = _run(str(failing), str(passing))
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert LINE.match(lines[0]) and lines[0].startswith(f"{failing}:page 1: error[rich-black-text]: 1 text run")
    verdict = r": PDF/X-4, 1 page, CMYK \+ registration, max ink 2(09|10|11)%, no images: fails \(1 error\)"
    assert re.fullmatch(re.escape(str(failing)) + verdict, lines[1]), lines[1]
    assert lines[2].startswith(f"{passing}: ") and lines[2].endswith(": passes")
    assert done.stderr == ""

    done = _run("--json", "--ink-limit", "200", str(failing))
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert data["schema"] == "exporter.preflight/1"
    (one,) = data["files"]
    assert [(f["code"], f["page"]) for f in one["findings"]] == [("rich-black-text", 1), ("ink-limit", 1)]
    assert one["failed"] is True and one["claim"] == "PDF/X-4" and one["ink_limit"] == 200
    assert one["pages"][0]["max_ink"] == pytest.approx(210, abs=1)

    missing = tmp_path / "missing.pdf"
    done = _run(str(passing), str(missing))
    assert done.returncode == 2
    assert done.stderr == f"{missing}: error: no such file: check the path\n"
    assert done.stdout.endswith(": passes\n")

    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(good[: len(good) // 3])  # cut short: no xref, no trailer, streams cut
    done = _run(str(damaged))
    assert (done.returncode, done.stdout) == (2, ""), done.stdout
    assert done.stderr.startswith(f"{damaged}: error: ") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_to_json_holds_every_finding() -> None:
    from exporter.preflight import Finding, PageFacts

    report = Report(
        "x.pdf",
        None,
        None,
        None,
        "1.7",
        (PageFacts(1, ("DeviceRGB",), (), (), 296.0, 12.5, 0),),
        (Finding("error", "no-pdfx", None, "no PDF/X claim"), Finding("warning", "bleed", 1, "short")),
        240,
        150,
    )
    data = to_json(report)
    assert data["findings"] == [
        {"severity": "error", "code": "no-pdfx", "page": None, "message": "no PDF/X claim"},
        {"severity": "warning", "code": "bleed", "page": 1, "message": "short"},
    ]
    assert data["failed"] is True and data["pages"][0]["over_limit_mm2"] == 12.5
    assert report.lines() == ["x.pdf: error[no-pdfx]: no PDF/X claim", "x.pdf:page 1: warning[bleed]: short"]
