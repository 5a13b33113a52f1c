"""Turns the bytes of an issue file into text, detecting legacy encodings."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from exporter.diagnostics import Diagnostic
from exporter.errors import InputError
from exporter.parser.invisibles import is_control

# Magic numbers of files that are sometimes passed by mistake.
_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (an EPUB, DOCX or similar)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
    b"\x7fELF": "a program",
    b"\x1f\x8b": "a gzip archive",
}

# Names charset-normalizer gives, mapped to the codec that decodes the whole family.
_FAMILY = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "hz": "hz",
    "big5": "big5hkscs",
    "big5hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "utf_16": "utf-16",
    "utf_16_le": "utf-16-le",
    "utf_16_be": "utf-16-be",
    "utf_32": "utf-32",
}
_LABEL = {
    "gb18030": "GB18030/GBK",
    "hz": "HZ",
    "big5hkscs": "Big5",
    "cp950": "Big5",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "utf-32": "UTF-32",
}


@dataclass(frozen=True)
class Decoded:
    """The text of a file and, when it was not UTF-8, a diagnostic saying so."""

    text: str
    encoding: str
    diagnostics: tuple[Diagnostic, ...] = ()


def _note(codec: str) -> tuple[Diagnostic, ...]:
    label = _LABEL[codec]
    return (
        Diagnostic(
            1,
            "encoding-detected",
            "warning",
            f"the file is not UTF-8; it was decoded as {label}: save it as UTF-8 to be sure",
        ),
    )


def _plausible(text: str) -> bool:
    """True when decoded text has no control characters other than white space."""
    return not any(is_control(ch) for ch in text)


def decode(data: bytes, path: str = "<input>") -> Decoded:
    """Decode an issue file: UTF-8 (with or without BOM), UTF-16/32, GB18030/GBK, HZ or Big5 (cp950, Big5-HKSCS)."""
    if not data.strip():
        raise InputError("the file is empty: write an issue in it (see the README)", path=path)
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"this is {what}, not an issue text file: pass the issue's .md file", path=path)
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig")
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), codec, _note(codec))
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"the file starts like {_LABEL[codec]} but does not decode: {exc.reason}; save it as UTF-8",
                    path=path,
                ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _plausible(text):
            # HZ is 7-bit ASCII: only the detector tells its ~{…~} escapes from plain text.
            if text.isascii() and "~{" in text and _guess(data) == "hz":
                try:
                    return Decoded(data.decode("hz"), "hz", _note("hz"))
                except UnicodeDecodeError:
                    pass
            return Decoded(text, "utf-8")
        # UTF-16 without a BOM reads as UTF-8 that is half NULs; a few control characters are found by
        # the parser, every one with its line.
        if text.count("\x00") * 10 < len(text):
            return Decoded(text, "utf-8")
    return _detect(data, path)


def _stray_controls(text: str, codec: str) -> bool:
    """A few control characters in text of a legacy Chinese encoding: bytes of the file, for the parser to report.

    In a UTF-16 reading, or with NULs, they are the sign of a wrong encoding instead.
    """
    if not codec.startswith(("gb", "big5")) or "\x00" in text:
        return False
    return sum(1 for ch in text if is_control(ch)) <= max(8, len(text) // 100)


def _score(text: str) -> float:
    """The share of characters a Chinese or Western newspaper text is made of."""
    if not text:
        return 0.0
    good = 0
    for ch in text:
        cp = ord(ch)
        if (
            0x20 <= cp < 0x7F
            or ch in "\t\n\r"
            or 0x4E00 <= cp <= 0x9FFF
            or 0x3000 <= cp <= 0x303F
            or 0xFF00 <= cp <= 0xFFEF
            or 0x2000 <= cp <= 0x206F
            or 0x3400 <= cp <= 0x4DBF
            or 0xA0 <= cp <= 0x24F
        ):
            good += 1
    return good / len(text)


def _guess(data: bytes) -> str | None:
    """The codec of the family charset-normalizer finds the bytes in, if it is one of ours."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return _FAMILY.get(best.encoding.lower()) if best is not None else None


def _detect(data: bytes, path: str) -> Decoded:
    guess = _guess(data)
    candidates = [guess] if guess else []
    if guess == "big5hkscs":
        candidates.append("cp950")  # Windows' Big5: its € (A3E1) is in no Big5-HKSCS table
    candidates += [c for c in ("gb18030", "big5hkscs", "utf-16-le", "utf-16-be") if c not in candidates]
    for codec in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        text = text.lstrip("\ufeff")
        if text.strip() and _score(text) >= 0.95 and (_plausible(text) or _stray_controls(text, codec)):
            return Decoded(text, codec, _note(codec))
    if b"\x00" in data:
        raise InputError("this is a binary file, not an issue text file: pass the issue's .md file", path=path)
    # Line ends as the parser reads them (\r\n, \r, \n), so that the line named is the parser's.
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    damaged = text.count("\ufffd")
    if damaged <= max(8, len(text) // 100):
        first = text.index("\ufffd")
        # What comes before it on its line, as it would print: no line break of any kind in the one-line message.
        start = max(text.rfind("\n", 0, first) + 1, first - 8)
        before = re.split(r"[\n\v\f\x1c-\x1e\x85\u2028\u2029]", text[start:first])[-1].strip()
        raise InputError(
            f"the file is UTF-8 but has {damaged} damaged byte{'s' * (damaged != 1)} (the first after "
            f"…{before}): retype the text there or save the file as UTF-8 again",
            path=path,
            line=text.count("\n", 0, first) + 1,
        )
    raise InputError(
        "the file is neither UTF-8 nor a Chinese encoding that could be recognised "
        "(GB18030/GBK, Big5, UTF-16): save it as UTF-8",
        path=path,
    )
