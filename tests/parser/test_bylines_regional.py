"""Bylines as Taiwan and Hong Kong papers write them: traditional credit words, where the report was filed."""

from __future__ import annotations

import pytest

from exporter.model import Article, Credit
from exporter.parser import parse
from exporter.parser.bylines import is_byline, parse_byline


def doc(*lines: str) -> str:
    """An issue text whose line N is ``lines[N - 1]``."""
    return "\n".join(lines) + "\n"


def only(text: str) -> Article:
    (article,) = parse(text).articles
    return article


BODY = "臺南市政府今天宣布，將擴大補助。"


def test_a_marked_taiwan_byline_keeps_the_whole_name_and_the_place() -> None:
    byline = parse_byline("◎記者 鄭雅文／臺南報導", 3)
    assert byline.raw == "◎記者 鄭雅文／臺南報導"
    assert byline.outlet is None
    assert byline.credits == (Credit("記者", ("鄭雅文",)),)
    assert (byline.place, byline.report) == ("臺南", "報導")
    assert byline.line == 3


def test_a_traditional_credit_word_is_one_role() -> None:
    byline = parse_byline("◎特約記者 林文雄", 3)
    assert byline.credits == (Credit("特約記者", ("林文雄",)),)
    assert byline.place is None and byline.report is None


@pytest.mark.parametrize(
    ("line", "outlet", "credits", "place", "report"),
    [
        ("記者鄭雅文/臺南報導", None, (Credit("記者", ("鄭雅文",)),), "臺南", "報導"),
        ("記者 鄭雅文、林文雄／臺北報導", None, (Credit("記者", ("鄭雅文", "林文雄")),), "臺北", "報導"),
        ("聯合報記者王小明／臺北報導", "聯合報", (Credit("記者", ("王小明",)),), "臺北", "報導"),
        ("本報記者 陳大文 香港報道", None, (Credit("本報記者", ("陳大文",)),), "香港", "報道"),
        ("记者 王萌/青岛报道", None, (Credit("记者", ("王萌",)),), "青岛", "报道"),
        ("中央社記者陳家倫／台北電", "中央社", (Credit("記者", ("陳家倫",)),), "台北", "電"),
        ("記者鄭雅文／綜合報導", None, (Credit("記者", ("鄭雅文",)),), "綜合", "報導"),
        ("本報通訊員 李青健", None, (Credit("本報通訊員", ("李青健",)),), None, None),
        ("實習生 何田田", None, (Credit("實習生", ("何田田",)),), None, None),
    ],
)
def test_an_unmarked_byline_is_a_byline_and_loses_nothing(
    line: str, outlet: str | None, credits: tuple[Credit, ...], place: str | None, report: str | None
) -> None:
    assert is_byline(line)
    article = only(doc("## 標題", "", line, "", BODY))
    (byline,) = article.bylines
    assert (byline.raw, byline.outlet, byline.credits, byline.place, byline.report, byline.line) == (
        line,
        outlet,
        credits,
        place,
        report,
        3,
    )
    assert [(p.text, p.line) for p in article.paragraphs] == [(BODY, 5)]


def test_an_unmarked_byline_on_the_line_before_the_text() -> None:
    article = only(doc("## 標題", "", "記者鄭雅文/臺南報導", BODY))
    assert [b.raw for b in article.bylines] == ["記者鄭雅文/臺南報導"]
    assert [(p.text, p.line) for p in article.paragraphs] == [(BODY, 4)]


def test_the_slash_before_the_place_is_no_credit_word() -> None:
    # 林文／臺南報導 is 林文 filing from 臺南, not 林 with a credit 文／.
    assert parse_byline("文/王萌 图/李青健", 1).credits == (Credit("文", ("王萌",)), Credit("图", ("李青健",)))
    assert parse_byline("◎記者 林文／臺南報導", 1).credits == (Credit("記者", ("林文",)),)


def test_a_sentence_ending_in_a_report_word_is_not_a_byline() -> None:
    assert not is_byline("市民說，他們期待更多報導。")
    assert not is_byline("這是一篇關於港口的報導")


def test_a_name_ending_in_dian_with_no_slash_stays_a_name() -> None:
    byline = parse_byline("记者 王电", 1)
    assert byline.credits == (Credit("记者", ("王电",)),)
    assert byline.place is None


def test_a_traditional_photo_credit_is_split_from_its_caption() -> None:
    article = only(doc("## 標題", "", BODY, "", "![港口夜景（記者 鄭雅文 攝）](images/a.png)"))
    (figure,) = [b for b in article.blocks if b.kind == "figure"]
    assert figure.text == "港口夜景"
    assert figure.credit == "記者 鄭雅文 攝"
    assert figure.credits == (Credit("記者", ("鄭雅文",)),)


def test_a_hong_kong_byline_with_two_credits() -> None:
    byline = parse_byline("□維港日報記者 鄭 嘉 實習記者 區詠詩", 1)
    assert byline.outlet == "維港日報"
    assert byline.credits == (Credit("記者", ("鄭嘉",)), Credit("實習記者", ("區詠詩",)))
