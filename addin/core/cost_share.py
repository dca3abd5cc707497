"""Cost share: how one allowed amount splits between the plan and the patient, line by line.

The rule (DESIGN §5), per line, lines in service-date order with the accumulators carried:

1. contractual adjustment = billed − allowed (CARC **CO-45**), the provider's write-off;
2. copay = min(copay, allowed) (**PR-3**); not subject to the deductible, and it counts toward the
   deductible only when ``copay_applies_to_deductible`` says so;
3. deductible = min(deductible left, allowed − copay) (**PR-1**), when the deductible applies;
4. coinsurance = rate × (allowed − copay − deductible), rounded **half-up to the cent** (**PR-2**);
5. the patient total is capped at the out-of-pocket left: the excess is cut from coinsurance
   first, then the deductible, then the copay;
6. the plan pays allowed − patient share.

All amounts are ``Decimal`` dollars with two places, positive. A line for a service the plan does
not cover is the patient's in full (**PR-96**) and moves no accumulator.

Decisions:

* **allowed above billed** is reduced to billed ("lesser of billed charges or the contract rate",
  how payers adjudicate), so the contractual adjustment is never negative; the line records it in
  :attr:`LineSplit.allowed_reduced`.
* a blank out-of-pocket maximum is ``None``: no cap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from addin.core.money import ZERO, round_half_up, to_decimal, to_money
from addin.errors import PaxlError

__all__ = [
    "COINSURANCE",
    "CONTRACTUAL",
    "COPAY",
    "DEDUCTIBLE",
    "NON_COVERED",
    "Accumulators",
    "Carc",
    "CostLine",
    "CostShareError",
    "LineSplit",
    "service_order",
    "split_line",
    "split_lines",
]


class CostShareError(PaxlError, ValueError):
    """An input the split cannot work with (negative amount, rate outside 0–100%)."""


@dataclass(frozen=True)
class Carc:
    """A claim adjustment: group code (CO/PR), CARC reason code and amount (Decimal dollars)."""

    group: str
    reason: str
    amount: Decimal = ZERO

    @property
    def label(self) -> str:
        """``CO-45``-style label."""
        return f"{self.group}-{self.reason}"


CONTRACTUAL = Carc("CO", "45")  # charge exceeds the fee schedule / contracted rate
DEDUCTIBLE = Carc("PR", "1")
COINSURANCE = Carc("PR", "2")
COPAY = Carc("PR", "3")
NON_COVERED = Carc("PR", "96")  # non-covered charge, the patient's responsibility


@dataclass(frozen=True)
class Accumulators:
    """What is left of the benefit-year limits before (or after) a line.

    Attributes:
        deductible_left: deductible still to meet, dollars, ≥ 0.
        oop_left: out-of-pocket still to reach, dollars, ≥ 0; ``None`` = no maximum.
    """

    deductible_left: Decimal = ZERO
    oop_left: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "deductible_left", _amount("deductible left", self.deductible_left)
        )
        if self.oop_left is not None:
            object.__setattr__(self, "oop_left", _amount("out-of-pocket left", self.oop_left))


@dataclass(frozen=True)
class LineSplit:
    """One line's breakdown; ``contractual + patient + plan == billed`` exactly.

    Amounts are Decimal dollars, two places, ≥ 0. ``patient`` is what the patient owes for the line
    under this plan (copay + deductible + coinsurance + not covered), after the out-of-pocket cap;
    ``oop_cut`` is how much the cap took off. ``before``/``after`` are the accumulators.
    """

    billed: Decimal
    allowed: Decimal
    contractual: Decimal
    copay: Decimal
    deductible: Decimal
    coinsurance: Decimal
    not_covered: Decimal
    plan: Decimal
    oop_cut: Decimal
    before: Accumulators
    after: Accumulators
    allowed_reduced: bool = False
    key: str | None = None

    @property
    def patient(self) -> Decimal:
        """The patient's share of the line (dollars)."""
        return self.copay + self.deductible + self.coinsurance + self.not_covered

    @property
    def adjustments(self) -> tuple[Carc, ...]:
        """The non-zero pieces with their CARC group and reason, in rule order."""
        pieces = (
            (CONTRACTUAL, self.contractual),
            (COPAY, self.copay),
            (DEDUCTIBLE, self.deductible),
            (COINSURANCE, self.coinsurance),
            (NON_COVERED, self.not_covered),
        )
        return tuple(replace(code, amount=amount) for code, amount in pieces if amount)


@dataclass(frozen=True)
class CostLine:
    """One service line to split (input of :func:`split_lines`).

    Attributes:
        billed: the charge, dollars.
        allowed: the plan's allowed amount for the line, dollars.
        copay: the plan copay for the line, dollars (0 = none).
        coinsurance: the patient's share after the deductible, a rate 0–1 (0.2 = 20%).
        deductible_applies: whether the deductible applies to this service.
        copay_applies_to_deductible: whether the copay counts toward the deductible.
        covered: ``False`` when the plan does not cover the service (the patient owes it all).
        service_date: orders the lines; lines without a date keep their place after dated ones.
        key: the caller's ID for the line (e.g. the ChargeID), copied to the result.
    """

    billed: Decimal
    allowed: Decimal
    copay: Decimal = ZERO
    coinsurance: Decimal = ZERO
    deductible_applies: bool = True
    copay_applies_to_deductible: bool = False
    covered: bool = True
    service_date: dt.date | None = None
    key: str | None = None


def _amount(name: str, value: object) -> Decimal:
    if (
        type(value) is Decimal
        and value.is_finite()
        and value >= 0
        and value.as_tuple().exponent == -2  # already dollars and cents: the common case
    ):
        return value
    try:
        amount = to_money(value)
    except ValueError as exc:
        raise CostShareError(f"{name}: {exc}") from None
    if amount < 0:
        raise CostShareError(f"{name} is {amount}; enter amounts as positive numbers")
    return amount


def coinsurance_rate(value: object) -> Decimal:
    """A coinsurance rate (0.2, "20%", a Decimal) as a ``Decimal`` from 0 to 1.

    Raises:
        CostShareError: not a finite number, or outside 0–1; the message says what to enter.
    """
    if type(value) is Decimal and value.is_finite() and 0 <= value <= 1:
        return value
    try:
        rate = to_decimal(value)
    except ValueError as exc:
        raise CostShareError(f"coinsurance: {exc}") from None
    if not 0 <= rate <= 1:
        raise CostShareError(
            f"coinsurance is {rate}; enter the patient's share as a rate from 0 to 1 "
            "(0.2 or 20% for 20 percent)"
        )
    return rate


def split_line(
    billed: Decimal,
    allowed: Decimal,
    *,
    copay: Decimal = ZERO,
    deductible_left: Decimal = ZERO,
    oop_left: Decimal | None = None,
    coinsurance: Decimal = ZERO,
    deductible_applies: bool = True,
    copay_applies_to_deductible: bool = False,
    covered: bool = True,
    key: str | None = None,
) -> LineSplit:
    """Split one line between contractual adjustment, patient and plan.

    Args:
        billed: the charge, dollars ≥ 0.
        allowed: the plan's allowed amount, dollars ≥ 0; above ``billed`` it is reduced to billed.
        copay: the copay for the service, dollars ≥ 0; capped at the allowed amount.
        deductible_left: deductible still to meet, dollars ≥ 0.
        oop_left: out-of-pocket still to reach, dollars ≥ 0; ``None`` = no maximum.
        coinsurance: patient's share after the deductible, rate 0–1; rounded half-up to the cent.
        deductible_applies: ``False`` for services the deductible does not apply to.
        copay_applies_to_deductible: the copay also counts toward the deductible.
        covered: ``False`` makes the whole charge the patient's (PR-96), accumulators untouched.
        key: the caller's line ID, copied to the result.

    Returns:
        The breakdown with the accumulators before and after.

    Raises:
        CostShareError: a negative amount, fractions of a cent, or a rate outside 0–1.
    """
    billed = _amount("billed", billed)
    allowed = _amount("allowed", allowed)
    copay = _amount("copay", copay)
    rate = coinsurance_rate(coinsurance)
    before = Accumulators(deductible_left, oop_left)

    if not covered:
        return LineSplit(
            billed=billed,
            allowed=ZERO,
            contractual=ZERO,
            copay=ZERO,
            deductible=ZERO,
            coinsurance=ZERO,
            not_covered=billed,
            plan=ZERO,
            oop_cut=ZERO,
            before=before,
            after=before,
            key=key,
        )

    reduced = allowed > billed
    allowed = min(allowed, billed)
    copay_part = min(copay, allowed)
    deductible_pool = before.deductible_left
    if copay_applies_to_deductible:
        deductible_pool = max(ZERO, deductible_pool - copay_part)
    deductible_part = min(deductible_pool, allowed - copay_part) if deductible_applies else ZERO
    coinsurance_part = round_half_up(rate * (allowed - copay_part - deductible_part))

    cut = ZERO
    if before.oop_left is not None:
        excess = max(ZERO, copay_part + deductible_part + coinsurance_part - before.oop_left)
        cut = excess
        coinsurance_part, excess = _cut(coinsurance_part, excess)
        deductible_part, excess = _cut(deductible_part, excess)
        copay_part, excess = _cut(copay_part, excess)

    patient = copay_part + deductible_part + coinsurance_part
    used_for_deductible = deductible_part + (copay_part if copay_applies_to_deductible else ZERO)
    after = Accumulators(
        deductible_left=max(ZERO, before.deductible_left - used_for_deductible),
        oop_left=None if before.oop_left is None else before.oop_left - patient,
    )
    return LineSplit(
        billed=billed,
        allowed=allowed,
        contractual=billed - allowed,
        copay=copay_part,
        deductible=deductible_part,
        coinsurance=coinsurance_part,
        not_covered=ZERO,
        plan=allowed - patient,
        oop_cut=cut,
        before=before,
        after=after,
        allowed_reduced=reduced,
        key=key,
    )


def _cut(amount: Decimal, excess: Decimal) -> tuple[Decimal, Decimal]:
    taken = min(amount, excess)
    return amount - taken, excess - taken


def service_order(lines: Sequence[CostLine]) -> list[int]:
    """Indices of ``lines`` in service-date order, the order accumulators are carried in.

    A stable sort: lines on the same date keep the order given; lines without a date come after
    the dated ones.
    """
    return sorted(
        range(len(lines)),
        key=lambda i: (lines[i].service_date is None, lines[i].service_date or dt.date.min),
    )


def split_lines(lines: Sequence[CostLine], accumulators: Accumulators) -> list[LineSplit]:
    """Split lines in service-date order, carrying deductible and out-of-pocket left.

    The lines are worked in service-date order (a stable sort: lines on the same date keep the
    order given; lines without a date come after the dated ones), and the results are returned in
    **the order given**, so ``zip(lines, result)`` pairs them.
    """
    results: list[LineSplit | None] = [None] * len(lines)
    current = accumulators
    for i in service_order(lines):
        line = lines[i]
        split = split_line(
            line.billed,
            line.allowed,
            copay=line.copay,
            deductible_left=current.deductible_left,
            oop_left=current.oop_left,
            coinsurance=line.coinsurance,
            deductible_applies=line.deductible_applies,
            copay_applies_to_deductible=line.copay_applies_to_deductible,
            covered=line.covered,
            key=line.key,
        )
        results[i] = split
        current = split.after
    return [r for r in results if r is not None]
