"""The sample's postings while they are simulated, and the records they become.

Amounts are integer cents until :meth:`Ledger.records` turns them into two-place ``Decimal``
dollars. Rows are numbered only at the end, in date order, so IDs read like a real workbook's
(``C0000001`` is the oldest charge); internal keys link payments and adjustments to their charge.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from addin.core.money import from_cents
from addin.workbook.sample_data import ERA_POSTER, FEES, PLANS, REPS, FeeSpec, PlanSpec
from addin.workbook.sample_people import Person, patient_record

#: the sample covers this many days of activity before ``as_of``
HISTORY_DAYS = 183
DAY = dt.timedelta(days=1)
# what each position of a posting tuple holds (None: the sequence number, not a column)
PAYMENT_COLUMNS = ("Date", None, "PatientID", "ChargeID", "Payer", "Kind", "Method", "Reference",
                   "Amount", "PostedBy", "PostedAt")  # fmt: skip
ADJUSTMENT_COLUMNS = ("Date", None, "PatientID", "ChargeID", "Kind", "Group", "Reason", "Amount",
                      "Note", "PostedBy", "PostedAt")  # fmt: skip
PLAN_COLUMNS = ("Created", None, "PatientID", "Balance", "Installment", "Count", "FirstDue",
                "Rule", "Forgiven", "Status")  # fmt: skip
STATEMENT_COLUMNS = ("StatementDate", None, "PatientID", "DueDate", "AmountDue", "DunningLevel",
                     "Channel", "FinalNotice")  # fmt: skip
CONTACT_COLUMNS = ("ContactedAt", None, "PatientID", "Channel", "Outcome", "By", "Note")
_REFERENCE_PREFIX = {"EFT": "EFT", "Check": "CHK", "Card": "CARD", "ACH": "ACH", "Cash": "RCPT"}


@dataclass(slots=True)
class Line:
    """One charge line while it is simulated (amounts in cents)."""

    key: int
    pid: str
    date: dt.date
    code: str
    units: int
    modifier: str | None
    diagnoses: str
    billed: int
    provider: str
    biller: str
    claim: int | None
    status: str = "Unbilled"
    #: when the patient's part becomes billable; None while insurance has not finished
    due: dt.date | None = None
    #: what the patient still owes on the line after insurance and the copay paid at the visit
    billable: int = 0
    copay_paid: int = 0


class Ledger:
    """Everything posted so far, with the shared random source and the sample's dates."""

    def __init__(self, rng: random.Random, as_of: dt.date) -> None:
        self.rng = rng
        self.as_of = as_of
        self.start = as_of - dt.timedelta(days=HISTORY_DAYS)
        self.lines: list[Line] = []
        # rows are tuples (date, seq, ...values); seq keeps same-day rows in posting order
        self.payments: list[tuple] = []
        self.adjustments: list[tuple] = []
        self.statements: list[tuple] = []
        self.contacts: list[tuple] = []
        self.plan_rows: list[list] = []
        self.coverage: list[dict[str, object]] = []
        self._seq = 0
        self._references: dict[str, int] = {}

    def next(self) -> int:
        self._seq += 1
        return self._seq

    def stamp(self, date: dt.date, by: str) -> dt.datetime:
        """When a posting was keyed in: remittances early in the morning, reps in office hours."""
        hour = self.rng.randint(6, 7) if by == ERA_POSTER else self.rng.randint(8, 17)
        return dt.datetime(date.year, date.month, date.day, hour, self.rng.randint(0, 59))

    def reference(self, prefix: str) -> str:
        """A new unique reference (check number, card authorization, EFT trace, receipt)."""
        n = self._references[prefix] = self._references.get(prefix, 0) + 1
        return f"{prefix}{n:010d}" if prefix == "EFT" else f"{prefix}{n:07d}"

    def payment(
        self,
        date: dt.date,
        pid: str,
        line_key: int | None,
        payer: str,
        kind: str,
        method: str,
        cents: int,
        reference: str | None = None,
    ) -> None:
        by = ERA_POSTER if method == "EFT" else self.rng.choice(REPS)
        reference = reference or self.reference(_REFERENCE_PREFIX[method])
        self.payments.append(
            (date, self.next(), pid, line_key, payer, kind, method, reference, cents, by,
             self.stamp(date, by))
        )  # fmt: skip

    def adjust(
        self,
        date: dt.date,
        pid: str,
        line_key: int | None,
        kind: str,
        group: str | None,
        reason: str | None,
        cents: int,
        note: str | None,
        by: str | None = None,
    ) -> None:
        by = by or self.rng.choice(REPS)
        self.adjustments.append(
            (date, self.next(), pid, line_key, kind, group, reason, cents, note, by,
             self.stamp(date, by))
        )  # fmt: skip

    # --- records ---------------------------------------------------------------------------------

    def records(
        self, people: Sequence[Person], reference: Mapping[str, list[dict[str, object]]]
    ) -> dict[str, list[dict[str, object]]]:
        """Every table's records, IDs numbered in date order.

        ``reference`` holds the Plans, Fees and Allowed records (:func:`reference_records`).
        """
        ordered = sorted(self.lines, key=lambda x: (x.date, x.key))
        charge_ids = {line.key: f"C{n:07d}" for n, line in enumerate(ordered, 1)}
        claim_ids: dict[int, str] = {}
        charges = []
        for line in ordered:
            claim = None
            if line.claim is not None:
                claim = claim_ids.setdefault(line.claim, f"CLM{len(claim_ids) + 1:08d}")
            charges.append(
                {
                    "ChargeID": charge_ids[line.key],
                    "ClaimID": claim,
                    "PatientID": line.pid,
                    "ServiceDate": line.date,
                    "Code": line.code,
                    "Modifier": line.modifier,
                    "Diagnoses": line.diagnoses,
                    "Units": line.units,
                    "Amount": from_cents(line.billed),
                    "Provider": line.provider,
                    "BillerType": line.biller,
                    "Status": line.status,
                }
            )

        def charge(key: int | None) -> str | None:
            return None if key is None else charge_ids[key]

        def money(cents: int | None) -> Decimal | None:
            return None if cents is None else from_cents(cents)

        posting = {"ChargeID": charge, "Amount": money}
        return {
            "Patients": [patient_record(p) for p in people],
            "Plans": reference["Plans"],
            "Coverage": self.coverage,
            "Fees": reference["Fees"],
            "Allowed": reference["Allowed"],
            "Charges": charges,
            "Payments": _numbered(self.payments, "PaymentID", "PAY", 7, PAYMENT_COLUMNS, posting),
            "Adjustments": _numbered(
                self.adjustments, "AdjustmentID", "ADJ", 7, ADJUSTMENT_COLUMNS, posting
            ),
            "PaymentPlans": _numbered(
                self.plan_rows,
                "PlanNo",
                "PP",
                5,
                PLAN_COLUMNS,
                {"Balance": money, "Installment": money, "Forgiven": money},
            ),
            "Statements": _numbered(
                self.statements, "StatementID", "ST", 7, STATEMENT_COLUMNS, {"AmountDue": money}
            ),
            "Contacts": _numbered(self.contacts, "ContactID", "CT", 7, CONTACT_COLUMNS, {}),
            "Audit": self._audit(len(charges)),
        }

    def _audit(self, charges: int) -> list[dict[str, object]]:
        day = self.as_of - DAY
        at = dt.datetime(day.year, day.month, day.day, 18, 0)
        counts = (
            ("Charges", charges),
            ("Payments", len(self.payments)),
            ("Adjustments", len(self.adjustments)),
        )
        return [
            {"At": at, "Who": "paxl", "Action": "Sample data", "Table": table, "Rows": rows,
             "Detail": "Synthetic data for training and tests"}
            for table, rows in counts
        ]  # fmt: skip


def _numbered(
    rows: Sequence[Sequence[object]],
    id_column: str,
    prefix: str,
    digits: int,
    columns: Sequence[str | None],
    convert: dict[str, Callable[[object], object]],
) -> list[dict[str, object]]:
    """Rows sorted by (date, seq), numbered ``prefix0000001``...; a ``None`` column is skipped."""
    out = []
    for n, row in enumerate(sorted(rows, key=lambda r: (r[0], r[1])), 1):
        record: dict[str, object] = {id_column: f"{prefix}{n:0{digits}d}"}
        for column, value in zip(columns, row, strict=True):
            if column is not None:
                fn = convert.get(column)
                record[column] = fn(value) if fn else value
        out.append(record)
    return out


def reference_records(
    allowed: Mapping[tuple[str, str], int],
) -> dict[str, list[dict[str, object]]]:
    """The Plans, Fees and Allowed records; ``allowed`` is cents per unit by (PlanID, code)."""
    return {
        "Plans": [plan_record(p) for p in PLANS],
        "Fees": [fee_record(f) for f in FEES],
        "Allowed": [
            {"PlanID": plan, "Code": code, "Allowed": from_cents(cents)}
            for (plan, code), cents in allowed.items()
        ],
    }


def plan_record(p: PlanSpec) -> dict[str, object]:
    """The Plans row of a plan."""
    return {
        "PlanID": p.plan_id,
        "Payer": p.payer,
        "PayerID": p.payer_id or None,
        "PlanType": p.plan_type,
        "Deductible": from_cents(p.deductible),
        "OOPMax": None if p.oop_max is None else from_cents(p.oop_max),
        "Coinsurance": Decimal(p.coinsurance),
        "CopayOffice": from_cents(p.copay_office),
        "CopaySpecialist": from_cents(p.copay_specialist),
        "CopayER": from_cents(p.copay_er),
        "COBMethod": p.cob_method,
        "NotCovered": p.not_covered or None,
        "PriorAuth": p.prior_auth or None,
    }


def fee_record(f: FeeSpec) -> dict[str, object]:
    """The Fees row of a service code."""
    return {
        "Code": f.code,
        "Description": f.description,
        "Charge": from_cents(f.charge),
        "CopayType": f.copay_type,
        "DeductibleApplies": f.deductible_applies,
    }
