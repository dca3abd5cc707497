"""Excel functions for insurance: how a line splits between plan and patient, and what a
secondary plan pays (thin wrappers over :mod:`addin.core.cost_share` and :mod:`addin.core.cob`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import xlwings as xw

from addin.core.cob import cob_method, secondary_payment
from addin.core.cost_share import Accumulators, CostLine, split_lines
from addin.core.money import ZERO
from addin.workbook.frames import is_blank
from udfs.convert import (
    CATEGORY,
    RANGE_OPTIONS,
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
    out: list[list[object]] = [[None] * len(SPLIT_COLUMNS) for _ in range(count)]
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
