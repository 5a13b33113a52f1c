"""Keeps the code points each font face maps to glyphs in the cache folder: only the first process reads a cmap.

A CJK face maps tens of thousands of code points: reading them from the font files (HarfBuzz) took a
quarter of a second and 66 MiB for the faces of one theme, in every ``exporter check`` and every build.
They are kept as sorted ranges of code points, about two thousand for a Noto CJK face (16 KB), in one
file per face under ``<cache>/codepoints/``:

- named by a SHA-256 of the font file's resolved path and the face's index;
- holding one line of JSON (the format, the font file's resolved path, size and ``mtime_ns``, the
  face's index, the number of ranges and the CRC-32 of the ranges), then the ranges as pairs of
  unsigned 32-bit little-endian integers, each a first code point and the one after the last;
- written atomically (:func:`exporter.files.write_file`), so that builds running side by side see a
  file whole or not at all;
- ignored when it is not whole, not in this format, or of another version of the font file (a
  font updated in place, a path reused): the face is read again and its file rewritten.

A cache folder that cannot be written costs the reading again, never an error.
"""

from __future__ import annotations

import array
import bisect
import contextlib
import json
import sys
import zlib
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass
from pathlib import Path

from exporter.files import write_file
from exporter.fonts import cache

#: Names the files' layout; a change of it makes every file of the old one be read again and rewritten.
FORMAT = "exporter-codepoints/1"
#: The cache folder's sub-folder the files are in.
KIND = "codepoints"


@dataclass(frozen=True)
class FontKey:
    """Which face of which version of a font file: what a kept set of code points must match."""

    path: str
    size: int
    mtime_ns: int
    index: int


class CodePoints(Set[int]):
    """The code points a face maps to glyphs, as sorted, disjoint ranges; ``code in points`` by binary search.

    A set of ranges takes a few kilobytes where a set of 65,000 integers takes megabytes.
    """

    __slots__ = ("_ends", "_starts")

    def __init__(self, codes: Iterable[int] = ()) -> None:
        given = codes if isinstance(codes, set | frozenset) else set(codes)
        after = set(map((1).__add__, given))
        # A range starts at a code point whose predecessor is not given, and ends before a successor that is not.
        self._starts = array.array("I", sorted(given - after))
        self._ends = array.array("I", sorted(after - given))

    @classmethod
    def _of_ranges(cls, starts: array.array[int], ends: array.array[int]) -> CodePoints:
        points = cls()
        points._starts, points._ends = starts, ends
        return points

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, int):
            return False
        at = bisect.bisect_right(self._starts, code) - 1
        return at >= 0 and code < self._ends[at]

    def __iter__(self) -> Iterator[int]:
        for start, end in zip(self._starts, self._ends, strict=True):
            yield from range(start, end)

    def __len__(self) -> int:
        return sum(self._ends) - sum(self._starts)

    def __repr__(self) -> str:
        return f"<CodePoints: {len(self)} in {len(self._starts)} ranges>"

    def ranges(self) -> list[tuple[int, int]]:
        """The ranges, each its first code point and the one after its last, in order."""
        return list(zip(self._starts, self._ends, strict=True))


def entry(folder: Path, font: FontKey) -> Path:
    """The file that keeps the code points of ``font``'s face under the cache folder ``folder``."""
    return folder / KIND / f"{cache.key([json.dumps([font.path, font.index])])}.bin"


def load(folder: Path, font: FontKey) -> CodePoints | None:
    """The code points kept for ``font``; None when there are none, or none whole, of this format and this file."""
    try:
        data = entry(folder, font).read_bytes()
    except OSError:
        return None
    head, newline, body = data.partition(b"\n")
    try:
        header = json.loads(head)
    except ValueError:
        return None
    if not newline or not isinstance(header, dict) or header.get("format") != FORMAT:
        return None
    if header.get("font") != [font.path, font.size, font.mtime_ns, font.index]:
        return None
    count = header.get("ranges")
    if not isinstance(count, int) or len(body) != 8 * count or zlib.crc32(body) != header.get("crc32"):
        return None
    pairs = array.array("I")
    if pairs.itemsize != 4:  # pragma: no cover - every platform Python runs on has 32-bit unsigned ints
        return None
    pairs.frombytes(body)
    if sys.byteorder != "little":  # pragma: no cover
        pairs.byteswap()
    starts, ends = pairs[0::2], pairs[1::2]
    last = -1
    for start, end in zip(starts, ends, strict=True):
        if not last < start < end:  # sorted, disjoint and apart: the file says something else than it was written
            return None
        last = end
    return CodePoints._of_ranges(starts, ends)


def store(folder: Path, font: FontKey, points: CodePoints) -> None:
    """Keep ``points`` for ``font``, atomically; a folder that cannot be written is passed over."""
    pairs = array.array("I", [value for pair in points.ranges() for value in pair])
    if sys.byteorder != "little":  # pragma: no cover
        pairs.byteswap()
    body = pairs.tobytes()
    header = {
        "format": FORMAT,
        "font": [font.path, font.size, font.mtime_ns, font.index],
        "ranges": len(body) // 8,
        "crc32": zlib.crc32(body),
    }
    head = json.dumps(header, separators=(",", ":")).encode("ascii")
    with contextlib.suppress(OSError):
        write_file(entry(folder, font), head + b"\n" + body)
