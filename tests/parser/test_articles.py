"""Articles: headlines, kickers, subtitles, headline lines, subheads, quotes, figures, notes, inline marks."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter.diagnostics import Diagnostic
from exporter.model import Article, Credit, EditorsNote, Figure, Issue, Paragraph, Quote, Span, Subhead
from exporter.parser import parse, parse_file
from exporter.parser.articles import headline_parts


def doc(*lines: str) -> str:
    """An issue text whose line N is ``lines[N - 1]``."""
    return "\n".join(lines) + "\n"


def only(text: str) -> Article:
    (article,) = parse(text).articles
    return article


def found(issue: Issue, code: str) -> list[Diagnostic]:
    return [d for d in issue.diagnostics if d.code == code]


def test_level_two_heading_opens_an_article() -> None:
    article = only(doc("## 青岛市召开教育工作会议", "", "会议要求，各区市要抓好落实。"))
    assert article.headline == "青岛市召开教育工作会议"
    assert article.level == 2
    assert article.line == 1
    assert article.kicker is None
    assert article.subtitle is None
    assert [p.text for p in article.paragraphs] == ["会议要求，各区市要抓好落实。"]


def test_level_one_heading_opens_a_lead_article() -> None:
    issue = parse(doc("# 头条新闻", "", "头条正文。", "", "## 第二篇", "", "第二篇正文。"))
    assert [(a.headline, a.level, a.line) for a in issue.articles] == [("头条新闻", 1, 1), ("第二篇", 2, 5)]
    assert [a.id for a in issue.articles] == ["a01", "a02"]


def test_heading_with_no_body_before_the_next_is_the_kicker() -> None:
    issue = parse(
        doc(
            "## 学习贯彻市委经济工作会议精神",
            "",
            "# 锚定新目标，笃行实干开新局",
            "",
            "凝心绘蓝图，实干启新程。",
        )
    )
    (article,) = issue.articles
    assert article.kicker == "学习贯彻市委经济工作会议精神"
    assert article.headline == "锚定新目标，笃行实干开新局"
    assert article.level == 1
    assert article.line == 3
    assert not found(issue, "article-empty")


def test_a_heading_with_body_is_not_a_kicker() -> None:
    issue = parse(doc("## 第一篇", "", "第一篇正文。", "", "## 第二篇", "", "第二篇正文。"))
    assert [a.kicker for a in issue.articles] == [None, None]


def test_a_heading_followed_by_a_subhead_is_an_article_not_a_kicker() -> None:
    article = only(doc("## 主标题", "", "### 小标题", "", "正文。"))
    assert article.kicker is None
    assert article.headline == "主标题"
    assert isinstance(article.blocks[0], Subhead)


def test_a_headline_at_the_end_with_no_text_warns() -> None:
    issue = parse(doc("## 第一篇", "", "正文。", "", "## 没有正文的标题"))
    (note,) = found(issue, "article-empty")
    assert note.line == 5
    assert issue.articles[-1].headline == "没有正文的标题"


def test_double_dash_splits_headline_and_subtitle() -> None:
    article = only(
        doc(
            "# 锚定新目标，笃行实干开新局——青岛各区市及功能区党员干部认真学习贯彻市委经济工作会议精神",
            "",
            "正文。",
        )
    )
    assert article.headline == "锚定新目标，笃行实干开新局"
    assert article.subtitle == "青岛各区市及功能区党员干部认真学习贯彻市委经济工作会议精神"
    assert article.headline_lines == ("锚定新目标，笃行实干开新局",)


def test_space_between_cjk_characters_splits_headline_lines() -> None:
    article = only(doc("## 兜住兜准民生底线 青岛累计安排社会帮扶领域资金15亿元", "", "正文。"))
    assert article.headline == "兜住兜准民生底线 青岛累计安排社会帮扶领域资金15亿元"
    assert article.headline_lines == ("兜住兜准民生底线", "青岛累计安排社会帮扶领域资金15亿元")


def test_ideographic_space_splits_headline_lines() -> None:
    assert headline_parts("兜住兜准民生底线\u3000青岛累计安排资金")[1] == ("兜住兜准民生底线", "青岛累计安排资金")


def test_space_next_to_latin_words_does_not_split_headline_lines() -> None:
    article = only(doc("## 华为发布 Mate 80 系列", "", "正文。"))
    assert article.headline_lines == ("华为发布 Mate 80 系列",)


def test_latin_words_and_a_cjk_break_in_one_headline() -> None:
    headline, lines, subtitle = headline_parts("华为发布 Mate 80 系列 新品首销火爆——记者探访门店")
    assert headline == "华为发布 Mate 80 系列 新品首销火爆"
    assert lines == ("华为发布 Mate 80 系列", "新品首销火爆")
    assert subtitle == "记者探访门店"


def test_subheads_are_level_three_and_four() -> None:
    article = only(
        doc(
            "## 标题",
            "",
            "导语。",
            "",
            "### 在科技创新上取得新突破",
            "",
            "正文。",
            "",
            "#### 通关时间缩短",
            "",
            "正文。",
        )
    )
    subheads = [b for b in article.blocks if isinstance(b, Subhead)]
    assert [(s.text, s.level, s.line) for s in subheads] == [
        ("在科技创新上取得新突破", 3, 5),
        ("通关时间缩短", 4, 9),
    ]
    assert [type(b) for b in article.blocks] == [Paragraph, Subhead, Paragraph, Subhead, Paragraph]


def test_deeper_headings_are_minor_subheads() -> None:
    article = only(doc("## 标题", "", "导语。", "", "##### 更小的标题", "", "正文。"))
    assert [b.level for b in article.blocks if isinstance(b, Subhead)] == [4]


def test_quote() -> None:
    article = only(doc("## 标题", "", "导语。", "", "> 我们要让每一只集装箱都少走一段路。", "", "正文。"))
    (quote,) = [b for b in article.blocks if isinstance(b, Quote)]
    assert quote.text == "我们要让每一只集装箱都少走一段路。"
    assert quote.line == 5
    assert [p.text for p in article.paragraphs] == ["导语。", "正文。"]


def test_quote_of_two_paragraphs() -> None:
    article = only(doc("## 标题", "", "> 第一段引文。", ">", "> 第二段引文。"))
    (quote,) = article.blocks
    assert isinstance(quote, Quote)
    assert quote.text == "第一段引文。\n第二段引文。"


def test_figure_with_caption_credit_and_title() -> None:
    issue = parse(doc("## 标题", "", "正文。", "", '![会场一角（记者 王萌 摄）](img/a.jpg "会场")'))
    (figure,) = [b for b in issue.articles[0].blocks if isinstance(b, Figure)]
    assert figure.src == "img/a.jpg"
    assert figure.text == "会场一角"
    assert figure.caption == (Span("会场一角"),)
    assert figure.title == "会场"
    assert figure.credit == "记者 王萌 摄"
    assert figure.credits == (Credit("记者", ("王萌",)),)
    assert figure.line == 5
    assert not found(issue, "figure-path")
    assert not found(issue, "figure-missing")


def test_figure_without_credit_keeps_its_whole_caption() -> None:
    article = only(doc("## 标题", "", "![新航线首艘集装箱船靠泊（东作业区）](img/a.jpg)"))
    (figure,) = article.blocks
    assert isinstance(figure, Figure)
    assert figure.text == "新航线首艘集装箱船靠泊（东作业区）"
    assert figure.credit is None
    assert figure.credits == ()
    assert figure.title is None


def test_figure_credit_in_ascii_parentheses() -> None:
    article = only(doc("## 标题", "", "![会场一角(通讯员 李青健 摄)](a.jpg)"))
    (figure,) = article.blocks
    assert isinstance(figure, Figure)
    assert figure.text == "会场一角"
    assert figure.credits == (Credit("通讯员", ("李青健",)),)


@pytest.mark.parametrize(
    "src",
    ["../x.jpg", "img/../../x.jpg", "/etc/x.jpg", "http://example.com/x.jpg", "https://example.com/x.jpg"],
)
def test_image_paths_that_leave_the_folder_are_errors(src: str) -> None:
    issue = parse(doc("## 标题", "", "正文。", "", f"![图片说明]({src})"))
    (note,) = found(issue, "figure-path")
    assert note.severity == "error"
    assert note.line == 5
    assert src in note.message
    assert issue.has_errors


def test_relative_paths_inside_the_folder_are_fine() -> None:
    issue = parse(doc("## 标题", "", "![图](./img/a.jpg)", "", "![图](img/sub/../b.jpg)"))
    assert not found(issue, "figure-path")


def test_missing_image_beside_the_issue_file_is_a_warning_and_the_figure_kept(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "here.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    issue_file = tmp_path / "issue.md"
    issue_file.write_text(doc("## 标题", "", "![在](img/here.jpg)", "", "![不在](img/gone.jpg)"), encoding="utf-8")
    issue = parse_file(issue_file)
    notes = found(issue, "figure-missing")
    assert [(d.line, d.severity) for d in notes] == [(5, "warning")]
    assert "img/gone.jpg" in notes[0].message
    figures = [b for a in issue.articles for b in a.blocks if b.kind == "figure"]
    assert [f.text for f in figures] == ["在", "不在"]
    assert not found(issue, "figure-path")


def test_existing_image_gives_no_diagnostic(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (4, 3)).save(tmp_path / "a.jpg", "JPEG")
    issue_file = tmp_path / "issue.md"
    issue_file.write_text(doc("## 标题", "", "![图](a.jpg)"), encoding="utf-8")
    issue = parse_file(issue_file)
    assert not [d for d in issue.diagnostics if d.code.startswith("figure-")]


def test_without_a_base_folder_missing_images_are_not_checked() -> None:
    issue = parse(doc("## 标题", "", "![图](img/gone.jpg)"))
    assert not found(issue, "figure-missing")


@pytest.mark.parametrize(
    ("line", "label", "text"),
    [
        ("编者按：这是编者按的文字。", "编者按：", "这是编者按的文字。"),
        ("编者按 这是编者按的文字。", "编者按", "这是编者按的文字。"),
        ("编者的话：这是编者的话。", "编者的话：", "这是编者的话。"),
        ("编者的话 这是编者的话。", "编者的话", "这是编者的话。"),
    ],
)
def test_editors_note(line: str, label: str, text: str) -> None:
    article = only(doc("## 标题", "", line, "", "正文。"))
    note = article.blocks[0]
    assert isinstance(note, EditorsNote)
    assert note.label == label
    assert note.text == text
    assert note.line == 3
    assert [p.text for p in article.paragraphs] == ["正文。"]


def test_editors_note_later_in_the_article() -> None:
    article = only(doc("## 标题", "", "正文。", "", "编者按：这是编者按。"))
    assert isinstance(article.blocks[-1], EditorsNote)


def test_bold_and_emphasis_become_marked_spans() -> None:
    article = only(doc("## 标题", "", "全市**累计栽种各类苗木12万株**，一棵棵*樱花树*排成一行。"))
    (para,) = article.paragraphs
    assert para.spans == (
        Span("全市"),
        Span("累计栽种各类苗木12万株", frozenset({"strong"})),
        Span("，一棵棵"),
        Span("樱花树", frozenset({"em"})),
        Span("排成一行。"),
    )
    assert "*" not in para.text


def test_bold_around_chinese_quotes_and_punctuation() -> None:
    article = only(doc("## 标题", "", "推出**“国家补贴+品牌让利”**组合拳，*‘一站式’*服务，**到港即靠。**随后离港。"))
    (para,) = article.paragraphs
    assert "*" not in para.text
    assert para.text == "推出“国家补贴+品牌让利”组合拳，‘一站式’服务，到港即靠。随后离港。"
    marked = {s.text: s.marks for s in para.spans if s.marks}
    assert marked == {
        "“国家补贴+品牌让利”": frozenset({"strong"}),
        "‘一站式’": frozenset({"em"}),
        "到港即靠。": frozenset({"strong"}),
    }


def test_bold_in_a_headline_is_plain_headline_text() -> None:
    article = only(doc("## 青岛**加力**提效", "", "正文。"))
    assert article.headline == "青岛加力提效"


def test_inline_raw_html_stays_literal_text() -> None:
    article = only(doc("## 标题", "", "这是<b>加粗</b>的写法。"))
    (para,) = article.paragraphs
    assert para.text == "这是<b>加粗</b>的写法。"
    assert all(not s.marks for s in para.spans)


def test_block_raw_html_stays_literal_text_with_a_warning() -> None:
    issue = parse(doc("## 标题", "", "<div>一段</div>", "", "正文。"))
    assert [p.text for p in issue.articles[0].paragraphs] == ["<div>一段</div>", "正文。"]
    (note,) = found(issue, "raw-html")
    assert note.line == 3


def test_indent_is_text_and_lists_are_lists() -> None:
    article = only(doc("## 标题", "", "正文。", "", "    缩进的一段。", "", "1. 第一点。", "", "- 一项。"))
    assert [p.text for p in article.paragraphs] == ["正文。", "缩进的一段。"]
    assert [b.text for b in article.blocks if b.kind == "list"] == ["1. 第一点。", "一项。"]


def test_text_before_the_first_headline_is_kept_with_an_error() -> None:
    issue = parse(doc("版面导读：今日要闻。", "", "## 第一篇", "", "正文。"))
    (note,) = found(issue, "text-before-article")
    assert note.severity == "error"
    assert note.line == 1
    assert issue.has_errors
    first, second = issue.articles
    assert [p.text for p in first.paragraphs] == ["版面导读：今日要闻。"]
    assert first.headline == ""
    assert second.headline == "第一篇"


def test_soft_line_breaks_join_without_spaces_in_chinese() -> None:
    article = only(doc("## 标题", "", "会议要求，各区市", "要抓好落实。"))
    assert [p.text for p in article.paragraphs] == ["会议要求，各区市要抓好落实。"]


def test_soft_line_breaks_keep_a_space_between_latin_words() -> None:
    article = only(doc("## 标题", "", "It was a", "good day."))
    assert [p.text for p in article.paragraphs] == ["It was a good day."]


def test_leading_spaces_of_a_paragraph_are_not_text() -> None:
    article = only(doc("## 标题", "", "\u3000\u3000会议要求，各区市要抓好落实。", "", "  第二段。"))
    assert [p.text for p in article.paragraphs] == ["会议要求，各区市要抓好落实。", "第二段。"]


def test_stacked_headings_make_one_kicker_with_a_warning() -> None:
    issue = parse(doc("## 引题一", "", "## 引题二", "", "# 主标题", "", "正文。"))
    (article,) = issue.articles
    assert article.kicker == "引题一 引题二"
    (note,) = found(issue, "kicker-stacked")
    assert note.line == 1


def test_figure_format_must_suit_every_edition() -> None:
    from exporter import parse

    issue = parse("## 标题\n\n正文。\n\n![图](images/a.bmp)\n\n![图](images/b.PNG)\n")
    assert [(d.code, d.line) for d in issue.diagnostics if d.severity == "error"] == [("figure-format", 5)]


def test_a_file_that_is_no_image_whatever_its_name_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_text("not an image", encoding="utf-8")
    from PIL import Image

    Image.new("RGB", (4, 3)).save(tmp_path / "b.jpg", "PNG")  # a PNG named .jpg is fine
    issue_file = tmp_path / "issue.md"
    issue_file.write_text(doc("## 标题", "", "![图](a.png)", "", "![图](b.jpg)"), encoding="utf-8")
    notes = found(parse_file(issue_file), "figure-format")
    assert [(d.line, d.severity) for d in notes] == [(3, "error")]
    assert "a.png" in notes[0].message
