"""The EPUB's variables written out (exporter/editions/cssvalues.py): values, fallbacks, nesting, at-rules, errors."""

from __future__ import annotations

import re

import pytest

from exporter.editions.cssvalues import Source, resolve
from exporter.errors import ThemeError


def css(*texts: str) -> str:
    return resolve([Source(text, f"sheet{i}.css") for i, text in enumerate(texts)])


def flat(text: str) -> str:
    """The stylesheet on one line, for short comparisons."""
    return " ".join(text.split())


def error(*texts: str) -> ThemeError:
    with pytest.raises(ThemeError) as info:
        css(*texts)
    return info.value


def test_a_variable_is_written_in_place_and_its_declaration_dropped() -> None:
    out = css(":root { --accent: #a4161a; }", ".kicker { color: var(--accent); }")
    assert flat(out) == ".kicker { color: #a4161a; }"


def test_the_values_keep_their_tokens_and_importance() -> None:
    out = css(
        ':root { --font-body: "x-exporter-serif-sc", serif; --rule: 1px solid var(--accent); --accent: #a4161a }',
        "html { font-family: var(--font-body) !important; }",
        ".note { border-block: var(--rule); margin: calc(var(--gap, 1em) * 2) 0; }",
    )
    assert 'font-family: "x-exporter-serif-sc", serif !important;' in out
    assert "border-block: 1px solid #a4161a;" in out
    assert "margin: calc(1em * 2) 0;" in out


def test_fallbacks_are_used_only_where_the_property_has_no_value() -> None:
    out = css(
        ":root { --indent: 2em; }",
        "p { text-indent: var(--indent, 1em); margin: var(--none, var(--also-none, .5em) 0); }",
        "b { font: var(--none, bold 1em/1.2 serif, fantasy); }",
    )
    assert "text-indent: 2em;" in out
    assert "margin: .5em 0;" in out
    assert "font: bold 1em/1.2 serif, fantasy;" in out


def test_an_empty_value_is_refused() -> None:
    # An empty fallback leaves the declaration without a value: an error, never a silent `color: ;`.
    assert "`color` is left with no value" in str(error("b { color: var(--none,); }"))


def test_variables_refer_to_variables_in_any_order() -> None:
    out = css(":root { --a: var(--b) var(--c); --b: 1px; } html { --c: var(--b, 9px) solid; } i { border: var(--a) }")
    assert "border: 1px 1px solid;" in out


def test_the_cascade_decides_between_declarations_of_one_variable() -> None:
    # A later declaration wins; :root wins over html, whatever the order; !important wins over both.
    assert "color: blue;" in css(":root { --c: red; }", ":root { --c: blue; } a { color: var(--c) }")
    assert "color: red;" in css(":root { --c: red; }", "html { --c: blue; } a { color: var(--c) }")
    assert "color: blue;" in css(":root { --c: red; }", "html { --c: blue !important; } a { color: var(--c) }")
    # Order counts across the stylesheets, however many declarations each has.
    assert "color: blue;" in css(":root { --c: red; --c: red; --c: red }", ":root { --c: blue } a { color: var(--c) }")
    # A CSS-wide keyword leaves the root's property without a value: the fallback holds.
    assert "color: green;" in css(":root { --c: red; --c: initial; } a { color: var(--c, green) }")


def test_registered_properties_lend_their_initial_value() -> None:
    sheet = "@property --gap { syntax: '<length>'; inherits: true; initial-value: 4px; } a { margin: var(--gap) }"
    assert flat(css(sheet)) == "a { margin: 4px; }"
    assert "margin: 8px;" in css(sheet, ":root { --gap: 8px }")


def test_variables_inside_at_rules_and_functions_are_written_out() -> None:
    out = css(
        ':root { --serif: "x-serif"; --wide: 40em; --shade: 20%; }',
        "@media print { @supports (display: grid) { .a { columns: var(--wide); } } }",
        "@font-face { font-family: var(--serif); src: url(a.otf); }",
        "@page { margin: 1cm; @top-center { content: var(--serif) } }",
        ".b { background: linear-gradient(to right, rgb(0 0 0 / var(--shade)), white); }",
    )
    assert "var(" not in out and "--" not in out
    assert flat("@media print { @supports (display: grid) { .a { columns: 40em; } } }") in flat(out)
    assert 'font-family: "x-serif";' in out
    assert flat('@top-center { content: "x-serif"; }') in flat(out)
    assert "rgb(0 0 0 / 20%)" in out


def test_rules_left_empty_are_dropped_and_sources_keep_their_labels() -> None:
    out = resolve(
        [
            Source(":root { --a: 1em; }", "fonts.css", "fonts"),
            Source("html { --b: 2em; } @media print { .x { margin: var(--a) } } .e {}", "theme.css", "theme"),
        ]
    )
    assert flat(out) == "/* theme */ @media print { .x { margin: 1em; } }"


def test_a_comment_or_whitespace_in_a_value_is_not_a_value() -> None:
    out = css(":root { --a: /* none */ 3px ; } p { margin: var( --a ) var(--b, /* x */ 2px ) }")
    assert "margin: 3px 2px;" in out


def test_tokens_that_would_run_together_stay_apart() -> None:
    # var(--n)px is the number then the ident px, never the dimension 2px: the serializer keeps them apart.
    out = css(":root { --n: 2 } p { margin: var(--n)px }")
    assert "margin: 2px;" not in out


def test_an_undeclared_variable_names_file_line_and_fix() -> None:
    err = error(":root { --accent: red; }", "p {\n  margin: 0;\n  color: var(--acent);\n}")
    assert (err.path, err.line) == ("sheet1.css", 3)
    assert "declare `--acent: VALUE;` in `:root`" in err.message
    assert "`var(--acent, VALUE)`" in err.message
    assert "did you mean `--accent`?" in err.message
    assert str(err).startswith("sheet1.css:3: error:")


def test_an_undeclared_variable_inside_another_is_found_where_it_is_used_in_the_definition() -> None:
    err = error(":root {\n  --a: var(--b);\n}", "p { margin: var(--a); }")
    assert (err.path, err.line) == ("sheet0.css", 2)
    # Never used, never an error: as in a browser.
    assert css(":root { --unused: var(--nothing); } p { margin: 0 }")


def test_a_cycle_is_refused_with_its_members() -> None:
    err = error(":root {\n  --a: var(--b);\n  --b: 1px var(--c);\n  --c: var(--a);\n}", "p { margin: var(--b) }")
    assert "cycle (--b -> --c -> --a -> --b)" in err.message
    assert (err.path, err.line) == ("sheet0.css", 3)
    assert "cycle (--a -> --a)" in error(":root { --a: var(--a, 1px) } p { margin: var(--a) }").message


@pytest.mark.parametrize(
    ("sheet", "where", "line"),
    [
        (".note {\n  --accent: blue;\n}", "`.note`", 2),
        (":root, body {\n  --accent: blue;\n}", "`:root, body`", 2),
        ("@media print {\n  :root {\n    --accent: blue;\n  }\n}", "`:root`", 3),
        ("@font-face {\n  --x: 1;\n}", "`@font-face`", 2),
        (":root {\n  .a { --x: 1 }\n}", "`.a`", 2),
    ],
)
def test_a_custom_property_outside_the_root_is_refused(sheet: str, where: str, line: int) -> None:
    err = error(sheet)
    assert err.message.startswith("`--") and f"is declared in {where}" in err.message
    assert "Move `--" in err.message and "into `:root`" in err.message
    assert (err.path, err.line) == ("sheet0.css", line)


@pytest.mark.parametrize(
    ("sheet", "message"),
    [
        (":root { --w: 30em } @media (min-width: var(--w)) { p { margin: 0 } }", "var() in the prelude of @media"),
        (":root { --x: a } .a:not(var(--x)) { margin: 0 }", "var() in a selector"),
        ("p { margin: var(x) }", "var() takes the name of a custom property"),
        ("p { margin: var(--x 1px) }", "var() takes the name of a custom property"),
    ],
)
def test_var_where_css_does_not_read_it_is_refused(sheet: str, message: str) -> None:
    assert message in error(sheet).message


def test_the_shipped_themes_resolve_to_no_variable() -> None:
    from exporter import theming
    from exporter.editions.templating import options_css

    fonts = ':root { --font-body: "x-a", serif; --font-headline: "x-b", sans-serif; --font-sans: "x-b", sans-serif; }'
    for name in ("base", "classic", "reader", "vertical"):
        theme = theming.load(name)
        sources = [Source(fonts), Source(options_css(theme))]
        sources += [Source(text, str(path), label) for label, path, text in theme.css_files("epub")]
        out = resolve(sources)
        assert "var(" not in out and not re.search(r"(^|[\s;{])--[\w-]+\s*:", out), name
        assert "text-indent: 2em;" in out and "color: #a4161a;" in out


def test_var_in_parentheses_and_brackets_is_written_out() -> None:
    out = css(
        ":root { --w: 3em; --line: main; }",
        "a { width: calc((var(--w) + 1px) * 2); grid-template-columns: [var(--line)] 1fr; }",
    )
    assert "width: calc((3em + 1px) * 2);" in out
    assert "grid-template-columns: [main] 1fr;" in out


def test_comments_and_spaces_anywhere_change_nothing() -> None:
    plain = css(":root { --a: red; }", "b { color: var(--a); }")
    commented = css(
        "/* top */ :root { /* in */ --a: /* before */ red /* after */ ; }",
        "/* rule */ b /* sel */ { /* in */ color: var( /* c */ --a /* d */ ) ; /* end */ }",
    )
    assert flat(commented) == flat(plain) == "b { color: red; }"


def test_a_fallback_needs_no_space_after_its_comma() -> None:
    assert flat(css("b { color: var(--none,red); }")) == "b { color: red; }"


@pytest.mark.parametrize("bad", ["var(1px)", 'var("--a")', "var(--a ! red)", "var(--a red)", "var()"])
def test_a_var_that_is_not_a_name_and_a_fallback_is_refused_where_it_is(bad: str) -> None:
    found = error(":root { --a: red; }", f"\n\nb {{ color: {bad}; }}")
    assert "var() takes the name of a custom property, then a fallback after a comma if any" in str(found)
    assert "`var(--accent)` or `var(--accent, #a4161a)`" in str(found)
    assert (found.path, found.line) == ("sheet1.css", 3)


def test_each_error_names_its_file_and_line() -> None:
    cases = [
        ((":root { --a: 1; }", "\n.x { --b: 2; }"), ("sheet1.css", 2)),
        (("\n:root { --a: var(--b); }", ":root { --b: var(--a); }", "b { z-index: var(--a); }"), ("sheet0.css", 2)),
        ((":root { --a: 1; }", "b {\n  color: var(--nothing);\n}"), ("sheet1.css", 2)),
        (("b {\n  color: var(--none,);\n}",), ("sheet0.css", 2)),
        (("\n\nb:not(var(--x)) { color: red; }",), ("sheet0.css", 3)),
        (("\n@media (min-width: var(--w)) { b { color: red; } }",), ("sheet0.css", 2)),
        (("\n@media print { b { --c: red; } }",), ("sheet0.css", 2)),
    ]
    for texts, where in cases:
        found = error(*texts)
        assert (found.path, found.line) == where, (texts, found)


def test_the_errors_say_what_to_write() -> None:
    assert "write a value in one of them instead of its var()" in str(
        error(":root { --a: var(--b); --b: var(--a); }", "b { z-index: var(--a); }")
    )
    outside = str(error(".x { --b: 2; }"))
    assert "only a custom property of a `:root` (or `html`) rule outside any at-rule has one value" in outside
    assert "Move `--b: …;` into `:root`" in outside
    unknown = str(error(":root { --accent: red; }", "b { color: var(--acent); }"))
    assert "`var(--acent, VALUE)`; " in unknown and "--accent" in unknown.rsplit(";", 1)[1]
    assert str(error("b { color: var(--zzzz-nothing-like-it); }")).endswith("`var(--zzzz-nothing-like-it, VALUE)`")


def test_root_outranks_html_and_any_rule_outranks_an_at_property_initial_value() -> None:
    assert flat(css(":root { --a: 1; }", "html { --a: 2; }", "b { z-index: var(--a); }")) == "b { z-index: 1; }"
    assert flat(css("html { --a: 2; }", ":root { --a: 1; }", "b { z-index: var(--a); }")) == "b { z-index: 1; }"
    assert flat(css(":root { --a: 1; }", ":root { --a: 3; }", "b { z-index: var(--a); }")) == "b { z-index: 3; }"
    for rule in ("html { --a: 1; }", ":root { --a: 1; }"):
        registered = "@property --a { syntax: '*'; inherits: false; initial-value: 3; }"
        assert flat(css(rule, registered, "b { z-index: var(--a); }")) == "b { z-index: 1; }", rule
    assert flat(
        css("@property --a { syntax: '*'; inherits: false; initial-value: 3; }", "b { z-index: var(--a); }")
    ) == ("b { z-index: 3; }")


def test_at_rules_are_written_out_with_their_nesting() -> None:
    out = css(
        ":root { --c: red; }",
        '@namespace epub "http://www.idpf.org/2007/ops";\n'
        "@media screen   and (min-width: 30em) { @supports (display: grid) { b { color: var(--c); } } }\n"
        "@font-face { font-family: x; src: url(a.otf); }\n"
        "@media print { }\n"
        "@keyframes spin { }\n"
        "@keyframes turn { from { color: var(--c); } }\n",
    )
    assert out == (
        '@namespace epub "http://www.idpf.org/2007/ops";\n'
        "@media screen and (min-width: 30em) {\n"
        "  @supports (display: grid) {\n"
        "    b {\n"
        "      color: red;\n"
        "    }\n"
        "  }\n"
        "}\n"
        "@font-face {\n"
        "  font-family: x;\n"
        "  src: url(a.otf);\n"
        "}\n"
        "@keyframes spin {\n"
        "}\n"
        "@keyframes turn {\n"
        "  from {\n"
        "    color: red;\n"
        "  }\n"
        "}\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        "@media print {\n  b { color: var(--nothing); }\n}",
        "\nb { color: var(--none, var(--nothing)); }",
        "\nb { width: calc(var(--nothing) * 2); }",
        "\nb { width: calc((var(--nothing) + 1px) * 2); }",
        "@property --a { syntax: '*'; inherits: false;\n initial-value: var(--nothing); }\nb { z-index: var(--a); }",
    ],
)
def test_an_error_deep_in_a_rule_or_a_value_names_its_file_and_line(text: str) -> None:
    found = error(text)
    assert (found.path, found.line) == ("sheet0.css", 2), text


@pytest.mark.parametrize(
    "root",
    [":root { --a: var(--none, var(--a)); }", ":root { --a: calc(var(--a) + 1px); }", ":root { --a: ((var(--a))); }"],
)
def test_a_cycle_through_a_fallback_a_function_or_parentheses_is_found(root: str) -> None:
    assert "in a cycle (--a -> --a)" in str(error(root, "b { width: var(--a); }"))
