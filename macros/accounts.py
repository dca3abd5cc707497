"""Refresh accounts: the ``Accounts`` summary sheet and the A/R aging, with a chart, and the
``AR report`` sheet (:mod:`macros.ar_report`).

Everything is as of today, from the ledger (:mod:`addin.core.ledger`), aging
(:mod:`addin.core.aging`, thresholds from Policy ``aging_1..aging_4``, bill dates from the
Statements log) and plan tracking (:mod:`addin.core.plan_tracking`). The sheet is replaced
each time (it is an output, never typed in):

* an **A/R aging** block — what patients owe by age bucket, with the number of accounts
  and the total — and a column chart of it where the host has charts (skipped elsewhere);
* one row per patient, as an Excel table ``AccountsSummary`` (so a click on any row selects
  that patient for the other buttons): balance (positive = owes, negative = credit), pending
  with insurance, due from the patient, credit, refund due, the age in days, aging bucket and
  dunning level of the oldest item due, the latest payment plan and its tracked status, and
  the **account status**.

**Account status** is derived, not read back: data tables are only appended to, so paxl never
rewrites Patients.AccountStatus. An account whose latest plan is running (on track or behind)
shows ``Payment plan``; one typed as ``Payment plan`` without a running plan shows ``Active``;
otherwise the typed status is shown.

The **AR report** sheet holds the report's figures as of today
(:func:`addin.reports.figures.report_figures`, the same numbers as the ``paxl report`` deck):
A/R total and month-end trend, aging buckets, collections rate, payments by payer and method,
top balances by account ID, plans on track and behind. It is written after Accounts and does not
take the focus, so the Accounts sheet stays active.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from addin.core.aging import (
    age_lines,
    aging_by,
    aging_totals,
    bucket_labels,
    thresholds_from_policy,
)
from addin.core.ledger import Ledger, ledger_from_book
from addin.core.money import from_cents
from addin.core.plan_options import PlanPolicy
from addin.core.plan_tracking import PlanState, PlanTracking, track_plans
from addin.reports.figures import report_figures
from addin.workbook.port import Block, Chart, SheetContent, Snapshot, WorkbookPort
from addin.workbook.write_plan import WritePlan, apply
from macros.ar_report import ar_report_sheet
from macros.layout import MONEY, header_row, title
from macros.runner import Result, require_usable

SHEET = "Accounts"
TABLE = "AccountsSummary"
READS = (
    "Patients",
    "Plans",
    "Coverage",
    "Charges",
    "Payments",
    "Adjustments",
    "PaymentPlans",
    "Statements",
    "Audit",
)
RUNNING = (PlanState.ON_TRACK, PlanState.BEHIND)
PLAN_STATUS_TEXT = "Payment plan"

AGING_TITLE_ROW = 4
AGING_HEADER = ("Bucket (days)", "Due from patients", "Accounts")
CHART_ANCHOR = (4, 5)
ACCOUNTS_TITLE_ROW = 20
ACCOUNTS_HEADER = (
    "PatientID",
    "LastName",
    "FirstName",
    "Guarantor",
    "Balance",
    "Insurance pending",
    "Patient due",
    "Credit",
    "Refund due",
    "Oldest (days)",
    "Aging bucket",
    "Dunning level",
    "Plan",
    "Plan status",
    "Account status",
)
_ACCOUNT_FORMATS = (
    "@",
    None,
    None,
    "@",
    MONEY,
    MONEY,
    MONEY,
    MONEY,
    MONEY,
    "0",
    "@",
    "0",
    "@",
    None,
    None,
)
_MONEY_COLUMNS = ("balance", "insurance_pending", "patient_due", "credit", "refund_due")


def refresh_accounts_on(port: WorkbookPort, *, now: dt.datetime, user: str) -> Result:
    """Replace the Accounts sheet with the summary as of today (see the module doc)."""
    snapshot = port.snapshot(READS)
    require_usable(snapshot, READS)
    today = now.date()
    book = snapshot.book
    thresholds = thresholds_from_policy(book.policy)
    ledger = ledger_from_book(book, as_of=today)
    aged = age_lines(ledger, book["Statements"], as_of=today, thresholds=thresholds)
    tracked, problems = track_plans(
        book["PaymentPlans"],
        book["Payments"],
        as_of=today,
        missed_to_default=int(book.policy.get("plan_missed_to_default") or 0),
        apr=PlanPolicy.from_policy(book.policy).apr,
    )
    rows = account_rows(snapshot, ledger, aged, tracked, thresholds)
    sheet = accounts_sheet(today, rows, aged, thresholds)
    report = ar_report_sheet(report_figures(book, today))
    message = (
        f"The Accounts and {report.name} sheets are refreshed as of {today.isoformat()}: "
        f"{len(rows)} account(s)."
    )
    if problems:
        where = ", ".join(f"row {f.row}" for f in problems[:5])
        message += (
            f" {len(problems)} PaymentPlans row(s) could not be tracked ({where}); "
            "fix them and refresh again."
        )
    plan = (
        WritePlan()
        .write_sheet(sheet)
        .write_sheet(report)
        .audit(
            at=now,
            who=user,
            action="refresh_accounts",
            rows=len(rows),
            detail=f"{SHEET} and {report.name} sheets as of {today.isoformat()}",
        )
        .alert(message)
    )
    return Result(message, apply(plan, port, snapshot), tuple(problems))


def latest_plans(plans: pd.DataFrame, tracked: tuple[PlanTracking, ...]) -> dict[str, PlanTracking]:
    """Each patient's latest plan (latest Created, then PlanNo) that could be tracked."""
    by_no = {t.plan_no: t for t in tracked}
    if plans.empty:
        return {}
    ordered = plans.assign(_no=plans["PlanNo"].astype(str)).sort_values(
        ["Created", "_no"], na_position="first", kind="stable"
    )
    latest: dict[str, PlanTracking] = {}
    for patient, plan_no in zip(ordered["PatientID"], ordered["PlanNo"], strict=True):
        if plan_no in by_no and isinstance(patient, str):
            latest[patient] = by_no[plan_no]
    return latest


def account_status(recorded: object, plan: PlanTracking | None) -> str | None:
    """The status shown for an account (rule: module doc)."""
    if plan is not None and plan.status in RUNNING:
        return PLAN_STATUS_TEXT
    if recorded == PLAN_STATUS_TEXT:
        return "Active"
    return recorded if isinstance(recorded, str) else None


def account_rows(
    snapshot: Snapshot,
    ledger: Ledger,
    aged: pd.DataFrame,
    tracked: tuple[PlanTracking, ...],
    thresholds: tuple[int, ...],
) -> list[tuple[object, ...]]:
    """One row per account (columns :data:`ACCOUNTS_HEADER`), by PatientID."""
    accounts = ledger.accounts
    patients = snapshot["Patients"].drop_duplicates("PatientID").set_index("PatientID")
    labels = bucket_labels(thresholds)
    per = aging_by(aged, thresholds=thresholds)
    latest = latest_plans(snapshot["PaymentPlans"], tracked)
    rows = []
    for patient_id in accounts.index:
        account = accounts.loc[patient_id]
        person = patients.loc[patient_id] if patient_id in patients.index else None
        aging = per.loc[patient_id] if patient_id in per.index else None
        plan = latest.get(patient_id)
        level = None if aging is None else int(aging["dunning_level"])
        rows.append(
            (
                patient_id,
                _text(person, "LastName"),
                _text(person, "FirstName"),
                account["Guarantor"],
                *(from_cents(int(account[c])) for c in _MONEY_COLUMNS),
                None if aging is None else int(aging["oldest_days"]),
                None if level is None else labels[level - 1],
                level,
                None if plan is None else plan.plan_no,
                None if plan is None else str(plan.status),
                account_status(_text(person, "AccountStatus"), plan),
            )
        )
    return rows


def _text(person: pd.Series | None, column: str) -> str | None:
    if person is None:
        return None
    value = person[column]
    return value if isinstance(value, str) else None


def accounts_sheet(
    today: dt.date, rows: list[tuple[object, ...]], aged: pd.DataFrame, thresholds: tuple[int, ...]
) -> SheetContent:
    """The Accounts sheet: title, A/R aging block and chart, then the accounts table."""
    totals = aging_totals(aged, thresholds)
    per = aging_by(aged, thresholds=thresholds)
    oldest = per["dunning_level"].to_numpy() if len(per) else np.zeros(0, dtype=np.int64)
    counts = [int((oldest == i + 1).sum()) for i in range(len(totals.labels))]
    aging_rows = tuple(
        (label, from_cents(cents), count)
        for label, cents, count in zip(totals.labels, totals.amounts, counts, strict=True)
    )
    blocks: list[Block] = [
        title(1, f"Accounts as of {today.isoformat()}"),
        Block(
            2,
            1,
            (
                (
                    "Balance = charges - payments - adjustments + refunds; positive = owes, "
                    "negative = credit. Written by Refresh accounts: do not type here.",
                ),
            ),
        ),
        title(AGING_TITLE_ROW, "A/R aging: due from patients, by the age of the oldest bill"),
        header_row(AGING_TITLE_ROW + 1, AGING_HEADER),
        Block(AGING_TITLE_ROW + 2, 1, aging_rows, column_formats=("@", MONEY, "0")),
        Block(
            AGING_TITLE_ROW + 2 + len(aging_rows),
            1,
            (("Total", from_cents(totals.total), len(per)),),
            column_formats=(None, MONEY, "0"),
            bold=True,
        ),
    ]
    blocks.append(title(ACCOUNTS_TITLE_ROW - 1, "Accounts"))
    if rows:
        blocks.append(
            Block(
                ACCOUNTS_TITLE_ROW,
                1,
                (ACCOUNTS_HEADER, *rows),
                column_formats=_ACCOUNT_FORMATS,
                table=TABLE,
            )
        )
    else:
        blocks.append(Block(ACCOUNTS_TITLE_ROW, 1, (("No accounts yet.",),)))
    chart = Chart(
        source=(AGING_TITLE_ROW + 1, 1, 1 + len(aging_rows), 2),
        anchor=CHART_ANCHOR,
        title="A/R aging (due from patients)",
    )
    widths = ((1, 14), (2, 18), (3, 14), (4, 12), *((c, 14) for c in range(5, 16)))
    return SheetContent(SHEET, blocks=tuple(blocks), column_widths=widths, charts=(chart,))


__all__ = ["account_rows", "account_status", "accounts_sheet", "refresh_accounts_on"]
