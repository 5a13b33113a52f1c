"""Reads issue text into the issue model: the newspaper semantics on top of markdown-it-py."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from exporter.diagnostics import Diagnostic
from exporter.errors import InputError
from exporter.model import Issue
from exporter.parser import frontmatter, invisibles, lint, masthead, region
from exporter.parser.articles import Assembler
from exporter.parser.blocks import InlineHtml, RawBlock, tokenize
from exporter.parser.source import decode
from exporter.text.script import source_script

__all__ = ["parse", "parse_bytes", "parse_file"]

_MARKER_LINE = re.compile(r"^\s*<!--.*-->\s*$")


def parse(
    text: str, path: str = "<input>", base: str | None = None, defaults: Mapping[str, Any] | None = None
) -> Issue:
    """Parse the text of an issue; ``base`` is the folder figures are looked up in.

    ``defaults`` are front-matter values for every issue of a paper (a project file's masthead): the
    issue's own front matter overrides them.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text, invisible = invisibles.clean(text)
    if not text.strip():
        raise InputError("the file is empty (white space only): write an issue in it (see the README)", path=path)
    fm = frontmatter.split(text, path, (defaults or {}).get("language"))
    values = {**(defaults or {}), **{k: v for k, v in fm.values.items() if v is not None}}
    tokens = tokenize(fm.body)
    blocks: list[RawBlock] = [b for b in tokens if not isinstance(b, InlineHtml)]
    assembler = Assembler(base)
    sections = assembler.run(blocks)
    articles = [a for s in sections for a in s.articles]
    if not any(a.headline for a in articles):
        first = next((b.line for b in blocks), 1)
        raise InputError(
            "no article found: open each article with a headline line such as `## 标题`",
            path=path,
            line=first,
        )
    lines = [
        (number, line)
        for number, line in enumerate(fm.body.split("\n"), start=1)
        if line.strip() and not _MARKER_LINE.match(line)
    ]
    profile = lint.script(lines)
    declared = values.get("language")
    guesses: list[Diagnostic] = []
    if declared:
        dominant = "hant" if source_script(declared) in ("hant", "hk", "tw") else "hans"
        language = declared
    else:
        dominant = profile.dominant or "hans"
        language = "zh-CN"
        if dominant == "hant":
            guessed = region.guess(lines)
            language = guessed.language
            guesses.append(region.finding(guessed))
    head, masthead_notes = masthead.build(values, articles, fm.body, language, fm.lines)
    notes: list[Diagnostic] = [
        *invisible,
        *guesses,
        *fm.diagnostics,
        *assembler.notes,
        *lint.long_blocks(articles),
        *masthead_notes,
        *lint.latin_in_cjk(lines),
        *_inline_html([b for b in tokens if isinstance(b, InlineHtml)]),
    ]
    if declared is None or declared.lower().startswith("zh"):
        notes += lint.mixed_script(lines, dominant)
    notes.sort(key=lambda d: d.line)
    return Issue(head, tuple(sections), tuple(notes), path)


def _inline_html(found: list[InlineHtml]) -> list[Diagnostic]:
    """One finding per line with raw HTML inside its text, naming the tags, as for an HTML block."""
    tags: dict[int, list[str]] = {}
    for tag in found:
        text = " ".join(tag.text.split())
        tags.setdefault(tag.line, []).append(f"`{text[:40]}{'…' * (len(text) > 40)}`")
    return [
        Diagnostic(
            line, "raw-html", "warning", f"raw HTML {', '.join(names)} is not passed through; it is kept as text"
        )
        for line, names in tags.items()
    ]


def parse_bytes(
    data: bytes, path: str = "<input>", base: str | None = None, defaults: Mapping[str, Any] | None = None
) -> Issue:
    """Parse the bytes of an issue file in any encoding the parser recognises."""
    decoded = decode(data, path)
    issue = parse(decoded.text, path, base, defaults)
    if decoded.diagnostics:
        notes = tuple(sorted((*decoded.diagnostics, *issue.diagnostics), key=lambda d: d.line))
        issue = Issue(issue.masthead, issue.sections, notes, issue.source)
    return issue


#: An issue larger than this is refused before it is read: a whole day's paper is about 1 MB of text,
#: and a file many times that is an archive or a mistake, whose PDF would take hours.
MAX_BYTES = 16 * 1024 * 1024


def parse_file(path: str | os.PathLike[str], defaults: Mapping[str, Any] | None = None) -> Issue:
    """Read and parse an issue file; figures are looked up beside it."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"the file is {size / 1024 / 1024:.1f} MB, and an issue may be at most {MAX_BYTES // 1024 // 1024} MB "
                "(a whole day's paper is about 1 MB): split it into one file per issue",
                path=str(path),
            )
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file: check the path", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("this is a folder: pass the issue's .md file", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path=str(path)) from None
    return parse_bytes(data, str(path), str(file.parent), defaults)
