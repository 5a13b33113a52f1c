"""What a command imports: ``--help``, ``check`` and an EPUB build load only the modules they use.

Each command runs as a user runs it, in a fresh process, and tells the modules it ended with (a small
wrapper prints ``sys.modules`` at exit). How long the commands take is measured by hand in
``benchmarks/startup.py``; the tests hold what keeps them quick: no module that the command does not use.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import typer.main

from tests.conftest import DENSE, EXAMPLE

# Runs the command line with the arguments after the first, and writes the modules loaded at exit to the first.
WRAPPER = """\
import atexit, runpy, sys

out = sys.argv[1]


def tell():
    with open(out, "w", encoding="utf-8") as stream:
        stream.write("\\n".join(sorted(sys.modules)))


atexit.register(tell)
sys.argv = ["exporter", *sys.argv[2:]]
runpy.run_module("exporter", run_name="__main__", alter_sys=True)
"""

#: Neither ``check`` nor an EPUB build lays out a page, draws one or reads a PDF.
PRINT_MODULES = ("weasyprint", "pydyf", "cairocffi", "cffi", "tinyhtml5", "pypdf", "pikepdf", "pypdfium2", "numpy")


def modules_after(tmp_path: Path, *args: str | Path) -> set[str]:
    """The modules loaded when ``exporter ARGS`` ends, run in a fresh process; it must succeed."""
    out = tmp_path / "modules.txt"
    env = {**os.environ, "EXPORTER_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, str(out), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return set(out.read_text(encoding="utf-8").split())


def loaded(modules: set[str], *names: str) -> list[str]:
    """Which of ``names`` (packages: their submodules too) are among ``modules``."""
    return sorted(m for m in modules if any(m == name or m.startswith(name + ".") for name in names))


def test_help_loads_the_command_line_alone(tmp_path: Path) -> None:
    """``exporter --help`` loads typer and the command line: no parser, pipeline, edition, theme or plugin
    registry (importlib.metadata), and not rich."""
    modules = modules_after(tmp_path, "--help")
    assert {m for m in modules if m.startswith("exporter")} == {"exporter", "exporter.cli"}
    assert loaded(modules, "importlib.metadata", "rich", "pydantic", "markdown_it", "yaml") == []


def test_check_loads_no_edition(tmp_path: Path) -> None:
    """``exporter check`` parses and checks the fonts: no edition's modules, templates, EPUB or PDF library,
    nor the batch runner."""
    for issue in (EXAMPLE, DENSE):
        modules = modules_after(tmp_path, "check", issue)
        assert "exporter.pipeline" in modules and "exporter.fonts" in modules
        unused = loaded(modules, *PRINT_MODULES, "ebooklib", "jinja2", "lxml", "fontTools", "rich")
        assert unused == [], issue.name
        editions = [m for m in modules if m.startswith("exporter.editions.")]
        assert editions == [], issue.name
        assert loaded(modules, "exporter.pipeline.runner", "exporter.themecheck", "exporter.cli.console") == []


def test_epub_build_loads_nothing_of_the_print_edition(tmp_path: Path) -> None:
    """An EPUB build loads the EPUB edition, and neither WeasyPrint nor the print edition's modules."""
    modules = modules_after(tmp_path, "build", EXAMPLE, "--format", "epub", "--out", tmp_path / "out")
    assert (tmp_path / "out" / "binhai-daily.epub").is_file()
    assert "exporter.editions.epub" in modules and "ebooklib" in modules
    assert loaded(modules, *PRINT_MODULES) == []
    assert loaded(modules, "exporter.editions.pdf", "exporter.editions.eedition", "exporter.editions.html") == []


def test_build_help_names_the_editions_installed() -> None:
    """``build --format``'s help names the editions, read when build's options are first read."""
    from exporter import editions
    from exporter.cli import app

    build = typer.main.get_command(app).commands["build"]  # type: ignore[attr-defined]
    (formats,) = [p for p in build.params if p.name == "formats"]
    assert f"separated by commas: {', '.join(editions.names())}. [default: epub,pdf]" in formats.help
    assert "{" not in formats.help
