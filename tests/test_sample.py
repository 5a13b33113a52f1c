"""What the newspaper's own sample must give (issue text in ../shared/samples)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from exporter import Issue, Paragraph, Subhead

HEADLINES = [
    "曾赞荣任刚会见宋迎东殷敬伟一行",
    "全市党建引领开放楼院精细化治理工作推进会召开",
    "全国首个人力资源出海综合服务港在青成立",
    "兜住兜准民生底线 青岛累计安排社会帮扶领域资金15亿元",
    "锚定新目标，笃行实干开新局",
    "填补骨科智能手术装备领域空白 长木谷医用人工智能与手术机器人项目落户青岛",
]


def test_six_articles_with_their_headlines(sample: Issue) -> None:
    assert [a.headline for a in sample.articles] == HEADLINES
    assert len(sample.sections) == 1
    assert sample.sections[0].title is None


def test_two_line_headlines(sample: Issue) -> None:
    lines = [a.headline_lines for a in sample.articles]
    assert lines[3] == ("兜住兜准民生底线", "青岛累计安排社会帮扶领域资金15亿元")
    assert lines[5] == ("填补骨科智能手术装备领域空白", "长木谷医用人工智能与手术机器人项目落户青岛")
    assert all(len(x) == 1 for i, x in enumerate(lines) if i not in (3, 5))


def test_kicker_subtitle_subheads_and_reporters(sample: Issue) -> None:
    a = sample.articles[4]
    assert a.kicker == "学习贯彻市委经济工作会议精神"
    assert a.level == 1
    assert a.subtitle == "青岛各区市及功能区党员干部认真学习贯彻市委经济工作会议精神"
    assert [b.text for b in a.blocks if isinstance(b, Subhead)] == [
        "在科技创新上取得新突破",
        "在扩大内需上精准发力",
        "在创新型产业体系建设上加力提效",
        "在推动城乡融合和区域协调发展上奋力攻坚",
        "在深化改革扩大开放上续写新篇",
    ]
    names = [n for b in a.bylines for c in b.credits for n in c.names]
    assert len(names) == 10
    assert names[0] == "李德银"
    assert names[-1] == "黄光丽"
    assert "曹森" in names and "衣涛" in names
    assert a.dateline is None
    assert all(x.kicker is None for i, x in enumerate(sample.articles) if i != 4)


def test_last_article_credits(sample: Issue) -> None:
    (byline,) = sample.articles[5].bylines
    assert byline.outlet == "青岛日报/观海新闻"
    assert [(c.role, c.names) for c in byline.credits] == [("记者", ("王萌",)), ("通讯员", ("李青健",))]


def test_datelines_kept_apart(sample: Issue) -> None:
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


def test_paragraph_counts(sample: Issue) -> None:
    assert [len(a.paragraphs) for a in sample.articles] == [3, 2, 2, 7, 19, 3]


def test_second_article_is_truncated(sample: Issue) -> None:
    assert [a.truncated for a in sample.articles] == [False, True, False, False, False, False]
    (note,) = [d for d in sample.diagnostics if d.code == "article-truncated"]
    assert note.line == 17
    assert sample.articles[1].paragraphs[-1].text.endswith("加强基层组织建")


def test_four_paragraph_joins(sample: Issue) -> None:
    joins = [d for d in sample.diagnostics if d.code == "paragraph-joined"]
    assert [d.line for d in joins] == [22, 65, 77, 91]
    seams = ["融合发|展", "环境向|国际化", "产业|体系", "关键|之年"]
    for d, seam in zip(joins, seams, strict=True):
        assert seam in d.message
    joined = [p for a in sample.articles for p in a.paragraphs if p.joined]
    assert [(p.line, p.joined) for p in joined] == [(22, (24,)), (65, (67,)), (77, (79,)), (91, (93,))]
    for p, seam in zip(
        joined,
        ["协同创新、融合发|展。会上", "消费环境向|国际化、多元化", "现代化产业|体系；统筹", "落地的关键|之年，院上镇"],
        strict=True,
    ):
        assert seam.replace("|", "") in p.text


def test_lint_findings(sample: Issue) -> None:
    counts = Counter(d.code for d in sample.diagnostics)
    assert counts["latin-in-cjk"] == 1
    assert counts["mixed-script"] == 1
    (latin,) = [d for d in sample.diagnostics if d.code == "latin-in-cjk"]
    (mixed,) = [d for d in sample.diagnostics if d.code == "mixed-script"]
    assert latin.line == 51 and "`and`" in latin.message
    assert mixed.line == 89 and "級" in mixed.message
    assert not [d for d in sample.diagnostics if d.severity == "error"]


def test_masthead_inferred(sample: Issue) -> None:
    m = sample.masthead
    assert m.title == "青岛日报"
    assert m.date == dt.date(2025, 12, 29)
    assert m.weekday == "星期一"
    assert m.lunar_date == "乙巳年十一月初十"
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


def test_blocks_keep_source_lines(sample: Issue) -> None:
    lines = [b.line for a in sample.articles for b in a.blocks]
    assert lines == sorted(lines)
    first = sample.articles[0]
    assert first.line == 3
    assert isinstance(first.blocks[0], Paragraph) and first.blocks[0].line == 6
