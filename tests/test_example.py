"""The project's own example issue exercises every rule of the format."""

from __future__ import annotations

import datetime as dt

from exporter import EditorsNote, Figure, Issue, Quote, Subhead


def test_front_matter(example: Issue) -> None:
    m = example.masthead
    assert (m.title, m.date, m.number, m.edition, m.publisher) == (
        "滨海日报",
        dt.date(2026, 3, 18),
        "12088",
        "今日8版",
        "滨海日报社",
    )
    assert m.editor == "林 晓"
    assert m.inferred == ()
    assert m.extra["slogan"] == "一份为项目写的示例报纸"
    assert m.weekday == "星期三"
    assert m.lunar_date == "丙午年正月三十"


def test_pages_and_sections(example: Issue) -> None:
    assert [(s.page, s.title, len(s.articles)) for s in example.sections] == [
        ("A01", "要闻", 2),
        ("A02", "经济", 2),
        ("A02", "副刊", 1),
    ]


def test_every_rule_is_exercised(example: Issue) -> None:
    lead, trees, trade, talent, essay = example.articles
    assert lead.level == 1 and lead.kicker == "聚焦海洋经济高质量发展"
    assert lead.subtitle == "首批集装箱船今晨靠泊，全年预计新增吞吐量二十万标箱"
    assert trees.headline_lines == ("春季植树", "全民参与")
    assert [(c.role, c.names) for c in lead.bylines[0].credits] == [("记者", ("周宁",)), ("通讯员", ("陈小舟",))]
    assert [(c.role, c.names) for c in trees.bylines[0].credits] == [
        ("本报记者", ("赵一", "李明")),
        ("实习生", ("何田田",)),
    ]
    assert [(c.role, c.names) for c in essay.bylines[0].credits] == [("文/图", ("孙远",))]
    datelines = [a.dateline.raw if a.dateline else None for a in example.articles]
    assert datelines == ["本报3月17日讯", "本报讯", "新华社北京3月17日电", "本报滨海3月17日讯", None]
    assert talent.dateline is not None and talent.dateline.place == "滨海"
    assert [b.level for b in lead.blocks if isinstance(b, Subhead)] == [3, 4]
    assert any(isinstance(b, Quote) for b in lead.blocks)
    (figure,) = [b for b in lead.blocks if isinstance(b, Figure)]
    assert figure.credit == "记者 周宁 摄" and figure.text == "新航线首艘集装箱船靠泊东作业区"
    assert isinstance(talent.blocks[0], EditorsNote)
    assert talent.truncated and not any(a.truncated for a in (lead, trees, trade, essay))
    assert [d.code for d in example.diagnostics] == ["paragraph-joined", "article-truncated"]
    marks = {m for p in trees.paragraphs for s in p.spans for m in s.marks}
    assert marks == {"strong", "em"}
