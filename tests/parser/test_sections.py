"""Pages and sections: HTML comment markers on their own line, and comments that are not markers."""

from __future__ import annotations

from exporter.diagnostics import Diagnostic
from exporter.model import Issue
from exporter.parser import parse


def doc(*lines: str) -> str:
    """An issue text whose line N is ``lines[N - 1]``."""
    return "\n".join(lines) + "\n"


def article(headline: str) -> tuple[str, ...]:
    return (f"## {headline}", "", f"{headline}的正文。", "")


def found(issue: Issue, code: str) -> list[Diagnostic]:
    return [d for d in issue.diagnostics if d.code == code]


def test_a_file_without_markers_is_one_section_without_a_name() -> None:
    issue = parse(doc(*article("第一篇"), *article("第二篇")))
    (section,) = issue.sections
    assert section.title is None
    assert section.page is None
    assert [a.headline for a in section.articles] == ["第一篇", "第二篇"]


def test_page_marker_opens_a_page() -> None:
    issue = parse(doc("<!-- page: A01 -->", "", *article("第一篇"), *article("第二篇")))
    (section,) = issue.sections
    assert section.page == "A01"
    assert section.title is None
    assert section.line == 1
    assert len(section.articles) == 2


def test_section_marker_opens_a_named_section() -> None:
    issue = parse(doc("<!-- section: 要闻 -->", "", *article("第一篇")))
    (section,) = issue.sections
    assert section.title == "要闻"


def test_page_and_section_in_one_marker() -> None:
    issue = parse(doc("<!-- page: 2, section: 经济 -->", "", *article("第一篇")))
    (section,) = issue.sections
    assert (section.page, section.title) == ("2", "经济")


def test_everything_until_the_next_marker_belongs_to_it() -> None:
    issue = parse(
        doc(
            "<!-- page: A01 -->",
            "",
            *article("第一篇"),
            "<!-- section: 要闻 -->",
            "",
            *article("第二篇"),
            *article("第三篇"),
            "<!-- page: 2, section: 经济 -->",
            "",
            *article("第四篇"),
        )
    )
    got = [(s.page, s.title, s.line, [a.headline for a in s.articles]) for s in issue.sections]
    assert got == [
        ("A01", None, 1, ["第一篇"]),
        ("A01", "要闻", 7, ["第二篇", "第三篇"]),
        ("2", "经济", 17, ["第四篇"]),
    ]
    assert not [d for d in issue.diagnostics if d.severity == "error"]


def test_a_marker_is_not_text_of_any_article() -> None:
    issue = parse(doc(*article("第一篇"), "<!-- page: A02 -->", "", *article("第二篇")))
    assert all("page" not in p.text and "<!--" not in p.text for a in issue.articles for p in a.paragraphs)


def test_markers_with_full_width_colon_and_spaces() -> None:
    issue = parse(doc("<!--page：A03，section：体育-->", "", *article("第一篇")))
    (section,) = issue.sections
    assert (section.page, section.title) == ("A03", "体育")


def test_an_unknown_marker_key_is_an_error_with_its_line() -> None:
    issue = parse(doc(*article("第一篇"), "<!-- pgae: 3 -->", "", *article("第二篇")))
    (note,) = found(issue, "marker-unknown")
    assert note.severity == "error"
    assert note.line == 5
    assert "`page`" in note.message
    assert issue.has_errors
    assert len(issue.sections) == 1


def test_an_unknown_key_beside_a_known_one_is_an_error() -> None:
    issue = parse(doc("<!-- page: 3, colour: red -->", "", *article("第一篇")))
    (note,) = found(issue, "marker-unknown")
    assert note.line == 1
    assert issue.sections[0].page is None


def test_a_plain_comment_is_dropped_with_an_info() -> None:
    issue = parse(doc(*article("第一篇"), "<!-- 这一段待核实 -->", "", *article("第二篇")))
    (note,) = found(issue, "comment-dropped")
    assert note.severity == "info"
    assert note.line == 5
    assert not issue.has_errors
    assert len(issue.sections) == 1
    assert all("待核实" not in p.text for a in issue.articles for p in a.paragraphs)


def test_a_marker_with_no_value_is_an_error() -> None:
    issue = parse(doc("<!-- page: -->", "", *article("第一篇")))
    assert [d.severity for d in found(issue, "marker-empty")] == ["error"]


def test_sections_without_articles_are_left_out() -> None:
    issue = parse(doc("<!-- page: A01 -->", "<!-- page: A02 -->", "", *article("第一篇")))
    assert [s.page for s in issue.sections] == ["A02"]


def test_text_after_a_marker_before_a_headline_is_kept_with_an_error() -> None:
    issue = parse(doc(*article("第一篇"), "<!-- page: A02 -->", "", "版面导读文字。", "", *article("第二篇")))
    (note,) = found(issue, "text-before-article")
    assert note.line == 7
    assert any(p.text == "版面导读文字。" for p in issue.sections[1].articles[0].paragraphs)
