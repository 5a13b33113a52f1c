"""The print edition's page set-up: page sizes and columns, bleed and crop marks, the printer's CMYK profile.

It stands beside the print edition's package, not in it, because the theme check reads the custom
properties the page set-up declares: importing it loads none of the print edition's modules (the press's
are imported for a bleed, which only the print edition asks for).
"""

from __future__ import annotations

from exporter.errors import ExporterError, ThemeError
from exporter.theming import Theme, page_size


def is_vertical(theme: Theme) -> bool:
    """Whether the theme sets its print edition vertically (竖排)."""
    return bool(theme.edition("pdf")["writing_mode"] == "vertical-rl")


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
    # The marks are drawn outside the bleed once the PDF is laid out (:mod:`~exporter.editions.pdf.press`):
    # WeasyPrint's own (``marks: crop``) would stand inside it, where the press trims.
    marks = ""
    if bleed:
        from exporter.editions.pdf.press import BLEED_MM

        marks = f" bleed: {BLEED_MM:g}mm;"
    css = f"@page {{ size: {width:g}mm {height:g}mm;{marks} }}\n:root {{ --columns: {columns}; }}\n"
    if settings.get("makeup") == "flow":
        # The 版 run on: a section starts where the one before it ends.
        css += ".print-section + .print-section { break-before: auto; }\n"
    if bleed:
        from exporter.editions.pdf.press import profile_of

        profile = profile_of(theme)
        if not profile.is_file():
            raise ExporterError(
                f"the CMYK profile {profile} for the printer's PDF/X is missing: "
                "set cmyk_profile in the theme's [edition.pdf] to the printer's profile"
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
