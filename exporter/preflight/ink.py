"""Measures each page's total ink (C+M+Y+K, in %) by rendering the PDF with Ghostscript's CMYK device.

Ghostscript renders every page at :data:`DPI` onto ``tiff32nc`` (8 bits for each of C, M, Y and
K), cropped to the page's BleedBox (``-dUseBleedBox``): registration-colour marks outside the
bleed, which read 400%, are not printed on the sheet and are not measured. DeviceCMYK is passed
through as it is (C, M, Y, K 60% each measure 240.0%); every other colour (RGB, Lab, grey, an
ICC-based CMYK with a profile of its own) is converted by Ghostscript's default profiles, not by
the output intent's, so its ink is an estimate.

Overprint: ``tiff32nc`` is a CMYK device, and Ghostscript's default ``-dOverprint=/enable``
honours overprint on it (the inks of an overprinting object add to those beneath it instead of
knocking them out), so an overprinting black on a four-colour area measures as the sum a press
prints. This is asked for explicitly below, so that a change of default does not change the
measure.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: The rendering resolution: one pixel is 25.4/72 mm wide.
DPI = 72
#: How many points above the limit 8-bit rounding may add (255 steps of 100% for each of four inks).
ROUNDING = 2


@dataclass(frozen=True)
class PageInk:
    """One page's ink: the highest total (%) and the area over the limit (mm²)."""

    page: int
    max_ink: float
    over_limit_mm2: float


def measure(pdf: Path, limit: int) -> list[PageInk]:
    """The ink of each page of ``pdf`` rendered in CMYK; PreflightError when Ghostscript is missing or fails."""
    import numpy as np
    from PIL import Image

    from exporter.errors import PreflightError

    gs = shutil.which("gs")
    if gs is None:
        raise PreflightError(
            "Ghostscript (gs) is not installed and the ink check renders with it: apt-get install ghostscript",
            path=str(pdf),
        )
    with tempfile.TemporaryDirectory(prefix="exporter-preflight-") as folder:
        command = [
            gs,
            "-q",
            "-dSAFER",
            "-dBATCH",
            "-dNOPAUSE",
            "-sDEVICE=tiff32nc",
            f"-r{DPI}",
            "-dUseBleedBox",
            "-dOverprint=/enable",
            f"-sOutputFile={folder}/p%05d.tif",
            str(pdf),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            said = (done.stderr or done.stdout).strip().splitlines()
            raise PreflightError(
                f"Ghostscript cannot render the file for the ink check ({said[-1] if said else done.returncode})",
                path=str(pdf),
            )
        pixel_mm2 = (25.4 / DPI) ** 2
        measured = []
        for number, image in enumerate(sorted(Path(folder).glob("p*.tif")), 1):
            with Image.open(image) as tiff:
                ink = np.asarray(tiff.convert("CMYK"), dtype=np.uint16).sum(axis=2) * (100 / 255)
            over = int((ink > limit + ROUNDING).sum())
            measured.append(PageInk(number, round(float(ink.max()), 1), round(over * pixel_mm2, 1)))
        return measured
