"""Takes the README's picture of an e-edition in Debian's Chromium: a 版 with its regions, an article, a search.

    .venv/bin/exporter build examples/dongling-daily.md --format e-edition --out build
    .venv/bin/python tools/e_pictures.py build/dongling-daily-e docs/images/e-edition

It writes one picture, ``e-edition.png``: the front page's 版 with its regions outlined (on screen they light
up under the pointer or the keyboard's focus), an article in dark mode with a larger text, and a search; the
rest is the page as a reader sees it.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.playwright import launch

OUTLINED = (
    ".e-region span, .e-link span "
    "{ background: rgb(26 95 180 / .10); box-shadow: inset 0 0 0 2px rgb(26 95 180 / .8); }"
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main(folder: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    try:
        with launch() as browser:
            page = browser.new_page(viewport={"width": 900, "height": 1180}, device_scale_factor=1)
            page.goto(base + "index.html")
            page.add_style_tag(content=OUTLINED)
            page.locator(".e-region").first.focus()
            page.wait_for_timeout(300)
            page.screenshot(path=str(out / "ban.png"))

            context = browser.new_context(viewport={"width": 900, "height": 900}, color_scheme="light")
            article = context.new_page()
            href = page.locator(".e-region").nth(1).get_attribute("href") or "index.html"
            article.goto(base + href)
            article.get_by_role("button", name="放大字号").click()
            article.get_by_role("button", name="夜间模式").click()
            article.wait_for_timeout(300)
            article.screenshot(path=str(out / "article-dark.png"))
            context.close()

            search = browser.new_page(viewport={"width": 900, "height": 700})
            search.goto(base + "search.html?q=" + "集装箱")
            search.locator(".e-results li").first.wait_for()
            search.screenshot(path=str(out / "search.png"))
    finally:
        server.shutdown()
        server.server_close()
    _side_by_side([out / n for n in ("ban.png", "article-dark.png", "search.png")], out / "e-edition.png")
    print(out / "e-edition.png")


def _side_by_side(files: list[Path], target: Path) -> None:
    """The pictures in a row, each scaled to the height of the first, 16 pixels apart; the parts are removed."""
    from PIL import Image

    pictures = [Image.open(f).convert("RGB") for f in files]
    height = pictures[0].height
    scaled = [p.resize((round(p.width * height / p.height), height), Image.Resampling.LANCZOS) for p in pictures]
    row = Image.new("RGB", (sum(p.width for p in scaled) + 16 * (len(scaled) - 1), height), "white")
    x = 0
    for picture in scaled:
        row.paste(picture, (x, 0))
        x += picture.width + 16
    if row.width > 2000:  # the README shows it at most this wide
        row = row.resize((2000, round(row.height * 2000 / row.width)), Image.Resampling.LANCZOS)
    row.quantize(256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    for file in files:
        file.unlink()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
