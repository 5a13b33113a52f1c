"""What the font code reads while a block of code runs: the work that keeps font coverage and covers fast.

The tests used to time these paths (coverage under 0.25 s, two covers under 2 s); a time depends on
the machine and what else runs on it, so the times are measured by hand in
``benchmarks/fonts_and_cover.py`` and the tests count the work instead: a face's code points read
from its file once, by the first process that needs them (the others load them from the cache folder,
:mod:`exporter.fonts.codepoints`), font files scanned and fontconfig asked once per family, each
character looked up once per coverage run, and each Pillow font opened once per face and size.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from exporter import fonts


@dataclass
class Reads:
    """The font work done inside :func:`counting`."""

    #: Faces whose code points were read from the font file (``fonts._read_cmap``), loaded from the cache
    #: folder instead (the other ``fonts._cmap_of`` cache misses), and reused in the process (its cache hits).
    cmaps_read: int = 0
    cmaps_loaded: int = 0
    cmaps_reused: int = 0
    #: HarfBuzz faces opened, as (file, face index).
    opened: list[tuple[Path, int]] = field(default_factory=list)
    #: Font files scanned for the faces they hold (``fonts._faces_in_file`` cache misses).
    files_scanned: int = 0
    #: The patterns ``fc-list`` was run with.
    fontconfig: list[str] = field(default_factory=list)
    #: Characters checked against the cmaps (every character but white space, once per check).
    checked: list[str] = field(default_factory=list)
    #: Pillow fonts opened, as (file, pixel size, face index).
    pillow: list[tuple[str, int, int]] = field(default_factory=list)


@contextmanager
def counting() -> Iterator[Reads]:
    """Count the font work of the block; the counts are final when the block ends."""
    from PIL import ImageFont

    reads = Reads()
    cmaps, scans = fonts._cmap_of.cache_info(), fonts._faces_in_file.cache_info()
    real_face, real_fc, real_needs, real_truetype, real_read = (
        fonts._hb_face,
        fonts._fc,
        fonts._needs_no_glyph,
        ImageFont.truetype,
        fonts._read_cmap,
    )

    def read_cmap(path: Path, index: int) -> set[int]:
        reads.cmaps_read += 1
        return real_read(path, index)

    def hb_face(path: Path, index: int) -> Any:
        reads.opened.append((path, index))
        return real_face(path, index)

    def fc(fields: str, pattern: str) -> str:
        reads.fontconfig.append(pattern)
        return real_fc(fields, pattern)

    def needs_no_glyph(char: str) -> bool:
        reads.checked.append(char)
        return real_needs(char)

    def truetype(font: Any, size: int = 10, index: int = 0, *args: Any, **kwargs: Any) -> Any:
        reads.pillow.append((str(font), size, index))
        return real_truetype(font, size, index, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fonts, "_hb_face", hb_face)
        patch.setattr(fonts, "_fc", fc)
        patch.setattr(fonts, "_needs_no_glyph", needs_no_glyph)
        patch.setattr(ImageFont, "truetype", truetype)
        patch.setattr(fonts, "_read_cmap", read_cmap)
        yield reads
        after_cmaps, after_scans = fonts._cmap_of.cache_info(), fonts._faces_in_file.cache_info()
        reads.cmaps_loaded = after_cmaps.misses - cmaps.misses - reads.cmaps_read
        reads.cmaps_reused = after_cmaps.hits - cmaps.hits
        reads.files_scanned = after_scans.misses - scans.misses


@contextmanager
def empty_cache() -> Iterator[Path]:
    """An empty cache folder (``EXPORTER_CACHE_DIR``) for the block, and no code points kept in the process."""
    with tempfile.TemporaryDirectory(prefix="exporter-cache.") as folder, pytest.MonkeyPatch.context() as patch:
        patch.setenv("EXPORTER_CACHE_DIR", folder)
        fonts._cmap_of.cache_clear()
        try:
            yield Path(folder)
        finally:
            fonts._cmap_of.cache_clear()


def assert_coverage_reads_each_cmap_once(lines: list[tuple[int, str]], chain: list[fonts.Face]) -> set[str]:
    """A coverage run reads each face's cmap once, a second reads none and asks fontconfig nothing, a run
    in a new process (the process's cache cleared) loads each from the cache folder and reads none, and each
    character is looked up once, however often it occurs; ``lines`` are covered. The characters looked up."""
    faces = [(face.path, face.index) for face in chain]
    with empty_cache():
        with counting() as first:
            assert fonts.coverage(lines, chain) == []
        assert (first.cmaps_read, first.cmaps_loaded, first.cmaps_reused, first.opened) == (len(faces), 0, 0, faces)
        with counting() as second:
            assert fonts.coverage(lines, chain) == []
        assert (second.cmaps_read, second.cmaps_loaded, second.cmaps_reused, second.opened) == (0, 0, len(faces), [])
        assert second.fontconfig == [] and second.files_scanned == 0
        fonts._cmap_of.cache_clear()  # as a new process finds it
        with counting() as third:
            assert fonts.coverage(lines, chain) == []
        assert (third.cmaps_read, third.cmaps_loaded, third.opened) == (0, len(faces), [])
    distinct = {char for _, text in lines for char in text if not char.isspace()}
    assert sorted(second.checked) == sorted(distinct), "each character is looked up once, not once per occurrence"
    return distinct


def assert_second_cover_reads_no_font(issue: Any, themes: Iterable[Any]) -> None:
    """A second cover of ``issue`` in each theme is the first's bytes, scans no font file, asks fontconfig
    nothing, reads no cmap again, and opens each Pillow font once per face and size."""
    from exporter.editions.epub.cover import render_cover

    for theme in themes:
        first = render_cover(issue, theme)  # fonts looked up, their cmaps read
        with counting() as reads:
            again = render_cover(issue, theme)
        assert again == first
        assert (reads.files_scanned, reads.fontconfig, reads.cmaps_read, reads.opened) == (0, [], 0, []), theme.name
        assert reads.cmaps_reused > 0, theme.name
        assert reads.pillow, theme.name
        assert len(set(reads.pillow)) == len(reads.pillow), f"{theme.name}: a Pillow font opened twice"
