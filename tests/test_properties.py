"""Property-based tests of the parser: it never crashes, it loses no text, and it is deterministic.

The "no text lost" property draws an issue's *structure* (front matter, markers, kickers, headlines,
bylines, datelines, body blocks), renders it to text, parses the text and compares the model with
what was drawn — never with a second parse.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from exporter.errors import FrontMatterError, InputError
from exporter.model import Article, EditorsNote, Figure, Issue, Paragraph, Quote, Subhead
from exporter.parser import parse, parse_bytes
from exporter.parser.frontmatter import KNOWN_KEYS

FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


# Every message the parser's InputErrors can carry, each as "what is wrong: what to do", and whether it
# names a line. A file that is empty, binary or in no encoding is wrong as a whole: no line to name.
_KEY = "(" + "|".join(KNOWN_KEYS) + ")"
_INPUT_ERRORS: tuple[tuple[bool, re.Pattern[str]], ...] = tuple(
    (has_line, re.compile(pattern))
    for has_line, pattern in (
        (False, r"the file is empty \(white space only\): write an issue in it \(see the README\)"),
        (False, r"the file is empty: write an issue in it \(see the README\)"),
        (
            False,
            r"this is (a PDF document|a ZIP archive \(an EPUB, DOCX or similar\)|a PNG image|a JPEG image|a GIF image|"
            r"an old Microsoft Office document|a program|a gzip archive), not an issue text file: "
            r"pass the issue's \.md file",
        ),
        (False, r"the file starts like UTF-(16|32) but does not decode: .+; save it as UTF-8"),
        (False, r"this is a binary file, not an issue text file: pass the issue's \.md file"),
        (
            False,
            r"the file is neither UTF-8 nor a Chinese encoding that could be recognised "
            r"\(GB18030/GBK, Big5, UTF-16\): save it as UTF-8",
        ),
        (
            True,
            r"the file is UTF-8 but has (1 damaged byte|([2-9]|[1-9]\d+) damaged bytes) \(the first after ….{0,8}\): "
            r"retype the text there or save the file as UTF-8 again",
        ),
        (True, r"the front matter opened by `(---|\+\+\+)` is never closed: add a `\1` line after it"),
        (True, r"the front matter is not valid YAML \(.+\): write one `key: value` per line"),
        (True, r'the front matter is not valid TOML \(.+\): write one `key = "value"` per line'),
        (
            True,
            r"the front matter holds a value (YAML|TOML) cannot read \(.+\): "
            r"write dates as 2025-12-30 and other values as plain `key: value` text",
        ),
        (True, r"the front matter must be a list of `key: value` lines, such as `title: 青岛日报`"),
        (True, r"a key of the front matter is a number too long to print: keys are words such as `title`"),
        (True, rf"`{_KEY}` must be a single value, not \w+: write `\1: …` on one line"),
        (True, rf"`{_KEY}` is a number too long to print: put it in quotes to keep it as text"),
        (True, r"`date` must be an ISO 8601 date such as 2025-12-30, not .+"),
        (True, r"no article found: open each article with a headline line such as `## 标题`"),
    )
)


def _last_line(source: str | bytes) -> int:
    """The number of the last line the parser can name: it reads \\r\\n, \\r and \\n as line ends."""
    if isinstance(source, bytes):  # a bound: in every encoding the parser reads, a line end holds \r or \n
        return source.count(b"\n") + source.count(b"\r") + 1
    return source.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def _parse_or_input_error(call: Callable[[], Issue], source: str | bytes) -> Issue | None:
    """Run a parse of ``source`` as ``issue.md``; only the project's input errors may come out of it.

    The error is told as the CLI tells it: one line, ``issue.md:LINE: error: what is wrong: what to do``
    (``issue.md: error: …`` for a file wrong as a whole), with a line of the file.
    """
    try:
        return call()
    except InputError as exc:  # FrontMatterError is an InputError
        told = str(exc)
        assert len(told.splitlines()) == 1, told
        assert exc.path == "issue.md", told
        has_line, pattern = next(((h, p) for h, p in _INPUT_ERRORS if p.fullmatch(exc.message)), (None, None))
        assert pattern is not None, f"a message the parser is not known to give: {exc.message!r}"
        if has_line:
            assert exc.line is not None and 1 <= exc.line <= _last_line(source), (told, _last_line(source))
            assert told == f"issue.md:{exc.line}: error: {exc.message}"
        else:
            assert exc.line is None, told
            assert told == f"issue.md: error: {exc.message}"
        return None


_BODY = "\n## 标题\n\n正文。\n"


# One input for each message the parser can give, with its exact line and message.
_EXACT_CASES: list[tuple[str | bytes, int | None, str]] = [
    ("  \n\t\n", None, "the file is empty (white space only): write an issue in it (see the README)"),
    (b"", None, "the file is empty: write an issue in it (see the README)"),
    (b"%PDF-1.7", None, "this is a PDF document, not an issue text file: pass the issue's .md file"),
    (
        b"\xff\xfea\x00b",  # a UTF-16 byte order mark, then an odd number of bytes
        None,
        "the file starts like UTF-16 but does not decode: truncated data; save it as UTF-8",
    ),
    (b"\x00\x01\x02", None, "this is a binary file, not an issue text file: pass the issue's .md file"),
    (
        bytes(range(0x80, 0x100)) * 4,
        None,
        "the file is neither UTF-8 nor a Chinese encoding that could be recognised (GB18030/GBK, Big5, UTF-16): "
        "save it as UTF-8",
    ),
    (
        b"## a\r\rb\rc\xff",  # \r ends lines 1 to 3: the byte is on line 4, after c
        4,
        "the file is UTF-8 but has 1 damaged byte (the first after …c): retype the text there or save the file "
        "as UTF-8 again",
    ),
    (
        "---\ntitle: 青岛日报" + _BODY,
        1,
        "the front matter opened by `---` is never closed: add a `---` line after it",
    ),
    (
        "---\ntitle: [unclosed\n---" + _BODY,
        2,
        "the front matter is not valid YAML (expected ',' or ']', but got '<stream end>'): write one `key: value` "
        "per line",
    ),
    (
        "+++\ntitle = \n+++" + _BODY,
        2,
        'the front matter is not valid TOML (Invalid value): write one `key = "value"` per line',
    ),
    (
        "---\ndate: 2025-02-30\n---" + _BODY,
        2,
        "the front matter holds a value YAML cannot read (day is out of range for month): write dates as "
        "2025-12-30 and other values as plain `key: value` text",
    ),
    (
        "+++\na = " + "[" * 3000 + "]" * 3000 + "\n+++" + _BODY,
        2,
        "the front matter holds a value TOML cannot read (values nested too deeply): write dates as 2025-12-30 "
        "and other values as plain `key: value` text",
    ),
    (
        "---\n- a\n---" + _BODY,
        1,
        "the front matter must be a list of `key: value` lines, such as `title: 青岛日报`",
    ),
    (
        "---\n? 0x" + "f" * 5000 + "\n: 1\n---" + _BODY,
        2,
        "a key of the front matter is a number too long to print: keys are words such as `title`",
    ),
    (
        "---\ntitle: [a, b]\n---" + _BODY,
        2,
        "`title` must be a single value, not list: write `title: …` on one line",
    ),
    (
        "---\nnumber: 0x" + "f" * 5000 + "\n---" + _BODY,
        2,
        "`number` is a number too long to print: put it in quotes to keep it as text",
    ),
    ("---\ndate: hello\n---" + _BODY, 2, "`date` must be an ISO 8601 date such as 2025-12-30, not 'hello'"),
    ("<!-- page: A01 -->\n", 1, "no article found: open each article with a headline line such as `## 标题`"),
]


def _parse_any(source: str | bytes) -> Issue:
    return parse_bytes(source, "issue.md") if isinstance(source, bytes) else parse(source, "issue.md")


_EXACT_IDS = [
    "empty-text", "empty-file", "pdf", "utf16-cut", "binary", "no-encoding", "damaged-byte-cr", "unclosed",
    "yaml", "toml", "yaml-no-such-day", "toml-nested", "not-a-mapping", "key-too-long", "not-single", "number-too-long",
    "date", "no-article",
]  # fmt: skip


@pytest.mark.parametrize(("source", "line", "message"), _EXACT_CASES, ids=_EXACT_IDS)
def test_each_input_error_is_told_exactly(source: str | bytes, line: int | None, message: str) -> None:
    with pytest.raises(InputError) as info:
        _parse_any(source)
    assert (info.value.line, info.value.message) == (line, message)
    assert _parse_or_input_error(lambda: _parse_any(source), source) is None  # and passes the fuzzing's checks


def test_every_known_input_error_has_an_exact_case() -> None:
    """The table the fuzzing checks against holds no message that no input above gives."""
    for has_line, pattern in _INPUT_ERRORS:
        assert any(pattern.fullmatch(m) and (line is not None) == has_line for _, line, m in _EXACT_CASES), pattern


# -- 1. the parser never raises anything but InputError ----------------------------------------------

# Pieces of the format's syntax, so that random text reaches front matter, markers, headings and blocks.
_SYNTAX = (
    "---\n",
    "+++\n",
    "title: ",
    "date: ",
    "date = ",
    "2025-02-30",
    "2025-12-30",
    "0x" + "f" * 40,
    "0x" + "f" * 4000,  # more than 4300 decimal digits: Python will not print it
    "? ",
    ": ",
    "[[[",
    "]]]",
    "\n",
    "\r\n",
    "\r",
    "\ufeff",
    "  \n",
    "\n\n",
    "# ",
    "## ",
    "### ",
    "#### ",
    "> ",
    "<!-- page: A01 -->",
    "<!-- section: 要闻 -->",
    "<!-- page: 2, section: 经济 -->",
    "<!-- pgae: 1 -->",
    "<!-- page: -->",
    "<!--",
    "-->",
    "<div>",
    "![",
    "](",
    "img/a.jpg",
    "../a.jpg",
    "http://x/a.jpg",
    ' "标题")',
    ")",
    "**",
    "*",
    "_",
    "`",
    "[",
    "]",
    "——",
    "□",
    "■",
    "本报记者 ",
    "记者 王 萌",
    "通讯员",
    "文/",
    "本报12月29日讯 ",
    "新华社北京2月30日电",
    "本报讯",
    "编者按：",
    "（记者 王萌 摄）",
    "。",
    "，",
    "：",
    "2025年",
    "市級",
    " and ",
    "\u3000",
)
_fuzz_text = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(_SYNTAX), st.text(max_size=4)), max_size=40).map("".join),
)


@settings(FAST, max_examples=400)
@given(_fuzz_text)
@example("---\ndate: 2025-02-30\n---\n## 标题\n\n正文。")  # ValueError from PyYAML's date constructor
@example("---\ndate: 2025-01-01T25:00:00\n---\n## 标题\n\n正文。")  # ValueError (hour)
@example("---\ndate: 2025-01-01 12:00:00 +99:00\n---\n## 标题\n\n正文。")  # ValueError (tz offset)
@example("---\na: " + "[" * 1000 + "\n---\n## 标题\n\n正文。")  # RecursionError in PyYAML
@example("+++\na = " + "[" * 3000 + "]" * 3000 + "\n+++\n## 标题\n\n正文。")  # RecursionError in tomllib
@example("+++\nnumber = " + "1" * 5000 + "\n+++\n## 标题\n\n正文。")  # ValueError: int of > 4300 digits
@example("---\nnumber: 0x" + "f" * 5000 + "\n---\n## 标题\n\n正文。")  # ValueError from str(int) in _check
@example("---\ndate: 0x" + "f" * 5000 + "\n---\n## 标题\n\n正文。")  # ValueError from repr(int) in _date
@example("---\n? 0x" + "f" * 5000 + "\n: 1\n---\n## 标题\n\n正文。")  # ValueError from str(key) in _mapping
@example("\ufeff\r\n\r\n## 标题\r\n\r\n正文")
@example("## \n\n")
@example("<!-- page: A01 -->")
@example("---\na: &x [*x]\n---\n## 标题\n\n正文。")  # a value that contains itself
def test_parse_never_raises_other_errors(text: str) -> None:
    issue = _parse_or_input_error(lambda: parse(text, "issue.md"), text)
    # An issue comes out only with an article that has a headline: else "no article found".
    assert issue is None or any(a.headline for a in issue.articles)


_fuzz_bytes = st.one_of(
    st.binary(max_size=200),
    st.tuples(_fuzz_text, st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16", "utf-16-be"])).map(
        lambda pair: pair[0].encode(pair[1], errors="replace")
    ),
)


@settings(FAST, max_examples=200)
@given(_fuzz_bytes)
@example(b"\xef\xbb\xbf---\ndate: 2025-02-30\n---\n## a\n\nb")
@example(b"%PDF-1.7")
@example(b"PK\x03\x04")  # a ZIP archive: its description has a comma of its own
@example(b"\x00\x01\x02")
@example(b"## a\r\rb\rc\xff")  # old Mac line ends before a damaged byte: its line, and a message of one line
def test_parse_bytes_never_raises_other_errors(data: bytes) -> None:
    issue = _parse_or_input_error(lambda: parse_bytes(data, "issue.md"), data)
    assert issue is None or any(a.headline for a in issue.articles)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("---\ndate: 2025-02-30\n---\n## 标题\n\n正文。", 2),
        ("---\ntitle: 青岛日报\ndate: 2025-13-01\n---\n## 标题\n\n正文。", 3),
        ("---\na: " + "[" * 1000 + "\n---\n## 标题\n\n正文。", 2),
        ("+++\na = " + "[" * 3000 + "]" * 3000 + "\n+++\n## 标题\n\n正文。", 2),
        ("+++\nnumber = " + "1" * 5000 + "\n+++\n## 标题\n\n正文。", 2),
        ("---\ntitle: 青岛日报\nnumber: 0x" + "f" * 5000 + "\n---\n## 标题\n\n正文。", 3),
        ("---\ntitle: 青岛日报\ndate: 0x" + "f" * 5000 + "\n---\n## 标题\n\n正文。", 3),
        ("+++\ndate = 0x" + "f" * 5000 + "\n+++\n## 标题\n\n正文。", 2),
        ("---\n? 0x" + "f" * 5000 + "\n: 1\n---\n## 标题\n\n正文。", 2),
    ],
)
def test_unreadable_front_matter_values_are_front_matter_errors(text: str, line: int) -> None:
    """Regression: these raised ValueError or RecursionError out of PyYAML, tomllib, str(int) and repr(int)."""
    with pytest.raises(FrontMatterError) as info:
        parse(text, "issue.md")
    assert info.value.path == "issue.md"
    assert info.value.line == line


# -- 2. a mostly valid issue, drawn by structure: no text is lost ---------------------------------

# The body alphabet has no Markdown-active characters. Some Chinese characters are left out because
# they would make random text read as syntax of the format itself, which the generator draws on purpose:
# 记 通 实 摄 start credit words (记者, 通讯员, 实习生, 摄影: a paragraph opening with one is a byline),
# 报 社 网 台 end dateline sources (本报, 新华社, 人民网, …台: …讯 would be a dateline), 编 編 open
# an editor's note.
_NOT_RANDOM = set("记通实摄报社网台编編")
CJK = "".join(
    ch
    for ch in dict.fromkeys(
        "青岛市经济工作会议精神学习贯彻全国首个人力资源出海综合服务港在成立民生底线累计安排帮扶领域资金"
        "亿元今年以来各相关部门围绕提升基本公共承担的重点任务统筹上级转移支付一般预算和政府性基有保障了项目"
        "顺利开展新目标笃行实干局区功能党员干部认真级"
    )
    if ch not in _NOT_RANDOM
)
LATIN = "abcdxyzABCXYZ"
DIGITS = "0123456789"
OPENING = "，、；：“‘（《—"  # not closing: a paragraph ending with these (but ：) is cut
CLOSING = "。？！”’）》…"
SPACES = " \u3000"
BODY = CJK + LATIN + DIGITS + OPENING + CLOSING
# The format doc: a paragraph is cut when it ends without closing punctuation (。！？…”’」』）》 and their
# ASCII forms); one that ends with ：or : introduces what follows and is not cut.
DOC_CLOSING = "。！？…”’」』）》.!?)\"'"
DOC_INTRODUCING = "：:"


def _is_cut(text: str) -> bool:
    text = text.rstrip()
    return bool(text) and text[-1] not in DOC_CLOSING + DOC_INTRODUCING


def _squeeze(text: str) -> str:
    """The text without any white space: separating spaces are spaces, joined lines join."""
    return "".join(ch for ch in text if not ch.isspace())


@dataclass(frozen=True)
class GCredit:
    role: str
    names: tuple[str, ...]
    padded: tuple[bool, ...]  # 王 萌: a two-character name padded with a space
    sep: str = " "  # between names: a space, an ideographic space or 、

    def render(self) -> str:
        written = [" ".join(n) if pad else n for n, pad in zip(self.names, self.padded, strict=True)]
        return self.role + ("" if self.role.endswith("/") else " ") + self.sep.join(written)


@dataclass(frozen=True)
class GByline:
    mark: str  # "" for a byline that opens with a credit word
    outlet: str | None
    credits: tuple[GCredit, ...]

    def render(self) -> str:
        return self.mark + (self.outlet or "") + " ".join(c.render() for c in self.credits)


@dataclass(frozen=True)
class GDateline:
    source: str
    place: str | None
    month: int | None
    day: int | None
    chinese: bool  # 十二月二十九日 instead of 12月29日
    kind: str  # 讯 or 电
    gap: str = " "  # between the dateline and the text: not part of either

    def render(self) -> str:
        date = ""
        if self.month is not None and self.day is not None:
            date = f"{_number(self.month, self.chinese)}月{_number(self.day, self.chinese)}日"
        return f"{self.source}{self.place or ''}{date}{self.kind}"


def _number(n: int, chinese: bool) -> str:
    if not chinese:
        return str(n)
    digits = "一二三四五六七八九"
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens - 1] + "十")
    return head + (digits[ones - 1] if ones else "")


@dataclass(frozen=True)
class GPara:
    lines: tuple[str, ...]  # source lines of one paragraph
    indent: str = ""  # 　　 as exports from print carry it

    @property
    def text(self) -> str:
        return "".join(self.lines)


@dataclass(frozen=True)
class GSubhead:
    level: int
    text: str


@dataclass(frozen=True)
class GQuote:
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class GNote:
    label: str
    text: str


@dataclass(frozen=True)
class GFigure:
    caption: str
    credit: str | None
    title: str | None
    src: str


GBlock = GPara | GSubhead | GQuote | GNote | GFigure


@dataclass(frozen=True)
class GArticle:
    kicker: tuple[int, str] | None
    level: int
    headline: tuple[str, ...]  # its lines
    headline_sep: str  # between its lines
    subtitle: str | None
    bylines: tuple[GByline, ...]
    bylines_in_one_block: bool  # on consecutive lines, or as paragraphs
    hard_break: bool  # a byline followed by another line ends with two spaces (or with a soft break)
    attach_first: bool  # the first paragraph follows the last byline on the next line
    dateline: GDateline | None  # opens the first block, which is then a paragraph
    blocks: tuple[GBlock, ...]


@dataclass(frozen=True)
class GSection:
    page: str | None
    title: str | None
    marker: bool
    articles: tuple[GArticle, ...]


@dataclass(frozen=True)
class GFront:
    toml: bool
    title: str | None
    date: dt.date | None
    number: int | None
    extra: str | None  # an unknown key, passed to the theme
    blank_after: bool  # a blank line between the closing fence and the body


@dataclass(frozen=True)
class GIssue:
    front: GFront | None
    sections: tuple[GSection, ...]
    blank_top: int
    bom: bool
    crlf: bool
    trailing: str  # added to heading and paragraph lines
    tight: bool  # no blank lines around headings and markers


# -- strategies ---
# Built once, at import: Hypothesis validates a strategy the first time it draws from it, and
# strategies built anew inside composites on every draw made generation the slowest part of the tests.


@functools.cache
def _text(alphabet: str, min_size: int = 1, max_size: int = 16) -> st.SearchStrategy[str]:
    return st.text(alphabet=st.sampled_from(alphabet), min_size=min_size, max_size=max_size)


@functools.cache
def _pick(*values: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from(values)


_maybe_cjk = st.none() | _text(CJK, 1, 6)


@st.composite
def _body_line(draw: st.DrawFn) -> str:
    """A line of body text: no Markdown syntax, never blank, sometimes with spaces inside."""
    first: str = draw(_pick(*CJK, *LATIN, *DIGITS, "“", "《", "（"))
    last: str = draw(_pick(*CJK, *LATIN, *OPENING, *CLOSING))
    return first + draw(_text(BODY + SPACES, 0, 24)) + last


body_line = _body_line()
_lines = st.lists(body_line, min_size=1, max_size=3)


@st.composite
def _paragraph(draw: st.DrawFn) -> GPara:
    lines = tuple(draw(_lines))
    ending = draw(_pick("keep", "closed", "cut", "introducing"))
    last = lines[-1]
    if ending == "closed":
        last += draw(_pick(*CLOSING))
    elif ending == "cut":
        last += draw(_pick(*CJK, "，", "、"))
    elif ending == "introducing":
        last += "："
    return GPara((*lines[:-1], last), draw(_pick("", "", "\u3000\u3000")))


paragraph = _paragraph()

_NAME_CHARS = "王萌李青健德银曹森衣涛余瑞新张伟刘佳旋薛华飞任晓贾臻"
_ROLES = ("记者", "本报记者", "首席记者", "通讯员", "实习生", "摄影", "文/图", "文/", "图/")
_OUTLETS = ("青岛日报/观海新闻", "青岛日报", "大众日报", "新华社")
_names = st.lists(_text(_NAME_CHARS, 2, 3), min_size=1, max_size=3)


@st.composite
def _credit(draw: st.DrawFn) -> GCredit:
    role = draw(_pick(*_ROLES))
    names = tuple(draw(_names))
    padded = tuple(len(n) == 2 and draw(st.booleans()) for n in names)
    return GCredit(role, names, padded, draw(_pick(" ", " ", "\u3000", "、")))


_credits = st.lists(_credit(), min_size=1, max_size=2)
_maybe_outlet = st.none() | _pick(*_OUTLETS)


@st.composite
def _byline(draw: st.DrawFn) -> GByline:
    mark = draw(_pick("□", "■", "◎", "●", "○", "◆", "◇", "★", ""))
    credits = tuple(draw(_credits))
    # Without a mark, a byline is known by the credit word it opens with: no outlet before it.
    outlet = draw(_maybe_outlet) if mark else None
    return GByline(mark, outlet, credits)


_bylines = st.lists(_byline(), max_size=3)
_maybe_place = st.none() | _pick("青岛", "北京", "济南")


@st.composite
def _dateline(draw: st.DrawFn) -> GDateline:
    source, kind = draw(_pick(("本报", "讯"), ("新华社", "电")))
    place = draw(_maybe_place)
    dated = kind == "电" or draw(st.booleans())  # 新华社北京电 without a date reads as a sentence
    month = draw(st.integers(1, 12)) if dated else None
    day = draw(st.integers(1, 31)) if dated else None
    gap = draw(_pick(" ", " ", "", "\u3000", "  "))
    return GDateline(source, place, month, day, draw(st.booleans()), kind, gap)


_maybe_dateline = st.none() | _dateline()
_quoted = st.lists(body_line, min_size=1, max_size=2)
_maybe_photo = st.none() | _pick("记者 王 萌 摄", "新华社记者 李青健 摄", "青岛日报供图")


@st.composite
def _block(draw: st.DrawFn) -> GBlock:
    kind = draw(_pick("para", "para", "para", "para", "subhead", "quote", "note", "figure"))
    if kind == "para":
        return draw(paragraph)
    if kind == "subhead":
        return GSubhead(draw(_pick(3, 4)), draw(body_line))
    if kind == "quote":
        return GQuote(tuple(draw(_quoted)))
    if kind == "note":
        return GNote(draw(_pick("编者按：", "编者按:", "编者的话：", "编者按 ")), draw(body_line))
    # A caption without （）: a random one ending in （…摄） would be a photo credit the draw did not mean.
    caption = draw(_text(CJK + LATIN + DIGITS + "，、。“”", 1, 12))
    return GFigure(caption, draw(_maybe_photo), draw(_maybe_cjk), f"images/p{draw(st.integers(1, 99))}.jpg")


_blocks = st.lists(_block(), max_size=5)
_blocks_at_least_one = st.lists(_block(), min_size=1, max_size=5)

_HEADLINE = CJK + LATIN + DIGITS + "，、；：“”‘’（）《》？！。"  # no space, no —: those are its syntax


@st.composite
def _headline(draw: st.DrawFn) -> tuple[str, ...]:
    if not draw(st.booleans()):
        return (draw(_text(_HEADLINE)),)
    # Two lines: the space between them splits only between wide characters, since Latin words
    # (iPhone 17) are set with spaces of their own; so each line meets the space with a CJK character.
    first = draw(_text(_HEADLINE, 0, 8)) + draw(_pick(*CJK))
    second = draw(_pick(*CJK)) + draw(_text(_HEADLINE, 0, 8))
    return (first, second)


_headlines = _headline()
_maybe_kicker = st.none() | st.tuples(_pick(1, 2), _text(_HEADLINE))
_maybe_subtitle = st.none() | _text(_HEADLINE)


@st.composite
def _article(draw: st.DrawFn) -> GArticle:
    kicker = draw(_maybe_kicker)
    bylines = tuple(draw(_bylines))
    # An article needs a body: a heading with nothing before the next heading is that heading's kicker.
    blocks = tuple(draw(_blocks if bylines else _blocks_at_least_one))
    first_is_para = bool(blocks) and isinstance(blocks[0], GPara)
    # A dateline opens the first paragraph: draw it only when the body starts with one.
    date = draw(_maybe_dateline) if first_is_para else None
    return GArticle(
        kicker=kicker,
        level=draw(_pick(1, 2)),
        headline=draw(_headlines),
        headline_sep=draw(_pick(" ", " ", "  ", "\u3000")),
        subtitle=draw(_maybe_subtitle),
        bylines=bylines,
        bylines_in_one_block=draw(st.booleans()),
        hard_break=draw(st.booleans()),
        attach_first=bool(bylines) and first_is_para and draw(st.booleans()),
        dateline=date,
        blocks=blocks,
    )


_articles = st.lists(_article(), min_size=1, max_size=3)


@st.composite
def _section(draw: st.DrawFn, marker: bool) -> GSection:
    page = title = None
    if marker:
        kind = draw(_pick("page", "section", "both"))
        if kind in ("page", "both"):
            page = draw(_pick("A01", "2", "B03", "第3版"))
        if kind in ("section", "both"):
            title = draw(_text(CJK, 1, 4))  # no , ， ; ；: they separate a marker's parts
    return GSection(page, title, marker, tuple(draw(_articles)))


_section_marked = _section(marker=True)
_section_unmarked = _section(marker=False)
_more_sections = st.lists(_section_marked, max_size=2)


@st.composite
def _front(draw: st.DrawFn) -> GFront:
    return GFront(
        toml=draw(st.booleans()),
        title=draw(_maybe_cjk),
        date=draw(st.none() | st.dates(dt.date(1950, 1, 1), dt.date(2090, 12, 31))),
        number=draw(st.none() | st.integers(1, 99999)),
        extra=draw(_maybe_cjk),
        blank_after=draw(st.booleans()),
    )


_maybe_front = st.none() | _front()


@st.composite
def _issue_spec(draw: st.DrawFn) -> GIssue:
    # Only the first section may go without a marker: a marker is what opens a section.
    first = draw(_section_marked if draw(st.booleans()) else _section_unmarked)
    return GIssue(
        front=draw(_maybe_front),
        sections=(first, *draw(_more_sections)),
        blank_top=draw(st.integers(0, 2)),
        bom=draw(st.booleans()),
        crlf=draw(st.booleans()),
        trailing=draw(_pick("", "", " ", "   ")),
        tight=draw(st.booleans()),
    )


issue_spec = _issue_spec()


# -- rendering, with the source line of every paragraph ---


@dataclass
class Rendered:
    text: str
    # per article (in order): the line of each drawn paragraph, in order of its blocks
    para_lines: list[list[int]]


def render(spec: GIssue) -> Rendered:
    out: list[str] = [""] * spec.blank_top
    para_lines: list[list[int]] = []
    tail = spec.trailing

    def add(line: str) -> int:
        out.append(line)
        return len(out)

    def blank() -> None:
        add("")

    def heading(line: str) -> None:
        # A heading or marker needs no blank line around it: it ends the paragraph before it.
        if spec.tight and out and not out[-1]:
            out.pop()
        add(line + tail)
        if not spec.tight:
            blank()

    if spec.front is not None:
        fm = spec.front
        fence, eq = ("+++", " = ") if fm.toml else ("---", ": ")
        add(fence)
        if fm.title is not None:
            add(f"title{eq}{json.dumps(fm.title, ensure_ascii=False)}")
        if fm.date is not None:
            add(f"date{eq}{fm.date.isoformat()}")
        if fm.number is not None:
            add(f"number{eq}{fm.number}")
        if fm.extra is not None:
            add(f"source{eq}{json.dumps(fm.extra, ensure_ascii=False)}")
        add(fence)
        if fm.blank_after:
            blank()
    for sec in spec.sections:
        if sec.marker:
            parts = [f"page: {sec.page}"] if sec.page else []
            parts += [f"section: {sec.title}"] if sec.title else []
            heading(f"<!-- {', '.join(parts)} -->")
        for art in sec.articles:
            lines: list[int] = []
            para_lines.append(lines)
            if art.kicker:
                heading("#" * art.kicker[0] + " " + art.kicker[1])
                if not spec.tight:
                    out.pop()  # nothing between a kicker and its headline but a line break
            head = art.headline_sep.join(art.headline) + (f"——{art.subtitle}" if art.subtitle else "")
            heading("#" * art.level + " " + head)
            brk = "  " if art.hard_break else tail
            for i, by in enumerate(art.bylines):
                last = i == len(art.bylines) - 1
                if (art.bylines_in_one_block and not last) or (last and art.attach_first):
                    add(by.render() + brk)
                else:
                    add(by.render() + tail)
                    blank()
            for j, blk in enumerate(art.blocks):
                if isinstance(blk, GPara):
                    opening = blk.indent
                    if j == 0 and art.dateline is not None:
                        opening += art.dateline.render() + art.dateline.gap
                    lines.append(add(opening + blk.lines[0] + tail))
                    for more in blk.lines[1:]:
                        add(more + tail)
                elif isinstance(blk, GSubhead):
                    heading("#" * blk.level + " " + blk.text)
                    continue
                elif isinstance(blk, GQuote):
                    for k, quoted in enumerate(blk.paragraphs):
                        if k:
                            add(">")
                        add(f"> {quoted}")
                elif isinstance(blk, GNote):
                    add(blk.label + blk.text + tail)
                else:
                    caption = blk.caption + (f"（{blk.credit}）" if blk.credit else "")
                    title = f' "{blk.title}"' if blk.title else ""
                    add(f"![{caption}]({blk.src}{title})")
                blank()
    text = "\n".join(out) + "\n"
    if spec.crlf:
        text = text.replace("\n", "\r\n")
    if spec.bom:
        text = "\ufeff" + text
    return Rendered(text, para_lines)


# -- what the model must hold ---


def _block_text(blk: GBlock) -> str:
    if isinstance(blk, GPara):
        return blk.text
    if isinstance(blk, GSubhead):
        return blk.text
    if isinstance(blk, GQuote):
        return "".join(blk.paragraphs)
    if isinstance(blk, GNote):
        return blk.label + blk.text
    # The parentheses around a photo credit are its syntax, like the brackets of the image:
    # the model keeps the credit apart (Figure.credit) and the theme sets them again.
    return blk.caption + (blk.credit or "")


def expected_text(art: GArticle) -> str:
    """The characters of an article as drawn, in reading order. ——, #, >, ![…](…) and markers are syntax."""
    parts = [art.kicker[1] if art.kicker else "", *art.headline, art.subtitle or ""]
    parts += [b.render() for b in art.bylines]
    parts.append(art.dateline.render() if art.dateline else "")
    parts += [_block_text(b) for b in art.blocks]
    return _squeeze("".join(parts))


def model_text(art: Article) -> str:
    """The characters of an article in the model, in the same order."""
    parts = [art.kicker or "", art.headline, art.subtitle or ""]
    parts += [b.raw for b in art.bylines]
    parts.append(art.dateline.raw if art.dateline else "")
    for blk in art.blocks:
        if isinstance(blk, (Paragraph, Subhead, Quote)):
            parts.append(blk.text)
        elif isinstance(blk, Figure):
            parts.append(blk.text + (blk.credit or ""))
        elif isinstance(blk, EditorsNote):
            parts.append(blk.label + blk.text)
    return _squeeze("".join(parts))


@dataclass(frozen=True)
class ExpectedBlock:
    kind: type
    line: int | None = None  # paragraphs: the line of the first part
    joined: tuple[int, ...] = ()  # paragraphs: the lines of the parts joined to it


def expected_blocks(art: GArticle, lines: Sequence[int]) -> list[ExpectedBlock]:
    """The article's blocks after repair: a cut paragraph takes in the plain paragraph after it."""
    kinds: dict[type, type] = {GPara: Paragraph, GSubhead: Subhead, GQuote: Quote, GNote: EditorsNote, GFigure: Figure}
    out: list[ExpectedBlock] = []
    last_text = ""
    para = iter(lines)
    for blk in art.blocks:
        if not isinstance(blk, GPara):
            out.append(ExpectedBlock(kinds[type(blk)]))
            continue
        line = next(para)
        prev = out[-1] if out else None
        if prev is not None and prev.kind is Paragraph and _is_cut(last_text):
            out[-1] = ExpectedBlock(Paragraph, prev.line, (*prev.joined, line))
        else:
            out.append(ExpectedBlock(Paragraph, line))
        last_text = blk.text
    return out


def _check_article(got: Article, want: GArticle, lines: Sequence[int], where: str) -> int:
    """Assert one article against its draw; return how many paragraph joins it should report."""
    assert model_text(got) == expected_text(want), where
    assert got.level == want.level, where
    assert got.kicker == (want.kicker[1] if want.kicker else None), where
    assert got.headline == want.headline_sep.join(want.headline), where
    assert got.headline_lines == want.headline, where
    assert got.subtitle == want.subtitle, where
    assert [b.raw for b in got.bylines] == [b.render() for b in want.bylines], where
    for got_by, want_by in zip(got.bylines, want.bylines, strict=True):
        assert got_by.outlet == want_by.outlet, where
        assert [(c.role, c.names) for c in got_by.credits] == [
            (c.role.rstrip("/"), c.names) for c in want_by.credits
        ], where
    if want.dateline is None:
        assert got.dateline is None, where
    else:
        assert got.dateline is not None, where
        assert (got.dateline.raw, got.dateline.source, got.dateline.place) == (
            want.dateline.render(),
            want.dateline.source,
            want.dateline.place,
        ), where
        assert (got.dateline.month, got.dateline.day) == (want.dateline.month, want.dateline.day), where
    blocks = expected_blocks(want, lines)
    assert [type(b) for b in got.blocks] == [b.kind for b in blocks], where
    for got_block, want_block in zip(got.blocks, blocks, strict=True):
        if isinstance(got_block, Paragraph):
            assert (got_block.line, got_block.joined) == (want_block.line, want_block.joined), where
    figures = [b for b in want.blocks if isinstance(b, GFigure)]
    for got_fig, want_fig in zip([b for b in got.blocks if isinstance(b, Figure)], figures, strict=True):
        assert (got_fig.src, got_fig.title, got_fig.credit) == (want_fig.src, want_fig.title, want_fig.credit), where
    # Stopping mid-sentence: the last block drawn is a paragraph that ends without closing punctuation.
    last = want.blocks[-1] if want.blocks else None
    assert got.truncated == (isinstance(last, GPara) and _is_cut(last.text)), where
    return sum(len(b.joined) for b in blocks)


@settings(FAST, max_examples=250)
@given(issue_spec)
def test_no_text_is_lost(spec: GIssue) -> None:
    rendered = render(spec)
    issue = parse(rendered.text, "issue.md")
    wanted = [a for s in spec.sections for a in s.articles]
    assert len(issue.articles) == len(wanted)
    # The whole text, in order, is equal: nothing lost, nothing doubled, nothing moved.
    assert "".join(model_text(a) for a in issue.articles) == "".join(expected_text(a) for a in wanted)
    joins = 0
    for k, (got, want) in enumerate(zip(issue.articles, wanted, strict=True)):
        joins += _check_article(got, want, rendered.para_lines[k], f"article {k + 1}")
    assert sum(d.code == "paragraph-joined" for d in issue.diagnostics) == joins
    assert not [d for d in issue.diagnostics if d.code in ("text-before-article", "article-empty", "raw-html")]
    # Sections: a marker with a page opens that page; a section marker alone stays on the page it is in.
    want_sections: list[tuple[str | None, str | None, int]] = []
    page: str | None = None
    for sec in spec.sections:
        if sec.page is not None:
            page = sec.page
        want_sections.append((sec.title, page, len(sec.articles)))
    assert [(s.title, s.page, len(s.articles)) for s in issue.sections] == want_sections
    if spec.front is not None:
        if spec.front.title is not None:
            assert issue.masthead.title == spec.front.title
        if spec.front.date is not None:
            assert issue.masthead.date == spec.front.date
        if spec.front.number is not None:
            assert issue.masthead.number == str(spec.front.number)
        if spec.front.extra is not None:
            assert issue.masthead.extra["source"] == spec.front.extra
    # The same text as bytes parses to the same issue.
    assert parse_bytes(rendered.text.encode("utf-8"), "issue.md") == issue


# -- 3. determinism ------------------------------------------------------------------------------


@settings(FAST, max_examples=100)
@given(st.one_of(_fuzz_text, issue_spec.map(lambda spec: render(spec).text)))
def test_parsing_is_deterministic(text: str) -> None:
    first = _parse_or_input_error(lambda: parse(text, "issue.md"), text)
    second = _parse_or_input_error(lambda: parse(text, "issue.md"), text)
    assert first == second
    if first is not None and second is not None:
        # Not compared by Issue's __eq__; repr, since YAML anchors can make a value contain itself.
        assert repr(dict(first.masthead.extra)) == repr(dict(second.masthead.extra))
