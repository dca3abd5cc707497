"""The statement (patient bill) model: everything a bill shows, computed once, rendered many ways.

A :class:`Statement` is built by :mod:`addin.core.statement_builder` from the ledger, the plans and
the Policy, and rendered onto a bill sheet (XlsxWriter or xlwings) or a PDF. Renderers only lay
out what is here; they compute nothing. All amounts are ``Decimal`` dollars with two places.

Sign conventions: charges, payments and adjustments are shown positive; ``patient_owes`` on a
line is ``charge - insurance_paid - adjustments - patient_paid`` (negative = the line is overpaid).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


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
    name: str
    address: str
    phone: str
    remit_to: str


@dataclass(frozen=True)
class Statement:
    """A patient statement as of ``statement_date``.

    ``amount_due`` is what the guarantor owes now: the ledger's patient-due balance of the account
    (insurance-pending amounts are shown but not due). The itemised ``patient_owes`` of the lines
    not pending insurance sum to ``amount_due`` when the account has no unapplied credit;
    ``unapplied_credit`` (positive) closes the difference otherwise.
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
