"""Measures the sample's editions (time, size) beside pandoc in the same run; run by hand, not a test.

    .venv/bin/python benchmarks/run.py [ISSUE.md]

Prints a Markdown table and the machine it ran on; paste it into benchmarks/RESULTS.md.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "samples" / "qingdao-daily-excerpt.md"
NOTO = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


def timed(action: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pdf_rows(source: Path, work: Path) -> list[tuple[str, str, str]]:
    """The print edition beside WeasyPrint alone on the same HTML, CSS and fonts, in the same run."""
    from weasyprint import CSS, HTML

    from exporter import parse_file, themes
    from exporter.pipeline import build
    from exporter.render import fontuse, webfonts
    from exporter.render.pdf import render_html

    cache = work / "cache-pdf"
    out = work / "out-pdf"
    cold = timed(lambda: build(source, ["pdf"], out=out, cache_dir=cache), runs=1)
    ours = timed(lambda: build(source, ["pdf"], out=out, cache_dir=cache), runs=5)
    issue = parse_file(source)
    theme = themes.load("classic")
    document, css = render_html(issue, theme, source_dir=source.parent, override=None, bleed=False)
    usage = fontuse.characters([document], css)
    fontset = webfonts.embed(theme, usage, issue.masthead.language, flavor=None, href_prefix=None, cache_dir=cache)
    sheet = fontset.css + "\n" + css
    alone = timed(lambda: HTML(string=document).write_pdf(stylesheets=[CSS(string=sheet)]), runs=5)
    size = (out / f"{source.stem}.pdf").stat().st_size
    vout = work / "out-vpdf"
    vcold = timed(lambda: build(source, ["pdf"], theme="vertical", out=vout, cache_dir=cache), runs=1)
    vwarm = timed(lambda: build(source, ["pdf"], theme="vertical", out=vout, cache_dir=cache), runs=5)
    vsize = (vout / f"{source.stem}.pdf").stat().st_size
    return [
        ("exporter pdf (vertical), cold cache", f"{vcold:.2f} s", f"{vsize / 1024:.0f} KiB"),
        ("exporter pdf (vertical), warm cache", f"{vwarm:.2f} s", f"{vsize / 1024:.0f} KiB"),
        ("  vertical over horizontal, warm", f"{vwarm / ours:.2f}x", ""),
        ("exporter pdf (classic), cold cache", f"{cold:.2f} s", f"{size / 1024:.0f} KiB"),
        ("exporter pdf (classic), warm cache", f"{ours:.2f} s", f"{size / 1024:.0f} KiB"),
        ("WeasyPrint alone, same HTML, CSS and fonts", f"{alone:.2f} s", ""),
        ("  exporter's overhead over WeasyPrint", f"{(ours - alone) / alone:+.0%}", ""),
    ]


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from exporter.pipeline import build

    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for fmt, theme in (("epub", "classic"), ("epub", "vertical"), ("html", "classic")):
            cache = work / f"cache-{fmt}-{theme}"
            out = work / f"out-{fmt}-{theme}"

            def once(fmt: str = fmt, theme: str = theme, out: Path = out, cache: Path = cache) -> object:
                return build(source, [fmt], theme=theme, out=out, cache_dir=cache)

            cold = timed(once, runs=1)
            warm = timed(once)
            target = out / (f"{source.stem}.epub" if fmt == "epub" else source.stem)
            size = (
                target.stat().st_size
                if target.is_file()
                else sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
            )
            rows.append((f"exporter {fmt} ({theme}), cold cache", f"{cold:.2f} s", f"{size / 1024:.0f} KiB"))
            rows.append((f"exporter {fmt} ({theme}), warm cache", f"{warm:.2f} s", f"{size / 1024:.0f} KiB"))
            if fmt == "epub":
                with zipfile.ZipFile(target) as z:
                    fonts = sum(i.compress_size for i in z.infolist() if i.filename.startswith("EPUB/fonts/"))
                rows.append((f"  of which fonts ({theme})", "", f"{fonts / 1024:.0f} KiB"))
        rows += pdf_rows(source, work)
        pandoc = shutil.which("pandoc")
        if pandoc:
            plain = work / "pandoc.epub"
            t = timed(lambda: subprocess.run([pandoc, str(source), "-o", str(plain)], check=True, capture_output=True))
            rows.append(("pandoc epub, no font embedded", f"{t:.2f} s", f"{plain.stat().st_size / 1024:.0f} KiB"))
            if NOTO.is_file():
                font = work / "NotoSerifCJKsc-Regular.otf"
                from fontTools.ttLib import TTCollection

                collection = TTCollection(str(NOTO))
                face = next(f for f in collection.fonts if "SC" in f["name"].getDebugName(4))
                face.save(str(font))
                embedded = work / "pandoc-font.epub"
                t = timed(
                    lambda: subprocess.run(
                        [pandoc, str(source), "-o", str(embedded), f"--epub-embed-font={font}"],
                        check=True,
                        capture_output=True,
                    )
                )
                rows.append(
                    (
                        "pandoc epub, whole Noto Serif CJK SC embedded",
                        f"{t:.2f} s",
                        f"{embedded.stat().st_size / 1024:.0f} KiB",
                    )
                )
        else:
            rows.append(("pandoc", "not installed", ""))
    node, arch, cores = platform.node(), platform.machine(), os.cpu_count()
    print(f"Input: {source.name}; machine: {node}, {arch}, {cores} cores, Python {platform.python_version()}")
    print()
    print("| what | time (median) | size |")
    print("|---|---:|---:|")
    for row in rows:
        print(f"| {row[0]} | {row[1]} | {row[2]} |")


if __name__ == "__main__":
    main()
