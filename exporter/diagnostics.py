"""Diagnostics: what the parser repaired or doubts, with code, severity and line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding about the input, located by its 1-based source line."""

    line: int
    code: str
    severity: Severity
    message: str

    def format(self, path: str) -> str:
        """Compiler style: ``path:line: severity[code]: message``."""
        return f"{path}:{self.line}: {self.severity}[{self.code}]: {self.message}"
