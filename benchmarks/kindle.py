"""Times the Kindle edition beside the EPUB, as whole processes, with calibre converting the same EPUB as reference.

For each issue, in one run and alternating, each measured ``--runs`` times (median, seconds):

- ``exporter build ISSUE -f epub`` and ``exporter build ISSUE -f azw3``, fresh processes with a warm
  font cache (what a desk's nightly build pays);
- ``ebook-convert BOOK.epub BOOK.azw3`` on the very EPUB exporter wrote: calibre alone, what the AZW3
  costs over the EPUB when a user converts by hand;

and the sizes of the EPUB and the AZW3.

    .venv/bin/python benchmarks/kindle.py [--runs 5] [ISSUE.md…]
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
DEFAULT = [ROOT / "examples" / "binhai-daily.md", ROOT / "examples" / "hk-daily.md"]
SAMPLE = ROOT.parent / "shared" / "samples" / "qingdao-daily-excerpt.md"
CALIBRE = {"QT_QPA_PLATFORM": "offscreen", "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox"}


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("issues", nargs="*", type=Path)
    args = parser.parse_args()
    issues = args.issues or [*DEFAULT, *([SAMPLE] if SAMPLE.is_file() else [])]
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {args.runs} runs each, medians")
    print("| issue | EPUB | AZW3 | exporter -f epub | exporter -f azw3 | ebook-convert alone |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="exporter-kindle-bench-") as folder:
        work = Path(folder)
        env = {
            **os.environ,
            **CALIBRE,
            "EXPORTER_CACHE_DIR": str(work / "cache"),
            "CALIBRE_CONFIG_DIRECTORY": str(work / "calibre"),
        }
        for issue in issues:
            out = work / issue.stem
            build = [sys.executable, "-m", "exporter", "build", str(issue), "-o", str(out), "-f"]
            subprocess.run([*build, "epub,azw3"], check=True, capture_output=True, env=env)  # fills the font cache
            epub, azw3 = out / f"{issue.stem}.epub", out / f"{issue.stem}.azw3"
            times: dict[str, list[float]] = {"epub": [], "azw3": [], "calibre": []}
            for _ in range(args.runs):
                times["epub"].append(timed([*build, "epub"], env))
                times["azw3"].append(timed([*build, "azw3"], env))
                times["calibre"].append(timed(["ebook-convert", str(epub), str(work / "by-hand.azw3")], env))
            median = {k: statistics.median(v) for k, v in times.items()}
            print(
                f"| {issue.name} | {epub.stat().st_size / 1024:.0f} KiB | {azw3.stat().st_size / 1024:.0f} KiB "
                f"| {median['epub']:.2f} s | {median['azw3']:.2f} s | {median['calibre']:.2f} s |"
            )


if __name__ == "__main__":
    main()
