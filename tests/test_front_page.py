"""The front page's furniture and the contents lists, read back from the files built: 版 cited in the 导读, the nav
and the NCX under 版 names, the PDF outline, kicker, headline and subtitle kept apart, the 报头's serial number
and date, the vertical masthead's corner and the vertical PDF's reading direction."""

from __future__ import annotations

import html as htmllib
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree, html
from pypdf import PdfReader

from exporter import Issue
from exporter.parser import parse_file
from exporter.pipeline import build
from exporter.text.serials import Serial, serial_number
from tests.pdftext import Line, lines
from tests.readback import NS as READBACK_NS
from tests.readback import squeeze
from tests.renderers import mutool_warnings, qpdf_check, render
from tests.test_properties_editions import epubcheck_problems

ROOT = Path(__file__).resolve().parents[1]
MM = 72 / 25.4
EXAMPLE = ROOT / "examples" / "binhai-daily.md"
# An issue of no section and no 版, with an identifier that is no registration number.
PLAIN = """---
title: 滨海日报
date: 2026-03-18
language: zh-CN
identifier: urn:exporter:example:plain
---

## 引题在前

# 第一篇的标题——副题在后

本报讯 第一篇的正文。

# 第二篇的标题

本报讯 第二篇的正文。
"""
NS = {**READBACK_NS, "ncx": "http://www.daisy.org/z3986/2005/ncx/"}
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], Path]:
    out = tmp_path_factory.mktemp("front")
    cache = tmp_path_factory.mktemp("cache")
    (out / "plain.md").write_text(PLAIN, encoding="utf-8")
    plan = [
        (EXAMPLE, "classic", ["pdf", "epub", "html"]),
        (EXAMPLE, "reader", ["pdf"]),
        (EXAMPLE, "vertical", ["pdf", "epub"]),
        (EXAMPLE, str(ROOT / "examples" / "themes" / "binhai"), ["pdf"]),
        (out / "plain.md", "classic", ["pdf", "epub", "html"]),
        (out / "plain.md", "vertical", ["pdf"]),
    ]
    found: dict[tuple[str, str, str], Path] = {}
    for source, theme, formats in plan:
        name = Path(theme).name
        for edition in build(source, formats, theme=theme, out=out / name, cache_dir=cache):
            found[(source.stem, name, edition.format)] = edition.path
    return found


@pytest.fixture(scope="module")
def example() -> Issue:
    return parse_file(EXAMPLE)


def _page_lines(pdf: Path, page: int) -> list[str]:
    return [squeeze(line.text) for line in lines(pdf) if line.page == page]


def _layout(pdf: Path, page: int) -> list[str]:
    """The lines of a page as ``pdftotext -layout`` sets them out, without their white space."""
    args = ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"]
    return [squeeze(t) for t in subprocess.run(args, capture_output=True, text=True, check=True).stdout.splitlines()]


def _entries(pdf: Path) -> list[str]:
    """The 导读's entries on the front page, column by column: headline, leader (…), citation (poppler reads a
    citation set after a leader as a line of its own, at the leader's end)."""
    found = [line for line in lines(pdf) if line.page == 1]
    entries: list[tuple[float, float, str]] = []
    for line in (x for x in found if "...." in x.text):
        cite = [c for c in found if abs(c.y0 - line.y0) < 3 and line.x1 - 5 < c.x0 < line.x1 + 60]
        text = re.sub(r"\.{3,}", "…", line.text) + "".join(c.text for c in cite)
        entries.append((line.x0, line.y0, squeeze(text)))
    return [text for _, _, text in sorted(entries)]


def _words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """Poppler's words on a page with their boxes (x0, y0, x1, y1, text), in points, as the page is shown."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True
    ).stdout
    return [(float(a), float(b), float(c), float(d), htmllib.unescape(t)) for a, b, c, d, t in _WORD.findall(out)]


# -- 1. the 导读 cites the 版 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["classic", "reader", "binhai"])
def test_the_lead_toc_cites_each_articles_page_label(
    built: dict[tuple[str, str, str], Path], example: Issue, theme: str
) -> None:
    expected = [f"{' '.join(a.headline_lines)}…{s.page}版" for s, a in example.iter_articles()]
    assert [squeeze(e) for e in _entries(built[("binhai-daily", theme, "pdf")])] == [squeeze(e) for e in expected]


def test_each_bans_lead_stories_stand_in_one_column_of_the_lead_toc_under_its_title(
    built: dict[tuple[str, str, str], Path], example: Issue
) -> None:
    """A 版's title and its stories are never parted by the 导读's column break (A02 经济 was: its title and first story
    at the foot of the first column, its second story at the head of the second), and the columns' tops are level."""
    found = [line for line in lines(built[("binhai-daily", "classic", "pdf")]) if line.page == 1]
    starts: list[Line] = []
    for section in example.sections:
        # The 导读's title of the 版, not the band over A01's stories under it.
        title = min((line for line in found if line.text == f"第{section.page}版{section.title}"), key=lambda x: x.y0)
        entries = [
            line
            for a in section.articles[:2]
            for line in found
            # An entry: its headline and the leader to its 版 (the story under the 导读 has no leader).
            if line.text.startswith(squeeze(" ".join(a.headline_lines))) and ".." in line.text
        ]
        assert len(entries) == min(2, len(section.articles))
        assert {round(line.x0) for line in entries} == {round(title.x0)}
        starts.append(title)
    columns = {round(t.x0) for t in starts}
    assert len(columns) == 2
    assert len({round(min(t.y0 for t in starts if round(t.x0) == x)) for x in columns}) == 1


def test_the_vertical_lead_toc_cites_the_page_label_and_without_one_the_page_in_numerals(
    built: dict[tuple[str, str, str], Path], example: Issue
) -> None:
    cites = [t for t in _page_lines(built[("binhai-daily", "vertical", "pdf")], 1) if re.fullmatch(r"A0\d版", t)]
    # The vertical theme's 导读 lists each 版's lead story (lead_stories = 1).
    assert cites == [f"{s.page}版" for s in example.sections for _ in s.articles[:1]]
    # No 版: the PDF page each article starts on, in Chinese numerals as before (both are on the front page).
    plain = _page_lines(built[("plain", "vertical", "pdf")], 1)
    assert [t for t in plain if re.fullmatch(r"[一二三四五六七八九十]+", t)] == ["一", "一"]
    assert [t for t in plain if "版" in t] == []


def test_without_a_page_label_the_lead_toc_cites_the_pdf_page(built: dict[tuple[str, str, str], Path]) -> None:
    assert [squeeze(e) for e in _entries(built[("plain", "classic", "pdf")])] == ["第一篇的标题…1", "第二篇的标题…1"]


# -- 2. the EPUB's nav and NCX under 版 names ----------------------------------------------------------------


def _xml(book: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(book) as z:
        return etree.fromstring(z.read(name))


def test_the_nav_and_the_ncx_group_the_articles_under_page_names(
    built: dict[tuple[str, str, str], Path], example: Issue
) -> None:
    for theme in ("classic", "vertical"):
        book = built[("binhai-daily", theme, "epub")]
        assert epubcheck_problems(book) == []
        toc = _xml(book, "EPUB/nav.xhtml").find(".//x:nav[@epub:type='toc']", NS)
        assert toc is not None
        groups = [
            ("".join(li.find("x:a", NS).itertext()), ["".join(a.itertext()) for a in li.findall("x:ol/x:li/x:a", NS)])
            for li in toc.findall("x:ol/x:li", NS)
        ]
        assert groups == [
            ("第A01版 要闻", ["滨海港区新航线开通", "春季植树 全民参与"]),
            ("第A02版 经济", ["一季度外贸开局良好", "滨海新区发布人才新政"]),
            ("第A02版 副刊", ["海边的灯塔"]),
        ]
        ncx = _xml(book, "EPUB/toc.ncx")
        points = ncx.findall("ncx:navMap/ncx:navPoint", NS)
        assert [p.findtext("ncx:navLabel/ncx:text", namespaces=NS) for p in points] == [g[0] for g in groups]
        assert [
            [c.findtext("ncx:navLabel/ncx:text", namespaces=NS) for c in p.findall("ncx:navPoint", NS)] for p in points
        ] == [g[1] for g in groups]
    plain = built[("plain", "classic", "epub")]
    assert epubcheck_problems(plain) == []
    toc = _xml(plain, "EPUB/nav.xhtml").find(".//x:nav[@epub:type='toc']", NS)
    assert ["".join(a.itertext()) for a in toc.findall("x:ol/x:li/x:a", NS)] == ["第一篇的标题", "第二篇的标题"]


# -- 3. the PDF outline: 版, then its articles ----------------------------------------------------------------


def _outline(reader: PdfReader, items: list[object] | None = None) -> list[object]:
    out: list[object] = []
    for item in reader.outline if items is None else items:
        out.append(_outline(reader, item) if isinstance(item, list) else item.title)  # type: ignore[attr-defined]
    return out


@pytest.mark.parametrize("theme", ["classic", "reader", "vertical"])
def test_the_outline_is_each_page_then_its_articles_by_headline(
    built: dict[tuple[str, str, str], Path], theme: str
) -> None:
    assert _outline(PdfReader(built[("binhai-daily", theme, "pdf")])) == [
        "第A01版 要闻",
        ["滨海港区新航线开通", "春季植树 全民参与"],
        "第A02版 经济",
        ["一季度外贸开局良好", "滨海新区发布人才新政"],
        "第A02版 副刊",
        ["海边的灯塔"],
    ]
    plain = "classic" if theme == "reader" else theme
    assert _outline(PdfReader(built[("plain", plain, "pdf")])) == ["第一篇的标题", "第二篇的标题"]


# -- 4. kicker, headline and subtitle apart ------------------------------------------------------------------


def test_the_contents_page_sets_kicker_headline_and_subtitle_apart(built: dict[tuple[str, str, str], Path]) -> None:
    web = html.parse(str(built[("binhai-daily", "classic", "html")] / "index.html")).getroot()
    with zipfile.ZipFile(built[("binhai-daily", "classic", "epub")]) as z:
        book = html.fromstring(z.read("EPUB/contents.xhtml"))
    for page in (web, book):
        (first, second, *_) = page.xpath("//nav[contains(@class, 'toc')]//li")
        assert [(child.tag, child.get("class"), child.text_content()) for child in first] == [
            ("p", "toc-kicker", "聚焦海洋经济高质量发展"),
            ("a", None, "滨海港区新航线开通"),
            ("p", "toc-subtitle", "——首批集装箱船今晨靠泊，全年预计新增吞吐量二十万标箱"),
        ]
        assert [(child.tag, child.text_content()) for child in second] == [("a", "春季植树 全民参与")]
    # The print 导读's line is the headline, its leader and its 版: the kicker and the subtitle are not in it.
    front = " ".join(_page_lines(built[("binhai-daily", "classic", "pdf")], 1))
    assert front.count("聚焦海洋经济高质量发展") == 1 and front.count("首批集装箱船今晨靠泊") == 1  # the lead story's


# -- 5. the 报头's serial number --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ("CN 37-0008", Serial("cn", "CN 37-0008")),
        ("CN37-0008", Serial("cn", "CN 37-0008")),
        ("cn 37-0008", Serial("cn", "CN 37-0008")),
        ("ＣＮ３７－０００８", Serial("cn", "CN 37-0008")),
        ("CN 11-2127/TP", Serial("cn", "CN 11-2127/TP")),
        ("ISSN 0254-4164", Serial("issn", "ISSN 0254-4164")),
        ("ISSN 02544164", Serial("issn", "ISSN 0254-4164")),
        ("ISSN 0254-4165", None),  # a wrong check digit
        ("CN 37-008", None),
        ("CN 37-00080", None),
        ("urn:exporter:example:binhai-daily", None),
        ("https://example.org/CN 37-0008", None),
        ("", None),
        (None, None),
    ],
)
def test_a_cn_serial_or_an_issn_is_read_out_of_the_identifier(identifier: str | None, expected: Serial | None) -> None:
    assert serial_number(identifier) == expected


def test_the_masthead_prints_the_cn_serial_and_no_other_identifier(built: dict[tuple[str, str, str], Path]) -> None:
    front = _layout(built[("binhai-daily", "classic", "pdf")], 1)
    meta = front.index("总第12088期今日8版滨海日报社")
    assert front[meta + 1] == "国内统一连续出版物号CN99-0001"  # on a line of its own
    web = html.parse(str(built[("binhai-daily", "classic", "html")] / "index.html")).getroot()
    assert (
        web.xpath("string(//p[@class='issue-meta']/span[@class='serial-number'])") == "国内统一连续出版物号 CN 99-0001"
    )
    with zipfile.ZipFile(built[("binhai-daily", "classic", "epub")]) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
    assert opf.findtext(".//dc:source", namespaces=NS) == "CN 99-0001"
    # In vertical too, and in one column: the number is never cut from its name (it was: 「…CN」 | 「99-0001」).
    words = _words(built[("binhai-daily", "vertical", "pdf")], 1)
    serial = [w for w in words if w[4] in ("国内统一连续出版物号", "CN", "99-0001")]
    assert [w[4] for w in serial] == ["国内统一连续出版物号", "CN", "99-0001"]
    assert max(w[0] for w in serial) < min(w[2] for w in serial)  # their columns overlap: one column
    (meta,) = [w for w in words if w[4] == "总第12088期"]
    assert serial[0][1] == pytest.approx(meta[1], abs=1)  # which starts where the issue's other lines start
    # A URN is the book's metadata, never the page's.
    plain_front = " ".join(_page_lines(built[("plain", "classic", "pdf")], 1))
    assert "urn" not in plain_front and "出版物号" not in plain_front
    plain_web = html.parse(str(built[("plain", "classic", "html")] / "index.html")).getroot()
    assert plain_web.xpath("//header[@class='masthead']//*[contains(., 'urn:')]") == []
    with zipfile.ZipFile(built[("plain", "classic", "epub")]) as z:
        assert "urn:exporter:example:plain" not in z.read("EPUB/masthead.xhtml").decode()
        assert etree.fromstring(z.read("EPUB/content.opf")).findtext(".//dc:source", namespaces=NS) == (
            "urn:exporter:example:plain"
        )


# -- 6. one date format --------------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["classic", "reader", "vertical", "binhai"])
def test_the_masthead_and_the_running_head_set_the_date_alike(
    built: dict[tuple[str, str, str], Path], theme: str
) -> None:
    """The same characters, and no gap in either: poppler cuts a word where a gap opens (the masthead's date had four).

    Where both are set in one face (every theme but binhai, whose running heads are in its kai masthead face), the
    date's length in proportion to its size is the same: the same advances.
    """
    pdf = built[("binhai-daily", theme, "pdf")]
    vertical = theme == "vertical"
    found = {page: [w for w in _words(pdf, page) if "2026" in w[4]] for page in (1, 2)}
    assert [[w[4] for w in found[page]] for page in (1, 2)] == [["2026年3月18日"], ["2026年3月18日"]]
    if theme != "binhai":
        (masthead,), (head,) = found[1], found[2]

        def proportion(word: tuple[float, float, float, float, str]) -> float:
            x0, y0, x1, y1, _ = word
            return (y1 - y0) / (x1 - x0) if vertical else (x1 - x0) / (y1 - y0)

        assert proportion(masthead) == pytest.approx(proportion(head), rel=0.01)


# -- 7. the vertical masthead in the top-right corner, the 导读 beside it ------------------------------------


def test_the_vertical_masthead_stands_in_the_top_right_corner(built: dict[tuple[str, str, str], Path]) -> None:
    pdf = built[("binhai-daily", "vertical", "pdf")]
    reader = PdfReader(pdf)
    width, height = sorted((float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)))
    words = _words(pdf, 1)
    (name,) = [w for w in words if w[4] == "滨海日报"]
    (date,) = [w for w in words if w[4] == "2026年3月18日"]
    (toc,) = [w for w in words if w[4] == "导读"]
    top, right = 12 * MM, 16 * MM  # the sideways page's left and top margins
    # The name heads the first column, at the page's top and right margins (less the side bearing of its ink).
    assert name[1] == pytest.approx(top, abs=1) and width - right - 10 < name[2] <= width - right
    # The date line under it, in the same columns: the 报头 is a strip down the right edge.
    assert date[1] > name[3] and name[0] < date[2] <= width - right
    # The 导读 stands beside the strip, from the same top: the corner is the masthead's alone.
    assert toc[1] == pytest.approx(top, abs=1) and toc[2] < min(name[0], date[0])
    assert name[3] < height / 2


# -- 8. the vertical PDF reads right to left -----------------------------------------------------------------


def test_the_vertical_pdf_turns_right_to_left_in_spreads(
    built: dict[tuple[str, str, str], Path], tmp_path: Path
) -> None:
    vertical = built[("binhai-daily", "vertical", "pdf")]
    root = PdfReader(vertical).trailer["/Root"]
    assert root["/ViewerPreferences"]["/Direction"] == "/R2L"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert root["/PageLayout"] == "/TwoPageRight"
    classic = PdfReader(built[("binhai-daily", "classic", "pdf")]).trailer["/Root"]
    assert "/Direction" not in classic["/ViewerPreferences"] and "/PageLayout" not in classic
    # The preferences change no page: qpdf finds nothing, MuPDF says nothing, and the three renderers draw every page.
    assert qpdf_check(vertical).passed
    assert mutool_warnings(vertical) == []
    pages = len(PdfReader(vertical).pages)
    drawn = render(vertical, dpi=20)
    assert {name: len(images) for name, images in drawn.items()} == {name: pages for name in drawn}
    assert set(drawn) == {"poppler", "mupdf", "ghostscript"}
