"""The code points of font faces kept in the cache folder: read from a font file by one process, and no other.

A kept entry that is damaged, of another format or of another version of the font file is read past:
the face's code points are read from the file again and the entry rewritten (exporter/fonts/codepoints.py).
"""

from __future__ import annotations

import itertools
import json
import os
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exporter import fonts
from exporter.fonts import Face, Missing, codepoints, coverage
from exporter.fonts.codepoints import CodePoints, FontKey
from tests import fontreads
from tests.conftest import DENSE, EXAMPLE

SHIPPED = fonts.shipped_fonts_dir() / "ExporterSerifSC-Regular.otf"
FACE = Face("Exporter Serif SC", SHIPPED.resolve(), 0, 400, "normal", "shipped", True)
LINES = [(1, "本报讯 今天天气晴"), (2, f"罕见字{chr(0x2A6D6)}")]


def _key(face: Face) -> FontKey:
    stat = face.path.stat()
    return FontKey(str(face.path.resolve()), stat.st_size, stat.st_mtime_ns, face.index)


CODES = st.integers(min_value=0, max_value=0x10FFFF)


@given(st.lists(st.one_of(CODES, st.integers(0x4E00, 0x4E40)), max_size=300), CODES)
def test_ranges_hold_exactly_the_code_points(given_codes: list[int], probe: int) -> None:
    codes = set(given_codes)  # neighbours and repeats among them
    points = CodePoints(given_codes)
    assert set(points) == codes and len(points) == len(codes)
    assert (probe in points) == (probe in codes)
    assert all(code in points for code in codes)
    ranges = points.ranges()
    assert all(a < b for a, b in ranges) and all(b < c for (_, b), (c, _) in itertools.pairwise(ranges))


def test_membership_at_the_ends_of_the_ranges() -> None:
    points = CodePoints([0, 1, 5, 6, 7, 9])
    assert points.ranges() == [(0, 2), (5, 8), (9, 10)]
    assert [code for code in range(-1, 12) if code in points] == [0, 1, 5, 6, 7, 9]
    assert "一" not in points and None not in points and 5.0 not in points


def test_an_entry_is_kept_as_ranges_and_loaded_as_written(tmp_path: Path) -> None:
    points = CodePoints([0, *range(0x4E00, 0x9FA6), 0x3000, 0x3001, 0x2A6D6])
    key = FontKey(str(tmp_path / "face.otf"), 1234, 5678, 2)
    codepoints.store(tmp_path, key, points)
    data = codepoints.entry(tmp_path, key).read_bytes()
    head, _, body = data.partition(b"\n")
    assert json.loads(head)["ranges"] == 4 and len(body) == 4 * 8  # 20,906 code points in 32 bytes
    assert codepoints.load(tmp_path, key) == points
    for other in (
        FontKey(key.path, key.size + 1, key.mtime_ns, key.index),
        FontKey(key.path, key.size, key.mtime_ns + 1, key.index),
        FontKey(key.path, key.size, key.mtime_ns, key.index + 1),
    ):
        assert codepoints.load(tmp_path, other) is None


def test_coverage_keeps_the_code_points_for_the_next_process() -> None:
    sans = fonts.find_faces("Exporter Sans SC", [])[0]
    with fontreads.empty_cache() as folder:
        with fontreads.counting() as first:
            found = coverage(LINES, [FACE, sans])
        assert found == [Missing(chr(0x2A6D6), "U+2A6D6", 2)]
        assert first.cmaps_read == 2
        entries = [codepoints.entry(folder, _key(face)) for face in (FACE, sans)]
        assert all(entry.is_file() for entry in entries) and entries[0] != entries[1]
        # a CJK face's thousands of code points in fewer ranges, 8 bytes a range
        _, _, body = entries[0].read_bytes().partition(b"\n")
        assert len(body) < 8 * len(fonts._cmap(FACE.path, FACE.index)) / 2
        fonts._cmap_of.cache_clear()  # as a new process finds it
        with fontreads.counting() as second:
            assert coverage(LINES, [FACE, sans]) == found
        assert (second.cmaps_read, second.cmaps_loaded, second.opened) == (0, 2, [])


def _header(data: bytes, *, body: bytes | None = None, **fields: object) -> bytes:
    """The entry with ``fields`` changed in its header, or another ``body`` with its count and checksum."""
    head, _, old = data.partition(b"\n")
    header = json.loads(head)
    if body is not None:
        header.update(ranges=len(body) // 8, crc32=zlib.crc32(body))
    header.update(fields)
    return json.dumps(header).encode() + b"\n" + (old if body is None else body)


def _flip_last(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0x01])


def _ranges_out_of_order(data: bytes) -> bytes:
    """Whole, with a right checksum, but two ranges swapped: not what a store writes."""
    head, _, body = data.partition(b"\n")
    swapped = body[8:16] + body[:8] + body[16:]
    header = {**json.loads(head), "crc32": zlib.crc32(swapped)}
    return json.dumps(header).encode() + b"\n" + swapped


def _other_format(data: bytes) -> bytes:
    head, _, body = data.partition(b"\n")
    return json.dumps({**json.loads(head), "format": "exporter-codepoints/0"}).encode() + b"\n" + body


def _other_font_version(data: bytes) -> bytes:
    head, _, body = data.partition(b"\n")
    header = json.loads(head)
    header["font"][2] -= 10**9  # the font file as it was a second earlier: a stale entry
    return json.dumps(header).encode() + b"\n" + body


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda data: b"",
    "cut short": lambda data: data[: len(data) // 2],
    "cut in its header": lambda data: data[:20],
    "no header": lambda data: data.partition(b"\n")[2],
    "garbage": lambda data: os.urandom(len(data)),
    "a range changed": _flip_last,
    "a range too many": lambda data: data + b"\0" * 8,
    "ranges out of order": _ranges_out_of_order,
    "another format": _other_format,
    "another version of the font": _other_font_version,
    "not JSON": lambda data: b"\xff\xfe" + data,
    "a header that is no object": lambda data: b"[1]\n" + data.partition(b"\n")[2],
    "no count of ranges": lambda data: _header(data, ranges=None),
    "ranges that touch": lambda data: _header(data, body=struct.pack("<4I", 0x4E00, 0x4E10, 0x4E10, 0x4E20)),
    "an empty range": lambda data: _header(data, body=struct.pack("<4I", 0x4E00, 0x4E10, 0x4E20, 0x4E20)),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_or_stale_entry_is_read_past_and_rewritten(damage: Callable[[bytes], bytes]) -> None:
    with fontreads.empty_cache() as folder:
        found = coverage(LINES, [FACE])
        entry = codepoints.entry(folder, _key(FACE))
        whole = entry.read_bytes()
        entry.write_bytes(damage(whole))
        fonts._cmap_of.cache_clear()
        with fontreads.counting() as reads:
            assert coverage(LINES, [FACE]) == found
        assert reads.cmaps_read == 1, "the face is read from its file again"
        assert entry.read_bytes() == whole, "and its entry rewritten"


def test_a_cache_folder_that_cannot_be_written_costs_a_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("EXPORTER_CACHE_DIR", str(blocked))
    fonts._cmap_of.cache_clear()
    try:
        with fontreads.counting() as reads:
            assert coverage(LINES, [FACE]) == [Missing(chr(0x2A6D6), "U+2A6D6", 2)]
        assert reads.cmaps_read == 1
    finally:
        fonts._cmap_of.cache_clear()


# Runs the command line with the arguments after the first, and writes the faces whose code points were read
# from their font files (``fonts._read_cmap``) to the first, one a line, at exit.
COUNTING = """\
import atexit, runpy, sys

from exporter import fonts

out = sys.argv[1]
read = []
real = fonts._read_cmap


def counted(path, index):
    read.append(f"{path}#{index}")
    return real(path, index)


def tell():
    with open(out, "w", encoding="utf-8") as stream:
        stream.write("".join(line + "\\n" for line in read))


fonts._read_cmap = counted
atexit.register(tell)
sys.argv = ["exporter", *sys.argv[2:]]
runpy.run_module("exporter", run_name="__main__", alter_sys=True)
"""


def _check(issue: Path, cache: Path, out: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    env = {**os.environ, "EXPORTER_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", COUNTING, str(out), "check", str(issue)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done, out.read_text(encoding="utf-8").splitlines()


def test_a_second_check_reads_no_cmap(tmp_path: Path) -> None:
    """``exporter check`` reads the code points of the theme's faces from the font files once: the next
    process, a check of another issue or the same, loads them from the cache folder."""
    first, read = _check(EXAMPLE, tmp_path / "cache", tmp_path / "first.txt")
    assert len(read) == len(set(read)) > 2, read  # the shipped faces and the system's CJK fallbacks
    shipped = str(fonts.shipped_fonts_dir().resolve())
    assert any(not face.startswith(shipped) for face in read), read  # a system font among them
    again, read_again = _check(EXAMPLE, tmp_path / "cache", tmp_path / "again.txt")
    assert read_again == []
    assert (again.stdout, again.stderr) == (first.stdout, first.stderr)
    _, dense = _check(DENSE, tmp_path / "cache", tmp_path / "dense.txt")
    assert dense == []
    assert len(list((tmp_path / "cache" / codepoints.KIND).iterdir())) == len(read)
