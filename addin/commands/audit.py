"""`paxl audit BOOK.xlsx [--as-of DATE] [--json]`: find what went wrong in a workbook.

Prints the validation problems of the workbook and the audit's discrepancies together, worst
first (see :mod:`addin.core.audit` for the rules). An audit finding on a cell that validation
already reported is left out, so each problem shows once. Exit status: 1 when there is any
error, 0 otherwise, 2 when the file cannot be read. The workbook is only read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from addin.commands._book_args import add_password_arguments, password_from
from addin.commands._dates import iso_date
from addin.commands._output import print_findings
from addin.core.audit import audit_book
from addin.core.findings import Finding, has_errors
from addin.workbook.loader import read_book


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="find discrepancies: credits, duplicates, wrong charges, dates, fees and codes",
        description=(
            "Check a workbook for what went wrong: credit balances, insurer under- and "
            "overpayments, duplicate payments and charges, postings to a wrong charge, dates in "
            "the future or before birth, charges off the fee schedule, invalid procedure and "
            "diagnosis codes. Exits 1 if there is any error, 0 if there is none."
        ),
    )
    parser.add_argument("book", type=Path, help="the workbook (.xlsx or .xlsm)")
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="DATE",
        help="audit date as YYYY-MM-DD (default: today); later dates count as in the future",
    )
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    add_password_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    password = password_from(args, args.book)
    as_of = args.as_of or dt.date.today()
    book, problems = read_book(args.book, password=password)
    findings = combine(problems, audit_book(book, as_of=as_of))
    # sys.stdout is looked up now, not when _output was imported (tests replace it)
    print_findings(findings, as_json=args.json, out=sys.stdout, title="findings")
    return 1 if has_errors(findings) else 0


def combine(problems: list[Finding], audit: list[Finding]) -> list[Finding]:
    """Validation problems plus the audit findings on cells validation did not already report."""
    reported = {(p.sheet, p.row, p.column) for p in problems if p.row is not None}
    return problems + [f for f in audit if (f.sheet, f.row, f.column) not in reported]
