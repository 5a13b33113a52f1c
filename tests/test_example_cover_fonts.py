"""Covers and fonts of the project's examples: what test_cover.py and test_fonts.py prove on the sample."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from PIL import Image, ImageChops

from exporter import Issue, fonts
from exporter.editions.epub.cover import HEIGHT, WIDTH, render_cover
from exporter.fonts import cache as font_cache
from exporter.theming import Theme, load
from tests import fontreads
from tests.conftest import EXPORTED, HK, NUMBERS

ACCENT = (0xA4, 0x16, 0x1A)
BODY = ["Exporter Serif SC", "Noto Serif CJK SC", "Noto Serif CJK TC", "Noto Serif CJK HK", "Noto Serif CJK JP"]


@pytest.fixture(scope="module")
def classic() -> Theme:
    return load("classic")


@pytest.fixture(scope="module")
def vertical() -> Theme:
    return load("vertical")


@pytest.fixture(scope="module")
def covers(numbers: Issue, exported: Issue, hk: Issue, classic: Theme, vertical: Theme) -> dict[tuple[str, str], bytes]:
    issues = {"numbers-daily": numbers, "exported-page": exported, "hk-daily": hk}
    return {
        (name, theme.name): render_cover(issue, theme)
        for name, issue in issues.items()
        for theme in (classic, vertical)
    }


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _count(image: Image.Image, near: tuple[int, int, int], box: tuple[int, int, int, int] | None = None) -> int:
    """Pixels within a small distance of a colour on each channel, in ``box`` or the whole image."""
    part = (image.crop(box) if box else image).convert("RGB")
    difference = ImageChops.difference(part, Image.new("RGB", part.size, near))
    red, green, blue = (band.point(lambda v: 255 if v < 40 else 0) for band in difference.split())
    return ImageChops.multiply(ImageChops.multiply(red, green), blue).histogram()[255]


# -- covers (test_cover.py) ---------------------------------------------------------------------


def test_a_baseline_jpeg_of_the_cover_size(covers: dict[tuple[str, str], bytes]) -> None:
    """test_cover: test_a_baseline_jpeg_of_the_cover_size."""
    assert len(covers) == 6
    for key, data in covers.items():
        assert data[:3] == b"\xff\xd8\xff" and data[-2:] == b"\xff\xd9", key
        image = _image(data)
        assert (image.format, image.size, image.mode) == ("JPEG", (WIDTH, HEIGHT), "RGB"), key
        assert not image.info.get("progressive") and not image.info.get("progression")
        assert "exif" not in image.info and b"Exif" not in data[:200]


@pytest.mark.parametrize("theme", ["classic", "vertical"])
def test_the_same_issue_gives_the_same_bytes(
    covers: dict[tuple[str, str], bytes], numbers: Issue, hk: Issue, theme: str
) -> None:
    """test_cover: test_the_same_issue_gives_the_same_bytes."""
    assert render_cover(numbers, load(theme)) == covers[("numbers-daily", theme)]
    assert render_cover(hk, load(theme)) == covers[("hk-daily", theme)]


@pytest.mark.parametrize("theme", ["classic", "vertical"])
@pytest.mark.parametrize("name", ["numbers-daily", "exported-page", "hk-daily"])
def test_paper_masthead_in_the_accent_colour_and_dark_text(
    covers: dict[tuple[str, str], bytes], name: str, theme: str
) -> None:
    """test_cover: test_paper_masthead_in_the_accent_colour_and_dark_text."""
    image = _image(covers[(name, theme)]).resize((400, 640))
    total = 400 * 640
    paper = image.getpixel((5, 5))
    assert isinstance(paper, tuple)
    assert all(abs(a - b) <= 4 for a, b in zip(paper, (0xFD, 0xFC, 0xF8), strict=True))
    assert _count(image, ACCENT) > total * 0.015
    assert sum(image.convert("L").histogram()[:90]) > total * 0.02


@pytest.mark.parametrize("name", ["numbers-daily", "exported-page", "hk-daily"])
def test_vertical_and_classic_differ_where_the_masthead_stands(covers: dict[tuple[str, str], bytes], name: str) -> None:
    """test_cover: test_vertical_and_classic_differ_where_the_masthead_stands."""
    classic, vertical = _image(covers[(name, "classic")]), _image(covers[(name, "vertical")])
    top_band = (120, 160, 1000, 430)
    right_column = (1160, 900, 1460, 1300)
    assert _count(classic, ACCENT, top_band) > 5 * _count(vertical, ACCENT, top_band)
    assert _count(vertical, ACCENT, right_column) > 5 * max(1, _count(classic, ACCENT, right_column))


def test_a_second_cover_reads_no_font_again_and_opens_each_pillow_font_once(
    exported: Issue, classic: Theme, vertical: Theme
) -> None:
    """test_cover: test_a_second_cover_reads_no_font_again_and_opens_each_pillow_font_once."""
    fontreads.assert_second_cover_reads_no_font(exported, (classic, vertical))


# -- fonts (test_fonts.py) ----------------------------------------------------------------------


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("EXPORTER_CACHE_DIR", str(folder))
    return folder


def _lines(path: Path) -> list[tuple[int, str]]:
    return list(enumerate(path.read_text(encoding="utf-8").splitlines(), start=1))


def test_example_is_covered_reading_each_cmap_once() -> None:
    """test_fonts: test_sample_is_covered_reading_each_cmap_once.

    The shipped fonts lack 喆 and 這; the chain has them.
    """
    lines = _lines(EXPORTED)
    chain = fonts.resolve({"body": BODY})["body"]
    assert chain[0].source == "shipped" and any(f.source == "system" for f in chain), "apt-get install fonts-noto-cjk"
    fontreads.assert_coverage_reads_each_cmap_once(lines, chain)
    shipped_only = fonts.coverage(lines, [f for f in chain if f.source == "shipped"])
    assert [(m.char, m.line) for m in shipped_only] == [("喆", 32), ("這", 48)]
    assert [m.codepoint for m in shipped_only] == ["U+5586", "U+9019"]


def test_traditional_text_is_covered_by_shipped_serif_and_system_hk() -> None:
    """test_fonts: test_traditional_text_is_covered_by_shipped_serif_and_system_tc, on real HK text."""
    lines = _lines(HK)
    chain = fonts.find_faces("Exporter Serif SC", []) + fonts.find_faces("Noto Serif CJK HK", [])
    assert [f.source for f in chain] == ["shipped", "shipped", "system", "system"]
    assert fonts.coverage(lines, chain) == []
    needed = {m.char for m in fonts.coverage(lines, chain[:2])}
    assert {"訊", "維", "報", "燈"} <= needed, "the traditional text should need the HK fallback"


def test_subset_of_an_example_keeps_vertical_support_and_is_cached(cache: Path) -> None:
    """test_fonts: test_subset_of_the_sample_keeps_vertical_support_and_is_cached."""
    text = NUMBERS.read_text(encoding="utf-8")
    face = fonts.find_faces("Exporter Serif SC", [])[0]
    before = font_cache.stats("subsets")
    first = fonts.subset(face, text)
    made = font_cache.stats("subsets")
    assert first.parent == cache / "subsets" and made.made == before.made + 1
    data = first.read_bytes()
    assert len(data) < face.path.stat().st_size / 5

    font = TTFont(io.BytesIO(data), lazy=True)
    for table in ("GSUB", "vhea", "vmtx", "VORG"):
        assert table in font
    assert {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord} >= {"vert", "vrt2"}
    cmap = font.getBestCmap()
    assert ord("，") in cmap and ord("“") in cmap and ord("数") in cmap and ord("书") not in cmap

    second = fonts.subset(face, text)
    after = font_cache.stats("subsets")
    assert second == first and second.read_bytes() == data
    assert after.made == made.made and after.cache_hits == made.cache_hits + 1
    elsewhere = fonts.subset(face, text, cache_dir=cache.parent / "other")
    assert elsewhere != first and elsewhere.read_bytes() == data, "subsets must be deterministic"
    assert not list((cache / "subsets").glob(".tmp-*")), "no temporary file may be left behind"
