"""Repairs: paragraphs cut by a column or page break are joined; articles that stop mid-sentence are marked."""

from __future__ import annotations

import pytest

from exporter.diagnostics import Diagnostic
from exporter.model import Article, Issue, Paragraph, Quote, Span, Subhead
from exporter.parser import parse


def doc(*lines: str) -> str:
    """An issue text whose line N is ``lines[N - 1]``."""
    return "\n".join(lines) + "\n"


def found(issue: Issue, code: str) -> list[Diagnostic]:
    return [d for d in issue.diagnostics if d.code == code]


def only(issue: Issue) -> Article:
    (article,) = issue.articles
    return article


def test_a_cut_paragraph_is_joined_to_the_next() -> None:
    issue = parse(
        doc(
            "## 全国首个人力资源出海综合服务港在青成立",
            "",
            "大会搭建平台，推动跨境人力资源服务机构协同创新、融合发",
            "",
            "展。会上，全国首个人力资源出海综合服务港揭牌成立。",
            "",
            "会议期间还举行了对接会。",
        )
    )
    article = only(issue)
    first, second = article.paragraphs
    assert (
        first.text
        == "大会搭建平台，推动跨境人力资源服务机构协同创新、融合发展。会上，全国首个人力资源出海综合服务港揭牌成立。"
    )
    assert first.line == 3
    assert first.joined == (5,)
    assert second.text == "会议期间还举行了对接会。"
    (note,) = found(issue, "paragraph-joined")
    assert note.line == 3
    assert note.severity == "warning"
    assert "5" in note.message
    assert not article.truncated


def test_no_character_is_lost_or_added_by_a_join() -> None:
    left, right = "推动消费环境向", "国际化、多元化升级。"
    article = only(parse(doc("## 标题", "", left, "", right)))
    assert [p.text for p in article.paragraphs] == [left + right]


def test_a_paragraph_cut_twice_is_joined_twice() -> None:
    issue = parse(doc("## 标题", "", "第一部分", "", "第二部分", "", "第三部分。"))
    (para,) = only(issue).paragraphs
    assert para.text == "第一部分第二部分第三部分。"
    assert para.joined == (5, 7)
    assert [d.line for d in found(issue, "paragraph-joined")] == [3, 3]


def test_latin_parts_are_joined_with_a_space() -> None:
    article = only(parse(doc("## 标题", "", "He said the plan was", "", "ready.")))
    assert [p.text for p in article.paragraphs] == ["He said the plan was ready."]


def test_bold_parts_keep_their_marks_when_joined() -> None:
    article = only(parse(doc("## 标题", "", "推动**协同创新**、融合发", "", "展。")))
    (para,) = article.paragraphs
    assert para.spans == (Span("推动"), Span("协同创新", frozenset({"strong"})), Span("、融合发展。"))


@pytest.mark.parametrize("colon", ["：", ":"])
def test_a_paragraph_ending_with_a_colon_is_not_joined(colon: str) -> None:
    issue = parse(doc("## 标题", "", f"会议提出以下要求{colon}", "", "一是抓好落实。"))
    assert [p.text for p in only(issue).paragraphs] == [f"会议提出以下要求{colon}", "一是抓好落实。"]
    assert not found(issue, "paragraph-joined")


def test_a_heading_is_never_joined() -> None:
    issue = parse(doc("## 标题", "", "导语没有结束", "", "### 小标题没有标点", "", "正文。"))
    article = only(issue)
    assert [type(b) for b in article.blocks] == [Paragraph, Subhead, Paragraph]
    assert not found(issue, "paragraph-joined")


def test_a_cut_paragraph_before_the_next_article_is_not_joined_into_it() -> None:
    issue = parse(doc("## 第一篇", "", "要突出重点任务，加强基层组织建", "", "## 第二篇", "", "第二篇正文。"))
    first, second = issue.articles
    assert [p.text for p in first.paragraphs] == ["要突出重点任务，加强基层组织建"]
    assert [p.text for p in second.paragraphs] == ["第二篇正文。"]
    assert not found(issue, "paragraph-joined")


def test_a_byline_is_never_joined() -> None:
    issue = parse(doc("## 标题", "", "□本报记者 王萌", "", "正文。"))
    article = only(issue)
    assert [b.raw for b in article.bylines] == ["□本报记者 王萌"]
    assert [p.text for p in article.paragraphs] == ["正文。"]
    assert not found(issue, "paragraph-joined")


def test_nothing_is_joined_across_a_byline() -> None:
    issue = parse(doc("## 标题", "", "第一段没有结束", "", "□本报记者 王萌", "", "第二段。"))
    assert [p.text for p in only(issue).paragraphs] == ["第一段没有结束", "第二段。"]
    assert not found(issue, "paragraph-joined")


def test_a_quote_is_never_joined() -> None:
    issue = parse(doc("## 标题", "", "他说", "", "> 我们要让每一只集装箱都少走一段路", "", "码头调度员说。"))
    article = only(issue)
    assert [type(b) for b in article.blocks] == [Paragraph, Quote, Paragraph]
    assert not found(issue, "paragraph-joined")


def test_a_figure_is_never_joined() -> None:
    issue = parse(doc("## 标题", "", "导语没有结束", "", "![图](a.jpg)", "", "正文。"))
    assert not found(issue, "paragraph-joined")
    assert len(only(issue).paragraphs) == 2


def test_an_editors_note_is_never_joined() -> None:
    issue = parse(doc("## 标题", "", "编者按：本报推出系列报道", "", "正文。"))
    assert not found(issue, "paragraph-joined")


def test_an_article_that_stops_mid_sentence_is_truncated() -> None:
    issue = parse(
        doc(
            "## 全市党建引领开放楼院精细化治理工作推进会召开",
            "",
            "会议强调，要推动工作走深走实。",
            "",
            "要突出重点任务，加强基层组织建",
            "",
            "## 下一篇",
            "",
            "正文。",
        )
    )
    first, second = issue.articles
    assert first.truncated
    assert not second.truncated
    assert first.paragraphs[-1].text == "要突出重点任务，加强基层组织建"
    (note,) = found(issue, "article-truncated")
    assert note.line == 5
    assert note.severity == "warning"
    assert "加强基层组织建" in note.message


def test_an_article_ending_with_a_colon_is_not_truncated() -> None:
    issue = parse(doc("## 标题", "", "会议提出以下要求："))
    assert not only(issue).truncated
    assert not found(issue, "article-truncated")


def test_an_article_ending_with_a_figure_is_not_truncated() -> None:
    issue = parse(doc("## 标题", "", "正文。", "", "![图](a.jpg)"))
    assert not only(issue).truncated


@pytest.mark.parametrize("end", list("。！？…”’」』）》") + list(".!?)\"'"))
def test_paragraphs_ending_with_closing_marks_are_not_cut(end: str) -> None:
    issue = parse(doc("## 标题", "", f"他说：“这是第一段{end}", "", "这是第二段。"))
    assert len(only(issue).paragraphs) == 2
    assert not found(issue, "paragraph-joined")
    last = parse(doc("## 标题", "", f"他说：“这是最后一段{end}"))
    assert not only(last).truncated
    assert not found(last, "article-truncated")


def test_closing_mark_followed_by_trailing_spaces_is_still_closing() -> None:
    issue = parse(doc("## 标题", "", "这是第一段。   ", "", "这是第二段。"))
    assert len(only(issue).paragraphs) == 2


def test_raw_html_is_not_joined_to_the_text_after_it() -> None:
    issue = parse(doc("## 标题", "", "<div>一段</div>", "", "正文。"))
    assert [p.text for p in only(issue).paragraphs] == ["<div>一段</div>", "正文。"]
    assert not found(issue, "paragraph-joined")


def test_a_repaired_issue_keeps_every_character() -> None:
    parts = ["大会推动协同创新、融合发", "展。会上，服务港揭牌成立。", "院上镇将以全域旅游为导向", "加强基层组织建"]
    issue = parse(doc("## 标题", "", *[line for p in parts for line in (p, "")]))
    assert "".join(p.text for p in only(issue).paragraphs) == "".join(parts)
