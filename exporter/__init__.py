"""exporter: one issue of a newspaper, as text, into an EPUB and a paginated PDF."""

from __future__ import annotations

from exporter.diagnostics import Diagnostic
from exporter.errors import ExporterError, FrontMatterError, InputError
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

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Block",
    "Byline",
    "CodeBlock",
    "Credit",
    "Dateline",
    "Diagnostic",
    "EditorsNote",
    "ExporterError",
    "Figure",
    "FrontMatterError",
    "InputError",
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
    "__version__",
    "parse",
    "parse_bytes",
    "parse_file",
]
