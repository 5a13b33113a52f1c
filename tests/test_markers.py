"""The markers tests/conftest.py sets by what a test's code reaches: ``browser``, ``epubcheck``, ``calibre``, all slow.

The collection test runs pytest as a user selects with ``-m``; the others ask conftest's reading of the code
directly, on tests looked up by name through importlib, so that this file's own code reaches none of them and
is not marked ``browser``, ``epubcheck`` or ``calibre`` itself. (They are ``slow``: conftest's reading reaches
the renderers.)
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import conftest

BROWSER = "tests/test_html.py::test_chromium_shows_the_page[classic]"
EPUBCHECK = "tests/test_example_epub.py::test_epubcheck_finds_nothing[numbers-daily-classic]"
BUILDS_ONLY = "tests/test_example_epub.py::test_zip_layout"  # slow: it builds books, but runs neither program
PARSER = "tests/parser/test_blocks.py::test_blocks_carry_their_source_lines"
CALIBRE = "tests/test_epub_css.py::test_calibre_converts_the_books_with_no_css_error"
# Node ids one to a line, whatever pyproject's addopts say; no cache written by a test.
PYTEST = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-o", "addopts=", "-p", "no:cacheprovider"]
FILES = sorted({test.split("::")[0] for test in (BROWSER, EPUBCHECK, BUILDS_ONLY, PARSER, CALIBRE)})


def collected(marks: str, *args: str) -> set[str]:
    """The ids of the tests (of FILES, unless other arguments are given) that ``pytest --collect-only -q -m MARKS``
    selects."""
    done = subprocess.run(
        [*PYTEST, "-m", marks, *(args or FILES)],
        cwd=conftest.ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode in (0, 5), done.stdout + done.stderr  # 5: nothing selected
    return {line for line in done.stdout.splitlines() if "::" in line}


def test_collection_by_marker_selects_the_browser_epubcheck_and_calibre_tests_and_no_others() -> None:
    browser = collected("browser")
    assert BROWSER in browser
    assert not browser & {EPUBCHECK, BUILDS_ONLY, PARSER, CALIBRE}
    epubcheck = collected("epubcheck")
    assert EPUBCHECK in epubcheck
    assert not epubcheck & {BROWSER, BUILDS_ONLY, PARSER, CALIBRE}
    calibre = collected("calibre")
    assert CALIBRE in calibre
    assert not calibre & {BROWSER, EPUBCHECK, BUILDS_ONLY, PARSER}
    fast = collected("not slow")  # ./dev test --fast
    assert PARSER in fast
    assert not fast & {BROWSER, EPUBCHECK, BUILDS_ONLY, CALIBRE}
    assert not fast & (browser | epubcheck | calibre)


HAND_MARKED = """\
import pytest

@pytest.mark.browser
def test_browser():
    pass

@pytest.mark.epubcheck
def test_epubcheck():
    pass

@pytest.mark.calibre
def test_calibre():
    pass

def test_neither():
    pass
"""


def test_a_test_marked_browser_or_epubcheck_by_hand_is_slow_too(tmp_path: Path) -> None:
    """A test that reaches no such program in a way conftest reads, but is marked by hand, is left out of the fast
    lane all the same."""
    (tmp_path / "test_hand.py").write_text(HAND_MARKED, encoding="utf-8")
    found = collected("slow", "-p", "tests.conftest", "--rootdir", str(tmp_path), str(tmp_path / "test_hand.py"))
    assert {line.rsplit("::", 1)[1] for line in found} == {"test_browser", "test_epubcheck", "test_calibre"}


def _function(module: str, name: str) -> Callable[..., Any]:
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


def _marks(function: Callable[..., Any]) -> set[str]:
    return {
        marker for marker, reach in conftest._automatic_markers().items() if conftest._reaches(function, reach, set())
    }


def test_a_test_through_the_browser_helpers_is_browser_and_slow() -> None:
    assert _marks(_function("tests.test_html", "test_chromium_shows_the_page")) == {"browser", "slow"}


def test_a_test_through_the_suites_epubcheck_helper_is_epubcheck_and_slow() -> None:
    assert _marks(_function("tests.test_hostile_structures", "test_the_books_pass_epubcheck")) == {"epubcheck", "slow"}
    assert _marks(_function("tests.test_example_epub", "test_epubcheck_finds_nothing")) == {"epubcheck", "slow"}


def test_a_test_that_starts_chromium_itself_is_browser() -> None:
    namespace: dict[str, Any] = {}
    exec("import subprocess\ndef probe():\n    subprocess.run(['chromium', '--version'])\n", namespace)
    assert _marks(namespace["probe"]) == {"browser", "slow"}


def test_a_test_using_any_helper_of_tests_browser_is_browser() -> None:
    """Even one whose code names no program: the helpers of tests/browser.py are the browser's."""
    helpers: dict[str, Any] = {"__name__": "tests.browser"}
    exec("def helper():\n    return 1\n", helpers)
    namespace: dict[str, Any] = {"helper": helpers["helper"]}
    exec("def probe():\n    return helper()\n", namespace)
    assert _marks(namespace["probe"]) == {"browser"}


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("tests.parser.test_blocks", "test_blocks_carry_their_source_lines"),
        ("tests.test_typography", "test_latin_runs_beside_han_get_their_gaps"),
    ],
)
def test_a_parser_or_typography_test_has_none_of_the_markers(module: str, name: str) -> None:
    assert _marks(_function(module, name)) == set()


def test_browser_and_epubcheck_are_registered(pytestconfig: pytest.Config) -> None:
    """Registered as ``slow`` is, so ``--strict-markers`` and ``pytest --markers`` know them."""
    names = {line.split(":")[0] for line in pytestconfig.getini("markers")}
    assert {"slow", "browser", "epubcheck"} <= names
