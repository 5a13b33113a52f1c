"""Deterministic tests for bugs the rest of the suite let through (issue #13), each seen to fail with its bug planted.

Every test names in its docstring the bug it catches ("Planted: …"), and each was seen to fail
with that bug planted by hand and to pass without it. Parts: 1 the print edition's URL fetcher,
2 a bug met in one issue of a batch, 3 encodings through the detector's guess, 4 the upright
table against UTR #50, 5 limits, 6 the 导读's links in the PDF, 7 the book's section headings.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import subprocess
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner
from weasyprint.urls import FatalURLFetchingError

from exporter import Issue, fonts, parse_file
from exporter import theming as themes
from exporter.editions.assets import Images
from exporter.editions.epub import SUBHEADS_FROM, _nav
from exporter.editions.pdf.fetch import FIGURE_SCHEME, allowed_roots, confined_fetcher
from exporter.errors import InputError
from exporter.fonts.orientation import turns_alone, upright
from exporter.parser import MAX_BYTES, datelines, parse
from exporter.parser.lint import MAX_BLOCK
from exporter.parser.source import decode
from exporter.pipeline import build as pdf_build
from exporter.pipeline import inputs, runner
from tests.conftest import EXAMPLES as EXAMPLES_DIR
from tests.test_cli import run

HEAD = "---\ntitle: 滨海日报\ndate: 2025-12-29\n---\n\n"


# -- 1: the print edition's URL fetcher ---------------------------------------------------------


def fetched(fetcher: Any, url: str) -> bytes:
    """What the fetcher serves for ``url``."""
    response = fetcher.fetch(url)
    try:
        return bytes(response.read())
    finally:
        response.close()


def refused(fetcher: Any, url: str) -> None:
    """The fetcher stops the rendering for ``url`` (WeasyPrint's FatalURLFetchingError), naming it."""
    with pytest.raises(FatalURLFetchingError) as info:
        fetcher.fetch(url)
    assert info.value.args == (url,)


@pytest.fixture
def confined(tmp_path: Path) -> tuple[Any, Path, Path]:
    """A fetcher confined to ``root`` (an issue's folder), with a secret file beside the root and a figure."""
    root = tmp_path / "issue"
    (root / "images").mkdir(parents=True)
    (root / "images" / "port.png").write_bytes(b"inside")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"secret")
    images = Images(None)
    images.files["images/img001.png"] = root / "images" / "port.png"
    return confined_fetcher([root.resolve()], images, turned=False), root, outside


def test_a_file_inside_the_root_is_served(confined: tuple[Any, Path, Path]) -> None:
    """The control: a file under a root is read (else every refusal below would pass for nothing)."""
    fetcher, root, _ = confined
    assert fetched(fetcher, (root / "images" / "port.png").as_uri()) == b"inside"


def test_percent_encoded_traversal_out_of_a_root_is_refused(confined: tuple[Any, Path, Path]) -> None:
    """Planted: the fetcher compares ``Path(unquote(parsed.path))`` without ``.resolve()``.

    ``%2e%2e`` is ``..`` once unquoted: compared on its text the path is under the root, and the
    file system then climbs out of it, to /etc/hostname or to anything else.
    """
    fetcher, root, _ = confined
    depth = len(root.resolve().parts) - 1
    refused(fetcher, f"{root.as_uri()}/images/" + "%2e%2e/" * (depth + 1) + "etc/hostname")
    refused(fetcher, f"{root.as_uri()}/%2E%2E/outside/secret.txt")
    refused(fetcher, f"{root.as_uri()}/%2e%2e%2foutside%2fsecret.txt")


def test_plain_traversal_out_of_a_root_is_refused(confined: tuple[Any, Path, Path]) -> None:
    """Planted: paths compared without ``.resolve()``: ``<root>/images/../../outside/…`` is under the root as text."""
    fetcher, root, _ = confined
    refused(fetcher, f"{root.as_uri()}/images/../../outside/secret.txt")
    refused(fetcher, f"{root.as_uri()}/../outside/secret.txt")


def test_a_symbolic_link_in_a_root_that_leads_out_is_refused(confined: tuple[Any, Path, Path]) -> None:
    """Planted: paths compared without ``.resolve()``: a link inside the folder leads the fetcher anywhere."""
    fetcher, root, outside = confined
    (root / "leak.txt").symlink_to(outside / "secret.txt")
    (root / "elsewhere").symlink_to(outside, target_is_directory=True)
    refused(fetcher, (root / "leak.txt").as_uri())
    refused(fetcher, (root / "elsewhere" / "secret.txt").as_uri())


def test_a_symbolic_link_in_a_root_that_stays_inside_is_followed(confined: tuple[Any, Path, Path]) -> None:
    """The fetcher follows a link whose target is under a root (a refusal of every link would be a bug too)."""
    fetcher, root, _ = confined
    (root / "alias.png").symlink_to(root / "images" / "port.png")
    assert fetched(fetcher, (root / "alias.png").as_uri()) == b"inside"


@pytest.mark.parametrize("host", ["otherhost", "localhost", "127.0.0.1"])
def test_a_file_url_with_a_host_is_refused(confined: tuple[Any, Path, Path], host: str) -> None:
    """``file://HOST/path`` names another machine's file (urllib reads ``localhost`` as this one): never fetched."""
    fetcher, root, _ = confined
    refused(fetcher, f"file://{host}{(root / 'images' / 'port.png').as_posix()}")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/a.png", "https://127.0.0.1:9/a.png", "ftp://127.0.0.1:9/a.png", "//127.0.0.1:9/a.png"]
)
def test_the_network_is_refused(confined: tuple[Any, Path, Path], url: str) -> None:
    """No URL of the network is fetched, whatever its scheme (port 9 discards: nothing would answer anyway)."""
    fetcher, _, _ = confined
    refused(fetcher, url)


def test_a_data_url_is_served(confined: tuple[Any, Path, Path]) -> None:
    """Data URLs (a theme's inline SVG or font) are decoded, not refused."""
    fetcher, _, _ = confined
    encoded = base64.b64encode("滨海日报".encode()).decode("ascii")
    assert fetched(fetcher, f"data:text/plain;base64,{encoded}") == "滨海日报".encode()
    assert fetched(fetcher, "data:,plain%20text") == b"plain text"


def test_the_figure_scheme_serves_the_issues_figures_only(confined: tuple[Any, Path, Path]) -> None:
    """A figure URL serves the file the parser found for that name, and no other name (nor a path in its place)."""
    fetcher, root, _ = confined
    assert fetched(fetcher, f"{FIGURE_SCHEME}:images/img001.png") == b"inside"
    refused(fetcher, f"{FIGURE_SCHEME}:images/img002.png")
    refused(fetcher, f"{FIGURE_SCHEME}:{root / 'images' / 'port.png'}")
    refused(fetcher, f"{FIGURE_SCHEME}:/etc/hostname")


def test_a_root_reached_through_a_symbolic_link_still_serves_its_files(tmp_path: Path) -> None:
    """Planted: ``_allowed_roots`` returns the roots unresolved.

    An issue in a folder reached through a link (``/srv/today`` → ``/srv/2025-12-29``): the fetcher
    resolves the URL's path to the real folder, which an unresolved root is not a parent of, and
    the build was refused for its own figure.
    """
    real = tmp_path / "2025-12-29"
    (real / "images").mkdir(parents=True)
    (real / "images" / "port.png").write_bytes(b"inside")
    today = tmp_path / "today"
    today.symlink_to(real, target_is_directory=True)
    cache = tmp_path / "cache-link"
    (tmp_path / "cache-real").mkdir()
    cache.symlink_to(tmp_path / "cache-real", target_is_directory=True)
    (tmp_path / "cache-real" / "font.otf").write_bytes(b"font")
    roots = allowed_roots(themes.load("classic"), today, cache)
    assert real.resolve() in roots and (tmp_path / "cache-real").resolve() in roots
    fetcher = confined_fetcher(roots, Images(None), turned=False)
    assert fetched(fetcher, (today / "images" / "port.png").as_uri()) == b"inside"
    assert fetched(fetcher, (cache / "font.otf").as_uri()) == b"font"
    refused(fetcher, (tmp_path / "elsewhere.png").as_uri())


# -- 2: an unexpected exception in one issue of a batch -----------------------------------------


def batch_issue(folder: Path, name: str, headline: str) -> Path:
    path = folder / name
    path.write_text(
        f"---\ntitle: 滨海日报\ndate: 2025-12-29\n---\n\n## {headline}\n\n本报记者 王萌\n\n正文第一段。\n",
        encoding="utf-8",
    )
    return path


PLANTED = "RuntimeError: planted failure"


@pytest.fixture
def failing_render(monkeypatch: pytest.MonkeyPatch) -> None:
    """The renderer raises an exception exporter does not expect (a bug), for the issue named b.md only."""
    real = runner.write_edition

    def render(issue: Any, theme: Any, fmt: str, path: Path, options: Any) -> Any:
        if issue.source is not None and Path(issue.source).name == "b.md":
            raise RuntimeError("planted failure")
        return real(issue, theme, fmt, path, options)

    monkeypatch.setattr(runner, "write_edition", render)
    monkeypatch.delenv("EXPORTER_DEBUG", raising=False)


def test_an_unexpected_exception_in_one_issue_of_a_batch_fails_that_issue_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_render: None
) -> None:
    """Planted: the batch catches ``ZeroDivisionError`` instead of ``Exception`` around a job.

    A bug met in one issue must not abort the night's batch with a traceback: the other issues are
    built, the report is written with the failure, one line names the issue's file, and the exit
    status is the README's 3 (an internal error: a bug in exporter, to report).
    """
    from exporter.cli import EXIT_INTERNAL, app

    monkeypatch.chdir(tmp_path)  # no exporter.toml of the working folder
    sources = [batch_issue(tmp_path, f"{n}.md", f"标题{n}") for n in ("a", "b", "c")]
    out, report = tmp_path / "out", tmp_path / "report.json"
    args = ["build", *map(str, sources), "--format", "epub,html", "--jobs", "1", "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--report", str(report)])
    told = (
        f"{sources[1]}: internal error ({PLANTED}); run again with EXPORTER_DEBUG=1 for the traceback "
        "and report it with the input file"
    )
    assert result.exit_code == EXIT_INTERNAL == 3, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert [line for line in result.stderr.splitlines() if "error" in line] == [told]  # once for its two editions
    assert sorted(p.name for p in out.iterdir()) == ["a", "a.epub", "c", "c.epub"]
    data = json.loads(report.read_text(encoding="utf-8"))
    entries = {Path(entry["source"]).name: entry for entry in data["issues"]}
    assert [entries[n]["status"] for n in ("a.md", "b.md", "c.md")] == ["built", "failed", "built"]
    failed = entries["b.md"]
    assert failed["errors"] == [told]
    assert failed["findings"] == [
        {"line": None, "severity": "error", "code": "internal", "message": f"internal error ({PLANTED})"}
    ]
    assert [(e["format"], e["built"], e["bytes"]) for e in failed["editions"]] == [
        ("epub", False, None),
        ("html", False, None),
    ]
    assert failed["articles"] == 1  # the issue was read before the renderer failed
    assert {k: data["totals"][k] for k in ("issues", "built", "failed", "editions")} == {
        "issues": 3,
        "built": 2,
        "failed": 1,
        "editions": 4,
    }
    assert f"{sources[1]}: FAILED" in result.stdout and "2 of 3 issues built: 4 editions" in result.stdout


def test_a_worker_turns_an_unexpected_exception_into_its_issues_failure(tmp_path: Path, failing_render: None) -> None:
    """Planted: ``except ZeroDivisionError`` in ``run_job``; the function a worker process runs (``--jobs 2``).

    The pool starts its workers from a fork server, which a monkeypatch in this process does not
    reach: the worker's function is called here, and must return the failure, never raise it.
    """
    source = batch_issue(tmp_path, "b.md", "标题")
    job = inputs.Job(source, "epub", tmp_path / "out" / "b.epub")
    outcome = runner._worker_job(job, inputs.Settings(formats=("epub",), cache_dir=tmp_path / "cache"))
    assert outcome is not None and outcome.built is None and outcome.internal
    assert outcome.failure == runner.Failure(None, "internal", f"internal error ({PLANTED})")
    assert outcome.error == (
        f"{source}: internal error ({PLANTED}); run again with EXPORTER_DEBUG=1 for the traceback "
        "and report it with the input file"
    )
    assert not (tmp_path / "out").exists()


# -- 3: encodings through charset-normalizer's guess ---------------------------------------------

SIMPLIFIED = (
    "## 青岛市召开教育工作会议\n\n□本报记者 王萌\n\n"
    "本报12月29日讯 记者从市教育局获悉，今年全市学校开展读书活动，参与学生超过十万人。\n"
)
# A Hong Kong paper's bilingual page: Chinese among English. GB18030 reads Big5 bytes too (every
# Big5 pair is a GB18030 pair), and with this much ASCII its misreading scores as plausible text.
ENGLISH = (
    "The Hong Kong Economic Forum opened on Monday with 300 delegates from 20 countries. "
    "Speakers discussed trade, finance and technology in the region, and the organisers said "
    "the next forum would be held in the autumn."
)
BILINGUAL = "## 香港經濟論壇開幕\n\n本報記者 陳大文\n\n" + ENGLISH + " 論壇主題為經濟發展與創新。\n"
EURO = "## 香港經濟論壇開幕\n\n本報記者 陳大文\n\n" + ENGLISH + " 論壇門票售價€20。\n"  # € is cp950's alone
CANTONESE = (
    "## 香港經濟論壇開幕\n\n本報記者 陳大文\n\n" + ENGLISH + " " + ENGLISH + " 佢哋話呢度嘅嘢好正㗎，我哋都食咗飯喇。\n"
)

# (text, codec that writes the file, the encoding decode() reports, its label in the warning)
GUESSED = {
    "hz": (SIMPLIFIED, "hz", "hz", "HZ"),
    "big5": (BILINGUAL, "big5", "big5hkscs", "Big5"),
    "cp950": (EURO, "cp950", "cp950", "Big5"),
    "big5-hkscs": (CANTONESE, "big5hkscs", "big5hkscs", "Big5"),
}


def without_guess(monkeypatch: pytest.MonkeyPatch) -> None:
    """charset-normalizer finds nothing: decode() has its fallback order alone."""
    import charset_normalizer

    class Nothing:
        def best(self) -> None:
            return None

    monkeypatch.setattr(charset_normalizer, "from_bytes", lambda data: Nothing())


@pytest.mark.parametrize("name", sorted(GUESSED))
def test_an_encoding_only_the_detector_recognises_is_decoded_exactly(name: str) -> None:
    """Planted: charset-normalizer's ``best()`` ignored, the fallback order (GB18030 first) alone.

    HZ is 7-bit ASCII, which reads as UTF-8 with its ``~{…~}`` escapes; Big5, cp950 and Big5-HKSCS
    read as GB18030 garbage. Only the detector's guess decodes them, character for character.
    """
    text, codec, encoding, label = GUESSED[name]
    decoded = decode(text.encode(codec), "issue.md")
    assert decoded.text == text
    assert decoded.encoding == encoding
    assert [(d.line, d.code, d.severity, d.message) for d in decoded.diagnostics] == [
        (
            1,
            "encoding-detected",
            "warning",
            f"the file is not UTF-8; it was decoded as {label}: save it as UTF-8 to be sure",
        )
    ]


@pytest.mark.parametrize("name", sorted(GUESSED))
def test_the_fallback_order_alone_misreads_the_detectors_cases(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keeps the cases above honest: without the detector's guess each one is misread.

    Were the fallback order to decode them right, the test above would no longer test the guess.
    """
    text, codec, _, _ = GUESSED[name]
    without_guess(monkeypatch)
    assert decode(text.encode(codec), "issue.md").text != text


def test_ascii_with_a_tilde_and_a_brace_is_not_taken_for_hz() -> None:
    """Planted: any ASCII file with ``~{`` read as HZ; only a file the detector calls HZ is HZ.

    ``~{JP~}`` is valid HZ (市): read so, the literal text would lose its braces.
    """
    text = "## Tilde\n\nIn the maths column the set ~{JP~} is written with its braces.\n"
    decoded = decode(text.encode("ascii"), "issue.md")
    assert (decoded.text, decoded.encoding, decoded.diagnostics) == (text, "utf-8", ())


# Encodings the fallback order decodes by itself: GB18030 is its first, and UTF-16 with its NULs
# fails every other. The detector's guess does not decide them, their exactness is tested here.
FALLBACK = {
    "gb18030": (SIMPLIFIED + "\n欧元€，扩展B的𠀋字。\n", "gb18030", "gb18030", "GB18030/GBK"),
    "gbk": (SIMPLIFIED, "gbk", "gb18030", "GB18030/GBK"),
    "utf-16-bom": (BILINGUAL, "utf-16", "utf-16", "UTF-16"),
    "utf-16-le": (BILINGUAL, "utf-16-le", "utf-16-le", "UTF-16"),
    "utf-16-be": (SIMPLIFIED, "utf-16-be", "utf-16-be", "UTF-16"),
}


@pytest.mark.parametrize("name", sorted(FALLBACK))
def test_gb18030_and_utf16_are_decoded_exactly(name: str) -> None:
    """GB18030 (four-byte sequences included) and UTF-16 with and without a BOM, character for character."""
    text, codec, encoding, label = FALLBACK[name]
    decoded = decode(text.encode(codec), "issue.md")
    assert (decoded.text, decoded.encoding) == (text, encoding)
    assert [d.message for d in decoded.diagnostics] == [
        f"the file is not UTF-8; it was decoded as {label}: save it as UTF-8 to be sure"
    ]


def test_damaged_utf8_is_an_input_error_naming_the_file_and_line(tmp_path: Path) -> None:
    """Undecodable bytes in UTF-8 text: the project's InputError, with the file, the line and the text before them."""
    source = tmp_path / "issue.md"
    source.write_bytes(SIMPLIFIED.encode() + "\n正文\xff坏了。\n".encode().replace(b"\xc3\xbf", b"\xff"))
    with pytest.raises(InputError) as info:
        parse_file(source)
    assert str(info.value) == (
        f"{source}:7: error: the file is UTF-8 but has 1 damaged byte (the first after …正文): "
        "retype the text there or save the file as UTF-8 again"
    )


@pytest.mark.parametrize(("damaged", "line"), [(8, 7), (9, None)])
def test_up_to_eight_damaged_bytes_in_a_short_file_are_named_by_line(
    tmp_path: Path, damaged: int, line: int | None
) -> None:
    """The limit ``max(8, len // 100)``: 8 bad bytes in a short file are damage at a line; 9 are no known encoding."""
    source = tmp_path / "issue.md"
    source.write_bytes(SIMPLIFIED.encode() + "\n正文".encode() + b"\xff" * damaged + "。\n".encode())
    with pytest.raises(InputError) as info:
        parse_file(source)
    assert (info.value.path, info.value.line) == (str(source), line)
    if line is None:
        assert info.value.message == (
            "the file is neither UTF-8 nor a Chinese encoding that could be recognised "
            "(GB18030/GBK, Big5, UTF-16): save it as UTF-8"
        )
    else:
        assert info.value.message.startswith(
            f"the file is UTF-8 but has {damaged} damaged bytes (the first after …正文)"
        )


# -- 4: the upright table against Unicode's own VerticalOrientation.txt --------------------------

UCD = Path("/usr/share/unicode")  # Debian's unicode-data (./dev installs it for the tests)


def ucd_values(name: str) -> list[str]:
    """A property of every code point from a UCD file of ranges (``0000..001F ; value``), ``""`` where unlisted."""
    path = UCD / name
    assert path.is_file(), f"{path} is missing: apt-get install unicode-data (./dev setup installs it)"
    values = [""] * 0x110000
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        codes, value = (part.strip() for part in line.split(";"))
        first, _, last = codes.partition("..")
        values[int(first, 16) : int(last or first, 16) + 1] = [value] * (int(last or first, 16) - int(first, 16) + 1)
    return values


@pytest.fixture(scope="module")
def orientation() -> list[str]:
    """UTR #50's Vertical_Orientation of every code point (R where the file lists none, as it says)."""
    return [value or "R" for value in ucd_values("VerticalOrientation.txt")]


# Where the table (UTR #50 for Unicode 9.0, as orientation.py says) differs from Debian's file (15.0):
# BMP characters added since, and ones whose orientation changed since. Each is deliberate: the
# table is frozen at the revision its vertical forms were checked against.
BMP_NEWER = {
    0x2B97: "SYMBOL FOR TYPE A ELECTRONICS, 13.0, U: unassigned (R) in 9.0",
    0x2BD2: "GROUP MARK, 11.0, R: in U+2BB8..U+2BFF, which 9.0 left U for the characters to come",
    0x2E50: "CROSS PATTY WITH RIGHT CROSSBAR, 13.0, U: unassigned (R) in 9.0",
    0x2E51: "CROSS PATTY WITH LEFT CROSSBAR, 13.0, U: unassigned (R) in 9.0",
}
TR_NEWER = {
    0xFF1A: "FULLWIDTH COLON: U in 9.0, Tr since Japan's request to follow Adobe-Japan1 (vertical form or sideways)",
    0xFF1B: "FULLWIDTH SEMICOLON: likewise",
}
# Above the BMP the table ends with Unicode 9.0, and a character it does not list is upright when it
# is wide (East Asian Width W or F). Scripts added since that UTR #50 makes upright but that are
# narrow are left sideways by that rule; no Chinese newspaper sets them.
NARROW_NEWER = [
    (0x11A00, 0x11A4F, "Zanabazar Square, 10.0"),
    (0x11A50, 0x11AAF, "Soyombo, 10.0"),
    (0x11AB0, 0x11ABF, "Unified Canadian Aboriginal Syllabics Extended-A, 14.0"),
    (0x13430, 0x1343F, "Egyptian Hieroglyph Format Controls, 12.0"),
    (0x1CF00, 0x1CFCF, "Znamenny Musical Notation, 14.0"),
    (0x1D2E0, 0x1D2FF, "Mayan Numerals, 11.0"),
    (0x1FA00, 0x1FA6F, "Chess Symbols, 11.0 and 12.0"),
]


def skipped(code: int) -> bool:
    """Code points no text has, or that the table cannot decide.

    Surrogates are no characters. Above the BMP, a code point Python's Unicode database does not
    assign is decided by the width rule alone, whatever the table says, and CPython gives every one
    East Asian Width F (so upright): no font has them, and the font check refuses them first.
    """
    return 0xD800 <= code <= 0xDFFF or (code > 0xFFFF and unicodedata.category(chr(code)) == "Cn")


def expected_differences(orientation: list[str]) -> set[int]:
    """The code points where the project deliberately differs from the file (see above)."""
    narrow = {
        code
        for first, last, _ in NARROW_NEWER
        for code in range(first, last + 1)
        if not skipped(code) and orientation[code] != "R"
    }
    return set(BMP_NEWER) | narrow


def test_upright_is_utr50_for_every_code_point(orientation: list[str]) -> None:
    """Planted: 〇 (U+3007) dropped from the table; a range's end moved by one.

    ``upright`` is true for the orientations U, Tu and Tr and false for R, for every code point of
    every range the table claims and of the whole BMP, the CJK planes and the rest: the
    differences are exactly the commented ones above.
    """
    assert upright("\u3007") and orientation[0x3007] == "U"  # 二〇二五年
    differences = {
        code for code in range(0x110000) if not skipped(code) and upright(chr(code)) != (orientation[code] != "R")
    }
    assert differences == expected_differences(orientation)


def test_turns_alone_is_u_and_tu_for_every_code_point(orientation: list[str]) -> None:
    """Planted: a bracket (Tr) turned where the font has no vertical form for it, or a U character left sideways.

    ``turns_alone`` is ``upright`` less the Tr characters (brackets, ー, ～), which turn only
    through a vertical form of the font's.
    """
    differences = {
        code
        for code in range(0x110000)
        if not skipped(code) and turns_alone(chr(code)) != (orientation[code] in ("U", "Tu"))
    }
    assert differences == expected_differences(orientation) | set(TR_NEWER)


def test_every_range_of_the_table_is_in_the_file_as_upright(orientation: list[str]) -> None:
    """Each (first, last) range the module claims is U, Tu or Tr in UTR #50, and so is its every code point."""
    from exporter.fonts.orientation import _UPRIGHT_RANGES

    wrong = [
        f"U+{code:04X}"
        for first, last in _UPRIGHT_RANGES
        for code in range(first, last + 1)
        if orientation[code] == "R" and code not in BMP_NEWER and not skipped(code)
    ]
    assert wrong == []
    assert [(first, last) for first, last in _UPRIGHT_RANGES if first > last] == []
    assert sorted(_UPRIGHT_RANGES) == list(_UPRIGHT_RANGES)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(_UPRIGHT_RANGES))


# -- 5: boundaries -------------------------------------------------------------------------------

VS1_16 = "".join(map(chr, range(0xFE00, 0xFE10)))
VS17_256 = "".join(map(chr, range(0xE0100, 0xE01F0)))


def test_variation_selectors_need_no_glyph_and_their_neighbours_do() -> None:
    """Planted: VS16 treated as missing (``0xFE00 <= code <= 0xFE0E``), or VS256 (``< 0xE01EF``).

    VS1–VS16 (U+FE00–FE0F) and VS17–VS256 (U+E0100–E01EF) select a glyph and have none; the code
    points on either side of both ranges, which the shipped face lacks too, are characters to set.
    """
    (face,) = fonts.find_faces("Exporter Serif SC", [])[:1]
    neighbours = "\ufdff\ufe10\U000e00ff\U000e01f0"
    cmap = fonts._cmap(face.path, face.index)
    assert not any(ord(ch) in cmap for ch in VS1_16 + VS17_256 + neighbours)  # so coverage alone decides
    text = "葛" + VS1_16 + "\ufdff" + "\ufe10" + "国" + VS17_256 + "\U000e00ff" + "\U000e01f0"
    assert fonts.coverage([(3, text)], [face]) == [
        fonts.Missing("\ufdff", "U+FDFF", 3),
        fonts.Missing("\ufe10", "U+FE10", 3),
        fonts.Missing("\U000e00ff", "U+E00FF", 3),
        fonts.Missing("\U000e01f0", "U+E01F0", 3),
    ]


def test_check_names_the_emoji_and_never_its_variation_selector(tmp_path: Path) -> None:
    """Planted: VS16 treated as missing: a stray U+FE0F, where an emoji was deleted, failed as a character unset.

    ❤️ (U+2764 U+FE0F) is refused as the emoji it is, in one finding; its U+FE0F, and one standing
    alone after a Chinese character, are named in no finding of their own.
    """
    source = tmp_path / "heart.md"
    source.write_text(HEAD + "## 标题\n\n我❤️你。\n\n删去表情后留下\ufe0f的选择符。\n", encoding="utf-8")
    result = run("check", source)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"{source}:8: error[font-missing]: ❤️ (U+2764 U+FE0F) is an emoji, and the editions print no emoji "
        "(a reader or a PDF would set it in whatever emoji font the machine has, or in none): replace it with words"
    ]
    assert result.stderr == f"{source}: 1 article in 1 section; 1 error\n"


def subheads_issue(count: int) -> Issue:
    body = "".join(f"### 小标题{n}\n\n第{n}部分的正文。\n\n" for n in range(1, count + 1))
    return parse(HEAD + "## 长文章\n\n" + body)


@pytest.mark.parametrize("count", [SUBHEADS_FROM - 1, SUBHEADS_FROM, SUBHEADS_FROM + 1])
def test_the_book_contents_list_the_subheads_of_an_article_with_three_or_more(count: int) -> None:
    """Planted: the subhead threshold of the EPUB's contents moved (``> SUBHEADS_FROM``, or 2, or 4).

    An article with two subheads lists none of them under its entry in nav.xhtml; one with three
    (the threshold) or four lists each, linked to its anchor.
    """
    assert SUBHEADS_FROM == 3
    (entry,) = _nav(subheads_issue(count), "第{page}版")
    listed = [(child.title, child.href) for child in entry.children]
    if count < 3:
        assert listed == []
    else:
        assert listed == [(f"小标题{n}", f"a01.xhtml#a01-s{n}") for n in range(1, count + 1)]


@pytest.mark.parametrize(("size", "refused"), [(MAX_BYTES, False), (MAX_BYTES + 1, True)])
def test_an_issue_file_of_16_mb_is_read_and_one_byte_more_is_not(tmp_path: Path, size: int, refused: bool) -> None:
    """Planted: the file size limit tested with ``>=`` (a file of exactly 16 MB refused unread).

    A file of blanks is read (and is empty); one byte more is refused before it is read.
    """
    source = tmp_path / "issue.md"
    source.write_bytes(b" " * size)
    with pytest.raises(InputError) as info:
        parse_file(source)
    if refused:
        assert info.value.message.startswith("the file is 16.0 MB, and an issue may be at most 16 MB")
    else:
        assert info.value.message == "the file is empty: write an issue in it (see the README)"


@pytest.mark.parametrize(("size", "refused"), [(MAX_BLOCK, False), (MAX_BLOCK + 1, True)])
def test_a_block_of_50000_characters_passes_and_one_more_is_an_error(size: int, refused: bool) -> None:
    """Planted: the block limit tested with ``>=`` (a paragraph of exactly 50,000 characters refused)."""
    paragraph = "段" * (size - 1) + "。"
    issue = parse(HEAD + "## 标题\n\n" + paragraph + "\n")
    assert len(issue.articles[0].paragraphs[0].text) == size
    found = [(d.line, d.severity, d.message) for d in issue.diagnostics if d.code == "paragraph-too-long"]
    message = (
        f"this paragraph has {size:,} characters, more than the 50,000 a block may have: "
        "put a blank line between its paragraphs"
    )
    assert found == ([(8, "error", message)] if refused else [])


DATES = [
    ("1月1日", 1, 1),
    ("12月31日", 12, 31),
    ("十二月三十一日", 12, 31),
    ("0月1日", None, None),
    ("1月0日", None, None),
    ("13月1日", None, None),
    ("12月32日", None, None),
    ("十二月三十二日", None, None),
]


@pytest.mark.parametrize(("date", "month", "day"), DATES)
def test_a_datelines_month_and_day_are_read_up_to_12_and_31(date: str, month: int | None, day: int | None) -> None:
    """Planted: the dateline's bounds moved (``1 <= day <= 30``, ``0 <= month``): 12月31日 lost its dateline."""
    found = datelines.find(f"本报{date}讯 近日，推进会召开。")
    if month is None:
        assert found is None
    else:
        assert found is not None and (found.month, found.day, found.raw) == (month, day, f"本报{date}讯")


# -- 6: the print edition's contents links, followed ---------------------------------------------


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path, str], Path]:
    """The PDF of an example issue in a theme, built once for the module."""
    out = tmp_path_factory.mktemp("print")
    printed_pdfs: dict[tuple[str, str], Path] = {}

    def get(source: Path, theme: str) -> Path:
        key = (source.stem, theme)
        if key not in printed_pdfs:
            (built,) = pdf_build(source, ["pdf"], theme=theme, out=out / theme, cache_dir=out / "cache")
            printed_pdfs[key] = built.path
        return printed_pdfs[key]

    return get


def page_texts(pdf: Path) -> list[str]:
    """Each page's text (poppler), white space removed: a headline's lines run together."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    return [re.sub(r"\s+", "", page) for page in out.stdout.split("\f")]


def link_target(reader: PdfReader, annotation: Any) -> tuple[str | None, int]:
    """Where a link goes: its destination's name (None for an explicit one) and page index.

    A link names its destination (/Dest, a name or an explicit [page /XYZ …] array) or carries a
    /GoTo action (/A /D) with one.
    """
    from pypdf.generic import ArrayObject

    target = annotation.get("/Dest")
    if target is None:
        action = annotation["/A"].get_object()
        assert action["/S"] == "/GoTo", action
        target = action["/D"]
    target = target.get_object()
    if isinstance(target, ArrayObject):
        pages = [page.indirect_reference.idnum for page in reader.pages]
        return None, pages.index(target[0].idnum)
    name = str(target)
    assert name in reader.named_destinations, f"link to #{name}, which no element of the document has"
    return name, reader.get_destination_page_number(reader.named_destinations[name])


@pytest.mark.parametrize("theme", ["classic", "vertical"])
@pytest.mark.parametrize("name", ["binhai-daily", "numbers-daily"])
def test_every_contents_entry_links_to_its_articles_page(
    printed: Callable[[Path, str], Path], name: str, theme: str
) -> None:
    """Planted: the 导读's links off by one article, or an article's anchor id changed in the template.

    Every article the 导读 lists (each 版's first ``lead_stories`` of the theme, every article of a section
    without a 版) is listed on the front page, in order; each entry's link, followed to the page it names,
    lands on the first page that shows the article's headline.
    """
    source = EXAMPLES_DIR / f"{name}.md"
    issue = parse_file(source)
    lead = int(themes.load(theme).options["lead_stories"])
    listed = [a for s in issue.sections for a in (s.articles[:lead] if s.page and lead else s.articles)]
    pdf = printed(source, theme)
    reader = PdfReader(pdf)
    texts = page_texts(pdf)
    ids = {a.id for a in issue.articles}
    entries: dict[str, tuple[float, set[int]]] = {}
    on_pages = set()
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots", []):
            annotation = ref.get_object()
            if annotation["/Subtype"] != "/Link":
                continue
            target, landing = link_target(reader, annotation)
            if (index > 0 and target in ids) or (target is not None and target not in ids):
                continue  # a 转版 line's link, to the other part of a story that jumps (tests/test_makeup_pages.py)
            on_pages.add(index)
            assert target is not None, "a contents link names its article's anchor"
            top = max(float(annotation["/Rect"][1]), float(annotation["/Rect"][3]))
            left = min(float(annotation["/Rect"][0]), float(annotation["/Rect"][2]))
            seen_left, seen_top, landings = entries.get(target, (left, top, set()))
            entries[target] = (min(seen_left, left), max(seen_top, top), landings | {landing})
    assert on_pages == {0} and "导读" in texts[0]
    # The entries as they stand on the page, column by column, top to bottom in each (tier by tier, right to left
    # in each, once a vertical page is turned).
    order = sorted(entries.items(), key=lambda item: (round(item[1][0]), -item[1][1]))
    assert [t for t, _ in order] == [a.id for a in listed]
    # Each listed headline is in the 导读's text (in columns, the order text is drawn in is not the reading order: the
    # links' places above give that).
    contents = texts[0][texts[0].index("导读") :]
    headlines = [re.sub(r"\s+", "", "".join(a.headline_lines)) for a in listed]
    assert -1 not in [contents.find(h) for h in headlines]
    for article, headline in zip(listed, headlines, strict=True):
        (landing,) = entries[article.id][2]
        shown = [text.count(headline) - (index == 0) for index, text in enumerate(texts)]  # less the 导读's entry
        assert shown.index(next(n for n in shown if n > 0)) == landing, (article.id, headline, landing, shown)


# -- 7: what every article page of the book carries ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "theme"),
    [
        ("numbers-daily", "classic"),
        ("numbers-daily", "vertical"),
        ("binhai-daily", "classic"),
        ("hk-daily", "classic"),
        ("exported-page", "classic"),
    ],
)
def test_each_article_page_of_the_book_carries_its_sections_heading_where_the_section_starts(
    tmp_path: Path, name: str, theme: str
) -> None:
    """Planted: the section heading only on the book's first article, or on every article, or empty.

    Each article is a document of its own. The first article of each section carries the section's
    heading, 第…版 and its title (two sections may share a page: 经济 and 副刊 on A02); the
    others carry none, as the heading would repeat under the reader's eyes page after page; an
    issue with no pages or sections carries none, not an empty one. The first article of each page
    also carries the page-list's break, 第…版.
    """
    source = EXAMPLES_DIR / f"{name}.md"
    issue = parse_file(source)
    (book,) = pdf_build(source, ["epub"], theme=theme, out=tmp_path, cache_dir=tmp_path / "cache")
    with zipfile.ZipFile(book.path) as z:
        pages = {Path(n).stem: z.read(n).decode("utf-8") for n in z.namelist() if re.fullmatch(r"EPUB/a\d+\.xhtml", n)}
    assert sorted(pages) == sorted(a.id for a in issue.articles)
    carried, wanted = {}, {}
    last_page = None
    for section in issue.sections:
        heading = " ".join(x for x in (section.page and f"第{section.page}版", section.title) if x)
        for i, article in enumerate(section.articles):
            page = pages[article.id]
            labels = [
                re.sub(r"<[^>]+>", "", x).strip() for x in re.findall(r'<p class="section-label">(.*?)</p>', page, re.S)
            ]
            breaks = re.findall(r'<span epub:type="pagebreak"[^>]*aria-label="([^"]*)"', page)
            carried[article.id] = (labels, breaks)
            starts_page = section.page is not None and section.page != last_page and i == 0
            wanted[article.id] = (
                [heading] if i == 0 and heading else [],
                [f"第{section.page}版"] if starts_page else [],
            )
            assert '<h2 class="headline"' in page, article.id
        last_page = section.page if section.page is not None else last_page
    assert carried == wanted
