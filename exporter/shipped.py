"""Finds the data exporter ships, its themes and fonts, inside the installed package or a source checkout.

A wheel carries the repository's top-level ``themes/`` and ``fonts/`` folders as package data, under
``exporter/data/`` (``pyproject.toml``: hatchling's ``force-include``), where :mod:`importlib.resources`
finds them. An editable install of a checkout has no such folder: there the package sits beside
``themes/`` and ``fonts/`` in the repository, and those are used.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def folder(name: str) -> Path:
    """The shipped folder ``name`` (``themes`` or ``fonts``): the installed package's, else the checkout's."""
    packaged = files("exporter") / "data" / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[1] / name


def theme(name: str) -> Path:
    """The folder of the built-in theme ``name``, as exporter's own ``exporter.themes`` entry points give it."""
    return folder("themes") / name
