"""Runs calibre's ebook-convert inside calibre's own Python so that one EPUB always gives the same AZW3.

``calibre-debug -e calibre_convert.py -- LANGUAGE TIME SEED INPUT OUTPUT [OPTION…]`` runs the
conversion ``ebook-convert INPUT OUTPUT OPTION…`` does, with three things calibre leaves to chance
made fixed, and one thing it drops kept:

- the identifiers it makes up (a random UUID per conversion, written as the book's ASIN and
  source, and ids in the contents) come from ``SEED`` instead;
- the KF8 header's record id (``random.randint``), the key each font is obfuscated with
  (``os.urandom``) and the Palm database's dates (``time.time()``) come from ``SEED`` and ``TIME``;
- the order of the manifest, a set of items hashed by their address in memory, which numbers the
  images and stylesheets differently in every run, is the order of their paths;
- the language: calibre keeps ISO 639 only (``zh-HK`` becomes ``zho``, then ``zh``), so a Hong Kong
  book looked like a mainland one; the MOBI header's locale and EXTH 524 get ``LANGUAGE`` whole.

This file is run by calibre's interpreter, not exporter's: it imports nothing of exporter's.
"""

from __future__ import annotations

import os
import random
import sys
import uuid
from typing import Any


def main(argv: list[str]) -> int:
    language, when, seed, source, target, *options = argv
    fixed = _Fixed(language, int(when), seed)
    fixed.install()
    from calibre.ebooks.conversion.cli import main as convert

    result: int = convert(["ebook-convert", source, target, *options])
    return result


class _Fixed:
    """The replacements for calibre's clock, random numbers and UUIDs, and its language handling."""

    def __init__(self, language: str, when: int, seed: str) -> None:
        self.language = language
        self.when = when
        self.seed = seed
        self.count = 0

    def uuid4(self) -> uuid.UUID:
        self.count += 1
        return uuid.uuid5(uuid.NAMESPACE_URL, f"{self.seed}/{self.count}")

    def install(self) -> None:
        uuid.uuid4 = self.uuid4
        from calibre.ebooks.oeb.base import Manifest

        def in_order(manifest: Any) -> list[Any]:
            return sorted(manifest.items, key=lambda item: str(item.href))

        Manifest.__iter__ = lambda manifest: iter(in_order(manifest))
        Manifest.values = in_order
        from calibre.ebooks.mobi.writer8 import exth, mobi

        mobi.random = random.Random(self.seed)
        from calibre.ebooks.mobi import utils

        utils.os = _Os(random.Random(f"{self.seed}/fonts"))
        mobi.time = _Clock(self.when)
        language = self.language
        whole_iana2mobi = mobi.iana2mobi
        whole_iso639_1 = exth.lang_as_iso639_1

        def iana2mobi(code: str) -> Any:
            return whole_iana2mobi(language if _same_language(code, language) else code)

        def lang_as_iso639_1(code: str) -> Any:
            return language if _same_language(code, language) else whole_iso639_1(code)

        mobi.iana2mobi = iana2mobi
        exth.lang_as_iso639_1 = lang_as_iso639_1


def _same_language(code: str, tag: str) -> bool:
    """Whether calibre's ISO 639 ``code`` (zho, zh) is the language of the BCP 47 ``tag`` (zh-HK)."""
    from calibre.utils.localization import canonicalize_lang

    return bool(code) and canonicalize_lang(code) == canonicalize_lang(tag.split("-")[0])


class _Os:
    """The ``os`` module as calibre's font record writer sees it: its random bytes come from a seed."""

    def __init__(self, source: random.Random) -> None:
        self.source = source

    def urandom(self, size: int) -> bytes:
        return self.source.randbytes(size)

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


class _Clock:
    """calibre's ``time`` module as the KF8 writer sees it: a clock stopped at the book's time."""

    def __init__(self, when: int) -> None:
        self.when = when

    def time(self) -> float:
        return float(self.when)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
