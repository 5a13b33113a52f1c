"""exporter: one issue of a newspaper, as text, into an EPUB, a paginated PDF and a web edition.

The public API is exactly ``__all__`` (docs/api.md)::

    import exporter

    issue = exporter.parse_file("issue.md")
    exporter.write(issue, "epub", "build/issue.epub", theme="vertical")

Each name is imported when it is first used (PEP 562), not with the package: ``exporter --help`` and
``exporter check`` start without the parser's, the pipeline's and the editions' modules they do not need.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from exporter.diagnostics import Diagnostic
    from exporter.editions import Edition, Options
    from exporter.editions import names as formats
    from exporter.errors import (
        ExporterError,
        FontError,
        FrontMatterError,
        InputError,
        IssueErrors,
        ThemeError,
        UsageError,
    )
    from exporter.model import (
        Article,
        Block,
        Byline,
        CodeBlock,
        Credit,
        Dateline,
        EditorsNote,
        Figure,
        Issue,
        ItemList,
        ListItem,
        Masthead,
        Paragraph,
        Quote,
        Section,
        Span,
        Subhead,
        Table,
    )
    from exporter.parser import parse, parse_bytes, parse_file
    from exporter.pipeline import Built, build, render, write
    from exporter.pipeline.runner import Outcome, build_many
    from exporter.theming import Theme
    from exporter.theming import load as load_theme

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Block",
    "Built",
    "Byline",
    "CodeBlock",
    "Credit",
    "Dateline",
    "Diagnostic",
    "Edition",
    "EditorsNote",
    "ExporterError",
    "Figure",
    "FontError",
    "FrontMatterError",
    "InputError",
    "Issue",
    "IssueErrors",
    "ItemList",
    "ListItem",
    "Masthead",
    "Options",
    "Outcome",
    "Paragraph",
    "Quote",
    "Section",
    "Span",
    "Subhead",
    "Table",
    "Theme",
    "ThemeError",
    "UsageError",
    "__version__",
    "build",
    "build_many",
    "formats",
    "load_theme",
    "parse",
    "parse_bytes",
    "parse_file",
    "render",
    "write",
]

#: Where each public name lives: ``(module, name there)``; the imports under TYPE_CHECKING above, for the checker.
_LAZY: dict[str, tuple[str, str]] = {
    "Diagnostic": ("exporter.diagnostics", "Diagnostic"),
    "Edition": ("exporter.editions", "Edition"),
    "Options": ("exporter.editions", "Options"),
    "formats": ("exporter.editions", "names"),
    **{
        name: ("exporter.errors", name)
        for name in (
            "ExporterError",
            "FontError",
            "FrontMatterError",
            "InputError",
            "IssueErrors",
            "ThemeError",
            "UsageError",
        )
    },
    **{
        name: ("exporter.model", name)
        for name in (
            "Article",
            "Block",
            "Byline",
            "CodeBlock",
            "Credit",
            "Dateline",
            "EditorsNote",
            "Figure",
            "Issue",
            "ItemList",
            "ListItem",
            "Masthead",
            "Paragraph",
            "Quote",
            "Section",
            "Span",
            "Subhead",
            "Table",
        )
    },
    **{name: ("exporter.parser", name) for name in ("parse", "parse_bytes", "parse_file")},
    **{name: ("exporter.pipeline", name) for name in ("Built", "build", "render", "write")},
    **{name: ("exporter.pipeline.runner", name) for name in ("Outcome", "build_many")},
    "Theme": ("exporter.theming", "Theme"),
    "load_theme": ("exporter.theming", "load"),
}


def __getattr__(name: str) -> object:
    """A public name's object, imported from its module on first use and kept in the package's namespace."""
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'exporter' has no attribute {name!r}") from None
    value = getattr(_importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
