"""`paxl build-addin [--out DIR]`: write the ribbon add-in, the macro-enabled template and the
xlwings Lite variant from the sources in ``addin/excel/`` (see :mod:`addin.excel.build`).

``paxl build-templates`` writes ``PatientAccounts.xlsx``; this command writes the three files
made from it and from the code: ``PatientAccounts.xlam``, ``PatientAccounts.xlsm`` and
``PatientAccounts-Lite.xlsx``. Run both after changing the schema, the ribbon, the macros, the
functions or any module they use; ``tests/excel`` fail until the committed files match.
"""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_OUT = Path("workbooks/templates")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "build-addin",
        help="write the ribbon add-in (.xlam), the macro-enabled template (.xlsm) and the "
        "xlwings Lite variant",
        description=(
            "Write PatientAccounts.xlam (the Patient Accounts ribbon tab), PatientAccounts.xlsm "
            "(the template with buttons on Home and an xlwings.conf sheet) and "
            "PatientAccounts-Lite.xlsx (the template with paxl's code for xlwings Lite). The "
            "output is the same byte for byte every time."
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
    # imported here: building needs pyopenvba, which the other commands do not
    from addin.excel.build import build_all

    built = build_all(args.out)
    for path in built.paths:
        print(f"Wrote {path}")
    if built.planned:
        print(
            "Ribbon buttons waiting for their macro (left out until macros has them): "
            + ", ".join(built.planned)
        )
    return 0
