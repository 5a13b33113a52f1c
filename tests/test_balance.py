"""Balanced columns of boxes that keep together: the layout WeasyPrint gives, in a few rounds, not a pixel a round."""

from __future__ import annotations

import functools
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


def _laid(html: str, found: bool) -> tuple[dict[str, tuple[int, float, float]], int]:
    """Where each element with an id starts (page, x, y), and how many times a column was laid out to a height."""
    import weasyprint
    from weasyprint.layout import block

    rounds = 0
    original = block.block_box_layout

    @functools.wraps(original)
    def counted(context: Any, box: Any, bottom_space: float, *args: Any, **kwargs: Any) -> Any:
        nonlocal rounds
        if getattr(box, "is_column", False) and bottom_space not in (inf, -inf):
            rounds += 1
        return original(context, box, bottom_space, *args, **kwargs)

    block.block_box_layout = counted
    try:
        if found:
            with steps_found():
                document = weasyprint.HTML(string=HEAD + html).render()
        else:
            document = weasyprint.HTML(string=HEAD + html).render()
    finally:
        block.block_box_layout = original
    where: dict[str, tuple[int, float, float]] = {}
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("id") and box.element_tag == element.tag:
                where.setdefault(element.get("id"), (number, round(box.position_x, 2), round(box.position_y, 2)))
    return where, rounds


def test_a_guide_balances_as_before_in_a_few_rounds() -> None:
    before, rounds_before = _laid(GUIDE, found=False)
    after, rounds_after = _laid(GUIDE, found=True)
    assert after == before
    # Both columns hold 版: the balancing did happen.
    assert len({x for _, x, _ in (before[f"s{i}"] for i in range(1, 9))}) == 2
    assert rounds_before >= 20
    assert rounds_after <= rounds_before // 4


@pytest.mark.parametrize("html", [STORY], ids=["story with a figure"])
def test_columns_that_may_break_are_left_to_weasyprint(html: str) -> None:
    """A full step past a figure could leap over a height at which the story fits another way."""
    before, rounds_before = _laid(html, found=False)
    after, rounds_after = _laid(html, found=True)
    assert after == before
    assert rounds_after == rounds_before


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
