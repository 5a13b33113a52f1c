"""Finds the issue files a batch is given and plans the editions each becomes, before anything is built.

Outputs are planned first, so that two issues never write the same file and no output replaces an
input; a folder given keeps its structure under the output folder.
"""

from __future__ import annotations

import glob
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from exporter import editions
from exporter.errors import UsageError

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
    extra_css: tuple[Path, ...] = ()
    script: str | None = None
    #: Processes one edition may lay its pages out in: the cores left to each of the jobs running at once.
    processes: int = 1


@dataclass(frozen=True)
class Job:
    """One edition of one issue: the issue file, its format, and the file or folder it becomes."""

    source: Path
    format: str
    path: Path


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
    editions.check(formats, editions.Options())
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


@dataclass(frozen=True)
class Batch:
    """A build asked for and checked: its jobs, what every issue is built with, and how many run at once."""

    jobs: list[Job]
    settings: Settings
    workers: int


def plan_batch(
    inputs: Sequence[str],
    *,
    formats: Sequence[str] | None = None,
    out: Path | None = None,
    theme: str | None = None,
    jobs: int | None = None,
    templates: Path | None = None,
    report: Path | None = None,
    print_marks: bool = False,
    pdf_variant: str | None = None,
    project_dir: Path | None = None,
    script: str | None = None,
) -> Batch:
    """The batch ``exporter build`` runs, every option checked: a :class:`UsageError` before anything is built.

    The project file of ``project_dir`` (``exporter.toml``; none if ``None``) gives what an option
    leaves unset: formats, output folder, theme, jobs, script and the masthead's defaults; its
    ``extra_css`` is added to whatever theme is used. ``script`` (hans, hant, hk, tw) converts every
    issue to that Chinese script before its editions are made (:mod:`exporter.scripts`).
    """
    from exporter import theming
    from exporter.pipeline import check_options, check_script, project, writable

    check_script(script)
    defaults = project.load(project_dir) if project_dir is not None else project.Project()
    chosen = tuple(formats or defaults.formats or ("epub", "pdf"))
    check_options(chosen, print_marks=print_marks, pdf_variant=pdf_variant)
    if theme is not None or defaults.theme is not None:
        theming.load(theme or defaults.theme or theming.DEFAULT)
    folder = out or defaults.out or Path("build")
    jobs_planned = plan(inputs, chosen, folder)
    if report is not None:
        _check_report(report, jobs_planned)
    if templates is not None and not templates.is_dir():
        raise UsageError("is not a folder: give --templates a folder of templates", path=str(templates))
    writable(folder, "--out")
    settings = Settings(
        chosen,
        theme,
        defaults.theme,
        templates,
        None,
        print_marks,
        pdf_variant,
        dict(defaults.masthead),
        defaults.extra_css,
        script or defaults.script,
    )
    allowed = jobs or defaults.jobs or cores()
    workers = max(1, min(allowed, len(jobs_planned)))
    return Batch(jobs_planned, replace(settings, processes=max(1, allowed // workers)), workers)


def _check_report(report: Path, planned: Sequence[Job]) -> None:
    """The ``--report`` file can be written, and is not one of the inputs."""
    from exporter.pipeline import writable

    if report.is_dir():
        raise UsageError("is a folder: give --report a file name, such as report.json", path=str(report))
    if report.resolve() in {job.source.resolve() for job in planned}:
        raise UsageError("the report would replace an input: choose another --report path", path=str(report))
    writable(report.parent, "--report", report)


def cores() -> int:
    """The cores this process may run on."""
    return editions.cores()
