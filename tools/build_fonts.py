"""Rebuilds the shipped fonts (the repository's fonts/ folder) from Debian's fonts-noto-cjk, reproducibly.

Run it as ``.venv/bin/python tools/build_fonts.py`` (``--help`` for options). It writes
``ExporterSerifSC-{Regular,Bold}.otf`` and ``ExporterSansSC-{Regular,Bold}.otf``: the Simplified
Chinese faces of Noto Serif CJK and Noto Sans CJK, subset with HarfBuzz (through uharfbuzz, by the
same recipe as ``exporter.fonts.subset``) to GB 2312 plus the punctuation and Latin blocks below,
renamed to a family of their own (the SIL OFL reserves the name "Source", and "Noto" is Google's
trademark). It also writes ``OFL.txt`` (the licence, from Debian's copyright file) and
``SOURCE.md`` (package version, source SHA-256s, character set, sizes and this command). A second
run writes byte-identical files: the ``head`` timestamps are the source's, nothing is random.

Steps HarfBuzz's subsetter cannot do are done with fontTools: before subsetting, the Japanese and
Korean language systems are dropped from GSUB and GPOS (their ``locl`` forms would double the
glyph count of a font meant for Chinese); after it, the ``name`` table, the CFF names and the
vendor ID are rewritten; then every output is checked (tables, features, ``vert`` forms, GB 2312
coverage, names) before it is written.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from a clone: make `exporter` importable

from exporter.errors import FontError  # noqa: E402
from exporter.fonts import LAYOUT_FEATURES, SUBSET_RECIPE, VERTICAL_TABLES, subset_font_data  # noqa: E402

SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
DEBIAN_PACKAGE = "fonts-noto-cjk"
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
#: Blocks kept besides GB 2312, as (first, last, name).
EXTRA_BLOCKS: tuple[tuple[int, int, str], ...] = (
    (0x0000, 0x00FF, "Basic Latin and Latin-1 Supplement"),
    (0x0100, 0x017F, "Latin Extended-A"),
    (0x2000, 0x206F, "General Punctuation"),
    (0x3000, 0x303F, "CJK Symbols and Punctuation"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"),
)
#: Language systems removed before subsetting: Japanese and Korean glyph forms have no place in a
#: Chinese newspaper and would add some 2,700 glyphs (1 MB) to every face. ZHS, ZHT and ZHH stay,
#: so ``locl`` still gives Taiwan and Hong Kong forms to text tagged zh-Hant or zh-HK.
DROPPED_LANGUAGES: tuple[str, ...] = ("JAN ", "KOR ")
#: Characters whose ``vert`` form is checked in every output; ― (U+2015) is GB 2312's dash (A1AA).
VERT_CHECK = "，。、「」（）《》―…"
#: Features each shipped face must have: all of LAYOUT_FEATURES but those this Noto CJK lacks.
REQUIRED_FEATURES = tuple(f for f in LAYOUT_FEATURES if f not in ("chws", "vchw"))
#: Words no name of the output may contain: the OFL's Reserved Font Name and the source's name.
FORBIDDEN_NAMES = ("Source", "Noto")
VENDOR_ID = "NONE"


@dataclass(frozen=True)
class Output:
    """One shipped font: its source face and the names it gets."""

    source_file: str
    source_family: str
    family: str
    style: str

    @property
    def postscript_name(self) -> str:
        return f"{self.family.replace(' ', '')}-{self.style}"

    @property
    def file_name(self) -> str:
        return f"{self.postscript_name}.otf"


OUTPUTS: tuple[Output, ...] = (
    Output("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "Exporter Serif SC", "Regular"),
    Output("NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", "Exporter Serif SC", "Bold"),
    Output("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", "Exporter Sans SC", "Regular"),
    Output("NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "Exporter Sans SC", "Bold"),
)


@dataclass(frozen=True)
class Built:
    """What a build of one output produced, for the report and SOURCE.md."""

    output: Output
    index: int
    data: bytes
    glyphs: int
    mapped: int
    features: tuple[str, ...]
    copyright: str


def gb2312_characters() -> list[str]:
    """Every character of GB 2312: each valid two-byte EUC-CN code decoded with Python's codec."""
    chars: list[str] = []
    for high in range(0xA1, 0xFF):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def wanted_codepoints() -> list[int]:
    """The code points every shipped font is subset to: GB 2312 and :data:`EXTRA_BLOCKS`."""
    codes = {ord(c) for c in gb2312_characters()}
    for first, last, _name in EXTRA_BLOCKS:
        codes.update(range(first, last + 1))
    return sorted(codes)


def face_index(path: Path, family: str) -> int:
    """The index of the face named ``family`` (name ID 1) in a collection, found by name."""
    import uharfbuzz as hb  # type: ignore[import-untyped]

    blob = hb.Blob.from_file_path(str(path))
    for index in range(hb.Face(blob, 0).count):
        if hb.Face(blob, index).get_name(1) == family:
            return index
    raise FontError(
        f"no face named {family!r}; reinstall it (apt-get install --reinstall {DEBIAN_PACKAGE})", path=str(path)
    )


def drop_languages(path: Path, index: int, languages: Sequence[str]) -> tuple[bytes, int]:
    """The face as a standalone font without ``languages`` in GSUB/GPOS, and its head.modified."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    font = TTFont(str(path), fontNumber=index, lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    for table in ("GSUB", "GPOS"):
        if table not in font:
            continue
        for record in font[table].table.ScriptList.ScriptRecord:
            script = record.Script
            script.LangSysRecord = [r for r in script.LangSysRecord if r.LangSysTag not in languages]
            script.LangSysCount = len(script.LangSysRecord)
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue(), int(font["head"].modified)


def rename(data: bytes, output: Output, timestamp: int) -> tuple[bytes, str]:
    """The subset with its own names (name table and CFF), fixed timestamps; and its copyright line."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), recalcBBoxes=False, recalcTimestamp=False)
    name = font["name"]
    kept = {r.nameID: r.toUnicode() for r in name.names if (r.platformID, r.langID) == (3, 0x409)}
    version = kept.get(5, f"Version {font['head'].fontRevision:.3f}")
    number = version.removeprefix("Version ").split(";")[0]
    full = output.family if output.style == "Regular" else f"{output.family} {output.style}"
    kept.update(
        {
            1: output.family,
            2: output.style,
            3: f"{number};{VENDOR_ID};{output.postscript_name}",
            4: full,
            5: f"{version};{SUBSET_RECIPE}",
            6: output.postscript_name,
            16: output.family,
            17: output.style,
        }
    )
    name.names = []
    for name_id in sorted(kept):
        name.setName(kept[name_id], name_id, 3, 1, 0x409)
    font["OS/2"].achVendID = VENDOR_ID
    font["head"].created = timestamp
    font["head"].modified = timestamp
    cff = font["CFF "].cff
    old = cff.fontNames[0]
    cff.fontNames = [output.postscript_name]
    top = cff.topDictIndex[0]
    top.FullName = full
    top.FamilyName = output.family
    if hasattr(top, "FDArray"):
        for fd in top.FDArray:
            fd.FontName = str(fd.FontName).replace(old, output.postscript_name)
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue(), kept.get(0, "")


def dash_cells(data: bytes) -> float:
    """How many cells ``——`` takes when shaped with ``fwid``, as the editions set it (one glyph, or more)."""
    import uharfbuzz as hb

    face = hb.Face(data)
    font = hb.Font(face)
    buffer = hb.Buffer()
    buffer.add_str("——")
    buffer.guess_segment_properties()
    buffer.language = "zh-Hans"
    hb.shape(font, buffer, {"fwid": True})
    if len(buffer.glyph_infos) != 1:
        return 0.0
    return buffer.glyph_positions[0].x_advance / face.upem


def lookup_mappings(font: Any, feature: str) -> dict[str, str]:
    """The single substitutions of every GSUB lookup that ``feature`` uses, in any language system."""
    gsub = font["GSUB"].table
    indices = {i for r in gsub.FeatureList.FeatureRecord if r.FeatureTag == feature for i in r.Feature.LookupListIndex}
    mapping: dict[str, str] = {}
    for i in sorted(indices):
        for sub in gsub.LookupList.Lookup[i].SubTable:
            sub = getattr(sub, "ExtSubTable", sub)
            mapping.update(getattr(sub, "mapping", None) or {})
    return mapping


def verify(data: bytes, output: Output, required: Iterable[str]) -> tuple[int, int, tuple[str, ...]]:
    """Checks one output; returns its glyph count, mapped characters and layout features."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), lazy=True)
    problems: list[str] = []
    for table in VERTICAL_TABLES:
        if table not in font:
            problems.append(f"table {table} is missing")
    features = {r.FeatureTag for t in ("GSUB", "GPOS") if t in font for r in font[t].table.FeatureList.FeatureRecord}
    for feature in REQUIRED_FEATURES:
        if feature not in features:
            problems.append(f"feature {feature} is missing")
    extra = features - set(LAYOUT_FEATURES)
    if extra:
        problems.append(f"features that should have been dropped: {sorted(extra)}")
    cmap = font.getBestCmap()
    vert = lookup_mappings(font, "vert")
    for char in VERT_CHECK:
        glyph = cmap.get(ord(char))
        if glyph is None or vert.get(glyph, glyph) == glyph:
            problems.append(f"vert does not turn {char} (U+{ord(char):04X})")
    uncovered = [c for c in required if ord(c) not in cmap]
    if uncovered:
        problems.append(f"{len(uncovered)} GB 2312 characters are not covered, e.g. {''.join(uncovered[:20])}")
    for record in font["name"].names:
        text = record.toUnicode()
        if record.nameID in (1, 2, 3, 4, 6, 16, 17) and any(w in text for w in FORBIDDEN_NAMES):
            problems.append(f"name ID {record.nameID} still says {text!r}")
        if "Source" in text:
            problems.append(f"name ID {record.nameID} contains the Reserved Font Name: {text!r}")
    cff = font["CFF "].cff
    cff_names = [*cff.fontNames, cff.topDictIndex[0].FullName, cff.topDictIndex[0].FamilyName]
    cff_names += [fd.FontName for fd in getattr(cff.topDictIndex[0], "FDArray", [])]
    for text in cff_names:
        if any(w in str(text) for w in FORBIDDEN_NAMES):
            problems.append(f"CFF name still says {text!r}")
    if dash_cells(data) != 2:
        problems.append("—— with fwid is not one glyph two cells wide")
    if problems:
        raise FontError("the built font fails its checks: " + "; ".join(problems), path=output.file_name)
    return font["maxp"].numGlyphs, len(cmap), tuple(sorted(features))


def build_one(source_dir: Path, output: Output, codepoints: Sequence[int], gb2312: Sequence[str]) -> Built:
    """Subsets, renames and checks one shipped font."""
    path = source_dir / output.source_file
    index = face_index(path, output.source_family)
    pruned, timestamp = drop_languages(path, index, DROPPED_LANGUAGES)
    subset = subset_font_data(pruned, 0, codepoints)
    data, copyright_line = rename(subset, output, timestamp)
    glyphs, mapped, features = verify(data, output, gb2312)
    return Built(output, index, data, glyphs, mapped, features, copyright_line)


def package_version() -> str:
    """The installed version of Debian's fonts-noto-cjk (dpkg-query)."""
    try:
        done = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Version}", DEBIAN_PACKAGE], capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise FontError(f"dpkg-query is not available ({error}); build on Debian or Ubuntu") from error
    if done.returncode != 0 or not done.stdout.strip():
        raise FontError(f"{DEBIAN_PACKAGE} is not installed; run: apt-get install {DEBIAN_PACKAGE}")
    return done.stdout.strip()


def licence_text(copyright_file: Path, font_copyrights: Iterable[str]) -> str:
    """OFL.txt: the copyright lines of Debian's file and of the fonts, then the OFL 1.1 from that file."""
    lines = copyright_file.read_text(encoding="utf-8").splitlines()
    stanzas: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            stanzas[-1].append(line)
        else:
            stanzas.append([])
    holders: list[str] = []
    licence: list[str] = []
    for stanza in stanzas:
        if stanza and stanza[0] == "Files: *":
            holders = [line.split(":", 1)[1].strip() for line in stanza if line.startswith("Copyright:")]
        if stanza and stanza[0].startswith("License: SIL-1.1") and len(stanza) > 1:
            licence = ["" if line.strip() == "." else line[1:] for line in stanza[1:]]
    if not holders or not licence:
        raise FontError("no 'Files: *' copyright or SIL-1.1 licence text found", path=str(copyright_file))
    notices = sorted({c.replace("©", "Copyright").strip().rstrip(".") for c in font_copyrights if c})
    head = [f"Copyright {h}" for h in holders]
    head += [f"{notice}, with Reserved Font Name 'Source'." for notice in notices]
    head += [
        "Noto is a trademark of Google Inc.",
        "",
        "The Exporter Serif SC and Exporter Sans SC fonts beside this file are Modified Versions of",
        "Noto Serif CJK SC and Noto Sans CJK SC (subset and renamed, see SOURCE.md).",
        "",
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.",
        f"This license is copied below from {copyright_file} (Debian's {DEBIAN_PACKAGE}).",
        "",
    ]
    return "\n".join(head + licence) + "\n"


def source_notes(
    version: str, hashes: dict[str, str], built: Sequence[Built], gb2312: Sequence[str], codepoints: Sequence[int]
) -> str:
    """SOURCE.md: where the fonts come from, what they hold, and how to rebuild them."""
    import uharfbuzz as hb

    blocks = "\n".join(f"- U+{a:04X}–U+{b:04X} {name}" for a, b, name in EXTRA_BLOCKS)
    sources = "\n".join(f"| `{name}` | `{digest}` |" for name, digest in sorted(hashes.items()))
    rows = "\n".join(
        f"| `{b.output.file_name}` | {b.output.source_family} {b.output.style}"
        f" (`{b.output.source_file}`, face {b.index}) | {b.glyphs} | {b.mapped} | {len(b.data):,} |"
        for b in built
    )
    total = sum(len(b.data) for b in built)
    hanzi = sum(1 for c in gb2312 if unicodedata.name(c, "").startswith("CJK UNIFIED IDEOGRAPH"))
    return f"""# Shipped fonts: where they come from

Built by `tools/build_fonts.py` from Debian's `{DEBIAN_PACKAGE}` package, version `{version}`
(`dpkg-query -W {DEBIAN_PACKAGE}`), files in `{SOURCE_DIR}`.

| source file | SHA-256 |
| --- | --- |
{sources}

## What was done

1. The Simplified Chinese face of each collection is found by its name (name ID 1), not by index.
2. The language systems {", ".join(f"`{t.strip()}`" for t in DROPPED_LANGUAGES)} are removed from GSUB and GPOS
   (fontTools): Japanese and Korean `locl` forms have no use in Chinese text and would add about
   2,700 glyphs to each face. `ZHS`, `ZHT` and `ZHH` stay.
3. HarfBuzz {hb.version_string()} (uharfbuzz {hb.__version__}) subsets the face to the character set below,
   keeping the layout features {", ".join(f"`{f}`" for f in LAYOUT_FEATURES)} and every glyph they reach,
   the tables {", ".join(f"`{t}`" for t in VERTICAL_TABLES)}, and CFF subroutines (recipe `{SUBSET_RECIPE}`);
   glyph *n* is CID *n* (an identity charset), as PDF readers that map CIDs through the charset need.
4. The fonts get names of their own (name IDs 1, 2, 3, 4, 6, 16, 17, the CFF font names, vendor
   ID `{VENDOR_ID}`): the OFL reserves the name "Source", and "Noto" is a trademark of Google. The
   copyright, trademark, credits and licence records (name IDs 0, 5, 7–14) are kept.
5. `head.created` and `head.modified` are the source face's, so a rebuild is byte-identical.
6. Each output is checked: `vhea`, `vmtx`, `VORG` present; every feature above present but `chws` and `vchw`
   (this version of Noto CJK has none) and no other; `——` shaped with `fwid` is one glyph two cells wide;
   `vert` turns {" ".join(VERT_CHECK)}; every GB 2312 character mapped; no name says "Noto" or "Source".
   (U+2014 EM DASH has no `vert` form in Noto CJK; layout engines turn it sideways.)

## Character set ({len(codepoints):,} code points asked for)

- GB 2312: every valid two-byte EUC-CN code (first and second byte 0xA1–0xFE) decoded with
  Python's `gb2312` codec: {len(gb2312):,} characters ({len(gb2312) - hanzi:,} symbols, {hanzi:,} hanzi).
{blocks}

Code points of these blocks that the source face lacks are left out.

| file | from | glyphs | characters mapped | bytes |
| --- | --- | ---: | ---: | ---: |
{rows}

Total: {total:,} bytes. Licence: `OFL.txt` beside the fonts.

## Rebuild

    apt-get install {DEBIAN_PACKAGE}
    .venv/bin/python tools/build_fonts.py

A second run writes byte-identical files; `git diff --stat fonts/` shows whether the package changed.
"""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_if_changed(path: Path, data: bytes) -> bool:
    """Writes ``data`` unless the file already holds it (keeps mtimes of unchanged files)."""
    if path.is_file() and path.read_bytes() == data:
        return False
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(data)
    temp.replace(path)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--source-dir", type=Path, default=SOURCE_DIR, help=f"folder of the TTCs (default {SOURCE_DIR})"
    )
    parser.add_argument("--copyright", type=Path, default=DEBIAN_COPYRIGHT, help="Debian's copyright file")
    parser.add_argument(
        "--out-dir", type=Path, default=ROOT / "fonts", help="where to write (default: the repository's fonts/)"
    )
    args = parser.parse_args(argv)
    try:
        version = package_version()
        gb2312 = gb2312_characters()
        codepoints = wanted_codepoints()
        built: list[Built] = []
        for output in OUTPUTS:
            started = time.perf_counter()
            result = build_one(args.source_dir, output, codepoints, gb2312)
            built.append(result)
            print(
                f"{output.file_name}: {len(result.data):,} bytes, {result.glyphs} glyphs, "
                f"{result.mapped} characters ({time.perf_counter() - started:.1f} s)"
            )
        hashes = {name: sha256(args.source_dir / name) for name in sorted({o.source_file for o in OUTPUTS})}
        args.out_dir.mkdir(parents=True, exist_ok=True)
        files = {b.output.file_name: b.data for b in built}
        files["OFL.txt"] = licence_text(args.copyright, (b.copyright for b in built)).encode("utf-8")
        files["SOURCE.md"] = source_notes(version, hashes, built, gb2312, codepoints).encode("utf-8")
        for name, data in files.items():
            changed = write_if_changed(args.out_dir / name, data)
            print(f"{'wrote' if changed else 'unchanged'} {args.out_dir / name}")
        print(f"total of the fonts: {sum(len(b.data) for b in built):,} bytes")
    except (FontError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
