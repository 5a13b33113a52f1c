"""The batch in this process: jobs, outcomes, the order of callbacks, the parsed-issue cache and the report.

tests/test_batch.py runs the command as a user does; these call the functions, so that a bug planted in
them (mutation testing) is caught by a test that runs them in its own process.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import signal
import sys
import types
from concurrent import futures
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from exporter.diagnostics import Diagnostic
from exporter.editions import Options
from exporter.errors import UsageError
from exporter.pipeline import Built, inputs, runner
from exporter.pipeline.inputs import Job, Settings, plan
from exporter.pipeline.report import report
from exporter.pipeline.runner import Failure, Outcome, run, run_job

HTML = Settings(formats=("html",))


def issue(folder: Path, name: str, body: str = "本报记者 王萌\n\n正文第一段。\n") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: 滨海日报\ndate: 2025-12-29\n---\n\n## 标题\n\n{body}", encoding="utf-8")
    return path


def test_a_good_job_is_built_and_counted(tmp_path: Path) -> None:
    source = issue(tmp_path, "a.md")
    job = Job(source, "html", tmp_path / "out" / "a")
    outcome = run_job(job, HTML)
    assert outcome.error is None and outcome.failure is None and not outcome.internal
    assert outcome.built is not None and outcome.built.path == job.path and outcome.built.format == "html"
    assert outcome.built.files == sum(1 for p in job.path.rglob("*") if p.is_file())
    assert outcome.built.size == sum(p.stat().st_size for p in job.path.rglob("*") if p.is_file())
    assert outcome.articles == 1 and outcome.seconds > 0
    assert (job.path / "index.html").read_text(encoding="utf-8").count("标题") >= 1


def test_an_issue_with_errors_is_an_outcome_with_its_diagnostics(tmp_path: Path) -> None:
    source = tmp_path / "bad.md"
    source.write_text("---\ntitle: 滨海日报\ndate: 2025-13-45\n---\n\n## 标题\n\n正文。\n", encoding="utf-8")
    outcome = run_job(Job(source, "html", tmp_path / "out" / "bad"), HTML)
    assert outcome.built is None and not outcome.internal
    assert outcome.error is not None and outcome.error.startswith(f"{source}:3: error: ")
    assert "\n" not in outcome.error
    assert not (tmp_path / "out").exists()


def test_an_unwritable_output_is_a_write_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = issue(tmp_path, "a.md")
    out = tmp_path / "out" / "a.epub"

    def full(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(out.parent / ".a.epub.x"))

    monkeypatch.setattr(runner, "write_edition", full)
    outcome = run_job(Job(source, "epub", out), Settings(formats=("epub",)))
    fix = (
        f"cannot write {out.parent / '.a.epub.x'} (No space left on device): "
        "check the folder's permissions and free space"
    )
    assert outcome.failure == Failure(None, "write", fix)
    assert outcome.error == f"{source}: error: {fix}"
    assert outcome.built is None and not outcome.internal


def test_an_unreadable_input_file_is_a_read_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = issue(tmp_path / "in", "a.md")
    figure = tmp_path / "in" / "photo.jpg"

    def unreadable(*_: object, **__: object) -> None:
        raise OSError(errno.EACCES, "Permission denied", str(figure))

    monkeypatch.setattr(runner, "write_edition", unreadable)
    outcome = run_job(Job(source, "pdf", tmp_path / "out" / "a.pdf"), Settings(formats=("pdf",)))
    fix = f"cannot read {figure} (Permission denied): check that it is there and readable"
    assert outcome.failure == Failure(None, "read", fix)
    assert outcome.error == f"{source}: error: {fix}"


def test_an_os_error_without_a_file_name_is_put_on_the_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = issue(tmp_path, "a.md")
    out = tmp_path / "out" / "a.pdf"

    def nameless(*_: object, **__: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(runner, "write_edition", nameless)
    outcome = run_job(Job(source, "pdf", out), Settings(formats=("pdf",)))
    assert outcome.failure == Failure(
        None, "write", f"cannot write {out} (Input/output error): check the folder's permissions and free space"
    )


def test_an_unexpected_error_is_an_internal_outcome(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = issue(tmp_path, "a.md")

    def broken(*_: object, **__: object) -> None:
        raise KeyError("cover")

    monkeypatch.setattr(runner, "write_edition", broken)
    monkeypatch.delenv("EXPORTER_DEBUG", raising=False)
    outcome = run_job(Job(source, "epub", tmp_path / "a.epub"), Settings(formats=("epub",)))
    told = "internal error (KeyError: 'cover')"
    assert outcome.internal and outcome.failure == Failure(None, "internal", told)
    assert outcome.error == (
        f"{source}: {told}; run again with EXPORTER_DEBUG=1 for the traceback and report it with the input file"
    )
    assert outcome.articles == 1  # the issue was read before the edition failed
    monkeypatch.setenv("EXPORTER_DEBUG", "1")
    with pytest.raises(KeyError):
        run_job(Job(source, "epub", tmp_path / "a.epub"), Settings(formats=("epub",)))


def test_the_formats_of_one_issue_parse_it_once_and_a_changed_file_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = issue(tmp_path, "a.md")
    calls: list[Path] = []
    prepare = runner.prepare

    def counted(path: Path, **kwargs: object) -> object:
        calls.append(path)
        return prepare(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "prepare", counted)
    runner._last.clear()
    first = runner._prepared(source, HTML)
    assert runner._prepared(source, HTML) is first and calls == [source]
    runner._prepared(source, Settings(formats=("html",), theme="vertical"))  # other settings: parsed again
    assert len(calls) == 2
    issue(tmp_path, "a.md", body="正文第一段，长了一些。\n")  # the file changes: parsed again
    assert runner._prepared(source, Settings(formats=("html",), theme="vertical")).__class__ is tuple
    assert len(calls) == 3
    runner._last.clear()


def test_serial_run_calls_back_in_order_and_returns_outcomes_in_job_order(tmp_path: Path) -> None:
    sources = [issue(tmp_path / "in", f"{n}.md") for n in ("a", "b")]
    jobs = plan([str(s) for s in sources], ["html"], tmp_path / "out")
    events: list[str] = []
    outcomes = run(
        jobs,
        HTML,
        1,
        started=lambda job: events.append(f"start {job.source.name}"),
        finished=lambda outcome: events.append(f"end {outcome.job.source.name}"),
    )
    assert events == ["start a.md", "end a.md", "start b.md", "end b.md"]
    assert [o.job for o in outcomes] == jobs and all(o.built for o in outcomes)


def test_parallel_run_returns_outcomes_in_job_order(tmp_path: Path) -> None:
    sources = [issue(tmp_path / "in", f"{n}.md") for n in ("a", "b", "c")]
    jobs = plan([str(s) for s in sources], ["html"], tmp_path / "out")
    started: list[Job] = []
    finished: list[Job] = []
    outcomes = run(jobs, HTML, 8, started=started.append, finished=lambda o: finished.append(o.job))
    assert [o.job for o in outcomes] == jobs
    assert sorted(map(str, started)) == sorted(map(str, jobs)) == sorted(map(str, finished))
    assert all(o.built is not None and o.error is None for o in outcomes)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a", "b", "c"]


def test_pdfs_and_big_issues_start_first_in_parallel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = issue(tmp_path / "in", "small.md")
    big = issue(tmp_path / "in", "big.md", body="正文。\n" * 400)
    jobs = plan([str(small), str(big)], ["html", "pdf"], tmp_path / "out")
    order: list[tuple[str, str]] = []

    def nothing(job: Job, _settings: Settings) -> Outcome:
        return Outcome(job, None, None, (), 0, 0.0)

    class Threads(ThreadPoolExecutor):
        """The pool, in threads of this process: the order jobs start in is the batch's, not the pool's."""

        def __init__(self, max_workers: int, **_: object) -> None:
            super().__init__(max_workers=1)  # one at a time: each job ends before the next is taken

    monkeypatch.setattr(runner, "_worker_job", nothing)
    monkeypatch.setattr(futures, "ProcessPoolExecutor", Threads)
    run(jobs, Settings(formats=("html", "pdf")), 2, started=lambda j: order.append((j.source.stem, j.format)))
    assert order == [("big", "pdf"), ("small", "pdf"), ("big", "html"), ("small", "html")]


def test_workers_preload_what_their_formats_use() -> None:
    base = ["exporter.pipeline.runner", "exporter.parser", "exporter.editions.fontuse", "fontTools.ttLib", "uharfbuzz"]
    assert runner._preload(["html"]) == [*base, "exporter.editions.html"]
    assert runner._preload(["pdf"]) == [*base, "exporter.editions.pdf", "weasyprint"]
    epub = ["exporter.editions.epub", "ebooklib.epub", "exporter.editions.epub.cover", "PIL.Image"]
    assert runner._preload(["epub", "pdf", "html"]) == [
        *base,
        *epub,
        "exporter.editions.pdf",
        "weasyprint",
        "exporter.editions.html",
    ]


def test_size_of_a_missing_file_is_zero(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"12345")
    assert runner._size(tmp_path / "a.md") == 5
    assert runner._size(tmp_path / "gone.md") == 0


def test_cores_are_the_ones_this_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    assert inputs.cores() == len(os.sched_getaffinity(0))
    monkeypatch.delattr(os, "sched_getaffinity")
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert inputs.cores() == 6
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert inputs.cores() == 1


def test_the_report_counts_every_issue_edition_and_finding(tmp_path: Path) -> None:
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    warning = Diagnostic(line=7, severity="warning", code="byline-long", message="long")
    info = Diagnostic(line=12, severity="info", code="rule-dropped", message="rule")
    failure = Failure(3, "date", "bad date")
    outcomes = [
        Outcome(Job(a, "epub", tmp_path / "a.epub"), Built("epub", tmp_path / "a.epub", 1, 100), None, (), 2, 0.1234),
        Outcome(
            Job(a, "pdf", tmp_path / "a.pdf"), Built("pdf", tmp_path / "a.pdf", 1, 900), None, (warning, info), 3, 1.0
        ),
        Outcome(Job(b, "epub", tmp_path / "b.epub"), None, "b.md:3: error: bad date", (), 0, 0.01, failure=failure),
        Outcome(Job(b, "pdf", tmp_path / "b.pdf"), None, "b.md:3: error: bad date", (), 0, 0.02, failure=failure),
    ]
    got = report(outcomes, 2.34567, 2, "9.9")
    assert got["schema"] == "exporter.report/1" and got["exporter"] == "9.9"
    assert got["seconds"] == 2.346 and got["jobs"] == 2
    assert got["totals"] == {"issues": 2, "built": 1, "failed": 1, "editions": 2, "bytes": 1000}
    first, second = got["issues"]
    assert first["source"] == str(a) and first["status"] == "built" and first["errors"] == []
    assert first["articles"] == 3
    assert first["diagnostics"] == {"error": 0, "warning": 1, "info": 1}
    assert first["findings"] == [
        {"line": 7, "severity": "warning", "code": "byline-long", "message": "long"},
        {"line": 12, "severity": "info", "code": "rule-dropped", "message": "rule"},
    ]
    assert first["editions"] == [
        {"format": "epub", "path": str(tmp_path / "a.epub"), "built": True, "bytes": 100, "files": 1, "seconds": 0.123},
        {"format": "pdf", "path": str(tmp_path / "a.pdf"), "built": True, "bytes": 900, "files": 1, "seconds": 1.0},
    ]
    assert second["status"] == "failed" and second["errors"] == ["b.md:3: error: bad date"]  # once, not per edition
    assert second["diagnostics"] == {"error": 1, "warning": 0, "info": 0}
    assert second["findings"] == [{"line": 3, "severity": "error", "code": "date", "message": "bad date"}]
    assert [e["built"] for e in second["editions"]] == [False, False]
    assert [e["bytes"] for e in second["editions"]] == [None, None]


def test_a_format_given_twice_or_none_is_refused(tmp_path: Path) -> None:
    source = issue(tmp_path, "a.md")
    with pytest.raises(UsageError, match="no format to build: choose from azw3, e-edition, epub, html, pdf"):
        plan([str(source)], [], tmp_path / "out")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="is a file, not a folder"):
        plan([str(source)], ["html"], tmp_path / "file")


def test_an_issue_with_errors_is_told_whole_and_keeps_its_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "bad.md"
    source.write_text("---\ntitle: 滨海日报\ndate: 2025-12-29\n---\n\n## 标题\n\n<!-- page: -->\n", encoding="utf-8")
    job = Job(source, "html", tmp_path / "out" / "bad")
    ticks = iter([100.0, 102.5])  # a clock read when the job starts and when it ends
    monkeypatch.setattr(runner.time, "perf_counter", lambda: next(ticks))
    outcome = run_job(job, HTML)
    assert outcome.job is job and outcome.built is None and outcome.failure is None
    assert outcome.error == (
        f"{source}:8: error[marker-empty]: `page:` in <!-- page: --> has no value: "
        "write it, such as `<!-- page: A01 -->`"
    )
    assert [(d.line, d.code) for d in outcome.diagnostics] == [(6, "article-empty"), (8, "marker-empty")]
    assert outcome.articles == 0  # the issue was refused before its articles were counted
    assert outcome.seconds == 2.5  # the time between the job's start and its end


def test_a_setup_error_is_a_failure_with_its_line_and_kind(tmp_path: Path) -> None:
    source = tmp_path / "bad.md"
    source.write_text("---\ntitle: [unclosed\n---\n\n## 标题\n\n正文。\n", encoding="utf-8")
    job = Job(source, "html", tmp_path / "out" / "bad")
    outcome = run_job(job, HTML)
    assert outcome.job is job and outcome.built is None and not outcome.internal
    assert outcome.failure is not None
    assert (outcome.failure.line, outcome.failure.code) == (2, "front-matter")
    assert outcome.error == f"{source}:2: error: {outcome.failure.message}"
    assert outcome.diagnostics == () and outcome.articles == 0
    theme = run_job(Job(issue(tmp_path, "a.md"), "html", tmp_path / "out" / "a"), Settings(("html",), theme="nope"))
    told = "no theme named `nope`: the themes are classic, reader, vertical, or give a theme folder's path"
    assert theme.failure == Failure(None, "theme", told)
    assert theme.error == f"exporter: error: {told}"  # a theme is the command's, not the issue's: no file named


def test_a_job_passes_every_setting_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = issue(tmp_path / "in", "a.md")
    seen: list[dict[str, object]] = []

    def record(issue: object, theme: object, fmt: str, path: Path, options: Options) -> Built:
        seen.append({"format": fmt, "path": path, **dataclasses.asdict(options)})
        return Built(fmt, path, 1, 1)

    monkeypatch.setattr(runner, "write_edition", record)
    settings = Settings(
        formats=("pdf",),
        override=tmp_path / "extra.css",
        cache_dir=tmp_path / "cache",
        print_marks=True,
        pdf_variant="pdf/x-4",
        processes=3,
    )
    outcome = run_job(Job(source, "pdf", tmp_path / "out" / "a.pdf"), settings)
    assert outcome.built == Built("pdf", tmp_path / "out" / "a.pdf", 1, 1)
    assert seen == [
        {
            "format": "pdf",
            "path": tmp_path / "out" / "a.pdf",
            "source_dir": tmp_path / "in",
            "override": tmp_path / "extra.css",
            "cache_dir": tmp_path / "cache",
            "print_marks": True,
            "pdf_variant": "pdf/x-4",
            "processes": 3,
        }
    ]


def test_each_issue_is_prepared_with_the_batchs_theme_and_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Path, dict[str, object]]] = []

    def record(path: Path, **kwargs: object) -> tuple[Path, dict[str, object]]:
        calls.append((path, kwargs))
        return path, kwargs

    monkeypatch.setattr(runner, "prepare", record)
    runner._last.clear()
    a, b = issue(tmp_path / "x", "a.md"), issue(tmp_path / "y", "a.md")  # two files alike in size and time
    os.utime(b, ns=(a.stat().st_mtime_ns, a.stat().st_mtime_ns))
    paper = (tmp_path / "paper.css",)
    settings = Settings(
        formats=("html",),
        theme="vertical",
        fallback_theme="reader",
        defaults={"title": "滨海日报"},
        extra_css=paper,
        script="hk",
    )
    runner._prepared(a, settings)
    runner._prepared(b, settings)
    given = {
        "theme": "vertical",
        "fallback_theme": "reader",
        "defaults": {"title": "滨海日报"},
        "extra_css": paper,
        "script": "hk",
    }
    assert calls == [(a, given), (b, given)]
    runner._last.clear()


def test_a_folders_issue_files_are_found_below_it_and_not_in_hidden_folders_or_the_output(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    found = [issue(folder / "2025", "a.md"), issue(folder, "b.MARKDOWN"), issue(folder / "2025" / "12", "c.md")]
    issue(folder / ".drafts", "d.md")
    issue(folder / "out", "e.md")  # the output folder is inside the input folder: its files are not inputs
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    (folder / "f.md").mkdir()  # a folder named like an issue
    assert inputs._issue_files(folder, folder / "out") == sorted(found)


def test_workers_ignore_ctrl_c_between_jobs_and_stop_once_in_one() -> None:
    old = signal.getsignal(signal.SIGINT)
    try:
        runner._ignore_interrupts()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        signal.signal(signal.SIGINT, signal.default_int_handler)
        with pytest.raises(KeyboardInterrupt):
            runner._interrupt_once(signal.SIGINT, None)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN  # the next Ctrl-C is ignored
    finally:
        signal.signal(signal.SIGINT, old)


def test_an_interrupted_job_says_nothing_of_its_half_made_objects(capsys: pytest.CaptureFixture[str]) -> None:
    old = sys.unraisablehook
    try:
        runner._interrupted()
        assert sys.unraisablehook is not old
        sys.unraisablehook(types.SimpleNamespace(exc_value=OSError("closing a half-written zip"), object=None))  # type: ignore[arg-type]
        assert capsys.readouterr() == ("", "")
    finally:
        sys.unraisablehook = old


# -- plan_batch: what `exporter build` checks before it builds anything ---------------------------


@pytest.mark.slow  # the PDF variant is checked against WeasyPrint's
def test_a_batch_takes_what_the_options_say(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = issue(tmp_path / "in", "a.md"), issue(tmp_path / "in", "b.md")
    templates = tmp_path / "templates"
    templates.mkdir()
    monkeypatch.setattr(inputs, "cores", lambda: 7)
    batch = inputs.plan_batch(
        [str(a), str(b)],
        formats=["pdf", "epub"],
        out=tmp_path / "out",
        theme="vertical",
        templates=templates,
        print_marks=True,
        pdf_variant="pdf/x-4",
    )
    assert [(j.source, j.format, j.path) for j in batch.jobs] == [
        (a, "pdf", tmp_path / "out" / "a.pdf"),
        (a, "epub", tmp_path / "out" / "a.epub"),
        (b, "pdf", tmp_path / "out" / "b.pdf"),
        (b, "epub", tmp_path / "out" / "b.epub"),
    ]
    assert batch.settings == Settings(("pdf", "epub"), "vertical", None, templates, None, True, "pdf/x-4", {})
    assert batch.workers == 4  # one worker a job, never more than the cores (7)
    assert inputs.plan_batch([str(a)], formats=["epub"], jobs=3, out=tmp_path / "out").workers == 1
    assert inputs.plan_batch([str(a)], jobs=1, out=tmp_path / "out").workers == 1
    # The cores the jobs running at once leave: each PDF lays its 版 out in as many processes.
    assert batch.settings.processes == 1
    assert inputs.plan_batch([str(a)], formats=["pdf"], out=tmp_path / "out").settings.processes == 7
    assert inputs.plan_batch([str(a)], formats=["pdf"], jobs=3, out=tmp_path / "out").settings.processes == 3
    assert inputs.plan_batch([str(a)], formats=["pdf", "epub"], jobs=5, out=tmp_path / "out").settings.processes == 2


def test_a_batch_without_options_builds_the_epub_and_pdf_into_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = issue(tmp_path, "a.md")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(inputs, "cores", lambda: 1)
    (tmp_path / "exporter.toml").write_text('formats = ["html"]\njobs = 5\n', encoding="utf-8")
    batch = inputs.plan_batch(["a.md"])  # no project_dir: the project file is not read
    assert [(j.format, j.path) for j in batch.jobs] == [("epub", Path("build/a.epub")), ("pdf", Path("build/a.pdf"))]
    assert batch.settings == Settings(("epub", "pdf")) and batch.workers == 1
    assert source.is_file()


def test_a_batch_takes_the_project_files_defaults_and_options_override_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue(tmp_path, "a.md")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(inputs, "cores", lambda: 8)
    (tmp_path / "exporter.toml").write_text(
        'formats = ["html", "epub"]\nout = "site"\ntheme = "reader"\njobs = 1\n[masthead]\npublisher = "滨海日报社"\n',
        encoding="utf-8",
    )
    batch = inputs.plan_batch(["a.md"], project_dir=tmp_path)
    assert [(j.format, j.path) for j in batch.jobs] == [
        ("html", tmp_path / "site" / "a"),
        ("epub", tmp_path / "site" / "a.epub"),
    ]
    assert batch.settings == Settings(
        ("html", "epub"), None, "reader", None, None, False, None, {"publisher": "滨海日报社"}
    )
    assert batch.workers == 1
    given = inputs.plan_batch(
        ["a.md"], formats=["pdf"], out=tmp_path / "o", theme="classic", jobs=2, project_dir=tmp_path
    )
    assert [j.path for j in given.jobs] == [tmp_path / "o" / "a.pdf"]
    assert (given.settings.theme, given.settings.fallback_theme, given.workers) == ("classic", "reader", 1)


@pytest.mark.parametrize(
    ("options", "told"),
    [
        ({"formats": ["epub"], "print_marks": True}, "exporter: error: --print is for the PDF, and no PDF is built"),
        ({"theme": "no-such-theme"}, "exporter: error: no theme named `no-such-theme`"),
        ({"templates": Path("missing")}, "missing: error: is not a folder: give --templates a folder of templates"),
        ({"report": Path(".")}, ".: error: is a folder: give --report a file name, such as report.json"),
        ({"report": Path("a.md")}, "a.md: error: the report would replace an input: choose another --report path"),
        ({"out": Path("a.md")}, "a.md: error: is a file, not a folder: give --out a folder for the editions"),
        ({"out": Path("a.md/sub")}, "a.md/sub: error: a.md is a file, not a folder: give --out a folder's path"),
        ({"formats": ["epub"], "pdf_variant": "pdf/a-3b"}, "exporter: error: --pdf-variant is for the PDF"),
    ],
)
def test_a_batch_refuses_what_cannot_work_before_building_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: dict[str, object], told: str
) -> None:
    from exporter.errors import ExporterError

    issue(tmp_path, "a.md")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExporterError) as caught:
        inputs.plan_batch(["a.md"], **options)  # type: ignore[arg-type]
    assert str(caught.value).startswith(told), str(caught.value)
    assert not (tmp_path / "build").exists()


def test_a_batch_checks_the_project_files_theme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from exporter.errors import ThemeError

    issue(tmp_path, "a.md")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "exporter.toml").write_text('theme = "no-such-theme"\n', encoding="utf-8")
    with pytest.raises(ThemeError, match="no theme named `no-such-theme`"):
        inputs.plan_batch(["a.md"], project_dir=tmp_path)
    assert inputs.plan_batch(["a.md"], theme="classic", project_dir=None).settings.theme == "classic"


def test_the_report_file_is_checked_for_a_writable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    issue(tmp_path, "a.md")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    report = tmp_path / "file" / "report.json"
    with pytest.raises(UsageError) as caught:
        inputs.plan_batch(["a.md"], report=report)
    assert (
        str(caught.value)
        == f"{report}: error: {tmp_path / 'file'} is a file, not a folder: give --report a folder's path"
    )
    assert inputs.plan_batch(["a.md"], report=tmp_path / "new" / "report.json").jobs


def test_the_report_is_written_as_readable_json(tmp_path: Path) -> None:
    from exporter.pipeline import report as reports

    data = {"schema": "exporter.report/1", "issues": [{"source": "滨海日报.md"}]}
    reports.write(tmp_path / "report.json", data)
    expected = (
        '{\n  "schema": "exporter.report/1",\n  "issues": [\n    {\n      "source": "滨海日报.md"\n    }\n  ]\n}\n'
    )
    assert (tmp_path / "report.json").read_bytes() == expected.encode("utf-8")


def test_a_report_that_cannot_be_written_is_one_line_naming_it(tmp_path: Path) -> None:
    from exporter.errors import ExporterError
    from exporter.pipeline import report as reports

    (tmp_path / "file").write_text("x", encoding="utf-8")
    target = tmp_path / "file" / "report.json"
    with pytest.raises(ExporterError) as caught:
        reports.write(target, {})
    assert str(caught.value) == (
        f"{target}: error: cannot write the report (File exists): check the folder and free space"
    )
