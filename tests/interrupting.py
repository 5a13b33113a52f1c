"""Runs the command line so that Ctrl-C lands exactly where a test wants it: half-way through writing an edition.

    python -c "from tests.interrupting import main; main()" build ISSUE.md … --out OUT

is ``exporter build …`` with one change, in this process and in every worker process of
``--jobs``: when a process opens a file below ``$EXPORTER_TEST_PAUSE_IN`` (the ``--out`` folder)
to write it, the first write to it puts half the bytes in the file and flushes them, then the
process says ``paused <file>`` on its standard error and waits for SIGINT, which raises
KeyboardInterrupt there as it would at any other point. ``EXPORTER_TEST_LET_THROUGH=1`` lets the
first edition that comes to be written go through whole (the file
``$EXPORTER_TEST_PAUSE_IN.first`` holds its name); every other one pauses. The hook is on opening
files, not on exporter's own functions, so that it pauses an edition written in place just as
one written through a temporary file: the test then sees what an interrupt leaves.

The test side is :class:`Build`: it starts this module, reads standard error until the processes
it waits for have paused, sends SIGINT as Ctrl-C at a terminal does (to the process group) or as
``kill -INT`` does (to the command's process), and collects the rest. No sleep and no polling:
each step waits for what the child says or for the child's end; the timeouts only stop a test
whose child hangs.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

PAUSE_IN = "EXPORTER_TEST_PAUSE_IN"
LET_THROUGH = "EXPORTER_TEST_LET_THROUGH"
SAID = "interrupting: "
ROOT = Path(__file__).resolve().parents[1]
#: How long a test waits for a step before it gives up on a child that hangs; no step takes nearly as long.
PATIENCE = 120.0


# -- the child's side ---------------------------------------------------------------------------


def _say(message: str) -> None:
    """One line on standard error, written at once (a worker's line never mixes with another's)."""
    os.write(2, f"{SAID}{message}\n".encode())


def _wait_for_interrupt() -> None:
    """Block until SIGINT; the handler installed (KeyboardInterrupt) raises here.

    ``signal.pause()`` could miss a SIGINT that arrives after the "paused" line and before the
    call; the C-level handler writes every signal to the wakeup pipe, so none is missed.
    """
    read, write = os.pipe()
    os.set_blocking(write, False)
    previous = signal.set_wakeup_fd(write)
    try:
        while True:  # the handler runs, and raises, when os.read returns or is interrupted
            os.read(read, 1)
    finally:
        signal.set_wakeup_fd(previous)
        os.close(read)
        os.close(write)


class _Paused:
    """A file being written that pauses at its first write, half of it written and flushed."""

    def __init__(self, stream: Any, path: Path) -> None:
        self._stream = stream
        self._path = path
        self._paused = False

    def write(self, data: Any) -> int:
        if self._paused:
            return int(self._stream.write(data))
        self._paused = True
        view = memoryview(data).cast("B")
        half = len(view) // 2
        written = self._stream.write(view[:half])
        self._stream.flush()
        _say(f"paused {self._path}")
        _wait_for_interrupt()
        return int(written + self._stream.write(view[half:]))

    def __enter__(self) -> _Paused:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _edition(path: Path, out: Path) -> str | None:
    """The edition a file below ``out`` belongs to (``a.pdf``, ``a`` for a web folder), or None."""
    try:
        first = path.relative_to(out).parts[0]
    except (ValueError, IndexError):
        return None
    # A temporary file or folder is `.NAME.RANDOM` beside the edition; a folder set aside is `.NAME.old-PID`.
    return first[1:].rsplit(".", 1)[0] if first.startswith(".") else first


def _lets_through(edition: str, out: Path) -> bool:
    if os.environ.get(LET_THROUGH) != "1":
        return False
    first = out.with_name(out.name + ".first")
    try:
        with open(first, "x", encoding="utf-8") as chosen:  # the first process here chooses, once
            chosen.write(edition)
        return True
    except FileExistsError:
        return first.read_text(encoding="utf-8") == edition


_installed: list[bool] = []


def install() -> None:
    """Pause writes below ``$EXPORTER_TEST_PAUSE_IN`` in this process (and in processes forked from it); once."""
    if _installed:
        return
    _installed.append(True)
    out = Path(os.environ[PAUSE_IN]).resolve()
    real_open = io.open

    def opened(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        stream = real_open(file, mode, *args, **kwargs)
        if not any(c in mode for c in "wax+"):
            return stream
        path = Path(os.readlink(f"/proc/self/fd/{file}") if isinstance(file, int) else os.path.abspath(file))
        edition = _edition(path.resolve(), out)
        if edition is None or _lets_through(edition, out):
            return stream
        return _Paused(stream, path)

    io.open = builtins.open = opened  # os.fdopen and Path.open call io.open


def _with_this_module(preload: Callable[[Sequence[str]], list[str]]) -> Callable[[Sequence[str]], list[str]]:
    """The worker processes fork from a server that imports these modules: this one too, so they pause."""

    def modules(formats: Sequence[str]) -> list[str]:
        return [*preload(formats), "tests.interrupting"]

    return modules


def main() -> None:
    """``exporter`` with its writes below ``$EXPORTER_TEST_PAUSE_IN`` paused."""
    from exporter import cli
    from exporter.pipeline import runner

    # Ctrl-C raises KeyboardInterrupt, as in a terminal, even if this process was started with SIGINT
    # ignored (a shell without job control starts background commands so).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    install()
    runner._preload = _with_this_module(runner._preload)  # type: ignore[assignment]
    sys.argv = ["exporter", *sys.argv[1:]]
    cli.main()


if os.environ.get(PAUSE_IN):
    install()  # in the command's process, and in the server the worker processes fork from, which imports this


# -- the test's side ----------------------------------------------------------------------------


class Build:
    """``exporter ARGS`` run through this module, its writes below ``out`` paused."""

    def __init__(self, args: Sequence[str | Path], out: Path, *, let_through: bool) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
        env[PAUSE_IN] = str(out)
        env[LET_THROUGH] = "1" if let_through else "0"
        self.out = out
        self.lines: list[str] = []
        self._ended = False
        self._incoming: queue.Queue[str | None] = queue.Queue()
        self.process = subprocess.Popen(
            # Run with -c, not -m: worker processes run the command's __main__ module again, and this one
            # is imported by then.
            [sys.executable, "-c", "from tests.interrupting import main; main()", *map(str, args)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,  # its own process group: Ctrl-C's signal reaches the build alone
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._incoming.put(line)
        self._incoming.put(None)

    def __enter__(self) -> Build:
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop whatever of the build is left when a test failed half-way, workers included."""
        if not self._ended:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def _next(self) -> str | None:
        try:
            line = self._incoming.get(timeout=PATIENCE)
        except queue.Empty:
            raise AssertionError(f"the build said nothing for {PATIENCE:.0f} s:\n{''.join(self.lines)}") from None
        if line is None:
            self._ended = True
        else:
            self.lines.append(line)
        return line

    def paused(self, count: int) -> list[Path]:
        """Wait until ``count`` writes have paused; the files being written."""
        files: list[Path] = []
        while len(files) < count:
            line = self._next()
            if line is None:
                raise AssertionError(f"the build ended before {count} writes paused:\n{''.join(self.lines)}")
            if line.startswith(f"{SAID}paused "):
                files.append(Path(line[len(SAID) + len("paused ") :].rstrip("\n")))
        return files

    def interrupt(self, *, group: bool) -> None:
        """SIGINT as Ctrl-C sends it (the whole process group) or as ``kill -INT PID`` does (the command only)."""
        if group:
            os.killpg(self.process.pid, signal.SIGINT)
        else:
            self.process.send_signal(signal.SIGINT)

    def finish(self) -> tuple[int, list[str]]:
        """The exit status and what the command said on standard error (this module's own lines left out).

        Returns once every process of the build has closed standard error: none is left running.
        """
        code = self.process.wait(timeout=PATIENCE)
        while self._next() is not None:
            pass
        return code, [line.rstrip("\n") for line in self.lines if not line.startswith(SAID)]
