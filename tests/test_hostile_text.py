"""Hostile text through the command line: invisible characters, control characters, inline HTML, bylines.

What the parser lets through or misreads must be reported with its line, and what is kept must reach
every edition as text.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

from PIL import Image

from tests.test_cli import LINE, run
from tests.test_hostile import HEAD, built, edition_texts, fails


def findings(result_stdout: str) -> list[tuple[int, str, str]]:
    """(line, severity, code) of each finding ``check`` prints."""
    out = []
    for line in result_stdout.splitlines():
        match = LINE.match(line)
        if match:
            out.append((int(match["line"]), match["severity"], match["code"]))
    return out


# -- item 6: invisible and bidirectional characters ------------------------------------------------


def test_zero_width_characters_are_dropped_from_every_edition_and_reported(tmp_path: Path) -> None:
    source = tmp_path / "issue.md"
    source.write_text(
        "---\ntitle: 滨海\u200b日报\ndate: 2025-12-29\n---\n\n"
        "## 港口\u200b夜景\n\n夜色中\u200b的\ufeff港口\u2060灯火通明。\n\n异体字葛\U000e0100保留。\n",
        encoding="utf-8",
    )
    check = run("check", source)
    assert check.returncode == 0, check.stdout + check.stderr
    assert [f for f in findings(check.stdout) if f[2] == "invisible-dropped"] == [
        (2, "warning", "invisible-dropped"),
        (6, "warning", "invisible-dropped"),
        (8, "warning", "invisible-dropped"),
    ]
    assert "3 invisible characters dropped" in check.stdout
    out = tmp_path / "out"
    built(source, out)
    for name, text in edition_texts(out, "issue").items():
        assert "滨海日报" in text and "港口夜景" in text and "夜色中的港口灯火通明。" in text, name
        for ch in "\u200b\ufeff\u2060":
            assert ch not in text, (name, f"U+{ord(ch):04X}")
    # nor in the navigation, the contents, the running heads or the metadata
    files = [p.read_text(encoding="utf-8") for p in (out / "issue").glob("*.html")]
    with zipfile.ZipFile(out / "issue.epub") as z:
        files += [z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xhtml", ".opf", ".ncx"))]
    assert files and all("\u200b" not in f and "\ufeff" not in f and "\u2060" not in f for f in files)
    pdf = subprocess.run(["pdftotext", str(out / "issue.pdf"), "-"], capture_output=True, text=True, check=True)
    assert "\u200b" not in pdf.stdout and "港口夜景" in "".join(pdf.stdout.split())


def test_a_right_to_left_override_in_a_headline_is_refused_in_one_line(tmp_path: Path) -> None:
    source = tmp_path / "issue.md"
    source.write_text(HEAD + "## 标题\u202e倒序\n\n正文。\n\n又一段\u2066隔离\u2069。\n", encoding="utf-8")
    message = fails(source, tmp_path / "out", line=6, needle="U+202E RIGHT-TO-LEFT OVERRIDE")
    assert "delete it" in message and "1 more error" in message
    check = run("check", source)
    assert check.returncode == 1
    assert [f for f in findings(check.stdout) if f[1] == "error"] == [
        (6, "error", "bidi-control"),
        (10, "error", "bidi-control"),
    ]


# -- item 10: every control character in one run -------------------------------------------------


def test_three_control_characters_on_three_lines_are_reported_in_one_run(tmp_path: Path) -> None:
    source = tmp_path / "issue.md"
    source.write_bytes((HEAD + "## 标题\n\n第一\x01段。\n\n第二\x1b[31m段。\n\n第三\x00段。\n").encode())
    check = run("check", source)
    assert check.returncode == 1
    assert "Traceback" not in check.stderr
    assert findings(check.stdout) == [
        (8, "error", "control-character"),
        (10, "error", "control-character"),
        (12, "error", "control-character"),
    ]
    for code_point in ("U+0001", "U+001B", "U+0000"):
        assert code_point in check.stdout
    message = fails(source, tmp_path / "out", line=8, needle="U+0001")
    assert "and 2 more errors" in message


# -- item 11: inline raw HTML is reported as the block-level case is -------------------------------


def test_inline_html_is_reported_with_its_line_and_kept_as_text_in_every_edition(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    Image.new("RGB", (40, 30), "white").save(tmp_path / "images" / "a.png")
    source = tmp_path / "issue.md"
    source.write_text(
        HEAD
        + "## 标题<iframe src=x></iframe>\n\n"  # 6
        + "第一段<script>alert(1)</script>结束。\n\n"  # 8
        + "> 引语里有<b>粗体</b>字。\n\n"  # 10
        + "![图注<em>强调</em>说明](images/a.png)\n\n"  # 12
        + "第二段的第一行，\n第二行<span>标签</span>结束。\n\n"  # 14, 15
        + "没有标签，只有 a < b 的比较。\n",  # 17
        encoding="utf-8",
    )
    check = run("check", source)
    assert check.returncode == 0, check.stdout + check.stderr
    assert [f[0] for f in findings(check.stdout) if f[2] == "raw-html"] == [6, 8, 10, 12, 15]
    assert "`<iframe src=x>`" in check.stdout and "`<script>`" in check.stdout
    out = tmp_path / "out"
    built(source, out)
    for name, text in edition_texts(out, "issue").items():
        for kept in (
            "标题<iframe src=x></iframe>",
            "第一段<script>alert(1)</script>结束。",
            "引语里有<b>粗体</b>字。",
            "图注<em>强调</em>说明",
            "第二行<span>标签</span>结束。",
        ):
            assert "".join(kept.split()) in text, (name, kept)


# -- item 8: Taiwan bylines ----------------------------------------------------------------------


def test_taiwan_bylines_reach_every_edition_whole_and_apart_from_the_text(tmp_path: Path) -> None:
    source = tmp_path / "issue.md"
    source.write_text(
        "---\ntitle: 南臺日報\ndate: 2025-12-29\nlanguage: zh-TW\n---\n\n"
        "## 臺南擴大補助\n\n◎記者 鄭雅文／臺南報導\n\n臺南市政府今天宣布，將擴大補助。\n\n"
        "## 高雄港夜景\n\n記者林文雄/高雄報導\n\n高雄港今晚燈火通明。\n",
        encoding="utf-8",
    )
    check = run("check", source)
    assert check.returncode == 0, check.stdout
    assert "paragraph-joined" not in check.stdout
    out = tmp_path / "out"
    built(source, out)
    for name, text in edition_texts(out, "issue").items():
        for byline in ("◎記者鄭雅文／臺南報導", "記者林文雄/高雄報導"):
            assert byline in text, (name, byline)
    # each byline is a byline of its own, not glued to the first paragraph
    page = "".join(p.read_text(encoding="utf-8") for p in (out / "issue").glob("*.html"))
    bylines = [re.sub(r"<[^>]+>", "", b) for b in re.findall(r'<p class="byline">(.*?)</p>', page)]
    assert "◎記者 鄭雅文／臺南報導" in bylines  # the names and credit words are spans of their own
    assert "記者林文雄/高雄報導" in bylines
