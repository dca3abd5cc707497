"""Audit rules on the Charges table: duplicate lines, prices off the fee schedule, invalid codes.

Void charges (Status ``Void``) are skipped: a voided line and its corrected copy are not
duplicates, and a voided line is never billed. Messages carry IDs and codes only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from addin.core.audit_common import (
    ROW,
    SHEET,
    code_key,
    ids,
    label,
    records,
    repeated_rows,
    text,
    void,
    where,
)
from addin.core.codes import check_codes, split_diagnoses
from addin.core.findings import Finding, Severity
from addin.core.money import from_cents


def live_charges(charges: pd.DataFrame) -> pd.DataFrame:
    """The charge lines that are not voided."""
    return charges.loc[~void(charges["Status"])]


def duplicate_charges(charges: pd.DataFrame) -> list[Finding]:
    """Lines with the same patient, service date, code and modifier as an earlier line.

    One error per repeated line, naming the first line it repeats. Rows missing the patient,
    date or code are left to validation.
    """
    live = live_charges(charges)
    keys = pd.DataFrame(
        {
            "patient": text(live["PatientID"]),
            "date": live["ServiceDate"],
            "code": code_key(live["Code"]),
            "modifier": code_key(live["Modifier"]),
        }
    )
    complete = (keys["patient"].notna() & keys["date"].notna() & (keys["code"] != "")).to_numpy()
    live, keys = live.loc[complete], keys.loc[complete]
    findings = []
    for record, first in repeated_rows(live, keys):
        sheet, row = where(record)
        findings.append(
            Finding(
                code="duplicate_charge",
                message=(
                    f"{label(record, 'ChargeID', 'charge', start=True)} repeats charge "
                    f"{first['ChargeID']} ({first[SHEET]} row {first[ROW]}): same patient "
                    f"{record['PatientID']}, service date, code and modifier."
                ),
                sheet=sheet,
                row=row,
                column="Code",
                severity=Severity.ERROR,
                fix=(
                    "If the service was done once, set Status to Void on this line; if it was "
                    "repeated, add a modifier (76 repeat procedure, 91 repeat lab) or bill it "
                    "as Units on one line."
                ),
                ids=ids(record["ChargeID"], first["ChargeID"], record["PatientID"]),
            )
        )
    return findings


def fee_schedule_mismatches(charges: pd.DataFrame, fees: pd.DataFrame) -> list[Finding]:
    """Lines whose Amount differs from the fee schedule: Fees.Charge × Units (blank Units = 1).

    Warnings, one per line; the fix names the expected amount (practice prices, not patient
    data). Codes missing from Fees get one note each (first line), since their lines cannot be
    checked; invalid codes are left to :func:`invalid_codes`.
    """
    live = live_charges(charges)
    live = live.loc[live["Amount"].notna().to_numpy()]
    if live.empty:
        return []
    fee_codes = code_key(fees["Code"])
    price = (
        pd.Series(fees["Charge"].to_numpy(), index=fee_codes.to_numpy())
        .loc[lambda s: (s.index != "") & s.notna().to_numpy()]
        .groupby(level=0)
        .first()
    )
    codes = code_key(live["Code"])
    units = live["Units"].fillna(1).astype("int64").to_numpy()
    fee = codes.map(price)
    priced = fee.notna().to_numpy()
    expected = np.where(priced, fee.fillna(0).astype("int64").to_numpy() * units, 0)
    amount = live["Amount"].astype("int64").to_numpy()
    wrong = priced & (amount != expected)

    findings = []
    for record, want, each, count in zip(
        records(live, wrong),
        expected[wrong],
        fee.to_numpy()[wrong],
        units[wrong],
        strict=True,
    ):
        sheet, row = where(record)
        code = record["Code"]
        per = (
            f"{from_cents(int(each))} × {count} units" if count != 1 else f"{from_cents(int(each))}"
        )
        findings.append(
            Finding(
                code="fee_mismatch",
                message=(
                    f"{label(record, 'ChargeID', 'charge', start=True)} is not billed at the "
                    f"fee schedule charge for code {code}."
                ),
                sheet=sheet,
                row=row,
                column="Amount",
                severity=Severity.WARNING,
                fix=(
                    f"Set Amount to {from_cents(int(want))} (Fees {per}), or correct the Fees "
                    f"sheet if the price changed."
                ),
                ids=ids(record["ChargeID"], record["PatientID"]),
            )
        )

    valid = np.array([c.valid for c in check_codes(codes.to_numpy(), "procedure")], dtype=bool)
    unpriced = ~priced & valid
    missing = live.loc[unpriced].assign(_code=codes.to_numpy()[unpriced])
    for code, lines in missing.groupby("_code", sort=True):
        first = lines.iloc[0]
        findings.append(
            Finding(
                code="code_not_in_fees",
                message=(
                    f"Code {code} is charged on {len(lines)} line(s) but is not in the Fees "
                    f"sheet, so its amounts cannot be checked."
                ),
                sheet=str(first[SHEET]),
                row=int(first[ROW]),
                column="Code",
                severity=Severity.INFO,
                fix=f"Add code {code} with its standard charge to the Fees sheet.",
                ids=ids(first["ChargeID"]),
            )
        )
    return findings


def invalid_codes(charges: pd.DataFrame) -> list[Finding]:
    """Procedure codes that are not CPT/HCPCS shaped, and diagnoses that are not billable
    ICD-10-CM codes (each code of the comma-separated Diagnoses cell); errors, one per code.

    Blank procedure codes are left to validation (the column is required); blank Diagnoses are
    not flagged.
    """
    live = live_charges(charges)
    findings = []
    procedure = live["Code"]
    present = procedure.notna().to_numpy()
    checks = check_codes(procedure.to_numpy()[present], "procedure")
    bad = np.zeros(len(live), dtype=bool)
    bad[np.flatnonzero(present)] = [not c.valid for c in checks]
    bad_checks = [c for c in checks if not c.valid]
    for record, check in zip(records(live, bad), bad_checks, strict=True):
        sheet, row = where(record)
        findings.append(
            Finding(
                code="invalid_procedure_code",
                message=f"{label(record, 'ChargeID', 'charge', start=True)}: {check.message}",
                sheet=sheet,
                row=row,
                column="Code",
                severity=Severity.ERROR,
                fix="Correct the code in the Code column.",
                ids=ids(record["ChargeID"], record["PatientID"]),
            )
        )

    cells = live["Diagnoses"]
    has = cells.notna().to_numpy()
    problems = {cell: _diagnosis_problems(cell) for cell in pd.unique(cells[has])}
    flagged = cells.map(lambda cell: bool(problems.get(cell)), na_action="ignore")
    flagged = flagged.fillna(False).to_numpy(dtype=bool)
    for record in records(live, flagged):
        sheet, row = where(record)
        for check in problems[record["Diagnoses"]]:
            billable_issue = check.valid and check.billable is False
            findings.append(
                Finding(
                    code="non_billable_diagnosis" if billable_issue else "invalid_diagnosis_code",
                    message=f"{label(record, 'ChargeID', 'charge', start=True)}: {check.message}",
                    sheet=sheet,
                    row=row,
                    column="Diagnoses",
                    severity=Severity.ERROR,
                    fix=(
                        "Replace it with the most specific (billable) ICD-10-CM code."
                        if billable_issue
                        else "Correct the code in the Diagnoses column (codes separated by commas)."
                    ),
                    ids=ids(record["ChargeID"], record["PatientID"]),
                )
            )
    return findings


def _diagnosis_problems(cell: object) -> list:
    """The checks of a Diagnoses cell's codes that are invalid or not billable."""
    return [
        check
        for check in check_codes(split_diagnoses(cell), "diagnosis")
        if not (check.valid and check.billable)
    ]
