"""Reads the registration number a masthead may print out of the issue's identifier: a CN serial or an ISSN.

A Chinese paper's 报头 prints its 国内统一连续出版物号 (CN serial: ``CN 37-0008``, the province's
two digits, a hyphen, four digits, and for a periodical a class after a slash, ``CN 11-2127/TP``),
and a periodical may print its ISSN (``ISSN 0254-4164``). An identifier that is neither (a URN, a
URL, a number of the paper's own) is no business of the masthead: it stays in the EPUB's metadata.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

_CN = re.compile(r"CN ?(\d{2})-(\d{4})(/[A-Z0-9.]+)?")
_ISSN = re.compile(r"ISSN ?(\d{4})-?(\d{3}[\dX])")


@dataclass(frozen=True)
class Serial:
    """A registration number as the masthead prints it: its kind and the number, normalised."""

    kind: Literal["cn", "issn"]
    number: str


def serial_number(identifier: str | None) -> Serial | None:
    """The CN serial (``CN 37-0008``) or ISSN (``ISSN 0254-4164``) the identifier is, normalised; else None.

    Full-width forms and lower case are read as the same characters (ＣＮ３７－０００８, cn37-0008),
    a space after CN or ISSN may be left out, and an ISSN must have its check digit right (ISO 3297).
    """
    if not identifier:
        return None
    value = unicodedata.normalize("NFKC", identifier).strip().upper()
    cn = _CN.fullmatch(value)
    if cn:
        return Serial("cn", f"CN {cn.group(1)}-{cn.group(2)}{cn.group(3) or ''}")
    issn = _ISSN.fullmatch(value)
    if issn and _issn_check(issn.group(1) + issn.group(2)):
        return Serial("issn", f"ISSN {issn.group(1)}-{issn.group(2)}")
    return None


def _issn_check(digits: str) -> bool:
    """Whether the eighth character of an ISSN is the check digit of the first seven (X stands for 10)."""
    total = sum(int(d) * weight for d, weight in zip(digits[:7], range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return digits[7] == ("X" if check == 10 else str(check))
