"""Times one issue's PDF build as whole processes: exporter, and WeasyPrint, Chromium and Vivliostyle on its HTML.

Run by hand from the checkout, after ``./dev setup``, on an idle machine::

    .venv/bin/python benchmarks/speed.py [--runs N] [--issues sample,day,fifty|ISSUE.md …] [--tools …] [--keep DIR]

The issues: the sample (``../shared/samples/qingdao-daily-excerpt.md``, when it is there), the
16-版 day and the project's example 50 times over (both written by ``benchmarks/day.py`` into a
temporary folder), or any issue files named.

For each issue, one untimed ``exporter build ISSUE --format pdf`` fills a font cache of its own
(warm cache, as the nightly rebuild of an issue) and records the print document exporter writes:
the HTML WeasyPrint laid out last and wrote (the make-up may lay out the issue several times), its
stylesheet and the fonts and pictures its URL fetcher serves. They are written out as a folder:
``index.html`` with the CSS inlined, ``fonts/`` with the very subset fonts the ``@font-face`` rules
name by relative path, ``files/`` with the figures and theme assets. Then, interleaved run by run
(so that a busy moment of the machine falls on every tool), each a fresh process:

- exporter: ``exporter build ISSUE --format pdf --quiet``, pinned to one core (``taskset -c 0``)
  and to two (``taskset -c 0,1``);
- WeasyPrint alone on the folder: ``python -m weasyprint index.html out.pdf`` (no PDF tags, no
  CJK justification, no glyph proof, no make-up: the floor of any tool built on WeasyPrint), one core;
- headless Chromium: ``chromium --headless --no-sandbox --print-to-pdf=out.pdf file:///…/index.html``,
  two cores, a fresh profile each run;
- Vivliostyle CLI (npm's ``@vivliostyle/cli``, installed at run time into ``.venv/vivliostyle`` of
  the checkout with every browser download switched off) driving Debian's Chromium:
  ``vivliostyle build -d index.html -o out.pdf --executable-browser /usr/bin/chromium``, two cores.

Chromium and Vivliostyle lay out the HTML by their own rules: paged-media CSS that they do not read,
or read otherwise (running heads, page references, CJK justification, which exporter does itself
in WeasyPrint), so their pages are not exporter's; they show what a browser engine takes for the
same document, text and fonts, not the same paper. Chromium (so Vivliostyle too) embeds the CFF subsets as Type 3.

Each run is timed by a small wrapper process; peak RSS is the largest single process of the command
and its waited-for children (``wait4``), and the whole tree's PSS is sampled every 0.2 s (the
memory the command's processes hold together: Chromium runs several). The table gives the median
and every run, the pages of the PDF (pypdf), and the time over exporter's on as many cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
SAMPLE = ROOT.parent / "shared" / "samples" / "qingdao-daily-excerpt.md"
CHROMIUM = Path("/usr/bin/chromium")
VIVLIOSTYLE_DIR = ROOT / ".venv" / "vivliostyle"
VIVLIOSTYLE = VIVLIOSTYLE_DIR / "node_modules" / ".bin" / "vivliostyle"
#: npm's packages may download a browser of their own when installed: none is, Debian's Chromium is driven.
NO_DOWNLOADS = {
    "PUPPETEER_SKIP_DOWNLOAD": "1",
    "ELECTRON_SKIP_BINARY_DOWNLOAD": "1",
    "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1",
}
TOOLS = ("exporter", "weasyprint", "chromium", "vivliostyle")
STARTED = time.perf_counter()

sys.path.insert(0, str(HERE))
from pdf_ab import BOOT  # noqa: E402  (runs exporter from the checkout named, past the editable install's hook)

# The untimed build that fills the cache, with WeasyPrint watched: the HTML whose layout is written
# to the PDF, the stylesheet and the URL fetcher are kept, and written out as a folder at the end.
RECORD = """
import runpy, sys
tree, here, folder = sys.argv[1:4]
def hook(finder):
    return str(getattr(finder, "__module__", type(finder).__module__)).startswith("__editable__")
sys.meta_path[:] = [f for f in sys.meta_path if not hook(f)]
sys.path.insert(0, tree)
sys.path.append(here)
import speed
speed.watch_weasyprint()
sys.argv = ["exporter", *sys.argv[4:]]
try:
    runpy.run_module("exporter", run_name="__main__", alter_sys=True)
except SystemExit as stop:
    if stop.code:
        raise
speed.write_folder(folder)
"""

# Runs a command; prints its wall time, the peak RSS (KiB) of its largest process and the peak PSS
# (KiB) of its whole process tree, sampled, and its exit status.
WRAPPER = """
import os, subprocess, sys, threading, time
def tree(root):
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    parents.setdefault(int(f.read().rsplit(")", 1)[1].split()[1]), []).append(int(name))
            except (OSError, IndexError):
                pass
    todo, found = [root], []
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += parents.get(pid, [])
    return found
def pss(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next((int(x.split()[1]) for x in f if x.startswith("Pss:")), 0)
    except OSError:
        return 0
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
peak, done = [0], threading.Event()
def sample():
    while not done.wait(0.2):
        peak[0] = max(peak[0], sum(pss(p) for p in tree(child.pid)))
threading.Thread(target=sample, daemon=True).start()
_, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - start
done.set()
print(seconds, usage.ru_maxrss, peak[0], os.waitstatus_to_exitcode(status))
"""

# What the watched build saw: set by watch_weasyprint() in the recording process.
_SEEN: dict[str, Any] = {}


# --- the recording process -------------------------------------------------------


def watch_weasyprint() -> None:
    """Keep the stylesheet exporter gives WeasyPrint and the HTML of the layout it writes to the PDF."""
    import weasyprint
    from weasyprint.document import Document

    real_html, real_css, real_write = weasyprint.HTML, weasyprint.CSS, Document.write_pdf

    def html(*args: Any, **kwargs: Any) -> Any:
        _SEEN["layouts"] = _SEEN.get("layouts", 0) + 1
        document = real_html(*args, **kwargs)
        render = document.render

        def rendered(*a: Any, **k: Any) -> Any:
            laid = render(*a, **k)
            laid.bench_source = (kwargs.get("string"), kwargs.get("base_url"), kwargs.get("url_fetcher"))
            return laid

        document.render = rendered
        return document

    def css(*args: Any, **kwargs: Any) -> Any:
        if "string" in kwargs:
            _SEEN["css"] = (kwargs["string"], kwargs.get("base_url"), kwargs.get("url_fetcher"))
        return real_css(*args, **kwargs)

    def write_pdf(self: Any, *args: Any, **kwargs: Any) -> Any:
        _SEEN["html"] = getattr(self, "bench_source", None)
        return real_write(self, *args, **kwargs)

    weasyprint.HTML, weasyprint.CSS, Document.write_pdf = html, css, write_pdf

    # The print edition lays its 版 out apart and joins their PDFs: the document the others are given is the
    # made-up issue as one HTML, with the base URL and fetcher every layout has.
    from exporter.editions.pdf import parts

    real_parts = parts.Workers.parts

    def whole(self: Any, plan: Any) -> Any:
        made = real_parts(self, plan)
        _, base_url, fetcher = _SEEN["html"]
        _SEEN["html"] = (self.engine.made_up(plan, True, None), base_url, fetcher)
        return made

    parts.Workers.parts = whole


def write_folder(folder: str) -> None:
    """The print document as a folder: index.html with the CSS inlined, fonts/ and files/ as the fetcher serves them."""
    from urllib.parse import unquote, urljoin, urlparse

    html, html_base, fetcher = _SEEN.get("html") or (None, None, None)
    css, css_base, css_fetcher = _SEEN.get("css") or (None, None, None)
    if html is None or css is None:
        raise SystemExit("recording: exporter no longer calls HTML(string=…) and CSS(string=…), or wrote no PDF")
    out = Path(folder)
    (out / "fonts").mkdir(parents=True, exist_ok=True)
    (out / "files").mkdir(exist_ok=True)
    local: dict[str, str] = {}

    def base_of(base: str | None) -> str:
        if not base:
            return Path.cwd().as_uri() + "/"
        return base if re.match(r"^[a-z][a-z0-9+.-]*:", base) else Path(base).resolve().as_uri() + "/"

    def fetched(url: str, base: str | None, serve: Any) -> str:
        if not url or url.startswith(("#", "data:")):
            return url
        absolute = url if re.match(r"^[a-z][a-z0-9+.-]*:", url) else urljoin(base_of(base), url)
        if absolute not in local:
            name = Path(unquote(urlparse(absolute).path or absolute.split(":", 1)[-1])).name or "file"
            font = name.lower().endswith((".otf", ".ttf", ".woff", ".woff2"))
            relative = f"fonts/{name}" if font else f"files/{len(local):03d}-{name}"
            if serve is not None:
                response = serve.fetch(absolute) if hasattr(serve, "fetch") else serve(absolute)
                body = response.read() if hasattr(response, "read") else response.get("string")
            else:
                body = Path(unquote(urlparse(absolute).path)).read_bytes()
            (out / relative).write_bytes(body if isinstance(body, bytes) else str(body).encode("utf-8"))
            local[absolute] = relative
        return local[absolute]

    def css_urls(text: str, base: str | None, serve: Any) -> str:
        return re.sub(
            r"""url\(\s*(["']?)(.*?)\1\s*\)""",
            lambda m: f'url("{fetched(m.group(2), base, serve)}")',
            text,
        )

    sheet = css_urls(css, css_base, css_fetcher)
    document = re.sub(
        r'\b(src|href)="([^"]*)"', lambda m: f'{m.group(1)}="{fetched(m.group(2), html_base, fetcher)}"', html
    )
    document = re.sub(r'\bstyle="([^"]*)"', lambda m: f'style="{css_urls(m.group(1), html_base, fetcher)}"', document)
    head = document.find("</head>")
    document = document[:head] + f"<style>\n{sheet}\n</style>\n" + document[head:]
    (out / "index.html").write_text(document, encoding="utf-8")
    (out / "record.json").write_text(json.dumps({"layouts": _SEEN.get("layouts", 0), "files": local}, indent=1))


# --- measuring ---------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:7.1f} s] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Probe:
    """A finished command: wall time, peak RSS of its largest process and peak PSS of its tree (KiB), exit status."""

    seconds: float
    rss_kib: int
    pss_kib: int
    returncode: int


@dataclass
class Case:
    """One tool on one issue: how to run it, on how many cores, and what its runs gave."""

    tool: str
    cores: int
    command: list[str]
    output: Path
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    before: list[Path] = field(default_factory=list)  # folders emptied before each run (a fresh profile)
    probes: list[Probe] = field(default_factory=list)


def measure(case: Case, cwd: Path) -> Probe:
    """Run the case once under the wrapper; a failure stops the benchmark with the end of its stderr."""
    for folder in case.before:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    case.output.unlink(missing_ok=True)
    pin = ["taskset", "-c", "0" if case.cores == 1 else f"0-{case.cores - 1}"]
    with tempfile.TemporaryFile() as err:
        result = subprocess.run(
            [PYTHON, "-c", WRAPPER, *pin, *case.command], cwd=cwd, env=case.env, stdout=subprocess.PIPE, stderr=err
        )
        err.seek(0)
        tail = err.read().decode("utf-8", "replace")[-1500:]
    try:
        seconds, rss, pss, code = result.stdout.decode().split()
    except ValueError:
        raise SystemExit(f"the wrapper failed for {case.tool}:\n{tail}") from None
    if int(code) != 0 or not case.output.is_file():
        raise SystemExit(
            f"{case.tool} failed (exit {code}, output {'written' if case.output.is_file() else 'missing'}):\n"
            f"{' '.join(case.command)}\n{tail}"
        )
    return Probe(float(seconds), int(rss), int(pss), int(code))


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def vivliostyle() -> Path:
    """The Vivliostyle CLI, installed from npm into the checkout's .venv/ on first use, no browser downloaded."""
    if not VIVLIOSTYLE.is_file():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("Vivliostyle: npm is not installed")
        log(f"installing @vivliostyle/cli into {VIVLIOSTYLE_DIR}")
        VIVLIOSTYLE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--prefix", str(VIVLIOSTYLE_DIR), "--no-audit", "--no-fund", "@vivliostyle/cli"],
            env={**os.environ, **NO_DOWNLOADS},
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return VIVLIOSTYLE


def exporter_env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env["EXPORTER_CACHE_DIR"] = str(cache)
    return env


def cases(issue: Path, work: Path, tools: list[str]) -> list[Case]:
    """Record the print document with one untimed exporter build, write it out as a folder, and set up each tool."""
    cache, folder = work / "cache", work / "document"
    log(f"{issue.name}: untimed exporter build (fills the font cache, records the print document)")
    start = time.perf_counter()
    # One process (--jobs 1): the print edition lays its 版 out in this one, where they are watched.
    record = [PYTHON, "-c", RECORD, str(ROOT), str(HERE), str(folder), "build", str(issue), "-f", "pdf", "-j", "1"]
    subprocess.run(
        [*record, "--out", str(work / "record"), "--quiet"],
        env=exporter_env(cache),
        cwd=work,
        check=True,
    )
    seen = json.loads((folder / "record.json").read_text())
    log(
        f"{issue.name}: recorded in {time.perf_counter() - start:.1f} s; {seen['layouts']} layouts, "
        f"{len(seen['files'])} files"
    )
    page = (folder / "index.html").as_uri()
    made: list[Case] = []
    if "exporter" in tools:
        for cores in (1, 2):
            out = work / f"exporter-{cores}"
            command = [PYTHON, "-c", BOOT, str(ROOT), "build", str(issue), "--format", "pdf", "--out", str(out)]
            made.append(
                Case("exporter", cores, [*command, "--quiet"], out / f"{issue.stem}.pdf", env=exporter_env(cache))
            )
    if "weasyprint" in tools:
        out = work / "weasyprint.pdf"
        made.append(
            Case("WeasyPrint alone", 1, [PYTHON, "-m", "weasyprint", str(folder / "index.html"), str(out)], out)
        )
    if "chromium" in tools:
        out, profile = work / "chromium.pdf", work / "chromium-profile"
        command = [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={profile}",
            f"--print-to-pdf={out}",
            page,
        ]
        made.append(Case("Chromium", 2, command, out, before=[profile]))
    if "vivliostyle" in tools:
        out = work / "vivliostyle.pdf"
        command = [str(vivliostyle()), "build", "-d", str(folder / "index.html"), "-o", str(out)]
        command += ["--executable-browser", str(CHROMIUM), "--timeout", "3600", "--log-level", "silent"]
        made.append(Case("Vivliostyle", 2, command, out, env={**os.environ, **NO_DOWNLOADS}))
    return made


def issues(names: list[str], scratch: Path) -> list[Path]:
    """The issues asked for: sample, day, fifty, or files."""
    import day

    found: list[Path] = []
    for name in names:
        if name == "sample":
            if SAMPLE.is_file():
                found.append(SAMPLE)
            else:
                log(f"no sample at {SAMPLE}: left out")
        elif name == "day":
            found.append(day.write_day(scratch / "issues"))
        elif name == "fifty":
            found.append(day.write_fifty(scratch / "issues"))
        else:
            found.append(Path(name).resolve())
    return found


def cell(seconds: list[float]) -> str:
    median = statistics.median(seconds)
    runs = " / ".join(f"{s:.2f}" for s in seconds)
    return f"{median:.2f} s ({runs})" if len(seconds) > 1 else f"{median:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--issues", nargs="+", default=["sample", "day", "fifty"], help="sample, day, fifty or files")
    parser.add_argument("--tools", default=",".join(TOOLS), help=f"some of {','.join(TOOLS)}")
    parser.add_argument("--no-warmup", action="store_true", help="no untimed run of the reference tools")
    parser.add_argument("--keep", type=Path, help="keep the issues, folders and PDFs in this folder")
    args = parser.parse_args()
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(tools) - set(TOOLS)
    if unknown:
        parser.error(f"unknown tools: {', '.join(sorted(unknown))}")
    sys.path.insert(0, str(ROOT))
    load_before = os.getloadavg()
    rows: list[str] = []
    with tempfile.TemporaryDirectory(prefix="speed-") as tmp:
        scratch = args.keep.resolve() if args.keep else Path(tmp)
        scratch.mkdir(parents=True, exist_ok=True)
        for issue in issues(args.issues, scratch):
            work = scratch / issue.stem
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            runs = cases(issue, work, tools)
            if not args.no_warmup:
                for case in runs:
                    if case.tool != "exporter":  # exporter's untimed build was the recording
                        log(f"{issue.name}: {case.tool}, untimed")
                        measure(case, work)
            for number in range(args.runs):
                for case in runs:
                    probe = measure(case, work)
                    case.probes.append(probe)
                    log(f"{issue.name}: {case.tool} on {case.cores} core(s), run {number + 1}: {probe.seconds:.2f} s")
            ours = {c.cores: statistics.median(p.seconds for p in c.probes) for c in runs if c.tool == "exporter"}
            for case in runs:
                seconds = [p.seconds for p in case.probes]
                median = statistics.median(seconds)
                base = ours.get(case.cores)
                versus = f"{median / base:.2f}×" if base else ""
                rss = max(p.rss_kib for p in case.probes) / 1024
                pss = max(p.pss_kib for p in case.probes) / 1024
                rows.append(
                    f"| {issue.name} | {case.tool} | {case.cores} | {cell(seconds)} | {rss:.0f} | {pss:.0f} | "
                    f"{pages(case.output)} | {versus} |"
                )
    load_after = os.getloadavg()
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    chromium = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True).stdout.strip()
    viv = ""
    if "vivliostyle" in tools:
        found = subprocess.run([str(VIVLIOSTYLE), "--version"], capture_output=True, text=True).stdout.split()
        viv = f", Vivliostyle CLI {' '.join(found)}"
    import weasyprint

    print(
        f"machine: {os.cpu_count()} cores ({affinity} usable), Python {sys.version.split()[0]}, WeasyPrint "
        f"{weasyprint.__version__}, {chromium or 'Chromium not found'}{viv}"
    )
    print(
        f"load average (1, 5, 15 min) {' '.join(f'{x:.2f}' for x in load_before)} at the start, "
        f"{' '.join(f'{x:.2f}' for x in load_after)} at the end; {(time.perf_counter() - STARTED) / 60:.1f} min"
    )
    print(
        f"method: whole processes, {args.runs} interleaved run(s) each, median (each run listed); exporter with a warm "
        "font cache of its own; the others on the print document exporter wrote, as a folder (see the docstring)"
    )
    print()
    print(
        "| issue | tool | cores | median (runs) | peak RSS MiB, largest process | peak PSS MiB, all processes | pages "
        "| time over exporter's, same cores |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(row)


if __name__ == "__main__":
    main()
