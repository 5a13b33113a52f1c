"""The vertical (竖排) print edition, read back: turned pages, text in reading order, fonts, outline."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from exporter import Issue
from exporter.pipeline import build

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "binhai-daily.md"


@pytest.fixture(scope="module")
def vertical(tmp_path_factory: pytest.TempPathFactory, sample_path: Path) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("vpdf")
    cache = tmp_path_factory.mktemp("cache")
    found = {}
    for source in (sample_path, EXAMPLE):
        (built,) = build(source, ["pdf"], theme="vertical", out=out, cache_dir=cache)
        found[source.stem] = built.path
    return found


def raw_text(pdf: Path) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is not installed: run ./dev test"
    return subprocess.run(
        [tool, "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pages_are_portrait_after_the_turn(vertical: dict[str, Path]) -> None:
    reader = PdfReader(vertical["qingdao-daily-excerpt"])
    assert len(reader.pages) >= 3
    for page in reader.pages:
        box = page.mediabox
        assert page.rotation == 90
        assert float(box.width) > float(box.height)  # laid out sideways, shown upright


def test_text_layer_reads_in_order(vertical: dict[str, Path], sample: Issue) -> None:
    text = re.sub(r"\s+", "", raw_text(vertical["qingdao-daily-excerpt"]))
    text = re.sub(r"青岛日报2025年12月29日\d+", "", text)
    position = 0
    # The issue's own characters, its curly quotes among them: the page shows them as 「」『』.
    assert "“" in "".join(p.text for a in sample.articles for p in a.paragraphs)
    for article in sample.articles:
        for paragraph in article.paragraphs:
            for piece in re.findall(r".{1,12}", re.sub(r"\s+", "", paragraph.text)):
                found = text.find(piece, position)
                assert found >= 0, (article.id, piece)
                position = found + len(piece)


def test_every_font_is_turned(vertical: dict[str, Path], sample: Issue) -> None:
    """Every embedded font is a rotated one, and has every upright character of the issue."""
    import io

    from fontTools.ttLib import TTFont

    from exporter.fonts.orientation import upright

    covered: set[int] = set()
    reader = PdfReader(vertical["qingdao-daily-excerpt"])
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = TTFont(io.BytesIO(descriptor["/FontFile3"].get_object().get_data()))
            names.add(program["name"].getDebugName(6))
            covered.update(program.getBestCmap() or {})
    # The rotated fonts only: tate-chu-yoko digits and corner quotes are glyphs of theirs.
    assert names and all(name.endswith("-Rotated") for name in names), names
    text = "".join(t for _, t in sample.texts())
    upright_chars = {ord(ch) for ch in text if upright(ch)}
    # pypdf reads the subset fonts WeasyPrint embeds; their cmaps name what they can draw.
    missing = sorted(chr(cp) for cp in upright_chars - covered)
    assert missing == []


def test_outline_and_links_go_to_the_right_pages(vertical: dict[str, Path], example: Issue) -> None:
    reader = PdfReader(vertical["binhai-daily"])
    flat = []
    for item in reader.outline:
        if isinstance(item, list):
            flat += item
    titles = [item.title for item in flat]
    assert titles == [" ".join(a.headline_lines) for a in example.articles]
    pages = [reader.get_destination_page_number(item) for item in flat]
    assert pages == sorted(pages)
    raw = raw_text(vertical["binhai-daily"]).split("\f")
    for item, page in zip(flat, pages, strict=True):
        assert item.title.split(" ")[0] in re.sub(r"\s+", "", raw[page])
    links = [a.get_object() for a in reader.pages[0].get("/Annots", []) if a.get_object()["/Subtype"] == "/Link"]
    assert len(links) >= len(example.articles)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # still a tagged PDF after the turn


def test_two_builds_are_byte_identical(tmp_path: Path, vertical: dict[str, Path]) -> None:
    (again,) = build(EXAMPLE, ["pdf"], theme="vertical", out=tmp_path, cache_dir=tmp_path / "cache")
    assert again.path.read_bytes() == vertical["binhai-daily"].read_bytes()
