"""Payment plans with interest: a level payment that amortizes the balance to exactly zero.

Only when the practice's Policy sets an APR above zero (``plan_apr``); otherwise plans are equal
installments (:mod:`addin.core.plans`). The rules, all in two-place ``Decimal`` dollars:

* periodic rate ``r = APR × every_months / 12`` (monthly plans: ``APR / 12``);
* level payment from the standard annuity formula ``P·r / (1 − (1 + r)^−n)``, rounded
  **half-up** to the cent;
* each period's interest is ``remaining × r`` rounded **half-up** to the cent, the rest of the
  payment reduces the principal;
* the **last** payment is the remaining principal plus its interest, absorbing every rounding,
  so the plan ends at exactly 0.00.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from addin.core.money import ZERO, round_half_up, to_decimal
from addin.core.schedule import (
    Installment,
    PlanError,
    build_schedule,
    require_balance,
    require_count,
)

__all__ = ["AmortizationRow", "InterestPlan", "amortize", "level_payment", "periodic_rate"]


@dataclass(frozen=True)
class AmortizationRow:
    """One period of an interest-bearing plan; all amounts dollars, two places.

    Attributes:
        n: period number, 1 for the first payment.
        due_date: when the payment is due, or ``None``.
        payment: the amount the patient pays (``interest + principal``).
        interest: interest charged this period (half-up).
        principal: the part of the payment that reduces the balance.
        remaining: principal still owed after this payment (0.00 after the last).
    """

    n: int
    due_date: dt.date | None
    payment: Decimal
    interest: Decimal
    principal: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class InterestPlan:
    """An amortized plan: its rows and totals (dollars)."""

    principal: Decimal
    apr: Decimal
    rows: tuple[AmortizationRow, ...]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def payment(self) -> Decimal:
        """The level payment (every payment but possibly the last)."""
        return self.rows[0].payment

    @property
    def final_payment(self) -> Decimal:
        return self.rows[-1].payment

    @property
    def total_interest(self) -> Decimal:
        return sum((r.interest for r in self.rows), ZERO)

    @property
    def total_paid(self) -> Decimal:
        return sum((r.payment for r in self.rows), ZERO)

    @property
    def installments(self) -> tuple[Installment, ...]:
        """The payments as plain installments (for bills and tracking)."""
        return tuple(Installment(r.n, r.due_date, r.payment) for r in self.rows)


def periodic_rate(apr: Decimal, every_months: int = 1) -> Decimal:
    """Interest rate per period: ``APR × every_months / 12`` (exact ``Decimal``).

    Raises:
        PlanError: the APR is not a number above 0 (use equal installments at 0%).
    """
    try:
        rate = to_decimal(apr)
    except ValueError as exc:
        raise PlanError(f"the APR must be a number such as 0.08 for 8%: {exc}") from None
    if rate <= 0:
        raise PlanError("interest-bearing plans need an APR above 0; at 0% use equal installments")
    if rate >= 1:
        raise PlanError(f"an APR of {rate} is 100% or more; enter it as a fraction (0.08 = 8%)")
    return rate * every_months / 12


def level_payment(principal: Decimal, apr: Decimal, count: int, every_months: int = 1) -> Decimal:
    """The level payment ``P·r / (1 − (1 + r)^−n)``, rounded half-up to the cent.

    Args:
        principal: dollars financed, positive.
        apr: yearly rate as a fraction (0.08 for 8%), above 0.
        count: number of payments.
        every_months: months between payments (``r = APR × every_months / 12``).

    Raises:
        PlanError: bad principal, APR or count.
    """
    amount = require_balance(principal)
    require_count(count, "payments")
    r = periodic_rate(apr, every_months)
    return round_half_up(amount * r / (1 - (1 + r) ** -count))


def amortize(
    principal: Decimal,
    apr: Decimal,
    count: int,
    *,
    first_due: dt.date | None = None,
    every_months: int = 1,
) -> InterestPlan:
    """Amortize ``principal`` over ``count`` level payments at ``apr`` (rules in the module doc).

    Due dates are ``every_months`` apart from ``first_due`` as in :mod:`addin.core.schedule`.

    Raises:
        PlanError: bad inputs, or a balance too small for that many payments (a payment would
            round to $0.00 or the balance would be paid off before the last payment).
    """
    amount = require_balance(principal)
    payment = level_payment(amount, apr, count, every_months)
    if payment <= 0:
        raise PlanError(
            f"the balance is too small for {count} payments with interest; use fewer payments"
        )
    r = periodic_rate(apr, every_months)
    installments = build_schedule([payment] * count, first_due, every_months)
    rows: list[AmortizationRow] = []
    remaining = amount
    for inst in installments:
        interest = round_half_up(remaining * r)
        pay = payment if inst.n < count else remaining + interest
        principal_part = pay - interest
        remaining -= principal_part
        if remaining < 0 or pay <= 0:
            raise PlanError(
                f"the balance is too small for {count} payments with interest (rounding to the "
                "cent would overpay it); use fewer payments"
            )
        rows.append(
            AmortizationRow(inst.n, inst.due_date, pay, interest, principal_part, remaining)
        )
    return InterestPlan(principal=amount, apr=to_decimal(apr), rows=tuple(rows))
