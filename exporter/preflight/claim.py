"""Reads what a PDF claims to be (PDF/X, PDF/A) and checks the document-wide conditions of its PDF/X claim.

The claim comes from the Info dictionary's ``/GTS_PDFXVersion`` (and ``/GTS_PDFXConformance`` for
PDF/X-1a:2001, whose version key says ``PDF/X-1:2001``) and from the XMP metadata's
``pdfxid:GTS_PDFXVersion``, ``pdfaid:part`` and ``pdfaid:conformance``. The conditions are those
ISO 15930 sets on the whole file: a PDF/X output intent with an embedded CMYK profile, the header
version, ``/Trapped``, a file ``/ID`` and no encryption.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: The highest header version each PDF/X claim allows.
MAX_VERSION = {
    "PDF/X-1a:2001": "1.3",
    "PDF/X-3:2002": "1.3",
    "PDF/X-1a:2003": "1.4",
    "PDF/X-3:2003": "1.4",
    "PDF/X-4": "1.6",
    "PDF/X-4p": "1.6",
    "PDF/X-5g": "1.6",
    "PDF/X-5pg": "1.6",
    "PDF/X-5n": "1.6",
}


@dataclass(frozen=True)
class Claim:
    """What the file claims: its PDF/X version and its PDF/A part and conformance (None when it claims none)."""

    pdfx: str | None
    pdfa: str | None

    @property
    def name(self) -> str | None:
        """The claim a press reads first: the PDF/X one, else the PDF/A one."""
        return self.pdfx or self.pdfa

    @property
    def forbids_transparency(self) -> bool:
        """Whether the claim is PDF/X-1a or PDF/X-3, which allow no transparency."""
        return self.pdfx is not None and self.pdfx.startswith(("PDF/X-1", "PDF/X-3"))


def _xmp_value(xmp: str, key: str) -> str | None:
    """The value of an XMP property written as an element or as an attribute."""
    found = re.search(rf"<{key}>\s*([^<]*?)\s*</{key}>", xmp) or re.search(rf'\b{key}\s*=\s*"([^"]*)"', xmp)
    return found.group(1) if found else None


def _xmp(pdf: Any) -> str:
    metadata = pdf.Root.get("/Metadata")
    if metadata is None:
        return ""
    try:
        return bytes(metadata.read_bytes()).decode("utf-8", "replace")
    except Exception:  # a metadata stream that does not decode says nothing
        return ""


def claim_of(pdf: Any) -> Claim:
    """The claims of an open pikepdf document."""
    xmp = _xmp(pdf)
    info = pdf.trailer.get("/Info")
    version = _xmp_value(xmp, "pdfxid:GTS_PDFXVersion")
    if version is None and info is not None and "/GTS_PDFXVersion" in info:
        version = str(info.GTS_PDFXVersion)
    if version is None:
        version = _xmp_value(xmp, "pdfx:GTS_PDFXVersion")
    if version is not None and version.startswith("PDF/X-1:"):  # X-1a:2001 says "PDF/X-1:2001" and the conformance
        conformance = str(info.get("/GTS_PDFXConformance", "")) if info is not None else ""
        conformance = conformance or _xmp_value(xmp, "pdfx:GTS_PDFXConformance") or ""
        version = conformance if conformance.startswith("PDF/X-1a") else version.replace("X-1:", "X-1a:")
    part = _xmp_value(xmp, "pdfaid:part")
    conformance = _xmp_value(xmp, "pdfaid:conformance") or ""
    pdfa = f"PDF/A-{part}{conformance.upper()}" if part else None
    return Claim(version.strip() if version else None, pdfa)


@dataclass(frozen=True)
class Problem:
    """A document-wide fault of the claim: its finding code and message."""

    code: str
    message: str


def conditions(pdf: Any, claim: Claim) -> list[Problem]:
    """The document-wide faults of a PDF/X file (of a file claiming no PDF/X, that one fault)."""
    if claim.pdfx is None:
        other = f" (it claims {claim.pdfa} only)" if claim.pdfa else ""
        return [
            Problem(
                "no-pdfx",
                f"no PDF/X claim{other}: a press needs PDF/X with a CMYK output intent; "
                "export as PDF/X-4 (or PDF/X-1a) with the printer's CMYK profile",
            )
        ]
    problems = _output_intent(pdf, external=claim.pdfx.startswith(("PDF/X-4p", "PDF/X-5")))
    allowed = MAX_VERSION.get(claim.pdfx)
    if allowed is not None and _version(str(pdf.pdf_version)) > _version(allowed):
        problems.append(
            Problem(
                "pdf-version",
                f"the header says PDF {pdf.pdf_version} but {claim.pdfx} allows PDF {allowed} at most; "
                f"write the file as PDF {allowed}",
            )
        )
    info = pdf.trailer.get("/Info")
    trapped = str(info.get("/Trapped", "")) if info is not None else ""
    if trapped not in ("/True", "/False"):
        said = f"is {trapped}" if trapped else "is missing"
        problems.append(
            Problem("trapped", f"/Trapped in the Info dictionary {said}: PDF/X needs /True or /False; set /False")
        )
    if pdf.trailer.get("/ID") is None:
        problems.append(Problem("no-id", "the file has no /ID in its trailer: PDF/X needs one; write the file again"))
    if pdf.is_encrypted:
        problems.append(Problem("encrypted", "the file is encrypted: PDF/X forbids it; save it unencrypted"))
    return problems


def _output_intent(pdf: Any, *, external: bool) -> list[Problem]:
    """The faults of the PDF/X output intent: missing, without an embedded profile, or not CMYK.

    PDF/X-4p and PDF/X-5 may name their profile instead (``/DestOutputProfileRef``): ``external``
    accepts that, unchecked."""
    intents = pdf.Root.get("/OutputIntents")
    intent = next((i for i in intents or [] if str(i.get("/S")) == "/GTS_PDFX"), None)
    if intent is None:
        return [
            Problem(
                "no-output-intent",
                "no /OutputIntents entry with /S /GTS_PDFX: a press needs the output condition the colours "
                "were made for; embed the printer's CMYK profile as the PDF/X output intent",
            )
        ]
    profile = intent.get("/DestOutputProfile")
    if profile is None and external and "/DestOutputProfileRef" in intent:
        return []
    if profile is None:
        return [
            Problem(
                "no-output-intent",
                "the PDF/X output intent has no embedded /DestOutputProfile: embed the printer's CMYK ICC profile",
            )
        ]
    try:
        data = bytes(profile.read_bytes())
    except Exception:
        data = b""
    space = data[16:20].decode("latin-1").strip() if len(data) >= 20 else f"N={profile.get('/N', '?')}"
    if space != "CMYK":
        return [
            Problem(
                "intent-not-cmyk",
                f"the output intent's profile is {space or 'unreadable'}, not CMYK: a press prints CMYK; "
                "use the printer's CMYK profile",
            )
        ]
    return []


def _version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return (0,)
