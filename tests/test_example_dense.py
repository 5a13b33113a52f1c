"""The dense example (examples/dongling-daily.md) is what a page make-up is tried on: a full day of eight 版.

The issue is written to be more than its pages hold: on most 版 a long lead story with subheads and
two to five shorter ones, on one 版 a light page, so that a make-up must jump stories, fill pages and
keep figures, a table, a list and an editor's note with their text. These tests hold the example to
that, so that a later edit of its text cannot quietly make it an easy issue. The figures below are
written out by hand from the file; the page capacity is the one the make-up names: an A4
page of three columns at 9.5pt holds roughly 2,400 to 2,800 characters of running text.
"""

from __future__ import annotations

import datetime as dt

from exporter import Article, EditorsNote, Figure, Issue, ItemList, Paragraph, Subhead, Table

#: What one A4 page of three columns holds, at the most (the make-up).
PAGE = 2800


def body(article: Article) -> int:
    """The characters of an article's body text, white space left out (headline, byline and dateline too)."""
    return sum(len("".join(block.text.split())) for block in article.blocks)


def test_front_matter_with_a_cn_serial_number(dense: Issue) -> None:
    m = dense.masthead
    assert (m.title, m.date, m.number, m.edition, m.publisher, m.language) == (
        "东岭日报",
        dt.date(2026, 6, 17),
        "15236",
        "今日8版",
        "东岭日报社",
        "zh-CN",
    )
    assert (m.identifier, m.editor, m.inferred) == ("CN 12-3456", "宋 岚", ())
    assert (m.weekday, m.lunar_date) == ("星期三", "丙午年五月初三")  # 端午, 五月初五, is on the 19th
    assert dense.diagnostics == ()  # a clean issue: nothing joined, truncated, flagged or inferred


def test_eight_pages_each_a_section_with_a_lead_story_first(dense: Issue) -> None:
    assert [(s.page, s.title, len(s.articles)) for s in dense.sections] == [
        ("A01", "要闻", 6),
        ("A02", "要闻", 6),
        ("A03", "经济", 5),
        ("A04", "城市", 5),
        ("A05", "民生", 6),
        ("A06", "文化", 3),
        ("A07", "体育", 2),
        ("A08", "副刊", 3),
    ]
    assert len(dense.articles) == 36
    assert [(s.articles[0].level, s.articles[0].headline) for s in dense.sections] == [
        (1, "东岭港二期深水泊位全面投用"),
        (1, "三年改造老旧小区380个"),
        (1, "前5个月全市外贸进出口增长9.4%"),
        (1, "澄江两岸滨水步道全线贯通"),
        (1, "出行高峰预计出现在19日上午"),
        (1, "港口历史陈列馆在老仓库里开馆"),
        (1, "澄江龙舟赛19日开桨"),
        (1, "外婆的粽叶"),
    ]
    assert all(a.level == 2 for s in dense.sections for a in s.articles[1:])  # one lead per 版


def test_most_pages_hold_more_than_a_page_and_one_is_light(dense: Issue) -> None:
    sizes = {s.page: sum(body(a) for a in s.articles) for s in dense.sections}
    assert {page for page, size in sizes.items() if size > PAGE} == {"A01", "A02", "A03", "A04", "A05"}
    assert {page for page, size in sizes.items() if size < PAGE / 2} == {"A07"}  # 体育: about 40 % of a page
    assert 22_000 <= sum(sizes.values()) <= 30_000


def test_leads_are_long_the_other_stories_short_and_the_briefs_very_short(dense: Issue) -> None:
    for section in dense.sections:
        lead, *others = section.articles
        if section.page != "A07":  # the light page's lead is a short one
            assert 1200 <= body(lead) <= 2500, (section.page, body(lead))
        assert all(80 <= body(a) <= 900 for a in others), [(a.headline, body(a)) for a in others]
    briefs = [a.headline for a in dense.articles if body(a) <= 150]
    assert briefs == [
        "凤鸣山隧道主体结构贯通",
        "今明两天我市有雷阵雨",
        "全市开展夏季安全生产大检查",
        "望海路夜间施工将持续至7月底",
        "端午节前粽子抽检全部合格",
        "全民健身“夏季运动月”启动",
    ]


def test_the_longest_stories_have_kickers_subtitles_subheads_bylines_and_datelines(dense: Issue) -> None:
    leads = [s.articles[0] for s in dense.sections]
    assert [lead.kicker for lead in leads] == [
        "建设海洋强市 打造开放门户",
        "让老城焕发新活力",
        "稳订单 拓市场 优结构",
        "还江于民 还岸于民",
        "端午假期将至",
        "老码头 新故事",
        None,
        None,
    ]
    assert [lead.subtitle is not None for lead in leads] == [True] * 7 + [False]
    assert [sum(isinstance(b, Subhead) for b in lead.blocks) for lead in leads] == [3, 3, 4, 3, 5, 2, 0, 0]
    news = [a for s in dense.sections if s.title != "副刊" for a in s.articles]
    assert all(a.dateline is not None and a.dateline.source == "本报" for a in news)
    assert all(a.bylines for a in news if body(a) > 150)  # every story but the briefs is signed
    assert [a.bylines[0].credits[0].role for a in dense.sections[-1].articles] == ["文", "文", "文"]


def test_three_figures_an_editors_note_a_table_and_a_list_each_in_its_story(dense: Issue) -> None:
    def having(kind: type) -> list[str]:
        return [a.headline for a in dense.articles for b in a.blocks if isinstance(b, kind)]

    assert having(Figure) == ["东岭港二期深水泊位全面投用", "前5个月全市外贸进出口增长9.4%", "澄江两岸滨水步道全线贯通"]
    figures = [b for a in dense.articles for b in a.blocks if isinstance(b, Figure)]
    assert [(f.src, f.credit) for f in figures] == [
        ("images/harbour.png", "记者 周蔚 摄"),
        ("images/harbour.png", "记者 高原 摄"),
        ("images/harbour.png", "记者 叶青 摄"),
    ]
    assert having(EditorsNote) == ["渔山岛上的“流动药箱”"]
    assert having(Table) == ["前5个月全市外贸进出口增长9.4%"]
    assert having(ItemList) == ["出行高峰预计出现在19日上午"]
    (table,) = [b for a in dense.articles for b in a.blocks if isinstance(b, Table)]
    assert (len(table.head), len(table.rows)) == (4, 6)
    # A figure stands among its story's paragraphs, never last: the make-up keeps it near its text.
    for article in dense.articles:
        for i, block in enumerate(article.blocks):
            if isinstance(block, Figure):
                assert isinstance(article.blocks[i + 1], (Paragraph, Subhead)), article.headline
