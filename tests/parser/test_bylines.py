"""Bylines: marks and credit words, outlets, credits, names padded with spaces, photo credits."""

from __future__ import annotations

import pytest

from exporter.model import Article, Credit
from exporter.parser import parse
from exporter.parser.bylines import is_byline, parse_byline, photo_credits, split_photo_credit


def doc(*lines: str) -> str:
    """An issue text whose line N is ``lines[N - 1]``."""
    return "\n".join(lines) + "\n"


def only(text: str) -> Article:
    (article,) = parse(text).articles
    return article


@pytest.mark.parametrize("mark", list("□■◎●○◆◇★"))
def test_every_byline_mark_opens_a_byline(mark: str) -> None:
    article = only(doc("## 标题", "", f"{mark}本报记者 王萌", "", "会议要求，各区市要抓好落实。"))
    (byline,) = article.bylines
    assert byline.raw == f"{mark}本报记者 王萌"
    assert byline.credits == (Credit("本报记者", ("王萌",)),)
    assert byline.line == 3
    assert [p.text for p in article.paragraphs] == ["会议要求，各区市要抓好落实。"]


@pytest.mark.parametrize(
    ("line", "credits"),
    [
        ("本报记者 王萌", (Credit("本报记者", ("王萌",)),)),
        ("记者 王萌", (Credit("记者", ("王萌",)),)),
        ("通讯员 李青健", (Credit("通讯员", ("李青健",)),)),
        ("实习生 何田田", (Credit("实习生", ("何田田",)),)),
        ("文/王萌", (Credit("文", ("王萌",)),)),
        ("图/李青健", (Credit("图", ("李青健",)),)),
        ("文/图 王萌", (Credit("文/图", ("王萌",)),)),
        ("本报记者 赵 一 李 明 实习生 何田田", (Credit("本报记者", ("赵一", "李明")), Credit("实习生", ("何田田",)))),
    ],
)
def test_every_credit_word_opens_a_byline(line: str, credits: tuple[Credit, ...]) -> None:
    assert is_byline(line)
    article = only(doc("## 标题", "", line, "", "会议要求，各区市要抓好落实。"))
    (byline,) = article.bylines
    assert byline.raw == line
    assert byline.credits == credits
    assert byline.outlet is None
    assert [p.text for p in article.paragraphs] == ["会议要求，各区市要抓好落实。"]


def test_byline_ending_with_two_spaces_then_the_first_paragraph() -> None:
    article = only(
        doc(
            "## 全市党建引领开放楼院精细化治理工作推进会召开",
            "",
            "□青岛日报/观海新闻记者 刘佳旋  ",
            "本报12月29日讯 29日下午，全市党建引领开放楼院精细化治理工作推进会召开。",
        )
    )
    (byline,) = article.bylines
    assert byline.raw == "□青岛日报/观海新闻记者 刘佳旋"
    assert byline.line == 3
    assert byline.credits == (Credit("记者", ("刘佳旋",)),)
    (para,) = article.paragraphs
    assert para.text == "29日下午，全市党建引领开放楼院精细化治理工作推进会召开。"
    assert para.line == 4
    assert article.dateline is not None and article.dateline.line == 4


def test_credit_word_byline_with_hard_break_then_the_first_paragraph() -> None:
    article = only(doc("## 标题", "", "本报记者 王 萌  ", "会议要求，各区市要抓好落实。"))
    assert [b.credits for b in article.bylines] == [(Credit("本报记者", ("王萌",)),)]
    assert [(p.text, p.line) for p in article.paragraphs] == [("会议要求，各区市要抓好落实。", 4)]


def test_two_bylines_in_a_row() -> None:
    article = only(doc("## 标题", "", "□本报记者 王萌", "", "□通讯员 李青健", "", "正文。"))
    assert [b.line for b in article.bylines] == [3, 5]
    assert [p.text for p in article.paragraphs] == ["正文。"]


def test_outlet_and_credits() -> None:
    byline = parse_byline("□青岛日报/观海新闻记者 王 萌 通讯员 李青健", 7)
    assert byline.outlet == "青岛日报/观海新闻"
    assert byline.credits == (Credit("记者", ("王萌",)), Credit("通讯员", ("李青健",)))
    assert byline.line == 7
    assert byline.raw == "□青岛日报/观海新闻记者 王 萌 通讯员 李青健"


def test_single_characters_pair_into_names() -> None:
    byline = parse_byline("□青岛日报/观海新闻记者 李德银 曹 森 衣 涛 余瑞新", 1)
    assert byline.credits == (Credit("记者", ("李德银", "曹森", "衣涛", "余瑞新")),)


def test_names_without_a_role() -> None:
    assert parse_byline("李德银 曹 森 衣 涛 余瑞新", 1).credits == (Credit("", ("李德银", "曹森", "衣涛", "余瑞新")),)


def test_names_separated_by_enumeration_commas_and_ideographic_spaces() -> None:
    byline = parse_byline("本报记者 王萌、李青健\u3000张 晋", 1)
    assert byline.credits == (Credit("本报记者", ("王萌", "李青健", "张晋")),)


def test_latin_names_stay_whole() -> None:
    assert parse_byline("记者 John Smith 王萌", 1).credits == (Credit("记者", ("John Smith", "王萌")),)


def test_a_sentence_that_starts_with_a_credit_word_is_not_a_byline() -> None:
    assert not is_byline("记者从市教育局获悉，今年全市学校开展读书活动。")
    article = only(
        doc("## 标题", "", "记者从市教育局获悉，今年全市学校开展读书活动。", "", "会议要求，各区市要抓好落实。")
    )
    assert article.bylines == ()
    assert [p.text for p in article.paragraphs] == [
        "记者从市教育局获悉，今年全市学校开展读书活动。",
        "会议要求，各区市要抓好落实。",
    ]


def test_a_long_line_is_not_a_byline() -> None:
    assert not is_byline("记者" + "王萌" * 45)


def test_a_credit_word_line_after_the_body_began_is_body_text() -> None:
    article = only(doc("## 标题", "", "正文。", "", "记者观察"))
    assert article.bylines == ()
    assert [p.text for p in article.paragraphs][-1] == "记者观察"


def test_a_marked_byline_later_in_the_article_is_a_byline() -> None:
    article = only(doc("## 标题", "", "正文。", "", "□本报记者 王萌"))
    assert [b.line for b in article.bylines] == [5]
    assert [p.text for p in article.paragraphs] == ["正文。"]


def test_byline_is_not_in_the_text() -> None:
    article = only(doc("## 标题", "", "□青岛日报/观海新闻记者 王 萌 通讯员 李青健", "", "正文。"))
    assert all("记者" not in p.text for p in article.paragraphs)


@pytest.mark.parametrize(
    ("caption", "text", "credit"),
    [
        ("会场一角（记者 王萌 摄）", "会场一角", "记者 王萌 摄"),
        ("会场一角(记者 王萌 摄)", "会场一角", "记者 王萌 摄"),
        ("会场一角（新华社发）", "会场一角", "新华社发"),
        ("会场一角（受访者供图）", "会场一角", "受访者供图"),
        ("会场一角（东作业区）", "会场一角（东作业区）", None),
        ("会场一角", "会场一角", None),
    ],
)
def test_photo_credit_at_the_end_of_a_caption(caption: str, text: str, credit: str | None) -> None:
    assert split_photo_credit(caption) == (text, credit)


def test_photo_credits_drop_the_trailing_she() -> None:
    assert photo_credits("记者 王萌 摄") == (Credit("记者", ("王萌",)),)
    assert photo_credits("本报记者 王 萌 通讯员 李青健 摄") == (
        Credit("本报记者", ("王萌",)),
        Credit("通讯员", ("李青健",)),
    )
    assert photo_credits("王萌 摄") == (Credit("", ("王萌",)),)
