"""Writes the values of a stylesheet's custom properties in place of its ``var()``, for readers that know no variables.

The EPUB's stylesheet is read by engines that never learnt custom properties: Adobe's RMSDK (Adobe Digital
Editions, older Kobo and Nook readers), calibre's CSS parser when it converts a book, and the Kindle
formats made from it. :func:`resolve` joins an edition's stylesheets (the ``@font-face`` rules with their
role variables, the theme's options, the theme's CSS files) into one that means the same to a browser and
has no variable left:

- the custom properties (``--name: value``) of the rules ``:root`` and ``html`` outside any at-rule are
  collected, the cascade deciding between two declarations of one name (``!important``, then ``:root``
  over ``html``, then the later one); an ``@property`` rule lends its ``initial-value`` to a property no
  rule declares;
- each ``var(--name)`` and ``var(--name, fallback)`` is replaced by the value, inside functions, at-rules
  (``@media``, ``@supports``, ``@font-face``, ``@page``…) and the values of other custom properties alike,
  and by the fallback where ``--name`` has no value;
- the custom property declarations and ``@property`` rules are dropped, and every rule that is left empty.

What cannot be resolved once for the whole book is a :class:`~exporter.errors.ThemeError` naming the file
and line and what to write instead: a ``var()`` of a property nothing declares and with no fallback,
properties that refer to each other in a cycle, a custom property declared in another rule than ``:root``
or ``html`` (its value would differ from element to element) or inside an at-rule (it would hang on the
medium), and ``var()`` in a selector or an at-rule's prelude. The stylesheet is written one declaration to
a line, comments and what a browser would drop as invalid left out; each source starts with a comment
naming it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from exporter.errors import ThemeError, suggest

#: At-rules whose block holds rules, not declarations.
RULE_LIST_AT_RULES = frozenset(
    {"media", "supports", "layer", "container", "document", "-moz-document", "scope", "starting-style"}
)
#: At-rules whose block holds rules named by keyframe selectors (``from``, ``50%``).
KEYFRAMES_AT_RULES = frozenset({"keyframes", "-webkit-keyframes", "-moz-keyframes", "-o-keyframes"})
#: The rules whose custom properties hold for the whole document (the root element's), by specificity.
ROOT_SELECTORS = {":root": 1, "html": 0}
#: Values that leave a custom property of the root element without a value (its guaranteed-invalid initial one).
WIDE_KEYWORDS = frozenset({"initial", "inherit", "unset", "revert", "revert-layer"})
INDENT = "  "


@dataclass(frozen=True)
class Source:
    """One of the stylesheets an edition joins: its text, the file its errors name, the comment before its rules."""

    text: str
    path: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class _Definition:
    """One declaration of a custom property that holds for the whole document, and where it stands in the cascade."""

    value: list[Any]
    #: (important, specificity of its rule, order): the greatest wins.
    rank: tuple[bool, int, int]
    path: str | None
    line: int


def resolve(sources: Sequence[Source]) -> str:
    """One stylesheet of ``sources``, in order, with every ``var()`` replaced by its value and no custom property."""
    import tinycss2

    parsed = [(source, tinycss2.parse_stylesheet(source.text)) for source in sources]
    definitions: dict[str, _Definition] = {}
    order = itertools.count(1)
    for source, nodes in parsed:
        for name, definition in _definitions(nodes, source, order):
            known = definitions.get(name)
            if known is None or definition.rank > known.rank:
                definitions[name] = definition
    values = _Values(definitions)
    parts = []
    for source, nodes in parsed:
        text = "".join(_node(node, values, source.path, 0) for node in nodes)
        if text:
            parts.append((f"/* {source.label} */\n" if source.label else "") + text)
    return "\n".join(parts)


def format_rule(prelude: str, body: Sequence[str], depth: int) -> str:
    """A rule or at-rule as :func:`resolve` writes it: the prelude and ``{``, the body's lines, ``}``.

    ``body`` holds declarations (``name: value;``), each put on a line of its own one level in, and nested
    rules, written already at ``depth + 1``.
    """
    pad = INDENT * depth
    lines = "".join(item if item.endswith("\n") else f"{pad}{INDENT}{item}\n" for item in body)
    return f"{pad}{prelude} {{\n{lines}{pad}}}\n"


def format_declaration(name: str, value: str, important: bool) -> str:
    """``name: value;``, with ``!important`` when it is."""
    return f"{name}: {value}{' !important' if important else ''};"


def prelude_text(tokens: Sequence[Any]) -> str:
    """A selector or an at-rule's prelude as text, each run of whitespace one space, none at either end."""
    import tinycss2

    space = tinycss2.ast.WhitespaceToken
    items = [space(t.source_line, t.source_column, " ") if t.type == "whitespace" else t for t in tokens]
    text: str = tinycss2.serialize([t for t in _strip(items) if t.type != "comment"])
    return text


def _definitions(nodes: Sequence[Any], source: Source, order: Iterator[int]) -> Iterator[tuple[str, _Definition]]:
    """The custom properties of the root element that ``nodes`` declare, numbered by ``order`` as they come; any
    other custom property is an error."""
    import tinycss2

    for node in nodes:
        if node.type == "qualified-rule":
            selector = prelude_text(node.prelude)
            rank = ROOT_SELECTORS.get(selector.lower())
            for item in tinycss2.parse_blocks_contents(node.content):
                if item.type == "declaration" and item.name.startswith("--"):
                    if rank is None:
                        raise _outside_root(item, f"`{selector}`", source.path)
                    rank_of = (item.important, rank, next(order))
                    yield item.name, _Definition(_strip(item.value), rank_of, source.path, item.source_line)
                elif item.type in ("qualified-rule", "at-rule"):
                    for decl, where in _custom_inside(item):
                        raise _outside_root(decl, where, source.path)
        elif node.type == "at-rule" and node.lower_at_keyword == "property" and node.content is not None:
            name = prelude_text(node.prelude)
            for item in tinycss2.parse_blocks_contents(node.content):
                if item.type == "declaration" and item.lower_name == "initial-value" and name.startswith("--"):
                    rank_of = (False, -1, next(order))
                    yield name, _Definition(_strip(item.value), rank_of, source.path, item.source_line)
        elif node.type == "at-rule":
            for decl, where in _custom_inside(node):
                raise _outside_root(decl, where, source.path)


def _custom_inside(node: Any) -> Iterator[tuple[Any, str]]:
    """The custom property declarations in a rule or at-rule, nested ones too, each with the rule it is in."""
    import tinycss2

    if node.content is None:
        return
    if node.type == "qualified-rule":
        where = f"`{prelude_text(node.prelude)}`"
    else:
        where = f"`@{node.at_keyword} {prelude_text(node.prelude)}`".replace(" `", "`")
    if node.type == "at-rule" and node.lower_at_keyword in RULE_LIST_AT_RULES | KEYFRAMES_AT_RULES:
        children = tinycss2.parse_rule_list(node.content)
    else:
        children = tinycss2.parse_blocks_contents(node.content)
    for child in children:
        if child.type == "declaration" and child.name.startswith("--"):
            yield child, where
        elif child.type in ("qualified-rule", "at-rule"):
            yield from _custom_inside(child)


def _outside_root(decl: Any, where: str, path: str | None) -> ThemeError:
    return ThemeError(
        f"`{decl.name}` is declared in {where}, and the EPUB's stylesheet writes each variable's value in place "
        "of its var() for readers that know no variables: only a custom property of a `:root` (or `html`) rule "
        f"outside any at-rule has one value for the whole book. Move `{decl.name}: …;` into `:root`, "
        f"or write the value itself where `var({decl.name})` is",
        path=path,
        line=decl.source_line,
    )


class _Values:
    """The values of the document's custom properties, each resolved once, on first use."""

    def __init__(self, definitions: dict[str, _Definition]) -> None:
        self.definitions = definitions
        self.done: dict[str, list[Any] | None] = {}

    def value(self, name: str, stack: tuple[str, ...]) -> list[Any] | None:
        """The tokens of ``name`` with their own var() resolved, or None when the property has no value."""
        if name in self.done:
            return self.done[name]
        definition = self.definitions.get(name)
        if definition is None:
            return None
        if name in stack:
            cycle = [*stack[stack.index(name) :], name]
            first = self.definitions[cycle[0]]
            raise ThemeError(
                f"custom properties refer to each other in a cycle ({' -> '.join(cycle)}), so none of them has "
                "a value: write a value in one of them instead of its var()",
                path=first.path,
                line=first.line,
            )
        tokens = definition.value
        resolved: list[Any] | None
        if len(tokens) == 1 and tokens[0].type == "ident" and tokens[0].lower_value in WIDE_KEYWORDS:
            resolved = None
        else:
            resolved = self.substitute(tokens, definition.path, (*stack, name))
        self.done[name] = resolved
        return resolved

    def substitute(self, tokens: Sequence[Any], path: str | None, stack: tuple[str, ...] = ()) -> list[Any]:
        """``tokens`` with each var() replaced, in functions and blocks too."""
        import tinycss2

        out: list[Any] = []
        for token in tokens:
            if token.type == "function" and token.lower_name == "var":
                out.extend(self._var(token, path, stack))
            elif token.type == "function":
                arguments = self.substitute(token.arguments, path, stack)
                out.append(tinycss2.ast.FunctionBlock(token.source_line, token.source_column, token.name, arguments))
            elif token.type in ("() block", "[] block", "{} block"):
                content = self.substitute(token.content, path, stack)
                out.append(type(token)(token.source_line, token.source_column, content))
            else:
                out.append(token)
        return out

    def _var(self, token: Any, path: str | None, stack: tuple[str, ...]) -> list[Any]:
        """The tokens a var() stands for: its property's value, else its fallback."""
        arguments = _strip(token.arguments)
        name = arguments[0].value if arguments and arguments[0].type == "ident" else ""
        rest = _strip(arguments[1:])
        if not name.startswith("--") or (rest and not (rest[0].type == "literal" and rest[0].value == ",")):
            raise ThemeError(
                "var() takes the name of a custom property, then a fallback after a comma if any: "
                "`var(--accent)` or `var(--accent, #a4161a)`",
                path=path,
                line=token.source_line,
            )
        value = self.value(name, stack)
        if value is not None:
            return value
        if rest:
            return self.substitute(_strip(rest[1:]), path, stack)
        hint = suggest(name, self.definitions)
        raise ThemeError(
            f"`var({name})` names a custom property that no `:root` rule gives a value, and the EPUB's stylesheet "
            f"writes each variable's value in its place: declare `{name}: VALUE;` in `:root`, or give var() a "
            f"fallback, `var({name}, VALUE)`" + (f"; {hint}" if hint else ""),
            path=path,
            line=token.source_line,
        )


def _node(node: Any, values: _Values, path: str | None, depth: int) -> str:
    """A rule or an at-rule, resolved and written out; empty when nothing is left of it (or it is a parse error)."""
    import tinycss2

    if node.type == "qualified-rule":
        _no_var(node.prelude, path, "a selector")
        body = _block(node.content, values, path, depth)
        return format_rule(prelude_text(node.prelude), body, depth) if body else ""
    if node.type != "at-rule":
        return ""  # what a browser drops as invalid
    _no_var(node.prelude, path, f"the prelude of @{node.at_keyword}")
    prelude = prelude_text(node.prelude)
    head = f"@{node.at_keyword}" + (f" {prelude}" if prelude else "")
    keyword = node.lower_at_keyword
    if node.content is None:
        return f"{INDENT * depth}{head};\n"
    if keyword == "property":
        return ""  # its initial value is written wherever the property was used
    if keyword in RULE_LIST_AT_RULES | KEYFRAMES_AT_RULES:
        children = tinycss2.parse_rule_list(node.content)
        body = [text for child in children if (text := _node(child, values, path, depth + 1))]
    else:
        body = _block(node.content, values, path, depth)
    # An empty @keyframes still names an animation; an empty @media or @font-face does nothing.
    return format_rule(head, body, depth) if body or keyword in KEYFRAMES_AT_RULES else ""


def _block(content: Sequence[Any], values: _Values, path: str | None, depth: int) -> list[str]:
    """The body of a declaration block: its declarations resolved, but the custom properties; its nested rules."""
    import tinycss2

    body: list[str] = []
    for item in tinycss2.parse_blocks_contents(content):
        if item.type == "declaration":
            if item.name.startswith("--"):
                continue
            value = tinycss2.serialize(_strip(values.substitute(item.value, path))).strip()
            if not value:
                raise ThemeError(
                    f"`{item.name}` is left with no value once its var() is written out: give the custom property "
                    "a value, or var() a fallback",
                    path=path,
                    line=item.source_line,
                )
            body.append(format_declaration(item.name, value, item.important))
        elif item.type in ("qualified-rule", "at-rule"):
            nested = _node(item, values, path, depth + 1)
            if nested:
                body.append(nested)
    return body


def _no_var(tokens: Sequence[Any], path: str | None, where: str) -> None:
    """Refuse a var() outside a declaration's value, where CSS does not read it."""
    for token in tokens:
        if token.type == "function" and token.lower_name == "var":
            raise ThemeError(
                f"var() in {where}: browsers read var() only in a declaration's value: write the value itself",
                path=path,
                line=token.source_line,
            )
        if token.type == "function":
            _no_var(token.arguments, path, where)
        elif token.type in ("() block", "[] block", "{} block"):
            _no_var(token.content, path, where)


def _strip(tokens: Sequence[Any]) -> list[Any]:
    """``tokens`` without the whitespace and comments at either end."""
    items = list(tokens)
    while items and items[0].type in ("whitespace", "comment"):
        items.pop(0)
    while items and items[-1].type in ("whitespace", "comment"):
        items.pop()
    return items
