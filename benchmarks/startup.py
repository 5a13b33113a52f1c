"""Times exporter's fixed costs, each command a whole process as a user starts it; run by hand.

    .venv/bin/python benchmarks/startup.py [--runs N] [--root CHECKOUT]

Each row is the median of ``--runs`` fresh processes (default 9) of one command, with the fastest
run and the median peak memory (the child's max RSS, as GNU time's ``%M`` tells it):

- for reference, ``python -c pass`` and ``python -c "import weasyprint"``;
- ``exporter --help``;
- ``exporter check`` of examples/binhai-daily.md and examples/dongling-daily.md, with the cache folder
  filled by a check before (as every check after a machine's first finds it) and with an empty one
  each time (the first check on a machine, or after a font changes);
- ``exporter build --format epub`` of examples/binhai-daily.md, with the cache folder filled.

Then the font check alone (``exporter.pipeline.font_findings``, the step of ``check`` and of every
build that looks the fonts up and reads the code points of their faces), in a fresh process: its time
and how much it grows the process's peak memory, with the cache folder filled and empty.

The cache folder is a temporary one (``EXPORTER_CACHE_DIR``), so the user's is neither read nor
changed. ``--root`` times another checkout of exporter (``--root ../main``, say: the figures before a
change), its modules first on the path. Prints the machine and Markdown tables, to paste into
benchmarks/RESULTS.md; progress goes to stderr. It is not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from run import cpu  # benchmarks/run.py: the scripts run from this folder

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
TIME = shutil.which("time", path="/usr/bin:/bin")  # GNU time: a child's own peak memory
ISSUES = ("binhai-daily.md", "dongling-daily.md")

# The font check alone, in a fresh process: its time and the growth of the process's peak memory, as JSON.
CHILD_FONTS = """\
import json, resource, sys, time
from pathlib import Path
from exporter.parser import parse_file
from exporter.pipeline import font_findings, load_theme

issue = parse_file(Path(sys.argv[1]))
theme = load_theme(issue, None)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
font_findings(issue, theme)
seconds = time.perf_counter() - start
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"seconds": seconds, "grown_kib": grown // 1024 if sys.platform == "darwin" else grown}))
"""


@dataclass(frozen=True)
class Timing:
    """The runs of one command: wall times in seconds and peak memories in KiB."""

    seconds: list[float]
    rss_kib: list[int]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def fastest(self) -> float:
        return min(self.seconds)

    @property
    def rss_mib(self) -> float:
        return statistics.median(self.rss_kib) / 1024


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def secs(value: float) -> str:
    return f"{value:.3f} s"


def child_env(root: Path, cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH", "")) if p)
    env["EXPORTER_CACHE_DIR"] = str(cache)
    return env


def run_child(command: Sequence[str], env: dict[str, str], cwd: Path) -> tuple[float, int, str]:
    """One fresh process: its wall time, peak RSS in KiB and standard output; stops the benchmark if it fails.

    The peak is GNU time's (``/usr/bin/time``) where there is one: a child forked from this process
    (``os.wait4``) counts this process's memory in its own peak, tens of MiB that a shell's child has not.
    """
    with tempfile.TemporaryDirectory(prefix="exporter-run.") as folder:
        peak_file = Path(folder) / "peak"
        wrapped = [TIME, "-f", "%M", "-o", str(peak_file), *command] if TIME else list(command)
        start = time.perf_counter()
        child = subprocess.Popen(wrapped, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd)
        out, err = child.communicate()
        seconds = time.perf_counter() - start
        if child.returncode not in (0, 1):  # check exits 1 when an issue has errors, and still checks its fonts
            sys.exit(f"failed (exit {child.returncode}): {' '.join(command)}\n{err.decode()[-2000:]}")
        rss = int(peak_file.read_text().split()[-1]) if TIME else 0
    return seconds, rss, out.decode()


def timed(what: str, command: Sequence[str], runs: int, root: Path, cache: Path | None) -> Timing:
    """``runs`` fresh processes of ``command``; ``cache`` the cache folder they share, or None for an empty one each."""
    seconds: list[float] = []
    rss: list[int] = []
    for run in range(runs):
        log(f"{what}: run {run + 1} of {runs}")
        folder = cache or Path(tempfile.mkdtemp(prefix="exporter-cache."))
        try:
            took, peak, _ = run_child(command, child_env(root, folder), root)
        finally:
            if cache is None:
                shutil.rmtree(folder, ignore_errors=True)
        seconds.append(took)
        rss.append(peak)
    return Timing(seconds, rss)


def font_step(issue: Path, runs: int, root: Path, cache: Path | None) -> tuple[float, float]:
    """The font check of ``issue`` in ``runs`` fresh processes: median seconds and median peak growth in MiB."""
    seconds: list[float] = []
    grown: list[float] = []
    for _ in range(runs):
        folder = cache or Path(tempfile.mkdtemp(prefix="exporter-cache."))
        try:
            _, _, out = run_child([PYTHON, "-c", CHILD_FONTS, str(issue)], child_env(root, folder), root)
        finally:
            if cache is None:
                shutil.rmtree(folder, ignore_errors=True)
        found = json.loads(out)
        seconds.append(found["seconds"])
        grown.append(found["grown_kib"] / 1024)
    return statistics.median(seconds), statistics.median(grown)


def machine(root: Path, load_before: float, load_after: float) -> str:
    head = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%h %s"], capture_output=True, text=True)
    bytecode = "compiled at each start (PYTHONDONTWRITEBYTECODE)" if sys.dont_write_bytecode else "cached"
    return (
        f"Machine: {platform.node()}, {platform.machine()}, {os.cpu_count()} cores ({cpu()}), "
        f"Python {platform.python_version()}; load average (1 min) {load_before:.2f} at the start, "
        f"{load_after:.2f} at the end. Checkout: {root} ({head.stdout.strip()[:72] or 'not a git checkout'}); "
        f"exporter's bytecode {bytecode}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="fresh processes per command (default 9)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the exporter checkout to time (default: this one)")
    args = parser.parse_args()
    root: Path = args.root.resolve()
    examples = [root / "examples" / name for name in ISSUES]
    exporter = [PYTHON, "-m", "exporter"]
    load_before = os.getloadavg()[0]
    rows: list[tuple[str, Timing]] = []
    fonts: list[tuple[str, float, float, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="exporter-startup.") as scratch:
        warm = Path(scratch) / "cache"
        out = Path(scratch) / "out"
        for issue in examples:  # fill the cache folder: the code points of the faces, the EPUB's subsets
            run_child([*exporter, "check", str(issue)], child_env(root, warm), root)
        run_child([*exporter, "build", str(examples[0]), "-f", "epub", "-o", str(out)], child_env(root, warm), root)

        def row(what: str, command: Sequence[str], cache: Path | None = warm) -> None:
            rows.append((what, timed(what, command, args.runs, root, cache)))

        row("`python -c pass`", [PYTHON, "-c", "pass"])
        row('`python -c "import weasyprint"`', [PYTHON, "-c", "import weasyprint"])
        row("`exporter --help`", [*exporter, "--help"])
        for issue in examples:
            row(f"`exporter check {issue.name}`", [*exporter, "check", str(issue)])
            row(f"`exporter check {issue.name}`, empty cache folder", [*exporter, "check", str(issue)], None)
        epub = [*exporter, "build", str(examples[0]), "-f", "epub", "-o", str(out)]
        row(f"`exporter build -f epub {examples[0].name}`", epub)
        for issue in examples:
            log(f"font check of {issue.name}")
            filled = font_step(issue, args.runs, root, warm)
            empty = font_step(issue, args.runs, root, None)
            fonts.append((issue.name, *filled, *empty))
    print(machine(root, load_before, os.getloadavg()[0]))
    print(f"Median of {args.runs} fresh processes per row.")
    print()
    print("| command | median | fastest | peak memory (median) |")
    print("|---|---:|---:|---:|")
    for what, timing in rows:
        print(f"| {what} | {secs(timing.median)} | {secs(timing.fastest)} | {timing.rss_mib:.0f} MiB |")
    print()
    print("The font check alone (`exporter.pipeline.font_findings`), the first in a fresh process:")
    print()
    print("| issue | time, cache filled | peak memory grown | time, cache empty | peak memory grown |")
    print("|---|---:|---:|---:|---:|")
    for name, filled_s, filled_mib, empty_s, empty_mib in fonts:
        print(f"| {name} | {secs(filled_s)} | {filled_mib:.1f} MiB | {secs(empty_s)} | {empty_mib:.1f} MiB |")


if __name__ == "__main__":
    main()
