"""Synthetic sample data: a realistic, deterministic practice to try paxl on (``paxl sample``).

:func:`generate_sample` makes patients (US addresses, time zones, incomes, guarantors), benefit
plans, coverage, a fee schedule with contract rates, about six months of charges (a few patients
also have an older visit, so some balances are old enough for collections), insurer and patient
payments, contractual adjustments, statements, contacts and payment plans — all as plain values
per table, ready for :func:`addin.workbook.template.write_workbook`.

Conventions of the data:

* deterministic: the same ``(patients, seed, as_of)`` gives the same records (``random.Random``
  seeded once; no clock, no hash-ordered iteration);
* money is ``Decimal`` dollars with two places; insurers are adjudicated by the insurance core
  itself (:mod:`addin.workbook.sample_claims`), so on a clean sample every insurer payment is what
  :mod:`addin.core.expected` says the contract owes, and Coverage holds the accumulators used
  before the sample's lines;
* every event date (service, payment, adjustment, statement, contact, plan created, posted at) is
  before ``as_of``; due dates (``DueDate``, ``FirstDue``) may lie after it;
* IDs are text, unique, numbered in date order (``P000001``, ``C0000001``, ``PAY0000001``, ...);
  payment references are unique;
* ``with_errors=True`` then injects realistic mistakes (:data:`INJECTED_KINDS`), listed in
  :attr:`Sample.injected` with sheet row and column so tests can check they are detected.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass

from addin.errors import PaxlError
from addin.workbook.sample_billing import Account, Billing
from addin.workbook.sample_claims import Claims
from addin.workbook.sample_data import MALFORMED_DIAGNOSES
from addin.workbook.sample_ledger import Ledger
from addin.workbook.sample_people import make_people

#: the default "today" of a sample (a fixed date: samples never depend on the clock)
AS_OF = dt.date(2026, 11, 15)
INJECTED_KINDS = (
    "unknown_patient",
    "duplicate_reference",
    "future_date",
    "malformed_icd10",
    "negative_amount",
)
MAX_PATIENTS = 999_999


@dataclass(frozen=True)
class Injected:
    """One mistake put into a sample on purpose.

    ``row`` is the Excel row on the table's sheet (header in row 1), ``column`` the column holding
    the mistake and ``id`` the row's own ID (ChargeID or PaymentID).
    """

    kind: str
    table: str
    row: int
    column: str
    id: str


@dataclass(frozen=True)
class Sample:
    """A generated practice: plain-value records per table, and the mistakes injected."""

    records: dict[str, list[dict[str, object]]]
    injected: tuple[Injected, ...] = ()
    as_of: dt.date = AS_OF
    seed: int = 0

    def count(self, table: str) -> int:
        """Number of rows of one table."""
        return len(self.records.get(table, ()))


def generate_sample(
    patients: int,
    seed: int,
    *,
    with_errors: bool = False,
    as_of: dt.date | None = None,
) -> Sample:
    """A synthetic practice with ``patients`` patients and about six months of activity.

    Args:
        patients: number of patients (1 to 999,999).
        seed: the random seed; the same arguments always give the same sample.
        with_errors: inject at least one of each kind of :data:`INJECTED_KINDS` (more for large
            samples); the clean part of the sample is unchanged by this flag.
        as_of: the sample's "today"; every event happens before it. Default :data:`AS_OF`.

    Raises:
        PaxlError: ``patients`` out of range.
    """
    if not 1 <= patients <= MAX_PATIENTS:
        raise PaxlError(f"--patients must be between 1 and {MAX_PATIENTS:,}, not {patients}")
    as_of = as_of or AS_OF
    rng = random.Random(seed)
    people = make_people(rng, patients, as_of)
    ledger = Ledger(rng, as_of)
    claims, billing = Claims(ledger), Billing(ledger)
    accounts: dict[str, Account] = {}
    for person in people:  # a child's account is its guarantor's, who comes first
        account = accounts.setdefault(person.guarantor or person.pid, Account(person))
        account.members.append(person)
        account.lines += claims.visits(person)
    for account in accounts.values():
        billing.bill(account)
    for person in people:
        claims.coverage(person)
    records = ledger.records(people, claims.reference)
    injected: tuple[Injected, ...] = ()
    if with_errors:
        injected = inject_errors(records, random.Random(f"paxl-errors-{seed}"), as_of)
    return Sample(records=records, injected=injected, as_of=as_of, seed=seed)


# --- injected mistakes ---------------------------------------------------------------------------


def inject_errors(
    records: dict[str, list[dict[str, object]]], rng: random.Random, as_of: dt.date
) -> tuple[Injected, ...]:
    """Put realistic mistakes into clean records (in place) and say where each one is.

    Existing rows are changed for typos (the next year typed, a malformed diagnosis, a minus
    sign); rows are appended for the unknown patients and the duplicate posting. No row gets two
    mistakes. One of each kind, and one more per 2,000 patients.

    Raises:
        PaxlError: the records have no charges or patient payments to change.
    """
    return tuple(_Injector(records, rng, as_of).run(1 + len(records["Patients"]) // 2000))


class _Injector:
    def __init__(self, records, rng: random.Random, as_of: dt.date) -> None:
        self.charges: list[dict[str, object]] = records["Charges"]
        self.payments: list[dict[str, object]] = records["Payments"]
        self.rng, self.as_of = rng, as_of
        self.used: set[tuple[str, int]] = set()
        if not self.charges or not any(map(_patient_payment, self.payments)):
            raise PaxlError("the sample has no charges or patient payments to put mistakes into")

    def run(self, each: int) -> list[Injected]:
        out: list[Injected] = []
        for _ in range(each):
            out += self._malformed_diagnosis()
            out += self._future_date()
            out += self._negative_amount()
            out += self._duplicate_reference()
            out += self._unknown_patient("Charges", self.charges, "ChargeID", "C")
            out += self._unknown_patient("Payments", self.payments, "PaymentID", "PAY")
        return out

    def _pick(self, table: str, rows: list[dict[str, object]], test=None) -> int | None:
        candidates = [
            i for i, r in enumerate(rows) if (table, i) not in self.used and (not test or test(r))
        ]
        if not candidates:
            return None
        index = self.rng.choice(candidates)
        self.used.add((table, index))
        return index

    def _append(self, table: str, rows: list[dict[str, object]], row: dict[str, object]) -> int:
        rows.append(row)
        self.used.add((table, len(rows) - 1))
        return len(rows) + 1  # its Excel row

    def _malformed_diagnosis(self) -> list[Injected]:
        i = self._pick("Charges", self.charges)
        if i is None:
            return []
        row = self.charges[i]
        codes = str(row["Diagnoses"]).split(",")
        codes[0] = self.rng.choice(MALFORMED_DIAGNOSES)
        row["Diagnoses"] = ",".join(codes)
        return [Injected("malformed_icd10", "Charges", i + 2, "Diagnoses", row["ChargeID"])]

    def _future_date(self) -> list[Injected]:
        i = self._pick("Payments", self.payments, _patient_payment)
        if i is None:
            return []
        row = self.payments[i]
        day: dt.date = row["Date"]
        typed = day + dt.timedelta(days=366 if calendar.isleap(day.year + 1) else 365)
        row["Date"] = max(typed, self.as_of + dt.timedelta(days=30))  # next year typed
        return [Injected("future_date", "Payments", i + 2, "Date", row["PaymentID"])]

    def _negative_amount(self) -> list[Injected]:
        i = self._pick("Payments", self.payments, _patient_payment)
        if i is None:
            return []
        row = self.payments[i]
        row["Amount"] = -row["Amount"]
        return [Injected("negative_amount", "Payments", i + 2, "Amount", row["PaymentID"])]

    def _duplicate_reference(self) -> list[Injected]:
        """The same check posted twice: same payer, reference and amount, a new PaymentID."""
        i = self._pick("Payments", self.payments, _patient_payment)
        if i is None:
            return []
        twin = dict(self.payments[i], PaymentID=_next_id(self.payments, "PaymentID", "PAY"))
        row = self._append("Payments", self.payments, twin)
        return [Injected("duplicate_reference", "Payments", row, "Reference", twin["PaymentID"])]

    def _unknown_patient(self, table, rows, key: str, prefix: str) -> list[Injected]:
        """A new row for a PatientID typed with one digit too many (no such patient)."""
        test = _patient_payment if table == "Payments" else None
        i = self._pick(table, rows, test)
        if i is None:
            return []
        typo = dict(rows[i])
        typo[key] = _next_id(rows, key, prefix)
        typo["PatientID"] = f"{typo['PatientID']}{self.rng.randint(0, 9)}"
        if table == "Payments":
            typo["ChargeID"] = None
            typo["Reference"] = f"{typo['Reference']}-2"
        row = self._append(table, rows, typo)
        return [Injected("unknown_patient", table, row, "PatientID", typo[key])]


def _patient_payment(row: dict[str, object]) -> bool:
    return row["Payer"] == "Patient" and row["Kind"] == "Payment"


def _next_id(rows: list[dict[str, object]], column: str, prefix: str) -> str:
    """The next ID after the highest numbered one, keeping the digit count."""
    last = max(str(r[column]) for r in rows)
    digits = len(last) - len(prefix)
    return f"{prefix}{int(last[len(prefix) :]) + 1:0{digits}d}"
