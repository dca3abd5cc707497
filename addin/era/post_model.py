"""What posting an 835 decides, as immutable records: new rows, worklists and a summary.

:func:`addin.era.post.post_era` returns an :class:`EraPosting`. Its ``payments`` and
``adjustments`` are the rows to append (:meth:`EraPosting.appends` gives them as plain records:
``Decimal`` dollars, ``date``, ``datetime``); ``claims`` says what happened to every claim of
the file; ``denials`` and ``provider_adjustments`` are the worklists for the rep and the
practice's books. Amounts are ``Decimal`` dollars; rows carry IDs, never patient names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from addin.core.findings import Finding
from addin.core.money import ZERO

__all__ = [
    "PLB_REASONS",
    "AdjustmentRow",
    "ClaimResult",
    "DenialLine",
    "EraPosting",
    "Outcome",
    "PaymentRow",
    "ProviderAdjustmentLine",
    "RemittanceResult",
]

#: PLB02 adjustment reason codes → what they mean, for the provider adjustments report.
PLB_REASONS: dict[str, str] = {
    "50": "late charge",
    "51": "interest penalty charge",
    "72": "authorized return",
    "90": "early payment allowance",
    "AH": "origination fee",
    "AM": "applied to borrower's account",
    "AP": "acceleration of benefits",
    "B2": "rebate",
    "B3": "recovery allowance",
    "BD": "bad debt adjustment",
    "BN": "bonus",
    "C5": "temporary allowance",
    "CR": "capitation interest",
    "CS": "adjustment",
    "CT": "capitation payment",
    "E3": "withholding",
    "FB": "forwarding balance",
    "FC": "fund allocation",
    "IP": "incentive premium payment",
    "IR": "IRS withholding",
    "IS": "interim settlement",
    "J1": "nonreimbursable",
    "L3": "penalty",
    "L6": "interest owed",
    "LE": "levy",
    "LS": "lump sum",
    "OB": "offset for affiliated providers",
    "PI": "periodic interim payment",
    "PL": "payment final",
    "RA": "retro-activity adjustment",
    "SL": "student loan repayment",
    "TL": "third party liability",
    "WO": "overpayment recovery",
    "WU": "unspecified recovery",
}


class Outcome(StrEnum):
    POSTED = "posted"
    REVERSED = "reversed"
    DENIED = "denied"
    UNMATCHED = "unmatched"


@dataclass(frozen=True)
class PaymentRow:
    """One new ``Payments`` row; ``amount`` in dollars, positive (``kind`` gives the sign)."""

    payment_id: str
    date: date
    patient_id: str
    charge_id: str
    payer: str
    kind: str
    method: str
    reference: str
    amount: Decimal
    posted_by: str
    posted_at: datetime

    @property
    def signed(self) -> Decimal:
        """Dollars the payer paid on the line: negative for a refund."""
        return -self.amount if self.kind == "Refund" else self.amount

    def record(self) -> dict[str, object]:
        """The row as the Payments table's column → value."""
        return {
            "PaymentID": self.payment_id,
            "Date": self.date,
            "PatientID": self.patient_id,
            "ChargeID": self.charge_id,
            "Payer": self.payer,
            "Kind": self.kind,
            "Method": self.method,
            "Reference": self.reference,
            "Amount": self.amount,
            "PostedBy": self.posted_by,
            "PostedAt": self.posted_at,
        }


@dataclass(frozen=True)
class AdjustmentRow:
    """One new ``Adjustments`` row; ``amount`` in dollars, positive (lowers the balance; Kind
    ``Reversal`` takes back an earlier adjustment and adds to it)."""

    adjustment_id: str
    date: date
    patient_id: str
    charge_id: str
    kind: str
    group: str
    reason: str
    amount: Decimal
    note: str
    posted_by: str
    posted_at: datetime

    def record(self) -> dict[str, object]:
        """The row as the Adjustments table's column → value."""
        return {
            "AdjustmentID": self.adjustment_id,
            "Date": self.date,
            "PatientID": self.patient_id,
            "ChargeID": self.charge_id,
            "Kind": self.kind,
            "Group": self.group,
            "Reason": self.reason,
            "Amount": self.amount,
            "Note": self.note,
            "PostedBy": self.posted_by,
            "PostedAt": self.posted_at,
        }


@dataclass(frozen=True)
class ClaimResult:
    """What happened to one claim (CLP loop) of the file.

    ``paid`` is CLP04 (dollars, signed as sent); ``posted`` the net of the payment rows written
    for it (equal to ``paid`` when posted or reversed, 0 otherwise). ``reason`` says why an
    unmatched claim was not posted.
    """

    trace_number: str
    claim_id: str
    status: str
    status_text: str
    outcome: Outcome
    charge: Decimal
    paid: Decimal
    posted: Decimal = ZERO
    patient_id: str | None = None
    payer_claim_number: str | None = None
    reason: str = ""
    position: int = 0


@dataclass(frozen=True)
class DenialLine:
    """One line of a denied claim, for the denials worklist (dollars; IDs only, no names)."""

    trace_number: str
    payment_date: date
    payer_name: str
    claim_id: str
    payer_claim_number: str | None
    patient_id: str | None
    charge_id: str | None
    procedure_code: str | None
    service_date: date | None
    billed: Decimal
    reasons: str  # e.g. "CO-197 380.00"
    claim_reasons: str  # claim-level CAS, same form
    remarks: str  # RARC (LQ) codes, space-separated


@dataclass(frozen=True)
class ProviderAdjustmentLine:
    """One PLB amount for the practice's books: positive = withheld from the payment."""

    trace_number: str
    payment_date: date | None
    payer_name: str
    provider_id: str
    fiscal_period: date | None
    reason: str
    meaning: str
    reference: str | None
    amount: Decimal


@dataclass(frozen=True)
class RemittanceResult:
    """One payment of the file: what it says and what was posted of it (dollars).

    ``total_paid`` (BPR02) = ``posted`` + ``not_posted`` − ``provider_adjustments``, where
    ``not_posted`` is CLP04 of the denied and unmatched claims.
    """

    trace_number: str
    payer_name: str
    payer_id: str
    method: str
    payment_date: date | None
    total_paid: Decimal
    claims_paid: Decimal
    provider_adjustments: Decimal
    posted: Decimal

    @property
    def not_posted(self) -> Decimal:
        return self.claims_paid - self.posted


@dataclass(frozen=True)
class EraPosting:
    """Everything :func:`post_era` decided. Rows are in file order; nothing is written yet."""

    payments: tuple[PaymentRow, ...]
    adjustments: tuple[AdjustmentRow, ...]
    claims: tuple[ClaimResult, ...]
    denials: tuple[DenialLine, ...]
    provider_adjustments: tuple[ProviderAdjustmentLine, ...]
    remittances: tuple[RemittanceResult, ...]
    warnings: tuple[Finding, ...] = ()
    source: str = ""

    def count(self, outcome: Outcome) -> int:
        return sum(1 for c in self.claims if c.outcome is outcome)

    @property
    def unmatched(self) -> tuple[ClaimResult, ...]:
        return tuple(c for c in self.claims if c.outcome is Outcome.UNMATCHED)

    @property
    def reversals(self) -> tuple[ClaimResult, ...]:
        return tuple(c for c in self.claims if c.outcome is Outcome.REVERSED)

    @property
    def posted_total(self) -> Decimal:
        """Net dollars posted: payments − refunds."""
        return sum((p.signed for p in self.payments), ZERO)

    @property
    def total_paid(self) -> Decimal:
        """Σ BPR02 over the payments of the file."""
        return sum((r.total_paid for r in self.remittances), ZERO)

    @property
    def provider_adjustment_total(self) -> Decimal:
        return sum((p.amount for p in self.provider_adjustments), ZERO)

    def appends(self) -> dict[str, list[dict[str, object]]]:
        """The new rows per table, as plain records (``Decimal`` dollars, ``date``)."""
        return {
            "Payments": [p.record() for p in self.payments],
            "Adjustments": [a.record() for a in self.adjustments],
        }
