"""Characters that print as nothing: control characters and bidirectional controls refused, zero-width ones dropped."""

from __future__ import annotations

import pytest

from exporter.diagnostics import Diagnostic
from exporter.model import Issue
from exporter.parser import parse, parse_bytes


def doc(*lines: str) -> str:
    """An issue text whose line N is ``lines[N - 1]``."""
    return "\n".join(lines) + "\n"


def found(issue: Issue, code: str) -> list[Diagnostic]:
    return [d for d in issue.diagnostics if d.code == code]


def every_text(issue: Issue) -> str:
    return "\n".join(text for _, text in issue.texts())


# -- control characters (item 10: all of them, in one run) -------------------------------------------


def test_every_control_character_is_reported_with_its_line_and_code_point() -> None:
    text = doc("## 标题", "", "第一\x01段。", "", "第二\x1b[31m段。", "", "第三\x7f段\x08落\x08。")
    issue = parse_bytes(text.encode())
    notes = found(issue, "control-character")
    assert [(d.line, d.severity) for d in notes] == [(3, "error"), (5, "error"), (7, "error")]
    assert "U+0001" in notes[0].message
    assert "U+001B" in notes[1].message
    assert "U+007F" in notes[2].message and "U+0008 ×2" in notes[2].message
    assert all(": " in d.message for d in notes)
    assert issue.has_errors


def test_control_characters_in_the_front_matter_are_reported_there() -> None:
    issue = parse(doc("---", "title: 滨海\x07日报", "---", "## 标题", "", "正文。"))
    (note,) = found(issue, "control-character")
    assert note.line == 2
    assert "\x07" not in every_text(issue)


# -- bidirectional controls (item 6) -------------------------------------------------------------


@pytest.mark.parametrize(
    "control", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)
def test_bidi_overrides_embeddings_and_isolates_are_refused_with_their_line(control: str) -> None:
    issue = parse(doc("## 标题", "", "正文。", "", f"文本{control}倒过来。"))
    (note,) = found(issue, "bidi-control")
    assert note.line == 5
    assert note.severity == "error"
    assert f"U+{ord(control):04X}" in note.message
    assert "delete" in note.message
    assert control not in every_text(issue)


def test_a_right_to_left_override_in_a_headline_is_refused() -> None:
    issue = parse(doc("---", "title: 滨海日报", "---", "", "## 标题\u202e倒序", "", "正文。"))
    (note,) = found(issue, "bidi-control")
    assert note.line == 5
    assert "RIGHT-TO-LEFT OVERRIDE" in note.message
    assert all("\u202e" not in a.headline for a in issue.articles)


def test_direction_marks_are_kept_beside_right_to_left_text_and_dropped_elsewhere() -> None:
    issue = parse(doc("## 标题", "", "他说\u200f的话。", "", "阿拉伯语名字 محمد\u200f（穆罕默德）。"))
    (note,) = found(issue, "invisible-dropped")
    assert note.line == 3
    paragraphs = [p.text for p in issue.articles[0].paragraphs]
    assert paragraphs == ["他说的话。", "阿拉伯语名字 محمد\u200f（穆罕默德）。"]
    assert not found(issue, "bidi-control")


# -- zero-width characters (item 6) ---------------------------------------------------------------


def test_zero_width_characters_are_dropped_with_one_warning_per_line_and_their_count() -> None:
    issue = parse(
        doc("## 标\u200b题", "", "正\u200b文\u200b里\ufeff有\u2060空。", "", "没有问题。", "", "软\u00ad连字符。")
    )
    notes = found(issue, "invisible-dropped")
    assert [(d.line, d.severity) for d in notes] == [(1, "warning"), (3, "warning"), (7, "warning")]
    assert "1 invisible character" in notes[0].message
    assert "4 invisible characters" in notes[1].message
    assert "U+200B ZERO WIDTH SPACE ×2" in notes[1].message and "U+FEFF" in notes[1].message
    assert "U+00AD" in notes[2].message
    article = issue.articles[0]
    assert article.headline == "标题"
    assert [p.text for p in article.paragraphs] == ["正文里有空。", "没有问题。", "软连字符。"]
    assert [p.line for p in article.paragraphs] == [3, 5, 7]


def test_joiners_and_variation_selectors_that_carry_meaning_are_kept() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    heart = "\u2764\ufe0f"
    ideograph = "\u845b\U000e0100"  # 葛 with an ideographic variation selector
    text = f"表情{family}和{heart}，异体字{ideograph}。"
    issue = parse(doc("## 标题", "", text))
    assert not found(issue, "invisible-dropped")
    assert issue.articles[0].paragraphs[0].text == text


def test_a_joiner_between_chinese_characters_is_dropped() -> None:
    issue = parse(doc("## 标题", "", "中\u200d文\u200c字。"))
    (note,) = found(issue, "invisible-dropped")
    assert "2 invisible characters" in note.message
    assert issue.articles[0].paragraphs[0].text == "中文字。"


def test_a_clean_text_has_no_finding() -> None:
    issue = parse(doc("## 标题", "", "正文，没有看不见的字符。"))
    assert not found(issue, "invisible-dropped") and not found(issue, "bidi-control")
    assert not found(issue, "control-character")


def test_control_characters_in_a_gb18030_file_are_reported_like_in_utf8() -> None:
    text = doc(
        "## 标题", "", *["会议要求各区市要抓好落实，确保取得实效。", ""] * 4, "第二\x1b[31m段。", "", "第三\x07段。"
    )
    issue = parse_bytes(text.encode("gb18030"))
    assert [(d.line, d.code) for d in issue.diagnostics if d.severity == "error"] == [
        (11, "control-character"),
        (13, "control-character"),
    ]
    assert "encoding-detected" in [d.code for d in issue.diagnostics]
