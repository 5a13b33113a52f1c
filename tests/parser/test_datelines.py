"""Datelines: the source, place and day that open an article's first paragraph, kept apart from its text."""

from __future__ import annotations

import pytest

from exporter.model import Article
from exporter.parser import parse
from exporter.parser.datelines import find


def doc(*lines: str) -> str:
    """An issue text whose line N is ``lines[N - 1]``."""
    return "\n".join(lines) + "\n"


def only(text: str) -> Article:
    (article,) = parse(text).articles
    return article


@pytest.mark.parametrize(
    ("raw", "source", "place", "month", "day"),
    [
        ("本报12月29日讯", "本报", None, 12, 29),
        ("本报讯", "本报", None, None, None),
        ("新华社北京12月29日电", "新华社", "北京", 12, 29),
        ("本报青岛12月29日讯", "本报", "青岛", 12, 29),
        ("本报3月7日讯", "本报", None, 3, 7),
        ("中新社上海1月1日电", "中新社", "上海", 1, 1),
        ("本报十二月二十九日讯", "本报", None, 12, 29),
        ("本报青岛十二月三十一日讯", "本报", "青岛", 12, 31),
    ],
)
def test_dateline_is_kept_apart_from_the_paragraph(
    raw: str, source: str, place: str | None, month: int | None, day: int | None
) -> None:
    article = only(doc("## 标题", "", "□本报记者 王萌", "", f"{raw} 29日下午，推进会召开。", "", "第二段。"))
    dateline = article.dateline
    assert dateline is not None
    assert (dateline.raw, dateline.source, dateline.place, dateline.month, dateline.day) == (
        raw,
        source,
        place,
        month,
        day,
    )
    assert dateline.line == 5
    first = article.paragraphs[0]
    assert first.text == "29日下午，推进会召开。"
    assert raw not in first.text
    assert first.line == 5
    assert [p.text for p in article.paragraphs][1:] == ["第二段。"]


def test_dateline_without_a_space_before_the_text() -> None:
    article = only(doc("## 标题", "", "本报12月29日讯29日下午，推进会召开。"))
    assert article.dateline is not None and article.dateline.raw == "本报12月29日讯"
    assert article.paragraphs[0].text == "29日下午，推进会召开。"


def test_dateline_with_a_reporter_credit() -> None:
    match = find("本报讯（记者 王萌）近日，推进会召开。")
    assert match is not None
    assert match.raw == "本报讯（记者 王萌）"
    assert (match.source, match.month, match.day) == ("本报", None, None)


def test_full_width_digits() -> None:
    match = find("本报１２月２９日讯 近日")
    assert match is not None and (match.month, match.day) == (12, 29)


def test_end_points_past_the_separating_space() -> None:
    text = "新华社北京12月29日电 记者从市教育局获悉"
    match = find(text)
    assert match is not None
    assert text[match.end :] == "记者从市教育局获悉"


@pytest.mark.parametrize(
    "text",
    [
        "本报记者王萌报道",
        "记者从市教育局获悉，今年全市学校开展读书活动。",
        "本报13月29日讯 近日",
        "本报12月32日讯 近日",
        "新华社电 近日",
        "29日下午，推进会召开。",
    ],
)
def test_not_a_dateline(text: str) -> None:
    assert find(text) is None


def test_only_the_first_paragraph_has_a_dateline() -> None:
    article = only(doc("## 标题", "", "第一段。", "", "本报讯 这不是电头所在的段。"))
    assert article.dateline is None
    assert [p.text for p in article.paragraphs] == ["第一段。", "本报讯 这不是电头所在的段。"]


def test_a_paragraph_of_only_a_dateline() -> None:
    article = only(doc("## 标题", "", "本报讯", "", "正文。"))
    assert article.dateline is not None and article.dateline.raw == "本报讯"
    assert [p.text for p in article.paragraphs] == ["正文。"]


def test_bold_dateline_keeps_the_text_after_it() -> None:
    article = only(doc("## 标题", "", "**本报12月29日讯** 29日下午，推进会召开。"))
    assert article.dateline is not None and (article.dateline.month, article.dateline.day) == (12, 29)
    assert article.paragraphs[0].text == "29日下午，推进会召开。"
