"""Draws the four plates Ghostscript separates a page of a print PDF into, side by side, for docs/print.md.

.venv/bin/python tools/plates.py build/binhai-daily.pdf docs/images/print/plates.png [PAGE]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

PLATES = (("Cyan", (0, 160, 227)), ("Magenta", (229, 0, 126)), ("Yellow", (255, 220, 0)), ("Black", (30, 30, 30)))


def main(pdf: Path, out: Path, page: int = 1, dpi: int = 45) -> None:
    """Separate ``page`` of ``pdf`` with Ghostscript's tiffsep and draw each plate in its ink."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                "gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", f"-r{dpi}",
                f"-dFirstPage={page}", f"-dLastPage={page}", f"-sOutputFile={tmp}/p.tif", str(pdf),
            ],
            check=True,
        )  # fmt: skip
        plates = [(name, ink, Image.open(Path(tmp) / f"p({name}).tif").convert("L")) for name, ink in PLATES]
        width, height = plates[0][2].size
        gap, label = 12, 22
        sheet = Image.new("RGB", (len(plates) * (width + gap) - gap, height + label), "white")
        draw = ImageDraw.Draw(sheet)
        font = ImageFont.load_default()
        for i, (name, ink, plate) in enumerate(plates):
            coloured = Image.composite(Image.new("RGB", plate.size, "white"), Image.new("RGB", plate.size, ink), plate)
            x = i * (width + gap)
            sheet.paste(coloured, (x, label))
            draw.rectangle((x, label, x + width - 1, label + height - 1), outline=(180, 180, 180))
            draw.text((x + 4, 4), name, fill=(0, 0, 0), font=font)
        out.parent.mkdir(parents=True, exist_ok=True)
        sheet.save(out, optimize=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)
