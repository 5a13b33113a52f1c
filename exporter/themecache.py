"""Keeps what a theme's files alone decide in the cache folder: a build does not parse its templates and CSS again.

:func:`exporter.themecheck.check` parses every template (Jinja2) and stylesheet (tinycss2) of a
theme's chain: about a seventh of a second, in every build process and every ``exporter check``.
What those files say does not change from one build to the next, so it is kept, one small JSON file
per theme version under ``<cache>/themechecks/``:

- named by a SHA-256 of everything the findings follow from: this file's format, the size and time of
  each of exporter's modules (a new version, or a checker changed in place, checks again), and, for
  each theme of the chain, its folder as the findings name it and the name and content of every file
  but those of ``assets/`` and ``fonts/``, which go in by name, size and time; the project's
  ``extra_css`` files go in by path and content;
- written atomically (:func:`exporter.files.write_file`), so that builds running side by side see a
  file whole or not at all; a file that is not whole or not in this format is ignored and rewritten;
- at most :data:`KEPT` of them, the oldest removed as a new one is written.

What depends on the machine rather than the files (a font family installed or not, a face with
vertical forms or not, the editions installed packages add) is never kept: the checker finds it
again on each call. A cache folder that cannot be written costs the parsing again, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from exporter.files import write_file
from exporter.theming import Theme

#: Names the files' layout; a change of it makes every file of the old one be made again.
FORMAT = "exporter-themecheck/1"
#: The cache folder's sub-folder the files are in.
KIND = "themechecks"
#: A theme's folders whose files go in the key by name, size and time, not content (figures, fonts).
STAMPED = ("assets", "fonts")
#: The files kept at most: a theme edited and built again and again leaves one per version, the oldest go.
KEPT = 256

_PACKAGE = Path(__file__).resolve().parent


def key(theme: Theme) -> str:
    """The SHA-256 that names what the files of ``theme`` (its chain, its ``extra_css``) and this code decide."""
    digest = hashlib.sha256()
    for part in (FORMAT, *_code(), *_files(theme)):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def load(folder: Path, name: str) -> dict[str, Any] | None:
    """The findings kept under ``name``, or None when there are none or the file is not whole or not this format."""
    try:
        data = json.loads((folder / KIND / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("findings"), dict):
        return None
    findings: dict[str, Any] = data["findings"]
    return findings


def store(folder: Path, name: str, findings: dict[str, Any]) -> None:
    """Keep ``findings`` (JSON's kinds only) under ``name``; a folder that cannot be written is passed over."""
    text = json.dumps({"format": FORMAT, "findings": findings}, ensure_ascii=False, sort_keys=True)
    with contextlib.suppress(OSError):
        write_file(folder / KIND / f"{name}.json", text.encode("utf-8"))
        kept = sorted((folder / KIND).glob("*.json"), key=_written)
        for old in kept[: max(0, len(kept) - KEPT)]:
            old.unlink(missing_ok=True)


def _written(file: Path) -> int:
    """When ``file`` was written (0 for a file gone meanwhile)."""
    try:
        return file.stat().st_mtime_ns
    except OSError:
        return 0


def _code() -> Iterator[str]:
    """Each module of exporter, by path, size and time."""
    found = []
    for root, dirs, files in os.walk(_PACKAGE):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        found += [os.path.join(root, f) for f in files if f.endswith(".py")]
    for path in sorted(found):
        stat = os.stat(path)
        yield f"code {os.path.relpath(path, _PACKAGE)} {stat.st_size} {stat.st_mtime_ns}"


def _files(theme: Theme) -> Iterator[str]:
    """Each theme of the chain by folder, its files by content (stamped ones by size and time); ``extra_css``."""
    for each in theme.chain:
        yield f"theme {each.path}"
        for file in sorted(p for p in each.path.rglob("*") if p.is_file()):
            relative = file.relative_to(each.path)
            if relative.parts[0] in STAMPED:
                stat = file.stat()
                yield f"stamped {relative.as_posix()} {stat.st_size} {stat.st_mtime_ns}"
            else:
                yield f"file {relative.as_posix()} {hashlib.sha256(file.read_bytes()).hexdigest()}"
    for file in theme.extra_css:
        content = hashlib.sha256(file.read_bytes()).hexdigest() if file.is_file() else "missing"
        yield f"extra_css {file} {content}"
