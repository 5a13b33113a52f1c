"""Finds which characters each font role sets at each weight, by applying the edition's CSS to its pages.

An edition embeds only the glyphs it shows, and a face only those it sets: the bold serif carries
the datelines, not every character of the issue. The cascade here is the part of CSS that decides
fonts: ``font-family`` (a role's ``var(--font-…)``) and ``font-weight``, with specificity, order,
inheritance and the browser's bold headings and ``strong``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

DEFAULT_ROLE = "body"
_ROLE = re.compile(r"var\(\s*--font-([a-z0-9-]+)\s*\)")
_BOLD_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "th", "dt"})
_SKIP_TAGS = frozenset({"head", "script", "style", "title"})


@dataclass(frozen=True)
class _Rule:
    selector: Any
    specificity: tuple[int, int, int]
    order: int
    role: str | None
    weight: str | None


def _declarations(content: Any) -> tuple[str | None, str | None]:
    import tinycss2

    role = weight = None
    for decl in tinycss2.parse_blocks_contents(content, skip_whitespace=True, skip_comments=True):
        if decl.type != "declaration":
            continue
        value = tinycss2.serialize(decl.value).strip()
        if decl.lower_name == "font-family":
            match = _ROLE.search(value)
            role = match.group(1) if match else None
        elif decl.lower_name == "font-weight":
            weight = value.split("!")[0].strip().lower()
        elif decl.lower_name == "font":
            match = _ROLE.search(value)
            if match:
                role = match.group(1)
            weight = "700" if re.search(r"\b(bold|[6-9]00)\b", value) else "400"
    return role, weight


def _rules(css: str) -> list[_Rule]:
    import cssselect2
    import tinycss2

    rules: list[_Rule] = []

    def visit(nodes: Iterable[Any]) -> None:
        for node in nodes:
            if node.type == "qualified-rule":
                role, weight = _declarations(node.content)
                if role is None and weight is None:
                    continue
                try:
                    selectors = cssselect2.compile_selector_list(node.prelude)
                except Exception:  # a selector cssselect2 does not know cannot be matched here
                    continue
                for selector in selectors:
                    rules.append(_Rule(selector, selector.specificity, len(rules), role, weight))
            elif node.type == "at-rule" and node.lower_at_keyword in ("media", "supports") and node.content:
                # Screen-width media queries apply on the screens that read these editions.
                visit(tinycss2.parse_rule_list(node.content, skip_whitespace=True, skip_comments=True))

    visit(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True))
    return rules


def _weight(value: str | None, inherited: int) -> int:
    if value is None or value == "inherit":
        return inherited
    if value == "bold" or value == "bolder":
        return 700
    if value in ("normal", "lighter"):
        return 400
    return 700 if value.isdigit() and int(value) >= 600 else 400


def characters(documents: Iterable[str], css: str) -> dict[tuple[str, int], set[str]]:
    """The characters each (role, weight) sets across the documents."""
    import cssselect2
    from lxml import etree

    rules = _rules(css)
    matcher = cssselect2.Matcher()
    for rule in rules:
        matcher.add_selector(rule.selector, rule)
    used: dict[tuple[str, int], set[str]] = {}

    def add(key: tuple[str, int], text: str | None) -> None:
        if text:
            used.setdefault(key, set()).update(ch for ch in text if not ch.isspace())

    parser = etree.XMLParser(resolve_entities=False, recover=True)
    for document in documents:
        root = etree.fromstring(document.encode("utf-8"), parser)
        if root is None:
            continue
        title = root.find(".//{*}title")
        if title is not None:
            add((DEFAULT_ROLE, 400), title.text)
        wrapper = cssselect2.ElementWrapper.from_xml_root(root)
        for element in wrapper.iter_subtree():
            if etree.QName(element.etree_element).localname == "body":
                _walk_wrapped(element, DEFAULT_ROLE, 400, matcher, add)
                break
    return used


def _walk_wrapped(wrapped: Any, role: str, weight: int, matcher: Any, add: Any) -> None:
    from lxml import etree

    element = wrapped.etree_element
    tag = etree.QName(element).localname
    if tag in _SKIP_TAGS:
        return
    if tag in _BOLD_TAGS:
        weight = 700
    best_role: tuple[tuple[int, int, int], int, str] | None = None
    best_weight: tuple[tuple[int, int, int], int, str] | None = None
    for match in matcher.match(wrapped) or ():
        rule: _Rule = match[3]
        key = (rule.specificity, rule.order)
        if rule.role is not None and (best_role is None or key > best_role[:2]):
            best_role = (rule.specificity, rule.order, rule.role)
        if rule.weight is not None and (best_weight is None or key > best_weight[:2]):
            best_weight = (rule.specificity, rule.order, rule.weight)
    if best_role is not None:
        role = best_role[2]
    if best_weight is not None:
        weight = _weight(best_weight[2], weight)
    add((role, weight), element.text)
    for child in wrapped.iter_children():
        _walk_wrapped(child, role, weight, matcher, add)
        add((role, weight), child.etree_element.tail)
