"""Keeps the fonts exporter makes (subsets, rotated fonts) in one content-addressed cache, and counts its use.

A file lives at ``<cache>/<kind>/<prefix><key>.<suffix>``, ``key`` a SHA-256 of everything that
decides its bytes; it is written atomically (:func:`exporter.files.write_file`), so a reader sees
it whole or not at all, and the same key always names the same bytes.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from exporter.files import write_file


@dataclass(frozen=True)
class CacheStats:
    """How many files of one kind this process has made, and how many it found in the cache instead."""

    made: int
    cache_hits: int


_lock = threading.Lock()
_counts: dict[tuple[str, str], int] = {}


def key(parts: Sequence[str]) -> str:
    """The SHA-256 of ``parts``, each ended by a NUL byte."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def cached(
    kind: str,
    key_parts: Sequence[str],
    make: Callable[[], tuple[bytes, str]],
    *,
    folder: Path,
    suffixes: Sequence[str],
    prefix: str = "",
) -> Path:
    """The file of ``kind`` for ``key_parts`` under ``folder``: found in the cache, else made and written.

    ``make`` gives the bytes and their suffix, one of ``suffixes`` (the ones looked for).
    """
    name = prefix + key(key_parts)
    for suffix in suffixes:
        target = folder / kind / f"{name}.{suffix}"
        if target.is_file():
            _count(kind, "cache_hits")
            return target
    data, suffix = make()
    target = folder / kind / f"{name}.{suffix}"
    write_file(target, data)
    _count(kind, "made")
    return target


def stats(kind: str) -> CacheStats:
    """How many files of ``kind`` :func:`cached` has made in this process, and how many it found."""
    with _lock:
        return CacheStats(made=_counts.get((kind, "made"), 0), cache_hits=_counts.get((kind, "cache_hits"), 0))


def _count(kind: str, what: str) -> None:
    with _lock:
        _counts[kind, what] = _counts.get((kind, what), 0) + 1
