"""Exact money: one way in, named rounding, splits that sum to their whole.

Two representations, one rule for converting between them:

* ``Decimal`` amounts (two places) for per-line, per-patient logic and everything shown to a rep;
* integer **cents** for bulk, vectorised paths (a ledger over hundreds of thousands of rows).

Every amount enters through :func:`to_money` (Excel numbers arrive as floats: float → ``str`` →
``Decimal``, never float arithmetic) and is rounded only at a named business step, with a named
rounding mode: :func:`round_half_up` for computed shares, :func:`floor_cents` for statutory caps.
The global decimal context is never changed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

__all__ = [
    "CENT",
    "ZERO",
    "MoneyError",
    "allocate",
    "allocate_by_weights",
    "allocate_cents",
    "floor_cents",
    "from_cents",
    "round_half_up",
    "to_cents",
    "to_decimal",
    "to_money",
]


class MoneyError(ValueError):
    """A value that cannot be read as an amount of money; the message says why."""


def to_decimal(value: object) -> Decimal:
    """Read a number exactly, the one way amounts and rates enter the program.

    Accepts ``Decimal``, ``int``, ``float`` (through its shortest ``repr``, so ``0.1`` is
    ``Decimal("0.1")``, not its binary expansion) and text such as ``"1,234.50"``, ``"$12"``,
    ``"(45.00)"`` (parentheses mean negative, as accountants write it) or ``"20%"`` (→ 0.2).

    Raises:
        MoneyError: for blanks, booleans, NaN/infinity and text that is not a number.
    """
    if isinstance(value, bool):
        raise MoneyError(f"{value!r} is a TRUE/FALSE value, not a number")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise MoneyError(f"{value!r} is not a finite number")
        result = Decimal(repr(value))
    elif isinstance(value, str):
        result = _parse_text(value)
    else:
        raise MoneyError(f"{value!r} is not a number")
    if not result.is_finite():
        raise MoneyError(f"{value!r} is not a finite number")
    return result


def _parse_text(text: str) -> Decimal:
    cleaned = text.strip().replace(",", "").replace("$", "").replace(" ", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    percent = cleaned.endswith("%")
    if percent:
        cleaned = cleaned[:-1]
    if not cleaned:
        raise MoneyError(f"{text!r} is blank, not a number")
    try:
        result = Decimal(cleaned)
    except InvalidOperation:
        raise MoneyError(f"{text!r} is not a number") from None
    if percent:
        result = result / 100
    return -result if negative else result


def to_money(value: object) -> Decimal:
    """An amount of money in dollars with exactly two places.

    The value must already be a whole number of cents (``12.5`` and ``"12.50"`` are fine,
    ``12.345`` is not): input amounts are never silently rounded.

    Raises:
        MoneyError: when the value is not a number or has fractions of a cent.
    """
    amount = to_decimal(value)
    try:
        quantized = amount.quantize(CENT)
    except InvalidOperation:
        raise MoneyError(f"{value!r} is too large to be an amount of money") from None
    if quantized != amount:
        raise MoneyError(f"{value!r} has fractions of a cent; enter dollars and cents")
    return quantized


def to_cents(value: object) -> int:
    """Money as integer cents (``12.34`` → ``1234``); same rules as :func:`to_money`."""
    return int(to_money(value) * 100)


def from_cents(cents: int) -> Decimal:
    """Integer cents back to a two-place ``Decimal`` (``1234`` → ``Decimal("12.34")``)."""
    return (Decimal(int(cents)) / 100).quantize(CENT)


def round_half_up(amount: Decimal) -> Decimal:
    """Round to the cent, halves away from zero (0.005 → 0.01): the rule for computed shares."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def floor_cents(amount: Decimal) -> Decimal:
    """Round down to the cent (93.8268 → 93.82): the rule for statutory caps on income."""
    return amount.quantize(CENT, rounding=ROUND_FLOOR)


def allocate_cents(total_cents: int, parts: int) -> list[int]:
    """Split integer cents into ``parts`` nearly equal parts that sum exactly to the total.

    Extra cents go to the earliest parts: 100000 in 3 → [33334, 33333, 33333]. A negative total
    splits the same way with every part negative.

    Raises:
        ValueError: if ``parts`` is less than 1.
    """
    if parts < 1:
        raise ValueError(f"cannot split into {parts} parts; use 1 or more")
    sign = -1 if total_cents < 0 else 1
    base, extra = divmod(abs(int(total_cents)), parts)
    return [sign * (base + (1 if i < extra else 0)) for i in range(parts)]


def allocate(total: Decimal, parts: int) -> list[Decimal]:
    """Split an amount into ``parts`` nearly equal amounts summing exactly to it.

    Extra cents go to the earliest parts: $1,000.00 in 3 → 333.34, 333.33, 333.33;
    $0.05 in 3 → 0.02, 0.02, 0.01.
    """
    return [from_cents(c) for c in allocate_cents(to_cents(total), parts)]


def allocate_by_weights(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split an amount in proportion to ``weights``, exactly: floor each share, then give the
    remaining cents one by one to the earliest parts (largest-remainder ties by position).

    Raises:
        ValueError: if there are no weights, a weight is negative, or they sum to zero.
    """
    if not weights:
        raise ValueError("cannot split over no parts")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        raise ValueError("weights sum to zero")
    total_cents = to_cents(total)
    sign = -1 if total_cents < 0 else 1
    magnitude = abs(total_cents)
    shares = [Decimal(magnitude) * w / weight_sum for w in weights]
    floors = [int(s.to_integral_value(rounding=ROUND_FLOOR)) for s in shares]
    leftover = magnitude - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[:leftover]:
        floors[i] += 1
    return [from_cents(sign * c) for c in floors]
