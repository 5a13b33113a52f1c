"""The markup Chinese typography adds around the text: every expected string here is written out by hand."""

from __future__ import annotations

import re

import pytest

from exporter.model import Span
from exporter.text.typography import inline_html, text_html, vertical_quotes

GAP = "latin gap-before gap-after"
_MARK = re.compile(r'<span class="p[oc][a-z ]*">(.)</span>')


def latin_spans(html: str) -> str:
    """The HTML without the punctuation spans of the composition (tests/test_compose.py has those)."""
    return _MARK.sub(r"\1", html)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("在2025年", f'在<span class="{GAP}">2025</span>年'),
        ("2025年", '<span class="latin gap-after">2025</span>年'),
        ("增长6.8%", '增长<span class="latin gap-before">6.8%</span>'),
        ("AI", "AI"),  # no Chinese beside it: nothing to space
        ("在 AI 中", "在 AI 中"),  # the writer's own spaces: no gap added
        ("用AI。", '用<span class="latin gap-before">AI</span>。'),  # the full stop is not a character of the word
        ("共1,000人", f'共<span class="{GAP}">1,000</span>人'),
        ("据AT&T称", f'据<span class="{GAP}">AT&amp;T</span>称'),
        ("它的iPhone's屏", f'它的<span class="{GAP}">iPhone&#39;s</span>屏'),
        ("A股和B股", f'<span class="latin gap-after">A</span>股和<span class="{GAP}">B</span>股'),
        ("<b>&", "&lt;b&gt;&amp;"),
        ("の2つ", f'の<span class="{GAP}">2</span>つ'),  # kana are set like Han
        ("\u3400A\u4dbf", f'\u3400<span class="{GAP}">A</span>\u4dbf'),  # CJK extension A, both ends
        ("\uf900A", '\uf900<span class="latin gap-before">A</span>'),  # compatibility ideographs
        ("\u4dc0A", "\u4dc0A"),  # a Yijing hexagram, just past extension A, is not Han
        ("\u3000A", "\u3000A"),  # the ideographic space is not Han
    ],
)
def test_latin_runs_beside_han_get_their_gaps(text: str, html: str) -> None:
    assert latin_spans(str(text_html(text))) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("第1版", '第<span class="tcy tcy0">1</span>版'),
        ("12月", '<span class="tcy"><span class="tcy1">1</span><span class="tcy2">2</span></span>月'),
        ("共123人", f'共<span class="{GAP}">123</span>人'),  # three digits are too wide to stand across
        ("用AI", '用<span class="latin gap-before">AI</span>'),
        ("1.5倍", '<span class="latin gap-after">1.5</span>倍'),
    ],
)
def test_short_numbers_stand_across_in_vertical_text(text: str, html: str) -> None:
    assert latin_spans(str(text_html(text, vertical=True))) == html
    if "tcy" in html:
        assert "tcy" not in str(text_html(text))  # horizontal text has no tate-chu-yoko


@pytest.mark.parametrize(
    ("text", "turned"),
    [
        ("“你好”", "「你好」"),
        ("‘引’", "『引』"),
        ("“他说‘好’”", "「他说『好』」"),
        ("it’s", "it’s"),  # an apostrophe inside a Latin word stays
        ("I’m", "I’m"),  # after the first letter too
        ("’s", "』s"),  # at the start it closes a quote
        ("s’", "s』"),  # at the end too
        ("a’中", "a』中"),
        ("中’a", "中』a"),
    ],
)
def test_vertical_quotes(text: str, turned: str) -> None:
    assert vertical_quotes(text) == turned


def test_corner_quotes_are_applied_before_the_spans() -> None:
    assert latin_spans(str(text_html("“AI”来了", corner_quotes=True))) == "「AI」来了"
    assert latin_spans(str(text_html("“AI”来了"))) == "“AI”来了"


def test_marks_nest_in_one_order_and_links_wrap_them() -> None:
    spans = (
        Span("见"),
        Span("2025年", marks=frozenset({"strong", "em", "code"}), href="HTTPS://example.org/?a=1&b=2"),
    )
    assert str(inline_html(spans)) == (
        '见<a href="HTTPS://example.org/?a=1&amp;b=2"><strong><em><code>'
        '<span class="nobr"><span class="latin gap-before gap-after">2025</span>年</span></code></em></strong></a>'
    )


@pytest.mark.parametrize("href", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "/relative"])
def test_unsafe_links_keep_their_text_and_lose_the_link(href: str) -> None:
    assert str(inline_html((Span("点此", href=href),))) == '<span class="nobr">点此</span>'


@pytest.mark.parametrize("href", ["http://a.cn", "https://a.cn", "mailto:desk@a.cn"])
def test_safe_links_are_kept(href: str) -> None:
    assert str(inline_html((Span("点此", href=href),))) == f'<a href="{href}"><span class="nobr">点此</span></a>'


def test_inline_html_passes_vertical_and_corner_quotes_on() -> None:
    spans = (Span("“第1版”"),)
    vertical = str(inline_html(spans, vertical=True, corner_quotes=True, paragraph=False))
    assert latin_spans(vertical) == '「第<span class="tcy tcy0">1</span>版」'
    assert latin_spans(str(inline_html(spans, paragraph=False))) == f'“第<span class="{GAP}">1</span>版”'
