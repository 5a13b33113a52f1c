"""Splits the YAML (``---``) or TOML (``+++``) front matter off an issue and checks its keys."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from exporter.diagnostics import Diagnostic
from exporter.errors import FrontMatterError, suggest
from exporter.text.dates import written_date
from exporter.text.script import source_script

KNOWN_KEYS = ("title", "date", "number", "edition", "publisher", "language", "identifier", "editor", "theme")
#: The masthead's title and publisher in one script, for an edition converted to it (``title_hant: 青島日報``):
#: kept among the masthead's other keys, read by :mod:`exporter.scripts`.
PER_SCRIPT_KEYS = tuple(f"{key}_{script}" for key in ("title", "publisher") for script in ("hans", "hant", "hk", "tw"))


@dataclass(frozen=True)
class FrontMatter:
    """The front matter's values, the body with its lines kept in place, and notes on it.

    ``lines`` gives the issue file's line of each key whose line is found (an unquoted key).
    """

    values: dict[str, Any]
    body: str
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    lines: dict[str, int] = field(default_factory=dict)


def split(text: str, path: str = "<input>", language: str | None = None) -> FrontMatter:
    """Read the front matter at the top of ``text``; the body keeps its line numbers.

    ``language`` is the paper's when the front matter does not say it (a project file's masthead): a
    Taiwan paper's `date:` may count the Republic of China's years.
    """
    lines = text.split("\n")
    first = 0
    while first < len(lines) and not lines[first].strip():
        first += 1
    if first >= len(lines) or lines[first].rstrip() not in ("---", "+++"):
        return FrontMatter({}, text)
    fence = lines[first].rstrip()
    end = next((i for i in range(first + 1, len(lines)) if lines[i].rstrip() == fence), None)
    if end is None:
        raise FrontMatterError(
            f"the front matter opened by `{fence}` is never closed: add a `{fence}` line after it",
            path=path,
            line=first + 1,
        )
    block = "\n".join(lines[first + 1 : end])
    values = _load_toml(block, path, first + 1) if fence == "+++" else _load_yaml(block, path, first + 1)
    body = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    found = {key: line for key in values if (line := _key_line(key, lines[first + 1 : end], first + 1)) is not None}
    return FrontMatter(values, body, tuple(_check(values, path, first + 1, found, language)), found)


def _load_yaml(block: str, path: str, offset: int) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # A quote, bracket or key left open is noticed lines later: point at where it opens.
        context = getattr(exc, "context", None) or ""
        if context.startswith(("while scanning", "while parsing a flow")):
            mark = getattr(exc, "context_mark", None) or mark
        line = offset + 1 + (mark.line if mark is not None else 0)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FrontMatterError(
            f"the front matter is not valid YAML ({problem}): write one `key: value` per line",
            path=path,
            line=line,
        ) from None
    except (ValueError, RecursionError) as exc:
        raise _unreadable(exc, "YAML", path, _failing_line(block, offset, yaml.safe_load)) from None
    return _mapping(data, path, offset)


def _load_toml(block: str, path: str, offset: int) -> dict[str, Any]:
    import tomllib

    try:
        data = tomllib.loads(block)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11 and 3.12 give the line only in the message: "… (at line 3, column 7)".
        message = str(exc.args[0]) if exc.args else ""
        at = re.search(r"\(at line (\d+)", message)
        last = block.count("\n") + 1 if "end of document" in message else 1
        line = offset + getattr(exc, "lineno", int(at.group(1)) if at else last)
        raise FrontMatterError(
            f'the front matter is not valid TOML ({exc.args[0].split(" (at")[0]}): write one `key = "value"` per line',
            path=path,
            line=line,
        ) from None
    except (ValueError, RecursionError) as exc:
        raise _unreadable(exc, "TOML", path, _failing_line(block, offset, tomllib.loads)) from None
    return _mapping(data, path, offset)


def _failing_line(block: str, offset: int, load: Callable[[str], object]) -> int:
    """The file line of the first line that fails on its own (a date with no such day)."""
    for i, raw in enumerate(block.split("\n")):
        try:
            load(raw)
        except (ValueError, RecursionError) as exc:
            if type(exc).__name__ != "TOMLDecodeError":
                return offset + 1 + i
        except Exception:
            continue
    return offset + 1


def _unreadable(exc: Exception, syntax: str, path: str, line: int) -> FrontMatterError:
    """The loaders build dates and numbers with Python's own types and let their errors out:
    `date: 2025-02-30` (no such day), a number of thousands of digits, brackets nested thousands deep."""
    problem = "values nested too deeply" if isinstance(exc, RecursionError) else str(exc).split(";")[0]
    return FrontMatterError(
        f"the front matter holds a value {syntax} cannot read ({problem}): "
        "write dates as 2025-12-30 and other values as plain `key: value` text",
        path=path,
        line=line,
    )


def _mapping(data: object, path: str, offset: int) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError(
            "the front matter must be a list of `key: value` lines, such as `title: 青岛日报`",
            path=path,
            line=offset,
        )
    try:
        return {str(k): v for k, v in data.items()}
    except ValueError:  # a key that is an int too long for Python to print (0xfff… of thousands of digits)
        raise FrontMatterError(
            "a key of the front matter is a number too long to print: keys are words such as `title`",
            path=path,
            line=offset + 1,
        ) from None


def _key_line(key: str, raw_lines: list[str], offset: int) -> int | None:
    for i, raw in enumerate(raw_lines):
        stripped = raw.lstrip()
        if stripped.startswith(key) and stripped[len(key) :].lstrip()[:1] in (":", "="):
            return offset + 1 + i
    return None


def _check(
    values: dict[str, Any], path: str, offset: int, lines: dict[str, int], language: str | None = None
) -> list[Diagnostic]:
    notes: list[Diagnostic] = []
    taiwan = _taiwan(values.get("language") or language)
    for key, value in list(values.items()):
        line = lines.get(key, offset)
        if value is None and (key in KNOWN_KEYS or key in PER_SCRIPT_KEYS):
            continue  # `editor:` left blank (YAML's null): the key is not set
        if key == "date":
            values[key] = _date(value, path, line, taiwan)
        elif key in KNOWN_KEYS or key in PER_SCRIPT_KEYS:
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                raise FrontMatterError(
                    f"`{key}` must be a single value, not {type(value).__name__}: write `{key}: …` on one line",
                    path=path,
                    line=line,
                )
            try:
                values[key] = str(value).strip() or None
            except ValueError:  # an int too long for Python to print in decimal (0xfff… of thousands of digits)
                raise FrontMatterError(
                    f"`{key}` is a number too long to print: put it in quotes to keep it as text",
                    path=path,
                    line=line,
                ) from None
        else:
            hint = suggest(key, KNOWN_KEYS)
            if hint:
                notes.append(
                    Diagnostic(
                        line,
                        "front-matter-key",
                        "warning",
                        f"unknown key `{key}` is passed to the theme as it is; {hint}",
                    )
                )
    return notes


def _taiwan(language: object) -> bool:
    """Whether an issue's language is Taiwan's, whose dates may count the years of the Republic of China."""
    return isinstance(language, str) and source_script(language.strip()) == "tw"


def _date(value: object, path: str, line: int, roc: bool = False) -> dt.date:
    """The date of `date:`: ISO 8601, or written out (2026年11月28日, 民國115年11月28日; 115年… in Taiwan)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
        try:
            written = written_date(value, roc=roc)
        except ValueError as exc:
            raise FrontMatterError(f"`date`: {exc}", path=path, line=line) from None
        if written is not None:
            return written
    raise FrontMatterError(
        f"`date` must be an ISO 8601 date such as 2025-12-30, not {_shown(value)}",
        path=path,
        line=line,
    )


def _shown(value: object) -> str:
    """A value for a message: its repr, cut short; repr fails on an int of more than 4300 digits."""
    try:
        text = repr(value)
    except ValueError:
        return "a number too long to print"
    return text if len(text) <= 40 else text[:39] + "…"
