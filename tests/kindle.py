"""Reads an AZW3 back with calibre's own tools: ``ebook-meta`` for the metadata, ``--inspect-mobi`` for the rest."""

from __future__ import annotations

import ast
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: calibre headless, as root on a build server, with none of the user's settings.
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox"}


@dataclass(frozen=True)
class NavPoint:
    """One entry of the book's contents as the Kindle reads it (the KF8 NCX index)."""

    title: str
    depth: int
    parent: int | None


@dataclass(frozen=True)
class Inside:
    """What ``calibre-debug --inspect-mobi`` finds in an AZW3."""

    exth: dict[int, bytes]  # numbers as their digits: b"0"
    locale: int
    fonts: list[bytes]
    stylesheets: str
    text: str
    nav: list[NavPoint]


def metadata(book: Path, config: Path) -> dict[str, str]:
    """``ebook-meta``'s fields of ``book``: Title, Author(s), Languages, Published, Series when there is one…"""
    done = subprocess.run(
        ["ebook-meta", str(book)],
        capture_output=True,
        text=True,
        env={**ENV, "CALIBRE_CONFIG_DIRECTORY": str(config)},
        timeout=300,
        check=True,
    )
    fields = {}
    for line in done.stdout.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            fields[name.strip()] = value.strip()
    return fields


def inspect(book: Path, config: Path) -> Inside:
    """The EXTH records, locale, fonts, stylesheets, text and contents calibre decompiles ``book`` into."""
    subprocess.run(
        ["calibre-debug", "--inspect-mobi", str(book)],
        cwd=book.parent,  # it decompiles into the working folder
        capture_output=True,
        env={**ENV, "CALIBRE_CONFIG_DIRECTORY": str(config)},
        timeout=300,
        check=True,
    )
    folder = book.with_name(f"decompiled_{book.stem}")
    header = (folder / "header.txt").read_text(encoding="utf-8")
    exth = {
        int(n): ast.literal_eval(v) if v.startswith("b") else v.encode()
        for n, v in re.findall(r"^[A-Za-z][^\n]*? \((\d{3})\): (.*)$", header.split("EXTH records...", 1)[1], re.M)
    }
    (locale,) = re.findall(r"^Langcode: (\d+)$", header, re.M)
    flows = sorted((folder / "flows").glob("*.txt"))
    styles = "\n".join(
        f.read_text(encoding="utf-8") for f in flows if not f.read_text(encoding="utf-8").startswith("<")
    )
    text = "\n".join(f.read_text(encoding="utf-8") for f in sorted((folder / "files").glob("part*.html")))
    nav = [
        NavPoint(ast.literal_eval(title), int(depth), None if parent == "None" else int(parent))
        for depth, parent, title in re.findall(
            r"^NCXEntry\(.*?depth=(\d+), parent=(\w+), .*?title=('.*?'|\".*?\"), pos_fid",
            (folder / "ncx.record").read_text(encoding="utf-8"),
            re.M,
        )
    ]
    fonts = [f.read_bytes() for f in sorted((folder / "fonts").iterdir())]
    return Inside(exth, int(locale), fonts, styles, text, nav)
