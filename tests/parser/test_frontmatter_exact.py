"""Front matter read exactly: the body's lines kept, every error written out whole with its file and line."""

from __future__ import annotations

import datetime as dt

import pytest

from exporter.diagnostics import Diagnostic
from exporter.errors import FrontMatterError
from exporter.parser.frontmatter import FrontMatter, split

YAML_HINT = "write one `key: value` per line"
TOML_HINT = 'write one `key = "value"` per line'
UNREADABLE_HINT = "write dates as 2025-12-30 and other values as plain `key: value` text"


def doc(*lines: str) -> str:
    """An issue text whose line N is ``lines[N - 1]``."""
    return "\n".join(lines) + "\n"


def error(text: str) -> tuple[str | None, int | None, str]:
    with pytest.raises(FrontMatterError) as info:
        split(text, "issue.md")
    return info.value.path, info.value.line, info.value.message


@pytest.mark.parametrize("text", ["", "\n\n", "## 标题\n", " ---\ntitle: x\n---\n", "-- -\n"])
def test_no_front_matter_is_the_text_as_it_is(text: str) -> None:
    assert split(text) == FrontMatter({}, text, ())


def test_the_body_keeps_every_line_in_its_place() -> None:
    # Lines 1 to 4 (a blank line and the front matter) are blank in the body: line 5 stays line 5.
    text = doc("", "---  ", "title: 青岛日报", "---", "## 标题", "正文。")
    assert split(text) == FrontMatter({"title": "青岛日报"}, "\n\n\n\n## 标题\n正文。\n", (), {"title": 3})


def test_toml_front_matter_with_the_fence_closed_by_trailing_spaces() -> None:
    text = doc("+++", 'title = "青岛日报"', "number = 22107", "+++ ", "## 标题")
    assert split(text) == FrontMatter(
        {"title": "青岛日报", "number": "22107"}, "\n\n\n\n## 标题\n", (), {"title": 2, "number": 3}
    )


@pytest.mark.parametrize("fence", ["---", "+++"])
def test_an_unclosed_front_matter(fence: str) -> None:
    assert error(doc("", fence, "title: 青岛日报", "## 标题")) == (
        "issue.md",
        2,
        f"the front matter opened by `{fence}` is never closed: add a `{fence}` line after it",
    )


def test_a_yaml_fence_is_not_closed_by_a_toml_one() -> None:
    assert error(doc("---", "title: 青岛日报", "+++", "## 标题"))[1:] == (
        1,
        "the front matter opened by `---` is never closed: add a `---` line after it",
    )


@pytest.mark.parametrize(
    ("lines", "line", "problem"),
    [
        (("title: 青岛日报", "edition: 今日: 16版"), 3, "mapping values are not allowed here"),
        # A quote or bracket left open is reported on the line it opens, not where YAML gives up.
        (("title: 青岛日报", 'edition: "今日16版', "number: 3"), 3, "found unexpected end of stream"),
        (("title: 青岛日报", "edition: [今日, 16版", "number: 3"), 3, "expected ',' or ']', but got ':'"),
    ],
)
def test_invalid_yaml(lines: tuple[str, ...], line: int, problem: str) -> None:
    assert error(doc("---", *lines, "---", "## 标题")) == (
        "issue.md",
        line,
        f"the front matter is not valid YAML ({problem}): {YAML_HINT}",
    )


@pytest.mark.parametrize(
    ("lines", "line", "problem"),
    [
        (('title = "青岛日报"', "number = "), 3, "Invalid value"),
        (('title = "青岛日报"', "number"), 3, "Expected '=' after a key in a key/value pair"),
        (('title = "青岛日报"', "date = 2025-02-30"), 3, "Invalid date or datetime"),
    ],
)
def test_invalid_toml(lines: tuple[str, ...], line: int, problem: str) -> None:
    assert error(doc("", "+++", *lines, "+++", "## 标题")) == (
        "issue.md",
        line + 1,
        f"the front matter is not valid TOML ({problem}): {TOML_HINT}",
    )


def test_a_yaml_date_with_no_such_day_is_reported_on_its_line() -> None:
    assert error(doc("---", "title: 青岛日报", "date: 2025-02-30", "---")) == (
        "issue.md",
        3,
        f"the front matter holds a value YAML cannot read (day is out of range for month): {UNREADABLE_HINT}",
    )


def test_values_nested_too_deeply() -> None:
    assert error(doc("---", "title: 青岛日报", "edition: " + "[" * 2000, "---")) == (
        "issue.md",
        3,
        f"the front matter holds a value YAML cannot read (values nested too deeply): {UNREADABLE_HINT}",
    )


@pytest.mark.parametrize("lines", [("- 青岛日报", "- 2025-12-30"), ("青岛日报",)])
def test_front_matter_that_is_not_key_value_lines(lines: tuple[str, ...]) -> None:
    # Reported on the opening fence: no one line is at fault.
    assert error(doc("", "---", *lines, "---")) == (
        "issue.md",
        2,
        "the front matter must be a list of `key: value` lines, such as `title: 青岛日报`",
    )


def test_a_key_that_is_a_number_too_long_to_print() -> None:
    # Python prints an int of at most 4300 decimal digits; a hexadecimal key of 5000 digits is read
    # (only decimal is limited) but cannot be named; YAML takes a key that long only after `?`. The
    # message points at the front matter's first line, the key's own line being unknown by then.
    assert error(doc("---", "title: 青岛日报", "? 0x" + "f" * 5000, ": x", "---")) == (
        "issue.md",
        2,
        "a key of the front matter is a number too long to print: keys are words such as `title`",
    )


@pytest.mark.parametrize(
    ("line", "kind"),
    [("title: [青岛日报, 观海新闻]", "list"), ("title: true", "bool"), ("title: {name: 青岛日报}", "dict")],
)
def test_a_known_key_must_have_one_value(line: str, kind: str) -> None:
    assert error(doc("---", "date: 2025-12-30", line, "---")) == (
        "issue.md",
        3,
        f"`title` must be a single value, not {kind}: write `title: …` on one line",
    )


def test_a_known_key_with_a_number_too_long_to_print() -> None:
    assert error(doc("+++", 'title = "青岛日报"', "number = 0x" + "f" * 5000, "+++")) == (
        "issue.md",
        3,
        "`number` is a number too long to print: put it in quotes to keep it as text",
    )


def test_known_values_become_text_and_blank_ones_none() -> None:
    fm = split(doc("---", "number: 22107", "edition: 1.5", "editor: '  '", "publisher:", "date:", "---"))
    # `publisher:` and `date:` with nothing after them are YAML's null: not set, like the blank editor.
    assert fm.values == {"number": "22107", "edition": "1.5", "editor": None, "publisher": None, "date": None}
    assert fm.diagnostics == ()


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("date: 2025-12-30", dt.date(2025, 12, 30)),
        ("date: 2025-12-30 06:00:00", dt.date(2025, 12, 30)),
        ("date: ' 2025-12-30 '", dt.date(2025, 12, 30)),
    ],
)
def test_dates(line: str, date: dt.date) -> None:
    value = split(doc("---", line, "---")).values["date"]
    assert value == date and type(value) is dt.date


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("date: 明天", "'明天'"),
        ("date: 20251230x", "'20251230x'"),
        ("date: 12", "12"),
        ("date: [2025, 12, 30]", "[2025, 12, 30]"),
        # A value is shown whole up to 40 characters of its repr, and cut to 39 and … past them.
        ("date: " + "x" * 38, "'" + "x" * 38 + "'"),
        ("date: " + "x" * 39, "'" + "x" * 38 + "…"),
    ],
)
def test_a_bad_date_is_shown_in_its_message(line: str, shown: str) -> None:
    assert error(doc("---", "title: 青岛日报", line, "---")) == (
        "issue.md",
        3,
        f"`date` must be an ISO 8601 date such as 2025-12-30, not {shown}",
    )


def test_a_date_of_a_number_too_long_to_print() -> None:
    assert error(doc("+++", "date = 0x" + "f" * 5000, "+++")) == (
        "issue.md",
        2,
        "`date` must be an ISO 8601 date such as 2025-12-30, not a number too long to print",
    )


def test_a_misspelt_key_is_named_on_its_own_line() -> None:
    fm = split(doc("---", "  titles: 专刊", "  titel : 青岛日报", "---"))
    # titles is close to title too: each warning names the key and the line it is on.
    assert fm.diagnostics == (
        Diagnostic(
            2,
            "front-matter-key",
            "warning",
            "unknown key `titles` is passed to the theme as it is; did you mean `title`?",
        ),
        Diagnostic(
            3,
            "front-matter-key",
            "warning",
            "unknown key `titel` is passed to the theme as it is; did you mean `title`?",
        ),
    )
    assert fm.values == {"titles": "专刊", "titel": "青岛日报"}


def test_a_toml_misspelt_key_and_a_key_like_no_other() -> None:
    fm = split(doc("+++", 'slogan = "为人民服务"', 'edtion = "A1"', "+++"))
    assert fm.diagnostics == (
        Diagnostic(
            3,
            "front-matter-key",
            "warning",
            "unknown key `edtion` is passed to the theme as it is; did you mean `edition`?",
        ),
    )


def test_a_quoted_key_is_named_at_the_opening_fence() -> None:
    # The line of a key is looked for as written bare; a quoted key is not found, and the finding
    # points at the front matter itself.
    fm = split(doc("", "---", '"titel": 青岛日报', "---"))
    assert fm.diagnostics == (
        Diagnostic(
            2,
            "front-matter-key",
            "warning",
            "unknown key `titel` is passed to the theme as it is; did you mean `title`?",
        ),
    )


def test_the_line_of_a_value_yaml_cannot_read_after_lines_that_fail_alone() -> None:
    # The lines of a flow list split over two lines are not YAML on their own; they are passed over.
    text = doc("---", "edition: [A1,", "  A2]", "date: 2025-02-30", "---")
    assert error(text) == (
        "issue.md",
        4,
        f"the front matter holds a value YAML cannot read (day is out of range for month): {UNREADABLE_HINT}",
    )


def test_the_line_of_a_number_toml_cannot_read() -> None:
    # Python reads at most 4300 decimal digits; the lines of an array split over lines are passed over.
    text = doc("", "+++", "edition = [", '  "A1",', "]", "number = " + "1" * 5000, "+++")
    assert error(text) == (
        "issue.md",
        6,
        "the front matter holds a value TOML cannot read (Exceeds the limit (4300 digits) for integer string "
        f"conversion: value has 5000 digits): {UNREADABLE_HINT}",
    )


def test_a_value_toml_cannot_read_that_no_line_fails_on_alone_is_named_at_the_first_line() -> None:
    # Each line of the array alone is no TOML at all (so passed over): the first line is named.
    text = doc("+++", "numbers = [", "  " + "1" * 5000 + ",", "]", "+++")
    assert error(text) == (
        "issue.md",
        2,
        "the front matter holds a value TOML cannot read (Exceeds the limit (4300 digits) for integer string "
        f"conversion: value has 5000 digits): {UNREADABLE_HINT}",
    )


def test_a_character_yaml_refuses_is_named_with_the_first_line_of_yaml_s_message() -> None:
    # YAML's reader refuses a control character (the parser takes these out first, split alone does not);
    # its error gives no line, so the first line of the front matter is named.
    assert error(doc("---", "title: 青岛\x07日报", "---")) == (
        "issue.md",
        2,
        "the front matter is not valid YAML (unacceptable character #x0007: special characters are not allowed): "
        f"{YAML_HINT}",
    )


def test_without_a_path_the_input_is_named_input() -> None:
    with pytest.raises(FrontMatterError) as info:
        split(doc("---", "title: 青岛日报"))
    assert (info.value.path, info.value.line) == ("<input>", 1)


def test_every_key_after_a_blank_one_is_still_read() -> None:
    fm = split(doc("---", "editor:", "number: 22107", "titel: 青岛日报", "---"))
    assert fm.values == {"editor": None, "number": "22107", "titel": "青岛日报"}
    assert [d.line for d in fm.diagnostics] == [4]
