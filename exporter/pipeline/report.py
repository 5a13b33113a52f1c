"""Tells what a batch did, for machines: the ``exporter.report/1`` JSON of ``exporter build --report``."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from exporter.errors import ExporterError
from exporter.files import write_file
from exporter.pipeline.runner import Outcome


def report(outcomes: Sequence[Outcome], seconds: float, workers: int, version: str) -> dict[str, Any]:
    """The batch for machines (schema ``exporter.report/1``): per issue its editions, errors and diagnostics;
    the warnings of the themes, each once, with their files (``theme_findings``)."""
    issues: dict[Path, list[Outcome]] = {}
    for outcome in outcomes:
        issues.setdefault(outcome.job.source, []).append(outcome)
    entries = []
    for source, results in issues.items():
        diagnostics = next((r.diagnostics for r in results if r.diagnostics), ())
        errors = list(dict.fromkeys(r.error for r in results if r.error))
        findings = [
            {"line": d.line, "severity": d.severity, "code": d.code, "message": d.message} for d in diagnostics
        ] + [
            {"line": f.line, "severity": "error", "code": f.code, "message": f.message}
            for f in dict.fromkeys(r.failure for r in results if r.failure)
        ]
        entries.append(
            {
                "source": str(source),
                "status": "failed" if errors else "built",
                "errors": errors,
                "articles": max(r.articles for r in results),
                "diagnostics": {
                    severity: sum(1 for f in findings if f["severity"] == severity)
                    for severity in ("error", "warning", "info")
                },
                "findings": findings,
                "editions": [
                    {
                        "format": r.job.format,
                        "path": str(r.job.path),
                        "built": r.built is not None,
                        "bytes": r.built.size if r.built else None,
                        "files": r.built.files if r.built else None,
                        "seconds": round(r.seconds, 3),
                    }
                    for r in results
                ],
            }
        )
    failed = sum(1 for e in entries if e["status"] == "failed")
    theme = {p: None for outcome in outcomes for p in outcome.theme_warnings}
    return {
        "schema": "exporter.report/1",
        "exporter": version,
        "seconds": round(seconds, 3),
        "jobs": workers,
        "issues": entries,
        "theme_findings": [
            {"path": p.path, "line": p.line, "severity": p.severity, "code": p.code, "message": p.message}
            for p in theme
        ],
        "totals": {
            "issues": len(entries),
            "built": len(entries) - failed,
            "failed": failed,
            "editions": sum(1 for o in outcomes if o.built),
            "bytes": sum(o.built.size for o in outcomes if o.built),
        },
    }


def write(path: Path, data: Mapping[str, Any]) -> None:
    """Write the report as JSON, atomically; a folder or disk that refuses it is an :class:`ExporterError`."""
    try:
        write_file(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    except OSError as exc:
        raise ExporterError(
            f"cannot write the report ({exc.strerror}): check the folder and free space", path=str(path)
        ) from None
