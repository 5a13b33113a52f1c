"""The web editions of the project's examples: what test_html.py proves on the sample, proved without it."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest
from PIL import Image, ImageStat

from exporter import Issue
from exporter.pipeline import build
from tests.browser import measure, screenshot
from tests.conftest import EXPORTED, HK, NUMBERS
from tests.test_example_epub import cornered

THEMES = ("classic", "vertical", "reader")
SOURCES = (NUMBERS, EXPORTED, HK)


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    out = tmp_path_factory.mktemp("html")
    cache = tmp_path_factory.mktemp("cache")
    folders = {}
    for source in SOURCES:
        for theme in THEMES:
            (built,) = build(source, ["html"], theme=theme, out=out / theme, cache_dir=cache)
            folders[(source.stem, theme)] = built.path
    return folders


def _text(element: object) -> str:
    return "".join(element.itertext())  # type: ignore[attr-defined]


@pytest.mark.parametrize("theme", THEMES)
def test_files_of_the_edition(editions: dict[tuple[str, str], Path], numbers: Issue, theme: str) -> None:
    """test_html: test_files_of_the_edition."""
    folder = editions[("numbers-daily", theme)]
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert "index.html" in names and "css/edition.css" in names
    assert [n for n in names if re.fullmatch(r"a\d+\.html", n)] == [f"{a.id}.html" for a in numbers.articles]
    assert [n for n in names if n.startswith("images/")], "the figures are copied"
    fonts = [n for n in names if n.startswith("fonts/")]
    assert fonts and all(n.endswith(".woff2") for n in fonts)
    css = (folder / "css" / "edition.css").read_text(encoding="utf-8")
    for font in fonts:
        assert font.removeprefix("fonts/") in css
    assert all((folder / f).read_bytes()[:4] == b"wOF2" for f in fonts)
    assert sum((folder / f).stat().st_size for f in fonts) < 1_500_000


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(
    ("name", "lang", "date"),
    [
        ("numbers-daily", "zh-CN", "2025-03-18"),
        ("exported-page", "zh-CN", "2026-01-11"),
        ("hk-daily", "zh-HK", "2025-11-28"),
    ],
)
def test_pages_are_html5_with_every_paragraph_in_order(
    editions: dict[tuple[str, str], Path],
    numbers: Issue,
    exported: Issue,
    hk: Issue,
    name: str,
    lang: str,
    date: str,
    theme: str,
) -> None:
    """test_html: test_pages_are_html5_with_every_paragraph_in_order."""
    issue = {"numbers-daily": numbers, "exported-page": exported, "hk-daily": hk}[name]
    folder = editions[(name, theme)]
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    index = parser.parse((folder / "index.html").read_bytes())
    assert index.get("lang") == lang
    assert index.find(".//time").get("datetime") == date
    links = [a.get("href") for a in index.iter("a")]
    assert links == [f"{a.id}.html" for a in issue.articles]
    turn = cornered if theme == "vertical" else str
    for article in issue.articles:
        doc = parser.parse((folder / f"{article.id}.html").read_bytes())
        node = doc.find(".//article")
        assert node is not None and node.get("id") == article.id
        assert doc.find(".//header") is not None
        assert _text(node.find(".//h2")) == turn("".join(article.headline_lines))
        body = [_text(p) for p in node.find(".//div").iter("p") if "truncated-mark" not in (p.get("class") or "")]
        body = [p for p in body if p]
        expected = [p.text for p in article.paragraphs]
        if article.dateline:
            expected[0] = article.dateline.raw + expected[0]
        quotes = [q.text for q in article.blocks if q.kind == "quote"]
        assert [p for p in body if p not in map(turn, quotes)] == [turn(e) for e in expected], article.id
        assert (node.find(".//*[@class='truncated-mark']") is not None) == article.truncated


def test_vertical_theme_turns_quotes_and_sets_short_numbers_upright(editions: dict[tuple[str, str], Path]) -> None:
    """test_html: test_vertical_theme_turns_quotes_and_sets_short_numbers_upright."""
    page = (editions[("numbers-daily", "vertical")] / "a01.html").read_text(encoding="utf-8")
    body = page.split("<body", 1)[1]
    text = re.sub(r"<[^>]+>", "", body)  # marks and unbreakable runs are spans of the composition
    assert "「开门红」" in text and "『加速度』" in text and "Xi’an" in text
    seventeen = '<span class="tcy"><span class="tcy1">1</span><span class="tcy2">7</span></span>'
    assert f'<span class="tcy tcy0">3</span>月{seventeen}日' in body
    assert '<span class="latin gap-before gap-after">2025</span>年' in body  # four digits are not set upright
    twelve = '<span class="tcy"><span class="tcy1">1</span><span class="tcy2">2</span></span>'
    assert f"{twelve}个重点项目" in (editions[("numbers-daily", "vertical")] / "a02.html").read_text(encoding="utf-8")
    classic = (editions[("numbers-daily", "classic")] / "a01.html").read_text(encoding="utf-8")
    assert '<span class="latin gap-after">17</span>日上午' in classic
    assert '<strong class="dateline">本报<span class="latin gap-before gap-after">3</span>月' in classic
    assert "“开门红”" in re.sub(r"<[^>]+>", "", classic) and "tcy" not in classic


def test_figures_are_copied_with_their_credits(editions: dict[tuple[str, str], Path]) -> None:
    """test_html: test_figures_are_copied, on a caption full of numbers."""
    folder = editions[("numbers-daily", "classic")]
    page = (folder / "a01.html").read_text(encoding="utf-8")
    match = re.search(r'<img src="(images/[^"]+)"', page)
    assert match and (folder / match.group(1)).read_bytes()[:4] == b"\x89PNG"
    assert '<span class="credit">（<span class="role">记者</span> <span class="name">程远</span> 摄）</span>' in page


@pytest.mark.parametrize("theme", THEMES)
def test_chromium_shows_the_page(editions: dict[tuple[str, str], Path], theme: str, tmp_path: Path) -> None:
    """test_html: test_chromium_shows_the_page."""
    folder = editions[("exported-page", theme)]
    for page in ("index.html", "a01.html"):
        png = screenshot(folder / page, tmp_path / f"{theme}-{page}.png", width=2400 if theme == "vertical" else 1280)
        with Image.open(png) as image:
            grey = image.convert("L")
            dark = sum(grey.histogram()[:128])
            assert dark > 2000, f"{theme}/{page} looks blank ({dark} dark pixels)"
            assert ImageStat.Stat(grey).stddev[0] > 10
    data = measure(folder / "a04.html")
    loaded = data["fontsLoaded"]
    assert isinstance(loaded, list) and "x-exporter-serif-sc" in loaded
    boxes = data["paragraphs"]
    assert isinstance(boxes, list) and len(boxes) >= 2
    (l1, t1, r1, b1), (_, t2, r2, _) = boxes[0], boxes[1]
    if theme == "vertical":
        assert data["writingMode"] == "vertical-rl"
        assert r2 <= l1 + 1, "the second paragraph stands left of the first: block flow runs right to left"
        assert b1 - t1 > r1 - l1, "a paragraph is taller than wide: characters run top to bottom"
    else:
        assert data["writingMode"] == "horizontal-tb"
        assert t2 >= b1 - 1, "the second paragraph is below the first"


def test_traditional_issue_is_set_from_the_system_noto_fonts(editions: dict[tuple[str, str], Path]) -> None:
    """test_html: test_traditional_issue_is_set_from_the_system_noto_fonts, in Hong Kong's forms."""
    folder = editions[("hk-daily", "classic")]
    fonts = sorted(p.name for p in (folder / "fonts").iterdir())
    assert any(name.startswith("noto-serif-cjk-hk") for name in fonts), fonts
    # The Hong Kong faces set every character, GB 2312's and the punctuation among them: no SC face is used.
    assert all(re.fullmatch(r"noto-(serif|sans)-cjk-hk-\d+\.woff2", n) for n in fonts), fonts
    page = (folder / "a01.html").read_text(encoding="utf-8")
    # The dateline is set apart in bold: the space after it in the text is the theme's, not the page's.
    assert 'lang="zh-HK"' in page and "日訊</strong>維多利亞港" in page
