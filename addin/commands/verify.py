"""`paxl verify BOOK.xlsx`: check every charge's insurance before the bill goes out.

For each charge (Void lines skipped): coverage in force on the service date, codes the plan does
not cover, codes needing prior authorization, patients with no insurance (self-pay), coverage not
verified recently. See :mod:`addin.core.coverage` for the checks.

Exit status: 0 when there is no error-severity finding (warnings are listed but pass), 1 when
there is at least one, 2 when the workbook cannot be read or has data errors (``load_book``).
The workbook is only read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from addin.commands._book_args import add_password_arguments, password_from
from addin.commands._output import print_findings
from addin.core.benefits import plans_from_frame
from addin.core.coverage import DEFAULT_STALE_DAYS, verify_coverage
from addin.core.findings import has_errors
from addin.workbook.loader import load_book


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="check insurance coverage of every charge (in force, not covered, prior auth)",
        description=(
            "Check each charge's coverage on its service date: coverage in force, codes the plan "
            "does not cover, codes needing prior authorization, self-pay patients, coverage not "
            "verified recently. Exits 1 if any finding is an error, 0 otherwise."
        ),
    )
    parser.add_argument("book", type=Path, help="the workbook (.xlsx or .xlsm); it is only read")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.add_argument(
        "--stale-days",
        type=int,
        default=DEFAULT_STALE_DAYS,
        help=f"warn when coverage was verified more than this many days before the service "
        f"(default {DEFAULT_STALE_DAYS})",
    )
    add_password_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    password = password_from(args, args.book)
    book = load_book(args.book, password=password)
    findings = verify_coverage(
        book["Charges"],
        book["Coverage"],
        plans_from_frame(book["Plans"]),
        stale_days=args.stale_days,
    )
    print_findings(findings, as_json=args.json, out=sys.stdout, title="coverage problems")
    return 1 if has_errors(findings) else 0
