"""Encrypted workbooks and PDFs: decrypted in memory only, outputs encrypted before written."""

from __future__ import annotations

import io
import zipfile

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from addin.errors import PaxlError
from addin.workbook.encryption import (
    OLE_MAGIC,
    decrypt_workbook,
    encrypt_bytes,
    is_encrypted,
    write_output,
)
from addin.workbook.loader import read_book


@pytest.fixture
def plain_bytes(make_workbook, records) -> bytes:
    return make_workbook(records).read_bytes()


@pytest.fixture
def locked(tmp_path, plain_bytes):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(encrypt_bytes(plain_bytes, "s3cret", ".xlsx"))
    return path


def _pdf_bytes() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(40, 10, "Statement for account P001")
    return bytes(pdf.output())


def test_an_encrypted_workbook_is_an_ole_container_and_says_so(locked, plain_bytes):
    data = locked.read_bytes()
    assert data.startswith(OLE_MAGIC)
    assert is_encrypted(locked) and is_encrypted(data)
    assert not is_encrypted(plain_bytes)
    assert not is_encrypted(b"PatientID,Amount\nP001,12.00\n")


def test_decrypting_gives_back_the_exact_workbook_in_memory(locked, plain_bytes):
    plain = decrypt_workbook(locked, "s3cret")
    assert isinstance(plain, io.BytesIO)
    assert plain.getvalue() == plain_bytes
    assert "xl/workbook.xml" in zipfile.ZipFile(plain).namelist()


def test_a_wrong_password_is_one_sentence_naming_the_file(locked):
    with pytest.raises(PaxlError) as caught:
        decrypt_workbook(locked, "guess")
    assert str(caught.value) == "The password for locked.xlsx is wrong; check it and try again."


def test_a_missing_password_says_how_to_give_one(locked):
    with pytest.raises(PaxlError, match=r"password-protected.*--password.*PAXL_PASSWORD"):
        decrypt_workbook(locked, None)


def test_an_ole_file_that_is_not_encrypted_office_is_not_a_workbook(tmp_path):
    path = tmp_path / "odd.xlsx"
    path.write_bytes(OLE_MAGIC + b"\x00" * 600)
    with pytest.raises(PaxlError, match="not an Excel workbook"):
        decrypt_workbook(path, "s3cret")


def test_the_loader_reads_an_encrypted_workbook_through_the_same_decryption(locked, records):
    book, findings = read_book(locked, password="s3cret")
    assert findings == []
    assert book["Patients"]["PatientID"].tolist() == [r["PatientID"] for r in records["Patients"]]
    with pytest.raises(PaxlError, match="wrong"):
        read_book(locked, password="guess")


def test_write_output_encrypts_a_workbook_before_it_reaches_the_disk(tmp_path, plain_bytes):
    out = write_output(plain_bytes, tmp_path / "out" / "book.xlsx", password="pw")
    assert out.read_bytes().startswith(OLE_MAGIC)
    assert decrypt_workbook(out, "pw").getvalue() == plain_bytes
    assert [p.name for p in out.parent.iterdir()] == ["book.xlsx"]  # no temporary left


def test_write_output_without_a_password_writes_the_bytes_unchanged(tmp_path):
    out = write_output(b"a,b\r\n", tmp_path / "list.csv")
    assert out.read_bytes() == b"a,b\r\n"


def test_an_encrypted_pdf_needs_the_password_to_open(tmp_path):
    out = write_output(_pdf_bytes(), tmp_path / "bill.pdf", password="pw")
    reader = PdfReader(out)
    assert reader.is_encrypted
    assert reader.decrypt("wrong") == 0
    reader = PdfReader(out)
    assert reader.decrypt("pw") != 0
    assert "account P001" in reader.pages[0].extract_text()


def test_files_that_cannot_carry_a_password_are_refused_and_not_written(tmp_path):
    with pytest.raises(PaxlError, match=r"\.csv file cannot carry a password"):
        write_output(b"a,b\r\n", tmp_path / "list.csv", password="pw")
    assert list(tmp_path.iterdir()) == []


def test_a_blank_password_protects_nothing_and_is_refused(plain_bytes):
    with pytest.raises(PaxlError, match="blank"):
        encrypt_bytes(plain_bytes, "", ".xlsx")
