"""Builds the masthead from the front matter, inferring title and date from the text when missing."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from exporter.diagnostics import Diagnostic
from exporter.model import Article, Masthead
from exporter.parser.frontmatter import KNOWN_KEYS
from exporter.text.dates import lunar_date, weekday

_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})年")


def _infer_title(articles: Sequence[Article]) -> tuple[str | None, int, int]:
    outlets: Counter[str] = Counter()
    lines: dict[str, int] = {}
    for article in articles:
        for byline in article.bylines:
            if byline.outlet:
                name = re.split(r"[/／]", byline.outlet)[0].strip()
                if name and name != "本报":
                    outlets[name] += 1
                    lines.setdefault(name, byline.line)
    if not outlets:
        return None, 0, 0
    name, count = outlets.most_common(1)[0]
    return name, count, lines[name]


def _infer_date(articles: Sequence[Article], body: str) -> tuple[dt.date | None, str, int]:
    """The latest dateline's day, in the year the text speaks of as this year."""
    dated = [a.dateline for a in articles if a.dateline and a.dateline.month and a.dateline.day]
    if not dated:
        return None, "", 0
    counts = Counter((d.month, d.day) for d in dated)
    (month, day), _ = max(counts.items(), key=lambda item: (item[1], item[0]))
    first = next(d for d in dated if (d.month, d.day) == (month, day))
    years = sorted({int(y) for y in _YEAR.findall(body)})
    if not years:
        return None, first.raw, first.line
    latest = years[-1]
    # A paper late in a year speaks of the next year's plans; early in a year, of last year's results.
    year = latest - 1 if (month or 0) >= 7 and latest - 1 in years else latest
    try:
        return dt.date(year, month or 1, day or 1), first.raw, first.line
    except ValueError:
        return None, first.raw, first.line


def build(
    values: Mapping[str, Any],
    articles: Sequence[Article],
    body: str,
    language: str,
    lines: Mapping[str, int] = MappingProxyType({}),
) -> tuple[Masthead, list[Diagnostic]]:
    """The masthead, and a diagnostic for every field that was inferred or is missing.

    ``language`` is the issue's: the one its front matter declares, or the one its script shows;
    ``lines`` the issue file's line of each front matter key.
    """
    notes: list[Diagnostic] = []
    title = values.get("title")
    if not title:
        title, note = _title_from_bylines(articles)
        notes.append(note)
    date = values.get("date")
    if date is None:
        date, note = _date_from_datelines(articles, body)
        notes.append(note)
    inferred = tuple(note.code.removesuffix("-inferred") for note in notes if note.code.endswith("-inferred"))
    return _masthead(values, title, date, language, inferred, lines), notes


def _title_from_bylines(articles: Sequence[Article]) -> tuple[str | None, Diagnostic]:
    """The paper's name the bylines' outlets give, and the finding that it was inferred or is missing."""
    title, count, line = _infer_title(articles)
    inferred = (
        f"the paper's name was inferred as {title} from {count} byline{'s' if count > 1 else ''}: "
        f"set `title: {title}` in the front matter to be sure"
        if title
        else None
    )
    return title, _finding("title", line, inferred, "the paper's name is unknown: set `title:` in the front matter")


def _date_from_datelines(articles: Sequence[Article], body: str) -> tuple[dt.date | None, Diagnostic]:
    """The issue date the datelines and years give, and the finding that it was inferred or is missing."""
    date, raw, line = _infer_date(articles, body)
    inferred = (
        f"the issue date was inferred as {date.isoformat()} from the dateline {raw} and the years "
        f"the text names: set `date: {date.isoformat()}` (or the day it was printed) in the front matter"
        if date is not None
        else None
    )
    missing = "the issue date could not be inferred: set `date:` (such as 2025-12-30) in the front matter"
    return date, _finding("date", line, inferred, missing)


def _finding(field: str, line: int, inferred: str | None, missing: str) -> Diagnostic:
    """The warning that ``field`` was inferred (``inferred`` says how) or, when it was not, is missing."""
    if inferred:
        return Diagnostic(line, f"{field}-inferred", "warning", inferred)
    return Diagnostic(line or 1, f"{field}-missing", "warning", missing)


def _masthead(
    values: Mapping[str, Any],
    title: str | None,
    date: dt.date | None,
    language: str,
    inferred: tuple[str, ...],
    lines: Mapping[str, int],
) -> Masthead:
    """The masthead of the front matter's values, with the title and date it has or was given by inference."""
    extra = {k: v for k, v in values.items() if k not in KNOWN_KEYS}
    return Masthead(
        title=title,
        date=date,
        weekday=weekday(date, language) if date else None,
        lunar_date=lunar_date(date, language) if date and language.startswith("zh") else None,
        number=values.get("number"),
        edition=values.get("edition"),
        publisher=values.get("publisher"),
        language=language,
        identifier=values.get("identifier"),
        editor=values.get("editor"),
        theme=values.get("theme"),
        inferred=inferred,
        extra=MappingProxyType(extra),
        lines=MappingProxyType(dict(lines)),
    )
