"""Rules rearranged with the cascade kept (exporter/editions/cssorder.py): merges, moves, what stops them, and a proof
by a small cascade of random stylesheets."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter.editions.cssorder import _interact, tidy


def flat(text: str) -> str:
    return " ".join(text.split())


def test_rules_of_one_selector_list_are_merged_at_the_later_one() -> None:
    out = tidy("body { margin: 0; }\np { color: red; }\nbody { margin: 0 .5em; color: black; }")
    assert flat(out) == "p { color: red; } body { margin: 0; margin: 0 .5em; color: black; }"


def test_a_merge_goes_back_where_going_forward_would_change_the_cascade() -> None:
    # .figure's margin may not pass .note's (same specificity); its break-inside may go back.
    out = tidy(".figure { margin: 1em; }\n.note { margin-block: 1em; }\n.figure { break-inside: avoid; }")
    assert flat(out) == ".figure { margin: 1em; break-inside: avoid; } .note { margin-block: 1em; }"


def test_rules_stay_apart_where_neither_merge_is_safe() -> None:
    css = ".a { color: red; margin: 0; }\n.b { margin: 1px; color: blue; }\n.a { color: green; padding: 0; }"
    assert flat(tidy(css)) == flat(css)


def test_an_important_declaration_is_not_taken_for_overridden_by_a_later_normal_one() -> None:
    # Moving .x's red forward across .y's blue would make red win on an element of both classes.
    css = ".x { color: red !important; margin: 0; }\n.y { color: blue !important; }\n.x { color: green; }"
    assert flat(tidy(css)) == flat(css)


def test_selector_lists_are_the_same_in_any_order() -> None:
    assert flat(tidy(".a, .b { color: red; }\n.b, .a { margin: 0; }")) == ".b, .a { color: red; margin: 0; }"


@pytest.mark.parametrize(
    ("between", "merged"),
    [
        # Either merge would move max-width or max-height across the rule between, unless it cannot tie:
        (".table table { max-inline-size: 100%; max-block-size: 1px; }", True),  # img and table: never one element
        (".x img { width: 50%; height: 1px; }", True),  # one element, one specificity, but no longhand in common
        (".x img { max-inline-size: 50%; max-block-size: 1px; }", False),  # their logical twins
        (".x .y img { max-width: 50%; max-height: 1px; }", True),  # more specific: the order does not matter
        ("img.x::before { max-width: 1px; max-height: 1px; }", True),  # another box
        ("@media print { .x img { max-width: 1px; max-height: 1px; } }", False),  # a rule in @media is between too
        ("@font-face { font-family: x; src: url(x.otf); }", True),
        ("@unknown-thing { whatever }", False),  # nothing known moves across it
        (".p { & img { color: red; } }", False),  # nested rules neither
        ("img:-moz-broken { max-width: 1px; max-height: 1px; }", False),  # a selector cssselect2 cannot read
    ],
)
def test_what_a_merge_may_move_across(between: str, merged: bool) -> None:
    css = f".figure img {{ max-width: 100%; height: auto; }}\n{between}\n.figure img {{ max-height: 100%; }}"
    assert (flat(tidy(css)).count(".figure img {") == 1) is merged


@pytest.mark.parametrize(
    ("a", "b", "interact"),
    [
        ("margin", "margin-top", True),
        ("margin-top", "margin-block-start", True),
        ("margin-top", "margin-inline-start", True),  # the top is the inline start in vertical text
        ("margin-top", "margin-bottom", False),
        ("margin-block-start", "margin-inline-start", False),
        ("margin-block", "margin-block-end", True),
        ("padding", "margin", False),
        ("border", "border-inline-start-color", True),
        ("border-color", "border-top-width", False),
        ("border-block", "border-left", True),
        ("border-radius", "border-start-end-radius", True),
        ("border-collapse", "border", False),
        ("width", "inline-size", True),
        ("width", "block-size", True),
        ("width", "height", False),
        ("max-width", "max-block-size", True),
        ("max-width", "width", False),
        ("font", "line-height", True),
        ("font", "font-family", True),
        ("font-family", "font-size", False),
        ("writing-mode", "-webkit-writing-mode", True),
        ("-epub-text-combine", "text-combine-upright", True),
        ("page-break-after", "break-after", True),
        ("break-after", "break-inside", False),
        ("overflow", "overflow-x", True),
        ("overflow-x", "overflow-inline", True),
        ("top", "inset-block-start", True),
        ("inset", "left", True),
        ("gap", "column-gap", True),
        ("white-space", "text-wrap-mode", True),
        ("text-emphasis", "text-emphasis-style", True),
        ("text-align", "text-indent", False),
        ("all", "color", True),
        ("color", "COLOR", True),
    ],
)
def test_which_properties_set_one_longhand(a: str, b: str, interact: bool) -> None:
    assert _interact(a, b) is interact
    assert _interact(b, a) is interact


def test_a_merged_block_keeps_its_fallbacks_next_to_each_other() -> None:
    out = tidy(".x { display: block; color: red; margin: 0; }\n.x { display: contents; margin: 0; }")
    assert flat(out) == ".x { color: red; display: block; display: contents; margin: 0; }"
    # Not moved across a declaration that sets one of its longhands.
    out = tidy(".x { margin: 0; margin-top: 1px; }\n.x { margin: 2px; }")
    assert flat(out) == ".x { margin: 0; margin-top: 1px; margin: 2px; }"
    # An important declaration is not overridden by a later normal one: it stays where it was.
    out = tidy(".x { color: red !important; margin: 0; }\n.x { color: blue; }")
    assert flat(out) == ".x { color: red !important; margin: 0; color: blue; }"


def test_a_rule_moves_before_a_more_specific_one_ending_alike() -> None:
    out = tidy(".level-1 .headline { font-size: 2em; }\n.kicker { color: red; }\n.headline { break-after: avoid; }")
    assert flat(out).index(".headline {") < flat(out).index(".level-1 .headline {")
    # It stays where it is when the move would change the cascade: .kicker sets font-size too.
    css = ".level-1 .headline { font-size: 2em; }\n.kicker { font-size: 1em; }\n.headline { font-size: 3em; }"
    assert flat(tidy(css)) == flat(css)
    # a:hover ends as a does; a pseudo-element's rule does not.
    assert flat(tidy("p a:hover { color: red; }\na { margin: 0; }")).startswith("a {")
    assert flat(tidy("p a::before { color: red; }\na { margin: 0; }")).startswith("p a::before")


def test_rules_inside_at_rules_are_tidied_among_themselves() -> None:
    out = tidy("@media print { .a { color: red; } .b { margin: 0; } .a { margin: 0; } }\n.a { padding: 0; }")
    assert flat(out) == "@media print { .b { margin: 0; } .a { color: red; margin: 0; } } .a { padding: 0; }"


def test_comments_and_other_at_rules_are_kept_in_place() -> None:
    css = "/* fonts */\n@font-face { font-family: x; src: url(a.otf); }\n\n/* theme */\np { margin: 0; }\n"
    assert (
        tidy(css)
        == "/* fonts */\n@font-face { font-family: x; src: url(a.otf); }\n\n/* theme */\np {\n  margin: 0;\n}\n"
    )


def test_tidying_twice_changes_nothing_more() -> None:
    css = ".x { a: 1; }\n.y { b: 2; }\n.x { c: 3; }\n.z .x { d: 4; }\n.x { e: 5; }"
    once = tidy(css)
    assert tidy(once) == once


# -- a proof by a small cascade -----------------------------------------------------------------------------

#: A document of a few elements, each as (name, ancestors' names and classes, its classes).
DOCUMENT = """<div class="a"><p class="a b" id="x">1</p><p>2</p><span class="b">3</span><p class="a">4</p>
<section><img class="a" /><p class="b">5</p></section></div>"""
SELECTORS = ["p", ".a", ".b", "p.a", ".a.b", "div .a", "div > p", "span", "#x", "section .b", "img", ".a img"]
#: Properties and the longhands each sets, as a browser expands them (top and bottom margins only).
PROPERTIES: dict[str, tuple[str, ...]] = {
    "color": ("color",),
    "margin": ("margin-top", "margin-bottom"),
    "margin-top": ("margin-top",),
    "margin-block": ("margin-top", "margin-bottom"),  # horizontal text: the block sides are top and bottom
    "margin-block-end": ("margin-bottom",),
    "font": ("font-size", "line-height"),
    "font-size": ("font-size",),
    "line-height": ("line-height",),
    "width": ("width",),
    "inline-size": ("width",),
}


def cascade(css: str) -> dict[tuple[int, str], tuple[str, ...]]:
    """Each element's winning declaration of each longhand (the value and the declarations it came through)."""
    import cssselect2
    import tinycss2
    from lxml import etree

    root = etree.fromstring(f"<html><body>{DOCUMENT}</body></html>")
    wrapper = cssselect2.ElementWrapper.from_html_root(root)
    elements = list(wrapper.iter_subtree())
    won: dict[tuple[int, str], tuple[Any, ...]] = {}
    order = 0

    def visit(nodes: list[Any]) -> None:
        nonlocal order
        for node in nodes:
            if node.type == "at-rule" and node.content is not None:
                visit(tinycss2.parse_rule_list(node.content, skip_whitespace=True, skip_comments=True))
            if node.type != "qualified-rule":
                continue
            selectors = cssselect2.compile_selector_list(node.prelude)
            for decl in tinycss2.parse_blocks_contents(node.content, skip_whitespace=True, skip_comments=True):
                order += 1
                value = tinycss2.serialize(decl.value).strip()
                for selector in selectors:
                    for i, element in enumerate(elements):
                        if not selector.test(element):
                            continue
                        for longhand in PROPERTIES[decl.lower_name]:
                            rank = (decl.important, selector.specificity, order)
                            if (i, longhand) not in won or rank > won[i, longhand][0]:
                                won[i, longhand] = (rank, value)

    visit(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True))
    return {key: (value,) for key, (_, value) in won.items()}


declarations = st.lists(st.tuples(st.sampled_from(sorted(PROPERTIES)), st.integers(1, 3)), min_size=1, max_size=3)
rules = st.lists(
    st.tuples(
        st.lists(st.sampled_from(SELECTORS), min_size=1, max_size=2, unique=True),
        declarations,
        st.integers(0, 9),
    ),
    min_size=1,
    max_size=9,
)


Drawn = list[tuple[list[str], list[tuple[str, int]], int]]


def stylesheet(drawn: Drawn) -> str:
    """Rules of the drawn selectors and declarations; one in ten in @media all, one in ten with an !important."""
    out = []
    for selectors, decls, kind in drawn:
        block = " ".join(
            f"{name}: {value}{' !important' if kind == 9 and i == 0 else ''};" for i, (name, value) in enumerate(decls)
        )
        rule = f"{', '.join(selectors)} {{ {block} }}"
        out.append(f"@media all {{ {rule} }}" if kind == 8 else rule)
    return "\n".join(out)


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(rules)
def test_every_element_keeps_its_style(drawn: Drawn) -> None:
    css = stylesheet(drawn)
    assert cascade(tidy(css)) == cascade(css)
