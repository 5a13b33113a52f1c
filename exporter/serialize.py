"""Turns the issue model into the public JSON shape ``exporter.issue/1``."""

from __future__ import annotations

from typing import Any

from exporter.model import (
    Article,
    Block,
    CodeBlock,
    EditorsNote,
    Figure,
    Inline,
    Issue,
    ItemList,
    Paragraph,
    Quote,
    Subhead,
    Table,
)

SCHEMA = "exporter.issue/1"


def spans(run: Inline) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for span in run:
        item: dict[str, Any] = {"text": span.text}
        if span.marks:
            item["marks"] = sorted(span.marks)
        if span.href:
            item["href"] = span.href
        out.append(item)
    return out


def block(b: Block) -> dict[str, Any]:
    if isinstance(b, Paragraph):
        out: dict[str, Any] = {"type": "paragraph", "text": b.text, "spans": spans(b.spans), "line": b.line}
        if b.joined:
            out["joined"] = list(b.joined)
        return out
    if isinstance(b, Subhead):
        return {"type": "subhead", "text": b.text, "level": b.level, "spans": spans(b.spans), "line": b.line}
    if isinstance(b, Quote):
        return {"type": "quote", "text": b.text, "paragraphs": [spans(p) for p in b.paragraphs], "line": b.line}
    if isinstance(b, Figure):
        return {
            "type": "figure",
            "text": b.text,
            "src": b.src,
            "title": b.title,
            "credit": b.credit,
            "credits": [{"role": c.role, "names": list(c.names)} for c in b.credits],
            "spans": spans(b.caption),
            "line": b.line,
        }
    if isinstance(b, EditorsNote):
        return {"type": "editors_note", "text": b.text, "label": b.label, "spans": spans(b.spans), "line": b.line}
    if isinstance(b, ItemList):
        return {"type": "list", "text": b.text, "ordered": b.ordered, "items": _items(b), "line": b.line}
    if isinstance(b, Table):
        return {
            "type": "table",
            "text": b.text,
            "head": [spans(cell) for cell in b.head],
            "rows": [[spans(cell) for cell in row] for row in b.rows],
            "align": list(b.align),
            "row_lines": list(b.row_lines),
            "line": b.line,
        }
    if isinstance(b, CodeBlock):
        return {"type": "code", "text": b.text, "info": b.info, "line": b.line}
    raise TypeError(f"unknown block {b!r}")


def _items(b: ItemList) -> list[dict[str, Any]]:
    return [
        {
            "marker": item.marker,
            "paragraphs": [spans(p) for p in item.paragraphs],
            "lists": [{"ordered": sub.ordered, "items": _items(sub), "line": sub.line} for sub in item.lists],
            "line": item.line,
        }
        for item in b.items
    ]


def article(a: Article) -> dict[str, Any]:
    d = a.dateline
    return {
        "id": a.id,
        "kicker": a.kicker,
        "headline": a.headline,
        "headline_lines": list(a.headline_lines),
        "subtitle": a.subtitle,
        "level": a.level,
        "bylines": [
            {
                "raw": b.raw,
                "outlet": b.outlet,
                "credits": [{"role": c.role, "names": list(c.names)} for c in b.credits],
                "place": b.place,
                "report": b.report,
                "line": b.line,
            }
            for b in a.bylines
        ],
        "dateline": None
        if d is None
        else {
            "raw": d.raw,
            "source": d.source,
            "place": d.place,
            "month": d.month,
            "day": d.day,
            "kind": d.kind,
            "credits": [{"role": c.role, "names": list(c.names)} for c in d.credits],
            "line": d.line,
        },
        "blocks": [block(b) for b in a.blocks],
        "truncated": a.truncated,
        "line": a.line,
    }


def _plain(value: Any, depth: int = 0) -> Any:
    """A front matter value as JSON data; a value nested too deep or referring to itself becomes text."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if depth < 20 and isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    if depth < 20 and isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return "…" if depth >= 20 else str(value)


def to_json(issue: Issue) -> dict[str, Any]:
    """The model as plain data; the names are a public interface."""
    m = issue.masthead
    return {
        "schema": SCHEMA,
        "source": issue.source,
        "masthead": {
            "title": m.title,
            "date": m.date.isoformat() if m.date else None,
            "weekday": m.weekday,
            "lunar_date": m.lunar_date,
            "number": m.number,
            "edition": m.edition,
            "publisher": m.publisher,
            "language": m.language,
            "identifier": m.identifier,
            "editor": m.editor,
            "theme": m.theme,
            "inferred": list(m.inferred),
            "extra": {str(k): _plain(v) for k, v in m.extra.items()},
        },
        "sections": [
            {"title": s.title, "page": s.page, "line": s.line, "articles": [article(a) for a in s.articles]}
            for s in issue.sections
        ],
        "diagnostics": [
            {"code": d.code, "severity": d.severity, "line": d.line, "message": d.message} for d in issue.diagnostics
        ],
    }
