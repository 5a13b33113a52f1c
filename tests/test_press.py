"""The print PDF for a press: colour separated into the output intent's CMYK, ink held, marks outside the bleed."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest

from exporter.editions.pdf.press import (
    Ink,
    Press,
    Separator,
    limit_ink,
    press_of,
    rgb_hex,
    shipped_profile,
)
from exporter.errors import ExporterError, ThemeError
from exporter.pipeline import build
from exporter.theming import load
from exporter.theming import new as new_theme

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "binhai-daily.md"
MM = 72 / 25.4


def _press(**inks: Ink) -> Press:
    return Press(shipped_profile(), "CGATS TR 002", "newsprint", 240, {rgb_hex(_rgb(k)): v for k, v in inks.items()})


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    text = hex_colour.lstrip("#")
    return (int(text[0:2], 16) / 255, int(text[2:4], 16) / 255, int(text[4:6], 16) / 255)


# ---- colours ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("colour", "cmyk"),
    [
        ("#111111", (0, 0, 0, 1)),  # the body text: black, the black plate alone
        ("#000000", (0, 0, 0, 1)),
        ("#1b1b1b", (0, 0, 0, 1)),
        ("#cccccc", (0, 0, 0, 0.2)),  # rules: a grey on the black plate
        ("#999999", (0, 0, 0, 0.4)),
        ("#ffffff", (0, 0, 0, 0)),
    ],
)
def test_neutral_colours_go_to_the_black_plate_alone(colour: str, cmyk: tuple[float, ...]) -> None:
    ink = Separator(_press()).rgb(_rgb(colour))
    assert ink.cmyk == pytest.approx(cmyk, abs=0.002)


def test_only_full_black_overprints() -> None:
    separator = Separator(_press())
    assert separator.rgb(_rgb("#111111")).black
    assert not separator.rgb(_rgb("#444444")).black
    assert not separator.rgb(_rgb("#a4161a")).black


def test_a_colour_is_separated_by_the_profile_within_the_ink_limit() -> None:
    """The masthead red, through littleCMS into newsprint CMYK: magenta and yellow, little cyan, within 240%."""
    c, m, y, k = Separator(_press()).rgb(_rgb("#a4161a")).cmyk
    assert m > 0.8 and y > 0.6 and c < 0.3
    assert c + m + y + k <= 2.4 + 1e-6
    blue = Separator(_press()).rgb((0.0, 0.2, 0.6)).cmyk
    assert blue[0] > 0.8 and blue[2] < 0.2


def test_the_theme_gives_a_colour_its_own_cmyk_or_spot() -> None:
    process = Ink((0.0, 1.0, 0.85, 0.1))
    spot = Ink((0.0, 1.0, 0.81, 0.04), "PANTONE 186 C")
    separator = Separator(_press(**{"#a4161a": process, "#003366": spot}))
    assert separator.rgb(_rgb("#a4161a")) == process
    assert separator.rgb(_rgb("#003366")) == spot


def test_the_ink_limit_moves_grey_to_black_first() -> None:
    import numpy as np

    held = limit_ink(np.array([[0.9, 0.8, 0.8, 0.5]]), 2.4)[0]
    assert held.sum() == pytest.approx(2.4)
    assert held[3] > 0.5  # grey-component replacement raised black
    assert held[0] - held[1] == pytest.approx(0.1)  # the colour's balance kept
    under = np.array([[0.2, 0.3, 0.4, 0.5]])
    assert limit_ink(under, 2.4) == pytest.approx(under)
    four = limit_ink(np.array([[1.0, 1.0, 1.0, 1.0]]), 2.4)[0]
    assert four.sum() == pytest.approx(2.4) and four[3] == 1.0


def test_a_picture_is_separated_within_the_limit() -> None:
    from PIL import Image

    image = Image.new("RGB", (64, 8))
    for x in range(64):
        for y in range(8):
            image.putpixel((x, y), (x * 4 % 256, 0, (255 - x * 4) // (y + 1)))
    image.putpixel((0, 0), (0, 0, 0))
    data = Separator(_press()).picture(image, None)
    assert len(data) == 64 * 8 * 4
    totals = [sum(data[i : i + 4]) for i in range(0, len(data), 4)]
    assert max(totals) <= 240 * 255 / 100 + 4  # within the limit, to the byte's rounding
    assert data[3] > 200  # the black pixel is mostly black ink


# ---- the theme's press --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("ink_limit = 500", "ink_limit 500: give the paper's total ink in per cent, 100 to 400"),
        ('cmyk = { "red" = [0, 100, 100, 0] }', 'cmyk: `red` is not a colour: write it as "#a4161a"'),
        ('cmyk = { "#a4161a" = [0, 100, 85] }', 'cmyk "#a4161a": give four percentages'),
        ('cmyk = { "#a4161a" = [0, 100, 185, 0] }', 'cmyk "#a4161a": give four percentages'),
        ('marks = ["crop", "star"]', "marks: unknown `star`: use any of crop, registration, bars, slug"),
        ('cmyk_profile = "missing.icc"', "missing.icc: no such file"),
        ('cmyk_profile = "/usr/share/color/icc/ghostscript/srgb.icc"', "is a RGB profile: a press needs its CMYK"),
    ],
)
def test_a_press_the_theme_gets_wrong_is_one_line(tmp_path: Path, setting: str, message: str) -> None:
    folder = new_theme("pressed", "classic", tmp_path)
    toml = folder / "theme.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + f"\n[edition.pdf]\n{setting}\n", encoding="utf-8")
    with pytest.raises(ThemeError, match=r"\[edition.pdf\] ") as caught:
        press_of(load(folder))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_theme_names_its_printer_and_its_inks(tmp_path: Path) -> None:
    folder = new_theme("pressed", "classic", tmp_path)
    toml = folder / "theme.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + '\n[edition.pdf]\nink_limit = 260\ncmyk_profile = "/usr/share/color/icc/ghostscript/default_cmyk.icc"\n'
        + 'marks = ["crop"]\n[edition.pdf.cmyk]\n"#A4161A" = { spot = "PANTONE 186 C", cmyk = [0, 100, 81, 4] }\n',
        encoding="utf-8",
    )
    press = press_of(load(folder))
    assert press.ink_limit == 260 and press.marks == ("crop",)
    assert press.condition == "Artifex CMYK SWOP Profile"
    assert press.inks == {"#a4161a": Ink((0.0, 1.0, 0.81, 0.04), "PANTONE 186 C")}
    default = press_of(load("classic"))
    assert default.profile == shipped_profile() and default.ink_limit == 240
    assert default.condition == "CGATS TR 002"


def test_the_shipped_profile_is_a_newsprint_cmyk_output_profile() -> None:
    from PIL import ImageCms

    profile = ImageCms.getOpenProfile(str(shipped_profile())).profile
    assert profile.xcolor_space.strip() == "CMYK" and profile.device_class == "prtr"
    assert "TR 002" in profile.profile_description
    licence = shipped_profile().parent / "LICENSE.txt"
    assert "TR 002" in licence.read_text(encoding="utf-8")


# ---- the built PDF -------------------------------------------------------------------------------------------------


def _streams(pdf: object) -> list[tuple[object, object]]:
    """Every content stream of the document with its resources: pages, forms, tiling patterns."""
    import pikepdf

    assert isinstance(pdf, pikepdf.Pdf)
    found = [(page.obj, page.obj.get("/Resources")) for page in pdf.pages]
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and (obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1):
            found.append((obj, obj.get("/Resources")))
    return found


@pytest.fixture(scope="module", params=["classic", "vertical"])
def printed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"press-{request.param}")
    (built,) = build(EXAMPLE, ["pdf"], theme=request.param, out=out, cache_dir=out / "cache", print_marks=True)
    return built.path


@pytest.mark.slow
def test_no_rgb_is_left_and_black_text_is_black_alone_overprinting(printed: Path) -> None:
    import pikepdf

    texts = 0
    with pikepdf.open(printed) as pdf:
        for holder, resources in _streams(pdf):
            fill: tuple[float, ...] = ()
            overprint = False
            states = resources.get("/ExtGState", {}) if resources is not None else {}
            for item in pikepdf.parse_content_stream(holder):
                op = str(item.operator)
                assert op not in ("rg", "RG"), f"RGB colour in {holder.objgen}"
                if op == "k":
                    fill = tuple(float(v) for v in item.operands)
                elif op == "gs":
                    overprint = bool(states[item.operands[0]].get("/op", overprint))
                elif op in ("Tj", "TJ") and fill and fill[3] >= 0.9:
                    texts += 1
                    assert fill == (0, 0, 0, 1), f"rich black text {fill}"
                    assert overprint, "black text that knocks out"
            spaces = resources.get("/ColorSpace", {}) if resources is not None else {}
            assert "/DefaultRGB" not in spaces
            for image in (resources.get("/XObject", {}) if resources is not None else {}).values():
                if image.get("/Subtype") == "/Image" and not image.get("/ImageMask", False):
                    assert image.ColorSpace in ("/DeviceCMYK", "/DeviceGray"), image.ColorSpace
    assert texts > 50


@pytest.mark.slow
def test_the_output_intent_is_the_newsprint_profile(printed: Path) -> None:
    import pikepdf

    with pikepdf.open(printed) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "CGATS TR 002"
        assert intent.DestOutputProfile.read_bytes() == shipped_profile().read_bytes()
        assert int(intent.DestOutputProfile.N) == 4
        assert pdf.docinfo["/Trapped"] == "/False"
        assert pdf.pdf_version == "1.6"


@pytest.mark.slow
def test_boxes_nest_and_the_marks_stand_outside_the_bleed(printed: Path) -> None:
    import pikepdf

    with pikepdf.open(printed) as pdf:
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            media = [float(v) for v in page.obj.MediaBox]
            assert "/ArtBox" not in page.obj
            assert [round((t - b) / MM * s, 2) for t, b, s in zip(trim, bleed, (1, 1, -1, -1), strict=True)] == [
                3.0
            ] * 4
            assert all((b - m) * s >= 10 * MM for b, m, s in zip(bleed, media, (1, 1, -1, -1), strict=True))
            marks = page.obj.Contents[-1].read_bytes()
            assert b"/exporter-all CS" in marks  # registration colour: every plate
            points = _points(marks.split(b"/exporter-all cs 1 SCN 1 scn", 1)[1].split(b"q", 1)[0])
            assert len(points) >= 16  # eight crop marks, four targets
            for x, y in points:
                assert not (bleed[0] < x < bleed[2] and bleed[1] < y < bleed[3]), (x, y)
            separation = page.obj.Resources.ColorSpace["/exporter-all"]
            assert separation[0] == "/Separation" and separation[1] == "/All"


def _points(ops: bytes) -> list[tuple[float, float]]:
    numbers: list[float] = []
    points = []
    for token in ops.split():
        try:
            numbers.append(float(token))
        except ValueError:
            if token in (b"m", b"l"):
                points.append((numbers[-2], numbers[-1]))
            numbers = []
    return points


@pytest.mark.slow
def test_the_black_plate_alone_carries_the_text(printed: Path, tmp_path: Path) -> None:
    """Ghostscript's separations of a page without pictures: where the black plate is dark (text, rules), the
    cyan, magenta and yellow plates are bare: black text is not four-colour black."""
    import pikepdf
    from PIL import Image

    with pikepdf.open(printed) as pdf:
        number = next(n for n, page in enumerate(pdf.pages, 1) if not _draws_pictures(page))
    subprocess.run(
        [
            "gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", "-r50", f"-dFirstPage={number}",
            f"-dLastPage={number}", "-dUseTrimBox", f"-sOutputFile={tmp_path / 'p.tif'}", str(printed),
        ],
        check=True,
    )  # fmt: skip
    # tiffsep writes each plate as a grey picture of its ink inverted: 255 is bare paper, 0 full ink.
    plates = [
        Image.open(tmp_path / f"p({name}).tif").convert("L").tobytes()
        for name in ("Cyan", "Magenta", "Yellow", "Black")
    ]
    dark = [i for i, v in enumerate(plates[3]) if v < 100]  # over 60% black
    coloured = [i for i in dark if min(plates[0][i], plates[1][i], plates[2][i]) < 230]
    assert len(dark) > 500
    assert len(coloured) <= len(dark) // 200, f"{len(coloured)} of {len(dark)} black pixels carry colour"


def _draws_pictures(page: object) -> bool:
    import pikepdf

    assert isinstance(page, pikepdf.Page)
    xobjects = page.obj.Resources.get("/XObject", {})
    return any(
        str(item.operator) == "Do" and xobjects[item.operands[0]].get("/Subtype") == "/Image"
        for item in pikepdf.parse_content_stream(page)
    )


def test_press_ready_reads_back_what_it_wrote() -> None:
    """On a PDF of WeasyPrint's own: RGB gone, the intent set, the boxes nested."""
    import pikepdf
    from weasyprint import HTML

    html = (
        "<style>@page { size: 100mm 80mm; bleed: 3mm } p { color: #111 } h1 { color: #a4161a }"
        " div { background: #ccc; height: 5mm }</style><h1>滨海</h1><p>文字</p><div></div>"
    )
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    from exporter.editions.pdf.press import press_ready

    out = press_ready(pdf, _press(), slugs=["滨海日报  1/1"], bleed=True)
    with pikepdf.open(io.BytesIO(out)) as doc:
        operators = [str(i.operator) for i in pikepdf.parse_content_stream(doc.pages[0])]
        assert "rg" not in operators and "k" in operators
        assert str(doc.Root.OutputIntents[0].OutputConditionIdentifier) == "CGATS TR 002"
        page = doc.pages[0].obj
        assert float(page.MediaBox[0]) < float(page.BleedBox[0]) < float(page.TrimBox[0])


# ---- preflight on what the build writes ---------------------------------------------------------------------------


@pytest.mark.slow
def test_preflight_passes_the_print_pdf_with_nothing_to_say(printed: Path) -> None:
    from exporter.preflight import preflight

    report = preflight(printed)
    assert report.claim == "PDF/X-4" and not report.failed
    assert [f.line(printed.name) for f in report.findings if f.severity != "info"] == []
    assert 0 < max(page.max_ink for page in report.pages) <= 240
    assert all(use.ppi >= 150 for page in report.pages for use in page.images)


@pytest.mark.slow
@pytest.mark.parametrize("theme", ["classic", "vertical"])
def test_preflight_passes_the_samples_print_pdf(sample_path: Path, tmp_path: Path, theme: str) -> None:
    """The newspaper's own issue, in both themes: what the build wrote is what preflight passes."""
    from exporter.preflight import preflight

    (built,) = build(sample_path, ["pdf"], theme=theme, out=tmp_path, cache_dir=tmp_path / "cache", print_marks=True)
    report = preflight(built.path)
    assert not report.failed and [f for f in report.findings if f.severity != "info"] == []
    assert report.claim == "PDF/X-4" and len(report.pages) >= 4


@pytest.mark.slow
def test_the_build_writes_no_pdf_that_preflight_fails(tmp_path: Path) -> None:
    """A theme whose red lays down 300% of ink on newsprint that takes 240%: refused, nothing written."""
    folder = new_theme("inky", "classic", tmp_path)
    toml = folder / "theme.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + '\n[edition.pdf.cmyk]\n"#a4161a" = [100, 100, 100, 0]\n', encoding="utf-8"
    )
    out = tmp_path / "out"
    with pytest.raises(ExporterError) as caught:
        build(EXAMPLE, ["pdf"], theme=folder, out=out, cache_dir=tmp_path / "cache", print_marks=True)
    message = str(caught.value)
    assert (
        "the print PDF fails preflight on page 1: ink-limit: total ink reaches 300%, over the limit of 240%" in message
    )
    assert message.endswith("nothing was written") and "\n" not in message
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.slow
def test_a_pdf_x_1a_is_opaque_and_passes(tmp_path: Path) -> None:
    """PDF/X-1a without --print: PDF 1.4, no transparency group, the trim the page, preflight passes it."""
    import pikepdf

    from exporter.preflight import preflight

    (built,) = build(EXAMPLE, ["pdf"], out=tmp_path, cache_dir=tmp_path / "cache", pdf_variant="pdf/x-1a")
    with pikepdf.open(built.path) as pdf:
        assert pdf.pdf_version == "1.4"
        for page in pdf.pages:
            assert "/Group" not in page.obj and "/ArtBox" not in page.obj
            assert [float(v) for v in page.obj.TrimBox] == [float(v) for v in page.obj.MediaBox]
    report = preflight(built.path)
    assert report.claim is not None and report.claim.startswith("PDF/X-1a") and not report.failed


@pytest.mark.slow
def test_a_spot_colour_the_theme_names_prints_on_its_own_plate(tmp_path: Path) -> None:
    """The masthead red as PANTONE 186 C: a Separation that Ghostscript gives its own plate, and preflight passes."""
    from PIL import Image

    from exporter.preflight import preflight

    folder = new_theme("spotted", "classic", tmp_path)
    toml = folder / "theme.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + '\n[edition.pdf.cmyk]\n"#a4161a" = { spot = "PANTONE 186 C", cmyk = [0, 100, 81, 4] }\n',
        encoding="utf-8",
    )
    (built,) = build(
        EXAMPLE, ["pdf"], theme=folder, out=tmp_path / "out", cache_dir=tmp_path / "cache", print_marks=True
    )
    report = preflight(built.path)
    assert not report.failed and "PANTONE 186 C" in " ".join(report.pages[0].colour_spaces)
    subprocess.run(
        [
            "gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", "-r30", "-dFirstPage=1",
            "-dLastPage=1", "-dUseTrimBox", f"-sOutputFile={tmp_path / 'p.tif'}", str(built.path),
        ],
        check=True,
    )  # fmt: skip
    spot = Image.open(tmp_path / "p(PANTONE 186 C).tif").convert("L")
    magenta = Image.open(tmp_path / "p(Magenta).tif").convert("L")
    # The red is on the spot plate (the masthead, the section bar) and off the magenta one but for the photo.
    assert sum(spot.histogram()[:128]) > 1000
    assert sum(magenta.histogram()[:128]) < sum(spot.histogram()[:128]) // 4
