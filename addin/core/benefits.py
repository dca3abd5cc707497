"""Benefit plans and benefit-year accumulators.

A plan's terms come from the ``Plans`` sheet (:class:`PlanTerms`); what the patient has already
used comes from the ``Coverage`` sheet (:class:`BenefitUsage`: DeductibleMet and OOPUsed for the
BenefitYear). Benefit years are calendar years.

Convention for the Coverage amounts: DeductibleMet and OOPUsed are what the patient had used in
BenefitYear **before** the lines being split (as the payer reported them when eligibility was
checked). Lines in that year start from them; lines in any other year start from zero used. A
blank BenefitYear means the amounts belong to the year of the first line split. The accumulators
are then carried line by line in service-date order.

Money in the records is ``Decimal`` dollars (two places); the typed frames hold integer cents,
converted here with :func:`addin.core.money.from_cents`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from addin.core.cob import COBMethod, cob_method
from addin.core.cost_share import (
    Accumulators,
    CostLine,
    CostShareError,
    LineSplit,
    service_order,
    split_lines,
)
from addin.core.money import ZERO, from_cents
from addin.errors import PaxlError

__all__ = [
    "FRESH",
    "SELF_PAY",
    "BenefitUsage",
    "PlanTerms",
    "cell_date",
    "cell_money",
    "cell_text",
    "code_matches",
    "column_dates",
    "column_texts",
    "parse_code_list",
    "plans_from_frame",
    "split_by_benefit_year",
    "starting_accumulators",
]

SELF_PAY = "Self-pay"


# --- typed-frame cells → Python values ---------------------------------------------------------


def cell_money(value: object) -> Decimal | None:
    """A money cell of a typed frame (integer cents or blank) as Decimal dollars or ``None``."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return from_cents(int(value))


def cell_date(value: object) -> dt.date | None:
    """A date cell of a typed frame (Timestamp/NaT) as a ``date`` or ``None``."""
    if value is None or value is pd.NaT or pd.isna(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def cell_text(value: object) -> str | None:
    """A text cell (``None`` for blank)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def column_texts(series: pd.Series) -> list[str | None]:
    """A text column of a typed frame as a list (``None`` for blanks), in bulk.

    Typed frames hold stripped text already, so non-empty strings are taken as they are.
    """
    return [v if type(v) is str and v else cell_text(v) for v in series.tolist()]


def column_dates(series: pd.Series) -> list[dt.date | None]:
    """A date column of a typed frame as ``date`` objects (``None`` for blanks), in bulk."""
    if not len(series):
        return []
    if pd.api.types.is_datetime64_any_dtype(series):
        return [d if isinstance(d, dt.date) else None for d in series.dt.date.tolist()]
    return [cell_date(v) for v in series.tolist()]


# --- code lists ----------------------------------------------------------------------------------


def parse_code_list(text: str | None) -> tuple[str, ...]:
    """``"97110, J*, 0"`` → ``("97110", "J", "0")``: codes or prefixes, upper case, no ``*``."""
    if not text:
        return ()
    items = (part.strip().rstrip("*").strip().upper() for part in str(text).split(","))
    return tuple(item for item in items if item)


def code_matches(code: str, patterns: Sequence[str]) -> str | None:
    """The first entry of ``patterns`` that ``code`` equals or starts with, else ``None``.

    Every entry works as a prefix: ``"J"`` matches every J code, ``"99213"`` matches 99213.
    """
    upper = code.strip().upper()
    for pattern in patterns:
        if upper.startswith(pattern):
            return pattern
    return None


# --- plans ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanTerms:
    """One row of ``Plans``. Money in Decimal dollars; blanks are zero except ``oop_max``.

    Attributes:
        oop_max: yearly out-of-pocket maximum; ``None`` (blank) = no maximum.
        coinsurance: the patient's share after the deductible, rate 0–1.
        not_covered, prior_auth: codes or prefixes (see :func:`code_matches`).
        row: the Excel row on the Plans sheet (for messages), if known.
    """

    plan_id: str
    payer: str = ""
    plan_type: str = "Commercial"
    deductible: Decimal = ZERO
    oop_max: Decimal | None = None
    coinsurance: Decimal = ZERO
    copay_office: Decimal = ZERO
    copay_specialist: Decimal = ZERO
    copay_er: Decimal = ZERO
    cob_method: COBMethod = COBMethod.STANDARD
    not_covered: tuple[str, ...] = ()
    prior_auth: tuple[str, ...] = ()
    row: int | None = None

    @property
    def is_self_pay(self) -> bool:
        """A "plan" of type Self-pay is no insurance."""
        return self.plan_type == SELF_PAY

    def copay_for(self, copay_type: str | None) -> Decimal:
        """The copay for a Fees ``CopayType`` (Office/Specialist/ER; None or blank → 0)."""
        return {
            "office": self.copay_office,
            "specialist": self.copay_specialist,
            "er": self.copay_er,
        }.get((copay_type or "").strip().lower(), ZERO)

    def covers(self, code: str) -> bool:
        """``False`` when the code is on the plan's NotCovered list."""
        return code_matches(code, self.not_covered) is None

    def needs_prior_auth(self, code: str) -> bool:
        """``True`` when the code is on the plan's PriorAuth list."""
        return code_matches(code, self.prior_auth) is not None


def plans_from_frame(plans: pd.DataFrame) -> dict[str, PlanTerms]:
    """The typed ``Plans`` frame as :class:`PlanTerms` by PlanID.

    Raises:
        PaxlError: a coinsurance outside 0–100% or an unknown COB method; the message names the
            sheet, row and column.
    """
    result: dict[str, PlanTerms] = {}
    for rec in plans.to_dict("records"):
        plan_id = cell_text(rec.get("PlanID"))
        if plan_id is None:
            continue
        where = f"{rec.get('_sheet', 'Plans')} row {rec.get('_row', '?')}"
        rate = rec.get("Coinsurance")
        rate = ZERO if rate is None or pd.isna(rate) else Decimal(rate)
        if not 0 <= rate <= 1:
            raise PaxlError(
                f"{where}, Coinsurance: {rate} is not a share from 0% to 100%; "
                "enter the patient's share such as 20% or 0.2"
            )
        try:
            method = cob_method(cell_text(rec.get("COBMethod")))
        except CostShareError as exc:
            raise PaxlError(f"{where}, COBMethod: {exc}") from None
        result[plan_id] = PlanTerms(
            plan_id=plan_id,
            payer=cell_text(rec.get("Payer")) or "",
            plan_type=cell_text(rec.get("PlanType")) or "Commercial",
            deductible=cell_money(rec.get("Deductible")) or ZERO,
            oop_max=cell_money(rec.get("OOPMax")),
            coinsurance=rate,
            copay_office=cell_money(rec.get("CopayOffice")) or ZERO,
            copay_specialist=cell_money(rec.get("CopaySpecialist")) or ZERO,
            copay_er=cell_money(rec.get("CopayER")) or ZERO,
            cob_method=method,
            not_covered=parse_code_list(cell_text(rec.get("NotCovered"))),
            prior_auth=parse_code_list(cell_text(rec.get("PriorAuth"))),
            row=int(rec["_row"]) if rec.get("_row") is not None else None,
        )
    return result


# --- benefit year --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenefitUsage:
    """What the patient had used of a plan's limits in one benefit year (Decimal dollars ≥ 0).

    ``year`` ``None`` (blank BenefitYear) = the year of the first line split.
    """

    year: int | None = None
    deductible_met: Decimal = ZERO
    oop_used: Decimal = ZERO


FRESH = BenefitUsage()


def starting_accumulators(plan: PlanTerms, usage: BenefitUsage, year: int | None) -> Accumulators:
    """Deductible and out-of-pocket left at the start of ``year``'s lines.

    deductible left = Deductible − DeductibleMet, not below 0; out-of-pocket left = OOPMax −
    OOPUsed, not below 0 (``None`` when the plan has no maximum). When ``usage`` belongs to another
    year, nothing has been used: the full deductible and maximum are left.
    """
    same_year = usage.year is None or year is None or usage.year == year
    met = usage.deductible_met if same_year else ZERO
    used = usage.oop_used if same_year else ZERO
    oop_left = None if plan.oop_max is None else max(ZERO, plan.oop_max - used)
    return Accumulators(deductible_left=max(ZERO, plan.deductible - met), oop_left=oop_left)


def split_by_benefit_year(
    lines: Sequence[CostLine], plan: PlanTerms, usage: BenefitUsage = FRESH
) -> list[LineSplit]:
    """Split lines under ``plan``, carrying the accumulators within each calendar benefit year.

    Lines are worked in service-date order (stable; undated lines last, in the year being
    worked) and returned in **the order given**. The first line of each year starts from
    :func:`starting_accumulators` for that year; a blank usage year is taken as the first line's
    year. Each line's own ``copay``/``coinsurance`` are used as given (see :class:`CostLine`).
    """
    order = service_order(lines)
    if usage.year is None and order:
        first = lines[order[0]].service_date
        usage = BenefitUsage(first.year if first else None, usage.deductible_met, usage.oop_used)
    runs: list[tuple[int | None, list[int]]] = []  # (benefit year, indices in service order)
    for i in order:
        date = lines[i].service_date
        year = date.year if date else (runs[-1][0] if runs else None)
        if not runs or year != runs[-1][0]:
            runs.append((year, []))
        runs[-1][1].append(i)
    results: list[LineSplit | None] = [None] * len(lines)
    for year, indices in runs:
        start = starting_accumulators(plan, usage, year)
        for i, split in zip(indices, split_lines([lines[i] for i in indices], start), strict=True):
            results[i] = split
    return [r for r in results if r is not None]
