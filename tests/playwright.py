"""Debian's Chromium driven by Playwright, for tests that use a page as a reader would; and axe-core's audit of it.

:func:`launch` starts ``/usr/bin/chromium`` (Playwright never downloads a browser here);
:func:`axe` runs axe-core, which ``./dev test`` installs under ``.venv/reader/node_modules``, in
a page and returns its serious and critical violations. Importing this module imports no
Playwright: a test that uses it is marked ``browser`` (tests/conftest.py).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
#: axe-core, as ./dev test installs it in a virtual environment (the repository's .venv).
AXE = Path("reader", "node_modules", "axe-core", "axe.min.js")
#: The impacts :func:`axe` reports; minor and moderate ones are left out.
IMPACTS = ("serious", "critical")


@contextmanager
def launch(**options: Any) -> Iterator[Browser]:
    """Debian's Chromium, headless, for the ``with`` block; ``options`` go to Playwright's ``launch``."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.is_file():
        raise AssertionError(f"{CHROMIUM} is missing: run ./dev test, which installs it (apt-get install chromium)")
    args = ["--no-sandbox", *options.pop("args", [])]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args, **options)
        try:
            yield browser
        finally:
            browser.close()


def axe_script() -> Path:
    """axe-core's script: in the repository's .venv, else in the environment running the tests (a worktree's)."""
    for venv in (ROOT / ".venv", Path(sys.prefix)):
        if (venv / AXE).is_file():
            return venv / AXE
    raise AssertionError(f"axe-core is missing (.venv/{AXE.as_posix()}): run ./dev test, which installs it")


def axe(page: Page, impacts: tuple[str, ...] = IMPACTS) -> list[dict[str, Any]]:
    """axe-core's violations in ``page`` of the impacts given (serious and critical): none for a page that passes.

    Each is axe's own: ``id``, ``impact``, ``help``, ``nodes`` (each with its ``target`` and ``html``).
    """
    page.add_script_tag(path=str(axe_script()))
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v.get("impact") in impacts]


def describe(violations: list[dict[str, Any]]) -> str:
    """axe's violations in a few lines, for an assertion's message."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}: " + "; ".join(str(n.get("target")) for n in v["nodes"][:3])
        for v in violations
    )
