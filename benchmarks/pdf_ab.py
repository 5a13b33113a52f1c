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

"WeasyPrint alone" is a fresh process that imports WeasyPrint and lays out the very HTML, CSS and
fonts the current checkout hands it for the same issue and theme (no tags, no CJK justification,
no glyph check, no page turn): the floor any tool built on WeasyPrint pays.
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

ROOT = Path(__file__).resolve().parents[1]
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

RECORD = """
import json, sys
from pathlib import Path
import weasyprint
from exporter.pipeline import build
calls = []
real_html, real_css = weasyprint.HTML, weasyprint.CSS
def html(*a, **k):
    calls.append({"class": "HTML", **{x: y for x, y in k.items() if isinstance(y, str)}})
    return real_html(*a, **k)
def css(*a, **k):
    calls.append({"class": "CSS", **{x: y for x, y in k.items() if isinstance(y, str)}})
    return real_css(*a, **k)
weasyprint.HTML, weasyprint.CSS = html, css
build(Path(sys.argv[1]), ["pdf"], theme=sys.argv[2], out=Path(sys.argv[3]), cache_dir=Path(sys.argv[4]))
Path(sys.argv[5]).write_text(json.dumps(calls), encoding="utf-8")
"""

ALONE = """
import json, sys
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
calls = json.loads(open(sys.argv[1], encoding="utf-8").read())
html = next(c for c in calls if c["class"] == "HTML" and "string" in c)
css = next(c for c in calls if c["class"] == "CSS" and "string" in c)
fonts = FontConfiguration()
sheet = CSS(string=css["string"], base_url=css.get("base_url"), font_config=fonts)
document = HTML(string=html["string"], base_url=html.get("base_url"))
document.write_pdf(sys.argv[2], stylesheets=[sheet], font_config=fonts)
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
                    calls = work / f"calls-{issue.stem}-{theme}.json"
                    subprocess.run(
                        [
                            PYTHON,
                            "-c",
                            RECORD,
                            str(issue),
                            theme,
                            str(work / "rec"),
                            str(work / f"cache-{ROOT.name}-{theme}"),
                            str(calls),
                        ],
                        env=env_for(ROOT, work / f"cache-{ROOT.name}-{theme}"),
                        check=True,
                        capture_output=True,
                    )
                    alone: list[float] = []
                    for _ in range(args.runs):
                        for name, (command, env) in commands.items():
                            times[name].append(run(command, env, work))
                        alone.append(
                            run([PYTHON, "-c", ALONE, str(calls), str(work / "alone.pdf")], dict(os.environ), work)
                        )
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
