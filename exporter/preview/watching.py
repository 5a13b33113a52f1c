"""Watches the files an issue's editions are made from: the issue, the images beside it, its theme and project file.

The issue's folder is watched for the issue file and the images under it (its figures are found
there); the folder of the theme, and of each theme it inherits that is not one exporter ships, for
any file; the project file ``exporter.toml`` and the stylesheets it adds. What is watched follows
the theme the last build used, so a front matter that names another theme is followed too.
watchfiles is imported inside :func:`watch`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from exporter import shipped
from exporter.theming import Theme

#: The files under the issue's folder that are its figures (the others there change nothing).
IMAGES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".tif", ".tiff", ".bmp"})


@dataclass(frozen=True)
class Sources:
    """The folders to watch and which changes in them matter."""

    issue: Path
    #: Folders any file of which is read: the themes' that are not shipped.
    themes: tuple[Path, ...]
    #: Single files read: the project file, the stylesheets it adds.
    files: tuple[Path, ...]
    #: The preview's own build folder, never a source even when it is under a watched folder.
    ignored: Path

    @property
    def roots(self) -> tuple[Path, ...]:
        """The folders to watch, none inside another."""
        folders = sorted({self.issue.parent, *self.themes, *(f.parent for f in self.files)}, key=lambda p: len(p.parts))
        roots: list[Path] = []
        for folder in folders:
            if folder.is_dir() and not any(folder.is_relative_to(root) for root in roots):
                roots.append(folder)
        return tuple(roots)

    def wanted(self, change: object, path: str) -> bool:
        """:meth:`matters`, as watchfiles asks it."""
        return self.matters(Path(path))

    def matters(self, path: Path) -> bool:
        """Whether a change of ``path`` changes the editions."""
        if path.is_relative_to(self.ignored):
            return False
        if path == self.issue or path in self.files:
            return True
        if any(path.is_relative_to(folder) for folder in self.themes):
            return not any(_ignored_name(part) for part in path.parts)
        return path.is_relative_to(self.issue.parent) and path.suffix.lower() in IMAGES


def _ignored_name(name: str) -> bool:
    """Editors' and tools' files that are no source: swap and backup files, version control, caches."""
    return (
        name in {".git", ".hg", ".svn", "__pycache__", ".DS_Store"}
        or name.endswith(("~", ".swp", ".swx", ".tmp"))
        or name.startswith(".#")
    )


def sources(issue: Path, theme: Theme | None, project_dir: Path, ignored: Path) -> Sources:
    """What to watch for ``issue`` built with ``theme`` (``None`` before a build has found one)."""
    from exporter.pipeline import project

    ours = shipped.folder("themes").resolve()
    themes = tuple(t.path.resolve() for t in theme.chain if not t.path.resolve().is_relative_to(ours)) if theme else ()
    files = [project_dir.resolve() / project.FILE_NAME]
    if theme is not None:
        files += [f.resolve() for f in theme.extra_css]
    return Sources(issue.resolve(), themes, tuple(files), ignored.resolve())


def watch(current: Callable[[], Sources], changed: Callable[[], None], stop: threading.Event) -> None:
    """Call ``changed`` after each change that matters, until ``stop`` is set; ``current`` says what to watch.

    What to watch is asked again every half second, and the watch started anew when it changed.
    """
    from watchfiles import watch as watch_files

    while not stop.is_set():
        watched = current()
        try:
            for changes in watch_files(
                *watched.roots,
                watch_filter=watched.wanted,
                stop_event=stop,
                rust_timeout=500,
                yield_on_timeout=True,
                raise_interrupt=False,
                step=30,
            ):
                if changes:
                    changed()
                if current() != watched:
                    break
        except Exception:  # a watched folder went away: watch again what there is
            stop.wait(1.0)
