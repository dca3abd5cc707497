"""Workbook rows and file helpers shared by the notices and collections CLI tests."""

import csv
import hashlib
import io


def patient(pid, last, **extra):
    """A Patients row with a full mailing address and phone; ``extra`` columns override."""
    row = {
        "PatientID": pid,
        "LastName": last,
        "FirstName": "Sam",
        "DOB": "1970-06-01",
        "Address1": f"{pid} Main St",
        "City": "Springfield",
        "State": "IL",
        "ZIP": "62704",
        "Phone": "(217) 555-0100",
        "AccountStatus": "Active",
    }
    row.update(extra)
    return row


def charge(cid, pid, amount="100.00", served="2026-01-05"):
    """A patient-due office visit (99213) served on ``served``."""
    return {
        "ChargeID": cid,
        "PatientID": pid,
        "ServiceDate": served,
        "Code": "99213",
        "Amount": amount,
        "Status": "Patient due",
    }


def sha(path):
    """The file's SHA-256, to prove a workbook was only read."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_csv(path):
    """A UTF-8 CSV file as a list of dicts."""
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
