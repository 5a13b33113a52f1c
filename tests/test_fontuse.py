"""Which characters each font role sets at each weight (exporter.editions.fontuse): real CSS weights, the
text CSS writes itself (``content`` of pseudo-elements and of the ``@page`` margin boxes), and rules of a
pseudo-element kept off the element they follow."""

from __future__ import annotations

import pytest

from exporter.editions import fontuse

PAGE = (
    '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>题</title></head><body>'
    '<h1 class="headline">要闻</h1><p class="kicker">引题</p><p class="medium">中等</p>'
    '<p class="semi">半粗</p><p class="black">特粗<strong>更粗</strong></p>'
    '<p class="light">细体<b>加粗</b></p><p class="short">简写</p>'
    '<p class="toc"><a href="#a1" data-page="A01">目录</a></p><p id="a1" class="target">海边灯塔</p>'
    "</body></html>"
)


def usage(css: str, page: str = PAGE) -> dict[tuple[str, int], str]:
    """The characters of each (role, weight), sorted, as one string each."""
    return {key: "".join(sorted(chars)) for key, chars in fontuse.characters([page], css).items()}


def chars(text: str) -> str:
    """The characters of ``text`` as :func:`usage` gives them: sorted, once each, without white space."""
    return "".join(sorted({ch for ch in text if not ch.isspace()}))


def test_every_css_weight_is_kept_as_the_engines_compute_it() -> None:
    css = (
        ".headline, .kicker { font-family: var(--font-headline); }\n"
        ".medium { font-weight: 500; } .semi { font-weight: 600 !important; } .black { font-weight: 900; }\n"
        ".black strong { font-weight: bolder; } .light { font-weight: 300; } .light b { font-weight: lighter; }\n"
        ".short { font: italic 650 1.2em/1.5 var(--font-sans); }\n"
    )
    assert usage(css) == {
        ("body", 100): chars("加粗"),  # lighter than 300
        ("body", 300): chars("细体"),
        ("body", 400): chars("题目录海边灯塔"),
        ("body", 500): chars("中等"),
        ("body", 600): chars("半粗"),
        ("body", 900): chars("特粗更粗"),  # bolder than 900 stays 900
        ("headline", 400): chars("引题"),
        ("headline", 700): chars("要闻"),  # h1: the browser's bold
        ("sans", 650): chars("简写"),
    }


@pytest.mark.parametrize(
    ("value", "inherited", "computed"),
    [
        ("bolder", 100, 400),
        ("bolder", 349, 400),
        ("bolder", 350, 700),
        ("bolder", 549, 700),
        ("bolder", 550, 900),
        ("bolder", 950, 950),
        ("lighter", 99, 99),
        ("lighter", 100, 100),
        ("lighter", 549, 100),
        ("lighter", 550, 400),
        ("lighter", 749, 400),
        ("lighter", 750, 700),
        ("normal", 900, 400),
        ("bold", 100, 700),
        ("inherit", 600, 600),
        ("1000", 400, 1000),
        ("1001", 500, 500),  # out of range: ignored, as a browser ignores the declaration
        ("heavy", 300, 300),
    ],
)
def test_bolder_and_lighter_follow_the_table_of_css_fonts_4(value: str, inherited: int, computed: int) -> None:
    assert fontuse.css_weight(value, inherited) == computed


def test_the_font_shorthand_without_a_weight_resets_it_to_normal() -> None:
    css = ".black { font-weight: 900; } .black strong { font: 1em var(--font-sans); }"
    assert usage(css)[("sans", 400)] == chars("更粗")
    assert usage(css)[("body", 900)] == chars("特粗")


def test_the_text_of_before_and_after_goes_to_the_role_and_weight_of_its_rule() -> None:
    css = (
        ".headline { font-family: var(--font-headline); }\n"
        '.headline::before { content: "专稿" attr(class); }\n'
        '.kicker::after { content: "◆" open-quote; font-family: var(--font-sans); font-weight: 500; }\n'
        '.toc a::after { content: leader(dotted) "　第" target-counter(attr(href), page, cjk-decimal) "版"; }\n'
        '.target::before { content: target-text("#a1") counters(item, "-") ""; }\n'
        ".medium::before { content: url(x.png); } .semi::before { content: string(paper); }\n"
    )
    found = usage(css)
    assert found[("headline", 700)] == chars("要闻专稿headline")
    assert found[("sans", 500)] == chars("◆“”‘’")
    text = "题引题中等半粗特粗细体简写目录海边灯塔"  # every element's own text but the bold ones
    assert found[("body", 400)] == chars(text + ".　第〇一二三四五六七八九版" + "海边灯塔0123456789-")
    assert found[("body", 700)] == chars("更粗加粗")


def test_a_pseudo_elements_rule_is_not_its_elements() -> None:
    # The ::first-letter rule sets the first letter in the headline role; the paragraph stays in the body role.
    css = ".target::first-letter { font-family: var(--font-headline); font-weight: 900; }"
    found = usage(css)
    assert found[("headline", 900)] == "海"
    assert found[("body", 400)] == chars("题引题中等半粗特粗细体简写目录海边灯塔")


def test_the_page_margin_boxes_text_goes_to_the_body_role_unless_a_rule_names_another() -> None:
    css = (
        '@page { @bottom-right { content: "滨海日报 · 本报印刷" counter(page) "/" counter(pages); } }\n'
        '@page :first { font-family: var(--font-sans); @top-left { content: "头版"; font-weight: bold; }'
        ' @top-right { content: "要目"; font-family: var(--font-headline); } }\n'
        '@page { @bottom-left { content: string(paper) " " string(issue-date); } }\n'
    )
    page = '<html xmlns="http://www.w3.org/1999/xhtml"><body></body></html>'
    assert usage(css, page) == {
        ("body", 400): chars("滨海日报·本报印刷/0123456789"),
        ("sans", 700): chars("头版"),
        ("headline", 400): chars("要目"),
    }
