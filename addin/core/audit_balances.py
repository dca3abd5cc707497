"""Audit rules on balances: patients in credit and lines paid beyond their amount.

Both come from the ledger (:mod:`addin.core.ledger`) as of the audit date. Findings are warnings:
a credit is not a data error, but the practice must apply or refund it. Messages never show a
balance; the rep sees it on the Accounts sheet or with ``pa_balance``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from addin.core.audit_common import ROW, SHEET, ids, text
from addin.core.findings import Finding, Severity
from addin.core.ledger import Ledger, ledger_from_book
from addin.errors import PaxlError


def balance_findings(book: object, as_of: dt.date) -> list[Finding]:
    """Credit balances and overpaid lines; a warning instead when the ledger cannot be computed.

    The ledger refuses rows lacking what it needs (validation reports those); the audit then
    says balances were not checked rather than failing.
    """
    try:
        ledger = ledger_from_book(book, as_of=as_of)
    except PaxlError as exc:
        return [
            Finding(
                code="balances_not_checked",
                message=f"Credit balances were not checked: {exc}",
                severity=Severity.WARNING,
                fix="Fix that problem, then run the audit again.",
            )
        ]
    patients = book.tables["Patients"]  # type: ignore[attr-defined]
    return credit_balances(ledger, patients) + overpaid_lines(ledger)


def credit_balances(ledger: Ledger, patients) -> list[Finding]:
    """One warning per patient whose balance is below zero (paid more than owed).

    The finding is on the patient's Patients row (no row when the patient is not listed there).
    """
    accounts = ledger.accounts
    credit = accounts.loc[accounts["balance"].to_numpy() < 0]
    if credit.empty:
        return []
    listed = patients.loc[text(patients["PatientID"]).notna().to_numpy()]
    place = {
        pid: (str(sheet), int(row))
        for pid, sheet, row in zip(
            text(listed["PatientID"]), listed[SHEET], listed[ROW], strict=True
        )
    }
    findings = []
    for patient_id, account in credit.iterrows():
        sheet, row = place.get(patient_id, ("Patients", None))
        refundable = int(account["refund_due"]) > 0
        findings.append(
            Finding(
                code="credit_balance",
                message=f"Patient {patient_id} has a credit balance (more paid than owed).",
                sheet=sheet,
                row=row,
                column="PatientID",
                severity=Severity.WARNING,
                fix=(
                    "Apply the credit to the patient's other open items or refund it (Issue "
                    "refund)."
                    if refundable
                    else "Find the overpayment: return an insurer's overpayment to the payer, or "
                    "hold the credit until insurance pays the pending lines."
                ),
                ids=ids(patient_id, account["Guarantor"]),
            )
        )
    return findings


def overpaid_lines(ledger: Ledger) -> list[Finding]:
    """One warning per charge line paid and adjusted beyond its amount."""
    lines = ledger.lines
    over = lines.loc[lines["overpaid"].to_numpy() > 0]
    findings = []
    for charge_id, patient_id, sheet, row in zip(
        over["ChargeID"], over["PatientID"], over[SHEET], over[ROW], strict=True
    ):
        findings.append(
            Finding(
                code="overpaid_charge",
                message=(
                    f"Charge {charge_id} has more paid and adjusted on it than its amount; the "
                    f"excess is credit on patient {patient_id}."
                ),
                sheet=None if sheet is None else str(sheet),
                row=None if row is None or np.isnan(row) else int(row),
                column="Amount",
                severity=Severity.WARNING,
                fix=(
                    "Check the payments and adjustments posted to this charge: move a misposted "
                    "one to its line, reverse a duplicate, or refund the excess."
                ),
                ids=ids(charge_id, patient_id),
            )
        )
    return findings
