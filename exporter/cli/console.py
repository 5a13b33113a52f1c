"""Shows a batch build as it runs and sums it up: rich progress on a terminal, plain lines elsewhere.

Errors go to standard error, always, one line each; ``quiet`` leaves nothing else. Without it an
issue's warnings are shown once, as ``check`` shows them, and a theme's once for the whole batch; each
edition when it is written, and a summary at the end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from exporter.pipeline.inputs import Job
from exporter.pipeline.runner import Outcome

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID


def size(n: int) -> str:
    """A byte count as people read it: 726 KiB, 12.4 MiB."""
    if n < 1024 * 1024:
        return f"{max(n, 1) / 1024:.0f} KiB" if n else "0 KiB"
    return f"{n / 1024 / 1024:.1f} MiB"


class Display:
    """Receives a batch's events and shows them; use it as a context manager around the run.

    One small method per event (started, finished, summary) over one state: the live progress
    line, the lines printed and the counts, which a terminal and a log file show differently.
    """

    def __init__(self, jobs: Sequence[Job], workers: int, *, quiet: bool, terminal: bool | None = None) -> None:
        from rich.console import Console

        self.jobs = jobs
        self.workers = workers
        self.quiet = quiet
        self.out: Console = Console(highlight=False, soft_wrap=True)
        self.err: Console = Console(stderr=True, highlight=False, soft_wrap=True)
        self.terminal = self.out.is_terminal if terminal is None else terminal
        self.progress: Progress | None = None
        self.overall: TaskID | None = None
        self.rows: dict[Job, TaskID] = {}
        self.seen: set[Path] = set()
        self.errors: set[str] = set()
        self.told: set[str] = set()

    def __enter__(self) -> Display:
        if self.terminal and not self.quiet:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TimeElapsedColumn

            self.progress = Progress(
                SpinnerColumn(),
                "{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.out,
                transient=True,
            )
            self.progress.start()
            issues = len({job.source for job in self.jobs})
            self.overall = self.progress.add_task(
                f"{issues} issue{'s' * (issues != 1)}, {self.workers} at a time", total=len(self.jobs)
            )
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.progress is not None:
            self.progress.stop()

    def started(self, job: Job) -> None:
        """A job went to a worker: a row with a spinner on a terminal."""
        if self.progress is not None:
            self.rows[job] = self.progress.add_task(f"  {job.source.name} → {job.format}", total=None)

    def finished(self, outcome: Outcome) -> None:
        """A job ended: its error, the issue's warnings the first time, the edition written."""
        job = outcome.job
        if self.progress is not None:
            row = self.rows.pop(job, None)
            if row is not None:
                self.progress.remove_task(row)
            if self.overall is not None:
                self.progress.advance(self.overall)
        if outcome.error is not None:
            if outcome.error not in self.errors:
                self.errors.add(outcome.error)
                self.err.print(outcome.error, markup=False)
            return
        if self.quiet:
            return
        for warning in outcome.theme_warnings:
            line = warning.format()
            if line not in self.told:
                self.told.add(line)
                self.err.print(line, markup=False)
        if job.source not in self.seen:
            self.seen.add(job.source)
            for note in outcome.diagnostics:
                if note.severity != "info":
                    self.err.print(note.format(str(job.source)), markup=False)
        built = outcome.built
        assert built is not None
        files = f"{built.files} files, " if built.files > 1 else ""
        self.out.print(
            f"{job.source}: wrote {built.path} ({built.format}, {files}{size(built.size)}, {outcome.seconds:.1f} s)",
            markup=False,
        )

    def summary(self, report: Mapping[str, Any]) -> None:
        """Per issue its editions, size, time and findings; then the totals (for more than one issue).

        ``report`` is the batch as :func:`exporter.pipeline.report.report` gives it, the same data as ``--report``.
        """
        totals = report["totals"]
        if self.quiet or totals["issues"] < 2:
            return
        rows = []
        for entry in report["issues"]:
            built = [e for e in entry["editions"] if e["built"]]
            counts = [f"{n} {severity}{'s' * (n != 1)}" for severity, n in entry["diagnostics"].items() if n]
            rows.append(
                (
                    entry["source"],
                    "failed" if entry["status"] == "failed" else ", ".join(e["format"] for e in built),
                    size(sum(e["bytes"] for e in built)) if built else "",
                    f"{sum(e['seconds'] for e in entry['editions']):.1f} s",
                    ", ".join(counts) or "none",
                )
            )
        jobs = report["jobs"]
        total = (
            f"{totals['built']} of {totals['issues']} issues built: {totals['editions']} editions, "
            f"{size(totals['bytes'])}, in {report['seconds']:.1f} s with {jobs} job{'s' * (jobs != 1)}"
        )
        if totals["failed"]:
            total += f"; {totals['failed']} failed (errors above)"
        if self.terminal:
            from rich.table import Table

            table = Table(box=None, pad_edge=False, show_edge=False)
            for name, justify in (
                ("issue", "left"),
                ("editions", "left"),
                ("size", "right"),
                ("time", "right"),
                ("findings", "left"),
            ):
                table.add_column(name, justify=justify)  # type: ignore[arg-type]
            for row in rows:
                table.add_row(*row, style="red" if row[1] == "failed" else None)
            self.out.print(table)
            self.out.print(total, markup=False)
        else:
            for name, made, amount, took, findings in rows:
                what = "FAILED" if made == "failed" else f"{made} ({amount})"
                self.out.print(f"{name}: {what} in {took}; findings: {findings}", markup=False)
            self.out.print(total, markup=False)
