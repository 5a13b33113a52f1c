"""Packages the EPUB edition with ebooklib: one XHTML per article, nav and NCX, cover, fonts, metadata.

ebooklib writes the package (container, OPF, NCX, zip); the XHTML documents and the navigation
document are the theme's templates, added as plain items so that ebooklib keeps them as they are
(it would rebuild the head of its own HTML items and drop their stylesheets). Two things of
ebooklib 0.20 are set right afterwards: it stamps zip entries with the current time, so the zip is
rewritten with a fixed time, and ``dcterms:modified`` comes from the issue's date (or
``SOURCE_DATE_EPOCH``), never from the clock.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exporter import fonts as fontlib
from exporter.editions import Options, fontuse, webfonts
from exporter.editions.assets import Images
from exporter.editions.templating import Templates, options_css
from exporter.model import Article, Issue, Section, Subhead
from exporter.text.dates import long_date
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
# A long article lists its subheads in the contents; a short one does not need them.
SUBHEADS_FROM = 3


@dataclass
class NavEntry:
    """One entry of the contents: title, link and the entries under it."""

    title: str
    href: str
    children: list[NavEntry] = field(default_factory=list)


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


def book_title(issue: Issue) -> str:
    m = issue.masthead
    parts = [m.title or ""]
    if m.date:
        parts.append(long_date(m.date, m.language))
    # Without a masthead, the file's name: never its folder, on which the book must not depend.
    return " ".join(p for p in parts if p) or (Path(issue.source).stem if issue.source else "issue")


def _nav(issue: Issue) -> list[NavEntry]:
    entries: list[NavEntry] = []
    for section in issue.sections:
        articles = []
        for article in section.articles:
            entry = NavEntry(" ".join(article.headline_lines) or article.id, f"{article.id}.xhtml")
            subheads = [b for b in article.blocks if isinstance(b, Subhead) and b.level == 3]
            if len(subheads) >= SUBHEADS_FROM:
                entry.children = [
                    NavEntry(s.text, f"{article.id}.xhtml#{article.id}-s{i + 1}") for i, s in enumerate(subheads)
                ]
            articles.append(entry)
        title = " ".join(x for x in (section.page, section.title) if x)
        if title:
            entries.append(NavEntry(title, articles[0].href, articles))
        else:
            entries.extend(articles)
    return entries


def _ncx_toc(entries: list[NavEntry]) -> list[Any]:
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


def _pages(issue: Issue) -> list[tuple[Section, Article, str]]:
    """The first article of each page, where the page list points."""
    out: list[tuple[Section, Article, str]] = []
    seen: set[str] = set()
    for section in issue.sections:
        if section.page and section.page not in seen and section.articles:
            seen.add(section.page)
            out.append((section, section.articles[0], f"p{len(out) + 1}"))
    return out


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


def render_epub(
    issue: Issue,
    theme: Theme,
    *,
    source_dir: Path | None,
    override: Path | None = None,
    cache_dir: Path | None = None,
) -> bytes:
    """The EPUB file of the issue."""
    from ebooklib import epub

    m = issue.masthead
    language = m.language
    settings = theme.edition("epub")
    vertical = settings["writing_mode"] == "vertical-rl"
    images = Images(source_dir, "images")
    templates = Templates(issue, theme, "epub", href=lambda a: f"{a.id}.xhtml", image=images, override=override)
    title = book_title(issue)
    css_links = ["css/edition.css"]

    def page(template: str, name: str, heading: str, body_class: str, **context: Any) -> tuple[str, str]:
        html = templates.render(template, title=heading, stylesheets=css_links, body_class=body_class, **context)
        return name, '<?xml version="1.0" encoding="utf-8"?>\n' + html

    docs: list[tuple[str, str]] = []
    cover_alt = theme.label(language, "cover_alt").format(title=title)
    docs.append(page("cover.html", "cover.xhtml", title, "cover", cover_src="images/cover.jpg", cover_alt=cover_alt))
    docs.append(page("masthead_page.html", "masthead.xhtml", title, "masthead"))
    docs.append(page("toc_page.html", "contents.xhtml", theme.label(language, "toc"), "contents"))
    pagebreaks = {article.id: {"id": pid, "page": section.page} for section, article, pid in _pages(issue)}
    ordered = list(issue.iter_articles())
    for i, (section, article) in enumerate(ordered):
        show_section = i == 0 or ordered[i - 1][0] is not section
        docs.append(
            page(
                "article_page.html",
                f"{article.id}.xhtml",
                " ".join(article.headline_lines) or article.id,
                "article-page",
                section=section,
                article=article,
                show_section=show_section,
                previous=None,
                next=None,
                home_href="masthead.xhtml",
                pager=False,
                pagebreak=pagebreaks.get(article.id),
            )
        )
    nav_entries = _nav(issue)
    first_article = f"{ordered[0][1].id}.xhtml" if ordered else "masthead.xhtml"
    page_entries = [
        {"title": theme.label(language, "page").format(page=s.page), "href": f"{a.id}.xhtml#page-{pid}"}
        for s, a, pid in _pages(issue)
    ]
    nav_name, nav_html = page(
        "nav.html",
        "nav.xhtml",
        theme.label(language, "toc"),
        "nav",
        nav=nav_entries,
        landmarks={"cover": "cover.xhtml", "toc": "contents.xhtml", "bodymatter": first_article},
        pages=page_entries,
    )

    theme_css = "\n".join([options_css(theme), theme.css("epub")])
    licence_path = fontlib.shipped_fonts_dir() / "OFL.txt"
    licence = licence_path.read_text(encoding="utf-8") if licence_path.is_file() else "SIL Open Font License 1.1"
    usage = fontuse.characters([html for _, html in docs] + [nav_html], theme_css)

    def licence_page(fontset: webfonts.FontSet) -> tuple[str, str]:
        names = sorted({f.face.family for f in fontset.files})
        return page(
            "licence.html",
            "licence.xhtml",
            theme.label(language, "fonts_licence"),
            "licence",
            fonts=names,
            licence=licence,
        )

    fontset = webfonts.embed(theme, usage, language, flavor=None, href_prefix="../fonts/", cache_dir=cache_dir)
    # The licence page names the embedded fonts, and its own characters must be in them too.
    for key, chars in fontuse.characters([licence_page(fontset)[1]], theme_css).items():
        usage.setdefault(key, set()).update(chars)
    fontset = webfonts.embed(theme, usage, language, flavor=None, href_prefix="../fonts/", cache_dir=cache_dir)
    docs.append(licence_page(fontset))
    css = "\n".join([fontset.css, theme_css])

    from exporter.editions.epub.cover import render_cover

    book = epub.EpubBook()
    book.set_identifier(identifier(issue))
    book.set_title(title)
    book.set_language(language)
    book.add_metadata("DC", "date", m.date.isoformat() if m.date else modified_time(issue).date().isoformat())
    if m.publisher:
        book.add_metadata("DC", "publisher", m.publisher)
        book.add_metadata("DC", "creator", m.publisher)
    elif m.title:
        book.add_metadata("DC", "creator", m.title)
    if m.identifier:
        book.add_metadata("DC", "source", m.identifier)
    headlines = "；".join(" ".join(a.headline_lines) for a in issue.articles[:8])
    book.add_metadata("DC", "description", headlines)
    if m.title:
        book.add_metadata(None, "meta", m.title, {"property": "belongs-to-collection", "id": "collection"})
        book.add_metadata(None, "meta", "series", {"refines": "#collection", "property": "collection-type"})
        if m.number and m.number.isdigit():
            book.add_metadata(None, "meta", m.number, {"refines": "#collection", "property": "group-position"})
    has_images = bool(images.files)
    for mode in ("textual", "visual") if has_images else ("textual",):
        book.add_metadata(None, "meta", mode, {"property": "schema:accessMode"})
    book.add_metadata(None, "meta", "textual", {"property": "schema:accessModeSufficient"})
    features = ["tableOfContents", "structuralNavigation", "readingOrder", "displayTransformability"]
    if has_images:
        features.append("alternativeText")
    if page_entries:
        features.append("pageNavigation")
    for feature in features:
        book.add_metadata(None, "meta", feature, {"property": "schema:accessibilityFeature"})
    book.add_metadata(None, "meta", "none", {"property": "schema:accessibilityHazard"})
    book.add_metadata(
        None,
        "meta",
        theme.label(language, "a11y_summary"),
        {"property": "schema:accessibilitySummary"},
    )
    if vertical:
        book.set_direction("rtl")
        book.add_metadata(None, "meta", "", {"name": "primary-writing-mode", "content": "vertical-rl"})

    items: list[Any] = []
    cover = epub.EpubItem(
        uid="cover-image", file_name="images/cover.jpg", media_type="image/jpeg", content=render_cover(issue, theme)
    )
    cover.properties = ["cover-image"]
    items.append(cover)
    book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    spine: list[Any] = []
    for name, html in docs:
        item = epub.EpubItem(
            uid=name.removesuffix(".xhtml"), file_name=name, media_type=XHTML, content=html.encode("utf-8")
        )
        items.append(item)
        spine.append(item)
    nav = epub.EpubItem(uid="nav", file_name=nav_name, media_type=XHTML, content=nav_html.encode("utf-8"))
    nav.properties = ["nav"]
    items.append(nav)
    items.append(
        epub.EpubItem(uid="css", file_name="css/edition.css", media_type="text/css", content=css.encode("utf-8"))
    )
    for font in fontset.files:
        items.append(
            epub.EpubItem(
                uid=f"font-{font.file_name.rsplit('.', 1)[0]}",
                file_name=f"fonts/{font.file_name}",
                media_type="font/otf",
                content=font.path.read_bytes(),
            )
        )
    for name, source in images.files.items():
        items.append(
            epub.EpubItem(
                uid=name.replace("/", "-").rsplit(".", 1)[0],
                file_name=name,
                media_type=IMAGE_TYPES.get(Path(name).suffix, "application/octet-stream"),
                content=source.read_bytes(),
            )
        )
    for item in items:
        book.add_item(item)
    book.add_item(epub.EpubNcx())
    book.toc = _ncx_toc(nav_entries)
    book.spine = spine
    out = io.BytesIO()
    modified = modified_time(issue)
    epub.write_epub(out, book, {"mtime": modified, "epub2_guide": False, "epub3_pages": False})
    return _fixed_zip(out.getvalue(), modified)


class EpubEdition:
    """The book for e-readers: EPUB 3 with a cover, contents, embedded font subsets and a page list."""

    name = "epub"
    title = "EPUB"
    folder = False
    cost = 1
    preload = ("exporter.editions.epub", "ebooklib.epub", "exporter.editions.epub.cover", "PIL.Image")
    reads: frozenset[str] = frozenset()

    def check(self, options: Options) -> None:
        """The EPUB takes no option of its own."""

    def render(self, issue: Issue, theme: Theme, options: Options) -> bytes:
        """The EPUB file's bytes."""
        return render_epub(
            issue, theme, source_dir=options.source_dir, override=options.override, cache_dir=options.cache_dir
        )
