"""Finds which characters each font role sets at each weight, by applying the edition's CSS to its pages.

An edition embeds only the glyphs it shows, and a face only those it sets: the bold serif carries
the datelines, not every character of the issue. The cascade here is the part of CSS that decides
fonts: ``font-family`` (a role's ``var(--font-…)``) and ``font-weight`` (every CSS weight, 1 to
1000, with ``bolder`` and ``lighter``), with specificity, order, inheritance and the browser's
bold headings and ``strong``; and the text CSS itself writes: ``content`` of ``::before``,
``::after`` and ``::marker`` (strings, ``attr()``, counters, leaders, quotes) and of the ``@page``
margin boxes, which takes the body role unless its rule or its ``@page`` names another.
``string()`` is left out: what it repeats is an element's text, counted where the element is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

DEFAULT_ROLE = "body"
_ROLE = re.compile(r"var\(\s*--font-([a-z0-9-]+)\s*\)")
_BOLD_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "th", "dt"})
_SKIP_TAGS = frozenset({"head", "script", "style", "title"})
#: Pseudo-elements whose ``content`` sets text.
_GENERATED = frozenset({"before", "after", "marker"})
#: The characters a counter may print in each counter style (CSS Counter Styles 3, the predefined ones
#: Chinese text uses; a negative counter's sign left out); a style not here prints decimal digits, as an
#: unknown style does.
_COUNTER_CHARS: dict[str, str] = {
    "decimal": "0123456789",
    "decimal-leading-zero": "0123456789",
    "cjk-decimal": "〇一二三四五六七八九",
    "cjk-ideographic": "零一二三四五六七八九十百千万亿负",
    "simp-chinese-informal": "零一二三四五六七八九十百千万亿负",
    "simp-chinese-formal": "零壹贰叁肆伍陆柒捌玖拾佰仟万亿负",
    "trad-chinese-informal": "零一二三四五六七八九十百千萬億負",
    "trad-chinese-formal": "零壹貳參肆伍陸柒捌玖拾佰仟萬億負",
    "cjk-earthly-branch": "子丑寅卯辰巳午未申酉戌亥0123456789",
    "cjk-heavenly-stem": "甲乙丙丁戊己庚辛壬癸0123456789",
    "lower-roman": "ivxlcdm",
    "upper-roman": "IVXLCDM",
    "lower-alpha": "abcdefghijklmnopqrstuvwxyz",
    "lower-latin": "abcdefghijklmnopqrstuvwxyz",
    "upper-alpha": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "upper-latin": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "disc": "•",
    "circle": "◦",
    "square": "▪",
}
#: What ``leader()`` repeats, by keyword (CSS GCPM 3).
_LEADERS = {"dotted": ".", "solid": "_", "space": " "}
#: The quotes ``open-quote`` and ``close-quote`` print when the theme sets none.
_QUOTES = "“”‘’"

Usage = dict[tuple[str, int], set[str]]


@dataclass(frozen=True)
class _Style:
    """What one rule says of fonts and generated text: a role, a weight, a ``content`` value."""

    role: str | None = None
    weight: str | None = None
    content: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class _Rule:
    selector: Any
    specificity: tuple[int, int, int]
    order: int
    style: _Style


def _style(content: Any) -> _Style:
    import tinycss2

    role = weight = None
    generated: tuple[Any, ...] | None = None
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
            weight = _shorthand_weight(decl.value)
        elif decl.lower_name == "content":
            generated = tuple(t for t in decl.value if t.type not in ("whitespace", "comment"))
    return _Style(role, weight, generated)


def _shorthand_weight(tokens: Iterable[Any]) -> str:
    """The weight the ``font`` shorthand sets: the weight it names, else ``normal`` (the shorthand resets it)."""
    for token in tokens:
        if token.type == "ident" and token.lower_value in ("bold", "bolder", "lighter"):
            return str(token.lower_value)
        if token.type == "number" and token.is_integer and 1 <= token.int_value <= 1000:
            return str(token.int_value)
        if token.type == "literal" and token.value == "/":
            break  # the size and line height come next: no weight after them
    return "normal"


def _rules(css: str) -> tuple[list[_Rule], list[tuple[_Style, list[_Style]]]]:
    """The style rules that say something of fonts or generated text, and the ``@page`` rules with their boxes."""
    import cssselect2
    import tinycss2

    rules: list[_Rule] = []
    pages: list[tuple[_Style, list[_Style]]] = []

    def visit(nodes: Iterable[Any]) -> None:
        for node in nodes:
            if node.type == "qualified-rule":
                style = _style(node.content)
                if style == _Style():
                    continue
                try:
                    selectors = cssselect2.compile_selector_list(node.prelude)
                except Exception:  # a selector cssselect2 does not know cannot be matched here
                    continue
                for selector in selectors:
                    rules.append(_Rule(selector, selector.specificity, len(rules), style))
            elif node.type == "at-rule" and node.lower_at_keyword in ("media", "supports") and node.content:
                # Screen-width media queries apply on the screens that read these editions.
                visit(tinycss2.parse_rule_list(node.content, skip_whitespace=True, skip_comments=True))
            elif node.type == "at-rule" and node.lower_at_keyword == "page" and node.content:
                boxes = [
                    _style(box.content)
                    for box in tinycss2.parse_blocks_contents(node.content, skip_whitespace=True, skip_comments=True)
                    if box.type == "at-rule" and box.content
                ]
                pages.append((_style(node.content), boxes))

    visit(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True))
    return rules, pages


def css_weight(value: str | None, inherited: int) -> int:
    """The computed ``font-weight`` of a declared value (CSS Fonts 4), from the parent's computed weight.

    ``bolder`` and ``lighter`` follow the specification's table; a number is kept (1 to 1000); a
    value that is none of these is ignored, as a browser ignores an invalid declaration.
    """
    if value is None or value in ("inherit", "unset"):
        return inherited
    if value in ("normal", "initial"):
        return 400
    if value == "bold":
        return 700
    if value == "bolder":
        return 400 if inherited < 350 else 700 if inherited < 550 else 900 if inherited < 900 else inherited
    if value == "lighter":
        return inherited if inherited < 100 else 100 if inherited < 550 else 400 if inherited < 750 else 700
    try:
        number = float(value)
    except ValueError:
        return inherited
    return round(number) if 1 <= number <= 1000 else inherited


def characters(documents: Iterable[str], css: str) -> Usage:
    """The characters each (role, CSS weight) sets across the documents, generated text included."""
    import cssselect2
    from lxml import etree

    rules, pages = _rules(css)
    matcher = cssselect2.Matcher()
    for rule in rules:
        matcher.add_selector(rule.selector, rule)
    used: Usage = {}

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
        ids = {
            element.get("id"): element for element in root.iter() if isinstance(element.tag, str) and element.get("id")
        }
        walker = _Walker(matcher, add, ids)
        walker.walk(cssselect2.ElementWrapper.from_xml_root(root), DEFAULT_ROLE, 400)
    for page, boxes in pages:
        role = page.role or DEFAULT_ROLE
        weight = css_weight(page.weight, 400)
        for box in (page, *boxes):
            key = (box.role or role, css_weight(box.weight, weight))
            add(key, _generated(box.content or (), None, {}))
    return used


class _Walker:
    """Walks a document's elements with the role and weight each inherits, adding the text each sets."""

    def __init__(self, matcher: Any, add: Callable[[tuple[str, int], str | None], None], ids: dict[str, Any]) -> None:
        self.matcher = matcher
        self.add = add
        self.ids = ids

    def walk(self, wrapped: Any, role: str, weight: int) -> None:
        from lxml import etree

        element = wrapped.etree_element
        tag = etree.QName(element).localname
        if tag in _SKIP_TAGS:
            return
        own: list[tuple[tuple[int, int, int], int, _Style]] = []
        pseudo: dict[str, list[tuple[tuple[int, int, int], int, _Style]]] = {}
        for match in self.matcher.match(wrapped) or ():
            rule: _Rule = match[3]
            entry = (rule.specificity, rule.order, rule.style)
            (own if match[2] is None else pseudo.setdefault(match[2], [])).append(entry)
        role = _winner(own, "role") or role
        # The browser's own bold (a user-agent rule) gives way to any rule of the theme's.
        weight = css_weight(_winner(own, "weight") or ("bold" if tag in _BOLD_TAGS else None), weight)
        if tag != "html":
            self.add((role, weight), element.text)
        for name, styles in pseudo.items():
            key = (_winner(styles, "role") or role, css_weight(_winner(styles, "weight"), weight))
            if name in _GENERATED:
                content = _winner(styles, "content")
                self.add(key, _generated(content or (), element, self.ids))
            elif name == "first-letter":
                text = "".join(element.itertext()).lstrip()
                self.add(key, text[: len(text) - len(text.lstrip("\"'“‘「『（《〈【([")) + 1])
            elif name == "first-line":
                self.add(key, "".join(element.itertext()))
        for child in wrapped.iter_children():
            self.walk(child, role, weight)
            if tag != "html":
                self.add((role, weight), child.etree_element.tail)


def _winner(styles: list[tuple[tuple[int, int, int], int, _Style]], field: str) -> Any:
    """The value the cascade gives ``field`` among matched rules: the most specific, then the last, that sets it."""
    best: tuple[tuple[int, int, int], int, Any] | None = None
    for specificity, order, style in styles:
        value = getattr(style, field)
        if value is not None and (best is None or (specificity, order) > best[:2]):
            best = (specificity, order, value)
    return best[2] if best is not None else None


def _generated(tokens: Iterable[Any], element: Any, ids: dict[str, Any]) -> str:
    """The characters a ``content`` value may print for ``element`` (None in a page's margin box)."""
    out: list[str] = []
    for token in tokens:
        if token.type == "string":
            out.append(token.value)
        elif token.type == "ident" and token.lower_value in ("open-quote", "close-quote"):
            out.append(_QUOTES)
        elif token.type == "function":
            out.append(_function(token, element, ids))
    return "".join(out)


def _function(token: Any, element: Any, ids: dict[str, Any]) -> str:
    """The characters one function of a ``content`` value may print; ``string()`` and ``url()`` print none here."""
    arguments = [a for a in token.arguments if a.type not in ("whitespace", "comment")]
    name = token.lower_name
    strings = "".join(a.value for a in arguments if a.type == "string")
    idents = [a.lower_value for a in arguments if a.type == "ident"]
    if name == "attr":
        return str(element.get(idents[0], "")) if element is not None and idents else ""
    if name in ("counter", "counters", "target-counter", "target-counters"):
        style = idents[1] if len(idents) > 1 else "decimal"  # the counter's name, then its style
        return _COUNTER_CHARS.get(style, _COUNTER_CHARS["decimal"]) + strings
    if name == "leader":
        return strings or "".join(_LEADERS.get(i, "") for i in idents)
    if name == "target-text":
        url = next((a for a in arguments if a.type in ("url", "string", "function")), None)
        href = ""
        if url is not None and url.type == "function" and url.lower_name == "attr" and element is not None:
            href = str(element.get(next((a.lower_value for a in url.arguments if a.type == "ident"), ""), ""))
        elif url is not None and url.type in ("url", "string"):
            href = url.value
        target = ids.get(href.partition("#")[2])
        return "".join(target.itertext()) if target is not None else ""
    return ""
