"""Line breaks beside Chinese quotation marks in the print edition (Unicode 15.1 LB19a), read back from a PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from exporter.editions.pdf.breaks import quote_break
from exporter.editions.pdf.justify import cjk_justification
from exporter.text.typography import text_html

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("before", "after", "allowed"),
    [
        ("业", "“", True),  # before an opening quote, after a Han character
        ("。", "“", True),
        ("“", "走", None),  # never after an opening quote: Pango says no
        ("去", "”", None),  # never before a closing quote
        ("”", "外", True),  # after a closing quote, before a Han character
        ("”", "、", None),  # not before a mark that may not start a line
        ("”", "…", None),
        ("a", "“", None),  # Latin text: Pango's rules
        ("（", "“", None),  # after an opening bracket
    ],
)
def test_lb19a_between_two_characters(before: str, after: str, allowed: bool | None) -> None:
    assert quote_break(before, after) is allowed


def _lines(html: str, tmp_path: Path) -> list[str]:
    import weasyprint

    css = (ROOT / "themes" / "base" / "css" / "common.css").read_text(encoding="utf-8").replace("var(--indent)", "0")
    font = ROOT / "fonts" / "ExporterSerifSC-Regular.otf"
    page = (
        f"<style>@font-face {{ font-family: S; src: url({font.as_uri()}) }} body {{ font: 10pt S }}</style>"
        f"<style>{css}</style><p style='width: 6em; margin: 0'>{html}</p>"
    )
    out = tmp_path / "breaks.pdf"
    with cjk_justification():
        weasyprint.HTML(string=page).write_pdf(out)
    text = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True, check=True).stdout
    return [line.replace(" ", "") for line in text.splitlines() if line.strip("\f")]  # justification spreads the glyphs


def test_a_line_breaks_before_an_opening_quote(tmp_path: Path) -> None:
    """Without LB19a, 「五“六」 would be one unit and the first line would hold five characters, not six."""
    lines = _lines(str(text_html("一二三四五“六七”八九十一二三四五六", paragraph=True)), tmp_path)
    assert lines[0] == "一二三四五"
    assert lines[1].startswith("“六七”")
