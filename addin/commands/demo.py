"""`paxl demo [--out out/demo] [--patients 200] [--seed 7] [--as-of DATE]`: the main job.

On a synthetic practice (:mod:`addin.workbook.sample`, no real person in it) it runs, in order,
the steps in :data:`STEPS`: write the sample workbook, validate it, audit it, run the
statements (bill workbook ``statements.xlsx`` and PDF bills in ``bills/``), write the overdue
notices (``notices/``: letters, email drafts, call list) and review collections
(``collections-placement.csv``), printing a short summary of
each. ``make demo`` runs ``paxl demo --out out/demo``.

**Adding a step** (overdue notices, collections, ...): write ``def step(demo: Demo, out) -> None``
that uses and fills :class:`Demo` (``demo.book`` is the loaded workbook, ``demo.as_of`` the day
the demo runs as of, ``demo.out`` the folder to write into) and prints its lines with
:func:`say`, then append ``("name", step)`` to :data:`STEPS`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from addin.bills.run import RunResult, bill_book
from addin.commands._dates import iso_date
from addin.commands.collections import run_collections
from addin.commands.notices import run_notices
from addin.commands.statements import summary_lines
from addin.core.audit import audit_book
from addin.core.findings import Finding, Severity
from addin.errors import PaxlError
from addin.workbook.book import Book
from addin.workbook.loader import read_book
from addin.workbook.sample import AS_OF, generate_sample
from addin.workbook.template import write_workbook

SAMPLE_NAME = "practice.xlsx"
#: a made-up practice for the demo's bills (the template's own placeholders say "Your Practice")
DEMO_PRACTICE = {
    "practice_name": "Riverside Family Clinic (sample)",
    "practice_address": "500 River Road, Springfield, IL 62701",
    "practice_phone": "(217) 555-0140",
    "practice_time_zone": "America/Chicago",
    "remit_to": "Riverside Family Clinic, PO Box 4410, Springfield, IL 62708",
}
STATEMENTS_NAME = "statements.xlsx"
BILLS_DIR = "bills"
NOTICES_DIR = "notices"
PLACEMENT_NAME = "collections-placement.csv"


@dataclass
class Demo:
    """What the demo's steps share: settings, and what earlier steps made."""

    out: Path
    patients: int
    seed: int
    as_of: dt.date
    workbook: Path | None = None
    book: Book | None = None
    findings: list[Finding] = field(default_factory=list)
    statements: RunResult | None = None


Step = Callable[[Demo, TextIO], None]


def say(out: TextIO, text: str) -> None:
    """Print one line of a step's summary (indented under the step's title)."""
    out.write(f"   {text}\n")


def sample_step(demo: Demo, out: TextIO) -> None:
    sample = generate_sample(demo.patients, demo.seed, as_of=demo.as_of)
    demo.workbook = demo.out / SAMPLE_NAME
    write_workbook(demo.workbook, sample.records, policy=DEMO_PRACTICE)
    counts = ", ".join(
        f"{sample.count(name):,} {name.lower()}" for name in ("Patients", "Charges", "Payments")
    )
    say(out, f"wrote {demo.workbook} ({counts})")


def validate_step(demo: Demo, out: TextIO) -> None:
    assert demo.workbook is not None
    demo.book, demo.findings = read_book(demo.workbook)
    say(out, f"{_counted(demo.findings)} in the workbook")
    if any(f.severity == Severity.ERROR for f in demo.findings):
        raise PaxlError(
            f"the demo workbook has errors; run `paxl validate {demo.workbook}` to see them"
        )


def audit_step(demo: Demo, out: TextIO) -> None:
    assert demo.book is not None
    findings = audit_book(demo.book, as_of=demo.as_of)
    say(out, f"{_counted(findings)} found by the audit")
    for code, n in Counter(f.code for f in findings).most_common(5):
        say(out, f"  {code}: {n:,}")


def statements_step(demo: Demo, out: TextIO) -> None:
    assert demo.book is not None
    bills = demo.out / BILLS_DIR
    _clear_old_bills(bills)
    demo.statements = bill_book(
        demo.book,
        demo.out / STATEMENTS_NAME,
        as_of=demo.as_of,
        source=demo.workbook,
        pdf_dir=bills,
        combined_pdf=True,
    )
    for line in summary_lines(demo.statements):
        say(out, line.strip())


def notices_step(demo: Demo, out: TextIO) -> None:
    assert demo.book is not None
    summary = run_notices(demo.book, demo.as_of, demo.out / NOTICES_DIR)
    for line in summary.text().splitlines():
        say(out, line.rstrip())


def collections_step(demo: Demo, out: TextIO) -> None:
    assert demo.book is not None
    summary = run_collections(demo.book, demo.as_of, demo.out / PLACEMENT_NAME)
    for line in summary.text().splitlines():
        say(out, line.rstrip())


#: The demo, in order.
STEPS: list[tuple[str, Step]] = [
    ("Sample workbook", sample_step),
    ("Validation", validate_step),
    ("Audit", audit_step),
    ("Statement run", statements_step),
    ("Overdue notices", notices_step),
    ("Collections review", collections_step),
]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="the main job on a synthetic practice: workbook, checks, audit, bills",
        description=(
            "Build a sample workbook of synthetic patients, validate and audit it, and run the "
            "statements (bill workbook and PDF bills) into one folder."
        ),
    )
    parser.add_argument("--out", type=Path, default=Path("out/demo"), help="folder (out/demo)")
    parser.add_argument("--patients", type=int, default=200, help="number of patients (200)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (7)")
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=AS_OF,
        metavar="DATE",
        help=f"the practice's today, YYYY-MM-DD (default {AS_OF.isoformat()})",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    demo = Demo(out=args.out, patients=args.patients, seed=args.seed, as_of=args.as_of)
    demo.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    out.write(
        f"paxl demo: {demo.patients:,} synthetic patients (seed {demo.seed}), "
        f"as of {demo.as_of:%Y-%m-%d}, into {demo.out}/\n"
    )
    for n, (title, step) in enumerate(STEPS, start=1):
        out.write(f"{n}. {title}\n")
        step(demo, out)
    out.write(f"Done in {time.perf_counter() - started:.1f} s.\n")
    return 0


def _counted(findings: list[Finding]) -> str:
    if not findings:
        return "no problems"
    by = Counter(str(f.severity) for f in findings)
    parts = ", ".join(f"{by[s]:,} {s}" for s in ("error", "warning", "info") if by[s])
    return f"{len(findings):,} findings ({parts})"


def _clear_old_bills(folder: Path) -> None:
    """Remove the PDF bills an earlier demo left in the demo's own bills folder."""
    if folder.is_dir():
        for old in (*folder.glob("ST-*.pdf"), *folder.glob("statements-*.pdf")):
            old.unlink()
