"""Lists, tables, fenced blocks and deep nesting: read into the model and printed in every edition, nothing lost.

Before, markdown-it dropped a quote nested 20 levels deep without a word, and lists, pipe tables and
fenced blocks were not part of the format: glued into the paragraph before them, their fence lines gone.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree, html

from exporter import CodeBlock, ItemList, Paragraph, Quote, Table, parse
from exporter.model import plain
from exporter.pipeline import build
from tests.conftest import TABLES
from tests.pdftext import lines as pdf_lines
from tests.test_cli import run
from tests.test_hostile import HEAD, built, edition_texts, fails
from tests.test_properties_editions import epubcheck_problems

X = "{http://www.w3.org/1999/xhtml}"


def body(text: str) -> str:
    return HEAD + "## 标题\n\n" + text


def blocks(text: str) -> tuple[object, ...]:
    return parse(body(text)).articles[0].blocks


def codes(text: str) -> list[tuple[int, str]]:
    return [(d.line, d.code) for d in parse(body(text)).diagnostics]


# -- nesting -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1, 2, 19, 20, 21, 25, 200, 5000])
def test_a_quote_of_any_depth_keeps_its_text(depth: int) -> None:
    text = "> " * depth + "深处的引文，" + "第二句。\n" + "> " * depth + "接着一行。\n\n尾段。\n"
    found = blocks(text)
    quote = found[0]
    assert isinstance(quote, Quote)
    assert quote.text == "深处的引文，第二句。接着一行。"
    assert isinstance(found[1], Paragraph) and found[1].text == "尾段。"
    notes = codes(text)
    if depth >= 20:
        assert (8, "nesting-flattened") in notes
        message = next(d.message for d in parse(body(text)).diagnostics if d.code == "nesting-flattened")
        assert f"nested {depth} levels" in message and "kept" in message
    elif depth > 1:
        assert (8, "quote-nested") in notes
    else:
        assert not notes


def test_a_quote_25_levels_deep_is_in_every_edition_and_check_says_so(tmp_path: Path) -> None:
    source = tmp_path / "deep.md"
    source.write_text(body("> " * 25 + "深处的引文一字不少。\n\n尾段。\n"), encoding="utf-8")
    checked = run("check", source)
    assert checked.returncode == 0 and f"{source}:8: warning[nesting-flattened]" in checked.stdout
    built(source, tmp_path / "out")
    for name, text in edition_texts(tmp_path / "out", "deep").items():
        assert "深处的引文一字不少。" in text, name


def test_a_deep_quote_keeps_its_paragraphs_and_marks() -> None:
    deep = "> " * 30
    text = f"{deep}第一段**加粗**。\n{deep}\n{deep}第二段。\n"
    (quote,) = blocks(text)
    assert isinstance(quote, Quote)
    assert [plain(p) for p in quote.paragraphs] == ["第一段加粗。", "第二段。"]
    assert any("strong" in span.marks and span.text == "加粗" for span in quote.paragraphs[0])


def test_a_deeper_line_in_a_deep_quote_opens_a_paragraph_as_markdown_does() -> None:
    # `> > 甲` then `> > > 乙` are two paragraphs (the deeper quote interrupts); so at any depth.
    assert [plain(p) for p in blocks("> > 甲。\n> > > 乙。\n")[0].paragraphs] == ["甲。", "乙。"]  # type: ignore[attr-defined]
    deep = "> " * 30
    (quote,) = blocks(f"{deep}甲。\n{deep}> 乙。\n{deep}> 丙。\n")
    assert isinstance(quote, Quote)
    assert [plain(p) for p in quote.paragraphs] == ["甲。", "乙。丙。"]


def test_a_list_nested_thirty_levels_keeps_every_item() -> None:
    text = "".join("  " * i + f"- 第{i}项\n" for i in range(30))
    (found,) = blocks(text)
    assert isinstance(found, ItemList)
    assert found.text.split("\n") == [f"第{i}项" for i in range(30)]
    assert (8, "nesting-flattened") in codes(text)


# -- lists -------------------------------------------------------------------------------------------


def test_lists_are_blocks_not_glued_to_the_paragraph_before() -> None:
    text = (
        "安排如下：\n1. 5月15日，田径；\n2. 5月17日，龙舟。\n\n- 凭证入场；\n- 公交延时；\n  - 临时站点。\n\n尾段。\n"
    )
    found = blocks(text)
    assert [type(b).__name__ for b in found] == ["Paragraph", "ItemList", "ItemList", "Paragraph"]
    numbered, bullets = found[1], found[2]
    assert isinstance(numbered, ItemList) and isinstance(bullets, ItemList)
    assert numbered.ordered and [i.marker for i in numbered.items] == ["1.", "2."]
    assert [i.line for i in numbered.items] == [9, 10]
    assert numbered.text == "1. 5月15日，田径；\n2. 5月17日，龙舟。"
    assert not bullets.ordered and [i.text for i in bullets.items] == ["凭证入场；", "公交延时；\n临时站点。"]
    assert bullets.items[1].lists[0].items[0].text == "临时站点。"
    assert not [c for _, c in codes(text) if c == "paragraph-joined"]


def test_an_ordered_list_keeps_the_numbers_it_is_given() -> None:
    (found,) = blocks("7) 第七名；\n8) 第八名；\n10) 第十名。\n")
    assert isinstance(found, ItemList)
    assert [i.marker for i in found.items] == ["7)", "8)", "10)"]


# -- tables ------------------------------------------------------------------------------------------


def test_a_pipe_table_is_a_table() -> None:
    text = "| 名次 | 队伍 | 积分 |\n|:---|:---:|---:|\n| 1 | 东城 | 86 |\n| 2 | 西湖 |\n\n尾段。\n"
    table = blocks(text)[0]
    assert isinstance(table, Table)
    assert [plain(c) for c in table.head] == ["名次", "队伍", "积分"]
    assert [[plain(c) for c in row] for row in table.rows] == [["1", "东城", "86"], ["2", "西湖", ""]]
    assert table.align == ("left", "center", "right")
    assert table.row_lines == (8, 10, 11)
    assert not codes(text)


def test_a_row_with_more_cells_than_its_header_widens_the_table() -> None:
    text = "| 品种 | 均价 |\n|---|---|\n| 鸡蛋 | 5.2 | 降0.3 | 备注\\|甲 |\n"
    (table,) = blocks(text)
    assert isinstance(table, Table)
    assert [plain(c) for c in table.rows[0]] == ["鸡蛋", "5.2", "降0.3", "备注|甲"]
    assert len(table.head) == 4 and table.align == (None, None, None, None)
    assert (10, "table-cells") in codes(text)


# -- fenced blocks -----------------------------------------------------------------------------------


def test_a_fenced_block_keeps_its_lines_as_text() -> None:
    text = "诗如下：\n\n```诗\n潮水退去的时候\n  石头露出了*名字*\n```\n\n尾段。\n"
    found = blocks(text)
    code = found[1]
    assert isinstance(code, CodeBlock)
    assert code.text == "潮水退去的时候\n  石头露出了*名字*" and code.info == "诗" and code.line == 10
    issue = parse(body(text))
    assert (11, "潮水退去的时候") in list(issue.texts()) and (12, "  石头露出了*名字*") in list(issue.texts())
    assert not codes(text)


def test_an_unclosed_fence_is_an_error_that_builds_nothing(tmp_path: Path) -> None:
    source = tmp_path / "issue.md"
    source.write_text(body("正文。\n\n```\n代码\n\n## 下一篇\n\n正文。\n"), encoding="utf-8")
    assert (10, "code-unclosed") in codes("正文。\n\n```\n代码\n\n## 下一篇\n\n正文。\n")
    message = fails(source, tmp_path / "out", line=10, needle="never closed")
    assert "close it with a line of ```" in message


def test_a_thematic_break_is_reported() -> None:
    assert (10, "rule-dropped") in codes("第一段。\n\n* * *\n\n第二段。\n")


# -- every edition -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    out = tmp_path_factory.mktemp("structures")
    cache = tmp_path_factory.mktemp("cache")
    found: dict[str, dict[str, Path]] = {}
    for theme in ("classic", "vertical"):
        built = build(TABLES, ["html", "epub", "pdf"], theme=theme, out=out / theme, cache_dir=cache)
        found[theme] = {b.format: b.path for b in built}
    return found


def _article(pages: list[etree._Element]) -> etree._Element:
    (first,) = [p for p in pages if p.findall(f".//{X}table") or p.findall(".//table")]
    return first


def _structures(root: etree._Element, ns: str) -> dict[str, list[str]]:
    def texts(path: str) -> list[str]:
        return ["".join(e.itertext()).strip() for e in root.iter(f"{ns}{path}")]

    return {"th": texts("th"), "td": texts("td"), "li": texts("li"), "pre": texts("pre"), "ol": texts("ol")}


@pytest.mark.parametrize("theme", ["classic", "vertical"])
def test_the_web_edition_and_the_book_print_lists_tables_and_code(
    editions: dict[str, dict[str, Path]], theme: str
) -> None:
    issue = parse(TABLES.read_text(encoding="utf-8"))
    tables = [b for a in issue.articles for b in a.blocks if isinstance(b, Table)]
    lists = [b for a in issue.articles for b in a.blocks if isinstance(b, ItemList)]
    codes_ = [b for a in issue.articles for b in a.blocks if isinstance(b, CodeBlock)]
    web = [html.parse(str(p)).getroot() for p in sorted(editions[theme]["html"].glob("a*.html"))]
    with zipfile.ZipFile(editions[theme]["epub"]) as z:
        book = [etree.fromstring(z.read(n)) for n in sorted(z.namelist()) if re.search(r"a\d+\.xhtml$", n)]
    for name, roots, ns in (("html", web, ""), ("epub", book, X)):
        found: dict[str, list[str]] = {"th": [], "td": [], "li": [], "pre": [], "ol": []}
        for root in roots:
            for key, values in _structures(root, ns).items():
                found[key] += values
        assert found["th"] == [plain(c) for t in tables for c in t.head], name
        assert found["td"] == [plain(c) for t in tables for row in t.rows for c in row], name
        assert len(found["ol"]) == 1, name
        # Every item is printed with its marker: the issue's own number, or the theme's bullet.
        assert "1.5月15日至16日，进行田径和自行车项目；" in ["".join(li.split()) for li in found["li"]], name
        assert any(li.startswith("●") and "市体育中心站临时增设上下客点" in li for li in found["li"]), name
        assert found["pre"] == [c.text for c in codes_], name
    assert len(lists) == 2


@pytest.mark.parametrize("theme", ["classic", "vertical"])
def test_the_books_pass_epubcheck(editions: dict[str, dict[str, Path]], theme: str) -> None:
    assert epubcheck_problems(editions[theme]["epub"]) == []


@pytest.mark.parametrize("theme", ["classic", "vertical"])
def test_the_pdf_prints_every_cell_item_and_line_in_order(editions: dict[str, dict[str, Path]], theme: str) -> None:
    pdf = editions[theme]["pdf"]
    text = "".join(
        subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    issue = parse(TABLES.read_text(encoding="utf-8"))
    # WeasyPrint draws a table's cells after what follows it in the column: in order within each block.
    for article in issue.articles:
        for block in article.blocks:
            if isinstance(block, (Table, ItemList, CodeBlock)):
                position = 0
                for piece in block.text.split("\n"):
                    piece = "".join(piece.split())
                    found = text.find(piece, position)
                    assert found >= 0, (theme, piece)
                    position = found + len(piece)


def test_a_vertical_table_reads_right_to_left_top_to_bottom(editions: dict[str, dict[str, Path]]) -> None:
    """In 竖排 the header row is the rightmost column, its cells top to bottom; each row a column to its left."""
    found = pdf_lines(editions["vertical"]["pdf"])

    def where(text: str) -> tuple[float, float]:
        # A table that runs on into the next tier repeats its header there: the first tier's is the one.
        line = min((ln for ln in found if ln.page == 1 and ln.text == text), key=lambda ln: ln.y0)
        return (line.x0 + line.x1) / 2, (line.y0 + line.y1) / 2

    header, first, second = where("名次"), where("东城队"), where("西湖队")
    team = where("代表队")
    assert header[0] > first[0] > second[0], "rows are columns read right to left"
    assert header[1] < team[1], "the cells of a row read top to bottom"
    assert abs(first[1] - team[1]) < 4, "a row's cells line up with the header's"


def test_inline_code_is_set_in_the_issues_faces(tmp_path: Path) -> None:
    """A browser's and WeasyPrint's own stylesheet give `code` a monospace font with no Chinese: the PDF was refused."""
    source = tmp_path / "issue.md"
    source.write_text(body("正文里有`<code>`和`代码abc`。\n"), encoding="utf-8")
    (pdf,) = build(source, ["pdf"], out=tmp_path / "out", cache_dir=tmp_path / "cache")
    text = subprocess.run(["pdftotext", str(pdf.path), "-"], capture_output=True, text=True, check=True).stdout
    assert "<code>和代码abc" in "".join(text.split())
