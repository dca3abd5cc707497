"""`paxl sample --patients N --seed S [--with-errors] [--as-of DATE] -o OUT.xlsx`.

Writes a workbook filled with synthetic, deterministic data (no real person in it) to try paxl on;
``--with-errors`` adds realistic mistakes for the checks to find.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from addin.commands._dates import iso_date
from addin.errors import PaxlError
from addin.workbook.sample import AS_OF, generate_sample
from addin.workbook.template import write_workbook


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sample",
        help="write a workbook of synthetic patients, charges and payments",
        description=(
            "Write a workbook filled with realistic synthetic data: patients, plans, coverage, "
            "fees, about six months of charges, payments, adjustments, statements and contacts. "
            "The same options always give the same workbook."
        ),
    )
    parser.add_argument("--patients", type=int, default=200, help="number of patients (200)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument(
        "--with-errors",
        action="store_true",
        help="add mistakes to find: unknown patient IDs, a duplicate payment reference, a "
        "future date, a malformed diagnosis code, a negative amount",
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=AS_OF,
        help=f"the sample's today, YYYY-MM-DD (default {AS_OF.isoformat()})",
    )
    parser.add_argument("-o", "--out", type=Path, required=True, help="workbook to write (.xlsx)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.out.suffix.lower() != ".xlsx":
        raise PaxlError(f"the output must be an .xlsx file, not {args.out.name}")
    started = time.perf_counter()
    sample = generate_sample(
        args.patients, args.seed, with_errors=args.with_errors, as_of=args.as_of
    )
    write_workbook(args.out, sample.records)
    seconds = time.perf_counter() - started
    counts = ", ".join(
        f"{sample.count(name):,} {name.lower()}" for name in ("Patients", "Charges", "Payments")
    )
    print(f"Wrote {args.out} ({counts}) in {seconds:.1f} s")
    for mistake in sample.injected:
        print(f"  injected {mistake.kind}: {mistake.table} row {mistake.row}, {mistake.column}")
    return 0
