"""Shared fixtures: the newspaper's sample (read from ../shared, skipped when absent) and the project's examples.

The sample is a newspaper's own text and is never copied into this repository: a clone without
``../shared`` beside it skips the tests that read it and says so in one line at the end of the run.
When the environment variable ``CI`` is set, a missing sample is a failure instead: CI always has it.
``EXPORTER_SAMPLE`` points the tests at another copy of the sample (or at nothing, to try the skip).

With ``CI`` set, Hypothesis runs derandomized without an example database (profile ``ci``): the same
examples on every run, whatever ``--hypothesis-seed`` says. ``.ci/run`` sets it.
"""

from __future__ import annotations

import os
from pathlib import Path

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


def _missing() -> str:
    """Where the sample was looked for, as a user would type it from the clone."""
    if SAMPLE == DEFAULT_SAMPLE:
        return f"{os.path.relpath(SAMPLE, ROOT)} is not beside the clone"
    return f"EXPORTER_SAMPLE={SAMPLE} is not a file"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sample: the test reads the newspaper's sample from ../shared")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks every test that needs the sample, directly or through another fixture, as ``sample``."""
    for item in items:
        if SAMPLE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.sample)


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
def exported() -> Issue:
    """The project's example as a printed page exports it, with its faults (examples/exported-page.md)."""
    return parse_file(EXPORTED)
