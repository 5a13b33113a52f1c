"""Tokenising: located headings, paragraphs, quotes, figures and markers; markup that newspaper text is not."""

from __future__ import annotations

from exporter.model import CodeBlock, ItemList, Span
from exporter.parser.blocks import Heading, Image, Marker, Para, QuoteBlock, RawHtml, tokenize


def doc(*lines: str) -> str:
    """A text whose line N is ``lines[N - 1]``."""
    return "\n".join(lines) + "\n"


def test_blocks_carry_their_source_lines() -> None:
    blocks = tokenize(
        doc(
            "<!-- page: A01 -->",
            "",
            "## 标题",
            "",
            "第一段。",
            "",
            "> 引文。",
            "",
            '![说明](a.jpg "题")',
            "",
            "<div>x</div>",
        )
    )
    assert [(type(b), b.line) for b in blocks] == [
        (Marker, 1),
        (Heading, 3),
        (Para, 5),
        (QuoteBlock, 7),
        (Image, 9),
        (RawHtml, 11),
    ]
    marker, heading, _, _, image, raw = blocks
    assert isinstance(marker, Marker) and marker.body == "page: A01"
    assert isinstance(heading, Heading) and heading.level == 2 and heading.spans == (Span("标题"),)
    assert isinstance(image, Image) and (image.src, image.title) == ("a.jpg", "题")
    assert isinstance(raw, RawHtml) and raw.text == "<div>x</div>"


def test_a_paragraph_keeps_one_run_per_source_line() -> None:
    (para,) = tokenize(doc("□本报记者 王萌  ", "本报讯 正文。"))
    assert isinstance(para, Para)
    assert [("".join(s.text for s in run)) for run in para.lines] == ["□本报记者 王萌", "本报讯 正文。"]


def test_a_dashed_line_under_a_paragraph_is_not_a_heading() -> None:
    blocks = tokenize(doc("这是一段", "---"))
    assert not any(isinstance(b, Heading) for b in blocks)


def test_numbers_and_dashes_at_line_start_are_lists() -> None:
    blocks = tokenize(doc("1. 第一点。", "", "- 第二点。"))
    assert [type(b) for b in blocks] == [ItemList, ItemList]


def test_a_number_inside_a_paragraph_stays_text() -> None:
    # A list interrupts a paragraph only from 1, as CommonMark says: `2025. ` on a continuation line is text.
    (para,) = tokenize(doc("正文第一行，", "2025. 年是关键一年。"))
    assert isinstance(para, Para)


def test_fences_are_code_blocks_with_their_text() -> None:
    (block,) = tokenize(doc("```", "代码", "```"))
    assert isinstance(block, CodeBlock) and block.text == "代码"


def test_an_image_inside_text_is_not_a_figure() -> None:
    (para,) = tokenize(doc("文字![图](a.jpg)文字"))
    assert isinstance(para, Para)


def test_a_comment_can_end_a_paragraph_without_a_blank_line() -> None:
    blocks = tokenize(doc("正文。", "<!-- page: A02 -->", "", "## 下一篇"))
    assert [type(b) for b in blocks] == [Para, Marker, Heading]
    assert blocks[1].line == 2


def test_cjk_friendly_emphasis_next_to_punctuation() -> None:
    (para,) = tokenize(doc("推出**“国家补贴”**组合拳，（**注**）说明，**加粗。**后文"))
    assert isinstance(para, Para)
    (run,) = para.lines
    assert "*" not in "".join(s.text for s in run)
    assert [s.text for s in run if s.marks == frozenset({"strong"})] == ["“国家补贴”", "注", "加粗。"]


def test_underscores_inside_chinese_words_stay_text() -> None:
    (para,) = tokenize(doc("文件名是中_文_字。"))
    assert isinstance(para, Para)
    assert para.lines == ((Span("文件名是中_文_字。"),),)


def test_latin_emphasis_follows_commonmark() -> None:
    (para,) = tokenize(doc("a **bold** and *em* word, but 2 * 3 stays"))
    assert isinstance(para, Para)
    (run,) = para.lines
    assert run == (
        Span("a "),
        Span("bold", frozenset({"strong"})),
        Span(" and "),
        Span("em", frozenset({"em"})),
        Span(" word, but 2 * 3 stays"),
    )


def test_inline_code_and_links_are_marked() -> None:
    (para,) = tokenize(doc("见`代码`和[链接](https://example.com)。"))
    assert isinstance(para, Para)
    (run,) = para.lines
    assert Span("代码", frozenset({"code"})) in run
    assert Span("链接", frozenset(), "https://example.com") in run
