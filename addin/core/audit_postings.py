"""Audit rules on Payments and Adjustments: duplicate payments, postings naming a wrong charge.

A *duplicate payment* is a row with the same Kind, Payer, Reference and Amount as an earlier row
of the same patient; for an insurer payer also the same ChargeID, because one EFT trace number
pays many lines (often for the same amount) while a patient's check pays once. Rows without a
Reference cannot be compared and are skipped. Messages carry IDs only.
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
from addin.core.findings import Finding, Severity

PATIENT_PAYER = "Patient"

_WHAT = {"Payments": ("PaymentID", "payment"), "Adjustments": ("AdjustmentID", "adjustment")}


def duplicate_payments(payments: pd.DataFrame) -> list[Finding]:
    """Errors for payment or refund rows repeating an earlier row (rule: module doc).

    The finding is on the later row and names both rows.
    """
    keys = pd.DataFrame(
        {
            "kind": text(payments["Kind"]),
            "payer": text(payments["Payer"]),
            "reference": code_key(payments["Reference"]),
            "amount": payments["Amount"],
            "patient": text(payments["PatientID"]),
        }
    )
    insurer = (keys["payer"] != PATIENT_PAYER).to_numpy()
    keys["charge"] = np.where(insurer, text(payments["ChargeID"]).fillna("").to_numpy(), "")
    complete = (
        keys.drop(columns="charge").notna().all(axis=1).to_numpy()
        & (keys["reference"] != "").to_numpy()
    )
    keys, rows = keys.loc[complete], payments.loc[complete]
    findings = []
    for record, first in repeated_rows(rows, keys):
        sheet, row = where(record)
        findings.append(
            Finding(
                code="duplicate_payment",
                message=(
                    f"{label(record, 'PaymentID', 'payment', start=True)} repeats payment "
                    f"{first['PaymentID']} ({first[SHEET]} row {first[ROW]}): same payer, "
                    f"reference and amount for patient {record['PatientID']}."
                ),
                sheet=sheet,
                row=row,
                column="Reference",
                severity=Severity.ERROR,
                fix=(
                    "Check the deposit: if the money arrived once, delete this row; if it really "
                    "arrived twice, keep both and refund the extra payment."
                ),
                ids=ids(record["PaymentID"], first["PaymentID"], record["PatientID"]),
            )
        )
    return findings


def charge_references(
    postings: pd.DataFrame, table: str, charges: pd.DataFrame, patients: pd.DataFrame
) -> list[Finding]:
    """Payments or adjustments whose ChargeID is unknown, another patient's, or a void line.

    Args:
        postings: the Payments or Adjustments frame; ``table`` names which.
        charges, patients: the Charges and Patients frames.

    Returns:
        An error when the charge does not exist or belongs to a patient of another guarantor
        account; a warning when it belongs to another patient of the same guarantor account,
        or is void (the posting then only makes credit). Refunds on void lines are fine.
    """
    key, what = _WHAT[table]
    named = text(postings["ChargeID"])
    has = named.notna().to_numpy()
    if not has.any():
        return []
    charge_ids = text(charges["ChargeID"])
    listed = charge_ids.notna().to_numpy()
    known_ids = charge_ids.to_numpy()[listed]
    owner = pd.Series(text(charges["PatientID"]).to_numpy()[listed], index=known_ids)
    owner = owner.groupby(level=0).first()
    voided = pd.Series(void(charges["Status"])[listed], index=known_ids).groupby(level=0).first()

    patient = text(postings["PatientID"])
    known = named.isin(owner.index).to_numpy()
    holder = named.map(owner)
    other = known & holder.notna().to_numpy() & patient.notna().to_numpy()
    other &= (holder != patient).to_numpy()
    refund = (text(postings["Kind"]) == "Refund").to_numpy()
    on_void = known & ~other & named.map(voided).fillna(False).to_numpy(dtype=bool) & ~refund
    flagged = (has & ~known) | other | on_void
    account = _accounts(patients)

    findings = []
    for record in records(postings, flagged):
        charge, patient_id = record["ChargeID"], record["PatientID"]
        sheet, row = where(record)
        who = label(record, key, what, start=True)
        refs = ids(record.get(key), charge, patient_id)
        holder_id = owner.get(charge)
        if charge not in owner.index:
            findings.append(
                Finding(
                    code="unknown_charge",
                    message=f"{who} names charge {charge}, which is not on the Charges sheet.",
                    sheet=sheet,
                    row=row,
                    column="ChargeID",
                    severity=Severity.ERROR,
                    fix=(
                        f"Correct the ChargeID, or clear it to apply the {what} to the patient's "
                        f"oldest open items."
                    ),
                    ids=refs,
                )
            )
        elif holder_id is not None and patient_id is not None and holder_id != patient_id:
            same_account = account.get(holder_id, holder_id) == account.get(patient_id, patient_id)
            findings.append(
                Finding(
                    code="charge_of_other_patient",
                    message=(
                        f"{who} for patient {patient_id} names charge {charge}, which belongs to "
                        f"patient {holder_id}"
                        + (" (same guarantor account)." if same_account else ".")
                    ),
                    sheet=sheet,
                    row=row,
                    column="ChargeID",
                    severity=Severity.WARNING if same_account else Severity.ERROR,
                    fix=(
                        f"Set PatientID to {holder_id} if the {what} is for that charge; otherwise "
                        f"correct the ChargeID."
                    ),
                    ids=ids(record.get(key), charge, patient_id, holder_id),
                )
            )
        else:
            findings.append(
                Finding(
                    code="posting_on_void_charge",
                    message=f"{who} is posted to charge {charge}, which is void.",
                    sheet=sheet,
                    row=row,
                    column="ChargeID",
                    severity=Severity.WARNING,
                    fix=(
                        f"Move the {what} to the line that replaced the voided one, or refund it; "
                        f"on a void line it only makes credit."
                    ),
                    ids=refs,
                )
            )
    return findings


def _accounts(patients: pd.DataFrame) -> dict[str, str]:
    """PatientID → guarantor account (the Guarantor, or the patient when blank)."""
    patient_ids = text(patients["PatientID"])
    guarantors = text(patients["Guarantor"])
    return {
        p: (g if g is not None else p)
        for p, g in zip(patient_ids, guarantors, strict=True)
        if p is not None
    }
