"""The rotated font of the vertical PDF: vertical forms in the cmap, turned outlines and metrics, the cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uharfbuzz as hb  # type: ignore[import-untyped]
from fontTools.pens.boundsPen import BoundsPen  # type: ignore[import-untyped]
from fontTools.pens.recordingPen import RecordingPen  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from PIL import ImageFont

from exporter import fonts
from exporter.errors import FontError
from exporter.render import rotate

SHIPPED = fonts.shipped_fonts_dir() / "ExporterSerifSC-Regular.otf"
LINE = "“大会”以“汇聚行业创新力量”为主题，搭建（会研展洽）平台、推动《发展》…… 12月"
EXTRA = "国。「」『』：；？！—―ABCxyz0123456789 Hello"
LATIN = "ABCxyz0123456789"


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("source") / "small.otf"
    path.write_bytes(fonts.subset_font_data(SHIPPED, 0, sorted({ord(c) for c in LINE + EXTRA})))
    return path


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def rotated(source: Path, cache: Path) -> Path:
    return rotate.rotated_font(source, cache_dir=cache)


def shape(path: Path, text: str, direction: str) -> list[tuple[int, int, int, int]]:
    """(character index, glyph id, x advance, y advance) of each glyph HarfBuzz gives ``text``."""
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(path))))
    buffer = hb.Buffer()
    buffer.add_codepoints([ord(c) for c in text])
    buffer.direction = direction
    buffer.script = "Hani"
    buffer.language = "zh"
    hb.shape(font, buffer, {})
    return [
        (info.cluster, info.codepoint, pos.x_advance, pos.y_advance)
        for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)
    ]


def bounds(font: Any, name: str) -> tuple[float, float, float, float]:
    pen = BoundsPen(font.getGlyphSet())
    font.getGlyphSet()[name].draw(pen)
    assert pen.bounds is not None, name
    x_min, y_min, x_max, y_max = pen.bounds
    return x_min, y_min, x_max, y_max


def outline(font: Any, name: str) -> list[Any]:
    pen = RecordingPen()
    font.getGlyphSet()[name].draw(pen)
    return list(pen.value)


def test_upright_follows_utr50() -> None:
    for char in "国会あア한，。、「」（）《》：；？！ー～　×©":
        assert rotate.upright(char), char
    for char in "A z 1 “”‘’—―…-.,:~":
        if char != " ":
            assert not rotate.upright(char), char
    assert not rotate.upright("－")  # full-width, but UTR #50 rotates it
    assert rotate.upright("\U0001f970")  # wide emoji newer than UTR #50's table
    with pytest.raises(ValueError):
        rotate.upright("国会")


def test_horizontal_shaping_of_the_rotated_font_gives_the_vertical_forms(source: Path, rotated: Path) -> None:
    source_font, rotated_font = TTFont(source), TTFont(rotated)
    assert source_font.getGlyphOrder() == rotated_font.getGlyphOrder()  # ids and names compare across the fonts
    cmap = {code: source_font.getGlyphID(name) for code, name in source_font.getBestCmap().items()}
    vertical = shape(source, LINE, "ttb")  # the source font's vert forms: G1..Gn
    horizontal = shape(source, LINE, "ltr")
    assert [i for i, *_ in vertical] == [i for i, *_ in horizontal] == list(range(len(LINE)))
    # Upright characters, and sideways ones that the font gives a vertical form (…), are turned
    # with their vertical form and its advance; the others keep their horizontal glyph and advance.
    expected = [
        (i, vg, -vy) if rotate.upright(LINE[i]) or vg != cmap[ord(LINE[i])] else (i, hg, hx)
        for (i, vg, _vx, vy), (_i, hg, hx, _hy) in zip(vertical, horizontal, strict=True)
    ]
    got = [(i, g, x) for i, g, x, _y in shape(rotated, LINE, "ltr")]
    assert got == expected
    names = {LINE[i]: rotated_font.getGlyphName(g) for i, g, _x in got}
    assert [names[c] for c in "大会，、（）《》"] == [
        source_font.getGlyphName(vertical[LINE.index(c)][1]) for c in "大会，、（）《》"
    ]
    # The test means something: these marks have vertical forms other than their cmap glyphs.
    for mark in "，、（）《》…“”":
        assert names[mark] != source_font.getBestCmap()[ord(mark)], mark
    for char in "12":  # digits lie sideways
        assert names[char] == source_font.getBestCmap()[ord(char)], char
    for table in ("GSUB", "GPOS", "vhea", "vmtx", "VORG"):
        assert table not in rotated_font, table


def test_turned_glyphs_take_the_vertical_advance_and_latin_stays(source: Path, rotated: Path) -> None:
    source_font, rotated_font = TTFont(source), TTFont(rotated)
    upem = source_font["head"].unitsPerEm
    hhea = rotated_font["hhea"]
    assert hhea.ascent - hhea.descent == upem and hhea.lineGap == 0
    centre = (hhea.ascent + hhea.descent) / 2
    new_cmap = rotated_font.getBestCmap()
    turned = {new_cmap[ord(c)] for c in LINE + EXTRA if rotate.upright(c) or c == "…"}
    for name in turned:
        advance, _tsb = source_font["vmtx"][name]
        assert rotated_font["hmtx"][name][0] == advance
        origin = source_font["VORG"][name]
        x_min, y_min, x_max, y_max = bounds(source_font, name)
        shift = round(centre - source_font["hmtx"][name][0] / 2)
        expected = (origin - y_max, x_min + shift, origin - y_min, x_max + shift)
        assert bounds(rotated_font, name) == pytest.approx(expected, abs=1), name
        assert rotated_font["hmtx"][name][1] == pytest.approx(expected[0], abs=1)
    # The mainland comma's vertical form: ink at the start of the cell and above the line's middle,
    # which the page's clockwise turn brings to the top right of the column's cell.
    comma = bounds(rotated_font, new_cmap[ord("，")])
    assert comma[2] < upem / 2 and comma[1] > centre
    for char in LATIN:
        name = source_font.getBestCmap()[ord(char)]
        assert new_cmap[ord(char)] == name
        assert rotated_font["hmtx"][name] == source_font["hmtx"][name]
        assert outline(rotated_font, name) == outline(source_font, name)


def test_names_keep_the_family_and_the_licence(source: Path, rotated: Path) -> None:
    source_names, names = TTFont(source)["name"], TTFont(rotated)["name"]
    for name_id in (1, 2, 13, 14, 16):
        assert names.getDebugName(name_id) == source_names.getDebugName(name_id)
    assert names.getDebugName(4) == f"{source_names.getDebugName(4)} Rotated"
    assert "Rotated" in names.getDebugName(6) and " " not in names.getDebugName(6)


def test_cache_is_hit_and_output_is_deterministic(source: Path, rotated: Path, cache: Path, tmp_path: Path) -> None:
    before = rotate.rotated_stats()
    again = rotate.rotated_font(source, cache_dir=cache)
    after = rotate.rotated_stats()
    assert again == rotated and after.cache_hits == before.cache_hits + 1 and after.made == before.made
    assert rotated.parent == cache / "rotated"
    fresh = rotate.rotated_font(source, cache_dir=tmp_path)
    assert rotate.rotated_stats().made == after.made + 1
    assert fresh.read_bytes() == rotated.read_bytes()
    assert fresh.name == rotated.name


def test_loads_in_pillow_and_harfbuzz(source: Path, rotated: Path) -> None:
    image_font = ImageFont.truetype(str(rotated), 40)
    left, top, right, bottom = image_font.getbbox("国")
    assert right - left > 20 and bottom - top > 20
    face = hb.Face(hb.Blob.from_file_path(str(rotated)))
    assert face.glyph_count == hb.Face(hb.Blob.from_file_path(str(source))).glyph_count
    assert ord("国") in set(face.unicodes)


def test_a_file_that_is_no_font_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.otf"
    bad.write_bytes(b"not a font at all")
    with pytest.raises(FontError) as caught:
        rotate.rotated_font(bad, cache_dir=tmp_path)
    assert caught.value.path == str(bad)


def test_tcy_fonts_hold_only_turned_digits_two_to_a_cell(source: Path, cache: Path, tmp_path: Path) -> None:
    first, second, alone = rotate.tcy_fonts(source, cache_dir=cache)
    assert rotate.tcy_fonts(source, cache_dir=cache) == (first, second, alone)
    again = rotate.tcy_fonts(source, cache_dir=tmp_path)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in (first, second, alone)]
    rotated = TTFont(rotate.rotated_font(source, cache_dir=cache))
    middle = (rotated["hhea"].ascent + rotated["hhea"].descent) / 2
    halves = []
    for path, kind, advance in ((first, "TCY1", 500), (second, "TCY2", 500), (alone, "TCY0", 1000)):
        font = TTFont(path)
        assert sorted(font.getBestCmap()) == list(range(0x30, 0x3A))
        assert font.getGlyphOrder()[0] == ".notdef"
        names = {r.nameID: r.toUnicode() for r in font["name"].names if r.platformID == 3}
        assert names[1] == "Exporter Serif SC" and names[4].endswith(f" {kind}") and names[6].endswith(f"-{kind}")
        assert (font["hhea"].ascent, font["hhea"].descent) == (rotated["hhea"].ascent, rotated["hhea"].descent)
        name = font.getBestCmap()[ord("1")]
        assert font["hmtx"][name][0] == advance
        x_min, y_min, x_max, y_max = bounds(font, name)
        assert y_max - y_min < x_max - x_min  # turned: taller along the line than across it
        halves.append((x_min, y_min, x_max, y_max))
    # The first of two in the lower half of the line box, the second in the upper, drawn over the same cell.
    assert halves[0][3] < middle < halves[1][1]
    assert abs((halves[0][0] + halves[0][2]) / 2 - 500) < 30 and abs((halves[1][0] + halves[1][2]) / 2) < 30
    assert halves[2][1] < middle < halves[2][3]


def test_dashes_fill_their_cell_so_that_two_read_as_one_line(rotated: Path) -> None:
    font = TTFont(rotated)
    name = font.getBestCmap()[0x2014]
    pen = BoundsPen(font.getGlyphSet())
    font.getGlyphSet()[name].draw(pen)
    assert pen.bounds is not None
    x_min, _, x_max, _ = pen.bounds
    advance = font["hmtx"][name][0]
    assert abs(x_min) <= 2 and abs(x_max - advance) <= 2
