"""Batch builds from the command line: inputs, jobs, progress lines, report, project file, exit codes."""

from __future__ import annotations

import json
import re
import signal
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from exporter import parse_file
from exporter.errors import UsageError
from exporter.pipeline import inputs, runner
from exporter.pipeline.inputs import plan
from tests import readback
from tests.interrupting import Build
from tests.test_cli import run


def issue(folder: Path, name: str, headline: str = "标题", extra: str = "") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: 滨海日报\ndate: 2025-12-29\n---\n\n## {headline}\n\n本报记者 王萌\n\n正文第一段。\n{extra}",
        encoding="utf-8",
    )
    return path


# -- planning: inputs to outputs, before anything is built --------------------------------------


def test_files_folders_and_globs(tmp_path: Path) -> None:
    a = issue(tmp_path / "in", "a.md")
    b = issue(tmp_path / "in" / "2025" / "12", "29.md")
    c = issue(tmp_path / "in" / "2025" / "12", "30.md")
    (tmp_path / "in" / ".hidden").mkdir()
    issue(tmp_path / "in" / ".hidden", "skip.md")
    (tmp_path / "in" / "notes.txt").write_text("not an issue", encoding="utf-8")
    out = tmp_path / "out"
    jobs = plan([str(tmp_path / "in")], ["epub"], out)
    assert [(j.source, j.path) for j in jobs] == [
        (b, out / "2025" / "12" / "29.epub"),
        (c, out / "2025" / "12" / "30.epub"),
        (a, out / "a.epub"),
    ]
    globbed = plan([str(tmp_path / "in" / "**" / "*.md")], ["epub", "pdf"], out)
    assert {j.source for j in globbed} == {a, b, c}
    assert [j.format for j in globbed[:2]] == ["epub", "pdf"]
    # the same file named twice is built once
    assert len(plan([str(a), str(a), str(tmp_path / "in" / "a.md")], ["html"], out)) == 1


@pytest.mark.parametrize(
    ("inputs", "needle"),
    [
        (["nothing-here.md"], "no such file or folder"),
        (["*.nothing"], "matches no file"),
        (["empty"], "no issue files"),
    ],
)
def test_inputs_that_name_nothing_are_usage_errors(tmp_path: Path, inputs: list[str], needle: str) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match=needle):
        plan([str(tmp_path / i) for i in inputs], ["epub"], tmp_path / "out")


def test_two_issues_of_one_name_never_write_one_file(tmp_path: Path) -> None:
    one = issue(tmp_path / "a", "today.md")
    two = issue(tmp_path / "b", "today.md")
    with pytest.raises(UsageError, match="would both be built into"):
        plan([str(one), str(two)], ["epub"], tmp_path / "out")
    # as folders they keep their structure, and do not collide
    jobs = plan([str(tmp_path)], ["epub"], tmp_path / "out")
    assert [j.path for j in jobs] == [tmp_path / "out" / "a" / "today.epub", tmp_path / "out" / "b" / "today.epub"]


def test_an_output_never_replaces_an_input(tmp_path: Path) -> None:
    source = issue(tmp_path / "today", "today.md")
    with pytest.raises(UsageError, match="would replace the input"):
        plan([str(source)], ["html"], tmp_path)  # the web edition is the folder today/, where the input is
    pdf_named = tmp_path / "x.pdf"
    pdf_named.write_bytes(source.read_bytes())
    with pytest.raises(UsageError, match="would replace the input"):
        plan([str(pdf_named)], ["pdf"], tmp_path)


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown format `docx`"):
        plan([str(issue(tmp_path, "a.md"))], ["docx"], tmp_path / "out")


# -- the command ------------------------------------------------------------------------------------


def test_default_formats_and_plain_progress_lines(tmp_path: Path) -> None:
    a = issue(tmp_path, "a.md")
    result = run("build", a, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.epub", "a.pdf"]
    written = parse_file(a)
    readback.assert_book_of(tmp_path / "out" / "a.epub", written)
    readback.assert_pdf_has_headlines(tmp_path / "out" / "a.pdf", written)
    lines = result.stdout.splitlines()
    assert sorted(re.sub(r"\d+ KiB, \d+\.\d s", "…", line) for line in lines) == [
        f"{a}: wrote {tmp_path / 'out' / 'a.epub'} (epub, …)",
        f"{a}: wrote {tmp_path / 'out' / 'a.pdf'} (pdf, …)",
    ]
    assert "\x1b[" not in result.stdout  # not a terminal: no colours, no progress bar
    assert result.stderr == ""


def test_one_broken_issue_fails_alone(tmp_path: Path) -> None:
    good = [issue(tmp_path / "in", f"{n}.md", headline=f"标题{n}") for n in ("a", "b")]
    bad = tmp_path / "in" / "c.md"
    bad.write_text("---\ntitle: [unclosed\n---\n\n## 标题\n\n正文。\n", encoding="utf-8")
    report = tmp_path / "report.json"
    result = run(
        "build", tmp_path / "in", "--format", "epub,html", "--jobs", "2", "--out", tmp_path / "out", "--report", report
    )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error:" in line]
    assert len(errors) == 1 and errors[0].startswith(f"{bad}:2: error:")  # once, though two editions failed
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a", "a.epub", "b", "b.epub"]
    for source in good:
        built_issue = parse_file(source)
        readback.assert_book_of(tmp_path / "out" / f"{source.stem}.epub", built_issue)
        readback.assert_web_of(tmp_path / "out" / source.stem, built_issue)
    # the summary names every issue and the one that failed
    assert f"{bad}: FAILED" in result.stdout and "2 of 3 issues built: 4 editions" in result.stdout
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["schema"] == "exporter.report/1" and data["jobs"] == 2
    assert data["totals"] == {
        "issues": 3,
        "built": 2,
        "failed": 1,
        "editions": 4,
        "bytes": sum(e["bytes"] for i in data["issues"] for e in i["editions"] if e["built"]),
    }
    by_source = {Path(i["source"]): i for i in data["issues"]}
    assert by_source[bad]["status"] == "failed" and by_source[bad]["errors"][0].startswith(f"{bad}:2:")
    built = by_source[good[0]]
    assert built["status"] == "built" and built["articles"] == 1
    assert {e["format"]: e["path"] for e in built["editions"]} == {
        "epub": str(tmp_path / "out" / "a.epub"),
        "html": str(tmp_path / "out" / "a"),
    }
    assert all(e["bytes"] > 1000 and e["seconds"] > 0 for e in built["editions"])


def test_parallel_and_serial_builds_give_the_same_bytes(tmp_path: Path) -> None:
    sources = [issue(tmp_path / "in", f"{n}.md", headline=f"标题{n}") for n in range(3)]
    one = run("build", *sources, "--format", "epub,pdf", "--jobs", "1", "--quiet", "--out", tmp_path / "j1")
    two = run("build", *sources, "--format", "epub,pdf", "--jobs", "2", "--quiet", "--out", tmp_path / "j2")
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    assert one.stdout == one.stderr == two.stdout == two.stderr == ""  # --quiet: nothing when all is well
    names = sorted(p.name for p in (tmp_path / "j1").iterdir())
    assert names == sorted(f"{n}.{f}" for n in range(3) for f in ("epub", "pdf"))
    for name in names:
        assert (tmp_path / "j1" / name).read_bytes() == (tmp_path / "j2" / name).read_bytes(), name
    for source in sources:  # and each is the edition of its own issue
        built_issue = parse_file(source)
        readback.assert_book_of(tmp_path / "j1" / f"{source.stem}.epub", built_issue)
        readback.assert_pdf_has_headlines(tmp_path / "j1" / f"{source.stem}.pdf", built_issue)


def test_quiet_still_shows_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"")
    result = run("build", bad, issue(tmp_path, "good.md"), "--quiet", "--out", tmp_path / "out")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == f"{bad}: error: the file is empty: write an issue in it (see the README)"


def test_warnings_are_shown_once_per_issue(tmp_path: Path) -> None:
    source = issue(tmp_path, "a.md", extra="\n![港口](gone.png)\n")
    result = run("build", source, "--format", "epub,html", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning[figure-missing]" in line]
    assert len(warnings) == 1 and warnings[0].startswith(f"{source}:12: warning[figure-missing]: image `gone.png`")


def test_usage_errors_exit_2_and_build_nothing(tmp_path: Path) -> None:
    source = issue(tmp_path, "a.md")
    out = tmp_path / "out"
    for args, told in (
        ([source, "missing.md"], "missing.md: error: no such file or folder: check the path"),
        (
            [str(tmp_path / "*.nothing")],
            f"{tmp_path / '*.nothing'}: error: matches no file: check the pattern (quote it to keep the shell off it)",
        ),
        (
            [source, "--format", "epub,docx"],
            "exporter: error: unknown format `docx`: choose from azw3, e-edition, epub, html, pdf",
        ),
        # The words between are the command-line library's; the option and the way to its help are ours (the
        # command as the tests start it).
        (
            [source, "--jobs", "0"],
            re.compile(
                r"exporter: error: invalid value for '--jobs' / '-j': .+: see `python -m exporter build --help`"
            ),
        ),
        (
            [source, "--theme", "no-such-theme"],
            "exporter: error: no theme named `no-such-theme`: the themes are classic, reader, vertical, or give a "
            "theme folder's path",
        ),
    ):
        result = run("build", *args, "--out", out, cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stdout == "", args
        (line,) = result.stderr.splitlines()  # one line, and nothing else
        assert told.fullmatch(line) if isinstance(told, re.Pattern) else line == told, (args, line)
        assert not out.exists()


def test_an_edition_that_fails_keeps_the_good_one_from_before(tmp_path: Path) -> None:
    source = issue(tmp_path, "a.md")
    out = tmp_path / "out"
    assert run("build", source, "--format", "pdf", "--out", out).returncode == 0
    before = (out / "a.pdf").read_bytes()
    theme = tmp_path / "broken"
    (theme / "templates").mkdir(parents=True)
    (theme / "theme.toml").write_text('name = "broken"\ninherit = "classic"\n', encoding="utf-8")
    (theme / "templates" / "print.html").write_text("<html>\n{{ oops( }}\n</html>\n", encoding="utf-8")
    result = run("build", source, "--format", "pdf", "--theme", theme, "--out", out)
    assert result.returncode == 1
    assert "print.html:2" in result.stderr and "Traceback" not in result.stderr
    assert (out / "a.pdf").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["a.pdf"]  # no temporary file left behind


def test_an_interrupted_build_leaves_no_partial_file(tmp_path: Path) -> None:
    """Ctrl-C half-way through writing the PDF: the edition from before stays whole, no temporary file is left."""
    source = issue(tmp_path, "big.md")
    out = tmp_path / "out"
    out.mkdir()
    before = out / "big.pdf"
    before.write_bytes(b"%PDF-1.7 the edition built before\n")
    command = ["build", source, "--format", "pdf", "--jobs", "1", "--out", out]
    with Build(command, out, let_through=False) as build:
        (half,) = build.paused(1)  # half the new PDF is on disk, and the build waits there
        assert half.parent == out.resolve() and half.stat().st_size > 1000, half
        build.interrupt(group=True)
        code, told = build.finish()
    assert code == 130, told
    assert not any("Traceback" in line for line in told), told
    assert told[-1] == "exporter: interrupted: none of 1 editions written; no other file was written or changed"
    assert sorted(out.iterdir()) == [before]
    assert before.read_bytes() == b"%PDF-1.7 the edition built before\n"


def test_a_worker_stopped_by_ctrl_c_finishes_its_clean_up_when_the_interrupt_comes_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C reaches a worker twice: from the terminal, and passed on by the batch's process.

    The second must not cut short the clean-up of the first (the job removing its temporary file).
    """
    cleaned: list[str] = []

    def job(*_: object) -> None:
        try:
            signal.raise_signal(signal.SIGINT)  # the terminal's
            raise AssertionError("SIGINT did not stop the job")
        finally:
            signal.raise_signal(signal.SIGINT)  # passed on by the batch's process, during the clean-up
            cleaned.append("temporary file removed")

    monkeypatch.setattr(runner, "run_job", job)
    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)  # the worker silences it
    previous = signal.getsignal(signal.SIGINT)
    try:
        done = runner._worker_job(inputs.Job(tmp_path / "a.md", "epub", tmp_path / "a.epub"), inputs.Settings())
    finally:
        signal.signal(signal.SIGINT, previous)
    assert done is None
    assert cleaned == ["temporary file removed"]


# -- the project file ---------------------------------------------------------------------------


def test_project_file_gives_defaults_that_options_override(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text("## 标题\n\n正文。\n", encoding="utf-8")
    (tmp_path / "exporter.toml").write_text(
        'theme = "vertical"\nformats = ["epub"]\nout = "editions"\n\n[masthead]\ntitle = "滨海日报"\n'
        'publisher = "滨海日报社"\n',
        encoding="utf-8",
    )
    result = run("build", "a.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    book = tmp_path / "editions" / "a.epub"
    with zipfile.ZipFile(book) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        css = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".css"))
    # The title is the project's masthead alone: the issue has no date.
    got = readback.epub(book)
    assert (got.title, got.language, got.contents) == ("滨海日报", "zh-CN", ["标题"])
    assert opf.xpath("//dc:publisher/text()", namespaces=readback.NS) == ["滨海日报社"]
    assert "vertical-rl" in css
    assert "title-inferred" not in result.stderr
    # the issue's own front matter wins over the project's masthead; options win over the project
    source.write_text("---\ntitle: 滨海晚报\n---\n\n## 标题\n\n正文。\n", encoding="utf-8")
    result = run("build", "a.md", "--format", "html", "--theme", "classic", "--out", "web", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert readback.web(tmp_path / "web" / "a") == readback.Web("滨海晚报", ["标题"])
    assert "vertical-rl" not in (tmp_path / "web" / "a" / "css" / "edition.css").read_text()


@pytest.mark.parametrize(
    ("content", "line", "needle"),
    [
        ('theme = "classic"\nformat = ["epub"]\n', 2, "unknown key `format`"),
        ("formats = epub\n", 1, "not valid TOML"),
        ('[masthead]\ntitle = "滨海日报"\ndate = "2025-12-29"\n', 3, "differs from issue to issue"),
        ("jobs = 0\n", 1, "`jobs` must be a whole number"),
    ],
)
def test_a_bad_project_file_is_one_line_naming_it(tmp_path: Path, content: str, line: int, needle: str) -> None:
    (tmp_path / "exporter.toml").write_text(content, encoding="utf-8")
    issue(tmp_path, "a.md")
    result = run("build", "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"{tmp_path / 'exporter.toml'}:{line}: error:"), result.stderr
    assert needle in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "build").exists()


def test_formats_from_the_project_file_are_checked(tmp_path: Path) -> None:
    (tmp_path / "exporter.toml").write_text('formats = ["epub", "mobi"]\n', encoding="utf-8")
    issue(tmp_path, "a.md")
    result = run("build", "a.md", cwd=tmp_path)
    assert result.returncode == 2 and "unknown format `mobi`" in result.stderr


def test_an_output_folder_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    source = issue(tmp_path, "a.md")
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    result = run("build", source, "--out", tmp_path / "taken")
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == f"{tmp_path / 'taken'}: error: is a file, not a folder: give --out a folder for the editions"
    )


def test_an_output_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    source = issue(tmp_path, "a.md")
    (tmp_path / "file").write_text("a file", encoding="utf-8")
    result = run("build", source, "--format", "epub", "--out", tmp_path / "file" / "out")
    assert result.returncode == 2  # a usage error, found before anything is built
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"{tmp_path / 'file' / 'out'}: error: {tmp_path / 'file'} is a file, not a folder")
