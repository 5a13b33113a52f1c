"""Headless Chromium for tests: screenshots and measurements of rendered pages."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
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


def print_pdf(page: Path, pdf: Path) -> Path:
    """``page`` printed to ``pdf`` by Chromium, with no header or footer (Skia embeds CJK faces as Type 3 fonts)."""
    _run(["--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()])
    assert pdf.is_file(), f"Chromium printed no PDF of {page}"
    return pdf


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


COMPARE = """<!DOCTYPE html>
<html><body>
%s
<script>
// Every element's computed style, and its ::before's and ::after's, custom properties left out.
const read = (doc) => {
  const rows = [];
  for (const el of doc.querySelectorAll("*")) {
    const name = el.localName + (el.id ? "#" + el.id : "") + (el.className ? "." + String(el.className) : "");
    for (const pseudo of [null, "::before", "::after"]) {
      const style = doc.defaultView.getComputedStyle(el, pseudo);
      const values = {};
      for (let i = 0; i < style.length; i++) {
        if (!style[i].startsWith("--")) values[style[i]] = style.getPropertyValue(style[i]);
      }
      rows.push([name + (pseudo || ""), values]);
    }
  }
  return rows;
};
window.addEventListener("load", () => {
  const frames = [...document.querySelectorAll("iframe")];
  const found = [];
  for (let i = 0; i < frames.length; i += 2) {
    const [a, b] = [read(frames[i].contentDocument), read(frames[i + 1].contentDocument)];
    const differences = [];
    if (a.length !== b.length || a.length === 0) differences.push(["(the documents differ)", {}]);
    else a.forEach(([name, values], k) => {
      const other = b[k][1];
      const keys = new Set([...Object.keys(values), ...Object.keys(other)]);
      const changed = {};
      for (const key of keys) if (values[key] !== other[key]) changed[key] = [values[key], other[key]];
      if (Object.keys(changed).length) differences.push([name, changed]);
    });
    found.push([a.length, differences]);
  }
  const out = document.createElement("pre");
  out.id = "exporter-compare";
  out.textContent = JSON.stringify(found);
  document.body.appendChild(out);
});
</script>
</body></html>
"""


def style_differences(pairs: Sequence[tuple[Path, Path]]) -> list[tuple[int, list[tuple[str, dict[str, list[str]]]]]]:
    """For each pair of pages, how many boxes it has and those whose computed style differs from one page to the other.

    Every element's style is compared, and its ::before's and ::after's, custom properties left out; each
    difference is (the box, {property: [first page's value, second page's]}). The pages (XHTML documents of
    an EPUB, say) are read in frames of one page, in one run of Chromium.
    """
    frames = "\n".join(
        f'<iframe src="{html.escape(page.resolve().as_uri())}"></iframe>' for pair in pairs for page in pair
    )
    with tempfile.TemporaryDirectory(prefix="exporter-compare-") as folder:
        probe = Path(folder) / "compare.html"
        probe.write_text(COMPARE % frames, encoding="utf-8")
        dom = _run(["--allow-file-access-from-files", "--window-size=1280,900", "--dump-dom", probe.as_uri()])
    start = dom.find('<pre id="exporter-compare">')
    assert start >= 0, "the script comparing the computed styles did not run"
    body = dom[start + len('<pre id="exporter-compare">') : dom.index("</pre>", start)]
    return [(boxes, [(name, changed) for name, changed in found]) for boxes, found in json.loads(html.unescape(body))]
