"""The EPUB's stylesheet as every reading engine reads it, on the examples in every theme.

No var() and no custom property (Adobe's RMSDK and calibre read none), each selector list in one rule, each
``@font-face`` family the font file's own name and no name the font reserves, pages that look as they did
with the variables (Chromium's computed styles), and calibre's conversion and check finding nothing wrong.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import tinycss2
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from exporter.editions import epub, webfonts
from exporter.editions.templating import options_css
from exporter.fonts import naming
from exporter.pipeline import build
from exporter.theming import Theme, joined_css
from tests import calibre
from tests.browser import style_differences
from tests.conftest import EXAMPLES

THEMES = ("classic", "vertical", "reader", "base")
SOURCES = sorted(EXAMPLES.glob("*.md"))
#: The books whose pages Chromium compares, and calibre converts: each theme once, traditional text once.
COMPARED = (
    ("numbers-daily", "classic"),
    ("hk-daily", "vertical"),
    ("exported-page", "reader"),
    ("tables-daily", "base"),
)


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every example's EPUB in every theme."""
    out = tmp_path_factory.mktemp("epub")
    cache = tmp_path_factory.mktemp("cache")
    found = {}
    for source in SOURCES:
        for theme in THEMES:
            (built,) = build(source, ["epub"], theme=theme, out=out / theme, cache_dir=cache)
            found[(source.stem, theme)] = built.path
    return found


def stylesheet(book: Path) -> str:
    with zipfile.ZipFile(book) as z:
        return z.read("EPUB/css/edition.css").decode("utf-8")


def rules(css: str) -> list[Any]:
    return tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)


def declarations(node: Any) -> list[Any]:
    return [d for d in tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True)]


def walk(nodes: list[Any]) -> list[Any]:
    """Every rule and at-rule, those inside @media and the like too."""
    out = []
    for node in nodes:
        out.append(node)
        if node.type == "at-rule" and node.content is not None and node.lower_at_keyword in ("media", "supports"):
            out += walk(tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True))
    return out


def test_no_variable_is_left(books: dict[tuple[str, str], Path]) -> None:
    assert len(books) == len(SOURCES) * len(THEMES) >= 20
    for (name, theme), book in books.items():
        css = stylesheet(book)
        assert "var(" not in css.lower(), (name, theme)
        custom = [
            d.name
            for n in walk(rules(css))
            if n.content is not None
            for d in declarations(n)
            if d.type == "declaration" and d.name.startswith("--")
        ]
        assert not custom, (name, theme, custom)
        # What the variables stood for is there: the options and the roles' families.
        assert "text-indent: 2em;" in css and "color: #a4161a;" in css, (name, theme)
        # The body role's first face: the shipped SC subset, the regional face for the Hong Kong and Taiwan issues.
        body = {"hk-daily": "x-serif-cjk-hk", "taipei-daily": "x-serif-cjk-tc"}.get(name, "x-exporter-serif-sc")
        assert re.search(rf'font-family: "{body}"(, "[\w-]+")*, serif;', css), (name, theme)


def test_each_selector_list_has_one_rule(books: dict[tuple[str, str], Path]) -> None:
    for (name, theme), book in books.items():
        seen: set[tuple[str, ...]] = set()
        for node in rules(stylesheet(book)):
            if node.type != "qualified-rule":
                continue
            key = tuple(sorted(" ".join(s.split()) for s in tinycss2.serialize(node.prelude).split(",")))
            assert key not in seen, (name, theme, key)
            seen.add(key)


def test_each_font_names_itself_as_its_font_face_declares(books: dict[tuple[str, str], Path]) -> None:
    for (name, theme), book in books.items():
        css = stylesheet(book)
        faces = [n for n in rules(css) if n.type == "at-rule" and n.lower_at_keyword == "font-face"]
        assert faces, (name, theme)
        with zipfile.ZipFile(book) as z:
            for face in faces:
                descriptors = {d.lower_name: d.value for d in declarations(face) if d.type == "declaration"}
                family = next(t.value for t in descriptors["font-family"] if t.type == "string")
                url = next(
                    a.value
                    for t in descriptors["src"]
                    if t.type == "function"
                    for a in t.arguments
                    if a.type == "string"
                )
                font = TTFont(io.BytesIO(z.read("EPUB/" + url.removeprefix("../"))), lazy=True)
                own = {r.nameID: r.toUnicode() for r in font["name"].names if r.nameID in naming.NAME_IDS}
                assert own[1] == own[16] == family, (name, theme, url, own)
                names = [*own.values(), *font["CFF "].cff.fontNames]
                for word in naming.ALWAYS_RESERVED:
                    assert not any(word.lower() in n.lower() for n in names), (name, theme, url, names)
    # The traditional text's fallback families are declared without the name "Noto".
    assert '"x-serif-cjk-hk"' in stylesheet(books[("hk-daily", "classic")])


def _with_variables(theme: Theme, fontset: webfonts.FontSet, files: Sequence[tuple[str, Path, str]]) -> str:
    """The stylesheet as the book had it before its variables were written out (the families as now)."""
    return "\n".join([fontset.css, options_css(theme), joined_css(files)])


def test_the_pages_look_as_they_did_with_the_variables(
    books: dict[tuple[str, str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each element of each page of some books, and its ::before and ::after, has the same computed style in
    Chromium under the book's stylesheet as under the one with variables, unmerged and in the files' order."""
    monkeypatch.setattr(epub, "_stylesheet", _with_variables)
    cache = tmp_path / "cache"
    pairs = []
    for name, theme in COMPARED:
        (built,) = build(
            EXAMPLES / f"{name}.md", ["epub"], theme=theme, out=tmp_path / "variables" / theme, cache_dir=cache
        )
        assert "var(--" in stylesheet(built.path)
        for which, book in (("now", books[(name, theme)]), ("variables", built.path)):
            with zipfile.ZipFile(book) as z:
                z.extractall(tmp_path / "unzipped" / which / theme / name)
        pages = sorted((tmp_path / "unzipped" / "now" / theme / name / "EPUB").glob("*.xhtml"))
        pairs += [(tmp_path / "unzipped" / "variables" / theme / name / "EPUB" / p.name, p) for p in pages]
    found = style_differences(pairs)
    assert len(found) == len(pairs) > 20
    for (before, _), (boxes, differences) in zip(pairs, found, strict=True):
        assert boxes > 10, before
        assert not differences, (before, differences[:3])


def test_calibre_converts_the_books_with_no_css_error(books: dict[tuple[str, str], Path]) -> None:
    """calibre's CSS parser logs each rule or declaration it cannot read (a var(), a custom property) while it
    converts a book: none here."""
    for key in COMPARED:
        log = calibre.conversion_log(books[key])
        assert "Creating AZW3 Output" in log
        assert calibre.css_errors(log) == [], key


def test_calibres_check_finds_no_css_error_and_no_font_name_mismatch(books: dict[tuple[str, str], Path]) -> None:
    """calibre's "Check book": stylelint's errors (duplicate selectors, descending specificity…) and @font-face
    families that differ from the fonts' own names."""
    found = calibre.check_books(list(books.values()))
    assert len(found) == len(books)
    for book, errors in found.items():
        wrong = [e for e in errors if re.match(r"CSS|Font", str(e["kind"]))]
        assert not wrong, (book, wrong)
