"""Loads themes: ``theme.toml`` with inheritance, options, font roles, templates and CSS."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any
from urllib.parse import unquote, urlparse

from exporter import plugins
from exporter.errors import ThemeError, suggest

BASE = "base"
DEFAULT = "classic"
WRITING_MODES = ("horizontal-tb", "vertical-rl")
#: Keys of ``[fonts]`` that are settings, not font roles.
FONT_SETTINGS = ("synthetic_bold",)
_REGION = {
    "zh-tw": "TC",
    "zh-hant": "TC",
    "zh-hant-tw": "TC",
    "zh-mo": "HK",
    "zh-hk": "HK",
    "zh-hant-hk": "HK",
    "zh-hant-mo": "HK",
    "ja": "JP",
    "ja-jp": "JP",
    "ko": "KR",
}


@dataclass(frozen=True)
class Field:
    """One key of ``theme.toml``: its type, default and what it is for."""

    kind: type
    default: Any
    doc: str
    #: Another type the key takes (``inherit``: a list of names besides one name).
    also: type | None = None

    @property
    def kind_name(self) -> str:
        """The type as the reference shows it: ``str``, ``str or list``, ``table``."""
        names = ["table" if k is dict else k.__name__ for k in (self.kind, self.also) if k is not None]
        return " or ".join(names)


SCHEMA: dict[str, Field] = {
    "name": Field(str, "", "The theme's name, as `--theme` takes it."),
    "description": Field(str, "", "One line on what the theme is for."),
    "inherit": Field(
        str,
        BASE,
        "The theme this one builds on; its templates, CSS and settings apply unless overridden. "
        'A list adds mixins: `["binhai", "vertical"]` is binhai with vertical mixed in over it.',
        also=list,
    ),
    "options": Field(dict, {}, "Options with their defaults, readable in templates as `options.NAME`."),
    "fonts": Field(
        dict,
        {},
        "Font roles: `body = [family, fallback…]`, also `headline`, `sans`; `synthetic_bold = [role…]`: "
        "roles whose one-weight faces the engines embolden for bold text.",
    ),
    "edition": Field(dict, {}, "Per-edition settings: `[edition.html]`, `[edition.epub]`, `[edition.pdf]`."),
    "labels": Field(dict, {}, 'Words the editions print, per language: `[labels.zh]` toc = "目录".'),
}
EDITION_SCHEMA: dict[str, Field] = {
    "writing_mode": Field(str, "horizontal-tb", "`horizontal-tb`, or `vertical-rl` for 竖排."),
    "columns": Field(int, 1, "Text columns of an article (tiers in vertical print)."),
    "page_size": Field(
        str, "A4", 'Page size for print: A4, A3, B5, letter, tabloid, berliner… with `landscape`, or "315mm 470mm".'
    ),
    "cmyk_profile": Field(
        str,
        "",
        "The printer's CMYK ICC profile (a path, relative to the theme's folder), the output intent of `--print` "
        "PDF/X files; the shipped newsprint profile (CGATS TR 002, 240% ink) when empty.",
    ),
    "ink_limit": Field(
        int,
        240,
        "Total ink the paper takes, in per cent (240 for newsprint): pictures are held within it, preflight checks it.",
    ),
    "cmyk": Field(
        dict,
        {},
        "The theme's colours as the press prints them: "
        '`"#a4161a" = [0, 100, 85, 10]` (C, M, Y, K in per cent), '
        'or a spot colour, `"#a4161a" = { spot = "PANTONE 186 C", cmyk = [0, 100, 81, 4] }`.',
    ),
    "marks": Field(
        list,
        ["crop", "registration", "bars", "slug"],
        "What `--print` draws outside the bleed: crop marks, registration targets, colour bars, the slug line.",
    ),
    "makeup": Field(
        str,
        "pages",
        "Print make-up: `pages`, each 版 made up as a page, its overflow jumping to a later 版 with 转版 lines; or "
        "`flow`, the 版 running on from page to page as a book's chapters do (small pages: the reader theme).",
    ),
}
#: The values of ``makeup`` in [edition.pdf].
MAKEUPS = ("pages", "flow")


@dataclass(frozen=True)
class Theme:
    """A loaded theme, its settings merged over those of the themes it inherits."""

    name: str
    path: Path
    description: str
    #: The first theme ``inherit`` names (the one it builds on); ``None`` for the base.
    parent: Theme | None
    options: Mapping[str, Any] = field(default_factory=dict)
    fonts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    editions: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: The themes ``inherit`` names after the first, in its order: each is mixed in over those before it.
    mixins: tuple[Theme, ...] = ()
    #: What this theme's own ``theme.toml`` sets (options, fonts, edition, labels), before anything is merged.
    declared: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    #: Stylesheets appended after the theme's CSS in every edition (``extra_css`` in ``exporter.toml``).
    extra_css: tuple[Path, ...] = ()

    #: Roles whose faces of one weight the engines embolden for bold text (``[fonts] synthetic_bold``).
    synthetic_bold: tuple[str, ...] = ()

    @functools.cached_property
    def chain(self) -> tuple[Theme, ...]:
        """This theme, then the themes it inherits, nearest first, each once, up to the base.

        With mixins it is the C3 linearisation Python gives a class's bases, read with the last theme
        ``inherit`` names first (it is mixed in over the others): ``inherit = ["binhai", "vertical"]``
        gives this theme, vertical, binhai, classic, base. Templates are looked up in this order, and
        CSS, options, fonts, edition settings, labels and assets are applied in the reverse, base first.
        """
        order = _linearised(self)
        if order is None:
            raise _unordered(self, self.path / "theme.toml")
        return order

    #: The keys this theme's own theme.toml sets, as paths (``("labels", "zh", "toc")``), each with its line.
    keys: Mapping[tuple[str, ...], int | None] = field(default_factory=dict)

    @property
    def parents(self) -> tuple[Theme, ...]:
        """The themes ``inherit`` names, in its order: the parent, then the mixins."""
        return (self.parent, *self.mixins) if self.parent else self.mixins

    @property
    def font_dirs(self) -> tuple[Path, ...]:
        """The ``fonts/`` folders of this theme and its ancestors, searched before the shipped fonts."""
        return tuple(t.path / "fonts" for t in self.chain)

    def template_dirs(self, override: Path | None = None) -> list[Path]:
        """Where templates are looked up, in order: the user's override folder, this theme, its ancestors."""
        dirs = [override] if override is not None else []
        dirs += [t.path / "templates" for t in self.chain]
        return [d for d in dirs if d.is_dir()]

    def edition(self, name: str) -> Mapping[str, Any]:
        """The settings of one edition (html, epub, pdf), defaults filled in."""
        merged = {k: f.default for k, f in EDITION_SCHEMA.items()}
        merged.update(self.editions.get(name, {}))
        return MappingProxyType(merged)

    def css(self, medium: str) -> str:
        """The theme's stylesheet for a medium: ``common.css`` then ``<medium>.css`` of each theme, base first.

        The project's ``extra_css`` files come last, in every medium.
        """
        return joined_css(self.css_files(medium))

    def css_files(self, medium: str, after: str | None = None) -> list[tuple[str, Path, str]]:
        """The CSS files :meth:`css` joins, in order, each as its label (``base/css/common.css``), path and text.

        ``after`` names a file read after every theme's ``common.css`` and ``<medium>.css``, base first (the
        e-edition's ``e-edition.css`` after the web edition's); the project's ``extra_css`` come last. Each
        file is checked as it is read: a URL outside the theme's ``assets/`` is refused with its line.
        """
        files: list[tuple[str, Path, str]] = []
        rounds = [("common.css", f"{medium}.css")] + ([(after,)] if after else [])
        for names in rounds:
            for theme in reversed(self.chain):
                for name in names:
                    file = theme.path / "css" / name
                    if file.is_file():
                        text = file.read_text(encoding="utf-8")
                        _refuse_outside_urls(text, file)
                        files.append((f"{theme.name}/css/{name}", file, text))
        for file in self.extra_css:
            text = file.read_text(encoding="utf-8")
            _refuse_outside_urls(text, file)
            files.append((f"extra_css/{file.name}", file, text))
        return files

    def assets(self) -> dict[str, Path]:
        """Asset files by relative path; a theme's file hides an ancestor's of the same name."""
        found: dict[str, Path] = {}
        for theme in reversed(self.chain):
            folder = theme.path / "assets"
            if folder.is_dir():
                for file in sorted(folder.rglob("*")):
                    if file.is_file():
                        found[file.relative_to(folder).as_posix()] = file
        return found

    def font_roles(self, language: str) -> dict[str, tuple[str, ...]]:
        """Font roles with the families of the issue's region first among the CJK families exporter knows.

        Those are the shipped "Exporter Serif SC" and "Exporter Sans SC" (subsets of Noto CJK SC) and
        the Noto CJK families ("Noto Serif CJK SC", "… TC", "… HK", "… JP", "… KR", "Noto Sans Mono
        CJK …"). For an issue of a region (:func:`region`: TC for zh-TW and zh-Hant, HK for zh-HK and
        zh-MO, JP, KR), the region's Noto family of each design (serif, sans, mono) a role names
        takes the place of the first known family of that design, ahead of "Exporter … SC", so that
        every character the regional face has, GB 2312 and the punctuation among them, is set in
        the region's forms: a Hong Kong issue takes Hong Kong's glyphs and its centred ，。. A role
        naming "Exporter … SC" without the regional family gets the family put in its place all the
        same (the shipped face stands for Noto CJK SC). Families of the theme's own stay where the
        theme put them, and a role naming no known family is left as it is. An issue of no region
        (zh-CN, zh-Hans, zh) keeps the roles as the theme wrote them.
        """
        wanted = region(language)
        if wanted is None:
            return dict(self.fonts)
        out: dict[str, tuple[str, ...]] = {}
        for role, families in self.fonts.items():
            order = list(families)
            for design in dict.fromkeys(d for d in map(_cjk_design, families) if d is not None):
                # The regional family is of the design: it is at or after the first of it, so taking
                # it out moves nothing before that place.
                first = next(i for i, f in enumerate(order) if _cjk_design(f) == design)
                regional = f"Noto {design} CJK {wanted}"
                named = [f for f in order if _norm_family(f) == _norm_family(regional)]
                order = [f for f in order if _norm_family(f) != _norm_family(regional)]
                order.insert(first, named[0] if named else regional)
            out[role] = tuple(order)
        return out

    def label(self, language: str, key: str) -> str:
        """A word the editions print, from the labels of the issue's language tag, most specific first.

        A zh-HK issue reads ``[labels.zh-HK]``, then ``[labels.zh-Hant]`` (the script its region writes),
        then ``[labels.zh]``; English and then Chinese are the last resorts.
        """
        tables = {tag.lower(): table for tag, table in self.labels.items()}
        for tag in (*language_fallbacks(language), "en", "zh"):
            table = tables.get(tag)
            if table and key in table:
                return table[key]
        lang = language.split("-")[0].lower()
        raise ThemeError(f"theme {self.name} has no label `{key}`: add it under [labels.{lang}] in theme.toml")


#: The CJK families exporter knows, by design: the shipped subsets of Noto CJK SC and Noto CJK's own.
_CJK_FAMILY = re.compile(r"(?:noto(serif|sans|sansmono)cjk(?:sc|tc|hk|jp|kr)|exporter(serif|sans)sc)")
_DESIGNS = {"serif": "Serif", "sans": "Sans", "sansmono": "Sans Mono"}


def region(language: str) -> str | None:
    """The region whose Noto CJK faces set an issue in ``language``: TC, HK, JP, KR, or None (simplified Chinese).

    TC for zh-TW and zh-Hant (and zh-Hant-TW), HK for zh-HK and zh-MO (and zh-Hant-HK, zh-Hant-MO);
    a script given wins over the region (zh-Hans-HK has none).
    """
    for tag in language_fallbacks(language):
        if tag in _REGION:
            return _REGION[tag]
        if tag in ("zh", "zh-hans"):
            return None
    return None


#: The OpenType language system of each region's localised forms in Noto CJK.
_LANGUAGE_SYSTEMS = {"TC": "ZHT ", "HK": "ZHH ", "JP": "JAN ", "KR": "KOR "}


def regional_languages(family: str, language: str) -> tuple[str, ...] | None:
    """The language systems a subset of ``family`` keeps for an issue in ``language``; None to keep them all.

    A Noto CJK family of the issue's region (:func:`region`) keeps its region's localised forms
    and its default ones, which are that region's: the Japanese, Korean and other Chinese forms it
    holds besides are of no use to the issue. Any other family, and any family for an issue of no
    region, keeps every language system (a zh-CN issue's subsets stay as they were).
    """
    wanted = region(language)
    if wanted is None or _cjk_design(family) is None or not _norm_family(family).startswith("noto"):
        return None
    if not _norm_family(family).endswith(wanted.lower()):
        return None
    return (_LANGUAGE_SYSTEMS[wanted],)


def _norm_family(family: str) -> str:
    """A family name as fontconfig compares it: case and spaces ignored."""
    return "".join(family.split()).casefold()


def _cjk_design(family: str) -> str | None:
    """``Serif``, ``Sans`` or ``Sans Mono`` for a CJK family exporter knows (:data:`_CJK_FAMILY`), else None."""
    match = _CJK_FAMILY.fullmatch(_norm_family(family))
    return _DESIGNS[match.group(1) or match.group(2)] if match else None


def _linearised(theme: Theme) -> tuple[Theme, ...] | None:
    """The C3 linearisation of ``theme`` and what it inherits, the last theme ``inherit`` names first; ``None`` if
    the themes it inherits order their common ancestors in ways that contradict each other."""
    heads = list(reversed(theme.parents))
    sequences = [list(parent.chain) for parent in heads] + [heads]
    out = [theme]
    while True:
        sequences = [s for s in sequences if s]
        if not sequences:
            return tuple(out)
        for sequence in sequences:
            head = sequence[0].path
            if not any(head in (t.path for t in other[1:]) for other in sequences):
                break
        else:
            return None
        out.append(sequence[0])
        for other in sequences:
            if other[0].path == head:
                del other[0]


def joined_css(files: Sequence[tuple[str, Path, str]]) -> str:
    """The CSS files of :meth:`Theme.css_files` as one stylesheet, each under a comment with its label."""
    return "\n".join(f"/* {label} */\n{text}" for label, _, text in files)


#: The script a Chinese region writes, for a tag that names the region and not the script.
_IMPLIED_SCRIPT = {
    "zh-hk": "zh-hant",
    "zh-mo": "zh-hant",
    "zh-tw": "zh-hant",
    "zh-cn": "zh-hans",
    "zh-sg": "zh-hans",
    "zh-my": "zh-hans",
}


def language_fallbacks(language: str) -> list[str]:
    """The tags to look a language's words up under, most specific first (RFC 4647 lookup, lower case).

    ``zh-Hant-HK`` gives zh-hant-hk, zh-hant, zh; ``zh-HK``, which implies its script, gives zh-hk,
    zh-hant, zh.
    """
    subtags = language.lower().split("-")
    chain = ["-".join(subtags[:n]) for n in range(len(subtags), 0, -1)]
    implied = _IMPLIED_SCRIPT.get(f"{subtags[0]}-{subtags[-1]}")
    if implied and not any(len(subtag) == 4 and subtag.isalpha() for subtag in subtags[1:]):  # no script given
        chain.insert(len(chain) - 1, implied)
    return chain


def _refuse_outside_urls(css: str, file: Path) -> None:
    """Refuse a URL in a theme's CSS that is not a data: URL or a file of the theme's ``assets/``, and @import.

    The web edition carries the theme's ``assets/`` beside its stylesheet and the print edition reads
    them from the theme, so ``url(../assets/NAME)`` is the same file in every edition; anything else
    would be fetched from the network or the disk by one edition and shipped as a dead link by another.
    """
    import tinycss2

    def refuse(message: str, line: int) -> None:
        raise ThemeError(message, path=str(file), line=line)

    def check(url: str, line: int) -> None:
        parsed = urlparse(url)
        if not url or url.startswith("#") or parsed.scheme == "data":
            return
        parts = PurePosixPath(unquote(parsed.path)).parts if not (parsed.scheme or parsed.netloc) else ()
        if url.startswith("/") or parsed.scheme or parsed.netloc or len(parts) < 3 or parts[:2] != ("..", "assets"):
            refuse(
                f"`{url}` is not a file of the theme's assets/ folder, and no edition fetches it: "
                "copy the file into the theme's assets/ folder and write url(../assets/NAME)",
                line,
            )
        if ".." in parts[2:]:
            refuse(f"`{url}` climbs out of the theme's assets/ folder: copy the file into it", line)

    for node in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if node.type == "at-rule" and node.lower_at_keyword == "import":
            target = next((t.value for t in node.prelude if t.type in ("string", "url")), "")
            target = target or next(
                (a.value for t in node.prelude if t.type == "function" for a in t.arguments if a.type == "string"),
                "",
            )
            refuse(
                "@import is not followed: a theme's CSS files are joined into one stylesheet per edition: "
                f"copy the rules of `{target}` into css/common.css or css/<edition>.css",
                node.source_line,
            )
    for url, line in css_urls(css):
        check(url, line)


def css_urls(css: str) -> list[tuple[str, int]]:
    """The URLs a stylesheet names in ``url()``, ``src()`` and ``image-set()``, at any depth, each with its line."""
    import tinycss2

    found: list[tuple[str, int]] = []

    def visit(nodes: list[Any]) -> None:
        for node in nodes:
            if node.type == "url":
                found.append((node.value, node.source_line))
            elif node.type == "function" and node.lower_name in ("url", "src", "image-set", "-webkit-image-set"):
                found.extend((a.value, a.source_line) for a in node.arguments if a.type == "string")
            for child in (getattr(node, "prelude", None), getattr(node, "content", None)):
                if isinstance(child, list):
                    visit(child)
            if node.type == "function":
                visit(node.arguments)

    visit(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return found


def available(search: tuple[Path, ...] = ()) -> dict[str, Path]:
    """Theme names and folders: the installed ones (entry points), then those in the extra search folders."""
    found = {name: folder for name, folder in installed().items() if isinstance(folder, Path)}
    for root in search:
        if root.is_dir():
            for toml in sorted(root.glob("*/theme.toml")):
                found.setdefault(toml.parent.name, toml.parent)
    return found


@functools.cache
def installed() -> Mapping[str, Path | ThemeError]:
    """The themes installed packages declare in the ``exporter.themes`` entry points, exporter's own first.

    An entry point names a module, whose folder is the theme (as MkDocs finds its themes), or a
    function that takes the theme's name and returns its folder (as exporter does for the themes
    it ships). One that cannot be loaded gives, in its place, the error to raise if it is asked for.
    """
    from importlib.resources import files
    from types import ModuleType

    found: dict[str, Path | ThemeError] = {}
    for point in plugins.points(plugins.THEMES):
        try:
            target = point.load()
            found[point.name] = Path(str(files(target))) if isinstance(target, ModuleType) else Path(target(point.name))
        except Exception as exc:
            package = point.dist.name if point.dist else "its package"
            found[point.name] = ThemeError(
                f"the theme `{point.name}` that {package} installs cannot be loaded ({exc}): "
                f"reinstall or remove {package}"
            )
    return MappingProxyType(found)


def _either(names: Sequence[str]) -> str:
    """``html, epub or pdf``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


#: Page sizes by name, portrait, in millimetres, with the columns of text that fit them: CSS's named sizes
#: (css-page-3) and the newspaper formats.
PAGE_SIZES: dict[str, tuple[float, float, int]] = {
    "a5": (148, 210, 1),
    "a4": (210, 297, 3),
    "a3": (297, 420, 5),
    "b5": (176, 250, 2),
    "b4": (250, 353, 4),
    "jis-b5": (182, 257, 2),
    "jis-b4": (257, 364, 4),
    "letter": (215.9, 279.4, 3),
    "legal": (215.9, 355.6, 3),
    "ledger": (279.4, 431.8, 5),
    "tabloid": (280, 430, 5),
    "berliner": (315, 470, 6),
    "broadsheet": (375, 597, 6),
}
#: Millimetres per unit of a page size's lengths.
PAGE_UNITS = {"mm": 1.0, "cm": 10.0, "q": 0.25, "in": 25.4, "pc": 25.4 / 6, "pt": 25.4 / 72, "px": 25.4 / 96}
#: The shortest and the longest side of a page, in millimetres (A0's long side is 1189).
PAGE_LIMITS = (50, 1200)


@dataclass(frozen=True)
class PageSize:
    """A print page: width and height in millimetres, and the columns a named size brings (None for lengths)."""

    width: float
    height: float
    columns: int | None


def page_size(value: str) -> PageSize:
    """A page size as CSS's ``@page { size }`` writes it: ``A4``, ``B5 landscape``, or two lengths, ``315mm 470mm``.

    A name may come with ``portrait`` or ``landscape`` (turned on its side, with the columns widened in
    proportion); one length gives a square page. Raises :class:`ValueError` saying what to write instead.
    """
    import tinycss2

    tokens = [t for t in tinycss2.parse_component_value_list(value, skip_comments=True) if t.type != "whitespace"]
    words = [t.lower_value for t in tokens if t.type == "ident"]
    lengths = [t for t in tokens if t.type == "dimension" and t.lower_unit in PAGE_UNITS]
    orientation = [w for w in words if w in ("portrait", "landscape")]
    sizes = [w for w in words if w not in ("portrait", "landscape")]
    if lengths and len(lengths) == len(tokens) <= 2:
        width, height = (float(t.value) * PAGE_UNITS[t.lower_unit] for t in (lengths * 2)[:2])
        low, high = PAGE_LIMITS
        for side in (width, height):
            if not low <= side <= high:
                raise ValueError(f"`{value}` has a side of {side:g} mm: a page's side is {low} to {high} mm long")
        return PageSize(round(width, 3), round(height, 3), None)
    if len(words) == len(tokens) and len(sizes) == 1 and len(orientation) <= 1 and sizes[0] in PAGE_SIZES:
        width, height, columns = PAGE_SIZES[sizes[0]]
        if orientation == ["landscape"]:
            width, height, columns = height, width, max(1, round(columns * height / width))
        return PageSize(width, height, columns)
    unit = next((t.unit for t in tokens if t.type == "dimension" and t.lower_unit not in PAGE_UNITS), None)
    if unit is not None:
        raise ValueError(
            f"`{value}` is not a page size: `{unit}` is no unit of a page's size: use {', '.join(PAGE_UNITS)}"
        )
    if any(t.type in ("number", "percentage") for t in tokens):
        raise ValueError(f'`{value}` is not a page size: a length needs its unit, as in "315mm 470mm"')
    shown = {name: name.upper() if re.fullmatch(r"(jis-)?[ab]\d", name) else name for name in PAGE_SIZES}
    close = suggest(sizes[0], PAGE_SIZES) if len(sizes) == 1 and sizes[0] not in PAGE_SIZES else ""
    for name, display in shown.items():
        close = close.replace(f"`{name}`", f"`{display}`")
    hint = f"{close} " if close else ""
    raise ValueError(
        f"`{value}` is not a page size: {hint}write a name ({', '.join(shown.values())}), with `landscape` "
        'for a page on its side, or its width and height, as in "315mm 470mm"'
    )


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line of each key and table header of a TOML text, by its path: ``("labels", "zh", "toc")``.

    tomllib keeps no positions; a key is found on the first line that sets it under its table's header.
    """
    key = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
    dotted = rf"{key}(?:\s*\.\s*{key})*"
    header = re.compile(rf"\s*\[\[?\s*({dotted})\s*\]\]?\s*(?:#.*)?$")
    assignment = re.compile(rf"\s*({dotted})\s*=(.*)$")
    found: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    open_string = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        if open_string:
            if raw.count(open_string) % 2:
                open_string = ""
            continue
        if match := header.match(raw):
            table = _key_parts(match.group(1), key)
            for end in range(1, len(table) + 1):
                found.setdefault(table[:end], number)
        elif match := assignment.match(raw):
            path = table + _key_parts(match.group(1), key)
            for end in range(len(table) + 1, len(path) + 1):
                found.setdefault(path[:end], number)
            rest = match.group(2)
            open_string = next((q for q in ('"""', "'''") if rest.count(q) % 2), "")
    return found


def _key_parts(dotted: str, key: str) -> tuple[str, ...]:
    """``labels."zh-Hant"`` as ``("labels", "zh-Hant")``."""
    parts = re.findall(key, dotted)
    return tuple(p[1:-1].replace('\\"', '"').replace("\\\\", "\\") if p[0] in "\"'" else p for p in parts)


def _key_paths(data: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every key of a TOML document and of its tables, as paths."""
    paths: list[tuple[str, ...]] = []
    for name, value in data.items():
        paths.append((*prefix, name))
        if isinstance(value, dict):
            paths += _key_paths(value, (*prefix, name))
    return paths


def _read(folder: Path) -> dict[str, Any]:
    file = folder / "theme.toml"
    if not file.is_file():
        raise ThemeError(f"{folder} has no theme.toml: a theme is a folder with theme.toml, templates/ and css/")
    text = file.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ThemeError(f"{file}: {exc}: fix the TOML syntax") from None
    for key, value in data.items():
        spec = SCHEMA.get(key)
        if spec is None:
            hint = suggest(key, SCHEMA) or f"known keys: {', '.join(SCHEMA)}"
            raise ThemeError(f"{file}: unknown key `{key}`: {hint}")
        if key == "inherit":  # a name or a list of names: _inherited checks it
            continue
        if not isinstance(value, spec.kind):
            raise ThemeError(f"{file}: `{key}` must be a {spec.kind.__name__}: {spec.doc}")
    for edition, settings in data.get("edition", {}).items():
        known = plugins.names(plugins.EDITIONS)
        if edition not in known:
            raise ThemeError(f"{file}: unknown edition `[edition.{edition}]`: use {_either(known)}")
        for key, value in settings.items():
            spec = EDITION_SCHEMA.get(key)
            if spec is None:
                raise ThemeError(
                    f"{file}: unknown setting `{key}` in [edition.{edition}]: known: {', '.join(EDITION_SCHEMA)}"
                )
            if not isinstance(value, spec.kind):
                raise ThemeError(f"{file}: `{key}` in [edition.{edition}] must be a {spec.kind.__name__}: {spec.doc}")
        if "page_size" in settings:
            try:
                page_size(settings["page_size"])
            except ValueError as exc:
                line = key_lines(text).get(("edition", edition, "page_size"))
                raise ThemeError(f"[edition.{edition}] page_size {exc}", path=str(file), line=line) from None
        if settings.get("makeup", "pages") not in MAKEUPS:
            line = key_lines(text).get(("edition", edition, "makeup"))
            raise ThemeError(
                f"[edition.{edition}] makeup `{settings['makeup']}`: use one of {', '.join(MAKEUPS)}",
                path=str(file),
                line=line,
            )
        mode = settings.get("writing_mode")
        if mode is not None and mode not in WRITING_MODES:
            raise ThemeError(
                f"{file}: writing_mode `{mode}` in [edition.{edition}]: use one of {', '.join(WRITING_MODES)}"
            )
    for role, families in data.get("fonts", {}).items():
        if role in FONT_SETTINGS:
            continue
        if not (isinstance(families, list) and families and all(isinstance(f, str) for f in families)):
            raise ThemeError(
                f'{file}: font role `{role}` must be a list of family names, such as ["Exporter Serif SC"]'
            )
    return data


def load(name_or_path: str | Path = DEFAULT, search: tuple[Path, ...] = ()) -> Theme:
    """A theme by name (built-in, or in ``search``) or by folder path, with all it inherits."""
    return _load(name_or_path, search, ())


def _locate(name_or_path: str | Path, search: tuple[Path, ...]) -> Path:
    as_path = Path(name_or_path)
    if (
        isinstance(name_or_path, Path)
        or "/" in str(name_or_path)
        or (as_path.is_dir() and (as_path / "theme.toml").is_file())
    ):
        if not (as_path / "theme.toml").is_file():
            raise ThemeError(f"{as_path} is not a theme folder (no theme.toml): create one with `exporter themes new`")
        return as_path.resolve()
    broken = installed().get(str(name_or_path))
    if isinstance(broken, ThemeError):
        raise broken
    themes = available(search)
    if name_or_path not in themes:
        names = ", ".join(sorted(n for n in themes if n != BASE))
        raise ThemeError(f"no theme named `{name_or_path}`: the themes are {names}, or give a theme folder's path")
    return themes[str(name_or_path)]


def _base() -> Path:
    """The folder of the base theme every theme inherits, which exporter installs."""
    base = installed().get(BASE)
    if not isinstance(base, Path):
        raise ThemeError("exporter's own themes are not installed: install exporter again (pip install exporter)")
    return base.resolve()


def _load(name_or_path: str | Path, search: tuple[Path, ...], seen: tuple[Path, ...]) -> Theme:
    folder = _locate(name_or_path, search)
    if folder in seen:
        cycle = " -> ".join(p.name for p in (*seen, folder))
        names = ", ".join(sorted(n for n in available(search) if n != BASE))
        toml = seen[-1] / "theme.toml"
        raise ThemeError(
            f"themes inherit in a cycle ({cycle}): make one of them inherit another; the themes are {names}",
            path=str(toml),
            line=_key_line(toml, "inherit"),
        )
    data = _read(folder)
    name = data.get("name") or folder.name
    parents: list[Theme] = []
    if folder != _base():
        # A theme beside other themes may inherit its siblings by name.
        parents = [_load(n, (*search, folder.parent), (*seen, folder)) for n in _inherited(data, folder)]
    theme = Theme(
        name=name,
        path=folder,
        description=data.get("description", ""),
        parent=parents[0] if parents else None,
        mixins=tuple(parents[1:]),
        declared=MappingProxyType(data),
    )
    options: dict[str, Any] = {}
    fonts: dict[str, tuple[str, ...]] = {}
    editions: dict[str, dict[str, Any]] = {}
    labels: dict[str, dict[str, str]] = {}
    synthetic: tuple[str, ...] = ()
    # Base first, each theme over those below it; theme.chain refuses a list of themes that no order satisfies.
    for ancestor in reversed(theme.chain):
        own = ancestor.declared
        options.update(own.get("options", {}))
        fonts.update({k: tuple(v) for k, v in own.get("fonts", {}).items() if k not in FONT_SETTINGS})
        if "synthetic_bold" in own.get("fonts", {}):
            synthetic = _synthetic_bold(own["fonts"]["synthetic_bold"], fonts, ancestor.path)
        for edition, settings in own.get("edition", {}).items():
            editions.setdefault(edition, {}).update(settings)
        for lang, table in own.get("labels", {}).items():
            labels.setdefault(lang, {}).update({k: str(v) for k, v in table.items()})
    return replace(
        theme,
        options=MappingProxyType(options),
        fonts=MappingProxyType(fonts),
        editions=MappingProxyType({k: MappingProxyType(v) for k, v in editions.items()}),
        labels=MappingProxyType({k: MappingProxyType(v) for k, v in labels.items()}),
        synthetic_bold=synthetic,
        keys=_own_keys(folder, data),
    )


def _key_line(file: Path, key: str) -> int | None:
    """The line of ``theme.toml`` that sets a top-level key, for an error about it."""
    try:
        return key_lines(file.read_text(encoding="utf-8")).get((key,))
    except OSError:
        return None


def _inherited(data: Mapping[str, Any], folder: Path) -> list[str]:
    """The themes ``inherit`` names: one name, or a list of them (the parent, then mixins); ``base`` by default."""
    value = data.get("inherit", BASE)
    toml = folder / "theme.toml"

    def refuse(message: str) -> ThemeError:
        return ThemeError(message, path=str(toml), line=_key_line(toml, "inherit"))

    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise refuse(
            'inherit must be a theme\'s name or a list of them, such as inherit = "classic" or '
            'inherit = ["harbour", "vertical"]'
        )
    if not names:
        raise refuse('inherit = [] names no theme: name the theme this one builds on, such as inherit = ["classic"]')
    twice = next((n for i, n in enumerate(names) if n in names[:i]), None)
    if twice is not None:
        raise refuse(f"inherit names `{twice}` twice: name each theme once")
    return names


def _unordered(theme: Theme, toml: Path) -> ThemeError:
    """The error for a list of themes to inherit that no order satisfies, naming the two that conflict."""
    names = [p.name for p in theme.parents]
    for i, earlier in enumerate(theme.parents):
        for later in theme.parents[i + 1 :]:
            if any(t.path == later.path for t in earlier.chain[1:]):
                message = (
                    f"inherit lists `{later.name}` after `{earlier.name}`, which inherits it already, and a theme "
                    f"listed later is mixed in over those before it: list `{later.name}` first, or leave it out"
                )
                return ThemeError(message, path=str(toml), line=_key_line(toml, "inherit"))
    message = (
        f"the themes inherit = {names} names order the themes they share in contradicting ways: "
        "inherit one of them, or reorder the list"
    )
    return ThemeError(message, path=str(toml), line=_key_line(toml, "inherit"))


def _synthetic_bold(value: Any, roles: Mapping[str, tuple[str, ...]], folder: Path) -> tuple[str, ...]:
    """``[fonts] synthetic_bold`` of one theme's ``theme.toml``: a list of font roles of the theme."""
    file = folder / "theme.toml"
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise ThemeError(f'{file}: `synthetic_bold` in [fonts] must be a list of font roles, such as ["headline"]')
    for role in value:
        if role not in roles:
            hint = suggest(role, roles) or f"the roles are {', '.join(sorted(roles))}"
            raise ThemeError(f"{file}: `synthetic_bold` in [fonts] names `{role}`, which is no font role: {hint}")
    return tuple(value)


def _own_keys(folder: Path, data: Mapping[str, Any]) -> Mapping[tuple[str, ...], int | None]:
    """The keys a theme's own theme.toml sets, with their lines (``None`` where the scan finds none)."""
    lines = key_lines((folder / "theme.toml").read_text(encoding="utf-8"))
    return MappingProxyType({path: lines.get(path) for path in _key_paths(data)})


_NEW_TOML = """name = "{name}"
description = "A theme of my paper, built on {base}."
inherit = "{base}"

# Options inherited from {base}, with their defaults; uncomment one to change it.
[options]
{options}
"""
_NEW_CSS = """/* {name}: rules here come after those of {base}, so they win.
   Uncommented, this example override sets headlines in the accent colour: */
/* .headline {{ color: var(--accent); }} */
"""


def new(name: str, base: str, into: Path) -> Path:
    """Create a theme folder that inherits ``base``, with a commented override as an example."""
    import re

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name):
        raise ThemeError(f"`{name}` cannot name a theme: use letters, digits, - and _")
    parent = load(base)
    folder = into / name
    if folder.exists():
        raise ThemeError(f"{folder} exists already: choose another name or remove it")
    options = "\n".join(f"# {key} = {_toml_value(value)}" for key, value in sorted(parent.options.items()))
    (folder / "templates").mkdir(parents=True)
    (folder / "css").mkdir()
    (folder / "theme.toml").write_text(_NEW_TOML.format(name=name, base=base, options=options), encoding="utf-8")
    (folder / "css" / "common.css").write_text(_NEW_CSS.format(name=name, base=base), encoding="utf-8")
    lines = [
        "A template here replaces the inherited one of its name. It may extend it and change only its blocks:",
        '{% extends "masthead.html" %}{% block masthead_name %}{{ super() }}<p>…</p>{% endblock %}',
        "(docs/themes.md, Templates, lists the blocks). The templates `" + base + "` uses are in:",
    ]
    for where, names in template_sources(parent).items():
        lines.append(f"  {where}: {', '.join(names)}")
    (folder / "templates" / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def template_sources(theme: Theme) -> dict[Path, list[str]]:
    """The folders that hold the templates ``theme`` uses, through inheritance, with the templates each gives."""
    found: dict[str, Path] = {}
    for folder in theme.template_dirs():
        for template in sorted(folder.glob("*.html")):
            found.setdefault(template.name, folder)
    grouped: dict[Path, list[str]] = {}
    for name, folder in sorted(found.items()):
        grouped.setdefault(folder, []).append(name)
    return grouped


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
