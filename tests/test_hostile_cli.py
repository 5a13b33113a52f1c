"""The command line as a hostile tester and a new user meet it: reports, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from exporter.theming import available
from tests.interrupting import Build
from tests.test_cli import run

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
HEAD = "---\ntitle: 滨海日报\ndate: 2025-12-29\n---\n\n"


# -- 19: themes new names the folder that has the templates ----------------------------------------


def test_themes_new_points_at_the_folder_that_has_the_templates(tmp_path: Path) -> None:
    result = run("themes", "new", "harbour", "--dir", tmp_path)
    assert result.returncode == 0, result.stderr
    base_templates = available()["base"] / "templates"
    readme = (tmp_path / "harbour" / "templates" / "README.md").read_text(encoding="utf-8")
    for told in (readme, result.stdout):
        assert str(base_templates) in told, told
    assert "of `classic`" not in readme
    named = re.findall(r"\b[a-z_]+\.html\b", readme)
    assert named and all((base_templates / name).is_file() for name in named), named


# -- 12: a failed issue's error is in the report ----------------------------------------------------


@pytest.mark.parametrize(
    ("content", "line", "code", "message"),
    [
        (
            HEAD + "正文在标题前。\n\n## 标题\n\n正文。\n",
            6,
            "text-before-article",
            "text stands before the first headline and belongs to no article: add a `## headline` above it",
        ),
        ("", None, "input", "the file is empty: write an issue in it (see the README)"),
        (
            "---\ntitle: 滨海日报\ntheme: harbour\n---\n\n## 标题\n\n正文。\n",
            3,
            "theme",
            "no theme named `harbour`: the themes are classic, reader, vertical, or give a theme folder's path "
            "(the front matter's `theme`)",
        ),
        (
            # Supplementary private use: no font has it (U+E000 is in AR PL UKai HK, a test font).
            HEAD + "## 标题\n\n正文\U000f0000。\n",
            8,
            "font",
            "characters the editions cannot print (`exporter check` lists them): line 8: \U000f0000 (U+F0000) is in no "
            "font of theme classic, nor in any font installed here: put a font file that has it in the fonts/ folder "
            "of a theme of yours and add its family at the end of the roles in the theme's [fonts] "
            "(`exporter themes new`, docs/themes.md), or replace the character",
        ),
    ],
    ids=["finding", "refused-file", "front-matter-theme", "font"],
)
def test_the_error_that_failed_an_issue_is_in_the_report(
    tmp_path: Path, content: str, line: int | None, code: str, message: str
) -> None:
    source = tmp_path / "issue.md"
    source.write_text(content, encoding="utf-8")
    good = tmp_path / "good.md"
    good.write_text(HEAD + "## 标题\n\n正文。\n", encoding="utf-8")
    report = tmp_path / "report.json"
    result = run("build", source, good, "--format", "html", "--out", tmp_path / "out", "--report", report)
    assert result.returncode == 1, result.stderr
    entries = {e["source"]: e for e in json.loads(report.read_text(encoding="utf-8"))["issues"]}
    failed = entries[str(source)]
    assert failed["status"] == "failed"
    assert failed["diagnostics"]["error"] == 1, failed
    errors = [(f["line"], f["code"], f["message"]) for f in failed["findings"] if f["severity"] == "error"]
    assert errors == [(line, code, message)], failed["findings"]
    assert entries[str(good)]["diagnostics"]["error"] == 0 and entries[str(good)]["status"] == "built"


# -- 18: help shows flags as flags and wraps between words -----------------------------------------

COMMANDS = [
    [],
    ["check"],
    ["inspect"],
    ["build"],
    ["themes"],
    ["themes", "list"],
    ["themes", "show"],
    ["themes", "new"],
    ["fonts"],
    ["fonts", "list"],
    ["fonts", "check"],
]


def _help(words: list[str], columns: int) -> str:
    env = {**os.environ, "COLUMNS": str(columns), "TERM": "dumb"}
    result = subprocess.run(
        [sys.executable, "-m", "exporter", *words, "--help"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w) or "exporter")
@pytest.mark.parametrize("columns", [80, 120])
def test_help_shows_flags_as_flags_and_whole_sentences(words: list[str], columns: int) -> None:
    import typer.main

    from exporter.cli import app

    command = typer.main.get_command(app)
    for word in words:
        command = command.commands[word]  # type: ignore[attr-defined]
    text = _help(words, columns)
    lines = text.splitlines()
    assert all(len(line) <= columns for line in lines), text
    prose = [line for line in lines if not line.startswith("Usage:")]
    assert not any(line.rstrip().endswith(("-", "...", "…")) for line in prose), text  # no word cut, nothing cut off
    assert "<bool>" not in text
    flat = " ".join(text.split())
    for param in command.params:
        if param.param_type_name != "option":
            continue
        name = max(param.opts, key=len)
        options = lines[lines.index("Options:") :]
        row = next(line for line in options if re.match(r"\s+(-\w, )?" + re.escape(name) + r"\b", line))
        after = row.split(name, 1)[1]
        if param.is_flag:  # type: ignore[attr-defined]
            assert re.match(r"\s{2,}\S", after), row  # the help follows: no value to give
        else:
            assert re.match(r" [A-Z]+\s{2,}\S", after), row  # the value it takes, named
        assert " ".join((param.help or "").split()) in flat, param.help
    for sub in getattr(command, "commands", {}).values():
        assert sub.get_short_help_str(limit=200) in flat


# -- 13, 15, 20: every mistake on the command line is one line and exit 2, nothing built ------------

EXAMPLE = EXAMPLES / "binhai-daily.md"
NO_THEME = (
    "exporter: error: no theme named `nosuch`: the themes are classic, reader, vertical, or give a theme folder's path"
)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--format", "html", "--report", "{tmp}"], "{tmp}: error: is a folder: give --report a file name"),
        (["--format", "html", "--report", "/proc/report.json"], "/proc/report.json: error: cannot write into /proc"),
        (["--format", "html", "--report", "{tmp}/a-file/report.json"], "{tmp}/a-file/report.json: error: "),
        (["--format", "html", "--out", "{tmp}/a-file"], "{tmp}/a-file: error: is a file, not a folder"),
        (["--format", "html", "--out", "{tmp}/a-file/sub"], "{tmp}/a-file/sub: error: {tmp}/a-file is a file"),
        (["--format", "html", "--out", "/proc/exporter-out"], "/proc/exporter-out: error: cannot write into /proc"),
        (["--format", "html", "--templates", "{tmp}/nosuch"], "{tmp}/nosuch: error: is not a folder: give --templates"),
        (["--format", "html", "--templates", "{tmp}/a-file"], "{tmp}/a-file: error: is not a folder: give --templates"),
        (["--jobs", "0"], "exporter: error: invalid value for '--jobs' / '-j': "),
        (["--jobs", "many"], "exporter: error: invalid value for '--jobs' / '-j': "),
        (["--no-such-flag"], "exporter: error: no such option: --no-such-flag"),
        (["--format", "docx"], "exporter: error: unknown format `docx`: choose from azw3, e-edition, epub, html, pdf"),
        (["--format", "pdf", "--pdf-variant", "pdf/z-9"], "exporter: error: --pdf-variant: unknown PDF variant"),
        (["--format", "html", "--theme", "nosuch"], NO_THEME),
        (["--format", "epub", "--print"], "exporter: error: --print is for the PDF, and no PDF is built"),
        (["--format", "epub", "--pdf-variant", "pdf/a-3b"], "exporter: error: --pdf-variant is for the PDF"),
        (["--format", "pdf", "--pdf-variant", "pdf/x-3"], "exporter: error: --pdf-variant pdf/x-3: exporter writes"),
        (["--format", "pdf", "--print", "--pdf-variant", "pdf/x-5g"], "exporter: error: --pdf-variant pdf/x-5g: "),
        (["--format", "pdf", "--print", "--pdf-variant", "pdf/a-3b"], "exporter: error: --print makes a PDF/X for"),
    ],
)
def test_a_mistake_on_the_build_command_line_is_one_line_and_exit_2(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    before = sorted(tmp_path.rglob("*"))
    options = args if "--out" in args else [*args, "--out", str(tmp_path / "out")]
    result = run("build", EXAMPLE, *options)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected.replace("{tmp}", str(tmp_path))), lines
    assert "<input>" not in lines[0] and "internal error" not in lines[0]
    assert ": " in lines[0].split("error: ", 1)[1], "the line says what to do"
    assert sorted(tmp_path.rglob("*")) == before, "nothing is written"


@pytest.mark.parametrize(
    ("args", "expected", "code"),
    [
        (["themes", "show", "nosuch"], NO_THEME, 2),
        (["fonts", "list", "--theme", "nosuch"], NO_THEME, 2),
        (["fonts", "check", str(EXAMPLE), "--theme", "nosuch"], NO_THEME, 2),
        (["build", str(EXAMPLE), "--theme", "nosuch"], NO_THEME, 2),
        (["themes", "new", "x", "--from", "nosuch"], NO_THEME, 2),
        (["themes", "new", "bad name"], "exporter: error: `bad name` cannot name a theme", 2),
        (["check", "{tmp}/nosuch.md"], "{tmp}/nosuch.md: error: no such file or folder: check the path", 2),
        (["build", "{tmp}/nosuch.md"], "{tmp}/nosuch.md: error: no such file or folder: check the path", 2),
        (["inspect", "{tmp}"], "{tmp}: error: this is a folder: pass the issue's .md file", 2),
        (["check", "--bogus", str(EXAMPLE)], "exporter: error: no such option: --bogus", 2),
        (["nosuch"], "exporter: error: no such command 'nosuch'", 2),
    ],
)
def test_every_command_tells_the_same_error_the_same_way(
    tmp_path: Path, args: list[str], expected: str, code: int
) -> None:
    result = run(*[a.replace("{tmp}", str(tmp_path)) for a in args], cwd=tmp_path)
    assert result.returncode == code, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected.replace("{tmp}", str(tmp_path))), lines


def test_no_internal_error_for_a_library_error_with_no_file() -> None:
    from exporter.errors import ThemeError

    assert (
        str(ThemeError("no theme named `x`: choose another")) == "exporter: error: no theme named `x`: choose another"
    )


# -- 14: Ctrl-C says what was written, leaves nothing partial, exits 130 ---------------------------


def _complete(path: Path) -> bool:
    """The edition opens as what it claims to be."""
    if path.suffix == ".epub":
        with zipfile.ZipFile(path) as book:
            return book.testzip() is None and book.read("mimetype") == b"application/epub+zip"
    if path.suffix == ".pdf":
        import pikepdf

        with pikepdf.open(path) as pdf:
            return len(pdf.pages) > 0
    return path.is_dir() and (path / "index.html").is_file()


@pytest.mark.parametrize(
    ("jobs", "group"), [("1", True), ("2", True), ("2", False)], ids=["jobs1-ctrl-c", "jobs2-ctrl-c", "jobs2-kill-int"]
)
def test_ctrl_c_tells_what_was_written_and_leaves_nothing_partial(tmp_path: Path, jobs: str, group: bool) -> None:
    """Interrupted once the first edition is written, while each worker has half of another on disk.

    Ctrl-C at a terminal signals the whole process group, workers included; ``kill -INT`` the
    command alone, which must pass it on to its workers.
    """
    out = tmp_path / "out"
    issues = sorted(EXAMPLES.glob("*.md"))
    # One after another, the first issue's book is written whole and its web folder half; in parallel
    # the longest jobs go first, and without PDFs (whose write test_batch.py interrupts) these are quick.
    formats = "epub,html,pdf" if jobs == "1" else "epub,html"
    command = ["build", *issues, "--format", formats, "--out", out, "--jobs", jobs]
    with Build(command, out, let_through=True) as build:
        halves = build.paused(int(jobs))  # one per worker, the first edition written before them
        assert all(half.stat().st_size > 0 for half in halves), halves
        build.interrupt(group=group)
        code, told = build.finish()
    assert code == 130, told
    assert not any("Traceback" in line for line in told), told
    written = out / (tmp_path / "out.first").read_text(encoding="utf-8")
    assert told[-1] == (
        f"exporter: interrupted: 1 of {len(issues) * len(formats.split(','))} editions written ({written}); "
        "no other file was written or changed"
    ), told
    assert sorted(out.iterdir()) == [written]  # no temporary file or folder, no half-written edition
    assert _complete(written)
    assert not any(half.exists() for half in halves), halves


# -- 15: a PDF that claims PDF/X meets what that standard asks of it ------------------------------


def _pdfx_claim(path: Path) -> tuple[str | None, list[str], set[str]]:
    """The PDF/X version the file claims, the subtypes of its output intents, the colour spaces of its pictures."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        claim = next((v for k, v in pdf.open_metadata().items() if k.endswith("GTS_PDFXVersion")), None)
        intents = [str(intent.get("/S")) for intent in pdf.Root.get("/OutputIntents", [])]
        spaces = set()
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                space = obj.get("/ColorSpace")
                spaces.add(str(space[0] if isinstance(space, pikepdf.Array) else space))
    return claim, intents, spaces


@pytest.mark.parametrize(
    "options",
    [
        [],
        ["--print"],
        ["--print", "--pdf-variant", "pdf/x-4"],
        ["--pdf-variant", "pdf/x-4"],
        ["--pdf-variant", "pdf/x-1a"],
        ["--pdf-variant", "pdf/x-5g"],
        ["--print", "--pdf-variant", "pdf/x-1a"],
        ["--print", "--pdf-variant", "pdf/x-3"],
    ],
    ids=" ".join,
)
def test_a_pdf_that_claims_pdf_x_meets_it_or_is_refused(tmp_path: Path, options: list[str]) -> None:
    result = run("build", EXAMPLE, "--format", "pdf", "--out", tmp_path, *options)
    if result.returncode == 2:
        assert len(result.stderr.strip().splitlines()) == 1 and not any(tmp_path.iterdir()), result.stderr
        return
    assert result.returncode == 0, result.stderr
    claim, intents, spaces = _pdfx_claim(tmp_path / "binhai-daily.pdf")
    # --print makes a PDF/X, and so does a PDF/X variant asked for, and nothing else
    assert (claim is not None) == ("--print" in options or any(o.startswith("pdf/x-") for o in options)), claim
    if claim is not None:
        assert intents == ["/GTS_PDFX"], f"{claim} with no output intent"
    if claim is not None and claim.startswith(("PDF/X-1a", "PDF/X-3")):
        assert spaces <= {"/DeviceCMYK", "/DeviceGray"}, f"{claim} with pictures in {spaces}"
