"""Every kind of PDF looks the same in poppler, MuPDF and Ghostscript, and MuPDF and qpdf find nothing wrong in it.

The kinds are the default (classic) edition, ``--theme vertical``, ``--theme reader``, ``--print``,
``--pdf-variant pdf/a-3b`` and ``--print --theme vertical``, of each of the project's examples
(binhai, numbers, hk: those there are) and of the newspaper's sample. Each PDF is built once
per session; how pages are drawn and compared, and why the tolerance is what it is, is in
:mod:`tests.renderers`. The metric itself is tested on PDFs WeasyPrint makes here with the system
Noto CJK fonts, which all three readers draw: a correct page passes, the same page with one
character or one headline digit changed fails, at the place of the change.

Runtime: 110 s on 2 cores for the three examples and the sample (83 tests: 24 PDFs, each built once
and drawn and compared in 1.5 to 6 s), of which 13 s for the metric's own tests.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageOps

from exporter.pipeline import build
from tests import renderers
from tests.conftest import EXAMPLE, HK, NUMBERS, TABLES

# name: the options of exporter.pipeline.build (the CLI's --theme, --print, --pdf-variant)
KINDS: dict[str, dict[str, Any]] = {
    "classic": {"theme": "classic"},
    "vertical": {"theme": "vertical"},
    "reader": {"theme": "reader"},
    "print": {"theme": "classic", "print_marks": True},
    "pdf-a-3b": {"theme": "classic", "pdf_variant": "pdf/a-3b"},
    "vertical-print": {"theme": "vertical", "print_marks": True},
}
ISSUES = [path for path in (EXAMPLE, NUMBERS, HK, TABLES) if path.is_file()]
CASES = [(issue, kind) for issue in ISSUES for kind in KINDS]
IDS = [f"{issue.stem}-{kind}" for issue, kind in CASES]


class Builds:
    """The PDFs of the session, each built the first time a test asks for it (a failed build is kept too)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.found: dict[tuple[Path, str], Path | BaseException] = {}

    def pdf(self, issue: Path, kind: str) -> Path:
        key = (issue, kind)
        if key not in self.found:
            try:
                out = self.folder / issue.stem / kind
                (built,) = build(issue, ["pdf"], out=out, cache_dir=self.folder / "cache", **KINDS[kind])
                self.found[key] = built.path
            except Exception as exc:
                self.found[key] = exc
        found = self.found[key]
        if isinstance(found, BaseException):
            raise AssertionError(f"{issue.name} ({kind}) did not build: {found}") from found
        return found


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    return Builds(tmp_path_factory.mktemp("renderers"))


def check_renderers_agree(pdf: Path, kind: str, tmp_path: Path) -> None:
    renderers.assert_renderers_agree(pdf, tmp_path / f"{pdf.stem}-{kind}")


def check_mutool(pdf: Path) -> None:
    found = renderers.mutool_warnings(pdf)
    assert found == [], f"mutool draw says {len(found)} things about {pdf}:\n{renderers.summarize(found)}"


def check_qpdf(pdf: Path) -> None:
    check = renderers.qpdf_check(pdf)
    assert check.passed, f"qpdf --check {pdf} exits {check.status}:\n{check.output}"


@pytest.mark.parametrize(("issue", "kind"), CASES, ids=IDS)
def test_the_three_renderers_draw_every_page_alike(issue: Path, kind: str, builds: Builds, tmp_path: Path) -> None:
    check_renderers_agree(builds.pdf(issue, kind), kind, tmp_path)


@pytest.mark.parametrize(("issue", "kind"), CASES, ids=IDS)
def test_mutool_draws_every_page_without_a_warning(issue: Path, kind: str, builds: Builds) -> None:
    check_mutool(builds.pdf(issue, kind))


@pytest.mark.parametrize(("issue", "kind"), CASES, ids=IDS)
def test_qpdf_finds_nothing_wrong(issue: Path, kind: str, builds: Builds) -> None:
    check_qpdf(builds.pdf(issue, kind))


@pytest.mark.parametrize("kind", KINDS)
def test_the_three_renderers_draw_every_page_of_the_sample_alike(
    sample_path: Path, kind: str, builds: Builds, tmp_path: Path
) -> None:
    check_renderers_agree(builds.pdf(sample_path, kind), kind, tmp_path)


@pytest.mark.parametrize("kind", KINDS)
def test_mutool_draws_every_page_of_the_sample_without_a_warning(sample_path: Path, kind: str, builds: Builds) -> None:
    check_mutool(builds.pdf(sample_path, kind))


@pytest.mark.parametrize("kind", KINDS)
def test_qpdf_finds_nothing_wrong_in_the_sample(sample_path: Path, kind: str, builds: Builds) -> None:
    check_qpdf(builds.pdf(sample_path, kind))


# The metric, on PDFs WeasyPrint makes with the system Noto CJK fonts, which the three draw right.

BODY = "港务集团负责人介绍，新航线采用联运方式，货物可在港区直接换装，比以往节省一天半时间。"
TEXT = (
    "本报讯　三月十七日上午，滨海港区东作业区迎来新航线首艘集装箱船。这条航线连接滨海与东南亚五个港口，"
    "每周两班，是今年港区开通的第三条国际航线。今年港区计划再开通两条新航线，力争集装箱吞吐量突破300万标箱。"
    "码头调度员王海燕说，新航线开通后，调度中心将实行全天候值守，确保船舶到港即靠、即卸即走。"
)


def _photo() -> str:
    image = Image.new("RGB", (240, 150))
    draw = ImageDraw.Draw(image)
    for y in range(150):
        draw.line([(0, y), (240, y)], fill=(170 - y // 2, 195 - y // 3, 235))
    draw.rectangle((40, 90, 200, 112), fill=(40, 40, 40))
    draw.ellipse((160, 20, 195, 55), fill=(250, 200, 60))
    out = io.BytesIO()
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def page_html(*, headline: str = "新航线开通15", body: str = BODY) -> str:
    """An A5 front page: a 40 pt bold sans masthead, a 22 pt headline ending in digits, 10 pt serif in
    two columns with a red rule between, a photo and a 9 pt caption. Every character sits at the
    same place whatever the headline's last digits and the body's characters are."""
    paragraphs = "".join(f"<p>{TEXT[i * 9 :] + TEXT[: i * 9]}</p>" for i in range(2))
    return f"""<html lang="zh-CN"><head><style>
@page {{ size: A5; margin: 12mm; }}
body {{ font: 10pt/1.6 "Noto Serif CJK SC"; }}
h1 {{ font: 700 40pt "Noto Sans CJK SC"; text-align: center; margin: 0; border-bottom: 3px solid #c00; }}
h2 {{ font: 700 22pt "Noto Sans CJK SC"; margin: 3mm 0 2mm; }}
.cols {{ columns: 2; column-gap: 6mm; column-rule: 1px solid #c00; text-align: justify; }}
.small {{ font-size: 9pt; }}
img {{ width: 100%; }}
</style></head><body>
<h1>滨海日报</h1><p class="small">2026年3月18日　星期三　农历丙午年正月三十　总第12088期</p>
<h2>{headline}</h2>
<div class="cols"><p>{body}</p><img src="{_photo()}"><p class="small">新航线首艘集装箱船靠泊东作业区（记者 周宁 摄）</p>
{paragraphs}</div></body></html>"""


# One character of a 10 pt body line, and one digit of the headline (15 drawn as 1).
FAULTS: dict[str, dict[str, str]] = {
    "body character": {"body": BODY.replace("集", "海", 1)},
    "headline digit": {"headline": "新航线开通1"},
}


@dataclass(frozen=True)
class Drawn:
    pdf: Path
    pages: dict[str, list[Image.Image]]


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Drawn]:
    """The correct page and each faulty one, as PDFs and as each renderer draws them."""
    import weasyprint

    folder = tmp_path_factory.mktemp("metric")
    out: dict[str, Drawn] = {}
    for name, change in {"correct": {}, **FAULTS}.items():
        pdf = folder / f"{name.replace(' ', '-')}.pdf"
        weasyprint.HTML(string=page_html(**change)).write_pdf(pdf)
        out[name] = Drawn(pdf, renderers.render(pdf))
    return out


def test_a_correct_page_looks_the_same_in_the_three(drawn: dict[str, Drawn], tmp_path: Path) -> None:
    correct = drawn["correct"]
    assert {name: len(pages) for name, pages in correct.pages.items()} == dict.fromkeys(renderers.RENDERERS, 1)
    verdict = renderers.compare_renderings(correct.pages)
    renderers.assert_agree(verdict, str(correct.pdf), tmp_path)
    # And with room: the noise of agreeing renderers is about half the threshold.
    assert verdict.worst is not None and verdict.worst.score <= renderers.THRESHOLD * 3 // 4, verdict.worst
    # The helpers find nothing wrong in a sound file either.
    assert renderers.mutool_warnings(correct.pdf) == []
    assert renderers.qpdf_check(correct.pdf).passed


def _changed_area(a: Image.Image, b: Image.Image) -> tuple[int, int, int, int]:
    """Where two drawings of one renderer differ at all: the changed glyph."""
    box = ImageChops.difference(a, b).point(lambda v: 255 if v > 32 else 0).getbbox()
    assert box, "the faulty page is drawn exactly as the correct one"
    return box


@pytest.mark.parametrize("fault", FAULTS)
def test_one_changed_glyph_fails_in_every_pair_of_renderers(fault: str, drawn: dict[str, Drawn]) -> None:
    correct, faulty = drawn["correct"].pages, drawn[fault].pages
    left, top, right, bottom = _changed_area(correct["poppler"][0], faulty["poppler"][0])
    # One glyph: at most 1.5 cm across even at 22 pt.
    assert right - left < renderers.DPI * 0.6 and bottom - top < renderers.DPI * 0.6, (left, top, right, bottom)
    slack = 12
    for good in renderers.RENDERERS:
        for bad in renderers.RENDERERS:
            if good == bad:
                continue
            d = renderers.compare(
                renderers.prepare(correct[good][0]),
                renderers.prepare(faulty[bad][0]),
                names=(f"{good} (correct)", f"{bad} ({fault} changed)"),
            )
            assert d.fails, d
            # Failed where the glyph changed, and not on a difference of anti-aliasing elsewhere.
            assert left - slack <= d.x <= right + slack and top - slack <= d.y <= bottom + slack, (d, (left, top))


def test_a_failure_names_the_place_and_saves_the_pictures(drawn: dict[str, Drawn], tmp_path: Path) -> None:
    pages = {"poppler": drawn["correct"].pages["poppler"], "ghostscript": drawn["body character"].pages["ghostscript"]}
    verdict = renderers.compare_renderings(pages)
    folder = tmp_path / "pictures"
    with pytest.raises(AssertionError) as failure:
        renderers.assert_agree(verdict, "the page", folder)
    message = str(failure.value)
    assert str(folder) in message and "page 1" in message and " mm from the left" in message, message
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "page1-close-up.png",
        "page1-diff-poppler-ghostscript.png",
        "page1-ghostscript.png",
        "page1-poppler.png",
    ]


def test_the_three_draw_the_crop_box(drawn: dict[str, Drawn], tmp_path: Path) -> None:
    """A CropBox smaller than the MediaBox, off its origin, on a page upright and on one turned."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    writer = PdfWriter()
    for turn in (0, 90):
        writer.add_page(PdfReader(drawn["correct"].pdf).pages[0])
        page = writer.pages[-1]
        page.cropbox = RectangleObject([40.3, 90.7, 380.1, 560.5])
        page.rotate(turn)
    cropped = tmp_path / "cropped.pdf"
    writer.write(cropped)
    pages = renderers.render(cropped)
    upright = (round((380.1 - 40.3) / 72 * renderers.DPI), round((560.5 - 90.7) / 72 * renderers.DPI))
    for found in pages.values():
        sizes = [image.size for image in found]
        assert len(sizes) == 2
        assert abs(sizes[0][0] - upright[0]) <= 1 and abs(sizes[0][1] - upright[1]) <= 1, sizes
        assert abs(sizes[1][0] - upright[1]) <= 1 and abs(sizes[1][1] - upright[0]) <= 1, sizes
    renderers.assert_agree(renderers.compare_renderings(pages), str(cropped), tmp_path / "pictures")


def _strokes(shift: int = 0) -> Image.Image:
    image = Image.new("L", (400, 300), 255)
    draw = ImageDraw.Draw(image)
    for i in range(12):
        x = 20 + i * 30 + shift
        draw.line([(x, 40), (x, 260)], fill=0, width=2)
        draw.line([(x - 8, 60 + i * 15), (x + 8, 60 + i * 15)], fill=0, width=1)
    return image


Change = Callable[[Image.Image], Image.Image]


def _blot(image: Image.Image) -> Image.Image:
    out = image.copy()
    ImageDraw.Draw(out).rectangle((300, 150, 309, 159), fill=0)  # a dot 1.3 mm across at 200 dpi
    return out


@pytest.mark.parametrize(
    ("change", "fails", "why"),
    [
        (lambda im: _strokes(shift=1), False, "every stroke a pixel to the right"),
        (lambda im: ImageOps.invert(ImageOps.invert(im).point(lambda v: v * 9 // 10)), False, "strokes lighter"),
        (_blot, True, "a dot of ink"),
        (lambda im: im.point(lambda v: max(v - 8, 0)), True, "the whole page a little darker"),
    ],
    ids=["shifted", "lighter", "blot", "tinted"],
)
def test_what_the_metric_forgives(change: Change, fails: bool, why: str) -> None:
    base = _strokes()
    d = renderers.compare(renderers.prepare(base), renderers.prepare(change(base)))
    assert d.fails == fails, (why, d)


def test_pages_of_other_sizes_or_numbers_are_no_match() -> None:
    page = _strokes()
    bigger = page.resize((page.width + 6, page.height))
    assert renderers.compare_renderings({"a": [page], "b": [page.copy()]}).agree
    assert not renderers.compare_renderings({"a": [page], "b": [bigger]}).agree
    assert not renderers.compare_renderings({"a": [page, page], "b": [page.copy()]}).agree


def test_many_warnings_are_summed_up() -> None:
    lines = [f"warning: FT_Load_Glyph(ABCDEF+x,{n},FT_LOAD_NO_HINTING): invalid argument" for n in range(900)]
    lines += ["warning: cannot render glyph"] * 300
    assert renderers.summarize(lines).splitlines() == [
        "   900 × warning: FT_Load_Glyph(ABCDEF+x,N,FT_LOAD_NO_HINTING): invalid argument",
        "   300 × warning: cannot render glyph",
    ]
