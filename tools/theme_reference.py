"""Writes the theme reference (exporter.themeref) into docs/themes.md, between its markers.

Run it after changing the schema of theme.toml, the base theme, its templates or the built-in CSS:

    .venv/bin/python tools/theme_reference.py

tests/test_theme_reference.py fails while docs/themes.md holds another reference than the code makes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from exporter import themeref

DOC = Path(__file__).resolve().parents[1] / "docs" / "themes.md"


def updated(text: str, reference: str) -> str:
    """``text`` with what stands between the reference's markers (markers included) replaced by ``reference``."""
    start, end = text.find(themeref.START), text.find(themeref.END)
    if start < 0 or end < start:
        raise SystemExit(f"{DOC}: no reference markers: put `{themeref.START}` and `{themeref.END}` where it goes")
    return text[:start] + reference.rstrip("\n") + text[end + len(themeref.END) :]


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    new = updated(text, themeref.reference())
    if new != text:
        DOC.write_text(new, encoding="utf-8")
        print(f"wrote the reference into {DOC}")
    else:
        print(f"{DOC}: the reference is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
