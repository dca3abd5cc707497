"""Reading exports: CSV flavours, workbook sheets, encrypted workbooks, files that are neither."""

from __future__ import annotations

import datetime as dt

import pytest
import xlsxwriter

from addin.errors import PaxlError
from addin.workbook.encryption import encrypt_bytes
from addin.workbook.export_reader import read_export


def test_a_utf8_csv_with_a_byte_order_mark_reads_its_header_cleanly(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("\ufeffAcct #,DOS\r\nP001,03/31/2026\r\n".encode())
    export = read_export(path)
    assert (export.name, export.sheet) == ("export.csv", "export.csv")
    assert export.rows == [["Acct #", "DOS"], ["P001", "03/31/2026"]]


def test_the_delimiter_is_the_one_the_first_line_uses(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text("Acct #;Billed Amt\nP001;1.234,50\n")
    assert read_export(path).rows[1] == ["P001", "1.234,50"]
    path.write_text("Acct #\tDOS\nP001\t3/31/26\n")
    assert read_export(path).rows[1] == ["P001", "3/31/26"]


def test_windows_1252_text_is_read_when_it_is_not_utf8(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("Acct #,Note\nP001,café\n".encode("cp1252"))
    assert read_export(path).rows[1] == ["P001", "café"]


def test_quoted_cells_keep_their_commas_and_line_breaks(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('Acct #,Billed Amt,Note\nP001,"$1,234.50","two\nlines"\nP002,5,x\n')
    rows = read_export(path).rows
    assert rows[1] == ["P001", "$1,234.50", "two\nlines"]
    assert rows[2][0] == "P002"  # the record after a quoted line break is row 3


def _workbook(path, sheets):
    book = xlsxwriter.Workbook(str(path))
    date = book.add_format({"num_format": "mm/dd/yyyy"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, value, date)
                elif value is not None:
                    sheet.write(r, c, value)
    book.close()
    return path


def test_a_workbook_export_reads_its_first_sheet_with_cells(tmp_path):
    path = _workbook(
        tmp_path / "export.xlsx",
        {"Empty": [], "Charges": [["Acct #", "DOS", "Amt"], ["P001", dt.date(2026, 3, 31), 12.5]]},
    )
    export = read_export(path)
    assert export.sheet == "Charges"
    assert export.rows[1][0] == "P001" and export.rows[1][2] == 12.5
    assert export.rows[1][1] == dt.date(2026, 3, 31)


def test_a_named_sheet_is_read_and_a_missing_one_is_named(tmp_path):
    path = _workbook(tmp_path / "export.xlsx", {"A": [["x"]], "B": [["Acct #"], ["P9"]]})
    assert read_export(path, sheet="b").rows == [["Acct #"], ["P9"]]
    with pytest.raises(PaxlError, match="no sheet named C; its sheets: A, B"):
        read_export(path, sheet="C")


def test_an_encrypted_workbook_export_opens_with_the_password(tmp_path):
    plain = _workbook(tmp_path / "plain.xlsx", {"S": [["Acct #"], ["P1"]]}).read_bytes()
    path = tmp_path / "locked.xlsx"
    path.write_bytes(encrypt_bytes(plain, "pw", ".xlsx"))
    assert read_export(path, password="pw").rows == [["Acct #"], ["P1"]]
    with pytest.raises(PaxlError, match="wrong"):
        read_export(path, password="nope")


@pytest.mark.parametrize("content", [b"", b"\r\n , \r\n"])
def test_an_export_without_rows_is_refused(tmp_path, content):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(PaxlError, match="has no rows to import"):
        read_export(path)


def test_a_missing_export_and_binary_junk_are_refused_with_a_sentence(tmp_path):
    with pytest.raises(PaxlError, match="does not exist"):
        read_export(tmp_path / "nope.csv")
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(PaxlError, match="neither a workbook nor a text export"):
        read_export(junk)


def test_a_sheet_option_on_a_text_export_is_refused(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Acct #\nP1\n")
    with pytest.raises(PaxlError, match="no sheets"):
        read_export(path, sheet="Charges")
