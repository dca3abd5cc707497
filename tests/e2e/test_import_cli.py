"""`paxl import`: a realistic messy export, all-or-nothing, --skip-invalid, re-import, mappings,
protected workbooks — on real files, the input never changed."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json

import pytest
import xlsxwriter

from addin.cli import main
from addin.commands._book_args import PASSWORD_ENV
from addin.workbook.encryption import OLE_MAGIC, encrypt_bytes
from addin.workbook.loader import read_book

#: what a practice-management system exports: its own headers, US dates, $ amounts, a title,
#: blank lines and a totals row — and the mistakes a rep must be told about
MESSY_EXPORT = """Charge Detail Export,,,,,,
Acct #,DOS,CPT Code,Dx 1,Dx 2,Billed Amt,Charge ID,Front desk note
P001,03/31/2026,99213,E11.9,I10,"$1,234.50",C100,first visit
P002,3/31/26,80053,,,(45.00),C101,
,,,,,,,
P404,2026-03-31,99213,,,180.00,C102,
P001,13/45/2026,99213,,,180.00,C103,
P001,03/02/2026,99213,,,180.00,C001,already there
P003,Mar 31 2026,80053,R51,,45.00,C104,

Total,,,,,"$1,639.50",,
"""
VALID = ["C100", "C104"]
REJECTED = {4: "negative_amount", 6: "unknown_reference", 7: "wrong_type"}


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def files(make_workbook, records, tmp_path):
    book = make_workbook(records)
    export = tmp_path / "charges.csv"
    export.write_text(MESSY_EXPORT)
    return book, export, tmp_path


def run_import(*argv, capsys=None):
    code = main(["import", *map(str, argv)])
    return code, (capsys.readouterr() if capsys else None)


def test_one_bad_row_and_nothing_is_written(files, capsys):
    book, export, folder = files
    out = folder / "out.xlsx"
    code, captured = run_import(book, export, "--into", "Charges", "-o", out, capsys=capsys)
    assert code == 1
    assert not out.exists()
    assert "Nothing was written" in captured.out
    for row, problem in ((4, "negative"), (6, "P404"), (7, "not a date")):
        line = next(
            x for x in captured.out.splitlines() if x.startswith(f"error     charges.csv  {row} ")
        )
        assert problem in line


def test_skip_invalid_appends_exactly_the_valid_rows_and_lists_the_rest(files, capsys):
    book, export, folder = files
    before = digest(book)
    out = folder / "out.xlsx"
    code, captured = run_import(
        book, export, "--into", "Charges", "-o", out, "--skip-invalid", capsys=capsys
    )
    assert code == 0, captured.out + captured.err
    assert digest(book) == before  # the input workbook is never changed
    original, _ = read_book(book)
    result, findings = read_book(out)
    assert [f for f in findings if f.severity == "error"] == []
    charges = result["Charges"]
    assert charges["ChargeID"].tolist() == original["Charges"]["ChargeID"].tolist() + VALID
    new = charges.set_index("ChargeID").loc["C100"]
    assert new["Amount"] == 123450
    assert new["ServiceDate"] == dt.datetime(2026, 3, 31)
    assert new["Diagnoses"] == "E11.9, I10"
    assert result["Audit"]["Action"].tolist()[-1] == "Import"
    assert result["Audit"]["Rows"].tolist()[-1] == 2
    with (folder / "out-rejects.csv").open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert {int(line["row"]): line["code"] for line in lines} == {**REJECTED, 11: "totals_row"}
    assert all(line["sheet"] == "charges.csv" and line["reason"] for line in lines)
    assert next(x for x in lines if x["row"] == "7")["column"] == "DOS"
    assert "1 already present" in captured.out and "rows 8." in captured.out


def test_re_importing_the_same_file_adds_nothing(files, capsys):
    book, export, folder = files
    first = folder / "first.xlsx"
    assert run_import(book, export, "--into", "Charges", "-o", first, "--skip-invalid")[0] == 0
    capsys.readouterr()
    second = folder / "second.xlsx"
    code, captured = run_import(
        first, export, "--into", "Charges", "-o", second, "--skip-invalid", "--json", capsys=capsys
    )
    assert code == 0
    data = json.loads(captured.out)
    assert data["counts"] == {
        "appended": 0,
        "already_present": 3,
        "rejected": 3,
        "ignored": 1,
        "blank": 2,
    }
    a, _ = read_book(first)
    b, _ = read_book(second)
    for table in ("Charges", "Audit", "Payments"):
        assert len(b[table]) == len(a[table]), table


def test_a_workbook_export_with_excel_dates_and_numbers_imports(make_workbook, records, tmp_path):
    book = make_workbook(records)
    export = tmp_path / "export.xlsx"
    workbook = xlsxwriter.Workbook(str(export))
    sheet = workbook.add_worksheet("Report")
    date = workbook.add_format({"num_format": "mm/dd/yyyy"})
    sheet.write_row(0, 0, ["Patient Account Number", "Date of Service", "CPT", "Charge", "Line ID"])
    sheet.write_string(1, 0, "P002")
    sheet.write_datetime(1, 1, dt.datetime(2026, 4, 2), date)
    sheet.write_number(1, 2, 99213)  # a code stored as a number
    sheet.write_number(1, 3, 180)
    sheet.write_string(1, 4, "C200")
    workbook.close()
    out = tmp_path / "out.xlsx"
    assert main(["import", str(book), str(export), "--into", "Charges", "-o", str(out)]) == 0
    result, findings = read_book(out)
    assert [f for f in findings if f.severity == "error"] == []
    row = result["Charges"].set_index("ChargeID").loc["C200"]
    assert (row["PatientID"], row["Code"], row["Amount"]) == ("P002", "99213", 18000)
    assert row["ServiceDate"] == dt.datetime(2026, 4, 2)


PAYMENTS = """Pmt Date,MRN,Paid By,Pay Type,Check #,Amt,Applied To
04/01/2026,P001,ACME-PPO,EFT,TRN123,96.00,C001
04/20/2026,P002,Self Pay,VISA,AUTH77,$20.00,C002
"""


def test_a_saved_mapping_is_edited_by_the_rep_and_used_again(make_workbook, records, tmp_path):
    book = make_workbook(records)
    export = tmp_path / "payments.csv"
    export.write_text(PAYMENTS)
    mapping = tmp_path / "payments-map.json"
    out = tmp_path / "out.xlsx"
    common = [str(book), str(export), "-o", str(out), "--set", "Kind=Payment"]
    assert main(["import", *common, "--into", "Payments", "--save-mapping", str(mapping)]) == 0
    saved = json.loads(mapping.read_text())
    assert saved["into"] == "Payments"
    assert saved["columns"]["Applied To"] is None
    assert saved["defaults"] == {"Kind": "Payment"}
    saved["columns"]["Applied To"] = "ChargeID"
    mapping.write_text(json.dumps(saved))
    assert main(["import", *common, "--mapping", str(mapping)]) == 0  # --into from the file
    result, _ = read_book(out)
    payments = result["Payments"]
    added = payments[payments["Reference"] == "AUTH77"].iloc[0]
    assert (added["PaymentID"], added["ChargeID"], added["Method"]) == ("PAY003", "C002", "Card")
    assert len(payments) == 3  # TRN123 was already posted (same patient, payer, amount, date)


def test_an_encrypted_book_imports_into_an_encrypted_output_and_nothing_plain_is_left(
    files, monkeypatch
):
    book, export, folder = files
    locked = folder / "locked.xlsx"
    locked.write_bytes(encrypt_bytes(book.read_bytes(), "pw", ".xlsx"))
    book.unlink()
    monkeypatch.setenv(PASSWORD_ENV, "pw")
    out = folder / "out.xlsx"
    argv = [locked, export, "--into", "Charges", "-o", out, "--skip-invalid", "--encrypt-output"]
    assert run_import(*argv)[0] == 0
    assert out.read_bytes().startswith(OLE_MAGIC)
    result, findings = read_book(out, password="pw")
    assert [f for f in findings if f.severity == "error"] == []
    assert result["Charges"]["ChargeID"].tolist()[-2:] == VALID
    plain = [p.name for p in folder.rglob("*") if p.is_file() and p.read_bytes()[:2] == b"PK"]
    assert plain == []


def test_encrypt_output_without_a_password_is_refused_before_anything_is_read(files, capsys):
    book, export, folder = files
    out = folder / "out.xlsx"
    code, captured = run_import(
        book, export, "--into", "Charges", "-o", out, "--encrypt-output", capsys=capsys
    )
    assert code == 2 and not out.exists()
    assert "--encrypt-output needs a password" in captured.err


def test_the_output_may_not_be_the_input(files, capsys):
    book, export, _ = files
    code, captured = run_import(book, export, "--into", "Charges", "-o", book, capsys=capsys)
    assert code == 2
    assert "never changes its input" in captured.err


def test_a_table_must_be_named(files, capsys):
    book, export, folder = files
    code, captured = run_import(book, export, "-o", folder / "o.xlsx", capsys=capsys)
    assert code == 2 and "--into" in captured.err
