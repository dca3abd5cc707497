"""`paxl plan` — a patient's payment-plan options, the recommended schedule, and existing plans.

* The balance planned is what the patient owes now: the ledger's ``patient_due`` for the
  patient's own account as of the date (amounts still pending with insurance are shown, not
  planned). Nothing due → no options, exit 0.
* The income cap is the Policy's hospital or professional rate: ``--biller``, else from the
  patient's charges — all ``Professional`` → professional, otherwise hospital.
* The first payment is due ``due_days`` (Policy) after the as-of date unless ``--first-due``.
* With household size and income on file, the financial-assistance screening for the Policy's
  ``assistance_year`` is shown too. The patient's rows in ``PaymentPlans`` are tracked.

The workbook is only read (``load_book``: a workbook with errors is refused).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from decimal import Decimal

import pandas as pd

from addin.commands._book_args import add_password_arguments, password_from
from addin.commands._dates import iso_date
from addin.commands._output import print_json
from addin.core.assistance import (
    AssistanceError,
    Screening,
    annual_income,
    guidelines_from_frame,
    screen,
    tiers_from_frame,
)
from addin.core.money import ZERO, from_cents
from addin.core.plan_options import BILLER_TYPES, PlanOption, PlanOptions, PlanPolicy, plan_options
from addin.core.plan_tracking import PlanTracking, track_plans
from addin.errors import PaxlError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "plan",
        help="payment-plan options for a patient",
        description=(
            "Print the payment options for a patient's balance (pay in full, standard terms, "
            "the income-based plan), the schedule of the recommended one, and how the "
            "patient's existing plans are going."
        ),
    )
    parser.add_argument("book", help="the workbook (.xlsx/.xlsm); it is only read")
    parser.add_argument("--patient", required=True, help="PatientID")
    parser.add_argument(
        "--as-of", type=iso_date, help="date to plan from, YYYY-MM-DD (default today)"
    )
    parser.add_argument("--first-due", type=iso_date, help="first payment due date, YYYY-MM-DD")
    parser.add_argument("--biller", choices=BILLER_TYPES, help="which income cap applies")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_password_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from addin.core.ledger import account_summary, ledger_from_book
    from addin.workbook.loader import load_book

    book = load_book(args.book, password=password_from(args, args.book))
    as_of = args.as_of or dt.date.today()
    patient = _patient_row(book, args.patient)
    account = account_summary(ledger_from_book(book, as_of=as_of), args.patient)
    monthly = None if pd.isna(patient["MonthlyIncome"]) else from_cents(patient["MonthlyIncome"])
    household = None if pd.isna(patient["HouseholdSize"]) else int(patient["HouseholdSize"])
    biller, notes = _biller(book["Charges"], args.patient, args.biller)
    first_due = args.first_due or as_of + dt.timedelta(days=int(book.policy.get("due_days") or 0))
    policy = PlanPolicy.from_policy(book.policy)

    options = None
    if account.patient_due > 0:
        options = plan_options(
            account.patient_due,
            policy,
            monthly_income=monthly,
            biller_type=biller,
            first_due=first_due,
        )
        notes += options.notes
    screening, screening_note = _screening(book, monthly, household, account.patient_due)
    notes += screening_note
    tracked, tracking_notes = _tracking(book, args.patient, as_of, policy.apr)
    notes += tracking_notes

    report = {
        "patient_id": args.patient,
        "as_of": as_of.isoformat(),
        "balance": account.patient_due,
        "insurance_pending": account.insurance_pending,
        "credit": account.credit,
        "biller_type": biller,
        "income_known": monthly is not None,
        "first_due": first_due.isoformat(),
    }
    if args.json:
        print_json(_json(report, options, screening, tracked, notes))
    else:
        sys.stdout.write(_text(report, options, screening, tracked, notes))
    return 0


def _patient_row(book, patient_id: str) -> pd.Series:
    patients = book["Patients"]
    rows = patients[patients["PatientID"] == patient_id]
    if rows.empty:
        raise PaxlError(f"no patient {patient_id} in the Patients table; check the ID")
    return rows.iloc[0]


def _biller(charges: pd.DataFrame, patient_id: str, chosen: str | None) -> tuple[str, list[str]]:
    if chosen:
        return chosen, []
    kinds = set(charges.loc[charges["PatientID"] == patient_id, "BillerType"].dropna())
    if kinds == {"Professional"}:
        return "Professional", []
    if kinds == set(BILLER_TYPES):
        return "Hospital", [
            "the patient has hospital and professional charges; the hospital income cap is "
            "used (use --biller Professional for the professional bill)"
        ]
    return "Hospital", []


def _screening(
    book, monthly: Decimal | None, household: int | None, balance: Decimal
) -> tuple[Screening | None, list[str]]:
    if monthly is None or household is None:
        return None, ["financial assistance not screened: household size or income not on file"]
    year = book.policy.get("assistance_year")
    try:
        result = screen(
            annual_income(monthly),
            household,
            int(year) if year is not None else 0,
            guidelines_from_frame(book.policy_tables["PovertyGuidelines"]),
            tiers_from_frame(book.policy_tables["AssistanceTiers"]),
            balance=max(balance, ZERO),
        )
    except AssistanceError as exc:
        return None, [f"financial assistance not screened: {exc}"]
    return result, []


def _tracking(
    book, patient_id: str, as_of: dt.date, apr: Decimal
) -> tuple[tuple[PlanTracking, ...], list[str]]:
    plans = book["PaymentPlans"]
    payments = book["Payments"]
    result, findings = track_plans(
        plans[plans["PatientID"] == patient_id],
        payments[payments["PatientID"] == patient_id],
        as_of=as_of,
        missed_to_default=int(book.policy.get("plan_missed_to_default") or 0),
        apr=apr,
    )
    return result, [f"plan {', '.join(f.ids)} not tracked: {f.message}" for f in findings]


# --- output ----------------------------------------------------------------------------------


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"${value:,.2f}"


def _str(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _option_dict(option: PlanOption, recommended: str) -> dict[str, object]:
    return {
        "key": option.key,
        "label": option.label,
        "rule": option.rule,
        "installment": str(option.installment),
        "count": option.count,
        "final_payment": str(option.final_payment),
        "total_paid": str(option.total_paid),
        "forgiven": str(option.forgiven),
        "discount": str(option.discount),
        "interest": str(option.interest),
        "recommended": option.key == recommended,
    }


def _schedule_rows(option: PlanOption) -> list[dict[str, object]]:
    if option.amortization:
        return [
            {
                "n": r.n,
                "due_date": _str(r.due_date),
                "payment": str(r.payment),
                "interest": str(r.interest),
                "principal": str(r.principal),
                "remaining": str(r.remaining),
            }
            for r in option.amortization
        ]
    return [
        {"n": i.n, "due_date": _str(i.due_date), "amount": str(i.amount)} for i in option.schedule
    ]


def _tracking_dict(t: PlanTracking) -> dict[str, object]:
    return {
        "plan_no": t.plan_no,
        "rule": t.rule,
        "recorded_status": t.recorded_status,
        "status": str(t.status),
        "total": str(t.total),
        "paid": str(t.paid),
        "count": t.count,
        "installments_due": t.installments_due,
        "installments_covered": t.installments_covered,
        "missed": t.missed,
        "next_due": _str(t.next_due),
        "next_amount": _str(t.next_amount),
        "past_due": str(t.past_due),
        "remaining": str(t.remaining),
        "forgiven": str(t.forgiven),
        "sheet": t.sheet,
        "row": t.row,
    }


def _json(
    report: dict[str, object],
    options: PlanOptions | None,
    screening: Screening | None,
    tracked: Sequence[PlanTracking],
    notes: Sequence[str],
) -> dict[str, object]:
    from addin.commands.assistance import screening_dict

    data = {k: _str(v) for k, v in report.items()}
    data["income_cap"] = _str(options.income_cap) if options else None
    data["options"] = (
        [_option_dict(o, options.recommended) for o in options.options] if options else []
    )
    data["recommended"] = options.recommended if options else None
    data["reason"] = options.reason if options else None
    data["schedule"] = _schedule_rows(options.recommended_option) if options else []
    data["assistance"] = screening_dict(screening) if screening else None
    data["plans"] = [_tracking_dict(t) for t in tracked]
    data["notes"] = list(notes)
    return data


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return [line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def _text(
    report: dict[str, object],
    options: PlanOptions | None,
    screening: Screening | None,
    tracked: Sequence[PlanTracking],
    notes: Sequence[str],
) -> str:
    out = [f"Payment options for patient {report['patient_id']} as of {report['as_of']}"]
    out.append(f"  Due from the patient:        {_money(report['balance'])}")
    if report["insurance_pending"]:
        out.append(
            f"  Pending with insurance:      {_money(report['insurance_pending'])} (not planned)"
        )
    if report["credit"]:
        out.append(f"  Credit on the account:       {_money(report['credit'])}")
    if options is None:
        out.append("")
        out.append("Nothing is due from the patient; no payment plan is needed.")
    else:
        cap = options.income_cap
        if cap is not None:
            cap_text = f"{_money(cap)} a month ({options.biller_type} bill)"
        elif report["income_known"]:
            cap_text = "no income-based plan (see the notes)"
        else:
            cap_text = "monthly income not on file"
        out.append(f"  Income cap:                  {cap_text}")
        out.append("")
        rows = [
            [
                ("* " if o.key == options.recommended else "  ") + o.label,
                _money(o.installment),
                str(o.count),
                _money(o.final_payment),
                _money(o.total_paid),
                _money(o.forgiven) if o.forgiven else "",
            ]
            for o in options.options
        ]
        headers = ["  Option", "Installment", "Payments", "Final", "Total paid", "Forgiven"]
        out += _table(headers, rows, right={1, 2, 3, 4, 5})
        best = options.recommended_option
        out.append("")
        out.append(f"* Recommended: {best.label} — {options.reason}.")
        out.append("")
        out.append(f"Schedule: {best.label}")
        if best.amortization:
            rows = [
                [
                    str(r.n),
                    _str(r.due_date) or "",
                    _money(r.payment),
                    _money(r.interest),
                    _money(r.principal),
                    _money(r.remaining),
                ]
                for r in best.amortization
            ]
            headers = ["#", "Due", "Payment", "Interest", "Principal", "Remaining"]
            out += _table(headers, rows, right={0, 2, 3, 4, 5})
        else:
            rows = [[str(i.n), _str(i.due_date) or "", _money(i.amount)] for i in best.schedule]
            out += _table(["#", "Due", "Amount"], rows, right={0, 2})
        if best.forgiven:
            out.append(f"After the last payment {_money(best.forgiven)} is forgiven.")
    if screening is not None:
        tier = "no tier" if screening.tier is None else f"discount {screening.discount * 100:.0f}%"
        out.append("")
        out.append(
            f"Financial assistance ({screening.year} guidelines): {screening.percent:.2f}% of the "
            f"poverty guideline → {tier}"
            + (
                f"; balance after discount {_money(screening.discounted_balance)}"
                if screening.discount
                else ""
            )
        )
    if tracked:
        out.append("")
        out.append("Existing plans")
        rows = [
            [
                t.plan_no,
                t.rule,
                t.recorded_status,
                str(t.status),
                f"{t.installments_covered}/{t.count}",
                str(t.missed),
                _str(t.next_due) or "",
                _money(t.next_amount),
                _money(t.remaining),
            ]
            for t in tracked
        ]
        headers = [
            "Plan",
            "Rule",
            "Recorded",
            "Status",
            "Paid",
            "Missed",
            "Next due",
            "Next",
            "Left",
        ]
        out += _table(headers, rows, right={4, 5, 7, 8})
    if notes:
        out.append("")
        out.append("Notes")
        out += [f"  - {n}" for n in notes]
    return "\n".join(out) + "\n"
