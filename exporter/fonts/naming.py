"""Gives a subset font the family its ``@font-face`` rule declares, in its name table and CFF, free of reserved names.

E-readers that go by a font's own names (Kindle's formats, Adobe's RMSDK), and calibre's check of a book,
want the ``font-family`` of an ``@font-face`` rule to be the family the font file names itself (name IDs 1
and 16). The EPUB declares each subset under a family of its own (``x-exporter-serif-sc``), so
:func:`named` writes that family into a copy of the subset: name IDs 1, 2, 3, 4, 6, 16 and 17, and the
CFF font names, as ``tools/build_fonts.py`` renames the shipped fonts; the copyright, trademark, credits and
licence records stay.

A subset is a Modified Version under the SIL Open Font License, which may not use a Reserved Font Name,
and a font's trademark is its maker's: :func:`free_family` takes out of a family the names the font
reserves (its copyright and licence records, name IDs 0 and 13, and a licence file beside it), its
trademarks (name ID 7) and :data:`ALWAYS_RESERVED`. Copies land in the cache beside the subsets, named by
what decides their bytes, so the same subset and family always give the same file.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from pathlib import Path

from exporter.errors import FontError
from exporter.fonts import cache

#: Reserved whatever a font says: the OFL's Reserved Font Name of Adobe's Source Han fonts, which the Noto
#: CJK fonts are (their name records do not say so; Debian's copyright file does), and Google's trademark.
ALWAYS_RESERVED: tuple[str, ...] = ("Source", "Noto")
#: Licence files beside a font that may name its Reserved Font Names.
LICENCE_FILES: tuple[str, ...] = ("OFL.txt", "OFL", "LICENSE", "LICENSE.txt", "LICENCE", "LICENCE.txt")
#: Names the renaming recipe; change it whenever :func:`rename_font_data` changes, so that caches renew.
NAMING_RECIPE = "exporter-naming/1"
#: The names a renamed font carries (IDs 1, 2, 3, 4, 6, 16, 17); every other record is kept.
NAME_IDS: tuple[int, ...] = (1, 2, 3, 4, 6, 16, 17)

_RESERVED = re.compile(r"Reserved\s+Font\s+Names?\s*((?:[\"'“‘][^\"'“”‘’]+[\"'”’][\s,]*(?:and\s+)?)+)", re.IGNORECASE)
_QUOTED = re.compile(r"[\"'“‘]([^\"'“”‘’]+)[\"'”’]")
_TRADEMARK = re.compile(r"(?:^|\.\s+)([^.]+?)\s+(?:is|are)\s+(?:a\s+)?(?:registered\s+)?trademarks?\b", re.IGNORECASE)


def reserved_names(font: Path, licence_folder: Path | None = None) -> tuple[str, ...]:
    """The names a modified copy of ``font`` may not use: Reserved Font Names, trademarks, :data:`ALWAYS_RESERVED`.

    The licence files of ``licence_folder`` (the folder of the font a subset was cut from) are read too.
    """
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    texts: dict[int, list[str]] = {0: [], 7: [], 13: []}
    try:
        tt = TTFont(str(font), lazy=True, fontNumber=0)
        for record in tt["name"].names:
            if record.nameID in texts:
                texts[record.nameID].append(record.toUnicode())
    except Exception as error:  # fontTools raises many kinds on a broken file
        raise FontError(
            f"cannot read the font's names ({error}); use an OTF, TTF or TTC file", path=str(font)
        ) from error
    for licence in [licence_folder / name for name in LICENCE_FILES] if licence_folder is not None else []:
        if licence.is_file():
            texts[13].append(licence.read_text(encoding="utf-8", errors="replace"))
    found = [*ALWAYS_RESERVED]
    for text in texts[0] + texts[13]:
        for match in _RESERVED.finditer(text):
            found += _QUOTED.findall(match.group(1))
    for text in texts[7]:
        for match in _TRADEMARK.finditer(text):
            found += [n.strip() for n in re.split(r",\s*|\s+and\s+", match.group(1)) if n.strip()]
    return tuple(dict.fromkeys(n for n in found if n))


def free_family(family: str, reserved: Iterable[str], taken: Iterable[str] = ()) -> str:
    """``family`` (a CSS family: ``x-noto-serif-cjk-hk``) with the reserved names taken out, unlike any of ``taken``.

    Each reserved name is taken out where it stands as words of the family (``x-serif-cjk-hk``); a family
    that still holds one inside a word, or is left with nothing, becomes ``x-font``. A number follows a family
    that would be one of ``taken``.
    """
    words = [w for w in re.split(r"[^0-9a-z]+", family.lower()) if w]
    for name in reserved:
        gone = [w for w in re.split(r"[^0-9a-z]+", name.lower()) if w]
        if not gone:
            continue
        i = 0
        while i + len(gone) <= len(words):
            if words[i : i + len(gone)] == gone:
                del words[i : i + len(gone)]
            else:
                i += 1
    text = "-".join(words)
    if not words or words == ["x"] or any(_squash(n) and _squash(n) in _squash(text) for n in reserved):
        text = "x-font"
    elif words[0] != "x":
        text = f"x-{text}"
    used = {t.lower() for t in taken}
    candidate, number = text, 1
    while candidate in used:
        number += 1
        candidate = f"{text}-{number}"
    return candidate


def named(font: Path, family: str, weight: int, style: str, *, cache_dir: Path) -> Path:
    """A copy of ``font`` whose own names say ``family``, weight and style as its ``@font-face`` does (cached)."""
    import fontTools  # type: ignore[import-untyped]

    suffix = font.suffix.lstrip(".") or "otf"

    def make() -> tuple[bytes, str]:
        return rename_font_data(font.read_bytes(), family, weight, style, origin=str(font)), suffix

    digest = hashlib.sha256(font.read_bytes()).hexdigest()
    parts = [NAMING_RECIPE, fontTools.version, digest, family, str(weight), style]
    return cache.cached("named", parts, make, folder=cache_dir, suffixes=(suffix,), prefix=f"{family}-{weight}-")


def style_names(weight: int, style: str) -> tuple[str, str]:
    """The style-linking subfamily (name ID 2: Regular, Bold, Italic, Bold Italic) and the typographic one (ID 17)."""
    italic = style in ("italic", "oblique")
    linked = ("Bold" if weight == 700 else "Regular") + (" Italic" if italic else "")
    linked = linked.replace("Regular Italic", "Italic")
    weights = {100: "Thin", 200: "ExtraLight", 300: "Light", 400: "Regular", 500: "Medium", 600: "SemiBold"}
    weights |= {700: "Bold", 800: "ExtraBold", 900: "Black"}
    typographic = weights.get(weight, str(weight)) + (" Italic" if italic else "")
    return linked, typographic.replace("Regular Italic", "Italic")


def rename_font_data(data: bytes, family: str, weight: int, style: str, *, origin: str = "<font data>") -> bytes:
    """The font ``data`` with ``family`` its family in the name table (IDs 1, 16) and the CFF, other names to match."""
    from fontTools.ttLib import TTFont

    try:
        tt = TTFont(io.BytesIO(data), recalcBBoxes=False, recalcTimestamp=False)
        table = tt["name"]
    except Exception as error:  # fontTools raises many kinds on a broken file
        raise FontError(f"cannot read the subset's names ({error}); report this", path=origin) from error
    linked, typographic = style_names(weight, style)
    postscript = _postscript(family, typographic)
    version = table.getDebugName(5) or f"Version {tt['head'].fontRevision:.3f}"
    number = version.removeprefix("Version ").split(";")[0]
    full = family if typographic == "Regular" else f"{family} {typographic}"
    names = {
        1: family,
        2: linked,
        3: f"{number};NONE;{postscript}",
        4: full,
        6: postscript,
        16: family,
        17: typographic,
    }
    table.names = [r for r in table.names if r.nameID not in NAME_IDS]
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)
    if "CFF " in tt:
        cff = tt["CFF "].cff
        old = str(cff.fontNames[0])
        top = cff.topDictIndex[0]
        cff.fontNames = [postscript]
        top.FullName = full
        top.FamilyName = family
        for fd in getattr(top, "FDArray", []):
            if hasattr(fd, "FontName"):
                fd.FontName = str(fd.FontName).replace(old, postscript)
    out = io.BytesIO()
    tt.save(out, reorderTables=False)
    return out.getvalue()


def _postscript(family: str, typographic: str) -> str:
    """A PostScript name (name ID 6): printable ASCII but ``[](){}<>/%`` and spaces, 63 characters at most."""
    clean = re.sub(r"[^A-Za-z0-9-]", "", family) or "font"
    return f"{clean}-{typographic.replace(' ', '')}"[:63]


def _squash(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())
