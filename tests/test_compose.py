"""The composition of Chinese text: punctuation widths per scheme and the runs never broken, written out by hand."""

from __future__ import annotations

import pytest

from exporter.errors import ThemeError
from exporter.text.compose import SCHEMES, compose, scheme
from exporter.text.typography import inline_html, text_html

KAIMING, QUANJIAO, BANJIAO, TAIGANG = (SCHEMES[n] for n in ("kaiming", "quanjiao", "banjiao", "taigang"))


def marks(text: str, chosen: str = "kaiming") -> list[tuple[str, str]]:
    """Each mark of ``text`` with its classes, in order."""
    found = compose(text, SCHEMES[chosen], paragraph=False).marks
    return [(text[i], " ".join(found[i])) for i in sorted(found)]


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        # 开明式: 。！？ full width where nothing touches them, every other mark half-width.
        (
            "kaiming",
            [("，", "pc half adj"), ("“", "po half adj"), ("。", "pc half adj"), ("”", "pc half"), ("！", "pc")],
        ),
        # 全角式: full width, but touching marks are compressed.
        ("quanjiao", [("，", "pc half adj"), ("“", "po half adj"), ("。", "pc half adj"), ("”", "pc"), ("！", "pc")]),
        (
            "banjiao",
            [("，", "pc half adj"), ("“", "po half adj"), ("。", "pc half adj"), ("”", "pc half"), ("！", "pc half")],
        ),
        # 台港式: nothing compressed, every mark kept whole (line ends too).
        ("taigang", [("，", "pc full"), ("“", "po full"), ("。", "pc full"), ("”", "pc full"), ("！", "pc full")]),
    ],
)
def test_each_scheme_sets_its_widths(chosen: str, expected: list[tuple[str, str]]) -> None:
    assert marks("他说，“好。”对！", chosen) == expected  # ，“ and 。” touch


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Where two marks touch, the blank halves facing each other go: 。” ”。 ）、 。“
        ("提升。”", [("。", "pc half adj"), ("”", "pc half")]),
        ("链。“我们", [("。", "pc half adj"), ("“", "po half adj")]),
        (
            "要‘快’。”（完）",
            [
                ("‘", "po half"),
                ("’", "pc half adj narrow"),
                ("。", "pc half adj"),
                ("”", "pc half adj"),
                ("（", "po half adj"),
                ("）", "pc half"),
            ],
        ),
        # Two opening marks: the second loses the blank before it; the first is the scheme's.
        ("“《人民日报》", [("“", "po half"), ("《", "po half adj"), ("》", "pc half")]),
    ],
)
def test_touching_marks_are_compressed(text: str, expected: list[tuple[str, str]]) -> None:
    assert marks(text) == expected


def test_in_quanjiao_only_touching_marks_are_compressed() -> None:
    assert marks("链。“我们‘快’。”", "quanjiao") == [
        ("。", "pc half adj"),
        ("“", "po half adj"),
        ("‘", "po"),
        ("’", "pc half adj narrow"),
        ("。", "pc half adj"),
        ("”", "pc"),
    ]


def test_single_quotes_that_touch_go_further() -> None:
    # Their ink is a thin stroke at the cell's outer edge: compressed by half, ’‘ would still leave
    # more than half an em between their inks in Noto CJK.
    assert marks("改革’‘稳步") == [("’", "pc half adj narrow"), ("‘", "po half adj narrow")]
    assert marks("，‘稳") == [("，", "pc half adj"), ("‘", "po half adj narrow")]


def test_marks_inside_latin_words_are_not_chinese_punctuation() -> None:
    assert marks("它的iPhone’s屏幕。") == [("。", "pc")]


def test_long_marks_never_break_nor_start_a_line() -> None:
    found = compose("前景——首批……好", KAIMING, paragraph=False)
    assert found.long_marks == ((2, 4, "dash"), (6, 8, "ellipsis"))
    assert found.unbreakable == ((1, 4), (5, 8))  # each bound to the character before it


def test_a_photo_credit_never_breaks() -> None:
    text = "图为现场（记者 林峰 摄）。"
    found = compose(text, KAIMING, paragraph=False)
    assert [text[a:b] for a, b in found.unbreakable] == ["（记者 林峰 摄）"]


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("大家提出建议。", ["建议。"]),
        ("增长6.8%。", ["长6.8%。"]),  # a Latin word counts as one character
        ("结束了。”（完）", ["了。”（完）"]),  # marks among the last characters come with them
        ("要‘快’。”", ["要‘快’。”"]),
        ("他说 OK", []),  # a space before the last word: the line may break there
        ("大家提出了一个非常长的建议ABCDEFGHIJKLMN。", []),  # longer than 12 characters: left to break
    ],
)
def test_a_paragraph_ends_on_two_characters_at_least(text: str, bound: list[str]) -> None:
    found = compose(text, KAIMING)
    assert [text[a:b] for a, b in found.unbreakable] == bound


def test_the_first_mark_of_a_paragraph_keeps_its_width() -> None:
    assert compose("“你好”", QUANJIAO).marks[0] == ("po", "initial")
    assert compose("“你好”", QUANJIAO, paragraph=False).marks[0] == ("po",)


def test_schemes_by_name_label_and_script() -> None:
    assert scheme("开明式") is KAIMING
    assert scheme("quanjiao") is QUANJIAO
    assert scheme("auto", "Hans") is KAIMING
    assert scheme("auto", "Hant") is TAIGANG
    with pytest.raises(ThemeError, match="unknown punctuation scheme 'kaimng': use auto, kaiming"):
        scheme("kaimng")


def test_the_spans_carry_the_decisions_and_keep_every_character() -> None:
    text = "他说：“我们要‘快’。”（完）前景——首批"
    html = str(text_html(text, paragraph=True))
    assert html == (
        '他说<span class="pc half adj">：</span><span class="po half adj">“</span>我们要'
        '<span class="po half">‘</span>快<span class="pc half adj narrow">’</span><span class="pc half adj">。</span>'
        '<span class="pc half adj">”</span><span class="po half adj">（</span>完<span class="pc half">）</span>'
        '前<span class="nobr">景<span class="dash">——</span></span><span class="nobr">首批</span>'
    )
    assert "".join(__import__("re").split(r"<[^>]+>", html)) == text


def test_touching_marks_across_bold_are_compressed() -> None:
    from exporter.model import Span

    html = str(inline_html((Span("栽种12万株。"), Span("”", marks=frozenset({"strong"})))))
    assert '<span class="pc half adj">。</span>' in html
