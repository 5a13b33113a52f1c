"""Measures the editions' time, peak memory and size, beside pandoc and WeasyPrint, at scale and in batch; run by hand.

    .venv/bin/python benchmarks/run.py [ISSUE.md]

One command prints the machine it ran on, a Markdown table and the targets, each a ratio from this
run with pass or fail; paste them into benchmarks/RESULTS.md. It is not a test. Progress goes to
stderr. The input (the sample by default) is read, never copied into the project: the scaled
issues and the batch's variants are written to a temporary folder.

- The input's editions (EPUB, vertical EPUB, HTML, PDF, vertical PDF): "cold" is a fresh process
  with an empty font cache, imports included; "warm" is the median of builds in this process with
  the font cache filled. Peak memory (max RSS) is always that of a fresh child process that makes
  one build, since this process's RSS only grows.
- pandoc's EPUB without a font and with the whole Noto Serif CJK SC embedded, and WeasyPrint alone
  laying out the very HTML, CSS and subset fonts exporter hands it, in the same run.
- Scaling: the input repeated 10 and 50 times (distinct headlines), warm cache.
- Batch: 20 distinct variants built by the command line with --jobs 1 and --jobs 2, warm cache,
  beside what two processes gain on this machine at the time (a busy machine gains less).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "samples" / "qingdao-daily-excerpt.md"
NOTO = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
PYTHON = sys.executable
SCALES = (1, 10, 50)
BATCH_ISSUES = 20
STARTED = time.perf_counter()

# One build in a fresh process: its peak memory is the process's max RSS.
CHILD_BUILD = """\
import sys
from pathlib import Path
from exporter.pipeline import build
source, formats, theme, out, cache = sys.argv[1:6]
build(Path(source), formats.split(","), theme=theme, out=Path(out), cache_dir=Path(cache))
"""
# Runs a command and prints its wall time, peak RSS in KiB (bytes on macOS) and exit status.
WRAPPER = """\
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
rss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
print(time.perf_counter() - start, rss, os.waitstatus_to_exitcode(status))
"""
# A pure-Python loop of about a second: how much two processes at once gain on this machine now.
SPIN = "total = 0\nfor i in range(15_000_000):\n    total += i\n"
# What a build process holds before it builds anything.
CHILD_IMPORTS = """\
import exporter.pipeline, exporter.parser, exporter.editions.epub, exporter.editions.html, weasyprint
import exporter.editions.pdf
"""


@dataclass(frozen=True)
class Row:
    """One line of the table; empty cells stay empty."""

    what: str
    time: str = ""
    memory: str = ""
    size: str = ""


@dataclass(frozen=True)
class Probe:
    """A finished child process: wall time, peak memory (KiB), exit status and the end of its stderr."""

    seconds: float
    rss_kib: int
    returncode: int
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


# --- helpers ------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def secs(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def size(nbytes: int) -> str:
    return f"{nbytes / 1024:.0f} KiB" if nbytes < 10 * 1024 * 1024 else f"{nbytes / 1024 / 1024:.1f} MiB"


def ratio(value: float) -> str:
    return f"{value:.2f}×"


def disk_size(path: Path) -> int:
    """Bytes of a file, or of every file in a folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def timed(action: Callable[[], object], runs: int = 3, warmup: bool = True) -> float:
    """Median wall time of ``runs`` calls, after one untimed call when ``warmup``."""
    if warmup:
        action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def child_env(**extra: str) -> dict[str, str]:
    """The environment of child processes: this checkout first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Probe:
    """Run a command under a small wrapper process; wall time and peak RSS (of it and its waited-for children).

    On Linux a process inherits the peak RSS of the process it was forked from, and this one grows
    to hundreds of MiB: the wrapper, itself small, starts the command so that it starts small too.
    """
    with tempfile.TemporaryFile() as err:
        result = subprocess.run(
            [PYTHON, "-c", WRAPPER, *command], cwd=cwd, env=env or child_env(), stdout=subprocess.PIPE, stderr=err
        )
        err.seek(0)
        tail = err.read().decode("utf-8", "replace")[-600:]
    try:
        seconds, rss, returncode = result.stdout.decode().split()
    except ValueError:  # the wrapper itself failed
        seconds, rss, returncode = "nan", "0", str(result.returncode or 1)
    if int(returncode) != 0:
        log(f"failed (exit {returncode}): {' '.join(command[:4])} …\n{tail}")
    return Probe(float(seconds), int(rss), int(returncode), tail)


def child_build(source: Path, fmt: str, theme: str, out: Path, cache: Path, work: Path) -> Probe:
    """One build in a fresh Python process."""
    return measure([PYTHON, "-c", CHILD_BUILD, str(source), fmt, theme, str(out), str(cache)], cwd=work)


def probe_time(probe: Probe) -> str:
    return secs(probe.seconds) if probe.ok else f"failed (exit {probe.returncode})"


def probe_memory(probe: Probe) -> str:
    return mib(probe.rss_kib) if probe.ok else "failed"


@contextmanager
def weasyprint_calls(calls: list[dict[str, Any]], layout: bool = True) -> Iterator[None]:
    """Record the arguments exporter gives ``weasyprint.HTML`` and ``weasyprint.CSS``.

    With ``layout=False`` the PDF is not laid out (``write_pdf`` returns a stub): a build then
    only fills the font cache, in a fraction of the time.
    """
    import weasyprint

    real_html, real_css = weasyprint.HTML, weasyprint.CSS

    def html(*args: Any, **kwargs: Any) -> Any:
        calls.append({"class": "HTML", **kwargs})
        document = real_html(*args, **kwargs)
        if not layout:
            document.write_pdf = lambda *a, **k: b"%PDF-1.7\n%%EOF\n"
        return document

    def css(*args: Any, **kwargs: Any) -> Any:
        calls.append({"class": "CSS", **kwargs})
        return real_css(*args, **kwargs)

    weasyprint.HTML, weasyprint.CSS = html, css
    try:
        yield
    finally:
        weasyprint.HTML, weasyprint.CSS = real_html, real_css


def fill_pdf_cache(source: Path, cache: Path, scratch: Path, theme: str = "classic") -> list[dict[str, Any]]:
    """Make the subset fonts a PDF of ``source`` needs, without laying it out; returns WeasyPrint's arguments."""
    from exporter.pipeline import build

    calls: list[dict[str, Any]] = []
    with weasyprint_calls(calls, layout=False):
        build(source, ["pdf"], theme=theme, out=scratch, cache_dir=cache)
    return calls


def cache_files(cache: Path) -> set[Path]:
    return set(cache.rglob("*")) if cache.exists() else set()


# --- generated issues -----------------------------------------------------------

_FRONT = re.compile(r"\A(\s*(---|\+\+\+)[ \t]*\n.*?\n\2[ \t]*\n)", re.S)
_TOP_HEADING = re.compile(r"^#{1,2} ")
_DATELINE_DAY = re.compile(r"(\d{1,2})月(\d{1,2})日讯")


def split_front(text: str) -> tuple[str, str]:
    """The front matter (with its fences, or empty) and the body."""
    match = _FRONT.match(text)
    return (match.group(1), text[match.end() :]) if match else ("", text)


def articles(body: str) -> list[list[str]]:
    """The body's articles as lists of lines: each opens at a `#`/`##` heading; a kicker stays with its headline."""
    chunks: list[list[str]] = []
    for line in body.strip("\n").split("\n"):
        if _TOP_HEADING.match(line):
            if chunks and all(_TOP_HEADING.match(x) or not x.strip() for x in chunks[-1]):
                chunks[-1].append(line)  # the kicker before it has no body
            else:
                chunks.append([line])
        elif chunks:
            chunks[-1].append(line)
        elif line.strip():
            chunks.append([line])  # text before the first headline
    return chunks


def tagged(chunk: list[str], tag: str) -> list[str]:
    """The article with ``tag`` after its headline (the last heading before the body), before a ——subtitle."""
    lines = list(chunk)
    heads = [i for i, x in enumerate(lines) if _TOP_HEADING.match(x)]
    body = next((i for i, x in enumerate(lines) if x.strip() and not _TOP_HEADING.match(x)), len(lines))
    before = [i for i in heads if i < body]
    if before:
        i = before[-1]
        head, dash, subtitle = lines[i].partition("——")
        lines[i] = f"{head.rstrip()}{tag}{dash}{subtitle}"
    return lines


def scaled(text: str, copies: int) -> str:
    """The issue with its articles ``copies`` times: the first as it is, then with (2), (3)… after the headlines."""
    if copies == 1:
        return text
    front, body = split_front(text)
    chunks = articles(body)
    parts = [body.strip("\n")]
    for k in range(2, copies + 1):
        parts += ["\n".join(tagged(c, f"（{k}）")) for c in chunks]
    return front + "\n\n".join(parts) + "\n"


def variant(text: str, number: int, date: dt.date) -> str:
    """Another day's issue: ``date`` in front matter and datelines, articles turned by ``number``, headlines tagged."""
    front, body = split_front(text)
    if front:
        fence = front.strip().split("\n")[0].strip()
        key = re.compile(r"^\s*date\s*[:=].*\n", re.M)
        inner = key.sub("", front.strip()[len(fence) : -len(fence)].strip("\n") + "\n")
        stamp = f"date: {date.isoformat()}" if fence == "---" else f"date = {date.isoformat()}"
        front = f"{fence}\n{inner}{stamp}\n{fence}\n"
    else:
        front = f"---\ndate: {date.isoformat()}\n---\n"
    body = _DATELINE_DAY.sub(f"{date.month}月{date.day}日讯", body)
    chunks = articles(body)
    turn = number % len(chunks)
    chunks = chunks[turn:] + chunks[:turn]
    return front + "\n" + "\n\n".join("\n".join(tagged(c, f"（第{number + 1}期）")) for c in chunks) + "\n"


def write_issue(path: Path, text: str) -> Path:
    """Write a generated issue and make sure it is valid input: no diagnostic of severity error."""
    from exporter.parser import parse_file

    path.write_text(text, encoding="utf-8")
    errors = [d for d in parse_file(path).diagnostics if d.severity == "error"]
    if errors:
        raise SystemExit(f"{path.name}: the generated issue has errors: {errors[:3]}")
    return path


# --- measurements ---------------------------------------------------------------


def baseline_rows(work: Path) -> list[Row]:
    """The memory of a build process before it builds: Python with exporter and WeasyPrint imported."""
    probe = measure([PYTHON, "-c", CHILD_IMPORTS], cwd=work)
    return [Row("Python with exporter and WeasyPrint imported, no build", probe_time(probe), probe_memory(probe))]


def edition_rows(source: Path, fmt: str, theme: str, work: Path, found: dict[str, float]) -> list[Row]:
    """Cold (fresh process, empty cache) and warm (this process, filled cache) builds of one edition."""
    from exporter.pipeline import build

    cache = work / f"cache-{fmt}-{theme}"
    out = work / f"out-{fmt}-{theme}"
    log(f"{fmt} ({theme})")
    cold = child_build(source, fmt, theme, out, cache, work)
    warm = timed(
        lambda: build(source, [fmt], theme=theme, out=out, cache_dir=cache),
        runs=5 if (fmt, theme) == ("pdf", "classic") else 3,
    )
    memory = child_build(source, fmt, theme, out, cache, work)
    target = out / (source.stem if fmt == "html" else f"{source.stem}.{fmt}")
    nbytes = disk_size(target)
    found[f"{fmt}-{theme}-warm"] = warm
    found[f"{fmt}-{theme}-bytes"] = nbytes
    what = "HTML folder" if fmt == "html" else fmt
    rows = [
        Row(f"exporter {what} ({theme}), cold cache", probe_time(cold), probe_memory(cold), size(nbytes)),
        Row(f"exporter {what} ({theme}), warm cache", secs(warm), probe_memory(memory), size(nbytes)),
    ]
    if fmt == "epub":
        with zipfile.ZipFile(target) as z:
            fonts = sum(i.compress_size for i in z.infolist() if i.filename.startswith("EPUB/fonts/"))
        rows.append(Row(f"  of which fonts ({theme})", size=size(fonts)))
    return rows


def weasyprint_rows(source: Path, work: Path, found: dict[str, float]) -> list[Row]:
    """WeasyPrint alone on the very HTML, CSS and subset fonts exporter gives it (no tags, no CJK justification)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    log("WeasyPrint alone")
    calls = fill_pdf_cache(source, work / "cache-pdf-classic", work / "scratch")
    html = next((c for c in calls if c["class"] == "HTML" and "string" in c), None)
    css = next((c for c in calls if c["class"] == "CSS" and "string" in c), None)
    if html is None or css is None:
        return [Row("WeasyPrint alone", "not measured: exporter no longer calls HTML(string=…) and CSS(string=…)")]
    target = work / "weasyprint-alone.pdf"

    def once() -> None:
        # @font-face rules are read only with a FontConfiguration given to both CSS and write_pdf.
        fonts = FontConfiguration()
        sheet = CSS(string=css["string"], base_url=css.get("base_url"), font_config=fonts)
        HTML(string=html["string"], base_url=html.get("base_url")).write_pdf(
            target, stylesheets=[sheet], font_config=fonts
        )

    alone = timed(once, runs=5)
    found["weasyprint-alone"] = alone
    ours = found["pdf-classic-warm"]
    return [
        Row("WeasyPrint alone, same HTML, CSS and fonts", secs(alone), size=size(target.stat().st_size)),
        Row("  exporter's overhead over WeasyPrint", f"{(ours - alone) / alone:+.0%}"),
    ]


def pandoc_rows(source: Path, work: Path, found: dict[str, float]) -> list[Row]:
    """pandoc's EPUB of the same file, without a font and with the whole Noto Serif CJK SC."""
    pandoc = shutil.which("pandoc")
    if not pandoc:
        return [Row("pandoc", "not installed")]
    log("pandoc")

    def runs(command: list[str]) -> tuple[float, int]:
        probes = [measure(command, cwd=work) for _ in range(3)]
        if not all(p.ok for p in probes):
            raise SystemExit(f"pandoc failed: {probes[-1].stderr}")
        return statistics.median(p.seconds for p in probes), max(p.rss_kib for p in probes)

    plain = work / "pandoc.epub"
    t, rss = runs([pandoc, str(source), "-o", str(plain)])
    rows = [Row("pandoc epub, no font embedded", secs(t), mib(rss), size(plain.stat().st_size))]
    if NOTO.is_file():
        from fontTools.ttLib import TTCollection  # type: ignore[import-untyped]

        font = work / "NotoSerifCJKsc-Regular.otf"
        collection = TTCollection(str(NOTO))
        face = next(f for f in collection.fonts if "SC" in f["name"].getDebugName(4))
        face.save(str(font))
        embedded = work / "pandoc-font.epub"
        t, rss = runs([pandoc, str(source), "-o", str(embedded), f"--epub-embed-font={font}"])
        found["pandoc-font"] = t
        rows.append(
            Row("pandoc epub, whole Noto Serif CJK SC embedded", secs(t), mib(rss), size(embedded.stat().st_size))
        )
    return rows


def scaling_rows(source: Path, work: Path, found: dict[str, float]) -> list[Row]:
    """The input 1, 10 and 50 times over: EPUB and PDF, warm cache; time in this process, memory in a child."""
    from exporter.pipeline import build

    folder = work / "scaled"
    folder.mkdir()
    cache = work / "cache-scaled"
    text = source.read_text(encoding="utf-8")
    issues = {n: write_issue(folder / f"{source.stem}-x{n}.md", scaled(text, n)) for n in SCALES}
    rows: list[Row] = []
    for fmt in ("epub", "pdf"):
        results: dict[int, tuple[float, Probe, int]] = {}
        for n, issue in issues.items():
            log(f"scaled {n}× {fmt}")
            out = work / f"out-scaled-{fmt}"
            if fmt == "pdf":
                fill_pdf_cache(issue, cache, work / "scratch")
            else:
                build(issue, [fmt], out=out, cache_dir=cache)
            runs = 3 if n == 1 or (fmt == "epub" and n <= 10) else 1

            def once(issue: Path = issue, fmt: str = fmt, out: Path = out) -> object:
                return build(issue, [fmt], out=out, cache_dir=cache)

            seconds = timed(once, runs=runs, warmup=False)
            memory = child_build(issue, fmt, "classic", out, cache, work)
            nbytes = (out / f"{issue.stem}.{fmt}").stat().st_size
            results[n] = (seconds, memory, nbytes)
            chars = len(issue.read_text(encoding="utf-8"))
            rows.append(
                Row(
                    f"{n}× the input ({chars:,} characters) {fmt}, warm cache",
                    secs(seconds),
                    probe_memory(memory),
                    size(nbytes),
                )
            )
        base_time, base_memory, base_size = results[SCALES[0]]
        for n in SCALES[1:]:
            seconds, memory, nbytes = results[n]
            found[f"scale-{fmt}-{n}"] = seconds / base_time
            rows.append(
                Row(
                    f"  {fmt} {n}× over 1×",
                    ratio(seconds / base_time),
                    ratio(memory.rss_kib / base_memory.rss_kib) if memory.ok and base_memory.ok else "",
                    ratio(nbytes / base_size),
                )
            )
    return rows


def cli_has_jobs(work: Path) -> bool:
    help_text = subprocess.run(
        [PYTHON, "-m", "exporter", "build", "--help"],
        cwd=work,
        env=child_env(COLUMNS="200", NO_COLOR="1", TERM="dumb"),
        capture_output=True,
        text=True,
    ).stdout
    return all(option in help_text for option in ("--jobs", "--quiet"))


def parallel_rows(work: Path, found: dict[str, float]) -> list[Row]:
    """The machine's own speed-up with two processes: the same loop twice, one after the other, then at once."""
    log("two loops, one after the other and at once")
    command = [PYTHON, "-c", SPIN]
    start = time.perf_counter()
    for _ in range(2):
        subprocess.run(command, cwd=work, check=True)
    serial = time.perf_counter() - start
    start = time.perf_counter()
    loops = [subprocess.Popen(command, cwd=work) for _ in range(2)]
    for loop in loops:
        loop.wait()
    together = time.perf_counter() - start
    found["machine-speedup"] = serial / together
    return [Row("  the machine's own speed-up, a Python loop in 2 processes at once", ratio(serial / together))]


def batch_rows(source: Path, work: Path, found: dict[str, float]) -> list[Row]:
    """20 distinct issues, EPUB and PDF, by the command line with --jobs 1 and --jobs 2, the font cache filled first."""
    from exporter.parser import parse_file
    from exporter.pipeline import build

    folder = work / "batch"
    folder.mkdir()
    cache = work / "cache-batch"
    text = source.read_text(encoding="utf-8")
    last = parse_file(source).masthead.date or dt.date(2025, 12, 29)
    files = []
    for number in range(BATCH_ISSUES):
        day = last - dt.timedelta(days=BATCH_ISSUES - 1 - number)
        files.append(write_issue(folder / f"{source.stem}-{day.isoformat()}.md", variant(text, number, day)))
    what = f"batch of {BATCH_ISSUES} issues, epub and pdf, by the CLI"
    if not cli_has_jobs(work):
        return [Row(f"{what}, --jobs {n}", "not available (CLI has no --jobs)") for n in (1, 2)]
    log(f"batch: filling the font cache for {len(files)} issues")
    for issue in files:
        build(issue, ["epub"], out=work / "scratch", cache_dir=cache)
        fill_pdf_cache(issue, cache, work / "scratch")
    rows = parallel_rows(work, found)
    for jobs in (1, 2):
        log(f"batch --jobs {jobs}")
        out = work / f"out-batch-{jobs}"
        before = cache_files(cache)
        command = [PYTHON, "-m", "exporter", "build", "--jobs", str(jobs), "--quiet", "--format", "epub,pdf"]
        probe = measure(
            [*command, "--out", str(out), *map(str, files)], cwd=work, env=child_env(EXPORTER_CACHE_DIR=str(cache))
        )
        grew = len(cache_files(cache) - before)
        made = len(list(out.glob("*.epub"))) + len(list(out.glob("*.pdf"))) if out.exists() else 0
        note = "" if made == 2 * len(files) else f" ({made} of {2 * len(files)} editions written)"
        note += f" (the cache grew by {grew} files)" if grew else ""
        if probe.ok:
            found[f"jobs{jobs}"] = probe.seconds
        nbytes = disk_size(out) if out.exists() else 0
        rows.append(Row(f"{what}, --jobs {jobs}{note}", probe_time(probe), size=size(nbytes)))
    if "jobs1" in found and "jobs2" in found:
        rows.append(Row("  speed-up of --jobs 2 over --jobs 1", ratio(found["jobs1"] / found["jobs2"])))
    return rows


# --- report ---------------------------------------------------------------------


def cpu() -> str:
    """The processor's model name, as /proc/cpuinfo or the platform gives it."""
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().split("\n") if cpuinfo.is_file() else []
    models = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return models[0] if models else platform.processor() or "unknown CPU"


def machine(source: Path) -> str:
    """Host, architecture, cores and CPU, Python and pandoc versions."""
    pandoc = shutil.which("pandoc")
    version = (
        subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
        if pandoc
        else "pandoc not installed"
    )
    return (
        f"Input: {source.name}; machine: {platform.node()}, {platform.machine()}, {os.cpu_count()} cores ({cpu()}), "
        f"Python {platform.python_version()}; {version}."
    )


def verdict(name: str, shown: str | None, limit: str, passed: bool) -> str:
    if shown is None:
        return f"- {name}: not measured"
    return f"- {name}: {shown} ({limit}): {'pass' if passed else 'FAIL'}"


def targets(found: dict[str, float]) -> list[str]:
    """Each target as a ratio from this run, with pass or fail."""
    lines = []
    if "epub-classic-warm" in found and "pandoc-font" in found:
        share = found["epub-classic-warm"] / found["pandoc-font"]
        lines.append(
            verdict("EPUB time (warm cache) over pandoc's with the whole font", f"{share:.2f}", "≤ 0.60", share <= 0.6)
        )
    else:
        lines.append(verdict("EPUB time (warm cache) over pandoc's with the whole font", None, "", False))
    largest = max((found[k] for k in ("epub-classic-bytes", "epub-vertical-bytes") if k in found), default=None)
    shown = None if largest is None else f"{largest / 1e6:.2f} MB"
    lines.append(verdict("largest EPUB (classic or vertical)", shown, "< 1 MB", (largest or 0) < 1e6))
    if "pdf-classic-warm" in found and "weasyprint-alone" in found:
        overhead = found["pdf-classic-warm"] / found["weasyprint-alone"] - 1
        lines.append(verdict("PDF overhead over WeasyPrint alone", f"{overhead:+.0%}", "< 20%", overhead < 0.2))
    else:
        lines.append(verdict("PDF overhead over WeasyPrint alone", None, "", False))
    for fmt in ("epub", "pdf"):
        key = f"scale-{fmt}-{SCALES[-1]}"
        value = found.get(key)
        shown = None if value is None else f"{value:.1f}×"
        lines.append(verdict(f"{fmt} time of the {SCALES[-1]}× issue over 1×", shown, "< 55×", (value or 0) < 55))
    if "jobs1" in found and "jobs2" in found:
        speedup = found["jobs1"] / found["jobs2"]
        machine = f"; the machine gave two loops {found['machine-speedup']:.2f}×" if "machine-speedup" in found else ""
        lines.append(verdict("--jobs 2 speed-up over --jobs 1", f"{speedup:.2f}×", "≥ 1.80×" + machine, speedup >= 1.8))
    else:
        lines.append(verdict("--jobs 2 speed-up over --jobs 1", None, "", False))
    return lines


def main() -> None:
    sys.path.insert(0, str(ROOT))
    source = (Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE).resolve()
    load_before = os.getloadavg()
    found: dict[str, float] = {}
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows += baseline_rows(work)
        for fmt, theme in (("epub", "classic"), ("epub", "vertical"), ("html", "classic")):
            rows += edition_rows(source, fmt, theme, work, found)
        rows += edition_rows(source, "pdf", "classic", work, found)
        rows += weasyprint_rows(source, work, found)
        rows += edition_rows(source, "pdf", "vertical", work, found)
        rows.append(
            Row("  vertical over horizontal, warm", ratio(found["pdf-vertical-warm"] / found["pdf-classic-warm"]))
        )
        rows += pandoc_rows(source, work, found)
        rows += scaling_rows(source, work, found)
        rows += batch_rows(source, work, found)
    total = time.perf_counter() - STARTED
    load_after = os.getloadavg()
    print(machine(source))
    print(
        f"Load average (1 min) {load_before[0]:.2f} at the start, {load_after[0]:.2f} at the end; "
        f"the run took {total / 60:.1f} min."
    )
    print()
    print("| what | time | peak memory | size |")
    print("|---|---:|---:|---:|")
    for row in rows:
        print(f"| {row.what} | {row.time} | {row.memory} | {row.size} |")
    print()
    print("Targets:")
    print()
    for line in targets(found):
        print(line)


if __name__ == "__main__":
    main()
