"""What the assembler makes of each shape of input: its articles, and every finding as the user reads it.

Each case is one shape the format allows or a fault the issue format names; the expected findings are
written out whole (line, code, severity, message), so that a changed word, line or severity fails.
Lines count from the top of the file: the front matter takes lines 1–4 and a blank line 5.
"""

from __future__ import annotations

import pytest

from exporter.model import Paragraph
from exporter.parser import parse

HEAD = "---\ntitle: 滨海日报\ndate: 2025-12-29\n---\n\n"
BEFORE = "text stands before the first headline and belongs to no article: add a `## headline` above it"
EMPTY = "a headline with no text after it: add its text or delete it"
Finding = tuple[int, str, str, str]


def _findings(body: str) -> list[Finding]:
    return [(d.line, d.code, d.severity, d.message) for d in parse(HEAD + body, "a.md").diagnostics]


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("开头的一段话。\n\n## 标题\n\n正文。\n", "Paragraph"),
        ("### 小标题\n\n## 标题\n\n正文。\n", "Subhead"),
        ("> 引语。\n\n## 标题\n\n正文。\n", "Quote"),
        ("- 一项\n\n## 标题\n\n正文。\n", "ItemList"),
        ("<div>图</div>\n\n## 标题\n\n正文。\n", "Paragraph"),
    ],
)
def test_text_before_the_first_headline_is_kept_in_an_article_without_one(body: str, kind: str) -> None:
    issue = parse(HEAD + body, "a.md")
    assert (6, "text-before-article", "error", BEFORE) in [
        (d.line, d.code, d.severity, d.message) for d in issue.diagnostics
    ]
    first, second = issue.articles
    assert (first.id, first.headline, first.line, first.level) == ("a01", "", 6, 2)
    assert [(b.line, type(b).__name__) for b in first.blocks] == [(6, kind)]
    assert (second.id, second.headline, second.line) == ("a02", "标题", 8)


def test_headings_in_a_row_are_one_kicker_and_more_than_one_is_told() -> None:
    issue = parse(HEAD + "## 肩题一\n## 肩题二\n## 主标题\n\n正文。\n", "a.md")
    (article,) = issue.articles
    assert (article.kicker, article.headline, article.line) == ("肩题一 肩题二", "主标题", 8)
    assert _findings("## 肩题一\n## 肩题二\n## 主标题\n\n正文。\n") == [
        (
            6,
            "kicker-stacked",
            "warning",
            "2 headings in a row before line 8 were taken as one kicker: "
            "give each article a body, or keep one kicker line",
        )
    ]
    one = parse(HEAD + "## 肩题\n## 主标题\n\n正文。\n", "a.md")
    assert (one.articles[0].kicker, one.articles[0].headline) == ("肩题", "主标题") and one.diagnostics == ()
    top = parse(HEAD + "## 标题\n# 大标题\n\n正文。\n", "a.md").articles[0]
    assert (top.kicker, top.headline, top.level) == ("标题", "大标题", 1)


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("## 标题\n\n正文。\n\n## 空标题\n", 10),  # the last block
        ("## 标题\n\n<!-- page: A02 -->\n\n## 二\n\n正文。\n", 6),  # a page marker follows
        ("## 标题\n\n正文。\n\n## 肩\n## 尾\n", 11),  # a kicker and its headline, and nothing after
    ],
)
def test_a_headline_with_nothing_after_it_is_told(body: str, line: int) -> None:
    assert _findings(body) == [(line, "article-empty", "warning", EMPTY)]


def test_a_subhead_after_a_headline_is_its_text() -> None:
    issue = parse(HEAD + "## 标题\n\n### 小标题\n\n正文。\n", "a.md")
    assert issue.diagnostics == ()
    assert [(b.line, type(b).__name__) for b in issue.articles[0].blocks] == [(8, "Subhead"), (10, "Paragraph")]
    levels = parse(HEAD + "## 标题\n\n### 三\n\n#### 四\n\n##### 五\n\n正文。\n", "a.md").articles[0].blocks
    assert [getattr(b, "level", None) for b in levels] == [3, 4, 4, None]


@pytest.mark.parametrize(
    ("marker", "finding"),
    [
        (
            "<!-- pgae: A01 -->",
            (6, "marker-unknown", "error", "<!-- pgae: A01 --> is not a page or section marker: did you mean `page`?"),
        ),
        (
            "<!-- sectoin: 要闻 -->",
            (
                6,
                "marker-unknown",
                "error",
                "<!-- sectoin: 要闻 --> is not a page or section marker: did you mean `section`?",
            ),
        ),
        (
            "<!-- zone: 1, author: 王 -->",
            (
                6,
                "marker-unknown",
                "error",
                "<!-- zone: 1, author: 王 --> is not a page or section marker: markers know `page` and `section`",
            ),
        ),
        (
            "<!-- page: -->",
            (
                6,
                "marker-empty",
                "error",
                "`page:` in <!-- page: --> has no value: write it, such as `<!-- page: A01 -->`",
            ),
        ),
        (
            "<!-- 请核对数字 -->",  # a note to the desk, not a marker: dropped with an info
            (6, "comment-dropped", "info", "the comment <!-- 请核对数字 --> is not printed"),
        ),
    ],
)
def test_markers_that_are_not_page_or_section_markers(marker: str, finding: Finding) -> None:
    assert _findings(f"{marker}\n\n## 标题\n\n正文。\n") == [finding]


def test_a_long_comment_is_quoted_to_60_characters() -> None:
    raw = "<!-- " + "这是一条很长的编辑备注" * 8 + " -->"
    assert _findings(f"{raw}\n\n## 标题\n\n正文。\n") == [
        (6, "comment-dropped", "info", f"the comment {raw[:60]} is not printed")
    ]
    assert len(raw) > 60


def test_a_section_marker_keeps_the_page_it_is_on() -> None:
    issue = parse(HEAD + "<!-- page: A01 -->\n\n## 一\n\n正文。\n\n<!-- section: 要闻 -->\n\n## 二\n\n正文。\n", "a.md")
    assert [(s.title, s.page, s.line) for s in issue.sections] == [(None, "A01", 6), ("要闻", "A01", 12)]
    alone = parse(HEAD + "## 一\n\n正文。\n\n<!-- section: 要闻 -->\n\n## 二\n\n正文。\n", "a.md")
    assert [(s.title, s.page) for s in alone.sections] == [(None, None), ("要闻", None)]
    paged = parse(HEAD + "<!-- section: 要闻 -->\n\n## 一\n\n正文。\n\n<!-- page: A02 -->\n\n## 二\n\n正文。\n", "a.md")
    assert [(s.title, s.page) for s in paged.sections] == [("要闻", None), (None, "A02")]


def test_a_paragraph_cut_by_a_column_break_is_joined_and_told() -> None:
    body = "## 标题\n\n这是一段被分栏\n\n切断的文字。\n"
    assert _findings(body) == [
        (
            8,
            "paragraph-joined",
            "warning",
            "a paragraph cut by a column or page break was joined to line 10 (…这是一段被分栏|切断的文字。…): "
            "if they are two paragraphs, end line 8 with closing punctuation",
        )
    ]
    (paragraph,) = parse(HEAD + body, "a.md").articles[0].blocks
    assert isinstance(paragraph, Paragraph)
    assert (paragraph.text, paragraph.line, paragraph.joined) == ("这是一段被分栏切断的文字。", 8, (10,))


def test_the_join_message_quotes_eight_characters_each_side() -> None:
    (finding,) = _findings("## 标题\n\n一二三四五六七八九十甲乙\n\n丙丁戊己庚辛壬癸子丑。\n")
    assert "(…五六七八九十甲乙|丙丁戊己庚辛壬癸…)" in finding[3]


def test_nothing_is_joined_across_a_byline() -> None:
    body = "## 标题\n\n本报记者 王萌\n\n正文第一段被切断\n\n■记者 李明\n\n又一段。\n"
    issue = parse(HEAD + body, "a.md")
    (article,) = issue.articles
    assert [(b.line, getattr(b, "text", "")) for b in article.blocks] == [(10, "正文第一段被切断"), (14, "又一段。")]
    assert [b.line for b in article.bylines] == [8, 12]
    assert [d.code for d in issue.diagnostics] == []


def test_a_byline_before_both_halves_does_not_stop_their_join() -> None:
    """Only a byline between the two halves stops the join (the bounds are strict on both sides)."""
    body = "## 标题\n\n■记者 王萌\n\n正文被切断\n\n接着写完。\n"
    (article,) = parse(HEAD + body, "a.md").articles
    assert [b.line for b in article.bylines] == [8]
    assert [(b.line, getattr(b, "text", "")) for b in article.blocks] == [(10, "正文被切断接着写完。")]


def test_an_article_that_stops_mid_sentence_is_kept_and_marked() -> None:
    issue = parse(HEAD + "## 标题\n\n正文写到一半就停在这里没有结束\n", "a.md")
    assert issue.articles[0].truncated
    assert _findings("## 标题\n\n正文写到一半就停在这里没有结束\n") == [
        (
            8,
            "article-truncated",
            "warning",
            "the article stops mid-sentence (…到一半就停在这里没有结束): it is kept and marked as truncated; "
            "add the rest of its text if you have it",
        )
    ]


def test_trailing_spaces_do_not_hide_the_closing_mark() -> None:
    issue = parse(HEAD + "## 标题\n\n正文结束了。   \n", "a.md")
    assert not issue.articles[0].truncated and issue.diagnostics == ()
    assert not parse(HEAD + "## 标题\n\n  正文结束了。\n", "a.md").articles[0].truncated


def test_raw_html_is_kept_as_text_and_told() -> None:
    issue = parse(HEAD + "## 标题\n\n<div>图表</div>\n\n正文。\n", "a.md")
    assert _findings("## 标题\n\n<div>图表</div>\n\n正文。\n") == [
        (8, "raw-html", "warning", "raw HTML is not passed through; it is kept as text")
    ]
    assert [(b.line, getattr(b, "text", "")) for b in issue.articles[0].blocks] == [
        (8, "<div>图表</div>"),
        (10, "正文。"),
    ]


def test_a_byline_on_the_first_line_of_a_paragraph_leaves_the_rest_as_text() -> None:
    (article,) = parse(HEAD + "## 标题\n\n■本报记者 王萌\n正文第一段。\n", "a.md").articles
    assert [(b.line, b.raw) for b in article.bylines] == [(8, "■本报记者 王萌")]
    assert [(b.line, getattr(b, "text", "")) for b in article.blocks] == [(9, "正文第一段。")]
    (two,) = parse(HEAD + "## 标题\n\n■本报记者 王萌\n■通讯员 李明\n正文。\n", "a.md").articles
    assert [(b.line, b.raw) for b in two.bylines] == [(8, "■本报记者 王萌"), (9, "■通讯员 李明")]
    assert [b.line for b in two.blocks] == [10]


@pytest.mark.parametrize(
    ("headline", "main", "subtitle"),
    [
        ("主标题——副标题", "主标题", "副标题"),
        ("甲——乙", "甲", "乙"),  # a one-character main headline still has its subtitle
        ("甲——乙——丙", "甲", "乙——丙"),  # cut at the first dash pair; the subtitle keeps the rest
        ("——只有副题", "——只有副题", None),  # nothing before the dashes: no subtitle
        ("主标题——", "主标题", None),
    ],
)
def test_a_subtitle_follows_a_double_dash(headline: str, main: str, subtitle: str | None) -> None:
    (article,) = parse(HEAD + f"## {headline}\n\n正文。\n", "a.md").articles
    assert (article.headline, article.subtitle) == (main, subtitle)


def test_headline_lines_break_at_spaces_between_chinese() -> None:
    (article,) = parse(HEAD + "## 港口新航线 今日开通\n\n正文。\n", "a.md").articles
    assert article.headline_lines == ("港口新航线", "今日开通")
    (latin,) = parse(HEAD + "## 5G 网络 覆盖全市\n\n正文。\n", "a.md").articles
    assert latin.headline_lines == ("5G 网络", "覆盖全市")


def test_a_photo_credit_leaves_the_caption() -> None:
    (article,) = parse(HEAD + "## 标题\n\n![港口夜景（记者 王萌 摄）](port.png)\n\n正文。\n", "a.md").articles
    figure = article.blocks[0]
    assert figure.line == 8  # type: ignore[union-attr]
    assert "".join(s.text for s in figure.caption) == "港口夜景"  # type: ignore[union-attr]
    assert figure.credit == "记者 王萌 摄"  # type: ignore[union-attr]
    (plain,) = parse(HEAD + "## 标题\n\n![港口夜景](port.png)\n\n正文。\n", "a.md").articles
    assert "".join(s.text for s in plain.blocks[0].caption) == "港口夜景"  # type: ignore[union-attr]
    assert plain.blocks[0].credit is None  # type: ignore[union-attr]


def test_a_finding_from_the_block_reader_keeps_its_line_code_severity_and_message() -> None:
    assert _findings("## 标题\n\n" + "> " * 25 + "深引语。\n") == [
        (
            8,
            "nesting-flattened",
            "warning",
            "this quote is nested 25 levels deep, more than the 19 the format reads: it is printed as one level, "
            "every line of its text kept; remove the extra `>` or list marks",
        )
    ]


def test_a_figure_before_the_first_headline_is_told_on_its_line() -> None:
    assert _findings("![图](a.png)\n\n## 标题\n\n正文。\n")[0] == (6, "text-before-article", "error", BEFORE)


def test_an_empty_headline_before_a_headline_is_an_empty_article() -> None:
    """`## ` with no text is no kicker (a kicker has text): it opens an article of its own, with nothing in it."""
    issue = parse(HEAD + "## \n## 标题\n\n正文。\n", "a.md")
    assert [(a.headline, a.kicker) for a in issue.articles] == [("", None), ("标题", None)]
    assert _findings("## \n## 标题\n\n正文。\n") == [(6, "article-empty", "warning", EMPTY)]


@pytest.mark.parametrize("known", ["page: A01", "section: 要闻"])
def test_a_marker_with_a_known_and_an_unknown_key_is_told_about_the_unknown_one(known: str) -> None:
    raw = f"<!-- {known}, zone: 2 -->"
    assert _findings(f"{raw}\n\n## 标题\n\n正文。\n") == [
        (6, "marker-unknown", "error", f"{raw} is not a page or section marker: markers know `page` and `section`")
    ]


def test_an_issue_without_markers_is_one_section_from_line_1_and_nothing_is_truncated() -> None:
    issue = parse(HEAD + "## 标题\n\n正文。\n", "a.md")
    assert [(s.title, s.page, s.line) for s in issue.sections] == [(None, None, 1)]
    assert issue.articles[0].truncated is False
