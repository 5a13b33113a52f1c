"""Runs of spans read exactly: marks and links carried through every cut, join and strip; raw HTML by its line."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from exporter.model import Mark, Span
from exporter.parser import inline
from exporter.text import script

BOLD: frozenset[Mark] = frozenset({"strong"})
EM: frozenset[Mark] = frozenset({"em"})
BOTH: frozenset[Mark] = frozenset({"strong", "em"})
CODE: frozenset[Mark] = frozenset({"code"})
LINK = "https://www.qingdaonews.com/"


def tokens(text: str) -> list[Token]:
    """markdown-it's block tokens for ``text``, raw HTML allowed as the parser allows it."""
    return MarkdownIt("commonmark", {"html": True}).parse(text)


def children(text: str) -> list[Token]:
    """The inline tokens of the one paragraph ``text`` is."""
    (_, para, _) = tokens(text)
    return para.children or []


@pytest.mark.parametrize(
    ("ch", "wide"),
    [
        ("中", True),  # East Asian Width W
        ("Ａ", True),  # F: a full-width Latin letter
        ("，", True),  # F
        ("“", False),  # A (ambiguous): a quote mark Latin text shares
        ("ｱ", False),  # H: half-width katakana
        ("a", False),  # Na
    ],
)
def test_wide_is_east_asian_width_w_or_f(ch: str, wide: bool) -> None:
    assert script.is_wide(ch) is wide


@pytest.mark.parametrize(
    ("left", "right", "sep"),
    [
        ("plan", "", ""),
        ("", "", ""),
        ("", "plan", ""),
        ("plan", "was", " "),
        ("计划", "was", ""),
        ("plan", "已", ""),
        ("plan，", "was", ""),
    ],
)
def test_join_text(left: str, right: str, sep: str) -> None:
    assert inline.join_text(left, right) == sep


def test_merge_keeps_links_apart() -> None:
    assert inline.merge([Span("详见", href=LINK), Span("官网", href=LINK)]) == (Span("详见官网", href=LINK),)
    assert inline.merge([Span("详见"), Span("官网", href=LINK)]) == (Span("详见"), Span("官网", href=LINK))
    assert inline.merge([Span("详见", BOLD, LINK), Span("官网", BOLD, "https://a.cn/")]) == (
        Span("详见", BOLD, LINK),
        Span("官网", BOLD, "https://a.cn/"),
    )
    assert inline.merge([Span("甲", BOLD, LINK), Span("", EM), Span("乙", BOLD, LINK)]) == (Span("甲乙", BOLD, LINK),)
    assert inline.merge([]) == ()


def test_concat_puts_the_separator_unmarked_between() -> None:
    assert inline.concat((Span("会议"),), (Span("召开"),)) == (Span("会议召开"),)
    assert inline.concat((Span("It", BOLD),), (Span("was", BOLD),), " ") == (
        Span("It", BOLD),
        Span(" "),
        Span("was", BOLD),
    )
    assert inline.concat((Span("It"),), (Span("was"),), " ") == (Span("It was"),)


def test_cut_keeps_marks_and_links_on_both_sides() -> None:
    spans = (Span("本报讯", BOLD, LINK), Span("正文", EM))
    assert inline.cut(spans, 2) == ((Span("本报", BOLD, LINK),), (Span("讯", BOLD, LINK), Span("正文", EM)))
    assert inline.cut(spans, 4) == ((Span("本报讯", BOLD, LINK), Span("正", EM)), (Span("文", EM),))
    assert inline.cut(spans, 5) == (spans, ())
    assert inline.cut(spans, 9) == (spans, ())
    assert inline.cut((), 3) == ((), ())


def test_strip_across_spans() -> None:
    spans = (Span(" "), Span("\u3000正文", BOLD), Span("结尾 ", EM), Span("\u3000"))
    assert inline.lstrip(spans) == (Span("正文", BOLD), Span("结尾 ", EM), Span("\u3000"))
    assert inline.rstrip(spans) == (Span(" "), Span("\u3000正文", BOLD), Span("结尾", EM))
    assert inline.strip(spans) == (Span("正文", BOLD), Span("结尾", EM))
    assert inline.strip((Span(" \u3000 "),)) == ()
    assert inline.lstrip((Span("正文 "),)) == (Span("正文 "),)
    assert inline.rstrip((Span(" 正文"),)) == (Span(" 正文"),)


def test_lines_of_a_paragraph_with_every_mark() -> None:
    runs = inline.lines(children('第一行<b>粗</b>\n**粗*斜*体** `代码` [链接](https://a.cn/ "t")  \n![图](a.png)末'))
    assert runs == [
        (Span("第一行<b>粗</b>"),),
        (
            Span("粗", BOLD),
            Span("斜", BOTH),
            Span("体", BOLD),
            Span(" "),
            Span("代码", CODE),
            Span(" "),
            Span("链接", href="https://a.cn/"),
        ),
        # An image's text in a line is its alt text.
        (Span("图末"),),
    ]


def test_lines_inside_marks_and_links() -> None:
    runs = inline.lines(children("**粗`码`**[*斜*`码`](https://a.cn/)后"))
    assert runs == [
        (
            Span("粗", BOLD),
            Span("码", frozenset({"strong", "code"})),
            Span("斜", EM, "https://a.cn/"),
            Span("码", CODE, "https://a.cn/"),
            Span("后"),
        )
    ]


def test_a_link_without_a_target_and_a_token_of_unknown_kind_keep_their_text() -> None:
    link = Token("link_open", "a", 1)
    unknown = Token("math_inline", "", 0, content="E=mc²")
    runs = inline.lines([link, Token("text", "", 0, content="链接"), Token("link_close", "a", -1), unknown])
    # A link with no target is no link: its text joins the unlinked text after it.
    assert runs == [(Span("链接E=mc²"),)]


def test_an_image_in_a_link_is_linked() -> None:
    runs = inline.lines(children("[![图](a.png)](https://a.cn/)后"))
    assert runs == [(Span("图", href="https://a.cn/"), Span("后"))]


def test_an_inline_token_without_a_source_line_is_not_looked_into() -> None:
    # markdown-it (the JavaScript one from version 12 on) gives a table cell's text no line: there is
    # no line to report its HTML on.
    cell = Token("inline", "", 0, children=[Token("html_inline", "", 0, content="<b>")])
    assert inline.html([cell]) == []


def test_an_empty_block_has_one_empty_line() -> None:
    assert inline.lines([]) == [()]


def test_raw_html_is_found_on_its_own_line() -> None:
    text = "## 标题\n\n第一行<b>粗</b>，\n<a\nhref=x>链接</a>后<i>斜</i>。\n\n![<u>图</u>](a.png)\n"
    assert inline.html(tokens(text)) == [
        (3, "<b>"),
        (3, "</b>"),
        # A tag that goes on over a line break moves what follows to the next line.
        (4, "<a\nhref=x>"),
        (5, "</a>"),
        (5, "<i>"),
        (5, "</i>"),
        # Inside an image's alt text too.
        (7, "<u>"),
        (7, "</u>"),
    ]


def test_raw_html_in_a_headline_and_after_a_hard_break() -> None:
    assert inline.html(tokens("\n## 标题<br>\n\n正文  \n后<b>粗</b>\n")) == [(2, "<br>"), (5, "<b>"), (5, "</b>")]


def test_join_lines_strips_each_line_and_skips_empty_ones() -> None:
    runs = [(Span(" "),), (Span(" It", BOLD),), (Span("\u3000"),), (Span("was ", BOLD),), (Span("好。"),)]
    # The space between two lines is no one's: unmarked, between the bold words.
    assert inline.join_lines(runs) == (Span("It", BOLD), Span(" "), Span("was", BOLD), Span("好。"))
    assert inline.join_lines([]) == ()
    assert inline.join_lines([(Span("It"),), (Span("was", EM),)]) == (Span("It "), Span("was", EM))
