"""calibre for tests: what its conversion logs about a book's CSS, and what its "Check book" finds.

calibre (Debian's ``calibre`` package, ``./dev test`` installs it) reads an EPUB's stylesheet with its own
CSS parser, ``css_parser``, when it converts the book (``ebook-convert``, to AZW3 here), and logs each
declaration or rule it cannot read as ``ClassName: message``; its check of a book
(``calibre.ebooks.oeb.polish.check``, the editor's "Check book") runs stylelint on the CSS and compares each
``@font-face`` family with the font file's own name. Both start Qt WebEngine, which runs offscreen here, and
without its sandbox (it refuses to start sandboxed as root, as in a container).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

#: A line of css_parser's log: a rule, declaration, value or selector it could not read (``PropertyValue: …``).
CSS_LOG = re.compile(
    r"^(CSS[A-Za-z]*|Property[A-Za-z]*|Selector[A-Za-z]*|Media[A-Za-z]*|[A-Z][A-Za-z]*Value|Profiles?):"
)

CHECK = """
import json, sys
from calibre.ebooks.oeb.polish.check.main import run_checks
from calibre.ebooks.oeb.polish.container import get_container

found = {}
for path in sys.argv[1:-1]:
    found[path] = [
        {"kind": type(e).__name__, "level": e.level, "name": e.name, "line": e.line, "message": e.msg}
        for e in run_checks(get_container(path, tweak_mode=True))
    ]
with open(sys.argv[-1], "w", encoding="utf-8") as out:
    json.dump(found, out)
"""


def _environment() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox"}


def program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise AssertionError(
            f"{name} is not installed: run ./dev test, which installs calibre (apt-get install calibre)"
        )
    return path


def conversion_log(book: Path) -> str:
    """What ``ebook-convert`` prints converting ``book`` to AZW3 (the book it writes is thrown away)."""
    with tempfile.TemporaryDirectory(prefix="exporter-calibre-") as folder:
        done = subprocess.run(
            [program("ebook-convert"), str(book), str(Path(folder) / "book.azw3")],
            capture_output=True,
            text=True,
            timeout=300,
            env={**_environment(), "HOME": folder},
        )
    log = done.stdout + done.stderr
    assert done.returncode == 0, f"ebook-convert failed on {book.name}:\n{log[-3000:]}"
    return log


def css_errors(log: str) -> list[str]:
    """The lines of a conversion log in which calibre's CSS parser tells of CSS it could not read."""
    return [line for line in log.splitlines() if CSS_LOG.match(line)]


def check_books(books: list[Path]) -> dict[Path, list[dict[str, object]]]:
    """What calibre's "Check book" finds in each book: kind (``CSSError``, ``FontAliasing``…), level, file,
    line and message of each finding."""
    with tempfile.TemporaryDirectory(prefix="exporter-calibre-") as folder:
        script, report = Path(folder) / "check.py", Path(folder) / "found.json"
        script.write_text(CHECK, encoding="utf-8")
        done = subprocess.run(
            [program("calibre-debug"), str(script), *map(str, books), str(report)],
            capture_output=True,
            text=True,
            timeout=600,
            env={**_environment(), "HOME": folder},
        )
        assert done.returncode == 0 and report.is_file(), f"calibre's check failed:\n{done.stderr[-3000:]}"
        found: dict[str, list[dict[str, object]]] = json.loads(report.read_text(encoding="utf-8"))
    return {Path(path): errors for path, errors in found.items()}
