"""Runs DAISY Ace, the accessibility checker libraries and retailers use, on a book and reads its findings.

``./dev`` installs Ace (npm ``@daisy/ace``, the version ``dev`` pins) into ``.venv/ace``; it drives
Debian's Chromium through puppeteer, which fetches no browser of its own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ACE = Path(sys.prefix) / "ace" / "node_modules" / ".bin" / "ace-puppeteer"  # sys.prefix: the venv


@dataclass(frozen=True)
class Violation:
    """One rule Ace found broken: its name, impact (minor to critical), and the document."""

    rule: str
    impact: str
    document: str


def check(book: Path, report: Path) -> list[Violation]:
    """Ace's violations of ``book``, its report written into the folder ``report``."""
    assert ACE.is_file(), f"DAISY Ace is not installed at {ACE}: run ./dev setup"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Chromium is not installed: run ./dev setup"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}
    done = subprocess.run(
        [str(ACE), "--silent", "--outdir", str(report), "--force", str(book)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    found = json.loads((report / "report.json").read_text(encoding="utf-8"))
    return [
        Violation(test["earl:test"]["dct:title"], test["earl:test"]["earl:impact"], subject["earl:testSubject"]["url"])
        for subject in found["assertions"]
        for test in subject.get("assertions", [])
        if test["earl:result"]["earl:outcome"] == "fail"
    ]
