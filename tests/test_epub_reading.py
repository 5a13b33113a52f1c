"""The books, opened in a real reading engine: foliate-js in headless Chromium (tests/reading.py), paged through
as a reader does, and what it shows compared with the issue the book was built from.

Books: binhai-daily in the classic, reader and vertical themes, hk-daily (zh-HK) in classic, and the newspaper's
sample in classic (skipped when it is not beside the clone). For each: the first page shown is the cover with
its image loaded; the page after it shows the paper's name and date; every entry of the contents, followed,
lands on its article with the headline on the screen; pages turn forward in reading order, and the vertical
book is set vertical-rl and turns right to left (``goLeft()`` goes on) while the others are horizontal-tb and
turn left to right; every text of the issue is in the rendered text and every font face of every section
loads. The last tests damage copies of the books (a contents link, the spine's direction, a font file, a
paragraph, the cover image) and check that the same checks report each fault.

Screenshots of the cover, the masthead page and the first article of each book go to the folder
``EXPORTER_READING_SHOTS`` names, or else into pytest's temporary folder (``reading-shots*``).
"""

from __future__ import annotations

import itertools
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from exporter import Issue, Subhead, parse_file
from exporter import theming as themes
from exporter.model import Article
from exporter.pipeline import build
from exporter.text.serials import serial_number
from tests import reading
from tests.conftest import EXAMPLE, HK
from tests.test_example_epub import cornered

#: name → (source, theme); "sample" is the newspaper's sample, read from ../shared.
BOOKS: dict[str, tuple[Path | None, str]] = {
    "binhai-classic": (EXAMPLE, "classic"),
    "binhai-reader": (EXAMPLE, "reader"),
    "binhai-vertical": (EXAMPLE, "vertical"),
    "hk-classic": (HK, "classic"),
    "sample-classic": (None, "classic"),
}
NAMES = [pytest.param(name, marks=pytest.mark.sample) if BOOKS[name][0] is None else name for name in BOOKS]
SHOTS = ("cover", "masthead", "article")


def squeeze(text: str) -> str:
    """Text without white space: the engine's innerText breaks lines where the page's blocks end."""
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class Case:
    """A book, the issue it was built from, and what the engine showed of it."""

    name: str
    issue: Issue
    book: Path
    vertical: bool
    seen: reading.Reading

    def shown(self, text: str) -> str:
        """``text`` as the book sets it: the vertical theme turns curly quotes into corner brackets."""
        return squeeze(cornered(text) if self.vertical else text)


class Library:
    """Builds and reads each book once, when a test first asks for it."""

    def __init__(self, out: Path, shots: Path) -> None:
        self.out = out
        self.shots = shots
        self.cases: dict[str, Case] = {}

    def case(self, name: str, source: Path) -> Case:
        if name not in self.cases:
            theme = BOOKS[name][1]
            (built,) = build(source, ["epub"], theme=theme, out=self.out / name, cache_dir=self.out / "cache")
            seen = reading.read(built.path, self.shots / name, SHOTS)
            self.cases[name] = Case(name, parse_file(source), built.path, theme == "vertical", seen)
        return self.cases[name]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    wanted = os.environ.get("EXPORTER_READING_SHOTS")
    shots = Path(wanted) if wanted else tmp_path_factory.mktemp("reading-shots")
    return Library(tmp_path_factory.mktemp("reading"), shots)


@pytest.fixture
def case(request: pytest.FixtureRequest, library: Library, name: str) -> Case:
    source = BOOKS[name][0]
    if source is None:
        source = request.getfixturevalue("sample_path")
    assert source is not None
    return library.case(name, source)


# -- what a reader must see, each check a list of what is wrong ---------------------------------------


def cover_problems(seen: reading.Reading) -> list[str]:
    """The book opens on its cover page (the cover landmark), whose image is the book's cover image, loaded."""
    first = seen.first
    problems = []
    if first.index != 0 or first.id != seen.landmarks.get("cover"):
        problems.append(f"the first page shown is section {first.index} ({first.id}), not the cover")
    if not first.images:
        problems.append("the first page shows no image")
    for image in first.images:
        if image.natural_width <= 0:
            problems.append(f"the image {image.alt!r} did not load")
    if first.cover is None:
        problems.append("the book has no cover image")
    elif first.images and first.cover[0] != first.images[0].natural_width:
        problems.append(f"the image shown is {first.images[0].natural_width} wide, the cover {first.cover[0]}")
    return problems


def masthead_problems(case: Case) -> list[str]:
    """The page after the cover, reached by turning the page, shows the paper's name and the date."""
    m = case.issue.masthead
    assert m.title and m.date, "an issue with its name and date"
    screen = squeeze(case.seen.first_pages.get(1, ""))
    problems = []
    for what, text in (("name", m.title), ("date", f"{m.date.year}年{m.date.month}月{m.date.day}日")):
        if case.shown(text) not in screen:
            problems.append(f"the masthead page does not show the paper's {what} {text}: {screen[:200]}")
    return problems


def _targets(case: Case) -> dict[str, tuple[Article, str]]:
    """What each entry of the contents may be called, and the article it must open on with the text that must be
    on the screen: an article's headline; a page's label and section's title (its first article); a subhead."""
    targets: dict[str, tuple[Article, str]] = {}
    for section in case.issue.sections:
        for article in section.articles:
            headline = "".join(article.headline_lines) or article.headline
            for label in (headline, cornered(headline)):
                targets[squeeze(label)] = (article, headline)
            for block in article.blocks:
                if isinstance(block, Subhead):
                    targets.setdefault(squeeze(block.text), (article, block.text))
        if section.articles and (section.page or section.title):
            first = section.articles[0]
            page = section.page and themes.load("base").label(case.issue.masthead.language, "page").format(
                page=section.page
            )
            label = " ".join(x for x in (page, section.title) if x)  # 第A01版 要闻
            targets.setdefault(squeeze(label), (first, "".join(first.headline_lines) or first.headline))
    return targets


def toc_problems(case: Case) -> list[str]:
    """Each entry, followed with goTo(href), opens the section its href names, that section is its article's
    (its headline is in the document), and what the entry names is on the screen; every article has an entry."""
    targets = _targets(case)
    problems = []
    reached = set()
    if not case.seen.toc:
        problems.append("the book has no contents")
    for jump in case.seen.toc:
        where = f"{jump.label!r} ({jump.href})"
        target = targets.get(squeeze(jump.label))
        if target is None:
            problems.append(f"{where} names nothing in the issue")
            continue
        article, on_screen = target
        if jump.resolved is None or not jump.moved:
            problems.append(f"{where} goes nowhere: the engine could not follow it")
            continue
        if jump.landed != jump.resolved or jump.landed_id != (jump.href or "").split("#")[0]:
            problems.append(f"{where} opened {jump.landed_id}, not the section it names")
        headline = "".join(article.headline_lines) or article.headline
        if case.shown(headline) not in squeeze(jump.document):
            problems.append(f"{where} opened {jump.landed_id}, which is not {headline!r}")
        elif case.shown(on_screen) not in squeeze(jump.shown):
            problems.append(f"{where} opened {jump.landed_id}, but {on_screen!r} is not on the screen")
        else:
            reached.add(article.id)
    for article in case.issue.articles:
        if article.id not in reached:
            problems.append(f"no entry of the contents opens {article.headline!r}")
    return problems


def direction_problems(case: Case) -> list[str]:
    """Vertical: every section computes vertical-rl, the spine goes rtl and goLeft() turns forward; horizontal:
    horizontal-tb, ltr, goRight(). Either way next() pages through the whole book forward, one page at a time."""
    seen = case.seen
    mode, progression, forward, back = (
        ("vertical-rl", "rtl", "left", "right") if case.vertical else ("horizontal-tb", "ltr", "right", "left")
    )
    problems = []
    if (seen.dir or "ltr") != progression:
        problems.append(f"the book's page progression is {seen.dir}, not {progression}")
    for document in seen.documents:
        if document.writing_mode != mode:
            problems.append(f"{document.id} is set {document.writing_mode}, not {mode}")
    keys = [p.key() for p in seen.pages]
    if any(b <= a for a, b in itertools.pairwise(keys)):
        problems.append(f"next() did not always move forward: {keys}")
    if sorted({p.index for p in seen.pages if p.index is not None}) != list(range(len(seen.sections))):
        problems.append(f"paging with next() did not show every section: {keys}")
    before, after = seen.turns[forward]
    if not after.key() > before.key():
        problems.append(f"turning to the {forward} went from {before} to {after}, not forward")
    before, after = seen.turns[back]
    if not after.key() < before.key():
        problems.append(f"turning to the {back} went from {before} to {after}, not back")
    return problems


def text_problems(case: Case) -> list[str]:
    """Every paragraph of the issue, and every other text it shows, is in the text the engine rendered."""
    rendered = squeeze(case.seen.text())
    problems = []
    for article in case.issue.articles:
        for paragraph in article.paragraphs:
            if case.shown(paragraph.text) not in rendered:
                problems.append(f"{article.id}: paragraph of line {paragraph.line} is not shown: {paragraph.text[:40]}")
    paragraphs = {p.text for a in case.issue.articles for p in a.paragraphs}
    # The masthead prints the identifier only when it is a CN serial or an ISSN (a URN is the metadata's alone).
    identifier = case.issue.masthead.identifier
    unshown = {identifier} if identifier and serial_number(identifier) is None else set()
    for line, text in case.issue.texts():
        if text not in paragraphs | unshown and case.shown(text) not in rendered:
            problems.append(f"line {line}: {text[:40]!r} is not shown")
    return problems


def font_problems(seen: reading.Reading) -> list[str]:
    """Every FontFace of every section loads: those the text used, and every other when asked for."""
    problems = seen.failed_fonts()
    problems += [
        f"{d.id}: {face} {face.used} while the page was set"
        for d in seen.documents
        for face in d.fonts
        if face.used == "error"
    ]
    if not any(d.fonts for d in seen.documents):
        problems.append("no section has a font face")
    return problems


def engine_errors(seen: reading.Reading) -> list[str]:
    """What the page logged as an error, and the harness's own errors."""
    return [c for c in seen.console if c.startswith(("error", "pageerror"))] + list(seen.errors)


# -- the books as built -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_the_book_opens_on_its_cover_with_the_image_loaded(case: Case) -> None:
    assert cover_problems(case.seen) == []


@pytest.mark.parametrize("name", NAMES)
def test_the_masthead_page_shows_the_papers_name_and_date(case: Case) -> None:
    assert masthead_problems(case) == []


@pytest.mark.parametrize("name", NAMES)
def test_every_contents_entry_opens_its_article(case: Case) -> None:
    assert len(case.seen.toc) >= len(case.issue.articles)
    assert toc_problems(case) == []


@pytest.mark.parametrize("name", NAMES)
def test_pages_turn_forward_in_the_books_direction(case: Case) -> None:
    assert direction_problems(case) == []


@pytest.mark.parametrize("name", NAMES)
def test_every_text_of_the_issue_is_rendered(case: Case) -> None:
    assert sum(len(a.paragraphs) for a in case.issue.articles) >= 5
    assert text_problems(case) == []


@pytest.mark.parametrize("name", NAMES)
def test_every_font_face_loads(case: Case) -> None:
    assert font_problems(case.seen) == []


@pytest.mark.parametrize("name", NAMES)
def test_the_engine_reports_no_error(case: Case) -> None:
    assert engine_errors(case.seen) == []


@pytest.mark.parametrize("name", NAMES)
def test_the_screenshots_show_pages(case: Case) -> None:
    """Each view was drawn: a PNG of the window's size with more than a blank page in it."""
    assert [p.stem for p in case.seen.shots] == list(SHOTS)
    for shot in case.seen.shots:
        with Image.open(shot) as png:
            assert png.size == (reading.VIEWPORT["width"], reading.VIEWPORT["height"])
            colours = png.convert("RGB").getcolors(maxcolors=1 << 16)
            assert colours is None or len(colours) > 16, f"{shot} is blank"


# -- damaged copies: the checks above must report what is wrong ------------------------------------------------


def damaged(book: Path, out: Path, edit: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of ``book`` with each entry passed through ``edit`` (None drops it); mimetype stays first."""
    copy = out / f"damaged-{book.name}"
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(copy, "w") as target:
        for info in source.infolist():
            data = edit(info.filename, source.read(info))
            if data is not None:
                target.writestr(info, data, compress_type=info.compress_type)
    return copy


def _reread(case: Case, tmp_path: Path, edit: Callable[[str, bytes], bytes | None]) -> Case:
    book = damaged(case.book, tmp_path, edit)
    return Case(case.name, case.issue, book, case.vertical, reading.read(book))


@pytest.mark.parametrize("name", ["binhai-classic"])
def test_a_damaged_book_is_reported_by_every_check(case: Case, tmp_path: Path) -> None:
    """One entry of the contents points at the wrong article and one at a file the book does not have; the body
    font, a paragraph, the date on the masthead page and the cover image are gone."""
    assert case.issue.articles[2].headline == "一季度外贸开局良好" and case.issue.articles[4].headline == "海边的灯塔"
    paragraph = case.issue.articles[2].paragraphs[1]

    def edit(name: str, data: bytes) -> bytes | None:
        if name in ("EPUB/fonts/exporter-serif-sc-400.otf", "EPUB/images/cover.jpg"):
            return None
        if not name.endswith(".xhtml"):
            return data
        text = data.decode("utf-8")
        if name == "EPUB/nav.xhtml":
            text = text.replace('<a href="a03.xhtml">一季度外贸开局良好', '<a href="a04.xhtml">一季度外贸开局良好')
            return text.replace('<a href="a05.xhtml">海边的灯塔', '<a href="a99.xhtml">海边的灯塔').encode()
        if name == "EPUB/a03.xhtml":  # the paragraph's text goes (its marks are spans of the composition)
            (found,) = [m for m in re.finditer(r"<p>(.*?)</p>", text) if re.sub(r"<[^>]+>", "", m[1]) == paragraph.text]
            return (text[: found.start(1)] + text[found.end(1) :]).encode()
        if name == "EPUB/masthead.xhtml":
            assert "<time" in text
            return re.sub(r"<time[^>]*>.*?</time>", "", text).encode()
        return data

    assert toc_problems(case) == [] and text_problems(case) == [] and font_problems(case.seen) == []
    broken = _reread(case, tmp_path, edit)
    toc = toc_problems(broken)
    assert any("'一季度外贸开局良好' (EPUB/a04.xhtml) opened EPUB/a04.xhtml, which is not" in p for p in toc), toc
    assert any("'海边的灯塔' (EPUB/a99.xhtml) goes nowhere" in p for p in toc), toc
    assert len(toc) == 2, toc  # both articles are still opened by their page's entry
    fonts = font_problems(broken.seen)
    assert fonts and all("x-exporter-serif-sc 400 normal error" in p for p in fonts), fonts
    assert {p.split(":")[0] for p in fonts} == set(broken.seen.sections)  # every section links the face
    texts = text_problems(broken)
    assert texts == [f"a03: paragraph of line {paragraph.line} is not shown: {paragraph.text[:40]}"]
    masthead = masthead_problems(broken)
    assert len(masthead) == 1 and "does not show the paper's date 2026年3月18日" in masthead[0], masthead
    covers = cover_problems(broken.seen)
    assert covers and all("did not load" in p or "the book has no cover image" in p for p in covers), covers
    assert any("Could not go to EPUB/a99.xhtml" in e for e in engine_errors(broken.seen)), broken.seen.console


@pytest.mark.parametrize("name", ["binhai-classic"])
def test_a_spine_that_hides_the_cover_and_an_article_from_paging_is_reported(case: Case, tmp_path: Path) -> None:
    """Sections marked ``linear="no"`` are left out of paging: the book opens past its cover, and next() never
    shows the last article."""

    def edit(name: str, data: bytes) -> bytes | None:
        if name == "EPUB/content.opf":
            for idref in (b"cover", b"a05"):
                assert b'<itemref idref="%s"/>' % idref in data
                data = data.replace(b'<itemref idref="%s"/>' % idref, b'<itemref idref="%s" linear="no"/>' % idref)
        return data

    broken = _reread(case, tmp_path, edit)
    covers = cover_problems(broken.seen)
    assert covers[0] == "the first page shown is section 1 (EPUB/masthead.xhtml), not the cover", covers
    problems = direction_problems(broken)
    assert len(problems) == 1 and problems[0].startswith("paging with next() did not show every section"), problems


@pytest.mark.parametrize("name", ["binhai-vertical"])
def test_a_vertical_book_without_its_direction_or_writing_mode_is_reported(case: Case, tmp_path: Path) -> None:
    """Without ``page-progression-direction="rtl"`` on the spine the engine turns the book left to right; a
    stylesheet that lost its writing mode sets every section horizontal-tb."""

    def edit(name: str, data: bytes) -> bytes | None:
        if name == "EPUB/content.opf":
            assert b' page-progression-direction="rtl"' in data
            return data.replace(b' page-progression-direction="rtl"', b"")
        if name == "EPUB/css/edition.css":
            assert b"vertical-rl" in data
            return data.replace(b"vertical-rl", b"horizontal-tb")
        return data

    assert direction_problems(case) == []
    broken = _reread(case, tmp_path, edit)
    problems = direction_problems(broken)
    assert problems[0] == f"the book's page progression is {broken.seen.dir}, not rtl", problems
    assert any(p.startswith("turning to the left went from") for p in problems), problems
    modes = [p for p in problems if p.endswith("is set horizontal-tb, not vertical-rl")]
    assert len(modes) == len(broken.seen.sections), problems
