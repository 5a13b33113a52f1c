"""Builds the e-edition (数字报): each 版 as the printed page drawn, its stories regions that open them as text.

The print edition is laid out once (:func:`exporter.editions.pdf.render_pdf`); the boxes of its stories
(:func:`exporter.editions.pdf.measure.page_maps`) become the regions on the pictures of its pages
(:mod:`.raster`). Beside them: the articles as pages of text with the reader's text size, dark mode and, in
a vertical theme, 竖排 or 横排; search over the whole issue (:mod:`.search`); each 版's PDF, the issue's
PDF and EPUB; a web app manifest and a service worker (:mod:`.offline`), so that an issue once opened
reads offline. The folder is a static site: any web server serves it, and it opens from the disk too.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from exporter.editions import Options
from exporter.editions.assets import Images
from exporter.editions.themeassets import ThemeAssets
from exporter.model import Article, Issue, Section
from exporter.theming import Theme

#: Widths the pages are drawn at, in pixels, and the formats each is saved in: a thumbnail for the strip of
#: 版; the page for a phone (and a screen of density 1); the page for a high-density screen or a desktop.
THUMB, PAGE, SHARP = 200, 720, 1440
DRAWN: dict[int, Sequence[str]] = {THUMB: ("webp", "png"), PAGE: ("avif", "webp", "png"), SHARP: ("avif", "webp")}
#: Where the edition's script and service worker are kept (package data, not theme files: they are code).
STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True)
class Rect:
    """A region's rectangle, in per cent of the page shown."""

    left: float
    top: float
    width: float
    height: float

    @property
    def style(self) -> str:
        return f"left:{self.left:.3f}%;top:{self.top:.3f}%;width:{self.width:.3f}%;height:{self.height:.3f}%"


@dataclass(frozen=True)
class Region:
    """An article on a page: the rectangles its boxes cover there (one per column it runs through)."""

    article: Article
    rects: tuple[Rect, ...]
    continued: bool


@dataclass(frozen=True)
class Sheet:
    """One page of the print edition as the e-edition shows it: its number, size, pictures and regions."""

    number: int
    width: int
    height: int
    regions: tuple[Region, ...]
    #: The PDF's links to stories on this page (the 导读's entries, the 转版 lines), as regions of their own.
    links: tuple[Region, ...] = ()

    def picture(self, width: int, kind: str) -> str:
        return f"pages/{self.number}-{width}.{kind}"


@dataclass(frozen=True)
class Ban:
    """One 版: its section, its pages and the file it is shown in."""

    index: int
    section: Section
    sheets: tuple[Sheet, ...]
    articles: tuple[Article, ...]

    @property
    def href(self) -> str:
        return "index.html" if self.index == 0 else f"ban-{self.index + 1}.html"

    @property
    def pdf(self) -> str:
        return f"pdf/ban-{self.index + 1}.pdf"


class EEdition:
    """The e-edition: a static web site of the print pages with their stories as regions, and the stories as text."""

    name = "e-edition"
    title = "e-edition"
    folder = True
    #: The folder it is written to: ``out/ISSUE-e`` (the web edition has ``out/ISSUE``).
    folder_suffix = "-e"
    cost = 8
    preload = ("exporter.editions.eedition", "exporter.editions.pdf", "weasyprint")
    reads: frozenset[str] = frozenset()

    def check(self, options: Options) -> None:
        """The e-edition takes no option of its own."""

    def render(self, issue: Issue, theme: Theme, options: Options) -> dict[str, bytes]:
        """The folder's files, by path inside it."""
        return render_eedition(issue, theme, options)


def render_eedition(issue: Issue, theme: Theme, options: Options) -> dict[str, bytes]:
    """The files of the e-edition, by path inside its folder."""
    from exporter import editions
    from exporter.editions.epub import EpubEdition
    from exporter.editions.pagesetup import is_vertical
    from exporter.editions.pdf import render_pdf

    seen: list[tuple[Any, Any]] = []
    pdf = render_pdf(
        issue,
        theme,
        source_dir=options.source_dir,
        override=options.override,
        cache_dir=options.cache_dir,
        seen=lambda maps, plan: seen.append((maps, plan)),
        processes=options.processes or editions.cores(),
    )
    maps, plan = seen[-1]
    epub = EpubEdition().render(issue, theme, options)
    stem = PurePath(issue.source).stem if issue.source else "issue"
    files: dict[str, bytes] = {}
    sheets, pictures = _sheets(pdf, maps, plan, turned=is_vertical(theme))
    files.update(pictures)
    bans = _bans(issue, plan, maps, sheets)
    files.update(_ban_pdfs(pdf, bans))
    files[f"{stem}.pdf"] = pdf
    files[f"{stem}.epub"] = epub
    files.update(_site(issue, theme, options, bans, downloads=(f"{stem}.pdf", f"{stem}.epub")))
    files.update(_offline(issue, theme, files, sheets))
    return files


def _sheets(pdf: bytes, maps: Sequence[Any], plan: Any, *, turned: bool) -> tuple[list[Sheet], dict[str, bytes]]:
    """The pages drawn, and their regions placed on the pictures (a 竖排 page is laid out lying, then turned)."""
    from exporter.editions.eedition.raster import draw_pages

    sheets: list[Sheet] = []
    files: dict[str, bytes] = {}
    links = _links(pdf, plan)
    for number, (page, drawn) in enumerate(zip(maps, draw_pages(pdf, list(DRAWN), DRAWN), strict=True), 1):
        by_article: dict[str, list[Rect]] = {}
        articles: dict[str, Article] = {}
        continued: dict[str, bool] = {}
        for region in page.regions:
            try:
                _, piece = plan.piece(region.piece)
            except KeyError:
                continue
            rect = _shown(region.x, region.y, region.width, region.height, page.width, page.height, turned=turned)
            key = piece.article.id
            articles[key] = piece.article
            by_article.setdefault(key, []).append(rect)
            continued[key] = continued.get(key, True) and piece.start > 0
        regions = tuple(Region(articles[k], tuple(v), continued[k]) for k, v in by_article.items())
        size = drawn.pictures[(PAGE, "png")]
        from PIL import Image

        with Image.open(io.BytesIO(size)) as image:
            width, height = image.size
        sheet = Sheet(number, width, height, regions, links[number - 1])
        sheets.append(sheet)
        for (w, kind), data in drawn.pictures.items():
            files[sheet.picture(w, kind)] = data
    return sheets, files


def _shown(x: float, y: float, w: float, h: float, width: float, height: float, *, turned: bool) -> Rect:
    """A rectangle of a page laid out ``width`` by ``height`` (``y`` down from its head), in per cent of the page as
    shown: a 竖排 page is turned a quarter clockwise, its head becoming its right edge and its left edge its top."""
    if turned:
        x, y, w, h, width, height = height - y - h, x, h, w, height, width
    return Rect(100 * x / width, 100 * y / height, 100 * w / width, 100 * h / height)


def _links(pdf: bytes, plan: Any) -> list[tuple[Region, ...]]:
    """Each page's links to a story (their named destinations are the stories' anchors), as regions.

    A link's rectangles on one line are joined into one; its place is turned as the page is shown.
    """
    import pikepdf

    pages: list[tuple[Region, ...]] = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            box = [float(v) for v in page.mediabox]
            width, height = box[2] - box[0], box[3] - box[1]
            turned = int(page.obj.get("/Rotate", 0)) % 360 == 90
            found: dict[tuple[str, float, float], list[float]] = {}
            articles: dict[str, Article] = {}
            for annot in page.obj.get("/Annots", []):
                dest = annot.get("/Dest")
                if annot.get("/Subtype") != "/Link" or not isinstance(dest, pikepdf.String):
                    continue
                try:
                    _, piece = plan.piece(str(dest))
                except KeyError:
                    continue
                x0, y0, x1, y1 = (float(v) for v in annot.Rect)
                x0, x1, y0, y1 = min(x0, x1) - box[0], max(x0, x1) - box[0], min(y0, y1) - box[1], max(y0, y1) - box[1]
                line = (piece.article.id, round(y0 if not turned else x0, 1), round(y1 if not turned else x1, 1))
                articles[piece.article.id] = piece.article
                joined = found.setdefault(line, [x0, y0, x1, y1])
                joined[:] = [min(joined[0], x0), min(joined[1], y0), max(joined[2], x1), max(joined[3], y1)]
            by_article: dict[str, list[Rect]] = {}
            for (key, _, _), (x0, y0, x1, y1) in found.items():
                # The PDF's y runs up from the foot: the rectangle's top is measured down from the head.
                rect = _shown(x0, height - y1, x1 - x0, y1 - y0, width, height, turned=turned)
                by_article.setdefault(key, []).append(rect)
            pages.append(tuple(Region(articles[k], tuple(v), False) for k, v in by_article.items()))
    return pages


def _bans(issue: Issue, plan: Any, maps: Sequence[Any], sheets: Sequence[Sheet]) -> list[Ban]:
    """The 版 in order, each with its pages and the stories that begin on it."""
    bans: list[Ban] = []
    for index, folio in enumerate(plan.folios):
        on = tuple(s for s, m in zip(sheets, maps, strict=True) if m.folio == index)
        if not on:
            continue
        articles = tuple(dict.fromkeys(p.article for p in folio.pieces if p.start == 0))
        bans.append(Ban(len(bans), folio.section, on, articles))
    return bans


def _ban_pdfs(pdf: bytes, bans: Sequence[Ban]) -> dict[str, bytes]:
    """Each 版's pages as a PDF of their own; links to pages outside it are dropped, links to the web kept."""
    import pikepdf

    files: dict[str, bytes] = {}
    with pikepdf.open(io.BytesIO(pdf)) as whole:
        for ban in bans:
            part = pikepdf.new()
            part.docinfo = part.copy_foreign(whole.docinfo)  # type: ignore[assignment]
            for sheet in ban.sheets:
                part.pages.append(whole.pages[sheet.number - 1])
            for page in part.pages:
                annots = page.obj.get("/Annots")
                if annots is None:
                    continue
                kept = [a for a in annots if a.get("/A") is not None and a.A.get("/S") == "/URI"]
                if kept:
                    page.obj.Annots = part.make_indirect(pikepdf.Array(kept))
                else:
                    del page.obj["/Annots"]
            out = io.BytesIO()
            part.save(out, deterministic_id=True, compress_streams=True)
            files[ban.pdf] = out.getvalue()
    return files


def _site(
    issue: Issue, theme: Theme, options: Options, bans: Sequence[Ban], *, downloads: tuple[str, str]
) -> dict[str, bytes]:
    """The pages of the site: one per 版, one per article, the search page; their stylesheet, fonts, figures."""
    from exporter.editions.eedition.search import index_script
    from exporter.editions.html import site_files
    from exporter.editions.templating import Templates

    images = Images(options.source_dir)
    assets = ThemeAssets(theme)
    templates = Templates(
        issue, theme, "html", href=lambda a: f"{a.id}.html", image=images, override=options.override, asset=assets
    )
    home: dict[str, Ban] = {}
    for ban in bans:
        for article in ban.articles:
            home.setdefault(article.id, ban)
    vertical = theme.edition("html")["writing_mode"] == "vertical-rl"
    common = {
        "stylesheets": ["css/e.css"],
        "bans": bans,
        "downloads": downloads,
        "home_of": lambda article: home.get(article.id),
        "theme_vertical": vertical,
        "ban_name": lambda b: _ban_name(templates, b),
    }
    m = issue.masthead
    paper = " ".join(x for x in (m.title, m.date and m.date.isoformat()) if x) or "e-edition"
    pages: dict[str, str] = {}
    for ban in bans:
        pages[ban.href] = templates.render(
            "e_ban.html",
            title=f"{_ban_name(templates, ban)} · {paper}",
            body_class="e-ban",
            ban=ban,
            previous_ban=bans[ban.index - 1] if ban.index > 0 else None,
            next_ban=bans[ban.index + 1] if ban.index + 1 < len(bans) else None,
            **common,
        )
    ordered = list(issue.iter_articles())
    for i, (section, article) in enumerate(ordered):
        pages[f"{article.id}.html"] = templates.render(
            "e_article.html",
            title=f"{' '.join(article.headline_lines)} · {paper}",
            body_class="article-page e-article",
            section=section,
            article=article,
            show_section=True,
            previous=ordered[i - 1][1] if i > 0 else None,
            next=ordered[i + 1][1] if i + 1 < len(ordered) else None,
            home_href=home[article.id].href if article.id in home else "index.html",
            pager=False,
            pagebreak=None,
            **common,
        )
    pages["search.html"] = templates.render(
        "e_search.html",
        title=f"{theme.label(issue.masthead.language, 'e_search')} · {paper}",
        body_class="e-search",
        **common,
    )
    css_files = theme.css_files("screen", after="e-edition.css")
    files = site_files(pages, css_files, templates, images, assets, cache_dir=options.cache_dir, css_name="css/e.css")
    files["js/search-index.js"] = index_script(issue, {a: _ban_name(templates, b) for a, b in home.items()})
    files["js/e.js"] = (STATIC / "e.js").read_bytes()
    return files


def _ban_name(templates: Any, ban: Ban) -> str:
    """「第A01版 要闻」, or the section's title alone when the issue numbers no 版."""
    page = templates.env.globals["label"]("page").format(page=ban.section.page) if ban.section.page else ""
    return " ".join(x for x in (page, ban.section.title) if x) or str(ban.index + 1)


def _offline(issue: Issue, theme: Theme, files: Mapping[str, bytes], sheets: Sequence[Sheet]) -> dict[str, bytes]:
    """The web app manifest, its icons and the service worker that keeps the issue for reading offline."""
    from exporter.editions.eedition.offline import icons, manifest, service_worker

    made = icons(files[sheets[0].picture(PAGE, "png")]) if sheets else {}
    made["manifest.webmanifest"] = manifest(issue, theme, sorted(made))
    every = {**files, **made}
    made["sw.js"] = service_worker(every)
    return made
