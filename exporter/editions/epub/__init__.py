"""Packages the EPUB edition with ebooklib: one XHTML per article, nav and NCX, cover, fonts, assets, metadata.

ebooklib writes the package (container, OPF, NCX, zip); the XHTML documents and the navigation
document are the theme's templates, added as plain items so that ebooklib keeps them as they are
(it would rebuild the head of its own HTML items and drop their stylesheets). Two things of
ebooklib 0.20 are set right afterwards: it stamps zip entries with the current time, so the zip is
rewritten with a fixed time, and ``dcterms:modified`` comes from the issue's date (or
``SOURCE_DATE_EPOCH``), never from the clock (see :mod:`.package`).

:func:`render_epub` runs the steps in order: the documents, the navigation, the fonts (embedded
until the licence page that names them is set in them), the licence page, the metadata and the
package.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from exporter.editions import Options, cssorder, cssvalues, fontuse, themeassets, webfonts
from exporter.editions.assets import Images
from exporter.editions.epub import package
from exporter.editions.epub.package import NavEntry
from exporter.editions.templating import Templates, options_css
from exporter.editions.themeassets import ThemeAssets
from exporter.model import Article, Issue, Section, Subhead
from exporter.text.dates import long_date
from exporter.theming import Theme, joined_css

# A long article lists its subheads in the contents; a short one does not need them.
SUBHEADS_FROM = 3
CSS_LINKS = ["css/edition.css"]


def book_title(issue: Issue) -> str:
    m = issue.masthead
    parts = [m.title or ""]
    if m.date:
        parts.append(long_date(m.date, m.language))
    # Without a masthead, the file's name: never its folder, on which the book must not depend.
    return " ".join(p for p in parts if p) or (Path(issue.source).stem if issue.source else "issue")


def _nav(issue: Issue, page_label: str) -> list[NavEntry]:
    """The nav and NCX contents: each section under its 版 and title (第A01版 要闻), its articles by headline.

    An entry is the headline alone, its lines joined by a space: the kicker and the subtitle are
    not part of what a reading system lists. ``page_label`` is the label ``page`` (第{page}版).
    """
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
        title = " ".join(x for x in (section.page and page_label.format(page=section.page), section.title) if x)
        if title:
            entries.append(NavEntry(title, articles[0].href, articles))
        else:
            entries.extend(articles)
    return entries


def _pages(issue: Issue) -> list[tuple[Section, Article, str]]:
    """The first article of each page, where the page list points."""
    out: list[tuple[Section, Article, str]] = []
    seen: set[str] = set()
    for section in issue.sections:
        if section.page and section.page not in seen and section.articles:
            seen.add(section.page)
            out.append((section, section.articles[0], f"p{len(out) + 1}"))
    return out


class _Pages:
    """The book's XHTML pages, each rendered from a theme template with the book's stylesheet."""

    def __init__(self, issue: Issue, theme: Theme, images: Images, assets: ThemeAssets, override: Path | None) -> None:
        self.issue = issue
        self.theme = theme
        self.language = issue.masthead.language
        self.title = book_title(issue)
        self.templates = Templates(
            issue, theme, "epub", href=lambda a: f"{a.id}.xhtml", image=images, override=override, asset=assets
        )

    def label(self, key: str) -> str:
        return self.theme.label(self.language, key)

    def page(self, template: str, name: str, heading: str, body_class: str, **context: Any) -> tuple[str, str]:
        """The file name and XHTML of one page."""
        html = self.templates.render(template, title=heading, stylesheets=CSS_LINKS, body_class=body_class, **context)
        return name, '<?xml version="1.0" encoding="utf-8"?>\n' + html


def _documents(pages: _Pages) -> list[tuple[str, str]]:
    """The spine's documents before the licence: cover, masthead, contents, then one per article."""
    title = pages.title
    cover_alt = pages.label("cover_alt").format(title=title)
    docs = [
        pages.page("cover.html", "cover.xhtml", title, "cover", cover_src="images/cover.jpg", cover_alt=cover_alt),
        pages.page("masthead_page.html", "masthead.xhtml", title, "masthead"),
        pages.page("toc_page.html", "contents.xhtml", pages.label("toc"), "contents"),
    ]
    pagebreaks = {article.id: {"id": pid, "page": section.page} for section, article, pid in _pages(pages.issue)}
    ordered = list(pages.issue.iter_articles())
    for i, (section, article) in enumerate(ordered):
        show_section = i == 0 or ordered[i - 1][0] is not section
        docs.append(
            pages.page(
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
    return docs


def _page_list(pages: _Pages) -> list[dict[str, str]]:
    """The nav document's page list: where each page of the printed paper starts."""
    return [
        {"title": pages.label("page").format(page=s.page), "href": f"{a.id}.xhtml#page-{pid}"}
        for s, a, pid in _pages(pages.issue)
    ]


def _navigation(pages: _Pages, entries: Sequence[NavEntry], page_list: Sequence[dict[str, str]]) -> tuple[str, str]:
    """The nav document: contents, landmarks and page list."""
    articles = list(pages.issue.iter_articles())
    first_article = f"{articles[0][1].id}.xhtml" if articles else "masthead.xhtml"
    return pages.page(
        "nav.html",
        "nav.xhtml",
        pages.label("toc"),
        "nav",
        nav=entries,
        landmarks={"cover": "cover.xhtml", "toc": "contents.xhtml", "bodymatter": first_article},
        pages=page_list,
    )


def _licence_page(pages: _Pages, fontset: webfonts.FontSet) -> tuple[str, str]:
    """The page of the embedded fonts' licences: each licence text once, under the families it covers."""
    from exporter.fonts.licence import licence

    groups: dict[str, set[str]] = {}
    for f in fontset.files:
        groups.setdefault(licence(f.face.path, f.face.index).text, set()).add(f.face.family)
    licences = sorted(({"fonts": sorted(names), "text": text} for text, names in groups.items()), key=_first_font)
    names = sorted({f.face.family for f in fontset.files})
    return pages.page(
        "licence.html",
        "licence.xhtml",
        pages.label("fonts_licence"),
        "licence",
        fonts=names,
        licences=licences,
        # For a theme's copy of the template of old, which showed one licence: every text, in the page's order.
        licence="\n\n".join(str(group["text"]) for group in licences),
    )


def _first_font(group: dict[str, Any]) -> tuple[str, str]:
    return (group["fonts"][0], group["text"])


def _embed_until_stable(
    pages: _Pages, documents: Sequence[str], theme_css: str, cache_dir: Path | None
) -> webfonts.FontSet:
    """The font subsets for ``documents`` and the licence page, embedded again until that page adds no character.

    The licence page names the embedded fonts, and its own characters must be in them too.
    """
    usage = fontuse.characters(documents, theme_css)
    while True:
        fontset = webfonts.embed(
            pages.theme,
            usage,
            pages.language,
            flavor=None,
            href_prefix="../fonts/",
            cache_dir=cache_dir,
            edition="epub",
        )
        grown = False
        for key, chars in fontuse.characters([_licence_page(pages, fontset)[1]], theme_css).items():
            grown = grown or key not in usage or not chars <= usage[key]
            usage.setdefault(key, set()).update(chars)
        if not grown:
            return fontset


def _stylesheet(theme: Theme, fontset: webfonts.FontSet, files: Sequence[tuple[str, Path, str]]) -> str:
    """The book's stylesheet: the fonts' rules, the options and the theme's CSS, every variable written out.

    E-readers' engines (Adobe's RMSDK, calibre's conversions, Kindle) read no var() (see :mod:`.cssvalues`),
    and calibre's check wants each selector list in one rule (see :mod:`.cssorder`).
    """
    sources = [
        cssvalues.Source(fontset.css, label="embedded fonts"),
        cssvalues.Source(options_css(theme), str(theme.path / "theme.toml"), "theme options"),
        *(cssvalues.Source(text, str(path), label) for label, path, text in files),
    ]
    return cssorder.tidy(cssvalues.resolve(sources))


def render_epub(
    issue: Issue,
    theme: Theme,
    *,
    source_dir: Path | None,
    override: Path | None = None,
    cache_dir: Path | None = None,
) -> bytes:
    """The EPUB file of the issue: documents, navigation, fonts, licence, metadata, package."""
    from exporter.editions.epub.cover import render_cover

    vertical = theme.edition("epub")["writing_mode"] == "vertical-rl"
    images = Images(source_dir, "images")
    assets = ThemeAssets(theme)
    pages = _Pages(issue, theme, images, assets, override)
    docs = _documents(pages)
    entries = _nav(issue, pages.label("page"))
    page_list = _page_list(pages)
    nav = _navigation(pages, entries, page_list)
    themeassets.refuse_literal_paths(pages.templates.env, "EPUB")
    # Pictures the pages show (a logo), beside the figures: the book's access modes say it has pictures.
    pictures = bool(images.files) or any(a.media_type.startswith("image/") for a in assets.used.values())
    files = theme.css_files("epub")  # read and checked once: for the fonts' characters and the stylesheet
    assets.use_css(files)
    theme_css = "\n".join([options_css(theme), joined_css(files)])
    fontset = _embed_until_stable(pages, [html for _, html in docs] + [nav[1]], theme_css, cache_dir)
    docs.append(_licence_page(pages, fontset))
    metadata = package.metadata(issue, theme, images=pictures, pages=bool(page_list), vertical=vertical)
    # Named as the stylesheet declares them once the licence page, which names the families, is set in them.
    fontset = webfonts.named(fontset, cache_dir)
    css = _stylesheet(theme, fontset, files)
    contents = package.Contents(
        docs, nav, entries, css, fontset.files, images.files, render_cover(issue, theme), assets.carried()
    )
    return package.write(issue, title=pages.title, vertical=vertical, entries=metadata, contents=contents)


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
