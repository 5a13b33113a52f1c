"""Finds the image file of a figure beside its issue and reads its kind and size from its header, within limits.

The policy, which the parser's findings and every renderer share:

- A figure's path is relative and stays in the issue's folder as written: a URL, an absolute path or
  a ``..`` that climbs out of the folder is refused. ``..`` is resolved on the text of the path,
  before any symbolic link is followed, so ``images/../a.png`` is the issue's own ``a.png``.
- Symbolic links inside the issue's folder are followed wherever they lead (a photo desk's shared
  folder, say): making the link is the user's deliberate act. What they lead to must be a PNG, JPEG,
  GIF or WebP image by its content; a link that leads nowhere is a ``figure-missing`` finding naming it.
- A figure has at most :data:`MAX_PIXELS` pixels and :data:`MAX_BYTES` bytes, read from the file's
  size and its header, never by decoding it.
"""

from __future__ import annotations

import contextlib
import os
import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
#: A full broadsheet page at 300 dpi is 4,429 x 7,051 pixels (31 megapixels) and a 61-megapixel
#: camera's frame 9,504 x 6,336: a hundred megapixels is more than a newspaper prints, and a third of
#: the 300 MB of memory a decoded RGB image that size takes.
MAX_PIXELS = 100_000_000
#: A 61-megapixel camera's JPEG at its best quality is about 30 MB: a file larger than this is a
#: lossless master or an archive, not a photo to print.
MAX_BYTES = 50 * 1024 * 1024
#: Where each format's file begins (WebP: RIFF, a size, then WEBP), and its Pillow format name.
_MAGIC = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"))
#: The suffix a file of each format gets in an edition (an EPUB checks that they agree).
FORMAT_SUFFIX = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp"}


@dataclass(frozen=True)
class Problem:
    """Why a figure's file cannot go into the editions: a finding's code, severity and message."""

    code: str
    severity: str
    message: str


@dataclass(frozen=True)
class Found:
    """A figure's file, symbolic links followed, and its format; or the problem that keeps it out."""

    file: Path | None = None
    format: str | None = None
    problem: Problem | None = None


def kind(file: Path) -> str | None:
    """The format the file's first bytes are those of: PNG, JPEG, GIF, WEBP, or None."""
    try:
        with open(file, "rb") as stream:
            head = stream.read(12)
    except OSError:
        return None
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return next((name for magic, name in _MAGIC if head.startswith(magic)), None)


def dimensions(file: Path, format: str) -> tuple[int, int] | None:
    """Width and height from the image's header, decoding nothing; None when the header cannot be read.

    The format's own Pillow plugin reads the header, because ``Image.open`` refuses or warns of a
    large image before it tells its size.
    """
    from PIL import GifImagePlugin, ImageFile, JpegImagePlugin, PngImagePlugin, WebPImagePlugin

    plugins: dict[str, type[ImageFile.ImageFile]] = {
        "PNG": PngImagePlugin.PngImageFile,
        "JPEG": JpegImagePlugin.JpegImageFile,
        "GIF": GifImagePlugin.GifImageFile,
        "WEBP": WebPImagePlugin.WebPImageFile,
    }
    try:
        with quiet(), plugins[format](str(file)) as image:
            return image.size
    except (OSError, SyntaxError, ValueError, EOFError, KeyError, struct.error):
        return None


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Image libraries' warnings (Pillow's DecompressionBombWarning, EXIF complaints) kept from the user.

    Every figure is measured against the project's own limits first, and a finding says so.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def find(src: str, base: Path | None) -> Found:
    """The file of the figure written ``src`` in an issue whose folder is ``base`` (None: not checked)."""
    refused = _refused(src)
    if refused is not None:
        return refused
    if base is None:
        return Found()
    # `..` on the text, inside the folder, links not yet followed
    written = Path(os.path.normpath(base / PurePosixPath(unquote(src))))
    if not written.is_file():
        return _problem("figure-missing", "warning", _missing(src, base, written))
    return _measured(src, written.resolve())


def _refused(src: str) -> Found | None:
    """The problem with the path ``src`` as written, whatever the folder holds; None when it has none."""
    parsed = urlparse(src)
    if parsed.scheme or parsed.netloc:
        return _problem(
            "figure-path",
            "error",
            f"image `{src}` is not a file beside the issue: "
            "download it into the issue's folder and use a relative path",
        )
    path = PurePosixPath(unquote(src))
    if path.is_absolute() or _climbs_out(path) or not src:
        return _problem(
            "figure-path",
            "error",
            f"image `{src}` leaves the issue's folder: copy it into that folder and use a relative path",
        )
    if path.suffix.lower() not in SUFFIXES:
        return _problem(
            "figure-format",
            "error",
            f"image `{src}` is not PNG, JPEG, GIF or WebP, which every edition can carry: convert it",
        )
    return None


def _climbs_out(path: PurePosixPath) -> bool:
    """Whether a ``..`` of the relative ``path`` climbs above the folder it starts in, read on its text."""
    depth = 0
    for part in path.parts:
        depth += -1 if part == ".." else (0 if part == "." else 1)
        if depth < 0:
            return True
    return False


def _measured(src: str, file: Path) -> Found:
    """The figure's ``file`` and format once its size, kind and pixels are within limits; else the problem."""
    size = file.stat().st_size
    if size > MAX_BYTES:
        return _problem(
            "figure-too-large",
            "error",
            f"image `{src}` is {size / 1024 / 1024:.1f} MB, and a figure may be at most "
            f"{MAX_BYTES // 1024 // 1024} MB: save it as a JPEG, or scale it down",
        )
    format = kind(file)
    if format is None:
        return _problem(
            "figure-format",
            "error",
            f"image `{src}` holds no PNG, JPEG, GIF or WebP image, whatever its name says: convert it to one of them",
        )
    size_px = dimensions(file, format)
    if size_px is None:
        return _problem(
            "figure-format",
            "error",
            f"image `{src}` is a damaged {format} file (its header cannot be read): export it again",
        )
    width, height = size_px
    if width * height > MAX_PIXELS:
        return _problem(
            "figure-too-large",
            "error",
            f"image `{src}` is {width:,} x {height:,} pixels ({width * height / 1e6:.1f} megapixels), and a figure "
            f"may have at most {MAX_PIXELS // 1_000_000} megapixels: scale it down "
            "(a full broadsheet page at 300 dpi is 31 megapixels)",
        )
    return Found(file, format)


def _problem(code: str, severity: str, message: str) -> Found:
    return Found(problem=Problem(code, severity, message))


def _missing(src: str, base: Path, written: Path) -> str:
    """Why a figure's file is not there, naming the symbolic link that leads nowhere if one does."""
    shown = "so only its caption is shown"
    step = base
    for part in written.relative_to(base).parts:
        step = step / part
        if step.is_symlink() and not step.exists():
            try:
                target = str(step.resolve())
            except (OSError, RuntimeError):  # a loop of links: Python 3.11 says RuntimeError, 3.13 OSError
                target = f"{os.readlink(step)} (a loop of links)"
            if step == written:
                where = f"image `{src}` is a symbolic link to {target}"
            else:
                where = f"image `{src}` is in `{step.relative_to(base).as_posix()}`, a symbolic link to {target}"
            return f"{where}, which does not exist, {shown}: fix the link or copy the photo into the issue's folder"
    if written.exists():
        return f"image `{src}` is a folder, not an image, {shown}: fix the path"
    return f"image `{src}` does not exist beside the issue, {shown}: add the file or fix the path"
