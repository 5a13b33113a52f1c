"""Bugs planted in the code by hand that the rest of the suite let through, each caught here by an exact test.

Each test names the bug it catches; each was seen to fail with its bug planted and to pass without it.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest

from exporter.files import write_file
from exporter.fonts.orientation import upright
from exporter.parser import parse
from exporter.parser.bylines import is_byline
from exporter.pipeline import build
from exporter.text.typography import text_html
from tests.conftest import NUMBERS

HEAD = "---\ntitle: 滨海日报\ndate: 2025-12-29\n---\n\n"


def test_a_byline_of_80_characters_is_a_byline_and_of_81_is_not() -> None:
    """Planted: the byline limit `< 80` (an 80-character credit line stops being a byline)."""
    names = "王萌" * 39
    assert len("记者" + names) == 80 and is_byline("记者" + names)
    assert not is_byline("记者" + names + "王")


def test_raw_html_at_an_articles_end_does_not_mark_it_truncated() -> None:
    """Planted: raw HTML at an article's end taken for a cut paragraph (a spurious 「（未完）」)."""
    issue = parse(HEAD + "## 标题\n\n正文。\n\n<div>图表</div>\n")
    (article,) = issue.articles
    assert not article.truncated
    assert [d.code for d in issue.diagnostics if d.code == "article-truncated"] == []


@pytest.mark.parametrize(("text", "word"), [("在2025年", "2025"), ("A股", "A"), ("涨5%", "5%")])
def test_a_latin_run_right_after_the_first_character_gets_its_gap(text: str, word: str) -> None:
    """Planted: the CJK-Latin gap looked for from the second character on (「在2025年」 lost its gap)."""
    html = str(text_html(text))
    before = text.index(word) > 0
    after = text.index(word) + len(word) < len(text)
    classes = "latin" + (" gap-before" if before else "") + (" gap-after" if after else "")
    assert f'<span class="{classes}">{word}</span>' in html


def test_ling_stands_upright_in_vertical_text() -> None:
    """Planted: 〇 (U+3007, UTR #50 orientation U) dropped from the upright table: 二〇二五年 lay sideways."""
    assert all(upright(ch) for ch in "二〇二五年")
    assert upright("\u3007") and upright("\u3006") and upright("\u3008")


def test_a_replaced_file_is_never_written_in_place(tmp_path: Path) -> None:
    """Planted: `write_file` writing straight into the target (a reader of the old file sees it change)."""
    target = tmp_path / "issue.epub"
    target.write_bytes(b"old edition")
    os.link(target, tmp_path / "reader")  # a reader holding the old file
    write_file(target, b"new edition")
    assert target.read_bytes() == b"new edition"
    assert (tmp_path / "reader").read_bytes() == b"old edition"


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temporary file is `.<name>.<random>` beside the target: glob that name, not one never used."""
    target = tmp_path / "issue.pdf"
    target.write_bytes(b"good")

    def refuse(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError) as failed:
        write_file(target, b"new")
    assert (failed.value.errno, failed.value.strerror) == (28, "No space left on device")  # the cause, not a cleanup's
    assert target.read_bytes() == b"good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["issue.pdf"]
    assert not list(tmp_path.glob(".issue.pdf.*"))


def test_every_sections_first_article_in_the_book_has_the_sections_heading(tmp_path: Path) -> None:
    """Planted: the section heading printed on the book's first article only (later sections lost theirs)."""
    text = NUMBERS.read_text(encoding="utf-8")
    issue = parse(text)
    # numbers-daily.md opens four sections, each with a marker that names it (lines 13, 51, 75, 83).
    markers = re.findall(r"^<!-- page: [^,]+, section: (.+) -->$", text, re.M)
    assert [s.title for s in issue.sections] == markers and len(markers) == 4
    (book,) = build(NUMBERS, ["epub"], out=tmp_path, cache_dir=tmp_path / "cache")
    with zipfile.ZipFile(book.path) as z:
        pages = {Path(n).stem: z.read(n).decode("utf-8") for n in z.namelist() if re.search(r"/a\d+\.xhtml$", n)}
    for section in issue.sections:
        first = section.articles[0].id
        label = re.search(r'<p class="section-label">(.*?)</p>', pages[first], re.S)
        assert label, f"{first}: no section heading"
        assert section.title and section.title in re.sub(r"<[^>]+>", "", label.group(1)), first
