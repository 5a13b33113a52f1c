"""Shows the audits of PDFs on the terminal: one line per finding, then a table per file of counts per page."""

from __future__ import annotations

from collections.abc import Sequence

from exporter.audit import KINDS, FileAudit, count, per_thousand

#: What the ink of a file's glyphs was read from, for its summary line.
_INK = {
    "font": "ink read from the embedded fonts",
    "model": "ink from the class model (no font program could be read)",
    "mixed": "ink read from the embedded fonts, the class model for the fonts that could not be read",
}


def audit_report(audits: Sequence[FileAudit]) -> None:
    """Print each finding as ``FILE:page N: kind: message «line»``, then each file's summary and the total."""
    from rich.console import Console
    from rich.table import Table

    out = Console(highlight=False, soft_wrap=True)
    # The table's columns are the kinds' names, never cut: as wide as it needs, a terminal's or not.
    wide = Console(highlight=False, width=max(out.width, 140))
    for one in audits:
        for f in one.findings:
            out.print(f"{one.path}:page {f.page}: {f.kind}: {f.message} «{f.text}»", markup=False)
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
    if len(audits) > 1:
        every = count(f for one in audits for f in one.findings)
        lines = sum(one.lines for one in audits)
        rates = per_thousand(every, lines)
        parts = ", ".join(f"{kind} {n} ({rates[kind]:.1f})" for kind, n in every.items() if n) or "no finding"
        out.print(f"total: {len(audits)} PDFs, {lines} lines: {parts} (per 1,000 lines in brackets)")
    for one in audits:
        n = len(one.findings)
        out.print(f"{one.path}: {n} finding{'s' * (n != 1)} in {one.lines} lines", markup=False)
