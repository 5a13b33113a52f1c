"""Chooses, subsets and declares the fonts an edition embeds: @font-face rules and role variables."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from exporter import fonts
from exporter.themes import Theme

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


@dataclass(frozen=True)
class FontSet:
    """The fonts of one edition: files to embed and the CSS that declares them."""

    files: tuple[Embedded, ...]
    css: str


def _slug(family: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", family.lower()).strip("-")


def embed(
    theme: Theme,
    text: str,
    language: str,
    *,
    flavor: Literal["woff2"] | None,
    href_prefix: str,
    cache_dir: Path | None = None,
) -> FontSet:
    """Subset every face the theme's roles reach to ``text`` and declare them.

    In each role's chain a face carries only the characters that no face before it (of the
    same weight) has, so the full system fonts that serve traditional characters add only those.
    """
    chains = fonts.resolve(theme.font_roles(language), tuple(t.path / "fonts" for t in theme.chain))
    chars = sorted({ch for ch in text if not ch.isspace()})
    done: dict[tuple[str, int, int], Embedded | None] = {}
    roles: dict[str, list[str]] = {}
    files: list[Embedded] = []
    for role, chain in chains.items():
        families: list[str] = []
        covered: dict[int, set[str]] = {}
        for face in chain:
            seen = covered.setdefault(face.weight, set())
            missing = {m.char for m in fonts.coverage([(0, "".join(chars))], [face])}
            mine = [ch for ch in chars if ch not in missing and ch not in seen]
            seen.update(ch for ch in chars if ch not in missing)
            key = (str(face.path), face.index, face.weight)
            if key not in done:
                if not mine:
                    done[key] = None
                else:
                    path = fonts.subset(face, "".join(mine), flavor=flavor, cache_dir=cache_dir)
                    ext = "woff2" if flavor == "woff2" else "otf"
                    style = "" if face.style == "normal" else f"-{face.style}"
                    name = f"{_slug(face.family)}-{face.weight}{style}.{ext}"
                    done[key] = Embedded(f"x-{_slug(face.family)}", face.weight, face.style, name, path, face)
                    files.append(done[key])  # type: ignore[arg-type]
            embedded = done[key]
            if embedded is not None and embedded.css_family not in families:
                families.append(embedded.css_family)
        roles[role] = families
    return FontSet(tuple(files), _css(files, roles, href_prefix, flavor))


def _css(files: Sequence[Embedded], roles: Mapping[str, Sequence[str]], prefix: str, flavor: str | None) -> str:
    fmt = "woff2" if flavor == "woff2" else "opentype"
    rules = [
        "@font-face {\n"
        f'  font-family: "{f.css_family}";\n'
        f'  src: url("{prefix}{f.file_name}") format("{fmt}");\n'
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
