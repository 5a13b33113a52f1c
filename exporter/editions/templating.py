"""Renders a theme's Jinja2 templates for one issue, sandboxed and autoescaped."""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from exporter.editions.themeassets import ThemeAssets
from exporter.errors import ThemeError
from exporter.model import Article, Credit, Figure, Inline, Issue
from exporter.text.compose import Scheme
from exporter.text.compose import scheme as punctuation_scheme
from exporter.text.credits import credit_html
from exporter.text.dates import long_date
from exporter.text.serials import serial_number
from exporter.text.typography import inline_html, text_html
from exporter.theming import Theme, language_fallbacks

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

#: What Jinja2 gives every template that would make two builds differ: lorem ipsum and a random pick.
#: Themes get the rest (range, dict, cycler, joiner, namespace and the other filters), which are
#: deterministic; the sandbox keeps them from time, the environment and the disk.
UNDETERMINED_GLOBALS = frozenset({"lipsum"})
UNDETERMINED_FILTERS = frozenset({"random"})


def theme_scheme(theme: Theme, language: str) -> Scheme:
    """The punctuation scheme the theme's ``punctuation`` option names for an issue in ``language``."""
    name = str(theme.options.get("punctuation", "auto"))
    script = "Hant" if "zh-hant" in language_fallbacks(language) else "Hans"
    try:
        return punctuation_scheme(name, script)
    except ThemeError as exc:
        owner = next((t for t in theme.chain if "punctuation" in t.declared.get("options", {})), theme)
        line = owner.keys.get(("options", "punctuation"))
        raise ThemeError(exc.message, path=str(owner.path / "theme.toml"), line=line) from None


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
        self.issue = issue
        self.theme = theme
        self.settings = theme.edition(edition)
        self.vertical = self.settings["writing_mode"] == "vertical-rl"
        # The vertical print edition keeps the issue's quotes: its rotated fonts draw them as corner brackets.
        vertical_pdf = self.vertical and edition == "pdf"
        self.corner_quotes = (bool(theme.options.get("corner_quotes")) or self.vertical) and not vertical_pdf
        self.scheme = theme_scheme(theme, issue.masthead.language)
        # WeasyPrint has no text-emphasis: the print edition draws a dot under each emphasised character.
        self.emphasis_dots = edition == "pdf"
        self.dirs = theme.template_dirs(override)
        self.env = _environment(Layers(self.dirs))
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
            credit_line=self.credit_line,
            href=href,
            image=image,
            asset=asset or ThemeAssets(theme),
            long_date=lambda date: long_date(date, language),
            serial_number=serial_number,
        )

    def text(self, value: str) -> Markup:
        """Plain text, escaped, with the theme's typography spans."""
        return text_html(value, vertical=self.vertical, corner_quotes=self.corner_quotes, scheme=self.scheme)

    def inline(self, spans: Inline) -> Markup:
        """A run of spans, escaped, with marks and typography spans."""
        return inline_html(
            spans,
            vertical=self.vertical,
            corner_quotes=self.corner_quotes,
            scheme=self.scheme,
            emphasis_dots=self.emphasis_dots,
        )

    def credit_line(self, raw: str, credits: tuple[Credit, ...] = ()) -> Markup:
        """A byline or photo credit as written, each credit word and name a span kept on one line."""
        return credit_html(raw, credits, vertical=self.vertical, corner_quotes=self.corner_quotes, scheme=self.scheme)

    def render(self, name: str, **context: Any) -> str:
        """Render one template; an error in it is reported with its file and line."""
        from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

        try:
            return self.env.get_template(name).render(**context)
        except TemplateSyntaxError as exc:
            message = _undetermined(exc.message or "") or f"{exc.message}: fix the template"
            raise ThemeError(message, path=exc.filename or name, line=exc.lineno) from None
        except TemplateNotFound as exc:  # the message says what to do (Layers.source)
            path, line = self._where(exc, name)
            raise ThemeError(str(exc), path=path, line=line) from None
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
        except RecursionError as exc:
            path, line = self._loop(exc, name)
            raise ThemeError(
                "templates include or extend each other in a loop: make the template of a name extend the one "
                "below it only, and include no template that includes this one",
                path=path,
                line=line,
            ) from None

    def _loop(self, exc: BaseException, name: str) -> tuple[str, int | None]:
        """The file and line where templates that include or extend each other start going round."""
        roots = [str(d) for d in self.dirs]
        steps: list[tuple[str, int | None]] = []
        for frame in traceback.extract_tb(exc.__traceback__):
            step = (frame.filename, frame.lineno)
            # A block called and its tag run are two frames at one line: that is one step of the loop.
            if any(frame.filename.startswith(root) for root in roots) and steps[-1:] != [step]:
                steps.append(step)
        return next((step for step in steps if steps.count(step) > 1), (name, None))

    def _where(self, exc: BaseException, name: str) -> tuple[str, int | None]:
        """The file and line of the theme's template where the error arose (not Jinja2's own code)."""
        roots = [str(d) for d in self.dirs]
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if any(frame.filename.startswith(root) for root in roots):
                return frame.filename, frame.lineno
        return name, None


class Layers:
    """The template folders in lookup order, and which template a name means from where it is written.

    A name is looked up from the first folder (``--templates``, the theme, its ancestors, ``base``).
    Written in a template as the name of that template itself (``{% extends "article.html" %}`` in a
    theme's ``article.html``), it means the next template of that name down the folders, as Sphinx's
    ``!layout.html`` means the built-in one: its internal name ``@N/article.html`` starts the lookup
    at folder ``N``, one below the folder the extending template is in, so that three themes may each
    extend their parent's template. Every other name is looked up from the first folder.
    """

    def __init__(self, dirs: Sequence[Path]) -> None:
        self.dirs = tuple(dirs)

    @staticmethod
    def split(name: str) -> tuple[int, str]:
        """The folder a name is looked up from, and the template's own name (``@2/masthead.html``: 2, masthead.html)."""
        from jinja2.loaders import split_template_path

        match = re.fullmatch(r"@(\d+)/(.+)", name)
        start, bare = (int(match.group(1)), match.group(2)) if match else (0, name)
        return start, "/".join(split_template_path(bare))

    def find(self, name: str) -> tuple[int, Path] | None:
        """The index of the folder that holds the template ``name`` means, and its file; ``None`` if none does."""
        start, bare = self.split(name)
        for index in range(start, len(self.dirs)):
            file = self.dirs[index].joinpath(*bare.split("/"))
            if file.is_file():
                return index, file
        return None

    def join(self, template: str, parent: str) -> str:
        """The name ``template`` means when ``parent`` extends, includes or imports it (Jinja2's ``join_path``)."""
        _, bare = self.split(template)
        start, parent_bare = self.split(parent)
        if bare != parent_bare:
            return template
        found = self.find(parent)
        return f"@{(found[0] if found else start) + 1}/{bare}"

    def source(self, name: str) -> tuple[str, str, Callable[[], bool]]:
        """The template's text, file and up-to-date check, for Jinja2's loader."""
        from jinja2 import TemplateNotFound

        found = self.find(name)
        start, bare = self.split(name)
        if found is None:
            if start:
                below = ", ".join(str(d) for d in self.dirs[start:]) or "none"
                raise TemplateNotFound(
                    name,
                    f"this template extends `{bare}`, the template of the same name in the folders below its own "
                    f"({below}), and there is none: extend a template that is there, or remove the extends",
                )
            raise TemplateNotFound(
                name,
                f"no template `{bare}` in {', '.join(str(d) for d in self.dirs)}: "
                "name a template there is, or add it to the theme's templates/",
            )
        file = str(found[1])
        mtime = os.path.getmtime(file)
        return found[1].read_text(encoding="utf-8"), file, lambda: _mtime(file) == mtime


def _mtime(file: str) -> float | None:
    try:
        return os.path.getmtime(file)
    except OSError:
        return None


def _environment(layers: Layers) -> SandboxedEnvironment:
    """The sandboxed, autoescaping environment whose loader looks templates up in ``layers``."""
    from jinja2 import FunctionLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class LayeredEnvironment(SandboxedEnvironment):
        def join_path(self, template: str, parent: str) -> str:
            return layers.join(template, parent)

    return LayeredEnvironment(
        loader=FunctionLoader(layers.source),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


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
