"""Reads a built edition back for tests: the EPUB's OPF and contents, the web edition's pages, the PDF's text.

A test that builds an edition checks what is in it, not that a file of that name exists.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree, html

from exporter import Issue
from tests.pdftext import raw_text

NS = {
    "container": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}


def squeeze(text: str) -> str:
    """Text without white space: a headline broken over two lines reads the same."""
    return re.sub(r"\s+", "", text)


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


@dataclass(frozen=True)
class Book:
    """What a reading system shows of an EPUB: its metadata, and its contents as the nav lists them."""

    title: str
    language: str
    identifier: str  # the dc:identifier that the package's unique-identifier names
    contents: list[str]  # the text of each link of the nav's toc, in order: sections and headlines


def epub(path: Path) -> Book:
    """The book's OPF, found as a reading system finds it (through META-INF/container.xml), and its nav."""
    with zipfile.ZipFile(path) as z:
        assert z.read("mimetype") == b"application/epub+zip", path
        container = etree.fromstring(z.read("META-INF/container.xml"))
        (opf_name,) = container.xpath("//container:rootfile/@full-path", namespaces=NS)
        opf = etree.fromstring(z.read(opf_name))
        unique = opf.get("unique-identifier")
        (identifier,) = opf.xpath(f"//dc:identifier[@id='{unique}']", namespaces=NS)
        (title,) = opf.xpath("//dc:title", namespaces=NS)
        (language,) = opf.xpath("//dc:language", namespaces=NS)
        (nav_href,) = opf.xpath("//opf:item[contains(concat(' ', @properties, ' '), ' nav ')]/@href", namespaces=NS)
        nav = etree.fromstring(z.read(posixpath.join(posixpath.dirname(opf_name), nav_href)))
    links = nav.xpath("//x:nav[@epub:type='toc']//x:a", namespaces=NS)
    return Book(_text(title), _text(language), _text(identifier), [_text(a) for a in links])


@dataclass(frozen=True)
class Web:
    """The web edition as a browser opens it: the front page's title, and each page's headline."""

    title: str
    headlines: list[str]  # the headline of each article page the front page links to, in order, white space removed


def web(folder: Path) -> Web:
    index = html.parse(str(folder / "index.html")).getroot()
    pages = list(
        dict.fromkeys(a.get("href") for a in index.xpath("//a[@href]") if re.fullmatch(r"a\d+\.html", a.get("href")))
    )
    headlines = []
    for page in pages:
        (headline,) = (
            html.parse(str(folder / page))
            .getroot()
            .xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' headline ')]")
        )
        headlines.append(squeeze(_text(headline)))
    (title,) = index.xpath("//title")
    return Web(_text(title), headlines)


def pdf_text(pdf: Path) -> str:
    """The PDF's text as poppler's pdftotext reads it, without white space."""
    return squeeze(raw_text(pdf))


def headlines(issue: Issue, *, corner_quotes: bool = False) -> list[str]:
    """The issue's headlines as the parser read them from its source, white space removed.

    ``corner_quotes``: as a theme with that option sets them (the vertical theme), “” and ‘’ as 「」 and 『』.
    """
    from tests.test_example_epub import cornered

    return [squeeze(cornered(a.headline) if corner_quotes else a.headline) for a in issue.articles]


def assert_pdf_has_headlines(pdf: Path, issue: Issue, *, corner_quotes: bool = False) -> None:
    """Every headline of the issue is in the PDF's text, in the issue's order."""
    text = pdf_text(pdf)
    position = 0
    for headline in headlines(issue, corner_quotes=corner_quotes):
        found = text.find(headline, position)
        assert found != -1, (pdf, headline, text[position : position + 200])
        position = found + len(headline)


def assert_book_of(path: Path, issue: Issue) -> Book:
    """The EPUB at ``path`` is the book of ``issue``: title, language, identifier, every headline in its contents.

    The title is the paper's name and the date as a Chinese masthead prints it (2026年3月18日); the identifier
    a UUID that the paper, date and number give (the same issue built twice is the same book).
    """
    from exporter.editions.epub.package import identifier

    m = issue.masthead
    book = epub(path)
    assert m.title and m.date and m.language.startswith("zh"), "a Chinese issue with its name and date"
    assert book.title == f"{m.title} {m.date.year}年{m.date.month}月{m.date.day}日", book
    assert book.language == m.language, book
    assert re.fullmatch(
        r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", book.identifier
    )
    assert book.identifier == identifier(issue), book
    wanted = [article.headline for article in issue.articles]
    assert [c for c in book.contents if c in wanted] == wanted, book.contents
    return book


def assert_web_of(folder: Path, issue: Issue, *, corner_quotes: bool = False) -> Web:
    """The web edition in ``folder`` is that of ``issue``: its front page names the paper and date, and links
    to a page for each article, in order, headed by its headline."""
    m = issue.masthead
    site = web(folder)
    assert m.title and m.date, "an issue with its name and date"
    assert site.title == f"{m.title} {m.date.isoformat()}", site
    assert site.headlines == headlines(issue, corner_quotes=corner_quotes), site
    return site
