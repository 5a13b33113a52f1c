"""Finishes WeasyPrint's PDF in one rewrite: 竖排 pages turned and read right to left; PDF/X colour and identity."""

from __future__ import annotations

from typing import Any, cast


def finish(pdf: bytes, *, turn: bool, managed_rgb: bool) -> bytes:
    """The PDF rewritten once: pages turned and read right to left (vertical), and RGB colour-managed (PDF/X)."""
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
    if managed_rgb:
        _default_rgb(writer)
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


def _default_rgb(writer: Any) -> None:
    """Every page and form of a PDF/X gets an sRGB ``DefaultRGB``, so that its RGB is colour-managed.

    PDF/X-4 with a CMYK output intent forbids device RGB: what WeasyPrint draws in ``rg`` and the
    RGB pictures would have no defined colour. A ``DefaultRGB`` colour space in the resources that
    paint them makes every such use ICC-based sRGB (ISO 32000-1, 8.6.5.6), as a preflight's fix does.
    """
    from importlib.resources import files

    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NumberObject, StreamObject

    profile = StreamObject()
    profile.set_data((files("weasyprint.pdf") / "sRGB2014.icc").read_bytes())
    profile[NameObject("/N")] = NumberObject(3)
    space = writer._add_object(ArrayObject([NameObject("/ICCBased"), writer._add_object(profile.flate_encode())]))
    seen: set[int] = set()
    stack: list[Any] = [page.indirect_reference for page in writer.pages]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            if "/Resources" in item:
                resources = cast(DictionaryObject, item["/Resources"].get_object())
                spaces = resources.get("/ColorSpace")
                if spaces is None:
                    resources[NameObject("/ColorSpace")] = spaces = DictionaryObject()
                cast(DictionaryObject, spaces.get_object())[NameObject("/DefaultRGB")] = space
            # Down to the forms, patterns and soft masks that paint; never back up the page tree.
            stack.extend(value for key, value in item.items() if key not in ("/Parent", "/P", "/StructTreeRoot"))
        elif isinstance(item, ArrayObject):
            stack.extend(item)
