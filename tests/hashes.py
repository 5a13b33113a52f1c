"""Prints the SHA-256 of every file the examples and the sample build to, in every theme and format.

Run before and after a change that must not change the outputs (``python -m tests.hashes > before.txt``, then
``diff before.txt after.txt``): it builds each issue with the installed ``exporter`` command, as a user would,
into a temporary folder, with ``--print`` for the PDF too, and writes ``inspect --json`` beside them.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "samples" / "qingdao-daily-excerpt.md"
THEMES = ("classic", "vertical", "reader")


def _issues() -> list[Path]:
    issues = sorted((ROOT / "examples").glob("*.md"))
    return [*issues, SAMPLE] if SAMPLE.is_file() else issues


def _exporter() -> str:
    return str(Path(sys.executable).with_name("exporter"))


def _build(out: Path, issues: list[Path]) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764547200"}
    for theme in THEMES:
        args = ["build", *map(str, issues), "--format", "html,epub,pdf", "--theme", theme, "--quiet"]
        subprocess.run([_exporter(), *args, "--out", str(out / theme)], check=True, env=env)
    subprocess.run(
        [_exporter(), "build", *map(str, issues), "--format", "pdf", "--print", "--quiet", "--out", str(out / "print")],
        check=True,
        env=env,
    )
    for issue in issues:
        json = subprocess.run([_exporter(), "inspect", "--json", str(issue)], check=True, capture_output=True, env=env)
        (out / "json").mkdir(exist_ok=True)
        (out / "json" / f"{issue.stem}.json").write_bytes(json.stdout)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        _build(out, _issues())
        for path in sorted(p for p in out.rglob("*") if p.is_file()):
            print(hashlib.sha256(path.read_bytes()).hexdigest(), path.relative_to(out))


if __name__ == "__main__":
    main()
