"""Lays the print edition out 版 by 版, each a WeasyPrint document of its own, side by side in worker processes.

A 版 opens a page, so its pages are the same laid out alone as in the whole issue, once WeasyPrint is told
the number of its first page and the pages of the stories its 导读 and 转版 lines point to
(:mod:`numbering`). The make-up's trials (:mod:`makeup`) and the last layout, which is written, are laid
out so, each 版 a task for a pool of processes forked from this one; each writes its PDF, and
:mod:`assemble` joins them into the issue's.

The pages a 版 starts on and its targets fall on are known from the trials before the last layout; where
one is not (a 版 made up page by page, a page number that moved a line), the 版 is laid out again with the
pages found, until every number holds (:data:`ROUNDS` at most).

WeasyPrint is imported where it is used.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from exporter.editions.pdf import makeup
from exporter.editions.pdf.makeup import FillJob, Folio, Laid, Makeup
from exporter.editions.pdf.measure import PageMap

#: Times the last layout of a 版 is made again when a page number it showed turned out wrong.
ROUNDS = 3

_LINK = re.compile(r'(?:href|data-href)="#([^"]+)"')


@dataclass(frozen=True)
class Tried:
    """One 版 as the make-up tries it: its HTML and the page each of its targets is given. Its layout is the same
    whenever these are (WeasyPrint lays out nothing else), so a trial is laid out once."""

    html: str
    targets: tuple[tuple[str, int], ...]
    #: Laid out only up to its page holding this many pages of stories, when set (see :mod:`firstpages`).
    stories: int | None = None


@dataclass(frozen=True)
class Part:
    """One 版 laid out as pages of the issue and written: its PDF and what its pages hold."""

    index: int
    pdf: bytes
    #: The page number its first page has in the issue.
    first_page: int
    #: Its pages as the make-up reads them (their ``folio`` the 版's index, ``number`` the issue's page number).
    pages: tuple[Laid, ...]
    #: The anchors on its pages, each with the issue's page number it fell on.
    anchors: Mapping[str, int]
    #: The targets its ``target-counter`` asked for, with the page number it was given.
    asked: Mapping[str, int | None]
    #: The names of the anchors set on its first page only to keep links to other 版 (see :mod:`assemble`).
    borrowed: frozenset[str]
    #: The stories' regions on its pages, when asked for.
    maps: tuple[PageMap, ...] | None
    #: The named strings (running heads) it was laid out with from the pages before it, and those it leaves.
    carried: Mapping[str, str]
    strings: Mapping[str, str]
    #: The ``bookmark-level`` of each of its bookmarks, in order.
    levels: tuple[int, ...] = ()


class Engine:
    """WeasyPrint ready for one issue: lays out one 版 on trial, or as pages of the issue to write."""

    def __init__(
        self,
        layout: Callable[[str], Any],
        made_up: Callable[[Makeup, bool, Makeup | None], str],
        write: Callable[[Any], bytes],
        *,
        maps: bool,
    ) -> None:
        #: A WeasyPrint document of an HTML string; the HTML of a plan (front page or not, the plan to look
        #: stories up in); a laid-out document's PDF.
        self.layout, self.made_up, self.write, self.maps = layout, made_up, write, maps

    def tried(self, index: int, folio: Folio, guess: Mapping[str, int], stories: int | None = None) -> Tried:
        """One 版 alone as the make-up tries it, to be laid out: its HTML, and its targets on the pages guessed (1
        for those not guessed); only up to its ``stories``-th page of stories, when given."""
        html = self.made_up(Makeup((folio,)), index == 0 and folio.band, None)
        return Tried(html, tuple(sorted((name, guess.get(name, 1)) for name in set(_LINK.findall(html)))), stories)

    def lay(self, trial: Tried) -> tuple[list[Laid], dict[str, str]]:
        """A trial laid out: its pages (ending with one that stands for those not laid out, when it stopped
        early), and the named strings it sets."""
        from exporter.editions.pdf.firstpages import first_pages
        from exporter.editions.pdf.measure import laid_out
        from exporter.editions.pdf.numbering import numbered, strings_left

        with numbered(1, dict(trial.targets)), first_pages(trial.stories) as stopped:
            document = self.layout(trial.html)
        return laid_out(document, stopped.rest), strings_left(document)

    def trial(
        self, index: int, folio: Folio, guess: Mapping[str, int], stories: int | None = None
    ) -> tuple[list[Laid], dict[str, str]]:
        """One 版 alone, as the make-up tries it (targets not on it are given the pages guessed), and the named
        strings it sets; only up to its ``stories``-th page of stories, when given."""
        return self.lay(self.tried(index, folio, guess, stories))

    def part(
        self, index: int, plan: Makeup, first_page: int, targets: Mapping[str, int], carried: Mapping[str, str]
    ) -> Part:
        """Folio ``index`` of ``plan`` laid out as pages ``first_page``… of the issue, its targets on ``targets``
        and the named strings ``carried`` from the pages before it, and written."""
        from exporter.editions.pdf.measure import laid_out, page_maps
        from exporter.editions.pdf.numbering import anchor_pages, numbered, strings_left

        folio = plan.folios[index]
        html = self.made_up(Makeup((folio,), plan.columns), index == 0, plan)
        wanted = {name: targets[name] for name in _LINK.findall(html) if name in targets}
        with numbered(first_page, wanted, carried) as numbers:
            document = self.layout(html)
        own = anchor_pages(document, first_page)
        # A link to a story on another 版 is kept by an anchor of that name here; the assembly points it there.
        borrowed = frozenset(name for name in wanted if name not in own and name in targets)
        if document.pages:
            for name in borrowed:
                document.pages[0].anchors[name] = (0, 0, 0, 0)
        pages = tuple(replace(p, number=first_page + i, folio=index) for i, p in enumerate(laid_out(document)))
        maps = tuple(replace(m, folio=index) for m in page_maps(document)) if self.maps else None
        with _fonts_uncut(len(plan.folios) > 1):
            pdf = self.write(document)
        left = strings_left(document, carried)
        levels = tuple(level for page in document.pages for level, *_ in page.bookmarks)
        asked = dict(numbers.asked)
        return Part(index, pdf, first_page, pages, own, asked, borrowed, maps, dict(carried), left, levels)


@contextmanager
def _fonts_uncut(uncut: bool) -> Iterator[None]:
    """PDFs written inside the block embed each font file as exporter made it (cut to the issue's characters), not
    cut again to the glyphs the document shows: the same bytes in every part, which :mod:`assemble` keeps once
    and cuts to the glyphs the issue shows. The widths and the text layer are the document's, as when cut."""
    if not uncut:
        yield
        return
    from weasyprint.pdf.fonts import Font

    subset = Font.subset

    def kept(self: Any, to_unicode: Any, hinting: Any) -> None:
        # A face of a collection (a system font WeasyPrint fell back on) is cut here: its file is the collection.
        if bytes(self.file_content[:4]) == b"ttcf":
            subset(self, to_unicode, hinting)

    Font.subset = kept
    try:
        yield
    finally:
        Font.subset = subset


#: The engine a worker process lays out with: the parent's, inherited when the pool forks.
_engine: Engine | None = None


def _lay(trial: Tried) -> tuple[list[Laid], dict[str, str]]:
    assert _engine is not None
    return _engine.lay(trial)


def _fill(args: tuple[FillJob, Mapping[str, int]]) -> Folio:
    assert _engine is not None
    job, guess = args
    engine = _engine
    # The make-up reads a trial's first page of stories (after the front page's band) and what runs on past it.
    return makeup.fill_folio(job, lambda index, folio: engine.trial(index, folio, guess, 1)[0])


def _part(args: tuple[int, Makeup, int, Mapping[str, int], Mapping[str, str]]) -> Part:
    assert _engine is not None
    return _engine.part(*args)


class Workers:
    """Lays 版 out side by side: the make-up's :class:`makeup.Layouts`, and the parts of the PDF.

    With one process, everything is laid out in this one, in turn. The last layout known of each 版 is kept, to
    guess the pages the next layouts' targets are on; and every trial's, so that a trial made again (a 版 whose
    stories come back from their jumps is the 版 first tried) is not laid out again.
    """

    def __init__(self, engine: Engine, pool: ProcessPoolExecutor | None) -> None:
        self.engine, self.pool = engine, pool
        self.latest: dict[int, Sequence[Laid]] = {}
        self.strings: dict[int, Mapping[str, str]] = {}
        self.laid: dict[Tried, tuple[list[Laid], dict[str, str]]] = {}

    def _map(self, function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        if self.pool is None or len(items) < 2:
            global _engine
            _engine = self.engine
            return [function(item) for item in items]
        return list(self.pool.map(function, items))

    def trials(self, folios: Sequence[tuple[int, Folio]]) -> list[Sequence[Laid]]:
        guess = self.guess()
        tried = [self.engine.tried(i, folio, guess) for i, folio in folios]
        new = list(dict.fromkeys(trial for trial in tried if trial not in self.laid))
        self.laid.update(zip(new, self._map(_lay, new), strict=True))
        done = [self.laid[trial] for trial in tried]
        for (i, _), (pages, strings) in zip(folios, done, strict=True):
            self.latest[i], self.strings[i] = pages, strings
        return [pages for pages, _ in done]

    def fills(self, jobs: Sequence[FillJob]) -> list[Folio]:
        guess = self.guess()
        return self._map(_fill, [(job, guess) for job in jobs])

    def checked(self, plan: Makeup) -> tuple[Makeup, list[Part]]:
        """The parts of the plan (:meth:`parts`), and the 版 made up page by page checked on them (:func:`makeup.fill`,
        which the make-up leaves to the parts): one where a story still crosses a page is made up again from its
        part's pages, and the parts laid out again (:data:`ROUNDS` times at most, and not when it was made up as it
        was: they would be the same); the plan the parts are of."""
        parts = self.parts(plan)
        for _ in range(ROUNDS):
            again = makeup.fill(plan, [page for part in parts for page in part.pages], self)
            if again is None or again == plan:
                break
            plan, parts = again, self.parts(again)
        return plan, parts

    def parts(self, plan: Makeup) -> list[Part]:
        """Every 版 of the plan laid out as pages of the issue and written, with every page number and running head
        right: as the trials and the plan have them, then as the parts found them, for the parts where they differ."""
        starts, guess = self.starts(plan), self.guess(plan)
        carried: list[Mapping[str, str]] = [{}]
        for i in range(len(plan.folios) - 1):
            carried.append({**carried[-1], **self.strings.get(i, {})})
        parts = self._map(_part, [(i, plan, starts[i], guess, carried[i]) for i in range(len(plan.folios))])
        for _ in range(ROUNDS):
            starts, carried = [1], [{}]
            for part in parts[:-1]:
                starts.append(starts[-1] + len(part.pages))
                carried.append(part.strings)
            found = {
                name: page - part.first_page + starts[part.index]
                for part in reversed(parts)
                for name, page in part.anchors.items()
            }
            wrong = [
                part.index
                for part in parts
                if part.first_page != starts[part.index]
                or part.carried != carried[part.index]
                or any(found.get(name) != page for name, page in part.asked.items())
                or any(found.get(name) is None for name in part.borrowed)
            ]
            if not wrong:
                break
            again = self._map(_part, [(i, plan, starts[i], found, carried[i]) for i in wrong])
            for part in again:
                parts[part.index] = part
        return parts

    def starts(self, plan: Makeup) -> list[int]:
        """The page each 版 of the plan starts on, as the layouts known so far have it."""
        starts = [1]
        for i, folio in enumerate(plan.folios[:-1]):
            starts.append(starts[-1] + _page_count(folio, self.latest.get(i)))
        return starts

    def guess(self, plan: Makeup | None = None) -> dict[str, int]:
        """The page each story's piece is on, as the layouts known so far have it (for a trial's page numbers); for
        a 版 of ``plan`` made up page by page, as the plan has it (it was not laid out whole since)."""
        guess: dict[str, int] = {}
        start = 1
        for i in sorted(self.latest):
            folio = plan.folios[i] if plan is not None and i < len(plan.folios) else None
            if folio is not None and folio.filled:
                number = start + folio.band_pages - 1
                for piece in folio.pieces:
                    number += piece.new_page
                    guess.setdefault(piece.id, number)
                start += _page_count(folio, None)
                continue
            pages = self.latest[i]
            for number, page in enumerate(pages, start):
                for seen in page.pieces:
                    guess.setdefault(seen.piece, number)
            start += max(1, len(pages))
        return guess


def seeded(layout: Callable[[str], Any], html: str, found: dict[str, int]) -> Any:
    """A whole document laid out with its targets on the pages ``found`` last time (WeasyPrint finds those it is not
    told, laying pages out again), laid out again while one told was wrong; ``found`` updated with its anchors."""
    from exporter.editions.pdf.numbering import anchor_pages, numbered

    names = set(_LINK.findall(html))
    for _ in range(ROUNDS):
        with numbered(1, {name: page for name, page in found.items() if name in names}) as numbers:
            document = layout(html)
        here = anchor_pages(document, 1)
        found.update(here)
        if all(page is None or here.get(name) == page for name, page in numbers.asked.items()):
            break
    return document


def _page_count(folio: Folio, laid: Sequence[Laid] | None) -> int:
    """The pages a 版 takes: counted from its plan when it was made up page by page, else from its last layout."""
    if folio.filled:
        return folio.band_pages + sum(1 for p in folio.pieces if p.new_page)
    return max(1, len(laid)) if laid is not None else 1


@contextmanager
def workers(engine: Engine, processes: int) -> Iterator[Workers]:
    """:class:`Workers` over a pool of ``processes`` forked processes (none for one), shut down after the block."""
    global _engine
    _engine = engine
    pool = None
    if processes > 1:
        pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"))
    try:
        yield Workers(engine, pool)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        _engine = None
