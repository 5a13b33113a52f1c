"""Decoding the bytes of an issue file: UTF-8 and its variants, legacy Chinese encodings, files that are no text."""

from __future__ import annotations

import codecs

import opencc
import pytest

from exporter.errors import InputError
from exporter.model import Issue
from exporter.parser import parse_bytes
from exporter.parser.source import decode

TEXT = (
    "## 青岛市召开教育工作会议\n"
    "\n"
    "□本报记者 王萌\n"
    "\n"
    "本报12月29日讯 记者从市教育局获悉，今年全市学校开展读书活动，参与学生超过十万人。\n"
    "\n"
    "会议要求，各区市要抓好落实，确保取得实效。\n"
)
TRADITIONAL = opencc.OpenCC("s2tw").convert(TEXT)


CONTROL = (
    "a control character that no text has ({}): delete it; such characters come from a terminal, a binary file or a "
    "damaged copy"
)


def codes(issue: Issue) -> list[str]:
    return [d.code for d in issue.diagnostics]


def same_model(a: Issue, b: Issue) -> None:
    assert a.masthead == b.masthead
    assert a.sections == b.sections
    assert [d for d in a.diagnostics if d.code != "encoding-detected"] == [
        d for d in b.diagnostics if d.code != "encoding-detected"
    ]


def input_error(data: bytes) -> InputError:
    with pytest.raises(InputError) as info:
        parse_bytes(data, "issue.md")
    return info.value


def test_plain_utf8_gives_no_encoding_diagnostic() -> None:
    issue = parse_bytes(TEXT.encode("utf-8"))
    assert "encoding-detected" not in codes(issue)
    assert issue.articles[0].headline == "青岛市召开教育工作会议"
    assert decode(TEXT.encode()).encoding == "utf-8"


def test_utf8_with_bom_is_the_same_model_without_diagnostic() -> None:
    plain = parse_bytes(TEXT.encode("utf-8"))
    bom = parse_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert "encoding-detected" not in codes(bom)
    assert bom.diagnostics == plain.diagnostics
    same_model(bom, plain)
    assert "\ufeff" not in bom.articles[0].headline


def test_a_bom_inside_decoded_text_is_dropped() -> None:
    issue = parse_bytes(("\ufeff" + TEXT).encode("utf-8"))
    assert issue.articles[0].headline == "青岛市召开教育工作会议"


def test_crlf_line_ends_are_ignored() -> None:
    plain = parse_bytes(TEXT.encode())
    crlf = parse_bytes(TEXT.replace("\n", "\r\n").encode())
    assert crlf.diagnostics == plain.diagnostics
    same_model(crlf, plain)
    assert not any("\r" in p.text for a in crlf.articles for p in a.paragraphs)


def test_old_mac_cr_line_ends_are_ignored() -> None:
    same_model(parse_bytes(TEXT.replace("\n", "\r").encode()), parse_bytes(TEXT.encode()))


def test_blank_lines_at_the_top_are_ignored_but_lines_still_count() -> None:
    issue = parse_bytes(("\n\n  \n" + TEXT).encode())
    article = issue.articles[0]
    assert article.headline == "青岛市召开教育工作会议"
    assert article.line == 4
    assert article.bylines[0].line == 6
    assert [p.line for p in article.paragraphs] == [8, 10]


def test_trailing_spaces_are_ignored() -> None:
    padded = "\n".join(line + "   " if line else line for line in TEXT.split("\n"))
    issue = parse_bytes(padded.encode())
    same_model(issue, parse_bytes(TEXT.encode()))
    assert issue.articles[0].paragraphs[-1].text == "会议要求，各区市要抓好落实，确保取得实效。"


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_gb_encodings_are_decoded_with_a_warning(encoding: str) -> None:
    issue = parse_bytes(TEXT.encode(encoding))
    notes = [d for d in issue.diagnostics if d.code == "encoding-detected"]
    assert [(n.line, n.severity, n.message) for n in notes] == [
        (1, "warning", "the file is not UTF-8; it was decoded as GB18030/GBK: save it as UTF-8 to be sure")
    ]
    same_model(issue, parse_bytes(TEXT.encode()))


def test_big5_traditional_text_is_decoded_with_a_warning() -> None:
    issue = parse_bytes(TRADITIONAL.encode("big5"))
    (note,) = [d for d in issue.diagnostics if d.code == "encoding-detected"]
    assert note.message == "the file is not UTF-8; it was decoded as Big5: save it as UTF-8 to be sure"
    assert issue.articles[0].headline == "青島市召開教育工作會議"
    assert issue.masthead.language == "zh-Hant"
    same_model(issue, parse_bytes(TRADITIONAL.encode()))


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),
        TEXT.encode("utf-16-be"),
    ],
    ids=["le-bom", "be-bom", "le", "be"],
)
def test_utf16_with_and_without_bom_is_decoded_with_a_warning(data: bytes) -> None:
    issue = parse_bytes(data)
    (note,) = [d for d in issue.diagnostics if d.code == "encoding-detected"]
    assert note.message == "the file is not UTF-8; it was decoded as UTF-16: save it as UTF-8 to be sure"
    same_model(issue, parse_bytes(TEXT.encode()))


def test_encoding_warning_comes_first_among_the_diagnostics() -> None:
    issue = parse_bytes(TEXT.encode("gb18030"))
    assert issue.diagnostics[0].line == 1
    assert [d.line for d in issue.diagnostics] == sorted(d.line for d in issue.diagnostics)


@pytest.mark.parametrize("data", [b"", b"   \n\t\n\r\n  "], ids=["empty", "whitespace"])
def test_an_empty_file_raises(data: bytes) -> None:
    error = input_error(data)
    assert (error.path, error.line) == ("issue.md", None)
    assert error.message == "the file is empty: write an issue in it (see the README)"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "a ZIP archive (an EPUB, DOCX or similar)"),
    ],
)
def test_files_of_other_kinds_raise_saying_what_they_are(data: bytes, what: str) -> None:
    error = input_error(data)
    assert (error.line, error.message) == (None, f"this is {what}, not an issue text file: pass the issue's .md file")


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        # Every byte value, NULs among them: no encoding reads it as text.
        (bytes(range(256)) * 8, None, "this is a binary file, not an issue text file: pass the issue's .md file"),
        # Only bytes of 0x80 and above, no NUL: text in no encoding the parser knows.
        (
            bytes(range(0x80, 0x100)) * 4,
            None,
            "the file is neither UTF-8 nor a Chinese encoding that could be recognised (GB18030/GBK, Big5, UTF-16): "
            "save it as UTF-8",
        ),
        # A UTF-16 byte order mark, then an odd number of bytes.
        (
            codecs.BOM_UTF16_LE + b"a\x00b",
            None,
            "the file starts like UTF-16 but does not decode: truncated data; save it as UTF-8",
        ),
        # UTF-8 with two bytes that are not, on line 3 after "abc".
        (
            b"## a\n\nabc\xff\xfe def\n",
            3,
            "the file is UTF-8 but has 2 damaged bytes (the first after …abc): retype the text there or save the "
            "file as UTF-8 again",
        ),
        # The same with old Mac line ends (\r), which the parser reads as line ends: the byte is on line 4.
        (
            b"## a\r\rb\rc\xff\r",
            4,
            "the file is UTF-8 but has 1 damaged byte (the first after …c): retype the text there or save the "
            "file as UTF-8 again",
        ),
    ],
    ids=["binary", "no-encoding", "utf16-cut", "damaged-utf8", "damaged-utf8-cr"],
)
def test_bytes_that_are_not_an_issue_raise_saying_why(data: bytes, line: int | None, message: str) -> None:
    error = input_error(data)
    assert (error.line, error.message) == (line, message)
    assert str(error) == f"issue.md{f':{line}' if line else ''}: error: {message}"


def test_control_characters_in_utf8_text_are_errors_with_their_line() -> None:
    issue = parse_bytes((TEXT + "坏\x01字符\n").encode())
    (error,) = [d for d in issue.diagnostics if d.severity == "error"]
    assert (error.line, error.code, error.message) == (8, "control-character", CONTROL.format("U+0001"))


def test_a_nul_in_utf8_text_is_named_with_its_line() -> None:
    issue = parse_bytes((TEXT + "坏\x00字符\n").encode())
    (error,) = [d for d in issue.diagnostics if d.severity == "error"]
    assert (error.line, error.code, error.message) == (8, "control-character", CONTROL.format("U+0000"))


NO_ARTICLE = "no article found: open each article with a headline line such as `## 标题`"


def test_a_file_with_no_headline_raises() -> None:
    error = input_error("记者从市教育局获悉，今年全市学校开展读书活动。\n\n会议要求，各区市要抓好落实。\n".encode())
    assert (error.line, error.message) == (1, NO_ARTICLE)  # line 1: the first block of the file


def test_a_file_of_front_matter_and_markers_only_raises() -> None:
    error = input_error("---\ntitle: 青岛日报\n---\n\n<!-- page: A01 -->\n".encode())
    assert (error.line, error.message) == (5, NO_ARTICLE)  # line 5: the marker, the only block after the front matter


def test_error_text_names_the_file() -> None:
    assert str(input_error(b"")) == "issue.md: error: the file is empty: write an issue in it (see the README)"
    assert str(input_error(b"## a\n\nabc\xff\n")) == (
        "issue.md:3: error: the file is UTF-8 but has 1 damaged byte (the first after …abc): retype the text there or "
        "save the file as UTF-8 again"
    )
