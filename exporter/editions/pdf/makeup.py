"""Makes up the print edition's pages (版面): which part of which article goes on which page, and where stories jump.

A night editor makes each 版 up as a page: the lead story at the top, the others under it, and when the
版's text is more than its page holds, the longest story jumps: its text stops at the foot of the page
with a 转版 line 「（下转第A03版·第3页）」, and goes on, under its headline as a 续 line and a line
「（上接第A01版·第1页）」, on a later 版 that has room. A story that runs over a page inside one 版 (an
issue whose 版 have no labels, or the issue's last 版) gets the same pair of lines.

The make-up is revised from trial layouts (:func:`make_up`): :func:`revise` reads where WeasyPrint put
every piece (:class:`Laid`, measured by :mod:`exporter.editions.pdf.measure`) and makes a labelled 版
over its page jump; :func:`fill` makes up page by page a 版 that runs over pages; only the 版 that
changed are laid out again. The rules:

- a headline keeps its byline and at least :data:`MIN_LINES` lines of its text on its page;
- a labelled 版 that is not the issue's last is one page: its overflow jumps to a later 版;
- a story crossing a page boundary is split between blocks, each part carrying its 转版 line;
- no page is under a third full before a later 版, and the issue's last page is no widow of one or two lines.

For 版 that run on from page to page (``makeup = "flow"``), :func:`flow` keeps the headline rule alone.

This module holds the plan and its rules only; nothing here imports WeasyPrint.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol, runtime_checkable

from exporter.model import Article, Figure, Issue, Paragraph, Section

#: Lines of its text a headline keeps with it on its page (and the fewest lines a page may end on).
MIN_LINES = 3
#: The share of its lines a story that jumps keeps on its own 版, when the 版 is over its page by much.
KEEP_SHARE = 1 / 3
#: A page filled less than this is underfull (a page of the issue but the last may not be).
UNDERFULL = 1 / 3
#: How far over a third the make-up fills a page it fills to a third (measures differ by a little).
MARGIN = 0.05
#: A page filled this far is full: the make-up does not try to fill it further.
FULL = 0.9
#: The share of the page's height a row of modules stands at most.
LOW_ROW = 0.4
#: Times a 版's last page is levelled with the page before it, at most (see :func:`_level`).
LEVELLINGS = 3
#: How far (a share of its page) a 版 may run over what its stories can give before it is made up page by page at
#: once: the measure of what they give is an estimate, a line or two a story.
CROWDED = 0.75
#: Trial layouts at most: each is one WeasyPrint layout of the whole issue.
MAX_ROUNDS = 8


@dataclass(frozen=True)
class Piece:
    """A story, or the part of it (blocks ``start`` to ``stop``) one page shows."""

    article: Article
    start: int = 0
    stop: int | None = None
    #: Starts a new page (the rules moved it there).
    new_page: bool = False
    #: The piece of the same story before this one and after it, by id, when the story jumps.
    previous: str | None = None
    next: str | None = None
    #: Set as a module beside the pieces next to it with the same row (1, 2, … in its 版), across ``span`` of the
    #: page's columns; 0: across the page.
    row: int = 0
    span: int = 0

    @property
    def id(self) -> str:
        """The id of the piece's element: the article's own for its first piece."""
        return self.article.id if self.start == 0 else f"{self.article.id}-from-{self.start}"

    @property
    def continued(self) -> bool:
        """The piece goes on from an earlier one (it shows a 续 line, not the head)."""
        return self.start > 0

    @property
    def shown(self) -> Article:
        """The article as this piece shows it: its blocks, its dateline only at the start."""
        end = len(self.article.blocks) if self.stop is None else self.stop
        return replace(
            self.article,
            id=self.id,
            blocks=self.article.blocks[self.start : end],
            dateline=self.article.dateline if self.start == 0 else None,
            truncated=self.article.truncated and end == len(self.article.blocks),
        )

    @property
    def size(self) -> int:
        """Characters of text in the piece's paragraphs: how long a story is, to choose the one that jumps."""
        return sum(sum(len(s.text) for s in b.spans) for b in self.shown.blocks if isinstance(b, Paragraph))


@dataclass(frozen=True)
class Folio:
    """One 版 made up: its section and the pieces on its page(s), in order."""

    section: Section
    pieces: tuple[Piece, ...]
    #: The story chosen to jump, once the 版 was found to overflow its page, and the end of its first part
    #: found too long (the make-up hands blocks back to fill the page, never up to that one).
    jumping: str | None = None
    tight: int | None = None
    #: Made up page by page (see :func:`fill`); a 版 is not made to jump after that.
    filled: bool = False
    #: Opens with the 版's band (a trial layout of a later page of the 版 has none).
    band: bool = True
    #: Made up page by page with the band alone before the stories (the front page its masthead and 导读 fill):
    #: the pages the band takes, more than one when the 导读 runs over the front page. Else 1, the 版's first page.
    band_pages: int = 1

    @property
    def rows(self) -> tuple[tuple[Piece, ...], ...]:
        """The pieces as the page sets them: one to a row across the page, or side by side as modules."""
        rows: list[list[Piece]] = []
        for piece in self.pieces:
            if piece.row and rows and rows[-1][-1].row == piece.row:
                rows[-1].append(piece)
            else:
                rows.append([piece])
        return tuple(tuple(row) for row in rows)


@dataclass(frozen=True)
class Makeup:
    """The issue made up: its 版 in order, on pages of ``columns`` columns."""

    folios: tuple[Folio, ...]
    columns: int = 1

    def piece(self, piece_id: str) -> tuple[Folio, Piece]:
        index, piece = _find(self.folios, piece_id)
        return self.folios[index], piece


def initial(issue: Issue, columns: int = 1) -> Makeup:
    """Every story whole, in its 版, in the issue's order, on pages of ``columns`` columns."""
    return Makeup(tuple(Folio(s, tuple(Piece(a) for a in s.articles)) for s in issue.sections), columns)


@dataclass(frozen=True)
class OnPage:
    """Where a trial layout put (part of) one piece on one page."""

    piece: str
    #: The head (or 续 line) is on this page.
    head: bool
    #: Lines of body text on this page.
    lines: int
    #: Indexes (in the article) of the blocks whose last line is on this page.
    ends: frozenset[int]
    #: The piece ends on this page (nothing of it is on a later page).
    complete: bool
    #: Height of the piece on this page, and of its head (CSS px), and the lines of each block here.
    height: float = 0.0
    head_height: float = 0.0
    block_lines: tuple[tuple[int, int], ...] = ()
    #: The height each block's lines and pictures add up to here (CSS px), and the columns its lines stand in.
    block_area: tuple[tuple[int, float], ...] = ()
    columns: int = 1


@dataclass(frozen=True)
class Laid:
    """One page of a trial layout: the 版 it belongs to and what it shows."""

    number: int
    folio: int
    pieces: tuple[OnPage, ...]
    #: How far down the text area the content reaches (0–1).
    fill: float = 0.0
    lines: int = field(default=0)
    #: Height of the page's text area (CSS px).
    height: float = 0.0
    #: Stands for the pages a trial did not lay out (see :func:`fill_folio`): its pieces, none of them complete,
    #: are those that run on there; it shows nothing else.
    rest: bool = False


def make_up(plan: Makeup, pages: Sequence[Laid], trial: Trial | Layouts) -> Makeup:
    """The plan revised (:func:`revise`) until every rule holds, or :data:`MAX_ROUNDS` tried; then the 版 that
    still run over pages made up page by page (:func:`fill`). Those are not laid out again here: whoever lays the
    plan out checks them with :func:`fill` on its pages.

    ``pages`` is the layout of ``plan``; after each revision only the 版 that changed are laid out again, each
    on its own (a 版 opens a page, so its pages are the same alone as in the issue). ``trial`` lays one 版 out;
    :class:`Layouts` lay out several at once (in worker processes).
    """
    lay = trial if isinstance(trial, Layouts) else InTurn(trial)
    by_folio = {i: [p for p in pages if p.folio == i] for i in range(len(plan.folios))}
    last = len(plan.folios) - 1
    # The issue's last 版, once it runs over pages, takes the jumps no other 版 has room for, round after round:
    # while other 版 still change, it is not laid out again (nothing in their revision reads its pages: it is
    # their jumps' target whatever its length), only once they are done.
    stale = False

    def lay_last() -> None:
        nonlocal stale
        if stale:
            by_folio[last] = list(lay.trials([(last, plan.folios[last])])[0])
            stale = False

    for _ in range(MAX_ROUNDS):
        current = _numbered(plan, by_folio)
        revised = revise(plan, current)
        if revised is None and stale:
            lay_last()
            current = _numbered(plan, by_folio)
            revised = revise(plan, current)
        if revised is None:
            break
        changed = [(i, new) for i, (old, new) in enumerate(zip(plan.folios, revised.folios, strict=True)) if old != new]
        if len(changed) > 1 and changed[-1][0] == last and (stale or len(by_folio[last]) > 1):
            changed.pop()
            by_folio[last], stale = [], True
        for (i, _), laid in zip(changed, lay.trials(changed), strict=True):
            by_folio[i] = list(laid)
        plan = revised
    # Every 版 holds to its page, or the revisions ran out: the 版 whose stories run over pages are made up page by
    # page, and the plan is done. They are not laid out whole again here: the parts of the PDF are their layouts,
    # and check them (see parts.Workers.checked).
    lay_last()
    return fill(plan, _numbered(plan, by_folio), lay) or plan


def flow(plan: Makeup, pages: Sequence[Laid], lay: Callable[[Makeup], Sequence[Laid]]) -> Makeup:
    """The plan for 版 that run on from page to page (``makeup = "flow"``): a story whose headline would stand
    at a page's foot with fewer than :data:`MIN_LINES` of its lines starts the next page; ``lay`` lays a plan
    out whole."""
    for _ in range(MAX_ROUNDS):
        folios = list(plan.folios)
        # The first such headline of each 版 only: moving it moves every page after it in its 版.
        moved: set[int] = set()
        for page in pages[:-1]:
            for seen in page.pieces:
                if page.folio not in moved and seen.head and not seen.complete and seen.lines < MIN_LINES:
                    _, piece = _find(folios, seen.piece)
                    _swap(folios, piece.id, replace(piece, new_page=True))
                    moved.add(page.folio)
        if folios == list(plan.folios):
            break
        plan = replace(plan, folios=tuple(folios))
        pages = lay(plan)
    return plan


def _numbered(plan: Makeup, by_folio: dict[int, list[Laid]]) -> list[Laid]:
    """The 版' pages in the issue's order, numbered from 1 and each with its 版's index."""
    pages: list[Laid] = []
    for i in range(len(plan.folios)):
        for page in by_folio[i]:
            pages.append(replace(page, number=len(pages) + 1, folio=i))
    return pages


def revise(makeup: Makeup, pages: Sequence[Laid]) -> Makeup | None:
    """The make-up with the first broken rule of each 版 mended, or None when every rule holds."""
    folios = list(makeup.folios)
    changed = False
    # The room of each 版's page given to jumps this round (CSS px): two 版 jumping at once do not both fill it.
    promised: dict[int, float] = {}
    for index in range(len(folios)):
        own = [p for p in pages if p.folio == index]
        changed = _mend(folios, index, own, pages, makeup.columns, promised) or changed
    return replace(makeup, folios=tuple(folios)) if changed else None


def _mend(
    folios: list[Folio],
    index: int,
    pages: list[Laid],
    everything: Sequence[Laid],
    columns: int,
    promised: dict[int, float],
) -> bool:
    """Mend a labelled 版 that runs over its page (its short stories are set side by side, then its longest
    story jumps) or, once it jumped, leaves room on it (the story takes a block back); True when something
    changed."""
    folio = folios[index]
    if not pages or folio.filled:
        return False
    if len(pages) > 1 and folio.section.page is not None and _pack(folios, index, pages, columns):
        return True
    if len(pages) > 1 and folio.section.page is not None and index < len(folios) - 1:
        # Measured before anything jumps: a 版 its stories cannot keep on its page is made up page by page at once.
        if folio.jumping is None and _crowded(folio, pages):
            return _spread(folios, index)
        return _jump(folios, index, pages, everything, promised) or _spread(folios, index)
    if folio.jumping is not None and len(pages) == 1 and pages[0].fill < FULL:
        return _hand_back(folios, index)
    return False


#: A trial layout of one 版's pieces: (the 版's index, the 版 with the pieces to try; its ``band`` says whether its
#: page opens with the 版's band and, for the first 版, the front page) → the pages it makes.
Trial = Callable[[int, "Folio"], Sequence[Laid]]


@runtime_checkable
class Layouts(Protocol):
    """Lays out several 版 at once, each on its own: the trials of :func:`make_up`, and whole 版 made up page by page
    (:func:`fill_folio`, which lays out again and again)."""

    def trials(self, folios: Sequence[tuple[int, Folio]]) -> list[Sequence[Laid]]: ...

    def fills(self, jobs: Sequence[FillJob]) -> list[Folio]: ...


@dataclass(frozen=True)
class FillJob:
    """A 版 to make up page by page: its index, the 版, its pages as last laid out, whether it is the issue's last."""

    index: int
    folio: Folio
    pages: tuple[Laid, ...]
    last: bool


class InTurn:
    """:class:`Layouts` one after another, with one trial function."""

    def __init__(self, trial: Trial) -> None:
        self.trial = trial

    def trials(self, folios: Sequence[tuple[int, Folio]]) -> list[Sequence[Laid]]:
        return [self.trial(i, folio) for i, folio in folios]

    def fills(self, jobs: Sequence[FillJob]) -> list[Folio]:
        return [fill_folio(job, self.trial) for job in jobs]


def fill(makeup: Makeup, pages: Sequence[Laid], lay: Layouts) -> Makeup | None:
    """Make up page by page every 版 whose stories run over a page (:func:`fill_folio`), or None when none does."""
    jobs: list[FillJob] = []
    for index, folio in enumerate(makeup.folios):
        own = [p for p in pages if p.folio == index]
        # A story crosses a page of the 版, or a page holds none (its first story went whole to the next page).
        crossing = any(not s.complete for p in own[:-1] for s in p.pieces)
        # A front page its masthead and 导读 fill alone holds no story, as it was made to.
        band_alone = folio.filled and bool(folio.pieces) and folio.pieces[0].new_page
        if crossing or not all(p.pieces for p in own[folio.band_pages if band_alone else 0 : -1]):
            jobs.append(FillJob(index, folio, tuple(own), index == len(makeup.folios) - 1))
    if not jobs:
        return None
    folios = list(makeup.folios)
    for job, made in zip(jobs, lay.fills(jobs), strict=True):
        folios[job.index] = made
    return replace(makeup, folios=tuple(folios))


def fill_folio(job: FillJob, trial: Trial) -> Folio:
    """One 版 made up page by page.

    The 版's stories are laid out from the top of a page; what the page holds is taken: whole stories, and
    the story crossing its foot up to its last block that ends on it, with a 下转 line; the rest of that story,
    under its 续 line, opens the next page, and the remaining stories are laid out again from there. A
    headline with fewer than :data:`MIN_LINES` of its lines on the page goes to the next page with its story.

    Only a trial's first page of stories is read (after the pages the front page's band takes alone), and whether
    more follow: ``trial`` may stop there, ending its pages with one standing for the rest (:attr:`Laid.rest`).
    """
    index, folio, own = job.index, job.folio, job.pages
    per_page = sum(p.size for p in folio.pieces) / max(1, len(own))
    # The layout in hand is the first page's trial, when the 版 is laid out as it would be tried.
    known = own if _rejoined(folio.pieces) == list(folio.pieces) else None
    while True:
        pieces, row, band_pages = _fill(index, folio, per_page, trial, last=job.last, known=known)
        if not row:
            break
        # A page ended with a row of modules, which goes over whole or not at all, and the 版's last page was
        # left under a third full: the 版 is made up again with that row's stories across the page.
        folio = replace(folio, pieces=tuple(replace(p, row=0, span=0) if p.row == row else p for p in folio.pieces))
        known = None
    return replace(folio, pieces=tuple(pieces), filled=True, band_pages=band_pages)


def _band_pages(pages: Sequence[Laid]) -> int:
    """The pages of a trial of the front page that its band fills before the first story, which opens the page after
    them: one, or more where the 导读 runs over the front page."""
    return max(1, next((i for i, page in enumerate(pages) if page.pieces), len(pages)))


def _fill(
    index: int, folio: Folio, per_page: float, trial: Trial, *, last: bool, known: Sequence[Laid] | None = None
) -> tuple[list[Piece], int, int]:
    """The pieces of one 版, made up page by page (see :func:`fill`); the row of modules that left the 版's last
    page under a third full by ending the page before (0 when none did); the pages its band takes alone (1 when
    it does not stand alone)."""
    queue = [replace(p, new_page=False) for p in _rejoined(folio.pieces)]
    made: list[list[Piece]] = []
    band = True
    band_pages = 1
    budget = 1.6 * per_page
    last_lines, last_fill = MIN_LINES, 1.0
    # The trial layout of the page before the one being made: where its pieces stood.
    before: Laid | None = None
    # A story tried up to the picture its text goes on with (and the stories tried so): see below.
    caps: dict[str, int] = {}
    capped: set[str] = set()
    while queue:
        if known is not None:
            tried, whole, laid = list(queue), {p.id for p in queue}, known
            known = None
        else:
            tried, whole = _limited(queue, budget)
            tried = [replace(p, stop=caps[p.id]) if caps.get(p.id, _stop(p)) < _stop(p) else p for p in tried]
            whole -= set(caps)
            # The front page that its band fills alone: the stories are tried from the top of the page after it.
            opened = band and bool(made)
            if opened:
                tried[0] = replace(tried[0], new_page=True)
            laid = trial(index, replace(folio, pieces=tuple(tried), band=band))
            if opened:
                band_pages = _band_pages(laid)
                laid = laid[band_pages:]
        on = {s.piece: s for s in laid[0].pieces} if laid else {}
        if not caps and len(laid) <= 1 and all(p.id in on and on[p.id].complete for p in tried):
            if len(tried) == len(queue) and whole.issuperset(p.id for p in tried):
                # The rest of the 版 fits on this page.
                made.append([replace(queue[0], new_page=bool(made)), *queue[1:]])
                last_lines, last_fill = (laid[0].lines, laid[0].fill) if laid else (0, 0.0)
                break
            budget *= 2  # the trial held less than a page: try more
            continue
        taken: list[Piece] = []
        rest = list(queue)
        retry = False
        for piece in tried:
            seen = on.get(piece.id)
            # A picture taller than the room left keeps the whole of a story's columns off the page (WeasyPrint
            # lays out no column of a multi-column box there), and its head with them: the story is tried again
            # up to that picture, once.
            picture = _picture(piece) if piece.id not in capped else None
            if picture is not None and (seen.lines == 0 if seen is not None else not taken):
                caps[piece.id] = picture
                capped.add(piece.id)
                retry = True
                break
            if seen is None:
                break
            if piece.id in caps:
                # Tried up to its picture: its text there stays on the page, the picture opens the next one.
                cap = caps.pop(piece.id)
                if seen.complete and (piece.continued or seen.lines >= MIN_LINES):
                    head, tail = _divide(rest.pop(0), cap)
                    taken.append(head)
                    rest.insert(0, tail)
                break
            if seen.complete:
                taken.append(rest.pop(0))
                continue
            if piece.row:
                break  # a row of modules goes whole to the next page
            # The story crossing the page's foot: it stops after its last block there, or goes to the next page.
            if not (seen.head and seen.lines < MIN_LINES) and (cut := _cut_at(piece, seen)) is not None:
                head, tail = _divide(rest.pop(0), cut)
                taken.append(head)
                rest.insert(0, tail)
            break
        if retry:
            continue
        if not taken and band and index == 0 and not made:
            # The masthead and the 导读 fill the front page: it stands alone, and the 版's stories open the next.
            made.append([])
            before = laid[0] if laid else None
            caps.clear()
            capped.clear()
            continue
        if not taken:  # not even the first lines of the first story fit: it takes the page as it is
            taken, rest = [queue[0]], queue[1:]
        if made:
            taken[0] = replace(taken[0], new_page=True)
        made.append(taken)
        queue = rest
        band = False
        before = laid[0] if laid else None
    row = 0
    if len(made) > 1 and made[-1] and made[-2]:
        head, tail = made[-2][-1], made[-1][0]
        if last and last_lines < MIN_LINES and head.next == tail.id and head.start < _stop(head) - 1:
            # The issue's last page is no widow: a block more goes over to it.
            made[-2][-1], made[-1][0] = _moved(head, tail, _stop(head) - 1)
        elif not last and last_fill < UNDERFULL and before is not None:
            # Levelled, and laid out again to see that it holds (the part of a story on each page pays for its
            # head or 续 line, which the estimate cannot tell): levelled again from there when it does not.
            for _ in range(LEVELLINGS):
                row = _level(made, before, last_fill)
                if row:
                    break
                end = trial(
                    index, replace(folio, pieces=tuple(replace(p, new_page=False) for p in made[-1]), band=False)
                )
                if len(end) != 1 or end[0].fill >= UNDERFULL + MARGIN:
                    break
                # The page before opens the 版 when no page with stories comes before it (the front page its band
                # fills alone holds none).
                opening = not any(made[:-2])
                after_band = opening and not made[0]
                again = tuple(replace(p, new_page=after_band and i == 0) for i, p in enumerate(made[-2]))
                laid = trial(index, replace(folio, pieces=again, band=opening))[band_pages if after_band else 0 :]
                if not laid:
                    break
                before, last_fill = laid[0], end[0].fill
    for pieces in made[1:]:
        pieces[:] = [replace(p, new_page=i == 0) for i, p in enumerate(pieces)]
    return [p for page in made for p in page], row, band_pages


def _level(made: list[list[Piece]], before: Laid, fill: float) -> int:
    """The 版's last page, ``fill`` full, made a third full from the page before it (laid out as ``before``).

    That page's last story gives its last blocks, under its 续 line, to the top of the last page (as long as
    :data:`MIN_LINES` of its lines stay under its headline), or goes over whole when they are too few and the
    page it leaves stays a third full; then the story before it the same way. A row of modules goes over whole
    or not at all: the row that cannot is returned, to be set across the page (0 when none).
    """
    on = {s.piece: s for s in before.pieces}
    height = before.height or 1.0
    left = before.fill
    while made[-2] and fill < UNDERFULL + MARGIN:
        head, first = made[-2][-1], made[-1][0]
        seen = on.get(head.id)
        if seen is None:
            break
        crossing = head.next == first.id
        if head.row:
            row = [p for p in made[-2] if p.row == head.row]
            tall = max((on[p.id].height for p in row if p.id in on), default=height) / height
            if len(row) == len(made[-2]) or left - tall < UNDERFULL:
                return head.row
            del made[-2][-len(row) :]
            made[-1][:0] = row
            fill, left = fill + tall, left - tall
            continue
        stop, enough = _balanced(head, seen, height, fill)
        part = seen.height / height
        whole = not enough and len(made[-2]) > 1 and left - part >= UNDERFULL and (not crossing or first.next is None)
        if not whole:
            if head.start < stop < _stop(head):
                if crossing:
                    made[-2][-1], made[-1][0] = _moved(head, first, stop)
                else:
                    made[-2][-1], moved = _divide(head, stop)
                    made[-1].insert(0, moved)
            break
        made[-2].pop()
        if crossing:
            made[-1][0] = replace(head, stop=first.stop, next=first.next)
        else:
            made[-1].insert(0, head)
        fill, left = fill + part, left - part
    return 0


def _moved(head: Piece, tail: Piece, stop: int) -> tuple[Piece, Piece]:
    """The cut between a story's part and the part after it on the next page moved to block ``stop``."""
    tail = replace(tail, start=stop)
    return replace(head, stop=stop, next=tail.id), tail


def _balanced(head: Piece, seen: OnPage, height: float, fill: float) -> tuple[int, bool]:
    """Where the last story of a page stops so that the page after it, ``fill`` full, is a third full and a little
    more: its last blocks go over, their area (``seen`` on a page ``height`` tall) spread over its columns, as long
    as :data:`MIN_LINES` of its lines stay under its headline; and whether that is enough."""
    area = dict(seen.block_area)
    lines = dict(seen.block_lines)
    need = (UNDERFULL + MARGIN - fill) * height * max(1, seen.columns)
    stop = _stop(head)
    moved = 0.0
    while moved < need and stop - 1 > head.start:
        if not head.continued and sum(lines.get(b, 0) for b in range(head.start, stop - 1)) < MIN_LINES:
            break
        stop -= 1
        moved += area.get(stop, 0.0)
    return stop, moved >= need


def _picture(piece: Piece) -> int | None:
    """The first picture of a piece after its first block, if any."""
    return next((b for b in range(piece.start + 1, _stop(piece)) if isinstance(piece.article.blocks[b], Figure)), None)


def _rejoined(pieces: Sequence[Piece]) -> list[Piece]:
    """The pieces with the parts of one story that follow each other in the 版 joined again."""
    joined: list[Piece] = []
    for piece in pieces:
        before = joined[-1] if joined else None
        if before is not None and before.next == piece.id and before.article.id == piece.article.id:
            joined[-1] = replace(before, stop=piece.stop, next=piece.next)
        else:
            joined.append(replace(piece, new_page=False))
    return joined


def _limited(queue: Sequence[Piece], budget: float) -> tuple[list[Piece], set[str]]:
    """The first pieces of the queue up to about ``budget`` characters (the last one cut short), and the ids of
    those tried whole."""
    tried: list[Piece] = []
    whole: set[str] = set()
    total = 0.0
    for piece in queue:
        if total >= budget:
            break
        if total + piece.size <= budget or piece.size == 0:
            tried.append(piece)
            whole.add(piece.id)
            total += piece.size
            continue
        # Cut short: blocks up to the budget (the part tried keeps the piece's id, so the trial reads it).
        end = piece.start
        stop = _stop(piece)
        while end < stop and total < budget:
            block = piece.article.blocks[end]
            total += sum(len(s.text) for s in block.spans) if isinstance(block, Paragraph) else 40
            end += 1
        tried.append(replace(piece, stop=end) if end < stop else piece)
        if end >= stop:
            whole.add(piece.id)
        break
    return tried, whole


def _cut_at(piece: Piece, seen: OnPage) -> int | None:
    """Where a story crossing the page's foot stops on it: after its last block that ends on the page, provided
    the block after it had a line on the page (so the 下转 line has room), else one block earlier; None when
    nothing of it (or too little under its headline) would stay."""
    last = max((b for b in seen.ends if b >= piece.start), default=None)
    if last is None:
        return None
    lines = dict(seen.block_lines)
    cut = last + 1
    if not lines.get(cut):
        cut = last
    if cut <= piece.start or cut >= _stop(piece):
        return None
    if not piece.continued and sum(lines.get(b, 0) for b in range(piece.start, cut)) < MIN_LINES:
        return None
    return cut


def _divide(piece: Piece, cut: int) -> tuple[Piece, Piece]:
    """The piece as two parts, before and from block ``cut``, linked by their 转版 lines."""
    tail = Piece(piece.article, start=cut, stop=piece.stop, next=piece.next)
    head = replace(piece, stop=cut, next=tail.id)
    return head, replace(tail, previous=head.id)


def _find(folios: Sequence[Folio], piece_id: str) -> tuple[int, Piece]:
    for i, folio in enumerate(folios):
        for piece in folio.pieces:
            if piece.id == piece_id:
                return i, piece
    raise KeyError(piece_id)


def _swap(folios: list[Folio], piece_id: str, new: Piece) -> None:
    for i, folio in enumerate(folios):
        if any(p.id == piece_id for p in folio.pieces):
            folios[i] = replace(folio, pieces=tuple(new if p.id == piece_id else p for p in folio.pieces))


def _stop(piece: Piece) -> int:
    return len(piece.article.blocks) if piece.stop is None else piece.stop


def _areas(pages: Sequence[Laid], piece_id: str) -> tuple[dict[int, float], dict[int, int], int]:
    """The area (CSS px of line and picture height) and lines of each block of a piece over its pages, and the
    most columns it stands in."""
    area: dict[int, float] = {}
    lines: dict[int, int] = {}
    columns = 1
    for page in pages:
        for seen in page.pieces:
            if seen.piece == piece_id:
                columns = max(columns, seen.columns)
                for block, value in seen.block_area:
                    area[block] = area.get(block, 0.0) + value
                for block, count in seen.block_lines:
                    lines[block] = lines.get(block, 0) + count
    return area, lines, columns


def _jump(
    folios: list[Folio], index: int, pages: list[Laid], everything: Sequence[Laid], promised: dict[int, float]
) -> bool:
    """A labelled 版 over its page: its longest story stops early and goes on in a later 版 with room, and
    the next longest too when that is not enough.

    Each story gives up blocks from its end (keeping :data:`KEEP_SHARE` of its lines) until their area,
    spread over its columns, is the height the 版 runs over by (and a line for the 下转 line); the next
    trial layout shows whether more must go.
    """
    folio = folios[index]
    remaining = _over(pages)
    own = [p for p in folio.pieces if not p.continued and not p.row]
    if folio.jumping is not None:
        lead = next(p for p in own if p.article.id == folio.jumping)
        # This far was too far: a story handing blocks back never reaches it again.
        folio = replace(folio, tight=min(folio.tight or _stop(lead), _stop(lead)))
        folios[index] = folio
    # Stories that jump already go first, then the longest.
    order = sorted(own, key=lambda p: (p.article.id != folio.jumping, p.next is None, -p.size))
    jumped: list[str] = []
    for story in order:
        if remaining <= 0:
            break
        if not jumped:
            area, lines, _ = _areas(pages, story.id)
            remaining += max((a / n for b, a in area.items() if (n := lines.get(b))), default=20.0)  # the 下转 line
        cut, removed, columns, freed = _gives(story, pages, remaining)
        if cut >= _stop(story):
            continue
        remaining -= freed
        jumped.append(story.article.id)
        if story.next is not None:
            _hand_on(folios, story.id, _stop(story) - cut)
            continue
        head, tail = _divide(story, cut)
        _swap(folios, story.id, head)
        target = _target(folios, index, everything, removed / columns, promised)
        receiving = folios[target]
        folios[target] = replace(receiving, pieces=(*receiving.pieces, tail))
    if not jumped:
        return False
    folios[index] = replace(folios[index], jumping=folio.jumping or jumped[0])
    return True


def _gives(story: Piece, pages: Sequence[Laid], height: float) -> tuple[int, float, int, float]:
    """What a story over its 版's page gives up to free ``height`` of the page (CSS px): blocks from its end, as long
    as :data:`KEEP_SHARE` of its lines (:data:`MIN_LINES` at least) stay under its headline. Where it stops, the
    area of the blocks given, the columns it stands in, and the height they free (their area over its columns)."""
    area, lines, columns = _areas(pages, story.id)
    # Columns balanced around a picture stand taller than the area over the columns: measure by how much.
    body = max((s.height - s.head_height for p in pages for s in p.pieces if s.piece == story.id), default=0.0)
    spread = sum(area.values()) / columns
    ratio = max(1.0, body / spread) if spread else 1.0
    need = height * columns / ratio
    cut = _stop(story)
    removed = 0.0
    # A story keeps a third of its lines on its 版 (three at least): a page of stubs is no page.
    keep = max(MIN_LINES, round(sum(lines.values()) * KEEP_SHARE))
    while removed < need and cut - 1 > story.start:
        if sum(lines.get(b, 0) for b in range(story.start, cut - 1)) < keep:
            break
        cut -= 1
        removed += area.get(cut, 0.0)
    return cut, removed, columns, removed * ratio / columns


def _crowded(folio: Folio, pages: Sequence[Laid]) -> bool:
    """A labelled 版 over its page by more than its stories can give (:func:`_gives`, each keeping a third of its
    lines), by :data:`CROWDED` of a page at least: no jump would keep it on its page."""
    given = sum(_gives(p, pages, math.inf)[3] for p in folio.pieces if not p.continued and not p.row)
    return _over(pages) - given > CROWDED * pages[0].height


def _over(pages: Sequence[Laid]) -> float:
    """How far a 版 laid out over ``pages`` runs over its first page (CSS px): what its later pages hold, less the
    room left on the first."""
    first = pages[0]
    return max(0.0, sum(s.height for p in pages[1:] for s in p.pieces) - (1 - first.fill) * first.height)


def _pack(folios: list[Folio], index: int, pages: list[Laid], columns: int) -> bool:
    """A labelled 版 over its page: its short stories (their headlines standing taller than their text) are set
    side by side, as modules each across columns of its own, when a row of them is lower than the stories one
    under another; the lead story keeps the page's width. True when a row was made; a 版 is packed once.
    """
    folio = folios[index]
    if columns < 2 or any(p.row for p in folio.pieces):
        return False
    seen = {s.piece: s for page in pages for s in page.pieces}
    height = pages[0].height
    # The margin and rule that part two stories one under another (CSS px): a row has one for all its modules.
    parting = 10 * 96 / 25.4

    def alone(piece: Piece) -> float | None:
        """The story's height across the page, when it may be a module (None when it may not)."""
        here = seen.get(piece.id)
        if here is None or not (here.head and here.complete) or piece.continued or piece.next is not None:
            return None
        if any(isinstance(b, Figure) for b in piece.shown.blocks):
            return None
        return here.height

    def module(piece: Piece, span: int) -> float:
        """The story's height as a module ``span`` columns wide: its headline wraps to more lines (a smaller
        type takes back half of that), its text stands in fewer columns."""
        here = seen[piece.id]
        head, text = here.head_height, here.height - here.head_height
        return head * (1 + (columns / span - 1) / 2) + text * max(1, here.columns) / span

    def spans(run: Sequence[Piece]) -> tuple[int, ...]:
        """The page's columns shared among the run's stories by the height of their text, one at least each."""
        texts = [max(1.0, seen[p.id].height - seen[p.id].head_height) * max(1, seen[p.id].columns) for p in run]
        shares = [1] * len(run)
        for _ in range(columns - len(run)):
            tallest = max(range(len(run)), key=lambda i: texts[i] / shares[i])
            shares[tallest] += 1
        return tuple(shares)

    pieces = list(folio.pieces)
    row = 0
    i = 1  # the lead story is never a module
    while i < len(pieces):
        best: tuple[float, int, tuple[int, ...]] | None = None
        for size in range(min(columns, len(pieces) - i), 1, -1):
            run = pieces[i : i + size]
            heights = [alone(p) for p in run]
            if any(h is None for h in heights):
                continue
            shared = spans(run)
            stacked = sum(h for h in heights if h is not None) + parting * (size - 1)
            high = max(module(p, n) for p, n in zip(run, shared, strict=True))
            saved = stacked - high
            # A row saves a tenth of the height at least, and stays well under the page, whatever else it holds.
            if saved >= 0.1 * stacked and high <= LOW_ROW * height and (best is None or saved > best[0]):
                best = (saved, size, shared)
        if best is None:
            i += 1
            continue
        row += 1
        _, size, shared = best
        for j, n in zip(range(i, i + size), shared, strict=True):
            pieces[j] = replace(pieces[j], row=row, span=n)
        i += size
    if not row:
        return False
    folios[index] = replace(folio, pieces=tuple(pieces))
    return True


def _spread(folios: list[Folio], index: int) -> bool:
    """A labelled 版 over its page that no jump keeps on it (its stories cannot give enough, :func:`_crowded`), or
    still over it when every story has given what it can: its stories come back whole from any jumps, and the 版
    is made up page by page over as many pages as it takes (see :func:`fill`), which keeps every page a third
    full."""
    folio = folios[index]
    own = [p for p in folio.pieces if not p.continued]
    parts = {p.article.id for p in own if p.next is not None}
    for i, other in enumerate(folios):
        folios[i] = replace(other, pieces=tuple(p for p in other.pieces if not (p.continued and p.article.id in parts)))
    whole = tuple(
        replace(p, stop=None, next=None) if p.article.id in parts and not p.continued else p
        for p in folios[index].pieces
    )
    folios[index] = replace(folio, pieces=whole, jumping=None, tight=None, filled=True)
    return True


def _hand_back(folios: list[Folio], index: int) -> bool:
    """A 版 whose jumping story left room on its page: the story's next block comes back from the jump."""
    folio = folios[index]
    jumping = next(p for p in folio.pieces if p.article.id == folio.jumping and not p.continued)
    if jumping.next is None:
        return False
    stop = _stop(jumping)
    _, after = _find(folios, jumping.next)
    if (folio.tight is not None and stop + 1 >= folio.tight) or stop + 1 >= _stop(after):
        return False
    _cut(folios, jumping, after, stop + 1)
    return True


def _target(
    folios: Sequence[Folio], index: int, pages: Sequence[Laid], needed: float, promised: dict[int, float]
) -> int:
    """The 版 a jump goes to: of the later 版 on one page whose page has room for it (less what other jumps were
    promised this round, which the choice adds to), one under a third full that is not the last 版 (the jump fills
    it), else the one with the most room; the last 版 when none has room."""
    room: dict[int, float] = {}
    fill: dict[int, float] = {}
    count: dict[int, int] = {}
    for page in pages:
        if page.folio > index:
            room[page.folio] = (1 - page.fill) * page.height - promised.get(page.folio, 0.0)  # its last page's
            fill[page.folio] = page.fill + promised.get(page.folio, 0.0) / (page.height or 1.0)
            count[page.folio] = count.get(page.folio, 0) + 1
    last = len(folios) - 1
    fitting = [i for i in room if room[i] >= needed and count[i] == 1]
    target = min(fitting, key=lambda i: (not (fill[i] < UNDERFULL and i != last), -room[i], i)) if fitting else last
    promised[target] = promised.get(target, 0.0) + needed
    return target


def _relink(folios: list[Folio], piece: Piece) -> None:
    """Point the piece after ``piece`` (if any) back at it."""
    if piece.next is None:
        return
    for i, folio in enumerate(folios):
        folios[i] = replace(
            folio, pieces=tuple(replace(p, previous=piece.id) if p.id == piece.next else p for p in folio.pieces)
        )


def _hand_on(folios: list[Folio], piece_id: str, blocks: int) -> bool:
    """The last ``blocks`` blocks of a part that is followed by another go over to that one."""
    _, piece = _find(folios, piece_id)
    assert piece.next is not None
    stop = _stop(piece) - blocks
    if stop <= piece.start:
        return False
    _, after = _find(folios, piece.next)
    _cut(folios, piece, after, stop)
    return True


def _cut(folios: list[Folio], piece: Piece, after: Piece, stop: int) -> None:
    """Move the cut between a piece and the part after it to block ``stop``: blocks go back or over."""
    head, moved = _moved(piece, after, stop)
    _swap(folios, piece.id, head)
    _swap(folios, after.id, moved)
    _relink(folios, moved)
