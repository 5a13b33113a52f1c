"""Finds the licence text of a font face: a licence file beside it, its Debian package's copyright, or its names.

An edition that embeds a font carries the font's licence with it. Three places are read, the first
that has something wins:

- a licence file in the font's folder (:data:`LICENCE_FILES`: ``OFL.txt``, ``LICENSE*``,
  ``COPYING*``…), as a theme's ``fonts/`` or the shipped fonts (``OFL.txt``) hold it;
- for a system font that a Debian package installed (``dpkg-query -S``), the package's
  ``/usr/share/doc/PACKAGE/copyright``: in the machine-readable format, the paragraph of the files the
  font is (``Files: *`` when none names it) with the licence texts it refers to, and the texts of
  ``/usr/share/common-licenses`` those name; any other copyright file whole;
- the font's own name records: copyright (name ID 0), licence description (13) and licence URL (14).

Which package installed a file is kept in the cache folder (``packages/``), one file per state of
dpkg's database, so that a build asks ``dpkg-query`` only about a font no build has asked about.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from exporter.files import write_file

#: Licence files looked for beside a font, by name (any case); ``*`` as in a shell pattern.
LICENCE_FILES: tuple[str, ...] = ("OFL.txt", "OFL", "LICENSE", "LICENSE.*", "LICENCE", "LICENCE.*", "COPYING*")
#: Where Debian keeps each package's copyright file, and the licences the files refer to.
DEBIAN_DOC = Path("/usr/share/doc")
COMMON_LICENCES = Path("/usr/share/common-licenses")

_COMMON = re.compile(r"/usr/share/common-licenses/([A-Za-z0-9.+_-]+)")


@dataclass(frozen=True)
class Licence:
    """A font's licence text and where it was read from (a file, or ``name table``)."""

    text: str
    source: str


def licence(path: Path, index: int = 0) -> Licence:
    """The licence of face ``index`` of the font file ``path``: the first of the three places that has one."""
    beside = _beside(path.parent)
    if beside is not None:
        return beside
    package = _debian_package(str(path))
    if package:
        found = _debian_copyright(package, path.name)
        if found is not None:
            return found
    return _from_names(path, index)


def _beside(folder: Path) -> Licence | None:
    """The first licence file in ``folder``, in the order of :data:`LICENCE_FILES`."""
    try:
        names = sorted(p.name for p in folder.iterdir() if p.is_file())
    except OSError:
        return None
    for pattern in LICENCE_FILES:
        for name in names:
            if fnmatch.fnmatch(name.lower(), pattern.lower()):
                return Licence(_read(folder / name), str(folder / name))
    return None


def _read(file: Path) -> str:
    return file.read_text(encoding="utf-8", errors="replace").strip()


#: dpkg's database of installed packages: its size and time stamp the packages the cache folder remembers.
DPKG_STATUS = Path("/var/lib/dpkg/status")
#: Names the layout of the cache folder's files of packages; a change of it makes them be asked again.
PACKAGES_FORMAT = "exporter-packages/1"


@functools.lru_cache(maxsize=256)
def _debian_package(path: str) -> str | None:
    """The Debian package that installed the file (``dpkg-query -S``), or None (no dpkg, or no package's file).

    ``dpkg-query`` reads the whole database of files, a sixth of a second for each build that embeds a
    system font: its answers are kept in the cache folder, in one JSON file for the state of dpkg's
    database (:data:`DPKG_STATUS`, by size and time), so that a package installed or removed asks again
    (and the file of the state before goes).
    """
    try:
        status = DPKG_STATUS.stat()
    except OSError:
        return _ask_dpkg(path)
    from exporter.fonts import cache, default_cache_dir

    kept = (
        default_cache_dir()
        / "packages"
        / f"{cache.key([PACKAGES_FORMAT, str(status.st_size), str(status.st_mtime_ns)])}.json"
    )
    try:
        known = json.loads(kept.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if not isinstance(known, dict):
        known = {}
    answer = known.get(path, False)
    if answer is None or isinstance(answer, str):
        return answer
    package = _ask_dpkg(path)
    known[path] = package
    with contextlib.suppress(OSError):
        write_file(kept, json.dumps(known, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        for other in kept.parent.glob("*.json"):
            if other != kept:
                other.unlink(missing_ok=True)  # of a state of the database that is gone
    return package


def _ask_dpkg(path: str) -> str | None:
    """``dpkg-query -S`` of the file and of the file its path resolves to."""
    for candidate in dict.fromkeys([path, str(Path(path).resolve())]):
        try:
            done = subprocess.run(
                ["dpkg-query", "-S", candidate], capture_output=True, text=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        for line in done.stdout.splitlines():
            packages, _, owned = line.partition(": ")
            if owned.strip() == candidate and "diversion" not in packages:
                return packages.split(",")[0].split(":")[0].strip()
    return None


def _debian_copyright(package: str, file_name: str) -> Licence | None:
    copyright_file = DEBIAN_DOC / package / "copyright"
    if not copyright_file.is_file():
        return None
    text = _read(copyright_file)
    paragraphs = [_fields(block) for block in re.split(r"\n\s*\n", text) if block.strip()]
    files = [p for p in paragraphs if "files" in p]
    if not files:
        return Licence(text, str(copyright_file))  # not machine-readable: the whole file
    named = [p for p in files if any(_names_file(pattern, file_name) for pattern in p["files"].split())]
    chosen = named or [p for p in files if "*" in p["files"].split()]
    if not chosen:
        return Licence(text, str(copyright_file))
    standalone = {
        p["license"].splitlines()[0].strip(): p["license"].partition("\n")[2]
        for p in paragraphs
        if "license" in p and "files" not in p
    }
    parts: list[str] = []
    common: list[str] = []
    for paragraph in chosen:
        parts.append(f"Copyright: {paragraph.get('copyright', '')}".rstrip())
        first, _, own = paragraph.get("license", "").partition("\n")
        texts = [f"License: {first}\n{own}"] if own.strip() else []
        for name in re.split(r"\s+(?:and|or)\s+", first.strip()):
            if standalone.get(name, "").strip():
                texts.append(f"License: {name}\n{standalone[name]}")
        parts += [text for text in texts or [f"License: {first}"] if text not in parts]
    for part in parts:
        common += [n for n in _COMMON.findall(part) if n not in common]
    for name in common:
        file = COMMON_LICENCES / name.rstrip(".'\"`")
        if file.is_file():
            parts.append(f"{file}:\n\n{_read(file)}")
    return Licence("\n\n".join(parts), str(copyright_file))


def _names_file(pattern: str, file_name: str) -> bool:
    """Whether a ``Files:`` pattern of a copyright file names the installed font by its file name.

    The patterns are paths in the source package, not where files are installed: only the last part
    can be compared, and one that is all wildcards (``debian/*``) names no file in particular.
    """
    last = pattern.rsplit("/", 1)[-1]
    return not pattern.startswith("debian/") and last.strip("*?") != "" and fnmatch.fnmatch(file_name, last)


def _fields(block: str) -> dict[str, str]:
    """One paragraph of a machine-readable copyright file (deb822): field names in lower case, values unfolded."""
    fields: dict[str, str] = {}
    current = None
    for line in block.splitlines():
        if line[:1] in (" ", "\t") and current is not None:
            body = line.strip()
            fields[current] += "\n" + ("" if body == "." else body)
        elif ":" in line:
            name, _, value = line.partition(":")
            current = name.strip().lower()
            fields[current] = value.strip()
    return fields


def _from_names(path: Path, index: int) -> Licence:
    """The copyright, licence description and licence URL the font's name table records (English first)."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    try:
        tt = TTFont(str(path), lazy=True, fontNumber=index)
        table = tt["name"]
        records = {number: table.getDebugName(number) for number in (0, 13, 14)}
    except Exception:  # fontTools raises many kinds on a broken file
        records = {}
    parts = [text.strip() for text in (records.get(0), records.get(13), records.get(14)) if text and text.strip()]
    text = (
        "\n\n".join(parts) or f"{path.name} names no licence: ask the font's maker under which terms it may be embedded"
    )
    return Licence(text, "name table")
