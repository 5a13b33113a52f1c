"""Renders a PDF with poppler, MuPDF and Ghostscript and tells where the three draw a page differently.

A PDF can look right in one reader and wrong in another: an embedded CID-keyed CFF subset with a
sparse charset is drawn by poppler, drawn as crossed .notdef boxes by Ghostscript and left blank by
MuPDF. So the tests draw every page with the three and compare the pictures, and ask MuPDF
(:func:`mutool_warnings`) and qpdf (:func:`qpdf_check`) what they think of the file.

How the pages are drawn
    ``pdftoppm -r 200 -cropbox``, ``mutool draw -r 200 -c rgb -N`` and ``gs -sDEVICE=ppmraw -r200
    -dUseCropBox -dTextAlphaBits=4 -dGraphicsAlphaBits=4 -dNOTRANSPARENCY``, each into its own
    temporary folder, side by side, and each page turned to gray here (Pillow's ITU-R 601 luma).

    * The same box: MuPDF always draws the CropBox (1.21 has no option for another), so poppler
      gets ``-cropbox`` and Ghostscript ``-dUseCropBox``; poppler and Ghostscript would draw the
      MediaBox otherwise. In the print PDF the CropBox is the MediaBox (bleed and crop marks in
      it, TrimBox inside), in the others every box is the page. A page given a CropBox smaller
      than, and offset from, its MediaBox comes out the same size from all three, to a pixel,
      with the same content (``test_renderers.py`` checks it). Pages differ by a pixel or two
      in size, as each renderer rounds the box: the comparison keeps the common top-left part
      and leaves out the :data:`EDGE` pixels along its sides, where the last partial row or
      column is drawn differently.
    * Colour, then gray: Ghostscript's ``pnggray`` makes #cc0000 a gray of 100 where poppler
      and MuPDF make 61, so red headlines would differ on every page; the three give the same
      RGB, and one conversion here keeps them equal. ``-N`` turns off MuPDF's colour management,
      which this build (Debian's mupdf-tools 1.21) lacks anyway: without ``-N`` it says
      ``warning: ICC support is not available`` for every file.
    * Ghostscript anti-aliases text and graphics (4 bits), as the other two do by default; without
      it a 0.75 pt crop-mark line is 3 black pixels in Ghostscript and 1.3 gray ones in the others.
      With anti-aliased graphics Ghostscript 10.0 drops WeasyPrint's crop marks altogether (they
      are a form in a transparency group); ``-dNOTRANSPARENCY`` brings them back. The PDFs exporter
      writes use no transparency besides that group (no soft masks, no opacity): should a theme
      ever use it, the Ghostscript page will differ there, and this flag is the place to look.

The metric, and why
    Each page becomes ink (255 - gray), blurred with a Gaussian of :data:`SIGMA` = 1 px. A renderer
    that draws a stroke one pixel black and another that draws it two pixels half gray then give
    the same picture. For renderer A against renderer B, a pixel's *excess* is how much more ink A
    has there than B has anywhere within :data:`REACH` = 1 px (a 3x3 maximum of B's ink), which
    forgives a glyph placed a pixel apart; and the same for B against A. The score of a page is the
    largest mean excess over a 3x3 window (:data:`WINDOW` = 1, 0.4 mm at 200 dpi), 0-255: a glyph
    missing, added, boxed or replaced leaves a patch of ink one side has and the other has nowhere
    near, and an anti-aliasing difference leaves only a thin fringe. A page also fails when its mean
    ink differs by more than :data:`MEAN_THRESHOLD` levels (a tint or fill drawn differently
    everywhere, a little at each place). A pair of renderers agrees on a page when its score is at
    most :data:`THRESHOLD` = 48 and its mean difference at most 2.0; the three agree on a PDF when
    every pair agrees on every page, and all three gave the same number of pages, of the same
    size to :data:`SIZE_SLACK` = 2 px.

    Calibration: every page, every pair of renderers (poppler 22.12, MuPDF 1.21.1, Ghostscript
    10.0.0, as Debian 12 has them); for a changed glyph, the smallest score over every renderer
    drawing the correct page against every other renderer drawing the changed one.

    ===============================================================  ========  ==========
    pages                                                            score     mean ink Δ
    ===============================================================  ========  ==========
    agreeing: WeasyPrint with the system Noto Serif/Sans CJK SC,     ≤ 26      ≤ 0.39
    regular and bold, 9 to 40 pt, 3 columns, red rules, a photo,
    A4 and A5, PDF/X-4 with bleed and crop marks, pages turned a
    quarter; and exporter's print layouts (every kind, the binhai
    example and the sample) set in those fonts: 324 page pairs,
    median 15
    agreeing: exporter's own PDFs once its fonts were fixed, every   ≤ 26      ≤ 0.4
    kind of binhai, numbers, hk and the sample (poppler-MuPDF ≤ 19)
    one 10 pt body character replaced by another (集 → 海)           ≥ 84
    the same, by a similar one (集 → 隼)                             ≥ 103
    one 9 pt caption character replaced (靠 → 泊)                    ≥ 110
    one 10 pt body character drawn as a box (□), or left out         ≥ 175
    a 22 pt headline ending in 13 or 1 instead of 15                 ≥ 254
    exporter's PDFs with the sparse charset (before the fix): every  198-238   0.1-14.7
    page, Ghostscript's boxes and MuPDF's blanks
    ===============================================================  ========  ==========

    48 sits between 26 and 84 with about the same ratio, 1.8, to each. Coarser pictures do not
    separate them: at 100 dpi (a 10 pt character 14 px wide, strokes of one pixel) agreeing pages
    reach 25 and a replaced body character scores as little as 11; at 150 dpi 26 against 50.
    The mean alone would miss the sparse-charset fault: Ghostscript's boxes carry about as much
    ink as the characters (Δ 0.1 on some pages). At 200 dpi drawing and comparing a 5-page A4
    PDF takes 2 to 3 seconds on 2 cores.

When the renderers disagree, :func:`assert_agree` saves each renderer's page, a picture of the
difference and a close-up of the worst place into a folder, and names it and the place in the
assertion message.
"""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps, ImageStat

RENDERERS = ("poppler", "mupdf", "ghostscript")
DPI = 200
SIGMA = 1.0
REACH = 1
WINDOW = 1
EDGE = 2
THRESHOLD = 48
MEAN_THRESHOLD = 2.0
SIZE_SLACK = 2
# How many of the pages that disagree get their pictures saved.
SAVED_PAGES = 3

_TOOLS = {
    "poppler": ("pdftoppm", "poppler-utils"),
    "mupdf": ("mutool", "mupdf-tools"),
    "ghostscript": ("gs", "ghostscript"),
}


def tool(name: str, package: str) -> str:
    """The path of a command the tests need, or an assertion naming the Debian package that has it."""
    path = shutil.which(name)
    assert path, f"{name} is not installed: run ./dev test, which installs {package} (apt-get install {package})"
    return path


def command(renderer: str, pdf: Path, dpi: int, folder: Path) -> list[str]:
    """The command that draws every page of ``pdf`` into ``folder`` as ``page-N.ppm`` (RGB)."""
    exe = tool(*_TOOLS[renderer])
    if renderer == "poppler":
        return [exe, "-r", str(dpi), "-cropbox", str(pdf), str(folder / "page")]
    if renderer == "mupdf":
        return [exe, "draw", "-q", "-N", "-r", str(dpi), "-c", "rgb", "-o", str(folder / "page-%d.ppm"), str(pdf)]
    if renderer == "ghostscript":
        return [
            exe,
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-dSAFER",
            "-sDEVICE=ppmraw",
            f"-r{dpi}",
            "-dUseCropBox",
            "-dTextAlphaBits=4",
            "-dGraphicsAlphaBits=4",
            "-dNOTRANSPARENCY",
            "-o",
            str(folder / "page-%d.ppm"),
            str(pdf),
        ]
    raise ValueError(f"unknown renderer {renderer!r}: choose from {', '.join(RENDERERS)}")


def _page_number(path: Path) -> int:
    # pdftoppm pads the number to the width of the page count (page-01.ppm), the others do not.
    return int(path.stem.rsplit("-", 1)[1])


def _gray(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("L")


def render(pdf: Path, renderers: Sequence[str] = RENDERERS, *, dpi: int = DPI) -> dict[str, list[Image.Image]]:
    """Each renderer's pages of ``pdf``, in gray, in order; the renderers run side by side."""
    with tempfile.TemporaryDirectory(prefix="exporter-render-") as tmp:
        running: dict[str, tuple[Path, subprocess.Popen[str]]] = {}
        for renderer in renderers:
            folder = Path(tmp) / renderer
            folder.mkdir()
            process = subprocess.Popen(
                command(renderer, pdf, dpi, folder), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            running[renderer] = (folder, process)
        pages: dict[str, list[Image.Image]] = {}
        for renderer, (folder, process) in running.items():
            out, err = process.communicate(timeout=600)
            assert process.returncode == 0, f"{renderer} could not draw {pdf} (exit {process.returncode}): {err or out}"
            pages[renderer] = [_gray(f) for f in sorted(folder.glob("page-*.ppm"), key=_page_number)]
        return pages


@dataclass(frozen=True)
class Prepared:
    """One drawn page made ready to compare: its ink blurred, that ink spread by REACH pixels, its mean."""

    image: Image.Image
    ink: Image.Image
    spread: Image.Image
    mean: float


def prepare(page: Image.Image) -> Prepared:
    """The blurred ink of a gray page and its 3x3 maximum."""
    ink = ImageOps.invert(page).filter(ImageFilter.GaussianBlur(SIGMA))
    return Prepared(page, ink, _spread(ink, REACH), ImageStat.Stat(ink).mean[0])


def _spread(ink: Image.Image, reach: int) -> Image.Image:
    """Each pixel the most ink within ``reach`` pixels (a square): a max filter, rows then columns."""
    w, h = ink.size
    rows = ink
    for d in range(1, reach + 1):
        # Crops reaching past the picture are filled with 0: no ink.
        rows = ImageChops.lighter(rows, ink.crop((d, 0, w + d, h)))
        rows = ImageChops.lighter(rows, ink.crop((-d, 0, w - d, h)))
    out = rows
    for d in range(1, reach + 1):
        out = ImageChops.lighter(out, rows.crop((0, d, w, h + d)))
        out = ImageChops.lighter(out, rows.crop((0, -d, w, h - d)))
    return out


def _common(a: Image.Image, b: Image.Image) -> tuple[int, int]:
    return min(a.width, b.width), min(a.height, b.height)


def excess(a: Prepared, b: Prepared) -> Image.Image:
    """Per pixel, the ink one page has that the other has nowhere within REACH, averaged over the window."""
    w, h = _common(a.image, b.image)
    a_more = ImageChops.subtract(a.ink.crop((0, 0, w, h)), b.spread.crop((0, 0, w, h)))
    b_more = ImageChops.subtract(b.ink.crop((0, 0, w, h)), a.spread.crop((0, 0, w, h)))
    both = ImageChops.lighter(a_more, b_more).filter(ImageFilter.BoxBlur(WINDOW))
    # The last partial row and column are each renderer's own rounding of the page box: leave them out.
    return both.crop((EDGE, EDGE, w - EDGE, h - EDGE))


@dataclass(frozen=True)
class Difference:
    """How two renderers' drawings of one page differ: the worst window and the mean ink."""

    page: int
    first: str
    second: str
    score: int
    mean_delta: float
    x: int
    y: int
    dpi: int

    @property
    def fails(self) -> bool:
        return self.score > THRESHOLD or self.mean_delta > MEAN_THRESHOLD

    @property
    def where(self) -> str:
        mm = 25.4 / self.dpi
        return f"{self.x * mm:.1f} mm from the left, {self.y * mm:.1f} mm from the top (pixel {self.x},{self.y})"

    def __str__(self) -> str:
        return (
            f"page {self.page}: {self.second} against {self.first}: score {self.score} (threshold {THRESHOLD}) "
            f"at {self.where}, mean ink differs by {self.mean_delta:.2f} (threshold {MEAN_THRESHOLD})"
        )


def compare(
    a: Prepared, b: Prepared, *, page: int = 1, names: tuple[str, str] = ("a", "b"), dpi: int = DPI
) -> Difference:
    """The score of page ``a`` against page ``b`` and where it is worst."""
    diff = excess(a, b)
    high = diff.getextrema()[1]
    assert isinstance(high, int)
    x = y = 0
    if high:
        box = diff.point(lambda v: 255 if v >= high else 0).getbbox()
        if box:
            x, y = box[0] + EDGE, box[1] + EDGE
    return Difference(page, names[0], names[1], high, abs(a.mean - b.mean), x, y, dpi)


@dataclass
class Verdict:
    """Every page of every pair of renderings compared, and what did not match at all."""

    pages: dict[str, list[Image.Image]]
    differences: list[Difference] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    dpi: int = DPI

    @property
    def failures(self) -> list[Difference]:
        return [d for d in self.differences if d.fails]

    @property
    def agree(self) -> bool:
        return not self.problems and not self.failures

    @property
    def worst(self) -> Difference | None:
        return max(self.differences, key=lambda d: (d.fails, d.score, d.mean_delta), default=None)


def compare_renderings(pages: Mapping[str, list[Image.Image]], *, dpi: int = DPI) -> Verdict:
    """Compare every pair of renderings page by page; the keys name them (a renderer, or a renderer and a file)."""
    verdict = Verdict(dict(pages), dpi=dpi)
    counts = {name: len(found) for name, found in pages.items()}
    if len(set(counts.values())) > 1:
        verdict.problems.append(f"the renderers give different numbers of pages: {counts}")
    if not any(counts.values()):
        verdict.problems.append("no renderer drew a page")
    with ThreadPoolExecutor(max_workers=2) as pool:  # Pillow lets go of the GIL while it filters
        prepared = {name: list(pool.map(prepare, found)) for name, found in pages.items()}
        jobs = []
        for first, second in itertools.combinations(pages, 2):
            for number, (a, b) in enumerate(zip(prepared[first], prepared[second], strict=False), start=1):
                sizes = (a.image.size, b.image.size)
                if max(abs(sizes[0][0] - sizes[1][0]), abs(sizes[0][1] - sizes[1][1])) > SIZE_SLACK:
                    verdict.problems.append(
                        f"page {number}: {first} draws it {sizes[0][0]}x{sizes[0][1]} px, "
                        f"{second} {sizes[1][0]}x{sizes[1][1]} px: not the same page box"
                    )
                    continue
                jobs.append(pool.submit(compare, a, b, page=number, names=(first, second), dpi=dpi))
        verdict.differences = [job.result() for job in jobs]
    return verdict


def compare_renderers(pdf: Path, *, dpi: int = DPI) -> Verdict:
    """Draw ``pdf`` with poppler, MuPDF and Ghostscript and compare the three page by page; in a PDF for a press,
    inside the bleed and around the pictures (:func:`press_areas`)."""
    pages = render(pdf, dpi=dpi)
    for number, (bleed, pictures) in press_areas(pdf, dpi).items():
        for found in pages.values():
            if number <= len(found):
                page = found[number - 1]
                kept = Image.new("L", page.size, 255)
                kept.paste(page.crop(bleed), bleed[:2])
                for box in pictures:
                    kept.paste(255, box)
                found[number - 1] = ImageOps.autocontrast(kept)
    return compare_renderings(pages, dpi=dpi)


Box = tuple[int, int, int, int]


def press_areas(pdf: Path, dpi: int) -> dict[int, tuple[Box, list[Box]]]:
    """Per page of a PDF for a press (one with an output intent), the pixel boxes of its bleed and of its CMYK
    pictures, as drawn.

    A press PDF is CMYK, and the three renderers turn CMYK into screen colours three ways: Ghostscript through
    ICC profiles, poppler by its own formula, Debian's MuPDF (built without colour management) by the naive
    one, so the colour bar's solids outside the bleed and the pictures' tones differ between them by design
    (newsprint's deepest black is a dark grey through a profile, black naively), and even 100% black is drawn
    a little lighter by poppler and Ghostscript than by MuPDF. The comparison keeps the page inside the bleed,
    leaves out only its CMYK pictures, and stretches each drawing's tones so that its black is black
    (``ImageOps.autocontrast``): what is left to differ is where the ink is, which is what the comparison is for.
    """
    import pikepdf
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTFigure, LTImage, LTPage

    with pikepdf.open(pdf) as doc:
        if "/OutputIntents" not in doc.Root:
            return {}
        turns = [int(page.obj.get("/Rotate", 0)) % 360 for page in doc.pages]
        bleeds = []
        for page in doc.pages:
            media = [float(v) for v in page.obj.get("/CropBox", page.obj.MediaBox)]
            bleed = [float(v) for v in page.obj.get("/BleedBox", page.obj.MediaBox)]
            bleeds.append((bleed[0] - media[0], bleed[1] - media[1], bleed[2] - media[0], bleed[3] - media[1]))
            if "/Rotate" in page.obj:  # read unturned; each box is turned below as the renderers turn the page
                del page.obj["/Rotate"]
        unturned = io.BytesIO()
        doc.save(unturned)
    scale = dpi / 72

    def pixels(turn: int, height: float, left: float, bottom: float, right: float, top: float) -> Box:
        # Points from the page box's lower left corner to pixels from the drawn page's top left.
        # Shown turned a quarter clockwise, x runs down and y runs right.
        box = (bottom, left, top, right) if turn == 90 else (left, height - top, right, height - bottom)
        return (int(box[0] * scale) - 2, int(box[1] * scale) - 2, int(box[2] * scale) + 3, int(box[3] * scale) + 3)

    out: dict[int, tuple[Box, list[Box]]] = {}
    for number, layout in enumerate(extract_pages(unturned), start=1):
        assert isinstance(layout, LTPage)
        turn, height = turns[number - 1], layout.bbox[3]  # pdfminer measures from the page box's corner too
        pictures: list[Box] = []
        stack: list[object] = list(layout)
        while stack:
            item = stack.pop()
            if isinstance(item, LTFigure):
                stack.extend(item)
            elif isinstance(item, LTImage) and "CMYK" in str(item.colorspace):
                pictures.append(pixels(turn, height, *item.bbox))
        drawn = pixels(turn, height, *bleeds[number - 1])
        out[number] = ((drawn[0] + 4, drawn[1] + 4, drawn[2] - 5, drawn[3] - 5), pictures)
    return out


def _odd_ones(verdict: Verdict) -> dict[int, str]:
    """Per page, the renderer that every failing pair of that page has in it, when there is one."""
    out: dict[int, str] = {}
    failing: dict[int, list[Difference]] = {}
    for d in verdict.failures:
        failing.setdefault(d.page, []).append(d)
    for page, found in failing.items():
        common = set.intersection(*({d.first, d.second} for d in found))
        if len(common) == 1 and len(found) > 1:
            out[page] = common.pop()
    return out


def _diff_picture(a: Image.Image, b: Image.Image, worst: Difference) -> Image.Image:
    """The first page faded, the excess of either over the other in red, the worst window boxed."""
    pa, pb = prepare(a), prepare(b)
    amount = ImageOps.autocontrast(excess(pa, pb), cutoff=0)
    w, h = _common(a, b)
    base = a.crop((0, 0, w, h)).point(lambda v: 160 + v * 95 // 255).convert("RGB")
    red = Image.new("RGB", (w, h), (220, 0, 0))
    mask = Image.new("L", (w, h), 0)
    mask.paste(amount, (EDGE, EDGE))
    picture = Image.composite(red, base, mask)
    r = 12 * worst.dpi // 100
    ImageDraw.Draw(picture).rectangle(
        (worst.x - r, worst.y - r, worst.x + r, worst.y + r), outline=(0, 0, 255), width=3
    )
    return picture


def _close_up(pages: Mapping[str, Image.Image], worst: Difference) -> Image.Image:
    """The worst place, 2.5 cm square, as each renderer drew it, side by side and enlarged 3 times."""
    half = worst.dpi // 2
    box = (worst.x - half, worst.y - half, worst.x + half, worst.y + half)
    crops = [page.crop(box).resize((6 * half, 6 * half), Image.Resampling.NEAREST) for page in pages.values()]
    out = Image.new("L", (len(crops) * (6 * half + 8), 6 * half + 24), 128)
    draw = ImageDraw.Draw(out)
    for i, (name, crop) in enumerate(zip(pages, crops, strict=True)):
        out.paste(crop, (i * (6 * half + 8), 24))
        draw.text((i * (6 * half + 8) + 4, 4), name, fill=255)
    return out


def save_pictures(verdict: Verdict, folder: Path) -> list[Path]:
    """Each renderer's pages that disagree most, the difference and a close-up, as PNG in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    by_page: dict[int, Difference] = {}
    for d in sorted(verdict.failures, key=lambda d: -d.score):
        by_page.setdefault(d.page, d)
    for page, worst in list(by_page.items())[:SAVED_PAGES]:
        drawn = {name: found[page - 1] for name, found in verdict.pages.items() if len(found) >= page}
        for name, image in drawn.items():
            written.append(folder / f"page{page}-{_slug(name)}.png")
            image.save(written[-1])
        written.append(folder / f"page{page}-diff-{_slug(worst.first)}-{_slug(worst.second)}.png")
        _diff_picture(drawn[worst.first], drawn[worst.second], worst).save(written[-1])
        written.append(folder / f"page{page}-close-up.png")
        _close_up(drawn, worst).save(written[-1])
    return written


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()


def describe(verdict: Verdict, what: str) -> str:
    """What disagrees, page by page, for an assertion message."""
    lines = [
        f"{', '.join(verdict.pages)} do not draw {what} alike ({verdict.dpi} dpi; a pair of them differs on a page "
        f"when its score passes {THRESHOLD} or its mean ink differs by more than {MEAN_THRESHOLD}):"
    ]
    lines += [f"  {p}" for p in verdict.problems]
    failing: dict[int, list[Difference]] = {}
    for d in verdict.failures:
        failing.setdefault(d.page, []).append(d)
    if failing:
        total = max(len(found) for found in verdict.pages.values())
        lines.append(f"  {len(failing)} of {total} pages differ: {', '.join(map(str, sorted(failing)))}")
    mm = 25.4 / verdict.dpi
    for page, found in sorted(failing.items())[:12]:
        pairs = "; ".join(
            f"{d.second}/{d.first} {d.score} at ({d.x * mm:.0f}, {d.y * mm:.0f}) mm, mean Δ {d.mean_delta:.1f}"
            for d in found
        )
        lines.append(f"  page {page}: {pairs}")
    odd = _odd_ones(verdict)
    if odd:
        lines.append("  the odd one out: " + ", ".join(f"{name} on page {page}" for page, name in sorted(odd.items())))
    worst = verdict.worst
    if worst is not None and worst.fails:
        lines.append(f"  worst: {worst}")
    return "\n".join(lines)


def assert_agree(verdict: Verdict, what: str, folder: Path) -> None:
    """Fail, naming the pages and places and saving the pictures into ``folder``, unless the renderings agree."""
    if verdict.agree:
        return
    message = describe(verdict, what)
    if verdict.failures:
        save_pictures(verdict, folder)
        message += f"\n  each renderer's page, the difference (red; the worst place boxed) and a close-up: {folder}"
    raise AssertionError(message)


def assert_renderers_agree(pdf: Path, folder: Path, *, dpi: int = DPI) -> Verdict:
    """Draw ``pdf`` with the three renderers and fail unless they agree on every page."""
    verdict = compare_renderers(pdf, dpi=dpi)
    assert_agree(verdict, str(pdf), folder)
    return verdict


def mutool_warnings(pdf: Path) -> list[str]:
    """What ``mutool draw`` says on stderr drawing every page of ``pdf`` (``-q``: no progress; ``-N``: see above)."""
    exe = tool("mutool", "mupdf-tools")
    result = subprocess.run(
        [exe, "draw", "-q", "-N", "-o", "/dev/null", str(pdf)], capture_output=True, text=True, timeout=600
    )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    if result.returncode != 0:
        lines.append(f"mutool draw exited with status {result.returncode}")
    return lines


def summarize(lines: Sequence[str], most: int = 8) -> str:
    """Many warnings in a few lines: each kind (numbers blanked) with its count, the commonest first."""
    kinds = Counter(re.sub(r"\d+", "N", line) for line in lines)
    shown = [f"{count:6} × {kind}" for kind, count in kinds.most_common(most)]
    more = len(kinds) - most
    return "\n".join(shown + ([f"       and {more} other kinds"] if more > 0 else []))


@dataclass(frozen=True)
class QpdfCheck:
    """What ``qpdf --check`` said and its exit status.

    qpdf's exit status (``qpdf --help=exit-status``): 0 no errors or warnings, 2 errors, 3 warnings
    (the file was read, but qpdf had to recover from damage: a wrong xref offset or stream length,
    a broken object stream). A file exporter writes has no reason for either, and a reader less
    forgiving than qpdf may not recover, so only 0 passes.
    """

    status: int
    output: str

    @property
    def passed(self) -> bool:
        return self.status == 0


def qpdf_check(pdf: Path) -> QpdfCheck:
    """Run ``qpdf --check`` on ``pdf``."""
    exe = tool("qpdf", "qpdf")
    result = subprocess.run([exe, "--check", str(pdf)], capture_output=True, text=True, timeout=600)
    return QpdfCheck(result.returncode, (result.stdout + result.stderr).strip())
