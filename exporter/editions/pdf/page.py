"""The print edition's page set-up: page sizes and columns, bleed and crop marks, the printer's CMYK profile."""

from __future__ import annotations

from pathlib import Path

from exporter.editions.pdf.vertical import is_vertical
from exporter.errors import ExporterError
from exporter.theming import Theme

# Page sizes (width, height in mm) and the columns that fit them.
PAGE_SIZES = {
    "a5": ((148, 210), 1),
    "a4": ((210, 297), 3),
    "a3": ((297, 420), 5),
    "tabloid": ((280, 430), 5),
    "berliner": ((315, 470), 6),
    "broadsheet": ((375, 597), 6),
}


BLEED_MM = 3


# The CMYK profile a PDF/X names as its output intent when the theme names none: Ghostscript's
# default (Debian's libgs-common); a printer's own profile goes in [edition.pdf] cmyk_profile.
DEFAULT_CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


def page_css(theme: Theme, *, bleed: bool) -> str:
    """``@page`` size, bleed and crop marks, and the columns, from the theme's [edition.pdf]."""
    settings = theme.edition("pdf")
    key = str(settings["page_size"]).lower()
    if key not in PAGE_SIZES:
        raise ExporterError(
            f"theme {theme.name}: page_size `{settings['page_size']}` in [edition.pdf] is not one of "
            f"{', '.join(PAGE_SIZES)}: set one of them"
        )
    (width, height), columns = PAGE_SIZES[key]
    if "columns" in theme.editions.get("pdf", {}) and key == "a4":
        columns = int(settings["columns"])
    if is_vertical(theme):
        # Laid out sideways, then every page is turned a quarter clockwise.
        width, height = height, width
    marks = f" bleed: {BLEED_MM}mm; marks: crop;" if bleed else ""
    css = f"@page {{ size: {width}mm {height}mm;{marks} }}\n:root {{ --columns: {columns}; }}\n"
    if bleed:
        profile = Path(str(settings.get("cmyk_profile") or DEFAULT_CMYK_PROFILE)).expanduser()
        if not profile.is_file():
            raise ExporterError(
                f"the CMYK profile {profile} for the printer's PDF/X is missing: install libgs-common "
                "(apt-get install libgs-common) or set cmyk_profile in the theme's [edition.pdf]"
            )
        css += f'@color-profile device-cmyk {{ src: url("{profile.resolve().as_uri()}"); components: c, m, y, k; }}\n'
    return css
