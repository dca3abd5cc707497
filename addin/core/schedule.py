"""Installments, due dates and the input checks shared by every kind of payment plan.

A plan is refused with :class:`PlanError` (a user-facing :class:`~addin.errors.PaxlError`) when its
balance is not positive or its count is out of range; the message says what to change and never
contains the balance itself.

Due dates step a whole number of months from the first due date. Each due date is anchored on the
**first due date's day of the month** and clamped to the end of shorter months, month by month: a
plan first due on January 31 is due February 28 (29 in a leap year), March 31, April 30, … — a short
month never drags later due dates earlier. (Stepping from the previous due date instead would give
January 31 → February 28 → March 28 and drift.)
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from addin.core.money import to_money
from addin.errors import PaxlError

__all__ = [
    "MAX_INSTALLMENTS",
    "Installment",
    "PlanError",
    "add_months",
    "build_schedule",
    "due_dates",
    "require_balance",
    "require_count",
]


@dataclass(frozen=True)
class Installment:
    """One scheduled payment of a plan.

    Attributes:
        n: position in the plan, 1 for the first installment.
        due_date: when it is due, or ``None`` when the plan has no first due date yet.
        amount: dollars, two places, positive.
    """

    n: int
    due_date: dt.date | None
    amount: Decimal


def add_months(anchor: dt.date, months: int) -> dt.date:
    """The date ``months`` calendar months after ``anchor``, on the anchor's day of the month,
    clamped to the last day of a shorter month (2026-01-31 + 1 → 2026-02-28).

    ``months`` may be negative or zero.
    """
    index = anchor.year * 12 + (anchor.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(anchor.day, last))


def due_dates(first_due: dt.date | None, count: int, every_months: int = 1) -> list[dt.date | None]:
    """Due dates of ``count`` installments, ``every_months`` apart, from ``first_due``.

    Installment *k* (1-based) is due ``(k - 1) × every_months`` months after the first due date,
    anchored on its day of the month (see the module docstring). Without a first due date every
    due date is ``None``.

    Raises:
        ValueError: ``count`` is below 1 or ``every_months`` is below 1.
    """
    if count < 1:
        raise ValueError(f"a plan needs at least 1 installment, not {count}")
    if every_months < 1:
        raise ValueError(f"installments must be at least 1 month apart, not {every_months}")
    if first_due is None:
        return [None] * count
    return [add_months(first_due, k * every_months) for k in range(count)]


#: The longest schedule paxl builds (50 years of monthly payments); longer is a data problem.
MAX_INSTALLMENTS = 600


class PlanError(PaxlError, ValueError):
    """A plan that cannot be built from the inputs given; the message says what to change."""


def require_balance(balance: Decimal) -> Decimal:
    """The balance as two-place money, refused unless positive.

    Raises:
        PlanError: the balance is zero (nothing to plan) or negative (a credit), or not money.
    """
    try:
        amount = to_money(balance)
    except ValueError as exc:
        raise PlanError(f"the plan balance is not an amount of money: {exc}") from None
    if amount < 0:
        raise PlanError(
            "the balance is a credit (negative): refund or apply it instead of planning payments"
        )
    if amount == 0:
        raise PlanError("the balance is zero: there is nothing to put on a payment plan")
    return amount


def require_count(count: int, what: str = "installments") -> int:
    """The count, refused unless a whole number from 1 to :data:`MAX_INSTALLMENTS`.

    Raises:
        PlanError: the count is not a whole number or out of range.
    """
    if isinstance(count, bool) or not isinstance(count, int):
        raise PlanError(f"the number of {what} must be a whole number, not {count!r}")
    if count < 1:
        raise PlanError(f"the number of {what} must be 1 or more, not {count}")
    if count > MAX_INSTALLMENTS:
        raise PlanError(
            f"{count} {what} is more than paxl schedules ({MAX_INSTALLMENTS}); use fewer"
        )
    return count


def build_schedule(
    amounts: list[Decimal], first_due: dt.date | None, every_months: int = 1
) -> tuple[Installment, ...]:
    """Number the amounts 1.. and give each its due date (see :func:`due_dates`).

    Raises:
        PlanError: no amounts, or ``every_months`` below 1.
    """
    try:
        dates = due_dates(first_due, len(amounts), every_months)
    except ValueError as exc:
        raise PlanError(str(exc)) from None
    return tuple(map(Installment, range(1, len(amounts) + 1), dates, amounts))
