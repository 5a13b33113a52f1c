"""Guesses whose traditional Chinese a text is written in: Hong Kong's (zh-HK), Taiwan's (zh-TW) or neither (zh-Hant).

The evidence is counted line by line. Characters: the text is turned into simplified Chinese with OpenCC
and back into Hong Kong's and Taiwan's standards, and where the two differ in a form each place keeps to
(着 and 著, 裏 and 裡, 衞 and 衛, 啓 and 啟), the text's character votes for the standard that reproduces
it; 綫 is Hong Kong's alone. Words weigh twice: each place's vocabulary (軟件 and 網絡 in Hong Kong,
軟體 and 網路 in Taiwan) and Cantonese (嘅 咗 喺 佢). Place names (香港, 九龍; 臺北, 高雄) support the
guess. When neither side has at least :data:`AT_LEAST` points more than the other, the text is zh-Hant.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from exporter.diagnostics import Diagnostic
from exporter.text.script import HAN, converter

# Pairs of Hong Kong's and Taiwan's forms of one character that each place's papers keep to. Others
# that OpenCC tells apart (台 and 臺, 説 and 說, 温 and 溫, 麪 and 麵) are written both ways in Hong Kong.
_PAIRS = frozenset({("着", "著"), ("裏", "裡"), ("衞", "衛"), ("啓", "啟")})
_HK_ONLY = "綫"
WORDS = {
    "zh-HK": (
        "軟件 網絡 的士 巴士 港鐵 電郵 短訊 打印 屋邨 屋苑 雪糕 薯仔 街市 公屋 私樓 質素 嘅 咗 喺 佢 冇 噉 嚟 啲 嘢 唔"
    ).split(),
    "zh-TW": "軟體 網路 程式 影片 捷運 計程車 機車 滑鼠 部落格 簡訊 伺服器 資料庫 印表機 便當 鳳梨 馬鈴薯".split(),
}
PLACES = {
    "zh-HK": "香港 九龍 新界 港島 尖沙咀 灣仔 銅鑼灣 旺角 沙田 荃灣 屯門 元朗 將軍澳 立法會 特區政府".split(),
    "zh-TW": "臺北 台北 新北 高雄 臺中 台中 臺南 台南 桃園 基隆 新竹 花蓮 宜蘭 立法院 行政院".split(),
}
#: The points one side needs over the other for the guess to be its tag.
AT_LEAST = 2


@dataclass(frozen=True)
class Guess:
    """The tag guessed, the evidence for it (most telling first) and the line where it is strongest."""

    language: str
    evidence: tuple[str, ...]
    line: int
    points: dict[str, int]


def _characters(text: str) -> list[tuple[str, str]]:
    """The tag each telling character of a line votes for, with the character."""
    votes = [("zh-HK", ch) for ch in text if ch in _HK_ONLY]
    simplified = converter("t2s").convert(text)
    hk, tw = converter("s2hk").convert(simplified), converter("s2tw").convert(simplified)
    if not len(hk) == len(tw) == len(text):
        return votes
    for ch, a, b in zip(text, hk, tw, strict=True):
        if (a, b) in _PAIRS:
            if ch == a:
                votes.append(("zh-HK", ch))
            elif ch == b:
                votes.append(("zh-TW", ch))
    return votes


def _line_votes(text: str) -> list[tuple[str, str, int]]:
    """Every vote of a line: the tag, what was seen and its weight."""
    votes = [(tag, ch, 1) for tag, ch in _characters(text)]
    for tag, words in WORDS.items():
        votes += [(tag, word, 2) for word in words for _ in range(text.count(word))]
    for tag, places in PLACES.items():
        votes += [(tag, place, 1) for place in places if place in text]
    return votes


def guess(lines: Iterable[tuple[int, str]]) -> Guess:
    """The standard a traditional text follows, told by its characters, words and places."""
    points: Counter[str] = Counter()
    seen: dict[str, Counter[str]] = {"zh-HK": Counter(), "zh-TW": Counter()}
    by_line: dict[str, Counter[int]] = {"zh-HK": Counter(), "zh-TW": Counter()}
    for number, text in lines:
        if not HAN.search(text):
            continue
        for tag, what, weight in _line_votes(text):
            points[tag] += weight
            seen[tag][what] += weight
            by_line[tag][number] += weight
    hk, tw = points["zh-HK"], points["zh-TW"]
    tag = "zh-HK" if hk - tw >= AT_LEAST else "zh-TW" if tw - hk >= AT_LEAST else "zh-Hant"
    if tag == "zh-Hant":
        return Guess(tag, (), 1, dict(points))
    line = by_line[tag].most_common(1)[0][0]
    return Guess(tag, tuple(what for what, _ in seen[tag].most_common(6)), line, dict(points))


def finding(found: Guess) -> Diagnostic:
    """The finding that tells the guess and how to say the language instead."""
    if found.language == "zh-Hant":
        why = "traditional characters, with neither Hong Kong's nor Taiwan's forms and words standing out"
        fix = "add `language: zh-Hant` (or zh-HK, zh-TW) to the front matter to say which it is"
    else:
        why = "、".join(found.evidence)
        fix = f"add `language: {found.language}` to the front matter to say so"
    return Diagnostic(
        found.line, "language-guessed", "info", f"language guessed as {found.language} from the text ({why}): {fix}"
    )
