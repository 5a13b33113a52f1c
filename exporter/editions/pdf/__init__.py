"""Renders the print edition: the issue as one HTML document laid out in pages and columns by WeasyPrint."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from exporter.editions import Options, fontuse, webfonts
from exporter.editions.html import Images
from exporter.editions.templating import Templates, options_css
from exporter.errors import ExporterError, FontError, UsageError
from exporter.model import Issue
from exporter.text.dates import long_date
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


def is_vertical(theme: Theme) -> bool:
    """Whether the theme sets its print edition vertically (竖排)."""
    return bool(theme.edition("pdf")["writing_mode"] == "vertical-rl")


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


#: The scheme of the URLs the print document names figures by: WeasyPrint names an image in the PDF
#: after its URL, which must not hold the folder the issue stands in (see :func:`_confined_fetcher`).
FIGURE_SCHEME = "exporter-figure"


def _figure_bytes(source: Path, *, turned: bool) -> bytes:
    """The image file's bytes; turned a quarter counter-clockwise to stand upright once the page is turned."""
    if not turned:
        return source.read_bytes()
    import io

    from PIL import Image

    from exporter.imagefiles import quiet

    with quiet(), Image.open(source) as image:
        out = io.BytesIO()
        image.rotate(90, expand=True).save(out, "PNG", optimize=True)
    return out.getvalue()


def render_html(
    issue: Issue,
    theme: Theme,
    *,
    source_dir: Path | None,
    override: Path | None,
    bleed: bool,
) -> tuple[str, str, Images]:
    """The print document, its stylesheet (without fonts), and its figures (named ``FIGURE_SCHEME:images/…``)."""
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
    # WeasyPrint fetches the figures by URLs that name them as the web edition does (images/img001.png).
    for name in images.files:
        document = document.replace(f'src="{name}"', f'src="{FIGURE_SCHEME}:{name}"')
    css = "\n".join([options_css(theme), page_css(theme, bleed=bleed), theme.css("print")])
    return document, css, images


#: WeasyPrint lays out the whole document in memory, about a megabyte and a tenth of a second per article:
#: beyond this many articles the print edition would take many minutes and gigabytes.
MAX_ARTICLES = 1_000


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
    if len(issue.articles) > MAX_ARTICLES:
        raise ExporterError(
            f"the print edition takes at most {MAX_ARTICLES:,} articles and this issue has {len(issue.articles):,} "
            "(a day's paper has a few hundred): split it into issues, or build it with --format epub,html",
            path=issue.source,
        )
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from exporter.editions.pdf.artifacts import margin_boxes_as_artifacts
    from exporter.editions.pdf.justify import cjk_justification
    from exporter.imagefiles import quiet

    document, css, images = render_html(issue, theme, source_dir=source_dir, override=override, bleed=bleed)
    usage = fontuse.characters([document], css)
    # Text the page boxes generate (running heads, page numbers, leaders) is in no element: add it.
    generated = set("0123456789.　：") | set(_generated_text(issue, theme))
    for role in ("sans", "body"):
        usage.setdefault((role, 400), set()).update(ch for ch in generated if not ch.isspace())
    vertical = is_vertical(theme)
    if vertical:  # the rotated fonts draw “”‘’ as the corner brackets 「」『』: the subsets need them
        from exporter.fonts.rotate import CORNER_QUOTES

        for chars in usage.values():
            chars.update(chr(CORNER_QUOTES[ord(ch)]) for ch in list(chars) if ord(ch) in CORNER_QUOTES)
    fontset = webfonts.embed(theme, usage, issue.masthead.language, flavor=None, href_prefix=None, cache_dir=cache_dir)
    font_css = fontset.css
    font_files = [font.path for font in fontset.files]
    if vertical:
        font_css, font_files = _rotated_fonts(fontset, cache_dir)
    # WeasyPrint reads @color-profile (the PDF/X output intent) into the dict the stylesheet is given.
    # and the @font-face rules into the font configuration both are given.
    profiles: dict[str, object] = {}
    font_config = FontConfiguration()
    fetcher = _confined_fetcher(_allowed_roots(theme, source_dir, cache_dir), images, turned=vertical)
    from weasyprint.urls import FatalURLFetchingError

    with (
        _refusals_as_errors(FatalURLFetchingError),
        _figures_drawn(images, issue),
        quiet(),
    ):
        stylesheet = CSS(
            string=font_css + "\n" + css,
            # Relative URLs in a theme's CSS (../assets/…) resolve as in the web edition.
            base_url=(theme.path / "css").as_uri() + "/",
            color_profiles=profiles,
            font_config=font_config,
            url_fetcher=fetcher,
        )
        with cjk_justification(), margin_boxes_as_artifacts():
            pdf = HTML(string=document, base_url=str(source_dir or Path.cwd()), url_fetcher=fetcher).write_pdf(
                stylesheets=[stylesheet],
                color_profiles=profiles,
                font_config=font_config,
                pdf_variant=variant,
                pdf_tags=True,
                pdf_identifier=issue_identifier(issue),
            )
    assert pdf is not None
    _prove_glyphs(bytes(pdf), issue, font_files, vertical=vertical)
    managed = bool(variant and variant.startswith("pdf/x-"))
    return _finish(bytes(pdf), turn=vertical, managed_rgb=managed) if vertical or managed else bytes(pdf)


def _prove_glyphs(pdf: bytes, issue: Issue, font_files: list[Path], *, vertical: bool) -> None:
    """Refuse a PDF that would show a glyph other than its character's (see :mod:`glyphtruth`)."""
    from exporter.fonts.glyphtruth import check_pdf

    findings = check_pdf(pdf, font_files, vertical=frozenset(font_files) if vertical else frozenset())
    if not findings:
        return
    first = findings[0]
    more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
    raise FontError(
        f"the print edition would show {first}{more}: nothing was written; report this with the issue file",
        path=issue.source,
        line=_line_of(issue.source, first.context, first.char),
    )


def _line_of(source: str | None, context: str, char: str) -> int | None:
    """The line of the issue file where ``context`` (text around ``char`` on the page) stands, if found."""
    if not source:
        return None
    try:
        lines = Path(source).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    squeezed = ["".join(line.split()) for line in lines]
    at = context.find(char) if char else -1
    for width in (8, 4, 2, 1, 0):
        if at < 0:
            break
        probe = "".join(context[max(0, at - width) : at + width + 1].split())
        hits = [number for number, line in enumerate(squeezed, 1) if probe and probe in line]
        if hits:
            return hits[0]
    return None


def _rotated_fonts(fontset: webfonts.FontSet, cache_dir: Path | None) -> tuple[str, list[Path]]:
    """The @font-face rules of the fontset, pointing at the rotated fonts that set text sideways, and those fonts.

    Tate-chu-yoko digits are glyphs of each rotated font, which the ``.tcy1``, ``.tcy2`` and
    ``.tcy0`` spans reach through a feature (:data:`~exporter.fonts.tcy.TCY_FEATURES`), so
    that they come in the face and weight of their line.
    """
    from exporter.fonts.rotate import rotated_font
    from exporter.fonts.tcy import TCY_FEATURES

    css = fontset.css
    files = []
    for font in fontset.files:
        turned = rotated_font(font.path, cache_dir=cache_dir)  # proved against its source when made
        css = css.replace(
            f'url("{font.path.as_uri()}") format("opentype")', f'url("{turned.as_uri()}") format("{_format(turned)}")'
        )
        files.append(turned)
    rules = [f'.{kind} {{ font-feature-settings: "{tag}"; }}' for kind, tag in TCY_FEATURES.items()]
    return css + "\n".join(rules) + "\n", files


def _format(font: Path) -> str:
    """The @font-face format of a font file: TrueType outlines or OpenType (CFF)."""
    return "truetype" if font.read_bytes()[:4] == b"\x00\x01\x00\x00" else "opentype"


def _generated_text(issue: Issue, theme: Theme) -> str:
    """The words the running heads repeat: paper, date, sections, page labels, the editor."""
    m = issue.masthead
    parts = [m.title or "", m.editor or "", theme.label(m.language, "editor")]
    if m.date:
        parts.append(long_date(m.date, m.language))
    for section in issue.sections:
        parts.append(section.title or "")
        if section.page:
            parts.append(theme.label(m.language, "page").format(page=section.page))
    return "".join(parts)


def _finish(pdf: bytes, *, turn: bool, managed_rgb: bool) -> bytes:
    """The PDF rewritten once: pages turned (vertical), and RGB colour-managed (PDF/X)."""
    import io

    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    # pypdf writes %PDF-1.3 unless told: keep WeasyPrint's header (1.7; 1.6 for PDF/X-4).
    writer.pdf_header = reader.pdf_header
    if turn:  # every page a quarter clockwise: lines become columns read right to left
        for page in writer.pages:
            page.rotate(90)
    if managed_rgb:
        _default_rgb(writer)
        _fixed_document_id(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _fixed_document_id(writer: Any) -> None:
    """The PDF/X's ``xmpMM:DocumentID`` and file identifier made from the edition, not drawn at random.

    WeasyPrint 70 writes a fresh ``uuid4`` as the DocumentID of every PDF/X-4, and the second half of
    the file identifier is a digest of the file: two builds of one issue would differ. Both become
    functions of the first half of the identifier (the issue's, :func:`issue_identifier`), so that
    the same issue, theme and options give the same bytes, as the other editions do.
    """
    import re
    import uuid

    from pypdf.generic import ArrayObject, ByteStringObject

    first = bytes(writer._ID[0])
    stream = writer.root_object["/Metadata"].get_object()
    did = f"xmp.did:{uuid.uuid5(uuid.NAMESPACE_OID, first.hex())}".encode()
    stream.set_data(re.sub(rb"xmp\.did:[0-9a-f-]{36}", did, stream.get_data()))
    writer._ID = ArrayObject([ByteStringObject(first), ByteStringObject(first)])


def _default_rgb(writer: Any) -> None:
    """Every page and form of a PDF/X gets an sRGB ``DefaultRGB``, so that its RGB is colour-managed.

    PDF/X-4 with a CMYK output intent forbids device RGB: what WeasyPrint draws in ``rg`` and the
    RGB pictures would have no defined colour. A ``DefaultRGB`` colour space in the resources that
    paint them makes every such use ICC-based sRGB (ISO 32000-1, 8.6.5.6), as a preflight's fix does.
    """
    from importlib.resources import files

    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NumberObject, StreamObject

    profile = StreamObject()
    profile.set_data((files("weasyprint.pdf") / "sRGB2014.icc").read_bytes())
    profile[NameObject("/N")] = NumberObject(3)
    space = writer._add_object(ArrayObject([NameObject("/ICCBased"), writer._add_object(profile.flate_encode())]))
    seen: set[int] = set()
    stack: list[Any] = [page.indirect_reference for page in writer.pages]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            if "/Resources" in item:
                resources = cast(DictionaryObject, item["/Resources"].get_object())
                spaces = resources.get("/ColorSpace")
                if spaces is None:
                    resources[NameObject("/ColorSpace")] = spaces = DictionaryObject()
                cast(DictionaryObject, spaces.get_object())[NameObject("/DefaultRGB")] = space
            # Down to the forms, patterns and soft masks that paint; never back up the page tree.
            stack.extend(value for key, value in item.items() if key not in ("/Parent", "/P", "/StructTreeRoot"))
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def _allowed_roots(theme: Theme, source_dir: Path | None, cache_dir: Path | None) -> list[Path]:
    """The folders WeasyPrint may read: the issue's, the themes', the shipped fonts, the font cache."""
    from exporter import fonts

    roots = [t.path for t in theme.chain] + [fonts.shipped_fonts_dir(), cache_dir or fonts.default_cache_dir()]
    if source_dir is not None:
        roots.append(source_dir)
    profile = theme.edition("pdf").get("cmyk_profile") or DEFAULT_CMYK_PROFILE
    roots.append(Path(str(profile)).expanduser().parent)
    return [r.resolve() for r in roots]


def _confined_fetcher(roots: list[Path], images: Images, *, turned: bool) -> Any:
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
                return URLFetcherResponse(url, _figure_bytes(images.files[name], turned=turned))
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
def _figures_drawn(images: Images, issue: Issue) -> Iterator[None]:
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
def _refusals_as_errors(refusal: type[Exception]) -> Iterator[None]:
    """A resource outside the issue, the theme and the fonts stops the build with one clear line."""
    try:
        yield
    except refusal as exc:
        url = str(exc.args[0]) if exc.args else "?"
        raise ExporterError(
            f"the print edition refers to {url}, which it does not fetch: only files in the issue's folder, "
            "the theme and the fonts are read; copy what it needs into the theme or the issue's folder"
        ) from None


def issue_identifier(issue: Issue) -> bytes:
    """The PDF's /ID: the same issue gives the same one, so two builds are the same file."""
    import hashlib

    m = issue.masthead
    key = "|".join(
        str(x or "") for x in (m.identifier or m.title, m.date, m.number, issue.source and Path(issue.source).name)
    )
    return hashlib.md5(key.encode("utf-8")).hexdigest().encode("ascii")


#: The one standard a PDF for a printer (``--print``) claims, and meets: PDF/X-1a and PDF/X-3 would need
#: pictures in CMYK and no transparency, which exporter does not make.
PRINT_VARIANT = "pdf/x-4"


class PdfEdition:
    """The print edition: pages in columns, laid out by WeasyPrint, turned for 竖排; PDF/X-4 for a printer."""

    name = "pdf"
    title = "PDF"
    folder = False
    cost = 6
    preload = ("exporter.editions.pdf", "weasyprint")
    reads = frozenset({"print_marks", "pdf_variant"})

    def check(self, options: Options) -> None:
        """Refuse a variant WeasyPrint does not write, and one that would make a PDF claim what it is not."""
        variant, print_marks = options.pdf_variant, options.print_marks
        if variant is not None:
            from weasyprint.pdf import VARIANTS

            if variant not in VARIANTS:
                choices = ", ".join(v for v in VARIANTS if v != "debug")
                raise UsageError(f"--pdf-variant: unknown PDF variant `{variant}`: choose from {choices}")
        if variant is not None and variant.startswith("pdf/x-") and not print_marks:
            raise UsageError(
                f"--pdf-variant {variant} needs --print, which gives a PDF/X its output intent "
                "(the printer's CMYK profile): add --print"
            )
        if print_marks and variant not in (None, PRINT_VARIANT):
            raise UsageError(
                f"--print makes a {PRINT_VARIANT.upper()} (RGB pictures, transparency allowed, a CMYK output intent), "
                f"which `{variant}` is not: drop --pdf-variant, or give it {PRINT_VARIANT}"
            )

    def render(self, issue: Issue, theme: Theme, options: Options) -> bytes:
        """The PDF file's bytes."""
        return render_pdf(
            issue,
            theme,
            source_dir=options.source_dir,
            override=options.override,
            cache_dir=options.cache_dir,
            bleed=options.print_marks,
            variant=options.pdf_variant or (PRINT_VARIANT if options.print_marks else None),
        )
