"""The print edition made up, read back: the page report's rules hold on the examples and the sample, the 转版
lines pair up and name the 版 they point to, the outline has each story once, and no text is lost or doubled."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from exporter.audit.pages import page_report
from exporter.parser import parse_file
from exporter.pipeline import build
from exporter.text.typography import vertical_quotes
from tests.conftest import EXAMPLES
from tests.pagereport import page_findings
from tests.pdftext import Line, lines
from tests.readback import squeeze

BINHAI = EXAMPLES / "binhai-daily.md"
DENSE = EXAMPLES / "dongling-daily.md"


class _Built:
    """PDFs built on demand, once per module: (issue, theme) → path."""

    def __init__(self, out: Path, cache: Path) -> None:
        self.out, self.cache = out, cache
        self.paths: dict[tuple[Path, str], Path] = {}

    def __call__(self, source: Path, theme: str) -> Path:
        key = (source, theme)
        if key not in self.paths:
            (edition,) = build(source, ["pdf"], theme=theme, out=self.out / theme, cache_dir=self.cache)
            self.paths[key] = edition.path
        return self.paths[key]


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> _Built:
    return _Built(tmp_path_factory.mktemp("made-up"), tmp_path_factory.mktemp("cache"))


#: Where every rule holds: the examples in every theme.
SIGNED_OFF = [(source, theme) for source in (BINHAI, DENSE) for theme in ("classic", "reader", "vertical")]


@pytest.mark.parametrize(("source", "theme"), SIGNED_OFF, ids=[f"{s.stem}-{t}" for s, t in SIGNED_OFF])
def test_the_pages_are_signed_off(pdf: _Built, source: Path, theme: str) -> None:
    assert page_findings(pdf(source, theme)) == []


@pytest.mark.parametrize("theme", ["classic", "reader", "vertical"])
def test_the_samples_pages_are_signed_off(pdf: _Built, sample_path: Path, theme: str) -> None:
    assert page_findings(pdf(sample_path, theme)) == []


@pytest.mark.parametrize("theme", ["classic", "vertical"])
def test_the_dense_issue_on_a_berliner_page_is_signed_off(tmp_path: Path, theme: str) -> None:
    """A Berliner page of six columns: every 版 jumps at once on the first layout, and none may fill another over."""
    folder = tmp_path / "berliner"
    folder.mkdir()
    (folder / "theme.toml").write_text(
        f'name = "berliner"\ndescription = "A Berliner page."\ninherit = "{theme}"\n'
        '[edition.pdf]\npage_size = "berliner"\n',
        encoding="utf-8",
    )
    (edition,) = build(DENSE, ["pdf"], theme=str(folder), out=tmp_path / "out", cache_dir=tmp_path / "cache")
    box = PdfReader(edition.path).pages[0].mediabox
    assert sorted(round(float(x) / 72 * 25.4) for x in (box.width, box.height)) == [315, 470]
    assert page_findings(edition.path) == []


def test_the_vertical_dense_issue_runs_its_bans_over_pages_with_jumps_that_pair_up(pdf: _Built) -> None:
    report = page_report(pdf(DENSE, "vertical"))
    assert report.mismatched == ()
    # Its 版 whose heads are more than a page run over pages: the stories crossing a page's foot jump to the next.
    assert len(report.jumps) >= 8
    assert {j.direction for j in report.jumps} == {"下转", "上接"}


def test_short_stories_of_a_ban_over_its_page_stand_side_by_side_as_modules(pdf: _Built) -> None:
    """The dense issue's A05 runs over its page: its last two stories, short ones, are set side by side, their
    headlines level, each over its own columns, in a smaller type than a story's across the page."""
    (section,) = [s for s in parse_file(DENSE).sections if s.page == "A05"]
    first, second, before = (" ".join(a.headline_lines) for a in (*section.articles[-2:], section.articles[1]))
    found = lines(pdf(DENSE, "classic"))

    def head(text: str) -> Line:
        # A headline: not the 导读's entry nor a 续 line, both set smaller than a module's 16 pt.
        (line,) = [line for line in found if line.text.startswith(squeeze(text)[:8]) and line.height > 20]
        return line

    left, right, across = head(first), head(second), head(before)
    assert left.page == right.page == across.page
    assert abs(left.y0 - right.y0) < 1 and right.x0 > left.x1
    assert left.height < 0.9 * across.height


def _opening(source: Path, theme: str) -> str:
    """The first words of the issue's lead story (the first 版's first), as the theme prints them: the 导读 cites
    the lead's headline, only the story itself has these."""
    lead = parse_file(source).sections[0].articles[0]
    opening = squeeze(lead.paragraphs[0].text)[:16]
    return vertical_quotes(opening) if theme == "vertical" else opening


FRONT = [(source, theme) for source in (BINHAI, DENSE) for theme in ("classic", "vertical")]


@pytest.mark.parametrize(("source", "theme"), FRONT, ids=[f"{s.stem}-{t}" for s, t in FRONT])
def test_the_front_page_holds_the_lead_story_under_the_masthead_and_the_toc(
    pdf: _Built, source: Path, theme: str
) -> None:
    front = squeeze(PdfReader(pdf(source, theme)).pages[0].extract_text())
    assert _opening(source, theme) in front


@pytest.mark.parametrize("theme", ["classic", "vertical"])
def test_the_samples_front_page_holds_its_lead_story(pdf: _Built, sample_path: Path, theme: str) -> None:
    assert _opening(sample_path, theme) in squeeze(PdfReader(pdf(sample_path, theme)).pages[0].extract_text())


def test_the_jump_lines_pair_up_and_name_the_ban_and_page(pdf: _Built) -> None:
    path = pdf(BINHAI, "classic")
    report = page_report(path)
    assert report.mismatched == ()
    jumps = [(j.page, j.direction, j.target, j.label) for j in report.jumps]
    # A01's lead (the longest story of the 版) stops on page 1 and goes on on the page of the 版 under a third full.
    assert jumps == [(1, "下转", 2, "A02"), (2, "上接", 1, "A01")]
    reader = PdfReader(path)
    assert "续" in reader.pages[1].extract_text()


def test_the_outline_has_each_story_once_under_its_ban(pdf: _Built) -> None:
    issue = parse_file(BINHAI)
    outline = PdfReader(pdf(BINHAI, "classic")).outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    stories = [item.title for group in outline if isinstance(group, list) for item in group]
    assert len(titles) == len(issue.sections)
    assert stories == [" ".join(a.headline_lines) for a in issue.articles]


@pytest.mark.parametrize("source", [BINHAI, DENSE], ids=["binhai", "dense"])
def test_no_text_is_lost_or_doubled_by_the_make_up(pdf: _Built, source: Path) -> None:
    text = squeeze(" ".join(page.extract_text() for page in PdfReader(pdf(source, "classic")).pages))
    issue = parse_file(source)
    paragraphs = [squeeze(b.text) for a in issue.articles for b in a.paragraphs if len(squeeze(b.text)) > 24]
    assert paragraphs
    assert [p[:24] for p in paragraphs if text.count(p[:24]) != 1] == []
    assert [p[-24:] for p in paragraphs if text.count(p[-24:]) != 1] == []


def test_a_front_page_its_masthead_and_toc_fill_stands_alone_and_the_ban_opens_the_next(tmp_path: Path) -> None:
    """A masthead so tall that the 导读 fills the rest of the front page: no story's head is left at the page's foot
    nor runs over without its 转版 lines; the first 版's band and its lead open the second page."""
    folder = tmp_path / "tall"
    folder.mkdir()
    (folder / "theme.toml").write_text(
        'name = "tall"\ndescription = "A tall masthead."\ninherit = "classic"\n', encoding="utf-8"
    )
    (folder / "css").mkdir()
    (folder / "css" / "print.css").write_text(".masthead { padding-block-end: 120mm; }\n", encoding="utf-8")
    (edition,) = build(BINHAI, ["pdf"], theme=str(folder), out=tmp_path / "out", cache_dir=tmp_path / "cache")
    reader = PdfReader(edition.path)
    front, second = (squeeze(page.extract_text()) for page in reader.pages[:2])
    lead = _opening(BINHAI, "classic")
    assert lead not in front
    assert lead in second
    section = parse_file(BINHAI).sections[0]
    assert second.startswith(squeeze(f"第{section.page}版"))
    # The 版's stories are made up from the top of that page, not from under the band: they all fit on it.
    assert [a.id for a in section.articles if squeeze(a.paragraphs[0].text)[:16] not in second] == []
    report = page_report(edition.path)
    # The rules hold on the front page and the 版 under it (the next 版, two short stories, is a short page of its
    # own: the lead, whole on its page now, has nothing to give it).
    assert [str(f) for f in report.findings if f.page <= 2] == []
    assert report.mismatched == ()
    assert [(j.page, j.direction) for j in report.jumps] == []
