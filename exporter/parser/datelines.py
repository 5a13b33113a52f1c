"""Finds the dateline that opens an article's first paragraph (本报12月29日讯, （中央社記者…台北27日電）).

Three forms are read. The mainland's and Hong Kong's, in either script: a source (本报, 新華社, any …社, …網,
…台 or …報), a place, a date and 讯 or 电, with a reporter's credit in brackets after it (本报讯（记者 王萌）).
Taiwan's Central News Agency puts the whole dateline in brackets, the reporter inside it and the date
often a day with no month: （中央社記者鄭雅文台南27日電）. The Liberty Times puts the reporter and the place
in tortoise-shell brackets: 〔記者鄭雅文／台南報導〕. A reporter is kept as the dateline's credits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from exporter.model import Credit
from exporter.parser import bylines

_NUM = r"[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3}"
_DATE = rf"(?:(?:(?P<month>{_NUM})月)?(?P<day>{_NUM})日)"
# Named outlets first; then any outlet of up to six characters ending in 社, 网/網, 台/臺 or 报/報.
_SOURCE = (
    r"本报|本報|新华社|新華社|中新社|中通社|中评社|中評社|中央社|路透社|法新社|美联社|美聯社|共同社|韩联社|韓聯社"
    r"|中新网|中新網|人民网|人民網|央视网|央視網|央广网|央廣網|新华网|新華網"
    r"|[\u4e00-\u9fff]{1,6}?(?:社|网|網|台|臺|报|報)"
)
_KIND = r"专电|專電|讯|訊|电|電"
_CREDIT_WORD = r"(?:本报|本報)?(?:特约|特約|见习|見習|首席)?(?:记者|記者|通讯员|通訊員|实习生|實習生)"
_DATELINE = re.compile(
    rf"^(?P<source>{_SOURCE})"
    r"(?P<place>[\u4e00-\u9fff]{1,10}?)??"  # lazily: 十二月 is a month, not a place
    rf"{_DATE}?"
    rf"(?P<kind>{_KIND})"
    rf"(?P<credit>[（(]{_CREDIT_WORD}[^（）()]{{0,40}}[)）])?"
)
# （中央社記者鄭雅文台南27日電）: the source, the reporters with the place after them, the date, 電.
_BRACKETED = re.compile(
    rf"^[（(](?P<source>{_SOURCE})"
    r"(?P<role>(?:特約|特约|駐外|驻外)?(?:記者|记者|特派員|特派员))?"
    r"(?P<run>[\u4e00-\u9fff、．·]{1,40}?)"
    rf"{_DATE}?"
    rf"(?P<kind>{_KIND})[)）]"
)
# 〔記者鄭雅文／台南報導〕: the reporters, a slash, the place and 報導.
_FILED = re.compile(
    r"^[〔［\[](?P<who>[^〔〕［］\[\]/／]{1,40}?)\s*[/／]\s*(?P<place>[^〔〕［］\[\]/／\s]{0,10}?)"
    r"(?P<kind>報導|報道|报道|报导)[〕］\]]"
)
# A word that begins with the dateline's last character reads as a sentence: 本報記者昨日電話….
_WORDS = tuple("话話视視脑腦子力影梯池台臺网網商车車器报報息号號邮郵费費量源压壓竞競缆纜问問流")
# Nor is a reporter or a day a place: 本報記者昨日電, 本報昨日電郵.
_NOT_PLACE = re.compile(r"记者|記者|通讯员|通訊員|[昨今明前近]日|[昨今明]天|日前")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Places a reporter files from, to tell them from the name before them (鄭雅文台南): the longest that ends
# the run is the place. Without one, a name has three characters, or two when the run is short.
PLACES = tuple(
    sorted(
        (
            "台北 臺北 新北 桃園 台中 臺中 台南 臺南 高雄 基隆 新竹 苗栗 彰化 南投 雲林 嘉義 屏東 宜蘭 花蓮 台東 臺東 "
            "澎湖 金門 馬祖 連江 香港 九龍 新界 澳門 北京 上海 廣州 深圳 東京 大阪 首爾 曼谷 新加坡 吉隆坡 馬尼拉 "
            "雅加達 河內 雪梨 墨爾本 華盛頓 紐約 舊金山 洛杉磯 休士頓 芝加哥 多倫多 溫哥華 倫敦 巴黎 柏林 布魯塞爾 "
            "日內瓦 莫斯科 羅馬 馬德里 維也納 耶路撒冷 杜拜 新德里 斯德哥爾摩 海牙"
        ).split(),
        key=len,
        reverse=True,
    )
)


@dataclass(frozen=True)
class Match:
    """A dateline found at the start of a text, and where the text after it begins.

    ``kind`` is the word that ends it (讯, 電, 專電, 報導); ``credits`` the reporters it names.
    """

    raw: str
    source: str | None
    place: str | None
    month: int | None
    day: int | None
    end: int
    kind: str | None = None
    credits: tuple[Credit, ...] = ()


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


def _date(match: re.Match[str]) -> tuple[int | None, int | None] | None:
    """The month and day of a match, or None when one is past its limits."""
    month, day = _number(match.group("month")), _number(match.group("day"))
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    return month, day


def _gap(text: str, end: int) -> int:
    """``end`` past the spaces after it: the dateline stands apart with a space, or straight into the text."""
    rest = text[end:]
    return end + len(rest) - len(rest.lstrip(" \u3000\t"))


def _credits(text: str) -> tuple[Credit, ...]:
    return bylines.credits(text.strip())[1]


def split_place(run: str) -> tuple[str, str | None]:
    """The names and the place of 鄭雅文台南 or 王揚宇、溫貴香台北: the place is the end of the last name."""
    head, _, last = run.rpartition("、")
    place = next((p for p in PLACES if last.endswith(p) and len(last) - len(p) >= 2), None)
    if place is None:
        if len(last) < 4:
            return run, None
        place = last[3:] if len(last) >= 5 else last[2:]
    names = last[: len(last) - len(place)]
    return (f"{head}、{names}" if head else names), place


def _bracketed(text: str) -> Match | None:
    match = _BRACKETED.match(text)
    if not match:
        return None
    date = _date(match)
    if date is None:
        return None
    run = match.group("run")
    role = match.group("role")
    if role:
        names, place = split_place(run)
        found = _credits(role + names)
    else:
        place, found = run, ()
    return Match(
        match.group(0), match.group("source"), place, *date, _gap(text, match.end()), match.group("kind"), found
    )


def _filed(text: str) -> Match | None:
    match = _FILED.match(text)
    if not match:
        return None
    outlet, found = bylines.credits(match.group("who").strip())
    if not any(c.role for c in found):
        return None
    place = match.group("place") or None
    return Match(match.group(0), outlet, place, None, None, _gap(text, match.end()), match.group("kind"), found)


def find(text: str) -> Match | None:
    """The dateline at the start of ``text``; the separating space is not part of it."""
    if text.startswith(("（", "(")):
        return _bracketed(text)
    if text.startswith(("〔", "［", "[")):
        return _filed(text)
    match = _DATELINE.match(text)
    if not match:
        return None
    date = _date(match)
    if date is None:
        return None
    month, day = date
    source, place, kind, credit = match.group("source", "place", "kind", "credit")
    if place and _NOT_PLACE.search(place):
        return None
    if day is None and not credit:
        # 某社电 with neither date nor credit reads as a sentence, not a dateline.
        if source not in ("本报", "本報") and kind in ("电", "電", "专电", "專電"):
            return None
        # So does a dateline's last character that begins a word: 本報電話, 本報訊息.
        if text[match.end() : match.end() + 1] in _WORDS:
            return None
    return Match(
        raw=match.group(0),
        source=source,
        place=place or None,
        month=month,
        day=day,
        end=_gap(text, match.end()),
        kind=kind,
        credits=_credits(credit[1:-1]) if credit else (),
    )
