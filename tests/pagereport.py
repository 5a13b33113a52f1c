"""The page report of a built PDF in one call, for tests of the page make-up: its findings as strings.

``assert page_findings(pdf) == []`` holds the make-up rules of the make-up (no stranded headline, no
widow page, no page under a third full but the last, every 转版 line matched); ``fills(pdf)``
gives each page's fill ratio.
"""

from __future__ import annotations

from pathlib import Path

from exporter.audit.pages import page_report


def page_findings(pdf: Path) -> list[str]:
    """Each finding of the page rules, as ``page 3: underfull-page: 14% full, under a third, …``."""
    return [str(finding) for finding in page_report(pdf).findings]


def fills(pdf: Path) -> list[float]:
    """Each page's fill ratio, in page order (0: empty, about 1: every column reaching the foot)."""
    return [page.fill for page in page_report(pdf).pages]
