"""Mixed scripts against regional usage: what Taiwan and Hong Kong write, brand names, Japanese quotations."""

from __future__ import annotations

import opencc
import pytest

from exporter.diagnostics import Diagnostic
from exporter.model import Issue
from exporter.parser import lint, parse


def doc(*lines: str) -> str:
    """An issue text whose line N is ``lines[N - 1]``."""
    return "\n".join(lines) + "\n"


def mixed(issue: Issue) -> list[Diagnostic]:
    return [d for d in issue.diagnostics if d.code == "mixed-script"]


SIMPLIFIED = "市政府今天公布了新的补助名单，将在全市范围内推行，预计惠及数万户家庭。"


@pytest.mark.parametrize(("language", "config"), [("zh-TW", "s2tw"), ("zh-HK", "s2hk"), (None, "s2tw"), (None, "s2hk")])
def test_gongbu_in_taiwan_and_hong_kong_text_is_standard_usage(language: str | None, config: str) -> None:
    text = opencc.OpenCC(config).convert(SIMPLIFIED).replace("公佈", "公布")
    assert "公布" in text
    head = ["---", f"language: {language}", "---"] if language else []
    issue = parse(doc(*head, "## 標題", "", text, "", "會議要求，各區市要抓好落實。"))
    assert not mixed(issue)
    assert issue.masthead.language.startswith("zh-")


def test_a_brand_name_with_a_variant_character_in_simplified_text_is_not_mixing() -> None:
    issue = parse(doc("## 标题", "", "华为发布昇腾芯片，昇腾系列产品将于明年上市。", "", SIMPLIFIED))
    assert not mixed(issue)


def test_a_japanese_quotation_in_simplified_text_is_not_chinese_mixing() -> None:
    issue = parse(doc("## 标题", "", "他引用了一句日语：「東京の電車は便利です」。", "", SIMPLIFIED))
    assert not mixed(issue)


def test_a_japanese_quotation_in_traditional_text_is_not_chinese_mixing() -> None:
    text = opencc.OpenCC("s2tw").convert(SIMPLIFIED)
    issue = parse(doc("## 標題", "", "他說：「东京の电车は便利です」。", "", text))
    assert not mixed(issue)


def test_zhe_in_simplified_text_is_still_mixing() -> None:
    issue = parse(doc("## 标题", "", "這是市政府今天公布的名单。", "", SIMPLIFIED))
    (note,) = mixed(issue)
    assert note.line == 3
    assert "這→这" in note.message


def test_zhe_in_traditional_text_is_still_mixing() -> None:
    text = opencc.OpenCC("s2tw").convert(SIMPLIFIED)
    issue = parse(doc("---", "language: zh-TW", "---", "## 標題", "", "这是市政府今天公布的名單。", "", text))
    (note,) = mixed(issue)
    assert note.line == 6
    assert "这→這" in note.message


def test_chinese_next_to_a_japanese_quotation_is_still_checked() -> None:
    issue = parse(doc("## 标题", "", "這位学者说：「ありがとう」。", "", SIMPLIFIED))
    (note,) = mixed(issue)
    assert "這→这" in note.message


def test_kana_do_not_tip_the_dominant_script() -> None:
    assert lint.script([(1, "「東京の電車は便利です」"), (2, "青岛日报")]).dominant == "hans"
