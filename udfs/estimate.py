"""Excel function for a patient's cost estimate for planned services (a thin wrapper over
:func:`addin.core.estimate.estimate_for_patient`), from the workbook's own tables.
"""

from __future__ import annotations

import xlwings as xw

from addin.core.estimate import estimate_for_patient
from addin.workbook.frames import is_blank
from addin.workbook.schema import table as schema_table
from udfs.convert import (
    CATEGORY,
    RANGE_OPTIONS,
    ExcelArgumentError,
    cells,
    date_arg,
    excel_function,
    number,
    single,
    text_arg,
)
from udfs.tables import typed_table

__all__ = ["pa_estimate"]


def _whole(value: object, name: str, schema_name: str):
    schema = schema_table(schema_name)
    return typed_table(
        value,
        name,
        schema_name,
        needed=schema.column_names,
        required=tuple(c.name for c in schema.columns if c.required),
    )


def _codes(value: object) -> list[str]:
    found = cells(value, "codes")
    codes = [
        part.strip()
        for v in found.values
        if not is_blank(v)
        for part in text_arg(v, "codes").split(",")
        if part.strip()
    ]
    if not codes:
        raise ExcelArgumentError("codes is blank; list the planned codes, e.g. 99213,80053")
    return codes


@xw.func(category=CATEGORY)
@xw.arg("patient_id", **RANGE_OPTIONS, doc="The PatientID the services are planned for.")
@xw.arg(
    "codes",
    **RANGE_OPTIONS,
    doc='The planned service codes: a column of codes or one cell such as "99213,80053".',
)
@xw.arg("service_date", **RANGE_OPTIONS, doc="The planned date of service.")
@xw.arg("patients", **RANGE_OPTIONS, doc="The Patients table with its header row: Patients[#All].")
@xw.arg("plans", **RANGE_OPTIONS, doc="The Plans table with its header row: Plans[#All].")
@xw.arg("coverage", **RANGE_OPTIONS, doc="The Coverage table with its header row: Coverage[#All].")
@xw.arg("fees", **RANGE_OPTIONS, doc="The Fees table with its header row: Fees[#All].")
@xw.arg("allowed", **RANGE_OPTIONS, doc="The Allowed table with its header row: Allowed[#All].")
@excel_function
def pa_estimate(patient_id, codes, service_date, patients, plans, coverage, fees, allowed):
    """What a patient will owe for planned services under the coverage in force that day. One
    row per code: code, billed, allowed, plan, secondary, patient ($). Self-pay: patient = the
    charge. Example: =PA_ESTIMATE("P001","99213",TODAY(),Patients[#All],...)."""
    tables = {
        "Patients": typed_table(
            patients, "patients", "Patients", needed=("PatientID",), required=("PatientID",)
        ),
        "Plans": _whole(plans, "plans", "Plans"),
        "Coverage": _whole(coverage, "coverage", "Coverage"),
        "Fees": _whole(fees, "fees", "Fees"),
        "Allowed": _whole(allowed, "allowed", "Allowed"),
    }
    estimate = estimate_for_patient(
        tables,
        text_arg(single(patient_id, "patient_id"), "patient_id"),
        _codes(codes),
        date_arg(single(service_date, "service_date"), "service_date"),
    )
    return [
        [
            line.code,
            number(line.billed),
            number(line.allowed),
            number(line.plan),
            number(line.secondary),
            number(line.patient),
        ]
        for line in estimate.lines
    ]
