"""The EPUB cover: a 1600×2560 JPEG of masthead, dates and headlines, the same bytes every time.

Needs Debian's fonts-noto-cjk for the vertical punctuation forms and the traditional characters
that the shipped GB 2312 fonts lack.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops

from exporter import Issue, parse
from exporter.editions.epub.cover import HEIGHT, WIDTH, render_cover
from exporter.editions.epub.cover.setting import _Faces, _Setter, _Style
from exporter.errors import FontError
from exporter.theming import Theme, load
from tests import fontreads

ACCENT = (0xA4, 0x16, 0x1A)
TRADITIONAL = """---
title: 青島日報
date: 2025-12-29
number: 25318
edition: 今日16版
publisher: 青島日報社
language: zh-TW
---

## 「十五五」開局之年

# 臺灣同胞赴青參訪：《海峽兩岸》論壇（第十屆）開幕——兩岸青年共話5G與AI產業合作

本報訊 記者報道。

## 國際級港口群建設提速 2025年吞吐量創新高

本報訊 正文。
"""


@pytest.fixture(scope="module")
def classic() -> Theme:
    return load("classic")


@pytest.fixture(scope="module")
def vertical() -> Theme:
    return load("vertical")


@pytest.fixture(scope="module")
def covers(sample: Issue, classic: Theme, vertical: Theme) -> dict[str, bytes]:
    return {"classic": render_cover(sample, classic), "vertical": render_cover(sample, vertical)}


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


@pytest.mark.parametrize("theme", ["classic", "vertical"])
def test_a_baseline_jpeg_of_the_cover_size(covers: dict[str, bytes], theme: str) -> None:
    data = covers[theme]
    assert data[:3] == b"\xff\xd8\xff"
    assert data[-2:] == b"\xff\xd9"
    image = _image(data)
    assert image.format == "JPEG"
    assert image.size == (WIDTH, HEIGHT) == (1600, 2560)
    assert image.mode == "RGB"
    assert not image.info.get("progressive") and not image.info.get("progression")
    assert "exif" not in image.info
    assert b"Exif" not in data[:200]


@pytest.mark.parametrize("theme", ["classic", "vertical"])
def test_the_same_issue_gives_the_same_bytes(sample: Issue, covers: dict[str, bytes], theme: str) -> None:
    again = render_cover(sample, load(theme))
    assert again == covers[theme]


@pytest.mark.parametrize("theme", ["classic", "vertical"])
def test_paper_masthead_in_the_accent_colour_and_dark_text(covers: dict[str, bytes], theme: str) -> None:
    image = _image(covers[theme]).resize((400, 640))  # averaging keeps the colours, counting gets quick
    total = 400 * 640
    paper = image.getpixel((5, 5))
    assert isinstance(paper, tuple)
    assert all(abs(a - b) <= 4 for a, b in zip(paper, (0xFD, 0xFC, 0xF8), strict=True))
    assert _count(image, ACCENT) > total * 0.015  # the masthead and the rules
    dark = sum(image.convert("L").histogram()[:90])
    assert dark > total * 0.02  # the headlines


def test_vertical_and_classic_differ_where_the_masthead_stands(covers: dict[str, bytes]) -> None:
    assert covers["classic"] != covers["vertical"]
    classic, vertical = _image(covers["classic"]), _image(covers["vertical"])
    # Classic: the name across the top. Vertical: the name down the right-hand side.
    top_band = (120, 160, 1000, 430)
    right_column = (1160, 900, 1460, 1300)
    assert _count(classic, ACCENT, top_band) > 5 * _count(vertical, ACCENT, top_band)
    assert _count(vertical, ACCENT, right_column) > 5 * max(1, _count(classic, ACCENT, right_column))


def test_traditional_title_and_headline_come_from_the_fallback_faces(classic: Theme, vertical: Theme) -> None:
    issue = parse(TRADITIONAL)
    assert issue.masthead.title == "青島日報"
    for theme in (classic, vertical):
        image = _image(render_cover(issue, theme))
        assert image.size == (WIDTH, HEIGHT)
    faces = _Faces(classic, "zh-TW")
    setter = _Setter(faces, _Style("headline", 700, 100, (0, 0, 0)), vertical=False)
    for char in "臺灣島報":
        (unit,) = setter.units(char)
        (piece,) = unit.pieces
        assert piece.face is not None and piece.face.source == "system", char
    # A Taiwan issue's cover is in the Taiwan face, GB 2312's characters too; a mainland one in the shipped face.
    (unit,) = setter.units("国")
    assert unit.pieces[0].face is not None and unit.pieces[0].face.family == "Noto Sans CJK TC"
    mainland = _Setter(_Faces(classic, "zh-CN"), _Style("headline", 700, 100, (0, 0, 0)), vertical=False)
    (unit,) = mainland.units("国")
    assert unit.pieces[0].face is not None and unit.pieces[0].face.source == "shipped"


def test_vertical_punctuation_takes_its_vertical_forms(vertical: Theme) -> None:
    faces = _Faces(vertical, "zh-CN")
    setter = _Setter(faces, _Style("headline", 700, 100, (0, 0, 0)), vertical=True)
    text = "".join(p.text for u in setter.units("“新局”（一）《二》，三。") for p in u.pieces)
    assert text == "﹁新局﹂︵一︶︽二︾︐三︒"
    kinds = [p.kind for u in setter.units("资金15亿元 5G 2025年") for p in u.pieces]
    assert kinds == ["upright", "upright", "tcy", "upright", "upright", "space", "turned", "space", "turned", "upright"]


def test_a_character_in_no_font_is_an_error_not_a_blank_box(classic: Theme) -> None:
    issue = parse("---\ntitle: 滨海日报\ndate: 2026-03-18\n---\n\n## 生僻字\U0002a6d6的标题\n\n本报讯 正文。\n")
    with pytest.raises(FontError, match="U\\+2A6D6"):
        render_cover(issue, classic)


def test_an_issue_without_title_or_date_still_gets_a_cover(classic: Theme, vertical: Theme) -> None:
    issue = parse("## 孤零零的一篇\n\n没有报名，也没有日期。\n")
    for theme in (classic, vertical):
        assert _image(render_cover(issue, theme)).size == (WIDTH, HEIGHT)


def test_long_headlines_are_cut_with_an_ellipsis_not_clipped(classic: Theme) -> None:
    long = "很长" * 120
    issue = parse(f"---\ntitle: 滨海日报\ndate: 2026-03-18\n---\n\n## {long}\n\n本报讯 正文。\n")
    faces = _Faces(classic, "zh-CN")
    setter = _Setter(faces, _Style("headline", 700, 84, (0, 0, 0)), vertical=False)
    lines = setter.lines(long, 1360, 4)
    assert len(lines) == 4
    assert lines[-1][-1].text == "……"
    assert all(sum(u.advance for u in line) * 84 <= 1360 for line in lines)
    render_cover(issue, classic)


def test_lines_break_after_punctuation_when_they_can(classic: Theme) -> None:
    faces = _Faces(classic, "zh-CN")
    setter = _Setter(faces, _Style("body", 400, 40, (0, 0, 0)), vertical=False)
    lines = setter.lines("——首批集装箱船今晨靠泊，全年预计新增吞吐量二十万标箱", 800, 2)
    texts = ["".join(u.text for u in line) for line in lines]
    assert texts == ["——首批集装箱船今晨靠泊，", "全年预计新增吞吐量二十万标箱"]


def test_a_second_cover_reads_no_font_again_and_opens_each_pillow_font_once(
    sample: Issue, classic: Theme, vertical: Theme
) -> None:
    """What keeps a cover well under two seconds (timed in benchmarks/fonts_and_cover.py), counted instead of timed.

    Font files are scanned, fontconfig asked and cmaps read once per process; within a cover each
    Pillow font is opened once per face and size.
    """
    fontreads.assert_second_cover_reads_no_font(sample, (classic, vertical))
