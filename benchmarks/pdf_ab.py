"""Times PDF builds of two revisions of exporter side by side, as whole processes, with WeasyPrint alone beside them.

Run by hand from the checkout, after ``./dev setup``::

    .venv/bin/python benchmarks/pdf_ab.py [--before REV] [--runs N] [ISSUE.md …]

``REV`` (default ``HEAD~1``) is checked out with ``git worktree`` into a temporary folder and
run with this checkout's virtual environment, its own package first on the path (the editable
install's import hook set aside, for both revisions alike). Each build is ``exporter build ISSUE
--format pdf --theme T`` in a fresh process, the way a user runs it, with a font cache of its own
per revision, filled by one untimed build first (warm cache: the nightly rebuild of an issue, and
the steady state of a batch). The runs of the two revisions are
interleaved, so that a busy moment of the machine falls on both, and the median is shown.

"WeasyPrint alone" is ``python -m weasyprint`` in a fresh process on the print document the current
checkout makes of the same issue and theme, recorded as benchmarks/speed.py records it: the whole
issue made up as one HTML with its CSS and fonts, as a folder (no tags, no CJK justification, no
glyph check, no page turn, no 版 laid out apart): the floor any tool built on WeasyPrint pays.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
SAMPLE = ROOT.parent / "shared" / "samples" / "qingdao-daily-excerpt.md"

# Runs ``exporter`` from the checkout named first: an editable install's import hook would
# otherwise load this checkout's package whatever PYTHONPATH says.
BOOT = """
import runpy, sys
tree = sys.argv[1]
def hook(finder):
    return str(getattr(finder, "__module__", type(finder).__module__)).startswith("__editable__")
sys.meta_path[:] = [f for f in sys.meta_path if not hook(f)]
sys.path.insert(0, tree)
sys.argv = ["exporter", *sys.argv[2:]]
runpy.run_module("exporter", run_name="__main__", alter_sys=True)
"""


def run(command: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.stderr[-800:]}")
    return seconds


def env_for(tree: Path, cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree)
    env["EXPORTER_CACHE_DIR"] = str(cache)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="HEAD~1")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("issues", nargs="*", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import speed  # the print document's recording (speed imports BOOT from here: imported when run)

    issues = [p.resolve() for p in args.issues] or [
        p for p in (SAMPLE, ROOT / "examples" / "numbers-daily.md") if p.is_file()
    ]
    with tempfile.TemporaryDirectory(prefix="pdf-ab-") as scratch:
        work = Path(scratch)
        before = work / "before"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(before), args.before], cwd=ROOT, check=True, capture_output=True
        )
        try:
            rev = subprocess.run(
                ["git", "rev-parse", "--short", args.before], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout.strip()
            trees = {f"before ({rev})": before, "after (this checkout)": ROOT}
            load = os.getloadavg()[0]
            python = sys.version.split()[0]
            print(f"machine: {os.cpu_count()} cores, Python {python}; load average {load:.2f} at the start")
            print()
            print("| issue | theme | " + " | ".join(trees) + " | WeasyPrint alone | after / alone |")
            print("|---|---|" + "---:|" * (len(trees) + 2))
            for issue in issues:
                for theme in ("classic", "vertical"):
                    times: dict[str, list[float]] = {name: [] for name in trees}
                    commands = {}
                    for name, tree in trees.items():
                        cache = work / f"cache-{tree.name}-{theme}"
                        out = work / f"out-{tree.name}"
                        command = [
                            PYTHON,
                            "-c",
                            BOOT,
                            str(tree),
                            "build",
                            str(issue),
                            "--format",
                            "pdf",
                            "--theme",
                            theme,
                            "--out",
                            str(out),
                            "--quiet",
                        ]
                        run(command, env_for(tree, cache), work)  # untimed: fills the font cache
                        commands[name] = (command, env_for(tree, cache))
                    # The print document of this checkout, recorded in one process (--jobs 1) as speed.py does.
                    folder = work / f"document-{issue.stem}-{theme}"
                    record = [PYTHON, "-c", speed.RECORD, str(ROOT), str(HERE), str(folder), "build", str(issue)]
                    record += ["-f", "pdf", "--theme", theme, "-j", "1", "--out", str(work / "rec"), "--quiet"]
                    subprocess.run(
                        record,
                        env=env_for(ROOT, work / f"cache-{ROOT.name}-{theme}"),
                        cwd=work,
                        check=True,
                        capture_output=True,
                    )
                    weasyprint = [PYTHON, "-m", "weasyprint", str(folder / "index.html"), str(work / "alone.pdf")]
                    alone: list[float] = []
                    for _ in range(args.runs):
                        for name, (command, env) in commands.items():
                            times[name].append(run(command, env, work))
                        alone.append(run(weasyprint, dict(os.environ), work))
                    medians = [statistics.median(times[name]) for name in trees]
                    floor = statistics.median(alone)
                    cells = " | ".join(f"{m:.2f} s" for m in medians)
                    print(f"| {issue.name} | {theme} | {cells} | {floor:.2f} s | {medians[-1] / floor:.2f}× |")
            print()
            print(f"load average {os.getloadavg()[0]:.2f} at the end; medians of {args.runs} runs, warm font cache")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=ROOT, capture_output=True)


if __name__ == "__main__":
    main()
