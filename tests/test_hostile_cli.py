"""The command line as a hostile tester and a new user meet it: reports, exit codes, one-line errors."""

from __future__ import annotations

import re
from pathlib import Path

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
