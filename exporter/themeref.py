"""Writes the theme reference from the code: every key, option, label, font role, block, class and property.

docs/themes.md carries this reference between two markers (:data:`START`, :data:`END`);
``tools/theme_reference.py`` writes it there and a test checks that it is what this module makes, so
the reference cannot drift from the code. Everything in it comes from the schema of ``theme.toml``
(:data:`exporter.theming.SCHEMA`), the base theme's ``theme.toml`` (an option's comment lines are its
description), its templates (blocks, what they include, the classes and labels they use) and the
built-in themes' CSS (classes styled, custom properties read and declared).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exporter import theming
from exporter.text.credits import CREDIT_CLASSES
from exporter.text.emphasis import EMPHASIS_CLASSES
from exporter.text.typography import SPAN_CLASSES

START = "<!-- reference: written by tools/theme_reference.py from the code; do not edit by hand -->"
END = "<!-- end of reference -->"


@dataclass(frozen=True)
class TemplateInfo:
    """One template of the base theme: what it is for, its blocks, and the templates it uses."""

    name: str
    purpose: str
    blocks: tuple[str, ...]
    uses: tuple[str, ...]


def reference(root: Path | None = None) -> str:
    """The reference as Markdown, from the built-in themes in ``root`` (the shipped themes' folder by default)."""
    from exporter import shipped

    themes_dir = root or shipped.folder("themes")
    base = theming.load(themes_dir / theming.BASE)
    builtins = {name: theming.load(themes_dir / name) for name in _builtin_names(themes_dir)}
    parts = [
        START,
        "",
        _keys(),
        _options(base, builtins),
        _fonts(base),
        _labels(base),
        _templates(base),
        _classes(base, themes_dir),
        _properties(base, builtins, themes_dir),
        END,
    ]
    return "\n".join(parts) + "\n"


def _builtin_names(themes_dir: Path) -> list[str]:
    return sorted(p.parent.name for p in themes_dir.glob("*/theme.toml") if p.parent.name != theming.BASE)


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = f'"{value}"'
    else:
        text = str(value)
    return "`" + text.replace("|", "\\|") + "`"


def _keys() -> str:
    lines = ["### Keys of theme.toml", "", "| key | type | default | what it is |", "|---|---|---|---|"]
    for key, spec in theming.SCHEMA.items():
        default = _cell(spec.default) if not isinstance(spec.default, dict) else "(table)"
        lines.append(f"| `{key}` | {spec.kind_name} | {default} | {spec.doc} |")
    lines += ["", "Settings of `[edition.html]`, `[edition.epub]`, `[edition.pdf]` (and any edition installed):", ""]
    lines += ["| setting | type | default | what it is |", "|---|---|---|---|"]
    for key, spec in theming.EDITION_SCHEMA.items():
        lines.append(f"| `{key}` | {spec.kind_name} | {_cell(spec.default)} | {spec.doc} |")
    return "\n".join(lines) + "\n"


def _comments(toml: Path, table: str) -> dict[str, str]:
    """The comment lines just above each key of ``[table]`` in a TOML file, joined: the key's description."""
    out: dict[str, str] = {}
    current: str | None = None
    pending: list[str] = []
    for raw in toml.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        header = re.fullmatch(r"\[([^\]]+)\]", line)
        if header:
            current, pending = header.group(1).strip(), []
        elif line.startswith("#"):
            pending.append(line.lstrip("#").strip())
        elif "=" in line and current == table:
            out[line.split("=", 1)[0].strip()] = " ".join(pending)
            pending = []
        else:
            pending = []
    return out


def _options(base: theming.Theme, builtins: dict[str, theming.Theme]) -> str:
    docs = _comments(base.path / "theme.toml", "options")
    names = list(builtins)
    lines = [
        "### Options",
        "",
        "Declared by `base`; templates read `options.NAME`, CSS reads `var(--NAME)` (underscores become dashes). "
        "A column per built-in theme shows its value where it differs from the default.",
        "",
        "| option | default | CSS | " + " | ".join(names) + " | what it is |",
        "|---|---|---|" + "---|" * len(names) + "---|",
    ]
    for key, value in base.options.items():
        others = [_cell(t.options[key]) if t.options.get(key, value) != value else "" for t in builtins.values()]
        css = f"`--{key.replace('_', '-')}`" if not isinstance(value, bool) else ""
        lines.append(f"| `{key}` | {_cell(value)} | {css} | " + " | ".join(others) + f" | {docs.get(key, '')} |")
    return "\n".join(lines) + "\n"


def _fonts(base: theming.Theme) -> str:
    from exporter.editions.webfonts import GENERIC

    css = _css_text(base)
    lines = [
        "### Font roles",
        "",
        "Each role is a CSS custom property, `var(--font-ROLE)`, holding the role's families in order and a "
        "generic family last. A theme may add roles of its own: `masthead = [...]` gives `var(--font-masthead)`.",
        "",
        "| role | families in `base` | generic | read by |",
        "|---|---|---|---|",
    ]
    for role, families in base.fonts.items():
        readers = _selectors_reading(css, f"--font-{role}")
        lines.append(
            f"| `{role}` | {', '.join(families)} | {GENERIC.get(role, 'serif')} | {', '.join(readers) or '—'} |"
        )
    return "\n".join(lines) + "\n"


def _labels(base: theming.Theme) -> str:
    uses = _label_uses(base)
    languages = list(base.labels)
    lines = [
        "### Labels",
        "",
        "Words the editions print, per language (`[labels.zh]`, `[labels.zh-Hant]`, `[labels.en]`…); "
        "`{…}` marks what is filled in.",
        "",
        "| label | " + " | ".join(f"`{lang}`" for lang in languages) + " | used by |",
        "|---|" + "---|" * len(languages) + "---|",
    ]
    keys = list(dict.fromkeys(k for table in base.labels.values() for k in table))
    for key in keys:
        cells = [base.labels[lang].get(key, "").replace("|", "\\|") for lang in languages]
        lines.append(f"| `{key}` | " + " | ".join(cells) + f" | {', '.join(uses.get(key, [])) or '—'} |")
    return "\n".join(lines) + "\n"


def _label_uses(base: theming.Theme) -> dict[str, list[str]]:
    """Where each label is used: the base templates, and the code's modules."""
    uses: dict[str, list[str]] = {}
    pattern = re.compile(r"""label\(\s*["']([a-z_0-9]+)["']""")
    for template in sorted((base.path / "templates").glob("*.html")):
        for key in dict.fromkeys(pattern.findall(template.read_text(encoding="utf-8"))):
            uses.setdefault(key, []).append(f"`{template.name}`")
    package = Path(__file__).resolve().parent
    for module in sorted(package.rglob("*.py")):
        text = module.read_text(encoding="utf-8")
        for key in dict.fromkeys(re.findall(r"""\.label\([^,()]+,\s*["']([a-z_0-9]+)["']\)""", text)):
            uses.setdefault(key, []).append(module.relative_to(package.parent).as_posix())
    return uses


def template_info(path: Path) -> TemplateInfo:
    """The purpose (the first comment), blocks and used templates of one template file."""
    from jinja2 import Environment, nodes

    source = path.read_text(encoding="utf-8")
    tree = Environment().parse(source)
    comment = re.match(r"\s*\{#-?\s*(.*?)\s*-?#\}", source, re.DOTALL)
    purpose = " ".join(comment.group(1).split()) if comment else ""
    blocks = tuple(dict.fromkeys(block.name for block in tree.find_all(nodes.Block)))
    uses: list[str] = []
    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        target = getattr(node, "template", None)
        if isinstance(target, nodes.Const) and isinstance(target.value, str):
            kind = type(node).__name__.lower().replace("fromimport", "import")
            uses.append(f"{kind} `{target.value}`")
    return TemplateInfo(path.name, purpose, blocks, tuple(dict.fromkeys(uses)))


def _templates(base: theming.Theme) -> str:
    lines = [
        "### Templates and their blocks",
        "",
        "The templates of `base`, every one of which a theme may override or extend; a block is what a "
        "theme's template of the same name replaces with `{% block NAME %}…{% endblock %}`.",
        "",
        "| template | what it renders | blocks | uses |",
        "|---|---|---|---|",
    ]
    for path in sorted((base.path / "templates").glob("*.html")):
        info = template_info(path)
        blocks = ", ".join(f"`{b}`" for b in info.blocks) or "—"
        lines.append(f"| `{info.name}` | {info.purpose or '—'} | {blocks} | {', '.join(info.uses) or '—'} |")
    return "\n".join(lines) + "\n"


def _template_classes(path: Path) -> set[str]:
    """The class names a template writes in its ``class`` attributes, leaving out what expressions add."""
    found: set[str] = set()
    source = path.read_text(encoding="utf-8")
    for value in re.findall(r'class="([^"]*)"', source):
        # `level-{{ article.level }}` is the class level-N; an expression standing alone adds no name.
        static = re.sub(r"\{%.*?%\}", " ", re.sub(r"(?<=-)\{\{.*?\}\}", "N", value))
        static = re.sub(r"\{\{.*?\}\}", " ", static)
        found.update(token for token in static.split() if re.fullmatch(r"[a-z][a-z0-9-]*(-N)?", token))
    return found


def _css_files(themes_dir: Path) -> list[tuple[str, Path]]:
    return [(f"{p.parent.parent.name}/css/{p.name}", p) for p in sorted(themes_dir.glob("*/css/*.css"))]


def _classes(base: theming.Theme, themes_dir: Path) -> str:
    import tinycss2

    emitted: dict[str, set[str]] = {}
    for template in sorted((base.path / "templates").glob("*.html")):
        for name in _template_classes(template):
            emitted.setdefault(name, set()).add(f"`{template.name}`")
    for name, what in {**SPAN_CLASSES, **CREDIT_CLASSES, **EMPHASIS_CLASSES}.items():
        emitted.setdefault(name, set()).add(f"the text's spans: {what}")
    styled: dict[str, set[str]] = {}
    for label, path in _css_files(themes_dir):
        for rule in _qualified_rules(tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"), True, True)):
            for name in re.findall(r"\.([a-zA-Z][\w-]*)", tinycss2.serialize(rule.prelude)):
                styled.setdefault(name, set()).add(f"`{label}`")
    lines = [
        "### CSS classes",
        "",
        "The classes the templates and the code put on the editions' elements, and the built-in CSS files "
        "that style each.",
        "",
        "| class | written by | styled in |",
        "|---|---|---|",
    ]
    for name in sorted(set(emitted) | set(styled)):
        by = ", ".join(sorted(emitted.get(name, set()))) or "—"
        lines.append(f"| `.{name}` | {by} | {', '.join(sorted(styled.get(name, set()))) or '—'} |")
    return "\n".join(lines) + "\n"


def _qualified_rules(nodes: Iterable[Any]) -> Iterable[Any]:
    import tinycss2

    for node in nodes:
        if node.type == "qualified-rule":
            yield node
        elif node.type == "at-rule" and node.content is not None and node.lower_at_keyword in ("media", "supports"):
            yield from _qualified_rules(tinycss2.parse_rule_list(node.content, True, True))


def _css_text(theme: theming.Theme) -> dict[str, str]:
    return {label: text for medium in ("screen", "epub", "print") for label, _, text in theme.css_files(medium)}


def _selectors_reading(css: dict[str, str], prop: str) -> list[str]:
    """The selectors of the rules (and @page boxes) that read ``var(prop)``, with their files."""
    import tinycss2

    found: list[str] = []
    for label, text in css.items():
        for node in _all_rules(tinycss2.parse_stylesheet(text, True, True)):
            body = tinycss2.serialize(node.content or [])
            if re.search(rf"var\(\s*{re.escape(prop)}\s*[,)]", body):
                where = tinycss2.serialize(node.prelude).strip()
                where = f"@{node.lower_at_keyword} {where}".strip() if node.type == "at-rule" else where
                found.append(f"`{' '.join(where.split())}` ({label.split('/')[-1]})")
    return list(dict.fromkeys(found))


def _all_rules(nodes: Iterable[Any]) -> Iterable[Any]:
    """Qualified rules and the at-rules holding declarations (@page and its margin boxes, @font-face)."""
    import tinycss2

    for node in nodes:
        if node.type == "qualified-rule":
            yield node
        elif node.type == "at-rule" and node.content is not None:
            if node.lower_at_keyword in ("media", "supports"):
                yield from _all_rules(tinycss2.parse_rule_list(node.content, True, True))
                continue
            inner = tinycss2.parse_blocks_contents(node.content, True, True)
            nested = [n for n in inner if n.type == "at-rule"]
            if any(n.type == "declaration" for n in inner):
                yield node
            yield from _all_rules(nested)


def _properties(base: theming.Theme, builtins: dict[str, theming.Theme], themes_dir: Path) -> str:
    import tinycss2

    sources: dict[str, str] = {}
    for key, value in base.options.items():
        if not isinstance(value, bool):
            sources[f"--{key.replace('_', '-')}"] = f"option `{key}`"
    for role in base.fonts:
        sources[f"--font-{role}"] = f"font role `{role}`"
    reads: dict[str, set[str]] = {}
    for label, path in _css_files(themes_dir):
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r"var\(\s*(--[\w-]+)", text):
            reads.setdefault(name, set()).add(f"`{label}`")
        for node in _all_rules(tinycss2.parse_stylesheet(text, True, True)):
            for decl in tinycss2.parse_blocks_contents(node.content or [], True, True):
                if decl.type == "declaration" and decl.name.startswith("--"):
                    sources.setdefault(decl.name, f"declared in `{label}`")
    for key in theming.EDITION_SCHEMA:
        name = f"--{key.replace('_', '-')}"
        if name in reads:
            sources.setdefault(name, f"edition setting `{key}` (print)")
    lines = [
        "### Custom properties",
        "",
        "What the built-in CSS reads with `var()`, and where each value comes from. A theme's CSS may use "
        "them all, and declare its own in `:root`.",
        "",
        "| property | set by | read in |",
        "|---|---|---|",
    ]
    for name in sorted(set(sources) | set(reads)):
        where = ", ".join(sorted(reads.get(name, set()))) or "—"
        lines.append(f"| `{name}` | {sources.get(name, '—')} | {where} |")
    return "\n".join(lines) + "\n"
