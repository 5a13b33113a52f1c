"""Times font coverage and the EPUB cover, the speed claims the tests used to make; run by hand.

    .venv/bin/python benchmarks/fonts_and_cover.py [--runs N] [ISSUE.md …]

The tests count the work that keeps these paths fast (tests/fontreads.py: each cmap read once per
process, each character looked up once, each Pillow font opened once per face and size); how long
the paths take depends on the machine and on what else runs on it, so it is measured here, not
asserted there. By default the issues are the sample (``../shared/samples``, read where it is, never
copied) and ``examples/exported-page.md``, the two the tests used.

For each issue, in a fresh process each time (the median of ``--runs``):

- coverage of the issue's lines against the body chain the tests use, the first call in the process
  (the cmaps read from the font files) and again (the median of 20 calls): the tests claimed < 0.25 s;
- the first classic and the first vertical cover of the process (fonts looked up, cmaps read), then
  the two again (the median of 5 pairs): the tests claimed < 2 s for the pair;
- the whole process that does the above, imports included;
- ``exporter check ISSUE``, the command that runs the coverage, as a user runs it.

Prints the machine, a Markdown table and the old claims with pass or fail, to paste into RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from run import cpu  # benchmarks/run.py: the scripts run from this folder

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SAMPLE = ROOT.parent / "shared" / "samples" / "qingdao-daily-excerpt.md"
EXAMPLE = ROOT / "examples" / "exported-page.md"
COVERAGE_CLAIM = 0.25
COVERS_CLAIM = 2.0

# One fresh process: coverage cold and warm, covers cold and warm; prints its times as JSON.
CHILD = """\
import json, statistics, sys, time
from pathlib import Path
from exporter import fonts, parse_file
from exporter.editions.epub.cover import render_cover
from exporter.theming import load

BODY = ["Exporter Serif SC", "Noto Serif CJK SC", "Noto Serif CJK TC", "Noto Serif CJK HK", "Noto Serif CJK JP"]
path = Path(sys.argv[1])
lines = list(enumerate(path.read_text(encoding="utf-8").splitlines(), start=1))
chain = fonts.resolve({"body": BODY})["body"]


def timed(action):
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


found = {"coverage_cold": timed(lambda: fonts.coverage(lines, chain))}
found["coverage_warm"] = statistics.median(timed(lambda: fonts.coverage(lines, chain)) for _ in range(20))
issue = parse_file(path)
classic, vertical = load("classic"), load("vertical")
found["cover_classic_cold"] = timed(lambda: render_cover(issue, classic))
found["cover_vertical_cold"] = timed(lambda: render_cover(issue, vertical))
found["covers_warm"] = statistics.median(
    timed(lambda: (render_cover(issue, classic), render_cover(issue, vertical))) for _ in range(5)
)
print(json.dumps(found))
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def secs(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def whole(command: list[str]) -> tuple[float, str]:
    """A fresh process's wall time and standard output; stops the benchmark if it fails."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=child_env(), cwd=ROOT)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):  # check exits 1 when the issue has errors, and still checks its fonts
        sys.exit(f"failed (exit {done.returncode}): {' '.join(command)}\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def measure(issue: Path, runs: int) -> dict[str, float]:
    """The medians over ``runs`` fresh processes of every figure of one issue."""
    samples: dict[str, list[float]] = {}
    for run in range(runs):
        log(f"{issue.name}: run {run + 1} of {runs}")
        seconds, out = whole([PYTHON, "-c", CHILD, str(issue)])
        for key, value in {**json.loads(out), "process": seconds}.items():
            samples.setdefault(key, []).append(value)
        seconds, _ = whole([PYTHON, "-m", "exporter", "check", str(issue)])
        samples.setdefault("check", []).append(seconds)
    return {key: statistics.median(values) for key, values in samples.items()}


def machine(load_before: float, load_after: float) -> str:
    return (
        f"Machine: {platform.node()}, {platform.machine()}, {os.cpu_count()} cores ({cpu()}), "
        f"Python {platform.python_version()}; load average (1 min) {load_before:.2f} at the start, "
        f"{load_after:.2f} at the end."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("issues", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per issue (default 5)")
    args = parser.parse_args()
    issues = args.issues or [p for p in (SAMPLE, EXAMPLE) if p.is_file()]
    load_before = os.getloadavg()[0]
    found = {issue: measure(issue.resolve(), args.runs) for issue in issues}
    print(machine(load_before, os.getloadavg()[0]))
    print(f"Median of {args.runs} fresh processes per issue.")
    print()
    print(
        "| issue | coverage, first | coverage, again | classic cover, first | vertical cover, first "
        "| both covers, again | the process | `exporter check` |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for issue, f in found.items():
        cells = [
            f["coverage_cold"],
            f["coverage_warm"],
            f["cover_classic_cold"],
            f["cover_vertical_cold"],
            f["covers_warm"],
            f["process"],
            f["check"],
        ]
        print(f"| {issue.name} | " + " | ".join(secs(c) for c in cells) + " |")
    print()
    print("The claims the tests made:")
    print()
    for issue, f in found.items():
        for what, value, claim in (
            ("coverage again", f["coverage_warm"], COVERAGE_CLAIM),
            ("both covers again", f["covers_warm"], COVERS_CLAIM),
        ):
            verdict = "pass" if value < claim else "FAIL"
            print(f"- {issue.name}, {what}: {secs(value)} (< {secs(claim)}): {verdict}")


if __name__ == "__main__":
    main()
