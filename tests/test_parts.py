"""The print edition laid out 版 by 版 in worker processes and joined: the same PDF as one document, read back.

The reference is the same make-up laid out as one WeasyPrint document and written (what the print edition
did before its 版 were laid out apart): pages drawn, text, outline, links and tags must be the same.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from exporter.editions.pdf import makeup, parts, render_pdf
from exporter.editions.pdf.makeup import Folio, Laid, Makeup, OnPage
from exporter.parser import parse_file
from exporter.theming import load
from tests.conftest import EXAMPLES

BINHAI = EXAMPLES / "binhai-daily.md"


HK = EXAMPLES / "hk-daily.md"


def _one_document(self: parts.Workers, plan: Makeup) -> list[parts.Part]:
    """The made-up issue laid out as one WeasyPrint document and written, as a single part."""
    from exporter.editions.pdf.measure import laid_out, page_maps

    engine = self.engine
    document = engine.layout(engine.made_up(plan, True, None))
    pdf = engine.write(document)
    pages = tuple(laid_out(document))
    return [parts.Part(0, pdf, 1, pages, {}, {}, frozenset(), tuple(page_maps(document)), {}, {})]


def _build(source: Path, theme: str, cache: Path, *, whole: bool, processes: int) -> tuple[bytes, Any, Makeup]:
    issue = parse_file(source)
    seen: list[Any] = []
    with pytest.MonkeyPatch.context() as patch:
        if whole:
            patch.setattr(parts.Workers, "parts", _one_document)
        pdf = render_pdf(
            issue,
            load(theme),
            source_dir=source.parent,
            cache_dir=cache,
            processes=processes,
            seen=lambda maps, plan: seen.append((maps, plan)),
        )
    maps, plan = seen[-1]
    return pdf, maps, plan


CASES = [(BINHAI, "classic"), (BINHAI, "vertical"), (HK, "classic")]


@pytest.fixture(scope="module", params=CASES, ids=[f"{s.stem}-{t}" for s, t in CASES])
def both(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes, Any, Any]:
    source, theme = request.param
    cache = tmp_path_factory.mktemp("cache")
    apart, maps, plan = _build(source, theme, cache, whole=False, processes=2)
    whole, whole_maps, whole_plan = _build(source, theme, cache, whole=True, processes=1)
    assert plan == whole_plan
    assert len(plan.folios) > 1
    return apart, whole, maps, whole_maps


def _pngs(pdf: bytes, folder: Path) -> list[Image.Image]:
    folder.mkdir()
    (folder / "in.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "in.pdf", "page"], cwd=folder, check=True)
    return [Image.open(p).convert("RGB") for p in sorted(folder.glob("page-*.png"))]


def test_the_pages_are_drawn_the_same(both: tuple[bytes, bytes, Any, Any], tmp_path: Path) -> None:
    apart, whole = _pngs(both[0], tmp_path / "apart"), _pngs(both[1], tmp_path / "whole")
    assert len(apart) == len(whole)
    for number, (a, w) in enumerate(zip(apart, whole, strict=True), 1):
        assert a.size == w.size, number
        assert ImageChops.difference(a, w).getbbox() is None, f"page {number} differs"


def _text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def test_the_text_is_the_same(both: tuple[bytes, bytes, Any, Any]) -> None:
    assert _text(both[0]) == _text(both[1])


def _outline(pdf: bytes) -> list[tuple[int, str, int]]:
    reader = PdfReader(io.BytesIO(pdf))

    def walk(items: list[Any], level: int) -> Iterator[tuple[int, str, int]]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item, level + 1)
            else:
                yield level, str(item.title), reader.get_destination_page_number(item)

    return list(walk(reader.outline, 0))


def test_the_outline_is_the_same(both: tuple[bytes, bytes, Any, Any]) -> None:
    outline = _outline(both[0])
    assert len(outline) > 3
    assert {level for level, _, _ in outline} == {0, 1}
    assert outline == _outline(both[1])


def _dests(pdf: pikepdf.Pdf) -> dict[str, tuple[int, tuple[float, ...]]]:
    """Named destinations: page index and the place on it."""
    found = {}
    names = pdf.Root.Names.Dests.Names
    for i in range(0, len(names), 2):
        dest = names[i + 1]
        found[str(names[i])] = (pdf.pages.index(pikepdf.Page(dest[0])), tuple(round(float(x), 2) for x in dest[2:4]))
    return found


def _links(pdf_bytes: bytes) -> list[tuple[int, tuple[float, ...], tuple[int, tuple[float, ...]]]]:
    """Every link: its page, its rectangle, and the page and place it leads to."""
    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    dests = _dests(pdf)
    links = []
    for number, page in enumerate(pdf.pages):
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            rect = tuple(round(float(x), 2) for x in annot.Rect)
            links.append((number, rect, dests[str(annot.Dest)]))
    return links


def test_every_link_leads_where_it_did(both: tuple[bytes, bytes, Any, Any]) -> None:
    links = _links(both[0])
    # The 导读 leads to stories on later pages.
    assert any(target[0] > page for page, _, target in links)
    assert links == _links(both[1])


def _tags(pdf_bytes: bytes) -> tuple[list[Any], list[list[str]]]:
    """The structure tree depth first (role, page, marked contents, annotations linked), and for each page the role
    of the element each of its marked-content ids belongs to, as the parent tree says."""
    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
    tree: list[Any] = []

    def walk(element: Any, depth: int) -> None:
        kids = element.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else ([] if kids is None else [kids])
        page = pages.get(element.Pg.objgen) if "/Pg" in element else None
        content = [int(k) for k in kids if isinstance(k, int)]
        content += [int(k.MCID) for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR"]
        objects = [
            str(k.Obj.get("/Dest")) for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"
        ]
        tree.append((depth, str(element.S)[1:], page, content, objects, str(element.get("/Alt", ""))))
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR") and "/S" in kid:
                walk(kid, depth + 1)

    root = pdf.Root.StructTreeRoot
    walk(root.K if not isinstance(root.K, pikepdf.Array) else root.K[0], 0)
    nums = root.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    roles = []
    for page in pdf.pages:
        entry = parents[int(page.obj.StructParents)]
        roles.append([str(element.S)[1:] for element in entry])
        for annot in page.obj.get("/Annots", []):
            assert parents[int(annot.StructParent)].objgen != (0, 0)
    return tree, roles


def test_the_tags_are_the_same(both: tuple[bytes, bytes, Any, Any]) -> None:
    tree, roles = _tags(both[0])
    assert len(tree) > 50
    assert {"Document", "H1", "P", "Link"} <= {role for _, role, *_ in tree}
    assert (tree, roles) == _tags(both[1])


def test_the_e_editions_regions_are_the_same(both: tuple[bytes, bytes, Any, Any]) -> None:
    assert both[2] == both[3]
    assert len(both[2]) == len(PdfReader(io.BytesIO(both[0])).pages)


def test_the_issue_is_one_pdf_that_qpdf_passes(both: tuple[bytes, bytes, Any, Any], tmp_path: Path) -> None:
    path = tmp_path / "apart.pdf"
    path.write_bytes(both[0])
    done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    pdf = pikepdf.open(path)
    # One page object per page, and each font program once.
    assert sum(1 for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Page") == len(
        pdf.pages
    )
    programs = [
        o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.stream_dict.get("/Subtype") == "/OpenType"
    ]
    assert len({bytes(p.read_raw_bytes()) for p in programs}) == len(programs)
    # One font for each face, as in one document, its text layer that of every page.
    fonts = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Subtype") == "/Type0"]
    assert len(fonts) == len({str(f.BaseFont) for f in fonts}) == len(programs)
    # No bigger than the one document by more than the parts' own font dictionaries and text maps.
    assert len(both[0]) < 1.1 * len(both[1])


# Page numbers and running heads: the parts are told what they cannot see.


class _Engine:
    """A stand-in for the layout engine: 版 ``i`` has ``sizes[i]`` pages, an anchor ``s{i}`` on its first page, and
    asks for the page of the story of the 版 after it; it sets the string ``head`` to its index."""

    def __init__(self, sizes: list[int], *, asks: bool = True, ghost: bool = False) -> None:
        self.sizes, self.asks, self.ghost = sizes, asks, ghost
        self.calls: list[tuple[int, int, dict[str, int], dict[str, str]]] = []

    def part(
        self, index: int, plan: Makeup, first_page: int, targets: Mapping[str, int], carried: Mapping[str, str]
    ) -> parts.Part:
        self.calls.append((index, first_page, dict(targets), dict(carried)))
        pages = tuple(Laid(first_page + i, index, ()) for i in range(self.sizes[index]))
        wanted = f"s{index + 1}"
        asked = {wanted: targets.get(wanted)} if self.asks and index + 1 < len(self.sizes) else {}
        # A link with no page number shown: kept (borrowed) but not asked for.
        links = [*asked, "ghost"] if index == 0 and self.ghost else list(asked)
        borrowed = frozenset(name for name in links if name in targets)
        strings = {**carried, "head": str(index)}
        return parts.Part(
            index, b"", first_page, pages, {f"s{index}": first_page}, asked, borrowed, None, carried, strings
        )


def _plan(count: int) -> Makeup:
    from exporter.model import Section

    return Makeup(tuple(Folio(Section(title=f"{i}", page=None, articles=(), line=1), ()) for i in range(count)))


def test_wrong_guesses_are_laid_out_again_with_the_pages_found() -> None:
    engine = _Engine([2, 3, 1, 2])
    workers = parts.Workers(engine, None)  # type: ignore[arg-type]
    # The trials knew one page of each 版, and nothing of the strings.
    workers.latest = {i: [Laid(1, i, ())] for i in range(4)}
    made = workers.parts(_plan(4))
    assert [p.first_page for p in made] == [1, 3, 6, 7]
    assert [dict(p.asked) for p in made] == [{"s1": 3}, {"s2": 6}, {"s3": 7}, {}]
    assert [dict(p.carried) for p in made] == [{}, {"head": "0"}, {"head": "1"}, {"head": "2"}]
    # Laid out once each, then the ones whose numbers were wrong once more: no more.
    assert [i for i, *_ in engine.calls] == [0, 1, 2, 3, 0, 1, 2, 3]


def test_right_guesses_are_laid_out_once() -> None:
    engine = _Engine([2, 3, 1])
    workers = parts.Workers(engine, None)  # type: ignore[arg-type]
    # The trials: each 版's story on its first page.
    story = {i: (OnPage(f"s{i}", True, 3, frozenset(), True),) for i in range(3)}
    workers.latest = {
        i: [Laid(1, i, story[i])] + [Laid(2 + k, i, ()) for k in range(n - 1)] for i, n in enumerate([2, 3, 1])
    }
    workers.strings = {0: {"head": "0"}, 1: {"head": "1"}, 2: {"head": "2"}}
    made = workers.parts(_plan(3))
    assert [p.first_page for p in made] == [1, 3, 6]
    assert [i for i, *_ in engine.calls] == [0, 1, 2]


def test_a_part_on_the_wrong_page_is_laid_out_again() -> None:
    engine = _Engine([2, 1, 1], asks=False)
    workers = parts.Workers(engine, None)  # type: ignore[arg-type]
    workers.latest = {i: [Laid(1, i, ())] for i in range(3)}
    workers.strings = {0: {"head": "0"}, 1: {"head": "1"}, 2: {"head": "2"}}
    made = workers.parts(_plan(3))
    assert [p.first_page for p in made] == [1, 3, 4]
    assert [i for i, *_ in engine.calls] == [0, 1, 2, 1, 2]


def test_a_part_with_the_wrong_running_heads_is_laid_out_again() -> None:
    engine = _Engine([1, 1, 1], asks=False)
    workers = parts.Workers(engine, None)  # type: ignore[arg-type]
    workers.latest = {i: [Laid(1, i, ())] for i in range(3)}
    made = workers.parts(_plan(3))
    assert [dict(p.carried) for p in made] == [{}, {"head": "0"}, {"head": "1"}]
    assert [i for i, *_ in engine.calls] == [0, 1, 2, 1, 2]


def test_a_folio_made_up_page_by_page_is_counted_from_its_plan() -> None:
    from exporter.editions.pdf.makeup import Piece

    plan = _plan(3)
    article = parse_file(BINHAI).articles[0]
    pieces = (Piece(article), Piece(article, 1, new_page=True), Piece(article, 2), Piece(article, 3, new_page=True))
    plan = Makeup((plan.folios[0], replace(plan.folios[1], pieces=pieces, filled=True), plan.folios[2]))
    workers = parts.Workers(_Engine([1, 3, 1]), None)  # type: ignore[arg-type]
    # The 版 made up page by page was last tried on one page: its plan says three.
    workers.latest = {i: [Laid(1, i, ())] for i in range(3)}
    assert workers.starts(plan) == [1, 2, 5]


def test_a_link_kept_for_a_story_no_part_has_is_laid_out_again_without() -> None:
    engine = _Engine([1, 1], asks=False, ghost=True)
    workers = parts.Workers(engine, None)  # type: ignore[arg-type]
    # An earlier trial had a piece that the plan no longer has.
    workers.latest = {0: [Laid(1, 0, (OnPage("ghost", True, 3, frozenset(), True),))], 1: [Laid(1, 1, ())]}
    workers.strings = {0: {"head": "0"}, 1: {"head": "1"}}
    made = workers.parts(_plan(2))
    assert made[0].borrowed == frozenset()
    assert [i for i, *_ in engine.calls] == [0, 1, 0]


# Trials: one laid out once, however often the make-up tries it.


def _made_up(plan: Makeup, front: bool, lookup: Makeup | None) -> str:
    """A 版's HTML as far as a trial tells 版 apart: its title ``i``, and a link to the story ``s{i + 1}``."""
    title = plan.folios[0].section.title
    return f'<h1>{title}</h1><a href="#s{int(title) + 1}">'


def test_a_trial_is_told_by_its_html_and_the_pages_its_targets_are_given() -> None:
    engine = parts.Engine(lambda html: None, _made_up, lambda document: b"", maps=False)
    one, two = _plan(2).folios
    tried = engine.tried(0, one, {"s1": 4, "s2": 2})
    assert tried == parts.Tried('<h1>0</h1><a href="#s1">', (("s1", 4),))
    # Another 版, or its target on another page: another trial; a page guessed for a story it does not link: the same.
    assert engine.tried(1, two, {"s1": 4}) != tried
    assert engine.tried(0, one, {"s1": 5}) != tried
    assert engine.tried(0, one, {"s1": 4, "s2": 9}) == tried
    # A target not guessed is given page 1.
    assert engine.tried(0, one, {}).targets == (("s1", 1),)


class _Laying(parts.Engine):
    """The engine with a layout that counts what it lays out: 版 ``i`` makes one page with the story ``x{i}`` on it
    (no 版 links to it) and sets the string ``head`` to ``i``."""

    def __init__(self) -> None:
        super().__init__(lambda html: None, _made_up, lambda document: b"", maps=False)
        self.laid: list[parts.Tried] = []

    def lay(self, trial: parts.Tried) -> tuple[list[Laid], dict[str, str]]:
        self.laid.append(trial)
        title = trial.html[4 : trial.html.index("<", 4)]
        return [Laid(1, 0, (OnPage(f"x{title}", True, 3, frozenset(), True),))], {"head": title}


def test_a_trial_made_again_is_not_laid_out_again() -> None:
    engine = _Laying()
    workers = parts.Workers(engine, None)
    folios = _plan(3).folios
    first = workers.trials(list(enumerate(folios)))
    assert len(engine.laid) == 3
    # The same 版 tried twice at once is laid out once; tried again later, not at all.
    again = workers.trials([(1, folios[1]), (1, folios[1]), (0, folios[0])])
    assert len(engine.laid) == 3
    assert again == [first[1], first[1], first[0]]
    assert workers.strings[1] == {"head": "1"}
    # A 版 that changed is laid out.
    changed = replace(folios[1], section=replace(folios[1].section, title="9"))
    workers.trials([(1, changed)])
    assert [t.html[4:5] for t in engine.laid] == ["0", "1", "2", "9"]
    assert workers.latest[1] == [Laid(1, 0, (OnPage("x9", True, 3, frozenset(), True),))]


def test_a_trial_whose_target_moved_is_laid_out_again() -> None:
    engine = _Laying()
    workers = parts.Workers(engine, None)
    folios = _plan(2).folios
    workers.trials(list(enumerate(folios)))
    # The story 版 0 links to is found on page 2: 版 0 tried again is laid out with it there.
    workers.latest[1] = [Laid(1, 1, (OnPage("s1", True, 3, frozenset(), True),))]
    workers.trials([(0, folios[0]), (1, folios[1])])
    assert engine.laid[2:] == [parts.Tried('<h1>0</h1><a href="#s1">', (("s1", 2),))]


def test_each_picture_is_the_one_its_story_shows(tmp_path: Path) -> None:
    # Two pictures, one in each 版: each 版 is laid out apart, and shows its own, not the issue's first.
    (tmp_path / "images").mkdir()
    colours = {"red": (200, 30, 30), "blue": (30, 30, 200)}
    for name, colour in colours.items():
        Image.new("RGB", (400, 260), colour).save(tmp_path / "images" / f"{name}.png")
    text = BINHAI.read_text(encoding="utf-8").replace("images/harbour.png", "images/red.png")
    text = text.replace("新政明确，", '![示意图（记者 周宁 摄）](images/blue.png "示意")\n\n新政明确，', 1)
    source = tmp_path / "two.md"
    source.write_text(text, encoding="utf-8")
    pdf = render_pdf(parse_file(source), load("classic"), source_dir=tmp_path, cache_dir=tmp_path / "cache")
    shown = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, 1):
        for picture in page.images:
            pixel = picture.image.convert("RGB").getpixel((5, 5))
            shown.append(
                (number, min(colours, key=lambda n: sum(abs(a - b) for a, b in zip(pixel, colours[n], strict=True))))
            )
    assert [name for _, name in shown] == ["red", "blue"]
    assert shown[0][0] < shown[1][0]


# The 版 made up page by page, checked on their parts.


class _Paging(_Engine):
    """Each 版 laid out a page for each run of its pieces up to one that opens a page; in a 版 whose section is
    called "crossing", the first page's last story runs on to the next page (as when a part's 转版 lines are
    longer than its trial's)."""

    def part(
        self, index: int, plan: Makeup, first_page: int, targets: Mapping[str, int], carried: Mapping[str, str]
    ) -> parts.Part:
        self.calls.append((index, first_page, dict(targets), dict(carried)))
        folio = plan.folios[index]
        runs: list[list[OnPage]] = []
        for piece in folio.pieces:
            if piece.new_page or not runs:
                runs.append([])
            runs[-1].append(OnPage(piece.id, True, 3, frozenset(), True))
        if folio.section.title == "crossing":
            runs[0][-1] = replace(runs[0][-1], complete=False)
        pages = tuple(Laid(first_page + i, index, tuple(run)) for i, run in enumerate(runs))
        return parts.Part(index, b"", first_page, pages, {}, {}, frozenset(), None, carried, carried)


def _filled(title: str) -> Folio:
    """A 版 called ``title`` made up page by page: a story's first block on its first page, the rest on the next."""
    from exporter.editions.pdf.makeup import Piece
    from exporter.model import Section

    article = parse_file(BINHAI).articles[0]
    pieces = (Piece(article, 0, 1, next=f"{article.id}-from-1"), Piece(article, 1, new_page=True, previous=article.id))
    return Folio(Section(title=title, page=None, articles=(), line=1), pieces, filled=True)


def _checking(again: Callable[[Folio], Folio]) -> tuple[_Paging, parts.Workers, list[makeup.FillJob]]:
    """Two 版 made up page by page, each laid out on one page; a 版 made up again is ``again(folio)``."""
    engine = _Paging([1, 1])
    workers = parts.Workers(engine, None)  # type: ignore[arg-type]
    workers.latest = {0: [Laid(1, 0, ())], 1: [Laid(1, 1, ())]}
    made: list[makeup.FillJob] = []

    def fills(jobs: list[makeup.FillJob]) -> list[Folio]:
        made.extend(jobs)
        return [again(job.folio) for job in jobs]

    workers.fills = fills  # type: ignore[method-assign]
    return engine, workers, made


def test_a_ban_made_up_page_by_page_is_checked_on_its_part_and_made_up_again_when_a_story_crosses() -> None:
    engine, workers, made = _checking(lambda folio: replace(folio, section=replace(folio.section, title="made again")))
    plan = Makeup((_filled("held"), _filled("crossing")))
    checked, laid = workers.checked(plan)
    # 版 1's part showed its story crossing the first page: made up again from the part's pages, and laid out again.
    assert [(job.index, [p.number for p in job.pages]) for job in made] == [(1, [3, 4])]
    assert [f.section.title for f in checked.folios] == ["held", "made again"]
    assert [i for i, *_ in engine.calls] == [0, 1, 0, 1]
    assert [part.first_page for part in laid] == [1, 3]
    # A plan whose parts hold is laid out once.
    engine.calls.clear()
    made.clear()
    assert workers.checked(Makeup((_filled("held"), _filled("held"))))[0] == Makeup((_filled("held"), _filled("held")))
    assert not made
    assert [i for i, *_ in engine.calls] == [0, 1]


def test_a_ban_made_up_again_as_it_was_is_not_laid_out_again() -> None:
    """Its parts would be the same: making it up and laying it out again, up to the limit, would change nothing."""
    engine, workers, made = _checking(lambda folio: folio)
    plan = Makeup((_filled("held"), _filled("crossing")))
    checked, laid = workers.checked(plan)
    assert checked == plan
    assert [job.index for job in made] == [1]
    assert [i for i, *_ in engine.calls] == [0, 1]
    assert [part.first_page for part in laid] == [1, 3]


def test_the_pages_of_a_ban_made_up_page_by_page_are_guessed_from_its_plan() -> None:
    workers = parts.Workers(_Engine([1, 1]), None)  # type: ignore[arg-type]
    first, second = _filled("a"), _filled("b")
    # Its last trial, before it was made up, had one page with the story's head on it; the plan has two.
    workers.latest = {0: [Laid(1, 0, (OnPage(first.pieces[0].id, True, 3, frozenset(), False),))], 1: [Laid(1, 1, ())]}
    plan = Makeup((first, second))
    ids = [p.id for p in first.pieces]
    assert [workers.guess(plan)[i] for i in ids] == [1, 2]
    assert workers.guess()[ids[0]] == 1 and ids[1] not in workers.guess()
