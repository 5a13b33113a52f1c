"""Shipped fonts, family lookup, coverage and per-issue subsets (exporter.fonts, tools/build_fonts.py's output).

Needs Debian's fonts-noto-cjk and fontconfig (`apt-get install fonts-noto-cjk fontconfig`) for the
system fallback faces.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import opencc
import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from exporter import fonts
from exporter.errors import FontError
from exporter.fonts import cache as font_cache
from tests import fontreads
from tests.conftest import in_gb2312

SHIPPED = {
    "ExporterSerifSC-Regular.otf": ("Exporter Serif SC", 400),
    "ExporterSerifSC-Bold.otf": ("Exporter Serif SC", 700),
    "ExporterSansSC-Regular.otf": ("Exporter Sans SC", 400),
    "ExporterSansSC-Bold.otf": ("Exporter Sans SC", 700),
}
BODY = ["Exporter Serif SC", "Noto Serif CJK SC", "Noto Serif CJK TC", "Noto Serif CJK HK", "Noto Serif CJK JP"]
RARE = "\U0002a6d6"  # 𪛖, CJK Extension B: in no Noto CJK face
TANGUT = "\U00017000"


def gb2312() -> list[str]:
    chars = []
    for high in range(0xA1, 0xFF):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def feature_tags(font: Any, table: str) -> set[str]:
    return {r.FeatureTag for r in font[table].table.FeatureList.FeatureRecord}


def vert_mapping(font: Any) -> dict[str, str]:
    gsub = font["GSUB"].table
    lookups = {i for r in gsub.FeatureList.FeatureRecord if r.FeatureTag == "vert" for i in r.Feature.LookupListIndex}
    mapping: dict[str, str] = {}
    for i in sorted(lookups):
        for sub in gsub.LookupList.Lookup[i].SubTable:
            mapping.update(getattr(getattr(sub, "ExtSubTable", sub), "mapping", None) or {})
    return mapping


@pytest.fixture(scope="session")
def system_noto() -> None:
    """The system fallback faces the tests use; fail with the fix, not a confusing assertion."""
    for family in ("Noto Serif CJK SC", "Noto Serif CJK TC"):
        faces = fonts.find_faces(family, [])
        assert faces and faces[0].source == "system", f"{family} not found: apt-get install fonts-noto-cjk fontconfig"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("EXPORTER_CACHE_DIR", str(folder))
    return folder


# -- the shipped fonts --------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_font_has_its_own_name_and_vertical_tables(name: str) -> None:
    path = fonts.shipped_fonts_dir() / name
    assert path.is_file(), "run: .venv/bin/python tools/build_fonts.py"
    font = TTFont(str(path), lazy=True)
    family, weight = SHIPPED[name]
    names = {r.nameID: r.toUnicode() for r in font["name"].names if r.platformID == 3}
    assert names[1] == names[16] == family
    assert names[6] == path.stem
    for name_id in (1, 4, 6, 16):
        assert "Noto" not in names[name_id] and "Source" not in names[name_id]
    assert not [text for text in names.values() if "Source" in text], "the OFL reserves the name 'Source'"
    assert "Open Font License" in names[13]
    assert font["OS/2"].usWeightClass == weight
    for table in ("vhea", "vmtx", "VORG", "GSUB"):
        assert table in font
    assert {"vert", "vrt2", "locl", "ccmp", "fwid"} <= feature_tags(font, "GSUB")  # ccmp, fwid: the 破折号
    assert {"halt", "vhal", "palt", "vpal", "kern"} <= feature_tags(font, "GPOS")
    cmap = font.getBestCmap()
    vert = vert_mapping(font)
    for char in "，。「（―":
        glyph = cmap[ord(char)]
        assert vert.get(glyph, glyph) != glyph, f"vert does not turn {char}"


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_font_covers_gb2312(name: str) -> None:
    face = fonts.find_faces(SHIPPED[name][0], [])[0]
    text = "".join(gb2312())
    assert len(text) == 7445
    assert fonts.coverage([(1, text)], [face]) == []


def test_licence_and_source_notes_beside_the_fonts() -> None:
    folder = fonts.shipped_fonts_dir()
    licence = (folder / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Adobe" in licence and "Reserved Font Name 'Source'" in licence
    notes = (folder / "SOURCE.md").read_text(encoding="utf-8")
    assert "fonts-noto-cjk" in notes and "tools/build_fonts.py" in notes and "7,445" in notes


# -- looking families up ------------------------------------------------------------------


def renamed_copy(source: Path, target: Path, family: str) -> Path:
    """A copy of ``source`` whose family is ``family`` (name IDs 1, 4, 6, 16)."""
    font = TTFont(str(source), lazy=True, recalcTimestamp=False)
    for record in list(font["name"].names):
        if record.nameID in (1, 4, 16):
            record.string = family
        elif record.nameID == 6:
            record.string = family.replace(" ", "")
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))
    return target


@pytest.fixture(scope="module")
def small_font(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small subset of the shipped serif, quick to copy and rename."""
    face = fonts.find_faces("Exporter Serif SC", [])[0]
    path = fonts.subset(face, "中文字体测试，。", cache_dir=tmp_path_factory.mktemp("cache"))
    return path


def test_lookup_order_theme_then_shipped_then_system(tmp_path: Path, small_font: Path, system_noto: None) -> None:
    theme = tmp_path / "theme" / "fonts"
    renamed_copy(small_font, theme / "nested" / "Mine.otf", "Theme Test Serif")
    (mine,) = fonts.find_faces("theme  test SERIF", [tmp_path / "missing", theme])
    assert (mine.family, mine.source, mine.index, mine.weight) == ("Theme Test Serif", "theme", 0, 400)
    assert mine.vertical

    shipped = fonts.find_faces("Exporter Serif SC", [theme])
    assert [(f.source, f.weight) for f in shipped] == [("shipped", 400), ("shipped", 700)]
    assert shipped[0].path == fonts.shipped_fonts_dir() / "ExporterSerifSC-Regular.otf"

    shutil.copy(small_font, theme / "Override.otf")  # same family as the shipped font: the theme wins
    override = fonts.find_faces("Exporter Serif SC", [theme])
    assert [f.source for f in override] == ["theme"]

    system = fonts.find_faces("Noto Serif CJK TC", [theme])
    assert {f.source for f in system} == {"system"}
    assert [f.weight for f in system] == [400, 700]
    assert all(f.vertical and f.path.suffix == ".ttc" for f in system)
    assert fonts.find_faces("No Such Family 42", [theme]) == []


def test_resolve_builds_chains_and_names_the_fix(system_noto: None) -> None:
    chains = fonts.resolve({"body": ["No Such Family", *BODY], "sans": ["Exporter Sans SC"]})
    body = chains["body"]
    assert [f.source for f in body[:2]] == ["shipped", "shipped"]
    assert [f.family for f in body[2:4]] == ["Noto Serif CJK SC", "Noto Serif CJK SC"]
    assert len({(f.path, f.index) for f in body}) == len(body)
    assert [f.family for f in chains["sans"]] == ["Exporter Sans SC", "Exporter Sans SC"]
    with pytest.raises(FontError) as error:
        fonts.resolve({"body": ["No Such Family", "Nor This One"]}, origin="themes/x/theme.toml")
    message = str(error.value)
    assert "themes/x/theme.toml" in message and "'body'" in message
    assert '"No Such Family", "Nor This One"' in message and "apt-get install fonts-noto-cjk" in message


def test_each_familys_faces_are_those_fontconfig_matches_for_it_from_one_listing(system_noto: None) -> None:
    fonts._fc_list.cache_clear()
    fonts._fc_faces.cache_clear()  # as a new process
    families = sorted({name for face in fonts._fc_faces() for name in face[4]})
    assert {"Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei"} <= set(families)
    with fontreads.counting() as reads:
        for family in [*families, "noto serif cjk sc", "NotoSerifCJKSC", "No Such Family"]:
            pattern = ":family=" + "".join("\\" + c if c in "\\-:,=" else c for c in family)
            matched = fonts._fc_rows(fonts._fc_parsed(fonts._fc(fonts.FC_FIELDS, pattern)))
            assert fonts._fc_list(fonts._norm(family), family) == matched, family
            assert family == "No Such Family" or matched, family
    assert reads.fontconfig == [f":family={f}" for f in families] + [
        ":family=noto serif cjk sc",
        ":family=NotoSerifCJKSC",
        ":family=No Such Family",
    ]  # the test's own queries: the lookups asked fontconfig nothing more
    fonts._fc_list.cache_clear()
    fonts._fc_faces.cache_clear()
    with fontreads.counting() as reads:
        fonts.resolve({"body": ("Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei")}, ())
    assert reads.fontconfig == [""]


def test_unreadable_font_in_a_theme_is_named(tmp_path: Path) -> None:
    (tmp_path / "broken.ttf").write_bytes(b"not a font")
    with pytest.raises(FontError, match=r"broken\.ttf"):
        fonts.find_faces("Anything", [tmp_path])


def test_the_shipped_sans_has_what_vertical_text_needs() -> None:
    from fontTools.ttLib import TTFont

    face = fonts.find_faces("Exporter Sans SC", [])[0]
    assert face.family == "Exporter Sans SC" and face.source == "shipped" and face.weight == 400 and face.vertical
    font = TTFont(face.path)
    features = {record.FeatureTag for record in font["GSUB"].table.FeatureList.FeatureRecord}
    assert {"vert", "vrt2"} <= features and {"vhea", "vmtx", "VORG"} <= set(font.keys())
    assert len(font.getGlyphOrder()) > 10000


# -- coverage -----------------------------------------------------------------------------


def test_coverage_names_each_missing_character_on_every_line_it_is_on() -> None:
    chain = fonts.find_faces("Exporter Serif SC", [])
    lines = [(1, "本报讯 今天"), (3, f"罕见字{RARE}出现。"), (4, "\u3000 \t"), (7, f"又见{RARE}，西夏文{TANGUT}")]
    missing = fonts.coverage(lines, chain)
    assert missing == [
        fonts.Missing(RARE, "U+2A6D6", 3),
        fonts.Missing(RARE, "U+2A6D6", 7),
        fonts.Missing(TANGUT, "U+17000", 7),
    ]


def test_sample_is_covered_reading_each_cmap_once(sample_path: Path, system_noto: None) -> None:
    """Coverage reads each face's cmap once per process and checks each character once, however often it occurs.

    That is what makes a second check of an issue cheap; its time is measured in benchmarks/fonts_and_cover.py.
    """
    lines = list(enumerate(sample_path.read_text(encoding="utf-8").splitlines(), start=1))
    chain = fonts.resolve({"body": BODY})["body"]
    faces = [(face.path, face.index) for face in chain]
    assert len(set(faces)) == len(faces) and {face.source for face in chain} == {"shipped", "system"}
    distinct = fontreads.assert_coverage_reads_each_cmap_once(lines, chain)
    assert len(distinct) < sum(len(text) for _, text in lines) / 4  # characters recur: looked up once each
    # The shipped fonts hold GB 2312's characters: the sample's ideographs outside that set, each with its
    # line, are what they lack and the rest of the chain supplies.
    outside = [(n, ch) for n, text in lines for ch in text if "一" <= ch <= "鿿" and not in_gb2312(ch)]
    assert len(outside) == 2  # two lines of the sample have one each
    assert [(m.line, m.char) for m in fonts.coverage(lines, chain[:2])] == outside


def test_traditional_text_is_covered_by_shipped_serif_and_system_tc(sample_path: Path, system_noto: None) -> None:
    paragraphs = [p for p in sample_path.read_text(encoding="utf-8").split("\n\n") if len(p) > 60][:4]
    text = opencc.OpenCC("s2tw").convert("\n".join(paragraphs)) + "\n臺灣 裡 著"
    lines = list(enumerate(text.splitlines(), start=1))
    chain = fonts.find_faces("Exporter Serif SC", []) + fonts.find_faces("Noto Serif CJK TC", [])
    assert [f.source for f in chain] == ["shipped", "shipped", "system", "system"]
    assert fonts.coverage(lines, chain) == []
    assert fonts.coverage(lines, chain[:2]), "the traditional text should need the TC fallback"


# -- per-issue subsets --------------------------------------------------------------------


def test_subset_of_the_sample_keeps_vertical_support_and_is_cached(sample_path: Path, cache: Path) -> None:
    text = sample_path.read_text(encoding="utf-8")
    face = fonts.find_faces("Exporter Serif SC", [])[0]
    before = font_cache.stats("subsets")
    first = fonts.subset(face, text)
    made = font_cache.stats("subsets")
    assert first.parent == cache / "subsets" and made.made == before.made + 1
    data = first.read_bytes()
    size = len(data)
    assert size < face.path.stat().st_size / 5, f"subset of the sample is {size} bytes"
    print(f"subset of the sample: {size:,} bytes (source {face.path.stat().st_size:,})")

    font = TTFont(io.BytesIO(data), lazy=True)
    for table in ("GSUB", "vhea", "vmtx", "VORG"):
        assert table in font
    assert {"vert", "vrt2"} <= feature_tags(font, "GSUB")
    cmap = font.getBestCmap()
    assert ord("，") in cmap and ord("书") in cmap and ord("乾") not in cmap
    glyph = cmap[ord("，")]
    assert vert_mapping(font).get(glyph, glyph) != glyph

    second = fonts.subset(face, text)
    after = font_cache.stats("subsets")
    assert second == first and second.read_bytes() == data
    assert after.made == made.made and after.cache_hits == made.cache_hits + 1

    elsewhere = fonts.subset(face, text, cache_dir=cache.parent / "other")
    assert elsewhere != first and elsewhere.read_bytes() == data, "subsets must be deterministic"
    assert not list((cache / "subsets").glob(".tmp-*")), "no temporary file may be left behind"


def test_woff2_subset(cache: Path) -> None:
    face = fonts.find_faces("Exporter Sans SC", [])[1]
    path = fonts.subset(face, "竖排标点，。「」（）——", flavor="woff2")
    assert path.suffix == ".woff2" and path.read_bytes()[:4] == b"wOF2"
    font = TTFont(str(path), lazy=True)
    assert font.flavor == "woff2" and "vmtx" in font and "vert" in feature_tags(font, "GSUB")
    assert fonts.subset(face, "竖排标点，。「」（）——") != path  # flavors are cached apart


def test_subset_of_a_system_collection_face(cache: Path, system_noto: None) -> None:
    face = fonts.find_faces("Noto Serif CJK TC", [])[0]
    path = fonts.subset(face, "臺灣裡著，。")
    font = TTFont(str(path), lazy=True)
    assert {ord(c) for c in "臺灣裡著"} <= set(font.getBestCmap())
    assert "vert" in feature_tags(font, "GSUB") and "vhea" in font


def test_cache_dir_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EXPORTER_CACHE_DIR", str(tmp_path / "x"))
    assert fonts.default_cache_dir() == tmp_path / "x"
    monkeypatch.delenv("EXPORTER_CACHE_DIR")
    assert fonts.default_cache_dir().name == "exporter"
