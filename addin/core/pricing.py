"""Pricing service lines under a plan: the charge master (``Fees``), contract rates (``Allowed``).

Turns services (a code, a billed amount, units, a date) into
:class:`~addin.core.cost_share.CostLine` inputs for one plan:

* allowed = the plan's contract rate for the code × units; with no contract rate the billed amount
  is used and the line says so (``allowed_source``);
* copay = the plan copay for the code's ``Fees.CopayType``, charged **once per visit**: only the
  first line of a service date with that copay type carries it;
* deductible applies unless ``Fees.DeductibleApplies`` is FALSE (blank = applies);
* a code on the plan's NotCovered list is not covered: the patient owes the charge.

Money is ``Decimal`` dollars; units multiply exactly (no rounding).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from addin.core.benefits import PlanTerms, cell_money, cell_text
from addin.core.cost_share import CostLine
from addin.core.money import ZERO

__all__ = [
    "CONTRACT",
    "NOT_COVERED",
    "NO_CONTRACT",
    "Fee",
    "PricedLine",
    "Pricing",
    "Service",
    "price_services",
]

CONTRACT = "contract rate"
NO_CONTRACT = "no contract rate: the charge is used"
NOT_COVERED = "not covered by the plan"


@dataclass(frozen=True)
class Fee:
    """One row of ``Fees`` (the charge master); ``charge`` in Decimal dollars per unit."""

    code: str
    charge: Decimal
    description: str = ""
    copay_type: str | None = None
    deductible_applies: bool = True


@dataclass(frozen=True)
class Pricing:
    """Fees by code and contract rates by (PlanID, code); codes in upper case."""

    fees: Mapping[str, Fee]
    allowed: Mapping[tuple[str, str], Decimal]

    @classmethod
    def from_frames(cls, fees: pd.DataFrame, allowed: pd.DataFrame) -> Pricing:
        """From the typed ``Fees`` and ``Allowed`` frames (blank rows skipped)."""
        fee_map: dict[str, Fee] = {}
        for rec in fees.to_dict("records"):
            code = cell_text(rec.get("Code"))
            charge = cell_money(rec.get("Charge"))
            if code is None or charge is None:
                continue
            applies = rec.get("DeductibleApplies")
            fee_map[code.upper()] = Fee(
                code=code.upper(),
                charge=charge,
                description=cell_text(rec.get("Description")) or "",
                copay_type=cell_text(rec.get("CopayType")),
                deductible_applies=True if applies is None or pd.isna(applies) else bool(applies),
            )
        rates: dict[tuple[str, str], Decimal] = {}
        for rec in allowed.to_dict("records"):
            plan_id, code = cell_text(rec.get("PlanID")), cell_text(rec.get("Code"))
            amount = cell_money(rec.get("Allowed"))
            if plan_id is None or code is None or amount is None:
                continue
            rates[(plan_id, code.upper())] = amount
        return cls(fees=fee_map, allowed=rates)

    def fee(self, code: str) -> Fee | None:
        return self.fees.get(code.strip().upper())

    def contract_rate(self, plan_id: str, code: str) -> Decimal | None:
        """The plan's allowed amount for one unit of the code, or ``None`` without a contract."""
        return self.allowed.get((plan_id, code.strip().upper()))


@dataclass(frozen=True)
class Service:
    """One service line to price: code, billed amount (Decimal dollars, all units), units."""

    code: str
    billed: Decimal
    units: int = 1
    service_date: dt.date | None = None
    key: str | None = None


@dataclass(frozen=True)
class PricedLine:
    """A service with the cost-share input built for one plan and where its allowed came from."""

    service: Service
    line: CostLine
    allowed_source: str


def price_services(
    plan: PlanTerms, services: Sequence[Service], pricing: Pricing
) -> list[PricedLine]:
    """Build the cost-share lines for ``services`` under ``plan``, in the order given.

    The copay goes on the first line of each (service date, copay type) in service-date order
    (undated lines count as one visit).
    """
    order = sorted(
        range(len(services)),
        key=lambda i: (services[i].service_date is None, services[i].service_date or dt.date.min),
    )
    copay_charged: set[tuple[dt.date | None, str]] = set()
    priced: list[PricedLine | None] = [None] * len(services)
    for i in order:
        service = services[i]
        fee = pricing.fee(service.code)
        copay_type = (fee.copay_type if fee else None) or "None"
        covered = plan.covers(service.code)
        copay = plan.copay_for(copay_type) if covered else ZERO
        visit = (service.service_date, copay_type.lower())
        if copay and visit in copay_charged:
            copay = ZERO
        elif copay:
            copay_charged.add(visit)
        rate = pricing.contract_rate(plan.plan_id, service.code)
        if not covered:
            allowed, source = ZERO, NOT_COVERED
        elif rate is None:
            allowed, source = service.billed, NO_CONTRACT
        else:
            allowed, source = rate * max(1, service.units), CONTRACT
        line = CostLine(
            billed=service.billed,
            allowed=allowed,
            copay=copay,
            coinsurance=plan.coinsurance,
            deductible_applies=fee.deductible_applies if fee else True,
            covered=covered,
            service_date=service.service_date,
            key=service.key,
        )
        priced[i] = PricedLine(service=service, line=line, allowed_source=source)
    return [p for p in priced if p is not None]
