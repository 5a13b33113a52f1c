"""Lays a document out as pages of a larger one: WeasyPrint told the number of its first page and where targets are.

The print edition lays each 版 out as a WeasyPrint document of its own (:mod:`exporter.editions.pdf.parts`),
which must look as it would in the whole issue:

- its pages are numbered from the page it starts on: ``counter(page)`` counts on from the pages before
  it, and ``@page :first``, ``:left``, ``:right`` and ``:nth()`` match as in the issue (the page's index is
  the issue's);
- a ``target-counter(…, page)`` (the 导读's page numbers, a 转版 line's 「下转第3页」) shows the page its
  target is on, given in ``targets``, whether the target lies in this 版 or in another;
- a running head's ``string()`` that no page of it has set yet shows the value the pages before it left
  (``strings``: the paper's name and date the front page sets, say).

Given the targets' pages, WeasyPrint lays each line out once: left to find them itself, it lays the
pages out, learns where a target fell, and lays out again every page from the first that points to one
(up to eight times over), which made the last layout of an 8-版 issue four times its first. Wrong
pages given are not trusted: :func:`numbered` records the page each target was asked for at and the
page each anchor fell on, so that the caller can lay the document out again with the right ones.

The functions replaced are WeasyPrint's internals, so they are checked as :mod:`artifacts` checks its
own (:data:`artifacts.SUPPORTED_WEASYPRINT`): another WeasyPrint raises :class:`WeasyPrintChanged`.
WeasyPrint is imported inside the functions.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from exporter.editions.pdf.artifacts import SUPPORTED_WEASYPRINT, WeasyPrintChanged

_lock = threading.Lock()


@dataclass
class Numbers:
    """What a layout inside :func:`numbered` asked and found: targets asked for, and anchors' pages."""

    #: The targets a ``target-counter`` asked for, with the page it was given (``None``: not given).
    asked: dict[str, int | None] = field(default_factory=dict)


class _Target:
    """Stands for a target's box: WeasyPrint reads the counters it had (its page, here) and its text."""

    def __init__(self, page: int) -> None:
        self.cached_counter_values = {"page": [page]}

    def extract_text(self, text_style: object) -> str:
        return ""


@contextlib.contextmanager
def numbered(
    first_page: int, targets: Mapping[str, int], strings: Mapping[str, str] | None = None
) -> Iterator[Numbers]:
    """Lay documents out inside the block as pages of a larger document, from page ``first_page`` (1 for the first),
    with ``targets`` (anchor name → page number) known in advance, and the named ``strings`` set before it.

    Not re-entrant: one numbered layout at a time per process (a lock keeps threads out of each other's way).
    """
    import weasyprint
    import weasyprint.document as document_module
    import weasyprint.layout as layout_module
    import weasyprint.layout.page as page_module
    from weasyprint.css.targets import TargetCollector, TargetLookupItem

    if int(weasyprint.__version__.split(".")[0]) not in SUPPORTED_WEASYPRINT:
        raise WeasyPrintChanged(f"WeasyPrint {weasyprint.__version__}: numbering was written for 70")
    before = first_page - 1
    numbers = Numbers()
    page_type = page_module.PageType
    initialize = layout_module.initialize_page_maker
    collector = document_module.TargetCollector
    string_for = layout_module.LayoutContext.get_string_set_for
    carried = dict(strings or {})
    if page_type._fields != ("side", "blank", "name", "index", "groups") or collector is not TargetCollector:
        raise WeasyPrintChanged("WeasyPrint's PageType or TargetCollector is not the one numbering knows")

    def offset_page_type(side: str, blank: bool, name: str, index: int, groups: Any) -> Any:
        return page_type(side, blank, name, index + before, groups)

    def initialize_from(context: Any, root_box: Any) -> None:
        initialize(context, root_box)
        resume_at, next_page, right_page, page_state, remake_state = context.page_maker[0]
        if before % 2:
            right_page = not right_page
        counters, scopes = page_state[1], page_state[2]
        counters["page"] = [before]
        scopes[-1].add("page")
        context.page_maker[0] = (resume_at, next_page, right_page, page_state, remake_state)

    def string_set_for(self: Any, page: Any, name: str, keyword: str = "first") -> Any:
        found = string_for(self, page, name, keyword)
        if not found and name in carried and keyword != "all-once" and self.current_page not in self.string_set[name]:
            return (carried[name],)
        return found

    class Known(TargetCollector):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            for name, page in targets.items():
                item = TargetLookupItem("up-to-date")
                item.target_box = _Target(page)
                self.target_lookup_items[name] = item

        def collect_anchor(self, anchor_name: Any) -> None:
            if anchor_name not in targets:
                super().collect_anchor(anchor_name)

        def lookup_target(self, anchor_token: Any, source_box: Any, css_token: Any, parse_again: Any) -> Any:
            item = super().lookup_target(anchor_token, source_box, css_token, parse_again)
            name = _anchor_name(anchor_token, source_box)
            if name is not None:
                numbers.asked[name] = targets.get(name)
            return item

    with _lock:
        page_module.PageType = offset_page_type
        layout_module.initialize_page_maker = initialize_from
        document_module.TargetCollector = Known
        layout_module.LayoutContext.get_string_set_for = string_set_for
        try:
            yield numbers
        finally:
            page_module.PageType = page_type
            layout_module.initialize_page_maker = initialize
            document_module.TargetCollector = collector
            layout_module.LayoutContext.get_string_set_for = string_for


def _anchor_name(anchor_token: Any, source_box: Any) -> str | None:
    """The anchor a ``target-*()`` token names, as WeasyPrint reads it."""
    from weasyprint.css.targets import anchor_name_from_token
    from weasyprint.urls import get_url_tuple

    if anchor_token[0] == "attr()":
        attr_name, type_, fallback = anchor_token[1]
        value = source_box.element.get(attr_name, fallback)
        url = get_url_tuple(value, source_box.style.base_url) if type_ == "url" else None
        anchor_token = ("url", url) if url is not None else ("string", value)
    name = anchor_name_from_token(anchor_token)
    return name if isinstance(name, str) else None


def anchor_pages(document: Any, first_page: int) -> dict[str, int]:
    """The page (numbered from ``first_page``) each anchor of a laid-out WeasyPrint document fell on, first one kept."""
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages, first_page):
        for name in page.anchors:
            found.setdefault(name, number)
    return found


def strings_left(document: Any, before: Mapping[str, str] | None = None) -> dict[str, str]:
    """The named strings in effect after the last page of a laid-out WeasyPrint document (``before`` it: ``before``):
    the last value each ``string-set`` gave, in the order of the pages' boxes."""
    left = dict(before or {})
    for page in document.pages:
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            sets = getattr(box, "string_set", None)
            if sets and sets != "none":
                for name, text in sets:
                    left[name] = text
            stack.extend(reversed(getattr(box, "children", ())))
    return left
