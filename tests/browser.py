"""Headless Chromium for tests: screenshots and measurements of rendered pages."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise AssertionError("Chromium is not installed: run ./dev test, which installs it (apt-get install chromium)")


def _run(args: list[str]) -> str:
    with tempfile.TemporaryDirectory(prefix="exporter-chromium-") as profile:
        result = subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
    return result.stdout


def screenshot(page: Path, png: Path, width: int = 1280, height: int = 900) -> Path:
    _run([f"--screenshot={png}", f"--window-size={width},{height}", page.resolve().as_uri()])
    assert png.is_file(), f"Chromium wrote no screenshot of {page}"
    return png


MEASURE = """
<script>
window.addEventListener("load", () => document.fonts.ready.then(() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const paragraphs = [...document.querySelectorAll(".article-body > p")].slice(0, 4).map(box);
  const style = getComputedStyle(document.documentElement);
  const faces = [...document.fonts].filter((f) => f.status === "loaded").map((f) => f.family);
  const out = document.createElement("pre");
  out.id = "exporter-measure";
  out.textContent = JSON.stringify({paragraphs, writingMode: style.writingMode, fontsLoaded: faces,
    text: document.body.innerText.length});
  document.body.appendChild(out);
}));
</script>
"""


def measure(page: Path) -> dict[str, object]:
    """Boxes of the first paragraphs, the writing mode and the fonts loaded, read from the live page."""
    probe = page.with_name(f".probe-{page.name}")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    try:
        dom = _run(["--virtual-time-budget=10000", "--window-size=1280,900", "--dump-dom", probe.resolve().as_uri()])
    finally:
        probe.unlink()
    start = dom.find('<pre id="exporter-measure">')
    assert start >= 0, "the measuring script did not run"
    body = dom[start + len('<pre id="exporter-measure">') : dom.index("</pre>", start)]
    data: dict[str, object] = json.loads(html.unescape(body))
    return data
