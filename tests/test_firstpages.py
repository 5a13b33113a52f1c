"""The make-up's page-by-page trials laid out only up to the page it reads: what it reads is the whole layout's.

A 版 made up page by page is tried a page at a time, and each trial is stopped after its first page of
stories (:mod:`exporter.editions.pdf.firstpages`). Every such trial of the dense example (with a
masthead so tall that the 导读 runs over to a second page) is laid out whole as well, here, and the
make-up's reading of the two compared: the pages laid must be the whole layout's first pages, field for
field (which stories and blocks end on them included), and the page standing for the rest must come
where the whole layout goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from exporter.editions.pdf import parts, render_pdf
from exporter.editions.pdf.makeup import Laid
from exporter.parser import parse_file
from exporter.theming import load
from tests.conftest import EXAMPLES

DENSE = EXAMPLES / "dongling-daily.md"
BINHAI = EXAMPLES / "binhai-daily.md"


@dataclass
class _Trials:
    """Each shortened trial laid out, its pages and those of the same trial laid out whole, and the pages
    WeasyPrint made for each."""

    short: list[list[Laid]] = field(default_factory=list)
    whole: list[list[Laid]] = field(default_factory=list)
    made_short: list[int] = field(default_factory=list)
    made_whole: list[int] = field(default_factory=list)
    loops: list[int] = field(default_factory=list)


def _built(source: Path, theme: str | Path, out: Path) -> _Trials:
    import weasyprint.layout as layout_module
    import weasyprint.layout.page as page_module

    seen = _Trials()
    made = [0]
    loops = [0]
    remake_page = page_module.remake_page
    make_all_pages = layout_module.make_all_pages
    lay = parts.Engine.lay

    def counted_page(index: int, context: Any, root_box: Any, html: Any) -> Any:
        made[0] += 1
        return remake_page(index, context, root_box, html)

    def counted_loop(context: Any, root_box: Any, html: Any, pages: Any) -> Any:
        loops[0] += 1
        return make_all_pages(context, root_box, html, pages)

    def both(self: parts.Engine, trial: parts.Tried) -> tuple[list[Laid], dict[str, str]]:
        made[0] = loops[0] = 0
        laid = lay(self, trial)
        if trial.stories is not None:
            seen.short.append(laid[0])
            seen.made_short.append(made[0])
            seen.loops.append(loops[0])
            made[0] = 0
            seen.whole.append(lay(self, replace(trial, stories=None))[0])
            seen.made_whole.append(made[0])
        return laid

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(page_module, "remake_page", counted_page)
        patch.setattr(layout_module, "make_all_pages", counted_loop)
        patch.setattr(parts.Engine, "lay", both)
        # One process: the trials are laid out in this one, where they are recorded.
        render_pdf(parse_file(source), load(theme), source_dir=source.parent, cache_dir=out, processes=1)
    return seen


def _tall(folder: Path) -> Path:
    """A theme whose masthead is so tall that the front page's 导读 runs over to a second page: the front page's
    band stands alone on two pages, and its stories are tried from the top of the third."""
    (folder / "css").mkdir(parents=True)
    (folder / "theme.toml").write_text(
        'name = "tall"\ndescription = "A tall masthead."\ninherit = "classic"\n', encoding="utf-8"
    )
    (folder / "css" / "print.css").write_text(".masthead { padding-block-end: 120mm; }\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def dense(tmp_path_factory: pytest.TempPathFactory) -> _Trials:
    out = tmp_path_factory.mktemp("dense")
    return _built(DENSE, _tall(out / "tall"), out)


def test_the_pages_a_shortened_trial_lays_are_the_whole_layouts(dense: _Trials) -> None:
    stopped = 0
    for short, whole in zip(dense.short, dense.whole, strict=True):
        if short[-1].rest:
            stopped += 1
            laid = short[:-1]
            assert laid == whole[: len(laid)]
            assert len(whole) > len(laid)
        else:
            assert short == whole
    assert stopped >= 5


def test_the_page_standing_for_the_rest_holds_the_stories_the_whole_layout_goes_on_with(dense: _Trials) -> None:
    crossing = 0
    for short, whole in zip(dense.short, dense.whole, strict=True):
        if not short[-1].rest:
            continue
        rest = short[-1]
        assert rest.number == len(short)
        assert rest.lines == 0 and not any(s.complete or s.head or s.lines for s in rest.pieces)
        last = short[-2]
        later = {s.piece for page in whole[len(short) - 1 :] for s in page.pieces if s.lines or s.ends}
        running = {s.piece for s in rest.pieces}
        # Every story of the last page laid that goes on later stands on it, and none that ended.
        assert {s.piece for s in last.pieces if s.piece in later} <= running
        assert not any(s.piece in running for s in last.pieces if s.complete)
        # A block broken at the foot of the last page laid does not end there.
        crossing += sum(1 for s in last.pieces for block, _ in s.block_lines if block not in s.ends)
    assert crossing >= 3


def test_a_shortened_trial_makes_fewer_pages_each_once(dense: _Trials) -> None:
    assert all(loops == 1 for loops in dense.loops)
    for short, made in zip(dense.short, dense.made_short, strict=True):
        # The pages laid and none more: the page standing for the rest is not made.
        assert made == len(short) - short[-1].rest
    assert sum(dense.made_short) < sum(dense.made_whole) * 0.8


def test_a_shortened_trial_stops_after_its_first_page_of_stories(dense: _Trials) -> None:
    """Pages of the front page's band alone (no story), then one page of stories, then the page for the rest: the
    band stands alone on two pages, and the trials of the front page lay out a third."""
    bands = []
    for short in dense.short:
        if short[-1].rest:
            *band, stories, _ = short
            assert stories.pieces and not any(page.pieces for page in band)
            bands.append(len(band))
    assert max(bands) == 2
