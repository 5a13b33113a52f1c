"""The long date, weekday and lunar date as a masthead prints them."""

from __future__ import annotations

import datetime as dt

import pytest

from exporter.text.dates import long_date, lunar_date, weekday

DAY = dt.date(2025, 12, 30)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-CN", "2025年12月30日"), ("zh-TW", "2025年12月30日"), ("ja", "2025年12月30日"), ("en", "30 December 2025")],
)
def test_the_long_date_is_chinese_for_chinese_and_japanese(language: str, expected: str) -> None:
    assert long_date(DAY, language) == expected


def test_the_long_date_has_no_leading_zeros() -> None:
    assert long_date(dt.date(2026, 1, 5), "zh-CN") == "2026年1月5日"
    assert long_date(dt.date(2026, 1, 5), "en-GB") == "5 January 2026"


def test_weekday_and_lunar_date() -> None:
    assert (weekday(DAY, "zh-HK"), weekday(DAY, "en"), weekday(DAY, "ja")) == ("星期二", "Tuesday", "Tuesday")
    assert lunar_date(DAY) == "乙巳年十一月十一"
