"""The statement (patient bill) model: everything a bill shows, computed once, rendered many ways.

A :class:`Statement` is built by :mod:`addin.core.statement_builder` from the ledger, the plans and
the Policy, and rendered onto a bill sheet (XlsxWriter or xlwings) or a PDF. Renderers only lay
out what is here; they compute nothing. All amounts are ``Decimal`` dollars with two places.

Sign conventions: charges, payments and adjustments are shown positive; ``patient_owes`` on a
line is ``charge - insurance_paid - adjustments - patient_paid`` (negative = the line is overpaid).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from addin.core.money import ZERO


@dataclass(frozen=True)
class Party:
    """A person on the bill: name and mailing address lines."""

    name: str
    address_lines: tuple[str, ...]


@dataclass(frozen=True)
class StatementLine:
    """One itemised service line."""

    service_date: dt.date
    code: str
    description: str
    charge: Decimal
    insurance_paid: Decimal
    adjustments: Decimal
    patient_paid: Decimal
    patient_owes: Decimal
    #: True while insurance has not yet acted on the line (not part of the amount due)
    pending_insurance: bool = False


@dataclass(frozen=True)
class PlanOption:
    """One payment option printed on the bill."""

    label: str
    installment: Decimal
    count: int
    final_payment: Decimal
    total_paid: Decimal
    forgiven: Decimal
    recommended: bool = False


@dataclass(frozen=True)
class AgingLine:
    """The account's patient-due amount by age bucket (labels "0-30", ..., "121+")."""

    buckets: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class Practice:
    """The practice as the Policy sheet names it (free text; ``remit_to`` comma-separated)."""

    name: str
    address: str
    phone: str
    remit_to: str

    @property
    def remit_lines(self) -> tuple[str, ...]:
        """The remit-to address as mailing lines: ``"Clinic, PO Box 1, Town, ST 00000"`` →
        ``("Clinic", "PO Box 1", "Town, ST 00000")`` (the last two comma parts stay together)."""
        return split_address(self.remit_to)


def split_address(text: str) -> tuple[str, ...]:
    """A one-line, comma-separated address as at most three mailing lines.

    A last part shaped like ``ST 00000`` stays with the city before it; with more than three
    parts the middle ones share the second line: ``"Clinic, PO Box 1, Suite 2, Town, ST 00000"``
    → ``("Clinic", "PO Box 1, Suite 2", "Town, ST 00000")``.
    """
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) >= 2 and _STATE_ZIP.match(parts[-1]):
        parts = [*parts[:-2], f"{parts[-2]}, {parts[-1]}"]
    if len(parts) <= 3:
        return tuple(parts)
    return (parts[0], ", ".join(parts[1:-1]), parts[-1])


_STATE_ZIP = re.compile(r"^[A-Z]{2}\s+\d{5}(-\d{4})?$")


@dataclass(frozen=True)
class Statement:
    """A patient statement as of ``statement_date``.

    ``amount_due`` is what the guarantor owes now: the ledger's patient-due balance of the account
    less its credit, never below zero (insurance-pending amounts are shown but not due). Exactly:
    the ``patient_owes`` of the lines not pending insurance, plus ``other_due`` (patient debt
    without a line, e.g. a refund larger than the payment it returned), minus
    ``unapplied_credit`` (positive: the account's credit netted against the bill) equal
    ``amount_due``. ``final_notice`` is True at dunning level 5.
    """

    statement_id: str
    account: str  # the guarantor's PatientID
    statement_date: dt.date
    due_date: dt.date
    practice: Practice
    guarantor: Party
    patients: tuple[str, ...]  # PatientIDs whose lines are on the bill
    patient_name: str
    lines: tuple[StatementLine, ...]
    previous_balance: Decimal
    payments_since: Decimal
    amount_due: Decimal
    insurance_pending: Decimal
    unapplied_credit: Decimal
    aging: AgingLine
    dunning_level: int
    message: str
    plan_options: tuple[PlanOption, ...]
    assistance_notice: str
    final_notice: bool = False
    other_due: Decimal = ZERO

    @property
    def services_due(self) -> Decimal:
        """What the guarantor owes for the listed services: ``patient_owes`` summed over the
        lines not pending insurance (``services_due + other_due − unapplied_credit ==
        amount_due``)."""
        return sum((x.patient_owes for x in self.lines if not x.pending_insurance), ZERO)

    @property
    def line_totals(self) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal]:
        """Column sums of all lines: charge, insurance paid, adjustments, patient paid, owes."""
        lines = self.lines
        return (
            sum((x.charge for x in lines), ZERO),
            sum((x.insurance_paid for x in lines), ZERO),
            sum((x.adjustments for x in lines), ZERO),
            sum((x.patient_paid for x in lines), ZERO),
            sum((x.patient_owes for x in lines), ZERO),
        )
