"""The command line as a user runs it: exit codes, compiler-style lines, JSON, no tracebacks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from pypdf import PdfReader

from exporter import Issue
from tests import readback
from tests.conftest import EXAMPLE

LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+): (?P<severity>error|warning|info)\[(?P<code>[a-z-]+)\]: .+$")


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "exporter", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_check_sample_prints_compiler_style_diagnostics(sample_path: Path, sample: Issue) -> None:
    result = run("check", sample_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    # In the order of their lines (test_sample.py derives each from the sample's source): the paper's name and
    # date inferred from the first byline and dateline (5, 6), the truncated second article (17), the four
    # paragraph joins (22, 65, 77, 91), a Latin word (51) and a traditional character (89).
    assert [(int(m["line"]), m["code"]) for m in parsed if m] == [
        (5, "title-inferred"),
        (6, "date-inferred"),
        (17, "article-truncated"),
        (22, "paragraph-joined"),
        (51, "latin-in-cjk"),
        (65, "paragraph-joined"),
        (77, "paragraph-joined"),
        (89, "mixed-script"),
        (91, "paragraph-joined"),
    ]
    # and each line is the parser's finding, as check prints it
    assert lines == [d.format(str(sample_path)) for d in sample.diagnostics]
    assert all(m["path"] == str(sample_path) for m in parsed if m)
    # The sample's six headlines in one section (it has no section marker), and the nine findings above.
    assert result.stderr == f"{sample_path}: 6 articles in 1 section; 9 warnings\n"


def test_strict_counts_warnings_as_errors(sample_path: Path) -> None:
    assert run("check", "--strict", sample_path).returncode == 1


def test_check_several_files(sample_path: Path) -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "binhai-daily.md"
    result = run("check", example, sample_path)
    assert result.returncode == 0
    assert {LINE.match(line)["path"] for line in result.stdout.splitlines()} == {str(example), str(sample_path)}  # type: ignore[index]


def test_error_in_the_issue_exits_1(tmp_path: Path) -> None:
    issue = tmp_path / "issue.md"
    issue.write_text("## 标题\n\n正文。\n\n![图](../outside.png)\n", encoding="utf-8")
    result = run("check", issue)
    assert result.returncode == 1
    assert f"{issue}:5: error[figure-path]:" in result.stdout


@pytest.mark.parametrize(
    ("content", "told"),
    [
        (b"", ": error: the file is empty: write an issue in it (see the README)"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00",
            ": error: this is a PNG image, not an issue text file: pass the issue's .md file",
        ),
        (
            b"\x00\x01\x02\x03\xff\xfe\xfd" * 40,
            ": error: this is a binary file, not an issue text file: pass the issue's .md file",
        ),
        (
            "只有一段文字，没有标题。\n".encode(),
            ":1: error: no article found: open each article with a headline line such as `## 标题`",
        ),
        (
            "---\ntitle: [unclosed\n---\n\n## 标题\n\n正文。\n".encode(),
            ":2: error: the front matter is not valid YAML (expected ',' or ']', but got '<stream end>'): "
            "write one `key: value` per line",
        ),
    ],
    ids=["empty", "png", "binary", "no-article", "yaml"],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, content: bytes, told: str) -> None:
    issue = tmp_path / "bad.md"
    issue.write_bytes(content)
    for command in (["check"], ["inspect"], ["inspect", "--json"]):
        result = run(*command, issue)
        assert result.returncode == 1, (command, result)
        # check tells it on standard output with its findings, inspect on standard error: once, on one line.
        assert result.stdout + result.stderr == f"{issue}{told}\n", (command, result)


def test_yaml_error_names_the_line(tmp_path: Path) -> None:
    issue = tmp_path / "bad.md"
    issue.write_text("---\ntitle: 报\ndate: [2025\n---\n\n## 标题\n\n正文。\n", encoding="utf-8")
    result = run("check", issue)
    assert result.returncode == 1
    assert re.match(rf"^{re.escape(str(issue))}:[34]: error: ", result.stdout)


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "missing.md"
    for args, told in (
        (["check", missing], f"{missing}: error: no such file or folder: check the path"),
        (
            ["check", "--no-such-option", tmp_path],
            "exporter: error: no such option: --no-such-option: see `python -m exporter check --help`",
        ),
        (["inspect"], "exporter: error: missing argument 'FILE': see `python -m exporter inspect --help`"),
        (["inspect", missing], f"{missing}: error: no such file: check the path"),
    ):
        result = run(*args)
        assert (result.returncode, result.stdout, result.stderr) == (2, "", told + "\n"), args


def test_inspect_json_keeps_the_public_names(sample_path: Path) -> None:
    result = run("inspect", "--json", sample_path)
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["schema"] == "exporter.issue/1"
    assert set(data) >= {"schema", "masthead", "sections", "diagnostics"}
    assert set(data["masthead"]) >= {
        "title", "date", "weekday", "lunar_date", "number", "edition", "publisher", "language", "inferred",
    }  # fmt: skip
    section = data["sections"][0]
    assert set(section) >= {"title", "page", "articles"}
    article = section["articles"][0]
    assert set(article) >= {
        "id", "kicker", "headline", "headline_lines", "subtitle", "bylines", "dateline", "blocks", "truncated", "line",
    }  # fmt: skip
    assert set(article["bylines"][0]) >= {"raw", "outlet", "credits"}
    assert set(article["bylines"][0]["credits"][0]) == {"role", "names"}
    assert set(article["dateline"]) >= {"raw", "source", "place", "month", "day"}
    assert {"type", "text"} <= set(article["blocks"][0])
    assert article["blocks"][0]["type"] == "paragraph"
    assert not article["blocks"][0]["text"].startswith("本报12月29日讯")
    assert {b["type"] for a in section["articles"] for b in a["blocks"]} == {"paragraph", "subhead"}
    assert set(data["diagnostics"][0]) == {"code", "severity", "line", "message"}
    assert data["masthead"]["title"] == "青岛日报"
    assert data["masthead"]["inferred"] == ["title", "date"]


def test_inspect_tree(sample_path: Path) -> None:
    result = run("inspect", sample_path)
    assert result.returncode == 0
    assert "青岛日报" in result.stdout
    assert "锚定新目标，笃行实干开新局" in result.stdout
    assert "(truncated)" in result.stdout
    assert "warning[paragraph-joined]" in result.stdout


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "check" in result.stdout and "inspect" in result.stdout


def test_build_themes_and_fonts_commands(tmp_path: Path, sample_path: Path, sample: Issue) -> None:
    out = tmp_path / "out"
    result = run("build", sample_path, "--format", "html", "--theme", "vertical", "--out", out)
    assert result.returncode == 0, result.stderr
    site = readback.assert_web_of(out / "qingdao-daily-excerpt", sample, corner_quotes=True)
    assert len(site.headlines) == len(sample.articles)
    assert re.fullmatch(
        rf"{re.escape(str(sample_path))}: wrote {re.escape(str(out / 'qingdao-daily-excerpt'))} "
        r"\(html, \d+ files, \d+ KiB, \d+\.\d s\)\n",
        result.stdout,
    ), result.stdout
    listing = run("themes", "list")
    assert listing.returncode == 0
    assert [line.split()[0] for line in listing.stdout.splitlines()] == ["classic", "reader", "vertical"]
    shown = run("themes", "show", "vertical")
    assert "writing_mode = vertical-rl" in shown.stdout and "corner_quotes = true" in shown.stdout
    created = run("themes", "new", "harbour", "--from", "reader", "--dir", tmp_path)
    assert created.returncode == 0, created.stderr
    made = tomllib.loads((tmp_path / "harbour" / "theme.toml").read_text(encoding="utf-8"))
    assert (made["name"], made["inherit"]) == ("harbour", "reader")
    rebuilt = run("build", sample_path, "--theme", tmp_path / "harbour", "--out", tmp_path / "h")
    assert rebuilt.returncode == 0, rebuilt.stderr
    # The default formats, EPUB and PDF, of the sample in a theme built on reader (its A5 pages: 148 mm wide).
    assert sorted(p.name for p in (tmp_path / "h").iterdir()) == [
        "qingdao-daily-excerpt.epub",
        "qingdao-daily-excerpt.pdf",
    ]
    readback.assert_book_of(tmp_path / "h" / "qingdao-daily-excerpt.epub", sample)
    readback.assert_pdf_has_headlines(tmp_path / "h" / "qingdao-daily-excerpt.pdf", sample)
    page = PdfReader(tmp_path / "h" / "qingdao-daily-excerpt.pdf").pages[0]
    assert round(float(page.mediabox.width) * 25.4 / 72) == 148
    fonts = run("fonts", "list")
    assert fonts.returncode == 0
    assert "Exporter Serif SC 400 [shipped] vertical-safe" in fonts.stdout
    assert "[system] vertical-safe" in fonts.stdout
    checked = run("fonts", "check", sample_path)
    assert checked.returncode == 0 and "characters are in the fonts of theme classic" in checked.stdout


def test_render_errors_are_one_line(tmp_path: Path, sample_path: Path) -> None:
    bad_theme = run("build", sample_path, "--theme", "no-such-theme", "--out", tmp_path)
    assert bad_theme.returncode == 2  # a usage error: nothing is built
    assert "no theme named `no-such-theme`" in bad_theme.stderr and "Traceback" not in bad_theme.stderr
    tofu = tmp_path / "tofu.md"
    tofu.write_text("## 标题\n\n正文\U0001f9ff。\n", encoding="utf-8")
    for command in (["build", tofu, "--out", tmp_path / "o"], ["fonts", "check", tofu]):
        result = run(*command)
        assert result.returncode == 1
        output = (result.stdout + result.stderr).strip()
        assert output.startswith(f"{tofu}:3: error:") and "U+1F9FF" in output and len(output.splitlines()) == 1
    assert not (tmp_path / "o").exists()
    assert run("build", sample_path, "--format", "docx", "--out", tmp_path).returncode == 2


def test_pdf_from_the_command_line(tmp_path: Path, example: Issue) -> None:
    result = run("build", EXAMPLE, "--format", "pdf", "--print", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    readback.assert_pdf_has_headlines(tmp_path / "binhai-daily.pdf", example)
    bad = run("build", EXAMPLE, "--format", "pdf", "--pdf-variant", "pdf/z-9", "--out", tmp_path)
    assert bad.returncode == 2 and "pdf/x-4" in bad.stderr
    vertical = run("build", EXAMPLE, "--format", "pdf", "--theme", "vertical", "--out", tmp_path / "v")
    assert vertical.returncode == 0, vertical.stderr
    readback.assert_pdf_has_headlines(tmp_path / "v" / "binhai-daily.pdf", example)
    assert PdfReader(tmp_path / "v" / "binhai-daily.pdf").pages[0].rotation == 90  # the vertical theme's turned pages


def test_check_takes_folders_and_patterns(tmp_path: Path) -> None:
    for name in ("2025/12/29.md", "2025/12/30.md"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\ntitle: 滨海日报\ndate: 2025-12-29\n---\n\n## 标题\n\n正文没有结尾\n", encoding="utf-8")
    by_folder = run("check", tmp_path)
    by_pattern = run("check", str(tmp_path / "**" / "*.md"))
    for result in (by_folder, by_pattern):
        assert result.returncode == 0, result.stderr
        paths = [LINE.match(line)["path"] for line in result.stdout.splitlines()]  # type: ignore[index]
        assert paths == [str(tmp_path / "2025" / "12" / "29.md"), str(tmp_path / "2025" / "12" / "30.md")]
    empty = run("check", str(tmp_path / "*.nothing"))
    assert empty.returncode == 2 and "matches no file" in empty.stderr


# -- exporter audit ------------------------------------------------------------------------------------


def test_audit_prints_one_line_per_finding_and_exits_1(tmp_path: Path) -> None:
    from tests.test_audit import PLANTED, weasyprint_pdf

    faulty = weasyprint_pdf(PLANTED["short-line"][0], tmp_path / "faulty.pdf")
    clean = weasyprint_pdf(PLANTED["clean"][0], tmp_path / "clean.pdf")
    result = run("audit", faulty, clean)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == f"{faulty}:page 1: short-line: ends 2.00 em short of the measure inside a paragraph «一二三四五六七八‸»"
    )
    assert lines[-2:] == [
        f"{faulty}: 1 finding in 4 lines, 0 page findings in 1 page",
        f"{clean}: 0 findings in 6 lines, 0 page findings in 1 page",
    ]
    # the summary table: a row per page and one for the file, with the counts per kind
    assert re.search(r"^\s+1\s+4\s+0\s+0\s+0\s+0\s+0\s+1\s+0\s+0\s+250\.0$", result.stdout, re.M), result.stdout
    assert result.stderr == ""
    clean_only = run("audit", clean)
    assert clean_only.returncode == 0
    assert clean_only.stdout.splitlines()[-1] == f"{clean}: 0 findings in 6 lines, 0 page findings in 1 page"


def test_audit_json(tmp_path: Path) -> None:
    from tests.test_audit import PLANTED, weasyprint_pdf

    faulty = weasyprint_pdf(PLANTED["lone-char"][0], tmp_path / "lone.pdf")
    result = run("audit", "--json", "--page", "1", faulty)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["schema"] == "exporter.audit/2"
    assert [(f["page"], f["kind"], f["text"]) for f in data["files"][0]["findings"]] == [(1, "lone-char", "议。")]
    assert data["total"]["findings"] == 1
    # the page report of that page: its fill, its body lines (3 + 2, the second paragraph's), no page finding
    makeup = data["files"][0]["makeup"]
    assert [(p["page"], p["vertical"], p["body_lines"]) for p in makeup["pages"]] == [(1, False, 5)]
    assert (makeup["findings"], makeup["jumps"], makeup["artifacts"]) == ([], [], False)


def test_audit_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    import pikepdf

    from tests.test_audit import PLANTED, weasyprint_pdf

    text = tmp_path / "notes.pdf"
    text.write_text("not a PDF", encoding="utf-8")
    clean = weasyprint_pdf(PLANTED["clean"][0], tmp_path / "clean.pdf")
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(clean) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    missing = tmp_path / "missing.pdf"
    expected = {
        missing: f"{missing}: error: no such file: check the path",
        text: f"{text}: error: not a PDF (no %PDF- header): pass a PDF file",
        locked: f"{locked}: error: the PDF is encrypted with a password: audit a copy without one",
        tmp_path: f"{tmp_path}: error: this is a folder: pass a PDF file",
    }
    for path, line in expected.items():
        result = run("audit", path)
        assert (result.returncode, result.stderr) == (2, line + "\n")
    beyond = run("audit", "--page", "3", clean)
    assert (beyond.returncode, beyond.stderr) == (
        2,
        f"{clean}: error: there is no page 3: the PDF has 1; pass --page 1 to 1\n",
    )
    zero = run("audit", "--page", "0", clean)
    assert zero.returncode == 2
    assert zero.stderr.startswith("exporter: error: invalid value for '--page'")
    # a readable PDF beside an unreadable one is still audited; the status tells of the unreadable one
    both = run("audit", clean, text)
    assert both.returncode == 2
    assert both.stdout.splitlines()[-1] == f"{clean}: 0 findings in 6 lines, 0 page findings in 1 page"
