"""Editions in another Chinese script (``--script``): what is converted, what comes through as written, the findings."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

import exporter
from exporter import Figure, Issue, Paragraph, Quote, parse, parse_file
from exporter.model import CodeBlock, plain
from exporter.pipeline import check_file
from exporter.scripts import convert
from exporter.text.script import LATIN_RUN
from tests.conftest import EXAMPLE, HK

ISSUE = """\
---
title: 滨海日报
date: 2026-03-18
number: 12088
publisher: 滨海日报社
language: zh-CN
identifier: CN 99-0001
editor: 范 丽
---

<!-- page: A01, section: 要闻 -->

## 信息软件大会今日开幕

□本报记者 范 丽 李云<BR>
本报3月17日讯 大会发布了软件和信息服务的新规，网址 https://example.com/软件 ，代码 `软件_v2` 不变。

「他说：“软件”」，主持人说软件很多。

> 我们的软件，我们的信息。

![软件展台（记者 范丽 摄）](images/booth.png "软件展台")

```
软件信息
```

```python
print("软件")
```
""".replace("<BR>", "  ")  # a line break after the byline


def _issue(text: str = ISSUE) -> Issue:
    return parse(text, "issue.md")


def _blocks(issue: Issue) -> list[object]:
    return list(issue.articles[0].blocks)


def test_a_headline_gets_the_words_of_the_target_and_a_finding_lists_them() -> None:
    issue = convert(_issue(), "tw")
    assert issue.articles[0].headline == "資訊軟體大會今日開幕"
    (note,) = [d for d in issue.diagnostics if d.code == "script-words"]
    assert note.line == issue.articles[0].line == 13
    assert note.severity == "warning"
    assert "信息→資訊、软件→軟體" in note.message
    # Hong Kong's own words: no finding for a headline whose words it keeps (軟件), the characters changed
    hk = convert(_issue(), "hk")
    assert hk.articles[0].headline == "信息軟件大會今日開幕"
    assert not [d for d in hk.diagnostics if d.code == "script-words"]


def test_names_are_converted_by_character_only() -> None:
    issue = convert(_issue(), "tw")
    (byline,) = issue.articles[0].bylines
    assert [c.names for c in byline.credits] == [("范麗", "李雲")]  # the surname 范, not 範
    assert byline.raw == "□本報記者 范 麗 李雲"  # as written, padding kept
    figure = next(b for b in _blocks(issue) if isinstance(b, Figure))
    assert figure.credit == "記者 范麗 攝"
    assert figure.credits[0].names == ("范麗",)
    assert issue.masthead.editor == "范 麗"
    # a name is never a word to replace: 李信息 is not 李資訊, as the words of the text would be
    named = convert(_issue(ISSUE.replace("李云", "李信息")), "tw")
    assert named.articles[0].bylines[0].credits[0].names == ("范麗", "李信息")


def test_quoted_speech_keeps_its_words() -> None:
    issue = convert(_issue(), "tw")
    paragraphs = [b for b in _blocks(issue) if isinstance(b, Paragraph)]
    assert paragraphs[1].text == "「他說：『軟件』」，主持人說軟體很多。"  # 軟件 inside the quote, 軟體 outside
    (quote,) = [b for b in _blocks(issue) if isinstance(b, Quote)]
    assert quote.text == "我們的軟件，我們的信息。"  # a block quotation is someone's words too
    # whatever marks the issue used, 「」 and 『』 inside them; an apostrophe in a Latin word is no quote mark
    marks = convert(_issue(ISSUE.replace("主持人说软件很多", "“他说‘软件’，don’t。”")), "tw")
    assert [b for b in _blocks(marks) if isinstance(b, Paragraph)][1].text.endswith("，「他說『軟件』，don’t。」。")
    # a simplified edition keeps the issue's marks
    back = convert(issue, "hans")
    assert [b for b in _blocks(back) if isinstance(b, Paragraph)][1].text == "「他说：『软件』」，主持人说软件很多。"


def test_numbers_latin_urls_code_paths_ids_dates_and_lines_come_through() -> None:
    source = _issue()
    issue = convert(source, "tw")

    def kept(one: Issue) -> dict[str, object]:
        article = one.articles[0]
        return {
            "latin": [m.group(0) for _, text in one.texts() for m in LATIN_RUN.finditer(text)],
            "lines": [line for line, _ in one.texts()],
            "ids": [a.id for a in one.articles],
            "paths": [b.src for b in article.blocks if isinstance(b, Figure)],
            "date": one.masthead.date,
            "number": one.masthead.number,
            "identifier": one.masthead.identifier,
            "page": one.sections[0].page,
            "dateline": (article.dateline.month, article.dateline.day, article.dateline.line)
            if article.dateline
            else (),
            "blocks": [(b.kind, getattr(b, "line", None)) for b in article.blocks],
        }

    assert kept(issue) == kept(source)
    assert issue.masthead.date == dt.date(2026, 3, 18)
    first = next(b for b in _blocks(issue) if isinstance(b, Paragraph))
    assert "https://example.com/软件" in first.text  # a URL in the text is not a word
    assert [s.text for s in first.spans if "code" in s.marks] == ["软件_v2"]
    assert "了軟體和資訊服務的新規" in first.text and "程式碼" in first.text  # Taiwan's words around them
    poem, code = [b for b in _blocks(issue) if isinstance(b, CodeBlock)]
    assert poem.text == "軟件信息"  # a fenced block with no language: characters only
    assert code.text == 'print("软件")'  # a listing in a language: as written


@pytest.mark.parametrize(
    ("script", "language", "title"),
    [("hant", "zh-Hant", "濱海日報"), ("hk", "zh-HK", "濱海日報"), ("tw", "zh-TW", "濱海日報")],
)
def test_the_language_follows_the_script(script: str, language: str, title: str) -> None:
    issue = convert(_issue(), script)
    assert issue.masthead.language == language
    assert issue.masthead.title == title
    assert issue.masthead.publisher == "濱海日報社"
    assert convert(parse_file(HK), "hans").masthead.language == "zh-CN"


def test_the_front_matter_names_the_title_of_each_script() -> None:
    text = ISSUE.replace("title: 滨海日报\n", "title: 滨海日报\ntitle_hant: 濱海時報\ntitle_tw: 濱海新報\n")
    source = _issue(text)
    assert not [d for d in source.diagnostics if d.code == "front-matter-key"]
    assert convert(source, "tw").masthead.title == "濱海新報"
    assert convert(source, "hk").masthead.title == "濱海時報"  # Hong Kong falls back to the traditional title
    assert convert(source, "hant").masthead.title == "濱海時報"
    assert convert(source, "hant").masthead.publisher == "濱海日報社"  # converted, none given


def test_an_issue_already_in_the_script_is_left_as_it_is() -> None:
    source = _issue()
    same = convert(source, "hans")
    assert same.sections == source.sections and same.masthead == source.masthead
    (note,) = [d for d in same.diagnostics if d.code.startswith("script-")]
    assert note.code == "script-unchanged"
    hk = parse_file(HK)
    for script in ("hk", "hant"):
        kept = convert(hk, script)
        assert kept.sections == hk.sections and kept.masthead.language == "zh-HK"
        assert [d.code for d in kept.diagnostics if d.code.startswith("script-")] == ["script-unchanged"]


def test_an_issue_not_in_chinese_is_not_converted() -> None:
    english = _issue(ISSUE.replace("language: zh-CN", "language: en"))
    kept = convert(english, "tw")
    assert kept.sections == english.sections and kept.masthead.language == "en"
    (note,) = [d for d in kept.diagnostics if d.code.startswith("script-")]
    assert note.code == "script-unchanged" and "not Chinese" in note.message


def test_a_mixed_source_is_reported() -> None:
    mixed = _issue(ISSUE.replace("主持人说软件很多", "主持人說軟件很多"))
    notes = [d for d in convert(mixed, "tw").diagnostics if d.code == "script-mixed"]
    assert len(notes) == 1 and "simplified and" in notes[0].message
    assert not [d for d in convert(_issue(), "tw").diagnostics if d.code == "script-mixed"]


def test_from_taiwan_to_simplified_undoes_taiwan_words() -> None:
    source = parse("---\nlanguage: zh-TW\n---\n\n## 資訊軟體展覽開幕\n\n他說：「軟體」很好，記憶體也夠。\n", "tw.md")
    issue = convert(source, "hans")
    assert issue.articles[0].headline == "信息软件展览开幕"
    assert issue.articles[0].blocks[0].text == "他说：「软体」很好，内存也够。"  # the quote's words kept
    (note,) = [d for d in issue.diagnostics if d.code == "script-words"]
    assert "資訊→信息" in note.message and "軟體→软件" in note.message
    hk = convert(source, "hk")  # between traditional standards: characters only
    assert hk.masthead.language == "zh-HK" and hk.articles[0].headline == "資訊軟體展覽開幕"


def _names_quotes_numbers(issue: Issue) -> dict[str, list[str]]:
    quoted = re.compile("[“「『‘]([^”」』’]*)[”」』’]")
    texts = [text for _, text in issue.texts()]
    return {
        "names": [n for _, a in issue.iter_articles() for b in a.bylines for c in b.credits for n in c.names]
        + [n for a in issue.articles for f in a.blocks if isinstance(f, Figure) for c in f.credits for n in c.names],
        "quotes": [q for text in texts for q in quoted.findall(text)]
        + [plain(p) for a in issue.articles for b in a.blocks if isinstance(b, Quote) for p in b.paragraphs],
        "numbers": [m.group(0) for text in texts for m in LATIN_RUN.finditer(text)],
    }


def test_the_example_goes_to_hong_kong_and_back() -> None:
    source = parse_file(EXAMPLE)
    there = convert(source, "hk")
    back = convert(there, "hans")
    assert _names_quotes_numbers(there) != _names_quotes_numbers(source)  # converted on the way
    assert _names_quotes_numbers(back) == _names_quotes_numbers(source)
    assert [a.headline for a in back.articles] == [a.headline for a in source.articles]
    assert back.masthead.title == source.masthead.title and back.masthead.language == "zh-CN"
    for fmt in ("epub", "html"):  # what was converted there and back builds (nothing written)
        assert exporter.render(back, fmt)


@pytest.mark.parametrize("script", ["hk", "tw"])
def test_the_example_builds_every_edition_in_hong_kong_and_taiwan_script(script: str, tmp_path: Path) -> None:
    built = exporter.build(EXAMPLE, ["epub", "pdf", "html"], out=tmp_path, script=script)
    assert [b.format for b in built] == ["epub", "pdf", "html"]
    html = (tmp_path / "binhai-daily" / "index.html").read_text(encoding="utf-8")
    assert f'lang="zh-{script.upper()}"' in html and "濱海日報" in html


def _exporter(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "exporter", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_build_script_tw_writes_a_taiwan_epub(tmp_path: Path) -> None:
    result = _exporter("build", EXAMPLE, "--script", "tw", "-f", "epub", "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "binhai-daily.epub") as book:
        opf = next(book.read(n).decode() for n in book.namelist() if n.endswith(".opf"))
        nav = book.read(next(n for n in book.namelist() if n.endswith("nav.xhtml"))).decode()
    assert re.search(r"<dc:language>zh-TW</dc:language>", opf)
    assert ">濱海港區新航線開通</a>" in nav and ">滨海港区" not in nav
    assert ">目錄</a>" in nav  # the theme's traditional labels
    # the finding about the headline's words, as check prints it
    assert f"{EXAMPLE}:55: warning[script-words]: " in result.stderr and "发布→釋出" in result.stderr


def test_an_unknown_script_is_a_usage_error_in_one_line(tmp_path: Path) -> None:
    result = _exporter("build", EXAMPLE, "--script", "xx", "-f", "epub", "-o", tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("exporter: error: --script 'xx' is no script: ") and "hans, hant, hk or tw" in line
    assert not list(tmp_path.iterdir())
    near = _exporter("check", EXAMPLE, "--script", "hkk")
    assert near.returncode == 2 and "did you mean `hk`?" in near.stderr and "Traceback" not in near.stderr


def test_the_project_file_names_the_script_and_its_title(tmp_path: Path) -> None:
    (tmp_path / "exporter.toml").write_text('script = "tw"\n[masthead]\ntitle_tw = "濱海新報"\n', encoding="utf-8")
    issue = check_file(EXAMPLE, project_dir=tmp_path)
    # the paper's name in that script, not the issue's title converted
    assert issue.masthead.language == "zh-TW" and issue.masthead.title == "濱海新報"
    assert check_file(EXAMPLE, project_dir=tmp_path, script="hk").masthead.language == "zh-HK"  # the option wins
    (tmp_path / "exporter.toml").write_text('script = "big5"\n', encoding="utf-8")
    result = _exporter("build", EXAMPLE, "-f", "epub", cwd=tmp_path)
    assert result.returncode == 2 and "`script` must be one of hans, hant, hk, tw" in result.stderr


def test_check_lists_the_findings_of_the_conversion() -> None:
    result = _exporter("check", EXAMPLE, "--script", "tw")
    assert result.returncode == 0, result.stderr
    assert f"{EXAMPLE}:55: warning[script-words]: " in result.stdout


def test_conversion_of_the_model_touches_no_other_field() -> None:
    source = _issue()
    issue = convert(source, "tw")
    article, before = issue.articles[0], source.articles[0]
    assert replace(article, headline=before.headline, headline_lines=before.headline_lines, bylines=before.bylines,
                   dateline=before.dateline, blocks=before.blocks) == before  # fmt: skip


def test_the_example_goes_to_hong_kong_with_s2hk_and_back_with_t2s() -> None:
    """The round trip through a zh-Hant issue: back with OpenCC's t2s, which knows no region's words."""
    source = parse_file(EXAMPLE)
    there = convert(source, "hk")
    hant = replace(there, masthead=replace(there.masthead, language="zh-Hant"))
    back = convert(hant, "hans")
    assert _names_quotes_numbers(back) == _names_quotes_numbers(source)
    assert [a.headline for a in back.articles] == [a.headline for a in source.articles]
    assert back.masthead.language == "zh-CN"
    for fmt in ("epub", "html"):
        assert exporter.render(back, fmt)


@pytest.mark.parametrize("script", ["hk", "tw"])
def test_the_converted_example_reads_as_the_parser_reads_a_traditional_issue(script: str) -> None:
    """Each converted byline and dateline is what the parser makes of its converted text: roles, names, sources."""
    from exporter.parser import bylines, datelines

    converted = convert(parse_file(EXAMPLE), script)
    seen = 0
    for article in converted.articles:
        for byline in article.bylines:
            assert bylines.parse_byline(byline.raw, byline.line) == byline
            assert all("记" not in c.role and "员" not in c.role for c in byline.credits)  # 記者, 通訊員
            seen += 1
        if article.dateline:
            found = datelines.find(article.dateline.raw + " 正文")
            assert found is not None
            assert (found.source, found.place, found.month, found.day, found.kind) == (
                article.dateline.source,
                article.dateline.place,
                article.dateline.month,
                article.dateline.day,
                article.dateline.kind,
            )
            assert not set("报讯电华") & set(article.dateline.raw)  # 本報…訊, 新華社…電
            seen += 1
    assert seen >= 6
