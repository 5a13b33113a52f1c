"""Doubts that are kept and reported: Latin words in Chinese text, and characters of the other script."""

from __future__ import annotations

import opencc
import pytest

from exporter.diagnostics import Diagnostic
from exporter.model import Issue
from exporter.parser import lint, parse

PARAGRAPHS = [
    "青岛日报记者从市教育局获悉，今年全市学校开展读书活动，参与学生超过十万人。",
    "为确保困难群众应保尽保、应救尽救，青岛市民政局发挥大数据比对作用，持续加强低收入人口动态监测。",
    "公租房作为重要的民生工程，近年来青岛不断完善政策体系，稳步增加房源供应，持续加大财政投入。",
    "会议要求，各区市要抓好落实，确保取得实效，为全市发展搭建平台，推动台前幕后协同发力。",
]


def doc(*lines: str) -> str:
    """An issue text whose line N is ``lines[N - 1]``."""
    return "\n".join(lines) + "\n"


def issue_of(*paragraphs: str, headline: str = "青岛市召开教育工作会议") -> Issue:
    return parse(doc(f"## {headline}", *[line for p in paragraphs for line in ("", p)]))


def found(issue: Issue, code: str) -> list[Diagnostic]:
    return [d for d in issue.diagnostics if d.code == code]


def test_a_latin_word_between_chinese_characters_is_flagged_and_kept() -> None:
    text = "大家一致表示，要切实统一思想 and 行动，坚定扛牢使命担当。"
    issue = issue_of("导语。", text)
    (note,) = found(issue, "latin-in-cjk")
    assert note.line == 5
    assert note.severity == "warning"
    assert "`and`" in note.message
    assert issue.articles[0].paragraphs[1].text == text


@pytest.mark.parametrize(
    "text",
    [
        "推动AI产业发展。",
        "推动 AI 产业发展。",
        "加快5G基站建设。",
        "全市 GDP 增长百分之六。",
        "新款 iPhone 首发。",
        "全长30 km 的道路。",
        "全长 km 数待定。",
        "下载 App 即可办理。",
        "新华社（Xinhua News Agency）报道。",
        "他说（in other words）这是对的。",
        "参观 Apple 公司。",
        "He said 你好 and left.",
    ],
)
def test_acronyms_numbers_brands_units_loanwords_and_phrases_are_not_flagged(text: str) -> None:
    assert lint.latin_in_cjk([(1, text)]) == []


def test_each_stray_word_is_reported_on_its_own_line() -> None:
    notes = lint.latin_in_cjk([(3, "推进 the 工作。"), (9, "关于 it 的事。")])
    assert [(d.line, d.code) for d in notes] == [(3, "latin-in-cjk"), (9, "latin-in-cjk")]


def test_a_stopword_with_a_capital_is_still_flagged() -> None:
    assert [d.line for d in lint.latin_in_cjk([(2, "统一思想 And 行动。")])] == [2]


def test_one_traditional_character_in_simplified_text_is_flagged_on_its_line() -> None:
    issue = issue_of(*PARAGRAPHS[:2], "实施第二批市級乡村振兴示范片区建设。", *PARAGRAPHS[2:])
    (note,) = found(issue, "mixed-script")
    assert note.line == 7
    assert note.severity == "warning"
    assert "級→级" in note.message
    assert issue.masthead.language == "zh-CN"
    assert any(p.text == "实施第二批市級乡村振兴示范片区建设。" for p in issue.articles[0].paragraphs)


def test_simplified_text_gives_no_mixed_script_warning() -> None:
    issue = issue_of(*PARAGRAPHS)
    assert not found(issue, "mixed-script")
    assert issue.masthead.language == "zh-CN"


@pytest.mark.parametrize("config", ["s2tw", "s2hk", "s2t", "s2twp"])
def test_consistent_traditional_text_gives_no_mixed_script_warning(config: str) -> None:
    convert = opencc.OpenCC(config).convert
    issue = issue_of(*[convert(p) for p in PARAGRAPHS], headline=convert("青岛市召开教育工作会议"))
    assert not found(issue, "mixed-script")
    assert issue.masthead.language == "zh-Hant"  # neither Hong Kong's nor Taiwan's forms stand out


def test_one_simplified_character_in_traditional_text_is_flagged() -> None:
    convert = opencc.OpenCC("s2tw").convert
    paragraphs = [convert(p) for p in PARAGRAPHS]
    paragraphs[2] = paragraphs[2].replace("體系", "体系")
    issue = issue_of(*paragraphs, headline=convert("青岛市召开教育工作会议"))
    (note,) = found(issue, "mixed-script")
    assert note.line == 7
    assert "体→體" in note.message
    assert issue.masthead.language == "zh-Hant"


def test_declared_language_decides_which_script_is_foreign() -> None:
    issue = parse(doc("---", "language: zh-TW", "---", "## 标题", "", "会议要求，各区市要抓好落实。"))
    assert issue.masthead.language == "zh-TW"
    assert found(issue, "mixed-script")


def test_non_chinese_declared_language_skips_the_script_check() -> None:
    issue = parse(doc("---", "language: en", "---", "## 标题", "", "实施第二批市級乡村振兴示范片区建设。"))
    assert not found(issue, "mixed-script")


def test_many_mixed_lines_are_capped_with_one_summary() -> None:
    count = lint.MAX_MIXED + 5
    lines = [(n, "实施第二批市級乡村振兴示范片区建设。") for n in range(1, count + 1)]
    notes = lint.mixed_script(lines, "hans")
    assert len(notes) == lint.MAX_MIXED + 1
    assert [d.line for d in notes[: lint.MAX_MIXED]] == list(range(1, lint.MAX_MIXED + 1))
    summary = notes[-1]
    assert summary.code == "mixed-script"
    assert "5 more" in summary.message
    assert "OpenCC" in summary.message


def test_mixed_lines_at_the_cap_have_no_summary() -> None:
    lines = [(n, "市級") for n in range(1, lint.MAX_MIXED + 1)]
    assert len(lint.mixed_script(lines, "hans")) == lint.MAX_MIXED


def test_script_counts_decide_the_dominant_script() -> None:
    assert lint.script([(1, "青岛日报")]).dominant == "hans"
    assert lint.script([(1, "青島日報")]).dominant == "hant"
    assert lint.script([(1, "2025 ABC")]).dominant is None
