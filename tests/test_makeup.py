"""The make-up's rules, on plans and trial layouts written out by hand: what moves where, and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import cast

import pytest

from exporter.editions.pdf import makeup, parts
from exporter.editions.pdf.makeup import Folio, Laid, Makeup, OnPage, Piece
from exporter.model import Article, Dateline, Figure, Issue, Masthead, Paragraph, Section, Span

HEIGHT = 1000.0


def _article(name: str, paragraphs: int, chars: int = 100, *, truncated: bool = False) -> Article:
    blocks = tuple(Paragraph((Span("字" * chars),), line=i + 1) for i in range(paragraphs))
    dateline = Dateline(raw="本报讯", source="本报", place=None, month=None, day=None, line=1)
    return Article(
        id=name,
        headline=name,
        headline_lines=(name,),
        line=1,
        blocks=blocks,
        dateline=dateline,
        truncated=truncated,
    )


def _issue(*sections: tuple[str | None, tuple[Article, ...]]) -> Issue:
    return Issue(Masthead(title="报"), tuple(Section(None, page, articles, 1) for page, articles in sections))


def _seen(
    piece: str,
    blocks: dict[int, int],
    *,
    head: bool = False,
    complete: bool = True,
    ends: Sequence[int] | None = None,
    height: float = 0.0,
    columns: int = 3,
) -> OnPage:
    """A piece on a page: ``blocks`` maps each block's index to its lines there (20 px a line)."""
    return OnPage(
        piece=piece,
        head=head,
        lines=sum(blocks.values()),
        ends=frozenset(blocks if ends is None else ends),
        complete=complete,
        height=height or 40.0 * head + 20.0 * sum(blocks.values()) / columns,
        head_height=40.0 if head else 0.0,
        block_lines=tuple(sorted(blocks.items())),
        block_area=tuple(sorted((b, 20.0 * n) for b, n in blocks.items())),
        columns=columns,
    )


def _page(number: int, folio: int, *pieces: OnPage, fill: float = 1.0) -> Laid:
    return Laid(number, folio, pieces, fill=fill, lines=sum(p.lines for p in pieces), height=HEIGHT)


# -- the plan -----------------------------------------------------------------------------------------------


def test_the_first_plan_is_every_story_whole_in_its_ban() -> None:
    a, b, c = _article("a", 2), _article("b", 3), _article("c", 1)
    plan = makeup.initial(_issue(("A01", (a, b)), ("A02", (c,))))
    assert [[(p.article.id, p.start, p.stop, p.new_page) for p in f.pieces] for f in plan.folios] == [
        [("a", 0, None, False), ("b", 0, None, False)],
        [("c", 0, None, False)],
    ]
    assert [f.section.page for f in plan.folios] == ["A01", "A02"]


def test_a_piece_shows_its_blocks_the_dateline_only_at_the_start_and_the_mark_only_at_the_end() -> None:
    story = _article("s", 5, truncated=True)
    first, rest = Piece(story, 0, 2), Piece(story, 2)
    assert first.id == "s" and rest.id == "s-from-2"
    assert first.shown.blocks == story.blocks[:2] and rest.shown.blocks == story.blocks[2:]
    assert first.shown.dateline == story.dateline and rest.shown.dateline is None
    assert (first.shown.truncated, rest.shown.truncated) == (False, True)
    assert (first.continued, rest.continued) == (False, True)
    assert (first.size, rest.size) == (200, 300)
    assert rest.shown.id == "s-from-2"


# -- a labelled 版 over its page: the longest story jumps ---------------------------------------------------


def _over() -> tuple[Makeup, list[Laid]]:
    """A01 runs over its page by one story; A02 and A03 have room (A03 the most)."""
    lead, second = _article("lead", 6), _article("second", 2)
    other, last = _article("other", 1), _article("last", 1)
    plan = makeup.initial(_issue(("A01", (lead, second)), ("A02", (other,)), ("A03", (last,))))
    pages = [
        _page(1, 0, _seen("lead", {i: 9 for i in range(6)}, head=True), fill=0.95),
        _page(2, 0, _seen("second", {0: 9, 1: 9}, head=True), fill=0.15),
        _page(3, 1, _seen("other", {0: 9}, head=True), fill=0.5),
        _page(4, 2, _seen("last", {0: 9}, head=True), fill=0.2),
    ]
    return plan, pages


def test_the_longest_story_of_a_ban_over_its_page_jumps_to_the_later_ban_with_the_most_room() -> None:
    plan, pages = _over()
    revised = makeup.revise(plan, pages)
    assert revised is not None
    a01, a02, a03 = revised.folios
    assert a01.jumping == "lead"
    # The second story (2 × 9 lines of 20 px in 3 columns under its 40 px head: 160 px) must come onto the page,
    # which has 50 px left: the lead gives up 110 px and a line, 130 px down its 3 columns, 390 px of lines:
    # three of its blocks of 180.
    assert [(p.id, p.start, p.stop, p.next) for p in a01.pieces] == [
        ("lead", 0, 3, "lead-from-3"),
        ("second", 0, None, None),
    ]
    assert a02.pieces == plan.folios[1].pieces
    assert [(p.id, p.start, p.stop, p.previous) for p in a03.pieces] == [
        ("last", 0, None, None),
        ("lead-from-3", 3, None, "lead"),
    ]


def _crowded(stories: int) -> tuple[Makeup, list[Laid]]:
    """A01 of ``stories`` stories of 6 blocks of 12 lines (520 px each: two to a page), over pages; A02 empty."""
    articles = tuple(_article(f"s{i}", 6) for i in range(stories))
    plan = makeup.initial(_issue(("A01", articles), ("A02", (_article("other", 1),))))
    pages = [
        _page(n + 1, 0, *(_seen(a.id, dict.fromkeys(range(6), 12), head=True) for a in articles[2 * n : 2 * n + 2]))
        for n in range(stories // 2)
    ]
    return plan, [*pages, _page(len(pages) + 1, 1, _seen("other", {0: 9}, head=True), fill=0.2)]


def test_a_ban_its_stories_cannot_keep_on_its_page_is_made_up_page_by_page_without_trying_a_jump() -> None:
    # Ten stories keeping a third of their lines each (24 of 72: 200 px with the head) stand two pages: no jump
    # keeps the 版 on its page, so none is tried (each would be a layout of every 版 it touches, in vain).
    plan, pages = _crowded(10)
    revised = makeup.revise(plan, pages)
    assert revised is not None
    a01, a02 = revised.folios
    assert a01.filled and a01.jumping is None
    assert a01.pieces == plan.folios[0].pieces
    assert a02 == plan.folios[1]


def test_a_ban_its_stories_can_keep_on_its_page_by_giving_a_share_still_jumps() -> None:
    # Eight such stories keep 1,600 px: the estimate is near enough a page for the jumps to be tried.
    plan, pages = _crowded(8)
    revised = makeup.revise(plan, pages)
    assert revised is not None
    a01, a02 = revised.folios
    assert not a01.filled and a01.jumping is not None
    assert any(p.continued for p in a02.pieces)


def test_two_bans_jumping_at_once_do_not_both_fill_the_same_ban_nor_one_over_its_page() -> None:
    lead, second, lead2, second2 = _article("lead", 6), _article("second", 2), _article("lead2", 6), _article("s2", 2)
    other, last = _article("other", 1), _article("last", 1)
    plan = makeup.initial(
        _issue(("A01", (lead, second)), ("A02", (lead2, second2)), ("A03", (other,)), ("A04", (last,)))
    )
    pages = [
        _page(1, 0, _seen("lead", {i: 9 for i in range(6)}, head=True), fill=0.95),
        _page(2, 0, _seen("second", {0: 9, 1: 9}, head=True), fill=0.15),
        _page(3, 1, _seen("lead2", {i: 9 for i in range(6)}, head=True), fill=0.95),
        _page(4, 1, _seen("s2", {0: 9, 1: 9}, head=True), fill=0.15),
        _page(5, 2, _seen("other", {0: 9}, head=True), fill=0.25),
        _page(6, 3, _seen("last", {0: 9}, head=True), fill=0.2),
    ]
    revised = makeup.revise(plan, pages)
    assert revised is not None
    # A03, under a third full, takes the first jump (390 px of lines in 3 columns: 130 px); then it is a third
    # full, and the second goes to the 版 with the most room.
    assert [p.id for p in revised.folios[2].pieces] == ["other", "lead-from-3"]
    assert [p.id for p in revised.folios[3].pieces] == ["last", "lead2-from-3"]
    # A 版 that runs over its own page takes no jump, however much room its last page has.
    over = [*pages[:4], _page(5, 2, _seen("other", {0: 9}, head=True), fill=1.0), _page(6, 2, fill=0.1), pages[5]]
    revised = makeup.revise(plan, over)
    assert revised is not None
    assert [p.id for p in revised.folios[3].pieces] == ["last", "lead-from-3", "lead2-from-3"]


def test_a_ban_that_still_runs_over_takes_more_from_the_same_story() -> None:
    plan, pages = _over()
    revised = makeup.revise(plan, pages)
    assert revised is not None
    still = [
        _page(1, 0, _seen("lead", {0: 9, 1: 9, 2: 9}, head=True), _seen("second", {0: 9}, head=True), fill=1.0),
        _page(2, 0, _seen("second", {1: 9}), fill=0.1),
        _page(3, 1, _seen("other", {0: 9}, head=True), fill=0.5),
        _page(4, 2, _seen("last", {0: 9}, head=True), _seen("lead-from-3", {i: 9 for i in range(3, 6)}), fill=0.6),
    ]
    again = makeup.revise(revised, still)
    assert again is not None
    a01, _, a03 = again.folios
    # 60 px over and a line, 80 px down 3 columns: 240 px of lines, two blocks more.
    assert (a01.pieces[0].id, a01.pieces[0].stop, a01.pieces[0].next) == ("lead", 1, "lead-from-1")
    assert [(p.id, p.start, p.previous) for p in a03.pieces][1] == ("lead-from-1", 1, "lead")
    # Three blocks were too many: the story never takes back as far as that again.
    assert a01.tight == 3


def test_a_ban_left_with_room_by_its_jump_takes_a_block_back_but_never_as_far_as_was_too_far() -> None:
    plan, pages = _over()
    revised = makeup.revise(plan, pages)
    assert revised is not None
    roomy = [
        _page(1, 0, _seen("lead", {0: 9, 1: 9, 2: 9}, head=True), _seen("second", {0: 9, 1: 9}, head=True), fill=0.7),
        _page(2, 1, _seen("other", {0: 9}, head=True), fill=0.5),
        _page(3, 2, _seen("last", {0: 9}, head=True), _seen("lead-from-3", {i: 9 for i in range(3, 6)}), fill=0.6),
    ]
    back = makeup.revise(revised, roomy)
    assert back is not None
    assert (back.folios[0].pieces[0].id, back.folios[0].pieces[0].stop) == ("lead", 4)
    assert [(p.id, p.start, p.previous) for p in back.folios[2].pieces][1] == ("lead-from-4", 4, "lead")
    # Four blocks were found too many before: the story stays as it is.
    assert makeup.revise(Makeup((replace(revised.folios[0], tight=4), *revised.folios[1:])), roomy) is None
    # A page filled to its foot takes nothing back.
    full = [replace(roomy[0], fill=0.95), *roomy[1:]]
    assert makeup.revise(revised, full) is None


def test_a_ban_on_its_page_and_the_last_ban_are_left_as_they_are() -> None:
    a, b = _article("a", 2), _article("b", 2)
    plan = makeup.initial(_issue(("A01", (a,)), ("A02", (b,))))
    fits = [_page(1, 0, _seen("a", {0: 9, 1: 9}, head=True)), _page(2, 1, _seen("b", {0: 9}, head=True))]
    assert makeup.revise(plan, fits) is None
    # The last 版 runs over two pages: no later 版 to jump to, it is made up over pages (fill, below).
    over = [*fits[:1], _page(2, 1, _seen("b", {0: 9}, head=True, complete=False)), _page(3, 1, _seen("b", {1: 9}))]
    assert makeup.revise(plan, over) is None


def test_short_stories_of_a_ban_over_its_page_are_set_side_by_side_as_modules() -> None:
    lead, long = _article("lead", 6), _article("long", 6)
    short = [_article(name, 1) for name in ("s1", "s2", "s3", "s4")]
    plan = makeup.initial(_issue(("A01", (lead, *short[:3], long, short[3])), ("A02", (_article("other", 1),))), 3)
    over = [
        _page(1, 0, _seen("lead", {i: 9 for i in range(6)}, head=True), _seen("s1", {0: 3}, head=True)),
        _page(
            2,
            0,
            _seen("s2", {0: 3}, head=True),
            _seen("s3", {0: 3}, head=True),
            _seen("long", {i: 9 for i in range(6)}, head=True),
            _seen("s4", {0: 3}, head=True),
        ),
        _page(3, 1, _seen("other", {0: 3}, head=True), fill=0.2),
    ]
    revised = makeup.revise(plan, over)
    assert revised is not None
    # Three short stories in a row, a column each; the lead, the long story and a short one alone stay across the page.
    assert [(p.id, p.row, p.span) for p in revised.folios[0].pieces] == [
        ("lead", 0, 0),
        ("s1", 1, 1),
        ("s2", 1, 1),
        ("s3", 1, 1),
        ("long", 0, 0),
        ("s4", 0, 0),
    ]
    assert [[p.id for p in row] for row in revised.folios[0].rows] == [["lead"], ["s1", "s2", "s3"], ["long"], ["s4"]]
    # A 版 is packed once: still over its page, its longest story jumps, and the modules stay whole.
    again = makeup.revise(revised, over)
    assert again is not None
    assert [(p.id, p.stop) for p in again.folios[0].pieces if p.row] == [("s1", None), ("s2", None), ("s3", None)]
    assert any(p.continued for p in again.folios[1].pieces)
    # On a page of one column, or with pictures, or when their row would stand taller than they do one under
    # another, stories are not modules.
    assert makeup.revise(replace(plan, columns=1), over) != revised
    pictured = [replace(a, blocks=(*a.blocks, Figure("images/a.png", (), None, None, (), 1))) for a in short[:3]]
    with_pictures = makeup.initial(_issue(("A01", (lead, *pictured, long, short[3])), ("A02", ())), 3)
    assert not any(p.row for f in (makeup.revise(with_pictures, over) or with_pictures).folios for p in f.pieces)
    tall = [_page(1, 0, *[replace(s, head_height=400.0, height=420.0) for s in over[0].pieces]), *over[1:]]
    tall[1] = replace(tall[1], pieces=tuple(replace(s, head_height=400.0, height=420.0) for s in tall[1].pieces))
    assert not any(p.row for f in (makeup.revise(plan, tall) or plan).folios for p in f.pieces)


# -- a 版 made up page by page ------------------------------------------------------------------------------


class _Trials:
    """Trial layouts from a table: a page holds ``room`` lines; a story's head takes 4; the first 版's band (the
    masthead and the 导读 of the front page) takes ``band``."""

    def __init__(self, room: int, lines: int = 9, band: int = 0) -> None:
        self.room = room
        self.lines = lines
        self.band = band
        self.calls: list[list[str]] = []

    def __call__(self, index: int, folio: Folio) -> list[Laid]:
        self.calls.append([p.id for p in folio.pieces])
        pages: list[list[OnPage]] = [[]]
        used = self.band if index == 0 and folio.band else 0
        while used > self.room:  # a 导读 longer than a page runs over pages of its own
            pages.append([])
            used -= self.room
        for piece in folio.pieces:
            stop = makeup._stop(piece)
            blocks = list(range(piece.start, stop))
            if piece.new_page and used:
                pages.append([])
                used = 0
            head = True
            on: dict[int, int] = {}
            for block in blocks:
                need = self.lines + (4 if head and not on else 0)
                if used + need > self.room and (on or not head):
                    pages[-1].append(_seen(piece.id, on, head=head, complete=False, columns=1))
                    pages.append([])
                    used, on, head = 0, {}, False
                elif used + need > self.room:
                    pages[-1].append(_seen(piece.id, {}, head=True, complete=False, columns=1))
                    pages.append([])
                    used, head = 0, True
                    need = self.lines + 4
                used += need
                on[block] = self.lines
            pages[-1].append(_seen(piece.id, on, head=head, columns=1))
        return [_page(i + 1, 0, *ps) for i, ps in enumerate(pages)]


def test_a_story_crossing_a_page_stops_after_its_last_block_there_and_goes_on_under_its_continued_line() -> None:
    a, b = _article("a", 2), _article("b", 6)
    plan = makeup.initial(_issue((None, (a, b))))
    trials = _Trials(room=50)
    pages = trials(0, plan.folios[0])
    made = makeup.make_up(plan, pages, trials)
    # a: 4 + 18 = 22 lines; b's head and 2 blocks make 44, its third block would make 53: none of that block's
    # lines is on the page, so b stops a block earlier, after its first, leaving room for its 下转 line; the rest,
    # 5 blocks under its 续 line (49 lines), fills the next page.
    assert [(p.id, p.start, p.stop, p.new_page, p.previous, p.next) for p in made.folios[0].pieces] == [
        ("a", 0, None, False, None, None),
        ("b", 0, 1, False, None, "b-from-1"),
        ("b-from-1", 1, None, True, "b", None),
    ]
    # Laid out: the whole 版 (given here), then from the top of the second page; the 版 made up is not laid out
    # whole again to check it (its part of the PDF is: parts.Workers.checked).
    assert trials.calls == [["a", "b"], ["b-from-1"]]


@pytest.mark.parametrize(
    ("band", "band_pages"),
    [
        # The band takes 45 of the front page's 50 lines: not even a's head and first block (13) fit under it.
        (45, 1),
        # The 导读 runs over: the band takes the front page, the next, and 45 of the third's 50 lines.
        (145, 3),
    ],
    ids=["one page", "three pages"],
)
def test_a_front_page_its_masthead_and_guide_fill_stands_alone_and_its_stories_open_the_next(
    band: int, band_pages: int
) -> None:
    a, b = _article("a", 6), _article("b", 1)
    plan = makeup.initial(_issue((None, (a, b))))
    trials = _Trials(room=50, band=band)
    pages = trials(0, plan.folios[0])
    made = makeup.make_up(plan, pages, trials)
    folio = made.folios[0]
    # a opens the page after the band (4 + 36 lines; its fifth block would make 49, then no room for b's head) and
    # goes on on the next, with b: the band stands alone on its pages, and no story's head is left at its foot.
    assert [(p.id, p.start, p.stop, p.new_page) for p in folio.pieces] == [
        ("a", 0, 4, True),
        ("a-from-4", 4, None, True),
        ("b", 0, None, False),
    ]
    assert folio.band_pages == band_pages
    laid = trials(0, folio)
    assert [bool(page.pieces) for page in laid] == [False] * band_pages + [True, True]
    # The pages its plan counts (and the page each story is guessed on) are those it is laid out on, and the 版
    # made up holds: it is not made up again.
    assert parts._page_count(folio, None) == band_pages + 2
    workers = parts.Workers(cast(parts.Engine, None), None)
    workers.latest[0] = laid
    assert workers.guess(made) == {"a": band_pages + 1, "a-from-4": band_pages + 2, "b": band_pages + 2}
    assert makeup.fill(made, laid, makeup.InTurn(trials)) is None


def test_a_headline_with_too_few_of_its_lines_on_the_page_goes_to_the_next_with_its_story() -> None:
    a, b = _article("a", 4), _article("b", 2)
    plan = makeup.initial(_issue((None, (a, b))))
    # a takes 40 of 50 lines; b's head and its first block (13) do not fit: b starts the next page whole.
    trials = _Trials(room=50, lines=9)
    pages = trials(0, plan.folios[0])
    made = makeup.make_up(plan, pages, trials)
    assert [(p.id, p.start, p.stop, p.new_page) for p in made.folios[0].pieces] == [
        ("a", 0, None, False),
        ("b", 0, None, True),
    ]


def test_the_cut_leaves_room_for_the_continued_on_line() -> None:
    story = Piece(_article("s", 5))
    # Blocks 0–2 end on the page, block 3 has lines on it: the cut goes after block 2.
    assert makeup._cut_at(story, _seen("s", {0: 5, 1: 5, 2: 5, 3: 2}, ends=[0, 1, 2], complete=False)) == 3
    # Block 3 has no line on the page (block 2 reaches its foot): the 下转 line would not fit, the cut goes a block
    # earlier.
    assert makeup._cut_at(story, _seen("s", {0: 5, 1: 5, 2: 5}, ends=[0, 1, 2], complete=False)) == 2
    # Fewer than three of its lines under the headline: not cut (the story goes to the next page).
    assert makeup._cut_at(story, _seen("s", {0: 2, 1: 1}, ends=[0], complete=False)) is None


def test_the_last_page_of_the_issue_is_no_widow() -> None:
    a = _article("a", 6)
    plan = makeup.initial(_issue((None, (a,))))
    # The page holds the head and blocks 0–4, and two lines of block 5, the last: cut after block 4, the last page
    # would hold block 5's lines alone, two; one block more goes over to it.
    first = [
        _page(1, 0, _seen("a", {0: 9, 1: 9, 2: 9, 3: 9, 4: 9, 5: 1}, head=True, complete=False, ends=[0, 1, 2, 3, 4])),
        _page(2, 0, _seen("a", {5: 1})),
    ]
    tried: list[list[tuple[int, int | None]]] = []

    def trial(index: int, folio: Folio) -> list[Laid]:
        tried.append([(p.start, p.stop) for p in folio.pieces])
        return [_page(1, 0, *(_seen(p.id, {b: 1 for b in range(p.start, makeup._stop(p))}) for p in folio.pieces))]

    made = makeup.make_up(plan, first, trial)
    assert [(p.start, p.stop, p.new_page) for p in made.folios[0].pieces] == [(0, 4, False), (4, None, True)]
    assert tried[0] == [(5, None)]
    # A last page of three lines is no widow: nothing more moves.
    made = makeup.make_up(
        plan, [first[0], _page(2, 0, _seen("a", {5: 3}))], lambda i, f: [_page(1, 0, _seen(f.pieces[0].id, {5: 3}))]
    )
    assert [(p.start, p.stop) for p in made.folios[0].pieces] == [(0, 5), (5, None)]


def test_a_ban_running_over_pages_leaves_no_page_under_a_third_full_before_the_next_ban() -> None:
    a, b = _article("a", 6), _article("b", 1)
    plan = makeup.initial(_issue((None, (a,)), ("A02", (b,))))
    # The page holds the head and blocks 0–4 of a, and a line of block 5: its last page would hold block 5 alone,
    # a tenth of a page; blocks go over until it is a third full and more (a block is 9 lines of 20 px in one
    # column: 180 px of a page of 1000).
    first = [
        _page(
            1,
            0,
            _seen(
                "a", {0: 9, 1: 9, 2: 9, 3: 9, 4: 9, 5: 1}, head=True, complete=False, ends=[0, 1, 2, 3, 4], columns=1
            ),
        ),
        _page(2, 0, _seen("a", {5: 8}, columns=1), fill=0.1),
        _page(3, 1, _seen("b", {0: 9}, head=True), fill=0.2),
    ]

    def trial(index: int, folio: Folio) -> list[Laid]:
        if index == 1:
            return [_page(1, 0, _seen("b", {0: 9}, head=True), fill=0.2)]
        pieces = [_seen(p.id, {k: 9 for k in range(p.start, makeup._stop(p))}, columns=1) for p in folio.pieces]
        return [_page(1, 0, *pieces, fill=0.1 if folio.pieces[0].start == 5 else 0.9)]

    made = makeup.make_up(plan, first, trial)
    # 0.1 short of 0.38: 283 px of lines to move, two blocks.
    assert [(p.start, p.stop, p.new_page) for p in made.folios[0].pieces] == [(0, 3, False), (3, None, True)]
    # In the issue's last 版 the last page may be light: the same layout moves nothing.
    last = makeup.initial(_issue((None, (a,))))
    made = makeup.make_up(last, first[:2], trial)
    assert [(p.start, p.stop) for p in made.folios[0].pieces] == [(0, 5), (5, None)]


def test_out_of_revisions_a_ban_still_running_over_pages_is_made_up_page_by_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a = _article("a", 6)
    plan = makeup.initial(_issue((None, (a,)), ("A02", (_article("b", 1),))))
    first = [
        _page(
            1, 0, _seen("a", {0: 9, 1: 9, 2: 9, 3: 9, 4: 9, 5: 1}, head=True, complete=False, ends=range(5), columns=1)
        ),
        _page(2, 0, _seen("a", {5: 8}, columns=1), fill=0.1),
        _page(3, 1, _seen("b", {0: 9}, head=True), fill=0.2),
    ]

    def trial(index: int, folio: Folio) -> list[Laid]:
        pieces = [_seen(p.id, {k: 9 for k in range(p.start, makeup._stop(p))}, columns=1) for p in folio.pieces]
        return [_page(1, 0, *pieces, fill=0.1 if folio.pieces[0].start > 0 else 0.9)]

    # No revision left: the story crossing the page is still cut there, with its 转版 lines.
    monkeypatch.setattr(makeup, "MAX_ROUNDS", 0)
    made = makeup.make_up(plan, first, trial)
    assert [(p.start, p.stop, p.new_page) for p in made.folios[0].pieces][-1][2] is True
    assert len(made.folios[0].pieces) == 2


def _two_bans_jumping_into_the_last(trials: _Trials) -> tuple[Makeup, list[Laid]]:
    """A01 and A02 over their pages, and the issue's last 版, A03, over its page too, laid out with ``trials``."""
    lead, second, lead2, s2 = _article("lead", 4), _article("second", 2), _article("lead2", 10), _article("s2", 2)
    plan = makeup.initial(_issue(("A01", (lead, second)), ("A02", (lead2, s2)), ("A03", (_article("last", 8),))))
    pages = [replace(page, folio=i) for i, folio in enumerate(plan.folios) for page in trials(i, folio)]
    trials.calls.clear()
    return plan, pages


def test_the_last_ban_taking_jumps_round_after_round_is_laid_out_once_the_others_are_done() -> None:
    trials = _Trials(room=50)
    plan, pages = _two_bans_jumping_into_the_last(trials)
    made = makeup.make_up(plan, pages, trials)
    # Both 版 jump to A03, the only 版 after them, and A02 gives more on the next round: A03 is laid out whole when
    # they are done, not on each round, then made up page by page.
    last = ["last", "lead-from-2", "second-from-1", "lead2-from-2", "s2-from-1"]
    assert trials.calls[:4] == [["lead", "second"], ["lead2", "s2"], ["lead2", "s2"], last]
    assert [(p.id, p.stop, p.new_page) for p in made.folios[2].pieces] == [
        ("last", 4, False),
        ("last-from-4", None, True),
        ("lead-from-2", None, True),
        ("second-from-1", None, False),
        ("lead2-from-2", 6, True),
        ("lead2-from-6", None, True),
        ("s2-from-1", None, True),
    ]
    assert made.folios[2].filled


def test_out_of_revisions_the_last_ban_left_unlaid_is_laid_out_and_made_up_page_by_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    trials = _Trials(room=50)
    plan, pages = _two_bans_jumping_into_the_last(trials)
    monkeypatch.setattr(makeup, "MAX_ROUNDS", 1)
    made = makeup.make_up(plan, pages, trials)
    assert trials.calls[2] == ["last", "lead-from-2", "second-from-1", "lead2-from-4", "s2-from-1"]
    assert made.folios[2].filled
    assert sum(p.new_page for p in made.folios[2].pieces) >= 2


def test_a_jump_takes_only_what_the_room_left_on_the_page_does_not_hold() -> None:
    plan, pages = _over()
    # With 150 px left on A01's page, the second story's 160 px need only 10 more and a line: 90 px of lines down
    # 3 columns, one block of the lead.
    roomier = [replace(pages[0], fill=0.85), *pages[1:]]
    revised = makeup.revise(plan, roomier)
    assert revised is not None
    assert [(p.id, p.stop) for p in revised.folios[0].pieces] == [("lead", 5), ("second", None)]


def test_moving_the_cut_between_two_parts_keeps_every_part_linked_to_its_neighbours() -> None:
    a = _article("a", 8)
    first = Piece(a, stop=2, next="a-from-2")
    middle = Piece(a, start=2, stop=5, previous="a", next="a-from-5")
    last = Piece(a, start=5, previous="a-from-2")
    plan = makeup.initial(_issue(("A01", (a,)), ("A02", ())))
    folios = [replace(plan.folios[0], pieces=(first,)), replace(plan.folios[1], pieces=(middle, last))]
    makeup._cut(folios, first, middle, 3)
    assert [(p.id, p.start, p.stop, p.previous, p.next) for f in folios for p in f.pieces] == [
        ("a", 0, 3, None, "a-from-3"),
        ("a-from-3", 3, 5, "a", "a-from-5"),
        ("a-from-5", 5, None, "a-from-3", None),
    ]


# -- 版 whose heads are more than a page, pictures, last pages ----------------------------------------------------


def test_a_ban_still_over_its_page_when_its_stories_gave_all_they_can_takes_them_back_whole() -> None:
    a, b, c = _article("a", 3), _article("b", 1), _article("c", 1)
    plan = makeup.initial(_issue(("A01", (a, b)), ("A02", (c,))))
    head, tail = makeup._divide(Piece(a), 1)
    jumped = Makeup(
        (
            replace(plan.folios[0], pieces=(head, Piece(b)), jumping="a", tight=1),
            replace(plan.folios[1], pieces=(Piece(c), tail)),
        )
    )
    # a keeps three lines and b is one block: neither can give more, and the 版 still runs over.
    pages = [
        _page(1, 0, _seen("a", {0: 3}, head=True), _seen("b", {}, head=True, complete=False)),
        _page(2, 0, _seen("b", {0: 5})),
        _page(3, 1, _seen("c", {0: 5}, head=True), _seen("a-from-1", {1: 9, 2: 9}, head=True), fill=0.5),
    ]
    revised = makeup.revise(jumped, pages)
    assert revised is not None
    first, second = revised.folios
    assert [(p.id, p.start, p.stop, p.next) for p in first.pieces] == [("a", 0, None, None), ("b", 0, None, None)]
    assert (first.filled, first.jumping, first.tight) == (True, None, None)
    assert [p.id for p in second.pieces] == ["c"]  # a's part in A02 is gone: its text is not printed twice


def _figure() -> Figure:
    return Figure(src="p.png", caption=(Span("图"),), title=None, credit=None, credits=(), line=1)


def test_a_picture_taller_than_the_room_left_opens_the_next_page_and_the_text_before_it_stays() -> None:
    text = _article("f", 3)
    f = replace(text, blocks=(*text.blocks[:2], _figure(), text.blocks[2]))
    plan = makeup.initial(_issue((None, (f,))))
    # Laid out whole, the story's head is on the page and none of its columns: the picture does not fit there.
    first = [_page(1, 0, _seen("f", {}, head=True, complete=False)), _page(2, 0, _seen("f", {0: 9, 1: 9, 3: 9}))]
    tried: list[tuple[int, int | None]] = []

    def trial(index: int, folio: Folio) -> list[Laid]:
        piece = folio.pieces[0]
        tried.append((piece.start, piece.stop))
        if piece.stop == 2:  # up to the picture: its two paragraphs stand on the page
            return [_page(1, 0, _seen("f", {0: 9, 1: 9}, head=True), fill=0.6)]
        return [_page(1, 0, _seen(piece.id, {b: 9 for b in range(piece.start, makeup._stop(piece))}), fill=0.5)]

    made = makeup.make_up(plan, first, trial)
    assert [(p.id, p.start, p.stop, p.new_page) for p in made.folios[0].pieces] == [
        ("f", 0, 2, False),
        ("f-from-2", 2, None, True),
    ]
    assert tried[0] == (0, 2)
    # Its head kept with its columns, nothing of the story is on the page (the first page holds what comes before
    # the 版): the same.
    tried.clear()
    first = [_page(1, 0, fill=0.4), _page(2, 0, _seen("f", {0: 9, 1: 9, 3: 9}, head=True))]
    made = makeup.make_up(plan, first, trial)
    assert [(p.id, p.start, p.stop) for p in made.folios[0].pieces] == [("f", 0, 2), ("f-from-2", 2, None)]


def _ended_whole(b: Article, b_lines: dict[int, int], page_fill: float) -> list[tuple[str, int, int | None, bool]]:
    """A 版 (not the issue's last) whose first page ends with story b whole and whose last page, holding c, is a
    tenth full: the pieces as made up."""
    a, c, d = _article("a", 2), _article("c", 1), _article("d", 1)
    plan = makeup.initial(_issue((None, (a, b, c)), ("A02", (d,))))
    first = [
        _page(
            1,
            0,
            _seen("a", {0: 9, 1: 9}, head=True, columns=1),
            _seen("b", b_lines, head=True, columns=1),
            _seen("c", {0: 1}, head=True, complete=False, columns=1),
            fill=page_fill,
        ),
        _page(2, 0, _seen("c", {0: 8}, columns=1), fill=0.1),
        _page(3, 1, _seen("d", {0: 9}, head=True), fill=0.5),
    ]

    def trial(index: int, folio: Folio) -> list[Laid]:
        pieces = [_seen(p.id, {k: 9 for k in range(p.start, makeup._stop(p))}, columns=1) for p in folio.pieces]
        return [_page(1, 0, *pieces, fill=0.1 if folio.pieces[0].id == "c" else 0.5)]

    made = makeup.make_up(plan, first, trial)
    return [(p.id, p.start, p.stop, p.new_page) for p in made.folios[0].pieces]


def test_a_ban_whose_page_ended_with_a_whole_story_gives_its_last_page_that_storys_last_blocks() -> None:
    # The last page is 0.1 full: 0.28 of a page (283 px of lines in b's one column) goes over, two blocks of b.
    made = _ended_whole(_article("b", 4), {0: 9, 1: 9, 2: 9, 3: 9}, 0.9)
    assert made == [("a", 0, None, False), ("b", 0, 2, False), ("b-from-2", 2, None, True), ("c", 0, None, False)]


def test_a_ban_whose_page_ended_with_a_short_whole_story_gives_its_last_page_the_whole_story() -> None:
    # b is one block: it cannot be cut, and the page it leaves stays over a third full (0.9 - 0.2): it goes over.
    # The last page is still under a third (0.1 + 0.2): the story before b gives its last block too.
    made = _ended_whole(_article("b", 1), {0: 9}, 0.9)
    assert made == [
        ("a", 0, 1, False),
        ("a-from-1", 1, None, True),
        ("b", 0, None, False),
        ("c", 0, None, False),
    ]
    # The page it would leave would be under a third full (0.4 - 0.2): it stays.
    made = _ended_whole(_article("b", 1), {0: 9}, 0.4)
    assert made == [("a", 0, None, False), ("b", 0, None, False), ("c", 0, None, True)]


def test_a_row_of_modules_that_cannot_go_over_to_a_light_last_page_is_set_across_the_page_again() -> None:
    a, m1, m2, c, d = (_article(name, n) for name, n in (("a", 2), ("m1", 1), ("m2", 1), ("c", 1), ("d", 1)))
    plan = makeup.initial(_issue((None, (a, m1, m2, c)), ("A02", (d,))), 3)
    row = tuple(
        replace(p, row=1, span=1 if p.id == "m2" else 2) if p.id in ("m1", "m2") else p for p in plan.folios[0].pieces
    )
    plan = replace(plan, folios=(replace(plan.folios[0], pieces=row), *plan.folios[1:]))

    def trial(index: int, folio: Folio) -> list[Laid]:
        ids = [p.id for p in folio.pieces]
        if ids[0] == "c":
            return [_page(1, 0, _seen("c", {0: 9}, columns=1), fill=0.1)]
        if ids[0] == "m2":
            return [_page(1, 0, _seen("m2", {0: 9}, head=True, columns=1), _seen("c", {0: 9}, columns=1), fill=0.4)]
        # As modules m1 and m2 stand 0.4 of the page; across it, 0.22 each. c's head and a line: it goes over.
        tall = 400.0 if any(p.row for p in folio.pieces) else 0.0
        return [
            _page(
                1,
                0,
                _seen("a", {0: 9, 1: 9}, head=True, columns=1),
                _seen("m1", {0: 9}, head=True, columns=1, height=tall),
                _seen("m2", {0: 9}, head=True, columns=1, height=tall),
                _seen("c", {0: 1}, head=True, complete=False, columns=1),
                fill=0.6,
            ),
            _page(2, 0, _seen("c", {0: 8}, columns=1), fill=0.1),
        ]

    first = [*trial(0, plan.folios[0]), _page(3, 1, _seen("d", {0: 9}, head=True), fill=0.5)]
    made = makeup.make_up(plan, first, trial)
    # The row would leave its page 0.2 full: m1 and m2 go across the page, and m2 goes over to c's page.
    assert [(p.id, p.row, p.new_page) for p in made.folios[0].pieces] == [
        ("a", 0, False),
        ("m1", 0, False),
        ("m2", 0, True),
        ("c", 0, False),
    ]


def test_flow_moves_one_headline_a_ban_at_a_time_as_the_pages_after_it_move_with_it() -> None:
    a, b, c = _article("a", 2), _article("b", 2), _article("c", 2)
    plan = makeup.initial(_issue((None, (a, b, c))))
    # As it is: b's head stands at the foot of page 1, c's at the foot of page 2.
    first = [
        _page(1, 0, _seen("a", {0: 9, 1: 9}, head=True), _seen("b", {0: 1}, head=True, complete=False)),
        _page(2, 0, _seen("b", {0: 8, 1: 9}), _seen("c", {0: 1}, head=True, complete=False)),
        _page(3, 0, _seen("c", {0: 8, 1: 9})),
    ]
    laid: list[list[tuple[str, bool]]] = []

    def lay(made: Makeup) -> list[Laid]:
        laid.append([(p.id, p.new_page) for p in made.folios[0].pieces])
        # With b on a page of its own, c follows it there whole: no headline stands at a foot.
        return [
            _page(1, 0, _seen("a", {0: 9, 1: 9}, head=True)),
            _page(2, 0, _seen("b", {0: 9, 1: 9}, head=True), _seen("c", {0: 9, 1: 9}, head=True)),
        ]

    made = makeup.flow(plan, first, lay)
    assert [(p.id, p.new_page) for p in made.folios[0].pieces] == [("a", False), ("b", True), ("c", False)]
    assert laid == [[("a", False), ("b", True), ("c", False)]]
