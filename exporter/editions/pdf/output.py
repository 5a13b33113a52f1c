"""Finishes the print PDF in one rewrite: 竖排 pages turned and read right to left; a PDF/X's identity fixed."""

from __future__ import annotations

from typing import Any


def finish(pdf: bytes, *, turn: bool, pdfx: bool) -> bytes:
    """The PDF rewritten once: pages turned and read right to left (vertical), a PDF/X's identity fixed."""
    import io

    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    # pypdf writes %PDF-1.3 unless told: keep WeasyPrint's header (1.7; 1.6 for PDF/X-4).
    writer.pdf_header = reader.pdf_header
    if turn:
        from exporter.editions.pdf.vertical import turn_pages

        turn_pages(writer)
        _right_to_left(writer)
    if pdfx:
        _fixed_document_id(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _right_to_left(writer: Any) -> None:
    """The vertical PDF reads right to left: spreads pair the pages as a paper's do, the front page alone.

    ``/Direction /R2L`` puts the later page of a spread on the left (ISO 32000-1, 12.2); two pages at a
    time with the odd ones as rectos (``/TwoPageRight``) shows the front page alone, then 2 and 3 side
    by side, 2 on the right, as a paper opened from its front.
    """
    from pypdf.generic import NameObject

    preferences = writer.viewer_preferences or writer.create_viewer_preferences()
    preferences[NameObject("/Direction")] = NameObject("/R2L")
    writer.page_layout = "/TwoPageRight"


def _fixed_document_id(writer: Any) -> None:
    """The PDF/X's ``xmpMM:DocumentID`` and file identifier made from the edition, not drawn at random.

    WeasyPrint 70 writes a fresh ``uuid4`` as the DocumentID of every PDF/X-4, and the second half of
    the file identifier is a digest of the file: two builds of one issue would differ. Both become
    functions of the first half of the identifier (the issue's, :func:`issue_identifier`), so that
    the same issue, theme and options give the same bytes, as the other editions do.
    """
    import re
    import uuid

    from pypdf.generic import ArrayObject, ByteStringObject

    first = bytes(writer._ID[0])
    stream = writer.root_object["/Metadata"].get_object()
    did = f"xmp.did:{uuid.uuid5(uuid.NAMESPACE_OID, first.hex())}".encode()
    stream.set_data(re.sub(rb"xmp\.did:[0-9a-f-]{36}", did, stream.get_data()))
    writer._ID = ArrayObject([ByteStringObject(first), ByteStringObject(first)])
