"""Shows the audits of PDFs on the terminal: one line per finding, then tables per file: counts and make-up per page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from exporter.audit import KINDS, FileAudit, count, per_thousand

#: What the ink of a file's glyphs was read from, for its summary line.
_INK = {
    "font": "ink read from the embedded fonts",
    "model": "ink from the class model (no font program could be read)",
    "mixed": "ink read from the embedded fonts, the class model for the fonts that could not be read",
}


def audit_report(audits: Sequence[FileAudit], page: int | None = None) -> None:
    """Print each finding as ``FILE:page N: kind: message «line»``, then each file's summary and the total.

    The page report's findings follow the composition's, in the same form; its table (fill and body
    lines of each page, the page's findings) follows the counts. With ``page``, that page's alone.
    """
    from rich.console import Console
    from rich.table import Table

    out = Console(highlight=False, soft_wrap=True)
    # The table's columns are the kinds' names, never cut: as wide as it needs, a terminal's or not.
    wide = Console(highlight=False, width=max(out.width, 140))
    for one in audits:
        for f in one.findings:
            out.print(f"{one.path}:page {f.page}: {f.kind}: {f.message} «{f.text}»", markup=False)
        for p in one.page_findings(page):
            out.print(f"{one.path}:{p}", markup=False)
    for one in audits:
        table = Table(box=None, pad_edge=False, show_edge=False, title_justify="left")
        table.title = f"{one.path}: {one.pages} page{'s' * (one.pages != 1)}, {_INK[one.ink]}"
        for name in ("page", "lines", *KINDS, "per 1,000 lines"):
            table.add_column(name, justify="right", no_wrap=True)
        for s in one.summaries:
            counts = count(f for f in one.findings if f.page == s.page)
            rate = sum(per_thousand(counts, s.lines).values())
            table.add_row(str(s.page), str(s.lines), *map(str, counts.values()), f"{rate:.1f}")
        rate = sum(per_thousand(one.counts, one.lines).values())
        table.add_row("all", str(one.lines), *map(str, one.counts.values()), f"{rate:.1f}", style="bold")
        wide.print(table)
        if one.makeup is not None:
            marked = "marked as artifacts" if one.makeup.artifacts else "not marked: running heads count as content"
            out.print(f"{one.path}: page make-up, furniture {marked}", markup=False)
            wide.print(_makeup_table(one, page))
    if len(audits) > 1:
        every = count(f for one in audits for f in one.findings)
        lines = sum(one.lines for one in audits)
        rates = per_thousand(every, lines)
        parts = ", ".join(f"{kind} {n} ({rates[kind]:.1f})" for kind, n in every.items() if n) or "no finding"
        out.print(f"total: {len(audits)} PDFs, {lines} lines: {parts} (per 1,000 lines in brackets)")
    for one in audits:
        n, k = len(one.findings), len(one.page_findings(page))
        pages = len(one.makeup.pages) if one.makeup is not None else one.pages
        out.print(
            f"{one.path}: {n} finding{'s' * (n != 1)} in {one.lines} lines, "
            f"{k} page finding{'s' * (k != 1)} in {pages} page{'s' * (pages != 1)}",
            markup=False,
        )


def _makeup_table(one: FileAudit, page: int | None) -> Any:
    """The page report as a table: each page's direction, fill, body lines and findings."""
    from rich.table import Table

    assert one.makeup is not None
    table = Table(box=None, pad_edge=False, show_edge=False)
    for name, justify in (
        ("page", "right"),
        ("way", "left"),
        ("fill", "right"),
        ("lines", "right"),
        ("findings", "left"),
    ):
        table.add_column(name, justify=justify, no_wrap=name != "findings")  # type: ignore[arg-type]
    for p in one.makeup.pages:
        if page not in (None, p.page):
            continue
        kinds = [f.kind for f in one.page_findings(p.page)]
        table.add_row(
            str(p.page),
            "vertical" if p.vertical else "horizontal",
            f"{p.fill:.2f}",
            str(p.lines),
            ", ".join(kinds),
        )
    return table
