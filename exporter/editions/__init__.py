"""The editions an issue is built into, as plug-ins: the ``Edition`` protocol, its options, and the registry.

An edition turns a parsed issue and a theme into bytes: one file (the EPUB, the PDF) or a folder
of files (the web edition). exporter's own are declared as ``exporter.editions`` entry points in
``pyproject.toml``, and a package adds one the same way (docs/api.md, "Writing an edition"); the
command line's ``--format`` choices, the theme's ``[edition.NAME]`` tables and the batch's
scheduling all come from here, so a new edition is one class and one line of packaging.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from exporter import plugins
from exporter.errors import UsageError

if TYPE_CHECKING:
    from exporter.model import Issue
    from exporter.theming import Theme


@dataclass(frozen=True)
class Options:
    """How an edition is built: where its figures are, templates that override the theme's, and print settings.

    ``print_marks`` and ``pdf_variant`` are the PDF's (``--print``, ``--pdf-variant``); an edition
    names the options it reads in :attr:`Edition.reads`, and setting one that no edition being
    built reads is a usage error.
    """

    #: The folder the issue's figures are found in (the issue file's); ``None`` for an issue given as text.
    source_dir: Path | None = None
    #: A folder of templates that override the theme's (``--templates``).
    override: Path | None = None
    #: Where fonts made for the issue are kept; ``None`` for the user's cache folder.
    cache_dir: Path | None = None
    #: A PDF for a printer: bleed, crop marks, PDF/X-4 (``--print``).
    print_marks: bool = False
    #: The PDF variant WeasyPrint writes (``--pdf-variant``).
    pdf_variant: str | None = None
    #: Processes the print edition lays its 版 out in at once (``--jobs`` left to one edition); None: the cores.
    processes: int | None = None

    def given(self) -> dict[str, str]:
        """The edition-specific options that are set, by field name, with the flag that sets them."""
        flags = {"print_marks": "--print", "pdf_variant": "--pdf-variant"}
        return {name: flag for name, flag in flags.items() if getattr(self, name) not in (None, False)}


@runtime_checkable
class Edition(Protocol):
    """One kind of output: what ``--format NAME`` builds."""

    #: The name ``--format`` and ``[edition.NAME]`` take, and the file suffix of a one-file edition.
    name: ClassVar[str]
    #: The name in messages ("PDF", "EPUB", "web edition").
    title: ClassVar[str]
    #: Whether the edition is a folder of files (``out/ISSUE/``) rather than one file (``out/ISSUE.NAME``).
    folder: ClassVar[bool]
    #: Relative time to build, so that a batch starts the longest jobs first.
    cost: ClassVar[int]
    #: Modules a batch's worker processes import before they fork, so that each starts with them loaded.
    preload: ClassVar[tuple[str, ...]]
    #: The fields of :class:`Options` beyond the common ones that this edition reads.
    reads: ClassVar[frozenset[str]]

    def check(self, options: Options) -> None:
        """Raise a :class:`~exporter.errors.UsageError` for options this edition cannot honour."""

    def render(self, issue: Issue, theme: Theme, options: Options) -> bytes | Mapping[str, bytes]:
        """The edition's bytes: one file's, or a folder's files by path inside it."""


def names() -> tuple[str, ...]:
    """The editions installed, exporter's own first (azw3, e-edition, epub, html, pdf), without importing any."""
    return plugins.names(plugins.EDITIONS)


def get(name: str) -> Edition:
    """The edition ``name``; a name no installed package declares is a usage error listing those there are."""
    known = names()
    if name not in known:
        raise UsageError(f"unknown format `{name}`: choose from {', '.join(known)}")
    return _load(name)


@functools.cache
def _load(name: str) -> Edition:
    point = next(p for p in plugins.points(plugins.EDITIONS) if p.name == name)
    edition = point.load()()
    if not isinstance(edition, Edition) or edition.name != name:
        package = point.dist.name if point.dist else "its package"
        raise UsageError(
            f"the edition `{name}` that {package} installs is not an exporter edition "
            f'(docs/api.md, "Writing an edition"): reinstall or remove {package}'
        )
    return edition


def check(formats: Sequence[str], options: Options) -> None:
    """Refuse unknown editions, and options that no edition asked for reads or that one cannot honour."""
    editions = [get(name) for name in formats]
    if not editions:
        raise UsageError(f"no format to build: choose from {', '.join(names())}")
    for field, flag in options.given().items():
        if not any(field in e.reads for e in editions):
            readers = [e for e in map(get, names()) if field in e.reads]
            title = readers[0].title if readers else "no edition"
            raise UsageError(
                f"{flag} is for the {title}, and no {title} is built: "
                f"add {readers[0].name if readers else 'one'} to --format, or drop {flag}"
            )
    for edition in editions:
        edition.check(options)


def target(source: Path, name: str, out: Path) -> Path:
    """Where the edition ``name`` of ``source`` goes: ``out/ISSUE.NAME``, or the folder ``out/ISSUE`` (followed by
    the edition's ``folder_suffix``, if it has one: the e-edition's ``out/ISSUE-e``)."""
    edition = get(name)
    if edition.folder:
        return out / f"{source.stem}{getattr(edition, 'folder_suffix', '')}"
    return out / f"{source.stem}.{name}"


def cores() -> int:
    """The cores this process may run on."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
