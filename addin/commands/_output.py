"""Shared printing for commands: findings as a readable table or JSON, and JSON results."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from addin.core.findings import Finding, sort_findings


def print_findings(
    findings: list[Finding], *, as_json: bool, out: TextIO | None = None, title: str = "problems"
) -> None:
    """Print findings worst first; JSON is a list of objects with stable keys."""
    out = out or sys.stdout  # looked up per call: tests and callers may swap stdout
    ordered = sort_findings(findings)
    if as_json:
        print_json([f.to_dict() for f in ordered], out)
        return
    if not ordered:
        out.write(f"No {title} found.\n")
        return
    headers = ("severity", "sheet", "row", "column", "problem", "fix")
    rows = [
        (str(f.severity), f.sheet or "", str(f.row or ""), f.column or "", f.message, f.fix)
        for f in ordered
    ]
    widths = [min(60, max(len(h), *(len(r[i]) for r in rows))) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out.write(line.rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for r in rows:
        out.write("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() + "\n")
    out.write(f"\n{len(ordered)} {title}.\n")


def print_json(data: object, out: TextIO | None = None, *, ensure_ascii: bool = True) -> None:
    """Print ``data`` as indented JSON and a newline (``--json`` output of every command)."""
    out = out or sys.stdout  # looked up per call: tests and callers may swap stdout
    json.dump(data, out, indent=2, ensure_ascii=ensure_ascii)
    out.write("\n")
