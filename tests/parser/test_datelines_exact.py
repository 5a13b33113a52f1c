"""Datelines read exactly: every field of a match, the numbers Chinese papers write, the days at each limit."""

from __future__ import annotations

import pytest

from exporter.model import Credit
from exporter.parser.datelines import Match, find


@pytest.mark.parametrize(
    ("text", "match"),
    [
        # end is where the text begins: past the raw dateline and the one space after it; then the word that
        # ends it and the reporters of its credit.
        ("本报12月29日讯 29日下午", Match("本报12月29日讯", "本报", None, 12, 29, 10, "讯")),
        (
            "新华社北京12月29日电\u3000记者从市教育局获悉",
            Match("新华社北京12月29日电", "新华社", "北京", 12, 29, 13, "电"),
        ),
        ("本报青岛1月1日讯\t近日", Match("本报青岛1月1日讯", "本报", "青岛", 1, 1, 10, "讯")),
        (
            "本报讯（记者 王萌）近日",
            Match("本报讯（记者 王萌）", "本报", None, None, None, 10, "讯", (Credit("记者", ("王萌",)),)),
        ),
        (
            "人民网北京12月29日电(记者 李青健) 近日",
            Match(
                "人民网北京12月29日电(记者 李青健)", "人民网", "北京", 12, 29, 21, "电", (Credit("记者", ("李青健",)),)
            ),
        ),
        # Any outlet of up to six characters ending in 社, 网, 台 or 报 is a source.
        ("青岛日报12月1日讯 近日", Match("青岛日报12月1日讯", "青岛日报", None, 12, 1, 11, "讯")),
        # A dateline alone is all raw: nothing follows it.
        ("本报讯", Match("本报讯", "本报", None, None, None, 3, "讯")),
    ],
)
def test_a_whole_match(text: str, match: Match) -> None:
    assert find(text) == match


def test_only_the_spaces_right_after_the_dateline_are_skipped() -> None:
    # The text may begin with a letter: X光 (X-ray) is not a space.
    text = "本报讯 X光机进社区"
    match = find(text)
    assert match == Match("本报讯", "本报", None, None, None, 4, "讯")
    assert text[match.end :] == "X光机进社区"
    text = "本报讯 \u3000\t 近日"
    assert find(text) == Match("本报讯", "本报", None, None, None, 7, "讯")


@pytest.mark.parametrize(
    ("text", "month", "day"),
    [
        # Chinese numerals as papers write dates: 十 is ten, 十五 ten and five, 二十 two tens, 二十九 and 三十一.
        ("本报十月十日讯", 10, 10),
        ("本报九月二十日讯", 9, 20),
        ("本报五月十五日讯", 5, 15),
        ("本报一月三十一日讯", 1, 31),
        ("本报十一月二十九日讯", 11, 29),
        ("本报十二月一日讯", 12, 1),
        # Full-width digits, as an IME types them.
        ("本报１月９日讯", 1, 9),
        ("本报１０月３０日讯", 10, 30),
    ],
)
def test_numbers_of_a_date(text: str, month: int, day: int) -> None:
    match = find(text)
    assert match is not None
    assert (match.source, match.place, match.month, match.day, match.end) == ("本报", None, month, day, len(text))


@pytest.mark.parametrize(
    ("text", "month", "day"),
    [("本报1月1日讯", 1, 1), ("本报12月31日讯", 12, 31), ("本报十二月三十一日讯", 12, 31)],
)
def test_the_first_and_last_month_and_day_are_dates(text: str, month: int, day: int) -> None:
    match = find(text)
    assert match is not None and (match.month, match.day) == (month, day)


@pytest.mark.parametrize("text", ["本报0月5日讯", "本报13月5日讯", "本报5月0日讯", "本报5月32日讯", "本报十三月五日讯"])
def test_a_month_or_day_past_the_limits_is_no_dateline(text: str) -> None:
    assert find(text) is None


@pytest.mark.parametrize(
    ("text", "source", "raw"),
    [
        # 本报 opens only a dateline, with or without a date.
        ("本报北京电 近日", "本报", "本报北京电"),
        ("本报电 近日", "本报", "本报电"),
        # Another source's 电 needs a date or a credit; its 讯 does not.
        ("新华社12月29日电 近日", "新华社", "新华社12月29日电"),
        ("新华社电（记者 王萌）近日", "新华社", "新华社电（记者 王萌）"),
        ("新华社讯 近日", "新华社", "新华社讯"),
    ],
)
def test_a_dateline_with_dian(text: str, source: str, raw: str) -> None:
    match = find(text)
    assert match is not None and (match.source, match.raw) == (source, raw)


@pytest.mark.parametrize("text", ["新华社电 近日", "中新网电 近日", "新华社北京电 近日"])
def test_another_sources_dian_with_neither_date_nor_credit_is_a_sentence(text: str) -> None:
    assert find(text) is None
