"""Reads the project file ``exporter.toml``: a paper's defaults for every build run in its folder.

::

    theme = "classic"              # a theme's name, or a folder beside this file
    formats = ["epub", "pdf"]
    out = "build"
    jobs = 2
    extra_css = "paper.css"        # or a list: stylesheets after the theme's, in every edition
    script = "hk"                  # every edition converted to hans, hant, hk or tw (exporter.scripts)

    [masthead]                     # front matter every issue starts from; its own front matter wins
    title = "青岛日报"
    title_hk = "青島日報"           # the title of an edition in that script (title_hans, _hant, _hk, _tw)
    publisher = "青岛日报社"
    identifier = "CN 37-0008"

Options given on the command line override the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from exporter.errors import ProjectError, suggest
from exporter.parser.frontmatter import PER_SCRIPT_KEYS
from exporter.scripts import SCRIPTS

FILE_NAME = "exporter.toml"
KEYS = ("theme", "formats", "out", "jobs", "extra_css", "script", "masthead")
MASTHEAD_KEYS = ("title", "publisher", "edition", "language", "identifier", "editor", *PER_SCRIPT_KEYS)
_PER_ISSUE = ("date", "number")


@dataclass(frozen=True)
class Project:
    """The defaults of a project file; ``None`` where the file says nothing."""

    path: Path | None = None
    theme: str | None = None
    formats: tuple[str, ...] | None = None
    out: Path | None = None
    jobs: int | None = None
    masthead: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: Stylesheets appended after the theme's CSS in every edition, in order.
    extra_css: tuple[Path, ...] = ()
    #: The Chinese script every edition is converted to (hans, hant, hk, tw).
    script: str | None = None


def load(folder: Path) -> Project:
    """The project file in ``folder``, or an empty project when there is none."""
    path = folder / FILE_NAME
    if not path.is_file():
        return Project()
    import tomllib

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProjectError("the project file is not UTF-8: save it as UTF-8", path=str(path)) from None
    except OSError as exc:
        raise ProjectError(f"cannot read the project file ({exc.strerror})", path=str(path)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc.args[0]) if exc.args else str(exc)
        at = re.search(r"\(at line (\d+)", message)
        raise ProjectError(
            f'not valid TOML ({message.split(" (at")[0]}): write one `key = "value"` per line',
            path=str(path),
            line=int(at.group(1)) if at else None,
        ) from None
    return _project(data, path, text.splitlines())


def _line(key: str, lines: list[str]) -> int | None:
    pattern = re.compile(rf"^\s*(\[\s*)?{re.escape(key)}\s*(=|\])")
    return next((i for i, raw in enumerate(lines, start=1) if pattern.match(raw)), None)


def _unknown(key: str, known: tuple[str, ...], where: str, path: Path, lines: list[str]) -> ProjectError:
    hint = suggest(key, known) or f"the keys are {', '.join(known)}"
    return ProjectError(f"unknown key `{key}` {where}: {hint}", path=str(path), line=_line(key, lines))


def _project(data: dict[str, Any], path: Path, lines: list[str]) -> Project:
    root = path.parent

    def wrong(key: str, what: str) -> ProjectError:
        return ProjectError(f"`{key}` must be {what}", path=str(path), line=_line(key, lines))

    for key in data:
        if key not in KEYS:
            raise _unknown(key, KEYS, "in the project file", path, lines)
    theme = data.get("theme")
    if theme is not None and (not isinstance(theme, str) or not theme.strip()):
        raise wrong("theme", 'a theme\'s name or folder, such as `theme = "classic"`')
    if isinstance(theme, str) and (root / theme).is_dir():
        theme = str(root / theme)
    formats = data.get("formats")
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    if formats is not None and (not isinstance(formats, list) or not all(isinstance(f, str) for f in formats)):
        raise wrong("formats", 'a list of formats, such as `formats = ["epub", "pdf"]`')
    out = data.get("out")
    if out is not None and (not isinstance(out, str) or not out.strip()):
        raise wrong("out", 'a folder, such as `out = "build"`')
    jobs = data.get("jobs")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise wrong("jobs", "a whole number of at least 1, such as `jobs = 2`")
    extra_css = _extra_css(data.get("extra_css"), path, lines)
    script = data.get("script")
    if script is not None and (not isinstance(script, str) or script not in SCRIPTS):
        hint = suggest(script, SCRIPTS) if isinstance(script, str) else ""
        raise wrong("script", f'one of {", ".join(SCRIPTS)}, such as `script = "hk"`{"; " + hint if hint else ""}')
    masthead = data.get("masthead", {})
    if not isinstance(masthead, dict):
        raise wrong("masthead", 'a table: a `[masthead]` line with `title = "…"` and the like below it')
    for key, value in masthead.items():
        if key in _PER_ISSUE:
            raise ProjectError(
                f"`{key}` differs from issue to issue: put it in each issue's front matter",
                path=str(path),
                line=_line(key, lines),
            )
        if key not in MASTHEAD_KEYS:
            raise _unknown(key, MASTHEAD_KEYS, "in [masthead]", path, lines)
        if not isinstance(value, str) or not value.strip():
            raise wrong(key, f'text, such as `{key} = "…"`')
    return Project(
        path=path,
        theme=theme,
        formats=tuple(formats) if formats is not None else None,
        out=root / out if out is not None else None,
        jobs=jobs,
        masthead=MappingProxyType({k: v.strip() for k, v in masthead.items()}),
        extra_css=extra_css,
        script=script,
    )


def _extra_css(value: Any, path: Path, lines: list[str]) -> tuple[Path, ...]:
    """The ``extra_css`` files, relative to the project file: each must be a CSS file that is there."""
    if value is None:
        return ()
    line = _line("extra_css", lines)
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise ProjectError(
            '`extra_css` must be a CSS file beside the project file, or a list of them: `extra_css = "paper.css"`',
            path=str(path),
            line=line,
        )
    files = []
    for name in names:
        file = path.parent / name
        if not file.is_file():
            raise ProjectError(
                f"`extra_css` names {name}, and there is no such file beside the project file: "
                f"create {file} or correct the name",
                path=str(path),
                line=line,
            )
        files.append(file)
    return tuple(files)
