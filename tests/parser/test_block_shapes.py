"""The block reader's every shape, whole: lists, tables, fences, deep nesting, quotes, emphasis, rules."""

from __future__ import annotations

import pytest

from exporter.model import CodeBlock, ItemList, ListItem, Span, Table
from exporter.parser.blocks import Heading, Image, InlineHtml, Marker, Note, Para, QuoteBlock, RawHtml, tokenize


def doc(*lines: str) -> str:
    """A text whose line N is ``lines[N - 1]``."""
    return "\n".join(lines) + "\n"


def s(text: str, *marks: str, href: str | None = None) -> Span:
    return Span(text, frozenset(marks), href)


def para(text: str) -> tuple[Span, ...]:
    return (s(text),)


FLATTENED = (
    "this {what} is nested {depth} levels deep, more than the {limit} the format reads: it is printed as one "
    "level, every line of its text kept; remove the extra `>` or list marks"
)
NESTED = (
    "a quote inside a quote ({depth} levels) is printed as one quote, its paragraphs in order: if that reads "
    "wrong, quote it in words (“…”) instead"
)


# -- lists -------------------------------------------------------------------------------------------


def test_an_ordered_list_keeps_its_numbers_and_nested_lists() -> None:
    assert tokenize(doc("7. 七", "8. 八", "", "   - 子 *强*", "   - 子二", "9. 九")) == [
        ItemList(
            True,
            (
                ListItem("7.", (para("七"),), 1),
                ListItem(
                    "8.",
                    (para("八"),),
                    2,
                    (
                        ItemList(
                            False,
                            (ListItem("-", ((s("子 "), s("强", "em")),), 4), ListItem("-", (para("子二"),), 5)),
                            4,
                        ),
                    ),
                ),
                ListItem("9.", (para("九"),), 6),
            ),
            1,
        )
    ]


def test_a_list_with_parentheses_and_a_paragraph_on_two_lines() -> None:
    assert tokenize(doc("3) 三", "   续行", "4) 四")) == [
        ItemList(True, (ListItem("3)", (para("三续行"),), 1), ListItem("4)", (para("四"),), 3)), 1)
    ]


def test_a_new_bullet_character_starts_a_new_list_and_an_empty_item_has_no_paragraph() -> None:
    assert tokenize(doc("- 甲", "-", "+ 乙", "", "* 丙")) == [
        ItemList(False, (ListItem("-", (para("甲"),), 1), ListItem("-", (), 2)), 1),
        ItemList(False, (ListItem("+", (para("乙"),), 3),), 3),
        ItemList(False, (ListItem("*", (para("丙"),), 5),), 5),
    ]


def test_a_loose_item_keeps_each_paragraph() -> None:
    assert tokenize(doc("1. 第一段", "", "   第二段", "", "2. 下一项")) == [
        ItemList(True, (ListItem("1.", (para("第一段"), para("第二段")), 1), ListItem("2.", (para("下一项"),), 5)), 1)
    ]


def test_quotes_tables_fences_headings_and_html_inside_an_item_are_its_paragraphs() -> None:
    text = doc(
        "- 甲",
        "",
        "  > 引 *强*",
        "  > 续",
        "",
        "  | a | b |",
        "  |---|--:|",
        "  | 1 | 2 |",
        "",
        "  ```sh",
        "  ls",
        "  ```",
        "",
        "  ## 标",
        "",
        "  <p>h</p>",
    )
    assert tokenize(text) == [
        ItemList(
            False,
            (
                ListItem(
                    "-",
                    (
                        para("甲"),
                        (s("引 "), s("强", "em"), s("续")),
                        para("a b"),
                        para("1 2"),
                        para("ls"),
                        para("标"),
                        para("<p>h</p>"),
                    ),
                    1,
                ),
            ),
            1,
        )
    ]


def test_an_ordered_list_inside_an_item_inside_a_fence() -> None:
    assert tokenize(doc("8. 八", "   1. 一", "      ```", "      c", "      ```")) == [
        ItemList(
            True,
            (ListItem("8.", (para("八"),), 1, (ItemList(True, (ListItem("1.", (para("一"), para("c")), 2),), 2),)),),
            1,
        )
    ]


def test_an_empty_fence_in_an_item_leaves_no_paragraph() -> None:
    assert tokenize(doc("- 甲", "", "  ```", "  ```")) == [ItemList(False, (ListItem("-", (para("甲"),), 1),), 1)]


# -- quotes ------------------------------------------------------------------------------------------


def test_a_plain_quote_has_no_note() -> None:
    assert tokenize(doc("正文", "", "> 甲", "> 乙", ">", "> 丙")) == [
        Para((para("正文"),), 1),
        QuoteBlock((para("甲乙"), para("丙")), 3),
    ]


def test_a_quote_in_a_quote_is_reported_with_its_depth() -> None:
    assert tokenize(doc("> a", "> > b", ">", "> c")) == [
        Note(1, "quote-nested", "warning", NESTED.format(depth=2)),
        QuoteBlock((para("a"), para("b"), para("c")), 1),
    ]


def test_a_quote_three_deep_behind_a_shallow_branch_counts_its_deepest_branch() -> None:
    assert tokenize(doc("> > 浅", ">", "> - > > 深")) == [
        Note(1, "quote-nested", "warning", NESTED.format(depth=3)),
        QuoteBlock((para("浅"), para("深")), 1),
    ]


def test_lists_fences_html_and_tables_inside_a_quote_are_its_paragraphs() -> None:
    text = doc(
        "> 1. x",
        ">    y",
        "> 2) z",
        "> - w",
        ">",
        ">   v",
        "> ```py",
        "> code",
        "> ```",
        "> <div>h</div>",
        ">",
        "> | a | b | c |",
        "> |---|---|---|",
        "> | *c* |  | d |",
    )
    assert tokenize(text) == [
        QuoteBlock(
            (
                para("1. x y"),
                para("2) z"),
                para("w"),
                para("v"),
                para("code"),
                para("<div>h</div>"),
                para("a b c"),
                (s("c", "em"), s(" d")),  # the empty cell adds nothing
            ),
            1,
        )
    ]


def test_an_ordered_item_in_a_quote_with_only_an_empty_fence_keeps_its_number() -> None:
    assert tokenize(doc("> 1. ```", ">    ```", "> 2. 乙")) == [QuoteBlock((para("1. "), para("2. 乙")), 1)]


def test_an_empty_quote_has_no_paragraphs() -> None:
    assert tokenize(doc(">", "", "正文")) == [QuoteBlock((), 1), Para((para("正文"),), 3)]


# -- tables ------------------------------------------------------------------------------------------


def test_a_table_with_every_alignment_marks_in_cells_and_escaped_pipes() -> None:
    text = doc(
        "正文",
        "",
        "| 名 | 左 | 中 | 右 |",
        "|---|:--|:-:|--:|",
        "| p \\| q | **s** | `c` | [l](u) |",
        "| 一 |",
    )
    assert tokenize(text) == [
        Para((para("正文"),), 1),
        Table(
            (para("名"), para("左"), para("中"), para("右")),
            (
                (para("p | q"), (s("s", "strong"),), (s("c", "code"),), (s("l", href="u"),)),
                (para("一"), (), (), ()),
            ),
            (None, "left", "center", "right"),
            3,
            (3, 5, 6),
        ),
    ]


def test_a_row_wider_than_its_header_widens_the_table_and_is_reported() -> None:
    text = doc("| a | b |", "|---|---|", "| 1 | 2 | *3* | 4 |", "| x | y |")
    assert tokenize(text) == [
        Table(
            (para("a"), para("b"), (), ()),
            ((para("1"), para("2"), (s("3", "em"),), para("4")), (para("x"), para("y"), (), ())),
            (None, None, None, None),
            1,
            (1, 3, 4),
        ),
        Note(
            3,
            "table-cells",
            "warning",
            "this row has 4 cells and the header 2: the table is widened so that no cell is lost; "
            "give the header as many cells as its rows",
        ),
    ]


def test_two_wide_rows_are_each_reported_against_the_header() -> None:
    text = doc("| a |", "|:-:|", "| 1 | 2 |", "| 3 | 4 | 5 |")
    assert tokenize(text) == [
        Table(
            (para("a"), (), ()),
            ((para("1"), para("2"), ()), (para("3"), para("4"), para("5"))),
            ("center", None, None),
            1,
            (1, 3, 4),
        ),
        Note(
            3,
            "table-cells",
            "warning",
            "this row has 2 cells and the header 1: the table is widened so that "
            "no cell is lost; give the header as many cells as its rows",
        ),
        Note(
            4,
            "table-cells",
            "warning",
            "this row has 3 cells and the header 1: the table is widened so that "
            "no cell is lost; give the header as many cells as its rows",
        ),
    ]


def test_a_header_only_table() -> None:
    assert tokenize(doc("| 甲 | 乙 |", "| --: | --- |")) == [
        Table((para("甲"), para("乙")), (), ("right", None), 1, (1,))
    ]


# -- fences ------------------------------------------------------------------------------------------


def test_a_fence_keeps_its_info_string_and_its_lines_as_written() -> None:
    assert tokenize(doc("正文", "", "~~~~ python  x ", "  a", "", "b", "~~~~~", "", "尾")) == [
        Para((para("正文"),), 1),
        CodeBlock("  a\n\nb", "python  x", 3),
        Para((para("尾"),), 9),
    ]


def test_an_indented_fence_loses_its_indentation() -> None:
    assert tokenize(doc("   ```", "   a", "    b", "   ```")) == [CodeBlock("a\n b", "", 1)]


def test_an_empty_fence_prints_nothing() -> None:
    assert tokenize(doc("```", "", "  ", "```")) == []


def test_an_unclosed_fence_is_an_error() -> None:
    assert tokenize(doc("正文", "", "```js", "x", "", "## 不是标题")) == [
        Para((para("正文"),), 1),
        Note(
            3,
            "code-unclosed",
            "error",
            "the block opened by ````js` is never closed, so all that follows would print as code: "
            "close it with a line of `````, or delete this line",  # the fence ``` in backticks
        ),
    ]


def test_a_fence_opened_on_the_last_line_is_unclosed() -> None:
    assert tokenize("~~~~") == [
        Note(
            1,
            "code-unclosed",
            "error",
            "the block opened by `~~~~` is never closed, so all that follows would print as code: "
            "close it with a line of `~~~~`, or delete this line",
        )
    ]


def test_a_shorter_closing_line_does_not_close_a_fence() -> None:
    (note,) = tokenize(doc("````", "a", "```"))
    assert isinstance(note, Note) and note.code == "code-unclosed" and note.line == 1


def test_a_fence_closed_by_a_longer_line_is_closed() -> None:
    assert tokenize(doc("```", "a", "`````")) == [CodeBlock("a", "", 1)]


# -- deep nesting ------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [18, 19])
def test_a_quote_19_levels_deep_is_read(depth: int) -> None:
    assert tokenize(doc(">" * depth + " 深", "", "> 浅")) == [
        Note(1, "quote-nested", "warning", NESTED.format(depth=depth)),
        QuoteBlock((para("深"),), 1),
        QuoteBlock((para("浅"),), 3),
    ]


@pytest.mark.parametrize("depth", [20, 21, 25])
def test_a_quote_deeper_than_19_is_flattened(depth: int) -> None:
    deep = "> " * depth
    text = doc("正文", "", f"{deep}第一行 *强*", f"{deep}第二行", deep, f"{deep}> 更深", "", "> 浅")
    assert tokenize(text) == [
        Para((para("正文"),), 1),
        Note(3, "nesting-flattened", "warning", FLATTENED.format(what="quote", depth=depth + 1, limit=19)),
        QuoteBlock(((s("第一行 "), s("强", "em"), s("第二行")), para("更深")), 3),
        QuoteBlock((para("浅"),), 8),
    ]


def test_a_list_nested_by_indentation_beyond_nine_is_flattened_item_by_item() -> None:
    text = doc(*[("  " * i) + f"- 第{i}项" for i in range(10)])
    assert tokenize(text) == [
        Note(1, "nesting-flattened", "warning", FLATTENED.format(what="list", depth=10, limit=9)),
        ItemList(False, tuple(ListItem("-", (para(f"第{i}项"),), i + 1) for i in range(10)), 1),
    ]


def test_a_list_nested_nine_levels_is_read() -> None:
    (found,) = tokenize(doc(*[("  " * i) + f"- 第{i}项" for i in range(9)]))
    assert isinstance(found, ItemList) and found.items[0].lists


def test_a_list_nested_on_one_line_and_back_out() -> None:
    text = doc("1. " * 12 + "深", "   续", "", "2) 二", "- 三", "  - 四", "- 五")
    assert tokenize(text) == [
        Note(1, "nesting-flattened", "warning", FLATTENED.format(what="list", depth=12, limit=9)),
        ItemList(
            True,
            (
                ListItem("1.", (para("深续"),), 1),
                ListItem("2)", (para("二"),), 4),
                ListItem("-", (para("三"),), 5),
                ListItem("-", (para("四"),), 6),
                ListItem("-", (para("五"),), 7),
            ),
            1,
        ),
    ]


def test_a_deep_quote_in_a_list_is_a_list_of_its_lines() -> None:
    # The second line's marks differ from the first's: it opens an item of its own, its text kept.
    text = doc("- " + "> " * 20 + "深", "  " + "> " * 20 + "续")
    assert tokenize(text) == [
        Note(1, "nesting-flattened", "warning", FLATTENED.format(what="list", depth=21, limit=9)),
        ItemList(False, (ListItem("-", (para("深"),), 1), ListItem("-", (para("续"),), 2)), 1),
    ]


def test_a_deep_quote_starting_mid_paragraph_keeps_every_line() -> None:
    deep = "> " * 22
    text = doc(f"{deep}甲", "乙", f"{deep}+ 丙", f"{deep}丁")
    assert tokenize(text) == [
        Note(1, "nesting-flattened", "warning", FLATTENED.format(what="quote", depth=23, limit=19)),
        QuoteBlock((para("甲乙"), para("丙"), para("丁")), 1),
    ]


# -- emphasis ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("_a_ __b__", (s("a", "em"), s(" "), s("b", "strong"))),
        ("*a*b*", (s("a", "em"), s("b*"))),
        ("中_文_ x_y_ _中_", (s("中_文_ x_y_ "), s("中", "em"))),
        ("中*文*字", (s("中"), s("文", "em"), s("字"))),
        ("***c*** *`k`*", (s("c", "em", "strong"), s(" "), s("k", "code", "em"))),
        ("[**l**](u) 中**“引”**后", (s("l", "strong", href="u"), s(" 中"), s("“引”", "strong"), s("后"))),
        ("a**b**c 2 * 3 * 4", (s("a"), s("b", "strong"), s("c 2 * 3 * 4"))),
        ("“_引_”和(*括*)", (s("“"), s("引", "em"), s("”和("), s("括", "em"), s(")"))),
        ("a_(b)_ c", (s("a_(b)_ c"),)),
        ("_(b)_c", (s("_(b)_c"),)),
        ("(_b_)", (s("("), s("b", "em"), s(")"))),
        ("**加粗。**后 *x*。", (s("加粗。", "strong"), s("后 "), s("x", "em"), s("。"))),
        ("_x_", (s("x", "em"),)),
        ("x*", (s("x*"),)),
        ("a *", (s("a *"),)),
    ],
)
def test_emphasis(text: str, spans: tuple[Span, ...]) -> None:
    assert tokenize(doc(text)) == [Para((spans,), 1)]


# -- other blocks ------------------------------------------------------------------------------------


def test_rules_are_dropped_and_reported_with_their_line() -> None:
    message = "the line `{}` (a thematic break) is not printed"
    assert tokenize(doc("***", "", " - - -", "", "___", "正文")) == [
        Note(1, "rule-dropped", "info", message.format("***")),
        Note(3, "rule-dropped", "info", message.format("- - -")),
        Note(5, "rule-dropped", "info", message.format("___")),
        Para((para("正文"),), 6),
    ]


def test_setext_and_indented_code_are_text() -> None:
    assert tokenize(doc("正文", "===", "", "    缩进", "", "标题", "---")) == [
        Para((para("正文"), para("===")), 1),
        Para((para("缩进"),), 4),
        Para((para("标题"),), 6),
        Note(7, "rule-dropped", "info", "the line `---` (a thematic break) is not printed"),
    ]


def test_headings_figures_markers_and_html() -> None:
    text = doc(
        "# 大 *标* #",
        "",
        "![图 *x*](a.png)",
        "",
        " ![](b.png 't') ",
        "",
        "![c](c.png) 文",
        "",
        "<!-- 注 -->",
        "<div>",
        "x</div>",
        "",
        "###### 小",
        "a <b>x</b>",
        "c",
    )
    assert tokenize(text) == [
        Heading(1, (s("大 "), s("标", "em")), 1),
        Image("a.png", (s("图 "), s("x", "em")), None, 3),
        Image("b.png", (), "t", 5),
        Para((para("c 文"),), 7),
        Marker("<!-- 注 -->", "注", 9),
        RawHtml("<div>\nx</div>", 10),
        Heading(6, (s("小"),), 13),
        Para((para("a <b>x</b>"), para("c")), 14),
        InlineHtml("<b>", 14),
        InlineHtml("</b>", 14),
    ]


def test_a_fence_of_two_lines_is_closed_and_empty() -> None:
    assert tokenize(doc("正文", "", "```", "```", "尾")) == [Para((para("正文"),), 1), Para((para("尾"),), 5)]


def test_a_fence_keeps_the_spaces_ending_its_last_line() -> None:
    assert tokenize(doc("``` ", "a  ", "```")) == [CodeBlock("a  ", "", 1)]


def test_a_fence_closed_by_the_other_character_is_not_closed() -> None:
    (note,) = tokenize(doc("~~~", "a", "```"))
    assert note == Note(
        1,
        "code-unclosed",
        "error",
        "the block opened by `~~~` is never closed, so all that follows would print as code: "
        "close it with a line of `~~~`, or delete this line",
    )


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("a_b_", (s("a_b_"),)),
        ("中_文_", (s("中_文_"),)),
        ("_中_文", (s("_中_文"),)),
        ("(_中_)文", (s("("), s("中", "em"), s(")文"))),
        ("[x *y* z](u)", (s("x ", href="u"), s("y", "em", href="u"), s(" z", href="u"))),
        ("[*](u) [a*](u)", (s("*", href="u"), s(" "), s("a*", href="u"))),
        ("*a **b** c*", (s("a ", "em"), s("b", "em", "strong"), s(" c", "em"))),
        ("**a*", (s("*"), s("a", "em"))),
        ("*a**", (s("a", "em"), s("*"))),
        ("__a_", (s("_"), s("a", "em"))),
        ("文**b**文", (s("文"), s("b", "strong"), s("文"))),
        ("a _b_ c", (s("a "), s("b", "em"), s(" c"))),
        ("a _ b_ c", (s("a _ b_ c"),)),
        ("a *b * c", (s("a *b * c"),)),
        ("*!*a", (s("*!*a"),)),
        ("a*!*", (s("a*!*"),)),
        ("*!* a", (s("!", "em"), s(" a"))),
        ("a_!_", (s("a_!_"),)),
        ("_!_a", (s("_!_a"),)),
        ("!_!_!", (s("!"), s("!", "em"), s("!"))),
        ("。_。_。", (s("。"), s("。", "em"), s("。"))),
        # the rule of three: a run both opening and closing matches only if the lengths' sum is no multiple of 3
        ("*foo**bar*", (s("foo**bar", "em"),)),
        ("*foo**bar**baz*", (s("foo", "em"), s("bar", "em", "strong"), s("baz", "em"))),
        ("foo***bar***baz", (s("foo"), s("bar", "em", "strong"), s("baz"))),
        ("文*一**二*", (s("文"), s("一**二", "em"))),
        ("**a**b*c*", (s("a", "strong"), s("b"), s("c", "em"))),
        ("文_。_文", (s("文_。_文"),)),  # an underscore both opening and closing inside a word is text
    ],
)
def test_emphasis_flanking(text: str, spans: tuple[Span, ...]) -> None:
    assert tokenize(doc(text)) == [Para((spans,), 1)]


def test_two_images_are_a_paragraph_and_one_image_with_spaces_a_figure() -> None:
    assert tokenize(doc("![a](a.png) ![b](b.png)", "", "![c](c.png)  ")) == [
        Para((para("a b"),), 1),
        Image("c.png", para("c"), None, 3),
    ]


def test_a_figure_with_a_blank_beside_it_and_a_figure_with_no_source() -> None:
    assert tokenize(doc("![c](c.png)&#32;", "", "![a]()")) == [
        Image("c.png", para("c"), None, 1),
        Image("", para("a"), None, 3),
    ]


@pytest.mark.parametrize(
    ("text", "spans"),
    [("+_a_", (s("+"), s("a", "em"))), ("_a_+", (s("a", "em"), s("+"))), ("$*a*$", (s("$"), s("a", "em"), s("$")))],
)
def test_ascii_symbols_beside_a_run_count_as_punctuation(text: str, spans: tuple[Span, ...]) -> None:
    assert tokenize(doc(text)) == [Para((spans,), 1)]


def test_code_ending_in_x_and_in_spaces_keeps_them_in_a_fence_and_in_a_quote() -> None:
    assert tokenize(doc("```", "MAX", "```", "", "> ```", "> MAX", "> ```", "> ```", "> a  ", "> ```")) == [
        CodeBlock("MAX", "", 1),
        QuoteBlock((para("MAX"), para("a  ")), 5),
    ]


def test_a_wider_row_ending_without_a_pipe_keeps_its_last_cell() -> None:
    text = doc("| a | b |", "|---|---|", "| 1 | 2 | X")
    assert tokenize(text) == [
        Table((para("a"), para("b"), ()), ((para("1"), para("2"), para("X")),), (None, None, None), 1, (1, 3)),
        Note(
            3,
            "table-cells",
            "warning",
            "this row has 3 cells and the header 2: the table is widened so that no cell is lost; "
            "give the header as many cells as its rows",
        ),
    ]


def test_a_deep_quote_with_its_marks_spaced_two_ways_is_one_paragraph() -> None:
    assert tokenize(doc("> " * 21 + "甲", ">" * 21 + "乙")) == [
        Note(1, "nesting-flattened", "warning", FLATTENED.format(what="quote", depth=21, limit=19)),
        QuoteBlock((para("甲乙"),), 1),
    ]


def test_a_deep_list_whose_deeper_items_are_shorter_counts_by_indentation() -> None:
    text = doc(*[("  " * i) + "- " + "字" * (30 - 3 * i) for i in range(10)])
    assert tokenize(text) == [
        Note(1, "nesting-flattened", "warning", FLATTENED.format(what="list", depth=10, limit=9)),
        ItemList(False, tuple(ListItem("-", (para("字" * (30 - 3 * i)),), i + 1) for i in range(10)), 1),
    ]


def test_items_side_by_side_after_a_deep_one_add_no_depth() -> None:
    text = doc("- " * 10 + "深", *["- 项"] * 11)
    assert tokenize(text) == [
        Note(1, "nesting-flattened", "warning", FLATTENED.format(what="list", depth=10, limit=9)),
        ItemList(False, (ListItem("-", (para("深"),), 1), *(ListItem("-", (para("项"),), n) for n in range(2, 13))), 1),
    ]


def test_a_blank_line_in_a_deep_list_ends_a_paragraph() -> None:
    assert tokenize(doc("- " * 10 + "甲", "", "  " * 10 + "乙")) == [
        Note(1, "nesting-flattened", "warning", FLATTENED.format(what="list", depth=10, limit=9)),
        ItemList(False, (ListItem("-", (para("甲"),), 1), ListItem("-", (para("乙"),), 3)), 1),
    ]
