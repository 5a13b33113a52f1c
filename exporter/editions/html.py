"""Renders the web edition: index page with masthead and contents, one page per article, CSS, fonts, images, assets."""

from __future__ import annotations

from pathlib import Path

from exporter.editions import Options, fontuse, webfonts
from exporter.editions.assets import Images
from exporter.editions.templating import Templates, options_css
from exporter.editions.themeassets import ThemeAssets, literal_paths, page_references
from exporter.model import Article, Issue
from exporter.theming import Theme, joined_css


def render_html(
    issue: Issue,
    theme: Theme,
    *,
    source_dir: Path | None,
    override: Path | None = None,
    cache_dir: Path | None = None,
) -> dict[str, bytes]:
    """The files of the web edition, by path inside its folder."""
    images = Images(source_dir)
    assets = ThemeAssets(theme)
    templates = Templates(
        issue, theme, "html", href=lambda a: f"{a.id}.html", image=images, override=override, asset=assets
    )
    title = " ".join(x for x in (issue.masthead.title, issue.masthead.date and issue.masthead.date.isoformat()) if x)
    common = {"stylesheets": ["css/edition.css"], "body_class": "index"}
    pages: dict[str, str] = {"index.html": templates.render("index.html", title=title, **common)}
    ordered: list[tuple[object, Article]] = list(issue.iter_articles())
    for i, (section, article) in enumerate(ordered):
        previous = ordered[i - 1][1] if i > 0 else None
        following = ordered[i + 1][1] if i + 1 < len(ordered) else None
        show_section = i == 0 or ordered[i - 1][0] is not section
        pages[f"{article.id}.html"] = templates.render(
            "article_page.html",
            title=f"{' '.join(article.headline_lines)} · {issue.masthead.title or ''}".strip(" ·"),
            stylesheets=["css/edition.css"],
            body_class="article-page",
            section=section,
            article=article,
            show_section=show_section,
            previous=previous,
            next=following,
            home_href="index.html",
            pager=True,
            pagebreak=None,
        )
    return site_files(pages, theme.css_files("screen"), templates, images, assets, cache_dir=cache_dir)


def site_files(
    pages: dict[str, str],
    css_files: list[tuple[str, Path, str]],
    templates: Templates,
    images: Images,
    assets: ThemeAssets,
    *,
    cache_dir: Path | None,
    css_name: str = "css/edition.css",
) -> dict[str, bytes]:
    """A web site's files: its pages, one stylesheet (``css_name``) with the fonts the pages use, figures, assets."""
    theme = templates.theme
    assets.use_css(css_files)
    _use_written_paths(assets, pages, literal_paths(templates.env))
    theme_css = "\n".join([options_css(theme), joined_css(css_files)])
    usage = fontuse.characters(pages.values(), theme_css)
    fontset = webfonts.embed(
        theme,
        usage,
        templates.issue.masthead.language,
        flavor="woff2",
        href_prefix="../fonts/",
        cache_dir=cache_dir,
        edition="html",
    )
    css = "\n".join([fontset.css, theme_css])
    files: dict[str, bytes] = {name: page.encode("utf-8") for name, page in pages.items()}
    files[css_name] = css.encode("utf-8")
    for font in fontset.files:
        files[f"fonts/{font.file_name}"] = font.path.read_bytes()
    for name, source in images.files.items():
        files[name] = source.read_bytes()
    for name, asset in assets.files().items():
        files[name] = asset.read_bytes()
    return files


def _use_written_paths(assets: ThemeAssets, pages: dict[str, str], written: list[tuple[str, int, str]]) -> None:
    """The assets the pages name by a path a template wrote (``src="assets/logo.png"``), which this edition keeps.

    An unknown one is refused where the template writes it (else on the page that names it).
    """
    for page, html in pages.items():
        for name in page_references(page, html):
            exact: list[tuple[str, int | None]] = [(file, line) for file, line, text in written if text == name]
            begun: list[tuple[str, int | None]] = [(f, n) for f, n, text in written if name.startswith(text)]
            file, line = (exact or begun or [(page, None)])[0]
            assets.use(name, path=file, line=line, written=f"assets/{name}")


class HtmlEdition:
    """The web edition: a folder with an index page, a page per article, CSS, fonts and images."""

    name = "html"
    title = "web edition"
    folder = True
    cost = 1
    preload = ("exporter.editions.html",)
    reads: frozenset[str] = frozenset()

    def check(self, options: Options) -> None:
        """The web edition takes no option of its own."""

    def render(self, issue: Issue, theme: Theme, options: Options) -> dict[str, bytes]:
        """The folder's files, by path inside it."""
        return render_html(
            issue, theme, source_dir=options.source_dir, override=options.override, cache_dir=options.cache_dir
        )
