"""Builds many issues at once: plans the outputs, runs one edition a job in worker processes, reports.

An issue with an error fails alone: its editions are not written and the other issues are still
built. Outputs are planned before anything is built, so that two issues never write the same file
and no output replaces an input.
"""

from __future__ import annotations

import contextlib
import glob
import os
import signal
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from exporter import editions
from exporter.diagnostics import Diagnostic
from exporter.editions import Options
from exporter.errors import ExporterError, IssueErrors, UsageError
from exporter.pipeline import Built, prepare, write_edition

#: Suffixes of issue files looked for in folders (a file named on the command line may have any).
SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class Settings:
    """What every issue of a batch is built with."""

    formats: tuple[str, ...] = ("epub", "pdf")
    theme: str | None = None
    fallback_theme: str | None = None
    override: Path | None = None
    cache_dir: Path | None = None
    print_marks: bool = False
    pdf_variant: str | None = None
    defaults: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Job:
    """One edition of one issue: the issue file, its format, and the file or folder it becomes."""

    source: Path
    format: str
    path: Path


@dataclass(frozen=True)
class Failure:
    """The error that stopped a job, for machines: its line in the issue (if any), kind and message."""

    line: int | None
    code: str
    message: str


@dataclass(frozen=True)
class Outcome:
    """What became of a job: the edition written, or the one-line error that stopped it.

    ``failure`` is that error when it is not one of the issue's ``diagnostics`` already.
    """

    job: Job
    built: Built | None
    error: str | None
    diagnostics: tuple[Diagnostic, ...]
    articles: int
    seconds: float
    internal: bool = False
    failure: Failure | None = None


def _issue_files(folder: Path, out: Path) -> list[Path]:
    found = []
    out = out.resolve()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative) or path.suffix.lower() not in SUFFIXES:
            continue
        if path.is_file() and not path.resolve().is_relative_to(out):
            found.append(path)
    return found


def sources(inputs: Sequence[str], out: Path) -> dict[Path, tuple[Path, Path]]:
    """The issue files ``inputs`` name (files, folders, globs), each once: resolved → (as given, its output folder).

    A file goes into ``out``; the files of a folder keep their place below it, so that
    ``2025/12/29.md`` and ``2025/12/30.md`` of two folders never meet. Files below ``out`` are skipped.
    """
    found: dict[Path, tuple[Path, Path]] = {}

    def add(path: Path, folder: Path) -> None:
        found.setdefault(path.resolve(), (path, folder))

    def add_folder(folder: Path, arg: str) -> None:
        files = _issue_files(folder, out)
        if not files:
            raise UsageError("no issue files (*.md) in the folder: pass the issue files or another folder", path=arg)
        for file in files:
            add(file, out / file.parent.relative_to(folder))

    for arg in inputs:
        path = Path(arg)
        if path.is_file():
            add(path, out)
        elif path.is_dir():
            add_folder(path, arg)
        elif glob.has_magic(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                raise UsageError("matches no file: check the pattern (quote it to keep the shell off it)", path=arg)
            for match in map(Path, matches):
                if match.is_dir():
                    add_folder(match, str(match))
                elif match.suffix.lower() in SUFFIXES or len(matches) == 1:
                    add(match, out)
        else:
            raise UsageError("no such file or folder: check the path", path=arg)
    if not found:
        raise UsageError("no issue file: give files, folders or patterns such as 'archive/**/*.md'")
    return found


def plan(inputs: Sequence[str], formats: Sequence[str], out: Path) -> list[Job]:
    """The jobs for ``inputs`` (see :func:`sources`), or a :class:`UsageError` before anything is built."""
    for name in formats:
        editions.get(name)
    if not formats:
        raise UsageError(f"no format to build: choose from {', '.join(editions.names())}")
    if out.exists() and not out.is_dir():
        raise UsageError("is a file, not a folder: give --out a folder for the editions", path=str(out))
    found = sources(inputs, out)
    jobs = [Job(path, fmt, editions.target(path, fmt, folder)) for path, folder in found.values() for fmt in formats]
    _check_outputs(jobs, found)
    return jobs


def _check_outputs(jobs: Sequence[Job], sources: Mapping[Path, tuple[Path, Path]]) -> None:
    taken: dict[Path, Job] = {}
    for job in jobs:
        resolved = job.path.resolve()
        other = taken.setdefault(resolved, job)
        if other is not job:
            raise UsageError(
                f"{other.source} and {job.source} would both be built into {job.path}: "
                "build them into different --out folders, or pass their folder, which keeps its structure",
                path=str(job.source),
            )
        for source in sources:
            if resolved == source or (editions.get(job.format).folder and source.is_relative_to(resolved)):
                raise UsageError(
                    f"the {job.format} edition would replace the input {sources[source][0]}: choose another --out",
                    path=str(job.source),
                )


def run_job(job: Job, settings: Settings) -> Outcome:
    """Build one edition; a problem with the issue becomes the outcome's error, never an exception."""
    start = time.perf_counter()
    diagnostics: tuple[Diagnostic, ...] = ()
    articles = 0
    try:
        issue, theme = _prepared(job.source, settings)
        diagnostics, articles = issue.diagnostics, len(issue.articles)
        options = Options(
            job.source.parent, settings.override, settings.cache_dir, settings.print_marks, settings.pdf_variant
        )
        built = write_edition(issue, theme, job.format, job.path, options)
    except IssueErrors as exc:
        return Outcome(job, None, str(exc), exc.diagnostics, articles, time.perf_counter() - start)
    except ExporterError as exc:
        failure = Failure(exc.line, exc.code, exc.message)
        return Outcome(job, None, str(exc), diagnostics, articles, time.perf_counter() - start, failure=failure)
    except OSError as exc:  # the output folder's permissions, a full disk, a file that vanished
        where = Path(exc.filename or job.path)
        if where.resolve().is_relative_to(job.path.parent.resolve()):
            code, fix = "write", f"cannot write {where} ({exc.strerror}): check the folder's permissions and free space"
        else:
            code, fix = "read", f"cannot read {where} ({exc.strerror}): check that it is there and readable"
        failure = Failure(None, code, fix)
        seconds = time.perf_counter() - start
        return Outcome(job, None, f"{job.source}: error: {fix}", diagnostics, articles, seconds, failure=failure)
    except Exception as exc:
        if os.environ.get("EXPORTER_DEBUG"):
            raise
        told = f"internal error ({type(exc).__name__}: {exc})"
        message = (
            f"{job.source}: {told}; run again with EXPORTER_DEBUG=1 for the traceback and report it with the input file"
        )
        failure = Failure(None, "internal", told)
        seconds = time.perf_counter() - start
        return Outcome(job, None, message, diagnostics, articles, seconds, internal=True, failure=failure)
    return Outcome(job, built, None, diagnostics, articles, time.perf_counter() - start)


# The last issue this process parsed: the formats of one issue follow each other in a serial build.
_last: list[tuple[tuple[object, ...], Any]] = []


def _prepared(source: Path, settings: Settings) -> Any:
    """The issue parsed and its theme chosen, from the last job if it was the same issue."""
    stat = source.stat()
    key: tuple[object, ...] = (str(source.resolve()), stat.st_mtime_ns, stat.st_size, settings)
    if _last and _last[0][0] == key:
        return _last[0][1]
    _last.clear()
    result = prepare(source, theme=settings.theme, fallback_theme=settings.fallback_theme, defaults=settings.defaults)
    _last.append((key, result))
    return result


def _preload(formats: Iterable[str]) -> list[str]:
    """Modules the worker processes import once, before they fork: each worker starts with them loaded."""
    modules = [
        "exporter.pipeline.batch",
        "exporter.parser",
        "exporter.editions.fontuse",
        "fontTools.ttLib",
        "uharfbuzz",
    ]
    for name in formats:
        modules += editions.get(name).preload
    return modules


def run(
    jobs: Sequence[Job],
    settings: Settings,
    workers: int,
    *,
    started: Callable[[Job], None] = lambda job: None,
    finished: Callable[[Outcome], None] = lambda outcome: None,
) -> list[Outcome]:
    """Run the jobs, ``workers`` at a time in worker processes (in this one if 1), in the order given.

    ``started`` and ``finished`` are called in this process as jobs start and end; the outcomes come
    back in the order of ``jobs``.
    """
    workers = max(1, min(workers, len(jobs)))
    outcomes: dict[int, Outcome] = {}
    if workers == 1:
        for i, job in enumerate(jobs):
            started(job)
            try:
                outcomes[i] = run_job(job, settings)
            except KeyboardInterrupt:
                _interrupted()
                raise
            finished(outcomes[i])
        return [outcomes[i] for i in range(len(jobs))]

    import concurrent.futures as cf
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_preload(settings.formats))
    # Longest first: PDFs, then big files, so that no worker is left with a long job at the end.
    waiting = sorted(range(len(jobs)), key=lambda i: (-editions.get(jobs[i].format).cost, -_size(jobs[i].source), i))
    waiting.reverse()
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_ignore_interrupts) as pool:
        running: dict[cf.Future[Outcome | None], int] = {}
        try:
            while waiting or running:
                while waiting and len(running) < workers:
                    i = waiting.pop()
                    started(jobs[i])
                    running[pool.submit(_worker_job, jobs[i], settings)] = i
                done, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
                for future in done:
                    i = running.pop(future)
                    outcome = future.result()
                    if outcome is None:  # the worker was interrupted: Ctrl-C reached it before this process
                        raise KeyboardInterrupt
                    outcomes[i] = outcome
                    finished(outcome)
        except KeyboardInterrupt:
            # Stop the jobs that run (each removes its temporary file), keep those that ended meanwhile.
            for process in list(getattr(pool, "_processes", {}).values()):
                with contextlib.suppress(OSError):
                    os.kill(process.pid, signal.SIGINT)
            pool.shutdown(wait=True, cancel_futures=True)
            for future in running:
                kept = None if future.cancelled() or future.exception() is not None else future.result()
                if kept is not None:
                    finished(kept)
            raise
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return [outcomes[i] for i in range(len(jobs))]


def _ignore_interrupts() -> None:
    """A worker ignores Ctrl-C between jobs: the batch's process decides what stops, and tells it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _interrupt_once(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C in a worker's job: stop it, and ignore the SIGINT that follows.

    A terminal signals every process of the group, workers included, and the batch's process passes
    the interrupt on to its workers too: a second KeyboardInterrupt would land in the clean-up of the
    first (the removal of the job's temporary file) and leave the file behind.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def _worker_job(job: Job, settings: Settings) -> Outcome | None:
    """:func:`run_job` in a worker, which Ctrl-C stops: ``None`` then, and no file written or left."""
    signal.signal(signal.SIGINT, _interrupt_once)
    try:
        return run_job(job, settings)
    except KeyboardInterrupt:
        _interrupted()
        return None
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _interrupted() -> None:
    """The job stopped half-way: its half-made objects (an open zip file) go without a word to the terminal."""
    import sys

    sys.unraisablehook = lambda unraisable: None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def report(outcomes: Sequence[Outcome], seconds: float, workers: int, version: str) -> dict[str, Any]:
    """The batch for machines (schema ``exporter.report/1``): per issue its editions, errors and diagnostics."""
    issues: dict[Path, list[Outcome]] = {}
    for outcome in outcomes:
        issues.setdefault(outcome.job.source, []).append(outcome)
    entries = []
    for source, results in issues.items():
        diagnostics = next((r.diagnostics for r in results if r.diagnostics), ())
        errors = list(dict.fromkeys(r.error for r in results if r.error))
        findings = [
            {"line": d.line, "severity": d.severity, "code": d.code, "message": d.message} for d in diagnostics
        ] + [
            {"line": f.line, "severity": "error", "code": f.code, "message": f.message}
            for f in dict.fromkeys(r.failure for r in results if r.failure)
        ]
        entries.append(
            {
                "source": str(source),
                "status": "failed" if errors else "built",
                "errors": errors,
                "articles": max(r.articles for r in results),
                "diagnostics": {
                    severity: sum(1 for f in findings if f["severity"] == severity)
                    for severity in ("error", "warning", "info")
                },
                "findings": findings,
                "editions": [
                    {
                        "format": r.job.format,
                        "path": str(r.job.path),
                        "built": r.built is not None,
                        "bytes": r.built.size if r.built else None,
                        "files": r.built.files if r.built else None,
                        "seconds": round(r.seconds, 3),
                    }
                    for r in results
                ],
            }
        )
    failed = sum(1 for e in entries if e["status"] == "failed")
    return {
        "schema": "exporter.report/1",
        "exporter": version,
        "seconds": round(seconds, 3),
        "jobs": workers,
        "issues": entries,
        "totals": {
            "issues": len(entries),
            "built": len(entries) - failed,
            "failed": failed,
            "editions": sum(1 for o in outcomes if o.built),
            "bytes": sum(o.built.size for o in outcomes if o.built),
        },
    }


def build_many(
    inputs: Sequence[str | Path],
    formats: Sequence[str] = ("epub", "pdf"),
    *,
    out: str | Path = "build",
    theme: str | Path | None = None,
    jobs: int = 1,
    templates: Path | None = None,
    print_marks: bool = False,
    pdf_variant: str | None = None,
) -> list[Outcome]:
    """Build the editions of many issues (files, folders, patterns such as ``archive/**/*.md``) into ``out``.

    A folder keeps its structure under ``out``. ``jobs`` editions are built at once, in worker
    processes when more than one. An issue that fails does not stop the others: each outcome says
    what was written, or the one-line error that stopped it. Options that cannot work together,
    and inputs that are not there, raise a :class:`UsageError` before anything is built.
    """
    editions.check(formats, Options(print_marks=print_marks, pdf_variant=pdf_variant))
    planned = plan([str(i) for i in inputs], formats, Path(out))
    chosen = str(theme) if theme is not None else None
    settings = Settings(tuple(formats), chosen, None, templates, None, print_marks, pdf_variant)
    return run(planned, settings, jobs)
