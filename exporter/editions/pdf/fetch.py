"""What WeasyPrint may read for the print edition: the issue's figures, its folder, the theme and fonts, nothing else.

WeasyPrint would fetch any URL a theme or an issue names (``file:``, ``http:``); the confined
fetcher serves the figures (by their :data:`FIGURE_SCHEME` URLs, which keep the issue's folder out
of the PDF), data URLs and files under the allowed folders, and refuses the rest, which stops the
build with one line naming the URL.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from exporter.editions.assets import Images
from exporter.editions.pdf.page import DEFAULT_CMYK_PROFILE
from exporter.editions.pdf.vertical import figure_bytes
from exporter.errors import ExporterError
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
    profile = theme.edition("pdf").get("cmyk_profile") or DEFAULT_CMYK_PROFILE
    roots.append(Path(str(profile)).expanduser().parent)
    return [r.resolve() for r in roots]


def confined_fetcher(roots: list[Path], images: Images, *, turned: bool) -> Any:
    """A WeasyPrint URL fetcher that serves data URLs, the figures and files under ``roots``, and nothing else.

    The figures' files are served by their ``FIGURE_SCHEME:`` URLs: the parser has followed their
    symbolic links and checked them, wherever the links lead.
    """
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class Confined(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            name = url.removeprefix(FIGURE_SCHEME + ":")
            if name != url and name in images.files:
                return URLFetcherResponse(url, figure_bytes(images.files[name], turned=turned))
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.scheme == "file" and not parsed.netloc:
                path = Path(unquote(parsed.path)).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(url)

    return Confined()


@contextlib.contextmanager
def figures_drawn(images: Images, issue: Issue) -> Iterator[None]:
    """A figure WeasyPrint cannot draw (it logs the error and leaves the image out) stops the build, naming it."""
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
