"""Atomic writes: a file or folder appears whole, with the user's permissions, or the old one stays."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from exporter.files import write_file, write_folder


@pytest.fixture(params=[0o022, 0o077])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """Each test runs under a common umask and a strict one; the user's umask decides the mode."""
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_file_is_written_with_missing_folders_made(tmp_path: Path, umask: int) -> None:
    target = tmp_path / "a" / "b" / "issue.epub"
    write_file(target, b"edition")
    assert target.read_bytes() == b"edition"
    assert _mode(target) == 0o666 & ~umask
    write_file(target, b"again")  # the folder exists now
    assert target.read_bytes() == b"again"
    assert sorted(p.name for p in target.parent.iterdir()) == ["issue.epub"]


def test_the_temporary_file_is_hidden_beside_the_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Beside it, so that the rename is on one file system; named `.<name>.…`, so a reader's listing skips it."""
    seen: list[Path] = []
    replace = os.replace

    def spy(source: str, target: str) -> None:
        seen.append(Path(source))
        replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    target = tmp_path / "out" / "issue.pdf"
    write_file(target, b"%PDF")
    (staging,) = seen
    assert staging.parent == target.parent
    assert staging.name.startswith(".issue.pdf.") and len(staging.name) > len(".issue.pdf.")


def test_a_failed_write_reports_its_own_error_even_when_the_temporary_file_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cleaner that removed the temporary file must not turn a full disk into a 'file not found'."""

    def vanish_then_fail(source: str, _target: str) -> None:
        os.unlink(source)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", vanish_then_fail)
    target = tmp_path / "issue.epub"
    with pytest.raises(OSError) as caught:
        write_file(target, b"new")
    assert caught.value.errno == 28
    assert list(tmp_path.iterdir()) == []


def test_a_folder_is_replaced_whole(tmp_path: Path, umask: int) -> None:
    target = tmp_path / "site" / "2025" / "issue"
    write_folder(target, {"index.html": b"<p>1</p>", "a/b/c.css": b"p{}", "old.html": b"gone soon"})
    assert (target / "a" / "b" / "c.css").read_bytes() == b"p{}"
    assert _mode(target) == 0o777 & ~umask
    write_folder(target, {"index.html": b"<p>2</p>", "a/d.js": b""})
    files = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    assert files == ["a/d.js", "index.html"]
    assert (target / "index.html").read_bytes() == b"<p>2</p>"
    assert [p.name for p in target.parent.iterdir()] == ["issue"]  # no staging or old copy left
    assert _mode(target) == 0o777 & ~umask


def test_a_failed_folder_write_keeps_the_old_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "issue"
    write_folder(target, {"index.html": b"old"})
    write_bytes = Path.write_bytes

    def full_disk(self: Path, data: bytes) -> int:
        if self.name == "b.html":
            raise OSError(28, "No space left on device")
        return write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    with pytest.raises(OSError):
        write_folder(target, {"a.html": b"new", "b.html": b"new"})
    assert [p.name for p in tmp_path.iterdir()] == ["issue"]
    assert [p.name for p in target.iterdir()] == ["index.html"]
    assert (target / "index.html").read_bytes() == b"old"


def test_a_folder_that_cannot_be_moved_in_leaves_the_old_one_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old folder is moved aside first; if the new one then cannot take its name, the old one goes back."""
    target = tmp_path / "issue"
    write_folder(target, {"index.html": b"old"})
    rename = Path.rename

    def refuse_the_new_one(self: Path, to: Path) -> Path:
        if Path(to) == target and self.name.startswith(".issue.") and "old-" not in self.name:
            raise OSError(16, "Device or resource busy")
        return rename(self, to)

    monkeypatch.setattr(Path, "rename", refuse_the_new_one)
    with pytest.raises(OSError):
        write_folder(target, {"index.html": b"new"})
    assert [p.name for p in tmp_path.iterdir()] == ["issue"]
    assert (target / "index.html").read_bytes() == b"old"


def test_an_old_copy_that_cannot_be_removed_does_not_fail_the_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new folder is in place by then; a leftover old copy is not worth failing the night's build for."""
    target = tmp_path / "issue"
    write_folder(target, {"index.html": b"old"})
    rmtree = shutil.rmtree

    def stuck(path: str | os.PathLike[str], ignore_errors: bool = False, **kwargs: object) -> None:
        """rmtree as it behaves when a file in the old copy cannot be removed."""
        if ".old-" not in str(path):
            rmtree(path, ignore_errors=ignore_errors)
        elif not ignore_errors:
            raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(shutil, "rmtree", stuck)
    write_folder(target, {"index.html": b"new"})
    assert (target / "index.html").read_bytes() == b"new"


def test_a_folder_is_staged_beside_its_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Staged beside it, under two missing folders: the final rename never crosses file systems."""
    moved: list[tuple[Path, Path]] = []
    rename = Path.rename

    def spy(self: Path, to: Path) -> Path:
        moved.append((self, Path(to)))
        return rename(self, to)

    monkeypatch.setattr(Path, "rename", spy)
    target = tmp_path / "a" / "b" / "issue"
    write_folder(target, {"index.html": b"x"})
    ((staging, to),) = moved
    assert to == target and staging.parent == target.parent and staging.name.startswith(".issue.")


def test_a_first_folder_write_that_fails_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No old folder to give back: the write's own error comes out, and no staging folder is left."""

    def full_disk(self: Path, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    with pytest.raises(OSError) as caught:
        write_folder(tmp_path / "issue", {"index.html": b"new"})
    assert caught.value.errno == 28
    assert list(tmp_path.iterdir()) == []


def test_an_interrupt_after_the_new_folder_is_in_keeps_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while the old copy is removed: the new folder stays, and the interrupt is what comes out."""
    target = tmp_path / "issue"
    write_folder(target, {"index.html": b"old"})
    rmtree = shutil.rmtree

    def interrupted(path: str | os.PathLike[str], ignore_errors: bool = False, **kwargs: object) -> None:
        if ".old-" in str(path):
            raise KeyboardInterrupt
        rmtree(path, ignore_errors=ignore_errors)

    monkeypatch.setattr(shutil, "rmtree", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_folder(target, {"index.html": b"new"})
    assert (target / "index.html").read_bytes() == b"new"
