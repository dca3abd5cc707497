"""A small practice with known numbers, for the macro tests (today = 2026-06-15).

======  ==============================================================================
P001    charge 180.00, insurer paid 96.00, contractual 60.00 → due 24.00; billed on
        2026-05-01 (age 45 → 31-60, level 2); plan PP000001 (2 × 12.00 from 2026-07-01)
P002    charge 45.00 pending with Medicare; paid 20.00 unapplied → credit 20.00 held
        (insurance pending): no refund due
P003    nothing; guarantor P001
P004    self-pay: charges 100.00 (C004) and 30.00 (C005); paid 150.00 on C004 → the
        50.00 overpaid pays C005 first (apply_credit_first) → refund due 20.00
        (50.00 with apply_credit_first off)
P005    self-pay, hospital charge 1,200.00 from 2026-01-10 (age 156 → 121+, level 5);
        income 3,000.00 a month → income cap 4% = 120.00; recommended 12 × 100.00
======  ==============================================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from addin.workbook.memory_adapter import MemoryWorkbook
from macros.payments import NEW_PAYMENTS

TODAY = dt.date(2026, 6, 15)
NOW = dt.datetime(2026, 6, 15, 9, 30)
USER = "rep1"
d = dt.date


def _patient(pid: str, last: str, **more: object) -> dict[str, object]:
    return {
        "PatientID": pid,
        "LastName": last,
        "FirstName": "Sam",
        "DOB": d(1980, 1, 1),
        "Address1": "1 Main St",
        "City": "Springfield",
        "State": "IL",
        "ZIP": "62701",
        "AccountStatus": "Active",
        **more,
    }


def _charge(cid: str, pid: str, day: dt.date, code: str, amount: str, **more: object) -> dict:
    return {
        "ChargeID": cid,
        "PatientID": pid,
        "ServiceDate": day,
        "Code": code,
        "Amount": Decimal(amount),
        "BillerType": "Professional",
        **more,
    }


def _payment(pay_id: str, pid: str, day: dt.date, amount: str, **more: object) -> dict:
    return {
        "PaymentID": pay_id,
        "Date": day,
        "PatientID": pid,
        "Payer": "Patient",
        "Kind": "Payment",
        "Method": "Check",
        "Amount": Decimal(amount),
        **more,
    }


def practice_records() -> dict[str, list[dict[str, object]]]:
    """The practice's tables as plain records (a fresh copy each call)."""
    return {
        "Patients": [
            _patient(
                "P001",
                "Rivera",
                HouseholdSize=3,
                MonthlyIncome=Decimal("4200.00"),
                AccountStatus="Payment plan",
            ),
            _patient("P002", "Chen"),
            _patient("P003", "Okafor", Guarantor="P001"),
            _patient("P004", "Novak"),
            _patient("P005", "Silva", HouseholdSize=2, MonthlyIncome=Decimal("3000.00")),
        ],
        "Plans": [
            {"PlanID": "ACME-PPO", "Payer": "Acme Health", "PlanType": "Commercial"},
            {"PlanID": "MCR", "Payer": "Medicare", "PlanType": "Medicare"},
        ],
        "Coverage": [
            {"PatientID": "P001", "PlanID": "ACME-PPO", "Rank": 1, "EffectiveFrom": d(2026, 1, 1)},
            {"PatientID": "P002", "PlanID": "MCR", "Rank": 1, "EffectiveFrom": d(2025, 1, 1)},
        ],
        "Fees": [
            {"Code": "99213", "Charge": Decimal("180.00"), "CopayType": "Office"},
            {"Code": "80053", "Charge": Decimal("45.00")},
        ],
        "Charges": [
            _charge("C001", "P001", d(2026, 3, 2), "99213", "180.00", Status="Adjudicated"),
            _charge("C002", "P002", d(2026, 3, 9), "80053", "45.00", Status="Submitted"),
            _charge("C004", "P004", d(2026, 2, 1), "99213", "100.00", Status="Patient due"),
            _charge("C005", "P004", d(2026, 4, 1), "80053", "30.00", Status="Patient due"),
            _charge(
                "C006",
                "P005",
                d(2026, 1, 10),
                "99213",
                "1200.00",
                Status="Patient due",
                BillerType="Hospital",
            ),
        ],
        "Payments": [
            _payment(
                "PAY001",
                "P001",
                d(2026, 4, 1),
                "96.00",
                ChargeID="C001",
                Payer="ACME-PPO",
                Method="EFT",
                Reference="TRN123",
            ),
            _payment("PAY002", "P002", d(2026, 4, 15), "20.00", Method="Card"),
            _payment("PAY003", "P004", d(2026, 3, 1), "150.00", ChargeID="C004", Reference="5001"),
        ],
        "Adjustments": [
            {
                "AdjustmentID": "ADJ001",
                "Date": d(2026, 4, 1),
                "PatientID": "P001",
                "ChargeID": "C001",
                "Kind": "Contractual",
                "Group": "CO",
                "Reason": "45",
                "Amount": Decimal("60.00"),
            }
        ],
        "PaymentPlans": [
            {
                "PlanNo": "PP000001",
                "PatientID": "P001",
                "Created": d(2026, 6, 1),
                "Balance": Decimal("24.00"),
                "Installment": Decimal("12.00"),
                "Count": 2,
                "FirstDue": d(2026, 7, 1),
                "Rule": "Equal",
                "Status": "Active",
            }
        ],
        "Statements": [
            {
                "StatementID": "S001",
                "PatientID": "P001",
                "StatementDate": d(2026, 5, 1),
                "DueDate": d(2026, 5, 22),
                "AmountDue": Decimal("24.00"),
                "DunningLevel": 1,
            }
        ],
    }


def staged(pid: str = "P004", amount: str = "25.00", **more: object) -> dict[str, object]:
    """A NewPayments row as a rep types it."""
    return {
        "Date": d(2026, 6, 14),
        "PatientID": pid,
        "Payer": "Patient",
        "Method": "Check",
        "Reference": "7001",
        "Amount": Decimal(amount),
        **more,
    }


def practice(
    *,
    staging: list[Mapping[str, object]] | None = None,
    policy: Mapping[str, object] | None = None,
    records: Mapping[str, list[dict[str, object]]] | None = None,
) -> MemoryWorkbook:
    """The practice as a memory workbook, with a NewPayments staging table (rows ``staging``)
    on its own sheet; Patients row 2 (P001) is selected."""
    workbook = MemoryWorkbook.from_records(records or practice_records(), policy=policy)
    workbook.add_table(NEW_PAYMENTS, list(staging or []), sheet="NewPayments")
    workbook.select("Patients", 2, 1)
    return workbook


def patient_row(workbook: MemoryWorkbook, patient_id: str) -> int:
    """The Excel row of a patient on the Patients sheet."""
    for row, values in enumerate(workbook.values("Patients"), start=1):
        if values and values[0] == patient_id:
            return row
    raise KeyError(patient_id)


def select_patient(workbook: MemoryWorkbook, patient_id: str) -> None:
    """Click the patient's row on the Patients sheet."""
    workbook.select("Patients", patient_row(workbook, patient_id), 2)
