"""Themes: loading, inheritance, override order, cycles, template errors and the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter import parse
from exporter import theming as themes
from exporter.editions.templating import Templates
from exporter.errors import ThemeError

ISSUE = parse(
    "---\ntitle: 滨海日报\ndate: 2026-03-18\n---\n\n## 标题<script>alert(1)</script>\n\n本报讯 正文{{ 1 + 1 }}。\n"
)


def templates(theme: themes.Theme, override: Path | None = None) -> Templates:
    return Templates(ISSUE, theme, "html", href=lambda a: f"{a.id}.html", image=lambda f: None, override=override)


def write_theme(root: Path, name: str, toml: str, files: dict[str, str] | None = None) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "theme.toml").write_text(toml, encoding="utf-8")
    for rel, content in (files or {}).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(content, encoding="utf-8")
    return folder


def test_builtin_themes_and_their_chains() -> None:
    names = themes.available()
    assert {"base", "classic", "vertical", "reader"} <= set(names)
    assert [t.name for t in themes.load("vertical").chain] == ["vertical", "classic", "base"]
    assert [t.name for t in themes.load("reader").chain] == ["reader", "classic", "base"]
    assert themes.load().name == "classic"


def test_settings_merge_down_the_chain() -> None:
    vertical = themes.load("vertical")
    assert vertical.edition("html")["writing_mode"] == "vertical-rl"
    assert vertical.edition("epub")["writing_mode"] == "vertical-rl"
    assert vertical.options["corner_quotes"] is True
    assert vertical.options["indent"] == "2em"  # from base
    assert themes.load("classic").edition("html")["writing_mode"] == "horizontal-tb"
    assert themes.load("reader").edition("html")["columns"] == 1
    assert vertical.fonts["body"][0] == "Exporter Serif SC"
    assert vertical.label("zh-CN", "toc") == "目录"
    assert vertical.label("en", "toc") == "Contents"


def test_css_is_appended_base_first() -> None:
    css = themes.load("vertical").css("screen")
    order = [
        css.index(marker)
        for marker in (
            "/* base/css/common.css",
            "/* classic/css/screen.css",
            "/* vertical/css/common.css",
            "/* vertical/css/screen.css",
        )
    ]
    assert order == sorted(order)
    assert "writing-mode: vertical-rl" in css and "-epub-writing-mode: vertical-rl" in css


def test_template_lookup_order(tmp_path: Path) -> None:
    child = write_theme(
        tmp_path,
        "child",
        'inherit = "classic"\n',
        {"templates/masthead.html": '<header class="masthead">CHILD {{ masthead.title }}</header>'},
    )
    theme = themes.load(child)
    assert "CHILD 滨海日报" in templates(theme).render("index.html", title="t", stylesheets=[], body_class="")
    override = tmp_path / "override"
    override.mkdir()
    (override / "masthead.html").write_text("<header>OVERRIDE</header>", encoding="utf-8")
    page = templates(theme, override).render("index.html", title="t", stylesheets=[], body_class="")
    assert "OVERRIDE" in page and "CHILD" not in page
    assert themes.load(child).template_dirs(override)[0] == override


def test_sibling_inheritance_and_cycles(tmp_path: Path) -> None:
    write_theme(tmp_path, "one", 'inherit = "two"\n')
    write_theme(tmp_path, "two", 'inherit = "one"\n')
    with pytest.raises(ThemeError, match=r"cycle \(one -> two -> one\).*classic.*reader.*vertical"):
        themes.load(tmp_path / "one")
    write_theme(tmp_path, "three", 'inherit = "four"\n[options]\naccent = "blue"\n')
    write_theme(tmp_path, "four", 'inherit = "vertical"\n[options]\nindent = "1em"\n')
    three = themes.load(tmp_path / "three")
    assert [t.name for t in three.chain] == ["three", "four", "vertical", "classic", "base"]
    assert (three.options["accent"], three.options["indent"]) == ("blue", "1em")


def test_unknown_theme_names_the_available_ones() -> None:
    with pytest.raises(ThemeError, match="no theme named `clasic`: the themes are classic, reader, vertical"):
        themes.load("clasic")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('inherti = "classic"\n', "unknown key `inherti`: did you mean `inherit`"),
        ('[edition.html]\nwriting_mode = "vertical"\n', "writing_mode `vertical`"),
        ("[edition.paper]\ncolumns = 2\n", "unknown edition"),
        ('[edition.pdf]\ncolumns = "two"\n', "`columns` in \\[edition.pdf\\] must be a int"),
        ('[fonts]\nbody = "Noto"\n', "font role `body` must be a list"),
        ("name = \n", "fix the TOML syntax"),
    ],
)
def test_bad_theme_toml_is_named(tmp_path: Path, toml: str, message: str) -> None:
    folder = write_theme(tmp_path, "bad", toml)
    with pytest.raises(ThemeError, match=message):
        themes.load(folder)


def test_template_error_names_file_and_line(tmp_path: Path) -> None:
    folder = write_theme(
        tmp_path, "broken", 'inherit = "classic"\n', {"templates/masthead.html": "<header>\n{% if %}\n</header>\n"}
    )
    with pytest.raises(ThemeError) as info:
        templates(themes.load(folder)).render("index.html", title="t", stylesheets=[], body_class="")
    assert f"{folder / 'templates' / 'masthead.html'}:2:" in str(info.value)
    folder2 = write_theme(
        tmp_path,
        "broken2",
        'inherit = "classic"\n',
        {"templates/masthead.html": "<header>\n\n{{ no_such_thing.x }}\n</header>\n"},
    )
    with pytest.raises(ThemeError) as info2:
        templates(themes.load(folder2)).render("index.html", title="t", stylesheets=[], body_class="")
    assert f"{folder2 / 'templates' / 'masthead.html'}:3:" in str(info2.value)
    assert "no_such_thing" in str(info2.value)


def test_issue_text_is_escaped() -> None:
    article = ISSUE.articles[0]
    html = templates(themes.load()).render(
        "article.html", section=ISSUE.sections[0], article=article, show_section=False
    )
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 1 + 1 }}" in html  # issue text is never evaluated as a template


def test_sandbox_refuses_python_internals(tmp_path: Path) -> None:
    folder = write_theme(
        tmp_path,
        "evil",
        'inherit = "classic"\n',
        {"templates/masthead.html": "{{ masthead.__class__.__init__.__globals__['os'].system('touch pwned') }}"},
    )
    with pytest.raises(ThemeError, match=r"unsafe|access"):
        templates(themes.load(folder)).render("index.html", title="t", stylesheets=[], body_class="")
    assert not (Path.cwd() / "pwned").exists()


def test_new_theme_inherits_with_a_commented_override(tmp_path: Path) -> None:
    folder = themes.new("harbour", "vertical", tmp_path)
    theme = themes.load(folder)
    assert [t.name for t in theme.chain] == ["harbour", "vertical", "classic", "base"]
    toml = (folder / "theme.toml").read_text(encoding="utf-8")
    assert '# accent = "#a4161a"' in toml
    css = (folder / "css" / "common.css").read_text(encoding="utf-8")
    assert "/* .headline" in css
    assert theme.options == themes.load("vertical").options  # nothing changed until uncommented
    with pytest.raises(ThemeError, match="exists already"):
        themes.new("harbour", "classic", tmp_path)


def test_fonts_of_the_issue_region_come_first() -> None:
    classic = themes.load()
    assert classic.font_roles("zh-CN")["body"] == classic.fonts["body"]
    tw = classic.font_roles("zh-TW")["body"]
    # The regional face sets everything it can: ahead of the shipped SC subset, not only of Noto SC.
    assert tw[0] == "Noto Serif CJK TC"
    assert tw.index("Exporter Serif SC") < tw.index("Noto Serif CJK SC") < tw.index("Noto Serif CJK HK")
    hk = classic.font_roles("zh-HK")["sans"]
    assert hk[0] == "Noto Sans CJK HK"
    assert hk.index("Exporter Sans SC") < hk.index("Noto Sans CJK SC") < hk.index("Noto Sans CJK TC")
    assert sorted(tw) == sorted(classic.fonts["body"])
    for tag in ("zh-MO", "zh-Hant-HK", "zh-Hant-MO"):
        assert classic.font_roles(tag)["headline"][0] == "Noto Sans CJK HK", tag
    for tag in ("zh-Hant", "zh-Hant-TW"):
        assert classic.font_roles(tag)["body"][0] == "Noto Serif CJK TC", tag
    for tag in ("zh", "zh-Hans", "zh-Hans-HK", "zh-SG"):
        assert classic.font_roles(tag) == dict(classic.fonts), tag


def test_a_theme_font_of_its_own_keeps_its_place_before_the_regional_face(tmp_path: Path) -> None:
    folder = tmp_path / "own"
    folder.mkdir()
    (folder / "theme.toml").write_text(
        'name = "own"\ninherit = "classic"\n\n[fonts]\n'
        'masthead = ["AR PL UKai CN", "Exporter Serif SC"]\n'
        'headline = ["WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans Mono CJK SC"]\n'
        'caption = ["Some Own Face"]\n',
        encoding="utf-8",
    )
    roles = themes.load(folder).font_roles("zh-HK")
    # The region's face takes the place of the first family exporter knows, of the same design; the
    # theme's own face stays first, and a role of faces exporter does not know is left alone.
    assert roles["masthead"] == ("AR PL UKai CN", "Noto Serif CJK HK", "Exporter Serif SC")
    assert roles["headline"] == (
        "WenQuanYi Zen Hei",
        "Noto Sans CJK HK",
        "Noto Sans CJK SC",
        "Noto Sans Mono CJK HK",
        "Noto Sans Mono CJK SC",
    )
    assert roles["caption"] == ("Some Own Face",)


@pytest.mark.parametrize(
    ("tag", "chain"),
    [
        ("zh", ["zh"]),
        ("zh-CN", ["zh-cn", "zh-hans", "zh"]),
        ("zh-HK", ["zh-hk", "zh-hant", "zh"]),
        ("zh-TW", ["zh-tw", "zh-hant", "zh"]),
        ("zh-MO", ["zh-mo", "zh-hant", "zh"]),
        ("zh-Hant-HK", ["zh-hant-hk", "zh-hant", "zh"]),
        ("zh-Hans-HK", ["zh-hans-hk", "zh-hans", "zh"]),  # a script given is not overruled by the region
        ("en-GB", ["en-gb", "en"]),
    ],
)
def test_labels_are_looked_up_from_the_most_specific_tag(tag: str, chain: list[str]) -> None:
    assert themes.language_fallbacks(tag) == chain


def test_a_label_comes_from_the_region_then_its_script_then_the_language(tmp_path: Path) -> None:
    (tmp_path / "theme.toml").write_text(
        'name = "regional"\ninherit = "classic"\n'
        '[labels.zh-TW]\ntoc = "目次"\n'
        '[labels.zh-hant]\ntoc = "目錄"\nlead_toc = "導讀"\n',
        encoding="utf-8",
    )
    theme = themes.load(tmp_path)
    assert theme.label("zh-TW", "toc") == "目次"
    assert theme.label("zh-HK", "toc") == "目錄"  # the key's case does not matter
    assert theme.label("zh-HK", "lead_toc") == "導讀"
    assert theme.label("zh-Hant-TW", "toc") == "目錄"
    assert theme.label("zh-CN", "toc") == "目录"
    assert theme.label("zh-HK", "page") == "第{page}版"  # not in any traditional table: the language's own
    assert theme.label("en", "toc") == "Contents"
