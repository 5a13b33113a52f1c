"""The page report: pages made for the test with each make-up fault, horizontal and turned, and a real build.

The planted pages have a text area of exactly 24 lines (384 pt at 10 pt / 16 pt) and running heads
drawn as artifacts, as the print edition draws them: the report must measure each page's fill and
body lines, and find each fault as planted and nothing else.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from exporter.audit.pages import Jump, PageReport, _mismatched, number, page_report
from exporter.pipeline import build
from tests.conftest import EXAMPLE
from tests.pagereport import fills, page_findings

STYLE = """
@page {
  size: 340pt 464pt; margin: 40pt 30pt;
  @top-center { content: "滨海日报　要闻"; font: 7.5pt 'Noto Sans CJK SC' }
  @bottom-center { content: "责任编辑：林晓"; font: 7pt 'Noto Sans CJK SC' }
}
body { font: 10pt/16pt 'Noto Serif CJK SC'; margin: 0 }
p { margin: 0; text-align: justify; }
h2 { font-size: 20pt; line-height: 26pt; margin: 0; }
.page { break-after: page; }
.cols { display: flex; gap: 10pt; }
.cols > div { flex: 1; }
"""
#: 28 characters: a full line of the 280 pt measure.
FULL = "一二三四五六七八九十" * 2 + "甲乙丙丁戊己庚辛"
#: 8 characters: a line of a column a third of the measure wide.
NARROW = "一二三四五六七八"


def lines(n: int, text: str = FULL) -> str:
    return "<p>" + "<br>".join([text] * n) + "</p>"


#: The planted pages: full columns, a stranded headline, half full, a widow, jumps.
PAGES = [
    # 1: three columns of 24 lines: every column reaches the foot
    '<div class="cols">' + "".join(f"<div>{lines(24, NARROW)}</div>" for _ in range(3)) + "</div>",
    # 2: 21 lines, a headline and one line of its text at the foot
    lines(21) + "<h2>春季植树全民参与</h2>" + lines(1),
    # 3: 12 lines, half the area
    lines(12),
    # 4: two lines
    lines(2),
    # 5: a jump to page 6 that page 6 answers, one to page 3 that page 6 answers, 12 lines
    "<p>（下转第A03版·第6页）</p><p>（下转第3页）</p>" + lines(12),
    # 6: the answer to page 5, one naming page 4 (in Chinese numerals) that page 5 answers, 12 lines
    "<p>（上接第A02版·第5页）</p><p>（上接第四页）</p>" + lines(12),
]


def makeup_pdf(path: Path, pages: list[str], *, turned: bool = False) -> Path:
    """The pages as a tagged PDF with its margin boxes as artifacts (turned a quarter clockwise if asked)."""
    from weasyprint import HTML

    from exporter.editions.pdf.artifacts import margin_boxes_as_artifacts

    body = "".join(f'<div class="page">{page}</div>' for page in pages[:-1]) + f"<div>{pages[-1]}</div>"
    html = f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><style>{STYLE}</style>{body}</html>'
    with margin_boxes_as_artifacts():
        HTML(string=html).write_pdf(path, pdf_tags=True)
    if turned:
        import pikepdf

        with pikepdf.open(path, allow_overwriting_input=True) as pdf:
            for page in pdf.pages:
                page.obj["/Rotate"] = 90
            pdf.save(path)
    return path


#: The fill each planted page must read: the content's depth over the 384 pt area (the last line's
#: em box ends 3 pt above its line box), within TOLERANCE (the margins are read from the running heads).
EXPECTED_FILL = [381 / 384, (21 * 16 + 26 + 13) / 384, (12 * 16 - 3) / 384, (2 * 16 - 3) / 384, 221 / 384, 221 / 384]
TOLERANCE = 0.02


@pytest.mark.parametrize("turned", [False, True], ids=["horizontal", "turned"])
def test_each_planted_page_is_measured_and_each_fault_found(tmp_path: Path, turned: bool) -> None:
    """A page turned a quarter clockwise (as the vertical PDFs are) reads as the page it was laid out as."""
    report = page_report(makeup_pdf(tmp_path / "makeup.pdf", PAGES, turned=turned))
    assert report.artifacts
    assert [p.page for p in report.pages] == [1, 2, 3, 4, 5, 6]
    assert {p.vertical for p in report.pages} == {turned}
    assert [p.lines for p in report.pages] == [72, 22, 12, 2, 14, 14]
    for page, expected in zip(report.pages, EXPECTED_FILL, strict=True):
        assert abs(page.fill - expected) <= TOLERANCE, (page, expected)
    assert [(h.page, h.text, h.following) for h in report.stranded] == [(2, "春季植树全民参与", 1)]
    assert report.widows == (4,)
    assert report.underfull == (4,)
    assert [(j.page, j.direction, j.target, j.label, j.text) for j in report.jumps] == [
        (5, "下转", 6, "A03", "（下转第A03版·第6页）"),
        (5, "下转", 3, "", "（下转第3页）"),
        (6, "上接", 5, "A02", "（上接第A02版·第5页）"),
        (6, "上接", 4, "", "（上接第四页）"),
    ]
    assert [(m.jump.page, m.jump.target, m.reason) for m in report.mismatched] == [
        (5, 3, "the 上接 naming page 5 is on page 6, not page 3"),
        (6, 4, "the 下转 naming page 6 is on page 5, not page 4"),
    ]
    assert page_findings(tmp_path / "makeup.pdf") == [
        "page 2: stranded-headline: 1 body line after it on the page «春季植树全民参与»",
        "page 4: widow-page: 2 body lines on the page",
        "page 4: underfull-page: 8% full, under a third, and not the last page",
        "page 5: mismatched-jump: the 上接 naming page 5 is on page 6, not page 3 «（下转第3页）»",
        "page 6: mismatched-jump: the 下转 naming page 6 is on page 5, not page 4 «（上接第四页）»",
    ]


def test_a_full_first_column_and_two_empty_ones_read_a_third(tmp_path: Path) -> None:
    """Fill is averaged over the columns: one full column of three is a third, not a full page."""
    page = '<div class="cols">' + f"<div>{lines(24, NARROW)}</div><div></div><div></div></div>"
    pdf = makeup_pdf(tmp_path / "one.pdf", [page, lines(24)])
    first, second = fills(pdf)
    # the column's lines are 80 pt of the area's 280 pt: the blank beside them, up to the far edge, is empty
    assert abs(first - 80 / 280 * 381 / 384) <= TOLERANCE
    assert abs(second - 381 / 384) <= TOLERANCE
    assert page_report(pdf).underfull == (1,)


def test_the_last_page_may_be_underfull_but_not_a_widow(tmp_path: Path) -> None:
    report = page_report(makeup_pdf(tmp_path / "last.pdf", [lines(24), lines(1)]))
    assert report.underfull == ()
    assert report.widows == (2,)
    assert [p.lines for p in report.pages] == [24, 1]


def test_the_area_reaches_the_foot_margin_when_no_page_is_full(tmp_path: Path) -> None:
    """The foot of the area is read from the running foot, not from the fullest page; a picture is content."""
    from PIL import Image

    Image.new("RGB", (10, 10), "navy").save(tmp_path / "photo.png")
    picture = f'<img src="{(tmp_path / "photo.png").as_uri()}" style="display: block; width: 280pt; height: 160pt">'
    report = page_report(makeup_pdf(tmp_path / "half.pdf", [lines(12), lines(2) + picture, lines(12)]))
    assert [p.lines for p in report.pages] == [12, 2, 12]
    for page, expected in zip(report.pages, [189 / 384, (32 + 160) / 384, 189 / 384], strict=True):
        assert abs(page.fill - expected) <= TOLERANCE, (page, expected)
    assert (report.underfull, report.widows) == ((), (2,))


def test_a_headline_with_three_lines_or_a_headline_below_is_not_stranded(tmp_path: Path) -> None:
    """Three lines keep a headline; a short story ended by the next headline is not a stranded one."""
    kept = lines(19) + "<h2>春季植树</h2>" + lines(3)
    ended = lines(10) + "<h2>春季植树</h2>" + lines(1) + "<h2>全民参与</h2>" + lines(8)
    report = page_report(makeup_pdf(tmp_path / "kept.pdf", [kept, ended, lines(3)]))
    assert report.stranded == ()
    # and with two lines it is
    report = page_report(makeup_pdf(tmp_path / "two.pdf", [lines(20) + "<h2>春季植树</h2>" + lines(2), lines(3)]))
    assert [(h.page, h.following) for h in report.stranded] == [(1, 2)]


# -- the parts that read no PDF -----------------------------------------------------------------


def test_page_numbers_are_read_in_digits_and_chinese_numerals() -> None:
    assert [number(n) for n in ("3", "12", "三", "十", "十二", "二十", "二十三", "一百零五", "一〇五", "两")] == [
        3, 12, 3, 10, 12, 20, 23, 105, 105, 2,
    ]  # fmt: skip


def test_jumps_pair_by_the_pages_they_name() -> None:
    def jump(page: int, direction: str, target: int, label: str = "") -> Jump:
        return Jump(page, direction, target, label, f"{direction}{target}")

    matched = [jump(1, "下转", 3, "A03"), jump(3, "上接", 1, "A01")]
    assert _mismatched(matched, 3) == []
    beyond = jump(2, "下转", 9)
    assert [m.reason for m in _mismatched([beyond], 3)] == ["names page 9, and the PDF has 3"]
    # page 3 named as two 版: both jumps naming it are told
    twice = [*matched, jump(2, "下转", 3, "A04"), jump(3, "上接", 2, "A02")]
    assert [(m.jump.page, m.reason) for m in _mismatched(twice, 3)] == [
        (1, "page 3 is named as more than one 版 (A03、A04)"),
        (2, "page 3 is named as more than one 版 (A03、A04)"),
    ]


# -- the project's own PDFs ------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["classic", "vertical"])
def test_the_report_of_a_real_build(tmp_path: Path, theme: str) -> None:
    """Every page of the example is reported, in its direction, its front page nearly full; its jumps are read.

    The example is given three jump lines after its lead story's last paragraph: the vertical PDF
    sets their digits upright (A03 and 12 as tate-chu-yoko), and 二 is a Chinese numeral.
    """
    import shutil

    import pypdf

    text = EXAMPLE.read_text(encoding="utf-8")
    end = "力争集装箱吞吐量突破300万标箱。\n"
    assert text.count(end) == 1
    source = tmp_path / EXAMPLE.name
    source.write_text(text.replace(end, end + "\n（下转第A03版·第3页）\n\n（上接第二页）\n\n（下转第12页）\n"), "utf-8")
    shutil.copytree(EXAMPLE.parent / "images", tmp_path / "images")
    (built,) = build(source, ["pdf"], theme=theme, out=tmp_path / "out")
    report: PageReport = page_report(built.path)
    pages = len(pypdf.PdfReader(built.path).pages)
    assert len(report.pages) == pages
    assert {p.vertical for p in report.pages} == {theme == "vertical"}
    assert report.artifacts
    assert report.pages[0].fill >= 0.5  # the 报头, the 导读 and the lead story; a vertical front page holds less
    assert all(0 <= p.fill <= 1 for p in report.pages)
    # The make-up's own 转版 lines are there too (the lead story jumps); the three written in are read in order.
    written = {("下转", 3, "A03"), ("上接", 2, ""), ("下转", 12, "")}
    inserted = [j for j in report.jumps if (j.direction, j.target, j.label) in written]
    assert len({j.page for j in inserted}) == 1  # all on one page, after the paragraph they follow
    assert [(j.direction, j.target, j.label) for j in inserted] == [
        ("下转", 3, "A03"),
        ("上接", 2, ""),
        ("下转", 12, ""),
    ]
    assert len(report.jumps) == len(inserted) + 2
    assert [m.reason for m in report.mismatched][-1] == f"names page 12, and the PDF has {pages}"


# -- the command line ------------------------------------------------------------------------------


def test_the_command_line_shows_the_page_findings_and_exits_1(tmp_path: Path) -> None:
    """A PDF with no composition finding but a widow page: one line for it, a row per page, exit status 1."""
    from tests.test_cli import run

    pdf = makeup_pdf(tmp_path / "widow.pdf", [lines(24), lines(2), lines(24)])
    result = run("audit", pdf)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout.splitlines()
    assert out[0] == f"{pdf}:page 2: widow-page: 2 body lines on the page"
    assert out[1] == f"{pdf}:page 2: underfull-page: 8% full, under a third, and not the last page"
    assert f"{pdf}: page make-up, furniture marked as artifacts" in out
    rows = [line.split() for line in out if re.match(r"^\s+[123]\s+horizontal", line)]
    assert [row[:2] + row[3:] for row in rows] == [
        ["1", "horizontal", "24"],
        ["2", "horizontal", "2", "widow-page,", "underfull-page"],
        ["3", "horizontal", "24"],
    ]
    for row, expected in zip(rows, [381 / 384, 29 / 384, 381 / 384], strict=True):
        assert abs(float(row[2]) - expected) <= TOLERANCE
    # the composition audit counts every line: the 50 of the text and each page's head and foot
    assert out[-1] == f"{pdf}: 0 findings in 56 lines, 2 page findings in 3 pages"
    # --page: that page's row and findings alone, measured against the whole PDF
    first = run("audit", "--page", "1", pdf)
    assert first.returncode == 0
    assert first.stdout.splitlines()[-1] == f"{pdf}: 0 findings in 26 lines, 0 page findings in 3 pages"
    data = json.loads(run("audit", "--json", "--page", "2", pdf).stdout)
    makeup = data["files"][0]["makeup"]
    assert [(p["page"], p["body_lines"]) for p in makeup["pages"]] == [(2, 2)]
    assert [f["kind"] for f in makeup["findings"]] == ["widow-page", "underfull-page"]
    assert data["page_kinds"]["widow-page"] == "a page whose content holds only 2 body lines or fewer"
