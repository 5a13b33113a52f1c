"""Writes the e-edition's search data: every article's headline, kicker, subtitle and text, for the browser to index.

Chinese has no spaces between words, so the page's script indexes the text by character bigrams (every
two characters in a row; a run of Latin letters or digits as one token) when it loads, and a query is
looked up by its bigrams, then confirmed as a phrase in the text. The data is a script, not JSON to
fetch, so that search works from the disk (``file:``) as from a server.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from exporter.model import CodeBlock, Issue


def documents(issue: Issue, bans: Mapping[str, str]) -> list[dict[str, str]]:
    """One record per article: its page (``u``), headline, kicker, subtitle, 版 (``b``) and text."""
    records: list[dict[str, str]] = []
    for _section, article in issue.iter_articles():
        texts = [block.text for block in article.blocks if not isinstance(block, CodeBlock)]
        texts += [block.text for block in article.blocks if isinstance(block, CodeBlock)]
        byline = " ".join(b.raw for b in article.bylines)
        record = {
            "u": f"{article.id}.html",
            "h": " ".join(article.headline_lines),
            "k": article.kicker or "",
            "s": article.subtitle or "",
            "b": bans.get(article.id, ""),
            "y": byline,
            "t": "\n".join(t for t in texts if t),
        }
        records.append(record)
    return records


def index_script(issue: Issue, bans: Mapping[str, str]) -> bytes:
    """The script that hands the page the issue's articles (``window.exporterSearch``)."""
    data = json.dumps({"docs": documents(issue, bans)}, ensure_ascii=False, separators=(",", ":"))
    # A "</script" in an article's text cannot end anything here (the file is a script of its own), but
    # U+2028/2029 are line ends to older JavaScript engines: escaped.
    data = data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.exporterSearch = {data};\n".encode()
