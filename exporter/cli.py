"""The ``exporter`` command line: parses arguments, calls the library, shows results."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from exporter.model import Issue

app = typer.Typer(
    name="exporter",
    help="Turn one issue of a newspaper, written as text, into an EPUB and a paginated PDF.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _fail(message: str, code: int = EXIT_ERRORS) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _load(path: Path) -> Issue:
    from exporter.errors import ExporterError
    from exporter.parser import parse_file

    if not path.exists():
        raise _fail(f"{path}: error: no such file: check the path", EXIT_USAGE)
    try:
        return parse_file(path)
    except ExporterError as exc:
        raise _fail(str(exc)) from None


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="Issue files to check.", show_default=False)],
    strict: Annotated[bool, typer.Option("--strict", help="Count warnings as errors.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Show errors only.")] = False,
) -> None:
    """Check issue files and list what was repaired or doubted, compiler style.

    Exit status: 0 when there are no errors, 1 when there are (warnings too with
    --strict), 2 on a usage error.
    """
    from exporter.errors import ExporterError
    from exporter.parser import parse_file

    failed = False
    for path in files:
        if not path.exists():
            typer.echo(f"{path}: error: no such file: check the path", err=True)
            raise typer.Exit(EXIT_USAGE)
        try:
            issue = parse_file(path)
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
    file: Annotated[Path, typer.Argument(help="The issue file.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the model as JSON (schema exporter.issue/1).")] = False,
) -> None:
    """Show the issue model as a readable tree, or as JSON."""
    issue = _load(file)
    if as_json:
        from exporter.serialize import to_json

        typer.echo(json.dumps(to_json(issue), ensure_ascii=False, indent=2, default=str))
        return
    from rich.console import Console

    from exporter.tree import tree

    Console(highlight=False).print(tree(issue))


EXIT_INTERNAL = 3


def main() -> None:
    """Entry point of the console script; a bug shows as one line unless EXPORTER_DEBUG is set."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("EXPORTER_DEBUG"):
            raise
        typer.echo(
            f"exporter: internal error ({type(exc).__name__}: {exc}); "
            "run again with EXPORTER_DEBUG=1 for the traceback and report it with the input file",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
