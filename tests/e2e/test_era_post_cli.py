"""`paxl era post`: a new workbook with the posted rows and report sheets; exit codes 0 / 1 / 2."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from addin.cli import main
from addin.core.ledger import ledger_from_book
from addin.workbook.loader import read_book
from addin.workbook.template import write_workbook
from tests.era.era_fixture import FILES, text
from tests.era.post_fixture import practice_records, practice_workbook


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return practice_workbook(tmp_path / "book.xlsx")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _post(book: Path, name: str, out: Path, *extra: str) -> int:
    return main(["era", "post", str(book), str(FILES / f"{name}.835"), "-o", str(out), *extra])


def _errors(findings):
    return [f for f in findings if f.severity == "error"]


def test_posting_writes_a_valid_new_workbook_and_leaves_the_input_alone(book, tmp_path, capsys):
    before = _digest(book)
    out = tmp_path / "posted.xlsx"
    assert _post(book, "normal_payment", out) == 0
    assert _digest(book) == before
    posted, findings = read_book(out)
    assert _errors(findings) == []
    payments = posted.tables["Payments"]
    new = payments[payments["PostedBy"] == "ERA"]
    assert new["Amount"].tolist() == [9500, 800, 6400, 24000, 10000]
    assert set(new["Reference"]) == {"EFT20260312001"} and set(new["Payer"]) == {"ACME-PPO"}
    lines = ledger_from_book(posted).lines.set_index("ChargeID")
    assert lines.loc["C0000104", ["insurance_paid", "adjustments", "patient_due"]].tolist() == [
        24000,
        40000,
        56000,
    ]
    out_text = capsys.readouterr().out
    assert "Claims: 4 posted, 0 reversed, 0 denied, 0 unmatched" in out_text
    assert "Total posted 507.00 of 507.00 paid (BPR02); provider adjustments 0.00" in out_text
    assert "SAMPLE" not in out_text and "Alex" not in out_text
    sheets = openpyxl.load_workbook(out, read_only=True).sheetnames
    assert sheets[-4:] == ["ERA posting", "Denials", "Unmatched claims", "Provider adjustments"]


def test_json_output_counts_claims_and_compares_totals_with_bpr02(book, tmp_path, capsys):
    assert _post(book, "plb_adjustment", tmp_path / "out.xlsx", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["claims"] == {"posted": 2, "reversed": 0, "denied": 0, "unmatched": 0}
    assert data["rows"] == {"Payments": 2, "Adjustments": 2}
    assert data["totals"] == {
        "posted": "240.00",
        "total_paid": "197.50",
        "provider_adjustments": "42.50",
        "not_posted": "0.00",
    }
    assert [p["reason"] for p in data["provider_adjustments"]] == ["WO", "L6", "FB"]


def test_denials_go_to_the_denials_sheet(book, tmp_path, capsys):
    out = tmp_path / "out.xlsx"
    assert _post(book, "denial", out, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["claims"]["denied"] == 1
    ws = openpyxl.load_workbook(out)["Denials"]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True)]
    assert [(r[3], r[6], r[10]) for r in rows] == [
        ("CLM000201", "C0000201", "CO-197 380.00"),
        ("CLM000201", "C0000202", "CO-50 70.00"),
    ]
    assert list(ws.tables) == ["EraDenials"]


def test_unmatched_claims_are_printed_and_listed_on_their_sheet(tmp_path, capsys):
    records = practice_records()
    records["Charges"] = [c for c in records["Charges"] if c["ClaimID"] != "CLM000103"]
    book = tmp_path / "book.xlsx"
    write_workbook(book, records)
    out = tmp_path / "out.xlsx"
    assert _post(book, "normal_payment", out) == 0
    printed = capsys.readouterr().out
    assert "Unmatched claims (1), not posted" in printed
    assert "CLM000103 (payment EFT20260312001): No charge in the workbook has ClaimID" in printed
    assert "posted 267.00 + not posted 240.00" in printed
    ws = openpyxl.load_workbook(out)["Unmatched claims"]
    assert ws["B2"].value == "CLM000103"


def test_a_reversal_posted_on_the_posted_workbook_leaves_the_corrected_patient_share(
    book, tmp_path, capsys
):
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    assert _post(book, "normal_payment", first) == 0
    capsys.readouterr()  # the first run's text
    assert _post(first, "reversal_and_correction", second, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["claims"] == {"posted": 1, "reversed": 1, "denied": 0, "unmatched": 0}
    assert data["totals"]["posted"] == "80.00"
    posted, findings = read_book(second)
    assert _errors(findings) == []
    line = ledger_from_book(posted).lines.set_index("ChargeID").loc["C0000103"]
    assert line["patient_due"] == 3600 and line["insurance_pending"] == 0
    refunds = posted.tables["Payments"].query("Kind == 'Refund'")
    assert refunds["Amount"].tolist() == [6400] and refunds["Payer"].tolist() == ["ACME-PPO"]


def test_posting_the_same_trace_again_exits_2_and_writes_nothing(book, tmp_path, capsys):
    first, again = tmp_path / "first.xlsx", tmp_path / "again.xlsx"
    assert _post(book, "normal_payment", first) == 0
    capsys.readouterr()
    assert _post(first, "normal_payment", again) == 2
    err = capsys.readouterr().err
    assert "EFT20260312001 is already posted" in err
    assert not again.exists()


@pytest.mark.parametrize("name", ["broken_unbalanced", "broken_truncated"])
def test_a_file_that_cannot_be_posted_exits_1_and_writes_nothing(book, tmp_path, capsys, name):
    out = tmp_path / "out.xlsx"
    assert _post(book, name, out) == 1
    assert "not posted — nothing was written" in capsys.readouterr().out
    assert not out.exists()
    assert _post(book, name, out, "--json") == 1
    data = json.loads(capsys.readouterr().out)
    assert data["posted"] is False and data["errors"]
    assert not out.exists()


def test_a_file_that_is_not_an_835_exits_2(book, tmp_path, capsys):
    bad = tmp_path / "upload.835"
    bad.write_text(text("normal_payment").replace("ST*835", "ST*837"), encoding="ascii")
    out = tmp_path / "out.xlsx"
    assert main(["era", "post", str(book), str(bad), "-o", str(out)]) == 2
    assert "837" in capsys.readouterr().err
    assert not out.exists()


def test_the_output_may_not_be_the_input(book, capsys):
    before = _digest(book)
    assert _post(book, "normal_payment", book) == 2
    assert "never changes its input" in capsys.readouterr().err
    assert _digest(book) == before


def test_a_file_without_line_breaks_posts(book, tmp_path, capsys):
    out = tmp_path / "out.xlsx"
    assert _post(book, "no_line_breaks", out, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["payments"][0]["posted"] == "136.40" == data["payments"][0]["total_paid"]
    assert Decimal(data["totals"]["posted"]) == Decimal("136.40")
