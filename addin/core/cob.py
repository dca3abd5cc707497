"""Coordination of benefits: what a secondary plan pays after the primary.

Two methods (``Plans.COBMethod``, the method of the *secondary* plan):

* **standard** (NAIC model): the secondary pays the lesser of its normal benefit (what it would
  pay as the only plan) and what the primary left unpaid of the allowable expense;
* **non-duplication**: the secondary pays its normal benefit minus what the primary paid, not
  below zero (and never more than is left unpaid).

Amounts are ``Decimal`` dollars, two places, positive. No rounding happens here: every result is
a difference or a minimum of exact amounts.

Example: allowable 800, primary paid 480, secondary normal benefit 720 → standard pays 320,
non-duplication pays 240.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from addin.core.cost_share import CostShareError
from addin.core.money import ZERO, to_money

__all__ = ["COBMethod", "SecondaryPayment", "cob_method", "secondary_payment"]


class COBMethod(StrEnum):
    STANDARD = "standard"
    NON_DUPLICATION = "non_duplication"


def cob_method(value: str | None) -> COBMethod:
    """The method named in ``Plans.COBMethod`` (blank = standard).

    Raises:
        CostShareError: for any other text; the message lists the choices.
    """
    if value is None or not str(value).strip():
        return COBMethod.STANDARD
    text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return COBMethod(text)
    except ValueError:
        raise CostShareError(
            f"COB method {value!r} is unknown; use standard or non_duplication"
        ) from None


@dataclass(frozen=True)
class SecondaryPayment:
    """The secondary plan's payment on one line (Decimal dollars).

    ``unpaid`` is what the primary left unpaid of the allowable (allowable − primary paid);
    ``secondary_paid`` ≤ ``unpaid`` always; ``patient_remaining`` = unpaid − secondary paid.
    """

    method: COBMethod
    allowable: Decimal
    primary_paid: Decimal
    normal_benefit: Decimal
    unpaid: Decimal
    secondary_paid: Decimal
    patient_remaining: Decimal


def _amount(name: str, value: object) -> Decimal:
    try:
        amount = to_money(value)
    except ValueError as exc:
        raise CostShareError(f"{name}: {exc}") from None
    if amount < 0:
        raise CostShareError(f"{name} is {amount}; enter amounts as positive numbers")
    return amount


def secondary_payment(
    *,
    allowable: Decimal,
    primary_paid: Decimal,
    secondary_benefit: Decimal,
    method: COBMethod | str = COBMethod.STANDARD,
) -> SecondaryPayment:
    """What the secondary pays and what is left for the patient.

    Args:
        allowable: the amount the patient owes before any plan pays (the primary's allowed amount,
            or the whole charge for a service the primary does not cover), dollars.
        primary_paid: what the primary paid (or is expected to pay), dollars.
        secondary_benefit: the secondary's normal benefit, as if it were the only plan, dollars.
        method: the secondary plan's COB method.

    Raises:
        CostShareError: negative amounts, or the primary paying more than the allowable.
    """
    allowable = _amount("allowable", allowable)
    primary_paid = _amount("primary paid", primary_paid)
    benefit = _amount("secondary benefit", secondary_benefit)
    method = cob_method(method) if not isinstance(method, COBMethod) else method
    if primary_paid > allowable:
        raise CostShareError(
            f"the primary paid {primary_paid}, more than the allowable {allowable}; "
            "nothing is left for a secondary plan"
        )
    unpaid = allowable - primary_paid
    if method is COBMethod.STANDARD:
        paid = min(benefit, unpaid)
    else:
        paid = min(unpaid, max(ZERO, benefit - primary_paid))
    return SecondaryPayment(
        method=method,
        allowable=allowable,
        primary_paid=primary_paid,
        normal_benefit=benefit,
        unpaid=unpaid,
        secondary_paid=paid,
        patient_remaining=unpaid - paid,
    )
