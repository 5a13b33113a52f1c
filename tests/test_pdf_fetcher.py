"""What the print edition's URL fetcher may read besides the issue: the theme's CMYK profile, and turned figures."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urljoin

import pytest
from lxml import etree
from PIL import Image

from exporter import fonts
from exporter import theming as themes
from exporter.editions.assets import Images
from exporter.editions.pdf.fetch import FIGURE_SCHEME, allowed_roots, confined_fetcher
from exporter.editions.pdf.press import shipped_profile
from exporter.editions.pdf.vertical import turned_svg
from exporter.editions.themeassets import SCHEME, ThemeAssets
from exporter.errors import ThemeError

# WeasyPrint's fetcher: importing WeasyPrint loads Pango, which asks ldconfig where it is.
pytestmark = pytest.mark.slow


def _theme_with_profile(folder: Path, profile: Path) -> themes.Theme:
    folder.mkdir()
    (folder / "theme.toml").write_text(
        f'name = "press"\ninherit = "classic"\n\n[edition.pdf]\ncmyk_profile = "{profile}"\n', encoding="utf-8"
    )
    return themes.load(folder)


def test_the_roots_are_the_themes_fonts_cache_issue_and_profile_folders(tmp_path: Path) -> None:
    classic = themes.load("classic")
    issue, cache = tmp_path / "issue", tmp_path / "cache"
    issue.mkdir()
    cache.mkdir()
    roots = allowed_roots(classic, issue, cache)
    assert roots == [
        *(t.path.resolve() for t in classic.chain),
        fonts.shipped_fonts_dir().resolve(),
        cache.resolve(),
        issue.resolve(),
        shipped_profile().parent.resolve(),
    ]
    assert allowed_roots(classic, None, cache)[-2:] == [cache.resolve(), shipped_profile().parent.resolve()]


def test_a_printers_own_profile_may_be_read_from_its_folder(tmp_path: Path) -> None:
    (tmp_path / "press").mkdir()
    profile = tmp_path / "press" / "newsprint.icc"
    profile.write_bytes(b"icc")
    theme = _theme_with_profile(tmp_path / "theme", profile)
    roots = allowed_roots(theme, None, tmp_path / "cache")
    assert roots[-1] == profile.parent.resolve()
    assert shipped_profile().parent.resolve() not in roots
    fetcher = confined_fetcher(roots, Images(None), turned=False)
    response = fetcher.fetch(profile.as_uri())
    try:
        assert bytes(response.read()) == b"icc"
    finally:
        response.close()


def test_a_figure_of_a_turned_page_is_served_turned(tmp_path: Path) -> None:
    """The vertical PDF's pages are turned; its pictures are served a quarter turn the other way."""
    picture = tmp_path / "wide.png"
    Image.new("RGB", (30, 20), (200, 10, 10)).save(picture)
    images = Images(None)
    images.files["images/img001.png"] = picture
    for turned, size in ((True, (20, 30)), (False, (30, 20))):
        url = f"{FIGURE_SCHEME}:images/img001.png"
        response = confined_fetcher([tmp_path], images, turned=turned).fetch(url)
        assert response.url == url  # WeasyPrint resolves what a picture refers to (an SVG's own links) against it
        try:
            data = bytes(response.read())
        finally:
            response.close()
        with Image.open(io.BytesIO(data)) as served:
            assert served.size == size


def _asset_themes(tmp_path: Path) -> tuple[themes.Theme, Path]:
    """``branch`` inherits ``house``, which has a wide logo and a paper texture; branch has no assets of its own."""
    house = tmp_path / "house"
    (house / "assets").mkdir(parents=True)
    (house / "theme.toml").write_text('name = "house"\ninherit = "classic"\n', encoding="utf-8")
    Image.new("RGB", (30, 20), (200, 10, 10)).save(house / "assets" / "logo.png")
    Image.new("RGB", (8, 8), (250, 240, 220)).save(house / "assets" / "paper.png")
    branch = tmp_path / "branch"
    branch.mkdir()
    (branch / "theme.toml").write_text('name = "branch"\ninherit = "house"\n', encoding="utf-8")
    return themes.load(branch), house


def _served(fetcher: object, url: str) -> bytes:
    response = fetcher.fetch(url)  # type: ignore[attr-defined]
    try:
        return bytes(response.read())
    finally:
        response.close()


def test_an_asset_is_served_by_its_scheme_turned_with_the_pages(tmp_path: Path) -> None:
    theme, house = _asset_themes(tmp_path)
    for turned, size in ((True, (20, 30)), (False, (30, 20))):
        assets = ThemeAssets(theme, scheme=SCHEME)
        assert assets("logo.png") == "exporter-asset:logo.png"
        # No folder is a root: the asset is served as the theme's, not as a file the fetcher may read.
        data = _served(confined_fetcher([], Images(None), turned=turned, assets=assets), "exporter-asset:logo.png")
        with Image.open(io.BytesIO(data)) as served:
            assert served.size == size
    assert (
        _served(confined_fetcher([], Images(None), turned=False, assets=assets), "exporter-asset:logo.png")
        == (house / "assets" / "logo.png").read_bytes()
    )


def test_the_css_url_of_an_ancestors_asset_is_served_from_the_ancestor(tmp_path: Path) -> None:
    """The CSS's ../assets/NAME resolves against the theme's own css/: an ancestor's file is served there."""
    theme, house = _asset_themes(tmp_path)
    assets = ThemeAssets(theme, scheme=SCHEME)
    assets.use_css([("branch/css/common.css", tmp_path / "common.css", ".a { background: url(../assets/paper.png) }")])
    from weasyprint.urls import FatalURLFetchingError

    fetcher = confined_fetcher([], Images(None), turned=False, assets=assets)
    css = (theme.path / "css").as_uri() + "/"
    assert _served(fetcher, urljoin(css, "../assets/paper.png")) == (house / "assets" / "paper.png").read_bytes()
    with pytest.raises(FatalURLFetchingError):  # an asset no template or CSS uses is not served
        fetcher.fetch(urljoin(css, "../assets/logo.png"))


def test_an_svg_asset_is_turned_or_refused_in_vertical_print(tmp_path: Path) -> None:
    theme, house = _asset_themes(tmp_path)
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'
    (house / "assets" / "mark.svg").write_text(svg, encoding="utf-8")
    (house / "assets" / "loose.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="100%"/>', "utf-8")
    theme = themes.load(theme.path)
    assets = ThemeAssets(theme, scheme=SCHEME)
    assets("mark.svg")
    served = _served(confined_fetcher([], Images(None), turned=True, assets=assets), "exporter-asset:mark.svg")
    root = etree.fromstring(served)
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("20", "40", "0 0 20 40")
    assert root[0].get("transform") == "translate(0 40) rotate(-90)"
    assets("loose.svg")
    with pytest.raises(ThemeError) as caught:
        confined_fetcher([], Images(None), turned=True, assets=assets)
    assert str(caught.value) == (
        f"{house / 'assets' / 'loose.svg'}: error: the vertical print edition turns its pictures with its pages, and "
        '`loose.svg` has no size to turn: give its <svg> a width and a height (as width="40mm"), or a viewBox'
    )


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ('width="20mm" height="10mm"', ("37.7953", "75.5906", "0 0 37.7953 75.5906")),
        ('width="40" viewBox="0 0 80 40"', ("20", "40", "0 0 20 40")),
        ('viewBox="0 0 80 40"', (None, None, "0 0 40 80")),
        ('width="3in" height="1pc"', ("16", "288", "0 0 16 288")),
    ],
)
def test_an_svg_is_turned_keeping_its_size(attributes: str, expected: tuple[str | None, ...]) -> None:
    root = etree.fromstring(turned_svg(f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}/>'.encode()) or b"")
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == expected
