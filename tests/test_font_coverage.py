"""Font coverage: which characters of an issue no face of a chain has, read from the faces' own cmaps."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont

from exporter import fonts
from exporter.fonts import Face, Missing, coverage, emoji

SHIPPED = fonts.shipped_fonts_dir() / "ExporterSerifSC-Regular.otf"


def _subset(chars: str, out: Path, pad_to: int = 0) -> Face:
    """A font that has only ``chars`` (and .notdef), padded with zeros at its end to ``pad_to`` bytes."""
    font = TTFont(SHIPPED)
    options = subset.Options()
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    font.save(out)
    size = out.stat().st_size
    if pad_to:
        assert pad_to >= size
        with out.open("ab") as stream:
            stream.write(b"\0" * (pad_to - size))
    return Face("Test", out, 0, 400, "normal", "shipped", True)


@pytest.fixture
def small(tmp_path: Path) -> Face:
    return _subset("一二三 ", tmp_path / "small.otf")


def test_each_missing_character_is_told_once_per_line_in_order(small: Face) -> None:
    lines = [(1, "一四四二五"), (2, "四"), (4, "三三六一")]
    assert coverage(lines, [small]) == [
        Missing("四", "U+56DB", 1),
        Missing("五", "U+4E94", 1),
        Missing("四", "U+56DB", 2),
        Missing("六", "U+516D", 4),
    ]


def test_a_character_after_a_repeated_one_is_still_checked(small: Face) -> None:
    assert coverage([(3, "一一四")], [small]) == [Missing("四", "U+56DB", 3)]


def test_any_face_of_the_chain_may_have_a_character(small: Face, tmp_path: Path) -> None:
    other = _subset("四", tmp_path / "other.otf")
    assert coverage([(1, "一四五")], [small, other]) == [Missing("五", "U+4E94", 1)]
    assert coverage([(1, "一四五")], []) == [Missing(c, f"U+{ord(c):04X}", 1) for c in "一四五"]


@pytest.mark.parametrize(
    "char",
    [
        "\u1680",  # Ogham space mark: white space, in no CJK font
        "\u2028",  # line separator
        "\u200d",  # zero width joiner (a format control)
        "\x07",  # a control character
        "\ufe00",  # VS1
        "\ufe0f",  # VS16
        "\U000e0100",  # VS17
        "\U000e01ef",  # VS256
    ],
)
def test_characters_that_need_no_glyph_are_never_missing(small: Face, char: str) -> None:
    assert coverage([(1, f"一{char}二")], [small]) == []


@pytest.mark.parametrize("char", ["\ufdff", "\ufe10", "\U000e00ff", "\U000e01f0"])
def test_the_neighbours_of_the_variation_selectors_need_their_glyphs(small: Face, char: str) -> None:
    assert coverage([(1, char)], [small]) == [Missing(char, f"U+{ord(char):04X}", 1)]


def test_a_font_file_replaced_in_place_is_read_again(tmp_path: Path) -> None:
    """The cmap cache is keyed by the file's size and time: a replaced font is never answered from it."""
    path = tmp_path / "face.otf"
    first = _subset("一二", tmp_path / "a.otf")
    second = _subset("三四", tmp_path / "b.otf")
    same_size = max(first.path.stat().st_size, second.path.stat().st_size) + 16
    _subset("一二", path, pad_to=same_size)
    face = Face("Test", path, 0, 400, "normal", "shipped", True)
    assert coverage([(1, "一三")], [face]) == [Missing("三", "U+4E09", 1)]
    stamp = path.stat().st_mtime_ns

    _subset("三四", path, pad_to=same_size)  # the same size, a later time
    os.utime(path, ns=(stamp + 10**9, stamp + 10**9))
    assert coverage([(1, "一三")], [face]) == [Missing("一", "U+4E00", 1)]

    _subset("一二", path)  # another size, the same time as the last read
    os.utime(path, ns=(stamp + 10**9, stamp + 10**9))
    assert path.stat().st_size != same_size
    assert coverage([(1, "一三")], [face]) == [Missing("三", "U+4E09", 1)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("今天心情好😀。", ["😀"]),  # shown as emoji by default
        ("爱心❤️一颗", ["❤️"]),  # a text symbol asked to be an emoji by VS16
        ("爱心❤一颗", []),  # the same symbol without VS16 is text
        ("#1 第1名", []),  # digits and # have the Emoji property but are text by default
        ("1️⃣", ["1️"]),  # a keycap: the digit with VS16
        ("☎️和📞", ["☎️", "📞"]),
        ("中文。", []),
    ],
)
def test_emoji_are_found_as_written(text: str, found: list[str]) -> None:
    assert emoji(text) == found
