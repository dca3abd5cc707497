"""`paxl build-templates [--out DIR]`: write the shipped workbook template from the schema."""

from __future__ import annotations

import argparse
from pathlib import Path

from addin.workbook.template import TEMPLATE_NAME, write_workbook

DEFAULT_OUT = Path("workbooks/templates")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "build-templates",
        help="write the empty workbook template (PatientAccounts.xlsx) from the schema",
        description=(
            f"Write {TEMPLATE_NAME}: every table as an Excel table, the Policy sheet with its "
            "named settings, the BillTemplate sheet and the Home sheet. The output is the same "
            "byte for byte every time."
        ),
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"folder to write to (default: {DEFAULT_OUT})",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = args.out / TEMPLATE_NAME
    write_workbook(path)
    print(f"Wrote {path}")
    return 0
