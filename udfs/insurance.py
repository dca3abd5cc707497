"""Excel functions for insurance: how a line splits between plan and patient, and what a
secondary plan pays (thin wrappers over :mod:`addin.core.cost_share`, its column form
:mod:`addin.core.cost_share_column`, and :mod:`addin.core.cob`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

import numpy as np
import xlwings as xw

from addin.core.cob import cob_method, secondary_payment
from addin.core.cost_share import Accumulators, CostLine, split_lines
from addin.core.cost_share_column import split_column
from addin.core.money import ZERO, to_cents
from addin.workbook.frames import is_blank
from udfs.convert import (
    CATEGORY,
    RANGE_OPTIONS,
    Cells,
    ExcelArgumentError,
    broadcast,
    cells,
    excel_function,
    flag_arg,
    money_arg,
    number,
    rate_arg,
    reader,
    rows_or_errors,
    single,
)

__all__ = ["pa_cob", "pa_split"]

SPLIT_COLUMNS = ("contractual", "copay", "deductible", "coinsurance", "patient", "plan")
#: what a blank line's cells hold: an empty text, which Excel shows blank (PA_SPLIT's result
#: goes to Excel unconverted, ``@xw.ret("raw")``, so it is never ``None``)
BLANK = ""


def _share(value: object, row: int | None) -> Decimal:
    share = rate_arg(value, "coinsurance", row=row)
    if not 0 <= share <= 1:
        where = "coinsurance" if row is None else f"coinsurance, row {row}"
        raise ExcelArgumentError(
            f"{where} is {share}; enter the patient's share as a rate from 0 to 1 "
            "(0.2 or 20% for 20 percent)"
        )
    return share


def _amount(name: str) -> Callable[[object, int | None], Decimal]:
    return lambda value, row: money_arg(value, name, row=row, non_negative=True)


# --- the common case at column speed --------------------------------------------------------------
# Cells that are plain numbers in whole cents, plain TRUE/FALSE or blank are read in a few numpy
# operations (or, for one cell, a few Python ones) and split by the integer-cent column rule,
# which gives exactly what the per-cell path gives (tests/udfs/test_insurance.py). Any other
# cell (text, a Decimal from a Currency cell, a negative amount, fractions of a cent such as
# 0.30000000000000004, a date) sends the whole call down the per-cell path, so what it accepts
# and the messages it gives are unchanged. A one-line call always takes the per-cell path (see
# pa_split).

_NUMBERS = frozenset({float, int})  # type() is bool for TRUE/FALSE, so they are not numbers here
_NUMBERS_OR_BLANKS = _NUMBERS | {type(None), str}
_FLAGS_OR_BLANKS = frozenset({bool, type(None), str})
#: below 10^13 dollars a whole-cent number has at most 15 significant digits, so its cents are
#: exactly the amount money_arg reads (the float as Excel shows it, to 15 digits)
_TOO_LARGE = 1e13
#: a blank cell among cents
_BLANK = -1


def _has_text(values: tuple[object, ...]) -> bool:
    return any(isinstance(v, str) and v.strip() for v in values)


def _cell_cents(value: Any) -> int | None:
    """A plain cell's whole cents, ``_BLANK`` for a blank cell, ``None`` for any other cell."""
    kind = type(value)
    if kind is float or kind is int:
        # whole cents: c = round(100·v) and c / 100 == v exactly; negative, -0.0 and NaN fail
        if 0 <= value < _TOO_LARGE and (kind is int or math.copysign(1.0, value) > 0):
            cents = round(value * 100)
            if cents / 100 == value:
                return cents
        return None
    if value is None or (kind is str and not value.strip()):
        return _BLANK
    return None


def _column_cents(values: tuple[object, ...]) -> np.ndarray | None:
    """:func:`_cell_cents` of every cell of a column, in numpy; ``None`` if any cell is not
    a plain number or blank."""
    kinds = set(map(type, values))
    blanks = None
    if not kinds <= _NUMBERS:
        if not kinds <= _NUMBERS_OR_BLANKS:
            return None
        if str in kinds and _has_text(values):
            return None
        blanks = [v is None or type(v) is str for v in values]
        values = tuple(0 if blank else v for v, blank in zip(values, blanks, strict=True))
    try:
        dollars = np.array(values, dtype=np.float64)
    except OverflowError:  # an int beyond float
        return None
    cents = np.rint(dollars * 100)
    if not ((cents / 100 == dollars) & (dollars < _TOO_LARGE) & ~np.signbit(dollars)).all():
        return None
    whole = cents.astype(np.int64)
    if blanks is not None:
        whole[np.array(blanks)] = _BLANK
    return whole


def _plain_cents(found: Cells) -> int | np.ndarray | None:
    return _cell_cents(found.values[0]) if found.single else _column_cents(found.values)


def _plain_rates(found: Cells) -> Decimal | list[Decimal] | None:
    """The coinsurance rates as ``_share`` reads them, when every cell is a plain number 0–1."""
    if not set(map(type, found.values)) <= _NUMBERS:
        return None
    values = cast(tuple[float, ...], found.values)
    distinct = set(values)
    if 0 in distinct and any(v == 0 and math.copysign(1.0, v) < 0 for v in values):
        return None  # -0.0 reads as Decimal("-0"), whose shares are -0.0
    shares = {}
    for value in distinct:
        try:
            shares[value] = _share(value, None)
        except ExcelArgumentError:
            return None
    return shares[values[0]] if found.single else [shares[v] for v in values]


def _plain_flags(found: Cells) -> bool | np.ndarray | None:
    """TRUE/FALSE cells (blank = TRUE), when every cell is one or blank."""
    values = found.values
    kinds = set(map(type, values))
    if not kinds <= _FLAGS_OR_BLANKS:
        return None
    if kinds != {bool}:
        if str in kinds and _has_text(values):
            return None
        values = tuple(v if type(v) is bool else True for v in values)
    return bool(values[0]) if found.single else np.array(values, dtype=bool)


def _split_plain(
    count: int,
    lines: Cells,
    rates: Cells,
    copays: Cells,
    bills: Cells,
    applies: Cells,
    start: Accumulators,
) -> list[list[object]] | None:
    """PA_SPLIT's rows by the integer-cent column rule; ``None`` when a cell needs the
    per-cell path."""
    allowed = _plain_cents(lines)
    copay = _plain_cents(copays)
    billed = _plain_cents(bills)
    rate = _plain_rates(rates)
    flags = _plain_flags(applies)
    if allowed is None or copay is None or billed is None or rate is None or flags is None:
        return None
    keep = None
    if isinstance(allowed, int):
        if allowed == _BLANK:
            return None  # one blank allowed amount: the per-cell path says so
        allowed = np.full(count, allowed)
    else:
        blank_lines = allowed == _BLANK
        if blank_lines.any():
            keep = ~blank_lines  # blank allowed rows stay blank and move no accumulator
    if isinstance(billed, int):
        billed = None if billed == _BLANK else np.full(count, billed)
    else:
        billed = np.where(billed == _BLANK, allowed, billed)  # blank = the allowed amount
    if isinstance(copay, int):
        copay = np.full(count, copay) if copay > 0 else None
    else:
        copay = np.maximum(copay, 0)  # blank = no copay
    if keep is not None:
        allowed = allowed[keep]
        billed = None if billed is None else billed[keep]
        copay = None if copay is None else copay[keep]
        if isinstance(rate, list):
            rate = [r for r, kept in zip(rate, keep.tolist(), strict=True) if kept]
        if isinstance(flags, np.ndarray):
            flags = flags[keep]
    split = split_column(
        allowed,
        coinsurance=rate,
        billed=billed,
        copay=copay,
        deductible_applies=flags,
        deductible_left=to_cents(start.deductible_left),
        oop_left=None if start.oop_left is None else to_cents(start.oop_left),
    )
    pieces = (split.contractual, split.copay, split.deductible)
    pieces += (split.coinsurance, split.patient, split.plan)
    # cents / 100 is the float nearest the two-place amount, as float(Decimal) is
    rows = (np.array(pieces).T / 100).tolist()
    if keep is None:
        return rows
    out: list[list[object]] = [[BLANK] * len(SPLIT_COLUMNS) for _ in range(count)]
    for i, row in zip(np.flatnonzero(keep).tolist(), rows, strict=True):
        out[i] = row
    return out


@xw.func(category=CATEGORY)
@xw.arg(
    "allowed",
    **RANGE_OPTIONS,
    doc="The plan's allowed amount in dollars; a column of lines in service order works the "
    "whole column in one go.",
)
@xw.arg(
    "coinsurance",
    **RANGE_OPTIONS,
    doc="The patient's share after the deductible, as a rate: 0.2 or 20% for 20 percent "
    "(one value, or one per line).",
)
@xw.arg(
    "deductible_left",
    **RANGE_OPTIONS,
    doc="Deductible still to meet before the first line, in dollars (blank = 0); it carries "
    "down the lines.",
)
@xw.arg(
    "oop_left",
    **RANGE_OPTIONS,
    doc="Out-of-pocket still to reach before the first line, in dollars (blank = no maximum); "
    "it carries down the lines.",
)
@xw.arg("copay", **RANGE_OPTIONS, doc="Optional. Copay per line in dollars (blank = 0).")
@xw.arg(
    "billed",
    **RANGE_OPTIONS,
    doc="Optional. The charge per line in dollars (blank = the allowed amount); the "
    "difference is the contractual write-off.",
)
@xw.arg(
    "deductible_applies",
    **RANGE_OPTIONS,
    doc="Optional. FALSE for services the deductible does not apply to (blank = TRUE).",
)
# The rows are plain floats and BLANK already, what xlwings' default conversion would make of
# them; "raw" skips its per-value check, which cost more than the split over a whole column
# (0.17 of 0.18 s for 10,000 lines through xlwings Lite/Server's call).
@xw.ret("raw")
@excel_function
def pa_split(
    allowed,
    coinsurance,
    deductible_left,
    oop_left,
    copay=None,
    billed=None,
    deductible_applies=None,
):
    """Splits each line between write-off, patient and plan. One row per line: contractual,
    copay, deductible, coinsurance, patient, plan ($; coinsurance rounded half-up to the cent).
    Example: =PA_SPLIT(800,20%,500,3500,0,1200) gives 400 0 500 60 560 240."""
    lines = cells(allowed, "allowed")
    rates = cells(coinsurance, "coinsurance")
    copays = cells(copay, "copay")
    bills = cells(billed, "billed")
    applies = cells(deductible_applies, "deductible_applies")
    count = broadcast(
        allowed=lines,
        coinsurance=rates,
        copay=copays,
        billed=bills,
        deductible_applies=applies,
    )
    deductible = single(deductible_left, "deductible_left")
    oop = single(oop_left, "oop_left")
    start = Accumulators(
        deductible_left=ZERO
        if is_blank(deductible)
        else money_arg(deductible, "deductible_left", non_negative=True),
        oop_left=None if is_blank(oop) else money_arg(oop, "oop_left", non_negative=True),
    )
    # One line (a sheet with a PA_SPLIT on every row makes thousands of these) is cheaper
    # per cell (~0.08 ms) than through numpy's fixed cost (~0.13 ms); a column by the column rule.
    plain = _split_plain(count, lines, rates, copays, bills, applies, start) if count > 1 else None
    if plain is not None:
        return plain
    allowed_at = reader(lines, _amount("allowed"))
    rate_at = reader(rates, _share)
    copay_at = reader(copays, _amount("copay"), blank=ZERO)
    billed_at = reader(bills, _amount("billed"), blank=None)
    applies_at = reader(
        applies, lambda v, row: flag_arg(v, "deductible_applies", row=row), blank=True
    )
    positions = [i for i in range(count) if lines.single or not lines.blank(i)]
    work = []
    for i in positions:
        amount = allowed_at(i)
        charge = billed_at(i)
        work.append(
            CostLine(
                billed=amount if charge is None else charge,
                allowed=amount,
                copay=copay_at(i),
                coinsurance=rate_at(i),
                deductible_applies=applies_at(i),
            )
        )
    out: list[list[object]] = [[BLANK] * len(SPLIT_COLUMNS) for _ in range(count)]
    for i, split in zip(positions, split_lines(work, start), strict=True):
        # a LineSplit's amounts are two-place Decimals already: float() is exact to the cent
        out[i] = [
            float(split.contractual),
            float(split.copay),
            float(split.deductible),
            float(split.coinsurance),
            float(split.patient),
            float(split.plan),
        ]
    return out


@xw.func(category=CATEGORY)
@xw.arg(
    "allowable",
    **RANGE_OPTIONS,
    doc="What the patient owed before any plan paid (the primary's allowed amount), in dollars.",
)
@xw.arg("primary_paid", **RANGE_OPTIONS, doc="What the primary plan paid, in dollars.")
@xw.arg(
    "secondary_benefit",
    **RANGE_OPTIONS,
    doc="What the secondary plan would pay if it were the only plan, in dollars.",
)
@xw.arg(
    "method",
    **RANGE_OPTIONS,
    doc='Optional. The secondary plan\'s method: "standard" (blank) or "non_duplication".',
)
@excel_function
def pa_cob(allowable, primary_paid, secondary_benefit, method=None):
    """What a secondary plan pays after the primary. One row per line: secondary_paid,
    patient_remaining ($, exact). Each argument may be a column. Example:
    =PA_COB(800,480,720,"non_duplication") gives 240 80."""
    allowables = cells(allowable, "allowable")
    paid = cells(primary_paid, "primary_paid")
    benefits = cells(secondary_benefit, "secondary_benefit")
    methods = cells(method, "method")
    count = broadcast(
        allowable=allowables, primary_paid=paid, secondary_benefit=benefits, method=methods
    )

    def row(i: int) -> list[object]:
        text = methods.at(i)
        result = secondary_payment(
            allowable=money_arg(allowables.at(i), "allowable", row=allowables.row(i)),
            primary_paid=money_arg(paid.at(i), "primary_paid", row=paid.row(i)),
            secondary_benefit=money_arg(benefits.at(i), "secondary_benefit", row=benefits.row(i)),
            method=cob_method(None if text is None else str(text)),
        )
        return [number(result.secondary_paid), number(result.patient_remaining)]

    return rows_or_errors(count, row, width=2, single=count == 1)
