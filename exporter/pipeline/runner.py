"""Runs a batch's jobs, one edition each, in worker processes: an issue with an error fails alone.

An issue with an error is not written, and the other issues are still built; Ctrl-C stops the
workers with no file half-written. :func:`build_many` is the whole of ``exporter build`` as a
library function.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from exporter import editions
from exporter.diagnostics import Diagnostic
from exporter.editions import Options
from exporter.errors import ExporterError, IssueErrors
from exporter.pipeline import Built, check_theme, prepare, write_edition
from exporter.pipeline.inputs import Job, Settings, plan_batch

if TYPE_CHECKING:
    from exporter.themecheck import Problem


@dataclass(frozen=True)
class Failure:
    """The error that stopped a job, for machines: its line in the issue (if any), kind and message."""

    line: int | None
    code: str
    message: str


@dataclass(frozen=True)
class Outcome:
    """What became of a job: the edition written, or the one-line error that stopped it.

    ``failure`` is that error when it is not one of the issue's ``diagnostics`` already;
    ``theme_warnings`` are the warnings of the issue's theme (:mod:`exporter.themecheck`).
    """

    job: Job
    built: Built | None
    error: str | None
    diagnostics: tuple[Diagnostic, ...]
    articles: int
    seconds: float
    internal: bool = False
    failure: Failure | None = None
    theme_warnings: tuple[Problem, ...] = ()


def run_job(job: Job, settings: Settings) -> Outcome:
    """Build one edition; a problem with the issue becomes the outcome's error, never an exception."""
    start = time.perf_counter()
    diagnostics: tuple[Diagnostic, ...] = ()
    warnings: tuple[Problem, ...] = ()
    articles = 0
    try:
        issue, theme = _prepared(job.source, settings)
        diagnostics, articles, warnings = issue.diagnostics, len(issue.articles), check_theme(theme)
        options = Options(
            job.source.parent,
            settings.override,
            settings.cache_dir,
            settings.print_marks,
            settings.pdf_variant,
            settings.processes,
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
    return Outcome(job, built, None, diagnostics, articles, time.perf_counter() - start, theme_warnings=warnings)


# The last issue this process parsed: the formats of one issue follow each other in a serial build.
_last: list[tuple[tuple[object, ...], Any]] = []


def _prepared(source: Path, settings: Settings) -> Any:
    """The issue parsed and its theme chosen, from the last job if it was the same issue."""
    stat = source.stat()
    key: tuple[object, ...] = (str(source.resolve()), stat.st_mtime_ns, stat.st_size, settings)
    if _last and _last[0][0] == key:
        return _last[0][1]
    _last.clear()
    result = prepare(
        source,
        theme=settings.theme,
        fallback_theme=settings.fallback_theme,
        defaults=settings.defaults,
        extra_css=settings.extra_css,
        script=settings.script,
    )
    _last.append((key, result))
    return result


def _preload(formats: Iterable[str]) -> list[str]:
    """Modules the worker processes import once, before they fork: each worker starts with them loaded."""
    modules = [
        "exporter.pipeline.runner",
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
    _run_in_workers(jobs, settings, workers, outcomes, started, finished)
    return [outcomes[i] for i in range(len(jobs))]


def _run_in_workers(
    jobs: Sequence[Job],
    settings: Settings,
    workers: int,
    outcomes: dict[int, Outcome],
    started: Callable[[Job], None],
    finished: Callable[[Outcome], None],
) -> None:
    """Run the jobs in ``workers`` worker processes, longest first, filling ``outcomes`` by the jobs' index.

    Ctrl-C stops the jobs that run (each removes its temporary file) and keeps those that ended.
    """
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
    script: str | None = None,
) -> list[Outcome]:
    """Build the editions of many issues (files, folders, patterns such as ``archive/**/*.md``) into ``out``.

    A folder keeps its structure under ``out``. ``jobs`` editions are built at once, in worker
    processes when more than one. An issue that fails does not stop the others: each outcome says
    what was written, or the one-line error that stopped it. Options that cannot work together,
    and inputs that are not there, raise a :class:`UsageError` before anything is built. ``script``
    (hans, hant, hk, tw) builds them converted to that Chinese script (:mod:`exporter.scripts`).
    """
    batch = plan_batch(
        [str(i) for i in inputs],
        formats=formats,
        out=Path(out),
        theme=str(theme) if theme is not None else None,
        jobs=jobs,
        templates=templates,
        print_marks=print_marks,
        pdf_variant=pdf_variant,
        script=script,
    )
    return run(batch.jobs, batch.settings, batch.workers)
