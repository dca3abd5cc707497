"""Bill sheets in the open workbook, at the places the ``bill_*`` names mark on BillTemplate."""

from __future__ import annotations

import pytest

from addin.errors import PaxlError
from addin.workbook.bill_positions import BILL_LAYOUT, BillLayout
from addin.workbook.memory_adapter import MemoryWorkbook
from addin.workbook.port import Block, SheetContent
from addin.workbook.xlsx_file import column_letter
from macros.bill_sheet import bill_layout_on, bill_sheet
from tests.bills.conftest import make_statement
from tests.macros.practice import practice


def with_template(workbook: MemoryWorkbook, **moved: str) -> MemoryWorkbook:
    """Add a BillTemplate sheet whose ``bill_*`` names are the standard ones, ``moved`` ones
    (name → address) pointing elsewhere."""
    # the primitive: the port itself refuses to replace BillTemplate, as it should
    workbook._write_sheet(SheetContent("BillTemplate", blocks=(Block(1, 1, (("x",),)),)))
    for name, (row, col) in BILL_LAYOUT.items():
        address = moved.get(name, f"{column_letter(col)}{row + 1}")
        workbook.set_name(name, "BillTemplate", address)
    return workbook


def test_the_port_reads_the_moved_names_into_the_layout():
    workbook = with_template(practice(), bill_amount_due="B30", bill_account="C4")
    layout, notes = bill_layout_on(workbook)
    assert notes == ()
    assert layout.cell("bill_amount_due") == (29, 1) and layout.cell("bill_account") == (3, 2)


def test_a_workbook_without_bill_template_bills_in_the_standard_layout():
    layout, notes = bill_layout_on(practice())
    assert layout.is_standard and notes == ()


def test_the_bill_sheet_puts_moved_fields_at_their_new_cells():
    workbook = with_template(practice(), bill_amount_due="B30", bill_account="C4")
    layout, _ = bill_layout_on(workbook)
    statement = make_statement(account="P000042")
    workbook.write_sheet(bill_sheet(statement, "Bill P000042", layout=layout))
    assert workbook.cell("Bill P000042", 30, 2) == float(statement.amount_due)
    assert workbook.cell("Bill P000042", 30, 1) == "Amount due"
    assert workbook.cell("Bill P000042", 4, 3) == "P000042"
    assert workbook.cell("Bill P000042", 9, 7) in (None, "")  # the standard cell is empty


def test_the_standard_layout_gives_the_same_sheet_as_no_layout():
    statement = make_statement(20)
    assert bill_sheet(statement, "B", layout=BillLayout.standard()) == bill_sheet(statement, "B")


def test_an_unusable_name_stops_the_bill_naming_the_name():
    workbook = with_template(practice(), bill_amount_due="A1")
    with pytest.raises(PaxlError, match=r"bill_amount_due \(A1\) overlaps bill_practice_name"):
        bill_layout_on(workbook)
