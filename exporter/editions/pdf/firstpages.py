"""Stops a trial layout once the pages the make-up reads are laid out, and says which stories run on past them.

A 版 made up page by page (:func:`exporter.editions.pdf.makeup.fill_folio`) is tried a page at a time: each
trial lays out the stories left from the top of a page, and the make-up takes what its first page holds
(the front page's band before it, when the band stands alone), and whether each story and each block on
it ends there. Nothing on a page depends on the pages after it when WeasyPrint is told every target's page
(:mod:`numbering`) and no ``counter(pages)`` is shown, so WeasyPrint's pages are made one after another
and :func:`first_pages` stops the making after the page that holds the ``stories``-th page of stories
(pieces). Where the layout would go on, the place it would go on from (WeasyPrint's skip stack) names
the pieces and blocks that run on past the last page laid (:func:`exporter.editions.pdf.measure.runs_on`):
:func:`exporter.editions.pdf.measure.laid_out` turns them into a page standing for the rest, so the
make-up reads from the shortened layout what it reads from the whole one.

A layout is not stopped while WeasyPrint holds boxes broken out of flow or footnotes for later pages:
they belong to no place in the skip stack. The function replaced is WeasyPrint's internal, so it is
checked as :mod:`numbering` checks its own. WeasyPrint is imported inside the function.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from exporter.editions.pdf.artifacts import SUPPORTED_WEASYPRINT, WeasyPrintChanged


@dataclass
class Stopped:
    """What a layout inside :func:`first_pages` left: ``None`` when it laid out every page, else the pieces (and
    their blocks, ``None`` for none) that run on past its last page."""

    rest: frozenset[tuple[str, int | None]] | None = None


@contextlib.contextmanager
def first_pages(stories: int | None) -> Iterator[Stopped]:
    """Lay documents out inside the block only up to their ``stories``-th page holding a story (every page when
    ``None``); the :class:`Stopped` yielded tells what the last one left. Inside :func:`numbering.numbered`,
    whose lock keeps one such layout at a time."""
    stopped = Stopped()
    if stories is None:
        yield stopped
        return
    import weasyprint
    import weasyprint.layout as layout_module

    from exporter.editions.pdf.measure import holds_story, runs_on

    if int(weasyprint.__version__.split(".")[0]) not in SUPPORTED_WEASYPRINT:
        raise WeasyPrintChanged(f"WeasyPrint {weasyprint.__version__}: first_pages was written for 70")
    make_all_pages = layout_module.make_all_pages
    if list(inspect.signature(make_all_pages).parameters) != ["context", "root_box", "html", "pages"]:
        raise WeasyPrintChanged("WeasyPrint's make_all_pages is not the one first_pages knows")

    def up_to(context: Any, root_box: Any, html: Any, pages: Any) -> Iterator[Any]:
        stopped.rest = None
        holding = 0
        for index, page in enumerate(make_all_pages(context, root_box, html, pages)):
            yield page
            holding += holds_story(page)
            resume_at = context.page_maker[index + 1][0]
            held = context.broken_out_of_flow or context.reported_footnotes
            if holding >= stories and resume_at is not None and not held:
                stopped.rest = runs_on(root_box, resume_at)
                # The page after it is not to be made: WeasyPrint would otherwise repaginate to make it.
                context.page_maker[index + 1][-1]["content_changed"] = False
                return

    layout_module.make_all_pages = up_to
    try:
        yield stopped
    finally:
        layout_module.make_all_pages = make_all_pages
