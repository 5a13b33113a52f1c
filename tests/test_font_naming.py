"""A subset's own names made the family its @font-face declares (exporter/fonts/naming.py), never a reserved name."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from exporter import fonts
from exporter.editions import webfonts
from exporter.errors import FontError
from exporter.fonts import naming

SHIPPED = fonts.shipped_fonts_dir()


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def subset(cache_dir: Path) -> Path:
    """A small subset of the shipped bold serif, as an edition embeds it: CFF, CID-keyed, identity charset."""
    face = next(f for f in fonts.find_faces("Exporter Serif SC", []) if f.weight == 700)
    return fonts.subset(face, "中文字体测试，。AZ", cache_dir=cache_dir)


def names(data: bytes) -> dict[int, str]:
    font = TTFont(io.BytesIO(data), lazy=True)
    return {r.nameID: r.toUnicode() for r in font["name"].names}


def with_names(data: bytes, records: dict[int, str]) -> bytes:
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    for name_id, text in records.items():
        font["name"].setName(text, name_id, 3, 1, 0x409)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def cff_names(data: bytes) -> list[str]:
    cff = TTFont(io.BytesIO(data))["CFF "].cff
    top = cff.topDictIndex[0]
    return [*cff.fontNames, top.FullName, top.FamilyName, *(fd.FontName for fd in top.FDArray)]


def test_the_family_goes_into_every_name_a_reader_goes_by(subset: Path) -> None:
    data = naming.rename_font_data(subset.read_bytes(), "x-exporter-serif-sc", 700, "normal")
    got = names(data)
    assert got[1] == got[16] == "x-exporter-serif-sc"
    assert (got[2], got[17], got[4], got[6]) == ("Bold", "Bold", "x-exporter-serif-sc Bold", "x-exporter-serif-sc-Bold")
    assert got[3].endswith(";NONE;x-exporter-serif-sc-Bold")
    found = cff_names(data)
    assert found[:3] == ["x-exporter-serif-sc-Bold", "x-exporter-serif-sc Bold", "x-exporter-serif-sc"]
    assert all(str(fd).startswith("x-exporter-serif-sc-Bold-") for fd in found[3:])
    # The copyright, trademark and licence records stay, as the OFL asks.
    before = names(subset.read_bytes())
    assert all(got[i] == before[i] for i in (0, 7, 13, 14))
    # No record of another platform keeps the old family.
    font = TTFont(io.BytesIO(data), lazy=True)
    assert [r.toUnicode() for r in font["name"].names if r.nameID in (1, 16)] == ["x-exporter-serif-sc"] * 2


def test_the_outlines_and_the_identity_charset_are_kept(subset: Path) -> None:
    source = subset.read_bytes()
    data = naming.rename_font_data(source, "x-a", 400, "normal")
    assert fonts.identity_cids(data) == data
    before, after = TTFont(io.BytesIO(source)), TTFont(io.BytesIO(data))
    assert before.getGlyphOrder() == after.getGlyphOrder()
    assert before.getBestCmap() == after.getBestCmap()
    glyphs = before.getGlyphOrder()[1:6]
    set_before, set_after = before.getGlyphSet(), after.getGlyphSet()
    for glyph in glyphs:
        assert set_before[glyph].width == set_after[glyph].width
    for table in ("GSUB", "GPOS", "vhea", "vmtx", "VORG"):
        assert (table in before) == (table in after)
        if table in before:
            assert before.reader[table] == after.reader[table], table


@pytest.mark.parametrize(
    ("weight", "style", "linked", "typographic"),
    [
        (400, "normal", "Regular", "Regular"),
        (700, "normal", "Bold", "Bold"),
        (400, "italic", "Italic", "Italic"),
        (700, "italic", "Bold Italic", "Bold Italic"),
        (600, "normal", "Regular", "SemiBold"),
        (300, "oblique", "Italic", "Light Italic"),
        (450, "normal", "Regular", "450"),
    ],
)
def test_style_names(weight: int, style: str, linked: str, typographic: str) -> None:
    assert naming.style_names(weight, style) == (linked, typographic)


def test_a_true_type_font_is_renamed_too() -> None:
    from fontTools.fontBuilder import FontBuilder  # type: ignore[import-untyped]
    from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped]

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "a"])
    builder.setupCharacterMap({ord("a"): "a"})
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((0, 500))
    pen.lineTo((500, 0))
    pen.closePath()
    builder.setupGlyf({".notdef": pen.glyph(), "a": pen.glyph()})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "a": (500, 0)})
    builder.setupHorizontalHeader()
    builder.setupNameTable({"familyName": "Tiny", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    data = naming.rename_font_data(out.getvalue(), "x-tiny", 400, "normal")
    assert names(data)[1] == names(data)[16] == "x-tiny"


def test_a_broken_font_is_a_font_error() -> None:
    with pytest.raises(FontError, match="cannot read the subset's names"):
        naming.rename_font_data(b"not a font", "x-a", 400, "normal", origin="a.otf")


def test_reserved_names_come_from_copyright_licence_trademark_and_licence_file(subset: Path, tmp_path: Path) -> None:
    # The shipped font says "Noto is a trademark of Google Inc." (ID 7); "Source" is reserved whatever it says.
    assert {"Noto", "Source"} <= set(naming.reserved_names(subset))
    data = with_names(
        subset.read_bytes(),
        {
            0: "Copyright 2014 The Fira Project Authors, with Reserved Font Names \u201cFira\u201d and 'Feura'.",
            7: "Fira Mono and Fira Sans are trademarks of The Mozilla Corporation.",
            13: 'This Font Software is licensed under the SIL Open Font License. Reserved Font Name "Zilla".',
        },
    )
    font = tmp_path / "fira.otf"
    font.write_bytes(data)
    (tmp_path / "OFL.txt").write_text("Copyright 2020 X, with Reserved Font Name 'Quattro'.\n", encoding="utf-8")
    found = naming.reserved_names(font, tmp_path)
    assert {"Fira", "Feura", "Zilla", "Fira Mono", "Fira Sans", "Quattro", "Noto", "Source"} <= set(found)
    assert "Quattro" not in naming.reserved_names(font)
    # The shipped fonts' licence reserves "Source".
    assert "Source" in naming.reserved_names(font, SHIPPED)
    broken = tmp_path / "broken.otf"
    broken.write_bytes(b"nothing")
    with pytest.raises(FontError, match="cannot read the font's names"):
        naming.reserved_names(broken)


@pytest.mark.parametrize(
    ("family", "reserved", "taken", "free"),
    [
        ("x-exporter-serif-sc", ("Source", "Noto"), (), "x-exporter-serif-sc"),
        ("x-noto-serif-cjk-hk", ("Source", "Noto"), (), "x-serif-cjk-hk"),
        ("x-source-han-serif-sc", ("Source", "Noto"), (), "x-han-serif-sc"),
        ("x-fira-sans", ("Fira Sans",), (), "x-font"),
        ("x-open-sans-condensed", ("Open Sans",), (), "x-condensed"),
        ("x-resourceful", ("Source",), (), "x-font"),
        ("x-noto", ("Noto",), (), "x-font"),
        ("noto-serif", ("NOTO",), (), "x-serif"),
        ("x-noto-serif-cjk-tc", ("Noto",), ("x-serif-cjk-tc",), "x-serif-cjk-tc-2"),
        ("x-fira-sans", ("Fira Sans",), ("x-font", "x-font-2"), "x-font-3"),
    ],
)
def test_free_family(family: str, reserved: tuple[str, ...], taken: tuple[str, ...], free: str) -> None:
    assert naming.free_family(family, reserved, taken) == free


def test_named_copies_are_cached(subset: Path, cache_dir: Path) -> None:
    first = naming.named(subset, "x-exporter-serif-sc", 700, "normal", cache_dir=cache_dir)
    again = naming.named(subset, "x-exporter-serif-sc", 700, "normal", cache_dir=cache_dir)
    other = naming.named(subset, "x-other", 700, "normal", cache_dir=cache_dir)
    assert first == again != other
    assert first.parent.name == "named" and first.suffix == ".otf"
    assert names(first.read_bytes())[1] == "x-exporter-serif-sc" and names(other.read_bytes())[1] == "x-other"


def test_a_font_set_is_declared_under_its_fonts_own_names(subset: Path, cache_dir: Path) -> None:
    face = next(f for f in fonts.find_faces("Exporter Serif SC", []) if f.weight == 700)
    noto = fonts.Face("Noto Serif CJK HK", face.path, face.index, 700, "normal", "system", True)

    def embedded(family: str, font: fonts.Face) -> Any:
        return webfonts.Embedded(family, 700, "normal", f"{family}.otf", subset, font)

    fontset = webfonts.FontSet(
        (embedded("x-exporter-serif-sc", face), embedded("x-noto-serif-cjk-hk", noto)),
        {"body": ["x-exporter-serif-sc", "x-noto-serif-cjk-hk"]},
        "../fonts/",
    )
    named = webfonts.named(fontset, cache_dir)
    assert [f.css_family for f in named.files] == ["x-exporter-serif-sc", "x-serif-cjk-hk"]
    assert named.roles == {"body": ["x-exporter-serif-sc", "x-serif-cjk-hk"]}
    for f in named.files:
        assert names(f.path.read_bytes())[1] == f.css_family
        assert f'font-family: "{f.css_family}"' in named.css
    assert '--font-body: "x-exporter-serif-sc", "x-serif-cjk-hk", serif;' in named.css
    assert "noto" not in named.css.replace("../fonts/x-noto", "")
