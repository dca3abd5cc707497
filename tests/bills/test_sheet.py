"""Bill sheets in a new workbook: the Statements log first, one sheet per bill, nothing overlaps."""

from __future__ import annotations

import itertools
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest

from addin.bills.sheet import (
    LOG_COLUMNS,
    aging_text,
    part_paths,
    pending_note,
    plan_option_lines,
    sheet_names,
    write_bill_workbooks,
)
from addin.core.statement_builder import log_row
from addin.workbook.bill_layout import BILL_CELLS, LINES_CAPACITY, MONEY_FORMAT
from addin.workbook.schema import TABLES_BY_NAME
from tests.bills.conftest import make_statement


def write(tmp_path, statements, **options):
    rows = [log_row(s, "Mail") for s in statements]
    return write_bill_workbooks(statements, rows, tmp_path / "bills.xlsx", **options)


def cells(ws, text):
    """Excel rows (1-based) of the cells whose value is ``text``."""
    return [c.row for row in ws.iter_rows() for c in row if c.value == text]


def test_statements_log_comes_first_in_the_schema_column_order_then_one_sheet_per_bill(tmp_path):
    bills = [make_statement(account="P000001"), make_statement(account="P000002")]
    [path] = write(tmp_path, bills)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Statements", "Bill P000001", "Bill P000002"]
    ws = wb["Statements"]
    assert TABLES_BY_NAME["Statements"].column_names == LOG_COLUMNS
    assert [c.value for c in ws[1]][: len(LOG_COLUMNS)] == list(LOG_COLUMNS)
    assert ws.tables["Statements"].ref == "A1:H3"
    first = [c.value for c in ws[2]][: len(LOG_COLUMNS)]
    assert first[0] == "ST000001" and first[1] == "P000001"
    assert first[2].date().isoformat() == "2026-11-15"
    assert first[4] == 90.0 and first[5] == 2 and first[6] == "Mail" and first[7] is False
    assert ws.cell(2, len(LOG_COLUMNS) + 4).hyperlink.location == "'Bill P000001'!A1"


def test_amounts_are_numbers_in_accounting_format_on_the_bill(tmp_path):
    [path] = write(tmp_path, [make_statement()])
    ws = openpyxl.load_workbook(path)["Bill P000042"]
    row, col = BILL_CELLS["bill_amount_due"].row + 1, BILL_CELLS["bill_amount_due"].col + 1
    due = ws.cell(row, col)
    assert due.value == 90.0 and due.number_format == MONEY_FORMAT
    slip = BILL_CELLS["bill_slip_amount_due"]
    assert ws.cell(slip.row + 1, slip.col + 1).value == 90.0
    first_line = BILL_CELLS["bill_lines"].row + 2
    owes = ws.cell(first_line, 8)
    assert owes.value == 30.0 and owes.number_format == MONEY_FORMAT


def test_a_long_bill_grows_its_table_and_moves_the_totals_and_slip_below_it(tmp_path):
    count = LINES_CAPACITY + 28
    [path] = write(tmp_path, [make_statement(count, amount_due=Decimal("1200.00"))])
    ws = openpyxl.load_workbook(path)["Bill P000042"]
    header = BILL_CELLS["bill_lines"].row + 1  # Excel row of the lines' header
    last_line = header + count
    assert ws.cell(last_line, 8).value == 30.0
    assert ws.cell(last_line + 1, 8).value == 1200.0  # the You owe total right below
    [totals] = cells(ws, "Totals")
    assert totals == last_line + 1
    [slip] = cells(ws, "Amount enclosed")
    assert slip > totals + 10
    printed_to = int(ws.print_area.rpartition("$")[2])
    assert printed_to >= slip  # the slip is on the printed page


def test_no_merged_block_overlaps_another_or_hides_a_value(tmp_path):
    statement = make_statement(LINES_CAPACITY + 5, insurance_pending=Decimal("12.00"))
    [path] = write(tmp_path, [statement])
    ws = openpyxl.load_workbook(path)["Bill P000042"]
    blocks = list(ws.merged_cells.ranges)
    for a, b in itertools.combinations(blocks, 2):
        assert a.isdisjoint(b), (a.coord, b.coord)
    for block in blocks:
        for row, col in block.cells:
            if (row, col) != (block.min_row, block.min_col):
                assert ws.cell(row, col).value is None, block.coord


def test_bill_sheet_prints_portrait_one_page_wide(tmp_path):
    [path] = write(tmp_path, [make_statement()])
    ws = openpyxl.load_workbook(path)["Bill P000042"]
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth or 1) == 1  # 1 is the file format's default, left out
    assert ws.page_setup.fitToHeight == 0


def test_a_final_notice_is_titled_so_and_notes_say_what_is_not_due(tmp_path):
    statement = make_statement(
        final_notice=True,
        dunning_level=5,
        insurance_pending=Decimal("40.00"),
        unapplied_credit=Decimal("5.00"),
    )
    [path] = write(tmp_path, [statement])
    ws = openpyxl.load_workbook(path)["Bill P000042"]
    assert ws["F1"].value == "FINAL NOTICE"
    note = pending_note(statement)
    assert "$40.00 is pending with your insurance" in note and "$5.00" in note
    assert cells(ws, note)


def test_large_amounts_widen_their_column_instead_of_showing_hashes(tmp_path):
    line = replace(make_statement(1).lines[0], charge=Decimal("123456.78"))
    [path] = write(tmp_path, [make_statement((line,))])
    ws = openpyxl.load_workbook(path)["Bill P000042"]
    assert ws.column_dimensions["D"].width >= len("123,456.78") + 4


def test_plan_options_and_aging_read_as_sentences():
    statement = make_statement()
    assert plan_option_lines(statement) == [
        "Pay in full: $90.00",
        "3 monthly payments: $30.00 a month   (recommended)",
    ]
    assert aging_text(statement).startswith("Aging of amount due:   0-30 days $90.00")


def test_more_bills_than_fit_go_to_numbered_workbooks(tmp_path):
    bills = [make_statement(1, account=f"P{i}") for i in range(5)]
    paths = write(tmp_path, bills, per_workbook=2)
    assert [p.name for p in paths] == ["bills.xlsx", "bills-2.xlsx", "bills-3.xlsx"]
    assert part_paths(tmp_path / "bills.xlsx", 5, 2) == paths
    names = [openpyxl.load_workbook(p).sheetnames for p in paths]
    assert names == [
        ["Statements", "Bill P0", "Bill P1"],
        ["Statements", "Bill P2", "Bill P3"],
        ["Statements", "Bill P4"],
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)


def test_a_run_without_bills_still_writes_its_empty_log(tmp_path):
    [path] = write(tmp_path, [])
    assert openpyxl.load_workbook(path).sheetnames == ["Statements"]


def test_sheet_names_drop_characters_excel_refuses_and_number_repeats():
    long_id = "X" * 40
    assert sheet_names(["P1", "P/1", "P1", long_id, "Statements"]) == [
        "Bill P1",
        "Bill P1 (2)",
        "Bill P1 (3)",
        "Bill " + "X" * 26,
        "Bill Statements",
    ]


def test_log_rows_must_match_the_bills(tmp_path):
    with pytest.raises(ValueError):
        write_bill_workbooks([make_statement()], [], tmp_path / "bills.xlsx")
    assert list(tmp_path.iterdir()) == []
