"""The numbers of the accounts-receivable report, from the ledger (pure: no files, no drawing).

:func:`report_figures` ``(book, as_of) -> ReportFigures`` is the one entry point; the deck
(:mod:`addin.reports.deck`) and the workbook's report sheet draw the same figures, and
:func:`report_tables` gives them as plain-value tables (Decimal dollars, dates, counts).

Definitions (every amount is int **cents** from :mod:`addin.core.ledger`; nothing is rounded
except the rates, shown half-up to 0.1%):

* **A/R** on a day = the open items of every account on that day: ``insurance_pending +
  patient_due`` summed over accounts; **credit** is the accounts' credit; **net A/R** = A/R −
  credit = the sum of every balance (ledger identity). The **trend** has one point per
  month-end of the period and a last point on ``as_of``; each point is the ledger *as of* that
  day (rows dated later ignored). Past points use today's Status column: the workbook keeps
  no history of statuses.
* **Period** = the ``months`` calendar months ending with the as-of month, from the first day
  of the first month to ``as_of`` (default 12).
* **Aging**: patient-due lines aged from their bill date (:mod:`addin.core.aging`), and
  insurance-pending lines aged from their service date, in the Policy's buckets. Account-level
  debits (refunds larger than the money they return) have no line and are ``unaged``:
  ``patient + insurance + unaged == A/R``.
* **Collections rate** over the period = net collections ÷ charges, where net collections =
  payments (Kind Payment, patients and insurers) − refunds (Kind Refund), dated in the period,
  and charges = the Amount of charges with ServiceDate in the period (Void excluded). The
  **net rate** divides by charges − contractual adjustments (Kind Contractual in the period, less
  Kind Reversal rows of group CO reason 45 in the period: the contractual adjustments taken back).
  ``None`` when the divisor is not above zero.
* **Payments by payer** (Patient or the PlanID) and **by method**: Kind Payment rows dated in
  the period; both sum to the period's payments.
* **Top balances**: the guarantor accounts (as on the bill) with the largest balances above
  zero, by ID only — no names (PHI minimisation).
* **Plans**: every PaymentPlans row tracked on ``as_of`` (:mod:`addin.core.plan_tracking`),
  counted by state with remaining and past-due dollars.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from addin.core.aging import (
    age_lines,
    aging_totals,
    bucket_indexes,
    bucket_labels,
    thresholds_from_policy,
)
from addin.core.findings import Finding
from addin.core.ledger import Ledger, ledger_from_book
from addin.core.money import from_cents, to_cents
from addin.core.plan_tracking import PlanState, PlanTracking, track_plans

if TYPE_CHECKING:
    from addin.workbook.book import Book

__all__ = [
    "AgingFigures",
    "ArPoint",
    "CollectionsRate",
    "FigureTable",
    "Flows",
    "MonthFlow",
    "PlanGroup",
    "ReportFigures",
    "Share",
    "TopBalance",
    "percent",
    "report_figures",
    "report_tables",
]

PATIENT = "Patient"


@dataclass(frozen=True)
class ArPoint:
    """A/R on one day (cents): open items with insurance and with patients, and credits."""

    day: dt.date
    insurance: int
    patient: int
    credit: int

    @property
    def total(self) -> int:
        """A/R: the open items, ``insurance + patient``."""
        return self.insurance + self.patient

    @property
    def net(self) -> int:
        """Net A/R: ``total − credit`` (the sum of every account's balance)."""
        return self.total - self.credit


@dataclass(frozen=True)
class Flows:
    """Money charged, paid, refunded and written off contractually over ``start``–``end``
    (cents, both dates included)."""

    start: dt.date
    end: dt.date
    charges: int
    payments: int
    refunds: int
    contractual: int

    @property
    def collected(self) -> int:
        """Net collections: payments − refunds."""
        return self.payments - self.refunds


@dataclass(frozen=True)
class MonthFlow(Flows):
    """Money of one calendar month of the period (cents); ``end`` is ``as_of`` for the last."""

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m}"


@dataclass(frozen=True)
class CollectionsRate(Flows):
    """Collections over ``start``–``end`` (cents; definitions in the module doc)."""

    @property
    def rate(self) -> Decimal | None:
        """Net collections ÷ charges, an exact fraction (``None`` without charges)."""
        return _ratio(self.collected, self.charges)

    @property
    def net_rate(self) -> Decimal | None:
        """Net collections ÷ (charges − contractual adjustments)."""
        return _ratio(self.collected, self.charges - self.contractual)


@dataclass(frozen=True)
class AgingFigures:
    """Cents per bucket (in bucket order) for patients and insurers, and what has no line."""

    labels: tuple[str, ...]
    patient: tuple[int, ...]
    insurance: tuple[int, ...]
    unaged: int

    @property
    def patient_total(self) -> int:
        return sum(self.patient)

    @property
    def insurance_total(self) -> int:
        return sum(self.insurance)


@dataclass(frozen=True)
class Share:
    """One payer's or method's payments in the period: cents and number of payments."""

    label: str
    cents: int
    count: int
    name: str = ""  # the insurer's name for a PlanID (Plans.Payer)


@dataclass(frozen=True)
class TopBalance:
    """A guarantor account (IDs only): cents; ``patients`` = how many patients it covers."""

    account: str
    patients: int
    insurance: int
    patient: int
    credit: int
    balance: int


@dataclass(frozen=True)
class PlanGroup:
    """Payment plans in one state: how many, remaining and past-due cents."""

    state: str
    count: int
    remaining: int
    past_due: int


@dataclass(frozen=True)
class ReportFigures:
    """Everything the report shows (module doc for the definitions)."""

    as_of: dt.date
    practice: str
    ar: ArPoint
    trend: tuple[ArPoint, ...]
    months: tuple[MonthFlow, ...]
    aging: AgingFigures
    collections: CollectionsRate
    by_payer: tuple[Share, ...]
    by_method: tuple[Share, ...]
    top_balances: tuple[TopBalance, ...]
    plans: tuple[PlanGroup, ...]
    plan_problems: int = 0

    @property
    def period_start(self) -> dt.date:
        return self.collections.start


@dataclass(frozen=True)
class FigureTable:
    """One table of the report as plain values: Decimal dollars, dates, ints, text, rates as
    Decimal percentages (one place)."""

    name: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


# --- the figures -------------------------------------------------------------------------------


def report_figures(book: Book, as_of: dt.date, *, months: int = 12, top: int = 10) -> ReportFigures:
    """The report's figures from a loaded workbook, as of a day.

    Args:
        book: the typed tables and Policy.
        as_of: the report date; rows dated later are ignored.
        months: calendar months in the period (trend, flows, rates), ending with as_of's month.
        top: how many top balances to list.
    """
    if months < 1:
        raise ValueError("months must be 1 or more")
    ledger = ledger_from_book(book, as_of=as_of)
    ar = _ar_point(ledger, as_of)
    starts = _month_starts(as_of, months)
    ends = [*(_month_end(s) for s in starts[:-1]), as_of]
    trend = (*(_ar_point(ledger_from_book(book, as_of=d), d) for d in ends[:-1]), ar)
    flows = tuple(_flow(book, s, e) for s, e in zip(starts, ends, strict=True))
    rate = CollectionsRate(
        starts[0],
        as_of,
        sum(f.charges for f in flows),
        sum(f.payments for f in flows),
        sum(f.refunds for f in flows),
        sum(f.contractual for f in flows),
    )
    payments = _payments_in(book, starts[0], as_of)
    payments = payments[payments["Kind"].to_numpy(dtype=object) == "Payment"]
    plans = book["Plans"].dropna(subset=["PlanID"])
    names = dict(zip(plans["PlanID"], plans["Payer"], strict=True))
    tracked, problems = _tracked(book, as_of)
    return ReportFigures(
        as_of=as_of,
        practice=str(book.policy.get("practice_name") or ""),
        ar=ar,
        trend=trend,
        months=flows,
        aging=_aging(ledger, book, as_of),
        collections=rate,
        by_payer=_shares(payments, "Payer", names),
        by_method=_shares(payments, "Method", {}),
        top_balances=_top(ledger, top),
        plans=_plan_groups(tracked),
        plan_problems=len(problems),
    )


def _ar_point(ledger: Ledger, day: dt.date) -> ArPoint:
    accounts = ledger.accounts
    return ArPoint(
        day,
        int(accounts["insurance_pending"].sum()),
        int(accounts["patient_due"].sum()),
        int(accounts["credit"].sum()),
    )


def _month_starts(as_of: dt.date, months: int) -> list[dt.date]:
    index = as_of.year * 12 + as_of.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def _month_end(start: dt.date) -> dt.date:
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def _between(frame: pd.DataFrame, column: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    days = frame[column]
    inside = (days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))
    return frame[inside.to_numpy(dtype=bool, na_value=False)]


def _payments_in(book: Book, start: dt.date, end: dt.date) -> pd.DataFrame:
    return _between(book["Payments"], "Date", start, end)


def _cents(frame: pd.DataFrame) -> int:
    return int(frame["Amount"].to_numpy(dtype=np.int64, na_value=0).sum())


def _flow(book: Book, start: dt.date, end: dt.date) -> MonthFlow:
    charges = _between(book["Charges"], "ServiceDate", start, end)
    charges = charges[charges["Status"].to_numpy(dtype=object) != "Void"]
    payments = _payments_in(book, start, end)
    kind = payments["Kind"].to_numpy(dtype=object)
    adjustments = _between(book["Adjustments"], "Date", start, end)
    adj_kind = adjustments["Kind"].to_numpy(dtype=object)
    contractual = adjustments[adj_kind == "Contractual"]
    taken_back = adjustments[
        (adj_kind == "Reversal")
        & (adjustments["Group"].to_numpy(dtype=object) == "CO")
        & (adjustments["Reason"].to_numpy(dtype=object) == "45")
    ]
    return MonthFlow(
        start,
        end,
        _cents(charges),
        _cents(payments[kind == "Payment"]),
        _cents(payments[kind == "Refund"]),
        _cents(contractual) - _cents(taken_back),
    )


def _aging(ledger: Ledger, book: Book, as_of: dt.date) -> AgingFigures:
    thresholds = thresholds_from_policy(book.policy)
    aged = age_lines(ledger, book["Statements"], as_of=as_of, thresholds=thresholds)
    patient = aging_totals(aged, thresholds).amounts
    lines = ledger.lines
    pending = lines[lines["insurance_pending"].to_numpy() > 0]
    served = pending["ServiceDate"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    today = np.datetime64(as_of, "D").astype(np.int64)
    index = bucket_indexes(today - served, thresholds)
    insurance = np.zeros(len(thresholds) + 1, dtype=np.int64)
    np.add.at(insurance, index, pending["insurance_pending"].to_numpy(dtype=np.int64))
    ar = _ar_point(ledger, as_of)
    unaged = ar.total - sum(patient) - int(insurance.sum())
    return AgingFigures(
        bucket_labels(thresholds), tuple(patient), tuple(int(c) for c in insurance), unaged
    )


def _shares(payments: pd.DataFrame, column: str, names: dict[str, object]) -> tuple[Share, ...]:
    keys = payments[column].to_numpy(dtype=object, na_value=None)
    amounts = payments["Amount"].to_numpy(dtype=np.int64, na_value=0)
    totals: dict[str, list[int]] = {}
    for key, cents in zip(keys, amounts, strict=True):
        entry = totals.setdefault(str(key or "(blank)"), [0, 0])
        entry[0] += int(cents)
        entry[1] += 1
    shares = [
        Share(label, cents, count, str(names.get(label) or ""))
        for label, (cents, count) in totals.items()
    ]
    return tuple(sorted(shares, key=lambda s: (-s.cents, s.label)))


def _top(ledger: Ledger, top: int) -> tuple[TopBalance, ...]:
    rows = ledger.guarantors
    rows = rows[rows["balance"].to_numpy() > 0]
    order = sorted(zip(rows.index, rows["balance"], strict=True), key=lambda x: (-int(x[1]), x[0]))
    out = []
    for account, _ in order[:top]:
        row = rows.loc[account]
        out.append(
            TopBalance(
                str(account),
                int(row["patients"]),
                int(row["insurance_pending"]),
                int(row["patient_due"]),
                int(row["credit"]),
                int(row["balance"]),
            )
        )
    return tuple(out)


def _tracked(book: Book, as_of: dt.date) -> tuple[tuple[PlanTracking, ...], list[Finding]]:
    plans = book["PaymentPlans"]
    plans = plans[~(plans["Created"] > pd.Timestamp(as_of)).to_numpy(dtype=bool, na_value=False)]
    return track_plans(
        plans,
        book["Payments"],
        as_of=as_of,
        missed_to_default=int(book.policy.get("plan_missed_to_default") or 0),
        apr=Decimal(str(book.policy.get("plan_apr") or 0)),
    )


def _plan_groups(tracked: tuple[PlanTracking, ...]) -> tuple[PlanGroup, ...]:
    groups = []
    for state in PlanState:
        mine = [p for p in tracked if p.status is state]
        groups.append(
            PlanGroup(
                str(state),
                len(mine),
                sum(to_cents(p.remaining) for p in mine),
                sum(to_cents(p.past_due) for p in mine),
            )
        )
    return tuple(groups)


# --- as tables ---------------------------------------------------------------------------------


def percent(rate: Decimal | None) -> Decimal | None:
    """A fraction as a percentage with one place, half-up (0.87349 → 87.3)."""
    if rate is None:
        return None
    return (rate * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def report_tables(figures: ReportFigures) -> tuple[FigureTable, ...]:
    """The report's tables as plain values, in slide order (money as Decimal dollars)."""
    f, d = figures, from_cents
    trend = tuple(
        (p.day, d(p.insurance), d(p.patient), d(p.total), d(p.credit), d(p.net)) for p in f.trend
    )
    aging = tuple(
        (label, d(p), d(i), d(p + i))
        for label, p, i in zip(f.aging.labels, f.aging.patient, f.aging.insurance, strict=True)
    )
    aging += (
        (
            "Total",
            d(f.aging.patient_total),
            d(f.aging.insurance_total),
            d(f.aging.patient_total + f.aging.insurance_total),
        ),
    )
    months = tuple(
        (
            m.label,
            d(m.charges),
            d(m.payments),
            d(m.refunds),
            d(m.collected),
            percent(_ratio(m.collected, m.charges)),
        )
        for m in f.months
    )
    c = f.collections
    months += (
        ("Total", d(c.charges), d(c.payments), d(c.refunds), d(c.collected), percent(c.rate)),
    )
    return (
        FigureTable(
            "ar_trend",
            "A/R by month-end",
            ("Day", "Insurance", "Patient", "A/R", "Credit", "Net A/R"),
            trend,
        ),
        FigureTable("aging", "Aging", ("Bucket", "Patient", "Insurance", "Total"), aging),
        FigureTable(
            "collections",
            "Charges and collections by month",
            ("Month", "Charges", "Payments", "Refunds", "Collected", "Rate %"),
            months,
        ),
        FigureTable(
            "by_payer",
            "Payments by payer",
            ("Payer", "Name", "Payments", "Amount"),
            tuple((s.label, s.name, s.count, d(s.cents)) for s in f.by_payer),
        ),
        FigureTable(
            "by_method",
            "Payments by method",
            ("Method", "Payments", "Amount"),
            tuple((s.label, s.count, d(s.cents)) for s in f.by_method),
        ),
        FigureTable(
            "top_balances",
            "Top balances (account IDs only)",
            ("Account", "Patients", "Insurance", "Patient", "Credit", "Balance"),
            tuple(
                (t.account, t.patients, d(t.insurance), d(t.patient), d(t.credit), d(t.balance))
                for t in f.top_balances
            ),
        ),
        FigureTable(
            "plans",
            "Payment plans",
            ("State", "Plans", "Remaining", "Past due"),
            tuple((g.state, g.count, d(g.remaining), d(g.past_due)) for g in f.plans),
        ),
    )


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    if denominator <= 0:
        return None
    return Decimal(numerator) / Decimal(denominator)
