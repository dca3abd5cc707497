"""Shared fixtures: hand-made workbooks on disk and a small, consistent set of records.

``make_workbook(records, ...)`` writes an .xlsx with XlsxWriter the way the template lays tables
out (each table an Excel table on the sheet named like it, header in row 1), so loader and command
tests can build exactly the broken workbook they need. ``good_records()`` returns a fresh, valid
set of plain-value records for every schema table, to be edited by the test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter

from addin.workbook.schema import POLICY_TABLES, SETTINGS, TABLES_BY_NAME

Records = Mapping[str, Sequence[Mapping[str, object]]]
MakeWorkbook = Callable[..., Path]


def _schema_of(sheet: str):
    """The schema table a sheet holds: ``Payments`` and ``Payments_2`` both hold Payments."""
    base, _, number = sheet.rpartition("_")
    if base in TABLES_BY_NAME and number.isdigit():
        return TABLES_BY_NAME[base]
    return TABLES_BY_NAME.get(sheet)


def write_test_workbook(
    path: Path,
    records: Records | None = None,
    *,
    headers: Mapping[str, Sequence[str]] | None = None,
    omit: Sequence[str] = (),
    raw_sheets: Mapping[str, Sequence[Sequence[object]]] | None = None,
    policy: Mapping[str, object] | None = None,
    policy_sheet: bool = True,
    excel_tables: bool = True,
    table_names: Mapping[str, str] | None = None,
) -> Path:
    """Write a workbook for a test.

    Args:
        path: the file to create.
        records: rows per sheet, each a mapping header → value; a sheet named like a schema table
            (or ``Payments_2``) gets the schema's header unless ``headers`` says otherwise. Every
            schema table not given and not in ``omit`` gets an empty table.
        headers: the header to write for a sheet (to leave out or add columns).
        omit: schema tables to leave out entirely.
        raw_sheets: extra sheets written cell by cell from row 1, with no Excel table.
        policy: Policy setting overrides (the rest are the schema defaults).
        policy_sheet: write the Policy sheet (named settings and policy tables).
        excel_tables: make each table an Excel table (as the template does) or plain cells.
        table_names: the Excel table's name for a sheet (default: the sheet's name).

    Values: ``None`` is a blank cell, ``str`` text, ``bool`` a boolean, numbers and ``Decimal``
    numbers, ``date``/``datetime``/``time`` under a date or time format.
    """
    records = dict(records or {})
    headers = dict(headers or {})
    book = xlsxwriter.Workbook(str(path))
    formats = {
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        "time": book.add_format({"num_format": "hh:mm"}),
    }
    sheets: dict[str, Sequence[Mapping[str, object]]] = {}
    for name in TABLES_BY_NAME:
        if name not in omit:
            sheets[name] = records.pop(name, [])
    sheets.update(records)
    for sheet_name, rows in sheets.items():
        schema = _schema_of(sheet_name)
        if sheet_name in headers:
            header = list(headers[sheet_name])
        elif schema is not None:
            header = list(schema.column_names)
        else:
            header = list(dict.fromkeys(k for row in rows for k in row))
        sheet = book.add_worksheet(sheet_name)
        table_name = (table_names or {}).get(sheet_name, sheet_name)
        _write_block(book, sheet, table_name, header, rows, 0, 0, formats, excel_tables)
    for sheet_name, cells in (raw_sheets or {}).items():
        sheet = book.add_worksheet(sheet_name)
        for r, row in enumerate(cells):
            for c, value in enumerate(row):
                _write(sheet, r, c, value, formats)
    if policy_sheet:
        _write_policy(book, dict(policy or {}), formats, excel_tables)
    book.close()
    return path


def _write_block(book, sheet, name, header, rows, top, left, formats, excel_tables) -> None:
    if excel_tables:
        sheet.add_table(
            top,
            left,
            top + max(len(rows), 1),
            left + len(header) - 1,
            {"name": name, "columns": [{"header": h} for h in header]},
        )
    else:
        for c, h in enumerate(header):
            sheet.write_string(top, left + c, h)
    for r, row in enumerate(rows, start=top + 1):
        for c, h in enumerate(header):
            _write(sheet, r, left + c, row.get(h), formats)


def _write(sheet, row: int, col: int, value: object, formats) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, value, formats["datetime"])
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, value, formats["date"])
    elif isinstance(value, dt.time):
        sheet.write_datetime(row, col, value, formats["time"])
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value))
    else:
        sheet.write_string(row, col, str(value))


def _write_policy(book, overrides, formats, excel_tables) -> None:
    sheet = book.add_worksheet("Policy")
    sheet.write_string(0, 0, "Setting")
    sheet.write_string(0, 1, "Value")
    for i, setting in enumerate(SETTINGS, start=1):
        sheet.write_string(i, 0, setting.label)
        value = overrides.get(setting.name, setting.default)
        _write(sheet, i, 1, value, formats)
        book.define_name(setting.name, f"=Policy!$B${i + 1}")
    left = 4
    for pt in POLICY_TABLES:
        header = [c.name for c in pt.columns]
        rows = [dict(zip(header, row, strict=True)) for row in pt.rows]
        _write_block(book, sheet, pt.name, header, rows, 0, left, formats, excel_tables)
        left += len(header) + 1


@pytest.fixture
def make_workbook(tmp_path: Path) -> MakeWorkbook:
    """``make_workbook(records, name="book.xlsx", **options)`` → the path of a new workbook.

    See :func:`write_test_workbook` for the options.
    """

    def make(records: Records | None = None, *, name: str = "book.xlsx", **options) -> Path:
        return write_test_workbook(tmp_path / name, records, **options)

    return make


def good_records() -> dict[str, list[dict[str, object]]]:
    """A small valid book: 3 patients, 2 plans, charges, payments, adjustments and logs."""
    d = dt.date
    return {
        "Patients": [
            {
                "PatientID": "P001",
                "LastName": "Rivera",
                "FirstName": "Ana",
                "DOB": d(1980, 5, 17),
                "City": "Springfield",
                "State": "IL",
                "ZIP": "02134",
                "PreferredContact": "Mail",
                "HouseholdSize": 3,
                "MonthlyIncome": Decimal("4200.00"),
                "AssistanceStatus": "Not screened",
                "AccountStatus": "Active",
            },
            {
                "PatientID": "P002",
                "LastName": "Chen",
                "FirstName": "Li",
                "DOB": d(1975, 1, 2),
                "AccountStatus": "Payment plan",
            },
            {
                "PatientID": "P003",
                "LastName": "Okafor",
                "FirstName": "Ngozi",
                "DOB": d(1990, 12, 31),
                "Guarantor": "P001",
                "AccountStatus": "Active",
            },
        ],
        "Plans": [
            {
                "PlanID": "ACME-PPO",
                "Payer": "Acme Health",
                "PlanType": "Commercial",
                "Deductible": Decimal("1500.00"),
                "OOPMax": Decimal("6000.00"),
                "Coinsurance": Decimal("0.2"),
                "CopayOffice": Decimal("25.00"),
                "COBMethod": "standard",
            },
            {"PlanID": "MCR", "Payer": "Medicare", "PlanType": "Medicare"},
        ],
        "Coverage": [
            {
                "PatientID": "P001",
                "PlanID": "ACME-PPO",
                "Rank": 1,
                "EffectiveFrom": d(2026, 1, 1),
            },
            {"PatientID": "P002", "PlanID": "MCR", "Rank": 1, "EffectiveFrom": d(2025, 1, 1)},
            {"PatientID": "P002", "PlanID": "ACME-PPO", "Rank": 2, "EffectiveFrom": d(2025, 1, 1)},
        ],
        "Fees": [
            {"Code": "99213", "Charge": Decimal("180.00"), "CopayType": "Office"},
            {"Code": "80053", "Charge": Decimal("45.00"), "DeductibleApplies": True},
        ],
        "Allowed": [
            {"PlanID": "ACME-PPO", "Code": "99213", "Allowed": Decimal("120.00")},
            {"PlanID": "MCR", "Code": "99213", "Allowed": Decimal("95.50")},
        ],
        "Charges": [
            {
                "ChargeID": "C001",
                "PatientID": "P001",
                "ServiceDate": d(2026, 3, 2),
                "Code": "99213",
                "Units": 1,
                "Amount": Decimal("180.00"),
                "BillerType": "Professional",
                "Status": "Adjudicated",
            },
            {
                "ChargeID": "C002",
                "PatientID": "P002",
                "ServiceDate": d(2026, 3, 9),
                "Code": "80053",
                "Amount": Decimal("45.00"),
            },
        ],
        "Payments": [
            {
                "PaymentID": "PAY001",
                "Date": d(2026, 4, 1),
                "PatientID": "P001",
                "ChargeID": "C001",
                "Payer": "ACME-PPO",
                "Kind": "Payment",
                "Method": "EFT",
                "Reference": "TRN123",
                "Amount": Decimal("96.00"),
            },
            {
                "PaymentID": "PAY002",
                "Date": d(2026, 4, 15),
                "PatientID": "P002",
                "Payer": "Patient",
                "Kind": "Payment",
                "Method": "Card",
                "Amount": Decimal("20.00"),
                "PostedAt": dt.datetime(2026, 4, 15, 10, 30),
            },
        ],
        "Adjustments": [
            {
                "AdjustmentID": "ADJ001",
                "Date": d(2026, 4, 1),
                "PatientID": "P001",
                "ChargeID": "C001",
                "Kind": "Contractual",
                "Group": "CO",
                "Reason": "45",
                "Amount": Decimal("60.00"),
            }
        ],
        "PaymentPlans": [
            {
                "PlanNo": "PP001",
                "PatientID": "P002",
                "Created": d(2026, 5, 1),
                "Balance": Decimal("25.00"),
                "Installment": Decimal("25.00"),
                "Count": 1,
                "FirstDue": d(2026, 6, 1),
                "Rule": "Equal",
                "Status": "Active",
            }
        ],
        "Statements": [
            {
                "StatementID": "S001",
                "PatientID": "P001",
                "StatementDate": d(2026, 5, 1),
                "DueDate": d(2026, 5, 22),
                "AmountDue": Decimal("24.00"),
                "DunningLevel": 1,
                "Channel": "Mail",
                "FinalNotice": False,
            }
        ],
        "Contacts": [
            {
                "ContactID": "K001",
                "PatientID": "P002",
                "ContactedAt": dt.datetime(2026, 5, 3, 9, 15),
                "Channel": "Call",
                "Outcome": "Reached",
            }
        ],
        "Audit": [
            {
                "At": dt.datetime(2026, 5, 1, 8, 0),
                "Who": "rep1",
                "Action": "Statements",
                "Rows": 1,
            }
        ],
    }


@pytest.fixture
def records() -> dict[str, list[dict[str, object]]]:
    """A fresh copy of :func:`good_records` for the test to edit."""
    return good_records()
