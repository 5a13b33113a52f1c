"""Chooses, subsets and declares the fonts an edition embeds: @font-face rules and role variables."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from exporter import fonts
from exporter.theming import Theme

SPACES = frozenset(" \u3000")
GENERIC = {"body": "serif", "headline": "sans-serif", "sans": "sans-serif"}


@dataclass(frozen=True)
class Embedded:
    """One subset font file of an edition and the CSS family it is declared under."""

    css_family: str
    weight: int
    style: str
    file_name: str
    path: Path
    face: fonts.Face
    #: The ``format()`` of its ``@font-face`` source.
    format: str = "opentype"


@dataclass(frozen=True)
class FontSet:
    """The fonts of one edition: files to embed, the families each role sets text in, and where the CSS points.

    It stays data until :attr:`css` writes the ``@font-face`` rules and the ``--font-ROLE`` variables,
    so that an edition that derives other files from the subsets (the turned fonts of the vertical
    PDF, :meth:`derived`) declares them the same way.
    """

    files: tuple[Embedded, ...]
    roles: Mapping[str, Sequence[str]]
    href_prefix: str | None = None

    @property
    def css(self) -> str:
        """The ``@font-face`` rules and the ``:root`` role variables."""
        return _css(self.files, self.roles, self.href_prefix)

    def derived(self, make: Callable[[Embedded], Path]) -> FontSet:
        """The same declarations, each naming the file ``make`` derives from its subset, in its own format."""
        return replace(self, files=tuple(replace(f, path=(p := make(f)), format=font_format(p)) for f in self.files))


def named(fontset: FontSet, cache_dir: Path | None = None) -> FontSet:
    """The same fonts, each a copy whose own names say the family its ``@font-face`` declares (for e-readers).

    A family that holds a name the font reserves (see :mod:`exporter.fonts.naming`) is declared without it,
    in the rules and the role variables alike.
    """
    from exporter.fonts import naming

    folder = cache_dir if cache_dir is not None else fonts.default_cache_dir()
    families: dict[str, str] = {}
    for f in fontset.files:
        if f.css_family not in families:
            reserved = naming.reserved_names(f.path, f.face.path.parent)
            families[f.css_family] = naming.free_family(f.css_family, reserved, families.values())
    files = tuple(
        replace(
            f,
            css_family=families[f.css_family],
            path=naming.named(f.path, families[f.css_family], f.weight, f.style, cache_dir=folder),
        )
        for f in fontset.files
    )
    roles = {role: [families.get(name, name) for name in names] for role, names in fontset.roles.items()}
    return replace(fontset, files=files, roles=roles)


def font_format(path: Path) -> str:
    """The @font-face format of a font file: TrueType outlines or OpenType (CFF)."""
    with path.open("rb") as font:
        return "truetype" if font.read(4) == b"\x00\x01\x00\x00" else "opentype"


def _slug(family: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", family.lower()).strip("-")


def embed(
    theme: Theme,
    usage: Mapping[tuple[str, int], set[str]],
    language: str,
    *,
    flavor: Literal["woff2"] | None,
    href_prefix: str | None,
    cache_dir: Path | None = None,
) -> FontSet:
    """Subset the faces of the theme's roles to the characters each sets, and declare them.

    The CSS points at ``href_prefix`` + the file's name, or at the cached file itself when
    ``href_prefix`` is None (for a renderer on this machine).

    ``usage`` maps (role, weight) to the characters set so (see :mod:`fontuse`). In a role's
    chain, each family by its face nearest that weight, a face carries only the characters no face
    before it has, so the full system fonts that serve traditional characters add only those.
    """
    chains = fonts.resolve(theme.font_roles(language), theme.font_dirs)
    wanted: dict[tuple[str, int, int], set[str]] = {}
    faces: dict[tuple[str, int, int], fonts.Face] = {}
    families: dict[str, list[fonts.Face]] = {}
    for (role, weight), chars in sorted(usage.items()):
        chain = chains.get(role) or chains.get("body") or next(iter(chains.values()))
        # The spaces a layout engine sets go with the first face, which every text starts in.
        left = {ch for ch in chars if not ch.isspace()} | SPACES
        for face in _nearest(chain, weight):
            if not left:
                break
            missing = {m.char for m in fonts.coverage([(0, "".join(sorted(left)))], [face])}
            mine = left - missing
            if mine:
                key = (str(face.path), face.index, face.weight)
                faces[key] = face
                # Every face keeps the spaces: a layout engine may set a space between two of its
                # characters in it (a fallback face for traditional characters among them).
                wanted.setdefault(key, set()).update(mine | SPACES)
            left = missing
    for role, chain in chains.items():
        families[role] = [f for f in chain if (str(f.path), f.index, f.weight) in wanted]
    files: list[Embedded] = []
    declared: dict[tuple[str, int, int], Embedded] = {}
    # In an order of the faces themselves, never of the folders they are in: the same issue gives the
    # same edition wherever exporter and the fonts are installed.
    for key in sorted(wanted, key=lambda k: _order(faces[k])):
        face = faces[key]
        path = fonts.subset(face, "".join(sorted(wanted[key])), flavor=flavor, cache_dir=cache_dir)
        ext, fmt = ("woff2", "woff2") if flavor == "woff2" else ("otf", "opentype")
        style = "" if face.style == "normal" else f"-{face.style}"
        name = f"{_slug(face.family)}-{face.weight}{style}.{ext}"
        declared[key] = Embedded(f"x-{_slug(face.family)}", face.weight, face.style, name, path, face, fmt)
        files.append(declared[key])
    roles = {
        role: list(dict.fromkeys(declared[(str(f.path), f.index, f.weight)].css_family for f in chain))
        for role, chain in families.items()
    }
    return FontSet(tuple(files), roles, href_prefix)


def _order(face: fonts.Face) -> tuple[str, int, int, str, str]:
    """Where a face's subset comes among an edition's fonts: by its file's name (not its folder), then face."""
    return (face.path.name, face.index, face.weight, face.family, face.style)


def _nearest(chain: Sequence[fonts.Face], weight: int) -> list[fonts.Face]:
    """The chain's families in order, each by its face nearest ``weight`` (the lighter on a tie).

    A family of one weight serves every weight, as the coverage check counts it: a fallback font
    with only a Regular sets the bold text's characters the others lack (a layout engine emboldens it).
    """
    families: dict[str, list[fonts.Face]] = {}
    for face in chain:
        families.setdefault(face.family, []).append(face)
    return [
        min(group, key=lambda f: (abs(f.weight - weight), f.style != "normal", f.weight)) for group in families.values()
    ]


def _css(files: Sequence[Embedded], roles: Mapping[str, Sequence[str]], prefix: str | None) -> str:
    rules = [
        "@font-face {\n"
        f'  font-family: "{f.css_family}";\n'
        f'  src: url("{f.path.as_uri() if prefix is None else prefix + f.file_name}") format("{f.format}");\n'
        f"  font-weight: {f.weight};\n"
        f"  font-style: {f.style};\n"
        "}"
        for f in files
    ]
    variables = []
    for role, families in sorted(roles.items()):
        stack = [f'"{name}"' for name in families] + [GENERIC.get(role, "serif")]
        variables.append(f"  --font-{role}: {', '.join(stack)};")
    return "\n".join(rules) + "\n:root {\n" + "\n".join(variables) + "\n}\n"
