"""Finds the dateline that opens an article's first paragraph (本报12月29日讯, 新华社北京12月29日电)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3}"
_DATELINE = re.compile(
    r"^(?P<source>本报|新华社|中新社|中新网|人民网|央视网|央广网|新华网|[\u4e00-\u9fff]{1,6}?(?:社|网|台|报))"
    r"(?P<place>[\u4e00-\u9fff]{1,10}?)??"  # lazily: 十二月 is a month, not a place
    rf"(?:(?P<month>{_NUM})月(?P<day>{_NUM})日)?"
    r"(?P<kind>讯|电)"
    r"(?P<credit>[（(](?:本报)?(?:特约|见习|首席)?(?:记者|通讯员|实习生)[^（）()]{0,40}[)）])?"
)
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class Match:
    """A dateline found at the start of a text, and where the text after it begins."""

    raw: str
    source: str
    place: str | None
    month: int | None
    day: int | None
    end: int


def _number(text: str | None) -> int | None:
    if not text:
        return None
    if text[0] in "一二三四五六七八九十":
        if text == "十":
            return 10
        if text.startswith("十"):
            return 10 + _CN_DIGITS[text[1]]
        if len(text) == 1:
            return _CN_DIGITS[text]
        tens = _CN_DIGITS[text[0]] * 10
        return tens + (_CN_DIGITS[text[2]] if len(text) == 3 else 0)
    return int(text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def find(text: str) -> Match | None:
    """The dateline at the start of ``text``; the separating space is not part of it."""
    match = _DATELINE.match(text)
    if not match:
        return None
    month, day = _number(match.group("month")), _number(match.group("day"))
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    # 某社电 with neither date nor credit reads as a sentence, not a dateline.
    if match.group("source") != "本报" and month is None and not match.group("credit") and match.group("kind") == "电":
        return None
    end = match.end()
    rest = text[end:]
    # The dateline stands apart: a space, or a closing credit, or straight into the text.
    gap = len(rest) - len(rest.lstrip(" \u3000\t"))
    return Match(
        raw=match.group(0),
        source=match.group("source"),
        place=match.group("place") or None,
        month=month,
        day=day,
        end=end + gap,
    )
