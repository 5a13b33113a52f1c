"""Renders the print edition: the issue as one HTML document laid out in pages and columns by WeasyPrint."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup

from exporter import editions
from exporter.editions import Options, fontuse, themeassets, webfonts
from exporter.editions.assets import Images
from exporter.editions.pagesetup import is_vertical, module_css, page_css, text_columns
from exporter.editions.pdf import makeup
from exporter.editions.pdf.fetch import (
    FIGURE_SCHEME,
    allowed_roots,
    confined_fetcher,
    figures_drawn,
    refusals_as_errors,
)
from exporter.editions.pdf.makeup import Makeup
from exporter.editions.pdf.measure import PageMap
from exporter.editions.pdf.output import finish
from exporter.editions.pdf.vertical import add_corner_quotes, turned_fonts
from exporter.editions.templating import Templates, options_css
from exporter.editions.themeassets import ThemeAssets
from exporter.errors import ExporterError, FontError, UsageError
from exporter.model import Issue
from exporter.text.dates import long_date
from exporter.theming import Theme, joined_css


def print_css(theme: Theme, assets: ThemeAssets, *, bleed: bool) -> str:
    """The print edition's stylesheet (without fonts), the theme's assets it names recorded as used in ``assets``.

    The CSS names an asset ``../assets/NAME``.
    """
    files = theme.css_files("print")
    assets.use_css(files)
    return "\n".join([options_css(theme), page_css(theme, bleed=bleed), module_css(theme), joined_css(files)])


class PrintDocument:
    """The print document of one issue, made up as a plan says: the theme's templates loaded and compiled once for
    every plan the make-up tries, and one name for each figure's file in all of them.

    The document names a figure ``FIGURE_SCHEME:images/…`` (numbered in the order the whole issue shows them: it
    is made first) and an asset ``exporter-asset:NAME``.
    """

    def __init__(self, issue: Issue, theme: Theme, *, source_dir: Path | None, override: Path | None) -> None:
        self.issue = issue
        self.images = Images(source_dir, scheme=FIGURE_SCHEME)
        self.assets = ThemeAssets(theme, scheme=themeassets.SCHEME)
        self.templates = Templates(
            issue, theme, "pdf", href=lambda a: f"#{a.id}", image=self.images, override=override, asset=self.assets
        )
        m = issue.masthead
        self.title = " ".join(x for x in (m.title, m.date and long_date(m.date, m.language)) if x) or "issue"
        keywords = ", ".join(dict.fromkeys(s.title for s in issue.sections if s.title))
        self.meta = [
            ("author", m.publisher or m.title or ""),
            ("description", "；".join(" ".join(a.headline_lines) for a in issue.articles[:6])),
            ("keywords", keywords or (m.title or "")),
            ("generator", "exporter"),
        ]
        if m.date:
            stamp = dt.datetime(m.date.year, m.date.month, m.date.day).isoformat() + "Z"
            self.meta += [("dcterms.created", stamp), ("dcterms.modified", stamp)]
        #: The templates read for literal paths so far (see below).
        self._read = 0

    def __call__(self, plan: Makeup | None = None, front: bool = True, lookup: Makeup | None = None) -> str:
        """The document made up as ``plan`` says (each story whole by default), with the front page or not.

        ``lookup`` is the plan a 转版 line finds the other part of its story in, when ``plan`` holds only some 版.
        """
        plan = plan or makeup.initial(self.issue)
        templates = self.templates
        document = templates.render(
            "print.html",
            title=self.title,
            stylesheets=[],
            body_class="print",
            meta=self.meta,
            makeup=plan,
            front=front,
            jump=lambda kind, piece: _jump_line(templates, lookup or plan, kind, piece),
        )
        # The document stands for the issue's folder: a path to assets/ written in a template would read that folder.
        # Read again only when this plan brought templates no plan before did.
        cache = templates.env.cache
        if cache is None or len(cache) != self._read:
            themeassets.refuse_literal_paths(templates.env, "print edition")
            self._read = len(cache) if cache is not None else 0
        return document


def _jump_line(templates: Templates, plan: Makeup, kind: str, piece: str) -> Markup:
    """A 转版 line, 「（下转第A03版·第3页）」 or 「（上接第A01版·第1页）」, a link to the other part of the story;
    the page number is the page the other part is laid out on (CSS target-counter)."""

    def label(key: str) -> str:
        return templates.theme.label(templates.issue.masthead.language, key)

    try:
        page = plan.piece(piece)[0].section.page
    except KeyError:  # a trial layout of one page lacks the story's other part: the place's length is near enough
        page = plan.folios[0].section.page
    place = label("jump_place").format(page=page, number="\0") if page else label("jump_page").format(number="\0")
    line = label("jump_to") if kind == "to" else label("jump_from")
    before, _, after = line.format(place=place).partition("\0")
    href = f"#{piece}"
    return Markup(
        f'<a class="jump-link" href="{href}">{templates.text(before)}'
        f'<span class="jump-number" data-href="{href}"></span>{templates.text(after)}</a>'
    )


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
    seen: Callable[[list[PageMap], Makeup], None] | None = None,
    processes: int = 1,
) -> bytes:
    """The PDF of the issue: the print document, its fonts, WeasyPrint's layout, the glyph proof, the finish.

    ``seen``, if given, is called with the stories' regions on every page and the make-up. The 版 are laid out
    ``processes`` at a time (:mod:`parts`).
    """
    if len(issue.articles) > MAX_ARTICLES:
        raise ExporterError(
            f"the print edition takes at most {MAX_ARTICLES:,} articles and this issue has {len(issue.articles):,} "
            "(a day's paper has a few hundred): split it into issues, or build it with --format epub,html",
            path=issue.source,
        )
    made_up = PrintDocument(issue, theme, source_dir=source_dir, override=override)
    document = made_up()
    images, assets = made_up.images, made_up.assets
    css = print_css(theme, assets, bleed=bleed)
    vertical = is_vertical(theme)
    font_css, font_files = _fonts(issue, theme, document, css, cache_dir, vertical=vertical)
    fetcher = confined_fetcher(allowed_roots(theme, source_dir, cache_dir), images, turned=vertical, assets=assets)

    pdf, folios = _write_pdf(
        issue,
        theme,
        document,
        made_up,
        font_css + "\n" + css,
        fetcher,
        images,
        assets,
        source_dir,
        variant,
        seen,
        processes,
    )
    _prove_glyphs(pdf, issue, font_files, vertical=vertical)
    pdfx = bool(variant and variant.startswith("pdf/x-"))
    if pdfx:
        from exporter.editions.pdf.press import press_of, press_ready

        press = dataclasses.replace(press_of(theme), faces=_slug_faces(issue, theme))
        slugs = _slugs(issue, theme, folios)
        pdf = press_ready(
            pdf, press, slugs=slugs, bleed=bleed, rotate=90 if vertical else 0, opaque=variant == "pdf/x-1a"
        )
    return finish(pdf, turn=vertical, pdfx=pdfx) if vertical or pdfx else pdf


def _slug_faces(issue: Issue, theme: Theme) -> tuple[tuple[Path, int], ...]:
    """The regular faces of the theme's sans role for the issue's language: the slug line is drawn in them."""
    from exporter import fonts

    try:
        chain = fonts.resolve({"sans": theme.font_roles(issue.masthead.language)["sans"]}, theme.font_dirs)["sans"]
    except (KeyError, FontError):
        return ()
    return tuple((face.path, face.index) for face in chain if face.weight == 400 and face.style == "normal")


def _slugs(issue: Issue, theme: Theme, folios: list[makeup.Folio]) -> list[str]:
    """The slug line of each page: paper, date, 版 and section, page of pages."""
    from exporter.editions.pdf.press import slug_line

    m = issue.masthead
    date = long_date(m.date, m.language) if m.date else ""
    label = theme.label(m.language, "page")
    return [
        slug_line(
            m.title or "",
            date,
            label.format(page=folio.section.page) if folio.section.page else "",
            folio.section.title or "",
            number,
            len(folios),
        )
        for number, folio in enumerate(folios, 1)
    ]


def _fonts(
    issue: Issue, theme: Theme, document: str, css: str, cache_dir: Path | None, *, vertical: bool
) -> tuple[str, list[Path]]:
    """The @font-face rules of the subsets the document needs (turned, for 竖排), and their files."""
    usage = fontuse.characters([document], css)
    # Text the page boxes generate (running heads, page numbers, leaders) is in no element: add it.
    generated = set("0123456789.　：") | set(_generated_text(issue, theme))
    for role in ("sans", "body"):
        usage.setdefault((role, 400), set()).update(ch for ch in generated if not ch.isspace())
    if vertical:
        add_corner_quotes(usage)
    fontset = webfonts.embed(
        theme, usage, issue.masthead.language, flavor=None, href_prefix=None, cache_dir=cache_dir, edition="pdf"
    )
    if vertical:
        return turned_fonts(fontset, cache_dir, issue.masthead.language)
    return fontset.css, [font.path for font in fontset.files]


def _write_pdf(
    issue: Issue,
    theme: Theme,
    document: str,
    made_up: Callable[[Makeup, bool, Makeup | None], str],
    css: str,
    fetcher: object,
    images: Images,
    assets: ThemeAssets,
    source_dir: Path | None,
    variant: str | None,
    seen: Callable[[list[PageMap], Makeup], None] | None = None,
    processes: int = 1,
) -> tuple[bytes, list[makeup.Folio]]:
    """WeasyPrint's PDF of the issue made up (see :mod:`makeup`), with CJK justification and untagged page
    furniture, fetching nothing else; and the 版 each page belongs to.

    ``document`` is the issue with every story whole. 版 that open a page are laid out each on its own,
    ``processes`` at a time, and their PDFs joined (:mod:`parts`); 版 that run on from page to page
    (``makeup = "flow"``) are laid out as one document.
    """
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    from exporter.editions.pdf.artifacts import margin_boxes_as_artifacts
    from exporter.editions.pdf.balance import steps_found
    from exporter.editions.pdf.justify import cjk_justification
    from exporter.imagefiles import quiet

    # WeasyPrint reads @color-profile (the PDF/X output intent) into the dict the stylesheet is given,
    # the @font-face rules into the font configuration both are given, and @counter-style rules (the
    # vertical theme's page numbers) into the counter styles both are given.
    profiles: dict[str, object] = {}
    font_config = FontConfiguration()
    counter_style = CounterStyle()

    @contextlib.contextmanager
    def watched() -> Iterator[None]:
        # A refused URL, a figure that cannot be drawn: one clear error, in whichever process lays it out.
        with refusals_as_errors(FatalURLFetchingError), figures_drawn(images, issue, assets), quiet():
            yield

    with watched():
        stylesheet = CSS(
            string=css,
            # Relative URLs in a theme's CSS (../assets/…) resolve as in the web edition.
            base_url=(theme.path / "css").as_uri() + "/",
            color_profiles=profiles,
            font_config=font_config,
            counter_style=counter_style,
            url_fetcher=fetcher,
        )
    base_url = str(source_dir or Path.cwd())

    def layout(html: str) -> Any:
        with watched(), cjk_justification(), steps_found():
            return HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
                stylesheets=[stylesheet],
                color_profiles=profiles,
                font_config=font_config,
                counter_style=counter_style,
                pdf_variant=variant,
                pdf_tags=True,
                pdf_identifier=issue_identifier(issue),
            )

    def write(laid: Any) -> bytes:
        with watched(), margin_boxes_as_artifacts():
            pdf = laid.write_pdf(pdf_variant=variant, pdf_tags=True, pdf_identifier=issue_identifier(issue))
        assert pdf is not None
        return bytes(pdf)

    first = makeup.initial(issue, text_columns(theme))
    if theme.edition("pdf").get("makeup") == "flow":
        return _flowed(first, document, layout, made_up, write, seen, variant)

    from exporter.editions.pdf.assemble import assemble
    from exporter.editions.pdf.parts import Engine, workers

    engine = Engine(layout, made_up, write, maps=seen is not None)
    with workers(engine, min(processes, len(first.folios))) as lay:
        pages = [page for laid in lay.trials(list(enumerate(first.folios))) for page in laid]
        plan, parts = lay.checked(makeup.make_up(first, _renumbered(pages, lay.latest), lay))
    pdf = assemble([part.pdf for part in parts], [part.borrowed for part in parts], [part.levels for part in parts])
    if seen is not None:
        seen([m for part in parts for m in part.maps or ()], plan)
    folios = [plan.folios[part.index] for part in parts for _ in part.pages] if variant else []
    return pdf, folios


def _renumbered(pages: list[makeup.Laid], latest: Mapping[int, Sequence[makeup.Laid]]) -> list[makeup.Laid]:
    """The pages of 版 laid out each alone, in the issue's order: numbered from 1, each with its 版's index."""
    numbered: list[makeup.Laid] = []
    for index in sorted(latest):
        for page in latest[index]:
            numbered.append(dataclasses.replace(page, number=len(numbered) + 1, folio=index))
    return numbered


def _flowed(
    first: Makeup,
    document: str,
    layout: Callable[[str], Any],
    made_up: Callable[[Makeup, bool, Makeup | None], str],
    write: Callable[[Any], bytes],
    seen: Callable[[list[PageMap], Makeup], None] | None,
    variant: str | None,
) -> tuple[bytes, list[makeup.Folio]]:
    """The PDF of 版 that run on from page to page: the whole issue laid out as one document, and written."""
    from exporter.editions.pdf.measure import laid_out, page_maps
    from exporter.editions.pdf.parts import seeded

    # The pages the 导读's and 转版 lines' targets were found on, told to the next layout of the issue.
    found: dict[str, int] = {}
    laid_for: dict[Makeup, Any] = {first: seeded(layout, document, found)}

    def whole(plan: Makeup) -> list[makeup.Laid]:
        laid_for[plan] = seeded(layout, made_up(plan, True, None), found)
        return laid_out(laid_for[plan])

    plan = makeup.flow(first, laid_out(laid_for[first]), whole)
    laid = laid_for[plan] if plan in laid_for else seeded(layout, made_up(plan, True, None), found)
    if seen is not None:
        seen(page_maps(laid), plan)
    pdf = write(laid)
    folios = [plan.folios[min(page.folio, len(plan.folios) - 1)] for page in laid_out(laid)] if variant else []
    return pdf, folios


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


def _generated_text(issue: Issue, theme: Theme) -> str:
    """The words the running heads repeat: paper, date, sections, page labels, the editor."""
    m = issue.masthead
    parts = [m.title or "", m.editor or "", theme.label(m.language, "editor")]
    # The make-up's 转版 lines and 续 lines, with page numbers in Chinese numerals for 竖排.
    parts += [theme.label(m.language, k) for k in ("jump_to", "jump_from", "jump_place", "jump_page", "continued")]
    parts.append("一二三四五六七八九十")
    if m.date:
        parts.append(long_date(m.date, m.language))
    for section in issue.sections:
        parts.append(section.title or "")
        if section.page:
            parts.append(theme.label(m.language, "page").format(page=section.page))
    return "".join(parts)


def issue_identifier(issue: Issue) -> bytes:
    """The PDF's /ID: the same issue gives the same one, so two builds are the same file."""
    import hashlib

    m = issue.masthead
    key = "|".join(
        str(x or "") for x in (m.identifier or m.title, m.date, m.number, issue.source and Path(issue.source).name)
    )
    return hashlib.md5(key.encode("utf-8")).hexdigest().encode("ascii")


#: The standard a PDF for a printer (``--print``) claims, and meets: PDF/X-4 (transparency allowed).
PRINT_VARIANT = "pdf/x-4"
#: The PDF/X exporter writes, with or without ``--print``: separated for the press (:mod:`press`), with its output
#: intent; PDF/X-1a without transparency (pictures' alpha set on white paper). PDF/X-3 and 5 are not written.
PRESS_VARIANTS = ("pdf/x-4", "pdf/x-1a")


class PdfEdition:
    """The print edition: pages in columns, laid out by WeasyPrint, turned for 竖排; PDF/X for a press."""

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
        if variant is not None and variant.startswith("pdf/x-") and variant not in PRESS_VARIANTS:
            raise UsageError(
                f"--pdf-variant {variant}: exporter writes the PDF/X a newspaper press takes, pdf/x-4 (what --print "
                "makes) or pdf/x-1a (no transparency): give one of them"
            )
        if print_marks and variant not in (None, *PRESS_VARIANTS):
            raise UsageError(
                f"--print makes a PDF/X for a press, which `{variant}` is not: drop --pdf-variant, or give it "
                f"{' or '.join(PRESS_VARIANTS)}"
            )

    def render(self, issue: Issue, theme: Theme, options: Options) -> bytes:
        """The PDF file's bytes; a PDF/X only once preflight passes it."""
        variant = options.pdf_variant or (PRINT_VARIANT if options.print_marks else None)
        pdf = render_pdf(
            issue,
            theme,
            source_dir=options.source_dir,
            override=options.override,
            cache_dir=options.cache_dir,
            bleed=options.print_marks,
            variant=variant,
            processes=options.processes or editions.cores(),
        )
        if variant in PRESS_VARIANTS:
            _preflight(pdf, issue, theme)
        return pdf


def _preflight(pdf: bytes, issue: Issue, theme: Theme) -> None:
    """Refuse a PDF/X that a press's prepress would send back (:mod:`exporter.preflight`): nothing is written."""
    from exporter.editions.pdf.press import press_of
    from exporter.preflight import preflight

    report = preflight(pdf, ink_limit=press_of(theme).ink_limit, name="the print PDF")
    errors = [f for f in report.findings if f.severity == "error"]
    if not errors:
        return
    first = errors[0]
    where = f" on page {first.page}" if first.page is not None else ""
    more = f" (and {len(errors) - 1} more; `exporter preflight` lists them)" if len(errors) > 1 else ""
    raise ExporterError(
        f"the print PDF fails preflight{where}: {first.code}: {first.message}{more}: nothing was written",
        path=issue.source,
    )
