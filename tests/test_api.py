"""The public API is exactly ``__all__``, and imports flow one way through the package."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import exporter
from tests.conftest import EXAMPLES

PACKAGE = Path(exporter.__file__).parent

# What each module may import from the project (by module prefix), layer by layer as the data flows:
# core (model, diagnostics, errors, files, imagefiles, plugins, shipped) <- text <- parser;
# core <- theming, fonts <- editions <- themecheck <- pipeline <- preview <- cli. serialize reads the model only;
# scripts converts a parsed issue for the pipeline.
CORE = {"exporter.diagnostics", "exporter.errors", "exporter.model"}
ALLOWED = {
    "exporter.diagnostics": set(),
    "exporter.errors": {"exporter.diagnostics"},
    "exporter.model": {"exporter.diagnostics"},
    "exporter.files": set(),
    "exporter.imagefiles": set(),  # where a figure's file is, for the parser and the editions alike
    "exporter.plugins": set(),
    "exporter.shipped": set(),
    "exporter.serialize": {"exporter.model"},
    "exporter.text": {*CORE, "exporter.text"},
    "exporter.parser": {*CORE, "exporter.parser", "exporter.text", "exporter.imagefiles"},
    # Converts a parsed issue to another Chinese script: the model, the parser's script profile and keys.
    "exporter.scripts": {*CORE, "exporter.text", "exporter.parser"},
    "exporter.theming": {*CORE, "exporter.plugins", "exporter.shipped"},
    "exporter.fonts": {*CORE, "exporter.fonts", "exporter.files", "exporter.shipped", "exporter.text"},
    "exporter.editions": {
        *CORE,
        "exporter.editions",
        "exporter.files",
        "exporter.imagefiles",
        "exporter.plugins",
        "exporter.shipped",
        "exporter.theming",
        "exporter.fonts",
        "exporter.text",
        # The print edition refuses a PDF/X that preflight fails.
        "exporter.preflight",
    },
    # The theme reference of docs/themes.md reads the themes, the text's span classes and the roles' generic families.
    "exporter.themeref": {"exporter.theming", "exporter.shipped", "exporter.text", "exporter.editions"},
    # Checks a theme: reads its templates and CSS as the editions do, looks its fonts and its punctuation scheme up.
    "exporter.themecheck": {
        *CORE,
        "exporter.theming",
        "exporter.themecache",
        "exporter.fonts",
        "exporter.editions",
        "exporter.text",
    },
    # Keeps what a theme's files decide when checked in the cache folder.
    "exporter.themecache": {"exporter.files", "exporter.theming"},
    # Reads PDFs back, any PDF: beside the editions, imported by the command line and the preview only.
    "exporter.audit": {*CORE, "exporter.audit"},
    # Checks PDFs as a printer's prepress would, any PDF: reads fonts as the glyph check does.
    "exporter.preflight": {*CORE, "exporter.preflight", "exporter.fonts"},
    "exporter.pipeline": {
        *CORE,
        "exporter.pipeline",
        "exporter.themecheck",
        "exporter.files",
        "exporter.theming",
        "exporter.fonts",
        "exporter.parser",
        "exporter.scripts",
        "exporter.editions",
    },
    # The preview server (`exporter serve`): builds through the pipeline, draws the PDF's pages with the
    # e-edition's raster, audits the PDF; the command line imports it.
    "exporter.preview": {
        *CORE,
        "exporter.preview",
        "exporter.pipeline",
        "exporter.editions",
        "exporter.audit",
        "exporter.theming",
        "exporter.shipped",
    },
}


def test_public_api() -> None:
    assert sorted(exporter.__all__) == sorted(
        [
            "Article", "Block", "Built", "Byline", "CodeBlock", "Credit", "Dateline", "Diagnostic", "Edition",
            "EditorsNote", "ExporterError", "Figure", "FontError", "FrontMatterError", "InputError", "Issue",
            "IssueErrors", "ItemList", "ListItem", "Masthead", "Options", "Outcome", "Paragraph", "Quote", "Section",
            "Span", "Subhead", "Table", "Theme", "ThemeError", "UsageError", "__version__", "build", "build_many",
            "formats", "load_theme", "parse", "parse_bytes", "parse_file", "render", "write",
        ]
    )  # fmt: skip
    for name in exporter.__all__:
        assert hasattr(exporter, name)
    public = {name for name in vars(exporter) if not name.startswith("_")}
    assert public - set(exporter.__all__) <= {
        "annotations", "audit", "cli", "diagnostics", "editions", "errors", "files", "fonts", "imagefiles", "model",
        "parser", "pipeline", "plugins", "preflight", "preview", "scripts", "serialize", "shipped", "text",
        "themecache", "themecheck", "themeref", "theming",
    }, "a name is public in exporter/__init__.py but not in __all__"  # fmt: skip


def test_only_the_command_line_imports_typer_and_rich() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.is_relative_to(PACKAGE / "cli"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in ("typer", "rich"), f"{path} imports {name}: only exporter/cli may"


def _runtime_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            node.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "exporter":
            found.update(f"exporter.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("exporter")}


def test_imports_flow_one_way() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        rule = next((v for k, v in ALLOWED.items() if module == k or module.startswith(k + ".")), None)
        if rule is None:
            continue
        for imported in _runtime_imports(path):
            assert any(imported == a or imported.startswith(a + ".") for a in rule), f"{module} imports {imported}"


def test_importing_the_library_stays_light() -> None:
    code = (
        "import sys, exporter; "
        "heavy = {'typer', 'rich', 'opencc', 'lunar_python', 'charset_normalizer', 'yaml'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_every_module_states_its_job() -> None:
    for path in PACKAGE.rglob("*.py"):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc, f"{path} has no docstring"
        assert doc.split("\n")[0].endswith("."), f"{path}: the first line should be one sentence"


@pytest.mark.slow
def test_a_relative_cache_folder_is_taken_from_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from exporter.pipeline import build

    monkeypatch.chdir(tmp_path)
    (built,) = build(EXAMPLES / "binhai-daily.md", ["pdf"], out="out", cache_dir=Path("cache"))
    assert built.path.read_bytes().startswith(b"%PDF")
    assert any((tmp_path / "cache").rglob("*.otf"))
