"""The print editions of the project's examples: what test_pdf.py and test_vertical_pdf.py prove on the sample.

numbers-daily.md has four pages (第1版 to 第12版) with numbered sections, so it has a sectioned outline,
running heads and a 导读; exported-page.md has no pages and no front matter, so a flat outline and an
inferred masthead, like the sample.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from exporter import Issue
from exporter.pipeline import build
from tests.conftest import EXPORTED, NUMBERS
from tests.pdftext import lines, plain_text

CLOSING_MARKS = "，。、；：？！）」』》”’…—"
OPENING_MARKS = "（「『《“‘"
MM = 72 / 25.4
# The running heads (and the editor's line in the foot) that stand between the parts of a paragraph.
RUNNING = {
    "numbers-daily": re.compile(r"云港日报2025年3月18日[^，。]{0,10}?第\d+版\d+责任编辑：许诺"),
    "exported-page": re.compile(r"泊湾晚报2026年1月11日\d+"),
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    out = tmp_path_factory.mktemp("pdf")
    cache = tmp_path_factory.mktemp("cache")
    found = {}
    for source in (NUMBERS, EXPORTED):
        for theme in ("classic", "reader"):
            (built,) = build(source, ["pdf"], theme=theme, out=out / theme, cache_dir=cache)
            found[(source.stem, theme)] = built.path
    return found


@pytest.fixture(scope="module")
def vertical(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("vpdf")
    cache = tmp_path_factory.mktemp("cache")
    found = {}
    for source in (NUMBERS, EXPORTED):
        (built,) = build(source, ["pdf"], theme="vertical", out=out, cache_dir=cache)
        found[source.stem] = built.path
    return found


def raw_text(pdf: Path) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is not installed: run ./dev test"
    return subprocess.run(
        [tool, "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _outline(reader: PdfReader, items: list[object] | None = None) -> list[object]:
    out: list[object] = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            out.append(_outline(reader, item))
        else:
            out.append(item.title)  # type: ignore[attr-defined]
    return out


def _in_order(text: str, issue: Issue) -> None:
    """Every paragraph of the issue is in ``text``, each story's in order, in pieces a break may fall between (a
    story that jumps goes on after others)."""
    for article in issue.articles:
        position = 0
        for paragraph in article.paragraphs:
            for piece in re.findall(r".{1,12}", re.sub(r"\s+", "", paragraph.text)):
                found = text.find(piece, position)
                assert found >= 0, (article.id, piece)
                position = found + len(piece)


# -- the horizontal print edition (test_pdf.py) -------------------------------------------------


def test_pages_and_size(pdfs: dict[tuple[str, str], Path]) -> None:
    """test_pdf: test_pages_and_size."""
    for name in ("numbers-daily", "exported-page"):
        reader = PdfReader(pdfs[(name, "classic")])
        assert 2 <= len(reader.pages) <= 10
        box = reader.pages[0].mediabox
        assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (210, 297)
        small = PdfReader(pdfs[(name, "reader")])
        assert round(float(small.pages[0].mediabox.width) / MM) == 148
        assert len(small.pages) > len(reader.pages)


def test_outline_is_flat_without_sections(pdfs: dict[tuple[str, str], Path], exported: Issue) -> None:
    """test_pdf: test_outline_is_sections_then_articles, the sample's half."""
    outline = _outline(PdfReader(pdfs[("exported-page", "classic")]))
    assert outline == [" ".join(a.headline_lines) for a in exported.articles]
    assert "守护一方碧水 泊湾河综合治理累计投入3.2亿元" in outline


def test_outline_is_sections_then_articles(pdfs: dict[tuple[str, str], Path], numbers: Issue) -> None:
    """test_pdf: test_outline_is_sections_then_articles, the example's half, on numbered pages."""
    expected: list[object] = []
    for section in numbers.sections:
        expected.append(f"第{section.page}版 {section.title}")
        expected.append([" ".join(a.headline_lines) for a in section.articles])
    outline = _outline(PdfReader(pdfs[("numbers-daily", "classic")]))
    assert outline == expected and outline[6] == "第12版 副刊·第7天"


def test_metadata(pdfs: dict[tuple[str, str], Path]) -> None:
    """test_pdf: test_metadata."""
    reader = PdfReader(pdfs[("numbers-daily", "classic")])
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "云港日报 2025年3月18日"
    assert meta.author == "云港日报社"
    assert meta.subject and meta.subject.startswith("一季度全市生产总值增长5.6%")
    assert meta.get("/Keywords") == "要闻, 数说2025, 15分钟生活圈, 副刊·第7天"
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    inferred = PdfReader(pdfs[("exported-page", "classic")]).metadata
    assert inferred is not None and inferred.title == "泊湾晚报 2026年1月11日"


@pytest.mark.parametrize("name", ["numbers-daily", "exported-page"])
def test_every_paragraph_in_order(
    pdfs: dict[tuple[str, str], Path], numbers: Issue, exported: Issue, name: str
) -> None:
    """test_pdf: test_every_paragraph_in_order."""
    text = re.sub(r"\s+", "", plain_text(pdfs[(name, "classic")]))
    text = RUNNING[name].sub("", text)
    _in_order(text, numbers if name == "numbers-daily" else exported)


def test_no_line_starts_with_a_closing_mark(pdfs: dict[tuple[str, str], Path]) -> None:
    """test_pdf: test_no_line_starts_with_a_closing_mark."""
    for key, pdf in pdfs.items():
        found = lines(pdf)
        body = [ln for ln in found if ln.text and not ln.text.startswith("——")]  # a subtitle opens with ——
        assert len(body) > 60, key
        assert [ln.text for ln in body if ln.text[0] in CLOSING_MARKS] == [], key
        assert [ln.text for ln in body if ln.text[-1] in OPENING_MARKS] == [], key


@pytest.mark.parametrize(
    ("name", "theme", "least"),
    [("exported-page", "classic", 40), ("exported-page", "reader", 25), ("numbers-daily", "classic", 25)],
)
def test_full_lines_end_flush(pdfs: dict[tuple[str, str], Path], name: str, theme: str, least: int) -> None:
    """Every line inside a paragraph ends at the measure, by its ink (the audit reads what poppler's boxes cannot:
    a closing mark set half-width at a line's end keeps a glyph box that reaches past it)."""
    from exporter.audit import audit

    result = audit(pdfs[(name, theme)])
    assert result.lines > least
    assert (result.counts["short-line"], result.counts["latin-gap"], result.counts["tracking"]) == (0, 0, 0)


@pytest.mark.parametrize("name", ["numbers-daily", "exported-page"])
def test_copied_text_has_no_inserted_spaces(
    pdfs: dict[tuple[str, str], Path], numbers: Issue, exported: Issue, name: str
) -> None:
    """test_pdf: test_copied_text_has_no_inserted_spaces."""
    issue = numbers if name == "numbers-daily" else exported
    title = issue.masthead.title or ""
    text = plain_text(pdfs[(name, "classic")]).replace(" ".join(title), "")  # the letter-spaced masthead
    body = "".join(p.text for a in issue.articles for p in a.paragraphs)
    gaps = [m.group(0) for m in re.finditer(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", text)]
    assert [g for g in gaps if g not in body and g.replace(" ", "") in body] == []


@pytest.mark.parametrize("name", ["numbers-daily", "exported-page"])
def test_contents_links_work(pdfs: dict[tuple[str, str], Path], numbers: Issue, exported: Issue, name: str) -> None:
    """test_pdf: test_contents_links_work."""
    issue = numbers if name == "numbers-daily" else exported
    reader = PdfReader(pdfs[(name, "classic")])
    links = [a.get_object() for a in reader.pages[0].get("/Annots", []) if a.get_object()["/Subtype"] == "/Link"]
    assert len(links) >= len(issue.articles)
    assert "导读" in plain_text(pdfs[(name, "classic")])


def test_running_heads_with_numbered_pages_and_sections(pdfs: dict[tuple[str, str], Path]) -> None:
    """test_pdf: test_running_heads: paper, date, section and 第…版 at the head, the editor in the foot."""
    found = lines(pdfs[("numbers-daily", "classic")])
    pages = max(ln.page for ln in found)
    assert pages >= 3
    heads = {page: [ln.text for ln in found if ln.page == page and ln.y0 < 40] for page in range(2, pages + 1)}
    assert all(any("云港日报" in t for t in texts) for texts in heads.values()), heads
    assert any("2025年3月18日" in t for t in heads[2])
    shown = ["".join(texts) for texts in heads.values()]
    assert any("第2版" in s and "数说2025" in s for s in shown), shown
    assert any("第12版" in s and "副刊·第7天" in s for s in shown), shown
    feet = [ln.text for ln in found if ln.y0 > 800]
    assert feet and all(t.startswith("责任编辑：许") for t in feet)


def test_two_builds_are_byte_identical(tmp_path: Path, pdfs: dict[tuple[str, str], Path]) -> None:
    """test_pdf: test_two_builds_are_byte_identical."""
    (again,) = build(EXPORTED, ["pdf"], theme="classic", out=tmp_path, cache_dir=tmp_path / "cache")
    assert again.path.read_bytes() == pdfs[("exported-page", "classic")].read_bytes()


# -- the vertical print edition (test_vertical_pdf.py) ------------------------------------------


def test_pages_are_portrait_after_the_turn(vertical: dict[str, Path]) -> None:
    """test_vertical_pdf: test_pages_are_portrait_after_the_turn."""
    for name, pdf in vertical.items():
        reader = PdfReader(pdf)
        assert len(reader.pages) >= 2, name
        for page in reader.pages:
            assert page.rotation == 90
            assert float(page.mediabox.width) > float(page.mediabox.height)


@pytest.mark.parametrize("name", ["numbers-daily", "exported-page"])
def test_text_layer_reads_in_order(vertical: dict[str, Path], numbers: Issue, exported: Issue, name: str) -> None:
    """test_vertical_pdf: test_text_layer_reads_in_order; the text layer keeps the issue's curly quotes."""
    issue = numbers if name == "numbers-daily" else exported
    assert "“" in "".join(p.text for a in issue.articles for p in a.paragraphs)
    text = re.sub(r"\s+", "", raw_text(vertical[name]))
    text = RUNNING[name].sub("", text)
    _in_order(text, issue)


@pytest.mark.parametrize("name", ["numbers-daily", "exported-page"])
def test_every_font_is_turned(vertical: dict[str, Path], numbers: Issue, exported: Issue, name: str) -> None:
    """test_vertical_pdf: test_every_font_is_turned."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    from exporter.fonts.orientation import upright

    issue = numbers if name == "numbers-daily" else exported
    covered: set[int] = set()
    names = set()
    for page in PdfReader(vertical[name]).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = TTFont(io.BytesIO(descriptor["/FontFile3"].get_object().get_data()))
            names.add(program["name"].getDebugName(6))
            covered.update(program.getBestCmap() or {})
    # The rotated fonts only: tate-chu-yoko digits and corner quotes are glyphs of theirs.
    assert names and all(n.endswith("-Rotated") for n in names), names
    text = "".join(t for _, t in issue.texts())
    missing = sorted(chr(cp) for cp in {ord(ch) for ch in text if upright(ch)} - covered)
    assert missing == []


def test_outline_and_links_go_to_the_right_pages(vertical: dict[str, Path], numbers: Issue) -> None:
    """test_vertical_pdf: test_outline_and_links_go_to_the_right_pages."""
    reader = PdfReader(vertical["numbers-daily"])
    flat = [entry for item in reader.outline if isinstance(item, list) for entry in item]
    assert [item.title for item in flat] == [" ".join(a.headline_lines) for a in numbers.articles]
    pages = [reader.get_destination_page_number(item) for item in flat]
    assert pages == sorted(pages)
    raw = raw_text(vertical["numbers-daily"]).split("\f")
    for item, page in zip(flat, pages, strict=True):
        first = item.title.split(" ")[0]
        assert first[:4] in re.sub(r"\s+", "", raw[page]), (item.title, page)
    links = [a.get_object() for a in reader.pages[0].get("/Annots", []) if a.get_object()["/Subtype"] == "/Link"]
    assert len(links) >= len(numbers.articles)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


def test_two_vertical_builds_are_byte_identical(tmp_path: Path, vertical: dict[str, Path]) -> None:
    """test_vertical_pdf: test_two_builds_are_byte_identical."""
    (again,) = build(NUMBERS, ["pdf"], theme="vertical", out=tmp_path, cache_dir=tmp_path / "cache")
    assert again.path.read_bytes() == vertical["numbers-daily"].read_bytes()
