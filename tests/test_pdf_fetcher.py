"""What the print edition's URL fetcher may read besides the issue: the theme's CMYK profile, and turned figures."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from exporter import fonts
from exporter import theming as themes
from exporter.editions.assets import Images
from exporter.editions.pdf.fetch import FIGURE_SCHEME, allowed_roots, confined_fetcher
from exporter.editions.pdf.page import DEFAULT_CMYK_PROFILE

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
        DEFAULT_CMYK_PROFILE.parent.resolve(),
    ]
    assert allowed_roots(classic, None, cache)[-2:] == [cache.resolve(), DEFAULT_CMYK_PROFILE.parent.resolve()]


def test_a_printers_own_profile_may_be_read_from_its_folder(tmp_path: Path) -> None:
    (tmp_path / "press").mkdir()
    profile = tmp_path / "press" / "newsprint.icc"
    profile.write_bytes(b"icc")
    theme = _theme_with_profile(tmp_path / "theme", profile)
    roots = allowed_roots(theme, None, tmp_path / "cache")
    assert roots[-1] == profile.parent.resolve()
    assert DEFAULT_CMYK_PROFILE.parent.resolve() not in roots
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
