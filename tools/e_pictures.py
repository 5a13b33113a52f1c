"""Takes the README's pictures of an e-edition in Debian's Chromium: a 版 with its regions, an article in dark mode, a search.

    .venv/bin/exporter build examples/dongling-daily.md --format e-edition --out build
    .venv/bin/python tools/e_pictures.py build/dongling-daily-e docs/images/e-edition

The regions are outlined for the picture (on screen they light up under the pointer or the keyboard's
focus); everything else is the page as a reader sees it.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.playwright import chromium  # noqa: E402

OUTLINED = ".e-region span { background: rgb(26 95 180 / .10); box-shadow: inset 0 0 0 2px rgb(26 95 180 / .8); }"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main(folder: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    try:
        with chromium() as browser:
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
    for name in ("ban.png", "article-dark.png", "search.png"):
        print(out / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
