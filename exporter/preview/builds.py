"""Builds the preview of an issue in two stages: the web edition with the check's findings, then the print pages.

The first stage is quick (well under a second for a small issue): it checks the issue as ``exporter
check`` does and builds the HTML edition. The second takes seconds: it renders the PDF, draws its
pages as pictures and audits its composition. Each build goes to a folder of its own, named by its
generation, under the preview's build folder, so that a browser never sees half of one build and
half of another; a build that fails leaves the last good one shown, with its error as the banner.
"""

from __future__ import annotations

import contextlib
import itertools
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from exporter.editions import Options
from exporter.errors import ExporterError
from exporter.model import Issue
from exporter.preview.state import Finding, Page, State
from exporter.theming import Theme

#: The width, in pixels, the print pages are drawn at.
PAGE_WIDTH = 900


@dataclass(frozen=True)
class Prepared:
    """What the first stage hands the second: the checked issue, its theme and options, and its generation."""

    generation: int
    issue: Issue
    theme: Theme
    options: Options


class Builder:
    """Builds the stages of one issue's preview into ``folder`` and shows each result in ``state``."""

    def __init__(self, source: Path, folder: Path, state: State, theme: str | None, project_dir: Path) -> None:
        self.source = source
        self.folder = folder
        self.state = state
        self.theme = theme
        self.project_dir = project_dir
        self._generations = itertools.count(1)
        #: The theme of the last build that found one, for the watcher: its folders are watched.
        self.last_theme: Theme | None = None
        if theme is not None:  # watched from the start, even when the issue cannot be built yet
            from exporter import theming

            with contextlib.suppress(ExporterError):
                self.last_theme = theming.load(theme)

    def web(self) -> Prepared | None:
        """The first stage: the check's findings and the web edition; ``None`` when the issue cannot be built."""
        from exporter.pipeline import prepare, project, write

        generation = next(self._generations)
        findings = self.findings()
        try:
            defaults = project.load(self.project_dir)
            issue, theme = prepare(
                self.source,
                theme=self.theme,
                fallback_theme=defaults.theme,
                defaults=defaults.masthead,
                extra_css=defaults.extra_css,
                script=defaults.script,
            )
            self.last_theme = theme
            # One process: the server's threads run beside the print stage, and a process forked from a
            # process with threads may inherit a lock another thread holds.
            options = Options(source_dir=self.source.parent, processes=1)
            write(issue, "html", self.folder / "html" / str(generation), theme=theme, options=options)
        except ExporterError as exc:
            self.state.update(findings=findings, error=str(exc))
            return None
        except Exception as exc:  # a bug: told in the banner, and the server goes on
            self.state.update(findings=findings, error=internal(exc))
            return None
        before = self.state.shown.html
        self.state.update(
            findings=findings,
            error=None,
            html=f"/html/{generation}/index.html",
            html_at=time.strftime("%H:%M:%S"),
            theme=theme.name,
            language=issue.masthead.language,
            printing=True,
        )
        self._prune("html", keep={generation, _generation(before)})
        return Prepared(generation, issue, theme, options)

    def findings(self) -> tuple[Finding, ...]:
        """What ``exporter check`` prints for the issue, one finding a line; its one error if it cannot read it."""
        from exporter.pipeline import check_file

        try:
            issue = check_file(self.source, theme=self.theme, project_dir=self.project_dir)
        except ExporterError as exc:
            return (Finding("error", str(exc)),)
        except Exception as exc:
            return (Finding("error", internal(exc)),)
        return tuple(Finding(d.severity, d.format(str(self.source))) for d in issue.diagnostics)

    def printed(self, job: Prepared, current: Callable[[], bool]) -> None:
        """The second stage: the PDF, its pages drawn and its audit; given up as soon as ``current()`` is false.

        ``current`` says whether ``job`` is still the newest build: a change made meanwhile starts
        another, and this one is thrown away.
        """
        from exporter.pipeline import render

        folder = self.folder / "print" / str(job.generation)
        try:
            pdf = render(job.issue, "pdf", theme=job.theme, options=job.options)
            if not current():
                return
            assert isinstance(pdf, bytes)
            pages, audit = self._pictures(pdf, folder, job.generation, current)
            if pages is None:
                shutil.rmtree(folder, ignore_errors=True)
                return
        except ExporterError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            if current():
                self.state.update(print_error=str(exc), printing=False)
            return
        except Exception as exc:
            shutil.rmtree(folder, ignore_errors=True)
            if current():
                self.state.update(print_error=internal(exc), printing=False)
            return
        before = self.state.shown.pdf
        self.state.update(
            pdf=f"/print/{job.generation}/{self.pdf_name}",
            pages=pages,
            audit=audit,
            print_at=time.strftime("%H:%M:%S"),
            print_error=None,
            printing=False,
        )
        self._prune("print", keep={job.generation, _generation(before)})

    @property
    def pdf_name(self) -> str:
        return f"{self.source.stem}.pdf"

    def _pictures(
        self, pdf: bytes, folder: Path, generation: int, current: Callable[[], bool]
    ) -> tuple[tuple[Page, ...] | None, tuple[Finding, ...]]:
        """The pages of ``pdf`` drawn into ``folder``, and its audit; no pages when a newer build came meanwhile."""
        from exporter.audit import audit
        from exporter.editions.eedition.raster import draw_pages

        folder.parent.mkdir(exist_ok=True)
        folder.mkdir()  # never the build folder itself: a server that stopped has removed it
        file = folder / self.pdf_name
        file.write_bytes(pdf)
        pages = []
        for number, drawn in enumerate(draw_pages(pdf, widths=[PAGE_WIDTH], formats={PAGE_WIDTH: ["png"]}), 1):
            if not current():
                return None, ()
            name = f"page-{number:03d}.png"
            (folder / name).write_bytes(drawn.pictures[(PAGE_WIDTH, "png")])
            height = round(PAGE_WIDTH * drawn.height_pt / drawn.width_pt)
            pages.append(Page(number, f"/print/{generation}/{name}", PAGE_WIDTH, height))
        found = audit(file)
        lines = [Finding("warning", f"page {f.page}: {f.kind}: {f.message} «{f.text}»") for f in found.findings]
        lines += [Finding("warning", str(p)) for p in found.page_findings()]
        return tuple(pages), tuple(lines)

    def _prune(self, kind: str, keep: set[int | None]) -> None:
        """Remove the builds of ``kind`` but those in ``keep``: a browser may still be reading the one before."""
        folder = self.folder / kind
        for build in folder.iterdir() if folder.is_dir() else ():
            if build.name.isdigit() and int(build.name) not in keep:
                shutil.rmtree(build, ignore_errors=True)


def _generation(url: str | None) -> int | None:
    """The generation of a build's address, ``/html/3/index.html`` → 3."""
    parts = (url or "").split("/")
    return int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None


def internal(exc: Exception) -> str:
    """A bug met in a build, told in one line as the command line tells it."""
    return (
        f"exporter: internal error ({type(exc).__name__}: {exc}); this is a bug: "
        "run `exporter build` on the issue with EXPORTER_DEBUG=1 for the traceback and report it with the input file"
    )
