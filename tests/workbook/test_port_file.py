"""The file adapter passes the port contract; plus opening, selecting and saving a new file.

The contract's starting workbooks are written to real .xlsx files (values, Excel tables where
they are, defined names) and opened with :meth:`FileWorkbook.open`, so every contract test also
checks that the file is read into the same workbook the memory adapter holds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from xlsxwriter.workbook import Workbook

from addin.errors import PaxlError
from addin.workbook import cells
from addin.workbook.file_adapter import FileWorkbook, parse_selection
from addin.workbook.loader import read_book
from addin.workbook.memory_adapter import MemoryWorkbook
from addin.workbook.port import Block, SheetContent, selected_patient_id
from addin.workbook.template import write_workbook
from addin.workbook.write_plan import WritePlan, apply
from macros.payments import NEW_PAYMENTS
from tests.workbook.contract import READ, PortContract, posting, sample_workbook
from tests.workbook.test_port_memory import MemoryHarness

RECORDS = {
    "Patients": [
        {
            "PatientID": "P1001",
            "LastName": "Rivera",
            "FirstName": "Sam",
            "DOB": dt.date(1980, 4, 2),
            "ZIP": "02134",
            "AccountStatus": "Active",
        },
        {
            "PatientID": "P1002",
            "LastName": "Chen",
            "FirstName": "Ana",
            "DOB": dt.date(1992, 11, 30),
            "AccountStatus": "Active",
        },
    ],
    "Payments": [
        {
            "PaymentID": "PAY1",
            "Date": dt.date(2026, 1, 20),
            "PatientID": "P1001",
            "Payer": "Patient",
            "Kind": "Payment",
            "Method": "Check",
            "Reference": "1001",
            "Amount": Decimal("40.00"),
        }
    ],
}


def write_memory_workbook(workbook: MemoryWorkbook, path: Path) -> Path:
    """Write a memory workbook as a real .xlsx: each sheet's values (dates date-formatted,
    text as text), its Excel tables where they are, its defined names."""
    book = Workbook(str(path))
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    sheets = {}
    for name in workbook.sheet_names():
        sheet = book.add_worksheet(name)
        sheets[name] = sheet
        for r, row in enumerate(workbook.values(name)):
            for c, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    fmt = (
                        date if value == dt.datetime(value.year, value.month, value.day) else stamp
                    )
                    sheet.write_datetime(r, c, value, fmt)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif value is not None:
                    sheet.write(r, c, value)
    for name in workbook.table_names():
        found = workbook.table_cells(name)
        r1, c1, r2, c2 = cells.parse_address(workbook.table_address(name))
        header = [{"header": str(h)} for h in found.header]
        sheets[found.sheet].add_table(
            r1 - 1, c1 - 1, r2 - 1, c2 - 1, {"name": name, "columns": header}
        )
    for name, (sheet, address) in workbook.names().items():
        r1, c1, r2, c2 = cells.parse_address(address)
        first = f"${cells.column_letters(c1)}${r1}"
        last = f"${cells.column_letters(c2)}${r2}"
        target = first if (r1, c1) == (r2, c2) else f"{first}:{last}"
        book.define_name(name, f"='{sheet}'!{target}")
    book.close()
    return path


class FileHarness(MemoryHarness):
    """The starting workbook written to a file and opened; the port is the opened workbook
    (a MemoryWorkbook underneath, so the memory harness reads its state)."""

    def __init__(self, workbook: MemoryWorkbook, folder: Path) -> None:
        path = write_memory_workbook(workbook, folder / "contract.xlsx")
        selection = workbook.selection()
        super().__init__(
            FileWorkbook.open(
                path, selection=(selection.sheet, selection.row or 1, selection.column or 1)
            )
        )


class TestFilePort(PortContract):
    @pytest.fixture
    def make(self, tmp_path):
        return lambda workbook: FileHarness(workbook, tmp_path)


# --- opening ------------------------------------------------------------------------------------


@pytest.fixture
def template_file(tmp_path) -> Path:
    path = tmp_path / "practice.xlsx"
    write_workbook(path, RECORDS, policy={"due_days": 14})
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_contract_workbook_reads_back_as_the_memory_workbook_holds_it(tmp_path):
    workbook = sample_workbook()
    opened = FileHarness(workbook, tmp_path).workbook
    assert opened.sheet_names() == workbook.sheet_names()
    assert {t: opened.table_address(t) for t in opened.table_names()} == {
        t: workbook.table_address(t) for t in workbook.table_names()
    }
    assert opened.names() == workbook.names()
    for sheet in workbook.sheet_names():
        assert opened.values(sheet) == workbook.values(sheet), sheet


def test_opens_a_template_file_with_its_tables_policy_and_loader_findings(template_file):
    workbook = FileWorkbook.open(template_file)
    assert workbook.sheet_names()[0] == "Home"
    assert workbook.read_table("Patients").frame["ZIP"].tolist() == ["02134", None]
    assert workbook.read_policy()[0]["due_days"] == 14
    assert workbook.book.policy["due_days"] == 14
    assert [f for f in workbook.findings if f.severity == "error"] == []
    assert workbook.selection().sheet == "Home"


@pytest.mark.parametrize(
    ("selection", "where"),
    [
        (("Patients", 3), ("Patients", 3, 1)),
        (("Patients", 3, 2), ("Patients", 3, 2)),
        ("Patients!3", ("Patients", 3, 1)),
        ("patients!B3", ("Patients", 3, 2)),
    ],
)
def test_the_selected_patient_is_given_by_the_caller(template_file, selection, where):
    chosen = FileWorkbook.open(template_file, selection=selection).selection()
    assert (chosen.sheet, chosen.row, chosen.column) == where
    assert selected_patient_id(chosen) == "P1002"


def test_selection_text_accepts_quoted_sheet_names():
    assert parse_selection("'Plan options P1'!C7") == ("Plan options P1", 7, 3)


@pytest.mark.parametrize("text", ["Patients", "Patients!", "Patients!0", "!5"])
def test_a_malformed_selection_says_how_to_write_it(text):
    with pytest.raises(PaxlError, match="SHEET!ROW"):
        parse_selection(text)


def test_selecting_a_sheet_the_workbook_lacks_names_the_sheets_it_has(template_file):
    with pytest.raises(PaxlError, match=r"no sheet 'Patient'.*Patients"):
        FileWorkbook.open(template_file, selection="Patient!2")


# --- saving -------------------------------------------------------------------------------------

NOW = dt.datetime(2026, 2, 5, 9, 30)


def test_save_as_writes_appended_rows_and_written_sheets_to_a_new_file(template_file, tmp_path):
    before = _sha(template_file)
    workbook = FileWorkbook.open(template_file)
    plan = (
        WritePlan()
        .append("Payments", [posting("PAY2", "P1002")])
        .write_sheet(SheetContent("Voucher", blocks=(Block(1, 1, (("Refund", 12.5),)),)))
        .audit(at=NOW, who="rep1", action="test", table="Payments", rows=1)
    )
    apply(plan, workbook, workbook.snapshot(READ[:-1]))
    out = tmp_path / "out.xlsx"

    saved = workbook.save_as(out)

    assert saved.appended == {"Payments": 1, "Audit": 1}
    assert saved.sheets == ("Voucher",)
    book, findings = read_book(out)
    assert [f for f in findings if f.severity == "error"] == []
    assert book["Payments"]["PaymentID"].tolist() == ["PAY1", "PAY2"]
    assert book["Payments"]["Amount"].tolist() == [4000, 1000]
    assert book["Audit"]["Action"].tolist() == ["test"]
    assert book.policy["due_days"] == 14
    reopened = FileWorkbook.open(out)
    assert reopened.values("Voucher") == [["Refund", 12.5]]
    assert _sha(template_file) == before


def test_save_as_refuses_the_input_file(template_file):
    before = _sha(template_file)
    workbook = FileWorkbook.open(template_file)
    with pytest.raises(PaxlError, match="is the input workbook"):
        workbook.save_as(template_file)
    with pytest.raises(PaxlError, match="is the input workbook"):
        workbook.save_as(template_file.parent / "." / template_file.name)
    assert _sha(template_file) == before


def test_save_as_writes_only_xlsx(template_file, tmp_path):
    with pytest.raises(PaxlError, match=r"ending in \.xlsx"):
        FileWorkbook.open(template_file).save_as(tmp_path / "out.xlsm")
    assert not (tmp_path / "out.xlsm").exists()


def test_save_as_refuses_to_drop_rows_still_typed_on_a_staging_table(template_file, tmp_path):
    workbook = FileWorkbook.open(template_file)
    workbook.type_row(
        NEW_PAYMENTS.name,
        {"Date": dt.date(2026, 2, 2), "PatientID": "P1001", "Payer": "Patient", "Amount": 5},
    )
    with pytest.raises(PaxlError, match="NewPayments still has 1 row"):
        workbook.save_as(tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


def test_a_password_protects_the_new_file(template_file, tmp_path):
    workbook = FileWorkbook.open(template_file)
    out = tmp_path / "locked.xlsx"
    workbook.save_as(out, password="s3cret")
    with pytest.raises(PaxlError):
        read_book(out)
    reopened = FileWorkbook.open(out, password="s3cret")
    assert reopened.read_table("Payments").frame["PaymentID"].tolist() == ["PAY1"]
