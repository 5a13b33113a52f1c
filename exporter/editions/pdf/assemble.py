"""Joins the PDFs of an issue's 版, each laid out alone, into the issue's: one outline, one set of links, one tag tree.

Each part is a whole tagged PDF as WeasyPrint writes it (:mod:`parts`). The first is kept as the issue's
(its catalogue, metadata, viewer preferences, language, output intent) and the others' pages are added
to it, with what points into them:

- **tags**: each part's ``Document`` element's children join the first part's, in order; the parent
  tree's keys of a part (its pages' ``/StructParents``, its links' ``/StructParent``) are shifted past
  the keys before it, so that every marked-content sequence and link still finds its element;
- **links**: a link is a named destination (``/Dest (a03)``); the issue's name tree holds each name's
  destination from the part whose page it is on. A part names every story it links to, those on other
  版 too (WeasyPrint would drop a link to an anchor it does not have): those borrowed names are left out;
- **outline**: the parts' bookmarks are read in order, with the levels their documents gave them, and built
  again into one tree, as WeasyPrint builds one from a document's (a bookmark goes under the last one of a
  lower level), each open or closed as it was;
- **fonts**: the parts embed the fonts exporter made for the issue as they are (:mod:`parts`), the same
  bytes in each, kept once and cut to the glyphs the issue's pages show, as WeasyPrint cuts a document's;
  the parts' fonts of one face become one, with the widths and the text layer of all (as in one document).

Objects are copied with qpdf (pikepdf), one copier per part, so a page the structure tree or a
destination points to is the page copied into the issue. pikepdf is imported inside the function.
"""

from __future__ import annotations

import io
import itertools
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class _Mark:
    """A bookmark read from a part: its level, title, destination, and whether it shows its children."""

    level: int
    title: Any
    dest: Any
    open: bool
    children: list[_Mark] = field(default_factory=list)


def assemble(
    pdfs: Sequence[bytes], borrowed: Sequence[frozenset[str]], levels: Sequence[Sequence[int]] | None = None
) -> bytes:
    """One PDF of the parts ``pdfs`` in order; ``borrowed`` holds, for each part, the names it set only to keep
    its links to other parts, and ``levels`` the ``bookmark-level`` of each of its bookmarks in order (a part's
    outline starts at its top whatever the level of its first bookmark; without them, its depth is taken)."""
    if len(pdfs) == 1:
        return pdfs[0]
    import pikepdf

    issue = pikepdf.open(io.BytesIO(pdfs[0]))
    tree = issue.Root.get("/StructTreeRoot")
    document = _document_element(tree) if tree is not None else None
    nums = list(_number_tree(tree.ParentTree)) if tree is not None else []
    next_key = max((key for key, _ in nums), default=-1) + 1
    ours = _name_tree(_dests(issue))
    dests = {name: dest for name, dest in ours if name not in borrowed[0]}
    marks = _leveled(list(_marks(issue.Root.get("/Outlines"))), levels[0] if levels else None)
    for number, (part, names) in enumerate(zip(pdfs[1:], borrowed[1:], strict=True), 1):
        other = pikepdf.open(io.BytesIO(part))

        def bring(obj: Any, other: Any = other) -> Any:
            # qpdf copies indirect objects only: a direct one is made indirect in its own file first.
            return issue.copy_foreign(obj if obj.is_indirect else other.make_indirect(obj))

        before = len(issue.pages)
        with warnings.catch_warnings():
            # pikepdf warns that named destinations do not follow pages: they are joined here.
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            issue.pages.extend(other.pages)
        theirs = other.Root.get("/StructTreeRoot")
        if theirs is not None and document is not None and tree is not None:
            theirs = bring(theirs)
            offset = next_key
            for kid in _kids(_document_element(theirs)):
                kid.P = document
                _kids_array(document).append(kid)
            their_nums = list(_number_tree(theirs.ParentTree))
            nums += [(key + offset, value) for key, value in their_nums]
            for page in issue.pages[before:]:
                if "/StructParents" in page.obj:
                    page.obj.StructParents = int(page.obj.StructParents) + offset
                for annot in page.obj.get("/Annots", []):
                    if "/StructParent" in annot:
                        annot.StructParent = int(annot.StructParent) + offset
            next_key = offset + max((key for key, _ in their_nums), default=-1) + 1
        their_names = _dests(other)
        if their_names is not None:
            for name, dest in _name_tree(bring(their_names)):
                if name not in names and name not in dests:
                    dests[name] = dest
        if "/Outlines" in other.Root:
            marks += _leveled(list(_marks(bring(other.Root.Outlines))), levels[number] if levels else None)
    if tree is not None:
        tree.ParentTree = issue.make_indirect(pikepdf.Dictionary(Nums=_flat(sorted(nums, key=lambda kv: kv[0]))))
    if dests:
        if "/Names" not in issue.Root:
            issue.Root.Names = pikepdf.Dictionary()
        flat: list[Any] = []
        for name in sorted(dests):
            flat += [pikepdf.String(name), dests[name]]
        issue.Root.Names.Dests = issue.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array(flat)))
    if marks:
        issue.Root.Outlines = _outline(issue, _nested(marks))
    _shared_font_files(issue)
    _one_font_per_face(issue)
    _cut_fonts(issue)
    out = io.BytesIO()
    # Object streams where the PDF's version has them (a PDF/X-1a is PDF 1.4, without).
    streams = pikepdf.ObjectStreamMode.generate if issue.pdf_version >= "1.5" else pikepdf.ObjectStreamMode.disable
    issue.save(out, deterministic_id=True, object_stream_mode=streams)
    return out.getvalue()


def _shared_font_files(pdf: Any) -> None:
    """Font programs embedded by more than one part, byte for byte the same, kept once."""
    import hashlib

    import pikepdf

    first: dict[bytes, Any] = {}
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/FontDescriptor":
            continue
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            stream = obj.get(key)
            if stream is not None:
                digest = hashlib.sha256(
                    bytes(stream.read_raw_bytes()) + repr(sorted(stream.stream_dict.items())).encode()
                )
                obj[key] = first.setdefault(digest.digest(), stream)


def _one_font_per_face(pdf: Any) -> None:
    """The parts' fonts of one face (one font program) made one, as in a single document: its widths and text layer
    those of all of them, every page's resources pointing to it."""
    import pikepdf

    groups: dict[tuple[str, tuple[int, int]], list[Any]] = {}
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font" or obj.get("/Subtype") != "/Type0":
            continue
        if obj.get("/Encoding") != "/Identity-H" or "/ToUnicode" not in obj:
            continue
        cid_font = obj.DescendantFonts[0]
        descriptor = cid_font.get("/FontDescriptor")
        program = next((descriptor[k] for k in ("/FontFile2", "/FontFile3") if descriptor and k in descriptor), None)
        if program is not None:
            groups.setdefault((str(obj.BaseFont), program.objgen), []).append(obj)
    instead: dict[tuple[int, int], Any] = {}
    for fonts in groups.values():
        if len(fonts) < 2:
            continue
        keep = fonts[0]
        widths: dict[int, Any] = {}
        texts: dict[int, bytes] = {}
        for font in fonts:
            widths.update(_widths(font.DescendantFonts[0].get("/W", [])))
            texts.update(_texts(font.ToUnicode.read_bytes()))
            instead[font.objgen] = keep
        cid_font = keep.DescendantFonts[0]
        cid_font.W = _width_array(widths)
        keep.ToUnicode = pdf.make_stream(_to_unicode(texts))
        descriptor = cid_font.FontDescriptor
        boxes = [f.DescendantFonts[0].FontDescriptor.FontBBox for f in fonts]
        descriptor.FontBBox = pikepdf.Array([boxes[0][0], boxes[0][1], max(b[2] for b in boxes), boxes[0][3]])
        if "/CIDSet" in descriptor:
            bits = bytearray((max(widths) + 8) // 8)
            for gid in widths:
                bits[gid // 8] |= 0x80 >> (gid % 8)
            descriptor.CIDSet = pdf.make_stream(bytes(bits))
    if not instead:
        return
    seen: set[tuple[int, int]] = set()
    todo = [page.obj.get("/Resources") for page in pdf.pages]
    while todo:
        resources = todo.pop()
        if resources is None or (resources.is_indirect and resources.objgen in seen):
            continue
        if resources.is_indirect:
            seen.add(resources.objgen)
        fonts = resources.get("/Font")
        if fonts is not None:
            for name in list(fonts.keys()):
                font = fonts[name]
                if font.is_indirect and font.objgen in instead and instead[font.objgen].objgen != font.objgen:
                    fonts[name] = instead[font.objgen]
        for kind in ("/XObject", "/Pattern"):
            for x in (resources.get(kind) or {}).values():
                todo.append(x.get("/Resources"))


def _widths(array: Any) -> dict[int, Any]:
    """A CIDFont's ``/W`` as glyph → width."""
    import pikepdf

    widths: dict[int, Any] = {}
    items = list(array)
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            for offset, width in enumerate(items[i + 1]):
                widths[first + offset] = width
            i += 2
        else:
            for gid in range(first, int(items[i + 1]) + 1):
                widths[gid] = items[i + 2]
            i += 3
    return widths


def _width_array(widths: dict[int, Any]) -> Any:
    """Glyph → width as a ``/W`` array, a run of widths for each run of glyphs, as WeasyPrint writes it."""
    import pikepdf

    flat: list[Any] = []
    for gid in sorted(widths):
        if gid - 1 not in widths:
            flat += [gid, pikepdf.Array()]
        flat[-1].append(widths[gid])
    return pikepdf.Array(flat)


_PAIR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


def _texts(cmap: bytes) -> dict[int, bytes]:
    """A ToUnicode CMap's glyph → text (UTF-16BE, as hex), from its ``bfchar`` pairs (WeasyPrint writes no ranges)."""
    return {int(gid, 16): text for gid, text in _PAIR.findall(cmap)}


def _to_unicode(texts: dict[int, bytes]) -> bytes:
    """A ToUnicode CMap of glyph → text, as WeasyPrint writes one."""
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo",
        b"<< /Registry (Adobe)",
        b"/Ordering (UCS)",
        b"/Supplement 0",
        b">> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted(texts.items())
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [b"<%04x> <%s>" % (gid, text) for gid, text in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


#: The tables WeasyPrint leaves out of the fonts it embeds (``weasyprint.pdf.fonts``, version 70).
_DROPPED = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")


def _cut_fonts(pdf: Any) -> None:
    """Each embedded font program cut to the glyphs the pages show, as WeasyPrint cuts a document's: the glyphs of
    every font that embeds it (its text layer's), glyph ids kept, no hinting, no layout tables."""
    import pikepdf
    import uharfbuzz as hb  # type: ignore[import-untyped]

    glyphs: dict[tuple[int, int], set[int]] = {}
    streams: dict[tuple[int, int], tuple[Any, str]] = {}
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font" or obj.get("/Subtype") != "/Type0":
            continue
        descriptor = obj.DescendantFonts[0].get("/FontDescriptor")
        for key in ("/FontFile2", "/FontFile3"):
            stream = descriptor.get(key) if descriptor is not None else None
            if stream is not None and "/ToUnicode" in obj:
                used = set(_texts(obj.ToUnicode.read_bytes()))
                glyphs.setdefault(stream.objgen, set()).update(used)
                streams[stream.objgen] = (stream, key)
    for objgen, (stream, key) in streams.items():
        data = stream.read_bytes()
        used = glyphs[objgen]
        if not used or data[:4] == b"ttcf":
            continue
        cut = hb.SubsetInput()
        cut.glyph_set.update(used)
        cut.flags = hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
        cut.sets(hb.SubsetInputSets.DROP_TABLE_TAG).update(int.from_bytes(tag, "big") for tag in _DROPPED)
        face = hb.subset(hb.Face(hb.Blob(data)), cut)
        # The empty glyphs after the last one shown dropped.
        trim = hb.SubsetInput()
        trim.glyph_set.update(range(max(used) + 1))
        trim.flags = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NO_HINTING
        face = hb.subset(face, trim) if face is not None else None
        if face is None:
            continue
        program = bytes(face.blob.data)
        stream.write(program)
        if key == "/FontFile2":
            stream.Length1 = len(program)


def _dests(pdf: Any) -> Any:
    """The name tree of a PDF's named destinations, if it has one."""
    names = pdf.Root.get("/Names")
    return names.get("/Dests") if names is not None else None


def _document_element(tree: Any) -> Any:
    """The structure tree's root element (WeasyPrint's ``/Document``)."""
    import pikepdf

    k = tree.K
    return k[0] if isinstance(k, pikepdf.Array) else k


def _kids(element: Any) -> list[Any]:
    import pikepdf

    k = element.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def _kids_array(element: Any) -> Any:
    """The element's ``/K`` as an array, made one if it held a single kid."""
    import pikepdf

    k = element.get("/K")
    if not isinstance(k, pikepdf.Array):
        element.K = pikepdf.Array([] if k is None else [k])
    return element.K


def _number_tree(node: Any) -> Iterator[tuple[int, Any]]:
    """The (key, value) pairs of a PDF number tree, in order."""
    if node is None:
        return
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums), 2):
            yield int(nums[i]), nums[i + 1]
    for kid in node.get("/Kids", []):
        yield from _number_tree(kid)


def _name_tree(node: Any) -> Iterator[tuple[str, Any]]:
    """The (name, value) pairs of a PDF name tree, in order."""
    if node is None:
        return
    names = node.get("/Names")
    if names is not None:
        for i in range(0, len(names), 2):
            yield str(names[i]), names[i + 1]
    for kid in node.get("/Kids", []):
        yield from _name_tree(kid)


def _flat(pairs: Sequence[tuple[int, Any]]) -> Any:
    import pikepdf

    flat: list[Any] = []
    for key, value in pairs:
        flat += [key, value]
    return pikepdf.Array(flat)


def _marks(outlines: Any, level: int = 1) -> Iterator[_Mark]:
    """The bookmarks of an outline, depth first, with their levels."""
    if outlines is None:
        return
    item = outlines.get("/First")
    while item is not None:
        yield _Mark(level, item.get("/Title"), item.get("/Dest"), int(item.get("/Count", 0)) >= 0)
        yield from _marks(item, level + 1)
        item = item.get("/Next")


def _leveled(marks: list[_Mark], levels: Sequence[int] | None) -> list[_Mark]:
    """The bookmarks with the levels their document gave them, when there is one for each."""
    if levels is None or len(levels) != len(marks):
        return marks
    return [_Mark(level, m.title, m.dest, m.open) for m, level in zip(marks, levels, strict=True)]


def _nested(marks: Sequence[_Mark]) -> list[_Mark]:
    """Bookmarks in order with their levels, as a tree: each under the last one before it of a lower level."""
    roots: list[_Mark] = []
    stack: list[_Mark] = []
    for mark in marks:
        mark = _Mark(mark.level, mark.title, mark.dest, mark.open)
        while stack and stack[-1].level >= mark.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(mark)
        stack.append(mark)
    return roots


def _outline(pdf: Any, roots: Sequence[_Mark]) -> Any:
    """The ``/Outlines`` dictionary of a bookmark tree."""
    import pikepdf

    def shown(mark: _Mark) -> int:
        return sum(1 + (shown(child) if child.open else 0) for child in mark.children)

    def chain(parent: Any, marks: Sequence[_Mark]) -> None:
        items = []
        for mark in marks:
            item = pdf.make_indirect(pikepdf.Dictionary(Title=mark.title, Parent=parent))
            if mark.dest is not None:
                item.Dest = mark.dest
            items.append(item)
            if mark.children:
                chain(item, mark.children)
                count = shown(mark)
                item.Count = count if mark.open else -count
        for before, after in itertools.pairwise(items):
            before.Next, after.Prev = after, before
        if items:
            parent.First, parent.Last = items[0], items[-1]

    outlines = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
    chain(outlines, roots)
    outlines.Count = sum(1 + (shown(m) if m.open else 0) for m in roots)
    return outlines
