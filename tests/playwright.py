"""Debian's Chromium driven by Playwright for the browser tests, and axe-core's audit of a page in it.

Playwright never fetches a browser here: it is handed ``/usr/bin/chromium`` (``./dev test`` installs it),
and axe-core comes from ``.venv/reader`` (``./dev test`` installs it with npm).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / ".venv" / "reader" / "node_modules" / "axe-core" / "axe.min.js"


def executable() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    raise AssertionError("Chromium is not installed: run ./dev test, which installs it (apt-get install chromium)")


@contextmanager
def chromium() -> Iterator[Any]:
    """A Playwright browser: Debian's Chromium, headless."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable(), args=["--no-sandbox", "--disable-gpu"])
        try:
            yield browser
        finally:
            browser.close()


def axe(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """axe-core's violations on the page, of the impacts given."""
    if not AXE.is_file():
        raise AssertionError(f"{AXE} is missing: run ./dev test, which installs axe-core")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate("axe.run(document).then(r => r.violations)")
    return [v for v in found if v.get("impact") in impacts]
