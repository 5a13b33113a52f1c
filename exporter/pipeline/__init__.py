"""Builds editions of an issue: parse, check, render each format, write the files atomically."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exporter import editions
from exporter.diagnostics import Diagnostic
from exporter.editions import Options
from exporter.errors import ExporterError, FontError, IssueErrors, ThemeError, UsageError
from exporter.files import write_file, write_folder
from exporter.model import Issue
from exporter.theming import Theme

if TYPE_CHECKING:
    from exporter.themecheck import Problem


@dataclass(frozen=True)
class Built:
    """One edition written: its format and where."""

    format: str
    path: Path
    files: int
    size: int


def check_options(formats: Sequence[str], *, print_marks: bool = False, pdf_variant: str | None = None) -> None:
    """Refuse, with a :class:`UsageError`, options that would be ignored or would make a PDF claim what it is not."""
    editions.check(formats, Options(print_marks=print_marks, pdf_variant=pdf_variant))


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
    """The theme asked for, else the one the issue's front matter names, else ``fallback``, else the default.

    A theme the front matter names that cannot be loaded is an error at that line of the issue.
    """
    from exporter import theming as themes

    try:
        return themes.load(theme or issue.masthead.theme or fallback or themes.DEFAULT)
    except ThemeError as exc:
        if theme is not None or not issue.masthead.theme or exc.path is not None or not issue.source:
            raise
        line = issue.masthead.lines.get("theme")
        raise ThemeError(f"{exc.message} (the front matter's `theme`)", path=issue.source, line=line) from None


def check_theme(theme: Theme) -> tuple[Problem, ...]:
    """The theme's warnings (:mod:`exporter.themecheck`), to be told once per build; its first error is raised.

    A theme with an error (an option the CSS reads as a colour that is none, say) raises a
    :class:`ThemeError` naming its file and line, so that nothing is built with it.
    """
    from exporter import themecheck

    problems = themecheck.checked(theme)
    themecheck.refuse_errors(problems, theme)
    return tuple(p for p in problems if p.severity == "warning")


def check_fonts(issue: Issue, theme: Theme) -> None:
    """Every character of the issue must be in the theme's fonts, and none an emoji: else one error naming them all.

    The error lists what :func:`font_findings` finds, each finding with its line, so that a build
    refuses exactly what ``exporter check`` reports.
    """
    found = font_findings(issue, theme)
    if found:
        raise FontError(
            "characters the editions cannot print (`exporter check` lists them): "
            + "; ".join(f"line {d.line}: {d.message}" for d in found),
            path=issue.source,
            line=found[0].line,
        )


def font_findings(issue: Issue, theme: Theme) -> list[Diagnostic]:
    """The emoji of the issue and the characters no font of the theme has, one error per line and kind.

    Emoji are refused whatever fonts the theme names (see the README's "Emoji"): a system's colour
    emoji font takes them from the theme's fonts in the PDF. A character missing from some role's
    fallback chain is reported with the fix that fits this system (:func:`_font_fix`). Lines are
    the issue file's: a paragraph's character is found on the line of the paragraph it is on.
    """
    from exporter import fonts

    chains = fonts.resolve(theme.font_roles(issue.masthead.language), theme.font_dirs)
    pieces = list(issue.texts())
    lacking: dict[str, list[str]] = {}
    for role, chain in chains.items():
        for missing in fonts.coverage(pieces, chain):
            roles = lacking.setdefault(missing.char, [])
            if role not in roles:
                roles.append(role)
    where = _Lines(issue, pieces)
    emoji: dict[int, list[str]] = {}
    for line, text in pieces:
        for found in fonts.emoji(text):
            for at in where.lines(line, found):
                if found not in emoji.setdefault(at, []):
                    emoji[at].append(found)
    unset: dict[tuple[int, str], list[str]] = {}
    for line, text in pieces:
        for found in sorted(fonts.emoji(text), key=len, reverse=True):
            text = text.replace(found, "")  # an emoji is reported as one, never as a missing glyph too
        for char in dict.fromkeys(text):
            if char in lacking:
                for at in where.lines(line, char):
                    fix = _font_fix(char, lacking[char], list(chains), theme.name)
                    chars = unset.setdefault((at, fix), [])
                    if char not in chars:
                        chars.append(char)
    notes = [
        Diagnostic(
            line,
            "font-missing",
            "error",
            f"{_named(chars)} {'is an emoji' if len(chars) == 1 else 'are emoji'}, and the editions print no emoji "
            f"(a reader or a PDF would set {'it' if len(chars) == 1 else 'them'} in whatever emoji font the machine "
            f"has, or in none): replace {'it' if len(chars) == 1 else 'them'} with words",
        )
        for line, chars in emoji.items()
    ]
    notes += [
        Diagnostic(line, "font-missing", "error", f"{_named(chars)} {'is' if len(chars) == 1 else 'are'} {fix}")
        for (line, fix), chars in unset.items()
    ]
    return sorted(notes, key=lambda d: d.line)


def _named(chars: Sequence[str]) -> str:
    """Characters for a message: each with its code point(s), as ``👍 (U+1F44D)``."""
    shown = [f"{c} ({' '.join(f'U+{ord(x):04X}' for x in c)})" for c in chars]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _font_fix(char: str, roles: Sequence[str], all_roles: Sequence[str], theme: str) -> str:
    """Where a character is missing, and a fix that is true on this system."""
    import unicodedata

    from exporter import fonts

    where = (
        f"in no font of theme {theme}"
        if set(roles) >= set(all_roles)
        else f"in no font of the {', '.join(f'`{r}`' for r in roles)} role{'s' * (len(roles) > 1)} of theme {theme}"
    )
    has = fonts.system_families_with(char)
    if has:
        family = has[0]
        return (
            f'{where}, but the installed font "{family}" has it: add "{family}" at the end of the roles in the '
            "[fonts] of a theme of yours (`exporter themes new`, docs/themes.md) and build with it, "
            "or replace the character"
        )
    if unicodedata.name(char, "").startswith("CJK") and not fonts.find_faces("Noto Serif CJK SC", []):
        return f"{where}: install Noto CJK ({fonts.INSTALL_HINT}), or replace the character"
    return (
        f"{where}, nor in any font installed here: put a font file that has it in the fonts/ folder of a theme "
        "of yours and add its family at the end of the roles in the theme's [fonts] (`exporter themes new`, "
        "docs/themes.md), or replace the character"
    )


class _Lines:
    """The lines of the issue file a character of a text is on, the text starting on a given line."""

    def __init__(self, issue: Issue, pieces: Sequence[tuple[int, str]]) -> None:
        self.path = issue.source
        self.starts = sorted({line for line, _ in pieces})

    @functools.cached_property
    def source(self) -> list[str]:
        """The file, read again only when a finding needs its line: a clean issue costs no second read."""
        return _source_lines(self.path)

    def lines(self, start: int, needle: str) -> list[int]:
        """The lines from ``start`` to the next text's start that hold ``needle``; ``start`` if none does."""
        later = [s for s in self.starts if s > start]
        end = later[0] if later else len(self.source) + 1
        found = [n for n in range(start, end) if 0 < n <= len(self.source) and needle in self.source[n - 1]]
        return found or [start]


def _source_lines(source: str | None) -> list[str]:
    """The decoded lines of the issue file, as the parser numbers them; none when it cannot be read."""
    from exporter.parser.source import decode

    if not source:
        return []
    try:
        text = decode(Path(source).read_bytes(), source).text
    except (OSError, ExporterError):
        return []
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def check_script(script: str | None, option: str = "--script") -> None:
    """Refuse, with a :class:`UsageError`, a script that is not one an issue can be converted to."""
    from exporter.errors import suggest
    from exporter.scripts import SCRIPTS

    if script is not None and script not in SCRIPTS:
        hint = suggest(script, SCRIPTS)
        raise UsageError(
            f"{option} {script!r} is no script: {hint + ' ' if hint else ''}give hans, hant, hk or tw "
            "(simplified Chinese, traditional, Hong Kong's, Taiwan's)"
        )


def converted(issue: Issue, script: str | None) -> Issue:
    """The issue in ``script`` (:mod:`exporter.scripts`), with the conversion's findings; as it is when ``None``."""
    if script is None:
        return issue
    from exporter.scripts import convert

    return convert(issue, script)


def check_file(
    source: Path, *, theme: str | Path | None = None, project_dir: Path | None = None, script: str | None = None
) -> Issue:
    """The issue as ``build`` would read it, with the font findings among its diagnostics: what ``check`` shows.

    The project file of ``project_dir`` (the working folder by default) gives the masthead's
    defaults, the theme and the script, as for a build; the theme is ``theme``, else the front
    matter's, else the project's, else the default. With a ``script`` (else the project's), the issue
    is checked as converted to it, and the conversion's findings are among the diagnostics.
    """
    from exporter.parser import parse_file
    from exporter.pipeline import project

    defaults = project.load(project_dir if project_dir is not None else Path.cwd())
    check_script(script)
    issue = converted(parse_file(source, dict(defaults.masthead)), script or defaults.script)
    chosen = load_theme(issue, theme, defaults.theme)
    notes = sorted((*issue.diagnostics, *font_findings(issue, chosen)), key=lambda d: d.line)
    return replace(issue, diagnostics=tuple(notes))


def prepare(
    source: Path,
    *,
    theme: str | Path | None = None,
    fallback_theme: str | Path | None = None,
    defaults: Mapping[str, Any] | None = None,
    extra_css: Sequence[Path] = (),
    script: str | None = None,
) -> tuple[Issue, Theme]:
    """Parse an issue, choose its theme and check both; raises on the first error, so nothing gets built from it.

    ``extra_css`` (the project file's) is added to the theme's CSS, whichever theme is chosen. With a
    ``script`` (hans, hant, hk, tw) the issue is converted to it once parsed, before anything else
    (:mod:`exporter.scripts`): the fonts are checked and every edition rendered in that script.
    """
    from exporter.parser import parse_file

    issue = parse_file(source, defaults)
    errors = tuple(d for d in issue.diagnostics if d.severity == "error")
    if errors:
        raise IssueErrors(str(source), errors, issue.diagnostics)
    issue = converted(issue, script)
    chosen = load_theme(issue, theme, fallback_theme)
    if extra_css:
        chosen = replace(chosen, extra_css=tuple(extra_css))
    check_theme(chosen)
    check_fonts(issue, chosen)
    return issue, chosen


def write_edition(issue: Issue, theme: Theme, fmt: str, path: Path, options: Options) -> Built:
    """Render one edition of a checked issue and write it to ``path`` atomically."""
    return _write(editions.get(fmt).render(issue, theme, options), fmt, path)


def _write(data: bytes | Mapping[str, bytes], fmt: str, path: Path) -> Built:
    """Write an edition's bytes atomically: one file, or a folder of files that replaces ``path`` whole."""
    if isinstance(data, bytes):
        write_file(path, data)
        return Built(fmt, path, 1, len(data))
    write_folder(path, data)
    return Built(fmt, path, len(data), sum(len(b) for b in data.values()))


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
    script: str | None = None,
) -> list[Built]:
    """Build the editions of one issue file into ``out``; nothing is written if the issue has errors.

    ``script`` (hans, hant, hk, tw) builds them converted to that Chinese script (:mod:`exporter.scripts`).
    """
    source = Path(source)
    check_options(formats, print_marks=print_marks, pdf_variant=pdf_variant)
    check_script(script, "script")
    issue, chosen = prepare(source, theme=theme, defaults=defaults, script=script)
    options = Options(source.parent, override, cache_dir, print_marks, pdf_variant)
    return [write_edition(issue, chosen, fmt, editions.target(source, fmt, Path(out)), options) for fmt in formats]


def render(
    issue: Issue, format: str, *, theme: str | Path | Theme | None = None, options: Options | None = None
) -> bytes | Mapping[str, bytes]:
    """The edition ``format`` of a parsed issue, as bytes (a folder edition: its files by path), nothing written.

    ``theme`` is a theme's name or folder, or a loaded :class:`Theme`; by default the one the
    issue's front matter names, else the default. ``options`` default to the issue's own folder for
    its figures. The issue is checked as ``build`` checks it: an issue with errors raises
    :class:`IssueErrors`, and characters no font of the theme has raise a :class:`FontError`.
    """
    chosen, options = _checked(issue, format, theme, options)
    return editions.get(format).render(issue, chosen, options)


def write(
    issue: Issue,
    format: str,
    path: str | Path,
    *,
    theme: str | Path | Theme | None = None,
    options: Options | None = None,
) -> Built:
    """Render the edition ``format`` of a parsed issue (see :func:`render`) and write it to ``path`` atomically."""
    chosen, options = _checked(issue, format, theme, options)
    return write_edition(issue, chosen, format, Path(path), options)


def _checked(
    issue: Issue, format: str, theme: str | Path | Theme | None, options: Options | None
) -> tuple[Theme, Options]:
    """The theme and options to render ``issue`` with, after the checks a build makes."""
    if options is None:
        options = Options(source_dir=Path(issue.source).parent if issue.source else None)
    editions.check([format], options)
    errors = tuple(d for d in issue.diagnostics if d.severity == "error")
    if errors:
        raise IssueErrors(issue.source or "<input>", errors, issue.diagnostics)
    chosen = theme if isinstance(theme, Theme) else load_theme(issue, theme)
    check_theme(chosen)
    check_fonts(issue, chosen)
    return chosen, options
