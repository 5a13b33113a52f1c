"""Golden files of the public JSON ``exporter.issue/1``: ``tests/golden/<example>.issue.json`` for every example.

Each file holds what ``exporter inspect --json examples/<example>.md`` prints when run in the repository's
root, byte for byte: the issue read by ``exporter.parse_file`` and written by ``exporter.serialize.to_json``
and ``json.dumps`` as the command does. The issue is read from its absolute path, and the repository's root
is taken out of every string (``source``), so a golden file is the same on every machine.

``python -m tests.golden`` names the files that differ from what the code writes now (exit status 1), and
``python -m tests.golden --refresh`` writes them anew: after a deliberate change of the schema's output,
read the diff of ``tests/golden/`` before committing it.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from exporter import parse_file
from exporter.serialize import to_json

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "tests" / "golden"
REFRESH = "python -m tests.golden --refresh"


def examples() -> list[Path]:
    """The project's example issues, ``examples/*.md``."""
    return sorted(EXAMPLES.glob("*.md"))


def golden_path(example: Path) -> Path:
    return GOLDEN / f"{example.stem}.issue.json"


def _relative(value: Any, root: str) -> Any:
    """``value`` with ``root`` and the separator after it taken out of every string: paths relative to the root."""
    if isinstance(value, str):
        return value.replace(root + os.sep, "")
    if isinstance(value, dict):
        return {k: _relative(v, root) for k, v in value.items()}
    if isinstance(value, list):
        return [_relative(v, root) for v in value]
    return value


def data(example: Path) -> dict[str, Any]:
    """The example as ``exporter.issue/1`` data, its paths relative to the repository's root."""
    relative: dict[str, Any] = _relative(to_json(parse_file(example)), str(ROOT))
    return relative


def render(example: Path) -> str:
    """The golden text of ``example``: as ``exporter inspect --json`` prints it (``typer.echo`` adds the newline)."""
    return json.dumps(data(example), ensure_ascii=False, indent=2, default=str) + "\n"


def diff(example: Path) -> str:
    """A unified diff from the golden file of ``example`` to what the code writes now; empty when they agree."""
    path = golden_path(example)
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            render(example).splitlines(keepends=True),
            fromfile=str(path.relative_to(ROOT)),
            tofile=f"exporter inspect --json {example.relative_to(ROOT)}",
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.golden", description=__doc__.split("\n\n")[0])
    parser.add_argument("--refresh", action="store_true", help="write every golden file anew")
    args = parser.parse_args(argv)
    stale = []
    named = {golden_path(example) for example in examples()}
    for orphan in sorted(set(GOLDEN.glob("*.issue.json")) - named):  # its example is gone
        if args.refresh:
            orphan.unlink()
            print(f"removed {orphan.relative_to(ROOT)}")
        else:
            stale.append(orphan)
            print(f"no example for {orphan.relative_to(ROOT)}", file=sys.stderr)
    for example in examples():
        path = golden_path(example)
        text = render(example)
        if path.is_file() and path.read_bytes() == text.encode("utf-8"):
            continue
        if args.refresh:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            print(f"wrote {path.relative_to(ROOT)}")
        else:
            stale.append(path)
            print(f"{'differs' if path.is_file() else 'missing'}: {path.relative_to(ROOT)}", file=sys.stderr)
    if stale:
        print(f"{len(stale)} golden file(s) differ; `{REFRESH}` writes them anew", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
