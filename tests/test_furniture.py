"""Names, credits, 着重号 and vertical furniture as each edition shows them, read back from the files built."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree, html

from exporter.pipeline import build
from tests.pdftext import lines
from tests.readback import NS, squeeze
from tests.test_properties_editions import epubcheck_problems

ROOT = Path(__file__).resolve().parents[1]
# Thirty names, the two-character ones padded to three cells as the paper prints them: more than a line holds.
NAMES = ["李德银", "曹森", "衣涛", "余瑞新", "张晋", "周伟", "王凯", "王涛", "王萌", "黄光丽"] * 3
PADDED = " ".join(f"{n[0]} {n[1]}" if len(n) == 2 else n for n in NAMES)
LONG_CREDIT = "本报记者 " + " ".join(NAMES[:16]) + " 摄"
ISSUE = f"""---
title: 滨海日报
date: 2026-03-18
language: zh-CN
---

<!-- page: A01, section: 要闻 -->

# 滨海港区新航线开通

□青岛日报/观海新闻记者 {PADDED}
本报3月17日讯 港区今天迎来新航线首艘集装箱船，这是*重点，内容*的说明。

![新航线首艘集装箱船靠泊东作业区（记者 周 宁 摄）](harbour.png)

![码头（{LONG_CREDIT}）](harbour.png)

# 春季植树全民参与

□本报记者 赵 一 李 明 实习生 何田田
本报讯 连日来，全市各区组织市民开展春季义务植树活动。
"""
EMPHASISED = "重点内容"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("furniture")
    shutil.copy(ROOT / "examples" / "images" / "harbour.png", folder / "harbour.png")
    (folder / "furniture.md").write_text(ISSUE, encoding="utf-8")
    (folder / "plain.md").write_text(ISSUE.replace("*", ""), encoding="utf-8")
    cache = tmp_path_factory.mktemp("cache")
    found: dict[tuple[str, str], Path] = {}
    for theme in ("classic", "vertical"):
        formats = ["pdf", "epub", "html"]
        editions = build(folder / "furniture.md", formats, theme=theme, out=folder / theme, cache_dir=cache)
        for edition in editions:
            found[(theme, edition.format)] = edition.path
    (plain,) = build(folder / "plain.md", ["pdf"], theme="classic", out=folder / "plain", cache_dir=cache)
    found[("plain", "pdf")] = plain.path
    return found


def test_no_name_and_no_short_credit_splits_across_lines_of_the_pdf(built: dict[tuple[str, str], Path]) -> None:
    for theme in ("classic", "vertical"):
        found = lines(built[(theme, "pdf")])
        text = [squeeze(line.text) for line in found]
        start = next(i for i, t in enumerate(text) if t.startswith("□青岛日报/观海新闻记者"))
        whole = "□青岛日报/观海新闻记者" + "".join(NAMES)
        end = next(i for i in range(start, len(text)) if whole in "".join(text[start : i + 1]))
        byline = text[start : end + 1]
        assert len(byline) >= 2, (theme, byline)  # the byline is longer than a line
        names = "|".join(sorted(set(NAMES)))
        for line in byline:  # each line holds whole names only
            assert re.fullmatch(rf"(?:□青岛日报/观海新闻记者)?(?:{names})+", line), (theme, byline)
        assert any("（记者周宁摄）" in t for t in text), theme
        assert any("本报记者赵一李明实习生何田田" in t for t in text), theme


def test_a_credit_longer_than_the_line_breaks_between_names_inside_the_column(
    built: dict[tuple[str, str], Path],
) -> None:
    found = lines(built[("classic", "pdf")])
    first = next(i for i, line in enumerate(found) if squeeze(line.text).startswith("（本报记者"))
    last = next(i for i in range(first, len(found)) if squeeze(found[i].text).endswith("摄）"))
    credit = found[first : last + 1]
    assert squeeze("".join(line.text for line in credit)) == "（" + squeeze(LONG_CREDIT) + "）"
    assert len(credit) >= 2
    names = "|".join(sorted(set(NAMES)))
    for line in credit:  # broken between names only
        assert re.fullmatch(rf"(?:（本报记者)?(?:{names})+(?:摄）)?", squeeze(line.text)), [c.text for c in credit]
    # Each line within the measure: a column as wide as the body's, whose justified lines fill it.
    (body,) = [line for line in found if squeeze(line.text).startswith("新航线首艘集装箱船，这是")]
    assert all(line.x0 == credit[0].x0 and line.x1 - line.x0 <= body.x1 - body.x0 + 0.5 for line in credit)


def test_emphasis_adds_no_character_to_the_pdf_text(built: dict[tuple[str, str], Path]) -> None:
    def text(pdf: Path) -> str:
        return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout

    assert text(built[("classic", "pdf")]) == text(built[("plain", "pdf")])
    assert "这是重点，内容的说明。" in squeeze(text(built[("classic", "pdf")]))


def _dots(pdf: Path, chars: str, *, vertical: bool) -> dict[str, list[float]]:
    """For each character of ``chars`` on the PDF's pages, the ink beside it where a dot goes, per occurrence.

    Horizontally the band is under the character (0.14 to 0.6 em below its baseline); vertically it
    is to its right (on the turned page, past the character's box, as wide as 0.45 em); either is
    0.6 em long, about the middle of the character's cell. Each value is the offset of the ink's
    centre from that middle, in em, or NaN for no ink.
    """
    from PIL import Image

    out: dict[str, list[float]] = {}
    dpi = 400
    scale = dpi / 72
    folder = pdf.parent / f"dots-{pdf.stem}-{'v' if vertical else 'h'}"
    folder.mkdir(exist_ok=True)
    from pypdf import PdfReader

    for page in range(1, len(PdfReader(pdf).pages) + 1):
        xml = folder / f"{page}.xml"
        subprocess.run(["mutool", "draw", "-F", "stext", "-o", str(xml), str(pdf), str(page)], capture_output=True)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), "-png", str(pdf), f"{folder}/p"],
            check=True,
        )
        (png,) = [p for p in folder.glob("p-*.png") if int(p.stem.split("-")[1]) == page]
        image = Image.open(png).convert("L")
        ink = image.load()
        chars_and_sizes = [
            (char, float(font.get("size"))) for font in etree.parse(str(xml)).iter("font") for char in font.iter("char")
        ]
        for char, size in chars_and_sizes:
            c = char.get("c")
            if c not in chars:
                continue
            q = [float(v) for v in char.get("quad").split()]
            xs, ys = q[0::2], q[1::2]
            x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
            # Only ink within 0.3 em of the cell's middle along the line counts: a comma's tail is further.
            if vertical:  # the dot's column is beside the character, the cell runs down the page
                middle, along = (y0 + y1) / 2, 1
                box = (x1, middle - 0.3 * size, x1 + 0.45 * size, middle + 0.3 * size)
            else:
                base = float(char.get("y"))
                middle, along = (x0 + x1) / 2, 0
                box = (middle - 0.3 * size, base + 0.14 * size, middle + 0.3 * size, base + 0.6 * size)
            hits = [
                (px, py)
                for px in range(int(box[0] * scale), int(box[2] * scale))
                for py in range(int(box[1] * scale), int(box[3] * scale))
                if ink[px, py] < 128
            ]
            centre = sum(h[along] for h in hits) / len(hits) / scale if hits else float("nan")
            out.setdefault(c, []).append(round((centre - middle) / size, 2) if hits else float("nan"))
        png.unlink()
    return out


@pytest.mark.parametrize("theme", ["classic", "vertical"])
def test_emphasis_dots_centred_on_each_character_and_none_on_marks(
    built: dict[tuple[str, str], Path], theme: str
) -> None:
    found = _dots(built[(theme, "pdf")], "是重点，内容的", vertical=theme == "vertical")
    for char in EMPHASISED:
        # 点 and 内 are in the issue once; the dot sits under (or to the right of) the middle of the cell.
        (offset,) = found[char][:1]
        assert abs(offset) <= 0.01, (theme, char, found[char])  # justification spacing must not move it
    for char in "是的":
        assert all(value != value for value in found[char]), (theme, char, found[char])  # NaN: no ink
    assert all(value != value for value in found["，"]), (theme, found["，"])


def _xhtml(book: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(book) as z:
        return etree.fromstring(z.read(f"EPUB/{name}"))


@pytest.mark.parametrize("theme", ["classic", "vertical"])
def test_epub_and_web_mark_names_and_keep_text_emphasis(built: dict[tuple[str, str], Path], theme: str) -> None:
    book = built[(theme, "epub")]
    assert epubcheck_problems(book) == []
    page = _xhtml(book, "a01.xhtml")
    (byline,) = page.xpath("//x:p[@class='byline']", namespaces=NS)
    assert [s.text for s in byline.xpath("x:span[@class='name']", namespaces=NS)] == NAMES
    assert [s.text for s in byline.xpath("x:span[@class='role']", namespaces=NS)] == ["记者"]
    (credit, long_credit) = page.xpath("//x:span[@class='credit']", namespaces=NS)
    assert "".join(credit.itertext()) == "（记者 周宁 摄）"
    assert [s.text for s in credit.xpath("x:span[@class='name']", namespaces=NS)] == ["周宁"]
    assert [s.text for s in long_credit.xpath("x:span[@class='name']", namespaces=NS)] == NAMES[:16]
    (em,) = page.xpath("//x:em", namespaces=NS)
    assert "".join(em.itertext()) == "重点，内容"
    dots = em.xpath(".//x:span[contains(@class, 'em-dot')]", namespaces=NS)
    assert (len(em), dots) == (1, [])  # the comma's span of the composition only; the CSS draws the dots
    with zipfile.ZipFile(book) as z:
        css = z.read("EPUB/css/edition.css").decode()
    for prefix in ("", "-webkit-"):
        assert re.search(rf"(?<![\w-]){prefix}text-emphasis: filled dot", css), prefix
    assert "-epub-text-emphasis-style: filled dot" in css
    assert ("simp-chinese-informal" in css) is (theme == "vertical")
    web = html.parse(str(built[(theme, "html")] / "a01.html")).getroot()
    (web_byline,) = web.xpath("//p[@class='byline']")
    assert [s.text for s in web_byline.xpath("span[@class='name']")] == NAMES
    assert web.xpath("//em//span[contains(@class, 'em-dot')]") == []  # text-emphasis, no span for a dot


def test_vertical_lead_toc_cites_the_page_label_and_no_page_number(built: dict[tuple[str, str], Path]) -> None:
    """The issue's section is on 版 A01: the 导读 cites it (tests/test_front_page.py: numerals where there is no 版)."""
    first = [squeeze(line.text) for line in lines(built[("vertical", "pdf")]) if line.page == 1]
    assert [t for t in first if t == "A01版"] == ["A01版"], first  # the vertical theme's 导读 lists the lead alone
    assert not [t for t in first if re.fullmatch(r"[一二三四五六七八九十]+|\d+", t)], first
