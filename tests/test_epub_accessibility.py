"""What DAISY Ace checks of a book, read back from the EPUB: the package's language, the page source, ARIA roles.

Ace 1.4.6 found three rules broken on every book with a page list: ``epub-lang`` (no ``xml:lang`` on the
OPF's ``<package>``), ``epub-pagesource`` (a page list without ``pageBreakSource``: Ace takes a
``dc:source`` only when a ``source-of pagination`` refines it) and ``epub-type-has-matching-role``
(the contents and the licence sections had an ``epub:type`` and no ARIA role).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from exporter import parse_file
from exporter.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: The ARIA role each structural ``epub:type`` the books use must come with (EPUB Accessibility Techniques 1.1).
ROLES = {"toc": "doc-toc", "appendix": "doc-appendix", "pagebreak": "doc-pagebreak", "page-list": "doc-pagelist"}
NO_PAGES = "---\ntitle: 滨海日报\ndate: 2026-03-18\nlanguage: zh-CN\n---\n\n## 无版面的一期\n\n正文第一段。\n"
#: An issue with pages and no identifier: its page source is the paper's name and the date.
PAGES_NO_ID = (
    "---\ntitle: 滨海日报\ndate: 2026-03-18\n---\n\n<!-- page: A01, section: 要闻 -->\n\n## 甲\n\n正文。\n\n"
    "<!-- page: A02, section: 综合 -->\n\n## 乙\n\n正文。\n"
)


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("books")
    cache = tmp_path_factory.mktemp("cache")
    (out / "no-pages.md").write_text(NO_PAGES, encoding="utf-8")
    (out / "pages.md").write_text(PAGES_NO_ID, encoding="utf-8")
    found = {}
    for name, source, theme in (
        ("binhai", ROOT / "examples" / "binhai-daily.md", "classic"),
        ("binhai-vertical", ROOT / "examples" / "binhai-daily.md", "vertical"),
        ("hk", ROOT / "examples" / "hk-daily.md", "classic"),
        ("no-pages", out / "no-pages.md", "reader"),
        ("pages", out / "pages.md", "classic"),
        ("tables", ROOT / "examples" / "tables-daily.md", "reader"),
        ("exported", ROOT / "examples" / "exported-page.md", "vertical"),
    ):
        (built,) = build(source, ["epub"], theme=theme, out=out / name, cache_dir=cache)
        found[name] = built.path
    return found


def _opf(book: Path) -> etree._Element:
    with zipfile.ZipFile(book) as archive:
        return etree.fromstring(archive.read("EPUB/content.opf"))


def _documents(book: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(book) as archive:
        return {n: etree.fromstring(archive.read(n)) for n in archive.namelist() if n.endswith(".xhtml")}


@pytest.mark.parametrize(("name", "language"), [("binhai", "zh-CN"), ("hk", "zh-HK"), ("no-pages", "zh-CN")])
def test_the_package_says_the_books_language(books: dict[str, Path], name: str, language: str) -> None:
    package = _opf(books[name])
    assert package.get(XML_LANG) == language
    assert package.findtext("opf:metadata/{http://purl.org/dc/elements/1.1/}language", namespaces=NS) == language


def test_a_book_with_a_page_list_names_the_printed_issue_its_pages_come_from(books: dict[str, Path]) -> None:
    issue = parse_file(ROOT / "examples" / "binhai-daily.md")
    for name in ("binhai", "binhai-vertical"):
        sources = _opf(books[name]).xpath("//opf:meta[@property='pageBreakSource']/text()", namespaces=NS)
        assert sources == [issue.masthead.identifier]
        nav = _documents(books[name])["EPUB/nav.xhtml"]
        assert nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS), "the book must have a page list"
    unnamed = _opf(books["pages"]).xpath("//opf:meta[@property='pageBreakSource']/text()", namespaces=NS)
    assert unnamed == ["滨海日报 2026-03-18"]


def test_a_book_without_pages_claims_no_page_source(books: dict[str, Path]) -> None:
    assert not _opf(books["no-pages"]).xpath("//opf:meta[@property='pageBreakSource']", namespaces=NS)
    nav = _documents(books["no-pages"])["EPUB/nav.xhtml"]
    assert not nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)


@pytest.mark.parametrize("name", ["binhai", "binhai-vertical", "hk", "no-pages", "pages"])
def test_every_structural_epub_type_has_its_aria_role(books: dict[str, Path], name: str) -> None:
    seen = set()
    for document, root in _documents(books[name]).items():
        for element in root.xpath("//*[@epub:type]", namespaces=NS):
            kind = element.get("{http://www.idpf.org/2007/ops}type")
            if kind in ROLES and etree.QName(element).localname != "a" and element.get("hidden") is None:
                assert element.get("role") == ROLES[kind], (document, etree.tostring(element)[:120])
                seen.add(kind)
    assert {"toc", "appendix"} <= seen


@pytest.mark.parametrize("name", ["binhai", "binhai-vertical", "hk", "no-pages", "pages", "tables", "exported"])
def test_daisy_ace_finds_no_violation(books: dict[str, Path], name: str, tmp_path: Path) -> None:
    from tests import ace

    assert ace.check(books[name], tmp_path / "ace") == []


def test_daisy_ace_finds_no_violation_in_the_samples_book(sample_path: Path, tmp_path: Path) -> None:
    from tests import ace

    (book,) = build(sample_path, ["epub"], theme="classic", out=tmp_path / "book", cache_dir=tmp_path / "cache")
    assert ace.check(book.path, tmp_path / "ace") == []


def _meta(book: Path, prop: str) -> list[str]:
    return [str(v) for v in _opf(book).xpath(f"//opf:meta[@property='{prop}']/text()", namespaces=NS)]


@pytest.mark.parametrize("name", ["binhai", "binhai-vertical", "hk", "no-pages", "pages"])
def test_every_book_makes_a_complete_epub_accessibility_claim(books: dict[str, Path], name: str) -> None:
    issue_images = name in ("binhai", "binhai-vertical", "hk")
    assert _meta(books[name], "dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert len(_meta(books[name], "a11y:certifiedBy")) == 1 and _meta(books[name], "a11y:certifiedBy")[0]
    modes = _meta(books[name], "schema:accessMode")
    assert modes == (["textual", "visual"] if issue_images else ["textual"])
    sufficient = _meta(books[name], "schema:accessModeSufficient")
    assert sufficient == (["textual", "textual,visual"] if issue_images else ["textual"])
    features = set(_meta(books[name], "schema:accessibilityFeature"))
    assert {"ARIA", "tableOfContents", "structuralNavigation", "readingOrder"} <= features
    assert ("alternativeText" in features) == issue_images
    assert ({"pageBreakMarkers", "pageNavigation"} <= features) == (name != "no-pages")
    assert _meta(books[name], "schema:accessibilityHazard") == ["none"]


@pytest.mark.parametrize(
    ("name", "simplified"), [("binhai", True), ("binhai-vertical", True), ("hk", False), ("no-pages", True)]
)
def test_the_accessibility_summary_is_in_the_issues_script(books: dict[str, Path], name: str, simplified: bool) -> None:
    (summary,) = _meta(books[name], "schema:accessibilitySummary")
    # 书/書, 报/報, 图/圖: the summary names the book, the masthead and the images
    assert all((s in summary) == simplified and (t in summary) != simplified for s, t in ("书書", "报報", "图圖"))


def test_only_a_numbered_issue_has_a_series_position(books: dict[str, Path]) -> None:
    hk = parse_file(ROOT / "examples" / "hk-daily.md")
    assert hk.masthead.number and hk.masthead.number.isdigit()
    assert _meta(books["hk"], "collection-type") == ["series"]
    assert _meta(books["hk"], "group-position") == [hk.masthead.number]
    # without a number the issue belongs to the paper's collection, and nothing gives it a position
    assert _meta(books["no-pages"], "belongs-to-collection") == ["滨海日报"]
    assert _meta(books["no-pages"], "collection-type") == []
    assert _meta(books["no-pages"], "group-position") == []
