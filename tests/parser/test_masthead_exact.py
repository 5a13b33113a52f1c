"""The masthead built exactly: every field, every finding written out whole, the year and the day at their limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from exporter.diagnostics import Diagnostic
from exporter.model import Article, Byline, Dateline, Masthead
from exporter.parser import parse
from exporter.parser.masthead import build
from exporter.text.dates import lunar_date, weekday

TITLE_MISSING = Diagnostic(
    1, "title-missing", "warning", "the paper's name is unknown: set `title:` in the front matter"
)
DATE_MISSING = "the issue date could not be inferred: set `date:` (such as 2025-12-30) in the front matter"


def article(n: int, outlets: Sequence[tuple[str | None, int]] = (), dateline: Dateline | None = None) -> Article:
    """Article ``n`` with a byline naming each outlet on its line, and a dateline."""
    bylines = tuple(Byline(f"{o or ''}记者 王萌", o, (), line) for o, line in outlets)
    return Article(f"a{n}", f"标题{n}", (f"标题{n}",), 10 * n, bylines=bylines, dateline=dateline)


def dated(month: int | None, day: int | None, line: int) -> Dateline:
    raw = f"本报{month}月{day}日讯" if month and day else "本报讯"
    return Dateline(raw, "本报", None, month, day, line)


def title_inferred(name: str, count: int, line: int) -> Diagnostic:
    bylines = "byline" if count == 1 else "bylines"
    return Diagnostic(
        line,
        "title-inferred",
        "warning",
        f"the paper's name was inferred as {name} from {count} {bylines}: "
        f"set `title: {name}` in the front matter to be sure",
    )


def date_inferred(date: str, raw: str, line: int) -> Diagnostic:
    return Diagnostic(
        line,
        "date-inferred",
        "warning",
        f"the issue date was inferred as {date} from the dateline {raw} and the years the text names: "
        f"set `date: {date}` (or the day it was printed) in the front matter",
    )


def test_every_front_matter_value_goes_to_its_field() -> None:
    values = {
        "title": "青岛日报",
        "date": dt.date(2025, 12, 30),
        "number": "第25000号",
        "edition": "A1",
        "publisher": "青岛日报社",
        "identifier": "CN37-0001",
        "editor": "王萌",
        "theme": "classic",
        "mascot": "海鸥",
    }
    head, notes = build(values, [], "", "zh-CN")
    assert head == Masthead(
        title="青岛日报",
        date=dt.date(2025, 12, 30),
        weekday="星期二",
        lunar_date="乙巳年十一月十一",
        number="第25000号",
        edition="A1",
        publisher="青岛日报社",
        language="zh-CN",
        identifier="CN37-0001",
        editor="王萌",
        theme="classic",
        inferred=(),
    )
    # Keys exporter does not know go to the theme as they are.
    assert dict(head.extra) == {"mascot": "海鸥"}
    assert notes == []


def test_the_front_matter_keys_lines_go_to_the_masthead_as_given() -> None:
    """Masthead.lines is left out of equality, so it is checked on its own: errors about a value name its line."""
    lines = {"title": 2, "date": 3}
    head, _ = build({"title": "青岛日报", "date": dt.date(2025, 12, 30)}, [], "", "zh-CN", lines)
    assert dict(head.lines) == {"title": 2, "date": 3}
    lines["title"] = 9
    assert head.lines["title"] == 2
    assert dict(build({"title": "青岛日报"}, [], "", "zh-CN")[0].lines) == {}


def test_the_issues_language_decides_the_weekday_and_the_lunar_date() -> None:
    """build is given the issue's language as parse decided it (the front matter's wins: tests/parser/test_entry.py)."""
    head, _ = build({"title": "Harbour Daily", "date": dt.date(2025, 12, 30), "language": "en"}, [], "", "en")
    assert (head.language, head.weekday, head.lunar_date) == ("en", "Tuesday", None)
    assert dict(head.extra) == {}
    english = parse("---\ntitle: Harbour Daily\ndate: 2025-12-30\nlanguage: en\n---\n\n## 标题\n\n正文。\n")
    assert (english.masthead.language, english.masthead.weekday, english.masthead.lunar_date) == ("en", "Tuesday", None)


def test_a_taiwan_issue_has_a_chinese_weekday_and_lunar_date() -> None:
    head, _ = build({"title": "聯合報", "date": dt.date(2025, 12, 30)}, [], "", "zh-TW")
    assert (head.language, head.weekday, head.lunar_date) == ("zh-TW", "星期二", "乙巳年十一月十一")


def test_nothing_to_go_on_means_two_findings_and_an_empty_masthead() -> None:
    head, notes = build({}, [article(1)], "2025年", "zh-CN")
    assert head == Masthead(language="zh-CN")
    assert notes == [TITLE_MISSING, Diagnostic(1, "date-missing", "warning", DATE_MISSING)]


def test_an_empty_title_is_inferred() -> None:
    head, notes = build({"title": "", "date": dt.date(2025, 12, 30)}, [article(1, [("滨海日报", 3)])], "", "zh-CN")
    assert (head.title, head.inferred) == ("滨海日报", ("title",))
    assert notes == [title_inferred("滨海日报", 1, 3)]


def test_the_title_is_the_outlet_most_bylines_name_at_its_first_byline() -> None:
    articles = [
        article(1, [("大众日报", 3)]),
        # The first of two outlets written with a slash is the paper; 观海新闻 is its news site.
        article(2, [("青岛日报/观海新闻", 13), ("青岛日报／观海新闻", 15)]),
        article(3, [(" 青岛日报 ", 23), ("本报", 24), ("本报/观海新闻", 25), ("/观海新闻", 26), (None, 27)]),
    ]
    head, notes = build({"date": dt.date(2025, 12, 30)}, articles, "", "zh-CN")
    assert (head.title, head.inferred) == ("青岛日报", ("title",))
    assert notes == [title_inferred("青岛日报", 3, 13)]


def test_two_bylines_are_counted_in_the_plural() -> None:
    articles = [article(1, [("青岛日报", 3)]), article(2, [("青岛日报/观海新闻", 13)])]
    _, notes = build({"date": dt.date(2025, 12, 30)}, articles, "", "zh-CN")
    assert notes == [title_inferred("青岛日报", 2, 3)]
    assert notes[0].message.startswith("the paper's name was inferred as 青岛日报 from 2 bylines: ")


def test_of_two_outlets_named_as_often_the_first_named_wins() -> None:
    articles = [article(1, [("大众日报", 3)]), article(2, [("青岛日报", 13)])]
    head, notes = build({"date": dt.date(2025, 12, 30)}, articles, "", "zh-CN")
    assert head.title == "大众日报"
    assert notes == [title_inferred("大众日报", 1, 3)]


def test_bylines_naming_only_this_paper_leave_the_title_unknown() -> None:
    head, notes = build({"date": dt.date(2025, 12, 30)}, [article(1, [("本报", 3), ("/观海新闻", 4)])], "", "zh-CN")
    assert head.title is None and head.inferred == ()
    assert notes == [TITLE_MISSING]


def test_the_date_is_the_most_frequent_datelines_in_the_year_the_text_names() -> None:
    articles = [article(1, dateline=dated(12, 28, 4)), article(2, dateline=dated(12, 29, 14))]
    articles += [article(3, dateline=dated(12, 28, 24)), article(4, dateline=dated(None, None, 34))]
    head, notes = build({"title": "青岛日报"}, articles, "2025年全市工作会议", "zh-CN")
    assert head == Masthead(
        title="青岛日报",
        date=dt.date(2025, 12, 28),
        weekday="星期日",
        lunar_date="乙巳年十一月初九",
        inferred=("date",),
    )
    assert notes == [date_inferred("2025-12-28", "本报12月28日讯", 4)]


def test_of_datelines_as_frequent_the_latest_day_wins() -> None:
    articles = [article(1, dateline=dated(12, 28, 4)), article(2, dateline=dated(12, 29, 14))]
    articles += [article(3, dateline=dated(1, 2, 24))]
    head, notes = build({"title": "青岛日报"}, articles, "2025年", "zh-CN")
    assert head.date == dt.date(2025, 12, 29)
    assert notes == [date_inferred("2025-12-29", "本报12月29日讯", 14)]


@pytest.mark.parametrize(
    ("month", "day", "body", "year"),
    [
        # From July on, a paper naming this year and the next speaks of next year's plans: this year is the earlier.
        (7, 1, "2025年成绩，2026年计划", 2025),
        (12, 31, "2026年计划，2025年成绩", 2025),
        # Before July it speaks of last year's results: this year is the later.
        (6, 30, "2025年成绩，2026年计划", 2026),
        (1, 5, "2025年成绩，2026年开局", 2026),
        # Late in a year naming only the next year, and naming years far apart: the latest.
        (12, 29, "2026年计划", 2026),
        (12, 29, "2024年以来，2026年计划", 2026),
        # A year is four digits from 1900 to 2099 standing alone before 年.
        (12, 29, "2025年，12026年，2100年，1899年", 2025),
        (12, 29, "1999年以来", 1999),
    ],
)
def test_the_year_of_the_inferred_date(month: int, day: int, body: str, year: int) -> None:
    head, _ = build({"title": "青岛日报"}, [article(1, dateline=dated(month, day, 4))], body, "zh-CN")
    assert head.date == dt.date(year, month, day)


def test_a_dateline_but_no_year_is_a_missing_date_at_the_dateline() -> None:
    head, notes = build({"title": "青岛日报"}, [article(1, dateline=dated(12, 29, 4))], "会议召开。", "zh-CN")
    assert head.date is None and head.inferred == ()
    assert notes == [Diagnostic(4, "date-missing", "warning", DATE_MISSING)]


def test_a_day_the_year_does_not_have_is_a_missing_date_at_the_dateline() -> None:
    # 2025 is not a leap year: there is no 29 February.
    head, notes = build({"title": "青岛日报"}, [article(1, dateline=dated(2, 29, 6))], "2025年", "zh-CN")
    assert (head.date, head.weekday, head.lunar_date) == (None, None, None)
    assert notes == [Diagnostic(6, "date-missing", "warning", DATE_MISSING)]
    head, notes = build({"title": "青岛日报"}, [article(1, dateline=dated(2, 29, 6))], "2024年", "zh-CN")
    assert head.date == dt.date(2024, 2, 29)
    assert notes == [date_inferred("2024-02-29", "本报2月29日讯", 6)]


def test_both_inferred_in_the_order_title_then_date() -> None:
    articles = [article(1, [("青岛日报/观海新闻", 3)], dated(12, 29, 4))]
    head, notes = build({}, articles, "2025年", "zh-CN")
    assert head.inferred == ("title", "date")
    assert notes == [title_inferred("青岛日报", 1, 3), date_inferred("2025-12-29", "本报12月29日讯", 4)]


@pytest.mark.parametrize(
    ("date", "lunar"),
    [
        # The twelfth month of 乙巳 began on 19 January 2026; its 23rd (小年) fell on 10 February, after
        # 立春 (4 February) but before the new year: the year is still 乙巳, counted from 正月初一.
        (dt.date(2026, 1, 19), "乙巳年十二月初一"),
        (dt.date(2026, 2, 10), "乙巳年十二月廿三"),
        # New Year's Eve 2026 was the 29th: that month had no 30th.
        (dt.date(2026, 2, 16), "乙巳年十二月廿九"),
        (dt.date(2025, 12, 20), "乙巳年十一月初一"),
    ],
)
def test_lunar_dates_at_the_end_of_a_lunar_year(date: dt.date, lunar: str) -> None:
    assert lunar_date(date) == lunar


def test_weekday_in_chinese_for_every_chinese_language_tag() -> None:
    assert weekday(dt.date(2025, 12, 28), "zh-Hant-TW") == "星期日"
    assert weekday(dt.date(2025, 12, 28), "zh") == "星期日"
    assert weekday(dt.date(2025, 12, 28), "en-GB") == "Sunday"
