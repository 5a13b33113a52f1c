"""The theme's ``assets/`` files an edition uses: each checked, referred to by its edition's URL, and carried.

There is one way to refer to an asset, in every edition: ``{{ asset('logo.png') }}`` in a template
and ``url(../assets/logo.png)`` in the theme's CSS. :class:`ThemeAssets` is the template's
``asset`` and records what it is asked for; :meth:`ThemeAssets.use_css` records what the CSS names.
Each edition then carries exactly those files: the web edition and the EPUB under ``assets/``
beside their pages (where the CSS's ``../assets/`` finds them too), the print edition through its
confined fetcher by :data:`SCHEME` URLs, which keep the theme's folder out of the PDF.

An asset must be a file of the theme's chain (a theme's file hides an ancestor's), an image
(PNG, JPEG, GIF, WebP, SVG) or a font (OpenType, TrueType, WOFF, WOFF2) by its content, with the
suffix of that content, and a name a URL and a book's zip carry as written: the EPUB's core media
types are what every reading system shows, so an edition refuses what the EPUB could not carry.
A path written into a template (``src="assets/logo.png"``) is found where the template says it
(:func:`literal_paths`): the web edition resolves it beside its pages, the others refuse it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

from exporter import imagefiles
from exporter.errors import ThemeError, suggest
from exporter.theming import Theme, css_urls

#: The scheme of the URLs the print document names assets by (``exporter-asset:logo.png``).
SCHEME = "exporter-asset"
#: Where the web edition and the EPUB carry the assets, beside their pages (``../assets/`` from ``css/``).
FOLDER = "assets"

#: Media types of the EPUB's core media types an asset may have, by the kind its content shows,
#: with the suffixes a file of that kind may have (an EPUB checks that they agree).
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "PNG": ("image/png", (".png",)),
    "JPEG": ("image/jpeg", (".jpg", ".jpeg")),
    "GIF": ("image/gif", (".gif",)),
    "WEBP": ("image/webp", (".webp",)),
    "SVG": ("image/svg+xml", (".svg",)),
    "OTF": ("font/otf", (".otf", ".ttf")),
    "TTF": ("font/ttf", (".ttf", ".otf")),
    "WOFF": ("font/woff", (".woff",)),
    "WOFF2": ("font/woff2", (".woff2",)),
}
RASTER = frozenset({"PNG", "JPEG", "GIF", "WEBP"})
_FONT_MAGIC = ((b"OTTO", "OTF"), (b"\x00\x01\x00\x00", "TTF"), (b"true", "TTF"), (b"wOFF", "WOFF"), (b"wOF2", "WOFF2"))
#: A name an asset may have: letters (any script), digits, ``-``, ``_``, ``.`` and ``/`` between folders.
_NAME = re.compile(r"[\w.-]+(?:/[\w.-]+)*")
#: Attributes of a page that hold a URL, and ``url(…)`` in a style.
_URL_ATTRIBUTES = ("src", "href", "poster", "data", "background", "{http://www.w3.org/1999/xlink}href")
_STYLE_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""", re.IGNORECASE)
#: A relative path to ``assets/`` written in a template's markup: in a URL attribute, a ``url()``, a srcset.
_LITERAL = re.compile(
    r"""(?:\b(?:src|href|poster|data|background)\s*=\s*["']\s*|url\(\s*['"]?\s*)(?:\./)?assets/([^"'\s,)]*)""",
    re.IGNORECASE,
)
_SRCSET = re.compile(r"""\bsrcset\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_SRCSET_LITERAL = re.compile(r"(?:^|,)\s*(?:\./)?assets/([^\s,]*)")


@dataclass(frozen=True)
class Asset:
    """One asset an edition carries: its name under ``assets/``, its file and its media type."""

    name: str
    path: Path
    media_type: str
    kind: str

    @property
    def raster(self) -> bool:
        """Whether it is a picture of pixels (which the vertical print edition turns with its pages)."""
        return self.kind in RASTER


def kind(file: Path) -> str | None:
    """The kind of asset the file's content is (a key of :data:`KINDS`), or None."""
    image = imagefiles.kind(file)
    if image is not None:
        return image
    try:
        with open(file, "rb") as stream:
            head = stream.read(1024)
    except OSError:
        return None
    found = next((name for magic, name in _FONT_MAGIC if head.startswith(magic)), None)
    if found is not None:
        return found
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<") and re.search(rb"<svg[\s>]", head):
        return "SVG"
    return None


def _listing(available: Iterable[str]) -> str:
    names = sorted(available)
    if not names:
        return "the theme has no assets"
    more = f" and {len(names) - 12} more" if len(names) > 12 else ""
    return f"the assets are {', '.join(names[:12])}{more}"


class ThemeAssets:
    """The assets one edition uses, recorded as templates and CSS name them, each checked once.

    Called from a template (``asset('logo.png')``), it gives the URL of the asset in the edition:
    ``assets/logo.png`` from a page at the edition's root (every page of the web edition and the
    EPUB is), or ``SCHEME:logo.png`` in the print document.
    """

    def __init__(self, theme: Theme, *, scheme: str | None = None, page_folder: str = "") -> None:
        self.theme = theme
        self.available = theme.assets()
        self.scheme = scheme
        self.page_folder = page_folder  # where the pages stand inside the edition ("" for its root)
        self.used: dict[str, Asset] = {}

    def __call__(self, name: object) -> str:
        """The URL a template writes for the asset ``name``; an unknown one is refused (templating adds the line)."""
        if not isinstance(name, str):
            raise ThemeError(f"asset() takes the name of a file of the theme's assets/ folder, not `{name!r}`")
        asset = self.use(name)
        if self.scheme:
            return f"{self.scheme}:{asset.name}"
        return posixpath.relpath(f"{FOLDER}/{asset.name}", self.page_folder or ".")

    def use(self, name: str, *, path: str | None = None, line: int | None = None, written: str = "") -> Asset:
        """The asset ``name``, recorded as used; a ThemeError at ``path``:``line`` when it cannot be carried."""
        if name in self.used:
            return self.used[name]
        what = written or f"asset('{name}')"
        file = self.available.get(name)
        if file is None:
            folder = self.theme.path / FOLDER
            hint = suggest(name, self.available)
            fix = f"{hint} ({_listing(self.available)}), or add" if hint else "add"
            raise ThemeError(
                f"{what}: the theme has no asset `{name}`: {fix} the file to {folder}"
                + ("" if hint else f" ({_listing(self.available)})"),
                path=path,
                line=line,
            )
        if not _NAME.fullmatch(name):
            raise ThemeError(
                f"{what}: the asset's name `{name}` has characters a URL or a book's zip would change "
                "(spaces, quotes, brackets, #, ?, %): rename the file with letters, digits, - _ and .",
                path=path,
                line=line,
            )
        found = kind(file)
        if found is None:
            raise ThemeError(
                f"{what}: `{name}` is not an image (PNG, JPEG, GIF, WebP, SVG) or a font (OTF, TTF, WOFF, WOFF2) "
                "by its content, which every edition and every e-reader can carry: convert it to one of them",
                path=path,
                line=line,
            )
        media_type, suffixes = KINDS[found]
        if PurePosixPath(name).suffix.lower() not in suffixes:
            raise ThemeError(
                f"{what}: `{name}` is a {found} file by its content, and an e-reader trusts its name: "
                f"rename it to end in {suffixes[0]}",
                path=path,
                line=line,
            )
        asset = Asset(name, file, media_type, found)
        self.used[name] = asset
        return asset

    def use_css(self, files: Sequence[tuple[str, Path, str]]) -> None:
        """Record the assets the CSS files (as :meth:`Theme.css_files` gives them) name with ``url(../assets/…)``."""
        for _, path, text in files:
            for name, line, written in css_references(text):
                self.use(name, path=str(path), line=line, written=written)

    def by_url(self, url: str) -> Asset | None:
        """The used asset a URL of the print document names, by :data:`SCHEME` or as a file of the theme's assets/."""
        # WeasyPrint percent-encodes what is not ASCII (报头.svg) in the URLs it fetches.
        name = unquote(url.removeprefix(f"{SCHEME}:"))
        if not url.startswith(f"{SCHEME}:"):
            parsed = urlparse(url)
            folder = (self.theme.path / FOLDER).as_posix() + "/"
            path = unquote(parsed.path)
            if parsed.scheme != "file" or parsed.netloc or not path.startswith(folder):
                return None
            name = path.removeprefix(folder)
        return self.used.get(name)

    def carried(self) -> list[Asset]:
        """The assets used, in the order of their names."""
        return [self.used[name] for name in sorted(self.used)]

    def files(self) -> dict[str, Path]:
        """The files the edition carries, by their path inside it (``assets/NAME``), in the order of their names."""
        return {f"{FOLDER}/{name}": self.used[name].path for name in sorted(self.used)}


def css_references(css: str) -> list[tuple[str, int, str]]:
    """The assets a theme's CSS names with ``url(../assets/NAME)``: each name, its line and the URL as written.

    The theme's CSS was checked when it was read (:meth:`Theme.css_files`): every other URL is a
    ``data:`` URL or a fragment.
    """
    found: list[tuple[str, int, str]] = []
    for url, line in css_urls(css):
        path = PurePosixPath(unquote(urlparse(url).path)).parts
        if path[:2] == ("..", FOLDER) and len(path) > 2 and not urlparse(url).scheme:
            found.append(("/".join(path[2:]), line, f"url({url})"))
    return found


def literal_paths(env: Any) -> list[tuple[str, int, str]]:
    """Paths to ``assets/`` written into the markup of the templates an environment has rendered.

    Each as its template's file, the line and the name after ``assets/``, in the order of the files'
    names; only the templates' text is read, never their comments or expressions, so
    ``{{ asset('logo.png') }}`` is not one.
    """
    templates = [t for t in (env.cache.values() if env.cache is not None else []) if t.filename]
    found: list[tuple[str, int, str]] = []
    for filename in sorted({t.filename for t in templates}):
        source = Path(filename).read_text(encoding="utf-8")
        for line, token, value in env.lex(source, filename=filename):
            if token != "data":
                continue
            hits = [(m.start(), m.group(1)) for m in _LITERAL.finditer(value)]
            for srcset in _SRCSET.finditer(value):
                hits += [(srcset.start(2) + m.start(), m.group(1)) for m in _SRCSET_LITERAL.finditer(srcset.group(2))]
            for start, name in sorted(hits):
                found.append((filename, line + value[:start].count("\n"), name))
    return found


def refuse_literal_paths(env: Any, edition: str) -> None:
    """Refuse a path to ``assets/`` written in a template: only the web edition's pages resolve it."""
    for filename, line, name in literal_paths(env):
        raise ThemeError(
            f"`assets/{name}` is a path only the web edition resolves, and the {edition} would lose the file: "
            f"write {{{{ asset('{name or 'NAME'}') }}}}, which every edition carries",
            path=filename,
            line=line,
        )


def page_references(page: str, html: str) -> list[str]:
    """The names of the assets a web page refers to by a relative ``assets/…`` URL (the page at the edition's root)."""
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(html.encode("utf-8"))
    urls: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in _URL_ATTRIBUTES:
            value = element.get(attribute)
            if value:
                urls.append(value)
        srcset = element.get("srcset")
        if srcset:
            urls += [part.split()[0] for part in srcset.split(",") if part.split()]
        style = element.get("style") or (element.text if element.tag == "style" else None)
        if style:
            urls += _STYLE_URL.findall(style)
    names: list[str] = []
    for url in urls:
        parsed = urlparse(url.strip())
        if parsed.scheme or parsed.netloc:
            continue
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parsed.path)))
        if resolved.startswith(f"{FOLDER}/"):
            names.append(resolved.removeprefix(f"{FOLDER}/"))
    return names
