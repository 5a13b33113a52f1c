"""Shared fixtures: the newspaper's sample (read from ../shared, skipped when absent) and the project's examples.

The sample is a newspaper's own text and is never copied into this repository: a clone without
``../shared`` beside it skips the tests that read it and says so in one line at the end of the run.
When the environment variable ``CI`` is set, a missing sample is a failure instead: CI always has it.
``EXPORTER_SAMPLE`` points the tests at another copy of the sample (or at nothing, to try the skip).

With ``CI`` set, Hypothesis runs derandomized without an example database (profile ``ci``): the same
examples on every run, whatever ``--hypothesis-seed`` says. ``.ci/run`` sets it.

The fast lane, ``./dev test --fast`` (``pytest -m "not slow"``), leaves out the tests marked ``slow``: those
that build an edition or start a program (the exporter command, Chromium, EPUBCheck, Ghostscript, MuPDF,
poppler, qpdf, Python itself). They are found here, not decorated one by one: a test is slow when its code,
its fixtures' or that of the suite's helpers they call reaches one of ``_SLOW``. A test left in the fast lane
that builds an edition or starts a program after all fails, naming what it did (``_FastLaneGuard``).
The same reading marks ``browser`` the tests that start Chromium (through ``tests/browser.py`` or Playwright's
``tests/playwright.py``, or naming the program), ``epubcheck`` those that run EPUBCheck and ``calibre`` those
that run calibre (through ``tests/calibre.py``, or naming ``ebook-convert`` or ``calibre-debug``); all three are
slow too.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from exporter import Issue, parse_file

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SAMPLE = ROOT.parent / "shared" / "samples" / "qingdao-daily-excerpt.md"
SAMPLE = Path(os.environ.get("EXPORTER_SAMPLE") or DEFAULT_SAMPLE)
EXAMPLES = ROOT / "examples"
EXAMPLE = EXAMPLES / "binhai-daily.md"
NUMBERS = EXAMPLES / "numbers-daily.md"
HK = EXAMPLES / "hk-daily.md"
EXPORTED = EXAMPLES / "exported-page.md"
TABLES = EXAMPLES / "tables-daily.md"
DENSE = EXAMPLES / "dongling-daily.md"

SAMPLE_FIXTURES = frozenset({"sample_path", "sample"})
# The skip reason every sample test carries; the closing summary counts the skips by it.
SKIP_REASON = "the newspaper's sample is not beside the clone"
CI_REASON = "CI must provide the newspaper's sample"

# CI tries the same examples on every run, whatever the seed: drawn from a hash of each test, with no
# example database to replay a failure from an earlier run on this machine (derandomize implies it;
# said here so that no later change of a parent profile brings one back).
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
if os.environ.get("CI"):
    # Loaded before any test module runs its settings(...), so those inherit it.
    settings.load_profile("ci")


def in_gb2312(char: str) -> bool:
    """Whether GB 2312 has ``char``: the shipped fonts hold its characters."""
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _missing() -> str:
    """Where the sample was looked for, as a user would type it from the clone."""
    if SAMPLE == DEFAULT_SAMPLE:
        return f"{os.path.relpath(SAMPLE, ROOT)} is not beside the clone"
    return f"EXPORTER_SAMPLE={SAMPLE} is not a file"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sample: the test reads the newspaper's sample from ../shared")
    config.addinivalue_line(
        "markers", "slow: the test builds an edition or starts a program; `./dev test --fast` leaves it out"
    )
    config.addinivalue_line(
        "markers", "browser: the test starts Chromium (tests/browser.py, tests/playwright.py); it is slow too"
    )
    config.addinivalue_line("markers", "epubcheck: the test runs EPUBCheck on a book; it is slow too")
    config.addinivalue_line("markers", "calibre: the test runs calibre on a book (tests/calibre.py); it is slow too")


# -- the fast lane ---------------------------------------------------------------------------------

# Names whose use makes a test slow, wherever they come from (imported at the top of a file or inside a
# function): modules that start programs or lay out pages, and the renderers of the editions.
_SLOW_NAMES = frozenset(
    {"subprocess", "weasyprint", "epubcheck", "EpubCheck", "render_html", "render_epub", "render_pdf"}
)


def _slow_objects() -> frozenset[object]:
    """What builds an edition: the pipeline, the batch's jobs and each edition's renderer."""
    from exporter.editions.epub import render_epub
    from exporter.editions.html import render_html
    from exporter.editions.pdf import render_pdf
    from exporter.pipeline import build, render, write, write_edition
    from exporter.pipeline.runner import build_many, run, run_job

    return frozenset(
        {build, render, write, write_edition, build_many, run, run_job, render_html, render_epub, render_pdf}
    )


@dataclass(frozen=True)
class _Reach:
    """What a test's code, its fixtures' or the suite's helpers they call must use to get a marker: a name
    (a module, a function), one of some objects, a function of one of the suite's helper modules, or a
    string constant naming a program (``subprocess.run(["chromium", …])``)."""

    names: frozenset[str] = frozenset()
    objects: frozenset[object] = frozenset()
    modules: frozenset[str] = frozenset()
    programs: frozenset[str] = frozenset()


# The programs a browser test starts, as tests/browser.py looks for them; calibre's, as tests/calibre.py does.
_BROWSERS = frozenset({"chromium", "chromium-browser", "google-chrome"})
_CALIBRE = frozenset({"ebook-convert", "calibre-debug"})


def _automatic_markers() -> dict[str, _Reach]:
    """Each automatic marker (but ``sample``, which goes by fixture) and what earns it."""
    return {
        "slow": _Reach(names=_SLOW_NAMES, objects=_slow_objects()),
        "browser": _Reach(modules=frozenset({"tests.browser", "tests.playwright"}), programs=_BROWSERS),
        "epubcheck": _Reach(names=frozenset({"epubcheck", "EpubCheck"})),
        "calibre": _Reach(modules=frozenset({"tests.calibre"}), programs=_CALIBRE),
    }


def _codes(code: types.CodeType) -> Iterator[types.CodeType]:
    """A function's code and the code of the lambdas, comprehensions and functions inside it."""
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


def _strings(consts: tuple[object, ...]) -> Iterator[str]:
    """The string constants of a code object, those inside constant tuples and sets included."""
    for const in consts:
        if isinstance(const, str):
            yield const
        elif isinstance(const, (tuple, frozenset)):
            yield from _strings(tuple(const))


def _reaches(func: Any, reach: _Reach, seen: set[int]) -> bool:
    """Whether ``func`` uses what ``reach`` names, itself or through the suite's own functions and classes."""
    func = inspect.unwrap(getattr(getattr(func, "hypothesis", None), "inner_test", func))
    if isinstance(func, type):  # a helper class: its methods
        return any(_reaches(f, reach, seen) for f in vars(func).values() if inspect.isfunction(f))
    if not inspect.isfunction(func) or id(func) in seen:
        return False
    seen.add(id(func))
    codes = list(_codes(func.__code__))
    names = {name for code in codes for name in code.co_names}
    if names & reach.names:
        return True
    if reach.programs and any(s in reach.programs for code in codes for s in _strings(code.co_consts)):
        return True
    for name in names:
        found = func.__globals__.get(name)
        targets = [getattr(found, n, None) for n in names] if isinstance(found, types.ModuleType) else [found]
        for target in targets:
            if any(target is s for s in reach.objects):
                return True
            module = getattr(target, "__module__", None) or ""
            if module in reach.modules:
                return True
            if module.startswith("tests.") and _reaches(target, reach, seen):
                return True
    return False


def _earns(item: pytest.Item, reach: _Reach, known: dict[int, bool]) -> bool:
    """Whether the test or one of its fixtures reaches what ``reach`` names (``slow``'s, or another marker's).
    ``known`` keeps the answer for each function already read, for the tests of one function and the fixtures
    many tests share."""

    def reaches(func: Any) -> bool:
        if id(func) not in known:
            known[id(func)] = _reaches(func, reach, set())
        return known[id(func)]

    if reaches(getattr(item, "function", None)):
        return True
    fixtures = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    return any(reaches(defs[-1].func) for defs in fixtures.values() if defs)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks every test that needs the sample, directly or through another fixture, as ``sample``; every
    test that builds an edition or starts a program as ``slow``; every test that starts Chromium as
    ``browser``, every one that runs EPUBCheck as ``epubcheck`` and every one that runs calibre as
    ``calibre``, and those as ``slow`` too."""
    reaches = _automatic_markers()
    known: dict[str, dict[int, bool]] = {marker: {} for marker in reaches}
    for item in items:
        if SAMPLE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.sample)
        for marker, reach in reaches.items():
            if not item.get_closest_marker(marker) and _earns(item, reach, known[marker]):
                item.add_marker(marker)
        if any(item.get_closest_marker(m) for m in ("browser", "epubcheck", "calibre")) and not (
            item.get_closest_marker("slow")
        ):
            item.add_marker(pytest.mark.slow)


class SlowInTheFastLane(BaseException):
    """A BaseException, so that no ``except Exception`` in the code under test takes it for its own."""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    with _FastLaneGuard(item):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    with _FastLaneGuard(item):
        yield


class _FastLaneGuard:
    """Around a test not marked slow: starting a program (but fc-list, the font lookup's) or building an
    edition stops it with a message to mark it."""

    def __init__(self, item: pytest.Item) -> None:
        self.item = item
        self.undo: list[tuple[object, str, object]] = []

    def _refuse(self, what: str) -> SlowInTheFastLane:
        return SlowInTheFastLane(
            f"{self.item.nodeid} {what} but is not marked slow: add what it uses to _SLOW_NAMES in tests/conftest.py, "
            "or mark it @pytest.mark.slow"
        )

    def _patch(self, owner: object, name: str, value: object) -> None:
        self.undo.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    def __enter__(self) -> None:
        if self.item.get_closest_marker("slow"):
            return
        guard = self
        popen = subprocess.Popen

        class Guarded(popen):  # type: ignore[misc, valid-type]
            def __init__(self, args: Any, *rest: Any, **options: Any) -> None:
                program = args[0] if isinstance(args, (list, tuple)) else str(args).split()[0]
                if Path(str(program)).name != "fc-list":
                    raise guard._refuse(f"starts {Path(str(program)).name}")
                super().__init__(args, *rest, **options)

        self._patch(subprocess, "Popen", Guarded)
        from exporter.editions import epub, html, pdf

        for module, name in ((html, "render_html"), (epub, "render_epub"), (pdf, "render_pdf")):

            def refuse(*_: object, _name: str = name, **__: object) -> None:
                raise guard._refuse(f"builds an edition ({_name})")

            self._patch(module, name, refuse)

    def __exit__(self, *_: object) -> None:
        for owner, name, value in reversed(self.undo):
            setattr(owner, name, value)
        self.undo.clear()


def _reports(reporter: pytest.TerminalReporter, outcome: str, needle: str) -> int:
    return sum(1 for report in reporter.stats.get(outcome, []) if needle in str(getattr(report, "longrepr", "")))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line for all the sample tests that did not run, instead of one line each."""
    skipped = _reports(terminalreporter, "skipped", SKIP_REASON)
    if skipped:
        terminalreporter.write_line(f"sample tests not run ({skipped}): {_missing()}", yellow=True)
    failed = _reports(terminalreporter, "error", CI_REASON)
    if failed:
        terminalreporter.write_line(f"sample tests failed ({failed}): {_missing()}, and CI must have it", red=True)


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The sample's path; skips the test when it is absent, or fails it when ``CI`` is set."""
    if not SAMPLE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{CI_REASON}: {_missing()}", pytrace=False)
        pytest.skip(f"{SKIP_REASON}: {_missing()}")
    return SAMPLE


@pytest.fixture(scope="session")
def sample(sample_path: Path) -> Issue:
    return parse_file(sample_path)


@pytest.fixture(scope="session")
def example() -> Issue:
    return parse_file(EXAMPLE)


@pytest.fixture(scope="session")
def numbers() -> Issue:
    """The project's example dense with numbers, quotes and Latin words (examples/numbers-daily.md)."""
    return parse_file(NUMBERS)


@pytest.fixture(scope="session")
def hk() -> Issue:
    """The project's Hong Kong example in traditional Chinese (examples/hk-daily.md)."""
    return parse_file(HK)


@pytest.fixture(scope="session")
def dense() -> Issue:
    """The dense example: eight 版 of one full day, most of them more than a page holds (examples/dongling-daily.md)."""
    return parse_file(DENSE)


@pytest.fixture(scope="session")
def exported() -> Issue:
    """The project's example as a printed page exports it, with its faults (examples/exported-page.md)."""
    return parse_file(EXPORTED)


# -- the e-edition --------------------------------------------------------------------------------------


def build_e_edition(issue: Path, out: Path, *args: str) -> Path:
    """The e-edition of ``issue`` built by the command a user runs (``build --format e-edition``); its folder."""

    done = subprocess.run(
        [sys.executable, "-m", "exporter", "build", str(issue), "--format", "e-edition", "--out", str(out), *args],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    folder = out / f"{issue.stem}-e"
    assert folder.is_dir(), done.stderr
    return folder


@pytest.fixture(scope="session")
def e_classic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's e-edition in the classic theme, built once for the e-edition's tests and its browser tests."""
    return build_e_edition(EXAMPLE, tmp_path_factory.mktemp("e-classic"))


@pytest.fixture(scope="session")
def e_vertical(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's e-edition in the vertical theme."""
    return build_e_edition(EXAMPLE, tmp_path_factory.mktemp("e-vertical"), "--theme", "vertical")
