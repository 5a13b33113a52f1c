"""Runs of spans: joining lines without spaces in Chinese, cutting, merging."""

from __future__ import annotations

from exporter.model import Mark, Span
from exporter.parser import inline
from exporter.text import script

BOLD: frozenset[Mark] = frozenset({"strong"})


def test_wide_characters() -> None:
    assert script.is_wide("中")
    assert script.is_wide("，")
    assert not script.is_wide("a")
    assert not script.is_wide("1")


def test_join_text_puts_no_space_next_to_chinese() -> None:
    assert inline.join_text("融合发", "展。") == ""
    assert inline.join_text("发布", "Mate") == ""
    assert inline.join_text("Mate", "系列") == ""
    assert inline.join_text("the plan", "was") == " "
    assert inline.join_text("", "x") == ""


def test_merge_joins_equal_marks_and_drops_empty_spans() -> None:
    assert inline.merge([Span("a"), Span(""), Span("b"), Span("c", BOLD), Span("d", BOLD)]) == (
        Span("ab"),
        Span("cd", BOLD),
    )


def test_cut_splits_inside_a_span() -> None:
    spans = (Span("本报讯"), Span("正文", BOLD))
    assert inline.cut(spans, 2) == ((Span("本报"),), (Span("讯"), Span("正文", BOLD)))
    assert inline.cut(spans, 3) == ((Span("本报讯"),), (Span("正文", BOLD),))
    assert inline.cut(spans, 0) == ((), spans)


def test_strip_handles_ideographic_spaces() -> None:
    assert inline.strip((Span("\u3000 正文 "),)) == (Span("正文"),)


def test_join_lines() -> None:
    runs = [(Span("会议要求，"),), (Span("  各区市"),), (), (Span("抓好落实。"),)]
    assert inline.join_lines(runs) == (Span("会议要求，各区市抓好落实。"),)
    assert inline.join_lines([(Span("It was"),), (Span("good."),)]) == (Span("It was good."),)
