"""A document laid out as pages of a larger one, and documents joined into one: WeasyPrint's own output, read back."""

from __future__ import annotations

import io
import logging
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from exporter.editions.pdf.assemble import _Mark, _nested, _texts, assemble
from exporter.editions.pdf.numbering import anchor_pages, numbered, strings_left
from exporter.editions.pdf.parts import _fonts_uncut

STYLE = """
@page { size: 120mm 80mm; margin: 15mm;
  @top-left { content: "head:" string(paper) " page:" counter(page); font-size: 8pt }
  @bottom-center { content: "foot:" string(section); font-size: 8pt } }
@page :first { @top-right { content: "FIRST"; font-size: 8pt } }
@page :left { @bottom-left { content: "LEFT"; font-size: 8pt } }
@page :right { @bottom-right { content: "RIGHT"; font-size: 8pt } }
.paper { string-set: paper content() }
section { string-set: section attr(title) }
a::after { content: " p" target-counter(attr(href), page) }
.next { break-before: page }
"""

BODY = """
<section title="S1"><p><a href="#far">to far</a> <a href="#near">to near</a></p></section>
<p class="next" id="near">near</p>
"""


def _html(body: str, style: str = STYLE) -> Any:
    from weasyprint import HTML

    return HTML(string=f"<html><head><style>{style}</style></head><body>{body}</body></html>")


def _pages(pdf: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_pages_are_numbered_from_the_first_page_given() -> None:
    with numbered(8, {"far": 42}, {"paper": "PAPER"}) as numbers:
        document = _html(BODY).render()
    one, two = _pages(document.write_pdf())
    assert "head:PAPER page:8" in one and "head:PAPER page:9" in two
    # Page 8 of the issue is no first page, and a left one; page 9 a right one.
    assert "FIRST" not in one + two
    assert "LEFT" in one and "RIGHT" not in one
    assert "RIGHT" in two and "LEFT" not in two
    # The target elsewhere shows the page given, the one here the page it is on.
    assert "to far p42" in one and "to near p9" in one
    assert numbers.asked == {"far": 42, "near": None}
    assert anchor_pages(document, 8) == {"near": 9}
    # The string set on the page shows there, the string carried where none is set.
    assert "foot:S1" in one


def test_outside_the_block_a_document_is_its_own() -> None:
    with numbered(8, {"far": 42}, {"paper": "PAPER"}):
        pass
    one, _ = _pages(_html(BODY).render().write_pdf())
    assert "head: page:1" in one and "FIRST" in one and "RIGHT" in one
    assert "p42" not in one and "to near p2" in one


def test_the_strings_left_are_the_last_ones_set() -> None:
    document = _html('<p class="paper">A</p><section title="S1">x</section><section title="S2">y</section>').render()
    assert strings_left(document) == {"paper": "A", "section": "S2"}
    assert strings_left(document, {"paper": "B", "other": "C"}) == {"paper": "A", "section": "S2", "other": "C"}


@contextmanager
def _repaginations() -> Iterator[list[str]]:
    found: list[str] = []

    class Seen(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "Repagination" in record.getMessage():
                found.append(record.getMessage())

    logger = logging.getLogger("weasyprint.progress")
    handler, level = Seen(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield found
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


FORWARD = '<p><a href="#end">to the end</a></p>' + '<p class="next">x</p>' * 3 + '<p id="end">end</p>'


def test_a_target_given_its_page_is_laid_out_once() -> None:
    with _repaginations() as again:
        _html(FORWARD).render()
    assert again, "WeasyPrint no longer lays pages out again for a target ahead: the test shows nothing"
    with _repaginations() as again, numbered(1, {"end": 4}):
        document = _html(FORWARD).render()
    assert again == []
    assert "to the end p4" in _pages(document.write_pdf())[0]


# Joining documents.


def _part(body: str, borrowed: tuple[str, ...] = ()) -> tuple[bytes, list[int]]:
    document = _html(body, "h1 { bookmark-level: 1 } h2 { bookmark-level: 2 } .next { break-before: page }").render()
    for name in borrowed:
        document.pages[0].anchors[name] = (0, 0, 0, 0)
    levels = [level for page in document.pages for level, *_ in page.bookmarks]
    # As the print edition writes its parts: fonts embedded as they are, cut when joined.
    with _fonts_uncut(True):
        return bytes(document.write_pdf(pdf_tags=True)), levels


def test_parts_are_joined_with_their_links_outline_and_tags(tmp_path: Any) -> None:
    first = _part(
        '<h1 id="a">A</h1><p><a href="#c">to C</a> <a href="#e">to E</a></p><h2 id="b" class="next">B</h2>', ("c", "e")
    )
    second = _part(
        '<h2 id="c">C</h2><p><a href="#a">to A</a> <a href="#e">to E</a></p><h1 id="d" class="next">D</h1>', ("a", "e")
    )
    third = _part('<h2 id="e">E</h2><p>end</p>')
    joined = assemble(
        [first[0], second[0], third[0]],
        [frozenset({"c", "e"}), frozenset({"a", "e"}), frozenset()],
        [first[1], second[1], third[1]],
    )
    (tmp_path / "joined.pdf").write_bytes(joined)
    assert subprocess.run(["qpdf", "--check", str(tmp_path / "joined.pdf")], capture_output=True).returncode == 0
    pdf = pikepdf.open(io.BytesIO(joined))
    assert len(pdf.pages) == 5
    names = pdf.Root.Names.Dests.Names
    dests = {str(names[i]): pdf.pages.index(pikepdf.Page(names[i + 1][0])) for i in range(0, len(names), 2)}
    # Each name leads to the page of the part that has it, not to a part that borrowed it.
    assert dests == {"a": 0, "b": 1, "c": 2, "d": 3, "e": 4}
    links = [(n, str(a.Dest)) for n, page in enumerate(pdf.pages) for a in page.obj.get("/Annots", [])]
    assert links == [(0, "c"), (0, "e"), (2, "a"), (2, "e")]
    # The outline: C (level 2) goes under A, after B; D is a chapter of its own, with E under it.
    reader = PdfReader(io.BytesIO(joined))
    outline = reader.outline
    assert [o.title for o in outline if not isinstance(o, list)] == ["A", "D"]
    assert [o.title for o in outline[1]] == ["B", "C"]
    assert [o.title for o in outline[3]] == ["E"]
    # One font for each face the three parts use (headings, text), with every glyph they show, its program cut.
    fonts = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Subtype") == "/Type0"]
    assert len(fonts) == len({str(f.BaseFont) for f in fonts}) == 2
    shown = {chr(int(t, 16)) for f in fonts for t in _texts(f.ToUnicode.read_bytes()).values()}
    assert {"A", "C", "E", "o", "t"} <= shown
    ids = {f.objgen for f in fonts}
    assert all(page.Resources.Font[name].objgen in ids for page in pdf.pages for name in page.Resources.Font)
    descriptors = [f.DescendantFonts[0].FontDescriptor for f in fonts]
    assert all(len(d.get("/FontFile2", d.get("/FontFile3")).read_bytes()) < 100_000 for d in descriptors)
    # The tags: one Document, the later parts' elements after the first's, each a kid of it.
    root = pdf.Root.StructTreeRoot
    document = root.K if not isinstance(root.K, pikepdf.Array) else root.K[0]
    kids = list(document.K)
    assert [str(k.S) for k in kids if str(k.S) in ("/H1", "/H2")] == ["/H1", "/H2", "/H2", "/H1", "/H2"]
    assert all(k.P.objgen == document.objgen for k in kids)
    # Every page's marked content and every link find their own elements through the parent tree.
    nums = root.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert len(parents) == len(nums) // 2
    for page in pdf.pages:
        elements = parents[int(page.obj.StructParents)]
        assert len(elements) > 0
        assert all(e.Pg.objgen == page.obj.objgen for e in elements)
        for annot in page.obj.get("/Annots", []):
            element = parents[int(annot.StructParent)]
            assert str(element.S) == "/Link"
            objrs = [k for k in element.K if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"]
            assert [k.Obj.objgen for k in objrs] == [annot.objgen]


def test_one_part_is_the_pdf_as_it_is() -> None:
    only, levels = _part("<h1>A</h1>")
    assert assemble([only], [frozenset()], [levels]) == only


@pytest.mark.parametrize(
    ("levels", "tree"),
    [
        ([1, 2, 2, 1], [(1, [2, 2]), (1, [])]),
        ([2, 1, 2], [(2, []), (1, [2])]),
        ([1, 3, 2], [(1, [3, 2])]),
    ],
)
def test_bookmarks_go_under_the_last_of_a_lower_level(levels: list[int], tree: list[Any]) -> None:
    roots = _nested([_Mark(level, str(i), None, True) for i, level in enumerate(levels)])
    assert [(m.level, [c.level for c in m.children]) for m in roots] == tree


def test_a_whole_document_is_told_the_pages_found_last_time_and_checked() -> None:
    from exporter.editions.pdf.parts import seeded

    html = f"<html><head><style>{STYLE}</style></head><body>{FORWARD}</body></html>"
    calls: list[str] = []

    def layout(text: str) -> Any:
        from weasyprint import HTML

        calls.append(text)
        return HTML(string=text).render()

    # Told a wrong page: laid out again with the page found.
    found = {"end": 2, "elsewhere": 9}
    document = seeded(layout, html, found)
    assert len(calls) == 2 and found["end"] == 4
    assert "to the end p4" in _pages(document.write_pdf())[0]
    # Told the right page: laid out once, each page once.
    calls.clear()
    with _repaginations() as again:
        document = seeded(layout, html, found)
    assert len(calls) == 1 and again == []
    assert "to the end p4" in _pages(document.write_pdf())[0]


def test_a_face_of_a_font_collection_is_cut_in_its_part() -> None:
    """A system font WeasyPrint falls back on may be a face of a collection: a part cuts it, never embeds the whole."""
    document = _html("<p style=\"font-family: 'Noto Serif CJK SC'\">报纸的字</p>", "").render()
    with _fonts_uncut(True):
        pdf = pikepdf.open(io.BytesIO(document.write_pdf()))
    programs = [
        d.get("/FontFile2", d.get("/FontFile3"))
        for d in pdf.objects
        if isinstance(d, pikepdf.Dictionary) and d.get("/Type") == "/FontDescriptor"
    ]
    assert programs
    # Cut as WeasyPrint cuts (glyph ids kept: some hundred kilobytes), not the collection of 20 MB or more.
    assert all(p.read_bytes()[:4] != b"ttcf" and len(p.read_bytes()) < 2_000_000 for p in programs)
