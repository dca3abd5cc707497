"""Excel function for account balances from the workbook's own tables (a thin wrapper over
:func:`addin.core.ledger.compute_ledger`).

The tables are passed whole, with their header rows (``Charges[#All]``), converted once
(:mod:`udfs.tables`), and the ledger is computed once per call, however many patient IDs are
asked for: one formula can fill the balance column of a whole Accounts sheet.
"""

from __future__ import annotations

import pandas as pd
import xlwings as xw

from addin.core.ledger import compute_ledger
from addin.core.money import from_cents
from addin.errors import PaxlError
from addin.workbook.frames import is_blank
from udfs.convert import (
    CATEGORY,
    RANGE_OPTIONS,
    cells,
    date_arg,
    excel_function,
    number,
    omitted,
    shaped,
    single,
    text_arg,
    values_or_errors,
)
from udfs.tables import typed_table

__all__ = ["pa_balance"]

#: the columns the ledger reads from each table, and those the header must have
LEDGER_COLUMNS = {
    "Charges": (("ChargeID", "PatientID", "ServiceDate", "Amount", "Status"), 4),
    "Payments": (("PatientID", "Date", "Payer", "Kind", "Amount", "ChargeID"), 5),
    "Adjustments": (("PatientID", "Date", "Kind", "Amount", "ChargeID", "Group"), 4),
    "Patients": (("PatientID", "Guarantor"), 1),
}


def _frame(value: object, name: str, schema_name: str):
    needed, required = LEDGER_COLUMNS[schema_name]
    return typed_table(value, name, schema_name, needed=needed, required=needed[:required])


@xw.func(category=CATEGORY)
@xw.arg(
    "patient_ids",
    **RANGE_OPTIONS,
    doc="The PatientIDs to show (one or a column, e.g. Patients[PatientID]).",
)
@xw.arg(
    "charges", **RANGE_OPTIONS, doc="The whole Charges table with its header row: Charges[#All]."
)
@xw.arg(
    "payments", **RANGE_OPTIONS, doc="The whole Payments table with its header row: Payments[#All]."
)
@xw.arg(
    "adjustments",
    **RANGE_OPTIONS,
    doc="The whole Adjustments table with its header row: Adjustments[#All].",
)
@xw.arg(
    "as_of",
    **RANGE_OPTIONS,
    doc="Optional. Count only services and postings up to this date (blank = everything).",
)
@xw.arg(
    "patients",
    **RANGE_OPTIONS,
    doc="Optional. The Patients table, Patients[#All]: patients on it with no activity show 0.",
)
@excel_function
def pa_balance(patient_ids, charges, payments, adjustments, as_of=None, patients=None):
    """Each patient's balance in dollars: charges - payments - adjustments + refunds; positive
    = owes, negative = credit. One value per ID; an unknown ID shows a message. Example:
    =PA_BALANCE(A2:A500,Charges[#All],Payments[#All],Adjustments[#All])."""
    ids = cells(patient_ids, "patient_ids")
    day = single(as_of, "as_of")
    ledger = compute_ledger(
        _frame(charges, "charges", "Charges"),
        _frame(payments, "payments", "Payments"),
        _frame(adjustments, "adjustments", "Adjustments"),
        as_of=None if is_blank(day) else date_arg(day, "as_of"),
        patients=None if omitted(patients) else _frame(patients, "patients", "Patients"),
    )
    wanted = [None if ids.blank(i) else text_arg(ids.at(i), "patient_ids") for i in range(len(ids))]
    found = ledger.accounts["balance"].reindex(pd.Index(wanted, dtype=object))
    cents = found.to_numpy(dtype=object, na_value=None)

    def balance(i: int) -> object:
        patient = wanted[i]
        if patient is None:
            if ids.single:
                raise PaxlError("patient_ids is blank; enter a PatientID")
            return None
        if cents[i] is None and omitted(patients):
            raise PaxlError(
                f"{patient} has no charges, payments or adjustments here; check the PatientID "
                "(give Patients[#All] as patients to show 0 for patients with no activity)"
            )
        if cents[i] is None:
            raise PaxlError(f"{patient} is not on the Patients table; check the PatientID")
        return number(from_cents(int(cents[i])))

    return shaped(values_or_errors(len(ids), balance, single=len(ids) == 1), ids)
