"""What the project's own exported page (examples/exported-page.md) must give: the sample's faults, repaired.

The example is written like a newspaper's export from a printed page, as the sample is: no front
matter, no page markers, blank lines at the top, trailing spaces, paragraphs cut by column breaks, a
truncated article, a stray Latin word and a traditional character. Each test here proves on the
project's own text what a test in test_sample.py proves on the newspaper's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from exporter import Issue, Paragraph, Subhead, parse, parse_bytes
from tests.conftest import EXPORTED

HEADLINES = [
    "泊湾市召开城市更新工作推进会",
    "老城区供暖管网改造进入收尾阶段",
    "守护一方碧水 泊湾河综合治理累计投入3.2亿元",
    "实干担当谋新篇",
    "冬季长跑赛鸣枪开跑 三千名跑者沿湾畔竞逐",
    "市图书馆寒假期间延长开放时间",
]


def test_six_articles_in_one_unnamed_section(exported: Issue) -> None:
    """test_sample: test_six_articles_with_their_headlines."""
    assert [a.headline for a in exported.articles] == HEADLINES
    assert [a.id for a in exported.articles] == [f"a{i:02d}" for i in range(1, 7)]
    assert len(exported.sections) == 1
    assert (exported.sections[0].title, exported.sections[0].page) == (None, None)


def test_two_line_headlines(exported: Issue) -> None:
    """test_sample: test_two_line_headlines; a space in a headline breaks it into lines."""
    lines = [a.headline_lines for a in exported.articles]
    assert lines[2] == ("守护一方碧水", "泊湾河综合治理累计投入3.2亿元")
    assert lines[4] == ("冬季长跑赛鸣枪开跑", "三千名跑者沿湾畔竞逐")
    assert all(len(x) == 1 for i, x in enumerate(lines) if i not in (2, 4))


def test_kicker_subtitle_subheads_and_reporters(exported: Issue) -> None:
    """test_sample: test_kicker_subtitle_subheads_and_reporters."""
    lead = exported.articles[3]
    assert lead.level == 1
    assert lead.kicker == "奋力开创高质量发展新局面"
    assert lead.subtitle == "全市各部门干部群众热议新一年工作部署"
    assert [(b.level, b.text) for b in lead.blocks if isinstance(b, Subhead)] == [
        (3, "在产业升级上下功夫"),
        (3, "在民生保障上用真情"),
        (3, "在生态环境上出实招"),
        (3, "在改革创新上求突破"),
        (3, "在基层治理上见实效"),
    ]
    # Two-character names padded with a space pair up; three-character names stand alone.
    (byline,) = lead.bylines
    assert byline.outlet is None
    assert [(c.role, c.names) for c in byline.credits] == [
        ("本报记者", ("张立群", "贺川", "苗禾", "欧阳晓")),
        ("通讯员", ("王喆", "林溪")),
    ]
    assert lead.dateline is None
    assert all(a.kicker is None and a.subtitle is None and a.level == 2 for a in exported.articles if a is not lead)


def test_outlet_with_a_client_and_its_credits(exported: Issue) -> None:
    """test_sample: test_last_article_credits; `报名/客户端记者` names the outlet, then the credits."""
    (byline,) = exported.articles[2].bylines
    assert byline.outlet == "泊湾晚报/潮声客户端"
    assert [(c.role, c.names) for c in byline.credits] == [("记者", ("叶帆",)), ("通讯员", ("罗嘉禾",))]
    (trainee,) = exported.articles[4].bylines
    assert [(c.role, c.names) for c in trainee.credits] == [("记者", ("沈青",)), ("实习生", ("唐小溪",))]


def test_datelines_kept_apart(exported: Issue) -> None:
    """test_sample: test_datelines_kept_apart."""
    found = [
        (a.dateline.raw, a.dateline.source, a.dateline.month, a.dateline.day) if a.dateline else None
        for a in exported.articles
    ]
    dated = ("本报1月11日讯", "本报", 1, 11)
    assert found == [dated, dated, dated, None, dated, ("本报讯", "本报", None, None)]
    for a in exported.articles:
        if a.dateline:
            first = a.paragraphs[0].text
            assert not first.startswith(("本报", " ", "\u3000")), first


def test_paragraph_counts(exported: Issue) -> None:
    """test_sample: test_paragraph_counts; joined parts are one paragraph, subheads are not paragraphs."""
    assert [len(a.paragraphs) for a in exported.articles] == [2, 2, 3, 11, 2, 2]


def test_second_article_is_truncated(exported: Issue) -> None:
    """test_sample: test_second_article_is_truncated; kept, marked, and reported on its last line."""
    assert [a.truncated for a in exported.articles] == [False, True, False, False, False, False]
    (note,) = [d for d in exported.diagnostics if d.code == "article-truncated"]
    assert (note.line, note.severity) == (17, "warning")
    assert "全部完成管网" in note.message
    assert exported.articles[1].paragraphs[-1].text.endswith("剩余的3处节点将在春节前全部完成管网")


def test_paragraph_joins(exported: Issue) -> None:
    """test_sample: test_four_paragraph_joins; one join across two breaks, none after a colon."""
    joins = [d for d in exported.diagnostics if d.code == "paragraph-joined"]
    assert [d.line for d in joins] == [6, 52, 73, 73]
    for d, seam in zip(
        joins, ["让老城区|焕发", "成为城市的|常态", "新增了亲子|跑项目", "带着孩子|一起报名"], strict=True
    ):
        assert seam in d.message and d.severity == "warning"
    joined = [p for a in exported.articles for p in a.paragraphs if p.joined]
    assert [(p.line, p.joined) for p in joined] == [(6, (8,)), (52, (54,)), (73, (75, 77))]
    for p, seam in zip(
        joined,
        [
            "新建口袋公园20处，让老城区焕发新的活力。会上",
            "清水绿岸成为城市的常态。同时",
            "新增了亲子跑项目，吸引了不少家庭带着孩子一起报名参加。",
        ],
        strict=True,
    ):
        assert seam in p.text
    # A paragraph that ends with a colon introduces the next one: not cut, not joined.
    said = exported.articles[2].paragraphs[1]
    assert said.text.endswith("老住户说：") and said.joined == ()


def test_lint_findings(exported: Issue) -> None:
    """test_sample: test_lint_findings; the stray Latin word and the traditional character are kept."""
    counts = Counter(d.code for d in exported.diagnostics)
    assert counts["latin-in-cjk"] == 1
    assert counts["mixed-script"] == 1
    (latin,) = [d for d in exported.diagnostics if d.code == "latin-in-cjk"]
    (mixed,) = [d for d in exported.diagnostics if d.code == "mixed-script"]
    assert latin.line == 22 and "`and`" in latin.message
    assert mixed.line == 48 and "這→这" in mixed.message
    assert "上下游 and 左右岸" in exported.articles[2].paragraphs[0].text
    assert "在這次部署中" in exported.articles[3].paragraphs[5].text
    assert not [d for d in exported.diagnostics if d.severity == "error"]


def test_masthead_inferred(exported: Issue) -> None:
    """test_sample: test_masthead_inferred; the name from the bylines, the date from datelines and years."""
    m = exported.masthead
    assert m.title == "泊湾晚报"
    assert m.date == dt.date(2026, 1, 11)
    assert m.weekday == "星期日"
    assert m.lunar_date == "乙巳年十一月廿三"
    assert m.language == "zh-CN"
    assert set(m.inferred) == {"title", "date"}
    date_note = next(d for d in exported.diagnostics if d.code == "date-inferred")
    assert "date: 2026-01-11" in date_note.message
    title_note = next(d for d in exported.diagnostics if d.code == "title-inferred")
    assert "title: 泊湾晚报" in title_note.message and "5 bylines" in title_note.message


def test_no_text_of_the_example_is_lost(exported: Issue) -> None:
    """test_sample: test_no_text_of_the_sample_is_lost."""
    source = EXPORTED.read_text(encoding="utf-8")
    source = re.sub(r"^#+ ", "", source, flags=re.M)
    source = source.replace("——", "")  # the headline/subtitle separator of the format
    expected = re.sub(r"\s+", "", source)
    parts: list[str] = []
    for a in exported.articles:
        parts += [a.kicker or "", a.headline, a.subtitle or ""]
        parts += [b.raw for b in a.bylines]
        parts += [a.dateline.raw] if a.dateline else []
        parts += [b.text for b in a.blocks]
    got = re.sub(r"\s+", "", "".join(parts))
    assert got == expected


def test_blocks_keep_source_lines(exported: Issue) -> None:
    """test_sample: test_blocks_keep_source_lines; the blank lines at the top count."""
    lines = [b.line for a in exported.articles for b in a.blocks]
    assert lines == sorted(lines)
    first = exported.articles[0]
    assert first.line == 3
    assert isinstance(first.blocks[0], Paragraph) and first.blocks[0].line == 6
    assert first.bylines[0].line == 5
    assert [a.line for a in exported.articles] == [3, 12, 19, 30, 68, 79]


def test_crlf_bom_and_trailing_spaces_are_ignored(exported: Issue) -> None:
    """The format's last fault: CRLF line ends, a BOM, trailing spaces and blank lines at the top."""
    text = EXPORTED.read_text(encoding="utf-8")
    assert text.startswith("\n\n") and " \n" in text.replace("  \n", "")  # the example carries them
    windows = parse_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    spaced = parse("\n".join(line + "   " for line in text.split("\n")))
    for other in (windows, spaced):
        assert other.sections == exported.sections
        assert [(d.line, d.code) for d in other.diagnostics] == [(d.line, d.code) for d in exported.diagnostics]
