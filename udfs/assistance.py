"""Excel functions for financial-assistance screening against the HHS poverty guidelines (thin
wrappers over :mod:`addin.core.assistance`).

The guidelines are the Policy defaults (``PovertyGuidelines``: 2025 and 2026) unless the optional
``guidelines`` argument points at a table of Year, Base, PerExtraPerson — e.g. the Policy sheet's
``PovertyGuidelines[#All]`` after a new year's row was added.
"""

from __future__ import annotations

import functools
from decimal import Decimal

import xlwings as xw

from addin.core.assistance import (
    Guideline,
    Tier,
    guidelines_from_frame,
    poverty_guideline,
    screen,
)
from addin.workbook.book import default_policy_tables
from udfs.convert import (
    CATEGORY,
    RANGE_OPTIONS,
    Cells,
    ExcelArgumentError,
    broadcast,
    cells,
    excel_function,
    leading,
    money_arg,
    number,
    omitted,
    rate_arg,
    shaped,
    table,
    values_or_errors,
    whole_arg,
)

__all__ = ["pa_assistance", "pa_fpg", "pa_fpl_percent"]

_GUIDELINES_DOC = (
    "Optional. A table of Year, Base, PerExtraPerson (e.g. PovertyGuidelines[#All] on the "
    "Policy sheet); blank = the 2025 and 2026 guidelines built in."
)


@functools.cache
def _default_guidelines() -> dict[int, Guideline]:
    return guidelines_from_frame(default_policy_tables()["PovertyGuidelines"])


def _guidelines(value: object) -> dict[int, Guideline]:
    if omitted(value):
        return _default_guidelines()
    result: dict[int, Guideline] = {}
    for position, (year, base, extra) in table(value, "guidelines", 3):
        number_year = whole_arg(year, "guidelines Year", row=position, minimum=1)
        if number_year in result:
            raise ExcelArgumentError(
                f"guidelines lists the year {number_year} twice; keep one row per year"
            )
        base_amount = money_arg(base, "guidelines Base", row=position)
        extra_amount = money_arg(extra, "guidelines PerExtraPerson", row=position)
        if base_amount <= 0 or extra_amount < 0:
            raise ExcelArgumentError(
                f"guidelines, row {position}: Base must be above 0 and PerExtraPerson 0 or more"
            )
        result[number_year] = Guideline(number_year, base_amount, extra_amount)
    return result


def _tiers(value: object) -> tuple[Tier, ...]:
    tiers = []
    for position, (max_percent, discount) in table(value, "tiers", 2):
        top = rate_arg(max_percent, "tiers max %", row=position)
        cut = rate_arg(discount, "tiers discount", row=position)
        if top <= 0 or not 0 <= cut <= 1:
            raise ExcelArgumentError(
                f"tiers, row {position}: the max % of the guideline must be above 0 (2.00 or "
                "200% for 200%) and the discount from 0 to 1 (0.75 or 75%)"
            )
        tiers.append(Tier(top, cut))
    return tuple(tiers)


class _Household:
    """Income, household size and year, lined up row by row."""

    def __init__(self, income: object, size: object, year: object) -> None:
        self.income: Cells | None = None if income is None else cells(income, "annual_income")
        self.size = cells(size, "household_size")
        self.year = cells(year, "year")
        found = {"household_size": self.size, "year": self.year}
        if self.income is not None:
            found["annual_income"] = self.income
        self.count = broadcast(**found)
        self.shape = leading(*([self.income] if self.income else []), self.size, self.year)

    def blank(self, i: int) -> bool:
        return not self.shape.single and self.shape.blank(i)

    def annual(self, i: int) -> Decimal:
        assert self.income is not None
        return money_arg(self.income.at(i), "annual_income", row=self.income.row(i))

    def household(self, i: int) -> int:
        return whole_arg(self.size.at(i), "household_size", row=self.size.row(i), minimum=1)

    def guideline_year(self, i: int) -> int:
        return whole_arg(self.year.at(i), "year", row=self.year.row(i))

    def results(self, compute) -> object:
        def one(i: int) -> object:
            return None if self.blank(i) else compute(i)

        return shaped(values_or_errors(self.count, one, single=self.count == 1), self.shape)


@xw.func(category=CATEGORY)
@xw.arg(
    "household_size", **RANGE_OPTIONS, doc="People in the household, 1 or more (one or a column)."
)
@xw.arg("year", **RANGE_OPTIONS, doc="Which year's poverty guideline to use, e.g. 2026.")
@xw.arg("guidelines", **RANGE_OPTIONS, doc=_GUIDELINES_DOC)
@excel_function
def pa_fpg(household_size, year, guidelines=None):
    """The HHS poverty guideline for a household, in dollars a year (48 states and DC): base
    plus an amount per extra person. One value per household. Example: =PA_FPG(4,2025) gives
    32150."""
    rows = _Household(None, household_size, year)
    table_ = _guidelines(guidelines)
    return rows.results(
        lambda i: number(poverty_guideline(rows.household(i), rows.guideline_year(i), table_))
    )


@xw.func(category=CATEGORY)
@xw.arg("annual_income", **RANGE_OPTIONS, doc="Gross yearly household income, in dollars.")
@xw.arg("household_size", **RANGE_OPTIONS, doc="People in the household, 1 or more.")
@xw.arg("year", **RANGE_OPTIONS, doc="Which year's poverty guideline to use, e.g. 2026.")
@xw.arg("guidelines", **RANGE_OPTIONS, doc=_GUIDELINES_DOC)
@excel_function
def pa_fpl_percent(annual_income, household_size, year, guidelines=None):
    """Income as a percent of the poverty guideline, rounded half-up to 2 decimals (for
    display; tiers compare exact values). One value per household. Example:
    =PA_FPL_PERCENT(65000,4,2025) gives 202.18."""
    rows = _Household(annual_income, household_size, year)
    table_ = _guidelines(guidelines)

    def percent(i: int) -> float:
        result = screen(rows.annual(i), rows.household(i), rows.guideline_year(i), table_, ())
        return float(result.percent)

    return rows.results(percent)


@xw.func(category=CATEGORY)
@xw.arg("annual_income", **RANGE_OPTIONS, doc="Gross yearly household income, in dollars.")
@xw.arg("household_size", **RANGE_OPTIONS, doc="People in the household, 1 or more.")
@xw.arg("year", **RANGE_OPTIONS, doc="Which year's poverty guideline to use, e.g. 2026.")
@xw.arg(
    "tiers",
    **RANGE_OPTIONS,
    doc="Two columns: max % of the guideline, inclusive (2.00 = 200%), and the discount as a "
    "fraction (0.75 = 75%); e.g. AssistanceTiers[#All].",
)
@xw.arg("guidelines", **RANGE_OPTIONS, doc=_GUIDELINES_DOC)
@excel_function
def pa_assistance(annual_income, household_size, year, tiers, guidelines=None):
    """The assistance discount as a fraction (0.75 = 75% off): the first tier the income fits
    under, exactly (200.00% is in a 200% tier); 0 above the last tier. Example:
    =PA_ASSISTANCE(65000,4,2025,AssistanceTiers[#All]) gives 0.75."""
    rows = _Household(annual_income, household_size, year)
    table_ = _guidelines(guidelines)
    levels = _tiers(tiers)

    def discount(i: int) -> float:
        result = screen(rows.annual(i), rows.household(i), rows.guideline_year(i), table_, levels)
        return float(result.discount)

    return rows.results(discount)
