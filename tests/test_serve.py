"""``exporter serve``: the preview an editor keeps open while editing, run as a user runs it and read in Chromium.

One server, started as the command is (``python -m exporter serve … --port 0``), serves a copy of the
example issue with a theme folder made by ``exporter themes new``; one page stays open on it while the
tests change its files, as an editor would. The test of Ctrl-C starts servers of its own.
"""

from __future__ import annotations

import http.client
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from exporter.theming import new as new_theme
from tests.conftest import EXAMPLE, EXAMPLES, ROOT
from tests.playwright import axe, describe, launch

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Frame, Page

#: The colour test 2 gives the masthead's name in the theme's screen CSS.
COLOUR = "rgb(18, 52, 86)"
#: An issue the parser refuses (tests/test_cli.py's no-article case), and the line it is refused with.
INVALID = "只有一段文字，没有标题。\n"
REFUSED = "error: no article found"
#: How long the print edition may take to appear, on a busy machine of two cores.
PRINT_WAIT = 180.0
#: The environment the command runs in: this checkout's exporter, whatever the working folder.
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
READY = re.compile(r"^serving (?P<file>.+) at (?P<url>http://\S+) \(Ctrl-C stops\)$")


@dataclass
class Served:
    """A running ``exporter serve``: its process, the address it printed, its folder, issue and theme."""

    process: subprocess.Popen[str]
    url: str
    folder: Path
    issue: Path
    theme: Path
    stderr: Path

    def stop(self, how: int = signal.SIGINT) -> tuple[int, str]:
        """Stop it as a user would (Ctrl-C, or SIGTERM); its exit status and what it wrote on standard error."""
        if self.process.poll() is None:
            self.process.send_signal(how)
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"exporter serve did not stop within 30 s of signal {how}") from None
        return code, self.stderr.read_text(encoding="utf-8")


def project(folder: Path) -> tuple[Path, Path]:
    """A copy of the example issue with its images in ``folder``, and a theme folder made from classic."""
    folder.mkdir(parents=True, exist_ok=True)
    issue = folder / EXAMPLE.name
    shutil.copyfile(EXAMPLE, issue)
    shutil.copytree(EXAMPLES / "images", folder / "images")
    theme = new_theme("mytheme", "classic", folder)
    return issue, theme


def serve(folder: Path, issue: Path, *args: str, temp: Path | None = None) -> Served:
    """``exporter serve`` started on ``issue`` in ``folder`` (its working folder), once it has printed its address.

    ``temp`` is its temporary folder (``TMPDIR``), where it builds the editions.
    """
    stderr = folder / f"serve-{time.monotonic_ns()}.err"
    process = subprocess.Popen(
        [sys.executable, "-m", "exporter", "serve", issue.name, *args],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=stderr.open("w", encoding="utf-8"),
        text=True,
        env={**ENV, "TMPDIR": str(temp)} if temp is not None else ENV,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()], daemon=True).start()
    try:
        line = lines.get(timeout=120)
    except queue.Empty:
        process.kill()
        raise AssertionError(f"exporter serve printed no address in 120 s: {stderr.read_text()}") from None
    found = READY.match(line.rstrip("\n"))
    assert found, f"not the line a user is told: {line!r}"
    assert found["file"] == issue.name
    return Served(process, found["url"], folder, issue, folder / "mytheme", stderr)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("serve")
    issue, theme = project(folder)
    running = serve(folder, issue, "--theme", str(theme), "--port", "0")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def page(browser: Browser, served: Served) -> Iterator[Page]:
    """The preview page, open in Chromium once the print edition's pages are shown."""
    tab = browser.new_page(viewport={"width": 1400, "height": 1000})
    tab.goto(served.url)
    tab.wait_for_selector("#print img", timeout=PRINT_WAIT * 1000)
    yield tab
    tab.close()


def edition(page: Page) -> Frame:
    """The frame the web edition is shown in."""
    element = page.query_selector("iframe#edition")
    frame = element.content_frame() if element is not None else None
    assert frame is not None, "the page has no frame #edition"
    return frame


def in_frame(page: Page, script: str) -> Any:
    """What ``script`` gives in the web edition's frame; ``None`` while it, or the page, is between two pages."""
    from playwright.sync_api import Error

    try:
        return edition(page).evaluate(script)
    except (Error, AssertionError):  # the frame is loading another page, or the page itself is
        return None


def on_page(page: Page, script: str) -> Any:
    """What ``script`` gives in the page; ``None`` while it is being loaded again."""
    from playwright.sync_api import Error

    try:
        return page.evaluate(script)
    except Error:
        return None


def masthead(page: Page) -> Any:
    return in_frame(page, "document.querySelector('h1.paper-name')?.textContent.trim()")


def wait(condition: Any, timeout: float, step: float = 0.05) -> float:
    """Seconds until ``condition()`` is true; an AssertionError after ``timeout`` seconds."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"not so after {timeout} s")
        time.sleep(step)
    return time.monotonic() - start


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    """A request as sent, with no normalising of ``..``: status, headers and body."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        body = response.read() if "event-stream" not in (response.getheader("Content-Type") or "") else b""
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


@pytest.mark.slow
def test_the_page_shows_the_web_edition_the_print_pages_and_the_findings(served: Served, page: Page) -> None:
    from pypdf import PdfReader

    host = urlsplit(served.url)
    assert host.hostname == "127.0.0.1", served.url
    # Bound to 127.0.0.1: another address of this machine does not answer.
    with pytest.raises(OSError), socket.create_connection(("127.0.0.2", host.port or 0), timeout=5):
        pass
    assert page.evaluate("document.documentElement.lang") == "en"

    wait(lambda: masthead(page) == "滨海日报", 30)
    assert in_frame(page, "document.querySelectorAll('.toc a').length") == 5
    # The articles are pages of the frame: one is opened by its link, inside the frame.
    edition(page).click("text=滨海港区新航线开通")
    headline = "location.pathname.split('/').pop() + ' ' + document.querySelector('h2.headline')?.textContent"
    wait(lambda: in_frame(page, headline) == "a01.html 滨海港区新航线开通", 10)
    edition(page).click(".pager a.home")
    wait(lambda: masthead(page) == "滨海日报", 10)

    # Every page of the PDF is shown as a picture, in order, drawn (not a broken image).
    pdf = page.get_attribute("#print a[href$='.pdf']", "href")
    assert pdf, "no link to the PDF"
    status, headers, data = get(served.url.rstrip("/") + pdf)
    assert (status, headers["content-type"]) == (200, "application/pdf")
    (served.folder / "shown.pdf").write_bytes(data)
    pages = len(PdfReader(served.folder / "shown.pdf").pages)
    pictures = page.eval_on_selector_all(
        "#print img", "all => all.map(i => [i.alt, i.complete && i.naturalWidth > 0, i.naturalWidth])"
    )
    assert [alt for alt, _, _ in pictures] == [f"第{n}页" for n in range(1, pages + 1)]
    assert all(drawn and width == 900 for _, drawn, width in pictures), pictures
    assert page.inner_text("#print h2") == f"Print edition ({pages} pages)"

    # The check's findings are exactly what `exporter check` prints for the issue, with that theme.
    checked = subprocess.run(
        [sys.executable, "-m", "exporter", "check", served.issue.name, "--theme", str(served.theme)],
        cwd=served.folder,
        capture_output=True,
        text=True,
        timeout=120,
        env=ENV,
    )
    expected = checked.stdout.splitlines()
    assert expected and "warning[paragraph-joined]" in checked.stdout
    assert page.eval_on_selector_all("#findings ul.findings:first-of-type li", "all => all.map(l => l.innerText)") == (
        expected
    )
    assert page.is_visible("text=Composition audit of the PDF")


@pytest.mark.slow
def test_a_theme_css_change_shows_within_two_seconds(served: Served, page: Page) -> None:
    wait(lambda: masthead(page) == "滨海日报", 30)
    colour = "getComputedStyle(document.querySelector('h1.paper-name')).color"
    assert in_frame(page, colour) != COLOUR
    page.evaluate("window.notReloaded = true")
    # As an editor works: the issue saved a moment ago, its print edition still being built.
    served.issue.write_text(served.issue.read_text(encoding="utf-8"), encoding="utf-8")
    page.wait_for_selector("text=print edition building…", timeout=20_000)
    with (served.theme / "css" / "screen.css").open("a", encoding="utf-8") as css:
        css.write(f"\nh1.paper-name {{ color: {COLOUR}; }}\n")
    took = wait(lambda: in_frame(page, colour) == COLOUR, 2.0)
    print(f"the change was shown {took:.2f} s after the write")
    assert page.evaluate("window.notReloaded") is True, "the page was loaded again, not its frame"


@pytest.mark.slow
def test_a_build_error_is_a_banner_over_the_last_good_build(served: Served, page: Page) -> None:
    banner = page.locator(".banner[role=alert]")
    assert banner.inner_text().strip() == ""
    shown_before = in_frame(page, "location.pathname")
    assert shown_before
    pages_before = page.locator("#print img").count()
    good = served.issue.read_text(encoding="utf-8")
    served.issue.write_text(INVALID, encoding="utf-8")
    try:
        wait(lambda: REFUSED in banner.inner_text(), 20)
        told = banner.inner_text().strip()
        assert told.startswith(f"{served.issue.name}:1: {REFUSED}: "), told
        assert "\n" not in told
        # The last good build stays: the web edition in its frame, the print pages.
        assert masthead(page) == "滨海日报"
        assert in_frame(page, "location.pathname") == shown_before
        assert page.locator("#print img").count() == pages_before
        assert banner.is_visible()
        violations = axe(page)
        assert not violations, describe(violations)
    finally:
        served.issue.write_text(good, encoding="utf-8")
    wait(lambda: banner.inner_text().strip() == "", 20)
    assert not banner.is_visible()
    assert masthead(page) == "滨海日报"


@pytest.mark.slow
def test_a_theme_css_that_fails_is_a_banner_until_it_is_mended(served: Served, page: Page) -> None:
    banner = page.locator(".banner[role=alert]")
    wait(lambda: banner.inner_text().strip() == "", 20)
    css = served.theme / "css" / "screen.css"
    good = css.read_text(encoding="utf-8")
    css.write_text(good + "body { background: url(https://example.com/paper.png); }\n", encoding="utf-8")
    try:
        wait(lambda: "example.com" in banner.inner_text(), 20)
        told = banner.inner_text().strip()
        assert told.startswith(f"{css.resolve()}:{good.count(chr(10)) + 1}: error: "), told
        assert "assets/" in told, told
        assert masthead(page) == "滨海日报"
    finally:
        css.write_text(good, encoding="utf-8")
    wait(lambda: banner.inner_text().strip() == "", 20)
    # The mended theme's edition, with the rule test 2 added, takes the frame.
    wait(lambda: in_frame(page, "getComputedStyle(document.querySelector('h1.paper-name')).color") == COLOUR, 10)


@pytest.mark.slow
def test_axe_finds_no_serious_violation(page: Page) -> None:
    page.wait_for_selector("#print img")
    violations = axe(page)
    assert not violations, describe(violations)


@pytest.mark.slow
@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/html/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/html/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%5c..%5cetc%5cpasswd",
        "//etc/passwd",
        "/html/../../../../../../../../etc/passwd",
    ],
)
def test_a_path_out_of_the_build_folder_is_refused(served: Served, path: str) -> None:
    status, _, body = get(served.url.rstrip("/") + path)
    assert status in (403, 404), (path, status)
    assert b"root:" not in body


@pytest.mark.slow
def test_content_types_and_no_caching(served: Served, page: Page) -> None:
    base = served.url.rstrip("/")
    html = in_frame(page, "location.pathname")
    picture = page.get_attribute("#print img", "src")
    assert html and picture
    css_path = html.rsplit("/", 1)[0] + "/css/edition.css"
    _, _, css = get(base + css_path)
    font = re.search(rb"url\(['\"]?(\.\./fonts/[^'\")]+\.woff2)", css)
    assert font, "the web edition's CSS names no woff2 font"
    expected = {
        "/": "text/html; charset=utf-8",
        html: "text/html; charset=utf-8",
        css_path: "text/css; charset=utf-8",
        html.rsplit("/", 1)[0] + "/" + font[1].decode().removeprefix("../"): "font/woff2",
        picture: "image/png",
        "/events": "text/event-stream; charset=utf-8",
    }
    for path, kind in expected.items():
        status, headers, _ = get(base + path)
        assert (status, headers.get("content-type"), headers.get("cache-control")) == (200, kind, "no-store"), path


@pytest.mark.slow
def test_ctrl_c_stops_it_and_an_open_page_finds_the_server_started_again(tmp_path: Path, browser: Browser) -> None:
    issue, _ = project(tmp_path)
    temp = tmp_path / "temp"
    temp.mkdir()
    first = serve(tmp_path, issue, "--port", "0", temp=temp)
    assert [p.name[:17] for p in temp.iterdir()] == ["exporter-preview-"]
    port = str(urlsplit(first.url).port)
    tab = browser.new_page()
    try:
        tab.goto(first.url)
        wait(lambda: masthead(tab) == "滨海日报", 30)
        tab.evaluate("window.notReloaded = true")
        # Ctrl-C, the print edition most likely still being built: nothing told, the editions built removed.
        code, told = first.stop(signal.SIGINT)
        assert code == 0, told
        assert "Traceback" not in told, told
        assert told == "", told
        assert not any(temp.iterdir())
        # The same port again: the page open on it finds the new server and shows its build.
        second = serve(tmp_path, issue, "--port", port, temp=temp)
        try:
            assert second.url == first.url
            wait(lambda: on_page(tab, "window.notReloaded === undefined"), 20)
            wait(lambda: masthead(tab) == "滨海日报", 30)
        finally:
            code, told = second.stop(signal.SIGTERM)
        assert code == 0, told
        assert "Traceback" not in told, told
        assert not any(temp.iterdir())
    finally:
        tab.close()


@pytest.mark.slow
def test_usage_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    issue, _ = project(tmp_path)
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        for args, told in (
            (["missing.md"], "missing.md: error: no such file: check the path"),
            ([issue.name, "--theme", "nosuch"], "exporter: error: no theme named `nosuch`: the themes are"),
            ([issue.name, "--port", str(port)], f"exporter: error: port {port} of 127.0.0.1 is in use"),
        ):
            result = subprocess.run(
                [sys.executable, "-m", "exporter", "serve", *args],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=120,
                env=ENV,
            )
            assert (result.returncode, result.stdout) == (2, ""), (args, result)
            assert result.stderr.startswith(told), (args, result.stderr)
            assert result.stderr.count("\n") == 1, (args, result.stderr)
            assert "--port" in result.stderr or "the path" in result.stderr or "theme folder" in result.stderr
    finally:
        taken.close()


def test_only_paths_inside_the_build_folder_are_served(tmp_path: Path) -> None:
    from exporter.preview.server import inside

    build = tmp_path / "build"
    (build / "html" / "1").mkdir(parents=True)
    (build / "html" / "1" / "index.html").write_text("<p>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (build / "html" / "1" / "link.txt").symlink_to(tmp_path / "secret.txt")
    root = build.resolve()
    assert inside(root, "/html/1/index.html") == root / "html" / "1" / "index.html"
    assert inside(root, "/html/1/%69ndex.html") == root / "html" / "1" / "index.html"
    for path in (
        "/",
        "/html/1",
        "/html/1/missing.html",
        "/../secret.txt",
        "/html/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/html%2f..%2f..%2fsecret.txt",
        "/html/1/link.txt",
        "/html/1/index.html%00.png",
    ):
        assert inside(root, path) is None, path


def test_the_watch_follows_the_issue_its_images_and_its_theme(tmp_path: Path) -> None:
    from exporter.preview.watching import sources
    from exporter.theming import load

    issue, theme_folder = project(tmp_path)
    build = tmp_path / "build"
    watched = sources(issue, load(theme_folder), tmp_path, build)
    assert watched.roots == (tmp_path.resolve(),)
    folder = tmp_path.resolve()
    for path, matters in (
        (folder / issue.name, True),
        (folder / "images" / "harbour.png", True),
        (folder / "images" / "new.JPG", True),
        (folder / "notes.md", False),
        (folder / "mytheme" / "css" / "screen.css", True),
        (folder / "mytheme" / "templates" / "masthead.html", True),
        (folder / "mytheme" / "css" / ".screen.css.swp", False),
        (folder / "mytheme" / "css" / "screen.css~", False),
        (folder / "exporter.toml", True),
        (folder / "build" / "print" / "1" / "page-001.png", False),
    ):
        assert watched.matters(path) is matters, path
    # A shipped theme is not watched: its folder is exporter's own.
    assert sources(issue, load("classic"), tmp_path, build).themes == ()
