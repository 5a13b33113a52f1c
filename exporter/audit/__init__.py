"""Measures the Chinese line composition of a PDF, any PDF, and reports what a newspaper desk would send back.

``exporter audit FILE.pdf`` reads the PDF's glyphs back (:mod:`~exporter.audit.reading`, with
each glyph's ink from its embedded font: :mod:`~exporter.audit.ink`), finds its lines, columns
and paragraphs, horizontal or vertical (:mod:`~exporter.audit.lines`), and checks them against
clreq and GB/T 15834 (:mod:`~exporter.audit.rules`); :mod:`~exporter.audit.pages` measures the
page make-up (fill, stranded headlines, widow and underfull pages, 转版 lines). It reads PDFs
only, so it sits beside the editions, and only the command line imports it. docs/typography.md says
what each kind of finding means, how lines, paragraphs and pages are measured, and where the audit
can be wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exporter.audit.pages import PAGE_KINDS, PageFinding, PageReport, page_report
from exporter.audit.rules import KINDS, Finding

__all__ = [
    "KINDS",
    "PAGE_KINDS",
    "SCHEMA",
    "FileAudit",
    "Finding",
    "PageFinding",
    "PageReport",
    "PageSummary",
    "audit",
    "counts_json",
    "page_report",
]

#: The JSON schema's name, written in ``--json`` output.
SCHEMA = "exporter.audit/2"


@dataclass(frozen=True)
class PageSummary:
    """One page's lines (all, and body text) and glyphs, and whose ink was read from the font."""

    page: int
    lines: int
    body_lines: int
    glyphs: int
    measured: int


@dataclass(frozen=True)
class FileAudit:
    """The audit of one PDF: its findings in page order and each page's summary."""

    path: str
    pages: int
    summaries: tuple[PageSummary, ...]
    findings: tuple[Finding, ...]
    counts: dict[str, int] = field(default_factory=dict)
    #: The page report, of every page (None when the audit read one page: :func:`page_report` makes it).
    makeup: PageReport | None = None

    @property
    def lines(self) -> int:
        return sum(s.lines for s in self.summaries)

    def page_findings(self, page: int | None = None) -> tuple[PageFinding, ...]:
        """The findings of the page report (of page ``page`` alone when given); none without a report."""
        if self.makeup is None:
            return ()
        return tuple(f for f in self.makeup.findings if page in (None, f.page))

    @property
    def ink(self) -> str:
        """Whose ink the file's glyphs had: "font" (all read from the fonts), "model", or "mixed"."""
        glyphs = sum(s.glyphs for s in self.summaries)
        measured = sum(s.measured for s in self.summaries)
        return "font" if measured == glyphs else "model" if measured == 0 else "mixed"


def count(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each kind, every kind listed, in :data:`KINDS` order."""
    counts = dict.fromkeys(KINDS, 0)
    for finding in findings:
        counts[finding.kind] += 1
    return counts


def per_thousand(counts: dict[str, int], lines: int) -> dict[str, float]:
    """Findings of each kind per 1,000 lines, to one decimal."""
    return {kind: round(n * 1000 / lines, 1) if lines else 0.0 for kind, n in counts.items()}


def audit(path: Path, page: int | None = None) -> FileAudit:
    """The audit of the PDF at ``path`` (of its page ``page`` alone when given); AuditError if it cannot be read."""
    from exporter.audit.lines import find_blocks, find_lines
    from exporter.audit.pages import report_of
    from exporter.audit.reading import page_count, read_pages
    from exporter.audit.rules import audit_page, body_size, is_body
    from exporter.errors import AuditError

    total = page_count(path)
    if page is not None and not 1 <= page <= total:
        raise AuditError(f"there is no page {page}: the PDF has {total}; pass --page 1 to {total}", path=str(path))
    read = []
    for one in read_pages(path, page):
        lines = find_lines(one.glyphs)
        blocks = find_blocks(lines)
        read.append((one, lines, blocks))
    everything = [line for _, lines, _ in read for line in lines]
    document_size = body_size(everything) or _largest_share(everything)
    findings: list[Finding] = []
    summaries = []
    for one, lines, blocks in read:
        size = body_size(lines) or document_size
        findings += audit_page(one.number, one.height, blocks, size)
        summaries.append(
            PageSummary(
                one.number,
                len(lines),
                sum(1 for line in lines if is_body(line, size)),
                sum(1 for g in one.glyphs if not g.blank),
                sum(1 for g in one.glyphs if not g.blank and g.measured),
            )
        )
    makeup = report_of(str(path), read) if page is None else None
    return FileAudit(str(path), total, tuple(summaries), tuple(findings), count(findings), makeup)


def _largest_share(lines: list[Any]) -> float:
    """The size most inked glyphs have, however few there are (0 for no line)."""
    weights: dict[float, int] = {}
    for line in lines:
        weights[round(line.em, 1)] = weights.get(round(line.em, 1), 0) + len(line.inked)
    return max(weights.items(), key=lambda item: (item[1], item[0]))[0] if weights else 0.0


def counts_json(counts: dict[str, int], lines: int) -> dict[str, Any]:
    """Counts per kind, their total and the same per 1,000 lines, as ``--json`` writes them."""
    return {
        "lines": lines,
        "findings": sum(counts.values()),
        "counts": counts,
        "per_1000_lines": per_thousand(counts, lines),
    }


def makeup_json(report: PageReport, page: int | None = None) -> dict[str, Any]:
    """The page report as ``--json`` writes it (of page ``page`` alone when given)."""
    mismatched = {id(m.jump) for m in report.mismatched}
    return {
        "artifacts": report.artifacts,
        "pages": [
            {"page": p.page, "vertical": p.vertical, "fill": p.fill, "body_lines": p.lines}
            for p in report.pages
            if page in (None, p.page)
        ],
        "findings": [
            {"page": f.page, "kind": f.kind, "message": f.message, "text": f.text}
            for f in report.findings
            if page in (None, f.page)
        ],
        "jumps": [
            {
                "page": j.page,
                "direction": j.direction,
                "target": j.target,
                "label": j.label,
                "text": j.text,
                "matched": id(j) not in mismatched,
            }
            for j in report.jumps
            if page in (None, j.page)
        ],
    }


def to_json(audits: Iterable[FileAudit], page: int | None = None) -> dict[str, Any]:
    """The audits as the JSON of schema :data:`SCHEMA` (docs/typography.md)."""
    files = []
    every: list[Finding] = []
    all_lines = 0
    for one in audits:
        every += one.findings
        all_lines += one.lines
        files.append(
            {
                "file": one.path,
                "pages": one.pages,
                "ink": one.ink,
                "findings": [
                    {
                        "page": f.page,
                        "kind": f.kind,
                        "message": f.message,
                        "text": f.text,
                        "ink": f.ink,
                        "box": list(f.box),
                    }
                    for f in one.findings
                ],
                "per_page": [
                    {
                        "page": s.page,
                        "body_lines": s.body_lines,
                        **counts_json(count(f for f in one.findings if f.page == s.page), s.lines),
                    }
                    for s in one.summaries
                ],
                "total": counts_json(one.counts, one.lines),
                "makeup": makeup_json(one.makeup, page) if one.makeup is not None else None,
            }
        )
    return {
        "schema": SCHEMA,
        "kinds": KINDS,
        "page_kinds": PAGE_KINDS,
        "files": files,
        "total": counts_json(count(every), all_lines),
    }
