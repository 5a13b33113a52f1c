"""Renders a theme's Jinja2 templates for one issue, sandboxed and autoescaped."""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePath
from typing import Any

from markupsafe import Markup

from exporter.editions.themeassets import ThemeAssets
from exporter.errors import ThemeError
from exporter.model import Article, Figure, Inline, Issue
from exporter.text.dates import long_date
from exporter.text.typography import inline_html, text_html
from exporter.theming import Theme

#: What Jinja2 gives every template that would make two builds differ: lorem ipsum and a random pick.
#: Themes get the rest (range, dict, cycler, joiner, namespace and the other filters), which are
#: deterministic; the sandbox keeps them from time, the environment and the disk.
UNDETERMINED_GLOBALS = frozenset({"lipsum"})
UNDETERMINED_FILTERS = frozenset({"random"})


class Templates:
    """A theme's templates for one issue and one edition, with the helpers they may call."""

    def __init__(
        self,
        issue: Issue,
        theme: Theme,
        edition: str,
        *,
        href: Callable[[Article], str],
        image: Callable[[Figure], str | None],
        override: Path | None = None,
        asset: Callable[[str], str] | None = None,
    ) -> None:
        from jinja2 import FileSystemLoader, StrictUndefined
        from jinja2.sandbox import SandboxedEnvironment

        self.issue = issue
        self.theme = theme
        self.settings = theme.edition(edition)
        self.vertical = self.settings["writing_mode"] == "vertical-rl"
        # The vertical print edition keeps the issue's quotes: its rotated fonts draw them as corner brackets.
        vertical_pdf = self.vertical and edition == "pdf"
        self.corner_quotes = (bool(theme.options.get("corner_quotes")) or self.vertical) and not vertical_pdf
        self.dirs = theme.template_dirs(override)
        self.env = SandboxedEnvironment(
            loader=FileSystemLoader([str(d) for d in self.dirs]),
            autoescape=True,
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )
        for name in UNDETERMINED_GLOBALS:
            del self.env.globals[name]
        for name in UNDETERMINED_FILTERS:
            del self.env.filters[name]
        language = issue.masthead.language
        # The issue's file by its name alone: an edition does not depend on the folder it was built in.
        named = replace(issue, source=PurePath(issue.source).name if issue.source else None)
        self.env.globals.update(
            issue=named,
            masthead=issue.masthead,
            theme={"name": theme.name, "description": theme.description},
            options=dict(theme.options),
            edition=dict(self.settings),
            edition_name=edition,
            meta=(),
            writing_mode=self.settings["writing_mode"],
            label=lambda key: theme.label(language, key),
            text=self.text,
            inline=self.inline,
            href=href,
            image=image,
            asset=asset or ThemeAssets(theme),
            long_date=lambda date: long_date(date, language),
        )

    def text(self, value: str) -> Markup:
        """Plain text, escaped, with the theme's typography spans."""
        return text_html(value, vertical=self.vertical, corner_quotes=self.corner_quotes)

    def inline(self, spans: Inline) -> Markup:
        """A run of spans, escaped, with marks and typography spans."""
        return inline_html(spans, vertical=self.vertical, corner_quotes=self.corner_quotes)

    def render(self, name: str, **context: Any) -> str:
        """Render one template; an error in it is reported with its file and line."""
        from jinja2 import TemplateError, TemplateSyntaxError

        try:
            return self.env.get_template(name).render(**context)
        except TemplateSyntaxError as exc:
            message = _undetermined(exc.message or "") or f"{exc.message}: fix the template"
            raise ThemeError(message, path=exc.filename or name, line=exc.lineno) from None
        except TemplateError as exc:
            path, line = self._where(exc, name)
            message = _undetermined(str(exc)) or f"{exc}: fix the template"
            raise ThemeError(message, path=path, line=line) from None
        except ThemeError as exc:
            if exc.path is not None:
                raise
            # A helper the template called (asset()) refused what it was given: say where it was called.
            path, line = self._where(exc, name)
            raise ThemeError(exc.message, path=path, line=line) from None

    def _where(self, exc: BaseException, name: str) -> tuple[str, int | None]:
        """The file and line of the theme's template where the error arose (not Jinja2's own code)."""
        roots = [str(d) for d in self.dirs]
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if any(frame.filename.startswith(root) for root in roots):
                return frame.filename, frame.lineno
        return name, None


def _undetermined(message: str) -> str | None:
    """The error for a template that used a global or filter withheld from themes, else None."""
    match = re.fullmatch(r"'(\w+)' is undefined|No filter named '(\w+)'\.?", message)
    name = match and (match.group(1) or match.group(2))
    if not name or name not in UNDETERMINED_GLOBALS | UNDETERMINED_FILTERS:
        return None
    return (
        f"`{name}` is not given to themes, because an edition must come out the same from the same issue, "
        "theme and options: remove it from the template"
    )


def options_css(theme: Theme) -> str:
    """The theme's options as CSS custom properties (``--indent: 2em``), for stylesheets to use.

    An option holding a URL is refused, as the theme's CSS refuses one outside its ``assets/``.
    """
    for key, value in sorted(theme.options.items()):
        if isinstance(value, str) and re.search(r"url\(|image-set\(|@import", value, re.IGNORECASE):
            raise ThemeError(
                f"option `{key}` is `{value}`, and a URL in an option would be fetched by one edition and "
                "shipped by another: write url(../assets/NAME) in the theme's CSS",
                path=str(theme.path / "theme.toml"),
            )
    lines = [
        f"  --{key.replace('_', '-')}: {value};"
        for key, value in sorted(theme.options.items())
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and _css_safe(str(value))
    ]
    return ":root {\n" + "\n".join(lines) + "\n}\n"


def _css_safe(value: str) -> bool:
    return not any(ch in value for ch in "{};<>\\") and "/*" not in value
