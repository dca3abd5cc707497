"""How each agreed payment plan is going: payments made, next due, missed installments, status.

Inputs are the typed ``PaymentPlans`` and ``Payments`` frames (money in integer cents, dates as
``datetime64``; see :mod:`addin.workbook.schema`). The rules:

* **Payments counted**: rows of the plan's patient with ``Payer`` = ``Patient``, dated from the
  plan's ``Created`` date (inclusive) up to the ``as_of`` date (inclusive) and before the patient's
  next plan was created (a newer plan takes over the payments from its own ``Created`` date; two
  plans created the same day: the later PlanNo takes them). ``Payment`` rows add, ``Refund`` rows
  subtract, and the net is never below 0 (refunding money paid before the plan does not add to
  what the plan asks). Whether a payment was applied to a charge does not matter.
* **Schedule**: ``Count`` monthly installments from ``FirstDue`` (anchored on its day, clamped to
  month end, as :mod:`addin.core.schedule`). What the plan asks for in total is
  ``Balance − Forgiven`` (``Equal``/``Income``; a blank Rule is ``Equal``), or the amortized total
  at the Policy's ``plan_apr`` (``Interest``). Installments are ``Installment`` each and the final
  one is the rest — except ``Equal`` plans whose Installment is the first of an exact split, which
  follow the split (extra cents to the earliest), and ``Interest`` plans, which follow the
  amortization.
* **Installments covered** = how many installments, from the first, the payments pay in full
  (cumulative). **Installments due** = those due on or before ``as_of``. **Missed** =
  due − covered, never below 0. A partial payment is not a covered installment.
* **Status**: ``cancelled`` if the row says Cancelled; ``completed`` once the payments reach the
  total; ``defaulted`` when missed ≥ Policy ``plan_missed_to_default``; ``behind`` when any
  installment is missed; else ``on track``.
* **Remaining** = total − paid, never below 0; **past due** = the installments due by ``as_of``
  minus paid, never below 0.

A plan row that cannot be tracked (e.g. ``Installment × (Count − 1)`` above ``Balance − Forgiven``)
becomes a :class:`~addin.core.findings.Finding` naming its sheet, row and column; the other plans
are still tracked.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import accumulate

import pandas as pd

from addin.core.amortize import amortize
from addin.core.findings import Finding
from addin.core.money import ZERO, allocate, from_cents
from addin.core.schedule import PlanError, due_dates

__all__ = ["PlanState", "PlanTracking", "patient_payment_history", "track_plan", "track_plans"]

SHEET = "PaymentPlans"


class PlanState(StrEnum):
    ON_TRACK = "on track"
    BEHIND = "behind"
    DEFAULTED = "defaulted"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class PlanTracking:
    """Where one plan stands on the ``as_of`` date; money in dollars, two places.

    Attributes:
        plan_no: PaymentPlans.PlanNo.
        patient_id: PaymentPlans.PatientID.
        sheet, row: where the plan's row is in the workbook.
        rule: ``Equal``, ``Income`` or ``Interest``.
        recorded_status: the Status typed in the workbook.
        status: computed state (see the module docstring).
        total: what the plan asks for in all (interest included).
        paid: payments less refunds counted for the plan, at least 0.
        count: number of installments.
        installments_due: installments due on or before ``as_of``.
        installments_covered: installments paid in full by ``paid``.
        missed: ``installments_due − installments_covered``, at least 0.
        next_due: due date of the first installment not yet paid in full, or ``None``.
        next_amount: what is left to pay on that installment, or ``None``.
        past_due: dollars due by ``as_of`` and not paid.
        remaining: dollars left to pay under the plan.
        forgiven: dollars the plan forgives after its last payment.
    """

    plan_no: str
    patient_id: str
    sheet: str | None
    row: int | None
    rule: str
    recorded_status: str
    status: PlanState
    total: Decimal
    paid: Decimal
    count: int
    installments_due: int
    installments_covered: int
    missed: int
    next_due: dt.date | None
    next_amount: Decimal | None
    past_due: Decimal
    remaining: Decimal
    forgiven: Decimal


def _where(plan: Mapping[str, object]) -> str:
    return f"{plan.get('_sheet') or SHEET} row {plan.get('_row', '?')}"


def _blank(value: object) -> bool:
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
    )


def _required(plan: Mapping[str, object], column: str) -> object:
    value = plan.get(column)
    if _blank(value):
        raise PlanError(f"{_where(plan)}, {column}: blank; fill it in to track the plan")
    return value


def _date(value: object) -> dt.date:
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"expected a date, got {value!r}")


def _amounts(plan: Mapping[str, object], apr: Decimal) -> tuple[list[Decimal], Decimal]:
    """Scheduled installment amounts and the amount forgiven for one plan row."""
    balance = from_cents(int(_required(plan, "Balance")))
    installment = from_cents(int(_required(plan, "Installment")))
    count = int(_required(plan, "Count"))
    forgiven_raw = plan.get("Forgiven")
    forgiven = ZERO if _blank(forgiven_raw) else from_cents(int(forgiven_raw))
    rule = plan.get("Rule") or "Equal"
    if count < 1:
        raise PlanError(f"{_where(plan)}, Count: must be 1 or more")
    if installment <= 0:
        raise PlanError(f"{_where(plan)}, Installment: must be above 0")
    if rule == "Interest":
        if apr <= 0:
            raise PlanError(
                f"{_where(plan)}, Rule: the plan bears interest but Policy plan_apr is 0; "
                "set the plan's APR in plan_apr"
            )
        try:
            payments = [r.payment for r in amortize(balance, apr, count).rows]
        except PlanError as exc:
            raise PlanError(f"{_where(plan)}: {exc}") from None
        if payments[0] != installment:
            raise PlanError(
                f"{_where(plan)}, Installment: does not match {count} payments at the Policy "
                "plan_apr; correct the Installment or plan_apr"
            )
        return payments, ZERO
    total = balance - forgiven
    if total <= 0:
        raise PlanError(f"{_where(plan)}, Forgiven: leaves nothing to pay; check Balance")
    if rule == "Equal" and total * 100 >= count:
        split = allocate(total, count)
        if split[0] == installment:
            return split, forgiven
    final = total - installment * (count - 1)
    if final <= 0:
        raise PlanError(
            f"{_where(plan)}, Installment: {count - 1} installments already exceed Balance − "
            "Forgiven; correct Installment, Count or Balance"
        )
    return [installment] * (count - 1) + [final], forgiven


@dataclass(frozen=True)
class _History:
    """One patient's counted payments in date order: dates and signed cents."""

    dates: tuple[dt.date, ...]
    cents: tuple[int, ...]

    def paid_between(self, start: dt.date, end: dt.date | None, as_of: dt.date) -> int:
        """Cents paid on dates in [start, end) and ≤ as_of."""
        lo = bisect_left(self.dates, start)
        hi = bisect_right(self.dates, as_of)
        if end is not None:
            hi = min(hi, bisect_left(self.dates, end))
        return sum(self.cents[lo:hi]) if hi > lo else 0


def patient_payment_history(payments: pd.DataFrame) -> dict[str, _History]:
    """Patient payments (``Payer`` = Patient) by PatientID: refunds negative, in date order."""
    own = payments[(payments["Payer"] == "Patient") & payments["Date"].notna()]
    own = own[own["Amount"].notna() & own["PatientID"].notna()]
    sign = own["Kind"].map({"Payment": 1, "Refund": -1}).fillna(0).astype("int64")
    frame = pd.DataFrame(
        {
            "patient": own["PatientID"].astype(object),
            "date": own["Date"],
            "cents": own["Amount"].astype("int64") * sign,
        }
    ).sort_values(["patient", "date"], kind="stable")
    return {
        str(patient): _History(
            tuple(d.date() for d in group["date"]), tuple(int(c) for c in group["cents"])
        )
        for patient, group in frame.groupby("patient", sort=False)
    }


def track_plan(
    plan: Mapping[str, object],
    paid_cents: int,
    *,
    as_of: dt.date,
    missed_to_default: int,
    apr: Decimal = ZERO,
) -> PlanTracking:
    """Track one PaymentPlans row given the cents paid toward it (rules in the module doc).

    Args:
        plan: one PaymentPlans row as a mapping of typed values (cents, Timestamps), with
            ``_sheet`` and ``_row`` if known.
        paid_cents: payments less refunds counted for this plan, integer cents.
        as_of: the date to judge the plan on.
        missed_to_default: missed installments that make a plan defaulted (Policy
            ``plan_missed_to_default``); 0 = never.
        apr: Policy ``plan_apr``, to rebuild ``Interest`` plans.

    Raises:
        PlanError: the row cannot be tracked; the message names its sheet, row and column.
    """
    amounts, forgiven = _amounts(plan, apr)
    first_due = _date(_required(plan, "FirstDue"))
    dates = due_dates(first_due, len(amounts))
    cumulative = [from_cents(c) for c in accumulate(int(a * 100) for a in amounts)]
    total = cumulative[-1]
    paid = from_cents(max(paid_cents, 0))
    covered = bisect_right(cumulative, paid)
    due = bisect_right(dates, as_of)
    missed = max(0, due - covered)
    recorded = str(plan.get("Status") or "")
    if recorded == "Cancelled":
        status = PlanState.CANCELLED
    elif paid >= total:
        status = PlanState.COMPLETED
    elif missed_to_default > 0 and missed >= missed_to_default:
        status = PlanState.DEFAULTED
    elif missed > 0:
        status = PlanState.BEHIND
    else:
        status = PlanState.ON_TRACK
    open_ = covered < len(amounts) and status is not PlanState.CANCELLED
    return PlanTracking(
        plan_no=str(plan.get("PlanNo")),
        patient_id=str(plan.get("PatientID")),
        sheet=plan.get("_sheet") or SHEET,
        row=None if _blank(plan.get("_row")) else int(plan["_row"]),
        rule=str(plan.get("Rule") or "Equal"),
        recorded_status=recorded,
        status=status,
        total=total,
        paid=paid,
        count=len(amounts),
        installments_due=due,
        installments_covered=covered,
        missed=missed,
        next_due=dates[covered] if open_ else None,
        next_amount=cumulative[covered] - paid if open_ else None,
        past_due=max(ZERO, (cumulative[due - 1] if due else ZERO) - paid),
        remaining=max(ZERO, total - paid),
        forgiven=forgiven,
    )


def track_plans(
    plans: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    as_of: dt.date,
    missed_to_default: int,
    apr: Decimal = ZERO,
) -> tuple[tuple[PlanTracking, ...], list[Finding]]:
    """Track every PaymentPlans row against the Payments table.

    Returns:
        The tracking of each plan that could be tracked, in PaymentPlans order, and a finding
        (code ``plan_untrackable``, with sheet, row and PlanNo) for each row that could not.
    """
    history = patient_payment_history(payments)
    records = plans.to_dict("records")
    created = [None if _blank(r.get("Created")) else _date(r["Created"]) for r in records]
    order = sorted(
        range(len(records)),
        key=lambda i: (
            str(records[i].get("PatientID")),
            created[i] or dt.date.min,
            str(records[i].get("PlanNo")),
        ),
    )
    next_created: dict[int, dt.date | None] = {}
    for a, b in zip(order, [*order[1:], None][: len(order)], strict=True):
        same = b is not None and records[a].get("PatientID") == records[b].get("PatientID")
        next_created[a] = created[b] if same else None
    results: list[PlanTracking] = []
    findings: list[Finding] = []
    for i, plan in enumerate(records):
        try:
            start = _date(_required(plan, "Created"))
            own = history.get(str(_required(plan, "PatientID")))
            paid = own.paid_between(start, next_created[i], as_of) if own else 0
            results.append(
                track_plan(plan, paid, as_of=as_of, missed_to_default=missed_to_default, apr=apr)
            )
        except PlanError as exc:
            column = _column_named(str(exc))
            findings.append(
                Finding(
                    code="plan_untrackable",
                    message=str(exc),
                    sheet=plan.get("_sheet") or SHEET,
                    row=None if _blank(plan.get("_row")) else int(plan["_row"]),
                    column=column,
                    fix="Correct the plan row so its installments add up to Balance − Forgiven",
                    ids=(str(plan.get("PlanNo")),),
                )
            )
    return tuple(results), findings


def _column_named(message: str) -> str | None:
    for column in ("Installment", "Count", "Balance", "Forgiven", "FirstDue", "Created", "Rule"):
        if f", {column}:" in message:
            return column
    return None
