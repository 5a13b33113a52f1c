"""Finds what installed packages add to exporter, through entry points: editions and themes.

exporter declares its own in ``pyproject.toml`` (``exporter.editions``: html, epub, pdf, azw3;
``exporter.themes``: base, classic, reader, vertical), as Sphinx finds builders and MkDocs themes,
so that a paper can ship a theme or an edition of its own as a package.
"""

from __future__ import annotations

import functools
from importlib.metadata import EntryPoint, entry_points

EDITIONS = "exporter.editions"
THEMES = "exporter.themes"


@functools.cache
def points(group: str) -> tuple[EntryPoint, ...]:
    """The entry points of ``group``, one per name: exporter's own first, then the others, each by name.

    A name declared twice (another package giving one of exporter's names) keeps exporter's. Read once
    per process: scanning the installed packages' metadata takes milliseconds, and a batch asks for
    an edition by name for every job it plans.
    """
    found = sorted(entry_points(group=group), key=lambda p: (p.dist is None or p.dist.name != "exporter", p.name))
    chosen: dict[str, EntryPoint] = {}
    for point in found:
        chosen.setdefault(point.name, point)
    return tuple(chosen.values())


def names(group: str) -> tuple[str, ...]:
    """The names of ``group``'s entry points, without loading them (no module is imported)."""
    return tuple(point.name for point in points(group))
