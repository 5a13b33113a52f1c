"""Hong Kong and Taiwan conventions read from the examples: datelines, bylines, the language guessed, 民國 dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import opencc
import pytest

from exporter import Issue, parse_file
from exporter.diagnostics import Diagnostic
from exporter.errors import InputError
from exporter.model import Article, Credit, Dateline, Figure
from exporter.parser import parse
from exporter.parser.datelines import find, split_place
from exporter.text.dates import written_date

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TAIPEI = EXAMPLES / "taipei-daily.md"
HK = EXAMPLES / "hk-daily.md"


@pytest.fixture(scope="module")
def taipei() -> Issue:
    return parse_file(TAIPEI)


@pytest.fixture(scope="module")
def hk() -> Issue:
    return parse_file(HK)


def article(issue: Issue, headline: str) -> Article:
    (found,) = [a for a in issue.articles if a.headline == headline]
    return found


def fields(dateline: Dateline | None) -> tuple[object, ...]:
    assert dateline is not None
    d = dateline
    return (d.raw, d.source, d.place, d.month, d.day, d.kind, d.credits)


def doc(*lines: str) -> str:
    """An issue text whose line N is ``lines[N - 1]``."""
    return "\n".join(lines) + "\n"


def notes(issue: Issue) -> list[Diagnostic]:
    """The findings of the text's script: the language guessed and the characters of the other script."""
    return [d for d in issue.diagnostics if d.code in ("language-guessed", "mixed-script")]


# -- the Taiwan example -----------------------------------------------------------------------------


def test_the_taiwan_issue_reads_clean(taipei: Issue) -> None:
    m = taipei.masthead
    assert (m.title, m.language, m.date, m.weekday) == ("雙溪日報", "zh-TW", dt.date(2026, 11, 28), "星期六")
    assert [(s.page, s.title, len(s.articles)) for s in taipei.sections] == [
        ("A1", "要聞", 2),
        ("A5", "地方", 2),
        ("B1", "副刊", 1),
    ]
    assert taipei.diagnostics == ()


def test_taiwan_bylines_keep_the_reporter_and_where_the_report_was_filed(taipei: Issue) -> None:
    (bus,) = article(taipei, "北市公車App改版 轉乘時間一目了然").bylines
    assert (bus.raw, bus.outlet, bus.credits, bus.place, bus.report) == (
        "記者 林志明／臺北報導",
        None,
        (Credit("記者", ("林志明",)),),
        "臺北",
        "報導",
    )
    (market,) = article(taipei, "府城老街夜市 週末試辦行人徒步區").bylines
    assert (market.raw, market.outlet, market.credits, market.place, market.report) == (
        "◎記者 鄭雅文／臺南報導",
        None,
        (Credit("記者", ("鄭雅文",)),),
        "臺南",
        "報導",
    )
    (essay,) = article(taipei, "巷口的早餐店").bylines
    assert essay.credits == (Credit("文", ("林怡",)),)


def test_a_cna_dateline_in_brackets_names_the_reporter_and_a_day_without_month(taipei: Issue) -> None:
    cabinet = article(taipei, "行政院拍板 數位學習補助延長一年")
    assert fields(cabinet.dateline) == (
        "（中央社記者王怡君台北27日電）",
        "中央社",
        "台北",
        None,
        27,
        "電",
        (Credit("記者", ("王怡君",)),),
    )
    assert cabinet.paragraphs[0].text.startswith("行政院會今天通過")
    assert cabinet.bylines == ()


def test_a_liberty_times_dateline_names_the_reporter_and_the_place(taipei: Issue) -> None:
    port = article(taipei, "高雄港新碼頭啟用 首週迎來十艘貨輪")
    assert fields(port.dateline) == (
        "〔記者陳冠宇／高雄報導〕",
        None,
        "高雄",
        None,
        None,
        "報導",
        (Credit("記者", ("陳冠宇",)),),
    )
    assert port.paragraphs[0].text.startswith("高雄港第七貨櫃中心")
    (figure,) = [b for b in port.blocks if isinstance(b, Figure)]
    assert (figure.credit, figure.credits) == ("記者 陳冠宇攝", (Credit("記者", ("陳冠宇",)),))


# -- the Hong Kong example --------------------------------------------------------------------------


def test_hong_kong_datelines_are_kept_apart_from_the_text(hk: Issue) -> None:
    lights, trams, border = hk.sections[0].articles
    assert fields(lights.dateline) == ("本報香港11月27日訊", "本報", "香港", 11, 27, "訊", ())
    assert lights.paragraphs[0].text.startswith("維多利亞港")
    assert fields(trams.dateline) == ("本報訊", "本報", None, None, None, "訊", ())
    assert trams.paragraphs[0].text.startswith("為慶祝")
    assert fields(border.dateline) == ("中通社香港27日電", "中通社", "香港", None, 27, "電", ())
    assert border.paragraphs[0].text.startswith("特區政府")


def test_hong_kong_bylines(hk: Issue) -> None:
    lights, trams, _ = hk.sections[0].articles
    (first,) = lights.bylines
    assert (first.outlet, first.credits) == (
        "維港日報",
        (Credit("記者", ("鄭嘉",)), Credit("實習記者", ("區詠詩",))),
    )
    (second,) = trams.bylines
    assert (second.raw, second.outlet, second.credits) == (
        "■本報記者 陳 明 李家豪",
        None,
        (Credit("本報記者", ("陳明", "李家豪")),),
    )


# -- datelines one by one ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "source", "place", "month", "day", "kind"),
    [
        ("本報香港11月27日訊 維多", "本報香港11月27日訊", "本報", "香港", 11, 27, "訊"),
        ("本報訊 為慶祝", "本報訊", "本報", None, None, None, "訊"),
        ("新華社北京十一月二十七日電 記者", "新華社北京十一月二十七日電", "新華社", "北京", 11, 27, "電"),
        ("中央社台北27日電 行政院", "中央社台北27日電", "中央社", "台北", None, 27, "電"),
        ("中央社台北二十七日電 行政院", "中央社台北二十七日電", "中央社", "台北", None, 27, "電"),
        ("路透社倫敦２７日電 英國", "路透社倫敦２７日電", "路透社", "倫敦", None, 27, "電"),
        ("法新社巴黎27日專電 法國", "法新社巴黎27日專電", "法新社", "巴黎", None, 27, "專電"),
        ("香港電台11月27日訊 今日", "香港電台11月27日訊", "香港電台", None, 11, 27, "訊"),
        ("聯合新聞網台北27日電 今天", "聯合新聞網台北27日電", "聯合新聞網", "台北", None, 27, "電"),
    ],
)
def test_traditional_datelines(
    text: str, raw: str, source: str, place: str | None, month: int | None, day: int, kind: str
) -> None:
    match = find(text)
    assert match is not None
    assert (match.raw, match.source, match.place, match.month, match.day, match.kind) == (
        raw,
        source,
        place,
        month,
        day,
        kind,
    )
    assert text[match.end :] == text.split(" ", 1)[1]


@pytest.mark.parametrize(
    ("text", "raw", "place", "names"),
    [
        ("（中央社記者鄭雅文台南27日電）台南市", "（中央社記者鄭雅文台南27日電）", "台南", ("鄭雅文",)),
        (
            "（中央社記者王揚宇、溫貴香台北27日電）行政院",
            "（中央社記者王揚宇、溫貴香台北27日電）",
            "台北",
            ("王揚宇", "溫貴香"),
        ),
        ("(中央社記者陳明台北27日電) 行政院", "(中央社記者陳明台北27日電)", "台北", ("陳明",)),
        ("（中央社記者黃自強華盛頓27日專電）美國", "（中央社記者黃自強華盛頓27日專電）", "華盛頓", ("黃自強",)),
    ],
)
def test_cna_datelines_in_brackets(text: str, raw: str, place: str, names: tuple[str, ...]) -> None:
    match = find(text)
    assert match is not None
    assert (match.raw, match.source, match.place, match.day, match.credits) == (
        raw,
        "中央社",
        place,
        27,
        (Credit("記者", names),),
    )
    assert text[match.end :] == text[len(raw) :].lstrip()


def test_a_cna_dateline_without_a_reporter() -> None:
    match = find("（中央社台北27日電）行政院")
    assert match is not None and (match.source, match.place, match.day, match.credits) == ("中央社", "台北", 27, ())


def test_a_liberty_times_dateline_with_two_reporters() -> None:
    match = find("〔記者王小明、李大華／台北報導〕台北市")
    assert match is not None
    assert (match.source, match.place, match.kind, match.credits, match.end) == (
        None,
        "台北",
        "報導",
        (Credit("記者", ("王小明", "李大華")),),
        16,
    )


def test_a_traditional_credit_after_the_dateline_is_kept_as_credits() -> None:
    match = find("本報訊（記者 鄭嘉）維多利亞港")
    assert match is not None
    assert (match.raw, match.credits) == ("本報訊（記者 鄭嘉）", (Credit("記者", ("鄭嘉",)),))


@pytest.mark.parametrize(
    ("run", "names", "place"),
    [
        ("鄭雅文台南", "鄭雅文", "台南"),
        ("陳明台北", "陳明", "台北"),
        ("歐陽志明高雄", "歐陽志明", "高雄"),
        ("王揚宇、溫貴香台北", "王揚宇、溫貴香", "台北"),
        ("林文雄竹北", "林文雄", "竹北"),  # not a known place: a name has three characters
        ("台北", "台北", None),  # too short for a name and a place: the run is the name
    ],
)
def test_the_place_after_the_reporters_name(run: str, names: str, place: str | None) -> None:
    assert split_place(run) == (names, place)


@pytest.mark.parametrize(
    "text",
    [
        "本報記者昨日電話訪問了多位市民。",
        "本報記者昨日到場採訪。",
        "本報記者今晨電訪了多位市民。",  # a reporter is no place
        "本报记者今晨电访了多位市民。",
        "本報昨日電郵各區議員。",  # nor is a day
        "本報今日電告各區議員。",
        "中央社電 行政院今天",
        "新華社北京電 記者",
        "本報電話熱線今天開通。",
        "本報訊息稍後公佈。",
        "（記者林志明攝）",
        "〔即時新聞／綜合報導〕今天",
        "（中央社台北32日電）",
        "中央社台北0日電 行政院",
    ],
)
def test_not_a_traditional_dateline(text: str) -> None:
    assert find(text) is None


# -- the language guessed from the text -------------------------------------------------------------


def _without_language(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    assert "\nlanguage: " in text
    return "\n".join(line for line in text.split("\n") if not line.startswith("language: "))


@pytest.mark.parametrize(("path", "language"), [(HK, "zh-HK"), (TAIPEI, "zh-TW")])
def test_the_examples_language_is_guessed_from_the_text(path: Path, language: str) -> None:
    issue = parse(_without_language(path), "issue.md", str(path.parent))
    assert issue.masthead.language == language
    (note,) = issue.diagnostics
    assert (note.code, note.severity) == ("language-guessed", "info")
    assert note.message.startswith(f"language guessed as {language} from the text (")
    assert note.message.endswith(f"): add `language: {language}` to the front matter to say so")


def test_hong_kong_evidence_is_named() -> None:
    issue = parse(doc("## 標題", "", "船艙裏的人望着窗外。", "", "佢話今日喺尖沙咀食咗飯。"))
    assert issue.masthead.language == "zh-HK"
    (note,) = notes(issue)
    # Cantonese words weigh twice: the line with them is where the evidence is strongest.
    assert note.line == 5
    for seen in ("佢", "喺", "咗", "裏", "着"):
        assert seen in note.message


def test_taiwan_evidence_is_named() -> None:
    issue = parse(doc("## 標題", "", "新版軟體在網路不穩時也能用。", "", "他看著窗外。"))
    assert issue.masthead.language == "zh-TW"
    (note,) = notes(issue)
    assert note.line == 3
    assert "軟體" in note.message and "網路" in note.message


@pytest.mark.parametrize(
    ("config", "language"),
    [("s2hk", "zh-HK"), ("s2tw", "zh-TW"), ("s2twp", "zh-TW")],
)
def test_each_standard_is_told_by_its_forms(config: str, language: str) -> None:
    text = opencc.OpenCC(config).convert("他在地铁里看着窗外，卫生局启动了新计划。")
    issue = parse(doc("## 标题", "", text))
    assert issue.masthead.language == language


def test_traditional_text_with_no_regional_evidence_is_zh_hant() -> None:
    issue = parse(doc("## 標題", "", "會議要求，各區要抓好落實。"))
    assert issue.masthead.language == "zh-Hant"
    (note,) = notes(issue)
    assert (note.line, note.code, note.severity) == (1, "language-guessed", "info")
    assert "neither Hong Kong's nor Taiwan's" in note.message and "`language: zh-Hant`" in note.message


def test_a_simplified_text_is_still_zh_cn_without_a_finding() -> None:
    issue = parse(doc("## 标题", "", "会议要求，各区要抓好落实。"))
    assert issue.masthead.language == "zh-CN" and notes(issue) == []


def test_a_declared_language_is_not_guessed() -> None:
    issue = parse(doc("---", "language: zh-TW", "---", "## 標題", "", "佢喺尖沙咀食咗飯。"))
    assert issue.masthead.language == "zh-TW" and notes(issue) == []


def test_the_script_check_follows_the_guessed_tag() -> None:
    issue = parse(doc("## 標題", "", "佢喺尖沙咀食咗飯，船艙裏望着海。", "", "这是简体。"))
    assert issue.masthead.language == "zh-HK"
    assert [(d.line, d.code) for d in notes(issue)] == [(3, "language-guessed"), (5, "mixed-script")]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("新版軟體今天上線。", "zh-TW"),  # a word weighs two: enough alone
        ("他看著窗外。", "zh-Hant"),  # one character is not
        ("新綫與舊綫今日接通。", "zh-HK"),  # 綫 is Hong Kong's alone
        ("佢今日返工。", "zh-HK"),
        ("他看著窗外，船艙裏很靜。", "zh-Hant"),  # one each way: unclear
    ],
)
def test_how_much_evidence_a_guess_needs(text: str, language: str) -> None:
    assert parse(doc("## 標題", "", text)).masthead.language == language


# -- 民國 years ---------------------------------------------------------------------------------------


def issue_dated(date: str, language: str | None = "zh-TW") -> Issue:
    head = ["---", "title: 雙溪日報", *([f"language: {language}"] if language else []), f"date: {date}", "---"]
    return parse(doc(*head, "## 標題", "", "正文。"), "issue.md")


@pytest.mark.parametrize(
    ("date", "language"),
    [
        ("民國115年11月28日", "zh-TW"),
        ("中華民國115年11月28日", "zh-TW"),
        ("115年11月28日", "zh-TW"),
        ("一一五年十一月二十八日", "zh-TW"),
        ("民國一百一十五年十一月二十八日", "zh-TW"),
        ("民國１１５年１１月２８日", "zh-TW"),
        ("民國115年11月28日", None),  # 民國 says it: no language needed
        ("中華民國115年11月28日", "zh-HK"),
        ("2026年11月28日", "zh-CN"),
    ],
)
def test_a_written_date_is_the_gregorian_day(date: str, language: str | None) -> None:
    assert issue_dated(date, language).masthead.date == dt.date(2026, 11, 28)


def test_a_project_files_taiwan_language_reads_the_roc_year() -> None:
    text = doc("---", "title: 雙溪日報", "date: 115年11月28日", "---", "## 標題", "", "正文。")
    assert parse(text, "issue.md", defaults={"language": "zh-TW"}).masthead.date == dt.date(2026, 11, 28)
    with pytest.raises(InputError):
        parse(text, "issue.md", defaults={"language": "zh-HK"})


def test_the_first_roc_year_is_1912() -> None:
    assert written_date("民國1年1月1日", roc=False) == dt.date(1912, 1, 1)
    assert written_date("2026-11-28", roc=True) is None


@pytest.mark.parametrize(
    ("date", "language", "told"),
    [
        ("民國115年2月30日", "zh-TW", "民國115年2月30日 is no day (2026-02-30 in the Gregorian calendar)"),
        ("115年11月28日", None, "write 民國115年11月28日, or 2026-11-28, or set `language: zh-TW`"),
        ("115年11月28日", "zh-HK", "the year 115 is a year of the Republic of China (民國) only in a Taiwan issue"),
        ("民國0年1月1日", "zh-TW", "民國 years start at 1 (1912), not 0"),
    ],
)
def test_a_bad_roc_date_is_an_error_naming_the_file_line_and_fix(date: str, language: str | None, told: str) -> None:
    with pytest.raises(InputError) as info:
        issue_dated(date, language)
    assert info.value.path == "issue.md"
    assert info.value.line == (4 if language else 3)
    assert told in info.value.message and info.value.message.startswith("`date`: ")


# -- the dateline in an edition of another script ----------------------------------------------------


def test_a_datelines_reporters_and_kind_are_converted_with_it(taipei: Issue) -> None:
    from exporter.scripts import convert

    simplified = convert(taipei, "hans")
    cabinet, port = (a for a in simplified.articles if a.dateline)
    assert fields(cabinet.dateline) == (
        "（中央社记者王怡君台北27日电）",
        "中央社",
        "台北",
        None,
        27,
        "电",
        (Credit("记者", ("王怡君",)),),
    )
    assert fields(port.dateline) == (
        "〔记者陈冠宇／高雄报导〕",
        None,
        "高雄",
        None,
        None,
        "报导",
        (Credit("记者", ("陈冠宇",)),),
    )
