"""`paxl validate BOOK.xlsx`: check a workbook and list every problem with sheet, row and column.

Exit status: 0 when there is no error (warnings are listed but pass), 1 when there is at least one
error, 2 when the file cannot be read at all (not an Excel workbook, damaged, wrong password).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from addin.commands._book_args import add_password_arguments, password_from
from addin.commands._output import print_findings
from addin.core.findings import has_errors
from addin.workbook.loader import read_book


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check a workbook: missing tables/columns, wrong types, blanks, duplicates, bad IDs",
        description=(
            "Check every table of a workbook and list the problems with sheet, row and column. "
            "Exits 1 if there is any error, 0 if there is none."
        ),
    )
    parser.add_argument("book", type=Path, help="the workbook (.xlsx or .xlsm)")
    parser.add_argument("--json", action="store_true", help="print the problems as JSON")
    add_password_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    password = password_from(args, args.book)
    _, findings = read_book(args.book, password=password)
    print_findings(findings, as_json=args.json)
    return 1 if has_errors(findings) else 0
