"""The public JSON ``exporter.issue/1`` of every example equals its golden file, and keeps its documented names.

The golden files (``tests/golden/``, written by ``python -m tests.golden --refresh``) pin every value the
schema carries for the examples; the names below are written out by hand from ``exporter/serialize.py``, so a
renamed key fails here even after the golden files were written anew.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests import golden

EXAMPLES = golden.examples()

# The public names of exporter.issue/1, as exporter/serialize.py writes them.
TOP = {"schema", "source", "masthead", "sections", "diagnostics"}
MASTHEAD = {
    "title",
    "date",
    "weekday",
    "lunar_date",
    "number",
    "edition",
    "publisher",
    "language",
    "identifier",
    "editor",
    "theme",
    "inferred",
    "extra",
}
SECTION = {"title", "page", "line", "articles"}
ARTICLE = {
    "id",
    "kicker",
    "headline",
    "headline_lines",
    "subtitle",
    "level",
    "bylines",
    "dateline",
    "blocks",
    "truncated",
    "line",
}
BYLINE = {"raw", "outlet", "credits", "place", "report", "line"}
DATELINE = {"raw", "source", "place", "month", "day", "kind", "credits", "line"}
DIAGNOSTIC = {"code", "severity", "line", "message"}
# Each block type and its keys; a paragraph joined from cut lines has "joined" as well.
BLOCKS = {
    "paragraph": {"type", "text", "spans", "line"},
    "subhead": {"type", "text", "level", "spans", "line"},
    "quote": {"type", "text", "paragraphs", "line"},
    "figure": {"type", "text", "src", "title", "credit", "credits", "spans", "line"},
    "editors_note": {"type", "text", "label", "spans", "line"},
    "list": {"type", "text", "ordered", "items", "line"},
    "table": {"type", "text", "head", "rows", "align", "row_lines", "line"},
    "code": {"type", "text", "info", "line"},
}
OPTIONAL = {"paragraph": {"joined"}}


def test_every_example_has_a_golden_file_and_every_golden_file_an_example() -> None:
    assert len(EXAMPLES) == 8
    assert sorted(golden.GOLDEN.glob("*.issue.json")) == [golden.golden_path(e) for e in EXAMPLES]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_json_of_each_example_is_its_golden_file(example: Path) -> None:
    path = golden.golden_path(example)
    want = path.read_bytes()
    got = golden.render(example).encode("utf-8")
    if got != want:
        pytest.fail(
            f"the exporter.issue/1 JSON of {example.name} is not {path.relative_to(golden.ROOT)}:\n"
            f"{golden.diff(example)}\n"
            f"If the change is meant, write the golden files anew with `{golden.REFRESH}` "
            "and read their diff before committing it.",
            pytrace=False,
        )


def test_the_golden_file_is_what_the_inspect_command_prints_byte_for_byte() -> None:
    """The real command, run in the repository's root on a path relative to it, as the golden files are written."""
    example = golden.EXAMPLES / "binhai-daily.md"
    command = Path(sys.executable).with_name("exporter")
    assert command.is_file(), f"no exporter command beside {sys.executable}: run ./dev setup"
    done = subprocess.run(
        [str(command), "inspect", "--json", str(example.relative_to(golden.ROOT))],
        cwd=golden.ROOT,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert done.stdout == golden.golden_path(example).read_bytes()


def _blocks(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for s in data["sections"] for a in s["articles"] for b in a["blocks"]]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_json_has_exactly_the_documented_keys(example: Path) -> None:
    data = golden.data(example)
    assert set(data) == TOP
    assert data["schema"] == "exporter.issue/1"
    assert set(data["masthead"]) == MASTHEAD
    assert data["sections"] and data["diagnostics"] is not None
    for section in data["sections"]:
        assert set(section) == SECTION
        for article in section["articles"]:
            assert set(article) == ARTICLE
            for byline in article["bylines"]:
                assert set(byline) == BYLINE
            if article["dateline"] is not None:
                assert set(article["dateline"]) == DATELINE
    for diagnostic in data["diagnostics"]:
        assert set(diagnostic) == DIAGNOSTIC
    for block in _blocks(data):
        assert block["type"] in BLOCKS, f"block type {block['type']!r} is not one of {sorted(BLOCKS)}"
        keys = set(block)
        assert BLOCKS[block["type"]] <= keys <= BLOCKS[block["type"]] | OPTIONAL.get(block["type"], set()), block


def test_the_examples_together_have_every_block_type_and_no_other() -> None:
    """So that the key check above reads every type at least once."""
    assert {b["type"] for example in EXAMPLES for b in _blocks(golden.data(example))} == set(BLOCKS)
