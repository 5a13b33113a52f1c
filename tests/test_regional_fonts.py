"""Regional type: a Hong Kong issue in the Noto CJK HK faces, a Taiwan one in the TC faces, 台港式 punctuation.

Each edition is built and read back: the fonts the PDF draws with (``pdffonts``, and the glyphs its
text operators name, read out of the embedded font programs), the fonts the EPUB and the web
edition embed and declare, and where ，and 。 sit in their cells. A zh-CN issue keeps the shipped
"Exporter … SC" faces.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from exporter import fonts
from exporter.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
HK = ROOT / "examples" / "hk-daily.md"
CN = ROOT / "examples" / "binhai-daily.md"

#: Characters written alike in traditional and simplified Chinese, all of GB 2312.
SHARED = "天地人山水日月大小中上下分明清王雨花草木石田工力心手口目耳土火金"


def _commas(paragraphs: int = 8) -> str:
    """Paragraphs of words two to five characters long between marks: lines end on marks here and there."""
    lengths, marks = (2, 3, 4, 5, 3, 2, 4, 3), "，，、，；，。，：，，。"
    out, n = [], 0
    for p in range(paragraphs):
        words = []
        for w in range(14):
            word = "".join(SHARED[(n + i * 7) % len(SHARED)] for i in range(lengths[(p + w) % len(lengths)]))
            n += 3
            words.append(word + (marks[(p * 5 + w) % len(marks)] if w < 13 else "。"))
        out.append("".join(words))
    return "\n\n".join(out)


def _issue(language: str, title: str) -> str:
    """A small issue in ``language``: one story with a real paragraph, one of comma-ridden ones."""
    story = (
        "本報臺北11月27日訊 臺北捷運環狀線北段今日通車，沿線居民表示，通勤時間縮短一半。"
        "市府說，新線每日可載運約二十萬人次，尖峰時段每四分鐘一班，離峰時段每八分鐘一班。"
        "交通局長說：「我們希望市民多搭乘大眾運輸，減少開車。」"
        if language != "zh-CN"
        else "本报台北11月27日讯 台北捷运环状线北段今日通车，沿线居民表示，通勤时间缩短一半。"
        "市府说，新线每日可载运约二十万人次，尖峰时段每四分钟一班，离峰时段每八分钟一班。"
        "交通局长说：“我们希望市民多搭乘大众运输，减少开车。”"
    )
    return (
        f"---\ntitle: {title}\ndate: 2025-11-28\nnumber: 12\nedition: 今日2版\npublisher: {title}社\n"
        f"language: {language}\nidentifier: urn:exporter:test:{language.lower()}\n---\n\n"
        f"<!-- page: A1, section: 要聞 -->\n\n# 天地人，山水日月。\n\n{story}\n\n"
        f"<!-- page: A2, section: 生活 -->\n\n# 大小中，上下分明。\n\n{_commas()}\n"
    )


#: The marks 台港式 centres and never compresses.
MARKS = "，。、；：！？"
#: How far, in ems, the centre of a mark's ink may be from the centre of its cell.
CENTRED = 0.1


@dataclass(frozen=True)
class Editions:
    pdf: Path
    epub: Path
    html: Path | None


def _regional_faces_installed() -> bool:
    return all(
        fonts.find_faces(f"Noto {design} CJK {region}", ()) for design in ("Serif", "Sans") for region in ("HK", "TC")
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Editions]:
    if not _regional_faces_installed():
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's fonts-noto-cjk (the Noto CJK TC and HK faces)")
        pytest.skip("the Noto CJK TC and HK faces are not installed (apt-get install fonts-noto-cjk)")
    out = tmp_path_factory.mktemp("regional")
    cache = tmp_path_factory.mktemp("cache")
    taipei = out / "taipei-test.md"
    taipei.write_text(_issue("zh-TW", "臺北測試報"), encoding="utf-8")
    commas = out / "commas-test.md"
    commas.write_text(_issue("zh-CN", "天地测试报"), encoding="utf-8")
    found: dict[str, Editions] = {}
    for key, source, theme in (
        ("hk", HK, None),
        ("hk-vertical", HK, "vertical"),
        ("tw", taipei, None),
        ("tw-vertical", taipei, "vertical"),
        ("cn", CN, "classic"),
        ("cn-commas", commas, None),
        ("cn-commas-vertical", commas, "vertical"),
    ):
        editions = build(source, ["pdf", "epub", "html"], theme=theme, out=out / key, cache_dir=cache)
        paths = {b.format: b.path for b in editions}
        found[key] = Editions(paths["pdf"], paths["epub"], paths.get("html"))
    return found


REGIONAL = {"hk": "hk", "hk-vertical": "hk", "tw": "tc", "tw-vertical": "tc"}


def pdffonts(pdf: Path) -> list[str]:
    """The fonts of the PDF as poppler's ``pdffonts`` lists them, without their subset tags."""
    listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0].split("+")[-1] for line in listed.splitlines()[2:] if line.strip()]


@pytest.mark.parametrize("key", sorted(REGIONAL))
def test_the_pdf_sets_every_character_in_the_regional_faces(built: dict[str, Editions], key: str) -> None:
    names = pdffonts(built[key].pdf)
    region = REGIONAL[key]
    assert names, "pdffonts lists no font"
    wrong = [n for n in names if not re.fullmatch(rf"x-noto-(serif|sans)-cjk-{region}(-Bold)?", n)]
    assert wrong == [], f"{key}: fonts other than Noto CJK {region.upper()}: {wrong}"
    # Every role's face: the serif body and the sans headlines, each in the region's forms.
    assert {n.split("-")[2] for n in names} == {"serif", "sans"}
    # The font programs themselves, turned ones (竖排) included, come from the regional face.
    families = {program["name"].getDebugName(1) for program in _programs(built[key].pdf).values()}
    assert families <= {f"Noto Serif CJK {region.upper()}", f"Noto Sans CJK {region.upper()}"}, families
    if key.endswith("vertical"):
        full = {program["name"].getDebugName(4) for program in _programs(built[key].pdf).values()}
        assert all(name.endswith("Rotated") for name in full), full


def test_a_simplified_issue_keeps_the_shipped_sc_faces(built: dict[str, Editions]) -> None:
    names = pdffonts(built["cn"].pdf)
    assert names and all(re.fullmatch(r"x-exporter-(serif|sans)-sc(-Bold)?", n) for n in names), names
    with zipfile.ZipFile(built["cn"].epub) as epub:
        files = [Path(n).name for n in epub.namelist() if n.startswith("EPUB/fonts/")]
    assert files and all(name.startswith("exporter-") for name in files), files


@pytest.mark.parametrize("key", sorted(REGIONAL))
def test_the_epub_and_the_web_edition_embed_and_declare_the_regional_faces(
    built: dict[str, Editions], key: str
) -> None:
    region = REGIONAL[key]
    with zipfile.ZipFile(built[key].epub) as epub:
        files = {n: epub.read(n) for n in epub.namelist() if n.startswith("EPUB/fonts/")}
        css = "\n".join(epub.read(n).decode() for n in epub.namelist() if n.endswith(".css"))
    assert files, "the EPUB embeds no font"
    for name in files:
        assert re.fullmatch(rf"EPUB/fonts/noto-(serif|sans)-cjk-{region}-\d+\.otf", name), name
    sources = re.findall(r'url\("([^"]+)"\)', "".join(re.findall(r"@font-face\s*\{[^}]*\}", css)))
    assert sources and all(re.search(rf"/noto-(serif|sans)-cjk-{region}-\d+\.otf$", s) for s in sources), sources
    declared = set(re.findall(r'font-family:\s*"([^"]+)"', css))
    assert declared and all(family.endswith(f"-cjk-{region}") for family in declared), declared
    web = {p.name: p.read_bytes() for p in (built[key].html or Path("/nonexistent")).glob("fonts/*")}
    assert web and all(re.fullmatch(rf"noto-(serif|sans)-cjk-{region}-\d+\.woff2", n) for n in web), sorted(web)
    # The same faces: ，and 。 centred in each, set horizontally and with `vert` alike.
    language = "zh-HK" if region == "hk" else "zh-TW"
    for name, data in {**files, **web}.items():
        # Subset like the shipped faces: the region's localised forms only, not Japan's, Korea's or the mainland's.
        systems = _language_systems(_sfnt(data))
        assert systems <= {"ZHH " if region == "hk" else "ZHT "}, (name, systems)
        for char in "，。":
            for vertical in (False, True):
                dx, dy = _shaped_offset(_sfnt(data), char, vertical, language)
                assert abs(dx) < CENTRED and abs(dy) < CENTRED, (name, char, vertical, dx, dy)


@pytest.mark.parametrize("key", sorted(REGIONAL))
def test_the_pdf_draws_centred_marks(built: dict[str, Editions], key: str) -> None:
    """The glyph the PDF draws for each ，and 。 has its ink in the middle of its cell (turned or not)."""
    programs = _programs(built[key].pdf)
    checked = set()
    for draw in _drawn(built[key].pdf):
        if draw.text not in "，。" or (draw.font, draw.text) in checked:
            continue
        checked.add((draw.font, draw.text))
        dx, dy = _drawn_offset(programs[draw.font], draw.cid)
        assert abs(dx) < CENTRED and abs(dy) < CENTRED, (key, draw.font, draw.text, dx, dy)
    assert {text for _, text in checked} == {"，", "。"}
    # The body face and the headline face: both set marks.
    assert len({font for font, _ in checked}) >= 2, checked


@pytest.mark.parametrize("key", sorted(REGIONAL))
def test_traditional_marks_keep_their_full_width(built: dict[str, Editions], key: str) -> None:
    """台港式: no mark is set half-width, between characters or at the end of a line."""
    draws = _drawn(built[key].pdf)
    gaps = _mark_gaps(draws)
    assert gaps, "no mark followed by a character on its line"
    narrow = [(text, round(gap, 2)) for text, gap in gaps if gap < 0.95]
    assert narrow == [], f"marks set narrower than an em: {narrow[:10]}"
    # Lines end on marks here (paragraphs' ends among them), so the measure below has something to see.
    assert any(run[-1].text in MARKS for run in _rows(draws) if len(run) >= 6)
    trimmed = _trimmed_line_ends(draws)
    assert trimmed == [], f"lines whose last mark reaches half an em past the measure: {trimmed[:10]}"


def test_a_simplified_issue_still_compresses_its_marks(built: dict[str, Editions]) -> None:
    """开明式 in the zh-CN example: the same measures find half-width commas and trimmed line ends."""
    for key in ("cn", "cn-commas", "cn-commas-vertical"):
        draws = _drawn(built[key].pdf)
        assert any(text == "，" and gap < 0.6 for text, gap in _mark_gaps(draws)), key
    for key in ("cn-commas", "cn-commas-vertical"):
        assert _trimmed_line_ends(_drawn(built[key].pdf)), key


def test_the_styles_and_composition_of_a_traditional_issue_compress_nothing(built: dict[str, Editions]) -> None:
    for key in REGIONAL:
        with zipfile.ZipFile(built[key].epub) as epub:
            pages = "\n".join(epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml"))
        spans = re.findall(r'<span class="(p[co][^"]*)"', pages)
        assert spans and all("full" in s.split() and "half" not in s.split() for s in spans), key
    with zipfile.ZipFile(built["cn"].epub) as epub:
        pages = "\n".join(epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml"))
    classes = re.findall(r'<span class="(p[co][^"]*)"', pages)
    assert any("half" in c.split() for c in classes) and not any("full" in c.split() for c in classes)


# -- reading the fonts ---------------------------------------------------------------------


def _sfnt(data: bytes) -> bytes:
    """An OpenType font's bytes, WOFF2 decompressed."""
    if data[:4] != b"wOF2":
        return data
    from fontTools.ttLib import TTFont

    out = io.BytesIO()
    font = TTFont(io.BytesIO(data))
    font.flavor = None
    font.save(out)
    return out.getvalue()


def _language_systems(data: bytes) -> set[str]:
    """The language system tags of a font's GSUB and GPOS."""
    from fontTools.ttLib import TTFont

    tt = TTFont(io.BytesIO(data))
    return {
        record.LangSysTag
        for table in ("GSUB", "GPOS")
        if table in tt
        for script in tt[table].table.ScriptList.ScriptRecord
        for record in script.Script.LangSysRecord
    }


def _em_centre(tt: Any) -> float:
    """The height of the middle of the ideographic em box (Noto CJK: -120 to 880)."""
    os2 = tt["OS/2"]
    return (os2.sTypoAscender + os2.sTypoDescender) / 2


def _shaped_offset(data: bytes, char: str, vertical: bool, language: str) -> tuple[float, float]:
    """How far, in ems, the ink of ``char`` shaped as the editions shape it is from its cell's centre."""
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    tt = TTFont(io.BytesIO(data), lazy=True)
    face = hb.Face(data)
    font = hb.Font(face)
    buffer = hb.Buffer()
    buffer.add_str(char)
    buffer.guess_segment_properties()
    buffer.direction = "ttb" if vertical else "ltr"
    buffer.language = language
    hb.shape(font, buffer, {})
    (info,) = buffer.glyph_infos
    extents = font.get_glyph_extents(info.codepoint)
    assert extents is not None and extents.width > 0, (char, vertical)
    upm = face.upem
    cx = extents.x_bearing + extents.width / 2
    cy = extents.y_bearing + extents.height / 2  # the height is negative: y grows upwards
    return (cx - font.get_glyph_h_advance(info.codepoint) / 2) / upm, (cy - _em_centre(tt)) / upm


def _programs(pdf: Path) -> dict[str, Any]:
    """The embedded font programs of the PDF by their base font name (with the subset tag)."""
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    found: dict[str, Any] = {}
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
            found[str(font["/BaseFont"]).lstrip("/")] = TTFont(io.BytesIO(program.get_object().get_data()))
    return found


def _drawn_offset(tt: Any, cid: int) -> tuple[float, float]:
    """How far, in ems, the ink of the glyph of CID ``cid`` is from the centre of its cell."""
    from fontTools.pens.boundsPen import BoundsPen

    order = tt.getGlyphOrder()
    name = f"cid{cid:05d}" if f"cid{cid:05d}" in order else order[cid]
    glyphs = tt.getGlyphSet()
    pen = BoundsPen(glyphs)
    glyphs[name].draw(pen)
    assert pen.bounds is not None, name
    x_min, y_min, x_max, y_max = pen.bounds
    upm = tt["head"].unitsPerEm
    advance = tt["hmtx"][name][0]
    return ((x_min + x_max) / 2 - advance / 2) / upm, ((y_min + y_max) / 2 - _em_centre(tt)) / upm


@dataclass(frozen=True)
class Draw:
    """One glyph a PDF's text operators draw: its page, font, CID, text, origin, size and advance."""

    page: int
    font: str
    cid: int
    text: str
    #: Where along its line the glyph's cell starts, in the direction the text advances (turned in 竖排).
    x: float
    #: Which line: the position across the direction of the text.
    y: float
    size: float
    advance: float
    #: The direction the text advances in user space, rounded: (1, 0) for rows, (0, -1) for columns.
    direction: tuple[int, int] = (1, 0)


def _drawn(pdf: Path) -> list[Draw]:
    """Every glyph the PDF draws, placed along and across its line (a 竖排 page draws its lines turned)."""
    from pdfminer.converter import PDFLayoutAnalyzer
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    draws: list[Draw] = []

    class Recorder(PDFLayoutAnalyzer):  # type: ignore[misc]
        page = 0

        def render_char(
            self, matrix: Any, font: Any, fontsize: float, scaling: float, rise: float, cid: int, *rest: Any
        ) -> float:
            advance = float(super().render_char(matrix, font, fontsize, scaling, rise, cid, *rest))
            try:
                text = font.to_unichr(cid)
            except Exception:  # a glyph without text (a turned form the text layer does not map)
                text = ""
            scale = (matrix[0] ** 2 + matrix[1] ** 2) ** 0.5
            ux, uy = matrix[0] / scale, matrix[1] / scale
            along, across = matrix[4] * ux + matrix[5] * uy, matrix[5] * ux - matrix[4] * uy
            direction = (round(ux), round(uy))
            draws.append(Draw(self.page, font.basefont, cid, text, along, across, fontsize * scale, advance, direction))
            return advance

    manager = PDFResourceManager()
    recorder = Recorder(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, recorder)
    with pdf.open("rb") as file:
        for number, page in enumerate(PDFPage.get_pages(file)):
            recorder.page = number
            interpreter.process_page(page)
    return draws


def _rows(draws: list[Draw]) -> Iterator[list[Draw]]:
    """The glyphs of each line of text: same page, baseline and size, left to right, split at column gaps."""
    rows: dict[tuple[int, tuple[int, int], float, float], list[Draw]] = {}
    for d in draws:
        if d.text.strip():
            rows.setdefault((d.page, d.direction, round(d.y, 1), round(d.size, 1)), []).append(d)
    for row in rows.values():
        row.sort(key=lambda d: d.x)
        run = [row[0]]
        for a, b in itertools.pairwise(row):
            if b.x - a.x > 1.6 * a.size:  # a gutter (or a space): the next column's line
                yield run
                run = []
            run.append(b)
        yield run


def _mark_gaps(draws: list[Draw]) -> list[tuple[str, float]]:
    """Each mark followed by a character on its line, and how far on the next one starts, in ems."""
    return [
        (a.text, (b.x - a.x) / a.size)
        for run in _rows(draws)
        for a, b in itertools.pairwise(run)
        if a.text in MARKS and abs(a.size - b.size) < 0.01
    ]


def _trimmed_line_ends(draws: list[Draw]) -> list[tuple[int, str, float]]:
    """Lines ending on a mark whose cell runs past the measure of their column (by more than a fifth of an em).

    A column's measure is where its other lines end: the furthest end of the lines of the same page
    and size that overlap the line and end on no mark. A mark set half-width at a line's end (its
    blank half taken away) lets its cell run half an em past it; a mark kept whole ends on it.
    """
    runs = [run for run in _rows(draws) if len(run) >= 6]
    spans = [(run[0].page, run[0].size, run[0].x, run[-1].x + run[-1].size, run) for run in runs]
    found = []
    for page, size, start, end, run in spans:
        if run[-1].text not in MARKS:
            continue
        measures = [
            e
            for p, z, s, e, other in spans
            if p == page
            and abs(z - size) < 0.01
            and other[-1].text not in MARKS
            and min(end, e) - max(start, s) > 0.5 * (end - start)
        ]
        if measures and (over := (end - max(measures)) / size) > 0.2:
            found.append((page, "".join(d.text for d in run[-6:]), round(over, 2)))
    return found
