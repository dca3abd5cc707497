"""The memory adapter passes the port contract; plus what only the memory adapter offers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import pytest

from addin.workbook.book import book_from_records
from addin.workbook.memory_adapter import MemoryWorkbook
from addin.workbook.port import Block, Chart, SheetContent
from addin.workbook.write_plan import WritePlan, apply
from tests.workbook.contract import READ, Harness, PortContract, sample_workbook


class MemoryHarness(Harness):
    def __init__(self, workbook: MemoryWorkbook) -> None:
        self.workbook = workbook

    def port(self) -> MemoryWorkbook:
        return self.workbook

    def state(self) -> dict[str, object]:
        wb = self.workbook
        return {
            "sheets": {name: wb.values(name) for name in wb.sheet_names()},
            "tables": {name: wb.table_address(name) for name in wb.table_names()},
            "names": wb.names(),
        }

    def values(self, sheet: str) -> list[list[object]]:
        return self.workbook.values(sheet)

    def number_format(self, sheet: str, row: int, column: int) -> str | None:
        return self.workbook.formats(sheet).get((row, column), {}).get("number_format")

    def alerts(self) -> list[str]:
        return [message for message, _ in self.workbook.alerts]

    def type_row(self, table: str, values: Mapping[str, object]) -> None:
        self.workbook.type_row(table, values)


class TestMemoryPort(PortContract):
    @pytest.fixture
    def make(self):
        return MemoryHarness


def test_a_book_round_trips_through_the_memory_workbook():
    book = book_from_records(
        {
            "Patients": [
                {
                    "PatientID": "P1",
                    "LastName": "Rivera",
                    "FirstName": "Sam",
                    "DOB": dt.date(1980, 4, 2),
                    "MonthlyIncome": Decimal("3200.10"),
                    "AccountStatus": "Active",
                }
            ]
        }
    )
    workbook = MemoryWorkbook.from_book(book)
    frame = workbook.read_table("Patients").frame
    assert frame.drop(columns=["_row"]).equals(book["Patients"].drop(columns=["_row"]))
    assert workbook.values("Patients")[1][15] == 3200.1  # dollars in the cell, cents in the frame


def test_column_widths_and_charts_are_recorded():
    workbook = sample_workbook()
    chart = Chart(source=(1, 1, 3, 2), anchor=(1, 4), title="A/R aging")
    content = SheetContent(
        "Aging",
        blocks=(Block(1, 1, (("Bucket", "Amount"), ("0-30", 10), ("31-60", 5))),),
        column_widths=((1, 14),),
        charts=(chart,),
    )
    apply(WritePlan().write_sheet(content), workbook, workbook.snapshot(READ))
    assert workbook.column_widths("Aging") == {1: 14}
    assert workbook.charts("Aging") == [chart]
    assert workbook.formats("Aging") == {}


def test_a_written_sheet_becomes_the_active_sheet():
    workbook = sample_workbook()
    content = SheetContent("Voucher", blocks=(Block(1, 1, (("x",),)),))
    apply(WritePlan().write_sheet(content), workbook, workbook.snapshot(READ))
    assert workbook.selection().sheet == "Voucher"


def test_typing_under_a_table_grows_it():
    workbook = sample_workbook()
    row = workbook.type_row("Payments", {"PaymentID": "PAY9", "Amount": 3})
    assert row == 4
    assert workbook.table_address("Payments") == "A1:K4"
