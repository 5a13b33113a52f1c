"""Bylines and photo credits marked up name by name, and the print edition's emphasised characters one by one."""

from __future__ import annotations

from exporter.model import Credit, Span
from exporter.parser.bylines import parse_byline, photo_credits
from exporter.text.credits import credit_html
from exporter.text.emphasis import dotted
from exporter.text.typography import inline_html


def byline(raw: str) -> str:
    parsed = parse_byline(raw, 1)
    return str(credit_html(parsed.raw, parsed.credits))


def test_padded_names_are_set_tight_each_name_and_role_a_span() -> None:
    assert byline("□本报记者 赵 一 李 明 实习生 何田田") == (
        '<span class="byline-mark">□</span><span class="role">本报记者</span> <span class="name">赵一</span> '
        '<span class="name">李明</span> <span class="role">实习生</span> <span class="name">何田田</span>'
    )


def test_the_outlet_and_where_it_was_filed_are_printed_as_written() -> None:
    assert byline("□青岛日报/观海新闻记者 曹 森 黄光丽") == (
        '<span class="byline-mark">□</span>青岛日报/观海新闻<span class="role">记者</span> '
        '<span class="name">曹森</span> <span class="name">黄光丽</span>'
    )
    filed = '<span class="role">記者</span> <span class="name">鄭雅文</span>／臺南報導'
    assert byline("記者 鄭雅文／臺南報導") == filed


def test_names_apart_by_an_ideographic_comma_or_space_keep_it() -> None:
    assert byline("记者 王萌、李明") == (
        '<span class="role">记者</span> <span class="name">王萌</span>'
        '<span class="pc half">、</span><span class="name">李明</span>'
    )
    assert byline("记者\u3000王\u3000萌\u3000李明") == (
        '<span class="role">记者</span>\u3000<span class="name">王萌</span>\u3000<span class="name">李明</span>'
    )


def test_a_latin_name_is_one_name_with_its_space() -> None:
    assert byline("特约记者 John  Smith 王 萌") == (
        '<span class="role">特约记者</span> <span class="name">John Smith</span> <span class="name">王萌</span>'
    )


def test_a_photo_credit() -> None:
    assert str(credit_html("记者 周 宁 摄", photo_credits("记者 周 宁 摄"))) == (
        '<span class="role">记者</span> <span class="name">周宁</span> 摄'
    )


def test_a_name_not_in_the_text_leaves_the_rest_as_written() -> None:
    credits = (Credit("记者", ("周宁", "王萌")),)
    expected = '<span class="role">记者</span> <span class="name">周宁</span> 李明'
    assert str(credit_html("记者 周宁 李明", credits)) == expected


def test_text_is_escaped_and_keeps_its_typography_spans() -> None:
    assert str(credit_html("记者<b> 周宁", (Credit("记者", ("周宁",)),))) == (
        '<span class="role">记者</span>&lt;b&gt; <span class="name">周宁</span>'
    )
    assert str(credit_html("记者 Amy", (Credit("记者", ("Amy",)),))) == (
        '<span class="role">记者</span> <span class="name">Amy</span>'
    )


def test_dots_go_on_letters_and_digits_not_on_marks_or_spaces() -> None:
    assert dotted("重点，A&amp;1 字") == (
        '<span class="em-dot">重</span><span class="em-dot">点</span>，'
        '<span class="em-dot em-dot-narrow">A</span>&amp;<span class="em-dot em-dot-narrow">1</span> '
        '<span class="em-dot">字</span>'
    )


def test_a_tate_chu_yoko_shares_one_dot() -> None:
    pair = '<span class="tcy"><span class="tcy1">1</span><span class="tcy2">2</span></span>'
    one = '<span class="tcy tcy0">5</span>'
    assert dotted(f"第{pair}{one}") == (
        f'<span class="em-dot">第</span><span class="em-dot">{pair}</span><span class="em-dot">{one}</span>'
    )


def test_only_the_print_edition_gets_dots() -> None:
    spans = (Span("看", frozenset({"em"})), Span("书", frozenset()))
    assert str(inline_html(spans, paragraph=False)) == "<em>看</em>书"
    dots = str(inline_html(spans, emphasis_dots=True, paragraph=False))
    assert dots == '<em><span class="em-dot">看</span></em>书'


def test_a_byline_is_composed_in_the_issues_scheme() -> None:
    """A 台港式 issue's byline keeps its marks full width, as its text does; 开明式 sets 、 half-width."""
    from exporter.text.compose import SCHEMES

    parsed = parse_byline("■本報記者 陳明、李家豪", 1)
    taigang = str(credit_html(parsed.raw, parsed.credits, scheme=SCHEMES["taigang"]))
    assert '<span class="name">陳明</span><span class="pc full">、</span><span class="name">李家豪</span>' in taigang
    kaiming = str(credit_html(parsed.raw, parsed.credits, scheme=SCHEMES["kaiming"]))
    assert '<span class="pc half">、</span>' in kaiming
