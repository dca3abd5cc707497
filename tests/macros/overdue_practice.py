"""Overdue accounts with known numbers, for the notices, collections and worklist macros.

Today is 2026-06-15, 09:30 practice time (America/New_York); aging thresholds 30/60/90/120.

=====  ========  ========================================================  ====================
acct   contact   charge and first statement                                 on the worklist
=====  ========  ========================================================  ====================
A001   Mail      200.00 (2026-02-01), billed 2026-03-01 → 106 days, lvl 4   letter
A002   Email     80.00 (2026-04-01), billed 2026-04-15 → 61 days, lvl 3     email draft
A003   Phone LA  150.00 (2026-01-02), billed 2026-01-15 → 151 days, lvl 5   call: 06:30 there, no
A004   Phone CHI 60.00 (2026-04-20), billed 2026-05-01 → 45 days, lvl 2     call: 08:30 there, yes
A005   Mail      40.00 (2026-05-20), billed 2026-06-01 → 14 days, lvl 1     not overdue
A006   Mail      300.00 (2025-10-01), billed 2025-11-01; in Collections     not worked
=====  ========  ========================================================  ====================

A003's final notice went out with its statement of 2026-04-20 (FinalNotice TRUE), 56 days ago.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from addin.workbook.memory_adapter import MemoryWorkbook

TODAY = dt.date(2026, 6, 15)
NOW = dt.datetime(2026, 6, 15, 9, 30)
USER = "rep1"
d = dt.date

#: account → (contact, extra Patients columns, charge date, amount, first statement)
ACCOUNTS = {
    "A001": ("Mail", {}, d(2026, 2, 1), "200.00", d(2026, 3, 1)),
    "A002": ("Email", {"Email": "pat@example.com"}, d(2026, 4, 1), "80.00", d(2026, 4, 15)),
    "A003": (
        "Phone",
        {"Phone": "555-0103", "TimeZone": "America/Los_Angeles"},
        d(2026, 1, 2),
        "150.00",
        d(2026, 1, 15),
    ),
    "A004": (
        "Phone",
        {"Phone": "555-0104", "TimeZone": "America/Chicago"},
        d(2026, 4, 20),
        "60.00",
        d(2026, 5, 1),
    ),
    "A005": ("Mail", {}, d(2026, 5, 20), "40.00", d(2026, 6, 1)),
    "A006": ("Mail", {"AccountStatus": "Collections"}, d(2025, 10, 1), "300.00", d(2025, 11, 1)),
}


def overdue_records() -> dict[str, list[dict[str, object]]]:
    """The accounts as plain records (a fresh copy each call)."""
    patients, charges, statements = [], [], []
    for n, (account, (contact, more, served, amount, billed)) in enumerate(ACCOUNTS.items()):
        patients.append(
            {
                "PatientID": account,
                "LastName": f"Last{n}",
                "FirstName": "Pat",
                "DOB": d(1970, 1, 1),
                "Address1": f"{n + 1} Elm St",
                "City": "Springfield",
                "State": "IL",
                "ZIP": "62701",
                "PreferredContact": contact,
                "AccountStatus": "Active",
                **more,
            }
        )
        charges.append(
            {
                "ChargeID": f"C{account}",
                "PatientID": account,
                "ServiceDate": served,
                "Code": "99213",
                "Amount": Decimal(amount),
                "BillerType": "Professional",
                "Status": "Patient due",
            }
        )
        statements.append(
            {
                "StatementID": f"S{account}",
                "PatientID": account,
                "StatementDate": billed,
                "DueDate": billed + dt.timedelta(days=21),
                "AmountDue": Decimal(amount),
                "DunningLevel": 1,
                "Channel": "Mail",
            }
        )
    statements.append(
        {
            "StatementID": "SA003-F",
            "PatientID": "A003",
            "StatementDate": d(2026, 4, 20),
            "DueDate": d(2026, 5, 11),
            "AmountDue": Decimal("150.00"),
            "DunningLevel": 5,
            "Channel": "Mail",
            "FinalNotice": True,
        }
    )
    return {
        "Patients": patients,
        "Fees": [{"Code": "99213", "Charge": Decimal("200.00"), "Description": "Office visit"}],
        "Charges": charges,
        "Statements": statements,
    }


def overdue_practice(records: dict | None = None) -> MemoryWorkbook:
    """The accounts as a memory workbook (Patients row 2 selected)."""
    workbook = MemoryWorkbook.from_records(records or overdue_records())
    workbook.select("Patients", 2, 1)
    return workbook
