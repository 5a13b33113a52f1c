"""Renders the print edition: the issue as one HTML document laid out in pages and columns by WeasyPrint."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from exporter.errors import ExporterError
from exporter.model import Issue
from exporter.render import fontuse, webfonts
from exporter.render.html import Images
from exporter.render.templating import Templates, long_date, options_css
from exporter.themes import Theme

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
    marks = f" bleed: {BLEED_MM}mm; marks: crop;" if bleed else ""
    css = f"@page {{ size: {width}mm {height}mm;{marks} }}\n:root {{ --columns: {columns}; }}\n"
    if bleed:
        profile = Path(str(settings.get("cmyk_profile") or DEFAULT_CMYK_PROFILE)).expanduser()
        if not profile.is_file():
            raise ExporterError(
                f"the CMYK profile {profile} for the printer's PDF/X is missing: install libgs-common "
                "(apt-get install libgs-common) or set cmyk_profile in the theme's [edition.pdf]"
            )
        css += f'@color-profile device-cmyk {{ src: url("{profile.resolve().as_uri()}"); components: c m y k; }}\n'
    return css


def render_html(
    issue: Issue, theme: Theme, *, source_dir: Path | None, override: Path | None, bleed: bool
) -> tuple[str, str]:
    """The print document and its stylesheet (without fonts)."""
    images = Images(source_dir)
    templates = Templates(issue, theme, "pdf", href=lambda a: f"#{a.id}", image=images, override=override)
    m = issue.masthead
    title = " ".join(x for x in (m.title, m.date and long_date(m.date, m.language)) if x) or "issue"
    keywords = ", ".join(dict.fromkeys(s.title for s in issue.sections if s.title))
    meta = [
        ("author", m.publisher or m.title or ""),
        ("description", "；".join(" ".join(a.headline_lines) for a in issue.articles[:6])),
        ("keywords", keywords or (m.title or "")),
        ("generator", "exporter"),
    ]
    if m.date:
        stamp = dt.datetime(m.date.year, m.date.month, m.date.day).isoformat() + "Z"
        meta += [("dcterms.created", stamp), ("dcterms.modified", stamp)]
    document = templates.render("print.html", title=title, stylesheets=[], body_class="print", meta=meta)
    # Images are looked up beside the issue: give WeasyPrint their real paths.
    for name, path in images.files.items():
        document = document.replace(f'src="{name}"', f'src="{path.as_uri()}"')
    css = "\n".join([options_css(theme.options), page_css(theme, bleed=bleed), theme.css("print")])
    return document, css


def render_pdf(
    issue: Issue,
    theme: Theme,
    *,
    source_dir: Path | None,
    override: Path | None = None,
    cache_dir: Path | None = None,
    bleed: bool = False,
    variant: str | None = None,
) -> bytes:
    """The PDF of the issue."""
    from weasyprint import CSS, HTML

    from exporter.render.justify import cjk_justification

    document, css = render_html(issue, theme, source_dir=source_dir, override=override, bleed=bleed)
    usage = fontuse.characters([document], css)
    fontset = webfonts.embed(theme, usage, issue.masthead.language, flavor=None, href_prefix=None, cache_dir=cache_dir)
    # WeasyPrint reads @color-profile (the PDF/X output intent) into the dict the stylesheet is given.
    profiles: dict[str, object] = {}
    stylesheet = CSS(string=fontset.css + "\n" + css, color_profiles=profiles)
    with cjk_justification():
        pdf = HTML(string=document, base_url=str(source_dir or Path.cwd())).write_pdf(
            stylesheets=[stylesheet],
            color_profiles=profiles,
            pdf_variant=variant,
            pdf_tags=True,
            pdf_identifier=issue_identifier(issue),
        )
    assert pdf is not None
    return bytes(pdf)


def issue_identifier(issue: Issue) -> bytes:
    """The PDF's /ID: the same issue gives the same one, so two builds are the same file."""
    import hashlib

    m = issue.masthead
    key = "|".join(
        str(x or "") for x in (m.identifier or m.title, m.date, m.number, issue.source and Path(issue.source).name)
    )
    return hashlib.md5(key.encode("utf-8")).hexdigest().encode("ascii")
