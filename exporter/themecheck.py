"""Checks a theme for the mistakes an edition would pass over in silence, each told in one line with its file and line.

:func:`check` reads every theme of the chain, the theme's own ``theme.toml``, templates and CSS and those
of the themes it inherits, and finds:

- options, labels and font roles that nothing reads (a misspelt ``acent``, ``[labels.zh] tco``), font
  families installed nowhere, label tables named by no language tag, each with "did you mean";
- option values of the wrong kind: an option whose inherited default is a CSS colour or length must be one
  (``accent = "navy blue"`` is not), a true/false option must stay true or false;
- CSS that browsers drop: syntax errors (a block or string never closed, a declaration with no colon or two,
  a closing bracket that closes nothing), unknown at-rules, ``var(--name)`` with no fallback where nothing
  declares ``--name``, a file in ``css/`` that no edition reads;
- templates that replace nothing and that nothing includes, template syntax errors, and a literal
  ``src="assets/…"`` that only the web edition would find.

The rule for severity: an **error** is a value an edition would read wrongly, and stops every build: a
colour or length option the CSS reads (``var(--accent)``) that is no colour or length, a true/false option
set to anything else, a role none of whose families is installed, a template that does not parse, a URL
the CSS may not fetch (and, when the theme loads, a page size that is none). A **warning** is something
the editions ignore: the build goes on and prints it once. ``exporter themes check`` prints both.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from exporter.errors import ThemeError, suggest
from exporter.theming import FONT_SETTINGS, Theme, installed

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a theme: where (a file of the theme and a line), what, and the fix."""

    severity: Severity
    path: str
    line: int | None
    message: str
    code: str

    def format(self) -> str:
        """Compiler style, as errors are told: ``path:line: warning: message``."""
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.severity}: {self.message}"


#: Options the editions' code reads (the EPUB's cover, the typography), with the defaults it assumes.
CODE_OPTIONS: Mapping[str, Any] = {
    "accent": "#a4161a",
    "paper": "#fdfcf8",
    "ink": "#1b1a17",
    "muted": "#57534b",
    "rule": "#cbc5b8",
    "lunar_date": True,
    "corner_quotes": False,
    "punctuation": "auto",
}
#: Labels the editions' code prints itself (the EPUB's cover, nav, accessibility summary; the PDF's running heads).
CODE_LABELS = frozenset(
    {
        "a11y_summary",
        "cover_alt",
        "editor",
        "fonts_licence",
        "issue_number",
        "jump_from",
        "jump_page",
        "jump_place",
        "jump_to",
        "lunar",
        "page",
        "toc",
    }
)
#: Font roles the editions' code uses itself: the body, the fallback of every role, and sans for page furniture.
CODE_ROLES = frozenset({"body", "sans"})
#: Templates the base theme no longer has, with what to do instead.
RENAMED = {
    "toc.html": "the contents are contents.html now, in every edition (the 目录 and the print 导读): rename the "
    'file contents.html and start it with {% extends "contents.html" %} to change only its blocks',
}
#: The CSS files an edition reads from a theme's ``css/`` folder.
CSS_FILES = ("common.css", "screen.css", "epub.css", "print.css", "e-edition.css")
#: The media of :meth:`Theme.css`, by the edition that reads each.
MEDIA = {"screen": "web", "epub": "EPUB", "print": "PDF"}
TEMPLATE_SUFFIXES = (".html", ".xhtml", ".htm", ".xml", ".j2", ".jinja", ".jinja2")
LENGTH_UNITS = frozenset(
    "em rem ex rex ch rch ic ric cap rcap lh rlh px cm mm q in pt pc vw vh vi vb vmin vmax".split()
)
AT_RULES = frozenset(
    {
        "charset", "import", "namespace", "media", "supports", "font-face", "page", "keyframes",
        "-webkit-keyframes", "-moz-keyframes", "-o-keyframes", "layer", "container", "property", "counter-style",
        "font-feature-values", "font-palette-values", "color-profile", "scope", "starting-style", "document",
        "-moz-document", "viewport", "-ms-viewport", "position-try", "view-transition",
    }
)  # fmt: skip
PAGE_MARGIN_RULES = frozenset(
    f"{side}-{where}"
    for side, places in (
        ("top", ("left-corner", "left", "center", "right", "right-corner")),
        ("bottom", ("left-corner", "left", "center", "right", "right-corner")),
        ("left", ("top", "middle", "bottom")),
        ("right", ("top", "middle", "bottom")),
    )
    for where in places
) | {"footnote"}
#: Rules whose block holds rules, not declarations.
RULE_LISTS = frozenset({"media", "supports", "layer", "container", "document", "-moz-document", "scope"})
_LANGUAGE_TAG = re.compile(
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{5,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?"
    r"(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?",
    re.IGNORECASE,
)
_ASSET_LITERAL = re.compile(r"""\b(src|href|srcset|poster)\s*=\s*(["'])\s*(?:\./)?assets/([^"'\s>]*)""", re.IGNORECASE)
_END = "x-exporter-end-of-file"


class _Warn(Protocol):
    """Adds a CSS file's warning; ``follows`` one that a token's error on the same line has told already."""

    def __call__(self, line: int | None, message: str, *, follows: bool = False) -> None: ...


def check(theme: Theme) -> list[Problem]:
    """Every problem of ``theme`` and of the themes it inherits: those of the theme first, each file's by line.

    What the theme's files alone decide is read from the cache folder when another process has found
    it (:mod:`exporter.themecache`); what depends on this machine's fonts and editions is found again.
    """
    found = _from_files(theme)
    # The font roles: those the CSS reads with var(--font-…), and the code's.
    roles = {v.removeprefix("--font-") for v in found["variables"] if v.startswith("--font-")} | CODE_ROLES
    problems = list(found["reads"])
    for each, own in zip(theme.chain, found["chain"], strict=True):
        problems += own["options"] + own["labels"]
        problems += _fonts(each, theme, roles)
        problems += own["templates"]
    problems += found["custom"]
    problems += _vertical(theme, roles)
    order = {str(t.path): i for i, t in enumerate(theme.chain)}

    def rank(problem: Problem) -> tuple[int, bool, str, int]:
        owner = next((order[p] for p in order if problem.path.startswith(p + "/")), len(order))
        return owner, not problem.path.endswith("/theme.toml"), problem.path, problem.line or 0

    return sorted(dict.fromkeys(problems), key=rank)


def _from_files(theme: Theme) -> dict[str, Any]:
    """The problems the theme's files alone decide, in the order :func:`check` tells them, and the var() names read.

    Kept in the cache folder by :mod:`exporter.themecache`: ``reads`` (templates and CSS read), per
    theme of the chain its ``options``, ``labels`` and ``templates``, ``custom`` (custom properties)
    and ``variables``, each problem as a list of its fields.
    """
    from exporter import fonts, themecache

    folder = fonts.default_cache_dir()
    name = themecache.key(theme)
    kept = themecache.load(folder, name)
    if kept is not None:
        with contextlib.suppress(TypeError, ValueError, KeyError):
            return _problems_of(kept, len(theme.chain))
    reads = _Reads.of(theme)
    found: dict[str, Any] = {
        "reads": reads.problems,
        "chain": [
            {"options": _options(t, reads), "labels": _labels(t, reads), "templates": _templates(t, reads)}
            for t in theme.chain
        ],
        "custom": _variables(theme, reads),
        "variables": sorted(reads.variables),
    }
    themecache.store(folder, name, _fields_of(found))
    return found


def _fields_of(found: dict[str, Any]) -> dict[str, Any]:
    """``found`` with each problem as the list of its fields (JSON)."""

    def rows(problems: list[Problem]) -> list[list[Any]]:
        return [[p.severity, p.path, p.line, p.message, p.code] for p in problems]

    return {
        "reads": rows(found["reads"]),
        "chain": [{k: rows(v) for k, v in own.items()} for own in found["chain"]],
        "custom": rows(found["custom"]),
        "variables": list(found["variables"]),
    }


def _problems_of(kept: dict[str, Any], themes: int) -> dict[str, Any]:
    """The inverse of :func:`_fields_of`; raises ``ValueError`` (and kin) on a file not of this shape."""

    def problems(rows: list[list[Any]]) -> list[Problem]:
        made = []
        for severity, path, line, message, code in rows:
            if severity not in ("error", "warning") or not isinstance(line, int | None):
                raise ValueError(severity)
            made.append(Problem(severity, str(path), line, str(message), str(code)))
        return made

    if len(kept["chain"]) != themes:
        raise ValueError("chain")
    return {
        "reads": problems(kept["reads"]),
        "chain": [{k: problems(own[k]) for k in ("options", "labels", "templates")} for own in kept["chain"]],
        "custom": problems(kept["custom"]),
        "variables": [str(v) for v in kept["variables"]],
    }


#: The problems of the themes checked in this process, by what their files were when checked.
_CHECKED: dict[tuple[object, ...], tuple[Problem, ...]] = {}


def checked(theme: Theme) -> tuple[Problem, ...]:
    """:func:`check`, once per theme in a process while its files stay the same: a batch builds many issues."""
    stamp: list[object] = []
    for each in theme.chain:
        for file in sorted(each.path.rglob("*")):
            if "assets" not in file.relative_to(each.path).parts[:1] and file.is_file():
                stat = file.stat()
                stamp.append((str(file), stat.st_mtime_ns, stat.st_size))
    for file in theme.extra_css:
        css = file.stat() if file.is_file() else None
        stamp.append((str(file), css.st_mtime_ns, css.st_size) if css else (str(file),))
    key = tuple(stamp)
    if key not in _CHECKED:
        if len(_CHECKED) > 16:
            _CHECKED.clear()
        _CHECKED[key] = tuple(check(theme))
    return _CHECKED[key]


def refuse_errors(problems: Sequence[Problem], theme: Theme) -> None:
    """Raise the first error among ``problems`` as a :class:`ThemeError` (naming how many more there are)."""
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more: run `exporter themes check {theme.path}`)" if len(errors) > 1 else ""
        raise ThemeError(first.message + more, path=first.path, line=first.line)


# -- what the templates, the CSS and the code read ------------------------------------------------------------


@dataclass
class _Css:
    """One CSS file of a theme: the custom properties it declares and the var() it uses."""

    path: Path
    declares: set[str] = field(default_factory=set)
    #: (name, line, has a fallback)
    uses: list[tuple[str, int, bool]] = field(default_factory=list)


@dataclass
class _Reads:
    """What the chain's templates and CSS use, and the problems found while reading them."""

    options: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    #: Template names that some template includes, imports or extends.
    referenced: set[str] = field(default_factory=set)
    #: Template names by theme folder.
    templates: dict[Path, list[str]] = field(default_factory=dict)
    css: dict[Path, _Css] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def variables(self) -> set[str]:
        """The custom properties some CSS file of the chain reads with var()."""
        return {name for css in self.css.values() for name, _, _ in css.uses}

    @classmethod
    def of(cls, theme: Theme) -> _Reads:
        reads = cls()
        for each in theme.chain:
            folder = each.path / "templates"
            names = (
                sorted(
                    p.relative_to(folder).as_posix()
                    for p in folder.rglob("*")
                    if p.is_file() and p.suffix.lower() in TEMPLATE_SUFFIXES
                )
                if folder.is_dir()
                else []
            )
            reads.templates[each.path] = names
            for name in names:
                reads._template(folder / name, name)
            css = each.path / "css"
            for file in sorted(css.glob("*.css")) if css.is_dir() else []:
                reads.css[file] = reads._stylesheet(file)
                if file.name not in CSS_FILES:
                    reads.problems.append(
                        Problem(
                            "warning",
                            str(file),
                            1,
                            f"no edition reads css/{file.name}: put its rules in css/common.css (every edition), "
                            "screen.css (web), e-edition.css (e-edition, after screen.css), epub.css or print.css "
                            "(PDF)",
                            "theme-css-file",
                        )
                    )
        for medium in MEDIA:
            try:
                theme.css_files(medium)  # refuses a URL outside assets/ and @import
            except ThemeError as exc:
                reads.problems.append(Problem("error", exc.path or str(theme.path), exc.line, exc.message, "theme-css"))
        return reads

    def _template(self, path: Path, name: str) -> None:
        """The options, labels and templates a template reads; a syntax error and literal asset paths."""
        from jinja2 import Environment, TemplateSyntaxError, meta, nodes

        source = path.read_text(encoding="utf-8")
        try:
            tree = Environment().parse(source, name, str(path))
        except TemplateSyntaxError as exc:
            self.problems.append(
                Problem("error", str(path), exc.lineno, f"{exc.message}: fix the template", "theme-template")
            )
            return
        for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Call)):
            target = getattr(node, "node", None)
            if isinstance(node, nodes.Getattr) and isinstance(target, nodes.Name) and target.name == "options":
                self.options.add(node.attr)
            elif isinstance(node, nodes.Getitem) and _is_name(target, "options") and isinstance(node.arg, nodes.Const):
                self.options.add(str(node.arg.value))
            elif isinstance(node, nodes.Call) and node.args and isinstance(node.args[0], nodes.Const):
                if _is_name(target, "label"):
                    self.labels.add(str(node.args[0].value))
                elif isinstance(target, nodes.Getattr) and _is_name(target.node, "options") and target.attr == "get":
                    self.options.add(str(node.args[0].value))
        self.referenced.update(n for n in meta.find_referenced_templates(tree) if n)
        for match in _ASSET_LITERAL.finditer(source):
            attribute, asset = match.group(1), match.group(3)
            self.problems.append(
                Problem(
                    "warning",
                    str(path),
                    source.count("\n", 0, match.start()) + 1,
                    f'`{attribute}="assets/{asset}"` is found by the web edition only (the EPUB and the PDF '
                    f"do not stand beside assets/): write {attribute}=\"{{{{ asset('{asset}') }}}}\"",
                    "theme-template-asset",
                )
            )

    def _stylesheet(self, path: Path) -> _Css:
        """A CSS file's custom properties and var(), and its syntax errors as problems."""
        import tinycss2

        text = path.read_text(encoding="utf-8")
        found = _Css(path)
        tokens = tinycss2.parse_component_value_list(f"{text}\n{_END}", skip_comments=True)
        where = str(path)
        told: set[int | None] = set()  # lines with a token's error: the rule's error that follows is the same

        def warn(line: int | None, message: str, *, follows: bool = False) -> None:
            if not (follows and line in told):
                self.problems.append(Problem("warning", where, line, message, "theme-css"))

        for block in _unclosed(tokens):
            closer = {"{} block": "}", "() block": ")", "[] block": "]"}.get(block.type, ")")
            opened = f"{block.name}(" if block.type == "function" else closer.translate(str.maketrans("})]", "{(["))
            warn(block.source_line, f"the `{opened}` opened here is never closed: close it with `{closer}`")
        if not _contains_end(tokens):
            at = text.rfind("/*")
            warn(text.count("\n", 0, at) + 1 if at >= 0 else None, "a comment `/*` is never closed: end it with `*/`")
        for token in _walk(tokens):
            if token.type == "error":
                warn(token.source_line, _token_error(token))
                told.add(token.source_line)
            elif token.type == "function" and token.lower_name == "var":
                name, fallback = _var(token)
                if name:
                    found.uses.append((name, token.source_line, fallback))
                else:
                    warn(token.source_line, "var() takes a custom property's name: write `var(--accent)`")
        self._rules(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True), found, warn)
        return found

    def _rules(self, rules: Sequence[Any], found: _Css, warn: _Warn, page: bool = False) -> None:
        """The syntax of a list of rules, their declarations and the at-rules they hold; the custom properties."""
        import tinycss2

        for rule in rules:
            if rule.type == "error":
                warn(rule.source_line, _rule_error(rule), follows=True)
            elif rule.type == "qualified-rule":
                self._declarations(tinycss2.parse_blocks_contents(rule.content), found, warn, nested=True)
            elif rule.type == "at-rule":
                keyword = rule.lower_at_keyword
                known = PAGE_MARGIN_RULES if page else AT_RULES
                if keyword not in known:
                    close = suggest(keyword, known)
                    warn(
                        rule.source_line,
                        f"`@{rule.at_keyword}` is not an at-rule browsers know, so they drop it: "
                        + (close.replace("`", "`@", 1) if close else "remove it or write a known one"),
                    )
                elif keyword == "property":
                    found.declares.add(tinycss2.serialize(rule.prelude).strip())
                if rule.content is None:
                    continue
                if keyword in RULE_LISTS:
                    self._rules(tinycss2.parse_rule_list(rule.content), found, warn)
                elif keyword not in ("keyframes", "-webkit-keyframes", "-moz-keyframes", "-o-keyframes"):
                    self._declarations(
                        tinycss2.parse_blocks_contents(rule.content), found, warn, page=keyword == "page"
                    )

    def _declarations(
        self, items: Sequence[Any], found: _Css, warn: _Warn, *, nested: bool = False, page: bool = False
    ) -> None:
        for item in items:
            if item.type == "error":
                warn(item.source_line, _declaration_error(item), follows=True)
            elif item.type == "declaration":
                value = [t for t in item.value if t.type not in ("whitespace", "comment")]
                if item.name.startswith("--"):
                    found.declares.add(item.name)
                elif value and value[0].type == "literal" and value[0].value == ":":
                    warn(item.source_line, f"`{item.name}::` has two colons: write `{item.name}: value`")
                elif not value:
                    warn(item.source_line, f"`{item.name}` has no value: write `{item.name}: value`, or remove it")
            elif item.type in ("qualified-rule", "at-rule") and (nested or page):
                self._rules([item], found, warn, page=page)


def _is_name(node: Any, name: str) -> bool:
    from jinja2 import nodes

    return isinstance(node, nodes.Name) and node.name == name


def _walk(tokens: Sequence[Any]) -> Iterator[Any]:
    """Every token of a component list, those inside blocks and functions too."""
    for token in tokens:
        yield token
        if token.type == "function":
            yield from _walk(token.arguments)
        elif token.type in ("{} block", "() block", "[] block"):
            yield from _walk(token.content)


def _unclosed(tokens: Sequence[Any]) -> list[Any]:
    """The blocks and functions never closed: those that hold the token put after the end of the file."""
    for token in tokens:
        inner = token.arguments if token.type == "function" else getattr(token, "content", None)
        if isinstance(inner, list) and _contains_end(inner):
            return [token, *_unclosed(inner)]
    return []


def _contains_end(tokens: Sequence[Any]) -> bool:
    return any(t.type == "ident" and t.value == _END for t in _walk(tokens))


def _var(token: Any) -> tuple[str, bool]:
    """The custom property a var() names, and whether it has a fallback."""
    arguments = [t for t in token.arguments if t.type not in ("whitespace", "comment")]
    name = arguments[0].value if arguments and arguments[0].type == "ident" else ""
    fallback = len(arguments) > 1 and arguments[1].type == "literal" and arguments[1].value == ","
    return (name if name.startswith("--") else ""), fallback


def _token_error(token: Any) -> str:
    if token.kind in ("}", ")", "]"):
        return f"`{token.kind}` closes nothing: remove it, or open its block before"
    if token.kind in ("bad-string", "eof-in-string"):
        return "a string is never closed: end it with its quote on the same line"
    return f'a bad URL ({token.message}): write url("../assets/NAME")'


def _rule_error(rule: Any) -> str:
    if "before {} block" in rule.message:
        return "a selector with no `{ … }` block after it, so browsers drop it: write `selector { property: value; }`"
    return f"not a rule ({rule.message.rstrip('.')}), so browsers drop it: write `selector {{ property: value; }}`"


def _declaration_error(item: Any) -> str:
    return "not a declaration, so browsers drop it up to the next `;`: write `property: value;`"


# -- theme.toml ------------------------------------------------------------------------------------------------


def _toml(theme: Theme) -> str:
    return str(theme.path / "theme.toml")


def _own(theme: Theme, table: str) -> Iterator[tuple[tuple[str, ...], int | None]]:
    """The keys of a table that the theme's own theme.toml sets (``("accent",)`` of ``[options]``), with lines."""
    for path, line in theme.keys.items():
        if len(path) > 1 and path[0] == table:
            yield path[1:], line


def _options(theme: Theme, reads: _Reads) -> list[Problem]:
    inherited = dict(CODE_OPTIONS) | (dict(theme.parent.options) if theme.parent else {})
    css_reads = {name[2:] for name in reads.variables}
    known = set(inherited) | reads.options | {n.replace("-", "_") for n in css_reads}
    problems = []
    for (name, *rest), line in _own(theme, "options"):
        if rest:
            continue
        value = theme.options[name]  # the theme's own value: a theme's options win over those it inherits
        read = name in known or name.replace("_", "-") in css_reads
        if not read and theme.parent is not None:  # the base declares the options there are
            css_name = name.replace("_", "-")
            hint = suggest(name, sorted(known)) or (
                f"read it in a template as options.{name} or in the CSS as var(--{css_name}), or remove it"
            )
            problems.append(
                Problem(
                    "warning",
                    _toml(theme),
                    line,
                    f"option `{name}` is read by no template, CSS or edition, and no theme `{theme.name}` "
                    f"inherits has it: {hint}",
                    "theme-option",
                )
            )
        elif name in inherited and not re.search(r"url\(|image-set\(|@import", str(value), re.IGNORECASE):
            # (a URL in an option is refused by the editions' options_css, told once below)
            wrong = _wrong_kind(name, value, inherited[name], name.replace("_", "-") in css_reads)
            if wrong is None and name == "punctuation":
                wrong = _unknown_scheme(value)
            if wrong is not None:
                problems.append(Problem(wrong[0], _toml(theme), line, wrong[1], "theme-option-value"))
    return problems


def _unknown_scheme(value: Any) -> tuple[Severity, str] | None:
    """The error of a ``punctuation`` option that names no scheme, or None."""
    from exporter.text.compose import scheme

    try:
        scheme(str(value))
    except ThemeError as exc:
        return ("error", exc.message)
    return None


def _wrong_kind(name: str, value: Any, default: Any, css_reads: bool) -> tuple[Severity, str] | None:
    """What is wrong with an option's value given the kind of its inherited default; None if nothing is."""
    severity: Severity = "error" if css_reads else "warning"
    shown = f'"{value}"' if isinstance(value, str) else repr(value)
    if isinstance(default, bool):
        if isinstance(value, bool):
            return None
        return (
            "error",
            f"option `{name}` is {shown}, and it is true or false: write `{name} = true` or `false`, no quotes",
        )
    if not isinstance(default, str) or isinstance(value, bool):
        return None
    if _is_colour(default) and not (isinstance(value, str) and _is_colour(value)):
        return severity, (
            f'option `{name}` is {shown}, which is no CSS colour: write one such as "#003366", "navy" or '
            '"rgb(0 51 102)"'
        )
    if _is_length(default) and not (isinstance(value, str) and _is_length(value)):
        return severity, f'option `{name}` is {shown}, which is no CSS length: write one such as "2em" or "8mm"'
    return None


def _is_colour(value: str) -> bool:
    import tinycss2
    import tinycss2.color4

    token = tinycss2.parse_one_component_value(value, skip_comments=True)
    if token.type == "function" and token.lower_name in ("var", "color-mix", "light-dark"):
        return True
    colour: object = tinycss2.color4.parse_color(token)
    return colour is not None


def _is_length(value: str) -> bool:
    import tinycss2

    token = tinycss2.parse_one_component_value(value, skip_comments=True)
    kind, unit = str(token.type), str(getattr(token, "lower_unit", getattr(token, "lower_name", "")))
    if kind == "dimension":
        return unit in LENGTH_UNITS
    if kind == "number":
        return bool(token.value == 0)
    return kind == "function" and unit in ("calc", "min", "max", "clamp", "var")


def _labels(theme: Theme, reads: _Reads) -> list[Problem]:
    inherited = {key for table in (theme.parent.labels.values() if theme.parent else ()) for key in table}
    known = inherited | reads.labels | CODE_LABELS
    problems = []
    for path, line in _own(theme, "labels"):
        if len(path) == 1:
            tag = path[0]
            if not _LANGUAGE_TAG.fullmatch(tag):
                fix = tag.replace("_", "-")
                hint = (
                    f"write [labels.{fix}]"
                    if _LANGUAGE_TAG.fullmatch(fix)
                    else "name it by a tag such as zh, zh-Hant or en"
                )
                problems.append(
                    Problem(
                        "warning",
                        _toml(theme),
                        line,
                        f"[labels.{tag}] is not a language tag, so no issue reads it: {hint}",
                        "theme-language",
                    )
                )
        elif len(path) == 2 and path[1] not in known and theme.parent is not None:
            hint = suggest(path[1], sorted(known)) or f"the labels are {', '.join(sorted(known))}"
            problems.append(
                Problem(
                    "warning",
                    _toml(theme),
                    line,
                    f"label `{path[1]}` in [labels.{path[0]}] is printed by no template or edition: {hint}",
                    "theme-label",
                )
            )
    return problems


def _fonts(theme: Theme, checked: Theme, roles: set[str]) -> list[Problem]:
    from exporter import fonts

    if theme.path.resolve() in {p.resolve() for p in installed().values() if isinstance(p, Path)}:
        return []  # an installed theme names fallbacks for every system: some are missing on any one of them
    problems = []
    known: tuple[str, ...] | None = None
    for (role, *rest), line in _own(theme, "fonts"):
        if rest or role in FONT_SETTINGS:  # synthetic_bold is a setting, checked when the theme loads
            continue
        if role not in roles:
            hint = suggest(role, sorted(roles)) or f"set it with font-family: var(--font-{role}) in css/common.css"
            problems.append(
                Problem(
                    "warning",
                    _toml(theme),
                    line,
                    f"font role `{role}` is read by no CSS (the roles read are {', '.join(sorted(roles))}): {hint}",
                    "theme-font-role",
                )
            )
        missing = [f for f in theme.fonts[role] if not fonts.find_faces(f, checked.font_dirs)]
        for family in missing:
            if known is None:
                known = fonts.families(checked.font_dirs)
            hint = suggest(family, known) or (
                "put its font files in the theme's fonts/ folder or install it (`fc-list : family` lists the families)"
            )
            problems.append(
                Problem(
                    "warning",
                    _toml(theme),
                    line,
                    f'font family "{family}" of the `{role}` role is installed nowhere (the theme\'s fonts/, '
                    f"exporter's, the system's): {hint}",
                    "theme-font",
                )
            )
        if missing and len(missing) == len(theme.fonts[role]):
            problems.append(
                Problem(
                    "error",
                    _toml(theme),
                    line,
                    f"no family of the `{role}` role is installed, so nothing sets its text: name one that "
                    "`fc-list : family` shows, or put its files in the theme's fonts/ folder",
                    "theme-font",
                )
            )
    return problems


def _vertical(theme: Theme, roles: set[str]) -> list[Problem]:
    """A font role of a vertical edition whose first family found has no vertical metrics and forms.

    A warning: the build refuses such a face in each vertical edition, for the characters it would set
    upright (editions/webfonts.py), and still writes the horizontal ones; here, with no issue to set,
    the role's first family stands for the role, as it sets nearly all of its text.
    """
    from exporter import editions, fonts
    from exporter.editions.webfonts import vertical_families

    vertical = [name for name in editions.names() if theme.edition(name)["writing_mode"] == "vertical-rl"]
    if not vertical:
        return []
    problems = []
    for role in sorted(roles & set(theme.fonts)):
        faces = next((found for f in theme.fonts[role] if (found := fonts.find_faces(f, theme.font_dirs))), [])
        if not faces or any(face.vertical for face in faces):
            continue
        owner = next((t for t in theme.chain if (role,) in {k for k, _ in _own(t, "fonts")}), theme)
        safe = vertical_families(theme, {}, ())
        face = f'"{faces[0].family}" ({faces[0].path.name})'
        modes = f"the {', '.join(vertical)} of `{theme.name}` {'is' if len(vertical) == 1 else 'are'} vertical"
        fix = f"a vertical-safe family first ({', '.join(safe) or 'Noto Sans CJK SC'})"
        if owner is theme:
            path, line = _toml(theme), next((n for k, n in _own(theme, "fonts") if k == (role,)), None)
            message = (
                f"the `{role}` role sets its text first in {face}, a face without vertical metrics and forms, and "
                f"{modes}, where its characters would pile up: name {fix}"
            )
        else:
            path, line = _toml(theme), theme.keys.get(("inherit",))
            message = (
                f"the `{role}` role `{theme.name}` inherits from `{owner.name}` sets its text first in {face}, a face "
                f"without vertical metrics and forms, and {modes}, where its characters would pile up: give the "
                f"role {fix} in the [fonts] of `{theme.name}`"
            )
        problems.append(Problem("warning", path, line, message, "theme-vertical-font"))
    return problems


def _templates(theme: Theme, reads: _Reads) -> list[Problem]:
    inherited = {name for t in theme.chain[1:] for name in reads.templates.get(t.path, [])}
    problems = []
    for name in reads.templates.get(theme.path, []):
        if theme.parent is None or name in inherited or name in reads.referenced:
            continue
        hint = (
            RENAMED.get(name)
            or suggest(name, sorted(inherited))
            or ('name it as a template it replaces, or include it from one: {% include "' + name + '" %}')
        )
        problems.append(
            Problem(
                "warning",
                str(theme.path / "templates" / name),
                1,
                f"no theme `{theme.name}` inherits has a template {name}, and no template includes it: {hint}",
                "theme-template",
            )
        )
    return problems


# -- custom properties -----------------------------------------------------------------------------------------


def _variables(theme: Theme, reads: _Reads) -> list[Problem]:
    """Each ``var(--name)`` with no fallback where no stylesheet of an edition that reads it declares ``--name``."""
    import tinycss2

    from exporter.editions.pagesetup import page_css
    from exporter.editions.templating import options_css

    provided: set[str] = {f"--font-{role}" for role in theme.fonts}
    try:
        given = options_css(theme)
    except ThemeError as exc:
        return [Problem("error", exc.path or _toml(theme), exc.line, exc.message, "theme-option-value")]
    for rule in tinycss2.parse_stylesheet(given, skip_comments=True, skip_whitespace=True):
        for item in tinycss2.parse_blocks_contents(rule.content):
            if item.type == "declaration":
                provided.add(item.name)
    print_provided: set[str] = set()
    try:
        for rule in tinycss2.parse_stylesheet(page_css(theme, bleed=False), skip_comments=True, skip_whitespace=True):
            if rule.type == "qualified-rule":
                print_provided.update(
                    i.name for i in tinycss2.parse_blocks_contents(rule.content) if i.type == "declaration"
                )
    except ThemeError:
        pass  # the page size, told when the theme loads
    lacking: dict[tuple[Path, int, str], list[str]] = {}
    declared_somewhere: set[str] = set()
    for medium, edition in MEDIA.items():
        files = [reads.css[p] for p in _medium_files(theme, medium) if p in reads.css]
        declared = (
            set().union(*(f.declares for f in files)) | provided | (print_provided if medium == "print" else set())
        )
        declared_somewhere |= declared
        for css in files:
            for name, line, fallback in css.uses:
                if not fallback and name not in declared:
                    lacking.setdefault((css.path, line, name), []).append(edition)
    problems = []
    for (path, line, name), editions in lacking.items():
        where = (
            ""
            if len(editions) == len(MEDIA)
            else f" in the {' and '.join(editions)} edition" + "s" * (len(editions) > 1)
        )
        fix = f"declare `{name}: VALUE;` in `:root`, or write a fallback, `var({name}, VALUE)`"
        if name in declared_somewhere:
            fix = f"declare `{name}` in css/common.css, which every edition reads, or write a fallback, " + (
                f"`var({name}, VALUE)`"
            )
        elif hint := suggest(name, sorted(declared_somewhere)):
            fix = f"{hint} Or {fix}"
        message = f"`var({name})` names a custom property that nothing declares{where}, so the declaration is dropped"
        problems.append(Problem("warning", str(path), line, f"{message}: {fix}", "theme-css-var"))
    return problems


def _medium_files(theme: Theme, medium: str) -> list[Path]:
    return [t.path / "css" / name for t in reversed(theme.chain) for name in ("common.css", f"{medium}.css")]
