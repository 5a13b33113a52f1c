"""The project's examples read as the format says, and the command line on them, as the sample tests do.

What test_sample.py and the sample tests of test_cli.py prove on the newspaper's sample, these prove
on examples/: numbers-daily.md (numbers, quotes, Latin words in every part of an issue), hk-daily.md
(Hong Kong traditional Chinese), binhai-daily.md and exported-page.md (an export with its faults).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from exporter import Figure, Issue, Quote, Subhead
from tests import readback
from tests.conftest import EXAMPLE, EXPORTED, HK, NUMBERS, in_gb2312

LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+): (?P<severity>error|warning|info)\[(?P<code>[a-z-]+)\]: .+$")


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "exporter", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120
    )


# -- numbers-daily: numbers in every part of an issue -------------------------------------------


def test_numbers_in_sections_and_pages(numbers: Issue) -> None:
    """Pages 1 to 12 and section titles with numbers, as the 导读 and the running heads show them."""
    assert [(s.page, s.title, len(s.articles)) for s in numbers.sections] == [
        ("1", "要闻", 2),
        ("2", "数说2025", 2),
        ("3", "15分钟生活圈", 1),
        ("12", "副刊·第7天", 1),
    ]
    assert numbers.diagnostics == ()
    m = numbers.masthead
    assert (m.title, m.number, m.edition, m.language, m.inferred) == ("云港日报", "3021", "今日12版", "zh-CN", ())


def test_numbers_in_headlines_kickers_and_subtitles(numbers: Issue) -> None:
    """test_sample: test_two_line_headlines and the kicker/subtitle half of test_kicker_subtitle_…."""
    lead, projects, circle, breakfast, walk, essay = numbers.articles
    assert lead.level == 1
    assert lead.kicker == "聚焦2025年一季度“开门红”"
    assert lead.headline_lines == ("一季度全市生产总值增长5.6%",)
    assert lead.subtitle == "3月份规模以上工业增加值同比增长15.6%"
    assert projects.headline_lines == ("12个重点项目集中开工", "总投资达365亿元")
    assert circle.kicker == "一张表看懂9类民生实事、26项服务"
    assert circle.headline_lines == ("15分钟生活圈", "今年再建26个")
    assert breakfast.headline == "老街坊的“‘5分钟’早餐圈”"
    assert walk.headline == "第3只眼看“城市漫步”"
    assert essay.headline == "数到100"
    assert [a.kicker is not None for a in numbers.articles] == [True, False, True, False, False, False]


def test_numbered_subheads(numbers: Issue) -> None:
    lead, circle = numbers.articles[0], numbers.articles[2]
    assert [(b.level, b.text) for b in lead.blocks if isinstance(b, Subhead)] == [
        (3, "第1部分"),
        (3, "第2部分"),
        (3, "3个亮点"),
        (4, "亮点1：新动能"),
        (4, "亮点2：新消费"),
    ]
    assert [b.text for b in circle.blocks if isinstance(b, Subhead)] == ["第3部分：时间表"]


def test_bylines_with_numbers_and_credits(numbers: Issue) -> None:
    """test_sample: test_last_article_credits; an outlet with a number and a slash."""
    lead, projects, circle, breakfast, walk, essay = numbers.articles
    (byline,) = lead.bylines
    assert byline.outlet == "云港日报/12频道"
    assert [(c.role, c.names) for c in byline.credits] == [("记者", ("程远",)), ("通讯员", ("方一鸣",))]
    assert [(c.role, c.names) for c in projects.bylines[0].credits] == [("本报记者", ("林木",)), ("实习生", ("唐果",))]
    assert [(c.role, c.names) for c in circle.bylines[0].credits] == [("文/图", ("白露",))]
    assert [(c.role, c.names) for c in breakfast.bylines[0].credits] == [("本报记者", ("白露",))]
    assert [(c.role, c.names) for c in essay.bylines[0].credits] == [("文", ("孙远",))]
    assert walk.bylines == ()


@pytest.mark.parametrize(
    ("index", "raw", "source", "place", "month", "day"),
    [
        (0, "本报3月17日讯", "本报", None, 3, 17),
        (1, "本报讯", "本报", None, None, None),
        (2, "本报云港3月9日讯", "本报", "云港", 3, 9),
        (3, "本报3月17日讯", "本报", None, 3, 17),
        (4, "新华社北京3月16日电", "新华社", "北京", 3, 16),
    ],
)
def test_datelines_with_one_and_two_digit_days_kept_apart(
    numbers: Issue, index: int, raw: str, source: str, place: str | None, month: int | None, day: int | None
) -> None:
    """test_sample: test_datelines_kept_apart."""
    article = numbers.articles[index]
    assert article.dateline is not None
    d = article.dateline
    assert (d.raw, d.source, d.place, d.month, d.day) == (raw, source, place, month, day)
    first = article.paragraphs[0].text
    assert not first.startswith((raw, " ", "\u3000")) and first[0] != raw[-1]


def test_binhai_datelines_kept_apart(example: Issue) -> None:
    """test_sample: test_datelines_kept_apart, on the first example."""
    found = [(d.source, d.place, d.month, d.day) if (d := a.dateline) else None for a in example.articles]
    assert found == [
        ("本报", None, 3, 17),
        ("本报", None, None, None),
        ("新华社", "北京", 3, 17),
        ("本报", "滨海", 3, 17),
        None,
    ]
    for a in example.articles:
        if a.dateline:
            assert not a.paragraphs[0].text.startswith((a.dateline.raw, " "))


def test_figure_captions_quotes_and_latin_words_are_kept(numbers: Issue) -> None:
    lead, circle = numbers.articles[0], numbers.articles[2]
    (figure,) = [b for b in lead.blocks if isinstance(b, Figure)]
    assert figure.text == "3月17日，市统计局发布一季度经济数据，5位发言人回答了12个提问"
    assert figure.credit == "记者 程远 摄"
    (second,) = [b for b in circle.blocks if isinstance(b, Figure)]
    assert second.credit == "本报记者 白露 摄" and "300份" in second.text
    assert any(isinstance(b, Quote) for b in lead.blocks)
    text = "".join(t for _, t in numbers.texts())
    for kept in (
        "“这个‘开门红’来之不易",
        "Xi’an",
        "City Walk",
        "App",
        "——市里将每2个月通报1次进度",
        "15.6%",
        "1268.4亿元",
    ):
        assert kept in text, kept


def test_blocks_keep_source_lines(numbers: Issue, example: Issue, hk: Issue) -> None:
    """test_sample: test_blocks_keep_source_lines, on each example with front matter."""
    for issue in (numbers, example, hk):
        lines = [b.line for a in issue.articles for b in a.blocks]
        assert lines == sorted(lines) and len(set(lines)) == len(lines)
    assert numbers.articles[0].line == 17 and numbers.articles[0].blocks[0].line == 20


# -- hk-daily: traditional Chinese from Hong Kong ------------------------------------------------


def test_hong_kong_issue(hk: Issue) -> None:
    m = hk.masthead
    assert (m.title, m.language, m.date.isoformat() if m.date else None) == ("維港日報", "zh-HK", "2025-11-28")
    assert [(s.page, s.title) for s in hk.sections] == [("A1", "港聞"), ("A6", "副刊")]
    assert hk.articles[0].headline_lines == ("維港兩岸燈光匯演", "今晚起加長至二十分鐘")
    assert hk.articles[0].kicker == "冬日海港添新景"
    # Consistent traditional text: no mixed-script finding, and nothing else either.
    assert hk.diagnostics == ()


def test_a_space_between_two_characters_outside_gb2312_is_kept(hk: Issue) -> None:
    """The renderers must set an ASCII space between two characters the shipped fonts do not have."""
    texts = [p.text for a in hk.articles for p in a.paragraphs]
    assert any("資訊 維修" in t for t in texts)
    # The space after a dateline separates it from the text and is part of neither.
    dateline = hk.articles[0].dateline
    assert dateline is not None and dateline.raw == "本報香港11月27日訊"
    assert hk.articles[0].paragraphs[0].text.startswith("維多利亞港")
    assert not in_gb2312("訊") and not in_gb2312("維")


# -- the command line (test_cli.py's sample tests) -----------------------------------------------


def test_check_prints_compiler_style_diagnostics() -> None:
    """test_cli: test_check_sample_prints_compiler_style_diagnostics."""
    result = run("check", EXPORTED)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert [(int(m["line"]), m["code"]) for m in parsed if m] == [
        (5, "title-inferred"),
        (6, "paragraph-joined"),
        (6, "date-inferred"),
        (17, "article-truncated"),
        (22, "latin-in-cjk"),
        (48, "mixed-script"),
        (52, "paragraph-joined"),
        (73, "paragraph-joined"),
        (73, "paragraph-joined"),
    ]
    assert all(m["path"] == str(EXPORTED) and m["severity"] == "warning" for m in parsed if m)
    assert "6 articles" in result.stderr


def test_strict_counts_warnings_as_errors() -> None:
    """test_cli: test_strict_counts_warnings_as_errors; an issue with no finding still passes."""
    assert run("check", "--strict", EXPORTED).returncode == 1
    assert run("check", "--strict", EXAMPLE).returncode == 1
    clean = run("check", "--strict", NUMBERS, HK)
    assert clean.returncode == 0 and clean.stdout == "", clean.stdout


def test_check_several_files() -> None:
    """test_cli: test_check_several_files."""
    result = run("check", EXAMPLE, EXPORTED, NUMBERS, HK)
    assert result.returncode == 0
    assert {LINE.match(line)["path"] for line in result.stdout.splitlines()} == {str(EXAMPLE), str(EXPORTED)}  # type: ignore[index]
    for path in (EXAMPLE, EXPORTED, NUMBERS, HK):
        assert f"{path}: " in result.stderr


def test_inspect_json_keeps_the_public_names() -> None:
    """test_cli: test_inspect_json_keeps_the_public_names."""
    result = run("inspect", "--json", NUMBERS)
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["schema"] == "exporter.issue/1"
    assert set(data) >= {"schema", "masthead", "sections", "diagnostics"}
    assert set(data["masthead"]) >= {
        "title", "date", "weekday", "lunar_date", "number", "edition", "publisher", "language", "inferred",
    }  # fmt: skip
    section = data["sections"][0]
    assert set(section) >= {"title", "page", "articles"}
    assert (section["title"], section["page"]) == ("要闻", "1")
    article = section["articles"][0]
    assert set(article) >= {
        "id", "kicker", "headline", "headline_lines", "subtitle", "bylines", "dateline", "blocks", "truncated", "line",
    }  # fmt: skip
    assert set(article["bylines"][0]) >= {"raw", "outlet", "credits"}
    assert set(article["bylines"][0]["credits"][0]) == {"role", "names"}
    assert set(article["dateline"]) >= {"raw", "source", "place", "month", "day"}
    assert article["blocks"][0]["type"] == "paragraph"
    assert not article["blocks"][0]["text"].startswith("本报3月17日讯")
    assert {b["type"] for b in article["blocks"]} == {"paragraph", "subhead", "figure", "quote"}
    assert data["diagnostics"] == []
    assert data["masthead"]["title"] == "云港日报" and data["masthead"]["inferred"] == []
    inferred = json.loads(run("inspect", "--json", EXPORTED).stdout)
    assert inferred["masthead"]["inferred"] == ["title", "date"]
    assert set(inferred["diagnostics"][0]) == {"code", "severity", "line", "message"}


def test_inspect_tree() -> None:
    """test_cli: test_inspect_tree."""
    result = run("inspect", EXPORTED)
    assert result.returncode == 0
    assert "泊湾晚报" in result.stdout
    assert "实干担当谋新篇" in result.stdout
    assert "(truncated)" in result.stdout
    assert "warning[paragraph-joined]" in result.stdout


def test_build_themes_and_fonts_commands(tmp_path: Path, numbers: Issue, example: Issue) -> None:
    """test_cli: test_build_themes_and_fonts_commands, on the examples."""
    out = tmp_path / "out"
    result = run("build", NUMBERS, "--format", "html", "--theme", "vertical", "--out", out)
    assert result.returncode == 0, result.stderr
    readback.assert_web_of(out / "numbers-daily", numbers, corner_quotes=True)
    assert re.fullmatch(
        rf"{re.escape(str(NUMBERS))}: wrote {re.escape(str(out / 'numbers-daily'))} "
        r"\(html, \d+ files, \d+ KiB, \d+\.\d s\)\n",
        result.stdout,
    ), result.stdout
    created = run("themes", "new", "harbour", "--from", "reader", "--dir", tmp_path)
    assert created.returncode == 0, created.stderr
    made = tomllib.loads((tmp_path / "harbour" / "theme.toml").read_text(encoding="utf-8"))
    assert (made["name"], made["inherit"]) == ("harbour", "reader")
    rebuilt = run("build", EXAMPLE, "--format", "html,epub", "--theme", tmp_path / "harbour", "--out", tmp_path / "h")
    assert rebuilt.returncode == 0, rebuilt.stderr
    readback.assert_book_of(tmp_path / "h" / "binhai-daily.epub", example)
    readback.assert_web_of(tmp_path / "h" / "binhai-daily", example)
    # Built on reader: the web edition's stylesheet has reader's own rules.
    css = (tmp_path / "h" / "binhai-daily" / "css" / "edition.css").read_text(encoding="utf-8")
    assert "/* reader: one column, large type, generous leading. */" in css
    for issue in (EXPORTED, HK, NUMBERS):
        checked = run("fonts", "check", issue)
        assert checked.returncode == 0 and "characters are in the fonts of theme classic" in checked.stdout, issue


def test_render_errors_are_one_line(tmp_path: Path) -> None:
    """test_cli: test_render_errors_are_one_line, the sample's half."""
    bad_theme = run("build", EXAMPLE, "--theme", "no-such-theme", "--out", tmp_path)
    assert bad_theme.returncode == 2  # a usage error: nothing is built
    assert "no theme named `no-such-theme`" in bad_theme.stderr and "Traceback" not in bad_theme.stderr
    assert run("build", NUMBERS, "--format", "docx", "--out", tmp_path).returncode == 2
    assert not list(tmp_path.iterdir())
