"""`paxl estimate BOOK.xlsx --patient ID --codes 99213,80053`: what the patient will owe.

Prints the estimate line by line under the patient's coverage in force on the date (billed,
allowed, contractual adjustment, copay, deductible, coinsurance, what the plan and a secondary
pay, what the patient owes) and the plan comparison: the same services under every plan of the
Plans sheet alone, cheapest for the patient first (fresh benefit year unless ``--own-usage``).
A self-pay patient's total is the good-faith estimate. See :mod:`addin.core.estimate`.

JSON money is text with two decimals (``"1200.00"``). The workbook is only read (``load_book``:
a workbook with errors is refused, exit 2).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from addin.commands._book_args import add_password_arguments, password_from
from addin.commands._dates import iso_date
from addin.commands._output import print_json
from addin.core.cost_share import Accumulators
from addin.core.estimate import (
    GOOD_FAITH_THRESHOLD,
    Estimate,
    EstimateLine,
    PlanOption,
    compare_plans_for_patient,
    estimate_for_patient,
)
from addin.core.pricing import NO_CONTRACT
from addin.errors import PaxlError
from addin.workbook.loader import load_book

#: the money fields of a line, in print order, with their column headings
MONEY_FIELDS = (
    ("billed", "billed"),
    ("allowed", "allowed"),
    ("contractual", "contractual"),
    ("copay", "copay"),
    ("deductible", "deductible"),
    ("coinsurance", "coinsurance"),
    ("not_covered", "not covered"),
    ("plan", "plan pays"),
    ("secondary", "secondary"),
    ("patient", "patient"),
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "estimate",
        help="a patient's cost estimate for planned services, and a plan comparison",
        description=(
            "Estimate what a patient will owe for planned services under their coverage, line "
            "by line, and compare the same services under each plan of the Plans sheet."
        ),
    )
    parser.add_argument("book", type=Path, help="the workbook (.xlsx or .xlsm); it is only read")
    parser.add_argument("--patient", required=True, help="PatientID")
    parser.add_argument(
        "--codes", required=True, help="planned service codes, comma-separated: 99213,80053"
    )
    parser.add_argument(
        "--date", type=iso_date, help="planned service date, YYYY-MM-DD (default today)"
    )
    parser.add_argument(
        "--own-usage",
        action="store_true",
        help="compare plans the patient holds from their own deductible/out-of-pocket used "
        "(default: every plan from a fresh benefit year)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_password_arguments(parser)
    parser.set_defaults(func=run)


def _codes(text: str) -> list[str]:
    codes = [c.strip() for c in text.split(",") if c.strip()]
    if not codes:
        raise PaxlError("--codes is empty; list the planned codes, e.g. --codes 99213,80053")
    return codes


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    password = password_from(args, args.book)
    book = load_book(args.book, password=password)
    codes = _codes(args.codes)
    day = args.date or dt.date.today()
    patient_id = args.patient.strip()
    estimate = estimate_for_patient(book.tables, patient_id, codes, day)
    options = compare_plans_for_patient(
        book.tables, patient_id, codes, day, own_usage=args.own_usage
    )
    if args.json:
        print_json(to_json(estimate, options, own_usage=args.own_usage), out)
    else:
        out.write(render(estimate, options, own_usage=args.own_usage))
    return 0


# --- JSON ----------------------------------------------------------------------------------------


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def _accumulators(acc: Accumulators | None) -> dict[str, str | None] | None:
    if acc is None:
        return None
    return {"deductible_left": _money(acc.deductible_left), "oop_left": _money(acc.oop_left)}


def _line_json(line: EstimateLine) -> dict[str, object]:
    data: dict[str, object] = {"code": line.code, "description": line.description}
    data.update({name: _money(getattr(line, name)) for name, _ in MONEY_FIELDS})
    data["allowed_source"] = line.allowed_source
    return data


def to_json(estimate: Estimate, options: list[PlanOption], *, own_usage: bool) -> dict[str, object]:
    """The estimate and comparison as JSON-ready data (money as two-decimal strings)."""
    return {
        "patient_id": estimate.patient_id,
        "service_date": estimate.service_date.isoformat(),
        "self_pay": estimate.self_pay,
        "primary": estimate.plan_id,
        "secondary": estimate.secondary_plan_id,
        "accumulators": {
            "before": _accumulators(estimate.before),
            "after": _accumulators(estimate.after),
        },
        "lines": [_line_json(line) for line in estimate.lines],
        "totals": {name: _money(estimate.total(name)) for name, _ in MONEY_FIELDS},
        "good_faith_total": _money(estimate.good_faith_total),
        "notes": list(estimate.notes),
        "messages": notes_text(estimate),
        "comparison": {
            "usage": "own" if own_usage else "fresh",
            "plans": [
                {
                    "plan_id": o.plan_id,
                    "payer": o.payer,
                    "plan_type": o.plan_type,
                    "patient": _money(o.patient_total),
                    "plan": _money(o.plan_total),
                    "deductible_left": _money(o.before.deductible_left),
                    "oop_left": _money(o.before.oop_left),
                }
                for o in options
            ],
        },
    }


# --- text ----------------------------------------------------------------------------------------


def _fmt(amount: Decimal | None) -> str:
    return "no limit" if amount is None else f"{amount:,.2f}"


def notes_text(estimate: Estimate) -> list[str]:
    """The estimate's notes as sentences for the rep."""
    sentences = []
    for note in estimate.notes:
        if note == "self_pay":
            sentences.append(
                "No insurance in force on the date: self-pay. The total is the good-faith "
                f"estimate; a bill ${GOOD_FAITH_THRESHOLD:,.2f} or more above it can be disputed."
            )
        elif note == "secondary_only":
            sentences.append("Only a secondary (rank 2) plan is in force; it is used as primary.")
        elif note == "duplicate_primary":
            sentences.append("Two primary plans are in force; the latest one is used.")
        elif note.startswith("not_verified:"):
            plan = note.split(":", 1)[1]
            sentences.append(
                f"Coverage by {plan} was not verified in the 30 days before the date; "
                "verify eligibility before quoting."
            )
    for line in estimate.lines:
        if line.allowed_source == NO_CONTRACT:
            sentences.append(
                f"{line.code}: no contract rate with {estimate.plan_id}; "
                "the charge is used as the allowed amount."
            )
    return sentences


def _table(headings: list[str], rows: list[list[str]], right_from: int) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headings)]

    def fmt(cells: list[str]) -> str:
        parts = [
            c.rjust(w) if i >= right_from else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return [fmt(headings), "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)]


def render(estimate: Estimate, options: list[PlanOption], *, own_usage: bool) -> str:
    """The estimate and the plan comparison as text for the terminal."""
    lines = [f"Estimate for patient {estimate.patient_id}, service date {estimate.service_date}"]
    if estimate.self_pay:
        lines.append("Coverage: none (self-pay)")
    else:
        second = estimate.secondary_plan_id or "none"
        lines.append(f"Coverage: primary {estimate.plan_id}, secondary {second}")
        before, after = estimate.before, estimate.after
        if before is not None and after is not None:
            lines.append(
                f"Deductible left {_fmt(before.deductible_left)} → {_fmt(after.deductible_left)}; "
                f"out-of-pocket left {_fmt(before.oop_left)} → {_fmt(after.oop_left)}"
            )
    lines.append("")
    headings = ["code", "description", *(h for _, h in MONEY_FIELDS)]
    rows = [
        [line.code, line.description, *(_fmt(getattr(line, n)) for n, _ in MONEY_FIELDS)]
        for line in estimate.lines
    ]
    rows.append(["total", "", *(_fmt(estimate.total(n)) for n, _ in MONEY_FIELDS)])
    lines += _table(headings, rows, right_from=2)
    lines.append("")
    lines.append(f"Patient owes: {_fmt(estimate.patient_total)}")
    if estimate.good_faith_total is not None:
        lines.append(f"Good-faith estimate: {_fmt(estimate.good_faith_total)}")
    lines += notes_text(estimate)
    lines.append("")
    usage = "the patient's own usage for plans they hold" if own_usage else "a fresh benefit year"
    lines.append(f"Plan comparison (each plan alone, {usage}; cheapest for the patient first):")
    if options:
        lines += _table(
            ["plan", "payer", "patient", "plan pays"],
            [[o.plan_id, o.payer, _fmt(o.patient_total), _fmt(o.plan_total)] for o in options],
            right_from=2,
        )
    else:
        lines.append("No insurance plans on the Plans sheet.")
    return "\n".join(lines) + "\n"
