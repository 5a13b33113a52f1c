"""The project's own exceptions for problems a user can cause and fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from exporter.diagnostics import Diagnostic


def suggest(word: str, known: Iterable[str]) -> str:
    """``did you mean `x`?`` for the known word closest to ``word``; empty when none is close."""
    close = difflib.get_close_matches(word, list(known), n=1)
    return f"did you mean `{close[0]}`?" if close else ""


class ExporterError(Exception):
    """A problem in the input or the set-up, told in one line with file, line and a fix.

    With no file it is told as the command's: ``exporter: error: …``. ``code`` names the kind of
    problem for machines (the ``--report`` findings).
    """

    code = "error"

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or "exporter"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: error: {self.message}"


class InputError(ExporterError):
    """The issue file cannot be read as an issue (empty, binary, undecodable, no article)."""

    code = "input"


class IssueErrors(InputError):
    """The issue has errors among its findings: told as ``check`` tells the first; all of them kept."""

    def __init__(self, path: str, errors: tuple[Diagnostic, ...], diagnostics: tuple[Diagnostic, ...]) -> None:
        first = errors[0]
        more = f" (and {len(errors) - 1} more errors: run `exporter check`)" if len(errors) > 1 else ""
        super().__init__(first.message + more, path=path, line=first.line)
        self.code = first.code
        self.diagnostics = diagnostics

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: error[{self.code}]: {self.message}"


class FrontMatterError(InputError):
    """The front matter is not valid YAML or TOML, or a key has a wrong value."""

    code = "front-matter"


class ThemeError(ExporterError):
    """A theme cannot be found, inherits in a cycle, or has an error in a file."""

    code = "theme"


class FontError(ExporterError):
    """No font serves a role, a font file cannot be read, or a subset cannot be made."""

    code = "font"


class UsageError(ExporterError):
    """The command was asked for something it cannot do: no such input, outputs that would collide."""

    code = "usage"


class ToolError(ExporterError):
    """An outside program an edition is made with failed: calibre's ebook-convert for the Kindle edition."""

    code = "tool"


class ProjectError(ExporterError):
    """The project file ``exporter.toml`` is not valid TOML or has a wrong key or value."""

    code = "project"


class AuditError(ExporterError):
    """A PDF given to ``exporter audit`` cannot be read: missing, not a PDF, encrypted or damaged."""

    code = "audit"


class PreflightError(ExporterError):
    """A PDF given to ``exporter preflight`` cannot be read (missing, not a PDF, encrypted, damaged) or rendered."""

    code = "preflight"
