"""A small practice with hand-checked A/R figures as of 2026-11-15 (period: 3 months).

* P1 (guarantor of P2): C1 200.00 on 2026-09-10, paid 150.00 by card and 20.00 contractual →
  30.00 open, billed 2026-10-10 (36 days: 31-60); C5 80.00 on 2026-01-15, billed 2026-09-15
  (61 days: 61-90). A 3-installment plan of 80.00 on track.
* P2: C2 100.00 on 2026-10-05, paid 130.00 by check then refunded 10.00 → credit 20.00.
* P3: C3 300.00 on 2026-10-20, submitted to ACME (pending, 26 days: 0-30); C4 50.00 void.

A/R 410.00 (insurance 300.00, patients 110.00), credit 20.00, net 390.00. Period 2026-09-01 to
2026-11-15: charges 600.00, payments 280.00, refunds 10.00 → collected 270.00, rate 45.0%;
contractual 20.00 → net rate 270 / 580 = 46.6%.
"""

import datetime as dt

from addin.workbook.book import book_from_records

D = dt.date
AS_OF = D(2026, 11, 15)


def _patient(pid, **extra):
    row = {
        "PatientID": pid,
        "LastName": f"Surname{pid}",
        "FirstName": f"Given{pid}",
        "DOB": D(1980, 1, 1),
        "AccountStatus": "Active",
    }
    row.update(extra)
    return row


def _charge(cid, pid, amount, served, status="Patient due"):
    return {
        "ChargeID": cid,
        "PatientID": pid,
        "ServiceDate": served,
        "Code": "99213",
        "Amount": amount,
        "Status": status,
    }


def _payment(pay_id, pid, amount, on, method, charge_id=None, kind="Payment"):
    return {
        "PaymentID": pay_id,
        "Date": on,
        "PatientID": pid,
        "ChargeID": charge_id,
        "Payer": "Patient",
        "Kind": kind,
        "Method": method,
        "Amount": amount,
    }


def records():
    return {
        "Patients": [_patient("P1"), _patient("P2", Guarantor="P1"), _patient("P3")],
        "Plans": [{"PlanID": "ACME", "Payer": "Acme Health", "PlanType": "Commercial"}],
        "Coverage": [
            {"PatientID": "P3", "PlanID": "ACME", "Rank": 1, "EffectiveFrom": D(2026, 1, 1)}
        ],
        "Charges": [
            _charge("C1", "P1", "200.00", D(2026, 9, 10)),
            _charge("C2", "P2", "100.00", D(2026, 10, 5)),
            _charge("C3", "P3", "300.00", D(2026, 10, 20), "Submitted"),
            _charge("C4", "P3", "50.00", D(2026, 8, 1), "Void"),
            _charge("C5", "P1", "80.00", D(2026, 1, 15)),
        ],
        "Payments": [
            _payment("Y1", "P1", "150.00", D(2026, 10, 1), "Card", "C1"),
            _payment("Y3", "P2", "130.00", D(2026, 11, 5), "Check"),
            _payment("Y4", "P2", "10.00", D(2026, 11, 10), "Check", kind="Refund"),
            _payment("Y9", "P2", "99.00", D(2026, 11, 20), "Cash"),  # after the as-of date
        ],
        "Adjustments": [
            {
                "AdjustmentID": "A1",
                "Date": D(2026, 10, 1),
                "PatientID": "P1",
                "ChargeID": "C1",
                "Kind": "Contractual",
                "Group": "CO",
                "Reason": "45",
                "Amount": "20.00",
            }
        ],
        "PaymentPlans": [
            {
                "PlanNo": "PP1",
                "PatientID": "P1",
                "Created": D(2026, 11, 1),
                "Balance": "240.00",
                "Installment": "80.00",
                "Count": 3,
                "FirstDue": D(2026, 12, 1),
                "Rule": "Equal",
                "Status": "Active",
            }
        ],
        "Statements": [
            {
                "StatementID": "S1",
                "PatientID": "P1",
                "StatementDate": D(2026, 9, 15),
                "DueDate": D(2026, 10, 6),
                "AmountDue": "80.00",
            },
            {
                "StatementID": "S2",
                "PatientID": "P1",
                "StatementDate": D(2026, 10, 10),
                "DueDate": D(2026, 10, 31),
                "AmountDue": "110.00",
            },
        ],
    }


def book():
    return book_from_records(records())


NAMES = ("SurnameP1", "SurnameP2", "SurnameP3", "GivenP1", "GivenP2", "GivenP3")
