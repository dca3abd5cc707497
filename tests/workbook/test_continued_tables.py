"""A table longer than one sheet continues on ``Name_2``, ``Name_3``, ... sheets (DESIGN §7).

The per-sheet limit is a keyword, so a tiny limit (5 rows) stands in for Excel's 1,048,575.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from addin.core.findings import Severity
from addin.errors import PaxlError
from addin.workbook.book import book_from_records
from addin.workbook.derive import write_derived
from addin.workbook.file_adapter import FileWorkbook
from addin.workbook.frames import typed_frame
from addin.workbook.loader import read_book
from addin.workbook.port import SheetContent
from addin.workbook.schema import TABLES_BY_NAME
from addin.workbook.template import ROWS_PER_SHEET, continuation_name, write_workbook
from tests.conftest import good_records

LIMIT = 5
PAYMENTS = TABLES_BY_NAME["Payments"]


def _payment(n: int) -> dict[str, object]:
    return {
        "PaymentID": f"PAY{n:03d}",
        "Date": dt.date(2026, 4, 1),
        "PatientID": "P001",
        "ChargeID": "C001",
        "Payer": "ACME-PPO",
        "Kind": "Payment",
        "Method": "EFT",
        "Reference": f"TRN{n:03d}",
        "Amount": Decimal("1.00"),
    }


def _records(payments: int) -> dict[str, list[dict[str, object]]]:
    records = good_records()
    records["Payments"] = [_payment(n) for n in range(1, payments + 1)]
    return records


def _errors(findings):
    return [f for f in findings if f.severity == Severity.ERROR]


@pytest.fixture(scope="module")
def twelve(tmp_path_factory):
    path = tmp_path_factory.mktemp("continued") / "book.xlsx"
    write_workbook(path, _records(12), rows_per_sheet=LIMIT)
    return path


def test_the_default_limit_is_excels_rows_less_the_header():
    assert ROWS_PER_SHEET == 1_048_575
    assert [continuation_name("Payments", n) for n in (1, 2, 3)] == [
        "Payments",
        "Payments_2",
        "Payments_3",
    ]


def test_twelve_payments_fill_three_sheets_placed_right_after_the_first(twelve):
    names = openpyxl.load_workbook(twelve).sheetnames
    at = names.index("Payments")
    assert names[at : at + 4] == ["Payments", "Payments_2", "Payments_3", "Adjustments"]
    assert sum(name.startswith("Payments_") for name in names) == 2
    assert not any(name.startswith(("Charges_", "Patients_")) for name in names)


def test_each_continuation_sheet_is_an_excel_table_with_the_schema_header(twelve):
    book = openpyxl.load_workbook(twelve)
    last = openpyxl.utils.get_column_letter(len(PAYMENTS.columns))
    for sheet, rows in (("Payments", 5), ("Payments_2", 5), ("Payments_3", 2)):
        ws = book[sheet]
        assert list(ws.tables) == [sheet]
        assert ws.tables[sheet].ref == f"A1:{last}{rows + 1}"
        header = [c.value for c in ws[1]][: len(PAYMENTS.columns)]
        assert header == list(PAYMENTS.column_names)
        assert ws.freeze_panes == "A2"
        assert ws.max_row == rows + 1


def test_continuation_sheets_keep_the_formats_and_drop_downs(twelve):
    book = openpyxl.load_workbook(twelve)
    kind = PAYMENTS.column_names.index("Kind")
    amount = PAYMENTS.column_names.index("Amount")
    for sheet in ("Payments", "Payments_2", "Payments_3"):
        ws = book[sheet]
        assert (
            ws.cell(2, amount + 1).number_format
            == book["Payments"].cell(2, amount + 1).number_format
        )
        drop_downs = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
        kind_letter = openpyxl.utils.get_column_letter(kind + 1)
        assert any(f"{kind_letter}2:" in str(dv.sqref) for dv in drop_downs)
        assert len(drop_downs) == len(book["Payments"].data_validations.dataValidation)


def test_the_loader_reads_the_continued_table_back_as_one_in_order(twelve):
    book, findings = read_book(twelve)
    assert _errors(findings) == []
    payments = book.tables["Payments"]
    assert payments["PaymentID"].tolist() == [f"PAY{n:03d}" for n in range(1, 13)]
    assert payments["_sheet"].tolist() == ["Payments"] * 5 + ["Payments_2"] * 5 + ["Payments_3"] * 2
    assert payments["_row"].tolist() == [2, 3, 4, 5, 6] * 2 + [2, 3]
    assert payments["Amount"].tolist() == [100] * 12


def test_a_table_exactly_at_the_limit_stays_on_one_sheet(tmp_path):
    path = tmp_path / "five.xlsx"
    write_workbook(path, _records(LIMIT), rows_per_sheet=LIMIT)
    names = openpyxl.load_workbook(path).sheetnames
    assert "Payments" in names and "Payments_2" not in names


def test_the_same_records_give_the_same_bytes_when_continued(tmp_path, twelve):
    again = tmp_path / "again.xlsx"
    write_workbook(again, _records(12), rows_per_sheet=LIMIT)
    assert again.read_bytes() == twelve.read_bytes()


def test_a_limit_outside_one_to_excels_rows_is_a_programming_error(tmp_path):
    for bad in (0, ROWS_PER_SHEET + 1):
        with pytest.raises(ValueError, match="rows_per_sheet"):
            write_workbook(tmp_path / "bad.xlsx", rows_per_sheet=bad)
    assert not (tmp_path / "bad.xlsx").exists()


def test_appending_to_a_table_at_its_sheet_limit_spills_onto_a_new_sheet(tmp_path):
    book = book_from_records(_records(LIMIT))
    out = tmp_path / "out.xlsx"
    write_derived(book, {"Payments": [_payment(6)]}, out, rows_per_sheet=LIMIT)

    back, findings = read_book(out)
    assert _errors(findings) == []
    payments = back.tables["Payments"]
    assert payments["PaymentID"].tolist() == [f"PAY{n:03d}" for n in range(1, 7)]
    last = payments.iloc[-1]
    assert (last["_sheet"], last["_row"]) == ("Payments_2", 2)
    assert list(openpyxl.load_workbook(out)["Payments_2"].tables) == ["Payments_2"]


def test_a_continued_file_round_trips_through_a_derived_file(tmp_path, twelve):
    book, _ = read_book(twelve)
    out = tmp_path / "derived.xlsx"
    write_derived(book, {"Payments": [_payment(13)]}, out, rows_per_sheet=LIMIT)

    back, findings = read_book(out)
    assert _errors(findings) == []
    payments = back.tables["Payments"]
    assert payments["PaymentID"].tolist() == [f"PAY{n:03d}" for n in range(1, 14)]
    assert payments["_sheet"].tolist() == (
        ["Payments"] * 5 + ["Payments_2"] * 5 + ["Payments_3"] * 3
    )


def test_a_derived_file_writes_a_continued_table_on_full_sheets_by_default(tmp_path, twelve):
    book, _ = read_book(twelve)
    out = tmp_path / "derived.xlsx"
    write_derived(book, {}, out)

    assert "Payments_2" not in openpyxl.load_workbook(out).sheetnames
    back, findings = read_book(out)
    assert _errors(findings) == []
    assert back.tables["Payments"]["_row"].tolist() == list(range(2, 14))


@pytest.mark.parametrize("name", ["Payments_2", "payments_17", "Charges_3", "NewPayments_2"])
def test_a_report_sheet_cannot_take_a_continuation_name(tmp_path, name):
    out = tmp_path / "out.xlsx"
    with pytest.raises(PaxlError, match="continuation"):
        write_derived(book_from_records(good_records()), {}, out, extra_sheets=[SheetContent(name)])
    assert not out.exists()


@pytest.mark.parametrize("name", ["Payments_summary", "Payments 2", "Payments_2b"])
def test_a_report_sheet_may_take_a_name_that_only_looks_like_a_table(tmp_path, name):
    out = tmp_path / "out.xlsx"
    write_derived(book_from_records(good_records()), {}, out, extra_sheets=[SheetContent(name)])
    assert name in openpyxl.load_workbook(out).sheetnames


def test_the_file_adapter_sees_every_part_and_appends_after_the_last(tmp_path, twelve):
    workbook = FileWorkbook.open(twelve)
    assert workbook.table_parts("Payments") == ["Payments", "Payments_2", "Payments_3"]
    workbook.append_rows("Payments", typed_frame("Payments", [_payment(13)]))
    new = workbook.read_table("Payments").frame.iloc[-1]
    assert (new["PaymentID"], new["_sheet"], new["_row"]) == ("PAY013", "Payments_3", 4)

    saved = workbook.save_as(tmp_path / "out.xlsx")
    back, findings = read_book(saved.path)
    assert _errors(findings) == []
    assert back.tables["Payments"]["PaymentID"].tolist() == [f"PAY{n:03d}" for n in range(1, 14)]
