"""Makes the e-edition readable offline and installable: the web app manifest, its icons, the service worker.

The service worker keeps, when the issue is first opened, every page of text, the stylesheet, fonts,
scripts, figures, the thumbnails and the page pictures in AVIF (which every browser with service
workers reads), at both sizes; the other pictures and the downloads are kept
as they are read. Its cache is named by a hash of the files, so a rebuilt issue replaces the old one.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Mapping, Sequence

from exporter.model import Issue
from exporter.theming import Theme

#: Icon sizes the manifest lists (what Android and desktop browsers ask for).
ICON_SIZES = (192, 512)


def icons(front_page_png: bytes) -> dict[str, bytes]:
    """Square icons cut from the top of the front page (the masthead), on white."""
    from PIL import Image

    with Image.open(io.BytesIO(front_page_png)) as opened:
        page = opened.convert("RGB")
    square = page.crop((0, 0, page.width, page.width))
    made: dict[str, bytes] = {}
    for size in ICON_SIZES:
        out = io.BytesIO()
        square.resize((size, size), Image.Resampling.LANCZOS).save(out, format="PNG")
        made[f"icons/icon-{size}.png"] = out.getvalue()
    return made


def manifest(issue: Issue, theme: Theme, icon_files: Sequence[str]) -> bytes:
    """The web app manifest: the paper's name and date, its colours, the icons; it opens at the front page."""
    m = issue.masthead
    name = " ".join(x for x in (m.title, m.date and m.date.isoformat()) if x) or "e-edition"
    accent = str(theme.options.get("accent", "#a4161a"))
    data = {
        "name": name,
        "short_name": m.title or name,
        "lang": m.language,
        "dir": "ltr",
        "start_url": "index.html",
        "scope": "./",
        "display": "standalone",
        "background_color": "#fdfcf8",
        "theme_color": accent,
        "icons": [
            {"src": f, "sizes": f"{s}x{s}", "type": "image/png", "purpose": "any"}
            for f in icon_files
            for s in ICON_SIZES
            if f.endswith(f"-{s}.png")
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def kept_first(files: Mapping[str, bytes]) -> list[str]:
    """What the service worker keeps as soon as it is installed: everything but the large pictures and downloads."""
    from exporter.editions.eedition import PAGE, SHARP, THUMB

    def wanted(name: str) -> bool:
        if name.startswith("pages/"):
            return name.endswith((f"-{PAGE}.avif", f"-{SHARP}.avif", f"-{THUMB}.webp"))
        return not name.endswith((".pdf", ".epub", "sw.js"))

    return sorted(name for name in files if wanted(name))


def service_worker(files: Mapping[str, bytes]) -> bytes:
    """The service worker's script: the files to keep at once, the cache's name, and how it answers."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    cache = "exporter-e-" + digest.hexdigest()[:16]
    first = ["./", *kept_first(files)]
    from exporter.editions.eedition import STATIC

    script = (STATIC / "sw.js").read_text(encoding="utf-8")
    return (
        script.replace('"__CACHE__"', json.dumps(cache)).replace("__FIRST__", json.dumps(first, ensure_ascii=False))
    ).encode()
