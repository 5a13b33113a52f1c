"""The Kindle edition (``--format azw3``) read back with calibre: metadata, language, fonts, styles, contents.

calibre's ``ebook-meta`` reads the metadata as a library would; ``calibre-debug --inspect-mobi`` decompiles
the KF8 records: the EXTH header (524 language, 525 writing mode, 527 page progression), the MOBI
header's locale, the fonts, the stylesheets and the NCX index a Kindle's contents come from.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from exporter import parse_file
from exporter.pipeline import build
from tests import kindle

ROOT = Path(__file__).resolve().parents[1]
NCX = {"n": "http://www.daisy.org/z3986/2005/ncx/"}
DC = "{http://purl.org/dc/elements/1.1/}"
#: Windows locale ids, as the MOBI header stores a language and its region.
LCID = {"zh-CN": 0x0804, "zh-HK": 0x0C04, "zh-TW": 0x0404}
NO_NUMBER = "---\ntitle: 滨海日报\ndate: 2026-03-18\nlanguage: zh-CN\n---\n\n## 无期号的一期\n\n正文第一段。\n"
BOOKS = {
    "binhai": (ROOT / "examples" / "binhai-daily.md", "classic"),
    "binhai-vertical": (ROOT / "examples" / "binhai-daily.md", "vertical"),
    "hk": (ROOT / "examples" / "hk-daily.md", "classic"),
    "no-number": (None, "reader"),
}


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Each book's (EPUB, AZW3), built from the same issue in the same run."""
    out = tmp_path_factory.mktemp("kindle")
    cache = tmp_path_factory.mktemp("cache")
    (out / "no-number.md").write_text(NO_NUMBER, encoding="utf-8")
    found = {}
    for name, (source, theme) in BOOKS.items():
        built = build(source or out / "no-number.md", ["epub", "azw3"], theme=theme, out=out / name, cache_dir=cache)
        paths = {b.path.suffix: b.path for b in built}
        found[name] = (paths[".epub"], paths[".azw3"])
    return found


@pytest.fixture(scope="module")
def inside(books: dict[str, tuple[Path, Path]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, kindle.Inside]:
    config = tmp_path_factory.mktemp("calibre-config")
    return {name: kindle.inspect(azw3, config) for name, (_, azw3) in books.items()}


def _opf(epub: Path) -> etree._Element:
    with zipfile.ZipFile(epub) as archive:
        return etree.fromstring(archive.read("EPUB/content.opf"))


@pytest.mark.parametrize("name", list(BOOKS))
def test_a_library_reads_the_books_metadata(books: dict[str, tuple[Path, Path]], name: str, tmp_path: Path) -> None:
    epub, azw3 = books[name]
    opf = _opf(epub)
    fields = kindle.metadata(azw3, tmp_path)
    assert fields["Title"] == opf.findtext(f".//{DC}title")
    assert fields["Published"].startswith(opf.findtext(f".//{DC}date") or "no date")
    assert fields["Languages"] == "zho"  # calibre's own reading keeps ISO 639 only: the region is below
    if name != "no-number":
        assert fields["Author(s)"] == fields["Publisher"] == opf.findtext(f".//{DC}publisher")


@pytest.mark.parametrize(("name", "language"), [("binhai", "zh-CN"), ("hk", "zh-HK"), ("no-number", "zh-CN")])
def test_the_language_keeps_its_region(inside: dict[str, kindle.Inside], name: str, language: str) -> None:
    assert inside[name].exth[524] == language.encode()
    assert inside[name].locale == LCID[language]


def test_the_vertical_book_is_vertical_and_turns_right_to_left(inside: dict[str, kindle.Inside]) -> None:
    vertical = inside["binhai-vertical"]
    assert vertical.exth[525] == b"vertical-rl"
    assert vertical.exth[527] == b"rtl"
    assert "vertical-rl" in vertical.stylesheets
    for name in ("binhai", "hk", "no-number"):
        assert inside[name].exth.get(525, b"horizontal-lr") == b"horizontal-lr"
        assert inside[name].exth.get(527, b"ltr") in (b"ltr", b"default")


@pytest.mark.parametrize("name", list(BOOKS))
def test_the_fonts_come_along(books: dict[str, tuple[Path, Path]], inside: dict[str, kindle.Inside], name: str) -> None:
    with zipfile.ZipFile(books[name][0]) as archive:
        embedded = sorted(archive.read(n) for n in archive.namelist() if n.startswith("EPUB/fonts/"))
    assert embedded
    assert sorted(inside[name].fonts) == embedded
    assert inside[name].exth[528] == b"true"  # the Kindle sets the book's fonts, not its own


@pytest.mark.parametrize("name", list(BOOKS))
def test_the_styles_come_along(inside: dict[str, kindle.Inside], name: str) -> None:
    css = inside[name].stylesheets
    assert "var(" not in css
    assert "text-indent: 2em" in css  # the body's paragraph indent
    families = {
        line.split(":", 1)[1].strip(' ";') for line in css.splitlines() if line.strip().startswith("font-family")
    }
    declared = {f for f in families if f'font-family: "{f}";\n    src: url(kindle:embed' in css}
    assert declared, "no @font-face made it"
    used = [f for f in families if f not in declared]
    assert any(any(d in f for d in declared) for f in used), f"no rule sets a font the book carries: {used}"
    if name != "no-number":  # the reader theme sets no accent
        assert "#a4161a" in css.lower()


@pytest.mark.parametrize("name", list(BOOKS))
def test_the_masthead_and_cover_come_along(
    books: dict[str, tuple[Path, Path]], inside: dict[str, kindle.Inside], name: str, tmp_path: Path
) -> None:
    issue = parse_file(BOOKS[name][0] or books[name][0].parent.parent / "no-number.md")
    assert issue.masthead.title and issue.masthead.title in inside[name].text
    assert issue.articles[0].headline_lines[0] in inside[name].text
    assert 129 in inside[name].exth and 201 in inside[name].exth  # the cover, as the Kindle's library shows it


@pytest.mark.parametrize("name", list(BOOKS))
def test_the_contents_are_sections_and_their_articles(
    books: dict[str, tuple[Path, Path]], inside: dict[str, kindle.Inside], name: str
) -> None:
    with zipfile.ZipFile(books[name][0]) as archive:
        ncx = etree.fromstring(archive.read("EPUB/toc.ncx"))
    expected = []
    for point in ncx.xpath("/n:ncx/n:navMap/n:navPoint", namespaces=NCX):
        expected.append((point.findtext("n:navLabel/n:text", namespaces=NCX), 0))
        expected += [
            (p.findtext("n:navLabel/n:text", namespaces=NCX), 1) for p in point.xpath("n:navPoint", namespaces=NCX)
        ]
    got = inside[name].nav
    assert sorted((p.title, p.depth) for p in got) == sorted(expected)
    for point in got:  # each article is under its section
        if point.depth == 1:
            assert point.parent is not None and got[point.parent].depth == 0
    if name != "no-number":
        assert any(p.depth == 1 for p in got), "the articles are missing from the contents"


def test_an_issue_gives_the_same_kindle_book_every_time(books: dict[str, tuple[Path, Path]], tmp_path: Path) -> None:
    (again,) = build(ROOT / "examples" / "hk-daily.md", ["azw3"], theme="classic", out=tmp_path)
    assert again.path.read_bytes() == books["hk"][1].read_bytes()


def _exporter(tmp_path: Path, path: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": path}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "exporter",
            "build",
            str(ROOT / "examples" / "hk-daily.md"),
            "-o",
            str(tmp_path / "out"),
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_without_calibre_the_build_says_how_to_install_it_and_writes_nothing(tmp_path: Path) -> None:
    done = _exporter(tmp_path, str(Path(sys.executable).parent), "-f", "epub,azw3")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "apt-get install calibre" in done.stderr, done.stderr
    assert not (tmp_path / "out").exists()


def test_a_failing_calibre_is_one_error_and_leaves_no_book(tmp_path: Path) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "calibre-debug").write_text("#!/bin/sh\necho 'ValueError: no such font' >&2\nexit 1\n", encoding="utf-8")
    (fake / "calibre-debug").chmod(0o755)
    done = _exporter(tmp_path, f"{fake}:{os.environ['PATH']}", "-f", "azw3")
    assert done.returncode == 1
    assert "calibre could not make the Kindle edition (ValueError: no such font)" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
