"""What WeasyPrint may read for the print edition: the issue's figures, its folder, the theme and fonts, nothing else.

WeasyPrint would fetch any URL a theme or an issue names (``file:``, ``http:``); the confined
fetcher serves the figures (by their :data:`FIGURE_SCHEME` URLs, which keep the issue's folder out
of the PDF), the theme's assets (by their ``exporter-asset:`` URLs, and as the CSS's
``../assets/NAME``, from whichever theme of the chain has the file), data URLs and files under the
allowed folders, and refuses the rest, which stops the build with one line naming the URL.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from exporter.editions.assets import Images
from exporter.editions.pdf.press import profile_of
from exporter.editions.pdf.vertical import figure_bytes, turned_svg
from exporter.editions.themeassets import Asset, ThemeAssets
from exporter.errors import ExporterError, ThemeError
from exporter.model import Issue
from exporter.theming import Theme

#: The scheme of the URLs the print document names figures by: WeasyPrint names an image in the PDF
#: after its URL, which must not hold the folder the issue stands in (see :func:`confined_fetcher`).
FIGURE_SCHEME = "exporter-figure"


def allowed_roots(theme: Theme, source_dir: Path | None, cache_dir: Path | None) -> list[Path]:
    """The folders WeasyPrint may read: the issue's, the themes', the shipped fonts, the font cache."""
    from exporter import fonts

    roots = [t.path for t in theme.chain] + [fonts.shipped_fonts_dir(), cache_dir or fonts.default_cache_dir()]
    if source_dir is not None:
        roots.append(source_dir)
    roots.append(profile_of(theme).parent)
    return [r.resolve() for r in roots]


def confined_fetcher(roots: list[Path], images: Images, *, turned: bool, assets: ThemeAssets | None = None) -> Any:
    """A WeasyPrint URL fetcher that serves data URLs, the figures, the assets and files under ``roots``, nothing else.

    The figures' files are served by their ``FIGURE_SCHEME:`` URLs: the parser has followed their
    symbolic links and checked them, wherever the links lead. The assets the edition uses are
    served by their ``exporter-asset:`` URLs and as files of the theme's ``assets/`` folder, where
    the CSS's ``../assets/NAME`` leads: an ancestor's file there too, as the web edition carries it.
    Pictures are turned with the pages of vertical print, figures and assets alike.
    """
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    served = {asset.name: asset_bytes(asset, turned=turned) for asset in (assets.carried() if assets else [])}

    class Confined(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            name = url.removeprefix(FIGURE_SCHEME + ":")
            if name != url and name in images.files:
                return URLFetcherResponse(url, figure_bytes(images.files[name], turned=turned))
            asset = assets.by_url(url) if assets is not None else None
            if asset is not None:
                return URLFetcherResponse(url, served[asset.name])
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.scheme == "file" and not parsed.netloc:
                path = Path(unquote(parsed.path)).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(url)

    return Confined()


def asset_bytes(asset: Asset, *, turned: bool) -> bytes:
    """The asset's bytes as the print edition draws them: pictures turned with the pages of vertical print."""
    if not turned or not (asset.raster or asset.kind == "SVG"):
        return asset.path.read_bytes()
    if asset.kind != "SVG":
        try:
            return figure_bytes(asset.path, turned=True)
        except (OSError, SyntaxError, ValueError) as exc:
            raise ThemeError(
                f"the theme's asset `{asset.name}` cannot be read ({exc}): export it again", path=str(asset.path)
            ) from None
    from lxml import etree

    try:
        turned_picture = turned_svg(asset.path.read_bytes())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise ThemeError(
            f"the theme's asset `{asset.name}` is not well-formed SVG ({exc}): export it again", path=str(asset.path)
        ) from None
    if turned_picture is None:
        raise ThemeError(
            f"the vertical print edition turns its pictures with its pages, and `{asset.name}` has no size to turn: "
            'give its <svg> a width and a height (as width="40mm"), or a viewBox',
            path=str(asset.path),
        )
    return turned_picture


@contextlib.contextmanager
def figures_drawn(images: Images, issue: Issue, assets: ThemeAssets | None = None) -> Iterator[None]:
    """An image WeasyPrint cannot draw (it logs the error and leaves it out) stops the build, naming it.

    A figure is named by its line in the issue, an asset by its file; any other picture by its URL.
    """
    import logging

    failed: list[str] = []

    class Watch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if str(record.msg).startswith("Failed to load image at") and isinstance(record.args, tuple) and record.args:
                failed.append(str(record.args[0]))

    watch = Watch(logging.ERROR)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(watch)
    try:
        yield
    finally:
        logger.removeHandler(watch)
    for url in failed:
        figure = images.figures.get(url.removeprefix(FIGURE_SCHEME + ":"))
        if figure is not None:
            raise ExporterError(
                f"image `{figure.src}` cannot be drawn in the print edition, its data is damaged: export it again",
                path=issue.source,
                line=figure.line,
            )
        asset = assets.by_url(url) if assets is not None else None
        if asset is not None:
            raise ExporterError(
                f"the theme's asset `{asset.name}` cannot be drawn in the print edition, its data is damaged: "
                "export it again",
                path=str(asset.path),
            )
        shown = url if len(url) <= 100 else url[:100] + "…"
        raise ExporterError(
            f"the print edition cannot draw the image {shown}, which a template or the theme's CSS names: "
            "put the file in the theme's assets/ folder and name it with {{ asset('NAME') }} or url(../assets/NAME)"
        )


@contextlib.contextmanager
def refusals_as_errors(refusal: type[Exception]) -> Iterator[None]:
    """A resource outside the issue, the theme and the fonts stops the build with one clear line."""
    try:
        yield
    except refusal as exc:
        url = str(exc.args[0]) if exc.args else "?"
        raise ExporterError(
            f"the print edition refers to {url}, which it does not fetch: only files in the issue's folder, "
            "the theme and the fonts are read; copy what it needs into the theme or the issue's folder"
        ) from None
