"""Every kind of PDF shows exactly the issue's characters: the glyph-truth check on real builds, and what it catches."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from exporter import parse_file
from exporter.errors import FontError
from exporter.fonts import glyphtruth
from exporter.pipeline import build

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NUMBERS = EXAMPLES / "numbers-daily.md"
HK = EXAMPLES / "hk-daily.md"
BINHAI = EXAMPLES / "binhai-daily.md"

# (name, theme, --print, --pdf-variant, the header the PDF must carry)
KINDS = {
    "classic": ("classic", False, None, "%PDF-1.7"),
    "vertical": ("vertical", False, None, "%PDF-1.7"),
    "reader": ("reader", False, None, "%PDF-1.7"),
    "print": ("classic", True, None, "%PDF-1.6"),
    "vertical-print": ("vertical", True, None, "%PDF-1.6"),
    "pdf-a-3b": ("classic", False, "pdf/a-3b", "%PDF-1.7"),
}


class Recorder:
    """Wraps the build's glyph check, keeping what it was given and what it found."""

    def __init__(self, real: Callable[..., list[glyphtruth.Finding]]) -> None:
        self.real = real
        self.calls: list[tuple[bytes, list[Path], frozenset[Path], list[glyphtruth.Finding]]] = []

    def __call__(self, pdf: bytes, fonts: list[Path], *, vertical: frozenset[Path] = frozenset()) -> Any:
        found = self.real(pdf, fonts, vertical=vertical)
        self.calls.append((pdf, list(fonts), vertical, found))
        return found


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


def build_kind(
    issue: Path, kind: str, out: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Recorder]:
    theme, marks, variant, _header = KINDS[kind]
    recorder = Recorder(glyphtruth.check_pdf)
    monkeypatch.setattr(glyphtruth, "check_pdf", recorder)
    (built,) = build(issue, ["pdf"], theme=theme, out=out, cache_dir=cache, print_marks=marks, pdf_variant=variant)
    return built.path, recorder


def pdftotext(pdf: Path) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is not installed: run ./dev test"
    command = [tool, "-raw", "-enc", "UTF-8", str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


CASES = [(NUMBERS, kind) for kind in KINDS] + [(HK, "classic"), (HK, "vertical"), (BINHAI, "vertical")]


@pytest.mark.parametrize(("issue", "kind"), CASES, ids=[f"{i.stem}-{k}" for i, k in CASES])
def test_every_glyph_of_every_kind_of_pdf_is_its_character(
    issue: Path, kind: str, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, recorder = build_kind(issue, kind, tmp_path, cache, monkeypatch)
    ((pdf, fonts, vertical, found),) = recorder.calls
    assert found == []
    assert (kind.startswith("vertical")) == bool(vertical) and set(vertical) <= set(fonts)
    # The check read every glyph the page shows: the text layer of what it checked has the issue's text.
    text = re.sub(r"\s+", "", pdftotext(path))
    model = parse_file(issue)
    for article in model.articles:
        assert re.sub(r"\s+", "", article.paragraphs[0].text)[:20] in text, (kind, article.id)
    assert path.read_bytes()[:8].decode("ascii") == KINDS[kind][3]
    # And the same check, given no fonts, refuses every font of the PDF: it matched each to its source.
    unknown = glyphtruth.check_pdf(pdf, [])
    assert unknown and all("did not give" in f.problem for f in unknown)


def test_the_sample_is_glyph_true_in_every_kind(
    sample_path: Path, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for kind in ("classic", "vertical", "reader", "print", "pdf-a-3b"):
        _path, recorder = build_kind(sample_path, kind, tmp_path / kind, cache, monkeypatch)
        assert [found for *_, found in recorder.calls] == [[]], kind


def test_a_sparse_charset_stops_the_build_naming_character_line_and_face(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without identity CIDs, Ghostscript and MuPDF would draw .notdef: the build refuses and writes nothing."""
    from exporter import fonts

    monkeypatch.setattr(fonts, "identity_cids", lambda data: data)
    with pytest.raises(FontError) as caught:
        build(NUMBERS, ["pdf"], out=tmp_path, cache_dir=tmp_path / "cache")
    error = caught.value
    assert error.path == str(NUMBERS) and error.line is not None
    message = str(error)
    assert "Ghostscript and MuPDF draw .notdef" in message and re.search(r"\(U\+[0-9A-F]{4}\)", message)
    assert re.search(r"\(Exporter (Serif|Sans) SC( Bold)?\)", message)
    char = re.search(r"show (\S) \(U\+", message)
    assert char and char.group(1) in NUMBERS.read_text(encoding="utf-8").splitlines()[error.line - 1]
    assert not list(tmp_path.glob("*.pdf"))


def _mutated(pdf: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """The PDF with each ToUnicode map passed through ``change``."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            stream = font.get_object()["/ToUnicode"].get_object()
            assert isinstance(stream, StreamObject)
            stream.set_data(change(stream.get_data()))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["classic", "vertical"])
def test_a_text_layer_that_says_another_character_is_caught(
    kind: str, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _path, recorder = build_kind(NUMBERS, kind, tmp_path, cache, monkeypatch)
    ((pdf, fonts, vertical, _found),) = recorder.calls
    # Every glyph whose text is 1 now says 5, as when two fonts' maps were merged into one.
    wrong = _mutated(pdf, lambda cmap: cmap.replace(b"> <0031>", b"> <0035>"))
    found = glyphtruth.check_pdf(wrong, fonts, vertical=vertical)
    assert found and {f.char for f in found} == {"5"}
    assert all(f.problem.startswith("is drawn as the glyph of 1") for f in found)


def test_a_glyph_the_font_lacks_is_caught(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _path, recorder = build_kind(NUMBERS, "classic", tmp_path, cache, monkeypatch)
    ((pdf, fonts, vertical, _found),) = recorder.calls
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    page = writer.pages[0]
    content = page.get_contents()
    assert content is not None
    data = content.get_data()
    # The first glyph of the first text shown becomes CID 0xFFF0, which no embedded font has.
    patched = re.sub(rb"\[<([0-9a-f]{4})", b"[<fff0", data, count=1)
    assert patched != data
    content.set_data(patched)
    page[NameObject("/Contents")] = writer._add_object(content)
    out = io.BytesIO()
    writer.write(out)
    found = glyphtruth.check_pdf(out.getvalue(), fonts, vertical=vertical)
    assert len(found) == 1 and "which the embedded font lacks" in found[0].problem and found[0].page == 1
