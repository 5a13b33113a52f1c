"""The command line as a hostile tester and a new user meet it: reports, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from exporter.themes import BUILTIN_DIR
from tests.test_cli import run

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
HEAD = "---\ntitle: 滨海日报\ndate: 2025-12-29\n---\n\n"


# -- 19: themes new names the folder that has the templates ----------------------------------------


def test_themes_new_points_at_the_folder_that_has_the_templates(tmp_path: Path) -> None:
    result = run("themes", "new", "harbour", "--dir", tmp_path)
    assert result.returncode == 0, result.stderr
    base_templates = BUILTIN_DIR / "base" / "templates"
    readme = (tmp_path / "harbour" / "templates" / "README.md").read_text(encoding="utf-8")
    for told in (readme, result.stdout):
        assert str(base_templates) in told, told
    assert "of `classic`" not in readme
    named = re.findall(r"\b[a-z_]+\.html\b", readme)
    assert named and all((base_templates / name).is_file() for name in named), named


# -- 12: a failed issue's error is in the report ----------------------------------------------------


@pytest.mark.parametrize(
    ("content", "line", "code", "needle"),
    [
        (HEAD + "正文在标题前。\n\n## 标题\n\n正文。\n", 6, "text-before-article", "before the first headline"),
        ("", None, "input", "empty"),
        ("---\ntitle: 滨海日报\ntheme: harbour\n---\n\n## 标题\n\n正文。\n", 3, "theme", "no theme named `harbour`"),
        (HEAD + "## 标题\n\n正文\ue000。\n", 8, "font", "U+E000"),  # private use: no font has it
    ],
    ids=["finding", "refused-file", "front-matter-theme", "font"],
)
def test_the_error_that_failed_an_issue_is_in_the_report(
    tmp_path: Path, content: str, line: int | None, code: str, needle: str
) -> None:
    source = tmp_path / "issue.md"
    source.write_text(content, encoding="utf-8")
    good = tmp_path / "good.md"
    good.write_text(HEAD + "## 标题\n\n正文。\n", encoding="utf-8")
    report = tmp_path / "report.json"
    result = run("build", source, good, "--format", "html", "--out", tmp_path / "out", "--report", report)
    assert result.returncode == 1, result.stderr
    entries = {e["source"]: e for e in json.loads(report.read_text(encoding="utf-8"))["issues"]}
    failed = entries[str(source)]
    assert failed["status"] == "failed"
    assert failed["diagnostics"]["error"] == 1, failed
    errors = [f for f in failed["findings"] if f["severity"] == "error"]
    assert len(errors) == 1, failed["findings"]
    assert errors[0]["line"] == line and errors[0]["code"].startswith(code) and needle in errors[0]["message"], errors
    assert entries[str(good)]["diagnostics"]["error"] == 0 and entries[str(good)]["status"] == "built"


# -- 18: help shows flags as flags and wraps between words -----------------------------------------

COMMANDS = [
    [],
    ["check"],
    ["inspect"],
    ["build"],
    ["themes"],
    ["themes", "list"],
    ["themes", "show"],
    ["themes", "new"],
    ["fonts"],
    ["fonts", "list"],
    ["fonts", "check"],
]


def _help(words: list[str], columns: int) -> str:
    env = {**os.environ, "COLUMNS": str(columns), "TERM": "dumb"}
    result = subprocess.run(
        [sys.executable, "-m", "exporter", *words, "--help"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w) or "exporter")
@pytest.mark.parametrize("columns", [80, 120])
def test_help_shows_flags_as_flags_and_whole_sentences(words: list[str], columns: int) -> None:
    import typer.main

    from exporter.cli import app

    command = typer.main.get_command(app)
    for word in words:
        command = command.commands[word]  # type: ignore[attr-defined]
    text = _help(words, columns)
    lines = text.splitlines()
    assert all(len(line) <= columns for line in lines), text
    prose = [line for line in lines if not line.startswith("Usage:")]
    assert not any(line.rstrip().endswith(("-", "...", "…")) for line in prose), text  # no word cut, nothing cut off
    assert "<bool>" not in text
    flat = " ".join(text.split())
    for param in command.params:
        if param.param_type_name != "option":
            continue
        name = max(param.opts, key=len)
        options = lines[lines.index("Options:") :]
        row = next(line for line in options if re.match(r"\s+(-\w, )?" + re.escape(name) + r"\b", line))
        after = row.split(name, 1)[1]
        if param.is_flag:  # type: ignore[attr-defined]
            assert re.match(r"\s{2,}\S", after), row  # the help follows: no value to give
        else:
            assert re.match(r" [A-Z]+\s{2,}\S", after), row  # the value it takes, named
        assert " ".join((param.help or "").split()) in flat, param.help
    for sub in getattr(command, "commands", {}).values():
        assert sub.get_short_help_str(limit=200) in flat
