"""The project's own exceptions for problems a user can cause and fix."""

from __future__ import annotations


class ExporterError(Exception):
    """A problem in the input or the set-up, told in one line with file, line and a fix."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: error: {self.message}"


class InputError(ExporterError):
    """The issue file cannot be read as an issue (empty, binary, undecodable, no article)."""


class FrontMatterError(InputError):
    """The front matter is not valid YAML or TOML, or a key has a wrong value."""


class ThemeError(ExporterError):
    """A theme cannot be found, inherits in a cycle, or has an error in a file."""


class FontError(ExporterError):
    """No font serves a role, a font file cannot be read, or a subset cannot be made."""


class UsageError(ExporterError):
    """The command was asked for something it cannot do: no such input, outputs that would collide."""


class ProjectError(ExporterError):
    """The project file ``exporter.toml`` is not valid TOML or has a wrong key or value."""
