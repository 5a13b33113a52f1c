"""Plans the cover: what it says, and its headlines in blocks packed in tiers at the largest scale that fits."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from exporter.editions.epub.cover.setting import Line, _Faces, _Setter, _Style
from exporter.model import Article, Issue, Masthead
from exporter.text.dates import long_date
from exporter.theming import Theme

#: How many articles the cover lists, at most and (when the issue has them) at least.
MOST_HEADLINES, FEWEST_HEADLINES = 6, 4
_SCALES = (1.15, 1.05, 1.0, 0.92, 0.85)
_VERTICAL_SCALES = (1.4, 1.3, 1.2, *_SCALES)
_SMALL_SCALES = (0.78, 0.7, 0.62, 0.55)
#: The space between two tiers of vertical headlines.
TIER_GAP = 90.0


@dataclass(frozen=True)
class _Text:
    """Lines (or columns) in one style: their pitch, the space before them, and (in columns) their drop."""

    lines: tuple[Line, ...]
    style: _Style
    pitch: float
    before: float = 0.0
    drop: float = 0.0
    breaks: int = 0

    @property
    def extent(self) -> float:
        return self.before + len(self.lines) * self.pitch


Block = tuple[_Text, ...]


@dataclass(frozen=True)
class _Plan:
    """The headlines the cover shows: their blocks in tiers, the least gap between blocks, the scale."""

    tiers: tuple[tuple[Block, ...], ...]
    gap: float
    scale: float

    @property
    def count(self) -> int:
        return sum(len(tier) for tier in self.tiers)

    @property
    def breaks(self) -> int:
        """How many times a headline had to be broken where its text does not break it."""
        return sum(text.breaks for tier in self.tiers for block in tier for text in block)


@dataclass(frozen=True)
class _Content:
    """What the cover says: the paper's name, date and number lines, publisher and the articles it lists."""

    title: str
    dates: list[str]
    numbers: list[str]
    publisher: str
    articles: Sequence[Article]

    @classmethod
    def of(cls, issue: Issue, theme: Theme) -> _Content:
        m = issue.masthead
        lunar = None
        if m.lunar_date and theme.options.get("lunar_date", True):
            lunar = theme.label(m.language, "lunar").format(date=m.lunar_date)
        number = theme.label(m.language, "issue_number").format(number=m.number) if m.number else None
        return cls(
            title="".join((m.title or "").split()),
            dates=[t for t in (_date(m), lunar) if t],
            numbers=[t for t in (number, m.edition) if t],
            publisher=(m.publisher or "").strip(),
            articles=issue.articles[:MOST_HEADLINES],
        )


class _Headlines:
    """The articles' blocks at each scale and length, and the plans that choose among them."""

    def __init__(self, faces: _Faces, colours: dict[str, tuple[int, int, int]], articles: Sequence[Article]) -> None:
        self.faces = faces
        self.colours = colours
        self.articles = articles
        self._blocks: dict[tuple[str, bool, float, float, bool], Block] = {}

    def block(self, article: Article, lead: bool, scale: float, length: float, vertical: bool) -> Block:
        """An article's kicker, headline and subtitle, set in lines (or columns) of ``length``."""
        key = (article.id, lead, scale, length, vertical)
        if key not in self._blocks:
            self._blocks[key] = _block(self.faces, self.colours, article, lead, scale, length, vertical)
        return self._blocks[key]

    def plan(self, length: float, room: float, tiers: int, vertical: bool, unbroken: bool = False) -> _Plan | None:
        """The most articles (four to six) at the largest scale that fits, else fewer and smaller.

        With ``unbroken``, only a plan where every headline keeps to its own lines (or columns).
        """
        total = len(self.articles)
        if not total:
            return None
        fewest = min(FEWEST_HEADLINES, total)
        scales = _VERTICAL_SCALES if vertical else _SCALES
        tries = [(n, s) for n in range(total, fewest - 1, -1) for s in scales]
        if not unbroken:
            tries += [(n, s) for n in range(fewest, 0, -1) for s in _SMALL_SCALES]
        for count, scale in tries:
            chosen = self.articles[:count]
            leads = [a.level == 1 for a in chosen]
            if not any(leads):
                leads[0] = True
            blocks = [self.block(a, lead, scale, length, vertical) for a, lead in zip(chosen, leads, strict=True)]
            gap = 64 * scale
            packed = _pack([sum(t.extent for t in b) for b in blocks], gap, room, tiers)
            if packed is not None:
                plan = _Plan(tuple(tuple(blocks[i] for i in tier) for tier in packed), gap, scale)
                if not (unbroken and plan.breaks):
                    return plan
        return None

    def vertical_plan(self, height: float, room: float) -> tuple[_Plan, float] | None:
        """Columns in one tier or two of ``height`` between them: whichever holds the most headlines,
        then breaks none of them into columns their text does not ask for, then has the largest type;
        with the length of a tier's columns.
        """
        plans: list[tuple[_Plan, float]] = []
        for tiers, unbroken in itertools.product((1, 2), (False, True)):
            length = (height - TIER_GAP * (tiers - 1)) / tiers
            plan = self.plan(length, room, tiers, vertical=True, unbroken=unbroken)
            if plan is not None:
                plans.append((plan, length))
        if not plans:
            return None
        return max(plans, key=lambda p: (p[0].count, not p[0].breaks, p[0].scale, -len(p[0].tiers)))


def _block(
    faces: _Faces,
    colours: dict[str, tuple[int, int, int]],
    article: Article,
    lead: bool,
    scale: float,
    length: float,
    vertical: bool,
) -> Block:
    """An article's kicker, headline and subtitle at ``scale``, set in lines (or columns) of ``length``."""
    small = max(30.0, 40 * scale)
    big = (112 if lead else 84) * scale
    kicker = _Style("body", 400, small, colours["accent" if lead else "muted"])
    headline = _Style("headline", 700, big, colours["ink"])
    subtitle = _Style("body", 400, small, colours["muted"])
    texts: list[_Text] = []
    if article.kicker:
        lines = _Setter(faces, kicker, vertical).lines(article.kicker, length - 2 * big, 2)
        texts.append(_Text(lines, kicker, small * 1.5, drop=big))
    parts = [p for p in article.headline_lines or (article.headline,) if p.strip()]
    lines = _Setter(faces, headline, vertical).lines("\n".join(parts), length, 4)
    breaks = max(0, len(lines) - len(parts))
    texts.append(_Text(lines, headline, big * 1.24, before=small * 0.3 if texts else 0.0, breaks=breaks))
    if article.subtitle:
        lines = _Setter(faces, subtitle, vertical).lines("——" + article.subtitle, length - 2 * big, 2)
        texts.append(_Text(lines, subtitle, small * 1.5, before=small * 0.4, drop=big * 1.5))
    return tuple(texts)


def _date(masthead: Masthead) -> str | None:
    if masthead.date is None:
        return None
    text = long_date(masthead.date, "zh")  # the cover is set in Chinese whatever the issue's language
    return f"{text} {masthead.weekday}" if masthead.weekday else text


def _pack(extents: Sequence[float], gap: float, room: float, tiers: int) -> list[list[int]] | None:
    """The blocks split, in order, into one or two tiers that each fit ``room``, filled as evenly as can be."""

    def filled(indices: Sequence[int]) -> float:
        return sum(extents[i] for i in indices) + gap * (len(indices) - 1)

    everything = list(range(len(extents)))
    if tiers == 1 or len(extents) < 2:
        return [everything] if filled(everything) <= room else None
    splits = [[everything[:k], everything[k:]] for k in range(1, len(extents))]
    good = [s for s in splits if all(filled(t) <= room for t in s)]
    if not good:
        return None
    return min(good, key=lambda s: (max(filled(t) for t in s), -len(s[0])))
