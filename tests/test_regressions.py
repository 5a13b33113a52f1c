"""Deterministic tests for bugs the rest of the suite let through (issue #13), each seen to fail with its bug planted.

Every test names in its docstring the bug it catches. The planted bugs and the tests that caught
them are listed in the commit that added each part.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from weasyprint.urls import FatalURLFetchingError

from exporter import themes
from exporter.render.html import Images
from exporter.render.pdf import FIGURE_SCHEME, _allowed_roots, _confined_fetcher

# -- 1: the print edition's URL fetcher ---------------------------------------------------------


def fetched(fetcher: Any, url: str) -> bytes:
    """What the fetcher serves for ``url``."""
    response = fetcher.fetch(url)
    try:
        return bytes(response.read())
    finally:
        response.close()


def refused(fetcher: Any, url: str) -> None:
    """The fetcher stops the rendering for ``url`` (WeasyPrint's FatalURLFetchingError), naming it."""
    with pytest.raises(FatalURLFetchingError) as info:
        fetcher.fetch(url)
    assert info.value.args == (url,)


@pytest.fixture
def confined(tmp_path: Path) -> tuple[Any, Path, Path]:
    """A fetcher confined to ``root`` (an issue's folder), with a secret file beside the root and a figure."""
    root = tmp_path / "issue"
    (root / "images").mkdir(parents=True)
    (root / "images" / "port.png").write_bytes(b"inside")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"secret")
    images = Images(None)
    images.files["images/img001.png"] = root / "images" / "port.png"
    return _confined_fetcher([root.resolve()], images, turned=False), root, outside


def test_a_file_inside_the_root_is_served(confined: tuple[Any, Path, Path]) -> None:
    """The control: a file under a root is read (else every refusal below would pass for nothing)."""
    fetcher, root, _ = confined
    assert fetched(fetcher, (root / "images" / "port.png").as_uri()) == b"inside"


def test_percent_encoded_traversal_out_of_a_root_is_refused(confined: tuple[Any, Path, Path]) -> None:
    """Planted: the fetcher compares ``Path(unquote(parsed.path))`` without ``.resolve()``.

    ``%2e%2e`` is ``..`` once unquoted: compared on its text the path is under the root, and the
    file system then climbs out of it, to /etc/hostname or to anything else.
    """
    fetcher, root, _ = confined
    depth = len(root.resolve().parts) - 1
    refused(fetcher, f"{root.as_uri()}/images/" + "%2e%2e/" * (depth + 1) + "etc/hostname")
    refused(fetcher, f"{root.as_uri()}/%2E%2E/outside/secret.txt")
    refused(fetcher, f"{root.as_uri()}/%2e%2e%2foutside%2fsecret.txt")


def test_plain_traversal_out_of_a_root_is_refused(confined: tuple[Any, Path, Path]) -> None:
    """Planted: paths compared without ``.resolve()``: ``<root>/images/../../outside/…`` is under the root as text."""
    fetcher, root, _ = confined
    refused(fetcher, f"{root.as_uri()}/images/../../outside/secret.txt")
    refused(fetcher, f"{root.as_uri()}/../outside/secret.txt")


def test_a_symbolic_link_in_a_root_that_leads_out_is_refused(confined: tuple[Any, Path, Path]) -> None:
    """Planted: paths compared without ``.resolve()``: a link inside the folder leads the fetcher anywhere."""
    fetcher, root, outside = confined
    (root / "leak.txt").symlink_to(outside / "secret.txt")
    (root / "elsewhere").symlink_to(outside, target_is_directory=True)
    refused(fetcher, (root / "leak.txt").as_uri())
    refused(fetcher, (root / "elsewhere" / "secret.txt").as_uri())


def test_a_symbolic_link_in_a_root_that_stays_inside_is_followed(confined: tuple[Any, Path, Path]) -> None:
    """The fetcher follows a link whose target is under a root (a refusal of every link would be a bug too)."""
    fetcher, root, _ = confined
    (root / "alias.png").symlink_to(root / "images" / "port.png")
    assert fetched(fetcher, (root / "alias.png").as_uri()) == b"inside"


@pytest.mark.parametrize("host", ["otherhost", "localhost", "127.0.0.1"])
def test_a_file_url_with_a_host_is_refused(confined: tuple[Any, Path, Path], host: str) -> None:
    """``file://HOST/path`` names another machine's file (urllib reads ``localhost`` as this one): never fetched."""
    fetcher, root, _ = confined
    refused(fetcher, f"file://{host}{(root / 'images' / 'port.png').as_posix()}")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/a.png", "https://127.0.0.1:9/a.png", "ftp://127.0.0.1:9/a.png", "//127.0.0.1:9/a.png"]
)
def test_the_network_is_refused(confined: tuple[Any, Path, Path], url: str) -> None:
    """No URL of the network is fetched, whatever its scheme (port 9 discards: nothing would answer anyway)."""
    fetcher, _, _ = confined
    refused(fetcher, url)


def test_a_data_url_is_served(confined: tuple[Any, Path, Path]) -> None:
    """Data URLs (a theme's inline SVG or font) are decoded, not refused."""
    fetcher, _, _ = confined
    encoded = base64.b64encode("滨海日报".encode()).decode("ascii")
    assert fetched(fetcher, f"data:text/plain;base64,{encoded}") == "滨海日报".encode()
    assert fetched(fetcher, "data:,plain%20text") == b"plain text"


def test_the_figure_scheme_serves_the_issues_figures_only(confined: tuple[Any, Path, Path]) -> None:
    """A figure URL serves the file the parser found for that name, and no other name (nor a path in its place)."""
    fetcher, root, _ = confined
    assert fetched(fetcher, f"{FIGURE_SCHEME}:images/img001.png") == b"inside"
    refused(fetcher, f"{FIGURE_SCHEME}:images/img002.png")
    refused(fetcher, f"{FIGURE_SCHEME}:{root / 'images' / 'port.png'}")
    refused(fetcher, f"{FIGURE_SCHEME}:/etc/hostname")


def test_a_root_reached_through_a_symbolic_link_still_serves_its_files(tmp_path: Path) -> None:
    """Planted: ``_allowed_roots`` returns the roots unresolved.

    An issue in a folder reached through a link (``/srv/today`` → ``/srv/2025-12-29``): the fetcher
    resolves the URL's path to the real folder, which an unresolved root is not a parent of, and
    the build was refused for its own figure.
    """
    real = tmp_path / "2025-12-29"
    (real / "images").mkdir(parents=True)
    (real / "images" / "port.png").write_bytes(b"inside")
    today = tmp_path / "today"
    today.symlink_to(real, target_is_directory=True)
    cache = tmp_path / "cache-link"
    (tmp_path / "cache-real").mkdir()
    cache.symlink_to(tmp_path / "cache-real", target_is_directory=True)
    (tmp_path / "cache-real" / "font.otf").write_bytes(b"font")
    roots = _allowed_roots(themes.load("classic"), today, cache)
    assert real.resolve() in roots and (tmp_path / "cache-real").resolve() in roots
    fetcher = _confined_fetcher(roots, Images(None), turned=False)
    assert fetched(fetcher, (today / "images" / "port.png").as_uri()) == b"inside"
    assert fetched(fetcher, (cache / "font.otf").as_uri()) == b"font"
    refused(fetcher, (tmp_path / "elsewhere.png").as_uri())
