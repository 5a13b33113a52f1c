"""The ``exporter`` command line: parses arguments, calls the library, shows results.

Importing it costs typer alone: each command imports what it uses when it runs, so that ``exporter --help``
starts at once and ``exporter check`` loads no edition.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperCommand, TyperOption

if TYPE_CHECKING:
    from typer._click import Parameter

    from exporter.model import Issue
    from exporter.pipeline.inputs import Batch
    from exporter.pipeline.runner import Outcome

app = typer.Typer(
    name="exporter",
    help="Turn one issue of a newspaper, written as text, into an EPUB and a paginated PDF.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

#: The issue files a command reads: files, folders, patterns.
Inputs = Annotated[
    list[str],
    typer.Argument(
        help="Issue files, folders of them, or patterns such as 'archive/**/*.md'.",
        show_default=False,
        metavar="INPUT",
    ),
]

#: The exit statuses, as README.md's table lists them.
EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


#: ``--script``, of ``build`` and ``check``.
Script = Annotated[
    str | None,
    typer.Option(
        "--script",
        metavar="SCRIPT",
        help="Convert the issue to a Chinese script first (OpenCC): hans (simplified), hant (traditional), "
        "hk (Hong Kong) or tw (Taiwan). [default: as written]",
    ),
]


#: Stands in the help of an option for the editions installed, which :class:`_EditionsCommand` puts in.
_EDITIONS = "{editions}"


class _EditionsCommand(TyperCommand):
    """A command whose options' help names the editions installed, read when its options are first read.

    The editions are the packages' entry points, and reading them (importlib.metadata) costs more than
    the rest of ``exporter --help``; only the command itself and its own help read its options.
    """

    _params: list[Parameter]
    _named: bool = False

    @property
    def params(self) -> list[Parameter]:
        if not self._named:
            from exporter import editions

            names = ", ".join(editions.names())
            for param in self._params:
                if isinstance(param, TyperOption) and param.help and _EDITIONS in param.help:
                    param.help = param.help.replace(_EDITIONS, names)
            self._named = True
        return self._params

    @params.setter
    def params(self, value: list[Parameter]) -> None:
        self._params = value
        self._named = False


def _fail(message: str, code: int = EXIT_ERRORS) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _load(path: Path) -> Issue:
    from exporter.errors import ExporterError
    from exporter.parser import parse_file

    if not path.exists():
        raise _fail(f"{path}: error: no such file: check the path", EXIT_USAGE)
    if path.is_dir():
        raise _fail(f"{path}: error: this is a folder: pass the issue's .md file", EXIT_USAGE)
    try:
        return parse_file(path)
    except ExporterError as exc:
        raise _fail(str(exc)) from None


@app.command(short_help="Check issue files and list their findings, compiler style.")
def check(
    inputs: Inputs,
    strict: Annotated[bool, typer.Option("--strict", help="Count warnings as errors.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Show errors only.")] = False,
    theme: Annotated[
        str | None,
        typer.Option("--theme", "-t", metavar="THEME", help="Theme whose fonts to check against (else as for build)."),
    ] = None,
    script: Script = None,
) -> None:
    """Check issue files and list what was repaired or doubted, compiler style.

    Exit status: 0 when there are no errors, 1 when there are (warnings too with --strict), 2 on a
    usage error; the README lists them all.
    """
    from exporter.errors import ExporterError, UsageError
    from exporter.pipeline import check_file, check_script
    from exporter.pipeline.inputs import sources

    try:
        check_script(script)
        files = [given for given, _ in sources(inputs, Path("build")).values()]
    except UsageError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    failed = False
    for path in files:
        try:
            issue = check_file(path, theme=theme, script=script)
        except ExporterError as exc:
            typer.echo(str(exc))
            failed = True
            continue
        counts = {"error": 0, "warning": 0, "info": 0}
        for d in issue.diagnostics:
            counts[d.severity] += 1
            if not quiet or d.severity == "error":
                typer.echo(d.format(str(path)))
        if counts["error"] or (strict and counts["warning"]):
            failed = True
        summary = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in counts.items() if n) or "no problems"
        n, m = len(issue.articles), len(issue.sections)
        typer.echo(f"{path}: {n} article{'s' * (n != 1)} in {m} section{'s' * (m != 1)}; {summary}", err=True)
    raise typer.Exit(EXIT_ERRORS if failed else EXIT_OK)


@app.command()
def inspect(
    file: Annotated[Path, typer.Argument(help="The issue file.", show_default=False, metavar="FILE")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the model as JSON (schema exporter.issue/1).")] = False,
) -> None:
    """Show the issue model as a readable tree, or as JSON."""
    issue = _load(file)
    if as_json:
        import json

        from exporter.serialize import to_json

        typer.echo(json.dumps(to_json(issue), ensure_ascii=False, indent=2, default=str))
        return
    from rich.console import Console

    from exporter.cli.tree import tree

    Console(highlight=False).print(tree(issue))


def _formats(values: list[str] | None) -> tuple[str, ...] | None:
    """``--format epub,pdf`` and ``--format epub --format pdf`` alike."""
    if not values:
        return None
    return tuple(dict.fromkeys(f.strip().lower() for value in values for f in value.split(",") if f.strip()))


@app.command(cls=_EditionsCommand)
def build(
    inputs: Inputs,
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMATS",
            help=f"Editions to build, separated by commas: {_EDITIONS}. [default: epub,pdf]",
        ),
    ] = None,
    theme: Annotated[str | None, typer.Option("--theme", "-t", metavar="THEME", help="Theme name or folder.")] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="FOLDER", help="Folder to write the editions into. [default: build]"),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            metavar="N",
            help="Editions built at once, in worker processes. [default: the cores]",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Show errors only.")] = False,
    report: Annotated[
        Path | None,
        typer.Option("--report", metavar="FILE", help="Write what was built, with sizes, times and findings, as JSON."),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", metavar="FOLDER", help="A folder of templates that override the theme's."),
    ] = None,
    print_marks: Annotated[
        bool,
        typer.Option(
            "--print", help="PDF for a press: CMYK, 3 mm bleed, marks outside it, PDF/X-4; checked by preflight."
        ),
    ] = False,
    pdf_variant: Annotated[
        str | None,
        typer.Option(
            "--pdf-variant",
            metavar="VARIANT",
            help="PDF variant: pdf/a-3b, pdf/ua-1 and the others WeasyPrint offers; pdf/x-4 or pdf/x-1a for a press.",
        ),
    ] = None,
    script: Script = None,
) -> None:
    """Build the editions of issues into the output folder.

    Defaults come from exporter.toml in the working folder, if there is one; options override it.

    Exit status: 0 when every issue was built, 1 when some failed (the others are still built),
    2 on a usage error, when nothing is built, 3 when an issue met a bug in exporter (the others are
    still built), 130 when interrupted; the README lists them all.
    """
    # (Most of this function is its options' declarations, which typer reads; the work is the
    # library's plan_batch, then _run.)
    from exporter.errors import ExporterError
    from exporter.pipeline.inputs import plan_batch

    try:
        batch = plan_batch(
            inputs,
            formats=_formats(formats),
            out=out,
            theme=theme,
            jobs=jobs,
            templates=templates,
            report=report,
            print_marks=print_marks,
            pdf_variant=pdf_variant,
            project_dir=Path.cwd(),
            script=script,
        )
    except ExporterError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    outcomes = _run(batch, quiet, report)
    # A bug met in one issue is the README's internal error (3), though the other issues were built.
    failed = EXIT_INTERNAL if any(o.internal for o in outcomes) else EXIT_ERRORS
    raise typer.Exit(failed if any(o.error for o in outcomes) else EXIT_OK)


def _run(batch: Batch, quiet: bool, report_file: Path | None) -> list[Outcome]:
    """Run the batch with its progress on the terminal, then its summary, and write the report if asked."""
    import time

    from exporter import __version__
    from exporter.cli.console import Display
    from exporter.errors import ExporterError
    from exporter.pipeline import report, runner

    start = time.perf_counter()
    written: list[Path] = []

    def finished(outcome: Outcome) -> None:
        if outcome.built is not None:
            written.append(outcome.built.path)
        display.finished(outcome)

    try:
        with Display(batch.jobs, batch.workers, quiet=quiet) as display:
            outcomes = runner.run(batch.jobs, batch.settings, batch.workers, started=display.started, finished=finished)
    except KeyboardInterrupt:
        planned = len(batch.jobs)
        done = f"{len(written)} of {planned} editions written ({', '.join(map(str, written))})" if written else ""
        done = done or f"none of {planned} editions written"
        raise _fail(f"exporter: interrupted: {done}; no other file was written or changed", EXIT_INTERRUPTED) from None
    data = report.report(outcomes, time.perf_counter() - start, batch.workers, __version__)
    display.summary(data)
    if report_file is not None:
        try:
            report.write(report_file, data)
        except ExporterError as exc:
            raise _fail(str(exc)) from None
    return outcomes


@app.command(short_help="Preview an issue in a browser while it is edited: web edition, print pages, findings.")
def serve(
    file: Annotated[Path, typer.Argument(help="The issue file.", show_default=False, metavar="FILE")],
    theme: Annotated[str | None, typer.Option("--theme", "-t", metavar="THEME", help="Theme name or folder.")] = None,
    port: Annotated[
        int, typer.Option("--port", "-p", min=0, max=65535, metavar="N", help="Port to serve on; 0 picks a free one.")
    ] = 8000,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            metavar="HOST",
            help="Address to serve on. The default lets this machine alone see the preview.",
        ),
    ] = "127.0.0.1",
) -> None:
    """Preview an issue in a browser while it is edited: rebuilt each time the issue, its images or its theme change.

    The page shows the web edition, the print edition's pages, and the findings of `exporter check` and
    of the composition audit; an error that stops a build is shown above them, the last good build
    staying shown. The editions are built into a temporary folder, never into build/. Defaults come
    from exporter.toml in the working folder, as for build.

    Exit status: 0 when stopped with Ctrl-C, 2 on a usage error (no such file, an unknown theme, a port
    in use); the README lists them all.
    """
    from exporter.errors import ExporterError
    from exporter.preview import serve as preview

    if not file.exists():
        raise _fail(f"{file}: error: no such file: check the path", EXIT_USAGE)
    if file.is_dir():
        raise _fail(f"{file}: error: this is a folder: pass the issue's .md file", EXIT_USAGE)

    def ready(url: str) -> None:
        typer.echo(f"serving {file} at {url} (Ctrl-C stops)")
        sys.stdout.flush()

    try:
        preview(file, theme=theme, host=host, port=port, project_dir=Path.cwd(), ready=ready)
    except ExporterError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None


@app.command(short_help="Audit the Chinese line composition and the page make-up of PDFs, as a newspaper desk would.")
def audit(
    files: Annotated[
        list[Path],
        typer.Argument(help="PDF files, from exporter or any other program.", show_default=False, metavar="FILE"),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the findings as JSON (schema exporter.audit/2).")
    ] = False,
    page: Annotated[
        int | None, typer.Option("--page", min=1, metavar="N", help="Audit page N only (1 is the first page).")
    ] = None,
) -> None:
    """Audit the Chinese line composition and the page make-up of PDFs: one line per finding, then a summary per page.

    Findings: line-start, line-end, punct-gap, latin-gap, tracking, short-line, lone-char,
    broken-dash; of the page make-up: stranded-headline, widow-page, underfull-page,
    mismatched-jump (docs/typography.md says what each means and how lines and pages are measured).

    Exit status: 0 when no PDF has a finding, 1 when one has, 2 when a PDF cannot be read (no such
    file, not a PDF, encrypted, damaged, no such page) or on a usage error; the README lists them all.
    """
    import dataclasses
    import json

    from exporter.audit import FileAudit, page_report, to_json
    from exporter.audit import audit as audit_pdf
    from exporter.cli.auditview import audit_report
    from exporter.errors import AuditError

    audits: list[FileAudit] = []
    unreadable = False
    for path in files:
        try:
            one = audit_pdf(path, page)
            if one.makeup is None:  # one page read: the page rules need them all
                one = dataclasses.replace(one, makeup=page_report(path))
            audits.append(one)
        except AuditError as exc:
            typer.echo(str(exc), err=True)
            unreadable = True
    if as_json:
        typer.echo(json.dumps(to_json(audits, page), ensure_ascii=False, indent=2))
    else:
        audit_report(audits, page)
    found = any(one.findings or one.page_findings(page) for one in audits)
    raise typer.Exit(EXIT_USAGE if unreadable else EXIT_ERRORS if found else EXIT_OK)


@app.command(short_help="Preflight PDFs as a newspaper printer's prepress would: PDF/X, boxes, colour, fonts, ink.")
def preflight(
    files: Annotated[
        list[Path],
        typer.Argument(help="PDF files, from exporter or any other program.", show_default=False, metavar="FILE"),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the reports as JSON (schema exporter.preflight/1).")
    ] = False,
    ink_limit: Annotated[
        int, typer.Option("--ink-limit", min=100, max=400, metavar="PERCENT", help="Highest total ink (C+M+Y+K).")
    ] = 240,
    min_ppi: Annotated[
        int, typer.Option("--min-ppi", min=1, metavar="PPI", help="Lowest effective resolution of an image.")
    ] = 150,
) -> None:
    """Preflight PDFs as a newspaper printer's prepress department would: one line per fault, then one per file.

    Findings: no-pdfx, no-output-intent, intent-not-cmyk, pdf-version, trapped, no-id, encrypted,
    transparency (PDF/X-1a and X-3), boxes, bleed, marks-in-bleed, rgb, rich-black-text,
    black-knockout, font-not-embedded, font-undrawable, no-tounicode, low-resolution, ink-limit.
    The ink is measured by rendering with Ghostscript (gs).

    Exit status: 0 when no PDF has an error (warnings allowed), 1 when one has, 2 when a PDF cannot
    be read (no such file, not a PDF, encrypted, damaged) or Ghostscript is missing.
    """
    import json

    from exporter.errors import PreflightError
    from exporter.preflight import SCHEMA, Report, summary, to_json
    from exporter.preflight import preflight as preflight_pdf

    reports: list[Report] = []
    unreadable = False
    for path in files:
        try:
            report = preflight_pdf(path, ink_limit=ink_limit, min_ppi=min_ppi)
        except PreflightError as exc:
            typer.echo(str(exc), err=True)
            unreadable = True
            continue
        reports.append(report)
        if not as_json:
            for line in report.lines():
                typer.echo(line)
            typer.echo(summary(report))
    if as_json:
        typer.echo(json.dumps({"schema": SCHEMA, "files": [to_json(r) for r in reports]}, ensure_ascii=False, indent=2))
    failed = any(r.failed for r in reports)
    raise typer.Exit(EXIT_USAGE if unreadable else EXIT_ERRORS if failed else EXIT_OK)


themes_app = typer.Typer(help="List, show and create themes.", no_args_is_help=True)
app.add_typer(themes_app, name="themes")


def _theme(name: str):  # type: ignore[no-untyped-def]
    from exporter import theming as themes
    from exporter.errors import ExporterError

    try:
        return themes.load(name)
    except ExporterError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None


@themes_app.command("list")
def themes_list() -> None:
    """The themes there are, with what each is for."""
    from exporter import theming as themes

    for name, folder in sorted(themes.available().items()):
        if name == themes.BASE:
            continue
        theme = _theme(str(folder))
        default = "  (default)" if name == themes.DEFAULT else ""
        typer.echo(f"{name:<10} {theme.description}{default}")


@themes_app.command("show", short_help="A theme's inheritance, options, fonts and edition settings.")
def themes_show(name: Annotated[str, typer.Argument(help="Theme name or folder.", metavar="THEME")]) -> None:
    """A theme's inheritance, options with their defaults, fonts and edition settings."""
    import json

    from exporter import editions

    theme = _theme(name)
    typer.echo(f"{theme.name}: {theme.description}")
    typer.echo(f"folder: {theme.path}")
    typer.echo("inherits: " + " -> ".join(t.name for t in theme.chain[1:]) if theme.parent else "inherits: nothing")
    typer.echo("options:")
    for key, value in sorted(theme.options.items()):
        typer.echo(f"  {key} = {json.dumps(value, ensure_ascii=False)}")
    typer.echo("fonts:")
    for role, families in sorted(theme.fonts.items()):
        typer.echo(f"  {role}: {', '.join(families)}")
    for edition in editions.names():
        settings = ", ".join(f"{k} = {v}" for k, v in sorted(theme.edition(edition).items()))
        typer.echo(f"edition {edition}: {settings}")


@themes_app.command("check", short_help="Check themes for mistakes the editions would pass over in silence.")
def themes_check(
    names: Annotated[list[str], typer.Argument(help="Theme names or folders.", metavar="THEME", show_default=False)],
) -> None:
    """Check themes and the themes they inherit: unknown options, labels and fonts, wrong values, CSS and templates.

    Each problem is one line, `file:line: error|warning: what: fix`. Errors stop every build; warnings
    are printed by every build. Exit status: 0 when no theme has a problem, 1 when one has (or cannot
    be loaded), 2 when a theme does not exist.
    """
    from exporter import themecheck
    from exporter import theming as themes
    from exporter.errors import ExporterError

    failed = False
    for name in names:
        try:
            theme = themes.load(name)
        except ExporterError as exc:
            if not ((Path(name) / "theme.toml").is_file() or name in themes.available()):
                raise _fail(str(exc), EXIT_USAGE) from None
            typer.echo(str(exc))  # a theme that does not load: its first problem
            typer.echo(f"{name}: 1 error", err=True)
            failed = True
            continue
        problems = themecheck.check(theme)
        for problem in problems:
            typer.echo(problem.format())
        counts = {s: sum(1 for p in problems if p.severity == s) for s in ("error", "warning")}
        summary = ", ".join(f"{n} {s}{'s' * (n != 1)}" for s, n in counts.items() if n) or "no problems"
        typer.echo(f"{name}: {summary}", err=True)
        failed = failed or bool(problems)
    raise typer.Exit(EXIT_ERRORS if failed else EXIT_OK)


@themes_app.command("new", short_help="Create a theme folder that inherits another.")
def themes_new(
    name: Annotated[str, typer.Argument(help="Name of the new theme (also its folder's).", metavar="NAME")],
    base: Annotated[str, typer.Option("--from", metavar="THEME", help="The theme it inherits.")] = "classic",
    into: Annotated[Path, typer.Option("--dir", metavar="FOLDER", help="Where to create the theme folder.")] = Path(
        "."
    ),
) -> None:
    """Create a theme folder that inherits another, with one commented override to start from."""
    from exporter import theming as themes
    from exporter.errors import ExporterError

    try:
        folder = themes.new(name, base, into)
    except ExporterError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    sources = ", ".join(str(where) for where in themes.template_sources(themes.load(folder)))
    typer.echo(f"created {folder}: build with --theme {folder}; copy templates to override from {sources}")


fonts_app = typer.Typer(help="List the fonts and check an issue against them.", no_args_is_help=True)
app.add_typer(fonts_app, name="fonts")


@fonts_app.command("list", short_help="The fonts a theme's roles resolve to.")
def fonts_list(
    theme: Annotated[str, typer.Option("--theme", "-t", metavar="THEME", help="Theme name or folder.")] = "classic",
    language: Annotated[
        str, typer.Option("--language", "-l", metavar="LANGUAGE", help="Issue language, such as zh-TW.")
    ] = "zh-CN",
) -> None:
    """The fonts a theme's roles resolve to: source, file and whether they are vertical-safe."""
    from exporter import fonts
    from exporter.errors import ExporterError

    chosen = _theme(theme)
    try:
        chains = fonts.resolve(chosen.font_roles(language), chosen.font_dirs)
    except ExporterError as exc:
        raise _fail(str(exc)) from None
    for role, chain in sorted(chains.items()):
        typer.echo(f"{role}:")
        for face in chain:
            vertical = "vertical-safe" if face.vertical else "NOT vertical-safe"
            typer.echo(f"  {face.family} {face.weight} [{face.source}] {vertical}  {face.path}#{face.index}")


@fonts_app.command("check")
def fonts_check(
    file: Annotated[Path, typer.Argument(help="The issue file.", show_default=False, metavar="FILE")],
    theme: Annotated[str | None, typer.Option("--theme", "-t", metavar="THEME", help="Theme name or folder.")] = None,
) -> None:
    """Check that every character of an issue is in the theme's fonts."""
    from exporter.errors import ExporterError
    from exporter.pipeline import check_fonts, load_theme

    issue = _load(file)
    try:
        chosen = load_theme(issue, theme)
    except ExporterError as exc:
        raise _fail(str(exc), EXIT_USAGE if theme is not None else EXIT_ERRORS) from None
    try:
        check_fonts(issue, chosen)
    except ExporterError as exc:
        raise _fail(str(exc)) from None
    count = len({ch for _, text in issue.texts() for ch in text if not ch.isspace()})
    typer.echo(f"{file}: all {count} characters are in the fonts of theme {chosen.name}")


def main() -> None:
    """Entry point of the console script: every ending is one line and an exit status of the README's table.

    A command-line mistake click finds (an unknown option, a bad value) is a usage error; a bug shows
    as one line unless EXPORTER_DEBUG is set.
    """
    from typer._click.exceptions import ClickException, NoArgsIsHelpError
    from typer._click.exceptions import UsageError as ClickUsageError

    try:
        code = app(standalone_mode=False)
    except NoArgsIsHelpError as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except ClickUsageError as exc:
        command = exc.ctx.command_path if exc.ctx is not None else "exporter"
        message = exc.format_message().rstrip(".")
        typer.echo(f"exporter: error: {message[:1].lower()}{message[1:]}: see `{command} --help`", err=True)
        sys.exit(EXIT_USAGE)
    except ClickException as exc:
        typer.echo(f"exporter: error: {exc.format_message()}", err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        typer.echo("exporter: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:
        if os.environ.get("EXPORTER_DEBUG"):
            raise
        typer.echo(
            f"exporter: internal error ({type(exc).__name__}: {exc}); this is a bug: "
            "run again with EXPORTER_DEBUG=1 for the traceback and report it with the input file",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
