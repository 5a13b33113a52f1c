"""What the newspaper's own sample must give (issue text in ../shared/samples)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import opencc
import pytest

from exporter import Issue, Paragraph, Subhead

# The format doc: a paragraph is cut when it ends without closing punctuation; one that ends with ： or :
# introduces what follows and is not cut.
CLOSING = "。！？…”’」』）》.!?)\"'：:"


@dataclass
class Outline:
    """The sample read line by line with the format's rules alone, for the expected values of the tests below.

    In the sample a heading is one line, a byline one line that opens with □, and a paragraph one line.
    """

    lines: list[str]
    headings: list[tuple[int, int, str]] = field(default_factory=list)  # (line, level, text) of every heading
    articles: list[int] = field(default_factory=list)  # the line of each article's headline
    paragraphs: list[list[int]] = field(default_factory=list)  # per article, each paragraph's first line
    joins: list[tuple[int, int]] = field(default_factory=list)  # (line of a cut paragraph, line joined to it)
    truncated: list[bool] = field(default_factory=list)  # per article: its last paragraph is cut


def outline(source: str) -> Outline:
    out = Outline(source.splitlines())
    cut = False  # the paragraph before is cut and nothing but blank lines came since
    for number, line in enumerate(out.lines, start=1):
        if not line.strip():
            continue
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            out.headings.append((number, level, line.lstrip("#").strip()))
            if level <= 2:
                # A headline right after a headline: the first was its kicker, and this is the article's line.
                if out.articles and not out.paragraphs[-1] and out.headings[-2][0] == out.articles[-1]:
                    out.articles[-1] = number
                else:
                    out.articles.append(number)
                    out.paragraphs.append([])
            cut = False
            continue
        if line.startswith("□"):
            continue
        if cut:
            out.joins.append((out.paragraphs[-1][-1], number))
        else:
            out.paragraphs[-1].append(number)
        cut = line.rstrip()[-1] not in CLOSING
        if len(out.truncated) < len(out.articles):
            out.truncated.append(False)
        out.truncated[len(out.articles) - 1] = cut
    return out


@pytest.fixture(scope="module")
def source(sample_path: Path) -> Outline:
    return outline(sample_path.read_text(encoding="utf-8"))


def test_six_articles_with_their_headlines(sample: Issue, source: Outline) -> None:
    # A headline line is `#` or `##`, its text up to —— (a subtitle follows); a kicker is a headline line
    # followed by another.
    headings = dict((line, text) for line, _, text in source.headings)
    assert [a.headline for a in sample.articles] == [headings[line].split("——")[0] for line in source.articles]
    assert [a.line for a in sample.articles] == source.articles
    assert len(sample.articles) == 6  # the sample's six headline lines (one of them under a kicker)
    assert len(sample.sections) == 1
    assert sample.sections[0].title is None


def test_two_line_headlines(sample: Issue, source: Outline) -> None:
    lines = [a.headline_lines for a in sample.articles]
    # The fourth and sixth headlines are two lines in print: a space between two Chinese phrases.
    assert lines[3] == ("兜住兜准民生底线", "青岛累计安排社会帮扶领域资金15亿元")
    assert lines[5] == ("填补骨科智能手术装备领域空白", "长木谷医用人工智能与手术机器人项目落户青岛")
    headings = dict((line, text) for line, _, text in source.headings)
    spaced = [" " in headings[line].split("——")[0] for line in source.articles]
    assert [len(x) == 2 for x in lines] == spaced == [False, False, False, True, False, True]


def test_kicker_subtitle_subheads_and_reporters(sample: Issue, source: Outline) -> None:
    # The fifth article is the one whose headline (line 47, `#`) follows a kicker line (45, `##`).
    assert [level for line, level, _ in source.headings if line in source.articles] == [2, 2, 2, 2, 1, 2]
    a = sample.articles[4]
    assert a.kicker == "学习贯彻市委经济工作会议精神"
    assert a.level == 1
    assert a.subtitle == "青岛各区市及功能区党员干部认真学习贯彻市委经济工作会议精神"
    # Its five `###` lines (53, 61, 71, 85, 95) are subheads.
    assert [text for _, level, text in source.headings if level == 3] == [
        b.text for b in a.blocks if isinstance(b, Subhead)
    ]
    assert [b.text for b in a.blocks if isinstance(b, Subhead)] == [
        "在科技创新上取得新突破",
        "在扩大内需上精准发力",
        "在创新型产业体系建设上加力提效",
        "在推动城乡融合和区域协调发展上奋力攻坚",
        "在深化改革扩大开放上续写新篇",
    ]
    names = [n for b in a.bylines for c in b.credits for n in c.names]
    assert len(names) == 10  # the fifth article's byline (line 49 of the sample) credits ten reporters
    assert names[0] == "李德银"
    assert names[-1] == "黄光丽"
    assert "曹森" in names and "衣涛" in names
    assert a.dateline is None
    assert all(x.kicker is None for i, x in enumerate(sample.articles) if i != 4)


def test_last_article_credits(sample: Issue) -> None:
    (byline,) = sample.articles[5].bylines
    assert byline.outlet == "青岛日报/观海新闻"
    assert [(c.role, c.names) for c in byline.credits] == [("记者", ("王萌",)), ("通讯员", ("李青健",))]


def test_datelines_kept_apart(sample: Issue, source: Outline) -> None:
    # Every article's first paragraph opens with 本报12月29日讯 but the fifth's (line 51).
    opened = [source.lines[p[0] - 1].startswith("本报12月29日讯") for p in source.paragraphs]
    assert opened == [a.dateline is not None for a in sample.articles] == [True, True, True, True, False, True]
    for i, a in enumerate(sample.articles):
        if i == 4:
            continue
        assert a.dateline is not None
        assert (a.dateline.raw, a.dateline.source, a.dateline.month, a.dateline.day) == (
            "本报12月29日讯",
            "本报",
            12,
            29,
        )
        first = a.paragraphs[0].text
        assert not first.startswith("本报"), first
        assert not first.startswith(" ")


def test_paragraph_counts(sample: Issue, source: Outline) -> None:
    # Each paragraph line of the sample, less those joined to the cut paragraph before them.
    assert [[p.line for p in a.paragraphs] for a in sample.articles] == source.paragraphs
    assert [len(a.paragraphs) for a in sample.articles] == [3, 2, 2, 7, 19, 3]


def test_second_article_is_truncated(sample: Issue, source: Outline) -> None:
    # Only the second article's last paragraph (line 17) ends without closing punctuation.
    assert [a.truncated for a in sample.articles] == source.truncated == [False, True, False, False, False, False]
    (note,) = [d for d in sample.diagnostics if d.code == "article-truncated"]
    assert note.line == source.paragraphs[1][-1] == 17
    assert sample.articles[1].paragraphs[-1].text == source.lines[note.line - 1].strip()


def test_four_paragraph_joins(sample: Issue, source: Outline) -> None:
    # Four paragraphs end without closing punctuation and a plain paragraph follows each: lines 22, 65, 77, 91.
    assert len(source.joins) == 4
    joins = [d for d in sample.diagnostics if d.code == "paragraph-joined"]
    assert [d.line for d in joins] == [cut for cut, _ in source.joins]
    for d, (cut, rest) in zip(joins, source.joins, strict=True):
        seam = f"{source.lines[cut - 1].strip()[-8:]}|{source.lines[rest - 1].strip()[:8]}"
        assert d.message == (
            f"a paragraph cut by a column or page break was joined to line {rest} (…{seam}…): if they are two "
            f"paragraphs, end line {cut} with closing punctuation"
        )
    joined = [p for a in sample.articles for p in a.paragraphs if p.joined]
    assert [(p.line, p.joined) for p in joined] == [(cut, (rest,)) for cut, rest in source.joins]
    for p, (cut, rest) in zip(joined, source.joins, strict=True):
        # The dateline that opens an article's first line (本报12月29日讯) is kept apart from its text.
        first = re.sub(r"^本报\d+月\d+日讯\s*", "", source.lines[cut - 1].strip())
        assert p.text == first + source.lines[rest - 1].strip()


def test_lint_findings(sample: Issue, source: Outline) -> None:
    counts = Counter(d.code for d in sample.diagnostics)
    assert counts["latin-in-cjk"] == 1
    assert counts["mixed-script"] == 1
    (latin,) = [d for d in sample.diagnostics if d.code == "latin-in-cjk"]
    (mixed,) = [d for d in sample.diagnostics if d.code == "mixed-script"]
    # Line 51 is the only line of the sample with a Latin word between Chinese characters (`and`).
    words = [
        (n, w)
        for n, line in enumerate(source.lines, 1)
        for w in re.findall(r"(?<=[一-鿿]) ?([a-z]+) ?(?=[一-鿿])", line)
    ]
    assert words == [(51, "and")]
    assert latin.line == 51 and "`and`" in latin.message
    # Line 89 is the only line with a traditional character among simplified ones (級, simplified 级).
    t2s = opencc.OpenCC("t2s")
    traditional = [(n, ch) for n, line in enumerate(source.lines, 1) for ch in line if t2s.convert(ch) != ch]
    assert traditional == [(89, "級")]
    assert mixed.line == 89 and "級→级" in mixed.message
    assert not [d for d in sample.diagnostics if d.severity == "error"]


def test_masthead_inferred(sample: Issue) -> None:
    m = sample.masthead
    assert m.title == "青岛日报"  # the outlet of all six bylines, 青岛日报/观海新闻, up to its slash
    # The datelines' day, 12月29日, in 2025: the text names 2025 and 2026, and in December a paper speaks of
    # the next year's plans.
    assert m.date == dt.date(2025, 12, 29)
    assert m.weekday == "星期" + "一二三四五六日"[m.date.weekday()]
    assert m.lunar_date == "乙巳年十一月初十"  # 2025-12-29 in the Chinese calendar: the 10th of the 11th month
    assert m.language == "zh-CN"
    assert set(m.inferred) == {"title", "date"}
    date_note = next(d for d in sample.diagnostics if d.code == "date-inferred")
    assert "date: 2025-12-29" in date_note.message
    assert any(d.code == "title-inferred" for d in sample.diagnostics)


def test_no_text_of_the_sample_is_lost(sample: Issue, sample_path) -> None:  # type: ignore[no-untyped-def]
    """Every non-space character of the sample, less Markdown syntax, is in the model in order."""
    source = sample_path.read_text(encoding="utf-8")
    source = re.sub(r"^#+ ", "", source, flags=re.M)
    source = source.replace("——", "")  # the headline/subtitle separator of the format
    expected = re.sub(r"\s+", "", source)
    parts: list[str] = []
    for a in sample.articles:
        parts += [a.kicker or "", a.headline, a.subtitle or ""]
        parts += [b.raw for b in a.bylines]
        parts += [a.dateline.raw] if a.dateline else []
        parts += [b.text for b in a.blocks]
    got = re.sub(r"\s+", "", "".join(parts))
    assert got == expected


def test_blocks_keep_source_lines(sample: Issue, source: Outline) -> None:
    lines = [b.line for a in sample.articles for b in a.blocks]
    assert lines == sorted(lines)
    first = sample.articles[0]
    assert first.line == source.articles[0] == 3  # two blank lines open the sample
    # Line 5 is the byline, line 6 the dateline and the first paragraph.
    assert isinstance(first.blocks[0], Paragraph) and first.blocks[0].line == source.paragraphs[0][0] == 6
