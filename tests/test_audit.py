"""The composition audit: PDFs with each fault planted, by WeasyPrint and by Chromium, horizontal and vertical.

Each planted page sets its lines in a column exactly ten ems wide, broken by ``<br>`` where the
test wants, so that every line is full unless it is meant to be short: the audit must find the
planted fault, as many times as planted, and nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter.audit import KINDS, FileAudit, audit, to_json
from exporter.audit.ink import _path_points
from exporter.audit.lines import model_ink
from exporter.audit.reading import normalise
from exporter.pipeline import build
from tests.browser import print_pdf
from tests.conftest import EXAMPLE, EXAMPLES

STYLE = """
@page { size: 120mm 160mm; margin: 10mm }
body { font: 10pt/1.7 'Noto Serif CJK SC'; margin: 0 }
div.col { width: 10em }
p { margin: 0; text-indent: 2em }
p.flush { text-indent: 0 }
"""
T = "一二三四五六七八九十"

#: Each fault planted in a paragraph, and the findings it must give.
PLANTED: dict[str, tuple[str, dict[str, int]]] = {
    # 。 at the start of the second line
    "line-start": (f'<p class="flush">{T}<br>。{T[:9]}<br>{T[:3]}。</p>', {"line-start": 1}),
    # （ at the end of the first line
    "line-end": (f'<p class="flush">{T[:9]}（<br>{T}<br>{T[:3]}）</p>', {"line-end": 1}),
    # 。”“ set full-width: two gaps of more than half an em between marks
    "punct-gap": (f'<p class="flush">{T[:6]}。”“{T[6]}<br>{T}<br>{T[:3]}。</p>', {"punct-gap": 2}),
    # 6.8 letter-spaced
    "tracking": (
        f'<p class="flush">{T}<br>{T[:3]}<span style="letter-spacing:.1em">6.8</span>%。</p>',
        {"tracking": 1},
    ),
    # —— split across lines (the second line starting with — is the same fault, told once)
    "broken-dash": (f'<p class="flush">{T[:9]}—<br>—{T[:9]}<br>{T[:2]}。</p>', {"broken-dash": 1}),
    # the second line ends two ems short inside the paragraph
    "short-line": (f'<p class="flush">{T}<br>{T[:8]}<br>{T}<br>{T[:3]}。</p>', {"short-line": 1}),
    # 议。 alone on the paragraph's last line; the next paragraph is indented
    "lone-char": (f"<p>{T[:8]}<br>{T}<br>议。</p><p>{T[:8]}<br>{T[:4]}。</p>", {"lone-char": 1}),
    # a quarter em of CJK–Latin gap before 2025 at a line's start
    "latin-gap": (
        f'<p class="flush">{T}<br><span style="padding-left:.25em">2025</span>年{T[:5]}。</p>',
        {"latin-gap": 1},
    ),
    # none of them: indented paragraphs of full lines, last lines of two characters and more
    "clean": (f"<p>{T[:8]}<br>{T}<br>{T[:5]}。</p><p>{T[:8]}<br>{T}<br>{T[:4]}。</p>", {}),
}
#: A paragraph indented as the ones before it, whose second line starts with 。.
INDENTED_LINE_START = f"<p>{T[:8]}<br>。{T[:9]}<br>{T[:3]}。</p>"


def page(body: str, *, vertical: bool = False) -> str:
    mode = "div.col { writing-mode: vertical-rl; height: 10em; width: auto }" if vertical else ""
    return (
        f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><style>{STYLE}{mode}</style>'
        f'<div class="col">{body}</div></html>'
    )


def weasyprint_pdf(body: str, pdf: Path) -> Path:
    from weasyprint import HTML

    HTML(string=page(body)).write_pdf(pdf)
    return pdf


def found(result: FileAudit) -> dict[str, int]:
    return {kind: n for kind, n in result.counts.items() if n}


@pytest.mark.parametrize("fault", sorted(PLANTED))
def test_each_planted_fault_is_found_as_often_as_planted(fault: str, tmp_path: Path) -> None:
    body, expected = PLANTED[fault]
    result = audit(weasyprint_pdf(body, tmp_path / f"{fault}.pdf"))
    assert found(result) == expected, [(f.kind, f.text) for f in result.findings]
    assert result.ink == "font"  # WeasyPrint embeds the face's program: ink read from it


def test_a_finding_names_its_page_and_line_with_a_marker(tmp_path: Path) -> None:
    body = f'{PLANTED["clean"][0]}<p class="flush" style="break-before: page">{T[:6]}。”“{T[6]}<br>{T}<br>{T[:3]}。</p>'
    result = audit(weasyprint_pdf(body, tmp_path / "two.pdf"))
    assert [(f.page, f.kind, f.text) for f in result.findings] == [
        (2, "punct-gap", "一二三四五六。‸”“七"),
        (2, "punct-gap", "一二三四五六。”‸“七"),
    ]
    assert [s.page for s in result.summaries] == [1, 2]
    assert [s.lines for s in result.summaries] == [6, 3]
    # --page reads that page alone
    assert [f.page for f in audit(tmp_path / "two.pdf", page=2).findings] == [2, 2]
    assert audit(tmp_path / "two.pdf", page=1).findings == ()


def test_a_turned_page_gives_the_same_findings(tmp_path: Path) -> None:
    """A page with /Rotate 90 shows its lines top to bottom: the audit finds them as a reader sees them."""
    import pikepdf

    body = PLANTED["lone-char"][0] + INDENTED_LINE_START
    upright = weasyprint_pdf(body, tmp_path / "upright.pdf")
    with pikepdf.open(upright) as pdf:
        pdf.pages[0].obj["/Rotate"] = 90
        pdf.save(tmp_path / "turned.pdf")
    before, after = audit(upright), audit(tmp_path / "turned.pdf")
    assert found(before) == found(after) == {"line-start": 1, "lone-char": 1}
    assert [f.text for f in after.findings] == [f.text for f in before.findings]


def test_without_the_font_program_the_class_model_finds_the_same_gaps(tmp_path: Path) -> None:
    import pikepdf

    with_font = weasyprint_pdf(PLANTED["punct-gap"][0], tmp_path / "font.pdf")
    with pikepdf.open(with_font) as pdf:
        for font in pdf.pages[0].resources.Font.values():
            descriptor = font.DescendantFonts[0].FontDescriptor
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in descriptor:
                    del descriptor[key]
        pdf.save(tmp_path / "model.pdf")
    result = audit(tmp_path / "model.pdf")
    assert result.ink == "model"
    assert found(result) == {"punct-gap": 2}
    assert {f.ink for f in result.findings} == {"model"}


@pytest.mark.parametrize("vertical", [False, True], ids=["horizontal", "vertical-rl"])
def test_chromium_pdfs_horizontal_and_vertical(vertical: bool, tmp_path: Path) -> None:
    """Chromium embeds CJK faces as Type 3 fonts and sets vertical-rl top to bottom: the same faults are found."""
    body = PLANTED["lone-char"][0] + INDENTED_LINE_START + f"<p>{T[:8]}<br>{T[:8]}<br>{T}<br>{T[:3]}。</p>"
    # Chromium sets 。” close (text-spacing-trim), the second mark's em box half over the first's: one line still
    body += f"<p>{T[:8]}<br>{T[:3]}“快。”</p>"
    html = tmp_path / "page.html"
    html.write_text(page(body, vertical=vertical), encoding="utf-8")
    result = audit(print_pdf(html, tmp_path / "page.pdf"))
    assert result.ink == "font"  # from the Type 3 glyphs' drawings
    assert found(result) == {"line-start": 1, "short-line": 1, "lone-char": 1}, [
        (f.kind, f.text) for f in result.findings
    ]
    assert [f.text for f in result.findings] == ["议。", "‸。一二三四五六七八九", "一二三四五六七八‸"]


def test_the_json_lists_every_kind_and_counts_per_page(tmp_path: Path) -> None:
    result = audit(weasyprint_pdf(PLANTED["short-line"][0], tmp_path / "short.pdf"))
    data = to_json([result])
    assert data["schema"] == "exporter.audit/2"
    assert list(data["kinds"]) == [
        "line-start", "line-end", "punct-gap", "latin-gap", "tracking", "short-line", "lone-char", "broken-dash",
    ]  # fmt: skip
    (one,) = data["files"]
    assert one["total"] == {
        "lines": 4,
        "findings": 1,
        "counts": dict.fromkeys(data["kinds"], 0) | {"short-line": 1},
        "per_1000_lines": dict.fromkeys(data["kinds"], 0.0) | {"short-line": 250.0},
    }
    assert [p["page"] for p in one["per_page"]] == [1]
    (finding,) = one["findings"]
    assert (finding["page"], finding["kind"], finding["text"], finding["ink"]) == (
        1,
        "short-line",
        "一二三四五六七八‸",
        "font",
    )
    assert finding["message"] == "ends 2.00 em short of the measure inside a paragraph"


# -- the parts that read no PDF -----------------------------------------------------------------


def test_the_class_model_puts_closing_ink_first_and_opening_ink_second() -> None:
    assert model_ink("。", 10.0, 20.0, centred=False) == (10.0, 15.0)
    assert model_ink("「", 10.0, 20.0, centred=False) == (15.0, 20.0)
    assert model_ink("。", 10.0, 20.0, centred=True) == (12.5, 17.5)
    assert model_ink("中", 10.0, 20.0, centred=False) == (10.0, 20.0)


def test_a_type3_glyphs_ink_is_its_paths_bounds() -> None:
    proc = b"1000 0 35 -838 964 78 d1\n35 -838 m 964 -800 l 500 78 400 -10 300 20 c h f"
    assert _path_points(proc) == [(35.0, -838.0), (964.0, -800.0), (500.0, 78.0), (400.0, -10.0), (300.0, 20.0)]
    # a glyph drawn as an image stands by its d1 box
    assert _path_points(b"500 0 10 20 490 700 d1 q 480 0 0 680 10 20 cm BI /W 1 ID x EI Q") == [
        (10.0, 20.0),
        (490.0, 700.0),
    ]
    assert _path_points(b"500 0 0 0 0 0 d1 q 1 0 0 1 0 0 cm /Im1 Do Q") is None


def test_vertical_forms_are_read_as_their_characters() -> None:
    assert [normalise(c) for c in "︐︒﹁﹂︵︶︱⾦"] == ["，", "。", "「", "」", "（", "）", "—", "金"]
    assert normalise("，") == "，"  # never NFKC: full-width stays full-width


# -- the project's own PDFs ------------------------------------------------------------------------


#: The project's examples of Chinese composition: the README's example and the one written to hold
#: every case of issue #17 (。” 链。“我们 要‘快’。”（完） 6.8% ——  …… a credit, padded names, emphasis).
COMPOSED = (EXAMPLE, EXAMPLES / "composition-daily.md")
THEMES = ("classic", "reader", "vertical")


def _composed(source: Path, theme: str, tmp: Path) -> FileAudit:
    (built,) = build(source, ["pdf"], theme=theme, out=tmp / theme)
    result = audit(built.path)
    assert result.ink == "font"  # every glyph's ink read from the embedded fonts
    assert result.pages == len(result.summaries)
    return result


@pytest.mark.parametrize("theme", THEMES)
def test_the_examples_pass_the_audit(tmp_path: Path, theme: str) -> None:
    """Every kind of finding is zero in the project's examples, horizontal and vertical (before #17: 3–60 each)."""
    for source in COMPOSED:
        result = _composed(source, theme, tmp_path)
        assert result.lines > 50
        assert result.counts == dict.fromkeys(KINDS, 0), [str(f) for f in result.findings]


@pytest.mark.parametrize("theme", THEMES)
def test_the_sample_passes_the_audit(tmp_path: Path, sample_path: Path, theme: str) -> None:
    result = _composed(sample_path, theme, tmp_path)
    assert result.lines > 250
    assert result.counts == dict.fromkeys(KINDS, 0), [str(f) for f in result.findings]


def test_a_traditional_issue_is_set_taigang_and_the_audit_says_what_that_leaves(tmp_path: Path) -> None:
    """台港式 compresses nothing: the audit finds the touching marks the scheme leaves apart, and nothing else."""
    result = _composed(EXAMPLES / "hk-daily.md", "classic", tmp_path)
    assert {kind for kind, n in result.counts.items() if n} == {"punct-gap"}


def test_leader_dots_drawn_from_the_right_join_their_line(tmp_path: Path) -> None:
    """WeasyPrint draws a leader's dots from the right: they, the title and the page number are one line."""
    body = (
        '<style>p.toc::after { content: leader(".") "3" }</style>'
        f'<p class="flush toc">{T[:5]}</p><p class="flush toc">{T[:6]}</p>'
    )
    result = audit(weasyprint_pdf(body, tmp_path / "toc.pdf"))
    assert result.lines == 2
    assert found(result) == {}
