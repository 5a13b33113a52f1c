"""Draws the theme gallery, docs/gallery.md: each theme's front page and an article page, in print and on screen.

    .venv/bin/python tools/gallery.py [THEME_OR_FOLDER …]

Builds examples/binhai-daily.md in every built-in theme (and the example house themes of
examples/themes/), draws the PDF's first two pages with poppler (`pdftoppm`) and the web edition's
front page and first article in Debian's Chromium, and writes the pictures to docs/images/gallery/
as small palette PNGs. Nothing here runs in the tests; tests/test_theme_reference.py checks that
the page names a picture of each built-in theme that exists.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ISSUE = ROOT / "examples" / "binhai-daily.md"
OUT = ROOT / "docs" / "images" / "gallery"
PAGE = ROOT / "docs" / "gallery.md"
BUILT_IN = ("classic", "vertical", "reader")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]


def _small(png: Path, width: int) -> None:
    """The picture scaled to ``width`` pixels and stored with a 64-colour palette."""
    from PIL import Image

    with Image.open(png) as image:
        rgb = image.convert("RGB")
        height = round(rgb.height * width / rgb.width)
        rgb.resize((width, height), Image.Resampling.LANCZOS).quantize(64).save(png, optimize=True)


def _pdf_pages(pdf: Path, stem: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "72", "-f", "1", "-l", "2", "-png", str(pdf), str(stem)], check=True)
    pages = sorted(stem.parent.glob(f"{stem.name}-*.png"))
    return pages


def _screenshot(page: Path, png: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                shutil.which("chromium") or "chromium",
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--screenshot={png}",
                "--window-size=1280,900",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )


def draw(theme: str, work: Path) -> list[tuple[str, str]]:
    """Build the example in ``theme`` and draw its four pictures; their names and captions."""
    name = Path(theme).name
    out = work / name
    exporter = ROOT / ".venv" / "bin" / "exporter"
    subprocess.run(
        [str(exporter), "build", str(ISSUE), "--format", "pdf,html", "--theme", theme, "--out", str(out), "--quiet"],
        check=True,
    )
    pictures: list[tuple[str, str]] = []
    pages = _pdf_pages(out / f"{ISSUE.stem}.pdf", work / f"{name}-print")
    for page, what in zip(pages, ("print-front", "print-article"), strict=False):
        target = OUT / f"{name}-{what}.png"
        shutil.copy(page, target)
        _small(target, 420)
        pictures.append((target.name, f"{name}: {'front page' if what == 'print-front' else 'an article page'}, PDF"))
    web = out / ISSUE.stem
    articles = sorted(web.glob("a[0-9]*.html"))
    for page, what in ((web / "index.html", "web-front"), *((a, "web-article") for a in articles[:1])):
        target = OUT / f"{name}-{what}.png"
        _screenshot(page, target)
        _small(target, 420)
        pictures.append((target.name, f"{name}: {'front page' if what == 'web-front' else 'an article'}, web"))
    return pictures


def main(argv: list[str]) -> int:
    themes = argv or [*BUILT_IN, *sorted(str(p.parent) for p in (ROOT / "examples" / "themes").glob("*/theme.toml"))]
    OUT.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Theme gallery",
        "",
        "examples/binhai-daily.md in each built-in theme and in the house themes of examples/themes/: the PDF's front",
        "page and first article page, and the web edition's front page and first article. Drawn by `tools/gallery.py`",
        "(poppler and Chromium).",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for theme in themes:
            pictures = draw(theme, Path(tmp))
            lines += [f"## {Path(theme).name}", ""]
            lines += [" ".join(f"![{caption}](images/gallery/{file})" for file, caption in pictures), ""]
    PAGE.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {PAGE} and {len(list(OUT.glob('*.png')))} pictures in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
