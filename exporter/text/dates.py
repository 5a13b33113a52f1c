"""Dates as a Chinese newspaper prints them: the long date, the weekday and the lunar date."""

from __future__ import annotations

import datetime as dt

WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_LUNAR_MONTHS = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")


def long_date(date: dt.date, language: str) -> str:
    """The date as a masthead prints it: 2025年12月30日, or 30 December 2025."""
    if language.startswith(("zh", "ja")):
        return f"{date.year}年{date.month}月{date.day}日"
    return f"{date.day} {date.strftime('%B')} {date.year}"


def weekday(date: dt.date, language: str) -> str:
    """The weekday in the issue's language (星期二, or Tuesday)."""
    if language.startswith("zh"):
        return WEEKDAYS_ZH[date.weekday()]
    return date.strftime("%A")


def _traditional(language: str) -> bool:
    """Whether a language tag writes Chinese in traditional characters (zh-Hant, zh-HK, zh-MO, zh-TW)."""
    subtags = language.lower().split("-")
    return subtags[0] == "zh" and ("hant" in subtags or subtags[-1] in ("hk", "mo", "tw"))


def lunar_date(date: dt.date, language: str = "zh-CN") -> str:
    """The Chinese lunar date as a masthead prints it: 乙巳年十一月初十 (a leap month 闰, in traditional text 閏)."""
    from lunar_python import Solar

    lunar = Solar.fromYmd(date.year, date.month, date.day).getLunar()
    month = lunar.getMonth()
    leap = "閏" if _traditional(language) else "闰"
    name = (leap if month < 0 else "") + _LUNAR_MONTHS[abs(month) - 1] + "月"
    return f"{lunar.getYearInGanZhi()}年{name}{lunar.getDayInChinese()}"
