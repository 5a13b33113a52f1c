"""The masthead: values from the front matter, title and date inferred from the text, weekday and lunar date."""

from __future__ import annotations

import datetime as dt

import pytest

from exporter.diagnostics import Diagnostic
from exporter.model import Issue
from exporter.parser import parse
from exporter.text.dates import lunar_date, weekday


def doc(*lines: str) -> str:
    """An issue text whose line N is ``lines[N - 1]``."""
    return "\n".join(lines) + "\n"


def found(issue: Issue, code: str) -> list[Diagnostic]:
    return [d for d in issue.diagnostics if d.code == code]


def story(headline: str, byline: str, first: str) -> tuple[str, ...]:
    return (f"## {headline}", "", f"{byline}  ", first, "")


BODY = (
    *story("第一篇", "□青岛日报/观海新闻记者 薛华飞", "本报12月29日讯 29日下午，2025年全市工作会议召开。"),
    *story("第二篇", "□青岛日报/观海新闻记者 刘佳旋", "本报12月29日讯 会议部署了2026年重点任务。"),
    *story("第三篇", "□大众日报记者 王萌", "本报12月28日讯 28日上午，座谈会召开。"),
)


def test_title_is_inferred_from_the_outlet_most_bylines_name() -> None:
    issue = parse(doc(*BODY))
    assert issue.masthead.title == "青岛日报"
    assert "title" in issue.masthead.inferred
    (note,) = found(issue, "title-inferred")
    assert note.severity == "warning"
    assert note.line == 3
    assert "青岛日报" in note.message
    assert "title:" in note.message


def test_title_from_a_byline_without_a_slash() -> None:
    issue = parse(doc(*story("第一篇", "□滨海日报记者 周 宁", "本报讯 正文。")))
    assert issue.masthead.title == "滨海日报"


def test_no_outlet_means_a_missing_title_diagnostic() -> None:
    issue = parse(doc(*story("第一篇", "□本报记者 周 宁", "本报讯 正文。")))
    assert issue.masthead.title is None
    assert "title" not in issue.masthead.inferred
    assert [d.code for d in issue.diagnostics if d.code.startswith("title")] == ["title-missing"]


def test_date_is_inferred_from_datelines_and_years() -> None:
    issue = parse(doc(*BODY))
    assert issue.masthead.date == dt.date(2025, 12, 29)
    assert "date" in issue.masthead.inferred
    (note,) = found(issue, "date-inferred")
    assert note.severity == "warning"
    assert note.line == 4
    assert "date:" in note.message
    assert "2025-12-29" in note.message
    assert issue.masthead.weekday == "星期一"


def test_inferred_date_early_in_the_year_takes_the_latest_year() -> None:
    issue = parse(doc(*story("第一篇", "□本报记者 周宁", "本报1月5日讯 2025年成绩显著，2026年开局良好。")))
    assert issue.masthead.date == dt.date(2026, 1, 5)


def test_no_year_in_the_text_means_no_inferred_date() -> None:
    issue = parse(doc(*story("第一篇", "□本报记者 周宁", "本报12月29日讯 会议召开。")))
    assert issue.masthead.date is None
    assert not found(issue, "date-inferred")
    assert found(issue, "date-missing")


def test_no_dateline_means_a_missing_date_diagnostic() -> None:
    issue = parse(doc("## 标题", "", "2025年全市工作会议召开。"))
    assert issue.masthead.date is None
    assert issue.masthead.weekday is None
    assert issue.masthead.lunar_date is None
    (note,) = found(issue, "date-missing")
    assert "date:" in note.message


def test_weekday_and_lunar_date_of_the_issue_date() -> None:
    issue = parse(doc("---", "title: 青岛日报", "date: 2025-12-30", "---", *BODY))
    head = issue.masthead
    assert head.weekday == "星期二"
    assert head.lunar_date is not None
    assert "乙巳" in head.lunar_date
    assert "十一月" in head.lunar_date
    assert head.lunar_date == "乙巳年十一月十一"


@pytest.mark.parametrize(
    ("date", "name"),
    [
        (dt.date(2025, 12, 29), "星期一"),
        (dt.date(2025, 12, 30), "星期二"),
        (dt.date(2025, 12, 31), "星期三"),
        (dt.date(2026, 1, 1), "星期四"),
        (dt.date(2026, 1, 2), "星期五"),
        (dt.date(2026, 1, 3), "星期六"),
        (dt.date(2026, 1, 4), "星期日"),
    ],
)
def test_weekdays(date: dt.date, name: str) -> None:
    assert weekday(date, "zh-CN") == name


def test_weekday_in_another_language() -> None:
    assert weekday(dt.date(2025, 12, 30), "en") == "Tuesday"


@pytest.mark.parametrize(
    ("date", "lunar"),
    [
        (dt.date(2026, 2, 17), "丙午年正月初一"),
        (dt.date(2025, 1, 29), "乙巳年正月初一"),
        (dt.date(2025, 8, 1), "乙巳年闰六月初八"),
    ],
)
def test_lunar_dates(date: dt.date, lunar: str) -> None:
    assert lunar_date(date) == lunar


def test_front_matter_values_are_not_overridden() -> None:
    issue = parse(doc("---", "title: 观海新闻", "date: 2025-12-30", "---", *BODY))
    head = issue.masthead
    assert head.title == "观海新闻"
    assert head.date == dt.date(2025, 12, 30)
    assert head.inferred == ()
    codes = {d.code for d in issue.diagnostics}
    assert not codes & {"title-inferred", "date-inferred", "title-missing", "date-missing"}


def test_only_the_missing_field_is_inferred() -> None:
    issue = parse(doc("---", "date: 2025-12-30", "---", *BODY))
    assert issue.masthead.inferred == ("title",)
    assert issue.masthead.date == dt.date(2025, 12, 30)
    assert not found(issue, "date-inferred")
    assert found(issue, "title-inferred")


def test_non_chinese_issue_has_no_lunar_date() -> None:
    issue = parse(doc("---", "language: en", "date: 2025-12-30", "---", "## Headline", "", "Text."))
    assert issue.masthead.language == "en"
    assert issue.masthead.weekday == "Tuesday"
    assert issue.masthead.lunar_date is None
