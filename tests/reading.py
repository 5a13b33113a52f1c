"""Opens a book in a real reading engine, foliate-js, in headless Chromium, and reads back what a reader sees.

``./dev`` installs foliate-js and puppeteer-core (the versions it pins) into ``.venv/reader``. :func:`read`
serves a temporary folder on 127.0.0.1 holding foliate-js, the harness page (``tests/foliate/harness.*``)
and the book; ``tests/foliate/driver.cjs`` has puppeteer-core start Debian's Chromium on it, and the page
opens the book in ``<foliate-view>`` as a reading app does: the first page shown, every page in reading
order with ``next()``, which way ``goLeft()`` turns, every section's rendered text, writing mode and fonts,
and every entry of the contents followed with ``goTo(href)``. Nothing is fetched from outside the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests import browser

MODULES = Path(sys.prefix) / "reader" / "node_modules"  # sys.prefix: the venv
FOLIATE = MODULES / "foliate-js"
HARNESS = Path(__file__).resolve().parent / "foliate"
#: The window a reader holds: wide enough for the engine's two-column spread in horizontal books.
VIEWPORT = {"width": 1280, "height": 900}
#: How long one book may take to read, in seconds (each took 7 to 14 s on two busy cores); the driver gives up
#: a minute earlier, so that its own message says where it stopped.
TIMEOUT = 600


@dataclass(frozen=True)
class Position:
    """Where the engine is: the section's index in the spine and how far into it (0 to 1)."""

    index: int | None
    fraction: float | None

    def key(self) -> tuple[int, float]:
        return (-1 if self.index is None else self.index, self.fraction or 0.0)


@dataclass(frozen=True)
class Image:
    alt: str
    natural_width: int


@dataclass(frozen=True)
class Face:
    """A ``FontFace`` of a section document: ``used`` is its status once the page's fonts were ready (a face the
    text needs is ``loaded``), ``status`` after the harness asked every face to load."""

    family: str
    weight: str
    style: str
    used: str
    status: str

    def __str__(self) -> str:
        return f"{self.family} {self.weight} {self.style}"


@dataclass(frozen=True)
class Document:
    """One section as the engine rendered it."""

    index: int
    id: str
    shown: int | None  # the index of the section the engine showed when asked for this one
    text: str  # innerText of its body
    writing_mode: str
    direction: str
    fonts: tuple[Face, ...]
    images: tuple[Image, ...]


@dataclass(frozen=True)
class Jump:
    """One entry of the book's contents (``book.toc``) and where following it led."""

    label: str
    href: str | None
    depth: int
    resolved: int | None  # the section the engine resolved the href to, None when it could not
    moved: bool  # whether the engine relocated at all
    landed: int | None  # the section shown afterwards
    landed_id: str | None
    shown: str  # the text on the screen afterwards
    document: str  # innerText of the whole section shown


@dataclass(frozen=True)
class First:
    """The first page shown when the book is opened, its images, and the size of the book's cover image."""

    index: int | None
    id: str | None
    images: tuple[Image, ...]
    cover: tuple[int, int] | None
    text: str


@dataclass(frozen=True)
class Reading:
    """Everything the engine reported of one book."""

    dir: str | None  # book.dir: the spine's page-progression-direction
    sections: tuple[str, ...]  # the spine, as section ids (paths in the zip)
    landmarks: dict[str, str]  # landmark type → href
    first: First
    pages: tuple[Position, ...]  # every page from the first to the last, turned with next()
    first_pages: dict[int, str]  # the text on the screen on the first page of each section reached by paging
    turns: dict[str, tuple[Position, Position]]  # "left"/"right": where goLeft()/goRight() went from and to
    documents: tuple[Document, ...]
    toc: tuple[Jump, ...]
    console: tuple[str, ...]  # the page's console errors and warnings, and uncaught exceptions
    errors: tuple[str, ...]
    shots: tuple[Path, ...]

    def text(self) -> str:
        """The text of every section, in spine order."""
        return "\n".join(d.text for d in self.documents)

    def failed_fonts(self) -> list[str]:
        """Each face that did not reach ``loaded`` in some section, as ``section: family weight style status``."""
        return [f"{d.id}: {face} {face.status}" for d in self.documents for face in d.fonts if face.status != "loaded"]


def _position(raw: dict[str, Any]) -> Position:
    return Position(raw.get("index"), raw.get("fraction"))


def _images(raw: list[dict[str, Any]]) -> tuple[Image, ...]:
    return tuple(Image(i.get("alt") or "", int(i.get("naturalWidth") or 0)) for i in raw)


def _reading(raw: dict[str, Any]) -> Reading:
    first = raw["first"]
    cover = first.get("cover")
    landmarks: dict[str, str] = {}
    for mark in raw.get("landmarks", []):
        for kind in mark.get("type") or []:
            landmarks.setdefault(kind, mark.get("href") or "")
    return Reading(
        dir=raw.get("dir"),
        sections=tuple(raw["sections"]),
        landmarks=landmarks,
        first=First(
            first.get("index"),
            first.get("id"),
            _images(first.get("images", [])),
            (cover["width"], cover["height"]) if cover else None,
            first.get("text", ""),
        ),
        pages=tuple(_position(p) for p in raw["pages"]),
        first_pages={int(k): v for k, v in raw["firstPages"].items() if k.lstrip("-").isdigit()},
        turns={side: (_position(t["before"]), _position(t["after"])) for side, t in raw["turns"].items()},
        documents=tuple(
            Document(
                index=d["index"],
                id=d["id"],
                shown=d.get("shown"),
                text=d.get("text", ""),
                writing_mode=d.get("writingMode", ""),
                direction=d.get("direction", ""),
                fonts=tuple(
                    Face(f["family"], f["weight"], f["style"], f["used"], f["status"]) for f in d.get("fonts", [])
                ),
                images=_images(d.get("images", [])),
            )
            for d in raw["documents"]
        ),
        toc=tuple(
            Jump(
                label=j["label"],
                href=j.get("href"),
                depth=j["depth"],
                resolved=j.get("resolved"),
                moved=bool(j.get("moved")),
                landed=j.get("landed"),
                landed_id=j.get("landedId"),
                shown=j.get("shown", ""),
                document=j.get("document", ""),
            )
            for j in raw["toc"]
        ),
        console=tuple(f"{m['type']}: {m['text']}" for m in raw.get("console", [])),
        errors=tuple(raw.get("errors", [])),
        shots=tuple(Path(p) for p in raw.get("shots", [])),
    )


class _Quiet(SimpleHTTPRequestHandler):
    """Serves the folder without a log line a request, with the types a module script and a book need."""

    extensions_map = SimpleHTTPRequestHandler.extensions_map | {
        ".js": "text/javascript",
        ".html": "text/html",
        ".epub": "application/epub+zip",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def _serve(root: Path) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 (an ephemeral port) for ``root``, in a thread, stopped afterwards."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def read(book: Path, shots: Path | None = None, names: tuple[str, ...] = ("cover", "masthead", "article")) -> Reading:
    """What foliate-js shows of ``book``; PNG screenshots of the views ``names`` (``cover``, ``masthead``: the
    first page after the cover, ``article``: the first entry of the contents followed) go into ``shots``."""
    node = shutil.which("node")
    assert node, "Node.js is not installed: run ./dev setup"
    assert (FOLIATE / "view.js").is_file(), f"foliate-js is not installed at {FOLIATE}: run ./dev setup"
    assert (MODULES / "puppeteer-core").is_dir(), f"puppeteer-core is not installed in {MODULES}: run ./dev setup"
    with tempfile.TemporaryDirectory(prefix="exporter-reading-") as tmp:
        root = Path(tmp) / "site"
        root.mkdir()
        (root / "foliate-js").symlink_to(FOLIATE, target_is_directory=True)
        for name in ("harness.html", "harness.js"):
            shutil.copyfile(HARNESS / name, root / name)
        shutil.copyfile(book, root / "book.epub")
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)
        output = Path(tmp) / "seen.json"
        config = Path(tmp) / "config.json"
        with _serve(root) as base:
            config.write_text(
                json.dumps(
                    {
                        "modules": str(MODULES),
                        "chromium": browser.chromium(),
                        "flags": [flag for flag in browser.FLAGS if flag != "--headless"],
                        "viewport": VIEWPORT,
                        "timeout": (TIMEOUT - 60) * 1000,
                        "url": f"{base}/harness.html",
                        "shots": str(shots or tmp),
                        "output": str(output),
                        "options": {"url": f"{base}/book.epub", "shots": list(names) if shots else []},
                    }
                ),
                encoding="utf-8",
            )
            # In a session of its own, so that a driver stopped at the time limit takes its Chromium with it.
            with subprocess.Popen(
                [node, str(HARNESS / "driver.cjs"), str(config)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,
            ) as driver:
                try:
                    _, stderr = driver.communicate(timeout=TIMEOUT)
                except subprocess.TimeoutExpired:
                    os.killpg(driver.pid, signal.SIGKILL)
                    driver.communicate()
                    raise AssertionError(f"foliate-js did not finish reading {book.name} in {TIMEOUT} s") from None
        assert driver.returncode == 0 and output.is_file(), f"foliate-js could not read {book.name}:\n{stderr[-3000:]}"
        return _reading(json.loads(output.read_text(encoding="utf-8")))
