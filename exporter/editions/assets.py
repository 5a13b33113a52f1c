"""The figures' image files of an edition, found as the parser found them and named for the edition."""

from __future__ import annotations

from pathlib import Path

from exporter import imagefiles
from exporter.errors import ExporterError
from exporter.model import Figure


class Images:
    """Figures' image files, copied into the edition under ASCII names.

    A figure's file is found as the parser found it (:func:`imagefiles.find`: symbolic links in the
    issue's folder followed); one the parser reported missing has no file here, and the template
    prints its caption alone; one it would refuse stops the edition. Names number the files in the
    order the figures come, so that they depend on the issue, never on the folder it stands in.
    """

    def __init__(self, source_dir: Path | None, folder: str = "images", scheme: str | None = None) -> None:
        self.source_dir = source_dir
        self.folder = folder
        self.scheme = scheme  # the print document names a file ``SCHEME:images/img001.png``
        self.files: dict[str, Path] = {}
        self.figures: dict[str, Figure] = {}  # the first figure that shows each file
        self._names: dict[Path, str] = {}

    def __call__(self, figure: Figure) -> str | None:
        if self.source_dir is None:
            return None
        found = imagefiles.find(figure.src, self.source_dir)
        if found.problem is not None and found.problem.severity == "error":
            # The parser had no folder to check the figure in (``parse`` of a text): say it here.
            raise ExporterError(f"{found.problem.message} [{found.problem.code}]", line=figure.line)
        if found.file is None or found.format is None:
            return None
        if found.file not in self._names:
            name = f"{self.folder}/img{len(self._names) + 1:03d}{imagefiles.FORMAT_SUFFIX[found.format]}"
            self._names[found.file] = name
            self.files[name] = found.file
            self.figures[name] = figure
        name = self._names[found.file]
        return f"{self.scheme}:{name}" if self.scheme else name
