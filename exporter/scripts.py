"""Converts a parsed issue into another Chinese script (简繁) with OpenCC, so that one issue gives its editions in it.

``--script hans|hant|hk|tw`` (the project file's ``script``) asks for simplified Chinese, traditional
Chinese, Hong Kong's or Taiwan's; :func:`convert` returns the issue in it, with the findings of the
conversion among its diagnostics. What is converted how:

- the text (headlines, paragraphs, captions, tables, lists, the masthead's title, edition and
  publisher, the slogan and other front matter text) with OpenCC's phrase-level configuration, which
  changes words where the target writes another one (信息→資訊 and 软件→軟體 for Taiwan): from
  simplified ``s2t``, ``s2hkp`` (``s2hk`` where OpenCC has no Hong Kong phrases) and ``s2twp``; to
  simplified ``t2s``, ``hk2sp`` or ``tw2sp`` by where the issue is from; between the traditional
  standards ``t2hk``, ``t2tw``, ``hk2t``+``t2tw`` and ``tw2t``+``t2hk``, which change characters only
  (OpenCC has no table from Hong Kong's words to Taiwan's);
- people's words and names by character only (``s2t``, ``s2hk``, ``s2tw``, ``t2s``, ``hk2s``,
  ``tw2s``), no word changed: quoted speech (inside 「」『』“”‘’, and block quotations), the names of
  bylines, photo credits and the editor, fenced blocks with no language (a poem); a surname that is
  one character in both scripts (范, 于, 余, 沈, 朴, 谷), which OpenCC alone would write 範, 於…, is kept;
- nothing else: numbers and Latin text (OpenCC leaves them), inline code, code blocks with a
  language, links' targets, figures' paths, ids, pages (A01), the issue number and identifier, the
  dates; every line number stays.

A traditional edition (hant, hk, tw) sets quotation marks as Hong Kong and Taiwan print them: 「」,
and 『』 for a quotation inside one, whether the issue wrote “”, ‘’ or corner brackets (an apostrophe
inside a Latin word stays); a simplified one keeps the marks the issue has, both being right in
simplified text. The masthead's language becomes zh-CN, zh-Hant, zh-HK or zh-TW, so that
labels, fonts and the editions' language follow; its title and publisher are the front matter's
``title_hant`` (``title_hans``, ``title_hk``, ``title_tw``; ``publisher_…`` alike) when given, a Hong
Kong or Taiwan edition falling back to ``title_hant``, and are converted like the text when not.
Converting an issue to the script it is in changes nothing, and says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import MappingProxyType

from exporter.diagnostics import Diagnostic
from exporter.model import (
    Article,
    Block,
    Byline,
    CodeBlock,
    Credit,
    Dateline,
    EditorsNote,
    Figure,
    Inline,
    Issue,
    ItemList,
    ListItem,
    Masthead,
    Paragraph,
    Quote,
    Section,
    Span,
    Subhead,
    Table,
)
from exporter.parser.frontmatter import PER_SCRIPT_KEYS
from exporter.text.credits import written
from exporter.text.script import converter, source_script

#: The scripts an issue can be converted to, with what each is.
SCRIPTS: dict[str, str] = {
    "hans": "simplified Chinese (zh-CN)",
    "hant": "traditional Chinese (zh-Hant)",
    "hk": "Hong Kong's traditional Chinese (zh-HK)",
    "tw": "Taiwan's traditional Chinese (zh-TW)",
}
#: The language tag an edition in each script has.
LANGUAGES = {"hans": "zh-CN", "hant": "zh-Hant", "hk": "zh-HK", "tw": "zh-TW"}

#: Surnames that both scripts write with the same character, which OpenCC alone turns into another
#: (范→範, 于→於, 余→餘, 沈→瀋, 朴→樸, 谷→穀): kept at the head of a name converted from simplified.
SURNAMES = frozenset("范于余沈朴谷")

_OPEN = "「『“‘"
_ENDS = re.compile("[「『“‘」』”’]")


@dataclass(frozen=True)
class Conversion:
    """How text goes from one script to another: OpenCC's configurations for words and for characters only."""

    source: str
    target: str
    words: tuple[str, ...]
    chars: tuple[str, ...]

    @property
    def traditional(self) -> bool:
        """Whether the edition is in a traditional script (its quotes are corner brackets)."""
        return self.target != "hans"

    def text(self, value: str) -> str:
        """Text converted word by word, its quotations character by character."""
        return self._run(value, 0)[0]

    def plain(self, value: str) -> str:
        """Text converted character by character: no word changed, no quote mark."""
        return _opencc(self.chars, value)

    def verse(self, value: str) -> str:
        """Text converted character by character, its quote marks as the edition sets them (a poem)."""
        return self._run(value, 0, words=False)[0]

    def name(self, value: str) -> str:
        """A person's name converted character by character, a surname both scripts share kept."""
        converted = self.plain(value)
        if self.source == "hans" and converted[:1] != value[:1] and value[:1] in SURNAMES:
            converted = value[:1] + converted[1:]
        return converted

    def _run(self, value: str, depth: int, *, words: bool = True) -> tuple[str, int]:
        """``value`` converted from quote depth ``depth`` (0: outside quotes), and the depth at its end.

        Outside quotations the words are converted (unless not ``words``), inside them the characters
        only; a traditional edition sets each quote mark as the corner bracket of its depth (「『『』」).
        A URL written in the text (``https://…``, ``www.…``) is kept as it is.
        """
        out: list[str] = []
        for part, kept in _outside_urls(value):
            if kept:
                out.append(part)
                continue
            pieces, depth = _pieces(part, depth)
            for piece in pieces:
                if piece.corner is not None:
                    out.append(piece.corner if self.traditional else piece.text)
                elif piece.quoted or not words:
                    out.append(self.plain(piece.text))
                else:
                    out.append(_opencc(self.words, piece.text))
        return "".join(out), depth

    def spans(self, spans: Inline, *, quoted: bool = False) -> Inline:
        """A run of spans converted, the quote depth carried from span to span; inline code kept.

        ``quoted`` spans are someone's words (a block quotation): their characters only are converted.
        """
        out: list[Span] = []
        depth = 0
        for span in spans:
            if "code" in span.marks:
                out.append(span)
                continue
            text, depth = self._run(span.text, depth, words=not quoted)
            out.append(replace(span, text=text))
        return tuple(out)

    def words_changed(self, value: str) -> list[tuple[str, str]]:
        """The words the conversion changes beyond their characters (信息→資訊), outside quotations."""
        if self.words == self.chars:
            return []
        found: list[tuple[str, str]] = []
        for part, kept in _outside_urls(value):
            for piece in [] if kept else _pieces(part, 0)[0]:
                if not piece.quoted and piece.corner is None:
                    found += [pair for pair in _vocabulary(piece.text, self.words, self.chars) if pair not in found]
        # 打印机→印表機 is the word; 打印→列印, found on the way, is a part of it
        return [(a, b) for a, b in found if not any(a != c and a in c for c, _ in found)]


_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.|mailto:)[^\s「」『』“”‘’（）《》〈〉【】，。；！？、]+")


def _outside_urls(value: str) -> list[tuple[str, bool]]:
    """``value`` cut around the URLs written in it: each part, and whether it is a URL (kept as it is)."""
    out: list[tuple[str, bool]] = []
    start = 0
    for match in _URL.finditer(value):
        if match.start() > start:
            out.append((value[start : match.start()], False))
        out.append((match.group(0), True))
        start = match.end()
    if start < len(value) or not out:
        out.append((value[start:], False))
    return out


@dataclass(frozen=True)
class _Piece:
    """A piece of text between quote marks, or a quote mark with the corner bracket a traditional edition sets."""

    text: str
    quoted: bool
    corner: str | None = None


def _apostrophe(value: str, i: int) -> bool:
    """Whether the ‘ or ’ at ``i`` is an apostrophe inside a Latin word (don’t), not a quote mark."""
    return value[i] in "‘’" and 0 < i < len(value) - 1 and value[i - 1].isascii() and value[i + 1].isascii()


def _pieces(value: str, depth: int) -> tuple[list[_Piece], int]:
    """``value`` cut at its quote marks, each piece knowing whether it is inside a quotation; the depth at its end.

    A quotation's marks alternate 「」 and 『』 by depth in a traditional edition, whatever marks the
    issue used: “他说：‘好’” and 「他说：“好”」 are both 「他說：『好』」.
    """
    out: list[_Piece] = []
    start = 0
    for match in _ENDS.finditer(value):
        i = match.start()
        if _apostrophe(value, i):
            continue
        if i > start:
            out.append(_Piece(value[start:i], depth > 0))
        if value[i] in _OPEN:
            out.append(_Piece(value[i], False, "「" if depth % 2 == 0 else "『"))
            depth += 1
        else:
            depth = max(0, depth - 1)
            out.append(_Piece(value[i], False, "」" if depth % 2 == 0 else "』"))
        start = i + 1
    if start < len(value):
        out.append(_Piece(value[start:], depth > 0))
    return out, depth


def _opencc(configs: tuple[str, ...], value: str) -> str:
    for config in configs:
        value = converter(config).convert(value)
    return value


def _vocabulary(text: str, words: tuple[str, ...], chars: tuple[str, ...]) -> list[tuple[str, str]]:
    """The words of ``text`` that ``words`` converts otherwise than ``chars``, each as (source word, converted).

    Where the two conversions differ, the smallest run of the text around the difference that the
    word conversion alone changes beyond its characters is the word (件 of 软件: 软件→軟體).
    """
    import difflib

    by_words, by_chars = _opencc(words, text), _opencc(chars, text)
    if by_words == by_chars:
        return []
    matcher = difflib.SequenceMatcher(None, by_chars, by_words, autojunk=False)
    if len(by_chars) != len(text):  # no character-for-character map back to the source: show the converted runs
        return [(by_chars[a:b], by_words[c:d]) for op, a, b, c, d in matcher.get_opcodes() if op != "equal"]
    found: list[tuple[str, str]] = []
    for op, a, b, _, _ in matcher.get_opcodes():
        if op == "equal":
            continue
        a, b = _word_around(text, a, max(b, a + 1), words, chars)
        pair = (text[a:b], _opencc(words, text[a:b]))
        if pair not in found:
            found.append(pair)
    return found


def _word_around(text: str, a: int, b: int, words: tuple[str, ...], chars: tuple[str, ...]) -> tuple[int, int]:
    """The shortest run ``text[x:y]`` holding ``text[a:b]`` that the word conversion alone changes; else (a, b)."""
    b = min(b, len(text))
    for extra in range(0, 5):
        for left in range(extra + 1):
            x, y = a - left, b + extra - left
            if x < 0 or y > len(text):
                continue
            run = text[x:y]
            if _opencc(words, run) != _opencc(chars, run):
                return x, y
    return a, b


def _has_config(name: str) -> bool:
    import opencc

    return f"{name}.json" in opencc.CONFIGS


def conversion(source: str, target: str) -> Conversion | None:
    """The conversion from script ``source`` to ``target``; ``None`` when the issue is in it already.

    A traditional issue asked for ``hant`` is in it already: Hong Kong's and Taiwan's are traditional
    Chinese, and are left as they are written.
    """
    if source == target or (target == "hant" and source != "hans"):
        return None
    if source == "hans":
        hk = "s2hkp" if _has_config("s2hkp") else "s2hk"
        words = {"hant": ("s2t",), "hk": (hk,), "tw": ("s2twp",)}[target]
        chars = {"hant": ("s2t",), "hk": ("s2hk",), "tw": ("s2tw",)}[target]
        return Conversion(source, target, words, chars)
    if target == "hans":
        hk = "hk2sp" if _has_config("hk2sp") else "hk2s"
        words = {"hant": ("t2s",), "hk": (hk,), "tw": ("tw2sp",)}[source]
        chars = {"hant": ("t2s",), "hk": ("hk2s",), "tw": ("tw2s",)}[source]
        return Conversion(source, target, words, chars)
    variants = {
        ("hant", "hk"): ("t2hk",),
        ("hant", "tw"): ("t2tw",),
        ("hk", "tw"): ("hk2t", "t2tw"),
        ("tw", "hk"): ("tw2t", "t2hk"),
    }[(source, target)]
    return Conversion(source, target, variants, variants)


def convert(issue: Issue, script: str) -> Issue:
    """The issue in ``script`` (hans, hant, hk or tw), with the conversion's findings among its diagnostics.

    Raises ``ValueError`` for a script that is none of :data:`SCRIPTS` (the command line and the
    project file refuse it before).
    """
    if script not in SCRIPTS:
        raise ValueError(f"unknown script {script!r}: one of {', '.join(SCRIPTS)}")
    m = issue.masthead
    line = m.lines.get("language", 1)
    source = source_script(m.language)
    notes: list[Diagnostic] = []
    if source is None:
        notes.append(
            Diagnostic(
                line,
                "script-unchanged",
                "warning",
                f"the issue's language is {m.language}, not Chinese: it is not converted to {SCRIPTS[script]}",
            )
        )
        return _noted(issue, notes)
    notes += _mixed(issue, line)
    how = conversion(source, script)
    if how is None:
        notes.append(
            Diagnostic(
                line,
                "script-unchanged",
                "warning",
                f"the issue ({m.language}) is in {SCRIPTS[script]} already: nothing is converted",
            )
        )
        return _noted(issue, notes)
    sections = tuple(_section(s, how) for s in issue.sections)
    notes += _headline_words(issue, how)
    converted = replace(issue, masthead=_masthead(m, how), sections=sections)
    return _noted(converted, notes)


def _noted(issue: Issue, notes: list[Diagnostic]) -> Issue:
    return replace(issue, diagnostics=tuple(sorted((*issue.diagnostics, *notes), key=lambda d: d.line)))


def _mixed(issue: Issue, line: int) -> list[Diagnostic]:
    """A warning when the issue has both simplified and traditional characters: all of it is converted."""
    from exporter.parser.lint import script as profile

    counts = profile(issue.texts())
    if not (counts.traditional and counts.simplified):
        return []
    return [
        Diagnostic(
            line,
            "script-mixed",
            "warning",
            f"the issue mixes scripts ({counts.simplified} simplified and {counts.traditional} traditional "
            f"characters; `exporter check` lists them as mixed-script): all of it is converted, as the "
            f"language {issue.masthead.language} says it is written",
        )
    ]


def _headline_words(issue: Issue, how: Conversion) -> list[Diagnostic]:
    """One finding per headline whose words the conversion changed, not only its characters."""
    notes = []
    for _, article in issue.iter_articles():
        changed: list[tuple[str, str]] = []
        for value in (article.kicker, article.headline, article.subtitle):
            for pair in how.words_changed(value or ""):
                if pair not in changed:
                    changed.append(pair)
        if changed:
            shown = "、".join(f"{a}→{b}" for a, b in changed)
            notes.append(
                Diagnostic(
                    article.line,
                    "script-words",
                    "warning",
                    f"converting to {SCRIPTS[how.target]} changed words of the headline, not only their "
                    f"characters: {shown}; check them",
                )
            )
    return notes


def _masthead(m: Masthead, how: Conversion) -> Masthead:
    extra = dict(m.extra)

    def given(key: str) -> str | None:
        keys = [f"{key}_{how.target}"] + ([f"{key}_hant"] if how.target in ("hk", "tw") else [])
        value = next((extra[k] for k in keys if isinstance(extra.get(k), str) and extra[k].strip()), None)
        return str(value).strip() if value is not None else None

    def text(value: str | None) -> str | None:
        return how.text(value) if value else value

    converted_extra = {
        k: how.text(v) if isinstance(v, str) and k not in PER_SCRIPT_KEYS else v for k, v in extra.items()
    }
    return replace(
        m,
        title=given("title") or text(m.title),
        publisher=given("publisher") or text(m.publisher),
        edition=text(m.edition),
        editor=how.name(m.editor) if m.editor else m.editor,
        lunar_date=how.plain(m.lunar_date) if m.lunar_date else m.lunar_date,
        language=LANGUAGES[how.target],
        extra=MappingProxyType(converted_extra),
    )


def _section(section: Section, how: Conversion) -> Section:
    return replace(
        section,
        title=how.text(section.title) if section.title else section.title,
        articles=tuple(_article(a, how) for a in section.articles),
    )


def _article(article: Article, how: Conversion) -> Article:
    def text(value: str | None) -> str | None:
        return how.text(value) if value else value

    lines = tuple(how.text(line) for line in article.headline_lines)
    headline = " ".join(lines) if " ".join(article.headline_lines) == article.headline else how.text(article.headline)
    return replace(
        article,
        kicker=text(article.kicker),
        headline=headline,
        headline_lines=lines,
        subtitle=text(article.subtitle),
        bylines=tuple(_byline(b, how) for b in article.bylines),
        dateline=_dateline(article.dateline, how) if article.dateline else None,
        blocks=tuple(_block(b, how) for b in article.blocks),
    )


def _credits(credits: tuple[Credit, ...], how: Conversion) -> tuple[Credit, ...]:
    return tuple(Credit(how.text(c.role), tuple(how.name(n) for n in c.names)) for c in credits)


def _credit_text(raw: str, credits: tuple[Credit, ...], how: Conversion) -> str:
    """A byline or photo credit as written, converted: its names by character, the rest as text.

    The credit words and names are found in ``raw`` in their order, as the editions find them
    (:mod:`exporter.text.credits`); each is converted as the credit's own is, so that they are found again.
    """
    wanted: list[tuple[str, Callable[[str], str]]] = []
    for credit in credits:
        if credit.role:
            wanted.append((credit.role, how.text))
        wanted.extend((name, how.name) for name in credit.names)
    out: list[str] = []
    pos = 0
    for text, convert in wanted:
        match = written(text).search(raw, pos)
        if match is None:
            break
        out.append(how.text(raw[pos : match.start()]))
        found = match.group(0)
        out.append(convert(found) if found == text else _padded(found, convert(text)))
        pos = match.end()
    out.append(how.text(raw[pos:]))
    return "".join(out)


def _padded(found: str, converted: str) -> str:
    """``converted`` with the padding ``found`` has between its characters (赵 一 for 赵一 → 趙 一)."""
    chars = iter(converted)
    out = [ch if ch.isspace() or ch == "\u3000" else next(chars, "") for ch in found]
    return "".join(out) + "".join(chars)


def _byline(byline: Byline, how: Conversion) -> Byline:
    return replace(
        byline,
        raw=_credit_text(byline.raw, byline.credits, how),
        outlet=how.text(byline.outlet) if byline.outlet else byline.outlet,
        credits=_credits(byline.credits, how),
        place=how.text(byline.place) if byline.place else byline.place,
        report=how.text(byline.report) if byline.report else byline.report,
    )


def _dateline(dateline: Dateline, how: Conversion) -> Dateline:
    return replace(
        dateline,
        raw=_credit_text(dateline.raw, dateline.credits, how),
        source=how.text(dateline.source) if dateline.source else dateline.source,
        place=how.text(dateline.place) if dateline.place else dateline.place,
        kind=how.text(dateline.kind) if dateline.kind else dateline.kind,
        credits=_credits(dateline.credits, how),
    )


def _block(block: Block, how: Conversion) -> Block:
    if isinstance(block, Paragraph | Subhead):
        return replace(block, spans=how.spans(block.spans))
    if isinstance(block, EditorsNote):
        return replace(block, label=how.text(block.label), spans=how.spans(block.spans))
    if isinstance(block, Quote):
        return replace(block, paragraphs=tuple(how.spans(p, quoted=True) for p in block.paragraphs))
    if isinstance(block, Figure):
        return replace(
            block,
            caption=how.spans(block.caption),
            title=how.text(block.title) if block.title else block.title,
            credit=_credit_text(block.credit, block.credits, how) if block.credit else block.credit,
            credits=_credits(block.credits, how),
        )
    if isinstance(block, ItemList):
        return _list(block, how)
    if isinstance(block, Table):
        return replace(
            block,
            head=tuple(how.spans(cell) for cell in block.head),
            rows=tuple(tuple(how.spans(cell) for cell in row) for row in block.rows),
        )
    if isinstance(block, CodeBlock):
        return block if block.info.strip() else replace(block, text=how.verse(block.text))
    return block


def _list(block: ItemList, how: Conversion) -> ItemList:
    def item(it: ListItem) -> ListItem:
        return replace(
            it,
            paragraphs=tuple(how.spans(p) for p in it.paragraphs),
            lists=tuple(_list(sub, how) for sub in it.lists),
        )

    return replace(block, items=tuple(item(it) for it in block.items))
