"""The web edition: files, HTML5, text kept in order, escaping, fonts, and how Chromium lays it out."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest
from PIL import Image, ImageStat

from exporter import Issue, parse_file
from exporter.pipeline import build
from tests.browser import measure, screenshot

THEMES = ("classic", "vertical", "reader")


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory, sample_path: Path) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("html")
    cache = tmp_path_factory.mktemp("cache")
    folders = {}
    for theme in THEMES:
        (built,) = build(sample_path, ["html"], theme=theme, out=out / theme, cache_dir=cache)
        folders[theme] = built.path
    return folders


def _text(element: object) -> str:
    return "".join(element.itertext())  # type: ignore[attr-defined]


@pytest.mark.parametrize("theme", THEMES)
def test_files_of_the_edition(editions: dict[str, Path], sample: Issue, theme: str) -> None:
    folder = editions[theme]
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert "index.html" in names and "css/edition.css" in names
    assert [n for n in names if re.fullmatch(r"a\d+\.html", n)] == [f"{a.id}.html" for a in sample.articles]
    fonts = [n for n in names if n.startswith("fonts/")]
    assert fonts and all(n.endswith(".woff2") for n in fonts)
    css = (folder / "css" / "edition.css").read_text(encoding="utf-8")
    for font in fonts:
        assert font.removeprefix("fonts/") in css
    assert all((folder / f).read_bytes()[:4] == b"wOF2" for f in fonts)
    assert sum((folder / f).stat().st_size for f in fonts) < 1_500_000


@pytest.mark.parametrize("theme", THEMES)
def test_pages_are_html5_with_every_paragraph_in_order(editions: dict[str, Path], sample: Issue, theme: str) -> None:
    folder = editions[theme]
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    index = parser.parse((folder / "index.html").read_bytes())
    assert index.get("lang") == "zh-CN"
    assert index.find(".//time").get("datetime") == "2025-12-29"
    links = [a.get("href") for a in index.iter("a")]
    assert links == [f"{a.id}.html" for a in sample.articles]
    corner = theme == "vertical"
    for article in sample.articles:
        doc = parser.parse((folder / f"{article.id}.html").read_bytes())
        node = doc.find(".//article")
        assert node is not None and node.get("id") == article.id
        assert doc.find(".//header") is not None
        headline = _text(node.find(".//h2"))
        assert headline == "".join(article.headline_lines)
        body = [_text(p) for p in node.find(".//div").iter("p") if "truncated-mark" not in (p.get("class") or "")]
        expected = [p.text for p in article.paragraphs]
        if article.dateline:
            expected[0] = article.dateline.raw + expected[0]
        if corner:
            table = str.maketrans("“”‘’", "「」『』")
            expected = [e.translate(table) for e in expected]
        assert body == expected, article.id
        assert (node.find(".//*[@class='truncated-mark']") is not None) == article.truncated


def test_vertical_theme_turns_quotes_and_sets_short_numbers_upright(editions: dict[str, Path]) -> None:
    page = (editions["vertical"] / "a05.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", page)  # the marks are spans of the composition
    assert "“" not in text and "「10+1」" in text
    twelve = '<span class="tcy"><span class="tcy1">1</span><span class="tcy2">2</span></span>'
    assert twelve + '月<span class="tcy"><span class="tcy1">2</span><span class="tcy2">7</span></span>日' in page
    classic = (editions["classic"] / "a05.html").read_text(encoding="utf-8")
    assert '<span class="latin gap-after">12</span>月' in classic
    assert '<strong class="dateline">本报<span class="latin gap-before gap-after">12</span>月' in (
        editions["classic"] / "a01.html"
    ).read_text(encoding="utf-8")


def test_script_in_the_issue_is_printed_not_run(tmp_path: Path) -> None:
    issue = tmp_path / "evil.md"
    issue.write_text(
        "---\ntitle: 报<script>alert(1)</script>\n---\n\n## 标题<script>alert(2)</script>\n\n"
        '本报讯 正文<script>alert(3)</script><img src=x onerror="alert(4)">。\n',
        encoding="utf-8",
    )
    (built,) = build(issue, ["html"], out=tmp_path / "out", cache_dir=tmp_path / "cache")
    for page in ("index.html", "a01.html"):
        text = (built.path / page).read_text(encoding="utf-8")
        assert "<script" not in text and "<img src=x" not in text
        assert "&lt;script&gt;alert(" in text
    assert parse_file(issue).articles[0].headline == "标题<script>alert(2)</script>"


def test_a_build_with_errors_writes_nothing(tmp_path: Path) -> None:
    issue = tmp_path / "bad.md"
    issue.write_text("## 标题\n\n正文。\n\n![图](../outside.png)\n", encoding="utf-8")
    from exporter.errors import InputError

    with pytest.raises(InputError, match="figure-path"):
        build(issue, ["html"], out=tmp_path / "out", cache_dir=tmp_path / "cache")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_figures_are_copied(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "binhai-daily.md"
    (built,) = build(example, ["html"], out=tmp_path, cache_dir=tmp_path / "cache")
    page = (built.path / "a01.html").read_text(encoding="utf-8")
    match = re.search(r'<img src="(images/[^"]+)"', page)
    assert match and (built.path / match.group(1)).read_bytes()[:4] == b"\x89PNG"
    credit = '<span class="credit">（<span class="role">记者</span> <span class="name">周宁</span> 摄）</span>'
    assert credit in page


@pytest.mark.parametrize("theme", THEMES)
def test_chromium_shows_the_page(editions: dict[str, Path], theme: str, tmp_path: Path) -> None:
    folder = editions[theme]
    for page in ("index.html", "a01.html"):
        # Wide enough that a vertical page fits whole: Chromium's screenshot does not start
        # a sideways-scrolling page at its right edge.
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


def test_traditional_issue_is_set_from_the_system_noto_fonts(tmp_path: Path, sample_path: Path) -> None:
    """A Taiwan issue is set in the full Noto CJK TC, GB 2312's characters too: the shipped SC subset sets none."""
    import opencc

    text = opencc.OpenCC("s2tw").convert(sample_path.read_text(encoding="utf-8"))
    issue = tmp_path / "traditional.md"
    issue.write_text(
        "---\ntitle: 青島日報\nlanguage: zh-TW\n---\n" + text + "\n臺灣的報紙裡著名的欄目。\n", encoding="utf-8"
    )
    (built,) = build(issue, ["html"], out=tmp_path / "out", cache_dir=tmp_path / "cache")
    fonts = sorted(p.name for p in (built.path / "fonts").iterdir())
    assert any(name.startswith("noto-serif-cjk-tc") for name in fonts), fonts
    assert not [name for name in fonts if name.startswith("exporter-")], fonts
    page = (built.path / "a01.html").read_text(encoding="utf-8")
    assert 'lang="zh-TW"' in page and "會見" in page


def test_a_character_no_font_has_is_an_error_naming_it(tmp_path: Path) -> None:
    from exporter.errors import FontError

    issue = tmp_path / "tofu.md"
    issue.write_text("## 标题\n\n正文。\n\n第二段有一个\U0001f9ff字。\n", encoding="utf-8")
    with pytest.raises(FontError) as info:
        build(issue, ["html"], out=tmp_path / "out", cache_dir=tmp_path / "cache")
    message = str(info.value)
    assert message.startswith(f"{issue}:5: error:")
    assert "U+1F9FF" in message
    assert not (tmp_path / "out").exists()
