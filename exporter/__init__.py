"""exporter: one issue of a newspaper, as text, into an EPUB, a paginated PDF and a web edition.

The public API is exactly ``__all__`` (docs/api.md)::

    import exporter

    issue = exporter.parse_file("issue.md")
    exporter.write(issue, "epub", "build/issue.epub", theme="vertical")
"""

from __future__ import annotations

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
