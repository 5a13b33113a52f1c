"""Merges and reorders a stylesheet's rules, only where every element's style provably stays the same.

A theme's CSS files are joined base first, so a theme that changes a rule of the theme it builds on
repeats its selector, and its ``.headline`` comes after the base's ``.level-1 .headline``. Browsers do not mind;
calibre's check of a book (stylelint's ``no-duplicate-selectors`` and ``no-descending-specificity``) reports
each as an error. :func:`tidy` merges the rules of one selector list into one, and moves a rule before the
more specific rules that end as it does, whenever the cascade provably comes out the same; otherwise it
leaves the rules where they are.

Why it is safe. For one element and one property, the cascade takes the declaration of the highest
importance, then specificity, then the last in the stylesheet. Moving a declaration of selector ``S``
across a rule ``Q`` changes the result only for an element both match, a property both set (or a shorthand
of the other's, or its logical or physical twin: ``margin`` and ``margin-block-end``, ``width`` and
``inline-size``), and a selector of ``Q`` as specific as ``S`` (importance is not looked at: a move is
refused in doubt). So a rule may move across the rules of its list that share no such triple with it:
:func:`_clash` asks, for each pair of selectors, whether their specificity is the same, they select the same
kind of box (element or pseudo-element) and their subjects' element names allow one element, and, for each
pair of properties, whether they set a common longhand (:func:`_atoms`). Rules inside ``@media`` and the like
count as rules in between; an at-rule this module does not know, a rule with nested rules, and a selector
cssselect2 cannot read stop any move across them (a selector it cannot read counts as of every specificity).

Merging the rules ``A`` (earlier) and ``B`` (later) of one selector list either moves ``A``'s declarations to
``B`` (``A``'s first), or ``B``'s to ``A`` (``B``'s last), whichever is safe by the rule above; ``A``'s
declarations that ``B`` sets again need not be safe to move, since ``B``'s win over them for every element
either way (in a reader that knows ``B``'s value; one that does not falls back on ``A``'s, as before, though
from ``B``'s place). In the merged block, a declaration that a later one of the same property repeats word for word is
dropped, and one the later one overrides moves next to it, where no declaration between sets the same
longhand: so the block keeps its fallbacks (``display: block; display: contents``) for readers that do not
know a value, and no property is declared twice apart, which calibre's check reports too.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from exporter.editions.cssvalues import (
    INDENT,
    KEYFRAMES_AT_RULES,
    RULE_LIST_AT_RULES,
    format_declaration,
    format_rule,
    prelude_text,
)

#: At-rules whose blocks set no property of an element: no rule needs to stay on one side of them.
NEUTRAL_AT_RULES = frozenset({"font-face", "page", "counter-style", "property", "font-feature-values"}) | (
    KEYFRAMES_AT_RULES
)
#: Vendor prefixes, taken off a property's name before comparing it with another.
PREFIXES = ("-webkit-", "-moz-", "-ms-", "-o-", "-epub-")
#: Properties that are other names of a standard one.
ALIASES = {
    "word-wrap": "overflow-wrap",
    "grid-gap": "gap",
    "grid-row-gap": "row-gap",
    "grid-column-gap": "column-gap",
    "text-combine": "text-combine-upright",
    "page-break-before": "break-before",
    "page-break-after": "break-after",
    "page-break-inside": "break-inside",
}
PHYSICAL = ("top", "right", "bottom", "left")
LOGICAL = ("block-start", "block-end", "inline-start", "inline-end")
#: Properties set side by side (``margin-top``, ``margin-block-start``), and the names of their longhands.
SIDED = ("margin", "padding", "inset", "scroll-margin", "scroll-padding")
BORDER_PARTS = ("width", "style", "color")
CORNERS = ("top-left", "top-right", "bottom-right", "bottom-left")
LOGICAL_CORNERS = ("start-start", "start-end", "end-start", "end-end")
#: Shorthands whose longhands do not all start with their name, with those longhands.
SHORTHANDS: dict[str, tuple[str, ...]] = {
    "font": ("font", "line-height"),
    "white-space": ("white-space", "text-wrap-mode"),
    "vertical-align": ("vertical-align", "alignment-baseline", "baseline-shift", "baseline-source"),
    "place-content": ("align-content", "justify-content"),
    "place-items": ("align-items", "justify-items"),
    "place-self": ("align-self", "justify-self"),
    "gap": ("row-gap", "column-gap"),
    "columns": ("column-width", "column-count"),
    "flex-flow": ("flex-direction", "flex-wrap"),
    "grid-area": ("grid-row", "grid-column"),
    "line-clamp": ("line-clamp", "max-lines", "block-ellipsis", "continue"),
}
_PHYSICAL_SIDES = frozenset({*PHYSICAL, *CORNERS, "width", "height", "x", "y"})


@dataclass(frozen=True)
class _Selector:
    """One selector of a rule's list, as far as the cascade goes: specificity, box and subject."""

    text: str
    #: None when cssselect2 cannot read the selector: then it may tie with any.
    specificity: tuple[int, int, int] | None
    pseudo_element: str | None
    #: The element name of its subject (``img`` of ``.figure img``), None for any.
    element: str | None
    #: Its last compound selector without pseudo-classes, as stylelint's no-descending-specificity compares them.
    ending: str


@dataclass
class _Declaration:
    name: str
    value: str
    important: bool

    @property
    def text(self) -> str:
        return format_declaration(self.name, self.value, self.important)


@dataclass
class _Rule:
    """A style rule: its selectors and declarations."""

    prelude: str
    selectors: tuple[_Selector, ...]
    declarations: list[_Declaration]

    @property
    def key(self) -> tuple[str, ...]:
        """What makes two rules' selector lists the same (stylelint's no-duplicate-selectors: order aside)."""
        return tuple(sorted({s.text for s in self.selectors}))


@dataclass
class _Group:
    """An at-rule that holds rules (``@media``, ``@supports``…): its rules are tidied among themselves."""

    head: str
    items: list[_Item] = field(default_factory=list)


@dataclass
class _Other:
    """Anything else, written as it was: a comment, ``@font-face``, a rule with nested rules, an unknown at-rule."""

    text: str
    #: Whether no rule may move across it (what it does to the cascade is not known).
    barrier: bool


_Item = _Rule | _Group | _Other


def tidy(css: str) -> str:
    """``css`` with the rules of each selector list merged and rules moved before more specific ones ending alike,
    where the cascade provably gives every element the same style (see the module's notes)."""
    import tinycss2

    items = [_item(node, 0) for node in tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=True)]
    _tidy(items)
    return _write(items, 0)


def _tidy(items: list[_Item]) -> None:
    for item in items:
        if isinstance(item, _Group):
            _tidy(item.items)
    while _merge_one(items):
        pass
    _order(items)


def _item(node: Any, depth: int) -> _Item:
    """A parsed node as an item to rearrange."""
    import tinycss2

    pad = INDENT * depth
    if node.type == "comment":
        return _Other(f"{pad}/*{node.value}*/\n", barrier=False)
    if node.type == "qualified-rule":
        contents = tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True)
        if any(c.type != "declaration" for c in contents):
            return _Other(pad + tinycss2.serialize([node]) + "\n", barrier=True)
        declarations = [_Declaration(c.name, tinycss2.serialize(c.value).strip(), c.important) for c in contents]
        prelude = prelude_text(node.prelude)
        return _Rule(prelude, _selectors(node.prelude), declarations)
    if node.type == "at-rule" and node.content is not None and node.lower_at_keyword in RULE_LIST_AT_RULES:
        prelude = prelude_text(node.prelude)
        head = f"@{node.at_keyword}" + (f" {prelude}" if prelude else "")
        children = tinycss2.parse_rule_list(node.content, skip_comments=False, skip_whitespace=True)
        return _Group(head, [_item(child, depth + 1) for child in children])
    neutral = node.type == "at-rule" and node.content is not None and node.lower_at_keyword in NEUTRAL_AT_RULES
    return _Other(pad + tinycss2.serialize([node]) + "\n", barrier=not neutral)


def _selectors(prelude: Sequence[Any]) -> tuple[_Selector, ...]:
    """The selectors of a rule's list."""
    import cssselect2

    out = []
    for tokens in _split(prelude, ","):
        text = prelude_text(tokens)
        try:
            (compiled,) = cssselect2.compile_selector_list(tokens)
            specificity, pseudo = compiled.specificity, compiled.pseudo_element
        except Exception:  # a selector cssselect2 cannot read (a vendor's pseudo-element): it may tie with any
            specificity, pseudo = None, None
        compound = _last_compound(tokens)
        first = compound[0] if compound else None
        element = None
        if first is not None and first.type == "ident" and not any(t == "|" for t in _literals(compound)):
            element = first.lower_value
        out.append(_Selector(text, specificity, pseudo, element, _ending(compound)))
    return tuple(out)


def _split(tokens: Sequence[Any], literal: str) -> list[list[Any]]:
    parts: list[list[Any]] = [[]]
    for token in tokens:
        if token.type == "literal" and token.value == literal:
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def _literals(tokens: Sequence[Any]) -> Iterator[str]:
    return (t.value for t in tokens if t.type == "literal")


def _last_compound(tokens: Sequence[Any]) -> list[Any]:
    """The tokens of a selector's last compound selector: after its last combinator."""
    items = [t for t in tokens if t.type != "comment"]
    while items and items[-1].type == "whitespace":
        items.pop()
    start = 0
    for i, token in enumerate(items):
        if token.type == "whitespace" or (token.type == "literal" and token.value in (">", "+", "~")):
            start = i + 1
    return items[start:]


def _ending(compound: Sequence[Any]) -> str:
    """A compound selector without its pseudo-classes (``a:hover`` is ``a``), its pseudo-elements kept."""
    import tinycss2

    kept: list[Any] = []
    i = 0
    while i < len(compound):
        token = compound[i]
        if token.type == "literal" and token.value == ":":
            if i + 1 < len(compound) and compound[i + 1].type == "literal" and compound[i + 1].value == ":":
                kept += compound[i : i + 3]
                i += 3
                continue
            i += 2  # a pseudo-class, its name or function
            continue
        kept.append(token)
        i += 1
    text: str = tinycss2.serialize(kept)
    return text


# -- what may move across what ------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _atoms(name: str) -> frozenset[tuple[str, str | None]]:
    """The longhands a property sets, each as (property without its side, side), the side None for most.

    Sides are physical (``top``, ``width``, ``x``, ``top-left``) or logical (``block-start``, ``inline``,
    ``start-end``): a physical and a logical side may be one side of an element, whatever its writing mode.
    """
    name = name.lower()
    if name == "all":
        return frozenset({("*", None)})
    for prefix in PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    name = ALIASES.get(name, name)
    if name in PHYSICAL:
        return frozenset({("inset", name)})
    for family in SIDED:
        if name == family:
            return frozenset((family, side) for side in PHYSICAL)
        if name.startswith(family + "-"):
            return frozenset((family, side) for side in _sides(name[len(family) + 1 :]))
    if name == "border" or name.startswith("border-"):
        border = _border(name[len("border-") :] if name != "border" else "")
        if border is not None:
            return border
    for kind in ("", "min-", "max-", "contain-intrinsic-"):
        sizes = {"width": "width", "height": "height", "inline-size": "inline", "block-size": "block"}
        if name.startswith(kind) and name[len(kind) :] in sizes:
            return frozenset({(f"{kind}size", sizes[name[len(kind) :]])})
    if name == "contain-intrinsic-size":
        return frozenset(("contain-intrinsic-size", side) for side in ("width", "height"))
    if name in ("overflow-x", "overflow-y", "overflow-inline", "overflow-block"):
        return frozenset({("overflow", name.split("-")[1])})
    if name == "overflow":
        return frozenset({("overflow", "x"), ("overflow", "y")})
    return frozenset((longhand, None) for longhand in SHORTHANDS.get(name, (name,)))


def _sides(rest: str) -> tuple[str, ...]:
    """The sides a sided property's name ends in: ``top``, ``block`` (both block sides), ``inline-start``…"""
    if rest in PHYSICAL or rest in LOGICAL:
        return (rest,)
    if rest in ("block", "inline"):
        return (f"{rest}-start", f"{rest}-end")
    return (rest,)  # no side known: its own name, which ties only with itself


def _border(rest: str) -> frozenset[tuple[str, str | None]] | None:
    """The longhands of ``border-<rest>``, or None for a border property with no side (``border-collapse``)."""
    if rest == "":
        atoms = {(f"border-{part}", side) for part in BORDER_PARTS for side in PHYSICAL}
        return frozenset(atoms | {("border-image", None)})
    if rest == "radius":
        return frozenset(("border-radius", corner) for corner in CORNERS)
    for corner in (*CORNERS, *LOGICAL_CORNERS):
        if rest == f"{corner}-radius":
            return frozenset({("border-radius", corner)})
    if rest in BORDER_PARTS:
        return frozenset((f"border-{rest}", side) for side in PHYSICAL)
    for part in BORDER_PARTS:
        if rest.endswith(f"-{part}"):
            return frozenset((f"border-{part}", side) for side in _border_sides(rest[: -len(part) - 1]))
    sides = _border_sides(rest)
    if sides:
        return frozenset((f"border-{part}", side) for part in BORDER_PARTS for side in sides)
    return None


def _border_sides(rest: str) -> tuple[str, ...]:
    if rest in PHYSICAL or rest in LOGICAL:
        return (rest,)
    if rest in ("block", "inline"):
        return (f"{rest}-start", f"{rest}-end")
    return ()


def _interact(a: str, b: str) -> bool:
    """Whether two properties may set one longhand of one element: their order in the cascade matters."""
    return any(_atom_meets(x, y) for x in _atoms(a) for y in _atoms(b))


def _atom_meets(x: tuple[str, str | None], y: tuple[str, str | None]) -> bool:
    (name_x, side_x), (name_y, side_y) = x, y
    if "*" in (name_x, name_y):
        return True
    if not (name_x == name_y or name_x.startswith(name_y + "-") or name_y.startswith(name_x + "-")):
        return False
    if side_x is None or side_y is None or side_x == side_y:
        return True
    return (side_x in _PHYSICAL_SIDES) != (side_y in _PHYSICAL_SIDES)


def _may_tie(a: _Selector, b: _Selector) -> bool:
    """Whether one element (or pseudo-element) may be selected by both, at one specificity."""
    if a.specificity is not None and b.specificity is not None and a.specificity != b.specificity:
        return False
    if a.specificity is not None and b.specificity is not None and a.pseudo_element != b.pseudo_element:
        return False
    return a.element is None or b.element is None or a.element == b.element


def _touches(item: _Item) -> Iterator[tuple[tuple[_Selector, ...], list[str]]]:
    """The selectors and properties of each rule in an item, nested ones too."""
    if isinstance(item, _Rule):
        yield item.selectors, [d.name for d in item.declarations]
    elif isinstance(item, _Group):
        for child in item.items:
            yield from _touches(child)


def _clash(selectors: Sequence[_Selector], properties: Sequence[str], between: Sequence[_Item]) -> bool:
    """Whether declarations of ``properties`` under ``selectors`` may not move across the items ``between``."""
    for item in between:
        if isinstance(item, _Other):
            if item.barrier:
                return True
            continue
        if isinstance(item, _Group) and any(isinstance(i, _Other) and i.barrier for i in _flat(item)):
            return True
        for others, props in _touches(item):
            if any(_may_tie(a, b) for a in selectors for b in others) and any(
                _interact(p, q) for p in properties for q in props
            ):
                return True
    return False


def _flat(group: _Group) -> Iterator[_Item]:
    for item in group.items:
        yield item
        if isinstance(item, _Group):
            yield from _flat(item)


# -- merging and ordering -------------------------------------------------------------------------------


def _merge_one(items: list[_Item]) -> bool:
    """Merge the first pair of rules of one selector list that can be merged; whether there was one."""
    for j, later in enumerate(items):
        if not isinstance(later, _Rule):
            continue
        for i in range(j):
            earlier = items[i]
            if not isinstance(earlier, _Rule) or earlier.key != later.key:
                continue
            between = items[i + 1 : j]
            again = [d for d in earlier.declarations if not _repeated(d, later.declarations)]
            if not _clash(earlier.selectors, [d.name for d in again], between):
                later.declarations = _compact(earlier.declarations + later.declarations)
                del items[i]
                return True
            if not _clash(later.selectors, [d.name for d in later.declarations], between):
                earlier.declarations = _compact(earlier.declarations + later.declarations)
                del items[j]
                return True
    return False


def _repeated(declaration: _Declaration, later: Sequence[_Declaration]) -> bool:
    """Whether a later declaration of the same property wins over ``declaration`` wherever both apply."""
    name = declaration.name.lower()
    return any(d.name.lower() == name and d.important >= declaration.important for d in later)


def _compact(declarations: list[_Declaration]) -> list[_Declaration]:
    """A merged block with each declaration that a later one of its property repeats dropped or moved next to it.

    A repetition word for word is dropped; an override is moved to just before the declaration that
    overrides it, where no declaration between them sets one of its longhands, and so stays a fallback.
    """
    out = list(declarations)
    i = 0
    while i < len(out):
        d = out[i]
        name = d.name.lower()
        j = next((k for k in range(i + 1, len(out)) if out[k].name.lower() == name), None)
        if j is None or out[j].important < d.important:
            i += 1
            continue
        if out[j].value == d.value and out[j].important == d.important:
            del out[i]
            continue
        if j > i + 1 and not any(_interact(d.name, out[k].name) for k in range(i + 1, j)):
            out.insert(j - 1, out.pop(i))
            continue
        i += 1
    return out


def _order(items: list[_Item]) -> None:
    """Move each rule that comes after a more specific one ending alike to before it, where that is safe."""
    refused: set[tuple[int, int]] = set()
    for _ in range(len(items) ** 2 + 1):
        found = _descending(items, refused)
        if found is None:
            return
        i, j = found
        rule = items[j]
        assert isinstance(rule, _Rule)
        if _clash(rule.selectors, [d.name for d in rule.declarations], items[i:j]):
            refused.add((id(items[i]), id(rule)))
            continue
        items.insert(i, items.pop(j))


def _descending(items: Sequence[_Item], refused: set[tuple[int, int]]) -> tuple[int, int] | None:
    """The first rule (its index) with a selector less specific than an earlier one ending alike, and the earlier
    one's, but for the pairs ``refused``."""
    seen: dict[str, list[tuple[int, tuple[int, int, int]]]] = {}
    for j, item in enumerate(items):
        if not isinstance(item, _Rule):
            continue
        for selector in item.selectors:
            if selector.specificity is None or not selector.ending:
                continue
            for i, specificity in seen.get(selector.ending, []):
                if specificity > selector.specificity and (id(items[i]), id(item)) not in refused:
                    return i, j
        for selector in item.selectors:
            if selector.specificity is not None and selector.ending:
                seen.setdefault(selector.ending, []).append((j, selector.specificity))
    return None


# -- writing ------------------------------------------------------------------------------------------------


def _write(items: Sequence[_Item], depth: int) -> str:
    out = []
    for item in items:
        if isinstance(item, _Rule):
            out.append(format_rule(item.prelude, [d.text for d in item.declarations], depth))
        elif isinstance(item, _Group):
            out.append(format_rule(item.head, [_write(item.items, depth + 1)], depth) if item.items else "")
        else:
            # A comment that starts a stylesheet's part comes after a blank line, as cssvalues writes it.
            blank = "\n" if depth == 0 and item.text.startswith("/*") and out else ""
            out.append(blank + item.text)
    return "".join(out)
