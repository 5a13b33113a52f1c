"""Recognises bylines and photo credits and splits them into outlet, roles and names."""

from __future__ import annotations

import re

from exporter.model import Byline, Credit

MARKS = "□■◎●○◆◇★"
# Longest first, so that 本报记者 wins over 记者 and 文/图 over 文/.
ROLES = (
    "本报特约记者",
    "本报见习记者",
    "本报首席记者",
    "本报记者",
    "本报通讯员",
    "特约记者",
    "见习记者",
    "首席记者",
    "记者",
    "通讯员",
    "实习生",
    "摄影",
    "文/图",
    "图/文",
    "文／图",
    "图／文",
    "文/",
    "图/",
    "摄/",
    "文／",
    "图／",
    "摄／",
)
_ROLE = re.compile("|".join(re.escape(r) for r in ROLES))
_SENTENCE = re.compile(r"[，。！？；：,;!?]")
_SPACE = re.compile(r"[\s\u3000、]+")


def is_byline(text: str) -> bool:
    """A line that starts with a byline mark, or with a credit word followed by names."""
    text = text.strip()
    if not text:
        return False
    if text[0] in MARKS:
        return True
    match = _ROLE.match(text)
    if not match:
        return False
    # 记者从市教育局获悉，… opens a paragraph, not a byline: a byline is short and has no sentence.
    return len(text) <= 80 and not _SENTENCE.search(text)


def _names(segment: str) -> tuple[str, ...]:
    """Names of one credit; two-character names padded with a space (王 萌) are paired again."""
    tokens = [t for t in _SPACE.split(segment.strip()) if t]
    names: list[str] = []
    latin = False  # the last name is a Latin one, which may go on (John Smith)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.isascii() and tok[:1].isalpha():
            if latin:
                names[-1] = f"{names[-1]} {tok}"
            else:
                names.append(tok)
            latin = True
        elif len(tok) == 1 and i + 1 < len(tokens) and len(tokens[i + 1]) == 1 and not tokens[i + 1].isascii():
            names.append(tok + tokens[i + 1])
            latin = False
            i += 1
        else:
            names.append(tok)
            latin = False
        i += 1
    return tuple(names)


def credits(text: str) -> tuple[str | None, tuple[Credit, ...]]:
    """The outlet (text before the first role) and the credits of a byline or photo credit."""
    matches = list(_ROLE.finditer(text))
    if not matches:
        names = _names(text)
        return None, ((Credit("", names),) if names else ())
    outlet = text[: matches[0].start()].strip().rstrip("/／").strip() or None
    out: list[Credit] = []
    for k, match in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        role = match.group(0).rstrip("/／")
        segment = text[match.end() : end]
        out.append(Credit(role, _names(segment)))
    return outlet, tuple(out)


def parse_byline(raw: str, line: int) -> Byline:
    """A byline line as written, with the outlet and credits read from it."""
    raw = raw.strip()
    body = raw.lstrip(MARKS).strip()
    outlet, found = credits(body)
    return Byline(raw, outlet, found, line)


_PHOTO_CREDIT = re.compile(r"[（(]\s*([^（）()]*?)\s*[)）]\s*$")


def split_photo_credit(caption: str) -> tuple[str, str | None]:
    """A caption and the photo credit at its end in parentheses: （记者 王萌 摄）."""
    match = _PHOTO_CREDIT.search(caption)
    if not match:
        return caption, None
    inner = match.group(1)
    if not (
        inner.endswith("摄") or inner.endswith("供图") or _ROLE.search(inner) or inner.startswith(("图", "新华社"))
    ):
        return caption, None
    return caption[: match.start()].rstrip(), inner


def photo_credits(inner: str) -> tuple[Credit, ...]:
    """Credits of a photo credit, without the trailing 摄."""
    text = inner.strip()
    for suffix in ("摄", "供图"):
        if text.endswith(suffix):
            text = text[: -len(suffix)].strip()
            break
    outlet, found = credits(text)
    if outlet and not found:
        return (Credit("", (outlet,)),)
    return found
