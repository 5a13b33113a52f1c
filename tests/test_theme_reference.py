"""The theme reference in docs/themes.md: written from the code, complete, and in step with it (exporter.themeref)."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

from exporter import themeref, theming
from exporter.text.typography import SPAN_CLASSES

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "themes.md"


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("theme_reference", ROOT / "tools" / "theme_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _section(reference: str, title: str) -> str:
    return reference.split(f"### {title}\n", 1)[1].split("\n### ", 1)[0]


def _rows(section: str) -> dict[str, list[str]]:
    """The rows of a Markdown table by their first cell (without backticks)."""
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
            rows[cells[0].strip("`")] = cells[1:]
    return rows


@pytest.fixture(scope="module")
def reference() -> str:
    return themeref.reference()


def test_docs_hold_the_reference_the_code_gives(reference: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert _tool().updated(text, reference) == text, "run: .venv/bin/python tools/theme_reference.py"


def test_the_tool_replaces_only_what_stands_between_the_markers() -> None:
    tool = _tool()
    text = f"intro\n{themeref.START}\nold\n{themeref.END}\nafter\n"
    assert tool.updated(text, "NEW\n") == "intro\nNEW\nafter\n"
    with pytest.raises(SystemExit, match="no reference markers"):
        tool.updated("no markers here", "NEW")


def test_every_key_and_setting_of_the_schema_is_listed(reference: str) -> None:
    keys = _rows(_section(reference, "Keys of theme.toml"))
    assert list(keys)[: len(theming.SCHEMA)] == list(theming.SCHEMA)
    assert set(theming.EDITION_SCHEMA) <= set(keys)
    assert keys["columns"] == ["int", "`1`", theming.EDITION_SCHEMA["columns"].doc]
    assert keys["inherit"][:2] == ["str or list", '`"base"`'] and keys["options"][:2] == ["table", "(table)"]


def test_options_come_with_their_defaults_the_themes_values_and_their_comments(reference: str) -> None:
    options = _rows(_section(reference, "Options"))
    base = theming.load(theming.BASE)
    assert list(options) == list(base.options)
    # The comment above `accent` in themes/base/theme.toml, and its CSS property.
    assert options["accent"][:2] == ['`"#a4161a"`', "`--accent`"]
    assert options["accent"][-1] == "Colour of the masthead, kickers and rules."
    # vertical sets corner_quotes; the column order is classic, reader, vertical.
    assert options["corner_quotes"][2:5] == ["", "", "`true`"]
    assert options["lunar_date"][1] == "", "a boolean is no CSS property"


def test_font_roles_name_their_families_and_the_rules_that_read_them(reference: str) -> None:
    roles = _rows(_section(reference, "Font roles"))
    assert list(roles) == ["body", "headline", "sans"]
    assert roles["body"][0].startswith("Exporter Serif SC, Noto Serif CJK SC")
    assert roles["body"][1] == "serif" and roles["headline"][1] == "sans-serif"
    assert roles["body"][2] == "`html` (common.css)"
    assert "`@top-left` (print.css)" in roles["sans"][2] and "`.byline` (common.css)" in roles["sans"][2]


def test_labels_have_every_language_and_where_they_are_used(reference: str) -> None:
    labels = _rows(_section(reference, "Labels"))
    base = theming.load(theming.BASE)
    assert set(labels) == {key for table in base.labels.values() for key in table}
    # zh, zh-Hant, zh-TW (one label of Taiwan's own), en, where used.
    assert labels["lead_toc"][0] == "导读" and labels["lead_toc"][3] == "In this issue"
    assert labels["era_date"][:4] == ["", "", "民國{year}年", ""]
    assert "`contents.html`" in labels["lead_toc"][4]
    assert "exporter/editions/epub/package.py" in labels["a11y_summary"][4]
    assert labels["a11y_summary"][1].startswith("本書為")


def test_templates_list_every_base_template_with_its_blocks(reference: str, tmp_path: Path) -> None:
    templates = _rows(_section(reference, "Templates and their blocks"))
    files = sorted(p.name for p in (theming.load(theming.BASE).path / "templates").glob("*.html"))
    assert sorted(templates) == files
    assert "`body`" in templates["page.html"][1]
    assert "extends `page.html`" in templates["index.html"][2]
    # Blocks are read from the template itself.
    template = tmp_path / "x.html"
    template.write_text(
        '{#- A test. -#}\n{% extends "page.html" %}{% block a %}{% block b %}{% endblock %}{% endblock %}'
        '{% include "toc.html" %}',
        encoding="utf-8",
    )
    info = themeref.template_info(template)
    assert (info.purpose, info.blocks, info.uses) == (
        "A test.",
        ("a", "b"),
        ("extends `page.html`", "include `toc.html`"),
    )


def test_classes_written_and_styled(reference: str) -> None:
    classes = _rows(_section(reference, "CSS classes"))
    assert classes[".headline"][0] == "`article.html`"
    assert "`base/css/print.css`" in classes[".headline"][1]
    assert classes[".level-N"][0] == "`article.html`", "a class with an expression in it is named with N"
    for name in SPAN_CLASSES:
        assert classes[f".{name}"][0].startswith("the text's spans: "), name


def test_custom_properties_and_where_they_come_from(reference: str) -> None:
    properties = _rows(_section(reference, "Custom properties"))
    assert properties["--accent"][0] == "option `accent`"
    assert properties["--font-sans"][0] == "font role `sans`"
    assert properties["--columns"][0] == "edition setting `columns` (print)"
    assert "`base/css/print.css`" in properties["--columns"][1]


def test_a_new_option_in_the_base_reaches_the_reference(tmp_path: Path) -> None:
    themes = tmp_path / "themes"
    shutil.copytree(ROOT / "themes", themes)
    toml = themes / "base" / "theme.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            "[options]\n", '[options]\n# Colour of the column rules.\nrule_colour = "#999999"\n', 1
        ),
        encoding="utf-8",
    )
    (themes / "base" / "css" / "common.css").write_text(
        ".rule { color: var(--rule-colour); }\n:root { --gutter: 5mm; }\n", encoding="utf-8"
    )
    reference = themeref.reference(themes)
    options = _rows(_section(reference, "Options"))
    assert options["rule_colour"][0] == '`"#999999"`' and options["rule_colour"][-1] == "Colour of the column rules."
    properties = _rows(_section(reference, "Custom properties"))
    assert properties["--rule-colour"] == ["option `rule_colour`", "`base/css/common.css`"]
    assert properties["--gutter"] == ["declared in `base/css/common.css`", "—"]


def test_the_gallery_shows_each_built_in_theme_in_print_and_on_screen() -> None:
    from PIL import Image

    page = (ROOT / "docs" / "gallery.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[([^\]]+)\]\((images/gallery/[^)]+)\)", page)
    themes = sorted(p.parent.name for p in (ROOT / "themes").glob("*/theme.toml") if p.parent.name != "base")
    for theme in themes:
        mine = [file for caption, file in pictures if caption.startswith(f"{theme}: ")]
        assert [Path(f).stem for f in mine] == [
            f"{theme}-{w}" for w in ("print-front", "print-article", "web-front", "web-article")
        ]
        for file in mine:
            with Image.open(ROOT / "docs" / file) as image:
                assert image.format == "PNG" and image.width == 420, file
