"""Hostile and broken input through ``exporter build``: one clear line, no traceback, nothing half-written.

Each input either fails with exactly one line on standard error that names the file (and the line
where one applies) and says what to do, exit status 1 and nothing in the output folder; or it is
built into every edition with nothing of its text lost or let through as markup.
"""

from __future__ import annotations

import http.server
import re
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree, html

from exporter.parser.lint import MAX_BLOCK
from tests.test_cli import run

HEAD = "---\ntitle: 滨海日报\ndate: 2025-12-29\n---\n\n"
ALL = "epub,pdf,html"
ERROR = re.compile(r"^(?P<path>[^\n]+?)(?::(?P<line>\d+))?: error(?:\[[a-z-]+\])?: (?P<message>.+)$")


def fails(source: Path, out: Path, *, line: int | None, needle: str, extra: tuple[str, ...] = ()) -> str:
    """Build every edition of ``source``; check it fails as the house rules ask; the message."""
    result = run("build", source, "--format", ALL, "--out", out, *extra)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines  # one message, though three editions failed
    match = ERROR.match(lines[0])
    assert match, lines[0]
    assert match["path"] == str(source)
    assert match["line"] == (str(line) if line is not None else None), lines[0]
    assert needle in match["message"], lines[0]
    assert ": " in match["message"], "the message says what to do after a colon"
    assert not out.exists() or not any(out.iterdir()), "nothing is written for an issue with an error"
    return match["message"]


def built(source: Path, out: Path) -> subprocess.CompletedProcess[str]:
    result = run("build", source, "--format", ALL, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def edition_texts(out: Path, stem: str) -> dict[str, str]:
    """The text of each edition, white space removed: the web pages, the book's pages, the PDF."""
    texts = {}
    pages = sorted((out / stem).glob("*.html"))
    texts["html"] = "".join(html.parse(str(p)).getroot().text_content() for p in pages)
    with zipfile.ZipFile(out / f"{stem}.epub") as z:
        names = sorted(n for n in z.namelist() if n.endswith(".xhtml") and "nav" not in n)
        texts["epub"] = "".join("".join(etree.fromstring(z.read(n)).itertext()) for n in names)
    pdf = subprocess.run(
        ["pdftotext", "-raw", str(out / f"{stem}.pdf"), "-"], capture_output=True, text=True, check=True
    )
    texts["pdf"] = pdf.stdout
    return {k: "".join(v.split()) for k, v in texts.items()}


# -- refused, with one line ------------------------------------------------------------------------


CONTROL = (
    "a control character that no text has ({}): delete it; such characters come from a terminal, a binary file or a "
    "damaged copy"
)


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (b"", None, "the file is empty: write an issue in it (see the README)"),
        (
            b"  \n\t\n\r\n\xe3\x80\x80\n",  # bytes that are not all blank: the parser finds it is (U+3000)
            None,
            "the file is empty (white space only): write an issue in it (see the README)",
        ),
        (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
            None,
            "this is a PDF document, not an issue text file: pass the issue's .md file",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
            None,
            "this is a PNG image, not an issue text file: pass the issue's .md file",
        ),
        (
            (HEAD + "## 标题\n\n正文\xff坏了。\n").encode("utf-8").replace(b"\xc3\xbf", b"\xff"),
            8,
            "the file is UTF-8 but has 1 damaged byte (the first after …正文): retype the text there or save the file "
            "as UTF-8 again",
        ),
        ((HEAD + "## 标题\n\n正文\x00。\n").encode(), 8, CONTROL.format("U+0000")),
        ((HEAD + "## 标题\n\n正文\x1b[31m。\n").encode(), 8, CONTROL.format("U+001B")),
        ((HEAD + "## 标题\n\n正文\x08。\n").encode(), 8, CONTROL.format("U+0008")),
        (
            b"---\ntitle: [unclosed\ndate: 2025-12-29\n---\n\n## \xe6\xa0\x87\n",
            2,
            "the front matter is not valid YAML (expected ',' or ']', but got ':'): write one `key: value` per line",
        ),
        (
            b"+++\ntitle = \n+++\n\n## \xe6\xa0\x87\n",
            2,
            'the front matter is not valid TOML (Invalid value): write one `key = "value"` per line',
        ),
        (
            b"---\ndate: 2025-02-30\n---\n\n## \xe6\xa0\x87\n",
            2,
            "the front matter holds a value YAML cannot read (day is out of range for month): write dates as "
            "2025-12-30 and other values as plain `key: value` text",
        ),
        (
            (HEAD + "正文在标题前。\n\n## 标题\n\n正文。\n").encode(),
            6,
            "text stands before the first headline and belongs to no article: add a `## headline` above it",
        ),
        (
            (HEAD + "## 标题\n\n正文\U0001f9ff\U000e0100。\n").encode(),
            8,
            "characters the editions cannot print (`exporter check` lists them): line 8: 🧿 (U+1F9FF) is an emoji, "
            "and the editions print no emoji (a reader or a PDF would set it in whatever emoji font the machine has, "
            "or in none): replace it with words",
        ),
    ],
    ids=[
        "empty",
        "whitespace",
        "pdf",
        "png",
        "invalid-utf8",
        "nul",
        "escape",
        "backspace",
        "yaml",
        "toml",
        "no-such-day",
        "text-before-article",
        "no-font-has-it",
    ],
)
def test_refused_with_one_line(tmp_path: Path, content: bytes, line: int | None, message: str) -> None:
    source = tmp_path / "issue.md"
    source.write_bytes(content)
    assert fails(source, tmp_path / "out", line=line, needle=message) == message


def test_a_file_of_50_mb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    source = tmp_path / "huge.md"
    article = "## 标题\n\n" + "正文很长的一段。" * 200 + "\n\n"
    with source.open("w", encoding="utf-8") as stream:
        stream.write(HEAD)
        while stream.tell() < 50 * 1024 * 1024:
            stream.write(article)
    message = fails(source, tmp_path / "out", line=None, needle="at most 16 MB")
    assert "50.0 MB" in message and "split it" in message


def test_a_paragraph_of_5_mb_is_refused_with_its_line(tmp_path: Path) -> None:
    source = tmp_path / "para.md"
    source.write_text(HEAD + "## 标题\n\n" + "很长的段落，" * (5 * 1024 * 1024 // 18) + "完。\n", encoding="utf-8")
    message = fails(source, tmp_path / "out", line=8, needle="blank line between its paragraphs")
    assert f"{MAX_BLOCK:,}" in message


@pytest.mark.parametrize(
    "src",
    [
        "../outside.png",
        "/etc/hostname.png",
        "images/../../outside.png",
        "http://127.0.0.1:{port}/a.png",
        "https://127.0.0.1:{port}/a.png",
        "file:///etc/hostname.png",
        "//127.0.0.1:{port}/a.png",
    ],
)
def test_images_outside_the_issue_are_refused_and_never_fetched(tmp_path: Path, src: str) -> None:
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        (tmp_path / "outside.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        folder = tmp_path / "issue"
        folder.mkdir()
        source = folder / "issue.md"
        url = src.format(port=server.server_address[1])
        source.write_text(HEAD + f"## 标题\n\n正文。\n\n![港口]({url})\n", encoding="utf-8")
        fails(source, tmp_path / "out", line=10, needle=f"image `{url}`")
    finally:
        server.shutdown()
    assert requests == []


def test_an_unknown_theme_in_the_issue_lists_the_themes(tmp_path: Path) -> None:
    source = tmp_path / "issue.md"
    source.write_text("---\ntitle: 滨海日报\ntheme: harbour\n---\n\n## 标题\n\n正文。\n", encoding="utf-8")
    message = fails(source, tmp_path / "out", line=3, needle="no theme named `harbour`")
    assert "classic, reader, vertical" in message


def test_an_unknown_theme_on_the_command_line_is_a_usage_error_listing_the_themes(tmp_path: Path) -> None:
    source = tmp_path / "issue.md"
    source.write_text(HEAD + "## 标题\n\n正文。\n", encoding="utf-8")
    result = run("build", source, "--theme", "harbour", "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "no theme named `harbour`" in result.stderr and "classic, reader, vertical" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("template", "body", "line"),
    [
        ("article.html", "{# a user's article #}\n<article>\n{{ article.headline | no_such_filter }}\n</article>\n", 3),
        ("article.html", "<article>\n{% for x in %}\n</article>\n", 2),
        ("article.html", "<article>\n\n{{ article.headline.__class__.__mro__ }}\n</article>\n", 3),
    ],
    ids=["unknown-filter", "syntax", "sandbox"],
)
def test_a_template_error_in_a_user_theme_names_its_file_and_line(
    tmp_path: Path, template: str, body: str, line: int
) -> None:
    theme = tmp_path / "mine"
    (theme / "templates").mkdir(parents=True)
    (theme / "theme.toml").write_text('name = "mine"\ninherit = "classic"\n', encoding="utf-8")
    (theme / "templates" / template).write_text(body, encoding="utf-8")
    source = tmp_path / "issue.md"
    source.write_text(HEAD + "## 标题\n\n正文。\n", encoding="utf-8")
    result = run("build", source, "--format", ALL, "--theme", theme, "--out", tmp_path / "out")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, lines
    assert f"{theme / 'templates' / template}:{line}: error:" in lines[0], lines[0]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# -- built, with nothing lost ----------------------------------------------------------------------

TEXT = "港口今年吞吐量创新高，集装箱航线增至二百条。"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "big5", "utf-16", "utf-16-le", "utf-16-be"])
def test_other_encodings_are_decoded_with_a_warning(tmp_path: Path, encoding: str) -> None:
    head, text = HEAD, TEXT
    if encoding == "big5":
        head, text = "---\ntitle: 濱海日報\ndate: 2025-12-29\n---\n\n", "港口今年吞吐量創新高，集裝箱航線增至二百條。"
    source = tmp_path / "issue.md"
    source.write_bytes((head + f"## 港口\n\n{text}\n").encode(encoding))
    result = built(source, tmp_path / "out")
    assert f"{source}:1: warning[encoding-detected]" in result.stderr
    for name, found in edition_texts(tmp_path / "out", "issue").items():
        assert text in found, name


MARKUP = [
    "<script>alert('x')</script>",
    '<img src="x" onerror="alert(1)">',
    "<b>粗</b>&",
    "<![CDATA[ ]]>",
    "<?xml version='1.0'?>",
    "{{ 7*7 }}{% raw %}",
    "]]>",
]


def test_raw_html_and_script_are_text_in_every_edition(tmp_path: Path) -> None:
    body = "\n\n".join(f"正文{m}结束。" for m in MARKUP) + "\n\n正文&lt;b&gt;&#x3c;结束。"
    source = tmp_path / "issue.md"
    source.write_text(HEAD + f"## 标题<script>x</script>\n\n{body}\n\n<div>一段<i>HTML</i>块</div>\n", encoding="utf-8")
    out = tmp_path / "out"
    built(source, out)
    texts = edition_texts(out, "issue")
    # Character references are Markdown's way to write a character: they are read as that character.
    for markup in [*MARKUP, "<div>一段<i>HTML</i>块</div>", "标题<script>x</script>", "正文<b><结束。"]:
        for name, found in texts.items():
            assert "".join(markup.split()) in found, (name, markup)
    # and none of it became an element
    for page in (out / "issue").glob("*.html"):
        tree = html.parse(str(page)).getroot()
        assert not tree.xpath("//body//script | //body//img[@onerror] | //body//div[i]"), page
    with zipfile.ZipFile(out / "issue.epub") as z:
        for name in z.namelist():
            if name.endswith(".xhtml"):
                root = etree.fromstring(z.read(name))
                assert not root.xpath("//*[local-name()='script' or @onerror]"), name


def test_a_missing_image_keeps_its_caption_in_every_edition(tmp_path: Path) -> None:
    source = tmp_path / "issue.md"
    source.write_text(HEAD + "## 标题\n\n正文。\n\n![港口夜景（记者 王萌 摄）](images/gone.png)\n", encoding="utf-8")
    out = tmp_path / "out"
    result = built(source, out)
    assert f"{source}:10: warning[figure-missing]: image `images/gone.png`" in result.stderr
    for name, found in edition_texts(out, "issue").items():
        assert "港口夜景" in found and "记者王萌摄" in found, name
    assert not (out / "issue" / "images").exists()


def _ten_thousand(path: Path) -> Iterator[str]:
    yield HEAD
    for i in range(10_000):
        if i % 500 == 0:
            yield f"<!-- page: A{i // 500 + 1:02d}, section: 第{i // 500 + 1}版 -->\n\n"
        yield f"## 标题{i}\n\n第{i}篇的正文。\n\n"


def test_ten_thousand_articles(tmp_path: Path) -> None:
    source = tmp_path / "many.md"
    source.write_text("".join(_ten_thousand(source)), encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", source, "--format", "epub,pdf", "--jobs", "1", "--out", out)
    # The book is built; the print edition refuses, in one line, what would take it an hour.
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"{source}: error: the print edition takes at most 1,000 articles and this issue has 10,000 "
        "(a day's paper has a few hundred): split it into issues, or build it with --format epub,html"
    ]
    assert sorted(p.name for p in out.iterdir()) == ["many.epub"]
    with zipfile.ZipFile(out / "many.epub") as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
        text = "".join("".join(etree.fromstring(z.read(n)).itertext()) for n in z.namelist() if n.endswith(".xhtml"))
    ns = {"opf": "http://www.idpf.org/2007/opf", "x": "http://www.w3.org/1999/xhtml"}
    # A document per article, the 10,000 headlines, after the cover, masthead and contents, and the fonts' licence.
    spine = [ref.get("idref") for ref in opf.findall(".//opf:itemref", ns)]
    assert len(spine) == 10_004
    assert spine[:3] == ["cover", "masthead", "contents"] and spine[-1] == "licence"
    toc_links = nav.xpath("//x:nav[@*[local-name()='type']='toc']//x:a/text()", namespaces=ns)
    assert sum(1 for t in toc_links if t.startswith("标题")) == 10_000
    assert all(f"第{i}篇的正文。" in text for i in range(0, 10_000, 997))
