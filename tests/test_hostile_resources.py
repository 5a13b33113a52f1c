"""Figures and theme resources under hostile input: symbolic links, image bombs, remote URLs, moved folders.

Every figure either reaches every edition or is a finding that names it; a theme's CSS fetches
nothing from outside the theme; an edition depends on the issue's content, the theme and the options,
never on the folder the issue stands in; templates get only what gives the same output twice.
"""

from __future__ import annotations

import io
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest
from lxml import etree, html
from PIL import Image

from tests.test_cli import run
from tests.test_hostile import ALL, HEAD, built, fails

# -- helpers ---------------------------------------------------------------------------------------


def photo(path: Path, colour: tuple[int, int, int] = (200, 40, 40), kind: str = "PNG") -> bytes:
    """A small real photo-like image written to ``path``; its bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(out, kind)
    path.write_bytes(out.getvalue())
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb(path: Path, width: int, height: int) -> None:
    """A one-bit PNG of ``width`` x ``height`` pixels, all black: tens of kilobytes on disk."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row * 500) for _ in range(height // 500))
    data += packer.compress(row * (height % 500)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b""))


def pdf_images(pdf: Path) -> int:
    """How many image XObjects the PDF's pages draw."""
    with pikepdf.open(pdf) as doc:
        found = set()
        for page in doc.pages:
            for raw in page.get_images().values():
                found.add(raw.objgen)
        return len(found)


def pdf_image_sizes(pdf: Path) -> list[tuple[int, int]]:
    """The width and height of every picture in the PDF, drawn on a page or inside a pattern; masks left out."""
    with pikepdf.open(pdf) as doc:
        images = [o for o in doc.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        masks = {o.SMask.objgen for o in images if "/SMask" in o}
        return sorted((int(o.Width), int(o.Height)) for o in images if o.objgen not in masks)


def epub_images(book: Path) -> dict[str, bytes]:
    """The book's manifest items that are images (the cover excepted), by href, with their bytes."""
    with zipfile.ZipFile(book) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        items = opf.findall(".//{http://www.idpf.org/2007/opf}item")
        return {
            i.get("href"): z.read("EPUB/" + i.get("href"))
            for i in items
            if i.get("media-type", "").startswith("image/") and i.get("id") != "cover-image"
        }


def html_images(folder: Path) -> list[bytes]:
    """The bytes of each image the web edition's article pages show, read from the edition's folder."""
    out = []
    for page in sorted(folder.glob("a*.html")):
        for src in html.parse(str(page)).getroot().xpath("//img/@src"):
            out.append((folder / src).read_bytes())
    return out


DOT = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


# -- 2: figures reached through symbolic links -----------------------------------------------------


@pytest.mark.parametrize("linked", ["file", "folder"])
def test_a_figure_through_a_symbolic_link_is_in_every_edition(tmp_path: Path, linked: str) -> None:
    shared = tmp_path / "photo-desk" / "2025-12-29"
    data = photo(shared / "port.png")
    issue = tmp_path / "issue"
    issue.mkdir()
    if linked == "file":
        (issue / "port.png").symlink_to(shared / "port.png")
        src = "port.png"
    else:
        (issue / "images").symlink_to(shared, target_is_directory=True)
        src = "images/port.png"
    source = issue / "issue.md"
    source.write_text(HEAD + f"## 标题\n\n正文。\n\n![港口夜景（记者 王萌 摄）]({src})\n", encoding="utf-8")

    check = run("check", source)
    assert check.returncode == 0 and "[figure-" not in check.stdout + check.stderr, check.stdout + check.stderr
    out = tmp_path / "out"
    result = built(source, out)
    assert "[figure-" not in result.stderr, result.stderr
    assert html_images(out / "issue") == [data]
    assert list(epub_images(out / "issue.epub").values()) == [data]
    assert pdf_images(out / "issue.pdf") == 1


def test_a_dangling_symbolic_link_is_a_finding_that_names_it(tmp_path: Path) -> None:
    (tmp_path / "port.png").symlink_to(tmp_path / "photo-desk" / "gone.png")
    source = tmp_path / "issue.md"
    source.write_text(HEAD + "## 标题\n\n正文。\n\n![港口夜景](port.png)\n", encoding="utf-8")
    check = run("check", source)
    assert check.stdout.splitlines() == [
        f"{source}:10: warning[figure-missing]: image `port.png` is a symbolic link to "
        f"{tmp_path / 'photo-desk' / 'gone.png'}, which does not exist, so only its caption is shown: "
        "fix the link or copy the photo into the issue's folder"
    ]
    out = tmp_path / "out"
    result = built(source, out)
    assert f"{source}:10: warning[figure-missing]: image `port.png` is a symbolic link" in result.stderr
    assert pdf_images(out / "issue.pdf") == 0 and not epub_images(out / "issue.epub")


def test_a_symbolic_link_to_a_file_that_is_no_image_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password=hunter2\n", encoding="utf-8")
    issue = tmp_path / "issue"
    issue.mkdir()
    (issue / "port.png").symlink_to(secret)
    source = issue / "issue.md"
    source.write_text(HEAD + "## 标题\n\n正文。\n\n![港口夜景](port.png)\n", encoding="utf-8")
    out = tmp_path / "out"
    fails(source, out, line=10, needle="image `port.png` holds no PNG, JPEG, GIF or WebP image")


def test_dot_dot_through_a_linked_folder_stays_in_the_issue_folder(tmp_path: Path) -> None:
    # `images/../port.png` is the issue's own port.png, not the one beside the linked folder's target.
    desk = tmp_path / "photo-desk" / "today"
    photo(desk / "x.png")
    wrong = photo(tmp_path / "photo-desk" / "port.png", (0, 0, 255))
    issue = tmp_path / "issue"
    issue.mkdir()
    (issue / "images").symlink_to(desk, target_is_directory=True)
    right = photo(issue / "port.png", (0, 255, 0))
    source = issue / "issue.md"
    source.write_text(HEAD + "## 标题\n\n正文。\n\n![港口夜景](images/../port.png)\n", encoding="utf-8")
    out = tmp_path / "out"
    built(source, out)
    assert html_images(out / "issue") == [right] != [wrong]
    assert list(epub_images(out / "issue.epub").values()) == [right]


def test_an_image_whose_header_is_damaged_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "cut.png").write_bytes(photo(tmp_path / "whole.png")[:20])  # a copy interrupted early
    source = tmp_path / "issue.md"
    source.write_text(HEAD + "## 标题\n\n正文。\n\n![港口](cut.png)\n", encoding="utf-8")
    check = run("check", source)
    assert check.stdout.splitlines() == [
        f"{source}:10: error[figure-format]: image `cut.png` is a damaged PNG file (its header cannot be read): "
        "export it again"
    ]


def test_a_figure_the_print_renderer_cannot_draw_stops_the_build_naming_it(tmp_path: Path) -> None:
    # WeasyPrint logs an image it cannot decode and leaves it out of the page: that must not pass silently.
    import logging

    from exporter.editions.assets import Images
    from exporter.editions.pdf.fetch import FIGURE_SCHEME, figures_drawn
    from exporter.errors import ExporterError
    from exporter.model import Figure
    from exporter.parser import parse_file

    photo(tmp_path / "port.png")
    (tmp_path / "issue.md").write_text(HEAD + "## 标题\n\n正文。\n\n![港口](port.png)\n", encoding="utf-8")
    issue = parse_file(tmp_path / "issue.md")
    images = Images(tmp_path)
    (name,) = [images(b) for b in issue.articles[0].blocks if isinstance(b, Figure)]
    with pytest.raises(ExporterError) as caught, figures_drawn(images, issue):
        logging.getLogger("weasyprint").error("Failed to load image at %r: %s", f"{FIGURE_SCHEME}:{name}", "broken")
    assert str(caught.value) == (
        f"{tmp_path / 'issue.md'}:10: error: image `port.png` cannot be drawn in the print edition, "
        "its data is damaged: export it again"
    )


# -- 4: a theme's CSS fetches nothing from outside the theme ---------------------------------------


def new_theme(tmp_path: Path, name: str, css: str, file: str = "common.css") -> Path:
    result = run("themes", "new", name, "--dir", tmp_path)
    assert result.returncode == 0, result.stderr
    theme = tmp_path / name
    stylesheet = theme / "css" / file
    before = stylesheet.read_text(encoding="utf-8") if stylesheet.exists() else ""
    stylesheet.write_text(before + css, encoding="utf-8")
    return theme


REMOTE = [
    (
        '@font-face {\n  font-family: "Web";\n  src: url("http://127.0.0.1:9/web.woff2");\n}\n',
        "http://127.0.0.1:9/web.woff2",
    ),
    ("@font-face { font-family: X;\n src: url(file:///usr/share/fonts/x.ttf); }\n", "file:///usr/share/fonts/x.ttf"),
    ("@font-face { font-family: X;\n src: url('//cdn.example/x.woff2'); }\n", "//cdn.example/x.woff2"),
    ("\n.masthead {\n background: url(https://cdn.example/bg.png); }\n", "https://cdn.example/bg.png"),
    ("\n.masthead { background: url(/etc/bg.png); }\n", "/etc/bg.png"),
    ('\n\n@import "https://cdn.example/more.css";\n', "https://cdn.example/more.css"),
    ("\n.masthead { background: url(../../outside.png); }\n", "../../outside.png"),
]


@pytest.mark.parametrize(
    ("css", "url"), REMOTE, ids=["http-font", "file-font", "net-path", "https-bg", "abs", "import", "up"]
)
def test_a_theme_css_url_outside_the_theme_is_one_line_in_every_edition(tmp_path: Path, css: str, url: str) -> None:
    theme = new_theme(tmp_path, "mine", css)
    stylesheet = theme / "css" / "common.css"
    line = (
        stylesheet.read_text(encoding="utf-8")
        .splitlines()
        .index(next(x for x in stylesheet.read_text(encoding="utf-8").splitlines() if url in x))
        + 1
    )
    source = tmp_path / "issue.md"
    source.write_text(HEAD + "## 标题\n\n正文。\n", encoding="utf-8")
    for fmt in ("pdf", "epub", "html"):
        out = tmp_path / f"out-{fmt}"
        result = run("build", source, "--format", fmt, "--theme", theme, "--out", out)
        assert result.returncode == 1, (fmt, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr, (fmt, lines)
        assert lines[0].startswith(f"{stylesheet}:{line}: error: "), (fmt, lines[0])
        assert f"`{url}`" in lines[0] and ": copy " in lines[0], (fmt, lines[0])
        assert not out.exists() or not any(out.iterdir()), fmt


def test_import_of_a_theme_file_is_refused_with_the_fix(tmp_path: Path) -> None:
    theme = new_theme(tmp_path, "mine", '@import "extra.css";\n', file="print.css")
    source = tmp_path / "issue.md"
    source.write_text(HEAD + "## 标题\n\n正文。\n", encoding="utf-8")
    result = run("build", source, "--format", "pdf", "--theme", theme, "--out", tmp_path / "out")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"{theme / 'css' / 'print.css'}:1: error: @import is not followed: a theme's CSS files are joined into "
        "one stylesheet per edition: copy the rules of `extra.css` into css/common.css or css/<edition>.css"
    ]


def test_a_theme_asset_and_a_data_url_are_still_used(tmp_path: Path) -> None:
    theme = new_theme(
        tmp_path,
        "mine",
        ".masthead { background: url(../assets/paper.png); }\n"
        '.masthead::after { content: url("data:image/png;base64,' + DOT + '"); }\n',
    )
    paper = photo(theme / "assets" / "paper.png")
    source = tmp_path / "issue.md"
    source.write_text(HEAD + "## 标题\n\n正文。\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", source, "--format", ALL, "--theme", theme, "--out", out)
    assert result.returncode == 0, result.stderr
    assert (out / "issue" / "assets" / "paper.png").read_bytes() == paper
    # The PDF holds both pictures: the asset (80 x 60, photo's size; drawn as a background, through a pattern)
    # and the data URL's single pixel.
    assert pdf_image_sizes(out / "issue.pdf") == [(1, 1), (80, 60)]


def test_a_bad_theme_of_one_issue_does_not_stop_the_batch(tmp_path: Path) -> None:
    new_theme(tmp_path, "mine", '@font-face { font-family: W; src: url("http://127.0.0.1:9/w.woff2"); }\n')
    (tmp_path / "a.md").write_text("---\ntitle: 滨海日报\ntheme: ./mine\n---\n\n## 标题\n\n正文。\n", encoding="utf-8")
    (tmp_path / "b.md").write_text(HEAD + "## 标题\n\n正文。\n", encoding="utf-8")
    result = run("build", "a.md", "b.md", "--format", "pdf", "--out", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert "mine/css/common.css:" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["b.pdf"]


# -- 5: decompression bombs and limits on figures --------------------------------------------------


@pytest.mark.parametrize(
    ("width", "height", "megapixels"),
    [(20_000, 20_000, "400.0"), (13_000, 13_000, "169.0")],
    ids=["400-megapixels", "169-megapixels"],
)
def test_a_figure_over_the_pixel_limit_is_one_finding(tmp_path: Path, width: int, height: int, megapixels: str) -> None:
    bomb(tmp_path / "bomb.png", width, height)
    assert (tmp_path / "bomb.png").stat().st_size < 200_000
    source = tmp_path / "issue.md"
    source.write_text(HEAD + "## 标题\n\n正文。\n\n![港口](bomb.png)\n", encoding="utf-8")
    expected = (
        f"image `bomb.png` is {width:,} x {height:,} pixels ({megapixels} megapixels), and a figure may have at "
        "most 100 megapixels: scale it down (a full broadsheet page at 300 dpi is 31 megapixels)"
    )
    check = run("check", source)
    assert check.returncode == 1
    assert check.stdout.splitlines() == [f"{source}:10: error[figure-too-large]: {expected}"]
    assert "warn" not in check.stderr.lower() and "Bomb" not in check.stderr, check.stderr
    message = fails(source, tmp_path / "out", line=10, needle="megapixels")
    assert message == expected  # build words it as check does


def test_a_figure_over_the_byte_limit_is_one_finding(tmp_path: Path) -> None:
    photo(tmp_path / "big.png")
    with (tmp_path / "big.png").open("r+b") as stream:  # a sparse tail: 60 MB on paper, nothing on disk
        stream.truncate(60 * 1024 * 1024)
    source = tmp_path / "issue.md"
    source.write_text(HEAD + "## 标题\n\n正文。\n\n![港口](big.png)\n", encoding="utf-8")
    check = run("check", source)
    assert check.stdout.splitlines() == [
        f"{source}:10: error[figure-too-large]: image `big.png` is 60.0 MB, and a figure may be at most 50 MB: "
        "save it as a JPEG, or scale it down"
    ]
    fails(source, tmp_path / "out", line=10, needle="at most 50 MB")


def test_a_figure_just_under_the_limit_builds_and_no_library_warning_is_shown(tmp_path: Path) -> None:
    # 95 megapixels: over Pillow's own warning threshold (89 megapixels), under the project's limit.
    bomb(tmp_path / "wide.png", 10_000, 9_500)
    source = tmp_path / "issue.md"
    source.write_text(HEAD + "## 标题\n\n正文。\n\n![港口](wide.png)\n", encoding="utf-8")
    check = run("check", source)
    assert check.returncode == 0 and check.stdout == "", check.stdout
    out = tmp_path / "out"
    result = built(source, out)
    for stream in (check.stderr, result.stderr):
        assert "warn" not in stream.lower() and "Bomb" not in stream, stream
    assert pdf_images(out / "issue.pdf") == 1
    assert len(epub_images(out / "issue.epub")) == 1 and len(html_images(out / "issue")) == 1


# -- 16: outputs do not depend on the folder -------------------------------------------------------


def test_an_issue_built_in_two_folders_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first = tmp_path / "desk" / "issue"
    photo(first / "images" / "port.png")
    photo(first / "images" / "ship.jpg", (20, 90, 160), "JPEG")
    (first / "issue.md").write_text(
        HEAD + "## 标题\n\n正文。\n\n![港口（记者 王萌 摄）](images/port.png)\n\n![船](images/ship.jpg)\n",
        encoding="utf-8",
    )
    second = tmp_path / "archive" / "2025" / "elsewhere"
    shutil.copytree(first, second)
    for folder in (first, second):
        built(folder / "issue.md", folder / "out")
    for name in ("issue.pdf", "issue.epub"):
        assert (first / "out" / name).read_bytes() == (second / "out" / name).read_bytes(), name
    pages = sorted(p.relative_to(first / "out") for p in (first / "out" / "issue").rglob("*") if p.is_file())
    assert pages == sorted(p.relative_to(second / "out") for p in (second / "out" / "issue").rglob("*") if p.is_file())
    for page in pages:
        assert (first / "out" / page).read_bytes() == (second / "out" / page).read_bytes(), page
    assert pdf_images(first / "out" / "issue.pdf") == 2


# -- 17: templates get only what is deterministic --------------------------------------------------


@pytest.mark.parametrize(
    ("body", "line", "needle"),
    [
        ("<article>\n{{ article.headline }}\n{{ lipsum(1) }}\n</article>\n", 3, "`lipsum`"),
        ("<article>\n{{ [1, 2, 3] | random }}\n</article>\n", 2, "`random`"),
    ],
    ids=["lipsum", "random"],
)
def test_a_template_using_randomness_is_one_line_with_its_file_and_line(
    tmp_path: Path, body: str, line: int, needle: str
) -> None:
    theme = tmp_path / "mine"
    (theme / "templates").mkdir(parents=True)
    (theme / "theme.toml").write_text('name = "mine"\ninherit = "classic"\n', encoding="utf-8")
    (theme / "templates" / "article.html").write_text(body, encoding="utf-8")
    source = tmp_path / "issue.md"
    source.write_text(HEAD + "## 标题\n\n正文。\n", encoding="utf-8")
    for fmt in ("html", "epub", "pdf"):
        result = run("build", source, "--format", fmt, "--theme", theme, "--out", tmp_path / "out")
        assert result.returncode == 1, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr, lines
        assert lines[0].startswith(f"{theme / 'templates' / 'article.html'}:{line}: error: "), lines[0]
        assert needle in lines[0] and "the same" in lines[0], lines[0]


def test_the_globals_and_filters_left_to_templates_are_deterministic(tmp_path: Path) -> None:
    from exporter import theming as themes
    from exporter.editions.templating import Templates
    from exporter.parser import parse_file

    (tmp_path / "issue.md").write_text(HEAD + "## 标题\n\n正文。\n", encoding="utf-8")
    issue = parse_file(tmp_path / "issue.md")
    templates = Templates(issue, themes.load("classic"), "html", href=lambda a: a.id, image=lambda f: None)
    env = templates.env
    jinja_own = set(env.globals) - {
        "issue",
        "masthead",
        "theme",
        "options",
        "edition",
        "edition_name",
        "meta",
        "writing_mode",
        "label",
        "text",
        "inline",
        "credit_line",
        "href",
        "image",
        "asset",
        "long_date",
        "serial_number",
    }
    assert jinja_own == {"range", "dict", "cycler", "joiner", "namespace"}
    assert "random" not in env.filters
    source = (
        "{% set ns = namespace(n=0) %}{% for i in range(5) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}"
        "{% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.next() }}{{ c.next() }}"
        "{% set j = joiner('|') %}{% for x in dict(b=1, a=2) | dictsort %}{{ j() }}{{ x[0] }}{% endfor %}"
        "{{ [3, 1, 2] | sort | join }}{{ 'x' | wordwrap(3) }}{{ issue.masthead.title }} {{ issue.source }}"
    )
    outputs = {env.from_string(source).render() for _ in range(3)}
    # The issue's file by its name: not the folder the issue was built in.
    assert outputs == {"10abaa|b123x滨海日报 issue.md"}


def test_an_issue_without_a_masthead_built_by_its_full_path_in_two_folders_gives_the_same_book(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    books = []
    for folder in (tmp_path / "one", tmp_path / "two" / "deeper"):
        folder.mkdir(parents=True)
        (folder / "page.md").write_text("## 标题\n\n正文。\n", encoding="utf-8")
        result = run("build", (folder / "page.md").resolve(), "--format", "epub", "--out", folder / "out")
        assert result.returncode == 0, result.stderr
        books.append((folder / "out" / "page.epub").read_bytes())
    assert books[0] == books[1]


def test_a_url_in_a_theme_option_is_refused_in_every_edition(tmp_path: Path) -> None:
    theme = new_theme(tmp_path, "mine", "body { background: var(--paper); }\n")
    toml = theme / "theme.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + 'paper = "url(http://127.0.0.1:9/paper.png)"\n', encoding="utf-8"
    )
    source = tmp_path / "issue.md"
    source.write_text(HEAD + "## 标题\n\n正文。\n", encoding="utf-8")
    for fmt in ("pdf", "epub", "html"):
        out = tmp_path / f"out-{fmt}"
        result = run("build", source, "--format", fmt, "--theme", theme, "--out", out)
        assert result.returncode == 1, (fmt, result.stderr)
        assert result.stderr.strip().splitlines() == [
            f"{toml}: error: option `paper` is `url(http://127.0.0.1:9/paper.png)`, and a URL in an option "
            "would be fetched by one edition and shipped by another: write url(../assets/NAME) in the theme's CSS"
        ], fmt
        assert not out.exists() or not any(out.iterdir()), fmt


def test_a_symbolic_link_loop_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "a.png").symlink_to(tmp_path / "b.png")
    (tmp_path / "b.png").symlink_to(tmp_path / "a.png")
    source = tmp_path / "issue.md"
    source.write_text(HEAD + "## 标题\n\n正文。\n\n![港口](a.png)\n", encoding="utf-8")
    check = run("check", source)
    assert check.returncode == 0 and "Traceback" not in check.stderr, check.stderr
    (line,) = check.stdout.splitlines()
    assert line.startswith(f"{source}:10: warning[figure-missing]: image `a.png` is a symbolic link"), line


def test_a_renderer_given_a_figure_the_parser_could_not_check_refuses_it_by_name(tmp_path: Path) -> None:
    # parse() of a text has no folder to check figures in; the renderer, which has one, says what is wrong.
    from exporter import theming as themes
    from exporter.editions.html import render_html
    from exporter.errors import ExporterError
    from exporter.parser import parse

    bomb(tmp_path / "bomb.png", 20_000, 20_000)
    issue = parse(HEAD + "## 标题\n\n正文。\n\n![港口](bomb.png)\n")
    with pytest.raises(ExporterError, match=r"image `bomb.png` is 20,000 x 20,000 pixels .* \[figure-too-large\]"):
        render_html(issue, themes.load("classic"), source_dir=tmp_path)
