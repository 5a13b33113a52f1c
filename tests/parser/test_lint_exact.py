"""The linters' findings written out whole: stray Latin words, mixed scripts and runaway blocks."""

from __future__ import annotations

import pytest

from exporter.parser import lint, parse
from exporter.parser.lint import MAX_BLOCK, MAX_MIXED, Script

KEPT = "if it slipped in, write it in Chinese; the text is kept as it is"


def _latin(text: str) -> list[str]:
    return [d.message for d in lint.latin_in_cjk([(3, text)])]


def test_a_latin_word_is_quoted_with_six_characters_either_side() -> None:
    assert _latin("我们必须坚定不移地统一思想 and 行动起来共同奋斗到底") == [
        f"Latin word `and` in Chinese text (…移地统一思想 and 行动起来共同…): {KEPT}"
    ]
    (finding,) = lint.latin_in_cjk([(3, "统一 and 行动")])
    assert (finding.line, finding.code, finding.severity) == (3, "latin-in-cjk", "warning")


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("首批5G基站the建成", "首批5G基站 the 建成"),  # a word with a digit before it on the line is passed over
        ("GDP增长and就业", "GDP增长 and 就业"),  # an acronym before it is passed over
        ("hello世界and中国", "ello世界 and 中国"),  # a word not between Chinese before it is passed over
        ("统一\tand\u3000行动", "统一 and 行动"),  # any white space between the word and the Chinese
    ],
)
def test_every_word_of_a_line_is_looked_at(text: str, context: str) -> None:
    word = "the" if "the" in text else "and"
    assert _latin(text) == [f"Latin word `{word}` in Chinese text (…{context}…): {KEPT}"]


def test_a_word_between_latin_is_not_flagged() -> None:
    assert _latin("统一X and X行动") == []  # Latin on both sides: part of a Latin phrase, not a stray word


def test_the_character_right_after_the_word_decides() -> None:
    """Only the first character after the word must be Chinese: 「行。」 is enough."""
    assert _latin("统一思想 and 行。") == [f"Latin word `and` in Chinese text (…统一思想 and 行。…): {KEPT}"]


def _mixed(lines: list[tuple[int, str]], dominant: str) -> list[tuple[int, str]]:
    found = lint.mixed_script(lines, dominant)
    assert {(d.code, d.severity) for d in found} <= {("mixed-script", "warning")}
    return [(d.line, d.message) for d in found]


def test_traditional_characters_in_simplified_text_one_and_many() -> None:
    assert _mixed([(1, "国家與人民。"), (2, "國家與人民。")], "hans") == [
        (1, "traditional character in simplified text (…国家與人民。…): 與→与; the text is kept as it is"),
        (2, "traditional characters in simplified text (…國家與人民…): 國→国、與→与; the text is kept as it is"),
    ]


def test_the_context_is_four_characters_before_the_first_and_four_after() -> None:
    assert _mixed([(5, "一二三四五六七八九十國語一二三四五")], "hans") == [
        (5, "traditional characters in simplified text (…七八九十國語一二三…): 國→国、語→语; the text is kept as it is")
    ]


def test_at_most_eight_characters_are_shown() -> None:
    (message,) = [m for _, m in _mixed([(1, "國語與學習時間開關門")], "hans")]
    assert message.endswith(": 國→国、語→语、與→与、學→学、習→习、時→时、間→间、開→开; the text is kept as it is")


def test_after_twenty_lines_the_rest_are_summed_up() -> None:
    lines = [(n, "國語") for n in range(1, MAX_MIXED + 4)]  # 23 lines, two traditional characters each
    found = _mixed(lines, "hans")
    assert len(found) == MAX_MIXED + 1 == 21
    assert found[-2][0] == MAX_MIXED
    assert found[-1] == (
        MAX_MIXED,
        "6 more traditional characters on 3 more lines: "
        "convert the text to simplified (OpenCC) or set `language:` to say which it is",
    )


def test_simplified_is_what_no_traditional_standard_writes() -> None:
    """Taiwan writes 群 and Hong Kong 台 where OpenCC's own standard has 羣 and 臺: neither is simplified."""
    assert lint._simplified("群") == [] and lint._simplified("台") == []
    assert lint._simplified("国") == [0]
    assert lint._simplified("台湾的群众") == [1, 4]  # 湾 and 众, not 台 or 群


def test_the_script_counts_add_up_over_the_lines() -> None:
    assert lint.script([(1, "國"), (2, "國国")]) == Script(traditional=2, simplified=1)
    assert lint.script([(1, "国"), (2, "国家发展")]) == Script(traditional=0, simplified=3)
    assert lint.script([(1, "abc")]) == Script(0, 0) and Script(0, 0).dominant is None


def test_a_runaway_editors_note_is_named_in_words() -> None:
    body = "编者按：" + "字" * MAX_BLOCK + "。"
    issue = parse(f"---\ntitle: 滨海日报\ndate: 2025-12-29\n---\n\n## 标题\n\n{body}\n", "a.md")
    (finding,) = [d for d in issue.diagnostics if d.code == "paragraph-too-long"]
    size = len(issue.articles[0].blocks[0].text)
    assert size == MAX_BLOCK + 1  # the label 编者按： is the note's, not its text
    assert (finding.line, finding.severity, finding.message) == (
        8,
        "error",
        "this editors note has 50,001 characters, more than the 50,000 a block may have: "
        "put a blank line between its paragraphs",
    )
