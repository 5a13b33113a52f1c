"""Marks the page furniture of the tagged PDF (what @page margin boxes show) as artifacts, not content.

Running heads, folios and the editor's line in the foot are drawn by WeasyPrint in the page's
margin boxes. WeasyPrint 70 draws their text as real content, marked with MCIDs
(``/Span <</MCID n>> BDC … EMC``), and builds structure elements for them that it leaves out of
the structure tree: the ParentTree maps the MCIDs to elements no reader reaches from the root,
which PDF/UA forbids (real content must be in the tree), and a reader of the marked content finds
the heads in the middle of the text (upstream: Kozea/WeasyPrint#1836, open).

While a PDF is written, :func:`margin_boxes_as_artifacts` puts two wrappers in place of
WeasyPrint's own functions, and restores them after:

- ``weasyprint.draw.draw_stacking_context``: a margin box's stacking context (its background,
  borders, text and images, and any context inside it) is drawn inside one pagination artifact,
  ``/Artifact <</Type /Pagination /Subtype /Header>> BDC … EMC`` (``/Footer`` for the bottom
  boxes, no subtype for the side boxes), with the stream's tag list set aside, so that nothing in
  it gets an MCID or a nested marked-content sequence;
- ``weasyprint.pdf.tags._build_box_tree``: a margin box gets no structure element and no
  ParentTree entry (WeasyPrint's own code would look for the MCIDs that are no longer there).

The wrappers touch WeasyPrint's internals, so they are checked: the WeasyPrint version must be one
of :data:`SUPPORTED_WEASYPRINT` (pyproject pins ``weasyprint>=70,<71``), the two functions must
have the parameters this module knows, and the stream must keep its tag list in ``_tags``; and a
margin box whose content was tagged after all (WeasyPrint drew it some other way) stops the build.
Any of these raises :class:`WeasyPrintChanged` rather than writing a PDF with its heads tagged.

WeasyPrint is imported inside the functions.
"""

from __future__ import annotations

import contextlib
import inspect
import threading
from collections.abc import Callable, Iterator
from typing import Any

#: The WeasyPrint major versions whose drawing and tagging code this module was written against.
SUPPORTED_WEASYPRINT = (70,)
_DRAW_PARAMETERS = ("stream", "stacking_context")
_TREE_PARAMETERS = ("box", "parent", "pdf", "page_number", "nums", "annotations", "tags")

_lock = threading.Lock()
_depth = 0
_originals: tuple[Callable[..., Any], Callable[..., Any]] | None = None


class WeasyPrintChanged(RuntimeError):
    """WeasyPrint's internals are not what this module patches: update it for the new version."""


@contextlib.contextmanager
def margin_boxes_as_artifacts() -> Iterator[None]:
    """Write PDFs inside the block with their margin boxes drawn as pagination artifacts, untagged.

    Re-entrant and safe across threads: WeasyPrint's functions are replaced on the first entry and
    restored on the last exit.
    """
    global _depth, _originals
    with _lock:
        if _depth == 0:
            _originals = _install()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _originals is not None:
                _restore(_originals)
                _originals = None


def _install() -> tuple[Callable[..., Any], Callable[..., Any]]:
    """Check WeasyPrint, put the wrappers in place; the functions they replace."""
    import weasyprint
    from weasyprint import draw
    from weasyprint.pdf import stream as pdf_stream
    from weasyprint.pdf import tags

    version = str(weasyprint.__version__)
    major = version.split(".")[0]
    if not major.isdigit() or int(major) not in SUPPORTED_WEASYPRINT:
        supported = ", ".join(map(str, SUPPORTED_WEASYPRINT))
        raise WeasyPrintChanged(
            f"page furniture is marked as artifacts by patching WeasyPrint {supported}, and WeasyPrint {version} "
            "is installed: check draw_stacking_context in weasyprint/draw/__init__.py and _build_box_tree in "
            "weasyprint/pdf/tags.py, then update exporter/editions/pdf/artifacts.py"
        )
    draw_original = draw.draw_stacking_context
    tree_original = tags._build_box_tree
    _check_parameters(draw_original, _DRAW_PARAMETERS, "weasyprint.draw.draw_stacking_context")
    _check_parameters(tree_original, _TREE_PARAMETERS, "weasyprint.pdf.tags._build_box_tree")
    for name in ("begin_marked_content", "end_marked_content"):
        if not callable(getattr(pdf_stream.Stream, name, None)):
            raise WeasyPrintChanged(
                f"WeasyPrint's PDF Stream has no {name}(): update exporter/editions/pdf/artifacts.py"
            )
    draw.draw_stacking_context = _drawing_margins_as_artifacts(draw_original)
    tags._build_box_tree = _leaving_margins_out(tree_original)
    return draw_original, tree_original


def _restore(originals: tuple[Callable[..., Any], Callable[..., Any]]) -> None:
    from weasyprint import draw
    from weasyprint.pdf import tags

    draw.draw_stacking_context, tags._build_box_tree = originals


def _check_parameters(function: Callable[..., Any], expected: tuple[str, ...], name: str) -> None:
    found = tuple(inspect.signature(function).parameters)
    if found != expected:
        raise WeasyPrintChanged(
            f"{name} takes ({', '.join(found)}), not ({', '.join(expected)}) as exporter/editions/pdf/artifacts.py "
            "expects: update it for this WeasyPrint"
        )


def _drawing_margins_as_artifacts(original: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
    from weasyprint.formatting_structure import boxes

    def draw_stacking_context(stream: Any, stacking_context: Any) -> None:
        box = stacking_context.box
        if not isinstance(box, boxes.MarginBox):
            original(stream, stacking_context)
            return
        if not hasattr(stream, "_tags"):
            raise WeasyPrintChanged(
                "WeasyPrint's PDF stream keeps no _tags: update exporter/editions/pdf/artifacts.py for this WeasyPrint"
            )
        tags = stream._tags
        if tags is None:  # an untagged PDF: nothing to mark
            original(stream, stacking_context)
            return
        stream.begin_marked_content("Artifact", _pagination(box.at_keyword))
        # With no tag list, WeasyPrint's stream.marked() and stream.artifact() mark nothing.
        stream._tags = None
        try:
            original(stream, stacking_context)
        finally:
            stream._tags = tags
            stream.end_marked_content()

    return draw_stacking_context


def _pagination(at_keyword: str) -> Any:
    """The property list of a margin box's artifact: pagination, in the page's head or foot."""
    import pydyf  # type: ignore[import-untyped]

    properties = {"Type": "/Pagination"}
    if at_keyword.startswith("@top"):
        properties["Subtype"] = "/Header"
    elif at_keyword.startswith("@bottom"):
        properties["Subtype"] = "/Footer"
    return pydyf.Dictionary(properties)


def _leaving_margins_out(original: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    from weasyprint.formatting_structure import boxes

    def _build_box_tree(
        box: Any, parent: Any, pdf: Any, page_number: int, nums: Any, annotations: Any, tags: Any
    ) -> Iterator[Any]:
        if not isinstance(box, boxes.MarginBox):
            return original(box, parent, pdf, page_number, nums, annotations, tags)
        tagged = [b for b in _descendants(box) if b in tags]
        if tagged:
            raise WeasyPrintChanged(
                f"WeasyPrint tagged the content of the margin box {box.at_keyword} ({len(tagged)} boxes): it no "
                "longer draws margin boxes through draw_stacking_context; update exporter/editions/pdf/artifacts.py"
            )
        return iter(())

    return _build_box_tree


def _descendants(box: Any) -> Iterator[Any]:
    for child in getattr(box, "children", ()):
        yield child
        yield from _descendants(child)
