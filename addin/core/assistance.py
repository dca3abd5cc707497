"""Financial-assistance screening against the HHS poverty guidelines.

* **Guideline** for a household of *n* and a year = ``Base + PerExtraPerson × (n − 1)``, from the
  Policy table ``PovertyGuidelines`` (2025: 15,650 + 5,500; 2026: 15,960 + 5,680). The year is
  always an input; a year missing from the table is an error that names the table to extend.
* **Percent of the guideline** = annual household income ÷ guideline. Tiers are matched on the
  exact values (``income ≤ MaxPercent × guideline``, no rounding), so exactly 200.00% is in the
  "≤ 200%" tier; the percent is rounded half-up to 2 decimals only for display.
* **Discount** from the Policy table ``AssistanceTiers``: the first tier (lowest ``MaxPercent``)
  the income fits under; above every tier there is no discount. ``MaxPercent`` and ``Discount``
  are fractions (2.00 = 200%, 0.75 = 75%).
* **Discounted balance** = balance − discount × balance, the discount rounded half-up to the cent.

Worked checks: household 4, income 65,000 → 2025: 202.18% → 75%; 2026: 196.97% → 100%.
Household 9, income 122,800, 2026 → exactly 200.00% → 100%.

Annual income from the Patients table is ``12 × MonthlyIncome`` (:func:`annual_income`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from addin.core.money import ZERO, from_cents, round_half_up, to_decimal, to_money
from addin.errors import PaxlError

__all__ = [
    "AssistanceError",
    "Guideline",
    "Screening",
    "Tier",
    "annual_income",
    "guidelines_from_frame",
    "poverty_guideline",
    "screen",
    "tiers_from_frame",
]

GUIDELINES_TABLE = "PovertyGuidelines"
TIERS_TABLE = "AssistanceTiers"
_PERCENT_PLACES = Decimal("0.01")


class AssistanceError(PaxlError, ValueError):
    """Screening cannot be done with the inputs or Policy tables given; says what to fix."""


@dataclass(frozen=True)
class Guideline:
    """One row of ``PovertyGuidelines``: dollars for a household of one, and per extra person."""

    year: int
    base: Decimal
    per_extra_person: Decimal

    def for_household(self, size: int) -> Decimal:
        """The guideline in dollars for a household of ``size`` (1 or more)."""
        return self.base + self.per_extra_person * (size - 1)


@dataclass(frozen=True)
class Tier:
    """One row of ``AssistanceTiers``: up to ``max_percent`` (a fraction, 2.00 = 200%)
    of the guideline, inclusive, the balance is discounted by ``discount`` (a fraction)."""

    max_percent: Decimal
    discount: Decimal


@dataclass(frozen=True)
class Screening:
    """The result of screening one household; dollars two places, fractions as ``Decimal``.

    Attributes:
        year: guideline year used.
        household_size: people in the household.
        annual_income: gross yearly household income, dollars.
        guideline: the poverty guideline for the household, dollars.
        ratio: income ÷ guideline, exact (compare with this, never with ``percent``).
        percent: ``ratio`` × 100 rounded half-up to 2 decimals, for display (202.18).
        tier: the tier matched, or ``None`` when the income is above every tier.
        discount: the discount fraction (1.00 = 100%, 0 when no tier matched).
        balance: the balance screened, dollars, or ``None``.
        discount_amount: dollars taken off the balance (half-up), or ``None``.
        discounted_balance: what remains to pay, or ``None``.
    """

    year: int
    household_size: int
    annual_income: Decimal
    guideline: Decimal
    ratio: Decimal
    percent: Decimal
    tier: Tier | None
    discount: Decimal
    balance: Decimal | None = None
    discount_amount: Decimal | None = None
    discounted_balance: Decimal | None = None


def annual_income(monthly_income: Decimal) -> Decimal:
    """Yearly income from a monthly one (Patients.MonthlyIncome): ``12 ×``, dollars."""
    return to_money(monthly_income) * 12


def _cell(frame: pd.DataFrame, i: int, column: str, table: str) -> object:
    value = frame[column].iloc[i]
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        row = frame["_row"].iloc[i] if "_row" in frame.columns else i + 2
        raise AssistanceError(
            f"Policy table {table}, row {row}, column {column} is blank; fill it in"
        )
    return value


def guidelines_from_frame(frame: pd.DataFrame) -> dict[int, Guideline]:
    """The ``PovertyGuidelines`` typed frame (``Base``/``PerExtraPerson`` in integer cents) as
    guidelines by year.

    Raises:
        AssistanceError: a blank cell or a year listed twice (names the Policy row and column).
    """
    result: dict[int, Guideline] = {}
    for i in range(len(frame)):
        year = int(_cell(frame, i, "Year", GUIDELINES_TABLE))
        base = from_cents(int(_cell(frame, i, "Base", GUIDELINES_TABLE)))
        extra = from_cents(int(_cell(frame, i, "PerExtraPerson", GUIDELINES_TABLE)))
        if year in result:
            raise AssistanceError(
                f"Policy table {GUIDELINES_TABLE} lists the year {year} twice; keep one row"
            )
        if base <= 0 or extra < 0:
            row = frame["_row"].iloc[i] if "_row" in frame.columns else i + 2
            raise AssistanceError(
                f"Policy table {GUIDELINES_TABLE}, row {row}: Base must be above 0 and "
                "PerExtraPerson 0 or more"
            )
        result[year] = Guideline(year, base, extra)
    return result


def tiers_from_frame(frame: pd.DataFrame) -> tuple[Tier, ...]:
    """The ``AssistanceTiers`` typed frame (fractions as ``Decimal``) as tiers, lowest first.

    Raises:
        AssistanceError: a blank cell, a MaxPercent not above 0, or a Discount outside 0–1.
    """
    tiers = []
    for i in range(len(frame)):
        max_percent = to_decimal(_cell(frame, i, "MaxPercent", TIERS_TABLE))
        discount = to_decimal(_cell(frame, i, "Discount", TIERS_TABLE))
        if max_percent <= 0 or not 0 <= discount <= 1:
            row = frame["_row"].iloc[i] if "_row" in frame.columns else i + 2
            raise AssistanceError(
                f"Policy table {TIERS_TABLE}, row {row}: MaxPercent must be above 0 (2.00 = 200%) "
                "and Discount from 0 to 1 (0.75 = 75%)"
            )
        tiers.append(Tier(max_percent, discount))
    return tuple(sorted(tiers, key=lambda t: t.max_percent))


def poverty_guideline(household_size: int, year: int, guidelines: dict[int, Guideline]) -> Decimal:
    """The poverty guideline in dollars for a household size and year.

    Raises:
        AssistanceError: the household size is below 1, or the year is not in the table (the
            message names the Policy table to extend).
    """
    if isinstance(household_size, bool) or not isinstance(household_size, int):
        raise AssistanceError(f"household size must be a whole number, not {household_size!r}")
    if household_size < 1:
        raise AssistanceError(f"household size must be 1 or more, not {household_size}")
    if year not in guidelines:
        known = ", ".join(str(y) for y in sorted(guidelines)) or "none"
        raise AssistanceError(
            f"no poverty guideline for {year} (years on file: {known}); add a row for {year} "
            f"to the Policy table {GUIDELINES_TABLE} (Year, Base, PerExtraPerson from HHS)"
        )
    return guidelines[year].for_household(household_size)


def screen(
    annual: Decimal,
    household_size: int,
    year: int,
    guidelines: dict[int, Guideline],
    tiers: tuple[Tier, ...],
    *,
    balance: Decimal | None = None,
) -> Screening:
    """Screen a household for financial assistance (rules in the module docstring).

    Args:
        annual: gross yearly household income in dollars, 0 or more.
        household_size: people in the household, 1 or more.
        year: which year's poverty guideline to use.
        guidelines: from :func:`guidelines_from_frame`.
        tiers: from :func:`tiers_from_frame` (any order).
        balance: dollars owed, to compute the discounted balance; ``None`` to skip.

    Raises:
        AssistanceError: negative income, bad household size, or a year not on file.
    """
    try:
        income = to_decimal(annual)
    except ValueError as exc:
        raise AssistanceError(f"income must be a number: {exc}") from None
    if income < 0:
        raise AssistanceError("income is negative; enter gross yearly household income")
    guideline = poverty_guideline(household_size, year, guidelines)
    ratio = income / guideline
    percent = (ratio * 100).quantize(_PERCENT_PLACES, rounding=ROUND_HALF_UP)
    tier = next(
        (
            t
            for t in sorted(tiers, key=lambda t: t.max_percent)
            if income <= t.max_percent * guideline
        ),
        None,
    )
    discount = tier.discount if tier else ZERO
    result = Screening(
        year=year,
        household_size=household_size,
        annual_income=income,
        guideline=guideline,
        ratio=ratio,
        percent=percent,
        tier=tier,
        discount=discount,
    )
    if balance is None:
        return result
    amount = to_money(balance)
    cut = round_half_up(amount * discount) if amount > 0 else ZERO
    return replace(result, balance=amount, discount_amount=cut, discounted_balance=amount - cut)
