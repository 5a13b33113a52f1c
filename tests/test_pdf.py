"""The print edition, read back with pypdf and poppler: pages, outline, metadata, text, line ends, links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from exporter import Issue
from exporter.errors import ExporterError
from exporter.pipeline import build
from exporter.theming import new as new_theme
from tests.pdftext import Line, lines, plain_text

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "binhai-daily.md"
CLOSING_MARKS = "，。、；：？！）」』》”’…—"
OPENING_MARKS = "（「『《“‘"
MM = 72 / 25.4


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory, sample_path: Path) -> dict[tuple[str, str], Path]:
    out = tmp_path_factory.mktemp("pdf")
    cache = tmp_path_factory.mktemp("cache")
    found = {}
    for source, theme in ((sample_path, "classic"), (sample_path, "reader"), (EXAMPLE, "classic")):
        (built,) = build(source, ["pdf"], theme=theme, out=out / theme, cache_dir=cache)
        found[(source.stem, theme)] = built.path
    return found


def test_pages_and_size(pdfs: dict[tuple[str, str], Path]) -> None:
    reader = PdfReader(pdfs[("qingdao-daily-excerpt", "classic")])
    assert 3 <= len(reader.pages) <= 10
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (210, 297)
    small = PdfReader(pdfs[("qingdao-daily-excerpt", "reader")])
    assert round(float(small.pages[0].mediabox.width) / MM) == 148
    assert len(small.pages) > len(reader.pages)


def _outline(reader: PdfReader, items: list[object] | None = None) -> list[object]:
    out: list[object] = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            out.append(_outline(reader, item))
        else:
            out.append(item.title)  # type: ignore[attr-defined]
    return out


def test_outline_is_sections_then_articles(pdfs: dict[tuple[str, str], Path], sample: Issue, example: Issue) -> None:
    sample_outline = _outline(PdfReader(pdfs[("qingdao-daily-excerpt", "classic")]))
    assert sample_outline == [" ".join(a.headline_lines) for a in sample.articles]
    example_outline = _outline(PdfReader(pdfs[("binhai-daily", "classic")]))
    expected: list[object] = []
    for section in example.sections:
        expected.append(f"第{section.page}版 {section.title}")
        expected.append([" ".join(a.headline_lines) for a in section.articles])
    assert example_outline == expected


def test_metadata(pdfs: dict[tuple[str, str], Path]) -> None:
    reader = PdfReader(pdfs[("binhai-daily", "classic")])
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "滨海日报 2026年3月18日"
    assert meta.author == "滨海日报社"
    assert meta.subject and meta.subject.startswith("滨海港区新航线开通")
    assert meta.get("/Keywords") == "要闻, 经济, 副刊"
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # a tagged PDF


def test_every_paragraph_in_order(pdfs: dict[tuple[str, str], Path], sample: Issue) -> None:
    text = re.sub(r"\s+", "", plain_text(pdfs[("qingdao-daily-excerpt", "classic")]))
    # The running head stands between the parts of a paragraph that runs over a page.
    text = re.sub(r"青岛日报2025年12月29日\d+", "", text)
    position = 0
    for article in sample.articles:
        for paragraph in article.paragraphs:
            # A paragraph may run over a column or page break; the running heads may come between.
            for piece in re.findall(r".{1,12}", re.sub(r"\s+", "", paragraph.text)):
                found = text.find(piece, position)
                assert found >= 0, (article.id, piece)
                position = found + len(piece)


def _cut_by_poppler(line: Line, found: list[Line]) -> bool:
    """The line goes on from another on its baseline whose end its first mark's box overlaps: poppler cut one line
    in two there (and joined the first part to the column before's line on that baseline, tests/pdftext.py)."""
    return any(
        other is not line
        and other.page == line.page
        and abs(other.y0 - line.y0) < 0.1
        and -1.05 * line.height <= line.x0 - other.x1 < 0
        for other in found
    )


def test_no_line_starts_with_a_closing_mark(pdfs: dict[tuple[str, str], Path]) -> None:
    for key in (("qingdao-daily-excerpt", "classic"), ("qingdao-daily-excerpt", "reader"), ("binhai-daily", "classic")):
        found = lines(pdfs[key])
        body = [ln for ln in found if ln.text and not ln.text.startswith("——")]  # a subtitle opens with ——
        assert len(body) > 100
        assert [ln.text for ln in body if ln.text[0] in CLOSING_MARKS and not _cut_by_poppler(ln, found)] == []
        assert [ln.text for ln in body if ln.text[-1] in OPENING_MARKS] == []


def test_full_lines_end_flush(pdfs: dict[tuple[str, str], Path]) -> None:
    """Every line inside a paragraph ends at the measure, by its ink (tests/test_audit.py audits the sample whole)."""
    from exporter.audit import audit

    for key in (("qingdao-daily-excerpt", "classic"), ("qingdao-daily-excerpt", "reader")):
        result = audit(pdfs[key])
        assert result.lines > 250
        assert (result.counts["short-line"], result.counts["latin-gap"], result.counts["tracking"]) == (0, 0, 0)


def test_copied_text_has_no_inserted_spaces(pdfs: dict[tuple[str, str], Path], sample: Issue) -> None:
    """Justification adds no space character, and opens no gap wide enough for a viewer to copy as one."""
    text = plain_text(pdfs[("qingdao-daily-excerpt", "classic")]).replace("青 岛 日 报", "")  # letter-spaced masthead
    body = "".join(p.text for a in sample.articles for p in a.paragraphs)
    gaps = [m.group(0) for m in re.finditer(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", text)]
    assert [g for g in gaps if g not in body and g.replace(" ", "") in body] == []


def test_contents_links_work(pdfs: dict[tuple[str, str], Path], sample: Issue) -> None:
    reader = PdfReader(pdfs[("qingdao-daily-excerpt", "classic")])
    links = [a.get_object() for a in reader.pages[0].get("/Annots", []) if a.get_object()["/Subtype"] == "/Link"]
    assert len(links) >= len(sample.articles)
    text = plain_text(pdfs[("qingdao-daily-excerpt", "classic")])
    assert "导读" in text


def test_running_heads(pdfs: dict[tuple[str, str], Path]) -> None:
    found = lines(pdfs[("binhai-daily", "classic")])
    page2 = [ln.text for ln in found if ln.page == 2 and ln.y0 < 40]
    assert any("滨海日报" in t for t in page2) and any("2026年3月18日" in t for t in page2)
    assert any("第A0" in t for t in page2)
    feet = [ln.text for ln in found if ln.y0 > 800]
    assert any(t.startswith("责任编辑：林") for t in feet)


def test_print_variant_has_bleed_and_crop_marks(tmp_path: Path) -> None:
    (built,) = build(EXAMPLE, ["pdf"], out=tmp_path, cache_dir=tmp_path / "cache", print_marks=True)
    page = PdfReader(built.path).pages[0]
    trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
    assert round((float(trim.left) - float(bleed.left)) / MM, 1) == 3.0
    assert float(media.width) > float(bleed.width)  # room for the marks outside the bleed
    intents = PdfReader(built.path).trailer["/Root"]["/OutputIntents"]
    assert intents[0].get_object()["/S"] == "/GTS_PDFX"
    assert b"PDF/X-4" in PdfReader(built.path).trailer["/Root"]["/Metadata"].get_object().get_data()


def test_two_print_builds_are_byte_identical(tmp_path: Path) -> None:
    """The PDF/X's DocumentID and file identifier follow the issue: WeasyPrint drew a fresh uuid4 for each build."""
    first, second = (
        build(EXAMPLE, ["pdf"], out=tmp_path / name, cache_dir=tmp_path / "cache", print_marks=True)[0].path
        for name in ("one", "two")
    )
    assert first.read_bytes() == second.read_bytes()
    reader = PdfReader(first)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert re.search(rb"<xmpMM:DocumentID>xmp\.did:[0-9a-f-]{36}</xmpMM:DocumentID>", xmp)
    ids = reader.trailer["/ID"]
    assert ids[0] == ids[1]


def test_page_size_from_the_theme(tmp_path: Path) -> None:
    folder = new_theme("broad", "classic", tmp_path)
    toml = folder / "theme.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[edition.pdf]\npage_size = "berliner"\n', encoding="utf-8")
    (built,) = build(EXAMPLE, ["pdf"], theme=folder, out=tmp_path / "out", cache_dir=tmp_path / "cache")
    box = PdfReader(built.path).pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (315, 470)
    toml.write_text(toml.read_text(encoding="utf-8").replace("berliner", "A9"), encoding="utf-8")
    line = toml.read_text(encoding="utf-8").splitlines().index('page_size = "A9"') + 1
    with pytest.raises(ExporterError) as caught:  # when the theme loads, at its line
        build(EXAMPLE, ["pdf"], theme=folder, out=tmp_path / "out2", cache_dir=tmp_path / "cache")
    assert str(caught.value) == (
        f"{toml.resolve()}:{line}: error: [edition.pdf] page_size `A9` is not a page size: write a name (A5, A4, A3, "
        "B5, B4, JIS-B5, JIS-B4, letter, legal, ledger, tabloid, berliner, broadsheet), with `landscape` for a page "
        'on its side, or its width and height, as in "315mm 470mm"'
    )


def test_two_builds_are_byte_identical(tmp_path: Path, pdfs: dict[tuple[str, str], Path], sample_path: Path) -> None:
    (again,) = build(sample_path, ["pdf"], theme="classic", out=tmp_path, cache_dir=tmp_path / "cache")
    assert again.path.read_bytes() == pdfs[("qingdao-daily-excerpt", "classic")].read_bytes()


@pytest.mark.parametrize(
    "url", ["file:///etc/hostname", "http://example.invalid/paper.png", "https://example.invalid/x.png"]
)
def test_the_print_edition_reads_no_file_outside_the_issue_theme_and_fonts(tmp_path: Path, url: str) -> None:
    folder = new_theme("leaky", "classic", tmp_path)
    css = folder / "css" / "print.css"
    css.write_text(f'body {{ background: url("{url}"); }}\n', encoding="utf-8")
    with pytest.raises(ExporterError, match=re.escape(url)):
        build(EXAMPLE, ["pdf"], theme=folder, out=tmp_path / "out", cache_dir=tmp_path / "cache")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_files_of_the_theme_are_read(tmp_path: Path) -> None:
    from PIL import Image

    folder = new_theme("papered", "classic", tmp_path)
    (folder / "assets").mkdir()
    Image.new("RGB", (8, 8), (250, 240, 220)).save(folder / "assets" / "paper.png")
    (folder / "css" / "print.css").write_text('body { background: url("../assets/paper.png"); }\n', encoding="utf-8")
    (built,) = build(EXAMPLE, ["pdf"], theme=folder, out=tmp_path / "out", cache_dir=tmp_path / "cache")
    page = PdfReader(built.path).pages[1]
    # The paper is drawn on the page: an image of its resources, or of a pattern or form drawn there.
    drawn, todo = [], [page["/Resources"]]
    while todo:
        resources = todo.pop()
        for kind in ("/XObject", "/Pattern"):
            for x in resources.get(kind, {}).values():
                drawn.append(x.get_object())
                todo.append(x.get_object().get("/Resources", {}))
    assert any(x.get("/Subtype") == "/Image" and x["/Width"] == 8 for x in drawn)
