"""Estimates: what a patient will owe for planned services, and the same services under every plan.

What the rep quotes before a visit. For each planned code the charge comes from ``Fees``, the
allowed amount from ``Allowed`` (the plan's contract rate; without one the charge is used and the
line says so), the copay from the plan by ``Fees.CopayType`` (once per visit), and the deductible
applies unless ``Fees.DeductibleApplies`` is FALSE. The primary plan's split uses the patient's
accumulators from ``Coverage`` for the benefit year of the service date (see
:mod:`addin.core.benefits`); a secondary plan then pays by its COB method (:mod:`addin.core.cob`),
its normal benefit being its own split as if it were the only plan.

A patient with no insurance in force is self-pay: every line is the full charge, and the total is
the **good-faith estimate** (No Surprises Act). A later bill exceeding it by $400.00 or more
entitles the patient to dispute it: :func:`exceeds_good_faith_estimate`.

Money is ``Decimal`` dollars, two places; the only rounding is the coinsurance's (half-up).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

import pandas as pd

from addin.core.benefits import (
    FRESH,
    BenefitUsage,
    PlanTerms,
    cell_text,
    plans_from_frame,
    split_by_benefit_year,
)
from addin.core.cob import secondary_payment
from addin.core.cost_share import Accumulators, LineSplit
from addin.core.coverage import DEFAULT_STALE_DAYS, active_coverage, coverage_by_patient
from addin.core.money import ZERO, to_money
from addin.core.pricing import Pricing, Service, price_services
from addin.errors import PaxlError

__all__ = [
    "GOOD_FAITH_THRESHOLD",
    "SELF_PAY_SOURCE",
    "Estimate",
    "EstimateLine",
    "PlanOption",
    "compare_plans",
    "compare_plans_for_patient",
    "estimate_for_patient",
    "estimate_services",
    "exceeds_good_faith_estimate",
    "good_faith_excess",
]

GOOD_FAITH_THRESHOLD = Decimal("400.00")
SELF_PAY_SOURCE = "self-pay: the charge"


@dataclass(frozen=True)
class EstimateLine:
    """One planned service (Decimal dollars).

    ``contractual + copay + deductible + coinsurance + not_covered + plan == billed``;
    ``patient`` = copay + deductible + coinsurance + not_covered − ``secondary``.
    """

    code: str
    description: str
    billed: Decimal
    allowed: Decimal
    allowed_source: str
    contractual: Decimal = ZERO
    copay: Decimal = ZERO
    deductible: Decimal = ZERO
    coinsurance: Decimal = ZERO
    not_covered: Decimal = ZERO
    plan: Decimal = ZERO
    secondary: Decimal = ZERO
    patient: Decimal = ZERO


@dataclass(frozen=True)
class Estimate:
    """A patient's estimate for planned services on one date.

    ``plan_id``/``secondary_plan_id`` are ``None`` when absent (no ``plan_id`` = self-pay);
    ``before``/``after`` are the primary plan's accumulators around the planned lines.
    """

    service_date: dt.date
    lines: tuple[EstimateLine, ...]
    patient_id: str | None = None
    plan_id: str | None = None
    secondary_plan_id: str | None = None
    before: Accumulators | None = None
    after: Accumulators | None = None
    notes: tuple[str, ...] = ()

    @property
    def self_pay(self) -> bool:
        return self.plan_id is None

    def total(self, field: str) -> Decimal:
        """Sum of one line field (``"patient"``, ``"plan"``, ``"billed"``, ...)."""
        return sum((getattr(line, field) for line in self.lines), ZERO)

    @property
    def patient_total(self) -> Decimal:
        return self.total("patient")

    @property
    def good_faith_total(self) -> Decimal | None:
        """The good-faith estimate for a self-pay patient (``None`` when insured)."""
        return self.patient_total if self.self_pay else None


@dataclass(frozen=True)
class PlanOption:
    """The planned services under one plan, alone (no secondary), for the comparison."""

    plan_id: str
    payer: str
    plan_type: str
    lines: tuple[EstimateLine, ...]
    before: Accumulators

    @property
    def patient_total(self) -> Decimal:
        return sum((line.patient for line in self.lines), ZERO)

    @property
    def plan_total(self) -> Decimal:
        return sum((line.plan for line in self.lines), ZERO)


def _services(codes: Sequence[str], pricing: Pricing, day: dt.date) -> list[Service]:
    if not codes:
        raise PaxlError("no service codes given; list the planned codes, e.g. 99213,80053")
    services = []
    for code in codes:
        fee = pricing.fee(code)
        if fee is None:
            raise PaxlError(
                f"code {code.strip()} is not on the Fees sheet; add it with its charge first"
            )
        services.append(Service(code=fee.code, billed=fee.charge, service_date=day))
    return services


def _line(service: Service, pricing: Pricing, source: str, split: LineSplit) -> EstimateLine:
    fee = pricing.fee(service.code)
    return EstimateLine(
        code=service.code,
        description=fee.description if fee else "",
        billed=split.billed,
        allowed=split.allowed,
        allowed_source=source,
        contractual=split.contractual,
        copay=split.copay,
        deductible=split.deductible,
        coinsurance=split.coinsurance,
        not_covered=split.not_covered,
        plan=split.plan,
        patient=split.patient,
    )


def _split(
    plan: PlanTerms, usage: BenefitUsage, services: Sequence[Service], pricing: Pricing
) -> tuple[list[EstimateLine], list[LineSplit]]:
    priced = price_services(plan, services, pricing)
    splits = split_by_benefit_year([p.line for p in priced], plan, usage)
    lines = [
        _line(p.service, pricing, p.allowed_source, s) for p, s in zip(priced, splits, strict=True)
    ]
    return lines, splits


def estimate_services(
    codes: Sequence[str],
    *,
    service_date: dt.date,
    pricing: Pricing,
    primary: tuple[PlanTerms, BenefitUsage] | None = None,
    secondary: tuple[PlanTerms, BenefitUsage] | None = None,
    patient_id: str | None = None,
    notes: Sequence[str] = (),
) -> Estimate:
    """Estimate planned services under a primary and optional secondary plan (or self-pay).

    Args:
        codes: the planned service codes, one line each (repeat a code for two services).
        service_date: the planned date (picks the benefit year; one visit for copays).
        pricing: fees and contract rates.
        primary: the primary plan with the patient's usage; ``None`` = self-pay.
        secondary: the secondary plan with its usage, if any.

    Raises:
        PaxlError: no codes, or a code not on the Fees sheet.
    """
    services = _services(codes, pricing, service_date)
    if primary is None:
        lines = tuple(
            EstimateLine(
                code=s.code,
                description=pricing.fee(s.code).description,  # type: ignore[union-attr]
                billed=s.billed,
                allowed=s.billed,
                allowed_source=SELF_PAY_SOURCE,
                patient=s.billed,
            )
            for s in services
        )
        return Estimate(service_date, lines, patient_id, notes=(*notes, "self_pay"))
    plan, usage = primary
    lines, splits = _split(plan, usage, services, pricing)
    if secondary is not None:
        second_plan, second_usage = secondary
        second_lines, _ = _split(second_plan, second_usage, services, pricing)
        for i, (line, benefit) in enumerate(zip(lines, second_lines, strict=True)):
            cob = secondary_payment(
                allowable=line.allowed + line.not_covered,
                primary_paid=line.plan,
                secondary_benefit=benefit.plan,
                method=second_plan.cob_method,
            )
            lines[i] = _with_secondary(line, cob.secondary_paid)
    return Estimate(
        service_date=service_date,
        lines=tuple(lines),
        patient_id=patient_id,
        plan_id=plan.plan_id,
        secondary_plan_id=secondary[0].plan_id if secondary else None,
        before=splits[0].before if splits else None,
        after=splits[-1].after if splits else None,
        notes=tuple(notes),
    )


def _with_secondary(line: EstimateLine, paid: Decimal) -> EstimateLine:
    return replace(line, secondary=paid, patient=line.patient - paid)


def estimate_for_patient(
    tables: Mapping[str, pd.DataFrame],
    patient_id: str,
    codes: Sequence[str],
    service_date: dt.date,
) -> Estimate:
    """Estimate planned services for a patient under the coverage in force on ``service_date``.

    ``tables`` are the typed frames of a workbook (``Book.tables``): Patients, Plans, Coverage,
    Fees, Allowed. Notes on the estimate: ``self_pay``, ``secondary_only``, ``duplicate_primary``,
    ``not_verified:<PlanID>`` (coverage not verified within 30 days before the date).

    Raises:
        PaxlError: unknown PatientID, no codes, or a code not on the Fees sheet.
    """
    patients = {cell_text(p) for p in tables["Patients"]["PatientID"]}
    if patient_id not in patients:
        raise PaxlError(f"PatientID {patient_id} is not on the Patients sheet; check the ID")
    plans = plans_from_frame(tables["Plans"])
    pricing = Pricing.from_frames(tables["Fees"], tables["Allowed"])
    records = coverage_by_patient(tables["Coverage"]).get(patient_id, [])
    active = active_coverage(records, plans, service_date)
    notes = list(active.notes)
    chosen: list[tuple[PlanTerms, BenefitUsage] | None] = []
    for record in (active.primary, active.secondary):
        if record is None or record.plan_id not in plans:
            chosen.append(None)
            continue
        chosen.append((plans[record.plan_id], record.usage))
        verified = record.verified_on
        if verified is None or (service_date - verified).days > DEFAULT_STALE_DAYS:
            notes.append(f"not_verified:{record.plan_id}")
    return estimate_services(
        codes,
        service_date=service_date,
        pricing=pricing,
        primary=chosen[0],
        secondary=chosen[1],
        patient_id=patient_id,
        notes=notes,
    )


def compare_plans(
    codes: Sequence[str],
    *,
    service_date: dt.date,
    pricing: Pricing,
    plans: Mapping[str, PlanTerms],
    usage: Mapping[str, BenefitUsage] | None = None,
) -> list[PlanOption]:
    """The same planned services under each plan alone, cheapest for the patient first.

    Self-pay plans are left out. ``usage`` gives the patient's usage per PlanID; plans not in it
    (or all, when ``None``) start the benefit year fresh. Ties sort by PlanID.

    Raises:
        PaxlError: no codes, or a code not on the Fees sheet.
    """
    services = _services(codes, pricing, service_date)
    usage = usage or {}
    options = []
    for plan in plans.values():
        if plan.is_self_pay:
            continue
        lines, splits = _split(plan, usage.get(plan.plan_id, FRESH), services, pricing)
        options.append(
            PlanOption(plan.plan_id, plan.payer, plan.plan_type, tuple(lines), splits[0].before)
        )
    return sorted(options, key=lambda o: (o.patient_total, o.plan_id))


def compare_plans_for_patient(
    tables: Mapping[str, pd.DataFrame],
    patient_id: str | None,
    codes: Sequence[str],
    service_date: dt.date,
    *,
    own_usage: bool = False,
) -> list[PlanOption]:
    """:func:`compare_plans` over the workbook's Plans; with ``own_usage`` the plans the patient
    is covered by on ``service_date`` start from the patient's accumulators, the rest fresh."""
    plans = plans_from_frame(tables["Plans"])
    pricing = Pricing.from_frames(tables["Fees"], tables["Allowed"])
    usage: dict[str, BenefitUsage] = {}
    if own_usage and patient_id is not None:
        records = coverage_by_patient(tables["Coverage"]).get(patient_id, [])
        for record in records:
            if record.in_force_on(service_date):
                usage[record.plan_id] = record.usage
    return compare_plans(
        codes, service_date=service_date, pricing=pricing, plans=plans, usage=usage
    )


def good_faith_excess(billed_total: Decimal, estimate_total: Decimal) -> Decimal:
    """How much the bill exceeds the good-faith estimate (dollars, 0 when it does not)."""
    return max(ZERO, to_money(billed_total) - to_money(estimate_total))


def exceeds_good_faith_estimate(billed_total: Decimal, estimate_total: Decimal) -> bool:
    """``True`` when a self-pay bill exceeds its good-faith estimate by $400.00 or more.

    The No Surprises Act lets the patient dispute such a bill (45 CFR 149.620): exactly $400.00
    over is flagged, $399.99 is not.
    """
    return good_faith_excess(billed_total, estimate_total) >= GOOD_FAITH_THRESHOLD
