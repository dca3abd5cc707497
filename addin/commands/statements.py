"""`paxl statements BOOK.xlsx [--as-of DATE] -o OUT.xlsx [--pdf DIR] [--combined-pdf]`.

The statement run (:mod:`addin.bills.run`): bills every account that is due into a new workbook
(a ``Statements`` log sheet, then one ``Bill <PatientID>`` sheet per bill), optionally one PDF per
bill. BOOK.xlsx is only read. Prints a summary — accounts billed, skipped by reason, total due,
bills per dunning level — and, for long runs, progress on stderr; never patient data.

A password-protected BOOK opens with ``--password`` or ``PAXL_PASSWORD``; ``--encrypt-output``
writes the bill workbooks and PDFs encrypted with the same password (in memory, before they
reach the disk; :mod:`addin.workbook.encryption`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

from addin.bills.run import RunResult, run_statements
from addin.commands._book_args import add_password_arguments, output_password, password_from
from addin.commands._dates import iso_date

#: runs with at least this many bills show progress on stderr
PROGRESS_FROM = 200


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "statements",
        help="bill every account that is due: bill sheets, PDFs and the Statements log rows",
        description=(
            "Bill every guarantor account whose patient balance is at least the Policy's "
            "statement minimum, skipping accounts in collections or closed and accounts billed "
            "within the statement cycle. Writes a new workbook with a Statements sheet (the log "
            "rows to append to your workbook's Statements table) and one sheet per bill; "
            "optionally one PDF per bill. Your workbook is never changed."
        ),
    )
    parser.add_argument("book", type=Path, help="the workbook to bill (.xlsx or .xlsm)")
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="DATE",
        help="statement date as YYYY-MM-DD (default: today)",
    )
    parser.add_argument(
        "-o", "--out", type=Path, required=True, metavar="OUT.xlsx", help="bill workbook to write"
    )
    parser.add_argument(
        "--pdf", type=Path, default=None, metavar="DIR", help="write PDF bills here"
    )
    parser.add_argument(
        "--combined-pdf",
        action="store_true",
        help="also write all bills into one PDF for mailing (needs --pdf)",
    )
    add_password_arguments(parser, encrypt_output=True)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    password = password_from(args, args.book)
    protect = output_password(args, password)
    result = run_statements(
        args.book,
        args.out,
        as_of=args.as_of or dt.date.today(),
        pdf_dir=args.pdf,
        combined_pdf=args.combined_pdf,
        password=password,
        output_password=protect,
        progress=StderrProgress(),
    )
    print_summary(result, sys.stdout)
    return 0


class StderrProgress:
    """``building bills 1,200/8,000`` on stderr, for runs of :data:`PROGRESS_FROM` bills or more:
    rewritten in place on a terminal, otherwise a line at every quarter."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self.last: tuple[str, int] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        stream = self.stream or sys.stderr
        if stream.isatty():
            step = max(1, total // 100)
            if done % step == 0 or done == total:
                end = "\n" if done == total else ""
                stream.write(f"\r{stage} {done:,}/{total:,}{end}")
                stream.flush()
            return
        quarter = 4 * done // total
        if (stage, quarter) != self.last:
            self.last = (stage, quarter)
            if quarter:
                stream.write(f"{stage} {done:,}/{total:,}\n")


def summary_lines(result: RunResult) -> list[str]:
    """The run's summary: counts and totals, no patient data."""
    lines = [
        f"Statements as of {result.as_of:%Y-%m-%d}: {result.billed:,} "
        f"account{'s' if result.billed != 1 else ''} billed, "
        f"total due ${result.total_due:,.2f}",
    ]
    if result.billed:
        levels = ", ".join(f"level {k}: {v:,}" for k, v in result.by_level.items())
        lines.append(f"  by dunning level: {levels} (final notices: {result.final_notices:,})")
    skipped = sum(result.skipped.values())
    if skipped:
        reasons = ", ".join(f"{reason} {n:,}" for reason, n in result.skipped.items())
        lines.append(f"  skipped {skipped:,}: {reasons}")
    for path in result.workbooks:
        lines.append(f"  wrote {path}")
    if result.pdfs:
        lines.append(f"  wrote {len(result.pdfs):,} PDF bills to {result.pdfs[0].parent}")
    if result.combined_pdf is not None:
        lines.append(f"  wrote {result.combined_pdf}")
    lines.extend(f"  note: {note}" for note in result.notes)
    timing = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in result.seconds.items())
    lines.append(f"  time: {timing}")
    return lines


def print_summary(result: RunResult, out: TextIO) -> None:
    for line in summary_lines(result):
        out.write(line + "\n")
