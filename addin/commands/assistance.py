"""`paxl assistance` — screen a household for financial assistance (poverty guideline → discount).

Without a workbook it uses the default Policy tables (HHS guidelines for 2025 and 2026, the
default assistance tiers); ``--book`` uses that workbook's Policy sheet instead, and with
``--patient`` takes the household size, income (12 × MonthlyIncome) and balance due from it.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal

import pandas as pd

from addin.commands._book_args import add_password_arguments, password_from
from addin.commands._output import print_json
from addin.core.assistance import (
    Screening,
    annual_income,
    guidelines_from_frame,
    screen,
    tiers_from_frame,
)
from addin.core.findings import Severity
from addin.core.money import MoneyError, from_cents, to_money
from addin.errors import PaxlError

POLICY_SHEET = "Policy"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "assistance",
        help="screen a household for financial assistance",
        description=(
            "Percent of the HHS poverty guideline for the household and year, and the "
            "assistance discount it earns under the Policy's tiers."
        ),
    )
    parser.add_argument("--income", help="gross yearly household income, e.g. 65000")
    parser.add_argument("--household", type=int, help="people in the household (1 or more)")
    parser.add_argument(
        "--year", type=int, help="poverty guideline year (default: Policy assistance_year)"
    )
    parser.add_argument("--balance", help="balance to discount, e.g. 1234.50 (optional)")
    parser.add_argument("--book", help="use this workbook's Policy tables (and its patients)")
    parser.add_argument(
        "--patient", help="with --book: take household, income and balance from this patient"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_password_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    income, household, balance, policy, tables = _inputs(args)
    year = args.year if args.year is not None else int(policy.get("assistance_year") or 0)
    if not year:
        raise PaxlError("give the guideline year with --year (Policy assistance_year is blank)")
    result = screen(
        income,
        household,
        year,
        guidelines_from_frame(tables["PovertyGuidelines"]),
        tiers_from_frame(tables["AssistanceTiers"]),
        balance=balance,
    )
    if args.json:
        print_json(screening_dict(result))
    else:
        sys.stdout.write(screening_text(result))
    return 0


def _amount(text: str, option: str) -> Decimal:
    try:
        return to_money(text)
    except MoneyError as exc:
        raise PaxlError(f"{option}: {exc}") from None


def _inputs(args: argparse.Namespace):
    """Income, household, balance, Policy settings and Policy tables for the screening."""
    if args.patient and not args.book:
        raise PaxlError("--patient needs --book BOOK.xlsx (the workbook the patient is in)")
    balance = _amount(args.balance, "--balance") if args.balance is not None else None
    if not args.book:
        from addin.workbook.book import default_policy, default_policy_tables

        policy, tables = default_policy(), default_policy_tables()
        if args.income is None or args.household is None:
            raise PaxlError("give --income and --household (or --book BOOK.xlsx --patient ID)")
        return _amount(args.income, "--income"), args.household, balance, policy, tables

    if args.patient:
        from addin.workbook.loader import load_book

        book = load_book(args.book, password=password_from(args, args.book))
    else:
        from addin.workbook.loader import problem_summary, read_book

        book, findings = read_book(args.book, password=password_from(args, args.book))
        policy_errors = [
            f for f in findings if f.severity == Severity.ERROR and f.sheet == POLICY_SHEET
        ]
        if policy_errors:
            raise PaxlError(problem_summary(book.source, policy_errors))
    income = _amount(args.income, "--income") if args.income is not None else None
    household = args.household
    if args.patient:
        patient_income, patient_household, due = _from_patient(book, args.patient)
        income = patient_income if income is None else income
        household = patient_household if household is None else household
        balance = due if balance is None else balance
    if income is None or household is None:
        raise PaxlError("give --income and --household, or --patient ID with both on file")
    return income, household, balance, book.policy, book.policy_tables


def _from_patient(book, patient_id: str) -> tuple[Decimal | None, int | None, Decimal]:
    from addin.core.ledger import account_summary, ledger_from_book

    patients = book["Patients"]
    rows = patients[patients["PatientID"] == patient_id]
    if rows.empty:
        raise PaxlError(f"no patient {patient_id} in the Patients table; check the ID")
    row = rows.iloc[0]
    where = f"{row['_sheet']} row {row['_row']}"
    monthly, size = row["MonthlyIncome"], row["HouseholdSize"]
    income = None if pd.isna(monthly) else annual_income(from_cents(int(monthly)))
    household = None if pd.isna(size) else int(size)
    if income is None:
        raise PaxlError(f"{where}, MonthlyIncome: blank; enter it or give --income")
    if household is None:
        raise PaxlError(f"{where}, HouseholdSize: blank; enter it or give --household")
    due = account_summary(ledger_from_book(book), patient_id).patient_due
    return income, household, max(due, Decimal("0.00"))


def _percent(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}%"


def screening_dict(result: Screening) -> dict[str, object]:
    """The screening as JSON-ready values (money and fractions as exact strings)."""

    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    def fraction(value: Decimal) -> str:
        # rates read from a workbook arrive as 1.0 or 1.00: one spelling, exact ("1", "0.75")
        return f"{value.normalize():f}"

    return {
        "year": result.year,
        "household_size": result.household_size,
        "annual_income": text(result.annual_income),
        "guideline": text(result.guideline),
        "percent": text(result.percent),
        "tier_max_percent": fraction(result.tier.max_percent) if result.tier else None,
        "discount": fraction(result.discount),
        "balance": text(result.balance),
        "discount_amount": text(result.discount_amount),
        "discounted_balance": text(result.discounted_balance),
    }


def screening_text(result: Screening) -> str:
    """The screening as a few labelled lines for the rep."""
    tier = (
        f"up to {_percent(result.tier.max_percent)} of the guideline"
        if result.tier
        else "above every assistance tier"
    )
    lines = [
        f"Financial assistance screening ({result.year} HHS poverty guidelines)",
        f"  Household size:        {result.household_size}",
        f"  Annual income:         ${result.annual_income:,.2f}",
        f"  Poverty guideline:     ${result.guideline:,.2f}",
        f"  Percent of guideline:  {result.percent:.2f}%",
        f"  Tier:                  {tier}",
        f"  Discount:              {_percent(result.discount)}",
    ]
    if result.balance is not None:
        lines += [
            f"  Balance:               ${result.balance:,.2f}",
            f"  Discount amount:       ${result.discount_amount:,.2f}",
            f"  Balance after:         ${result.discounted_balance:,.2f}",
        ]
    return "\n".join(lines) + "\n"
