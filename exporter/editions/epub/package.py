"""Writes the EPUB package with ebooklib: identifier, dates, metadata, manifest, NCX, zip with a fixed time."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exporter.editions import webfonts
from exporter.editions.themeassets import FOLDER, Asset
from exporter.model import Issue
from exporter.theming import Theme

XHTML = "application/xhtml+xml"
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
ID_NAMESPACE = uuid.UUID("6f1c3c52-8a0c-5d3e-9b1e-0e7a8c1f2d40")

#: One entry of the OPF's metadata, as ebooklib's ``add_metadata`` takes it: namespace, name, value, attributes.
Meta = tuple[str | None, str, str, dict[str, str]]


@dataclass
class NavEntry:
    """One entry of the contents: title, link and the entries under it."""

    title: str
    href: str
    children: list[NavEntry] = field(default_factory=list)


@dataclass(frozen=True)
class Contents:
    """What the package holds: XHTML documents in order, nav, contents, stylesheet, fonts, images, cover, assets.

    The assets are the theme's files the documents and the stylesheet use, in the order of their names.
    """

    docs: Sequence[tuple[str, str]]
    nav: tuple[str, str]
    toc: Sequence[NavEntry]
    css: str
    fonts: Sequence[webfonts.Embedded]
    images: dict[str, Path]
    cover: bytes
    assets: Sequence[Asset] = ()


def modified_time(issue: Issue) -> dt.datetime:
    """The book's ``dcterms:modified``: SOURCE_DATE_EPOCH when set, else the issue's date at midnight UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).replace(tzinfo=None)
    date = issue.masthead.date or dt.date(1980, 1, 1)
    return dt.datetime(date.year, date.month, date.day)


def identifier(issue: Issue) -> str:
    """A stable identifier of this issue: the same paper, date and number give the same one."""
    m = issue.masthead
    key = "|".join(str(x or "") for x in (m.identifier or m.title, m.date and m.date.isoformat(), m.number))
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, key)}"


def metadata(issue: Issue, theme: Theme, *, images: bool, pages: bool, vertical: bool) -> list[Meta]:
    """The OPF's metadata after identifier, title and language, in order: Dublin Core, collection, accessibility."""
    m = issue.masthead
    entries: list[Meta] = [
        ("DC", "date", m.date.isoformat() if m.date else modified_time(issue).date().isoformat(), {})
    ]
    if m.publisher:
        entries += [("DC", "publisher", m.publisher, {}), ("DC", "creator", m.publisher, {})]
    elif m.title:
        entries.append(("DC", "creator", m.title, {}))
    if m.identifier:
        entries.append(("DC", "source", m.identifier, {}))
    entries.append(("DC", "description", "；".join(" ".join(a.headline_lines) for a in issue.articles[:8]), {}))
    if m.title:
        # A numbered issue is the series' number N; one without a number belongs to the paper's collection
        # with no type, so that no reading system (calibre shows "#1") invents a position for it.
        entries.append((None, "meta", m.title, {"property": "belongs-to-collection", "id": "collection"}))
        if m.number and m.number.isdigit():
            entries.append((None, "meta", "series", {"refines": "#collection", "property": "collection-type"}))
            entries.append((None, "meta", m.number, {"refines": "#collection", "property": "group-position"}))
    return entries + accessibility(issue, theme, images=images, pages=pages) + _rendition(issue, pages, vertical)


#: What the book conforms to (EPUB Accessibility 1.1, section 2.1): DAISY Ace finds no violation in it.
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def accessibility(issue: Issue, theme: Theme, *, images: bool, pages: bool) -> list[Meta]:
    """The EPUB Accessibility 1.1 metadata: conformance, access modes, features, hazards, summary.

    The summary is the theme's ``a11y_summary`` label in the issue's language and script (a zh-HK issue
    gets ``[labels.zh-Hant]``).
    """
    m = issue.masthead
    entries: list[Meta] = [
        (None, "meta", CONFORMS_TO, {"property": "dcterms:conformsTo"}),
        (None, "meta", m.publisher or m.title or "exporter", {"property": "a11y:certifiedBy"}),
    ]
    for mode in ("textual", "visual") if images else ("textual",):
        entries.append((None, "meta", mode, {"property": "schema:accessMode"}))
    entries.append((None, "meta", "textual", {"property": "schema:accessModeSufficient"}))
    if images:
        entries.append((None, "meta", "textual,visual", {"property": "schema:accessModeSufficient"}))
    features = ["ARIA", "tableOfContents", "structuralNavigation", "readingOrder", "displayTransformability"]
    if images:
        features.append("alternativeText")
    if pages:
        features += ["pageBreakMarkers", "pageNavigation"]
    entries += [(None, "meta", feature, {"property": "schema:accessibilityFeature"}) for feature in features]
    entries.append((None, "meta", "none", {"property": "schema:accessibilityHazard"}))
    summary = theme.label(m.language, "a11y_summary")
    entries.append((None, "meta", summary, {"property": "schema:accessibilitySummary"}))
    return entries


def _rendition(issue: Issue, pages: bool, vertical: bool) -> list[Meta]:
    """The page source, writing mode and cover declarations that close the metadata."""
    m = issue.masthead
    entries: list[Meta] = []
    if pages:  # the page list's numbers are the printed issue's pages (版): name that issue
        source = m.identifier or " ".join(x for x in (m.title, m.date and m.date.isoformat()) if x) or "print"
        entries.append((None, "meta", source, {"property": "pageBreakSource"}))
    if vertical:
        entries.append((None, "meta", "", {"name": "primary-writing-mode", "content": "vertical-rl"}))
    entries.append((None, "meta", "", {"name": "cover", "content": "cover-image"}))
    return entries


def ncx_toc(entries: Sequence[NavEntry]) -> list[Any]:
    """The NCX's two levels: sections and their articles (subheads are in the nav document only)."""
    from ebooklib import epub

    def link(entry: NavEntry) -> Any:
        return epub.Link(entry.href, entry.title, "n-" + entry.href.replace(".xhtml", "").replace("#", "-"))

    out: list[Any] = []
    for entry in entries:
        articles = [c for c in entry.children if "#" not in c.href]
        if articles:
            out.append((epub.Section(entry.title, entry.href), [link(c) for c in articles]))
        else:
            out.append(link(entry))
    return out


def _items(contents: Contents) -> tuple[list[Any], list[Any]]:
    """The manifest's items in order (cover, documents, nav, stylesheet, fonts, images, assets) and the spine's."""
    from ebooklib import epub

    def item(uid: str, name: str, media_type: str, content: bytes, *properties: str) -> Any:
        made = epub.EpubItem(uid=uid, file_name=name, media_type=media_type, content=content)
        if properties:
            made.properties = list(properties)
        return made

    cover = item("cover-image", "images/cover.jpg", "image/jpeg", contents.cover, "cover-image")
    spine = [item(name.removesuffix(".xhtml"), name, XHTML, html.encode("utf-8")) for name, html in contents.docs]
    nav_name, nav_html = contents.nav
    items = [cover, *spine, item("nav", nav_name, XHTML, nav_html.encode("utf-8"), "nav")]
    items.append(item("css", "css/edition.css", "text/css", contents.css.encode("utf-8")))
    for font in contents.fonts:
        uid = f"font-{font.file_name.rsplit('.', 1)[0]}"
        items.append(item(uid, f"fonts/{font.file_name}", "font/otf", font.path.read_bytes()))
    for name, source in contents.images.items():
        media_type = IMAGE_TYPES.get(Path(name).suffix, "application/octet-stream")
        items.append(item(name.replace("/", "-").rsplit(".", 1)[0], name, media_type, source.read_bytes()))
    taken: set[str] = set()
    for asset in contents.assets:
        uid = stem = "asset-" + re.sub(r"[^A-Za-z0-9_-]", "-", asset.name)  # an XML id: logo.png, logo-png
        number = 1
        while uid in taken:  # a/b.png and a-b.png
            number += 1
            uid = f"{stem}-{number}"
        taken.add(uid)
        items.append(item(uid, f"{FOLDER}/{asset.name}", asset.media_type, asset.path.read_bytes()))
    return items, spine


def write(issue: Issue, *, title: str, vertical: bool, entries: Sequence[Meta], contents: Contents) -> bytes:
    """The EPUB file: ebooklib's package of ``contents`` with metadata ``entries``, its zip at a fixed time."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier(identifier(issue))
    book.set_title(title)
    book.set_language(issue.masthead.language)
    if vertical:
        book.set_direction("rtl")
    for namespace, name, value, attributes in entries:
        book.add_metadata(namespace, name, value, attributes or None)
    items, spine = _items(contents)
    for item in items:
        book.add_item(item)
    book.add_item(epub.EpubNcx())
    book.toc = ncx_toc(contents.toc)
    book.spine = spine
    out = io.BytesIO()
    modified = modified_time(issue)
    writer = _writer_class()(out, book, {"mtime": modified, "epub2_guide": False, "epub3_pages": False})
    writer.language = issue.masthead.language
    writer.process()
    writer.write()
    return _fixed_zip(out.getvalue(), modified)


def _writer_class() -> type:
    """ebooklib's writer with ``xml:lang`` on the OPF's ``<package>``, which reading systems and DAISY Ace read."""
    from ebooklib import epub

    class Writer(epub.EpubWriter):  # type: ignore[misc]
        language = ""

        def _write_opf_file(self, root: Any) -> None:
            root.set("{http://www.w3.org/XML/1998/namespace}lang", self.language)
            super()._write_opf_file(root)

    return Writer


def _fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same zip with every entry stamped ``when``: ebooklib stamps the current time."""
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = info.compress_type
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 3
            target.writestr(fixed, source.read(info.filename), compresslevel=9 if info.compress_type else None)
    return out.getvalue()
