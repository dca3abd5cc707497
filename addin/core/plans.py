"""Payment plans without interest: equal installments and income-capped installments.

Amounts are dollars as two-place ``Decimal`` (see :mod:`addin.core.money`), positive, and every
schedule sums exactly to what it covers:

* **equal installments** split the balance's cents with :func:`~addin.core.money.allocate_cents`
  (extra cents to the earliest installments: $1,000.00 in 3 → 333.34, 333.33, 333.33);
* **income-capped installments** are the statutory cap, a share of gross monthly household income
  rounded **down** to the cent (:func:`~addin.core.money.floor_cents`); the final payment is
  whatever is left (smaller), and with a forgiveness count (Colorado: 36) the plan stops after that
  many payments and the rest is forgiven.

Plans with interest are in :mod:`addin.core.amortize`; the options put on a bill are in
:mod:`addin.core.plan_options`. Due dates follow :mod:`addin.core.schedule`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from addin.core.money import ZERO, allocate_cents, floor_cents, from_cents, to_cents, to_decimal
from addin.core.schedule import (
    MAX_INSTALLMENTS,
    Installment,
    PlanError,
    build_schedule,
    require_balance,
    require_count,
)

__all__ = [
    "MAX_INSTALLMENTS",
    "IncomePlan",
    "PlanError",
    "equal_cents",
    "equal_installments",
    "income_cap",
    "income_capped_plan",
    "require_balance",
]


def equal_installments(
    balance: Decimal,
    count: int,
    *,
    first_due: dt.date | None = None,
    every_months: int = 1,
) -> tuple[Installment, ...]:
    """Split a balance into ``count`` installments that sum exactly to it.

    Installments differ by at most one cent, extra cents going to the earliest ($100.00 in 3 →
    33.34, 33.33, 33.33). Due dates are ``every_months`` apart from ``first_due``, anchored on its
    day of the month and clamped to month end (Jan 31 → Feb 28 → Mar 31); ``None`` without a
    first due date.

    Args:
        balance: dollars owed, positive.
        count: number of installments, 1 to :data:`MAX_INSTALLMENTS`.
        first_due: due date of the first installment, or ``None``.
        every_months: months between installments (1 = monthly).

    Raises:
        PlanError: the balance is not positive, the count is out of range, or the balance has
            fewer cents than installments (some would be $0.00).
    """
    amounts = [from_cents(c) for c in equal_cents(balance, count)]
    return build_schedule(amounts, first_due, every_months)


def equal_cents(balance: Decimal, count: int) -> list[int]:
    """The split of :func:`equal_installments` in integer cents (same errors), for callers that
    check the amounts before they need them in dollars.

    Raises:
        PlanError: as :func:`equal_installments`.
    """
    amount = require_balance(balance)
    require_count(count)
    if amount * 100 < count:
        raise PlanError(
            f"the balance is too small to split into {count} installments of at least one cent; "
            "use fewer installments"
        )
    return allocate_cents(to_cents(amount), count)


def income_cap(monthly_income: Decimal, cap_rate: Decimal) -> Decimal:
    """The most a patient can be asked to pay per month: ``cap_rate`` × gross monthly household
    income, rounded **down** to the cent (4% of 2,345.67 = 93.8268 → 93.82, not 93.83).

    Args:
        monthly_income: gross monthly household income in dollars, zero or more.
        cap_rate: the share as a fraction (0.04 for 4%), more than 0 and at most 1.

    Raises:
        PlanError: negative income, or a rate outside (0, 1].
    """
    try:
        income = to_decimal(monthly_income)
        rate = to_decimal(cap_rate)
    except ValueError as exc:
        raise PlanError(f"income and cap rate must be numbers: {exc}") from None
    if income < 0:
        raise PlanError("monthly income is negative; enter gross monthly household income")
    if not 0 < rate <= 1:
        raise PlanError(
            f"the income cap rate must be a fraction above 0 and at most 1 (0.04 = 4%), not {rate}"
        )
    return floor_cents(income * rate)


@dataclass(frozen=True)
class IncomePlan:
    """An income-capped plan.

    Attributes:
        cap: the monthly installment, the income cap (floored to the cent).
        installments: the schedule; every payment is ``cap`` except a smaller final one.
        forgiven: dollars forgiven after the last payment (0.00 when paid off in full).
        forgiveness_payments: the forgiveness count applied, or ``None``.
    """

    cap: Decimal
    installments: tuple[Installment, ...]
    forgiven: Decimal
    forgiveness_payments: int | None

    @property
    def count(self) -> int:
        return len(self.installments)

    @property
    def final_payment(self) -> Decimal:
        return self.installments[-1].amount

    @property
    def total_paid(self) -> Decimal:
        return sum((i.amount for i in self.installments), ZERO)


def income_capped_plan(
    balance: Decimal,
    monthly_income: Decimal,
    cap_rate: Decimal,
    *,
    forgiveness_payments: int | None = None,
    first_due: dt.date | None = None,
    every_months: int = 1,
) -> IncomePlan:
    """A plan whose installment is the income cap (see :func:`income_cap`).

    Number of payments = ceil(balance / cap), the final one being what is left. If
    ``forgiveness_payments`` is set (Colorado: 36) and more payments than that would be needed,
    the plan stops after that many payments of the cap and the rest is forgiven. Worked checks:
    4,500.00 at 4% of 2,500.00 with 36 → 36 × 100.00, 900.00 forgiven; 1,230.00 at 2% of
    2,500.00 → 24 × 50.00 + 30.00, nothing forgiven.

    Args:
        balance: dollars owed, positive.
        monthly_income: gross monthly household income, dollars.
        cap_rate: share of income (0.04 for 4%).
        forgiveness_payments: payments after which the rest is forgiven; ``None`` or 0 = never.
        first_due: due date of the first payment, or ``None``.
        every_months: months between payments.

    Raises:
        PlanError: the balance is not positive; the income is negative or so low that the cap
            is $0.00 (no income-based plan is possible); without forgiveness, more than
            :data:`MAX_INSTALLMENTS` payments would be needed.
    """
    amount = require_balance(balance)
    cap = income_cap(monthly_income, cap_rate)
    if cap <= 0:
        raise PlanError(
            "the income cap rounds down to $0.00 a month (no income, or too little), so no "
            "income-based plan is possible; screen the patient for financial assistance"
        )
    if forgiveness_payments is not None and forgiveness_payments < 0:
        raise PlanError(f"the forgiveness count must be 0 or more, not {forgiveness_payments}")
    forgive_after = forgiveness_payments or None
    whole, rest = divmod(amount, cap)
    needed = int(whole) + (1 if rest else 0)
    if forgive_after is not None and needed > forgive_after:
        amounts = [cap] * forgive_after
        forgiven = amount - cap * forgive_after
    else:
        if needed > MAX_INSTALLMENTS:
            raise PlanError(
                f"at this income the plan would need {needed} payments, more than paxl schedules "
                f"({MAX_INSTALLMENTS}); set a forgiveness count in Policy forgiveness_payments "
                "or screen the patient for financial assistance"
            )
        amounts = [cap] * int(whole) + ([rest] if rest else [])
        forgiven = ZERO
    return IncomePlan(
        cap=cap,
        installments=build_schedule(amounts, first_due, every_months),
        forgiven=forgiven,
        forgiveness_payments=forgive_after,
    )
