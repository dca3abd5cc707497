"""Cost share over a whole column of lines at once, in integer cents (numpy).

The rule is exactly :func:`addin.core.cost_share.split_lines` for the lines an Excel column gives
(``PA_SPLIT``): worked **in the order given**, every line covered, the copay not counting toward the
deductible. Per line, amounts in cents:

1. allowed is reduced to billed; contractual = billed − allowed;
2. copay = min(copay, allowed);
3. deductible = min(deductible left, allowed − copay) where it applies. Filling the deductible
   line by line is the same as ``min(deductible_left, running total of what could go to it)``,
   so the deductible taken by each line is the difference of that running minimum;
4. coinsurance = rate × (allowed − copay − deductible) rounded **half-up to the cent**, in exact
   integer arithmetic: a rate with k decimal places is n / 10^k, so the share in cents is
   ``(2·n·base + 10^k) // (2·10^k)``;
5. out-of-pocket cap: the patient total so far is capped at the out-of-pocket left, so line i
   costs ``min(total_i, cap) − min(total_i−1, cap)``; what the cap cuts comes off the coinsurance
   first, then the deductible, then the copay. (Once the cap is reached every later line costs the
   patient nothing, so it does not matter that the line-by-line rule stops carrying the
   deductible there.)
6. plan = allowed − patient.

Exactness: the arithmetic is int64 when every intermediate value provably fits, and Python
integers (numpy object arrays, same code) otherwise. :func:`split_lines` multiplies the rate in
``Decimal`` at the context's precision (28 digits); where that product could need more digits
(rates with very many places on enormous amounts), the column is worked by :func:`split_lines`
itself, so the results are the same for every input.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

import numpy as np

from addin.core.cost_share import (
    Accumulators,
    CostLine,
    CostShareError,
    coinsurance_rate,
    split_lines,
)
from addin.core.money import from_cents

__all__ = ["ColumnSplit", "split_column"]

_INT64_ROOM = 2**62  # below int64's limit with room for one addition
_ONE_RATE = (Decimal, int, float, str)
_ONE_FLAG = (bool, np.bool_)


@dataclass(frozen=True)
class ColumnSplit:
    """How each line of a column splits, as integer-cent arrays in the lines' order.

    ``contractual + patient + plan == billed`` for every line, and
    ``patient == copay + deductible + coinsurance``. Arrays are int64, or of Python ints when
    the amounts are too large for int64.
    """

    contractual: np.ndarray
    copay: np.ndarray
    deductible: np.ndarray
    coinsurance: np.ndarray
    patient: np.ndarray
    plan: np.ndarray

    def __len__(self) -> int:
        return len(self.plan)


def _cents_array(name: str, values: object, count: int | None) -> tuple[np.ndarray, int]:
    """Whole cents as an int64 array (of Python ints when beyond int64), and the largest."""
    array = values if type(values) is np.ndarray else None
    if array is None or array.dtype.kind not in "iu":
        items = list(cast(Iterable[object], values)) if array is None else array.ravel().tolist()
        if not all(type(v) is int or isinstance(v, np.integer) for v in items):
            raise CostShareError(f"{name}: give whole numbers of cents")
        try:
            array = np.array(items, dtype=np.int64)
        except OverflowError:
            array = np.array([int(v) for v in items], dtype=object)
    elif array.dtype != np.int64:
        wide = array.dtype.kind == "u" and len(array) and array.max() >= 2**63
        array = array.astype(object if wide else np.int64)
    if array.ndim != 1:
        array = array.ravel()
    if count is not None and len(array) != count:
        raise CostShareError(f"{name} has {len(array)} lines, allowed has {count}")
    if not len(array):
        return array, 0
    if np.minimum.reduce(array) < 0:
        line = int(np.argmax(array < 0)) + 1
        raise CostShareError(
            f"{name} of line {line} is {from_cents(int(array[line - 1]))}; "
            "enter amounts as positive numbers"
        )
    return array, int(np.maximum.reduce(array))


@functools.lru_cache(maxsize=256)
def _ratio(rate: Decimal) -> tuple[int, int]:
    """A rate (finite, 0–1: :func:`coinsurance_rate`) as ``(n, k)`` with rate == n / 10**k
    exactly, trailing zeros dropped."""
    _, digits, exponent = rate.as_tuple()
    numerator = int("".join(map(str, digits)))
    assert isinstance(exponent, int)
    while exponent < 0 and numerator and numerator % 10 == 0:
        numerator //= 10
        exponent += 1
    if exponent >= 0 or not numerator:
        return numerator * 10 ** max(exponent, 0), 0
    return numerator, -exponent


def split_column(
    allowed: Sequence[int] | np.ndarray,
    *,
    coinsurance: Decimal | Sequence[Decimal],
    billed: Sequence[int] | np.ndarray | None = None,
    copay: Sequence[int] | np.ndarray | None = None,
    deductible_applies: bool | Sequence[bool] | np.ndarray = True,
    deductible_left: int = 0,
    oop_left: int | None = None,
) -> ColumnSplit:
    """Split a column of lines between contractual adjustment, patient and plan.

    Args:
        allowed: the plan's allowed amount per line, integer cents ≥ 0; above billed it is
            reduced to billed.
        coinsurance: the patient's share after the deductible, a rate 0–1 (``Decimal``), one for
            every line or one per line; the share is rounded half-up to the cent.
        billed: the charge per line, cents ≥ 0 (``None`` = the allowed amount).
        copay: the copay per line, cents ≥ 0 (``None`` = none); capped at the allowed amount.
        deductible_applies: whether the deductible applies, one flag or one per line.
        deductible_left: deductible still to meet before the first line, cents ≥ 0.
        oop_left: out-of-pocket still to reach before the first line, cents ≥ 0;
            ``None`` = no maximum.

    Returns:
        The pieces of every line in cents, the same as :func:`~addin.core.cost_share.split_lines`
        gives for these lines in this order.

    Raises:
        CostShareError: a negative amount, an amount too large for money, a rate outside 0–1,
            or per-line arguments of different lengths.
    """
    allowed_c, largest = _cents_array("allowed", allowed, None)
    top_allowed = largest
    count = len(allowed_c)
    billed_c = copay_c = None
    if billed is not None:
        billed_c, top = _cents_array("billed", billed, count)
        largest = max(largest, top)
    if copay is not None:
        copay_c, top = _cents_array("copay", copay, count)
        largest = max(largest, top)
    for name, start in (("deductible left", deductible_left), ("out-of-pocket left", oop_left)):
        if start is not None and start < 0:
            raise CostShareError(f"{name} is {from_cents(start)}; enter a positive amount")
    applies: bool | np.ndarray
    if isinstance(deductible_applies, _ONE_FLAG):
        applies = bool(deductible_applies)
    else:
        applies = np.asarray(deductible_applies, dtype=bool).ravel()
        if len(applies) != count:
            raise CostShareError(
                f"deductible_applies has {len(applies)} lines, allowed has {count}"
            )
    if isinstance(coinsurance, _ONE_RATE):
        per_line, rates = False, [coinsurance_rate(coinsurance)]
    else:
        per_line, rates = True, [coinsurance_rate(r) for r in coinsurance]
    if per_line and len(rates) != count:
        raise CostShareError(f"coinsurance has {len(rates)} lines, allowed has {count}")
    ratios = {rate: _ratio(rate) for rate in (set(rates) if per_line else rates)}
    limit = 10 ** decimal.getcontext().prec
    if max(largest, deductible_left, oop_left or 0) >= limit:
        raise CostShareError(
            f"an amount has more than {decimal.getcontext().prec - 2} digits of dollars; "
            "it is too large to be an amount of money"
        )
    if not count:
        empty = np.zeros(0, np.int64)
        return ColumnSplit(empty, empty, empty, empty, empty, empty)
    if max(n for n, _ in ratios.values()) * top_allowed >= limit:
        # split_lines rounds rate × amount to the decimal context's precision: work it that way
        return _by_lines(
            allowed_c,
            allowed_c if billed_c is None else billed_c,
            np.zeros(count, np.int64) if copay_c is None else copay_c,
            rates if per_line else rates * count,
            applies,
            deductible_left,
            oop_left,
        )

    places = max(k for _, k in ratios.values())
    scale = 10**places
    numerators = {rate: n * 10 ** (places - k) for rate, (n, k) in ratios.items()}
    fits = scale * (2 * top_allowed + 1) < _INT64_ROOM and (count + 1) * largest < _INT64_ROOM
    numerator: np.ndarray | int
    if fits:
        numerator = (
            np.array([numerators[r] for r in rates], np.int64) if per_line else numerators[rates[0]]
        )
    else:  # Python integers throughout
        allowed_c = allowed_c.astype(object)
        billed_c = None if billed_c is None else billed_c.astype(object)
        copay_c = None if copay_c is None else copay_c.astype(object)
        numerator = np.array(
            [numerators[r] for r in (rates if per_line else rates * count)], object
        )
    # a running total never exceeds the sum of the allowed amounts: clamping the starts to it
    # changes no min(total, start) and keeps them within the arrays' integer type
    bound = count * top_allowed
    return _split(
        allowed_c,
        billed_c,
        copay_c,
        numerator,
        scale,
        applies,
        min(deductible_left, bound),
        None if oop_left is None else min(oop_left, bound),
    )


def _increments(running: np.ndarray) -> np.ndarray:
    """Each line's part of a running total (the inverse of ``cumsum``)."""
    parts = running.copy()
    parts[1:] -= running[:-1]
    return parts


def _split(
    allowed: np.ndarray,
    billed: np.ndarray | None,
    copay: np.ndarray | None,
    numerator: np.ndarray | int,
    scale: int,
    applies: bool | np.ndarray,
    deductible_left: int,
    oop_left: int | None,
) -> ColumnSplit:
    if billed is None:
        billed = allowed
    else:
        allowed = np.minimum(allowed, billed)
    if copay is None:
        copay_part = allowed * 0
        room = allowed
    else:
        copay_part = np.minimum(copay, allowed)
        room = allowed - copay_part
    if applies is False or not deductible_left:
        deductible = allowed * 0
        base = room
    else:
        to_deductible = room if applies is True else np.where(applies, room, 0)
        deductible = _increments(np.minimum(to_deductible.cumsum(), deductible_left))
        base = room - deductible
    coinsurance = (2 * numerator * base + scale) // (2 * scale)
    patient = copay_part + deductible + coinsurance
    if oop_left is not None:
        running = patient.cumsum()
        if running[-1] > oop_left:
            # what the patient still pays of each line under the cap; the cap cuts coinsurance
            # first, then deductible, then copay, so the copay is kept first, then the deductible
            patient = _increments(np.minimum(running, oop_left))
            copay_part = np.minimum(copay_part, patient)
            rest = patient - copay_part
            deductible = np.minimum(deductible, rest)
            coinsurance = rest - deductible
    return ColumnSplit(
        contractual=billed - allowed,
        copay=copay_part,
        deductible=deductible,
        coinsurance=coinsurance,
        patient=patient,
        plan=allowed - patient,
    )


def _by_lines(
    allowed: np.ndarray,
    billed: np.ndarray,
    copay: np.ndarray,
    rates: list[object],
    applies: bool | np.ndarray,
    deductible_left: int,
    oop_left: int | None,
) -> ColumnSplit:
    lines = [
        CostLine(
            billed=from_cents(int(billed[i])),
            allowed=from_cents(int(allowed[i])),
            copay=from_cents(int(copay[i])),
            coinsurance=rate,  # type: ignore[arg-type]
            deductible_applies=applies if isinstance(applies, bool) else bool(applies[i]),
        )
        for i, rate in enumerate(rates)
    ]
    start = Accumulators(
        from_cents(deductible_left), None if oop_left is None else from_cents(oop_left)
    )
    splits = split_lines(lines, start)

    def cents(name: str) -> np.ndarray:
        return np.array([int(getattr(s, name).scaleb(2)) for s in splits], dtype=object)

    return ColumnSplit(
        contractual=cents("contractual"),
        copay=cents("copay"),
        deductible=cents("deductible"),
        coinsurance=cents("coinsurance"),
        patient=cents("patient"),
        plan=cents("plan"),
    )
