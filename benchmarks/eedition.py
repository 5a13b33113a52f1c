"""Times the e-edition beside the PDF it is drawn from, as whole processes, and measures what its folder holds.

Each issue is built with ``exporter build ISSUE --format pdf`` and ``--format e-edition`` as a user runs
them (a fresh process each, imports and all), interleaved, ``--runs`` times (the 8-版 example once unless
asked); the table gives the median and every run. Then the e-edition's folder is broken down: page
pictures by format, the per-版 PDFs, the whole PDF and EPUB, and the site itself (pages, CSS, fonts,
scripts, figures, icons).

    .venv/bin/python benchmarks/eedition.py [--runs N] [ISSUE.md…]

Without issues it takes the example, the 8-版 example and the sample when it is beside the clone.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXPORTER = ROOT / ".venv" / "bin" / "exporter"
SAMPLE = ROOT.parent / "shared" / "samples" / "qingdao-daily-excerpt.md"
DEFAULT = [ROOT / "examples" / "binhai-daily.md", ROOT / "examples" / "dongling-daily.md"]


def timed(issue: Path, fmt: str, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([str(EXPORTER), "build", str(issue), "--format", fmt, "--out", str(out), "--quiet"], check=True)
    return time.perf_counter() - start


def mib(size: int) -> str:
    return f"{size / 1024 / 1024:.2f} MiB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KiB"


def breakdown(folder: Path) -> dict[str, int]:
    parts: dict[str, int] = {}
    for file in folder.rglob("*"):
        if not file.is_file():
            continue
        name = file.relative_to(folder).as_posix()
        if name.startswith("pages/"):
            key = f"page pictures, {file.suffix[1:].upper()}"
        elif name.startswith("pdf/"):
            key = "per-版 PDFs"
        elif file.suffix in (".pdf", ".epub"):
            key = f"whole issue, {file.suffix[1:].upper()}"
        elif name.startswith("fonts/"):
            key = "fonts (WOFF2 subsets)"
        else:
            key = "pages, CSS, scripts, figures, icons"
        parts[key] = parts.get(key, 0) + file.stat().st_size
    return parts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("issues", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    issues = args.issues or DEFAULT + ([SAMPLE] if SAMPLE.is_file() else [])
    print(f"machine: {platform.machine()}, {platform.system()}, Python {platform.python_version()}, ", end="")
    print(f"{len(__import__('os').sched_getaffinity(0))} cores")
    with tempfile.TemporaryDirectory(prefix="exporter-bench-") as scratch:
        out = Path(scratch)
        print("\n| issue | PDF (s) | e-edition (s) | e-edition ÷ PDF | e-edition folder |")
        print("|---|---|---|---|---|")
        sizes = {}
        for issue in issues:
            runs = 1 if "dongling" in issue.name and not args.issues else args.runs
            pdf, e = [], []
            for _ in range(runs):
                pdf.append(timed(issue, "pdf", out))
                e.append(timed(issue, "e-edition", out))
            folder = out / f"{issue.stem}-e"
            sizes[issue.stem] = breakdown(folder)
            total = sum(sizes[issue.stem].values())
            p, q = statistics.median(pdf), statistics.median(e)
            each = lambda xs: " / ".join(f"{x:.1f}" for x in xs)  # noqa: E731
            print(f"| {issue.name} | {p:.1f} ({each(pdf)}) | {q:.1f} ({each(e)}) | {q / p:.2f}× | {mib(total)} |")
        for stem, parts in sizes.items():
            print(f"\n{stem}-e:\n")
            print("| part | size |\n|---|---|")
            for key, size in sorted(parts.items(), key=lambda kv: -kv[1]):
                print(f"| {key} | {mib(size)} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
