"""Finds the characters of a text that print as nothing: control and bidirectional characters, zero-width ones.

Control characters (a terminal's escape codes, bytes of a binary file) and bidirectional overrides,
embeddings and isolates are errors: an override reverses the text after it in a reader, in the
contents and in the running heads, and no newspaper text needs one, since a reader orders Arabic or
Hebrew by itself. Zero-width characters that carry no meaning in Chinese text (a zero width space or
word joiner, a byte order mark inside the text, a soft hyphen, a joiner between Chinese characters)
are dropped with a warning: they split words for search and for copying. The direction marks
U+200E, U+200F and U+061C are kept on a line with right-to-left letters, where they order the
punctuation around them, and dropped elsewhere, where they can only move punctuation. A zero width
joiner between emoji (👨‍👩‍👧) and a variation selector after its base character (❤️, an
ideographic variant) carry meaning and are kept. Every character taken out is named in a finding
with its line, and the lines keep their numbers.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from exporter.diagnostics import Diagnostic
from exporter.text.script import is_wide_text


def is_control(ch: str) -> bool:
    """A character no text has: C0 and C1 controls other than white space, DEL, and U+FFF0 to U+FFFF."""
    cp = ord(ch)
    return (cp < 0x20 and ch not in "\t\n\r\f\v") or 0x7F <= cp <= 0x9F or 0xFFF0 <= cp <= 0xFFFF


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_MARKS = frozenset("\u200e\u200f\u061c")
_ZERO_WIDTH = frozenset("\u200b\u2060\ufeff\u00ad\u2061\u2062\u2063\u2064")
_JOINERS = frozenset("\u200c\u200d")
# Every character that may be taken out; a line without any is left alone.
_CANDIDATE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ufff0-\uffff\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
    "\u200b-\u200d\u2060-\u2064\ufeff\u00ad\ufe00-\ufe0f\U000e0100-\U000e01ef]"
)


def _name(ch: str, count: int = 1) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "") + (f" ×{count}" if count > 1 else "")


def _names(chars: list[str]) -> str:
    return ", ".join(_name(ch, n) for ch, n in Counter(chars).items())


def _right_to_left(line: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in line if ch not in _MARKS)


def _verdict(line: str, i: int, rtl: bool) -> str:
    """``keep``, ``drop`` (a warning), ``bidi`` or ``control`` (errors) for the candidate at ``line[i]``."""
    ch = line[i]
    before = line[i - 1] if i else ""
    after = line[i + 1] if i + 1 < len(line) else ""
    if is_control(ch):
        return "control"
    if ch in _BIDI_CONTROLS:
        return "bidi"
    if ch in _ZERO_WIDTH:
        return "drop"
    if ch in _MARKS:
        return "keep" if rtl else "drop"
    if ch in _JOINERS:
        joins = before and after and not before.isspace() and not after.isspace()
        return "keep" if joins and not (is_wide_text(before) or is_wide_text(after)) else "drop"
    # A variation selector: it selects a form of the character before it, if there is one.
    return "keep" if before and not before.isspace() else "drop"


def clean(text: str) -> tuple[str, list[Diagnostic]]:
    """The text without the characters that print as nothing, and a finding for each line that had any."""
    if not _CANDIDATE.search(text):
        return text, []
    lines = text.split("\n")
    notes: list[Diagnostic] = []
    for number, line in enumerate(lines, start=1):
        found = list(_CANDIDATE.finditer(line))
        if not found:
            continue
        rtl = _right_to_left(line)
        taken: dict[str, list[str]] = {"control": [], "bidi": [], "drop": []}
        kept: list[str] = []
        start = 0
        for match in found:
            i = match.start()
            verdict = _verdict(line, i, rtl)
            if verdict == "keep":
                continue
            taken[verdict].append(line[i])
            kept.append(line[start:i])
            start = i + 1
        kept.append(line[start:])
        lines[number - 1] = "".join(kept)
        notes += _findings(number, taken)
    return "\n".join(lines), notes


def _findings(number: int, taken: dict[str, list[str]]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if taken["control"]:
        n = len(taken["control"])
        out.append(
            Diagnostic(
                number,
                "control-character",
                "error",
                f"{'a control character' if n == 1 else f'{n} control characters'} that no text has "
                f"({_names(taken['control'])}): delete {'it' if n == 1 else 'them'}; such characters come "
                "from a terminal, a binary file or a damaged copy",
            )
        )
    if taken["bidi"]:
        n = len(taken["bidi"])
        out.append(
            Diagnostic(
                number,
                "bidi-control",
                "error",
                f"{_names(taken['bidi'])} {'reorders' if n == 1 else 'reorder'} the text after "
                f"{'it' if n == 1 else 'them'} in a reader, in the contents and in the running heads: "
                f"delete {'it' if n == 1 else 'them'} (a reader sets Arabic or Hebrew right to left "
                "without such characters)",
            )
        )
    if taken["drop"]:
        n = len(taken["drop"])
        out.append(
            Diagnostic(
                number,
                "invisible-dropped",
                "warning",
                f"{n} invisible character{'s' * (n != 1)} dropped ({_names(taken['drop'])}): "
                f"{'it prints' if n == 1 else 'they print'} as nothing and "
                f"{'means' if n == 1 else 'mean'} nothing in Chinese text, "
                f"but {'splits' if n == 1 else 'split'} words for search and copying",
            )
        )
    return out
