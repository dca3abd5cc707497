"""Audit rules on dates: nothing happens after the audit date or before the patient was born.

Checked: Charges.ServiceDate, Payments.Date, Adjustments.Date (against the as-of date and the
patient's DOB) and Patients.DOB (against the as-of date). Messages never show a date of birth.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from addin.core.audit_common import as_of_stamp, ids, label, records, text, where
from addin.core.findings import Finding, Severity

#: table → (date column, ID column, what a row is, how the date is called)
DATED = {
    "Charges": ("ServiceDate", "ChargeID", "charge", "service date"),
    "Payments": ("Date", "PaymentID", "payment", "date"),
    "Adjustments": ("Date", "AdjustmentID", "adjustment", "date"),
}


def future_dates(tables: dict[str, pd.DataFrame], as_of: dt.date) -> list[Finding]:
    """Errors for dates after ``as_of`` (the day of the audit counts as not in the future)."""
    cutoff = as_of_stamp(as_of)
    findings = []
    for table, (column, key, what, called) in DATED.items():
        frame = tables[table]
        late = (frame[column] > cutoff).fillna(False).to_numpy(dtype=bool)
        for record in records(frame, late):
            sheet, row = where(record)
            findings.append(
                Finding(
                    code="future_date",
                    message=(
                        f"The {called} of {label(record, key, what)} is after the audit date "
                        f"{cutoff.date().isoformat()}."
                    ),
                    sheet=sheet,
                    row=row,
                    column=column,
                    severity=Severity.ERROR,
                    fix="Correct the date (a typo in the year?); post items when they happen.",
                    ids=ids(record.get(key), record.get("PatientID")),
                )
            )
    patients = tables["Patients"]
    unborn = (patients["DOB"] > cutoff).fillna(False).to_numpy(dtype=bool)
    for record in records(patients, unborn):
        sheet, row = where(record)
        findings.append(
            Finding(
                code="future_date",
                message=(
                    f"The date of birth of {label(record, 'PatientID', 'patient')} is after the "
                    f"audit date {cutoff.date().isoformat()}."
                ),
                sheet=sheet,
                row=row,
                column="DOB",
                severity=Severity.ERROR,
                fix="Correct the date of birth (a typo in the year?).",
                ids=ids(record.get("PatientID")),
            )
        )
    return findings


def dates_before_birth(tables: dict[str, pd.DataFrame]) -> list[Finding]:
    """Errors for service and posting dates before the patient's date of birth."""
    patients = tables["Patients"]
    known = patients.loc[text(patients["PatientID"]).notna().to_numpy()]
    if known.empty:  # nobody to compare with (unknown patients are the validator's finding)
        return []
    born = (
        pd.Series(known["DOB"].to_numpy(), index=text(known["PatientID"]).to_numpy())
        .groupby(level=0)
        .first()
    )
    findings = []
    for table, (column, key, what, called) in DATED.items():
        frame = tables[table]
        dob = text(frame["PatientID"]).map(born)
        early = (frame[column].to_numpy() < pd.to_datetime(dob).to_numpy()) & dob.notna().to_numpy()
        early &= frame[column].notna().to_numpy()
        for record in records(frame, np.asarray(early, dtype=bool)):
            sheet, row = where(record)
            findings.append(
                Finding(
                    code="date_before_birth",
                    message=(
                        f"The {called} of {label(record, key, what)} is before the date of birth "
                        f"of patient {record['PatientID']}."
                    ),
                    sheet=sheet,
                    row=row,
                    column=column,
                    severity=Severity.ERROR,
                    fix=(
                        f"Correct the {called} or the date of birth on the Patients sheet, and "
                        f"check that the {what} is on the right patient."
                    ),
                    ids=ids(record.get(key), record.get("PatientID")),
                )
            )
    return findings
