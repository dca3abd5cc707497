"""`paxl report BOOK.xlsx [--as-of DATE] [--months N] -o REPORT.pptx` — the A/R deck for managers.

A PowerPoint deck of the accounts-receivable figures (:mod:`addin.reports.figures` for the
definitions): A/R total and trend by month-end, aging, collections rate, payments by payer and
method, top balances and payment plans, with matplotlib charts and the exact numbers in tables.
Accounts appear by ID only, never by name (PHI minimisation).

The workbook is only read (a workbook with errors is refused: its numbers would be wrong); the
deck is built in memory and written under a temporary name in the target folder, then moved
into place, so a failed run leaves no partial file. The same workbook and date give the same
bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from addin.commands._book_args import add_password_arguments, password_from
from addin.commands._dates import iso_date
from addin.errors import PaxlError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="accounts-receivable deck (PowerPoint): A/R trend, aging, collections, payments, "
        "top balances, plans",
        description=(
            "Write a PowerPoint deck of the accounts-receivable figures as of a date: A/R total "
            "and trend by month-end, aging, collections rate, payments by payer and method, top "
            "balances (account IDs only) and payment plans on track vs behind. The workbook is "
            "only read."
        ),
    )
    parser.add_argument("book", type=Path, help="the workbook (.xlsx or .xlsm)")
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="DATE",
        help="report date as YYYY-MM-DD (default: today); later rows are ignored",
    )
    parser.add_argument(
        "--months",
        type=int,
        default=12,
        help="calendar months in the period, ending with the as-of month (default 12)",
    )
    parser.add_argument(
        "-o", "--out", type=Path, required=True, help="the deck to write (.pptx); replaced"
    )
    add_password_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from addin.reports.deck import build_deck, money_text
    from addin.reports.figures import report_figures
    from addin.workbook.encryption import write_output
    from addin.workbook.loader import load_book

    out = Path(args.out)
    if out.suffix.lower() != ".pptx":
        raise PaxlError(f"The report is a PowerPoint deck: name it with .pptx, not {out.name!r}.")
    if not 1 <= args.months <= 120:
        raise PaxlError(f"--months must be between 1 and 120, not {args.months}.")
    if out.resolve() == Path(args.book).resolve():
        raise PaxlError("The report would replace the workbook; choose another output file.")
    book = load_book(args.book, password=password_from(args, args.book))
    as_of = args.as_of or dt.date.today()
    figures = report_figures(book, as_of, months=args.months)
    write_output(build_deck(figures), out)
    print(
        f"Wrote {out}: A/R {money_text(figures.ar.total)} as of {as_of}, "
        f"{len(figures.top_balances)} top balances, {sum(g.count for g in figures.plans)} plans."
    )
    return 0
