"""The e-edition read back: its 版 pages, regions against the PDF's text, pictures, PDFs, search data, offline files.

The browser's view of it (clicking, turning, search, settings, offline, axe) is in test_eedition_browser.py.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pytest
from PIL import Image
from pypdf import PdfReader

from exporter import parse_file
from exporter.model import Issue
from tests.conftest import DENSE, EXAMPLE, HK
from tests.conftest import build_e_edition as build

NS = {"h": "http://www.w3.org/1999/xhtml"}


def parse(path: Path):  # type: ignore[no-untyped-def]
    return html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=True)


def ban_pages(folder: Path) -> list[Path]:
    """The 版 pages in order: index.html, then ban-2.html, ban-3.html, …"""
    others = sorted(folder.glob("ban-*.html"), key=lambda p: int(p.stem.split("-")[1]))
    return [folder / "index.html", *others]


def regions(
    page: Path, kind: str = "e-region"
) -> Iterator[tuple[int, str, str, list[tuple[float, float, float, float]]]]:
    """Each region of a 版 page (``kind``: a story's, ``e-region``, or a link's, ``e-link``): the number of its
    sheet's page, its article's file, its name, its rectangles (%)."""
    tree = parse(page)
    for sheet in tree.iterfind(".//h:div[@class='e-sheet']", NS):
        img = sheet.find(".//h:img", NS)
        assert img is not None
        number = int(re.search(r"pages/(\d+)-", img.get("src", "")).group(1))  # type: ignore[union-attr]
        for link in sheet.iterfind("h:a", NS):
            if kind not in link.get("class", "").split():
                continue
            rects = []
            for span in link.iterfind("h:span", NS):
                style = dict(p.split(":") for p in span.get("style", "").split(";") if p)
                rects.append(tuple(float(style[k].rstrip("%")) for k in ("left", "top", "width", "height")))
            yield number, link.get("href", ""), link.get("aria-label", ""), rects  # type: ignore[misc]


def words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """The words poppler reads on a page, with their boxes in points as the page is shown (its /Rotate applied)."""
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = []
    for m in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out):
        found.append((html.unescape(m.group(5)), *map(float, m.group(1, 2, 3, 4))))
    return found


def check_regions(folder: Path, issue: Issue) -> None:
    """Every article is a region named by its headline; its first region holds the headline the PDF prints."""
    pdf = next(folder.glob("*.pdf"))
    reader = PdfReader(pdf)
    seen: dict[str, tuple[int, list[tuple[float, float, float, float]]]] = {}
    for page in ban_pages(folder):
        for number, href, name, rects in regions(page):
            article = next(a for a in issue.articles if f"{a.id}.html" == href)
            assert name == " ".join(article.headline_lines)
            assert rects and all(x >= 0 and y >= 0 and x + w <= 100.01 and y + h <= 100.01 for x, y, w, h in rects)
            seen.setdefault(article.id, (number, rects))
    assert set(seen) == {a.id for a in issue.articles}
    for article in issue.articles:
        number, rects = seen[article.id]
        box = reader.pages[number - 1]
        rotated = (box.get("/Rotate") or 0) % 180 == 90
        width, height = float(box.mediabox.width), float(box.mediabox.height)
        if rotated:
            width, height = height, width
        # Four characters of the headline that poppler reads as one word (digits and Latin letters are spaced).
        first = next(m.group() for m in re.finditer(r"[\u4e00-\u9fff]{3,}", "".join(article.headline_lines)))[:4]
        hits = [w for w in words(pdf, number) if first in w[0]]
        assert hits, f"{article.id}: the PDF's page {number} does not print {first!r}"
        # The headline is the largest setting of its words on the page (the 导读 lists it smaller).
        _text, x0, y0, x1, y1 = max(hits, key=lambda w: min(w[3] - w[1], w[4] - w[2]))
        cx, cy = 100 * (x0 + x1) / 2 / width, 100 * (y0 + y1) / 2 / height
        assert any(x <= cx <= x + w and y <= cy <= y + h for x, y, w, h in rects), (article.id, (cx, cy), rects)


@pytest.mark.parametrize("theme", ["classic", "vertical"])
def test_every_article_is_a_region_where_the_pdf_prints_its_headline(
    theme: str, e_classic: Path, e_vertical: Path, example: Issue
) -> None:
    check_regions(e_classic if theme == "classic" else e_vertical, example)


@pytest.mark.parametrize("theme", ["classic", "vertical"])
def test_the_lead_and_jump_lines_are_links_where_the_pdf_prints_them(
    theme: str, e_classic: Path, e_vertical: Path, example: Issue
) -> None:
    folder = e_classic if theme == "classic" else e_vertical
    pdf = next(folder.glob("*.pdf"))
    reader = PdfReader(pdf)
    found = 0
    for page in ban_pages(folder):
        for number, href, name, rects in regions(page, "e-link"):
            article = next(a for a in example.articles if f"{a.id}.html" == href)
            assert name == " ".join(article.headline_lines)
            box = reader.pages[number - 1]
            width, height = float(box.mediabox.width), float(box.mediabox.height)
            if (box.get("/Rotate") or 0) % 180 == 90:
                width, height = height, width
            first = next(m.group() for m in re.finditer(r"[\u4e00-\u9fff]{3,}", "".join(article.headline_lines)))
            # The 导读's entry prints the headline; a 转版 line prints 「下转」 or 「上接」.
            texts = [w for w in words(pdf, number) if first[:3] in w[0] or "转" in w[0] or "接" in w[0]]
            centres = [(100 * (w[1] + w[3]) / 2 / width, 100 * (w[2] + w[4]) / 2 / height) for w in texts]
            assert any(x <= cx <= x + w and y <= cy <= y + h for x, y, w, h in rects for cx, cy in centres), (
                page.name,
                href,
                rects,
            )
            found += 1
    # Classic: five entries of the 导读 and the 下转 line on the front page, the 上接 line of its second part;
    # vertical: the 导读's lead of each 版 and the 下转 line.
    assert found >= (6 if theme == "classic" else 4)


def test_a_story_that_jumps_has_a_region_on_both_pages(e_classic: Path) -> None:
    continued = [
        (page.name, href)
        for page in ban_pages(e_classic)
        for _, href, _, _ in regions(page)
        if 'e-continued" href="' + href in page.read_text()
    ]
    assert ("ban-2.html", "a01.html") in continued


@pytest.mark.parametrize("theme", ["classic", "vertical"])
def test_each_page_is_drawn_at_every_size_in_every_format(theme: str, e_classic: Path, e_vertical: Path) -> None:
    folder = e_classic if theme == "classic" else e_vertical
    reader = PdfReader(next(folder.glob("*.pdf")))
    assert len(reader.pages) == len(list(folder.glob("pages/*-720.png")))
    for number, page in enumerate(reader.pages, 1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        if (page.get("/Rotate") or 0) % 180:
            width, height = height, width
        for size, kinds in ((200, ("webp", "png")), (720, ("avif", "webp", "png")), (1440, ("avif", "webp"))):
            for kind in kinds:
                with Image.open(folder / f"pages/{number}-{size}.{kind}") as image:
                    assert image.format == {"webp": "WEBP", "png": "PNG", "avif": "AVIF"}[kind]
                    assert image.width == size
                    assert abs(image.height - size * height / width) <= 1
    # A 竖排 page stands upright: taller than wide, as the reader holds the paper.
    with Image.open(folder / "pages/1-720.png") as first:
        assert first.height > first.width


def test_each_ban_has_its_own_pdf_with_its_pages_and_no_dead_link(e_classic: Path, example: Issue) -> None:
    whole = PdfReader(next(e_classic.glob("*.pdf")))
    total = 0
    for n, page in enumerate(ban_pages(e_classic), 1):
        tree = parse(page)
        sheets = tree.findall(".//h:div[@class='e-sheet']", NS)
        part = PdfReader(e_classic / f"pdf/ban-{n}.pdf")
        assert len(part.pages) == len(sheets)
        total += len(part.pages)
        names = [a.get("aria-label") for a in tree.iterfind(".//h:div[@class='e-sheet']/h:a", NS)]
        text = "".join(p.extract_text() for p in part.pages).replace(" ", "").replace("\n", "")
        for name in names:
            assert name and name.replace(" ", "")[:6] in text
        for p in part.pages:
            for annot in p.get("/Annots") or []:
                action = annot.get_object().get("/A")
                assert action is not None and action.get("/S") == "/URI", "a link to a page outside the 版 is kept"
    assert total == len(whole.pages)


def links(folder: Path) -> Iterator[tuple[Path, str]]:
    tree_pages = sorted(folder.glob("*.html"))
    for page in tree_pages:
        tree = parse(page)
        for element in tree.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value:
                    yield page, value
            for candidate in (element.get("srcset") or "").split(","):
                if candidate.strip():
                    yield page, candidate.split()[0]


@pytest.mark.parametrize("theme", ["classic", "vertical"])
def test_every_link_and_picture_is_in_the_folder(theme: str, e_classic: Path, e_vertical: Path) -> None:
    folder = e_classic if theme == "classic" else e_vertical
    checked = 0
    for page, target in links(folder):
        parts = urlsplit(target)
        if parts.scheme or target.startswith("#"):
            continue
        path = unquote(parts.path)
        assert (folder / path).is_file(), f"{page.name} names {target}, which is not in the e-edition"
        checked += 1
    assert checked > 100


def test_pages_are_tagged_with_the_issue_language(e_classic: Path, example: Issue) -> None:
    for page in e_classic.glob("*.html"):
        root = parse(page)
        assert root.get("lang") == example.masthead.language, page.name


def test_search_data_holds_every_article_whole(e_classic: Path, example: Issue) -> None:
    script = (e_classic / "js/search-index.js").read_text(encoding="utf-8")
    prefix = "window.exporterSearch = "
    assert script.startswith(prefix)
    data = json.loads(script[len(prefix) :].rstrip().rstrip(";"))
    docs = {d["u"]: d for d in data["docs"]}
    assert list(docs) == [f"{a.id}.html" for a in example.articles]
    for article in example.articles:
        doc = docs[f"{article.id}.html"]
        assert doc["h"] == " ".join(article.headline_lines)
        for paragraph in article.paragraphs:
            assert paragraph.text in doc["t"]
    assert docs["a01.html"]["b"] == "第A01版 要闻"


def test_manifest_icons_and_service_worker_name_files_that_exist(e_classic: Path, example: Issue) -> None:
    manifest = json.loads((e_classic / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["start_url"] == "index.html"
    assert manifest["lang"] == example.masthead.language
    assert example.masthead.title and example.masthead.title in manifest["name"]
    for icon in manifest["icons"]:
        with Image.open(e_classic / icon["src"]) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
    script = (e_classic / "sw.js").read_text(encoding="utf-8")
    first = json.loads(re.search(r"const FIRST = (\[.*?\]);", script, re.S).group(1))  # type: ignore[union-attr]
    cache = re.search(r'const CACHE = "([^"]+)"', script).group(1)  # type: ignore[union-attr]
    assert cache.startswith("exporter-e-") and "__" not in cache
    assert first[0] == "./"
    for name in first[1:]:
        assert (e_classic / name).is_file(), name
    kept = set(first)
    for page in e_classic.glob("*.html"):
        assert page.name in kept
    assert "pages/1-720.avif" in kept and "pages/1-200.webp" in kept and "js/e.js" in kept and "css/e.css" in kept
    assert not any(name.endswith((".pdf", ".epub")) for name in kept)


def test_a_changed_issue_gets_a_service_worker_cache_of_its_own(tmp_path: Path, e_classic: Path) -> None:
    changed = tmp_path / EXAMPLE.name
    changed.write_text(EXAMPLE.read_text(encoding="utf-8").replace("新航线开通", "新航线开航", 1), encoding="utf-8")
    (tmp_path / "images").symlink_to(EXAMPLE.parent / "images")
    again = build(changed, tmp_path / "out")

    def cache(folder: Path) -> str:
        return re.search(r'const CACHE = "([^"]+)"', (folder / "sw.js").read_text()).group(1)  # type: ignore[union-attr]

    assert cache(again) != cache(e_classic)


def test_the_eight_ban_example_is_an_e_edition(tmp_path: Path) -> None:
    issue = parse_file(DENSE)
    folder = build(DENSE, tmp_path)
    pages = ban_pages(folder)
    assert len(pages) == len(issue.sections) == 8
    check_regions(folder, issue)
    names = [parse(p).find(".//h:h1", NS).text for p in pages]  # type: ignore[union-attr]
    assert names == [" ".join(x for x in (f"第{s.page}版" if s.page else "", s.title) if x) for s in issue.sections]
    for page, target in links(folder):
        parts = urlsplit(target)
        if not parts.scheme and not target.startswith("#"):
            assert (folder / unquote(parts.path)).is_file(), (page.name, target)


def test_the_sample_is_an_e_edition(tmp_path: Path, sample_path: Path, sample: Issue) -> None:
    folder = build(sample_path, tmp_path)
    check_regions(folder, sample)
    assert len(ban_pages(folder)) == len(sample.sections)


def test_pictures_are_not_blank(e_classic: Path) -> None:
    with Image.open(e_classic / "pages/1-720.png") as page:
        grey = page.convert("L")
        dark = sum(grey.histogram()[:128])
    assert dark > 0.01 * grey.width * grey.height


def test_the_e_edition_is_the_same_twice(tmp_path: Path, e_classic: Path) -> None:
    again = build(EXAMPLE, tmp_path)
    names = sorted(p.relative_to(e_classic).as_posix() for p in e_classic.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(again).as_posix() for p in again.rglob("*") if p.is_file())
    different = [n for n in names if (e_classic / n).read_bytes() != (again / n).read_bytes()]
    assert different == []


def test_the_reader_theme_and_a_hong_kong_issue_are_e_editions(tmp_path: Path) -> None:
    # The reader theme runs the 版 on from A5 page to page: a page's 版 is the one it ends in.
    reader = build(EXAMPLE, tmp_path / "reader", "--theme", "reader")
    check_regions(reader, parse_file(EXAMPLE))
    hk = build(HK, tmp_path / "hk", "--theme", "vertical")
    issue = parse_file(HK)
    check_regions(hk, issue)
    page = (hk / "a01.html").read_text(encoding="utf-8")
    assert 'lang="zh-HK"' in page and "搜尋本期" in page and "直排" in page and "搜索本期" not in page
