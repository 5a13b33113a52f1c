"""The parser's three entry points: text, bytes and a file, with every refusal told exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter import parser
from exporter.errors import InputError
from exporter.parser import MAX_BYTES, parse, parse_bytes, parse_file

_DATED = "---\ntitle: 滨海日报\ndate: 2025-12-29\n---\n\n"
ISSUE = "---\ntitle: 滨海日报\ndate: 2025-12-29\n---\n\n## 标题\n\n正文。\n"


def _told(call: object) -> str:
    assert callable(call)
    with pytest.raises(InputError) as caught:
        call()
    return str(caught.value)


def test_text_without_a_path_is_called_input() -> None:
    assert parse(ISSUE).source == "<input>"
    assert parse_bytes(ISSUE.encode()).source == "<input>"
    assert _told(lambda: parse(" \n\t\n")) == (
        "<input>: error: the file is empty (white space only): write an issue in it (see the README)"
    )


def test_an_empty_file_names_itself() -> None:
    assert _told(lambda: parse("\ufeff\r\n", "a.md")) == (
        "a.md: error: the file is empty (white space only): write an issue in it (see the README)"
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("---\ntitle: 滨海日报\n---\n", 1),  # nothing after the front matter: the file itself
        ("---\ntitle: 滨海日报\n---\n\n正文没有标题。\n", 5),  # the first block of text
        ("正文。\n\n又一段。\n", 1),
    ],
)
def test_an_issue_without_a_headline_points_at_its_first_text(text: str, line: int) -> None:
    assert _told(lambda: parse(text, "a.md")) == (
        f"a.md:{line}: error: no article found: open each article with a headline line such as `## 标题`"
    )


def test_a_byte_order_mark_and_any_line_ends_are_read_as_plain_lines() -> None:
    plain = parse(ISSUE, "a.md")
    for variant in ("\ufeff" + ISSUE, ISSUE.replace("\n", "\r\n"), ISSUE.replace("\n", "\r")):
        issue = parse(variant, "a.md")
        assert issue.sections == plain.sections and issue.masthead == plain.masthead
        assert issue.diagnostics == plain.diagnostics


def test_a_byte_order_mark_elsewhere_is_an_invisible_character_and_reported() -> None:
    issue = parse(ISSUE.replace("正文。", "正文。\ufeff"), "a.md")
    assert [(d.line, d.code) for d in issue.diagnostics] == [(8, "invisible-dropped")]
    assert parse(ISSUE + "\ufeff", "a.md").diagnostics != ()  # at the very end too: only a leading one is a BOM


def test_defaults_give_what_the_front_matter_leaves_out() -> None:
    bare = "---\ndate: 2025-12-29\n---\n\n## 标题\n\n正文。\n"
    defaults = {"title": "滨海日报", "publisher": "滨海日报社"}
    for issue in (
        parse(bare, "a.md", defaults=defaults),
        parse_bytes(bare.encode(), "a.md", defaults=defaults),
    ):
        assert issue.masthead.title == "滨海日报" and issue.masthead.publisher == "滨海日报社"
        assert issue.diagnostics == ()
    own = parse(ISSUE.replace("滨海日报", "海港晚报"), "a.md", defaults=defaults)
    assert own.masthead.title == "海港晚报"  # the issue's own front matter wins


def test_bytes_keep_their_path_and_add_the_decoders_findings_in_line_order() -> None:
    issue = parse_bytes(ISSUE.encode("utf-16"), "a.md")
    assert issue.source == "a.md"
    assert [(d.line, d.code) for d in issue.diagnostics] == [(1, "encoding-detected")]
    assert issue.diagnostics[0].format("a.md") == (
        "a.md:1: warning[encoding-detected]: the file is not UTF-8; it was decoded as UTF-16: "
        "save it as UTF-8 to be sure"
    )
    assert parse_bytes(ISSUE.encode("utf-16"), "a.md").sections == parse(ISSUE, "a.md").sections


def test_raw_html_inside_text_is_named_and_long_tags_cut_at_40_characters() -> None:
    tag40 = '<span class="' + "x" * 25 + '">'  # 40 characters
    tag41 = '<span class="' + "x" * 26 + '">'
    assert len(tag40) == 40 and len(tag41) == 41
    issue = parse(f"{_DATED}## 标题\n\n正文{tag40}一</span>。\n\n又{tag41}二</span>。\n", "a.md")
    found = [(d.line, d.code, d.severity, d.message) for d in issue.diagnostics]
    kept = "is not passed through; it is kept as text"
    assert found == [
        (8, "raw-html", "warning", f"raw HTML `{tag40}`, `</span>` {kept}"),
        (10, "raw-html", "warning", f"raw HTML `{tag41[:40]}…`, `</span>` {kept}"),
    ]


def test_a_file_is_read_with_its_folder_as_the_figures_base(tmp_path: Path) -> None:
    (tmp_path / "photo.png").write_bytes(b"")
    source = tmp_path / "a.md"
    source.write_text(ISSUE, encoding="utf-8")
    issue = parse_file(source, defaults={"publisher": "滨海日报社"})
    assert issue.source == str(source) and issue.masthead.publisher == "滨海日报社"
    assert parse_file(str(source)).source == str(source)


def test_file_refusals_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "gone.md"
    assert _told(lambda: parse_file(missing)) == f"{missing}: error: no such file: check the path"
    assert _told(lambda: parse_file(tmp_path)) == f"{tmp_path}: error: this is a folder: pass the issue's .md file"
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    assert _told(lambda: parse_file(empty)).startswith(f"{empty}: error: the file is empty")


def test_an_unreadable_file_is_one_line_whoever_runs_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The read is refused as chmod 000 refuses it (which root, as CI runs, would not feel)."""
    locked = tmp_path / "locked.md"
    locked.write_text(ISSUE, encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert _told(lambda: parse_file(locked)) == f"{locked}: error: cannot read the file (Permission denied)"


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert MAX_BYTES == 16 * 1024 * 1024
    big = tmp_path / "big.md"
    with big.open("wb") as stream:
        stream.truncate(MAX_BYTES + 1)  # sparse: nothing is written, the size is what counts
    assert _told(lambda: parse_file(big)) == (
        f"{big}: error: the file is 16.0 MB, and an issue may be at most 16 MB "
        "(a whole day's paper is about 1 MB): split it into one file per issue"
    )
    at_limit = tmp_path / "limit.md"
    at_limit.write_text(ISSUE, encoding="utf-8")
    monkeypatch.setattr(parser, "MAX_BYTES", at_limit.stat().st_size)
    assert parse_file(at_limit).masthead.title == "滨海日报"  # exactly at the limit is read


def test_the_size_is_told_in_megabytes(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    with big.open("wb") as stream:
        stream.truncate(25 * 1024 * 1024 + 300 * 1024)
    assert "the file is 25.3 MB" in _told(lambda: parse_file(big))


def test_findings_on_one_line_keep_the_order_they_were_made_in() -> None:
    """Sorted by line only: on line 1 the text before the article comes before the masthead's findings."""
    issue = parse("XX\n\n## 标题\n\n正文。\n", "a.md")
    assert [(d.line, d.code) for d in issue.diagnostics] == [
        (1, "text-before-article"),
        (1, "article-truncated"),
        (1, "title-missing"),
        (1, "date-missing"),
    ]


@pytest.mark.parametrize("language", ["zh-TW", "zh-HK", "zh-MO", "zh-Hant", "zh-hant-HK"])
def test_a_declared_traditional_issue_has_its_simplified_characters_named(language: str) -> None:
    issue = parse(f"---\ntitle: 滨海日报\ndate: 2025-12-29\nlanguage: {language}\n---\n\n## 标题\n\n国家发展。\n")
    assert issue.masthead.language == language
    kept = "the text is kept as it is"
    assert [(d.line, d.code, d.message) for d in issue.diagnostics] == [
        (7, "mixed-script", f"simplified characters in traditional text (…## 标题…): 标→標、题→題; {kept}"),
        (9, "mixed-script", f"simplified characters in traditional text (…国家发展。…): 国→國、发→發; {kept}"),
    ]


@pytest.mark.parametrize("language", ["zh-CN", "zh-SG", "zh-Hans"])
def test_a_declared_simplified_issue_is_consistent_in_simplified(language: str) -> None:
    issue = parse(f"---\ntitle: 滨海日报\ndate: 2025-12-29\nlanguage: {language}\n---\n\n## 标题\n\n国家发展。\n")
    assert issue.masthead.language == language and issue.diagnostics == ()


def test_comment_lines_are_not_read_as_text_by_the_linters() -> None:
    """A traditional comment in a simplified issue is dropped, not reported as mixed script."""
    issue = parse(f"{_DATED}<!-- 這是國家A01版 -->\n\n## 标题\n\n正文。\n", "a.md")
    assert [(d.line, d.code) for d in issue.diagnostics] == [(6, "comment-dropped")]


def test_the_size_is_told_to_a_tenth_of_a_megabyte(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    with big.open("wb") as stream:
        stream.truncate(17878633)  # 17.0500… MB: 1 MB is 1024 × 1024 bytes here, not 1000 × 1000 or 1025 × 1024
    assert "the file is 17.1 MB" in _told(lambda: parse_file(big))
