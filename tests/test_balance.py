"""Balanced columns of boxes that keep together: the layout WeasyPrint gives, in a few rounds, not a pixel a round."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from math import inf
from pathlib import Path
from typing import Any

import pytest

from exporter.editions.pdf.balance import steps_found

ROOT = Path(__file__).resolve().parents[1]
FONT = ROOT / "fonts" / "ExporterSerifSC-Regular.otf"
HEAD = (
    f"<style>@font-face {{ font-family: S; src: url({FONT.as_uri()}) }}"
    " @page { size: 120mm 200mm; margin: 10mm } body { font: 10pt/1.5 S; margin: 0 }"
    " p { margin: 0; orphans: 2; widows: 2 }</style>"
)

#: A 导读: eight 版 in two columns, each 版's title kept with its entries.
GUIDE = (
    "<nav style='columns: 2; column-gap: 5mm'>"
    + "".join(
        f"<section id='s{i}' style='break-inside: avoid; padding-bottom: 2mm'>"
        f"<h3 style='margin: 0; font-size: 10.5pt; break-after: avoid'>第{i}版</h3><ol style='margin: 0'>"
        + "".join(f"<li id='e{i}-{j}'>条目{i}之{j}，一个不短的标题在这里</li>" for j in range(1 + i % 3))
        + "</ol></section>"
        for i in range(1, 9)
    )
    + "</nav><p id='after'>后文</p>"
)

#: A story in three columns: paragraphs that may break, and a figure that keeps together between them.
STORY = (
    "<div style='columns: 3; column-gap: 4mm'><p id='p1'>"
    + "台南市政府今天宣布中西區兩條老街夜市將於本週末起試辦行人徒步區每週五六晚間" * 2
    + "</p><div id='fig' style='break-inside: avoid'><div style='height: 30mm; background: #99c'></div>"
    "<p id='caption'>圖說一行字</p><p>記者攝</p></div><p id='p2'>"
    + "港務公司也提醒港區周邊道路下週起將調整號誌時間請用路人留意"
    + "</p></div><p id='after'>后文</p>"
)


@dataclass
class _Run:
    """One layout of a document: where each element with an id starts (page, x, y); how many times a column was laid
    out to a height, and with no room (the balancing loop's probe of a column's next box); and what the balancing
    loops were answered, call by call (the room, whether the column held nothing, where it ended)."""

    where: dict[str, tuple[int, float, float]]
    rounds: int
    probes: int
    answers: list[tuple[float, bool, str]]


def _run(html: str, found: bool) -> _Run:
    import weasyprint
    from weasyprint.layout import block

    run = _Run({}, 0, 0, [])
    original = block.block_box_layout

    @functools.wraps(original)
    def counted(context: Any, box: Any, bottom_space: float, *args: Any, **kwargs: Any) -> Any:
        if getattr(box, "is_column", False):
            if bottom_space in (inf, -inf):
                run.probes += 1
            else:
                run.rounds += 1
        return original(context, box, bottom_space, *args, **kwargs)

    def answering(layout: Any) -> Any:
        @functools.wraps(layout)
        def answered(context: Any, box: Any, bottom_space: float, *args: Any, **kwargs: Any) -> Any:
            result = layout(context, box, bottom_space, *args, **kwargs)
            if getattr(box, "is_column", False) and bottom_space not in (inf, -inf):
                run.answers.append((round(bottom_space, 3), result[0] is None, repr(result[1])))
            return result

        return answered

    block.block_box_layout = counted
    try:
        if found:
            with steps_found():
                block.block_box_layout = answering(block.block_box_layout)
                document = weasyprint.HTML(string=HEAD + html).render()
        else:
            block.block_box_layout = answering(counted)
            document = weasyprint.HTML(string=HEAD + html).render()
    finally:
        block.block_box_layout = original
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("id") and box.element_tag == element.tag:
                run.where.setdefault(element.get("id"), (number, round(box.position_x, 2), round(box.position_y, 2)))
    return run


def test_a_guide_balances_as_before_in_a_few_rounds() -> None:
    before, after = _run(GUIDE, found=False), _run(GUIDE, found=True)
    assert after.where == before.where
    # Both columns hold 版: the balancing did happen.
    assert len({x for _, x, _ in (before.where[f"s{i}"] for i in range(1, 9))}) == 2
    assert before.rounds >= 20
    assert after.rounds <= before.rounds // 4


@pytest.mark.parametrize("html", [STORY], ids=["story with a figure"])
def test_columns_that_may_break_are_left_to_weasyprint(html: str) -> None:
    """A full step past a figure could leap over a height at which the story fits another way. The next box a
    column ends before is probed once, however many rounds the column ends before it."""
    before, after = _run(html, found=False), _run(html, found=True)
    assert after.where == before.where
    assert after.answers == before.answers
    assert after.rounds == before.rounds
    # Each next box a column ended before is probed once.
    ended = {resume for _, nothing, resume in before.answers if not nothing and resume != "None"}
    assert len(ended) >= 3
    assert before.probes >= 3 * len(ended)
    assert after.probes == len(ended)


def test_weasyprint_has_its_own_layout_back() -> None:
    from weasyprint.layout import block

    original = block.block_box_layout
    with steps_found():
        assert block.block_box_layout is not original
    assert block.block_box_layout is original
    with pytest.raises(RuntimeError), steps_found():
        raise RuntimeError
    assert block.block_box_layout is original


def test_another_weasyprint_stops_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.layout import block

    from exporter.editions.pdf.artifacts import WeasyPrintChanged

    def changed(context: Any, box: Any, skip_stack: Any, bottom_space: float) -> None:
        raise AssertionError("not called")

    monkeypatch.setattr(block, "block_box_layout", changed)
    with pytest.raises(WeasyPrintChanged, match=r"balance\.py"), steps_found():
        pass
    assert block.block_box_layout is changed


#: A story in three columns that opens with a figure taller than a third of it: each column is laid out at the
#: average height first, where the figure does not fit and the first column holds nothing.
TALL_FIGURE = (
    "<div style='columns: 3; column-gap: 4mm'><div id='fig' style='break-inside: avoid'>"
    "<div style='height: 60mm; background: #99c'></div><p id='caption'>圖說一行字</p></div><p id='p1'>"
    + "台南市政府今天宣布中西區兩條老街夜市將於本週末起試辦行人徒步區每週五六晚間"
    + "</p><p id='p2'>"
    + "港務公司也提醒港區周邊道路下週起將調整號誌時間請用路人留意"
    + "</p></div><p id='after'>后文</p>"
)


#: A story of a few lines in three columns: at the average height, a column has room for fewer lines than its
#: paragraph must leave at the foot of a column (``orphans``), and the first column holds nothing.
FEW_LINES = (
    "<div style='columns: 3; column-gap: 4mm'><p id='p1'>台南市政府今天宣布中西區兩條老街夜市將</p>"
    "<p id='p2'>港務公司也提醒港區周邊道路</p></div><p id='after'>后文</p>"
)


#: A story that opens with a figure nearly as tall as the page: its column holds something only a few rounds short
#: of the greatest height the loop may try.
PAGE_FIGURE = TALL_FIGURE.replace("height: 60mm", "height: 170mm")


@pytest.mark.parametrize(
    ("html", "saved"),
    [(TALL_FIGURE, 0.6), (PAGE_FIGURE, 0.6), (FEW_LINES, 0.4)],
    ids=["figure", "page figure", "few lines"],
)
def test_rounds_in_which_a_column_holds_nothing_are_not_laid_out(html: str, saved: float) -> None:
    """The balancing loop is answered as WeasyPrint would answer it, round by round."""
    before, after = _run(html, found=False), _run(html, found=True)
    assert after.where == before.where
    assert after.answers == before.answers
    # The story opens the first column and goes on in the others.
    assert before.where["p1" if "fig" not in before.where else "fig"][1] < before.where["p2"][1]
    assert before.rounds >= 20
    # The share of the column layouts saved, though finding the first height that holds something lays out too.
    assert after.rounds <= before.rounds * (1 - saved)
