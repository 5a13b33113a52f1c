"""Page furniture in the tagged PDF is artifact: running heads, folios and the editor's line carry no MCID.

Each PDF is read back with pypdf: the text of every marked-content sequence of every page, with
where it is drawn, and the structure tree (``/StructTreeRoot``) with its ParentTree. Text drawn in
the page margins (the @page margins of themes/base/css/print.css) is page furniture.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from exporter import Issue
from exporter.pipeline import build

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "binhai-daily.md"
MM = 72 / 25.4
# The @page margins of themes/base/css/print.css (top, bottom): what is drawn there is furniture.
TOP_MARGIN = 16 * MM
BOTTOM_MARGIN = 14 * MM
THEMES = ("classic", "reader", "vertical")
# A folio as the head sets it: the page label, an ideographic space, the page number.
FOLIO = re.compile(r"第A\d+版\u3000\d+")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("artifacts")
    cache = tmp_path_factory.mktemp("cache")
    found = {}
    for theme in THEMES:
        (built,) = build(EXAMPLE, ["pdf"], theme=theme, out=out / theme, cache_dir=cache)
        found[theme] = built.path
    (built,) = build(EXAMPLE, ["pdf"], theme="classic", out=out / "ua", cache_dir=cache, pdf_variant="pdf/ua-1")
    found["pdf/ua-1"] = built.path
    return found


@dataclass(frozen=True)
class Piece:
    """A run of text as a page's content stream draws it."""

    page: int
    text: str
    mcid: int | None  # of the innermost marked-content sequence that has one
    artifact: bool  # inside an /Artifact sequence
    from_top: float  # baseline, in points from the top and the bottom of the page (before /Rotate)
    from_bottom: float

    @property
    def in_margin(self) -> bool:
        return self.from_top < TOP_MARGIN or self.from_bottom < BOTTOM_MARGIN


@functools.cache
def pieces(pdf: Path) -> tuple[Piece, ...]:
    """Every run of text of every page, with the marked-content sequences it is in."""
    return tuple(piece for number, page in enumerate(PdfReader(pdf).pages) for piece in _page_pieces(number, page))


def _page_pieces(number: int, page: Any) -> list[Piece]:
    found: list[Piece] = []
    stack: list[tuple[str, int | None]] = []
    top, bottom = float(page.mediabox.top), float(page.mediabox.bottom)

    def operator(op: bytes, operands: list[Any], cm: Any, tm: Any) -> None:
        if op == b"BDC":
            properties = operands[1] if isinstance(operands[1], DictionaryObject) else {}
            mcid = properties.get("/MCID")
            stack.append((str(operands[0]), None if mcid is None else int(mcid)))
        elif op == b"BMC":
            stack.append((str(operands[0]), None))
        elif op == b"EMC":
            stack.pop()

    def text(run: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        # pypdf hands a text object's text over at its ET, inside the sequence that drew it.
        if not run.strip():
            return
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        mcids = [m for _, m in stack if m is not None]
        artifact = any(tag == "/Artifact" for tag, _ in stack)
        found.append(Piece(number, run, mcids[-1] if mcids else None, artifact, top - y, y - bottom))

    page.extract_text(visitor_operand_before=operator, visitor_text=text)
    assert not stack, f"page {number + 1}: a marked-content sequence is not closed"
    return found


@functools.cache
def structure(pdf: Path) -> tuple[list[tuple[int, int]], dict[int, list[DictionaryObject]]]:
    """The (page, MCID) pairs of the structure tree in its order, and each page's ParentTree array."""
    reader = PdfReader(pdf)
    page_of = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    root = reader.trailer["/Root"]["/StructTreeRoot"]
    order: list[tuple[int, int]] = []

    def walk(node: Any, page: int | None) -> None:
        node = node.get_object()
        if isinstance(node, int):
            assert page is not None
            order.append((page, int(node)))
            return
        if "/Pg" in node:
            page = page_of[node.raw_get("/Pg").idnum]
        if node.get("/Type") == "/MCR":
            assert page is not None
            order.append((page, int(node["/MCID"])))
            return
        if node.get("/Type") == "/OBJR" or "/K" not in node:
            return
        kids = node["/K"]
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            walk(kid, page)

    walk(root, None)
    nums = root["/ParentTree"]["/Nums"]
    parents = {
        int(nums[i]): [e.get_object() for e in nums[i + 1]]
        for i in range(0, len(nums), 2)
        if isinstance(nums[i + 1].get_object(), ArrayObject)
    }
    return order, parents


def tree_text(pdf: Path) -> str:
    """The text of the structure tree in its order: what a tag-aware reader reads or copies."""
    marked: dict[tuple[int, int], str] = {}
    for piece in pieces(pdf):
        if piece.mcid is not None:
            key = (piece.page, piece.mcid)
            marked[key] = marked.get(key, "") + piece.text
    order, _ = structure(pdf)
    return "".join(marked.get(key, "") for key in order)


def _reachable(pdf: Path) -> set[int]:
    """The object numbers of the structure elements the tree's root leads to."""
    root = PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"]
    seen: set[int] = set()

    def walk(reference: Any) -> None:
        if not hasattr(reference, "idnum") or reference.idnum in seen:
            return
        seen.add(reference.idnum)
        node = reference.get_object()
        if isinstance(node, DictionaryObject) and "/K" in node:
            kids = node.raw_get("/K")
            for kid in kids.get_object() if isinstance(kids.get_object(), ArrayObject) else [kids]:
                walk(kid)

    for kid in root["/K"] if isinstance(root["/K"], ArrayObject) else [root.raw_get("/K")]:
        walk(kid)
    return seen


def _expected_furniture(example: Issue) -> Iterator[str]:
    m = example.masthead
    assert m.title and m.date and m.editor
    yield m.title
    yield f"{m.date.year}年{m.date.month}月{m.date.day}日"
    yield f"责任编辑：{m.editor}"


@pytest.mark.parametrize("key", [*THEMES, "pdf/ua-1"])
def test_running_heads_folios_and_feet_are_artifacts(pdfs: dict[str, Path], example: Issue, key: str) -> None:
    found = pieces(pdfs[key])
    furniture = [p for p in found if p.in_margin]
    pages = {p.page for p in found}
    # Every page has its foot; every page after the front page its heads and folio.
    assert {p.page for p in furniture} == pages
    for page in sorted(pages)[1:]:
        shown = "".join(p.text for p in furniture if p.page == page)
        for text in _expected_furniture(example):
            assert text in shown, (key, page + 1, text, shown)
        assert FOLIO.search(shown), (key, page + 1, shown)
    untagged = [p for p in furniture if not p.artifact or p.mcid is not None]
    assert untagged == [], f"{key}: page furniture drawn as content"
    # …and nothing of the pages' text area is hidden as an artifact.
    assert [p for p in found if p.artifact and not p.in_margin] == []


@pytest.mark.parametrize("key", THEMES)
def test_structure_tree_reads_the_articles_without_the_furniture(
    pdfs: dict[str, Path], example: Issue, key: str
) -> None:
    # Quotes are compared whatever their style: vertical themes may set “” as 「」.
    plain = str.maketrans("「」『』", "“”‘’")
    raw = tree_text(pdfs[key])
    text = re.sub(r"\s+", "", raw).translate(plain)
    for article in example.articles:
        position = 0  # each story in order; a story that jumps goes on after others
        for paragraph in article.paragraphs:
            for piece in re.findall(r".{1,12}", re.sub(r"\s+", "", paragraph.text.translate(plain))):
                found = text.find(piece, position)
                assert found >= 0, (key, article.id, piece)
                position = found + len(piece)
    assert "责任编辑" not in text
    assert not FOLIO.search(raw)
    # Every marked (real) content of every page is in the tree, and the ParentTree leads to no
    # element the tree leaves out: WeasyPrint's own heads were marked content outside the tree.
    order, parents = structure(pdfs[key])
    marked = {(p.page, p.mcid) for p in pieces(pdfs[key]) if p.mcid is not None}
    assert marked - set(order) == set()
    reachable = _reachable(pdfs[key])
    for page, elements in parents.items():
        assert [e.indirect_reference.idnum for e in elements if e.indirect_reference.idnum not in reachable] == [], page


@pytest.mark.parametrize("key", THEMES)
def test_qpdf_checks_the_file_and_reads_the_same_artifacts(pdfs: dict[str, Path], key: str, tmp_path: Path) -> None:
    qpdf = shutil.which("qpdf")
    assert qpdf, "qpdf is not installed: run ./dev test, which installs it"
    check = subprocess.run([qpdf, "--check", str(pdfs[key])], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout
    # qpdf, a second reader, uncompresses the content streams: it finds one pagination artifact
    # per margin box that pypdf found furniture in.
    plain = tmp_path / "plain.pdf"
    subprocess.run([qpdf, "--qdf", "--object-streams=disable", str(pdfs[key]), str(plain)], check=True)
    artifacts = re.findall(rb"/Artifact\s*<<\s*/Type\s*/Pagination", plain.read_bytes())
    furniture = {(p.page, round(p.from_top)) for p in pieces(pdfs[key]) if p.in_margin}
    assert len(artifacts) >= len(furniture) > 0


def test_pdf_ua_1_still_builds(pdfs: dict[str, Path]) -> None:
    reader = PdfReader(pdfs["pdf/ua-1"])
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfuaid" in xmp
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    qpdf = shutil.which("qpdf")
    assert qpdf
    subprocess.run([qpdf, "--check", str(pdfs["pdf/ua-1"])], check=True, capture_output=True)
    assert all(p.artifact and p.mcid is None for p in pieces(pdfs["pdf/ua-1"]) if p.in_margin)


def test_an_unknown_weasyprint_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint
    from weasyprint import draw
    from weasyprint.pdf import tags

    from exporter.editions.pdf.artifacts import WeasyPrintChanged, margin_boxes_as_artifacts

    before = draw.draw_stacking_context, tags._build_box_tree
    with margin_boxes_as_artifacts():
        assert draw.draw_stacking_context is not before[0] and tags._build_box_tree is not before[1]
        with margin_boxes_as_artifacts():  # re-entrant
            pass
        assert draw.draw_stacking_context is not before[0]
    assert (draw.draw_stacking_context, tags._build_box_tree) == before
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(WeasyPrintChanged, match=r"WeasyPrint 71\.0 is installed"), margin_boxes_as_artifacts():
        pass
    assert (draw.draw_stacking_context, tags._build_box_tree) == before


def test_margin_content_tagged_another_way_stops_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """Were WeasyPrint to draw margin boxes by another path than the one patched, no PDF is written."""
    from weasyprint import HTML

    from exporter.editions.pdf import artifacts

    monkeypatch.setattr(artifacts, "_drawing_margins_as_artifacts", lambda original: original)
    page = '<html lang="zh"><style>@page { @top-center { content: "滨海日报" } }</style><p>正文</p></html>'
    with pytest.raises(artifacts.WeasyPrintChanged, match="@top-center"), artifacts.margin_boxes_as_artifacts():
        HTML(string=page).write_pdf(pdf_tags=True)
