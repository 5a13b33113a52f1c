"""Raw HTML inside lines of text: reported on its line, kept as text."""

from __future__ import annotations

from exporter.parser import parse


def test_tags_are_reported_once_per_line_and_a_tag_over_two_lines_moves_the_next_line() -> None:
    text = "## 标题\n\n第一行<b>粗</b>，\n<a\nhref=x>链接</a>后<i>斜</i>。\n\n`<code>`里的不是。\n"
    issue = parse(text)
    notes = [(d.line, d.message) for d in issue.diagnostics if d.code == "raw-html"]
    assert [line for line, _ in notes] == [3, 4, 5]
    assert "`<b>`, `</b>`" in notes[0][1]
    assert "`<a href=x>`" in notes[1][1]
    assert "`</a>`, `<i>`, `</i>`" in notes[2][1]
    assert "kept as text" in notes[0][1]
    assert "<b>粗</b>" in issue.articles[0].paragraphs[0].text


def test_an_article_ending_in_a_headline_is_still_empty_when_a_line_has_html() -> None:
    issue = parse("## 标题<b>x</b>\n\n正文。\n\n## 空的\n")
    assert [d.line for d in issue.diagnostics if d.code == "article-empty"] == [5]
