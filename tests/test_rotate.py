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
from exporter.fonts import cache as font_cache
from exporter.fonts import orientation, rotate, tcy

SHIPPED = fonts.shipped_fonts_dir() / "ExporterSerifSC-Regular.otf"
LINE = "“大会”以“汇聚行业创新力量”为主题，搭建（会研展洽）平台、推动《发展》…… 12月"
EXTRA = "国。「」『』：；？！—―ABCxyz0123456789 Hello‘’"
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
        assert orientation.upright(char), char
    for char in "A z 1 “”‘’—―…-.,:~":
        if char != " ":
            assert not orientation.upright(char), char
    assert not orientation.upright("－")  # full-width, but UTR #50 rotates it
    assert orientation.upright("\U0001f970")  # wide emoji newer than UTR #50's table
    with pytest.raises(ValueError):
        orientation.upright("国会")


def test_horizontal_shaping_of_the_rotated_font_gives_the_vertical_forms(source: Path, rotated: Path) -> None:
    source_font, rotated_font = TTFont(source), TTFont(rotated)
    order = source_font.getGlyphOrder()
    # Ids and names compare across the fonts; the glyphs the rotated font adds come after the source's.
    assert rotated_font.getGlyphOrder()[: len(order)] == order
    glyphs = rotated_font.getGlyphOrder()
    assert glyphs == [".notdef"] + [f"cid{i:05d}" for i in range(1, len(glyphs))]  # identity CIDs
    cmap = {code: source_font.getGlyphID(name) for code, name in source_font.getBestCmap().items()}
    # The source's vert forms, “”‘’ shown as the corner brackets 「」『』 (GB/T 15834).
    shown = LINE.translate(str.maketrans("“”‘’", "「」『』"))
    vertical = shape(source, shown, "ttb")
    horizontal = shape(source, LINE, "ltr")
    assert [i for i, *_ in vertical] == [i for i, *_ in horizontal] == list(range(len(LINE)))
    # Upright characters, and sideways ones that the font gives a vertical form (…), are turned
    # with their vertical form and its advance; the others keep their horizontal glyph and advance.
    expected = [
        (i, vg, -vy) if orientation.upright(shown[i]) or vg != cmap[ord(LINE[i])] else (i, hg, hx)
        for (i, vg, _vx, vy), (_i, hg, hx, _hy) in zip(vertical, horizontal, strict=True)
    ]
    got = [(i, g, x) for i, g, x, _y in shape(rotated, LINE, "ltr")]
    quotes = [i for i, c in enumerate(LINE) if c in "“”"]
    assert [x for x in got if x[0] not in quotes] == [x for x in expected if x[0] not in quotes]
    names = {LINE[i]: rotated_font.getGlyphName(g) for i, g, _x in got}
    assert [names[c] for c in "大会，、（）《》"] == [
        source_font.getGlyphName(vertical[LINE.index(c)][1]) for c in "大会，、（）《》"
    ]
    # The quotes are new glyphs, drawn as the brackets' turned forms, with their advance.
    for i in quotes:
        bracket = rotated_font.getBestCmap()[ord(shown[i])]
        assert names[LINE[i]] not in order
        assert outline(rotated_font, names[LINE[i]]) == outline(rotated_font, bracket)
        assert got[i][2] == expected[i][2]
    # The test means something: these marks have vertical forms other than their cmap glyphs.
    for mark in "，、（）《》…“”":
        assert names[mark] != source_font.getBestCmap()[ord(mark)], mark
    for char in "12":  # digits lie sideways
        assert names[char] == source_font.getBestCmap()[ord(char)], char
    for table in ("GPOS", "vhea", "vmtx", "VORG"):
        assert table not in rotated_font, table
    features = {r.FeatureTag for r in rotated_font["GSUB"].table.FeatureList.FeatureRecord}
    assert features == {"calt", *tcy.TCY_FEATURES.values()}


def test_an_apostrophe_between_latin_letters_keeps_its_sideways_glyph(source: Path, rotated: Path) -> None:
    font = TTFont(rotated)
    word = [g for _i, g, _x, _y in shape(rotated, "AB’C", "ltr")]
    alone = [g for _i, g, _x, _y in shape(rotated, "国’", "ltr")]
    flat = next(g for _i, g, _x, _y in shape(source, "’", "ltr"))
    assert word[2] == flat  # calt: between ASCII letters, the apostrophe as it is
    assert alone[1] != flat  # after a Han character, the closing quote shown as 』
    assert outline(font, font.getGlyphName(alone[1])) == outline(font, font.getBestCmap()[ord("』")])


def test_the_rotated_font_is_proved_against_its_source(source: Path, rotated: Path) -> None:
    from exporter.fonts.glyphtruth import check_rotation

    assert check_rotation(source, rotated) == []
    # A font whose characters are not their source's is caught: the digits' glyphs swapped, 大 drawn
    # as 会, 国 left out.
    tt = TTFont(rotated)
    for mapping in {id(t.cmap): t.cmap for t in tt["cmap"].tables}.values():  # subtables may share one dict
        mapping[ord("1")], mapping[ord("5")] = mapping[ord("5")], mapping[ord("1")]
        mapping[ord("大")] = mapping[ord("会")]
        del mapping[ord("国")]
    import io

    out = io.BytesIO()
    tt.save(out)
    problems = check_rotation(source, out.getvalue())
    assert any(p.startswith("1 (U+0031)") for p in problems)
    assert any(p.startswith("5 (U+0035)") for p in problems)
    assert any(p.startswith("大 (U+5927)") for p in problems)
    assert "国 (U+56FD) is not in the rotated font: it would be set sideways" in problems


def test_turned_glyphs_take_the_vertical_advance_and_latin_stays(source: Path, rotated: Path) -> None:
    source_font, rotated_font = TTFont(source), TTFont(rotated)
    upem = source_font["head"].unitsPerEm
    hhea = rotated_font["hhea"]
    assert hhea.ascent - hhea.descent == upem and hhea.lineGap == 0
    centre = (hhea.ascent + hhea.descent) / 2
    new_cmap = rotated_font.getBestCmap()
    turned = {new_cmap[ord(c)] for c in LINE + EXTRA if orientation.upright(c) or c == "…"}
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
    before = font_cache.stats("rotated")
    again = rotate.rotated_font(source, cache_dir=cache)
    after = font_cache.stats("rotated")
    assert again == rotated and after.cache_hits == before.cache_hits + 1 and after.made == before.made
    assert rotated.parent == cache / "rotated"
    fresh = rotate.rotated_font(source, cache_dir=tmp_path)
    assert font_cache.stats("rotated").made == after.made + 1
    assert fresh.read_bytes() == rotated.read_bytes()
    assert fresh.name == rotated.name


def test_loads_in_pillow_and_harfbuzz(source: Path, rotated: Path) -> None:
    image_font = ImageFont.truetype(str(rotated), 40)
    left, top, right, bottom = image_font.getbbox("国")
    assert right - left > 20 and bottom - top > 20
    face = hb.Face(hb.Blob.from_file_path(str(rotated)))
    # The source's glyphs, four corner quotes and three tate-chu-yoko forms of each digit.
    assert face.glyph_count == hb.Face(hb.Blob.from_file_path(str(source))).glyph_count + 4 + 3 * 10
    assert ord("国") in set(face.unicodes)


def test_a_file_that_is_no_font_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.otf"
    bad.write_bytes(b"not a font at all")
    with pytest.raises(FontError) as caught:
        rotate.rotated_font(bad, cache_dir=tmp_path)
    assert caught.value.path == str(bad)


def test_tcy_features_give_turned_digits_two_to_a_cell(source: Path, rotated: Path) -> None:
    font = TTFont(rotated)
    middle = (font["hhea"].ascent + font["hhea"].descent) / 2
    plain = shape(rotated, "1", "ltr")[0][1]
    halves = []
    for kind, advance in (("tcy1", 500), ("tcy2", 500), ("tcy0", 1000)):
        hb_font = hb.Font(hb.Face(hb.Blob.from_file_path(str(rotated))))
        buffer = hb.Buffer()
        buffer.add_str("1")
        buffer.guess_segment_properties()
        hb.shape(hb_font, buffer, {tcy.TCY_FEATURES[kind]: True})
        gid = buffer.glyph_infos[0].codepoint
        assert gid != plain and buffer.glyph_positions[0].x_advance == advance
        x_min, y_min, x_max, y_max = bounds(font, font.getGlyphName(gid))
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
