"""Chooses, subsets and declares the fonts an edition embeds: @font-face rules and role variables."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from exporter import fonts
from exporter.errors import FontError
from exporter.theming import Theme, regional_languages

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
    #: The weights its ``@font-face`` rules declare it at: every weight it serves (its own when empty).
    weights: tuple[int, ...] = ()


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
    edition: str | None = None,
) -> FontSet:
    """Subset the faces of the theme's roles to the characters each sets, and declare them at the weights they serve.

    The CSS points at ``href_prefix`` + the file's name, or at the cached file itself when
    ``href_prefix`` is None (for a renderer on this machine).

    ``usage`` maps (role, CSS weight) to the characters set so (see :mod:`fontuse`). In a role's
    chain, each family serves a weight by the face CSS's font matching picks for it
    (:func:`matching`); a face carries only the characters no face before it has, so the full
    system fonts that serve traditional characters add only those. A face is declared at every
    weight it serves: a family of one weight sets its role's bold text as it is, never emboldened by
    the engine, unless the role is in the theme's ``[fonts] synthetic_bold``. For an ``edition``
    whose writing mode is ``vertical-rl``, a face without vertical metrics and forms that would
    set a character upright is refused (:class:`FontError`, naming the face, the role and the theme
    file).
    """
    chains = fonts.resolve(theme.font_roles(language), theme.font_dirs)
    synthetic = set(theme.synthetic_bold)
    wanted: dict[_Key, set[str]] = {}
    faces: dict[_Key, fonts.Face] = {}
    weights: dict[_Key, set[int]] = {}
    setters: dict[_Key, dict[str, set[str]]] = {}
    for (role, weight), chars in sorted(usage.items()):
        chain = chains.get(role) or chains.get("body") or next(iter(chains.values()))
        # The spaces a layout engine sets go with the first face, which every text starts in.
        left = {ch for ch in chars if not ch.isspace()} | SPACES
        for face in matching(chain, weight):
            if not left:
                break
            missing = {m.char for m in fonts.coverage([(0, "".join(sorted(left)))], [face])}
            mine = left - missing
            if mine:
                key = _key(face)
                faces[key] = face
                # Every face keeps the spaces: a layout engine may set a space between two of its
                # characters in it (a fallback face for traditional characters among them).
                wanted.setdefault(key, set()).update(mine | SPACES)
                emboldened = role in synthetic and face.weight < BOLD <= weight
                weights.setdefault(key, set()).add(face.weight if emboldened else weight)
                setters.setdefault(key, {}).setdefault(role, set()).update(mine - SPACES)
            left = missing
    if edition is not None and theme.edition(edition)["writing_mode"] == "vertical-rl":
        _refuse_horizontal_faces(theme, edition, chains, faces, setters)
    families = {role: [f for f in chain if _key(f) in wanted] for role, chain in chains.items()}
    files: list[Embedded] = []
    declared: dict[_Key, Embedded] = {}
    taken: set[tuple[str, int, str]] = set()
    # In an order of the faces themselves, never of the folders they are in: the same issue gives the
    # same edition wherever exporter and the fonts are installed.
    for key in sorted(wanted, key=lambda k: _order(faces[k])):
        face = faces[key]
        # A regional face (Noto CJK HK for a zh-HK issue) keeps its region's localised forms only.
        languages = regional_languages(face.family, language)
        path = fonts.subset(face, "".join(sorted(wanted[key])), flavor=flavor, cache_dir=cache_dir, languages=languages)
        ext, fmt = ("woff2", "woff2") if flavor == "woff2" else ("otf", "opentype")
        style = "" if face.style == "normal" else f"-{face.style}"
        name = f"{_slug(face.family)}-{face.weight}{style}.{ext}"
        family = f"x-{_slug(face.family)}"
        # One face per family, weight and style: CSS's matching over a family's faces gives one face a weight.
        served = tuple(sorted(w for w in weights[key] if (family, w, face.style) not in taken))
        taken.update((family, w, face.style) for w in served)
        declared[key] = Embedded(family, face.weight, face.style, name, path, face, fmt, served or (face.weight,))
        files.append(declared[key])
    roles = {role: list(dict.fromkeys(declared[_key(f)].css_family for f in chain)) for role, chain in families.items()}
    return FontSet(tuple(files), roles, href_prefix)


#: A face of a font file, as a role's chain holds it: file, index in the file, weight.
_Key = tuple[str, int, int]
#: The weight from which engines embolden a lighter face (CSS Fonts 4: synthesis of bold "if the
#: desired weight is 600 or more" and the face chosen is lighter).
BOLD = 600


def _key(face: fonts.Face) -> _Key:
    return (str(face.path), face.index, face.weight)


def _order(face: fonts.Face) -> tuple[str, int, int, str, str]:
    """Where a face's subset comes among an edition's fonts: by its file's name (not its folder), then face."""
    return (face.path.name, face.index, face.weight, face.family, face.style)


def matching(chain: Sequence[fonts.Face], weight: int) -> list[fonts.Face]:
    """The chain's families in order, each by the face CSS's font matching picks for ``weight`` (upright first).

    The matching is CSS Fonts 4's (§5.2, step 4 for ``font-weight``): a weight from 400 to 500 takes
    the heavier faces up to 500, then the lighter ones, then those above 500; a lighter weight takes
    the lighter faces first, a heavier one the heavier first. So a family of one weight serves every
    weight, and the face chosen here is the one every engine picks among the family's faces.
    """
    families: dict[str, list[fonts.Face]] = {}
    for face in chain:
        families.setdefault(face.family, []).append(face)
    return [
        min(group, key=lambda f: (f.style != "normal", _weight_rank(f.weight, weight))) for group in families.values()
    ]


def _weight_rank(have: int, want: int) -> tuple[int, int]:
    """How CSS's font matching ranks a face of weight ``have`` for the weight ``want``: the lowest first."""
    if have == want:
        return (0, 0)
    if 400 <= want <= 500:
        if want < have <= 500:
            return (1, have - want)
        if have < want:
            return (2, want - have)
        return (3, have - 500)
    if want < 400:
        return (1, want - have) if have < want else (2, have - want)
    return (1, have - want) if have > want else (2, want - have)


def _role_origin(theme: Theme, role: str) -> tuple[str, int | None]:
    """The ``theme.toml`` whose ``[fonts]`` sets ``role`` (the nearest in the inheritance chain), and the line."""
    owner = next((t for t in theme.chain if ("fonts", role) in t.keys), theme)
    return str(owner.path / "theme.toml"), owner.keys.get(("fonts", role))


def _refuse_horizontal_faces(
    theme: Theme,
    edition: str,
    chains: Mapping[str, Sequence[fonts.Face]],
    faces: Mapping[_Key, fonts.Face],
    setters: Mapping[_Key, Mapping[str, set[str]]],
) -> None:
    """Refuse a face without vertical metrics and forms that would set characters upright in vertical text."""
    from exporter.fonts.orientation import upright

    for key, face in sorted(faces.items(), key=lambda item: _order(item[1])):
        if face.vertical:
            continue
        for role, chars in sorted(setters[key].items()):
            standing = sorted(ch for ch in chars if upright(ch))
            if not standing:
                continue
            path, line = _role_origin(theme, role)
            shown = "".join(standing[:8]) + ("…" if len(standing) > 8 else "")
            others = vertical_families(theme, chains, standing)
            fix = (
                "name one of the vertical-safe families installed here that have these characters first in the role: "
                + ", ".join(f'"{name}"' for name in others)
                if others
                else f'install Noto CJK ({fonts.INSTALL_HINT}) and name "Noto Sans CJK SC" first in the role'
            )
            raise FontError(
                f"the vertical {edition.upper() if edition != 'html' else 'web edition'} would set {shown} upright in "
                f'"{face.family}" ({face.path.name}) of the `{role}` role, a face without vertical metrics and forms '
                f"(vhea, vmtx and the vert feature), so its characters would pile up: {fix}; "
                f'or set [edition.{edition}] writing_mode = "horizontal-tb"',
                path=path,
                line=line,
            )


#: Families looked for when a vertical edition refuses a face: the shipped ones, then Noto CJK.
VERTICAL_CANDIDATES: tuple[str, ...] = (
    "Exporter Sans SC",
    "Exporter Serif SC",
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Noto Sans CJK TC",
    "Noto Serif CJK TC",
    "Noto Sans CJK HK",
    "Noto Serif CJK HK",
)


def vertical_families(
    theme: Theme, chains: Mapping[str, Sequence[fonts.Face]], chars: Sequence[str], most: int = 4
) -> list[str]:
    """Up to ``most`` families found here, the theme's first, with vertical metrics and forms and all of ``chars``."""
    named = [face.family for chain in chains.values() for face in chain]
    found: list[str] = []
    stems: set[str] = set()
    for family in dict.fromkeys([*named, *VERTICAL_CANDIDATES]):
        stem = re.sub(r"\s+(SC|TC|HK|JP|KR|CN|TW)$", "", family)  # one of a family's regional forms is enough
        if stem in stems:
            continue
        faces = [f for f in fonts.find_faces(family, theme.font_dirs) if f.vertical]
        if faces and not fonts.coverage([(0, "".join(chars))], faces[:1]):
            found.append(family)
            stems.add(stem)
            if len(found) == most:
                break
    return found


def _css(files: Sequence[Embedded], roles: Mapping[str, Sequence[str]], prefix: str | None) -> str:
    def url(f: Embedded) -> str:
        # A cache folder given relative to the working folder makes a relative path: its URL is absolute.
        return f.path.absolute().as_uri() if prefix is None else prefix + f.file_name

    rules = [
        "@font-face {\n"
        f'  font-family: "{f.css_family}";\n'
        f'  src: url("{url(f)}") format("{f.format}");\n'
        f"  font-weight: {weight};\n"
        f"  font-style: {f.style};\n"
        "}"
        for f in files
        for weight in f.weights or (f.weight,)
    ]
    variables = []
    for role, families in sorted(roles.items()):
        stack = [f'"{name}"' for name in families] + [GENERIC.get(role, "serif")]
        variables.append(f"  --font-{role}: {', '.join(stack)};")
    return "\n".join(rules) + "\n:root {\n" + "\n".join(variables) + "\n}\n"
