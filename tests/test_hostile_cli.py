"""The command line as a hostile tester and a new user meet it: reports, exit codes, one-line errors."""

from __future__ import annotations

import json
import re
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
