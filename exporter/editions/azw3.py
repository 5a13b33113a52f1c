"""Makes the Kindle edition: the issue's EPUB converted to AZW3 (KF8) by calibre's ebook-convert.

Send-to-Kindle takes the EPUB, which stays the e-reader edition; the AZW3 is for Kindles loaded
over USB and for older ones. calibre keeps the EPUB's fonts, stylesheet, cover and two-level
contents, and a vertical book's ``vertical-rl`` and right-to-left page turns (EXTH 525 and 527).
:mod:`exporter.editions.calibre_convert` runs the conversion so that one issue always gives the
same bytes and a zh-HK book says zh-HK.
"""

from __future__ import annotations

import calendar
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from exporter.editions import Options
from exporter.editions.epub import EpubEdition, package
from exporter.errors import ToolError, UsageError
from exporter.model import Issue
from exporter.theming import Theme

#: How to get calibre on the systems exporter's README covers.
INSTALL = "sudo apt-get install calibre (Debian, Ubuntu), or see https://calibre-ebook.com/download"
#: ebook-convert's options: the EPUB's own page breaks and chapters (a page per 版, not per headline),
#: and the screen of current Kindles for pictures.
CONVERT_OPTIONS = (
    "--output-profile=kindle_pw3",
    "--page-breaks-before=/",
    "--chapter-mark=none",
    "--no-inline-toc",
)
#: Seconds a conversion may take: the sample converts in about 3 s.
TIMEOUT = 600


def calibre() -> str:
    """The path of calibre's ``calibre-debug``, which runs the conversion; a usage error when it is missing."""
    found = shutil.which("calibre-debug")
    if found is None:
        raise UsageError(f"the Kindle edition (azw3) is made by calibre, which is not installed: {INSTALL}")
    return found


def convert(epub: bytes, issue: Issue) -> bytes:
    """The AZW3 calibre makes of the EPUB ``epub`` of ``issue``."""
    program = calibre()
    runner = Path(__file__).with_name("calibre_convert.py")
    stamp = str(calendar.timegm(package.modified_time(issue).timetuple()))
    with tempfile.TemporaryDirectory(prefix="exporter-azw3-") as folder:
        work = Path(folder)
        source, target = work / "book.epub", work / "book.azw3"
        source.write_bytes(epub)
        environment = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",  # no display, as on a build server
            "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox",  # calibre's web engine as root
            "CALIBRE_CONFIG_DIRECTORY": str(work / "config"),  # the user's calibre settings play no part
            "CALIBRE_TEMP_DIR": str(work),
            "PYTHONHASHSEED": "0",  # calibre's sets are iterated in hash order
        }
        arguments = [issue.masthead.language, stamp, package.identifier(issue), str(source), str(target)]
        try:
            done = subprocess.run(
                [program, "-e", str(runner), "--", *arguments, *CONVERT_OPTIONS],
                capture_output=True,
                text=True,
                env=environment,
                timeout=TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            raise ToolError(f"calibre took more than {TIMEOUT} s to make the Kindle edition") from None
        if done.returncode != 0 or not target.is_file():
            last = (done.stderr.strip() or done.stdout.strip() or "no message").splitlines()[-1]
            raise ToolError(f"calibre could not make the Kindle edition ({last}): {INSTALL} if it is broken")
        return target.read_bytes()


class Azw3Edition:
    """The Kindle edition: the EPUB as AZW3, for USB side-loading and older Kindles."""

    name = "azw3"
    title = "Kindle (AZW3)"
    folder = False
    cost = 3
    preload = EpubEdition.preload
    reads: frozenset[str] = frozenset()

    def check(self, options: Options) -> None:
        """Refuse the edition, before anything is built, when calibre is not installed."""
        calibre()

    def render(self, issue: Issue, theme: Theme, options: Options) -> bytes:
        """The AZW3 file's bytes."""
        return convert(EpubEdition().render(issue, theme, options), issue)
