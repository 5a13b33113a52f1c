"""Which script a character is in (Han, kana, wide CJK or Latin), and which a language tag writes.

The parser, fonts and editions test text with these; a tag gives hans, hant, hk or tw; OpenCC converts between them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

#: Han ideographs: CJK Unified Ideographs, Extension A and the Compatibility Ideographs (all in the BMP).
HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: Hiragana and katakana.
KANA_RANGES = "\u3040-\u30ff"
#: One Han ideograph (of :data:`HAN_RANGES`).
HAN = re.compile(f"[{HAN_RANGES}]")
_HAN_OR_KANA = re.compile(f"[{HAN_RANGES}{KANA_RANGES}]")
#: A run of Latin letters and digits, with the punctuation that lives inside numbers and words.
LATIN_RUN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.,%+\-/:'’&]*[A-Za-z0-9%])?")


def is_han(ch: str) -> bool:
    """True for a Han ideograph, not for kana or punctuation: the characters a mixed-script check reads."""
    return bool(HAN.match(ch))


def is_han_or_kana(ch: str) -> bool:
    """True for a Han ideograph or a kana: the characters a Latin run beside gets a CJK-Latin gap from."""
    return bool(_HAN_OR_KANA.match(ch))


def is_wide(ch: str) -> bool:
    """True for Han, kana, Hangul and full-width punctuation (East Asian Width W or F): what sets CJK text."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def is_wide_text(ch: str) -> bool:
    """A wide letter, digit or punctuation mark (Han, kana, full-width forms): text a joiner means nothing in."""
    return is_wide(ch) and unicodedata.category(ch)[0] in "LNP"


def source_script(language: str) -> str | None:
    """The script an issue's language tag says it is in: hans, hant, hk or tw; ``None`` if not Chinese."""
    subtags = language.lower().replace("_", "-").split("-")
    if subtags[0] != "zh":
        return None
    if "hans" in subtags[1:]:  # zh-Hans-HK: simplified, wherever it is read
        return "hans"
    if "hk" in subtags[1:] or "mo" in subtags[1:]:
        return "hk"
    if "tw" in subtags[1:]:
        return "tw"
    if "hant" in subtags[1:]:
        return "hant"
    return "hans"


@lru_cache(maxsize=16)
def converter(config: str) -> Any:
    """OpenCC's converter of ``config`` (s2t, t2s, s2hkp…), loaded once: its dictionaries take a while to read.

    OpenCC is imported here, on first use.
    """
    import opencc

    return opencc.OpenCC(config)
