"""The audit of discrepancies: "find what went wrong" in a workbook, as findings.

:func:`audit_book` runs every rule and returns findings worst first. Each finding names the
sheet and Excel row to look at, the IDs involved, one sentence saying what is wrong and a fix.

Rules (each in the module named after its concern):

=========================  ========  =========================================================
code                       severity  rule
=========================  ========  =========================================================
credit_balance             warning   a patient's balance is below zero (ledger, as of the date)
overpaid_charge            warning   a line has more paid and adjusted than its amount
underpaid                  warning   an insurer paid less than the contract (allowed − patient
                                     share), from :mod:`addin.core.expected`
overpaid                   error     an insurer paid more than the contract, or without
                                     coverage in force (:mod:`addin.core.expected`)
duplicate_payment          error     same payer + reference + amount as an earlier row
duplicate_charge           error     same patient, service date, code and modifier
unknown_charge             error     a payment/adjustment names a ChargeID not on Charges
charge_of_other_patient    error     ... names another patient's charge (warning when both
                                     patients are on the same guarantor account)
posting_on_void_charge     warning   ... names a void charge (it only makes credit)
future_date                error     a service, payment or adjustment date (or a DOB) after
                                     the as-of date
date_before_birth          error     a service, payment or adjustment date before the DOB
fee_mismatch               warning   Amount ≠ Fees.Charge × Units (blank Units = 1)
code_not_in_fees           info      a valid code charged but missing from Fees
invalid_procedure_code     error     Charges.Code is not CPT/HCPCS shaped
invalid_diagnosis_code     error     a Diagnoses code is not an ICD-10-CM code
non_billable_diagnosis     error     a Diagnoses code is an ICD-10-CM heading, not billable
=========================  ========  =========================================================

**Patient data.** Messages carry IDs and codes only: never names, dates of birth or balances
(DESIGN §6). The only amounts shown are fee-schedule prices in a ``fee_mismatch`` fix (the
practice's prices) and, in ``underpaid``/``overpaid``, what the insurer paid against what its
contract says — the discrepancy itself, which the rep needs to take up with the payer.
"""

from __future__ import annotations

import datetime as dt

from addin.core.audit_balances import balance_findings
from addin.core.audit_charges import duplicate_charges, fee_schedule_mismatches, invalid_codes
from addin.core.audit_dates import dates_before_birth, future_dates
from addin.core.audit_insurers import insurer_payment_findings
from addin.core.audit_postings import charge_references, duplicate_payments
from addin.core.findings import Finding, sort_findings

__all__ = ["audit_book"]


def audit_book(book: object, *, as_of: dt.date) -> list[Finding]:
    """Every discrepancy in a loaded :class:`~addin.workbook.book.Book`, worst first.

    Args:
        book: the workbook's typed tables (``book.tables``) and Policy (``book.policy``).
        as_of: the audit date: later dates are "in the future"; balances are as of this day.

    Returns:
        Findings sorted by severity, then sheet and row (see the module doc for the rules).
    """
    tables = book.tables  # type: ignore[attr-defined]
    charges, payments = tables["Charges"], tables["Payments"]
    adjustments, patients = tables["Adjustments"], tables["Patients"]
    findings: list[Finding] = []
    findings += balance_findings(book, as_of)
    findings += insurer_payment_findings(tables)
    findings += duplicate_payments(payments)
    findings += duplicate_charges(charges)
    findings += charge_references(payments, "Payments", charges, patients)
    findings += charge_references(adjustments, "Adjustments", charges, patients)
    findings += future_dates(tables, as_of)
    findings += dates_before_birth(tables)
    findings += fee_schedule_mismatches(charges, tables["Fees"])
    findings += invalid_codes(charges)
    return sort_findings(findings)
