"""The e-edition in a real browser (Debian's Chromium driven by Playwright): regions, 版 turning, search, the reader's
settings, offline reading through the service worker, and axe-core's accessibility audit."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from exporter.model import Issue
from tests.playwright import axe, describe, launch


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[tuple[str, http.server.ThreadingHTTPServer]]:
    """The folder served on 127.0.0.1, as any static web server would; its base URL and the server."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/", server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as launched:
        yield launched


def test_clicking_a_region_opens_its_article(browser: Any, e_classic: Path, example: Issue) -> None:
    with served(e_classic) as (base, _):
        page = browser.new_page(viewport={"width": 1200, "height": 1000})
        page.goto(base + "index.html")
        for article in example.sections[0].articles:
            region = page.locator(f"a.e-region[data-article='{article.id}']").first
            assert region.get_attribute("aria-label") == " ".join(article.headline_lines)
            region.locator("span").first.click()
            page.wait_for_url(re.compile(rf"/{article.id}\.html$"))
            assert page.locator("h1.headline, .headline").first.inner_text().replace("\n", " ").strip() == " ".join(
                article.headline_lines
            )
            page.go_back()
        # The 导读's entry of the third article, a link on the printed page as in the PDF.
        third = example.articles[2]
        page.locator(f"a.e-link[data-article='{third.id}'] span").first.click()
        page.wait_for_url(re.compile(rf"/{third.id}\.html$"))
        page.close()


def test_next_ban_turns_the_page_and_the_arrow_keys_too(browser: Any, e_classic: Path, example: Issue) -> None:
    names = [" ".join(x for x in (f"第{s.page}版" if s.page else "", s.title) if x) for s in example.sections]
    with served(e_classic) as (base, _):
        page = browser.new_page(viewport={"width": 1200, "height": 1000})
        page.goto(base + "index.html")
        assert page.locator("h1.e-ban-name").inner_text() == names[0]
        assert page.locator(".e-turn .e-previous[href]").count() == 0
        page.get_by_role("link", name="下一版").click()
        page.wait_for_url(re.compile(r"/ban-2\.html$"))
        assert page.locator("h1.e-ban-name").inner_text() == names[1]
        page.keyboard.press("ArrowRight")
        page.wait_for_url(re.compile(r"/ban-3\.html$"))
        assert page.locator("h1.e-ban-name").inner_text() == names[2]
        assert page.locator(".e-turn .e-next[href]").count() == 0
        page.keyboard.press("ArrowLeft")
        page.wait_for_url(re.compile(r"/ban-2\.html$"))
        # The strip of 版 marks the one shown and links every 版.
        assert page.locator(".e-strip a[aria-current='page']").inner_text().strip() == names[1]
        assert page.locator(".e-strip a").count() == len(names)
        page.close()


def _phrase(issue: Issue, index: int) -> str:
    """Eight characters of an article's text found nowhere else in the issue."""
    others = "\n".join(p.text for i, a in enumerate(issue.articles) if i != index for p in a.paragraphs)
    text = "".join(p.text for p in issue.articles[index].paragraphs)
    for start in range(len(text) - 8):
        phrase = text[start : start + 8]
        if re.fullmatch(r"[\u4e00-\u9fff]{8}", phrase) and phrase not in others:
            return phrase
    raise AssertionError("no phrase of its own")


def test_search_finds_a_phrase_of_the_third_article(browser: Any, e_classic: Path, example: Issue) -> None:
    third = example.articles[2]
    phrase = _phrase(example, 2)
    with served(e_classic) as (base, _):
        page = browser.new_page(viewport={"width": 1200, "height": 1000})
        page.goto(base + "a01.html")
        page.get_by_role("searchbox").fill(phrase)
        page.get_by_role("searchbox").press("Enter")
        page.wait_for_url(re.compile(r"/search\.html\?q="))
        results = page.locator(".e-results li a")
        results.first.wait_for()
        assert results.count() == 1
        assert results.first.get_attribute("href") == f"{third.id}.html"
        assert page.locator(".e-results mark").first.inner_text() == phrase
        assert page.get_by_role("status").first.inner_text() == "找到1篇"
        # Two terms, each a phrase of another article: nothing has both.
        page.get_by_role("searchbox").fill(f"{phrase} {_phrase(example, 0)}")
        page.wait_for_function("document.querySelectorAll('.e-results li').length === 0")
        # A headline's words, with a space the headline does not have, find the article first.
        words = example.articles[0].headline_lines[0]
        page.get_by_role("searchbox").fill(f"{words[:3]} {words[3:]}")
        page.wait_for_function("document.querySelectorAll('.e-results li').length > 0")
        assert page.locator(".e-results li a").first.get_attribute("href") == f"{example.articles[0].id}.html"
        results.first.click()
        page.wait_for_url(re.compile(rf"/{example.articles[0].id}\.html$"))
        page.close()


def _font_size(page: Any) -> float:
    return float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('#e-main p')).fontSize)"))


def test_text_size_and_dark_mode_stay_as_the_reader_left_them(browser: Any, e_classic: Path) -> None:
    with served(e_classic) as (base, _):
        context = browser.new_context(viewport={"width": 1000, "height": 900})
        page = context.new_page()
        page.goto(base + "a01.html")
        before = _font_size(page)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        page.get_by_role("button", name="放大字号").click()
        page.get_by_role("button", name="放大字号").click()
        page.get_by_role("button", name="夜间模式").click()
        page.reload()
        assert _font_size(page) == pytest.approx(before * 1.3, rel=0.02)
        assert page.get_by_role("button", name="夜间模式").get_attribute("aria-pressed") == "true"
        dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert dark != background
        r, g, b = (int(v) for v in re.findall(r"\d+", dark)[:3])
        assert r + g + b < 120
        # Another article reads the same.
        page.goto(base + "a02.html")
        assert _font_size(page) == pytest.approx(before * 1.3, rel=0.02)
        assert "e-dark" in (page.evaluate("document.documentElement.className") or "")
        page.get_by_role("button", name="缩小字号").click()
        page.get_by_role("button", name="夜间模式").click()
        page.reload()
        assert _font_size(page) == pytest.approx(before * 1.15, rel=0.02)
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == background
        context.close()


def test_a_vertical_theme_reads_in_columns_and_across_as_chosen(browser: Any, e_vertical: Path) -> None:
    with served(e_vertical) as (base, _):
        context = browser.new_context(viewport={"width": 1200, "height": 800})
        page = context.new_page()
        page.goto(base + "a01.html")
        mode = "getComputedStyle(document.querySelector('#e-main')).writingMode"
        assert page.evaluate(mode) == "vertical-rl"
        # The article starts at the right, in view: its headline is the first column.
        box = page.locator(".headline").first.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1200 and box["x"] > 600
        # The 版 pages stay across.
        page.get_by_role("button", name="竖排").click()
        assert page.evaluate(mode) == "horizontal-tb"
        page.reload()
        assert page.evaluate(mode) == "horizontal-tb"
        assert page.get_by_role("button", name="竖排").get_attribute("aria-pressed") == "false"
        page.get_by_role("button", name="竖排").click()
        page.reload()
        assert page.evaluate(mode) == "vertical-rl"
        page.goto(base + "index.html")
        assert page.evaluate("getComputedStyle(document.body).writingMode") == "horizontal-tb"
        context.close()


def test_an_issue_once_opened_reads_with_the_server_gone(browser: Any, e_classic: Path, example: Issue) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 1000}, service_workers="allow")
    page = context.new_page()
    with served(e_classic) as (base, _):
        page.goto(base + "index.html")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_function("navigator.serviceWorker.controller !== null")
    # The server is stopped: nothing answers on its port.
    page.goto(base + "ban-2.html")
    assert page.locator("h1.e-ban-name").inner_text().endswith(example.sections[1].title or "")
    page.locator(".e-downloads").scroll_into_view_if_needed()
    page.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    article = example.articles[3]
    page.locator(f"a.e-region[data-article='{article.id}'] span").first.click()
    page.wait_for_url(re.compile(rf"/{article.id}\.html$"))
    assert article.paragraphs[0].text[:10] in page.locator("#e-main").inner_text().replace("\n", "")
    page.goto(base + f"search.html?q={article.headline_lines[0][:4]}")
    page.locator(".e-results li a").first.wait_for()
    context.close()


@pytest.mark.parametrize("theme", ["classic", "vertical"])
@pytest.mark.parametrize("path", ["index.html", "ban-2.html", "a01.html", "search.html?q=港区"])
def test_axe_finds_no_serious_problem(browser: Any, e_classic: Path, e_vertical: Path, theme: str, path: str) -> None:
    folder = e_classic if theme == "classic" else e_vertical
    with served(folder) as (base, _):
        page = browser.new_page(viewport={"width": 1200, "height": 1000})
        page.goto(base + path)
        problems = axe(page)
        assert problems == [], describe(problems)
        page.close()
