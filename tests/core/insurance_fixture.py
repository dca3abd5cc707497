"""A small practice's insurance data as plain records (for core tests and CLI end-to-end tests).

Patients:
* P1 — GOLD primary (deductible 1,000, 200 met; OOP 4,000, 300 used in 2026) + SILVER secondary;
* P2 — GOLD only, never verified; has an MRI (prior auth) and therapy (not covered by GOLD);
* P3 — no insurance (self-pay);
* P4 — BRONZE coverage that ended 2025-12-31.
"""

from __future__ import annotations

import copy
import datetime as dt

from addin.workbook.book import Book, book_from_records

D = dt.date


def _charge(
    charge_id: str, patient_id: str, day: dt.date, code: str, amount: int, status: str
) -> dict[str, object]:
    return {
        "ChargeID": charge_id,
        "PatientID": patient_id,
        "ServiceDate": day,
        "Code": code,
        "Amount": amount,
        "Status": status,
    }


RECORDS: dict[str, list[dict[str, object]]] = {
    "Patients": [
        {
            "PatientID": pid,
            "LastName": "Test",
            "FirstName": "Pat",
            "DOB": D(1980, 1, 1),
            "AccountStatus": "Active",
        }
        for pid in ("P1", "P2", "P3", "P4")
    ],
    "Plans": [
        {
            "PlanID": "GOLD",
            "Payer": "Acme Health",
            "PlanType": "Commercial",
            "Deductible": 1000,
            "OOPMax": 4000,
            "Coinsurance": "20%",
            "CopayOffice": 25,
            "CopaySpecialist": 50,
            "CopayER": 250,
            "COBMethod": "standard",
            "NotCovered": "97110, J",
            "PriorAuth": "70551",
        },
        {
            "PlanID": "SILVER",
            "Payer": "Beta Insurance",
            "PlanType": "Commercial",
            "Deductible": 500,
            "OOPMax": 6000,
            "Coinsurance": "30%",
            "CopayOffice": 40,
            "COBMethod": "standard",
        },
        {
            "PlanID": "BRONZE",
            "Payer": "Gamma Care",
            "PlanType": "Commercial",
            "Deductible": 3000,
            "OOPMax": 8000,
            "Coinsurance": "40%",
            "COBMethod": "non_duplication",
        },
        {"PlanID": "CASH", "Payer": "Self-pay", "PlanType": "Self-pay"},
    ],
    "Fees": [
        {
            "Code": "99213",
            "Description": "Office visit",
            "Charge": 150,
            "CopayType": "Office",
            "DeductibleApplies": False,
        },
        {
            "Code": "80053",
            "Description": "Lab panel",
            "Charge": 60,
            "CopayType": "None",
            "DeductibleApplies": True,
        },
        {"Code": "70551", "Description": "MRI", "Charge": 1200, "DeductibleApplies": True},
        {"Code": "97110", "Description": "Therapy", "Charge": 90, "DeductibleApplies": True},
        {"Code": "J1100", "Description": "Injection", "Charge": 30},
    ],
    "Allowed": [
        {"PlanID": "GOLD", "Code": "99213", "Allowed": 100},
        {"PlanID": "GOLD", "Code": "80053", "Allowed": 40},
        {"PlanID": "GOLD", "Code": "70551", "Allowed": 800},
        {"PlanID": "SILVER", "Code": "99213", "Allowed": 110},
        {"PlanID": "SILVER", "Code": "80053", "Allowed": 45},
        {"PlanID": "SILVER", "Code": "70551", "Allowed": 900},
        {"PlanID": "BRONZE", "Code": "99213", "Allowed": 95},
        {"PlanID": "BRONZE", "Code": "80053", "Allowed": 38},
    ],
    "Coverage": [
        {
            "PatientID": "P1",
            "PlanID": "GOLD",
            "Rank": 1,
            "MemberID": "G-1",
            "EffectiveFrom": D(2025, 1, 1),
            "DeductibleMet": 200,
            "OOPUsed": 300,
            "BenefitYear": 2026,
            "VerifiedOn": D(2026, 3, 1),
        },
        {
            "PatientID": "P1",
            "PlanID": "SILVER",
            "Rank": 2,
            "MemberID": "S-1",
            "EffectiveFrom": D(2025, 1, 1),
            "BenefitYear": 2026,
            "VerifiedOn": D(2026, 3, 1),
        },
        {
            "PatientID": "P2",
            "PlanID": "GOLD",
            "Rank": 1,
            "EffectiveFrom": D(2026, 1, 1),
            "BenefitYear": 2026,
        },
        {
            "PatientID": "P4",
            "PlanID": "BRONZE",
            "Rank": 1,
            "EffectiveFrom": D(2024, 1, 1),
            "EffectiveTo": D(2025, 12, 31),
            "VerifiedOn": D(2025, 6, 1),
        },
    ],
    "Charges": [
        _charge("C1", "P1", D(2026, 3, 10), "99213", 150, "Adjudicated"),
        _charge("C2", "P1", D(2026, 3, 10), "80053", 60, "Adjudicated"),
        _charge("C3", "P2", D(2026, 3, 12), "70551", 1200, "Submitted"),
        _charge("C4", "P2", D(2026, 3, 12), "97110", 90, "Submitted"),
        _charge("C5", "P3", D(2026, 3, 15), "99213", 150, "Patient due"),
        _charge("C6", "P4", D(2026, 3, 15), "99213", 150, "Unbilled"),
        _charge("C7", "P1", D(2026, 3, 16), "J1100", 30, "Void"),
    ],
    "Payments": [],
}


def records(**changes: list[dict[str, object]]) -> dict[str, list[dict[str, object]]]:
    """A deep copy of :data:`RECORDS` with some tables replaced."""
    result = copy.deepcopy(RECORDS)
    result.update(copy.deepcopy(changes))
    return result


def book(**changes: list[dict[str, object]]) -> Book:
    return book_from_records(records(**changes))
