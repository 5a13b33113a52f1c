"""Previews an issue while it is edited: its web edition, print pages and findings in a browser, rebuilt on each change.

``exporter serve ISSUE.md`` builds the issue's editions into a temporary folder (never ``build/``)
and serves one page (:mod:`~exporter.preview.page`) from it over HTTP
(:mod:`~exporter.preview.server`): the HTML edition in a frame, the PDF's pages as pictures, the
findings of ``exporter check`` and of the composition audit. It watches the files the editions are
made from (:mod:`~exporter.preview.watching`) and builds again in two stages
(:mod:`~exporter.preview.builds`, :mod:`~exporter.preview.stages`): the web edition and the check
first, then the print pages, telling the browser after each (:mod:`~exporter.preview.state`).
"""

from __future__ import annotations

import errno
import shutil
import signal
import socket
import tempfile
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from exporter.errors import UsageError

if TYPE_CHECKING:
    from exporter.preview.server import PreviewServer
    from exporter.preview.state import State

__all__ = ["serve"]


def serve(
    source: Path,
    *,
    theme: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    project_dir: Path | None = None,
    ready: Callable[[str], None] = print,
) -> None:
    """Serve the preview of ``source`` on ``host``:``port`` (0: a free port) until Ctrl-C or SIGTERM.

    ``ready`` is called with the page's address once the first stage is built and the server
    listens. A theme, project file or address that cannot be used raises a :class:`UsageError`
    before anything is served; an issue that cannot be built is served, with its error shown.
    """
    from exporter import theming
    from exporter.pipeline import project
    from exporter.preview.state import Shown, State

    project_dir = project_dir if project_dir is not None else Path.cwd()
    if theme is not None:
        theming.load(theme)  # an unknown theme is the command's mistake, told before anything is served
    project.load(project_dir)
    folder = Path(tempfile.mkdtemp(prefix="exporter-preview-"))
    previous = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    state = State(Shown(session=uuid.uuid4().hex, source=str(source)))
    try:
        server = _listen(host, port, state, folder)
        try:
            # Ctrl-C stops it, as it says, even started where SIGINT is ignored (in the background of a script).
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, _interrupt)
            _run(server, source, theme, project_dir, ready)
        finally:
            state.close()
            server.server_close()
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the way to stop it, no failure
        pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        shutil.rmtree(folder, ignore_errors=True)


def _run(
    server: PreviewServer, source: Path, theme: str | None, project_dir: Path, ready: Callable[[str], None]
) -> None:
    """Build the first stage, then serve, watch and build again until interrupted."""
    from exporter.preview.builds import Builder
    from exporter.preview.stages import Stages
    from exporter.preview.watching import Sources, sources, watch

    builder = Builder(source, server.folder, server.state, theme, project_dir)
    stages = Stages(builder)
    stop = threading.Event()

    def watched() -> Sources:
        return sources(source, builder.last_theme, project_dir, server.folder)

    try:
        stages.start(builder.web())
        threading.Thread(target=watch, args=(watched, stages.changed, stop), name="preview-watch", daemon=True).start()
        ready(server.url)
        server.serve_forever(poll_interval=0.25)
    finally:
        stop.set()
        stages.stop()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """SIGTERM stops the server as Ctrl-C does."""
    raise KeyboardInterrupt


def _listen(host: str, port: int, state: State, folder: Path) -> PreviewServer:
    """The server, listening on ``host``:``port``; a :class:`UsageError` with a fix if it cannot."""
    from exporter.preview.server import PreviewServer

    try:
        return PreviewServer((host, port), state, folder)
    except socket.gaierror:
        raise UsageError(
            f"--host {host} is no address of this machine: give one of its addresses, or leave --host out "
            "for 127.0.0.1 (this machine alone)"
        ) from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} of {host} is in use (another preview, or another server): stop it, "
                "or choose another port with --port (--port 0 picks a free one)"
            ) from None
        if exc.errno == errno.EACCES:
            raise UsageError(
                f"cannot serve on port {port} ({exc.strerror}): choose a port above 1023 with --port"
            ) from None
        raise UsageError(
            f"cannot serve on {host} port {port} ({exc.strerror}): give --host an address of this machine, "
            "or leave it out for 127.0.0.1"
        ) from None
