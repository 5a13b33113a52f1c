"""How bytes become text, at each boundary: the plausibility score, stray controls, damaged bytes."""

from __future__ import annotations

import pytest

from exporter.errors import InputError
from exporter.parser import source
from exporter.parser.source import _score, _stray_controls, decode

# The ranges a Chinese or Western newspaper's text is made of, first and last code point of each.
RANGES = [(0x20, 0x7E), (0x4E00, 0x9FFF), (0x3000, 0x303F), (0xFF00, 0xFFEF), (0x2000, 0x206F), (0x3400, 0x4DBF)]
RANGES += [(0xA0, 0x24F)]


@pytest.mark.parametrize(("first", "last"), RANGES)
def test_the_score_counts_each_range_to_its_ends_and_no_further(first: int, last: int) -> None:
    assert _score(chr(first)) == 1.0 and _score(chr(last)) == 1.0
    assert _score(chr(first - 1)) == 0.0 and _score(chr(last + 1)) == 0.0  # no range touches another


def test_the_score_is_the_share_of_such_characters() -> None:
    assert _score("") == 0.0
    assert _score("\x01") == 0.0
    assert _score("\t\n\r") == 1.0 and _score("\x0b") == 0.0
    assert _score("中文αβ") == 0.5  # Greek letters are not among them


@pytest.mark.parametrize("codec", ["gb18030", "big5hkscs", "gbk"])
def test_a_few_stray_controls_in_a_chinese_encoding_are_the_files_bytes(codec: str) -> None:
    text = "中" * 50
    assert _stray_controls(text + "\x01" * 8, codec)  # up to 8 in a short text
    assert not _stray_controls(text + "\x01" * 9, codec)
    assert _stray_controls("中" * 1000 + "\x01" * 10, codec)  # or one in a hundred characters
    assert not _stray_controls("中" * 1000 + "\x01" * 11, codec)
    assert not _stray_controls(text + "\x01\x00", codec)  # a NUL is the sign of a wrong encoding


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "hz", "utf-32"])
def test_controls_in_other_encodings_are_the_sign_of_a_wrong_one(codec: str) -> None:
    assert not _stray_controls("中" * 50 + "\x01", codec)


def test_a_text_scoring_exactly_the_threshold_is_taken() -> None:
    text = "中" * 19 + "α"  # 19 of 20 characters: 0.95
    assert _score(text) == 0.95
    decoded = decode(text.encode("gb18030"), "a.md")
    assert (decoded.text, decoded.encoding) == (text, "gb18030")


def test_a_detected_encoding_keeps_leading_blank_lines_and_drops_a_bom() -> None:
    text = "\n\n## 标题\n\n国家发展改革委员会今天宣布新的政策措施。\n"
    decoded = decode(text.encode("gb18030"), "a.md")
    assert decoded.text == text
    with_bom = decode("\ufeff".encode("gb18030") + text.encode("gb18030"), "a.md")
    assert with_bom.text == text


def test_every_encoding_told_has_its_name() -> None:
    assert {codec: source._note(codec)[0].message for codec in ("gb18030", "big5hkscs", "cp950", "hz")} == {
        "gb18030": "the file is not UTF-8; it was decoded as GB18030/GBK: save it as UTF-8 to be sure",
        "big5hkscs": "the file is not UTF-8; it was decoded as Big5: save it as UTF-8 to be sure",
        "cp950": "the file is not UTF-8; it was decoded as Big5: save it as UTF-8 to be sure",
        "hz": "the file is not UTF-8; it was decoded as HZ: save it as UTF-8 to be sure",
    }


def _damaged(data: bytes) -> str:
    with pytest.raises(InputError) as caught:
        decode(data, "a.md")
    return str(caught.value)


FIX = "retype the text there or save the file as UTF-8 again"


@pytest.mark.parametrize("end", [b"\n", b"\r\n", b"\r"])
def test_a_damaged_byte_is_told_on_its_line_with_what_comes_before_it(end: bytes) -> None:
    data = end.join(line.encode() for line in ["## 标题", "", "ab"]) + b"\xff" + end
    assert _damaged(data) == f"a.md:3: error: the file is UTF-8 but has 1 damaged byte (the first after …ab): {FIX}"


def test_the_context_is_at_most_eight_characters_of_its_line() -> None:
    line1 = "一二三四五六七八九十".encode()
    assert (
        _damaged(line1 + b"\xff\n")
        == f"a.md:1: error: the file is UTF-8 but has 1 damaged byte (the first after …三四五六七八九十): {FIX}"
    )
    assert _damaged(b"\n" + "正文".encode() + b"\xff\n") == (
        f"a.md:2: error: the file is UTF-8 but has 1 damaged byte (the first after …正文): {FIX}"
    )
    assert _damaged("甲乙".encode() + b"\x0b" + "丙丁".encode() + b"\xff\n") == (
        f"a.md:1: error: the file is UTF-8 but has 1 damaged byte (the first after …丙丁): {FIX}"
    )


def test_damaged_bytes_up_to_one_in_a_hundred_characters_are_told_as_damage() -> None:
    text = "中" * 990
    ten = text.encode() + b"\xff" * 10 + b"\n"  # 1001 characters once decoded, ten of them damaged
    assert _damaged(ten).startswith("a.md:1: error: the file is UTF-8 but has 10 damaged bytes (the first after")
    eleven = text.encode() + b"\xff" * 12 + b"\n"
    assert _damaged(eleven).startswith("a.md: error: the file is neither UTF-8 nor a Chinese encoding")
