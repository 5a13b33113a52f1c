"""Serves the preview over HTTP with the standard library: the page, its event stream and the built files.

``/`` is the preview page, ``/events`` the Server-Sent Events that tell the browser of each build,
any other path a file of the build folder: a path that would lead out of it is not found. Nothing
is cached (``Cache-Control: no-store``): the browser always shows the last build.
"""

from __future__ import annotations

import json
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from exporter.preview.page import render_page
from exporter.preview.state import State

#: The content type of each kind of file an edition has.
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xhtml": "application/xhtml+xml; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
}

#: How often, in seconds, an idle event stream sends a comment, to find a browser that went away.
KEEPALIVE = 15.0


class PreviewServer(ThreadingHTTPServer):
    """An HTTP server of one preview: its state and its build folder."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: State, folder: Path) -> None:
        host = address[0]
        self.address_family = socket.getaddrinfo(host, address[1], type=socket.SOCK_STREAM)[0][0]
        self.state = state
        self.folder = folder.resolve()
        super().__init__(address, Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that went away mid-answer is no error worth telling; anything else is told in one line."""
        import sys

        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)) or self.state.closed:
            return
        print(f"exporter: error answering {client_address[0]}: {type(error).__name__}: {error}", file=sys.stderr)

    @property
    def url(self) -> str:
        """The address to open in a browser."""
        host, port = str(self.server_address[0]), self.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"


class Handler(BaseHTTPRequestHandler):
    """Answers one request of the preview."""

    server: PreviewServer
    server_version = "exporter-preview"

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged: the terminal shows the preview's address and nothing else."""

    def _answer(self, body: bool) -> None:
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            page = render_page(self.server.state.shown).encode("utf-8")
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", page if body else b"", len(page))
        elif path == "/events":
            self._events(body)
        else:
            file = inside(self.server.folder, path)
            try:
                data = file.read_bytes() if file is not None else None
            except OSError:  # a build removed meanwhile
                data = None
            if file is None or data is None:
                message = b"Not found\n"
                self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", message if body else b"", len(message))
                return
            kind = TYPES.get(file.suffix.lower(), "application/octet-stream")
            self._send(HTTPStatus.OK, kind, data if body else b"", len(data))

    def _send(self, status: HTTPStatus, kind: str, data: bytes, length: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(length))
        self._common_headers()
        self.end_headers()
        if data:
            self.wfile.write(data)

    def _common_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")

    def _events(self, body: bool) -> None:
        """Tell the browser of the version shown now, then of each new one, until it or the server goes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self._common_headers()
        self.end_headers()
        if not body:
            return
        state = self.server.state
        # A browser whose server went away tries again after a second: a server started again is found soon.
        self.wfile.write(b"retry: 1000\n\n")
        version = None
        while not state.closed:
            shown = state.wait(version, KEEPALIVE)
            if state.closed:
                return
            if shown.version == version:
                self.wfile.write(b": still here\n\n")
                continue
            version = shown.version
            data = json.dumps(shown.event(), ensure_ascii=False)
            self.wfile.write(f"event: build\ndata: {data}\n\n".encode())


def inside(root: Path, path: str) -> Path | None:
    """The file of the build folder ``root`` an address names; ``None`` if it is none, or would be outside it."""
    parts = [part for part in unquote(path).split("/") if part]
    if not parts or any(part in (".", "..") or "\\" in part or "\0" in part for part in parts):
        return None
    file = root.joinpath(*parts).resolve()
    if not file.is_relative_to(root) or not file.is_file():
        return None
    return file
