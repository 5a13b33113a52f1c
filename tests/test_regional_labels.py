"""The words every edition prints for a traditional issue (导读, 农历, 目录, 总第…期, 责任编辑…) are traditional.

Labels are looked up by the issue's full language tag, then the script its region writes, then the
language: a zh-HK or zh-TW issue reads ``[labels.zh-HK]``, ``[labels.zh-Hant]``, ``[labels.zh]``.
Every built edition of the project's Hong Kong example is read back whole (the PDF's text, every file
of the EPUB and of the web edition) and must hold no character that only simplified text writes.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest
from lxml import html

from exporter import theming
from exporter.parser import lint, parse_file
from exporter.pipeline import build, render
from exporter.text.dates import lunar_date
from tests.pdftext import raw_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
HK = EXAMPLES / "hk-daily.md"
TRADITIONAL_TAGS = ("zh-HK", "zh-TW", "zh-MO", "zh-Hant", "zh-Hant-TW")


def simplified(text: str) -> str:
    """The characters of ``text`` that only simplified Chinese writes, in order, each once."""
    found = [text[i] for i in lint._simplified(text)]
    return "".join(dict.fromkeys(found))


@pytest.mark.parametrize("name", sorted(theming.available()))
@pytest.mark.parametrize("tag", TRADITIONAL_TAGS)
def test_every_label_is_traditional(name: str, tag: str) -> None:
    theme = theming.load(name)
    keys = sorted({key for table in theme.labels.values() for key in table})
    words = {key: theme.label(tag, key) for key in keys}
    wrong = {key: f"{word} ({simplified(word)})" for key, word in words.items() if simplified(word)}
    assert not wrong, f"theme {name} prints simplified labels on a {tag} page: {wrong}"
    # The traditional words are the issue's, not the English fallback's.
    assert words["lead_toc"] == "導讀" and words["editor"] == "責任編輯"


def test_simplified_issue_keeps_simplified_labels() -> None:
    theme = theming.load()
    assert [theme.label("zh-CN", k) for k in ("lead_toc", "lunar", "toc", "issue_number", "editor")] == [
        "导读",
        "农历{date}",
        "目录",
        "总第{number}期",
        "责任编辑",
    ]


def test_a_theme_gives_one_region_its_own_word(tmp_path: Path) -> None:
    folder = tmp_path / "taiwan"
    folder.mkdir()
    (folder / "theme.toml").write_text(
        'inherit = "classic"\n\n[labels.zh-TW]\nlead_toc = "本期要目"\n\n[labels.zh-Hant]\ntoc = "目次"\n',
        encoding="utf-8",
    )
    theme = theming.load(folder)
    assert theme.label("zh-TW", "lead_toc") == "本期要目"  # the full tag first
    assert theme.label("zh-HK", "lead_toc") == "導讀"  # another region keeps the base's
    assert theme.label("zh-HK", "toc") == theme.label("zh-TW", "toc") == "目次"  # the script's table next
    assert theme.label("zh-CN", "toc") == "目录"


def test_leap_month_in_the_issue_script() -> None:
    leap = dt.date(2025, 7, 30)  # 乙巳年闰六月初六
    assert lunar_date(leap, "zh-CN") == "乙巳年闰六月初六"
    assert lunar_date(leap, "zh-HK") == lunar_date(leap, "zh-Hant-TW") == "乙巳年閏六月初六"


def _files_text(files: dict[str, bytes]) -> str:
    """The text of the XHTML, HTML, OPF, NCX and CSS files of an edition: what a reader sees and its metadata."""
    parts = []
    for name, data in sorted(files.items()):
        if name.endswith((".xhtml", ".html")):
            root = html.fromstring(data)
            parts.append(" ".join(root.itertext()))
            parts.extend(v for el in root.iter() for k, v in el.attrib.items() if k in ("alt", "title", "aria-label"))
        elif name.endswith((".opf", ".ncx")):
            parts.append(data.decode("utf-8"))
        elif name.endswith(".css"):  # what a rule prints (content: "…"), not what a comment says
            parts.append(re.sub(r"/\*.*?\*/", "", data.decode("utf-8"), flags=re.S))
    return "\n".join(parts)


#: The traditional builds read back: the Hong Kong example in two themes, the Taiwan example in the reader theme,
#: and the simplified example converted to Taiwan's script in 竖排 (source, theme, script, issue number).
CASES = {
    "hk-classic": (HK, "classic", None, "5167"),
    "hk-vertical": (HK, "vertical", None, "5167"),
    "taipei-reader": (EXAMPLES / "taipei-daily.md", "reader", None, None),
    "binhai-tw-vertical": (EXAMPLES / "binhai-daily.md", "vertical", "tw", None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_edition_of_a_traditional_issue_is_traditional(case: str, tmp_path: Path) -> None:
    source, theme, script, number = CASES[case]
    if script is None:
        assert parse_file(source).masthead.language in ("zh-HK", "zh-TW")
        assert not simplified(source.read_text(encoding="utf-8")), "the example itself must be traditional"
    built = {
        e.format: Path(e.path) for e in build(source, ["epub", "pdf", "html"], theme=theme, out=tmp_path, script=script)
    }

    pdf = raw_text(built["pdf"])
    with zipfile.ZipFile(built["epub"]) as book:
        epub = _files_text({n: book.read(n) for n in book.namelist()})
    folder = built["html"]
    web = _files_text({p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()})

    for edition, text in (("pdf", pdf), ("epub", epub), ("html", web)):
        assert not simplified(text), f"{case} {edition}: simplified characters {simplified(text)}"
    # The furniture is there, in traditional words: the print 導讀 and masthead, the EPUB's 目錄 and summary.
    issue_number = "總第" + (number or parse_file(source).masthead.number or "") + "期"
    for word in ("導讀", "農曆", issue_number, "責任編輯"):
        assert word in pdf.replace(" ", ""), f"{case} pdf has no {word}"
    for word in ("目錄", "報頭", issue_number, "本書為報紙一期的電子版"):
        assert word in epub, f"{case} epub has no {word}"
    assert "目錄" in web and "農曆" in web


@pytest.mark.slow
def test_bracketed_datelines_run_into_their_text() -> None:
    """Taiwan's （中央社記者…電） and 〔記者…報導〕 close on their bracket: no em space after them, as after 本報訊."""
    pages = render(parse_file(EXAMPLES / "taipei-daily.md"), "html")
    assert isinstance(pages, Mapping)
    found = {}
    for name, data in pages.items():
        if name.endswith(".html"):
            for el in html.fromstring(data).xpath("//strong[contains(concat(' ', @class, ' '), ' dateline ')]"):
                found[el.text_content()] = el.get("class").split()
    bracketed = {raw for raw, classes in found.items() if "bracketed" in classes}
    assert bracketed == {raw for raw in found if raw[0] in "（〔"} and len(bracketed) == 2, found
    css = render(parse_file(HK), "html")["css/edition.css"].decode()  # type: ignore[index]
    assert ".dateline.bracketed { margin-inline-end: 0; }" in css


@pytest.mark.slow
def test_a_taiwan_masthead_prints_the_year_of_the_republic() -> None:
    """民國115年 after the date on a zh-TW masthead (the model keeps the Gregorian date); no era elsewhere."""
    eras = {}
    for name in ("taipei-daily", "hk-daily", "binhai-daily"):
        issue = parse_file(EXAMPLES / f"{name}.md")
        page = render(issue, "html")["index.html"]  # type: ignore[index]
        eras[name] = [el.text_content() for el in html.fromstring(page).xpath("//*[@class='era-date']")]
    assert parse_file(EXAMPLES / "taipei-daily.md").masthead.date == dt.date(2026, 11, 28)
    assert eras == {"taipei-daily": ["民國115年"], "hk-daily": [], "binhai-daily": []}
