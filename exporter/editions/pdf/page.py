"""The print edition's page set-up: page sizes and columns, bleed and crop marks, the printer's CMYK profile."""

from __future__ import annotations

from pathlib import Path

from exporter.editions.pdf.vertical import is_vertical
from exporter.errors import ExporterError, ThemeError
from exporter.theming import Theme, page_size

BLEED_MM = 3


# The CMYK profile a PDF/X names as its output intent when the theme names none: Ghostscript's
# default (Debian's libgs-common); a printer's own profile goes in [edition.pdf] cmyk_profile.
DEFAULT_CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


def page_css(theme: Theme, *, bleed: bool) -> str:
    """``@page`` size, bleed and crop marks, and the columns, from the theme's [edition.pdf]."""
    settings = theme.edition("pdf")
    try:
        size = page_size(str(settings["page_size"]))
    except ValueError as exc:  # a theme loaded from theme.toml was checked already; one made in code was not
        raise ThemeError(f"[edition.pdf] page_size {exc}", path=str(theme.path / "theme.toml")) from None
    width, height, columns = size.width, size.height, _columns(theme, size.columns)
    if is_vertical(theme):
        # Laid out sideways, then every page is turned a quarter clockwise.
        width, height = height, width
    marks = f" bleed: {BLEED_MM}mm; marks: crop;" if bleed else ""
    css = f"@page {{ size: {width:g}mm {height:g}mm;{marks} }}\n:root {{ --columns: {columns}; }}\n"
    if settings.get("makeup") == "flow":
        # The 版 run on: a section starts where the one before it ends.
        css += ".print-section + .print-section { break-before: auto; }\n"
    if bleed:
        profile = Path(str(settings.get("cmyk_profile") or DEFAULT_CMYK_PROFILE)).expanduser()
        if not profile.is_file():
            raise ExporterError(
                f"the CMYK profile {profile} for the printer's PDF/X is missing: install libgs-common "
                "(apt-get install libgs-common) or set cmyk_profile in the theme's [edition.pdf]"
            )
        css += f'@color-profile device-cmyk {{ src: url("{profile.resolve().as_uri()}"); components: c, m, y, k; }}\n'
    return css


def module_css(theme: Theme) -> str:
    """The widths of modules: a story the make-up sets beside others (``.module-row``) stands across N of the
    page's columns (``.span-N``), its text in as many."""
    return "".join(
        f".span-{n} {{ flex: {n} 1 0; }}\n.span-{n} .article-body {{ columns: {n}; }}\n"
        for n in range(1, text_columns(theme))
    )


def text_columns(theme: Theme) -> int:
    """The columns of text on the theme's print pages (see :func:`_columns`)."""
    return _columns(theme, page_size(str(theme.edition("pdf")["page_size"])).columns)


def _columns(theme: Theme, named: int | None) -> int:
    """The columns of text: a named page size brings its own, unless the theme that chose it, or one
    inheriting it, sets ``columns`` too; a size given as lengths takes the ``columns`` setting.

    So ``page_size = "berliner"`` alone gives the six columns a Berliner page holds, and
    ``columns = 5`` beside it (or in a theme built on that one) gives five.
    """
    columns = int(theme.edition("pdf")["columns"])
    if named is None:
        return columns
    for each in theme.chain:
        if ("edition", "pdf", "columns") in each.keys:
            return columns
        if ("edition", "pdf", "page_size") in each.keys:
            return named
    return named
