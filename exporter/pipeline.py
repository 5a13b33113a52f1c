"""Builds editions of an issue: parse, check, render each format, write the files atomically."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exporter.errors import ExporterError, FontError, IssueErrors, ThemeError, UsageError
from exporter.files import write_file, write_folder
from exporter.model import Issue
from exporter.themes import Theme

FORMATS = ("html", "epub", "pdf")
#: The one standard a PDF for a printer (``--print``) claims, and meets: PDF/X-1a and PDF/X-3 would need
#: pictures in CMYK and no transparency, which exporter does not make.
PRINT_VARIANT = "pdf/x-4"


@dataclass(frozen=True)
class Built:
    """One edition written: its format and where."""

    format: str
    path: Path
    files: int
    size: int


def check_options(formats: Sequence[str], *, print_marks: bool = False, pdf_variant: str | None = None) -> None:
    """Refuse, with a :class:`UsageError`, options that would be ignored or would make a PDF claim what it is not."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(f"unknown format `{unknown[0]}`: choose from {', '.join(FORMATS)}")
    if pdf_variant is not None:
        from weasyprint.pdf import VARIANTS

        if pdf_variant not in VARIANTS:
            choices = ", ".join(v for v in VARIANTS if v != "debug")
            raise UsageError(f"--pdf-variant: unknown PDF variant `{pdf_variant}`: choose from {choices}")
    if "pdf" not in formats and (print_marks or pdf_variant is not None):
        option = "--print" if print_marks else "--pdf-variant"
        raise UsageError(f"{option} is for the PDF, and no PDF is built: add pdf to --format, or drop {option}")
    if pdf_variant is not None and pdf_variant.startswith("pdf/x-") and not print_marks:
        raise UsageError(
            f"--pdf-variant {pdf_variant} needs --print, which gives a PDF/X its output intent "
            "(the printer's CMYK profile): add --print"
        )
    if print_marks and pdf_variant not in (None, PRINT_VARIANT):
        raise UsageError(
            f"--print makes a {PRINT_VARIANT.upper()} (RGB pictures, transparency allowed, a CMYK output intent), "
            f"which `{pdf_variant}` is not: drop --pdf-variant, or give it {PRINT_VARIANT}"
        )


def writable(folder: Path, option: str, given: Path | None = None) -> None:
    """Raise a :class:`UsageError` unless files can be made in ``folder`` (made later if it is not there yet).

    ``option`` is the option that named it, ``given`` the path as the user gave it (``folder`` itself if none).
    """
    import shutil
    import tempfile

    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(
            f"{existing} is a file, not a folder: give {option} a folder's path", path=str(given or folder)
        )
    try:
        shutil.rmtree(tempfile.mkdtemp(prefix=".exporter-probe.", dir=existing))
    except OSError as exc:
        raise UsageError(
            f"cannot write into {existing} ({exc.strerror}): choose another {option} or check its permissions",
            path=str(given or folder),
        ) from None


def load_theme(issue: Issue, theme: str | Path | None, fallback: str | Path | None = None) -> Theme:
    """The theme asked for, else the one the issue's front matter names, else ``fallback``, else the default."""
    from exporter import themes

    return themes.load(theme or issue.masthead.theme or fallback or themes.DEFAULT)


def check_fonts(issue: Issue, theme: Theme) -> None:
    """Every character of the issue must be in the theme's fonts: a missing glyph is an error, never tofu."""
    from exporter import fonts

    chains = fonts.resolve(theme.font_roles(issue.masthead.language), theme.font_dirs)
    lines = list(issue.texts())
    for role, chain in chains.items():
        missing = fonts.coverage(lines, chain)
        if missing:
            first = missing[0]
            more = f" and {len(missing) - 1} more ({''.join(m.char for m in missing[1:9])})" if len(missing) > 1 else ""
            families = ", ".join(dict.fromkeys(f.family for f in chain))
            raise FontError(
                f"no font of the theme's `{role}` role ({families}) has {first.char} ({first.codepoint}){more}: "
                "install a font that has it (apt-get install fonts-noto-cjk for Chinese) or name one in the theme",
                path=issue.source,
                line=first.line,
            )


def prepare(
    source: Path,
    *,
    theme: str | Path | None = None,
    fallback_theme: str | Path | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> tuple[Issue, Theme]:
    """Parse an issue and choose its theme; raises on the first error, so nothing gets built from it."""
    from exporter.parser import parse_file

    issue = parse_file(source, defaults)
    errors = tuple(d for d in issue.diagnostics if d.severity == "error")
    if errors:
        raise IssueErrors(str(source), errors, issue.diagnostics)
    try:
        chosen = load_theme(issue, theme, fallback_theme)
    except ThemeError as exc:
        if theme is not None or not issue.masthead.theme or exc.path is not None:
            raise
        # The theme the front matter names: point at that line of the issue.
        lines = source.read_bytes().decode("utf-8", errors="replace").splitlines()
        line = next((i for i, raw in enumerate(lines, start=1) if re.match(r"\s*theme\s*[:=]", raw)), None)
        raise ThemeError(f"{exc.message} (the front matter's `theme`)", path=str(source), line=line) from None
    check_fonts(issue, chosen)
    return issue, chosen


def target(source: Path, fmt: str, out: Path) -> Path:
    """Where an edition of ``source`` goes: ``out/NAME.epub``, ``out/NAME.pdf``, the folder ``out/NAME``."""
    return out / source.stem if fmt == "html" else out / f"{source.stem}.{fmt}"


def render(
    issue: Issue,
    theme: Theme,
    fmt: str,
    path: Path,
    *,
    source_dir: Path,
    override: Path | None = None,
    cache_dir: Path | None = None,
    print_marks: bool = False,
    pdf_variant: str | None = None,
) -> Built:
    """Render one edition of a parsed issue and write it to ``path`` atomically; figures are in ``source_dir``."""
    if fmt == "html":
        from exporter.render.html import render_html

        files = render_html(issue, theme, source_dir=source_dir, override=override, cache_dir=cache_dir)
        write_folder(path, files)
        return Built("html", path, len(files), sum(len(b) for b in files.values()))
    if fmt == "epub":
        from exporter.render.epub import render_epub

        data = render_epub(issue, theme, source_dir=source_dir, override=override, cache_dir=cache_dir)
    elif fmt == "pdf":
        from exporter.render.pdf import render_pdf

        data = render_pdf(
            issue,
            theme,
            source_dir=source_dir,
            override=override,
            cache_dir=cache_dir,
            bleed=print_marks,
            variant=pdf_variant or (PRINT_VARIANT if print_marks else None),
        )
    else:
        raise ExporterError(f"unknown format `{fmt}`: choose from {', '.join(FORMATS)}")
    write_file(path, data)
    return Built(fmt, path, 1, len(data))


def build(
    source: str | Path,
    formats: Sequence[str] = ("html",),
    *,
    theme: str | Path | None = None,
    out: str | Path = "build",
    override: Path | None = None,
    cache_dir: Path | None = None,
    print_marks: bool = False,
    pdf_variant: str | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> list[Built]:
    """Build the editions of one issue file into ``out``; nothing is written if the issue has errors."""
    source = Path(source)
    check_options(formats, print_marks=print_marks, pdf_variant=pdf_variant)
    issue, chosen = prepare(source, theme=theme, defaults=defaults)
    return [
        render(
            issue,
            chosen,
            fmt,
            target(source, fmt, Path(out)),
            source_dir=source.parent,
            override=override,
            cache_dir=cache_dir,
            print_marks=print_marks,
            pdf_variant=pdf_variant,
        )
        for fmt in formats
    ]
