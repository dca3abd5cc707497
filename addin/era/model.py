"""An insurer's remittance (X12 835, 005010X221A1) as immutable records.

One file holds one or more *remittances* (one per ST/SE transaction set), each one payment: the
money (BPR), its trace number (TRN), the claims it pays (CLP loops) with their service lines (SVC
loops), and provider-level adjustments (PLB). Amounts are ``Decimal`` dollars with two places, in
the sign the payer sent: a reversal (claim status 22) carries negative charge, payment and
adjustments. Positions are 1-based segment numbers counted from the file's first segment (ISA =
1), so a problem can point at the segment a rep would look at in a viewer.

Patient names and member IDs in the file (NM1 segments) are deliberately not kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from addin.core.findings import Severity
from addin.core.money import ZERO

__all__ = [
    "CLAIM_STATUS",
    "Adjustment",
    "Claim",
    "EraFile",
    "EraProblem",
    "Interchange",
    "Payment",
    "ProblemKind",
    "ProviderAdjustment",
    "Remittance",
    "ServiceLine",
    "money_text",
]

# CLP02 claim status codes (005010X221A1).
CLAIM_STATUS: dict[str, str] = {
    "1": "processed as primary",
    "2": "processed as secondary",
    "3": "processed as tertiary",
    "4": "denied",
    "19": "processed as primary, forwarded to additional payer",
    "20": "processed as secondary, forwarded to additional payer",
    "21": "processed as tertiary, forwarded to additional payer",
    "22": "reversal of previous payment",
    "23": "not our claim, forwarded to additional payer",
    "25": "predetermination pricing only, no payment",
}


def money_text(amount: Decimal | None) -> str | None:
    """Money as text with exactly two places (``Decimal("-96")`` → ``"-96.00"``); None stays."""
    if amount is None:
        return None
    return f"{amount.quantize(Decimal('0.01')):f}"


def _date_text(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class Adjustment:
    """One CAS reason/amount pair: why part of the charge was not paid.

    ``group`` is CO (contractual: the practice writes it off), PR (patient responsibility), OA
    (other) or PI (payer initiated); ``reason`` is the CARC; ``amount`` is in dollars, positive
    when it reduces the payment, negative in a reversal.
    """

    group: str
    reason: str
    amount: Decimal
    quantity: Decimal | None = None
    position: int = 0

    def to_dict(self) -> dict[str, object]:
        return {"group": self.group, "reason": self.reason, "amount": money_text(self.amount)}


@dataclass(frozen=True)
class ServiceLine:
    """One SVC loop: a billed line and what the payer did with it.

    Attributes:
        procedure_code: the adjudicated code (SVC01-2, e.g. ``99213`` from ``HC:99213``).
        qualifier: the code list (SVC01-1): HC = CPT/HCPCS, NU = revenue code, ...
        modifiers: SVC01-3..6, blanks dropped.
        charge: SVC02, dollars as billed (negative in a reversal).
        paid: SVC03, dollars paid for the line.
        allowed: AMT*B6 (allowed amount) when the payer sent it.
        units: SVC05 (paid units); 1 when the payer left it blank, as the guide says.
        service_date: DTM*472 (or DTM*150, the period start); None when only the claim has dates.
        control_number: REF*6R, the line item control number we sent (our ChargeID).
        original_procedure_code: SVC06-2, the code as submitted when the payer changed it.
        adjustments: line-level CAS, in file order.
        remarks: LQ remark codes (RARC), in file order.
        position: segment number of the SVC segment.
    """

    procedure_code: str
    charge: Decimal
    paid: Decimal
    qualifier: str = "HC"
    modifiers: tuple[str, ...] = ()
    allowed: Decimal | None = None
    units: Decimal = Decimal(1)
    service_date: date | None = None
    control_number: str | None = None
    revenue_code: str | None = None
    original_procedure_code: str | None = None
    adjustments: tuple[Adjustment, ...] = ()
    remarks: tuple[str, ...] = ()
    position: int = 0

    @property
    def adjustment_total(self) -> Decimal:
        """Σ line adjustment amounts, dollars."""
        return sum((a.amount for a in self.adjustments), ZERO)

    def to_dict(self) -> dict[str, object]:
        return {
            "procedure_code": self.procedure_code,
            "qualifier": self.qualifier,
            "modifiers": list(self.modifiers),
            "charge": money_text(self.charge),
            "paid": money_text(self.paid),
            "allowed": money_text(self.allowed),
            "units": f"{self.units.normalize():f}",
            "service_date": _date_text(self.service_date),
            "line_control_number": self.control_number,
            "revenue_code": self.revenue_code,
            "original_procedure_code": self.original_procedure_code,
            "adjustments": [a.to_dict() for a in self.adjustments],
            "remarks": list(self.remarks),
            "position": self.position,
        }


@dataclass(frozen=True)
class Claim:
    """One CLP loop: the payer's decision on one claim.

    Attributes:
        patient_control_number: CLP01, the claim ID we sent (our ``Charges.ClaimID``).
        status: CLP02 code, e.g. ``"1"`` processed as primary, ``"4"`` denied, ``"22"`` reversal.
        charge: CLP03, total billed, dollars.
        paid: CLP04, total paid on this claim, dollars.
        patient_responsibility: CLP05, dollars; zero when blank.
        payer_claim_control_number: CLP07, the payer's own claim number.
        filing_indicator: CLP06 (12 = PPO, MC = Medicaid, ...).
        statement_date: DTM*232, claim statement period start; the service date of lines
            that carry none of their own.
        adjustments: claim-level CAS, in file order.
        services: the service lines, in file order.
        position: segment number of the CLP segment.
    """

    patient_control_number: str
    status: str
    charge: Decimal
    paid: Decimal
    patient_responsibility: Decimal = ZERO
    payer_claim_control_number: str | None = None
    filing_indicator: str | None = None
    statement_date: date | None = None
    adjustments: tuple[Adjustment, ...] = ()
    services: tuple[ServiceLine, ...] = ()
    position: int = 0

    @property
    def status_text(self) -> str:
        return CLAIM_STATUS.get(self.status, f"status {self.status}")

    @property
    def is_denial(self) -> bool:
        return self.status == "4"

    @property
    def is_reversal(self) -> bool:
        return self.status == "22"

    @property
    def adjustment_total(self) -> Decimal:
        """Σ claim-level plus Σ line-level adjustment amounts, dollars."""
        claim_level = sum((a.amount for a in self.adjustments), ZERO)
        return claim_level + sum((s.adjustment_total for s in self.services), ZERO)

    def to_dict(self) -> dict[str, object]:
        return {
            "patient_control_number": self.patient_control_number,
            "status": self.status,
            "status_text": self.status_text,
            "charge": money_text(self.charge),
            "paid": money_text(self.paid),
            "patient_responsibility": money_text(self.patient_responsibility),
            "payer_claim_control_number": self.payer_claim_control_number,
            "filing_indicator": self.filing_indicator,
            "statement_date": _date_text(self.statement_date),
            "claim_adjustments": [a.to_dict() for a in self.adjustments],
            "services": [s.to_dict() for s in self.services],
            "position": self.position,
        }


@dataclass(frozen=True)
class ProviderAdjustment:
    """One PLB reason/amount pair: money held back from (positive) or added to (negative) the
    payment that belongs to no single claim — a recoupment (WO), interest (L6), a forwarding
    balance (FB). Reported for the practice's books; never posted to a patient.
    """

    reason: str
    amount: Decimal
    reference: str | None = None
    provider_id: str = ""
    fiscal_period: date | None = None
    position: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "reason": self.reason,
            "reference": self.reference,
            "amount": money_text(self.amount),
            "provider_id": self.provider_id,
            "fiscal_period": _date_text(self.fiscal_period),
            "position": self.position,
        }


@dataclass(frozen=True)
class Payment:
    """The money of one remittance (BPR, TRN, N1 loops).

    Attributes:
        total_paid: BPR02 in dollars, signed: a debit (BPR03 = D, the practice owes the payer)
            is negative.
        method: BPR04: ACH, CHK (check), BOP (financial institution option), FWT (wire),
            NON (no payment).
        payment_date: BPR16, the date the money moves.
        trace_number: TRN02, the check or EFT trace number; unique per payer.
        payer_id: TRN03, the payer's identifier (1 + EIN).
        payer_name: N1*PR name.
        payee_name: N1*PE name; payee_id its N104 (NPI or tax ID).
        handling: BPR01 (I = remittance with payment, H = notification only, ...).
    """

    total_paid: Decimal
    method: str
    payment_date: date | None
    trace_number: str
    payer_name: str = ""
    payer_id: str = ""
    payee_name: str = ""
    payee_id: str = ""
    handling: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "total_paid": money_text(self.total_paid),
            "method": self.method,
            "payment_date": _date_text(self.payment_date),
            "trace_number": self.trace_number,
            "payer_name": self.payer_name,
            "payer_id": self.payer_id,
            "payee_name": self.payee_name,
            "payee_id": self.payee_id,
        }


@dataclass(frozen=True)
class Remittance:
    """One ST/SE transaction set: one payment, its claims and provider-level adjustments."""

    payment: Payment
    claims: tuple[Claim, ...] = ()
    provider_adjustments: tuple[ProviderAdjustment, ...] = ()
    control_number: str = ""
    position: int = 0

    @property
    def claims_paid(self) -> Decimal:
        """Σ CLP04 over the claims, dollars."""
        return sum((c.paid for c in self.claims), ZERO)

    @property
    def provider_adjustment_total(self) -> Decimal:
        """Σ PLB amounts, dollars; positive amounts reduce the payment."""
        return sum((p.amount for p in self.provider_adjustments), ZERO)

    @property
    def expected_total(self) -> Decimal:
        """What BPR02 must be: Σ CLP04 − Σ PLB, dollars."""
        return self.claims_paid - self.provider_adjustment_total

    @property
    def reconciles(self) -> bool:
        return self.payment.total_paid == self.expected_total


@dataclass(frozen=True)
class Interchange:
    """One ISA/IEA envelope: who sent it to whom, and its control number (ISA13)."""

    sender: str
    receiver: str
    control_number: str
    position: int


class ProblemKind(StrEnum):
    """Where a problem comes from; parser problems the parser is known to report falsely are
    kept (so nothing disappears silently) but never block posting."""

    PARSER = "parser"  # reported by pyx12: the file breaks the 835 implementation guide
    KNOWN_FALSE = "known_false"  # reported by pyx12, but a known false report
    FILE = "file"  # found while reading the file (unreadable amount, truncated segment, ...)
    BALANCE = "balance"  # the amounts do not add up


@dataclass(frozen=True)
class EraProblem:
    """One problem in an 835 file, as a value.

    Messages name segment positions, claim IDs (CLP01) and trace numbers only, never patient
    names or member IDs; they do not echo element values.
    """

    code: str  # short machine name, e.g. "claim_unbalanced", "pyx12_seg_4"
    message: str  # one sentence: what is wrong
    kind: ProblemKind
    severity: Severity = Severity.ERROR
    position: int | None = None  # segment number in the file (ISA = 1)
    segment: str | None = None  # segment ID, e.g. "CLP"
    element: str | None = None  # reference designator, e.g. "CLP04" or "SVC01-2"
    claim: str | None = None  # CLP01 of the claim concerned
    trace_number: str | None = None  # TRN02 of the payment concerned
    fix: str = ""

    @property
    def blocks_posting(self) -> bool:
        """True for every error except the parser's known false reports."""
        return self.severity == Severity.ERROR and self.kind is not ProblemKind.KNOWN_FALSE

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "kind": str(self.kind),
            "severity": str(self.severity),
            "blocks_posting": self.blocks_posting,
            "message": self.message,
            "position": self.position,
            "segment": self.segment,
            "element": self.element,
            "claim": self.claim,
            "trace_number": self.trace_number,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class EraFile:
    """A whole 835 file as read: its remittances and what the parser said about it.

    ``problems`` holds parser and reading problems only; balance problems come from
    :func:`addin.era.balance.check_era`.
    """

    remittances: tuple[Remittance, ...]
    problems: tuple[EraProblem, ...] = ()
    interchanges: tuple[Interchange, ...] = ()
    source: str = ""
    segment_count: int = 0

    @property
    def claims(self) -> tuple[Claim, ...]:
        return tuple(c for r in self.remittances for c in r.claims)
