"""Recognises bylines and photo credits and splits them into outlet, roles and names."""

from __future__ import annotations

import re

from exporter.model import Byline, Credit

MARKS = "□■◎●○◆◇★"
# Longest first, so that 本报记者 wins over 记者 and 文/图 over 文/; the traditional forms are
# those of Taiwan and Hong Kong papers.
ROLES = (
    "本报特约记者",
    "本报见习记者",
    "本报实习记者",
    "本报首席记者",
    "本报记者",
    "本报通讯员",
    "本報特約記者",
    "本報見習記者",
    "本報實習記者",
    "本報首席記者",
    "本報記者",
    "本報通訊員",
    "特约记者",
    "见习记者",
    "首席记者",
    "特約記者",
    "見習記者",
    "首席記者",
    "实习记者",
    "實習記者",
    "记者",
    "記者",
    "通讯员",
    "通訊員",
    "实习生",
    "實習生",
    "特派员",
    "特派員",
    "摄影",
    "攝影",
    "文/图",
    "图/文",
    "文／图",
    "图／文",
    "文/圖",
    "圖/文",
    "文／圖",
    "圖／文",
    "文/",
    "图/",
    "圖/",
    "摄/",
    "攝/",
    "文／",
    "图／",
    "圖／",
    "摄／",
    "攝／",
)
_ROLE = re.compile("|".join(re.escape(r) for r in ROLES))
_SENTENCE = re.compile(r"[，。！？；：,;!?]")
_SPACE = re.compile(r"[\s\u3000、]+")
# Where the report was filed, at the end of a byline: ／臺南報導, /青岛报道, ／台北電, or after a space
# for the two-character words. A single 电 or 讯 after a space may end a name (王 电), so it needs a slash.
_FILED = re.compile(
    r"(?:\s*[/／]\s*(?P<place>[^\s/／、]{0,10}?)(?P<report>報導|報道|报道|报导|電|电|訊|讯)"
    r"|[\s\u3000]+(?P<place2>[^\s/／、]{0,10}?)(?P<report2>報導|報道|报道|报导))$"
)


def filed(text: str) -> tuple[str, str | None, str | None]:
    """A byline without where the report was filed, the place (臺南) and the word (報導) of it."""
    match = _FILED.search(text)
    if not match:
        return text, None, None
    place = match.group("place") if match.group("report") else match.group("place2")
    report = match.group("report") or match.group("report2")
    return text[: match.start()].rstrip(), place or None, report


def is_byline(text: str) -> bool:
    """A line that starts with a byline mark, or with a credit word followed by names.

    A line with an outlet before the credit word (聯合報記者王小明／臺北報導) is a byline when it ends
    with where the report was filed.
    """
    text = text.strip()
    if not text:
        return False
    if text[0] in MARKS:
        return True
    # 记者从市教育局获悉，… opens a paragraph, not a byline: a byline is short and has no sentence.
    if len(text) > 80 or _SENTENCE.search(text):
        return False
    if _ROLE.match(text):
        return True
    rest, _, report = filed(text)
    return report is not None and bool(_ROLE.search(rest))


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
    body, place, report = filed(raw.lstrip(MARKS).strip())
    outlet, found = credits(body)
    return Byline(raw, outlet, found, line, place, report)


_PHOTO_CREDIT = re.compile(r"[（(]\s*([^（）()]*?)\s*[)）]\s*$")


def split_photo_credit(caption: str) -> tuple[str, str | None]:
    """A caption and the photo credit at its end in parentheses: （记者 王萌 摄）."""
    match = _PHOTO_CREDIT.search(caption)
    if not match:
        return caption, None
    inner = match.group(1)
    if not (
        inner.endswith(("摄", "攝", "供图", "供圖"))
        or _ROLE.search(inner)
        or inner.startswith(("图", "圖", "新华社", "新華社"))
    ):
        return caption, None
    return caption[: match.start()].rstrip(), inner


def photo_credits(inner: str) -> tuple[Credit, ...]:
    """Credits of a photo credit, without the trailing 摄."""
    text = inner.strip()
    for suffix in ("摄", "攝", "供图", "供圖"):
        if text.endswith(suffix):
            text = text[: -len(suffix)].strip()
            break
    # An outlet comes only before a credit word, so a credit with an outlet always has credits.
    return credits(text)[1]
