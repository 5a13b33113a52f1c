"""What the preview shows now (the last good build of each stage, the findings, the error), and a wait for its change.

The builds replace the :class:`Shown` whole, each change with a new version; the page is drawn from
it, and the event stream waits on :meth:`State.wait` to tell the browser of each version.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One line of the check's or the audit's findings, with its severity (error, warning, info)."""

    severity: str
    text: str


@dataclass(frozen=True)
class Page:
    """One page of the print edition drawn as a picture: its number, address and size in pixels."""

    number: int
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class Shown:
    """Everything the preview page shows, as one value: a build replaces it, with the next version."""

    #: Different in every run of the server: a browser that sees another session reloads the page.
    session: str
    #: The issue file, as the user named it.
    source: str
    version: int = 0
    theme: str = ""
    #: The issue's language (its front matter's), which the page images' captions are in.
    language: str = "zh-CN"
    #: The address of the web edition's index.html, of the last good build; ``None`` before the first.
    html: str | None = None
    #: When the web edition shown was built (local time, HH:MM:SS).
    html_at: str = ""
    #: The address of the print edition's PDF and its pages drawn, of the last good print build.
    pdf: str | None = None
    pages: tuple[Page, ...] = ()
    print_at: str = ""
    #: The findings ``exporter check`` shows for the issue.
    findings: tuple[Finding, ...] = ()
    #: The findings of the composition audit of the PDF shown; ``None`` before the first print build.
    audit: tuple[Finding, ...] | None = None
    #: The error that stopped the last build of the web edition, in one line; ``None`` when it was built.
    error: str | None = None
    #: The error that stopped the last build of the print edition.
    print_error: str | None = None
    #: Whether a print build is under way (its pages are those of an earlier build meanwhile).
    printing: bool = False

    @property
    def banner(self) -> str | None:
        """The error to show above everything: the web edition's, else the print edition's."""
        return self.error or self.print_error

    def event(self) -> dict[str, Any]:
        """What the event stream tells the browser of this version."""
        return {"session": self.session, "version": self.version, "html": self.html, "error": self.banner}


class State:
    """The :class:`Shown` of the moment, changed by the builds, waited on by the event streams."""

    def __init__(self, shown: Shown) -> None:
        self._shown = shown
        self._changed = threading.Condition()
        self._closed = False

    @property
    def shown(self) -> Shown:
        with self._changed:
            return self._shown

    @property
    def closed(self) -> bool:
        return self._closed

    def update(self, **changes: Any) -> Shown:
        """Replace what is shown by a copy with ``changes`` and the next version, and wake those waiting."""
        with self._changed:
            self._shown = replace(self._shown, version=self._shown.version + 1, **changes)
            self._changed.notify_all()
            return self._shown

    def wait(self, version: int | None, timeout: float) -> Shown:
        """What is shown once its version is not ``version`` (at once for ``None``), or after ``timeout`` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._shown.version != version, timeout)
            return self._shown

    def close(self) -> None:
        """The server stops: every wait ends."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
