"""Invisible characters exactly: which are controls, which are kept where, each finding written out whole."""

from __future__ import annotations

import pytest

from exporter.diagnostics import Diagnostic
from exporter.parser.invisibles import clean, is_control

CONTROL_TAIL = "such characters come from a terminal, a binary file or a damaged copy"
BIDI_TAIL = "in a reader, in the contents and in the running heads"
BIDI_HINT = "(a reader sets Arabic or Hebrew right to left without such characters)"


@pytest.mark.parametrize(
    ("ch", "control"),
    [
        ("\x00", True),
        ("\x1f", True),
        ("\x20", False),
        ("\t", False),
        ("\n", False),
        ("\r", False),
        ("\f", False),
        ("\v", False),
        ("\x7e", False),
        ("\x7f", True),  # DEL
        ("\x9f", True),  # the last C1 control
        ("\xa0", False),  # NO-BREAK SPACE
        ("\uffef", False),
        ("\ufff0", True),
        ("\uffff", True),
        ("\U00010000", False),
    ],
)
def test_control_characters_are_c0_c1_del_and_the_last_sixteen_of_the_bmp(ch: str, control: bool) -> None:
    assert is_control(ch) is control


def test_a_clean_text_is_returned_as_it_is() -> None:
    text = "正文。\n\n第二段，emoji 👨\u200d👩\u200d👧 与 ❤\ufe0f。\n"
    assert clean(text) == (text, [])


def test_one_control_character() -> None:
    assert clean("标题\n正\x01文\n") == (
        "标题\n正文\n",
        [
            Diagnostic(
                2,
                "control-character",
                "error",
                f"a control character that no text has (U+0001): delete it; {CONTROL_TAIL}",
            )
        ],
    )


def test_control_characters_counted_by_kind() -> None:
    assert clean("\x1b[0m正文\x08\x08。") == (
        "[0m正文。",
        [
            Diagnostic(
                1,
                "control-character",
                "error",
                f"3 control characters that no text has (U+001B, U+0008 ×2): delete them; {CONTROL_TAIL}",
            )
        ],
    )


def test_one_bidi_control() -> None:
    assert clean("\n\n正文\u202e。") == (
        "\n\n正文。",
        [
            Diagnostic(
                3,
                "bidi-control",
                "error",
                f"U+202E RIGHT-TO-LEFT OVERRIDE reorders the text after it {BIDI_TAIL}: delete it {BIDI_HINT}",
            )
        ],
    )


def test_two_bidi_controls() -> None:
    assert clean("\u2067正文\u2069") == (
        "正文",
        [
            Diagnostic(
                1,
                "bidi-control",
                "error",
                "U+2067 RIGHT-TO-LEFT ISOLATE, U+2069 POP DIRECTIONAL ISOLATE reorder the text after them "
                f"{BIDI_TAIL}: delete them {BIDI_HINT}",
            )
        ],
    )


def test_one_and_two_dropped_characters() -> None:
    one = (
        "1 invisible character dropped (U+200B ZERO WIDTH SPACE): it prints as nothing and means nothing "
        "in Chinese text, but splits words for search and copying"
    )
    two = (
        "2 invisible characters dropped (U+00AD SOFT HYPHEN, U+2060 WORD JOINER): they print as nothing "
        "and mean nothing in Chinese text, but split words for search and copying"
    )
    assert clean("正\u200b文\n\n软\xad连\u2060字") == (
        "正文\n\n软连字",
        [Diagnostic(1, "invisible-dropped", "warning", one), Diagnostic(3, "invisible-dropped", "warning", two)],
    )


def test_a_line_with_every_kind_has_its_findings_in_order_error_first() -> None:
    text, notes = clean("a\u200bb\u202ec\x07d")
    assert text == "abcd"
    assert [(d.line, d.code, d.severity) for d in notes] == [
        (1, "control-character", "error"),
        (1, "bidi-control", "error"),
        (1, "invisible-dropped", "warning"),
    ]


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        # A direction mark is kept on a line with right-to-left letters, and dropped elsewhere; the
        # mark itself (U+200F is a right-to-left character) does not make the line right-to-left.
        ("名字 محمد\u200f（穆罕默德）", "名字 محمد\u200f（穆罕默德）"),
        ("שלום\u200e!", "שלום\u200e!"),
        ("他说\u200f。", "他说。"),
        ("他说\u061c。", "他说。"),
        # A joiner is kept between two characters that are neither white space nor Chinese.
        ("👨\u200d👩", "👨\u200d👩"),
        ("a\u200cb", "a\u200cb"),
        ("中\u200d文", "中文"),
        ("a\u200d文", "a文"),
        ("中\u200da", "中a"),
        ("Ｃ\u200dＤ", "ＣＤ"),  # full-width letters are Chinese text's (East Asian Width F)
        ("１\u200c２", "１２"),
        ("\u200d👩", "👩"),
        ("👨\u200d", "👨"),
        ("👨 \u200d👩", "👨 👩"),
        ("👨\u200d 👩", "👨 👩"),
        # A variation selector is kept after the character it selects a form of.
        ("❤\ufe0f", "❤\ufe0f"),
        ("葛\U000e0100", "葛\U000e0100"),
        ("\ufe0f❤", "❤"),
        ("❤ \ufe0f", "❤ "),
        ("❤\u3000\ufe0f", "❤\u3000"),
    ],
)
def test_what_is_kept_and_what_dropped(line: str, kept: str) -> None:
    text, notes = clean(line)
    assert text == kept
    assert [d.code for d in notes] == ([] if kept == line else ["invisible-dropped"])


def test_lines_keep_their_numbers_and_their_ends() -> None:
    text, notes = clean("\u200b\n\n中\u200b\n\x00\n")
    assert text == "\n\n中\n\n"
    assert [(d.line, d.code) for d in notes] == [
        (1, "invisible-dropped"),
        (3, "invisible-dropped"),
        (4, "control-character"),
    ]


def test_a_kept_character_does_not_stop_the_line_from_being_cleaned() -> None:
    assert clean("❤\ufe0f正\u200b文\u200b。") == (
        "❤\ufe0f正文。",
        [
            Diagnostic(
                1,
                "invisible-dropped",
                "warning",
                "2 invisible characters dropped (U+200B ZERO WIDTH SPACE ×2): they print as nothing and mean "
                "nothing in Chinese text, but split words for search and copying",
            )
        ],
    )
