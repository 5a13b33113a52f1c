"""Front matter: YAML (---) and TOML (+++) blocks, known and unknown keys, errors with their lines."""

from __future__ import annotations

import datetime as dt

import pytest

from exporter.diagnostics import Diagnostic
from exporter.errors import FrontMatterError
from exporter.model import Issue
from exporter.parser import frontmatter, parse

BODY = ("## 青岛市召开教育工作会议", "", "会议要求，各区市要抓好落实。")


def doc(*lines: str) -> str:
    """An issue text whose line N is ``lines[N - 1]``."""
    return "\n".join(lines) + "\n"


def found(issue: Issue, code: str) -> list[Diagnostic]:
    return [d for d in issue.diagnostics if d.code == code]


def front_matter_error(text: str) -> FrontMatterError:
    with pytest.raises(FrontMatterError) as info:
        parse(text, "issue.md")
    return info.value


def test_yaml_known_keys_land_in_the_masthead() -> None:
    issue = parse(
        doc(
            "---",
            "title: 青岛日报",
            "date: 2025-12-30",
            "number: 22107",
            "edition: 今日16版",
            "publisher: 青岛日报社",
            "language: zh-CN",
            "identifier: CN 37-0008",
            "editor: 张三",
            "theme: vertical",
            "---",
            *BODY,
        )
    )
    head = issue.masthead
    assert head.title == "青岛日报"
    assert head.date == dt.date(2025, 12, 30)
    assert type(head.date) is dt.date
    assert head.number == "22107"
    assert head.edition == "今日16版"
    assert head.publisher == "青岛日报社"
    assert head.language == "zh-CN"
    assert head.identifier == "CN 37-0008"
    assert head.editor == "张三"
    assert head.theme == "vertical"
    assert head.inferred == ()
    assert dict(head.extra) == {}
    assert not found(issue, "front-matter-key")


def test_toml_front_matter_is_read_like_yaml() -> None:
    issue = parse(
        doc(
            "+++",
            'title = "青岛日报"',
            "date = 2025-12-30",
            "number = 22107",
            'edition = "今日16版"',
            'publisher = "青岛日报社"',
            'language = "zh-CN"',
            'identifier = "CN 37-0008"',
            'editor = "张三"',
            'theme = "vertical"',
            'slogan = "为人民服务"',
            "+++",
            *BODY,
        )
    )
    head = issue.masthead
    assert (head.title, head.date, head.number, head.edition) == (
        "青岛日报",
        dt.date(2025, 12, 30),
        "22107",
        "今日16版",
    )
    assert (head.publisher, head.language, head.identifier, head.editor, head.theme) == (
        "青岛日报社",
        "zh-CN",
        "CN 37-0008",
        "张三",
        "vertical",
    )
    assert dict(head.extra) == {"slogan": "为人民服务"}
    assert issue.articles[0].line == 13


def test_toml_date_as_a_string_is_a_date() -> None:
    issue = parse(doc("+++", 'date = "2025-12-30"', "+++", *BODY))
    assert issue.masthead.date == dt.date(2025, 12, 30)


def test_unknown_keys_are_kept_in_extra_without_a_warning() -> None:
    issue = parse(doc("---", "title: 青岛日报", "slogan: 一份报纸", "color: 红", "---", *BODY))
    assert dict(issue.masthead.extra) == {"slogan": "一份报纸", "color": "红"}
    assert not found(issue, "front-matter-key")


def test_misspelt_key_warns_with_its_line_and_is_kept() -> None:
    issue = parse(doc("---", "date: 2025-12-30", "titel: 青岛日报", "---", *BODY))
    (note,) = found(issue, "front-matter-key")
    assert note.severity == "warning"
    assert note.line == 3
    assert "`titel`" in note.message and "`title`" in note.message
    assert issue.masthead.extra["titel"] == "青岛日报"
    assert issue.masthead.title is None or "title" in issue.masthead.inferred


def test_empty_front_matter_is_no_values() -> None:
    fm = frontmatter.split(doc("---", "---", *BODY))
    assert fm.values == {}
    assert fm.diagnostics == ()


def test_no_front_matter_leaves_the_text_alone() -> None:
    text = doc(*BODY)
    fm = frontmatter.split(text)
    assert fm.values == {}
    assert fm.body == text


def test_blank_lines_before_the_front_matter_are_allowed() -> None:
    issue = parse(doc("", "", "---", "title: 青岛日报", "---", *BODY))
    assert issue.masthead.title == "青岛日报"
    assert issue.articles[0].line == 6


def test_body_keeps_the_file_line_numbers() -> None:
    text = doc("---", "title: 青岛日报", "date: 2025-12-30", "---", "", *BODY, "", "第二段没有结束")
    fm = frontmatter.split(text)
    assert fm.body.split("\n")[5] == BODY[0]
    issue = parse(text)
    article = issue.articles[0]
    assert article.line == 6
    assert [p.line for p in article.paragraphs] == [8, 10]
    (truncated,) = found(issue, "article-truncated")
    assert truncated.line == 10


def test_invalid_yaml_names_the_line_it_is_on() -> None:
    error = front_matter_error(doc("---", "title: 青岛日报", "edition: 今日: 16版", "---", *BODY))
    assert error.line == 3
    assert error.path == "issue.md"
    assert "YAML" in error.message
    assert str(error).startswith("issue.md:3: error:")


def test_invalid_yaml_after_blank_lines_counts_them() -> None:
    error = front_matter_error(doc("", "", "---", "title: 青岛日报", "number: 1", "edition: a: b", "---", *BODY))
    assert error.line == 6


def test_a_line_without_a_colon_is_reported_on_that_line() -> None:
    error = front_matter_error(doc("---", "title: 青岛日报", "青岛日报社", "date: 2025-12-30", "---", *BODY))
    assert error.line == 3


def test_an_unclosed_bracket_is_reported_where_it_opens() -> None:
    error = front_matter_error(doc("---", "title: 青岛日报", "edition: [今日, 16版", "number: 3", "---", *BODY))
    assert error.line == 3


def test_invalid_toml_names_the_line_it_is_on() -> None:
    error = front_matter_error(doc("+++", 'title = "青岛日报"', 'edition = "今日16版"', "number = ", "+++", *BODY))
    assert error.line == 4
    assert "TOML" in error.message


def test_unclosed_yaml_front_matter_raises_at_its_opening_line() -> None:
    error = front_matter_error(doc("", "---", "title: 青岛日报", *BODY))
    assert error.line == 2
    assert "never closed" in error.message


def test_unclosed_toml_front_matter_raises() -> None:
    error = front_matter_error(doc("+++", 'title = "青岛日报"', *BODY))
    assert error.line == 1
    assert "`+++`" in error.message


@pytest.mark.parametrize("value", ["明天", "2025-12-32", "2025/12/30", "12月30日"])
def test_a_bad_date_raises_on_the_date_line(value: str) -> None:
    error = front_matter_error(doc("---", "title: 青岛日报", "edition: 今日16版", f"date: {value}", "---", *BODY))
    assert error.line == 4
    assert "2025-12-30" in error.message


def test_a_date_with_no_such_day_raises_on_its_line() -> None:
    error = front_matter_error(doc("---", "title: 青岛日报", "edition: 今日16版", "date: 2025-02-30", "---", *BODY))
    assert error.line == 4


def test_a_toml_date_with_no_such_day_raises_on_its_line() -> None:
    error = front_matter_error(doc("+++", 'title = "青岛日报"', "date = 2025-02-30", "+++", *BODY))
    assert error.line == 3


def test_a_known_key_with_a_mapping_value_raises() -> None:
    error = front_matter_error(doc("---", "date: 2025-12-30", "title:", "  name: 青岛日报", "---", *BODY))
    assert error.line == 3
    assert "`title`" in error.message


def test_front_matter_that_is_a_list_raises() -> None:
    error = front_matter_error(doc("---", "- 青岛日报", "- 2025-12-30", "---", *BODY))
    assert isinstance(error.line, int)


def test_a_datetime_value_gives_its_date() -> None:
    issue = parse(doc("---", "date: 2025-12-30 06:00:00", "---", *BODY))
    assert issue.masthead.date == dt.date(2025, 12, 30)


def test_front_matter_after_text_is_not_front_matter() -> None:
    fm = frontmatter.split(doc(*BODY, "", "---", "title: x", "---"))
    assert fm.values == {}
