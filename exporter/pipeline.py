"""Builds editions of an issue: parse, check, render each format, write the files atomically."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from exporter.errors import ExporterError, FontError, InputError
from exporter.files import write_file, write_folder
from exporter.model import Issue
from exporter.themes import Theme

FORMATS = ("html", "epub", "pdf")


@dataclass(frozen=True)
class Built:
    """One edition written: its format and where."""

    format: str
    path: Path
    files: int
    size: int


def load_theme(issue: Issue, theme: str | Path | None) -> Theme:
    """The theme asked for, else the one the issue's front matter names, else the default."""
    from exporter import themes

    return themes.load(theme or issue.masthead.theme or themes.DEFAULT)


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
) -> list[Built]:
    """Build the editions of one issue file into ``out``; nothing is written if the issue has errors."""
    from exporter.parser import parse_file

    source = Path(source)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ExporterError(f"unknown format `{unknown[0]}`: choose from {', '.join(FORMATS)}")
    issue = parse_file(source)
    errors = [d for d in issue.diagnostics if d.severity == "error"]
    if errors:
        first = errors[0]
        raise InputError(
            f"{first.message} [{first.code}]"
            + (f" (and {len(errors) - 1} more errors: run `exporter check`)" if len(errors) > 1 else ""),
            path=str(source),
            line=first.line,
        )
    chosen = load_theme(issue, theme)
    check_fonts(issue, chosen)
    out = Path(out)
    name = source.stem
    built: list[Built] = []
    for fmt in formats:
        if fmt == "html":
            from exporter.render.html import render_html

            files = render_html(issue, chosen, source_dir=source.parent, override=override, cache_dir=cache_dir)
            target = out / name
            write_folder(target, files)
            built.append(Built("html", target, len(files), sum(len(b) for b in files.values())))
        elif fmt == "epub":
            from exporter.render.epub import render_epub

            data = render_epub(issue, chosen, source_dir=source.parent, override=override, cache_dir=cache_dir)
            target = out / f"{name}.epub"
            write_file(target, data)
            built.append(Built("epub", target, 1, len(data)))
        elif fmt == "pdf":
            from exporter.render.pdf import render_pdf

            data = render_pdf(
                issue,
                chosen,
                source_dir=source.parent,
                override=override,
                cache_dir=cache_dir,
                bleed=print_marks,
                variant=pdf_variant or ("pdf/x-4" if print_marks else None),
            )
            target = out / f"{name}.pdf"
            write_file(target, data)
            built.append(Built("pdf", target, 1, len(data)))
    return built
