"""Finds doubts in the text that are not repaired: stray Latin words, mixed scripts, runaway blocks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from exporter.diagnostics import Diagnostic
from exporter.model import Article
from exporter.text.script import HAN, HAN_RANGES, KANA_RANGES, converter, is_han

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’\-][A-Za-z]+)*")
# Lower-case words that Chinese text uses on purpose: units and loanwords.
_ALLOWED = frozenset(
    (
        "km m cm mm nm um kg g mg t ml l kw kwh mw mwh gw gwh tw hz khz mhz ghz ppm ppb mah wh v kv a ma w s ms "
        "min h d pm am vs app apps vlog logo blog wifi emo pose cosplay fans ok pk co2 ph"
    ).split()
)
_STOPWORDS = frozenset("And Or The Of To In For With On At By Is".split())


def latin_in_cjk(lines: Iterable[tuple[int, str]]) -> list[Diagnostic]:
    """Lower-case Latin words standing between Chinese characters (统一思想 and 行动).

    Acronyms (AI, GDP), words with digits (5G), brands with capitals inside (iPhone),
    units (km) and common loanwords (App) are not flagged, nor Latin phrases.
    """
    out: list[Diagnostic] = []
    for number, text in lines:
        for match in _WORD.finditer(text):
            word = match.group(0)
            if any(c.isdigit() for c in word) or word.lower() in _ALLOWED:
                continue
            if not (word.islower() or word in _STOPWORDS):
                continue
            before = text[: match.start()].rstrip()
            after = text[match.end() :].lstrip()
            if not (before and after and is_han(before[-1]) and is_han(after[0])):
                continue
            context = f"{before[-6:]} {word} {after[:6]}"
            out.append(
                Diagnostic(
                    number,
                    "latin-in-cjk",
                    "warning",
                    f"Latin word `{word}` in Chinese text (…{context}…): if it slipped in, "
                    "write it in Chinese; the text is kept as it is",
                )
            )
    return out


@dataclass(frozen=True)
class Script:
    """How many characters of a text are only traditional, or only simplified."""

    traditional: int
    simplified: int

    @property
    def dominant(self) -> str | None:
        if not self.traditional and not self.simplified:
            return None
        return "hant" if self.traditional > self.simplified else "hans"


def _differences(config: str, text: str) -> list[int]:
    converted = converter(config).convert(text)
    if len(converted) != len(text):
        return []
    return [i for i, (a, b) in enumerate(zip(text, converted, strict=True)) if a != b and is_han(a)]


# The traditional standards OpenCC knows: its own, Taiwan's and Hong Kong's.
_TRADITIONAL = ("s2t", "s2tw", "s2hk")
# Kana with the katakana phonetic extensions; a run of Han and kana with the iteration marks and ー.
_KANA = re.compile(f"[{KANA_RANGES}\u31f0-\u31ff]")
_HAN_OR_KANA = re.compile(f"[{KANA_RANGES}\u31f0-\u31ff{HAN_RANGES}々〆ー]+")


def _japanese(text: str) -> set[int]:
    """Positions of a run of Han and kana with kana in it (東京の電車は): Japanese, not Chinese of either script."""
    return {i for run in _HAN_OR_KANA.finditer(text) if _KANA.search(run.group(0)) for i in range(*run.span())}


def _traditional(text: str) -> list[int]:
    """Positions of characters that simplified text writes otherwise.

    OpenCC's t2s also turns variants that simplified text has too into their common form (the 昇 of a
    brand name such as 昇腾 into 升): a character is traditional only when a traditional standard
    turns the simplified text back into it.
    """
    found = _differences("t2s", text)
    if not found:
        return []
    simplified = converter("t2s").convert(text)
    back = [converter(config).convert(simplified) for config in _TRADITIONAL]
    japanese = _japanese(text)
    return [i for i in found if i not in japanese and any(len(b) == len(text) and b[i] == text[i] for b in back)]


def _simplified(text: str) -> list[int]:
    """Positions of characters no traditional standard writes that way.

    Taiwan writes 群 and Hong Kong 台 where OpenCC's own standard has 羣 and 臺: a character
    is simplified only when the conversions to all three standards change it. Taiwan and Hong Kong
    write 公布 where OpenCC has 公佈, a choice of word: a character is simplified only when the
    standards change it alone, too.
    """
    found = set(_differences("s2t", text))
    for config in _TRADITIONAL[1:]:
        if found:
            found &= set(_differences(config, text))
    japanese = _japanese(text)
    return sorted(i for i in found if i not in japanese and _simplified_alone(text[i]))


@lru_cache(maxsize=8192)
def _simplified_alone(ch: str) -> bool:
    """Whether every traditional standard changes the character when it stands alone."""
    return all(converter(config).convert(ch) != ch for config in _TRADITIONAL)


def _changes(config: str, text: str) -> list[int]:
    return _simplified(text) if config == "s2t" else _traditional(text)


def script(lines: Iterable[tuple[int, str]]) -> Script:
    """Counts of characters only traditional text writes, and of those only simplified text writes."""
    trad = simp = 0
    for _, text in lines:
        if HAN.search(text):
            trad += len(_traditional(text))
            simp += len(_simplified(text))
    return Script(trad, simp)


MAX_MIXED = 20


def mixed_script(lines: list[tuple[int, str]], dominant: str) -> list[Diagnostic]:
    """Characters of the other script in a text, by line; a consistent text gets none.

    ``dominant`` is ``hans`` (simplified) or ``hant`` (traditional). At most
    ``MAX_MIXED`` lines are listed, then one diagnostic sums up the rest.
    """
    config, found, want = (
        ("t2s", "traditional", "simplified") if dominant == "hans" else ("s2t", "simplified", "traditional")
    )
    out: list[Diagnostic] = []
    extra_lines = extra_chars = 0
    for number, text in lines:
        positions = _changes(config, text)
        if not positions:
            continue
        if len(out) >= MAX_MIXED:
            extra_lines += 1
            extra_chars += len(positions)
            continue
        converted = converter(config).convert(text)
        shown = "、".join(f"{text[i]}→{converted[i]}" for i in positions[:8])
        context = text[max(0, positions[0] - 4) : positions[0] + 5]
        out.append(
            Diagnostic(
                number,
                "mixed-script",
                "warning",
                f"{found} character{'s' if len(positions) > 1 else ''} in {want} text "
                f"(…{context}…): {shown}; the text is kept as it is",
            )
        )
    if extra_lines:
        out.append(
            Diagnostic(
                out[-1].line,
                "mixed-script",
                "warning",
                f"{extra_chars} more {found} characters on {extra_lines} more lines: "
                f"convert the text to {want} (OpenCC) or set `language:` to say which it is",
            )
        )
    return out


#: A block longer than this is an error: no newspaper paragraph comes near it (long ones have about
#: 2,000 characters), and a PDF takes minutes to break a block of millions of characters into lines.
MAX_BLOCK = 50_000


def long_blocks(articles: Sequence[Article]) -> list[Diagnostic]:
    """An error for every block of more than :data:`MAX_BLOCK` characters: paragraphs lost their blank lines."""
    notes = []
    for article in articles:
        for block in article.blocks:
            size = len(block.text)
            if size > MAX_BLOCK:
                notes.append(
                    Diagnostic(
                        block.line,
                        "paragraph-too-long",
                        "error",
                        f"this {block.kind.replace('_', ' ')} has {size:,} characters, more than the "
                        f"{MAX_BLOCK:,} a block may have: put a blank line between its paragraphs",
                    )
                )
    return notes
