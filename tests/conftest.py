"""Shared fixtures: the newspaper's sample (read from ../shared) and the project's example."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter import Issue, parse_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "samples" / "qingdao-daily-excerpt.md"
EXAMPLE = ROOT / "examples" / "binhai-daily.md"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    assert SAMPLE.is_file(), f"the sample issue is expected at {SAMPLE} (../shared beside the clone)"
    return SAMPLE


@pytest.fixture(scope="session")
def sample(sample_path: Path) -> Issue:
    return parse_file(sample_path)


@pytest.fixture(scope="session")
def example() -> Issue:
    return parse_file(EXAMPLE)
