"""Decides once, for every edition, how Chinese text is composed: punctuation widths and unbreakable runs.

The rules are those of W3C clreq (Requirements for Chinese Text Layout) and GB/T 15834, decided
on the text rather than left to one engine, so that the PDF, the EPUB and the web edition set a
paragraph alike:

- **Punctuation width (标点挤压).** A full-width mark's ink fills half its cell: a closing or stop
  mark (，。）”) its first half, an opening mark (（“《) its second. The punctuation scheme of the
  theme (:data:`SCHEMES`) says which marks are set half-width, their blank half taken away; where
  two marks touch (``。”``, ``”。``, ``）、``, ``。“``, ``“《``), the blank halves that face each
  other always go, so no two marks leave more than half an em between their ink. What the line
  ends need (an opening mark at a line's start and a closing mark at its end set half-width) is
  known only where the lines are broken: the print edition does it then
  (:mod:`exporter.editions.pdf.justify`), reading the classes written here. A scheme that
  compresses nothing (台港式, the default of a traditional Chinese issue, whose faces centre the
  marks in their cells) marks every mark ``full``: no blank is taken away anywhere, line ends
  included, as a centred mark has ink on both sides of its cell's middle.
- **Unbreakable runs.** ``——`` and ``……`` never break and never start a line (they are bound to
  the character before them), and are set as one rule; a photo credit ``（记者 林峰 摄）`` never
  breaks; a paragraph never ends on a line holding one character (``议。``): its last two
  characters, with the marks after them, are bound together.

Nothing here adds, drops or changes a character: the decisions are classes of spans around the
text, which :mod:`exporter.text.typography` writes and each edition's CSS expresses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from exporter.errors import ThemeError
from exporter.text.script import LATIN_RUN, is_wide_text

#: Opening marks: their ink is in the second half of the cell, their blank before it.
OPENING = frozenset("（〔［｛《〈「『“‘【〖〘〚｟")
#: Closing marks: their ink is in the first half of the cell, their blank after it.
CLOSING = frozenset("）〕］｝》〉」』”’】〗〙〛｠")
#: Marks that end a sentence.
STOPS = frozenset("。．！？")
#: Marks inside a sentence: comma, enumeration comma, colon, semicolon.
PAUSES = frozenset("，、：；")
#: Every mark whose blank half (after its ink) a scheme may take away.
END_BLANK = CLOSING | STOPS | PAUSES
#: Every mark a scheme sets full or half width.
MARKS = OPENING | END_BLANK
#: Marks whose ink is a thin stroke at the outer edge of their cell (the single quotes): where they
#: touch another mark, a tenth of an em more goes, or half an em of blank would stay between the inks.
NARROW = frozenset("‘’")
#: Marks drawn as one rule over two cells, never broken and never starting a line.
LONG_MARKS = {"—": "dash", "…": "ellipsis"}

#: The classes this module gives spans, for themes to style (docs/themes.md lists them).
SPAN_CLASSES: dict[str, str] = {
    "po": "an opening mark (（“《): its blank half comes before its ink",
    "pc": "a closing or stop mark (，。）”): its blank half comes after its ink",
    "half": "…set half-width by the punctuation scheme: its blank half is taken away",
    "adj": "…half-width because another mark touches it (标点挤压): justification never widens it",
    "narrow": "…a single quote touching another mark: a tenth of an em more goes, its ink being thin",
    "full": "…full width wherever it stands (台港式, centred and never compressed): not even a line's end trims it",
    "initial": "…the first character of a paragraph: it keeps its width at the start of the line",
    "nobr": "a run that never breaks: ——, ……, a photo credit, a paragraph's last two characters",
    "dash": "a 破折号 ——, set as one rule two cells long",
    "ellipsis": "a 省略号 ……",
}


@dataclass(frozen=True)
class Scheme:
    """A punctuation scheme: which marks keep their full width, and whether marks are compressed."""

    name: str
    label: str
    #: Marks set full width where no other mark touches them; the others are set half-width.
    full: frozenset[str]
    #: Whether touching marks are compressed and line ends trimmed; 台港式 compresses nothing.
    compress: bool
    description: str


SCHEMES: dict[str, Scheme] = {
    scheme.name: scheme
    for scheme in (
        Scheme(
            "kaiming",
            "开明式",
            STOPS,
            True,
            "。！？ full width, every other mark half-width: the mainland newspaper default",
        ),
        Scheme("quanjiao", "全角式", MARKS, True, "every mark full width, touching marks compressed"),
        Scheme("banjiao", "半角式", frozenset(), True, "every mark half-width"),
        Scheme("taigang", "台港式", MARKS, False, "every mark full width and centred, nothing compressed"),
    )
}
#: The scheme of an issue whose theme says ``punctuation = "auto"``, by the issue's script.
AUTO_SCHEME = {"Hans": "kaiming", "Hant": "taigang"}


def scheme(name: str, script: str = "Hans") -> Scheme:
    """The scheme a theme names (``kaiming`` or ``开明式``…); ``auto`` picks it from the issue's script."""
    if name == "auto":
        return SCHEMES[AUTO_SCHEME.get(script, "kaiming")]
    for found in SCHEMES.values():
        if name in (found.name, found.label):
            return found
    choices = ", ".join(f"{s.name} ({s.label})" for s in SCHEMES.values())
    raise ThemeError(f"unknown punctuation scheme {name!r}: use auto, {choices}")


@dataclass(frozen=True)
class Composition:
    """What composing one run of text decided: classes of single marks and the runs never broken."""

    text: str
    #: Classes of the span around the character at each index that gets one.
    marks: dict[int, tuple[str, ...]]
    #: Runs ``[start, end)`` that never break, sorted and apart.
    unbreakable: tuple[tuple[int, int], ...]
    #: Runs ``[start, end)`` of long marks, with their class (``dash``, ``ellipsis``).
    long_marks: tuple[tuple[int, int, str], ...]


_CREDIT = re.compile(r"[（(](?:本报|本刊)?(?:特约)?(?:记者|通讯员|实习生|摄影|摄影记者)[^（）()\n]{1,16}?摄[）)]")


def _latin_runs(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in LATIN_RUN.finditer(text)]


def _inside(index: int, runs: Iterable[tuple[int, int]]) -> bool:
    return any(start <= index < end for start, end in runs)


def _is_mark(text: str, index: int, latin: list[tuple[int, int]]) -> bool:
    return 0 <= index < len(text) and text[index] in MARKS and not _inside(index, latin)


def compose(text: str, chosen: Scheme, *, paragraph: bool = True) -> Composition:
    """Compose one run of text (a paragraph, a headline, a caption) in a punctuation scheme.

    ``paragraph`` says the run is a whole paragraph: its last line is kept from holding one
    character, and its first character is marked ``initial``.
    """
    latin = _latin_runs(text)
    marks: dict[int, tuple[str, ...]] = {}
    for i, ch in enumerate(text):
        if not _is_mark(text, i, latin):
            continue
        side = "po" if ch in OPENING else "pc"
        classes = [side]
        # The blank half that faces another mark goes: a closing mark's after it, an opening mark's before it.
        touching = _is_mark(text, i + 1, latin) if side == "pc" else _is_mark(text, i - 1, latin)
        if chosen.compress and touching:
            classes += ["half", "adj"]
            if ch in NARROW:
                classes.append("narrow")
        elif chosen.compress and ch not in chosen.full:
            classes.append("half")
        elif not chosen.compress:
            classes.append("full")
        if i == 0 and paragraph:
            classes.append("initial")
        marks[i] = tuple(classes)
    long_marks = [(m.start(), m.end(), LONG_MARKS[m.group(0)[0]]) for m in re.finditer(r"—{2,}|…{2,}", text)]
    runs = [(max(start - 1, 0), end) for start, end, _ in long_marks]
    runs += [m.span() for m in _CREDIT.finditer(text)]
    if paragraph:
        runs += _last_line(text, latin)
    return Composition(text, marks, _merge(runs, latin), tuple(long_marks))


def _last_line(text: str, latin: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The paragraph's last two characters (a Latin word counts as one) with the marks among and after them."""
    end = len(text.rstrip())
    i = end
    units = 0
    while i > 0 and units < 2:
        ch = text[i - 1]
        if ch in MARKS or ch in LONG_MARKS:
            i -= 1
            continue
        run = next(((s, e) for s, e in latin if s < i <= e), None)
        if run is None and not is_wide_text(ch):
            break  # a space, or a sign that is not a character of a word
        i = run[0] if run else i - 1
        units += 1
    return [(i, end)] if units == 2 and end - i <= 12 else []


def _merge(runs: list[tuple[int, int]], latin: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Runs widened to whole Latin words, joined where they overlap."""
    widened = []
    for start, end in runs:
        for s, e in latin:
            if s < start < e:
                start = s
            if s < end < e:
                end = e
        widened.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(widened):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)
