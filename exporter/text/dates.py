"""Dates as a Chinese newspaper prints them (the long date, the weekday, the lunar date) and as it writes them.

A date written out is read as well: 2026年11月28日, and in Taiwan the Republic of China's (民國) years,
民國115年11月28日 or 一一五年十一月二十八日, the Gregorian year being the ROC year + 1911.
"""

from __future__ import annotations

import datetime as dt
import re

from exporter.text.script import source_script

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


def lunar_date(date: dt.date, language: str = "zh-CN") -> str:
    """The Chinese lunar date as a masthead prints it: 乙巳年十一月初十 (a leap month 闰, in traditional text 閏)."""
    from lunar_python import Solar

    lunar = Solar.fromYmd(date.year, date.month, date.day).getLunar()
    month = lunar.getMonth()
    leap = "閏" if source_script(language) in ("hant", "hk", "tw") else "闰"
    name = (leap if month < 0 else "") + _LUNAR_MONTHS[abs(month) - 1] + "月"
    return f"{lunar.getYearInGanZhi()}年{name}{lunar.getDayInChinese()}"


#: The Republic of China's first year is 1912: the Gregorian year is the ROC year and this.
ROC_OFFSET = 1911
_CN = "〇零一二三四五六七八九十百"
_WRITTEN = re.compile(
    r"^(?P<era>中華民國|中华民国|民國|民国)?\s*"
    rf"(?P<year>[0-9０-９]{{1,4}}|[{_CN}]{{1,6}})\s*年\s*"
    rf"(?P<month>[0-9０-９]{{1,2}}|[{_CN}]{{1,3}})\s*月\s*"
    rf"(?P<day>[0-9０-９]{{1,2}}|[{_CN}]{{1,3}})\s*[日號号]$"
)
_DIGITS = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"〇": 0}


def _chinese_number(text: str) -> int | None:
    """一一五 (digit by digit), 一百一十五, 二十八, 十一: the number, or None when it is none of these."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    if "十" not in text and "百" not in text:
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None:
                return None  # 二三十: two digits before a unit
            digit = _DIGITS[ch]
        else:
            unit = 100 if ch == "百" else 10
            total += (1 if digit is None else digit) * unit
            digit = None
    return total + (digit or 0)


def written_date(text: str, *, roc: bool) -> dt.date | None:
    """The date a written-out date names, or None when ``text`` is not one.

    A year after 民國 or 中華民國 is the ROC's; so is a year of one to three digits when ``roc`` (a Taiwan
    issue). A written date that names no day raises ValueError with what is wrong and how to write it.
    """
    match = _WRITTEN.match(text.strip())
    if not match:
        return None
    year, month, day = (_chinese_number(match.group(k)) for k in ("year", "month", "day"))
    if year is None or month is None or day is None:
        return None
    era = match.group("era")
    if era or year < 1000:
        if not (era or roc):
            raise ValueError(
                f"the year {year} is a year of the Republic of China (民國) only in a Taiwan issue: "
                f"write 民國{year}年{month}月{day}日, or {year + ROC_OFFSET}-{month:02}-{day:02}, "
                "or set `language: zh-TW`"
            )
        if year < 1:
            raise ValueError(
                f"民國 years start at 1 (1912), not {year}: write the year of the issue, such as 民國115年"
            )
        year += ROC_OFFSET
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(
            f"{text.strip()} is no day ({year}-{month:02}-{day:02} in the Gregorian calendar): "
            "write the day the issue was printed, such as 民國115年11月28日 or 2026-11-28"
        ) from None
