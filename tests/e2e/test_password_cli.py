"""Password-protected workbooks on the command line: --password, PAXL_PASSWORD, wrong passwords.

The workbook is decrypted in memory only: after every run the folder holds no unencrypted
workbook (a plain .xlsx is a zip package starting ``PK``; an encrypted one is an OLE container).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from addin.cli import build_parser, main
from addin.commands._book_args import PASSWORD_ENV
from addin.workbook.encryption import OLE_MAGIC, encrypt_bytes
from addin.workbook.loader import read_book
from addin.workbook.sample import generate_sample
from addin.workbook.template import write_workbook

PASSWORD = "correct horse"
#: every command that reads a workbook, with the arguments it needs besides the workbook
READERS = {
    "validate": ["{book}"],
    "audit": ["{book}"],
    "verify": ["{book}"],
    "estimate": ["{book}", "--patient", "P000001", "--codes", "99213"],
    "plan": ["{book}", "--patient", "P000001"],
    "assistance": ["--book", "{book}", "--income", "30000", "--household", "2", "--year", "2026"],
    "import": ["{book}", "export.csv", "--into", "Charges", "-o", "out.xlsx"],
    "era": ["post", "{book}", "remit.835", "-o", "out.xlsx"],
    "notices": ["{book}", "-o", "notices"],
    "collections": ["{book}", "-o", "placement.csv"],
    "statements": ["{book}", "-o", "bills.xlsx"],
}


@pytest.fixture(scope="module")
def sample_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("plain") / "sample.xlsx"
    write_workbook(path, generate_sample(20, 7).records)
    return path.read_bytes()


@pytest.fixture
def locked(tmp_path, sample_bytes) -> Path:
    path = tmp_path / "sample.xlsx"
    path.write_bytes(encrypt_bytes(sample_bytes, PASSWORD, ".xlsx"))
    return path


def plain_workbooks(folder: Path) -> list[Path]:
    """Files under ``folder`` that are unencrypted zip packages (decrypted copies)."""
    return [p for p in folder.rglob("*") if p.is_file() and p.read_bytes()[:2] == b"PK"]


def test_every_command_that_reads_a_workbook_accepts_password():
    parser = build_parser()
    for command, extra in READERS.items():
        argv = [command, *(a.format(book="b.xlsx") for a in extra), "--password"]
        args = parser.parse_args(argv)
        assert args.password is True, command


def test_validate_reads_the_password_from_standard_input(locked, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    assert main(["validate", str(locked), "--password"]) == 0
    assert "No problems found." in capsys.readouterr().out
    assert plain_workbooks(tmp_path) == []
    assert locked.read_bytes().startswith(OLE_MAGIC)


def test_validate_in_a_real_process_with_the_password_piped_in(locked, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != PASSWORD_ENV}
    done = subprocess.run(
        [sys.executable, "-m", "addin.cli", "validate", str(locked), "--password"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "No problems found." in done.stdout
    assert PASSWORD not in done.stdout + done.stderr
    assert plain_workbooks(tmp_path) == []


def test_validate_takes_the_password_from_the_environment(locked, monkeypatch, capsys):
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    assert main(["validate", str(locked)]) == 0
    assert "No problems found." in capsys.readouterr().out


@pytest.mark.parametrize("command", ["audit", "plan", "assistance"])
def test_other_commands_open_the_encrypted_sample_with_the_environment_password(
    command, locked, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    args = [a.format(book=locked) for a in READERS[command]]
    assert main([command, *args]) in (0, 1)  # 1: audit findings; never 2 (unreadable)
    assert "password" not in capsys.readouterr().err
    assert plain_workbooks(tmp_path) == []


def test_a_wrong_password_fails_with_one_sentence_and_exit_2(locked, monkeypatch, capsys):
    monkeypatch.setenv(PASSWORD_ENV, "guess")
    assert main(["validate", str(locked)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "paxl: The password for sample.xlsx is wrong; check it and try again.\n"
    )


def test_no_password_for_an_encrypted_workbook_says_how_to_give_one(locked, monkeypatch, capsys):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    assert main(["validate", str(locked)]) == 2
    err = capsys.readouterr().err
    assert "password-protected" in err and "--password" in err and PASSWORD_ENV in err


def test_a_wrong_password_writes_nothing(locked, tmp_path, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "guess")
    export = tmp_path / "export.csv"
    export.write_text("Acct #,DOS,CPT,Amount,Charge ID\nP000001,03/31/2026,99213,10.00,CX1\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    out = tmp_path / "out.xlsx"
    assert main(["import", str(locked), str(export), "--into", "Charges", "-o", str(out)]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_an_empty_piped_password_is_refused(locked, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["validate", str(locked), "--password"]) == 2
    assert "No password was given" in capsys.readouterr().err


def test_era_post_reads_an_encrypted_book_and_writes_an_encrypted_one(tmp_path, monkeypatch):
    from tests.era.era_fixture import FILES
    from tests.era.post_fixture import practice_workbook

    plain = practice_workbook(tmp_path / "plain" / "book.xlsx")
    locked = tmp_path / "book.xlsx"
    locked.write_bytes(encrypt_bytes(plain.read_bytes(), PASSWORD, ".xlsx"))
    plain.unlink()
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    out = tmp_path / "posted.xlsx"
    era = FILES / "normal_payment.835"
    argv = ["era", "post", str(locked), str(era), "-o", str(out), "--encrypt-output"]
    assert main(argv) == 0
    assert out.read_bytes().startswith(OLE_MAGIC)
    posted, findings = read_book(out, password=PASSWORD)
    assert [f for f in findings if f.severity == "error"] == []
    assert (posted["Payments"]["PostedBy"] == "ERA").sum() == 5
    assert plain_workbooks(tmp_path) == []


def test_era_post_with_a_wrong_password_writes_nothing(tmp_path, monkeypatch, capsys):
    from tests.era.era_fixture import FILES
    from tests.era.post_fixture import practice_workbook

    plain = practice_workbook(tmp_path / "plain.xlsx")
    locked = tmp_path / "book.xlsx"
    locked.write_bytes(encrypt_bytes(plain.read_bytes(), PASSWORD, ".xlsx"))
    monkeypatch.setenv(PASSWORD_ENV, "guess")
    out = tmp_path / "posted.xlsx"
    era = FILES / "normal_payment.835"
    assert main(["era", "post", str(locked), str(era), "-o", str(out)]) == 2
    assert "password for book.xlsx is wrong" in capsys.readouterr().err
    assert not out.exists()


def test_statements_encrypt_output_protects_the_bill_workbook_and_every_pdf(
    locked, tmp_path, monkeypatch, capsys
):
    from pypdf import PdfReader

    from addin.workbook.xlsx_file import open_xlsx

    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    out = tmp_path / "bills" / "bills.xlsx"
    pdfs = tmp_path / "pdf"
    argv = ["statements", str(locked), "--as-of", "2026-12-31", "-o", str(out)]
    argv += ["--pdf", str(pdfs), "--combined-pdf", "--encrypt-output"]
    assert main(argv) == 0, capsys.readouterr().err
    assert out.read_bytes().startswith(OLE_MAGIC)
    with open_xlsx(out, password=PASSWORD) as bills:
        assert len(bills.sheet_names) > 1  # the log sheet and the bills
    written = sorted(pdfs.glob("*.pdf"))
    assert len(written) >= 2  # bills and the combined PDF
    for path in written:
        reader = PdfReader(path)
        assert reader.is_encrypted, path.name
        assert reader.decrypt(PASSWORD) != 0
    assert plain_workbooks(tmp_path) == []


def test_statements_with_a_wrong_password_write_nothing(locked, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(PASSWORD_ENV, "guess")
    out = tmp_path / "bills" / "bills.xlsx"
    argv = ["statements", str(locked), "-o", str(out), "--pdf", str(tmp_path / "pdf")]
    assert main([*argv, "--encrypt-output"]) == 2
    assert capsys.readouterr().err == (
        "paxl: The password for sample.xlsx is wrong; check it and try again.\n"
    )
    assert not (tmp_path / "bills").exists() and not (tmp_path / "pdf").exists()
