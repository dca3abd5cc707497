"""generate_statements and generate_bill on the memory adapter: bill sheets, the Statements log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from addin.errors import PaxlError
from addin.workbook.bill_layout import BILL_CELLS, LINE_COLUMNS, LINES_CAPACITY, field_cell
from addin.workbook.schema import TABLES_BY_NAME
from macros.runner import run_macro
from macros.statements import RUN_SHEET, generate_bill_on, generate_statements_on
from tests.macros.practice import NOW, USER, practice, practice_records, select_patient
from tests.macros.test_bill_sheet import with_template

LOG = TABLES_BY_NAME["Statements"].column_names


def _log(workbook) -> list[dict[str, object]]:
    values = workbook.values("Statements")
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def _at(workbook, sheet: str, field: str, lines: int = 1) -> object:
    row, col = field_cell(field, lines)
    return workbook.cell(sheet, row + 1, col + 1)


def test_the_run_bills_every_account_due_and_logs_each_bill():
    workbook = practice()

    result = generate_statements_on(workbook, now=NOW, user=USER)

    # P001 owes 24.00 (level 2: billed 2026-05-01, 45 days); P005 owes 1,200.00, never billed
    # (level 1); P002's amount is pending with insurance and P004 has a credit: nothing due.
    assert result.applied.sheets == ("Bill P001", "Bill P005", RUN_SHEET)
    assert result.applied.appended == {"Statements": 2, "Audit": 1}
    new = _log(workbook)[1:]
    assert [(r["StatementID"], r["PatientID"], r["AmountDue"], r["DunningLevel"]) for r in new] == [
        ("ST-20260615-P001", "P001", 24.0, 2),
        ("ST-20260615-P005", "P005", 1200.0, 1),
    ]
    assert {r["StatementDate"] for r in new} == {dt.datetime(2026, 6, 15)}
    assert {r["DueDate"] for r in new} == {dt.datetime(2026, 7, 6)}  # Policy due_days 21
    assert {(r["Channel"], r["FinalNotice"]) for r in new} == {("Mail", False)}
    assert list(_log(workbook)[0]) == list(LOG)
    assert result.message.startswith("2 bill(s) made, $1,224.00 due in all")
    assert "nothing due 2" in result.message
    audit = workbook.values("Audit")[-1]
    assert audit[1:5] == [USER, "generate_statements", "Statements", 2]


def test_a_second_run_on_the_same_day_bills_nothing_and_writes_nothing():
    workbook = practice()
    generate_statements_on(workbook, now=NOW, user=USER)
    log_before = workbook.values("Statements")
    audit_before = workbook.values("Audit")

    again = generate_statements_on(workbook, now=NOW.replace(hour=15), user=USER)

    assert not again.wrote
    assert workbook.values("Statements") == log_before
    assert workbook.values("Audit") == audit_before
    assert "billed within cycle 2" in again.message
    assert workbook.alerts[-1][0] == again.message


def test_the_run_sheet_lists_each_bill_with_a_link_to_its_sheet():
    workbook = practice()

    generate_statements_on(workbook, now=NOW, user=USER)

    values = workbook.values(RUN_SHEET)
    header = values[4]
    rows = [dict(zip(header, row, strict=False)) for row in values[5:]]
    assert [r["Account"] for r in rows] == ["P001", "P005"]
    assert rows[1]["Amount due"] == 1200.0
    assert rows[1]["Bill"] == '=HYPERLINK("#\'Bill P005\'!A1","Bill P005")'
    assert values[1][0] == "2 bill(s), $1,224.00 due in all (level 1: 1, level 2: 1). " + (
        "Not billed: nothing due 2."
    )


def test_a_bill_sheet_has_the_templates_layout_and_the_statements_figures():
    workbook = practice()

    generate_statements_on(workbook, now=NOW, user=USER)

    sheet = "Bill P005"
    assert _at(workbook, sheet, "bill_account") == "P005"
    assert _at(workbook, sheet, "bill_amount_due") == 1200.0
    assert _at(workbook, sheet, "bill_slip_amount_due") == 1200.0
    assert _at(workbook, sheet, "bill_due_date") == dt.datetime(2026, 7, 6)
    assert _at(workbook, sheet, "bill_guarantor_name") == "Sam Silva"
    header = BILL_CELLS["bill_lines"].row + 1
    assert [workbook.cell(sheet, header, c + 1) for c in range(len(LINE_COLUMNS))] == [
        c.header for c in LINE_COLUMNS
    ]
    line = [workbook.cell(sheet, header + 1, c + 1) for c in range(len(LINE_COLUMNS))]
    assert line == [
        dt.datetime(2026, 1, 10),
        "99213",
        "Medical service",
        1200.0,
        0.0,
        0.0,
        0.0,
        1200.0,
    ]
    totals_row, totals_col = field_cell("bill_totals", 1)
    totals = [workbook.cell(sheet, totals_row + 1, totals_col + 1 + i) for i in range(5)]
    assert totals == [1200.0, 0.0, 0.0, 0.0, 1200.0]
    widths = workbook.column_widths(sheet)
    assert all(widths[i + 1] >= len(c.header) for i, c in enumerate(LINE_COLUMNS))
    formats = workbook.formats(sheet)
    row, col = field_cell("bill_amount_due", 1)
    assert formats[(row + 1, col + 1)]["number_format"].startswith("_($*")
    assert formats[(row + 1, col + 1)]["bold"] is True


def test_the_address_and_plan_options_go_one_line_per_row():
    workbook = practice()

    generate_statements_on(workbook, now=NOW, user=USER)

    row, col = field_cell("bill_address", 1)
    assert workbook.cell("Bill P005", row + 1, col + 1) == "1 Main St"
    assert workbook.cell("Bill P005", row + 2, col + 1) == "Springfield, IL 62701"
    row, col = field_cell("bill_plan_options", 1)
    first = [workbook.cell("Bill P005", row + 1 + i, 1) for i in range(3)]
    assert first[0] == "Pay in full: $1,200.00"
    assert all(isinstance(text, str) for text in first)
    # P005's income cap (4% of 3,000.00) is 120.00 a month: the options continue in column E
    assert workbook.cell("Bill P005", row + 2, 5).startswith("Income-based")


def test_a_bill_with_more_lines_than_the_template_holds_moves_the_slip_down():
    records = practice_records()
    for n in range(LINES_CAPACITY + 2):
        records["Charges"].append(
            {
                "ChargeID": f"CX{n:02d}",
                "PatientID": "P005",
                "ServiceDate": dt.date(2026, 2, 1) + dt.timedelta(days=n),
                "Code": "80053",
                "Amount": Decimal("10.00"),
                "BillerType": "Hospital",
                "Status": "Patient due",
            }
        )
    workbook = practice(records=records)

    generate_statements_on(workbook, now=NOW, user=USER)

    lines = LINES_CAPACITY + 3
    assert _at(workbook, "Bill P005", "bill_slip_amount_due", lines) == 1340.0
    totals_row, totals_col = field_cell("bill_totals", lines)
    assert workbook.cell("Bill P005", totals_row + 1, totals_col + 1) == 1340.0
    assert totals_row == BILL_CELLS["bill_totals"].row + 3
    last_line = BILL_CELLS["bill_lines"].row + 1 + lines
    assert workbook.cell("Bill P005", last_line, 3) == "Medical service"
    assert totals_row + 1 == last_line + 1  # the totals follow the last line, nothing overlaps
    assert workbook.cell("Bill P005", last_line + 1, 1) == "Totals"


def test_a_final_notice_bill_is_titled_and_logged_as_one():
    records = practice_records()
    records["Statements"].append(
        {
            "StatementID": "S005",
            "PatientID": "P005",
            "StatementDate": dt.date(2026, 1, 20),
            "DueDate": dt.date(2026, 2, 10),
            "AmountDue": Decimal("1200.00"),
            "DunningLevel": 1,
        }
    )
    workbook = practice(records=records)

    generate_statements_on(workbook, now=NOW, user=USER)

    logged = _log(workbook)[-1]
    assert (logged["PatientID"], logged["DunningLevel"], logged["FinalNotice"]) == (
        "P005",
        5,
        True,
    )
    assert workbook.cell("Bill P005", 1, 6) == "FINAL NOTICE"


def test_generate_bill_bills_the_account_a_dependant_belongs_to():
    workbook = practice()
    select_patient(workbook, "P003")  # P003's guarantor is P001

    result = generate_bill_on(workbook, now=NOW, user=USER)

    assert result.applied.sheets == ("Bill P001",)
    assert result.applied.appended == {"Statements": 1, "Audit": 1}
    assert result.message == (
        "Bill ST-20260615-P001 for account P001 (patient P003) is on sheet Bill P001: "
        "$24.00 due by 2026-07-06; logged to Statements."
    )
    assert _log(workbook)[-1]["AmountDue"] == 24.0


def test_generate_bill_within_the_cycle_is_made_because_the_rep_asked_and_says_so():
    workbook = practice(policy={"statement_cycle_days": 60})
    select_patient(workbook, "P001")

    result = generate_bill_on(workbook, now=NOW, user=USER)

    assert result.wrote
    assert "already billed within the statement cycle" in result.message


def test_generate_bill_for_an_account_owing_nothing_writes_nothing():
    workbook = practice()
    select_patient(workbook, "P002")  # 45.00 pending with Medicare: nothing due yet
    audit_before = workbook.values("Audit")

    result = generate_bill_on(workbook, now=NOW, user=USER)

    assert not result.wrote
    assert result.message == (
        "No bill was made for account P002: it owes nothing now (amounts pending with "
        "insurance are not billed). Nothing was written."
    )
    assert "Bill P002" not in workbook.sheet_names()
    assert workbook.values("Audit") == audit_before


def test_generate_bill_without_a_selected_patient_says_what_to_select():
    workbook = practice()
    workbook.select("Policy", 1, 1)

    result = run_macro(generate_bill_on, workbook, now=NOW, user=USER)

    assert not result.wrote
    assert result.message.startswith("No patient is selected")


def test_a_sheet_holding_data_is_never_replaced_and_nothing_is_written():
    workbook = practice()
    # the rep keeps the Contacts log on a sheet that happens to be named like a bill
    workbook.add_table(TABLES_BY_NAME["Contacts"], [], sheet="Bill P005")
    log_before = workbook.values("Statements")

    result = run_macro(generate_statements_on, workbook, now=NOW, user=USER)

    assert not result.wrote
    assert "sheet Bill P005" in result.message
    assert "holds workbook data" in result.message
    assert workbook.values("Statements") == log_before
    assert "Bill P001" not in workbook.sheet_names()
    assert [m for m, _ in workbook.alerts] == [result.message]


def test_the_run_puts_bill_fields_where_the_rep_moved_them_on_bill_template():
    workbook = with_template(practice(), bill_amount_due="B30")

    generate_statements_on(workbook, now=NOW, user=USER)

    assert workbook.cell("Bill P005", 30, 2) == 1200.0
    assert workbook.cell("Bill P005", 30, 1) == "Amount due"


def test_generate_bill_with_an_unusable_bill_name_writes_nothing_and_names_it():
    workbook = with_template(practice(), bill_amount_due="A1")
    select_patient(workbook, "P005")
    log_before = workbook.values("Statements")

    with pytest.raises(PaxlError, match="bill_amount_due"):
        generate_bill_on(workbook, now=NOW, user=USER)

    assert workbook.values("Statements") == log_before
    assert "Bill P005" not in workbook.sheet_names()
