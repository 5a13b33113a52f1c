"""Bylines read exactly: every field of a byline, names paired or kept whole, photo credits to the letter."""

from __future__ import annotations

import pytest

from exporter.model import Byline, Credit
from exporter.parser.bylines import credits, filed, is_byline, parse_byline, photo_credits, split_photo_credit


@pytest.mark.parametrize("text", ["", "   ", "\u3000\u3000"])
def test_an_empty_line_is_no_byline(text: str) -> None:
    assert is_byline(text) is False


@pytest.mark.parametrize("text", ["□本报记者 王萌", "★记者 王萌", "◎通讯员 李青健"])
def test_a_line_opened_by_a_mark_is_a_byline(text: str) -> None:
    # The mark is the line's first character; a credit word after it does not start the line.
    assert is_byline(text) is True


@pytest.mark.parametrize(
    "text",
    [
        # A credit word inside a line, with no filing place at its end: a headline, not a byline.
        "庆祝第二十六个记者节",
        # A filing place with no credit word before it names no reporter.
        "王小明／臺北報導",
    ],
)
def test_a_credit_word_or_a_filing_place_alone_inside_a_line_is_no_byline(text: str) -> None:
    assert is_byline(text) is False


def test_an_outlet_and_a_filing_place_around_a_credit_word_make_a_byline() -> None:
    assert is_byline("聯合報記者王小明／臺北報導") is True


def test_a_whole_byline_with_three_credits() -> None:
    # Each credit runs from its word to the next credit word; the last to the end of the line.
    assert parse_byline("□本报记者 王萌 通讯员 李青健 实习生 何田田", 4) == Byline(
        "□本报记者 王萌 通讯员 李青健 实习生 何田田",
        None,
        (Credit("本报记者", ("王萌",)), Credit("通讯员", ("李青健",)), Credit("实习生", ("何田田",))),
        4,
        None,
        None,
    )


@pytest.mark.parametrize("slash", ["/", "／"])
def test_a_slash_between_the_outlet_and_the_credit_word_is_not_the_outlets(slash: str) -> None:
    assert parse_byline(f"大众日报{slash}记者 王萌", 2) == Byline(
        f"大众日报{slash}记者 王萌", "大众日报", (Credit("记者", ("王萌",)),), 2, None, None
    )


def test_the_outlet_loses_only_the_slashes_at_its_end() -> None:
    # An outlet's own letters stay, whatever they are (TechX ends in X).
    assert credits("TechX／记者 王萌") == ("TechX", (Credit("记者", ("王萌",)),))


def test_a_whole_taiwan_byline_with_an_outlet_and_where_it_was_filed() -> None:
    assert parse_byline("  聯合報記者王小明／臺北報導  ", 9) == Byline(
        "聯合報記者王小明／臺北報導", "聯合報", (Credit("記者", ("王小明",)),), 9, "臺北", "報導"
    )


def test_a_mark_alone_is_a_byline_with_no_credits() -> None:
    assert parse_byline("□", 3) == Byline("□", None, (), 3, None, None)
    assert credits("") == (None, ())
    assert credits(" \u3000 ") == (None, ())


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # A Latin name goes on over spaces; a Chinese name after it is a name of its own.
        ("记者 John Smith 曹 森", ("John Smith", "曹森")),
        # Two single characters after a Chinese name pair into one; a Latin name after them is new.
        ("记者 曹 森 John Smith", ("曹森", "John Smith")),
        ("记者 王萌 John Smith", ("王萌", "John Smith")),
        # A Latin name whose second letter is an apostrophe is still a Latin name.
        ("记者 John O'Brien", ("John O'Brien",)),
        # 等 (and others) ends many bylines; with no single character after it, it stays a token of its own.
        ("记者 王萌 李青健 等", ("王萌", "李青健", "等")),
        # A single character before a Latin name does not pair with its first letter.
        ("记者 李德银 王 A", ("李德银", "王", "A")),
    ],
)
def test_names_paired_or_kept_whole(text: str, names: tuple[str, ...]) -> None:
    assert parse_byline(text, 1).credits == (Credit("记者", names),)


def test_filed_takes_the_place_and_the_word_off_the_end() -> None:
    assert filed("記者 鄭雅文 ／ 臺南報導") == ("記者 鄭雅文", "臺南", "報導")
    assert filed("记者 王萌\u3000青岛报道") == ("记者 王萌", "青岛", "报道")
    assert filed("中央社記者陳家倫／電") == ("中央社記者陳家倫", None, "電")
    assert filed("记者 王萌") == ("记者 王萌", None, None)


@pytest.mark.parametrize(
    ("caption", "text", "credit"),
    [
        # A credit with no credit word is still one when it ends with 摄 (took the photo) or 供图 (gave it).
        ("会场一角（王萌 摄）", "会场一角", "王萌 摄"),
        ("港口夜景（鄭雅文 攝）", "港口夜景", "鄭雅文 攝"),
        ("港口夜景（受訪者供圖）", "港口夜景", "受訪者供圖"),
        ("港口夜景 （ 受访者供图 ） ", "港口夜景", "受访者供图"),
        ("会场一角（图/王萌）", "会场一角", "图/王萌"),
        ("会场一角（新华社发）", "会场一角", "新华社发"),
        ("会场一角（新華社發）", "会场一角", "新華社發"),
        ("会场一角（图片由主办方提供）", "会场一角", "图片由主办方提供"),
        ("会场一角（圖片由主辦方提供）", "会场一角", "圖片由主辦方提供"),
        ("会场一角（王萌）", "会场一角（王萌）", None),
    ],
)
def test_a_photo_credit_is_known_by_its_last_or_first_words(caption: str, text: str, credit: str | None) -> None:
    assert split_photo_credit(caption) == (text, credit)


@pytest.mark.parametrize(
    ("inner", "found"),
    [
        ("受访者供图", (Credit("", ("受访者",)),)),
        ("受訪者供圖", (Credit("", ("受訪者",)),)),
        ("王萌 攝", (Credit("", ("王萌",)),)),
        # The outlet before the credit word is not a credit of the photo.
        ("新华社记者 王萌 摄", (Credit("记者", ("王萌",)),)),
        ("新华社发", (Credit("", ("新华社发",)),)),
        ("摄", ()),
    ],
)
def test_photo_credits_exactly(inner: str, found: tuple[Credit, ...]) -> None:
    assert photo_credits(inner) == found
