"""Expected vs paid: what each insurer should have paid on adjudicated lines, and what it did.

For each patient with an adjudicated line (an insurer payment posted on the charge, or Status
``Adjudicated``), every non-void, non-denied charge of the patient is priced under the coverage in
force on its service date (:mod:`addin.core.pricing`) and split in service-date order from the
Coverage accumulators (:mod:`addin.core.benefits`):

* the **primary** should pay the split's plan share;
* the **secondary** should pay by its COB method (:mod:`addin.core.cob`), from what the primary
  *actually* paid (as a secondary adjudicates from the primary's remittance), its normal benefit
  being its own split as if it were the only plan;
* any other plan should pay nothing (no coverage by it in force on the service date).

Actual payments per (ChargeID, payer) = insurer Payments rows of Kind Payment − Kind Refund.
Money is ``Decimal`` dollars, exact; no rounding beyond the coinsurance's half-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from addin.core.benefits import (
    PlanTerms,
    cell_money,
    column_dates,
    column_texts,
    plans_from_frame,
    split_by_benefit_year,
)
from addin.core.cob import secondary_payment
from addin.core.coverage import (
    ActiveCoverage,
    CoverageRecord,
    active_coverage,
    coverage_by_patient,
)
from addin.core.findings import Finding, Severity
from addin.core.money import ZERO
from addin.core.pricing import NO_CONTRACT, Pricing, Service, price_services

__all__ = [
    "NO_COVERAGE",
    "ExpectedPayment",
    "expected_payments",
    "payment_variance_findings",
]

NO_COVERAGE = "no coverage by this plan in force on the service date"
PATIENT = "Patient"
_SKIPPED_STATUS = {"Void", "Denied"}


@dataclass(frozen=True)
class ExpectedPayment:
    """One payer on one adjudicated charge (Decimal dollars).

    ``rank`` is 1 (primary), 2 (secondary) or ``None`` (the payer had no coverage in force).
    ``allowed_source`` says where the allowed amount came from (contract rate, the charge when
    there is no contract rate, not covered, no coverage). ``payment_rows`` are the Excel rows of
    the payer's postings on the charge (sheet ``payment_sheet``); ``charge_row`` is on Charges.
    """

    charge_id: str
    patient_id: str
    plan_id: str
    rank: int | None
    service_date: dt.date
    code: str
    allowed: Decimal
    allowed_source: str
    expected: Decimal
    paid: Decimal
    payment_ids: tuple[str, ...] = ()
    payment_rows: tuple[int, ...] = ()
    payment_sheet: str = "Payments"
    charge_row: int | None = None
    charge_sheet: str = "Charges"

    @property
    def difference(self) -> Decimal:
        """paid − expected: positive = overpaid, negative = underpaid."""
        return self.paid - self.expected

    @property
    def underpaid(self) -> Decimal:
        return max(ZERO, self.expected - self.paid)

    @property
    def overpaid(self) -> Decimal:
        return max(ZERO, self.paid - self.expected)


@dataclass
class _Paid:
    amount: Decimal = ZERO
    ids: tuple[str, ...] = ()
    rows: tuple[int, ...] = ()
    sheet: str = "Payments"


def _insurer_payments(payments: pd.DataFrame) -> dict[tuple[str, str], _Paid]:
    result: dict[tuple[str, str], _Paid] = {}
    for payment_id, charge_id, payer, kind, amount, sheet, row in zip(
        column_texts(payments["PaymentID"]),
        column_texts(payments["ChargeID"]),
        column_texts(payments["Payer"]),
        column_texts(payments["Kind"]),
        payments["Amount"].tolist(),
        payments["_sheet"].tolist(),
        payments["_row"].tolist(),
        strict=True,
    ):
        money = cell_money(amount)
        if charge_id is None or payer is None or payer == PATIENT or money is None:
            continue
        entry = result.setdefault((charge_id, payer), _Paid(sheet=sheet or "Payments"))
        entry.amount += -money if kind == "Refund" else money
        entry.ids += (payment_id or "",)
        entry.rows += (int(row),)
    return result


@dataclass(frozen=True)
class _Charge:
    charge_id: str
    patient_id: str
    day: dt.date
    code: str
    billed: Decimal
    units: int
    status: str | None
    sheet: str
    row: int


def _charges(charges: pd.DataFrame) -> dict[str, list[_Charge]]:
    by_patient: dict[str, list[_Charge]] = {}
    for charge_id, patient_id, day, code, amount, units, status, sheet, row in zip(
        column_texts(charges["ChargeID"]),
        column_texts(charges["PatientID"]),
        column_dates(charges["ServiceDate"]),
        column_texts(charges["Code"]),
        charges["Amount"].tolist(),
        charges["Units"].tolist(),
        column_texts(charges["Status"]),
        charges["_sheet"].tolist(),
        charges["_row"].tolist(),
        strict=True,
    ):
        billed = cell_money(amount)
        if charge_id is None or patient_id is None or day is None or code is None:
            continue
        if billed is None or status in _SKIPPED_STATUS:
            continue
        charge = _Charge(
            charge_id,
            patient_id,
            day,
            code,
            billed=billed,
            units=1 if units is None or pd.isna(units) else max(1, int(units)),
            status=status,
            sheet=sheet or "Charges",
            row=int(row),
        )
        by_patient.setdefault(patient_id, []).append(charge)
    return by_patient


def _split_under(
    record: CoverageRecord, plan: PlanTerms, charges: list[_Charge], pricing: Pricing
) -> dict[str, tuple[Decimal, Decimal, str]]:
    """ChargeID → (allowable for COB, plan share, allowed source) under one coverage row."""
    services = [Service(c.code, c.billed, c.units, c.day, c.charge_id) for c in charges]
    priced = price_services(plan, services, pricing)
    splits = split_by_benefit_year([p.line for p in priced], plan, record.usage)
    return {
        p.service.key or "": (s.allowed + s.not_covered, s.plan, p.allowed_source)
        for p, s in zip(priced, splits, strict=True)
    }


def expected_payments(tables: Mapping[str, pd.DataFrame]) -> list[ExpectedPayment]:
    """Expected and actual insurer payments on every adjudicated charge.

    ``tables`` are the typed frames of a workbook (``Book.tables``): Charges, Payments, Coverage,
    Plans, Fees, Allowed. One result per (charge, payer that posted a payment), plus one for the
    primary of an ``Adjudicated`` charge it has not paid (paid 0). Results in charge order.
    """
    plans = plans_from_frame(tables["Plans"])
    pricing = Pricing.from_frames(tables["Fees"], tables["Allowed"])
    coverage = coverage_by_patient(tables["Coverage"])
    paid = _insurer_payments(tables["Payments"])
    paid_charges: dict[str, list[str]] = {}
    for charge_id, payer in paid:
        paid_charges.setdefault(charge_id, []).append(payer)

    results: list[ExpectedPayment] = []
    for patient_id, charges in _charges(tables["Charges"]).items():
        adjudicated = [
            c for c in charges if c.charge_id in paid_charges or c.status == "Adjudicated"
        ]
        if not adjudicated:
            continue
        records = coverage.get(patient_id, [])
        active = {c.charge_id: active_coverage(records, plans, c.day) for c in charges}
        shares: dict[tuple[int, str], dict[str, tuple[Decimal, Decimal, str]]] = {}
        for rank in ("primary", "secondary"):
            groups: dict[CoverageRecord, list[_Charge]] = {}
            for c in charges:
                record = getattr(active[c.charge_id], rank)
                if record is not None and record.plan_id in plans:
                    groups.setdefault(record, []).append(c)
            for record, group in groups.items():
                split = _split_under(record, plans[record.plan_id], group, pricing)
                for charge_id, share in split.items():
                    shares[(1 if rank == "primary" else 2, charge_id)] = share
        for c in adjudicated:
            results.extend(_expected_for(c, active[c.charge_id], shares, paid, paid_charges, plans))
    order = {cid: i for i, cid in enumerate(tables["Charges"]["ChargeID"])}
    results.sort(key=lambda e: order.get(e.charge_id, 0))
    return results


def _expected_for(
    charge: _Charge,
    active: ActiveCoverage,
    shares: Mapping[tuple[int, str], tuple[Decimal, Decimal, str]],
    paid: Mapping[tuple[str, str], _Paid],
    payers_by_charge: Mapping[str, list[str]],
    plans: Mapping[str, PlanTerms],
) -> list[ExpectedPayment]:
    primary, secondary = active.primary, active.secondary
    cid = charge.charge_id
    payers = list(payers_by_charge.get(cid, ()))
    if primary is not None and primary.plan_id not in payers and charge.status == "Adjudicated":
        payers.insert(0, primary.plan_id)
    out = []
    for payer in payers:
        posted = paid.get((cid, payer), _Paid())
        rank, allowed, expected, source = None, ZERO, ZERO, NO_COVERAGE
        if primary is not None and payer == primary.plan_id and (1, cid) in shares:
            rank = 1
            allowed, expected, source = shares[(1, cid)]
        elif primary is not None and secondary is not None and payer == secondary.plan_id:
            rank = 2
            allowable, _, primary_source = shares[(1, cid)]
            _, benefit, source = shares[(2, cid)]
            if NO_CONTRACT in (primary_source, source):
                source = NO_CONTRACT
            primary_paid = paid.get((cid, primary.plan_id), _Paid()).amount
            cob = secondary_payment(
                allowable=allowable,
                primary_paid=min(max(ZERO, primary_paid), allowable),
                secondary_benefit=benefit,
                method=plans[secondary.plan_id].cob_method,
            )
            allowed, expected = allowable, cob.secondary_paid
        out.append(
            ExpectedPayment(
                charge_id=cid,
                patient_id=charge.patient_id,
                plan_id=payer,
                rank=rank,
                service_date=charge.day,
                code=charge.code,
                allowed=allowed,
                allowed_source=source,
                expected=expected,
                paid=posted.amount,
                payment_ids=posted.ids,
                payment_rows=posted.rows,
                payment_sheet=posted.sheet,
                charge_row=charge.row,
                charge_sheet=charge.sheet,
            )
        )
    return out


def payment_variance_findings(
    expected: list[ExpectedPayment], *, tolerance: Decimal = ZERO
) -> list[Finding]:
    """Findings for insurer payments that differ from the contract by more than ``tolerance``.

    * ``underpaid`` (warning): the payer paid less than expected — appeal or rebill;
    * ``overpaid`` (error): the payer paid more than expected, or paid with no coverage in force —
      the excess must be refunded to it.

    Lines priced without a contract rate are skipped (nothing reliable to compare with). A
    finding points at the payer's last posting on the charge (sheet Payments, column Amount), or
    at the charge (sheet Charges, column Status) when the payer posted nothing.
    """
    findings = []
    for e in expected:
        if e.allowed_source == NO_CONTRACT or abs(e.difference) <= tolerance:
            continue
        if e.payment_rows:
            sheet, row, column = e.payment_sheet, e.payment_rows[-1], "Amount"
        else:
            sheet, row, column = e.charge_sheet, e.charge_row, "Status"
        ids = (e.patient_id, e.charge_id, e.plan_id, *e.payment_ids)
        role = {1: "primary", 2: "secondary"}.get(e.rank or 0, "")
        who = f"{role} plan {e.plan_id}" if role else f"plan {e.plan_id}"
        if e.difference < 0:
            findings.append(
                Finding(
                    "underpaid",
                    f"Charge {e.charge_id}: {who} paid {e.paid}, the contract says {e.expected} "
                    f"(underpaid by {e.underpaid}).",
                    sheet,
                    row,
                    column,
                    Severity.WARNING,
                    "Check the remittance; appeal or rebill the claim for the difference.",
                    ids,
                )
            )
        else:
            reason = (
                "it had no coverage in force on the service date"
                if e.rank is None
                else f"the contract says {e.expected}"
            )
            findings.append(
                Finding(
                    "overpaid",
                    f"Charge {e.charge_id}: {who} paid {e.paid}; {reason} "
                    f"(overpaid by {e.overpaid}).",
                    sheet,
                    row,
                    column,
                    Severity.ERROR,
                    "Check the posting and the remittance; refund the overpayment to the payer "
                    "or correct the posting.",
                    ids,
                )
            )
    return findings
