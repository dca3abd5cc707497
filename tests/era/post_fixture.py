"""The practice the 835 fixture files were written for: patients, plans, coverage and charges.

Every ClaimID (CLP01) and ChargeID (REF*6R) of the files under ``files/`` is a charge here, of
the patient the file names. Plans and payer IDs:

* ``ACME-PPO`` — Acme Health Plan, PayerID ``512345678`` (its tax ID; the 835s send TRN03
  ``1512345678``, i.e. "1" + tax ID);
* ``BEACON-MC`` — Beacon Mutual (Medicaid), PayerID ``1222333444`` (equal to TRN03);
* ``SUMMIT`` — Summit Care, PayerID ``1512345679``.

Patients: P001 (Acme primary, Summit secondary), P002 and P003 (Acme), P004 (Beacon primary,
Acme secondary; Beacon already paid 20.00 and wrote off CO-45 12.00 on C0000502).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from addin.workbook.book import Book, book_from_records
from addin.workbook.template import write_workbook

D = dt.date
START = D(2026, 1, 1)

#: ChargeID → (ClaimID, PatientID, ServiceDate, Code, Modifier, Amount)
CHARGES: dict[str, tuple[str, str, dt.date, str, str | None, str]] = {
    "C0000101": ("CLM000101", "P001", D(2026, 3, 2), "99213", "25", "200.00"),
    "C0000102": ("CLM000101", "P001", D(2026, 3, 2), "36415", None, "30.00"),
    "C0000103": ("CLM000102", "P002", D(2026, 3, 3), "99214", None, "300.00"),
    "C0000104": ("CLM000103", "P003", D(2026, 3, 4), "29881", "RT", "1200.00"),
    "C0000105": ("CLM000104", "P001", D(2026, 3, 6), "99212", None, "150.00"),
    "C0000201": ("CLM000201", "P003", D(2026, 3, 5), "73721", None, "380.00"),
    "C0000202": ("CLM000201", "P003", D(2026, 3, 5), "99203", None, "70.00"),
    "C0000203": ("CLM000202", "P001", D(2026, 3, 6), "99212", None, "90.00"),
    "C0000301": ("CLM000301", "P001", D(2026, 3, 10), "99214", None, "250.00"),
    "C0000302": ("CLM000302", "P002", D(2026, 3, 11), "99212", None, "120.00"),
    "C0000501": ("CLM000501", "P004", D(2026, 3, 16), "99214", None, "210.00"),
    "C0000502": ("CLM000502", "P004", D(2026, 3, 16), "99212", None, "80.00"),
    "C0000601": ("CLM000601", "P001", D(2026, 3, 20), "99215", "25", "260.00"),
    "C0000602": ("CLM000601", "P001", D(2026, 3, 20), "81002", None, "80.00"),
    "C0000701": ("CLM000701", "P001", D(2026, 3, 30), "99213", None, "200.00"),
    "C0000702": ("CLM000702", "P002", D(2026, 3, 31), "99212", None, "150.00"),
}


def _patient(pid: str, last: str, first: str) -> dict[str, object]:
    return {
        "PatientID": pid,
        "LastName": last,
        "FirstName": first,
        "DOB": D(1980, 1, 1),
        "AccountStatus": "Active",
    }


def _cover(pid: str, plan: str, rank: int) -> dict[str, object]:
    return {"PatientID": pid, "PlanID": plan, "Rank": rank, "EffectiveFrom": START}


def practice_records() -> dict[str, list[dict[str, object]]]:
    """Fresh plain-value records of the fixture practice, to be edited by a test."""
    charges = [
        {
            "ChargeID": charge_id,
            "ClaimID": claim_id,
            "PatientID": pid,
            "ServiceDate": day,
            "Code": code,
            "Modifier": modifier,
            "Units": 1,
            "Amount": Decimal(amount),
            "Status": "Submitted",
        }
        for charge_id, (claim_id, pid, day, code, modifier, amount) in CHARGES.items()
    ]
    earlier = {"Date": D(2026, 3, 25), "PatientID": "P004", "ChargeID": "C0000502"}
    return {
        "Patients": [
            _patient("P001", "Sample", "Alex"),
            _patient("P002", "Example", "Jordan"),
            _patient("P003", "Tester", "Casey"),
            _patient("P004", "Example", "River"),
        ],
        "Plans": [
            {
                "PlanID": "ACME-PPO",
                "Payer": "Acme Health Plan",
                "PayerID": "512345678",
                "PlanType": "Commercial",
            },
            {
                "PlanID": "BEACON-MC",
                "Payer": "Beacon Mutual",
                "PayerID": "1222333444",
                "PlanType": "Medicaid",
            },
            {
                "PlanID": "SUMMIT",
                "Payer": "Summit Care",
                "PayerID": "1512345679",
                "PlanType": "Commercial",
            },
        ],
        "Coverage": [
            _cover("P001", "ACME-PPO", 1),
            _cover("P001", "SUMMIT", 2),
            _cover("P002", "ACME-PPO", 1),
            _cover("P003", "ACME-PPO", 1),
            _cover("P004", "BEACON-MC", 1),
            _cover("P004", "ACME-PPO", 2),
        ],
        "Charges": charges,
        "Payments": [
            {
                **earlier,
                "PaymentID": "PAY0001",
                "Payer": "BEACON-MC",
                "Kind": "Payment",
                "Method": "EFT",
                "Reference": "BM-EARLIER-1",
                "Amount": Decimal("20.00"),
            }
        ],
        "Adjustments": [
            {
                **earlier,
                "AdjustmentID": "ADJ0001",
                "Kind": "Contractual",
                "Group": "CO",
                "Reason": "45",
                "Amount": Decimal("12.00"),
            }
        ],
    }


def practice_book() -> Book:
    """The fixture practice as an in-memory book."""
    return book_from_records(practice_records())


def practice_workbook(path: Path) -> Path:
    """The fixture practice written as a workbook file (by the template)."""
    write_workbook(path, practice_records())
    return path
