import json

import pytest

from addin.cli import main
from addin.workbook.template import write_workbook
from tests.core.insurance_fixture import RECORDS, records


@pytest.fixture
def book_path(tmp_path):
    path = tmp_path / "book.xlsx"
    write_workbook(path, RECORDS)
    return path


def test_verify_lists_coverage_findings_and_exits_1_on_errors(book_path, capsys):
    assert main(["verify", str(book_path)]) == 1
    out = capsys.readouterr().out
    assert "Charge C4: code 97110 is not covered by the primary plan GOLD" in out
    assert "Charge C6: none of the patient's coverage is in force" in out
    assert "6 coverage problems." in out


def test_verify_json_gives_sheet_row_column_and_ids(book_path, capsys):
    assert main(["verify", str(book_path), "--json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    found = {(f["code"], f["ids"][1]): f for f in findings}
    assert set(found) == {
        ("not_covered", "C4"),
        ("coverage_inactive", "C6"),
        ("prior_auth", "C3"),
        ("not_verified", "C3"),
        ("not_verified", "C4"),
        ("self_pay", "C5"),
    }
    not_covered = found[("not_covered", "C4")]
    assert (not_covered["sheet"], not_covered["row"], not_covered["column"]) == (
        "Charges",
        5,
        "Code",
    )
    assert not_covered["severity"] == "error"
    assert not_covered["ids"] == ["P2", "C4", "GOLD"]


def test_verify_exits_0_when_only_warnings_remain(tmp_path, capsys):
    charges = [c for c in RECORDS["Charges"] if c["ChargeID"] not in ("C4", "C6")]
    path = tmp_path / "clean.xlsx"
    write_workbook(path, records(Charges=charges))
    assert main(["verify", str(path), "--json"]) == 0
    findings = json.loads(capsys.readouterr().out)
    assert {f["severity"] for f in findings} == {"warning"}


def test_verify_refuses_a_workbook_with_data_errors(tmp_path, capsys):
    charges = [*RECORDS["Charges"], {**RECORDS["Charges"][0]}]  # duplicate ChargeID C1
    path = tmp_path / "bad.xlsx"
    write_workbook(path, records(Charges=charges))
    assert main(["verify", str(path)]) == 2
    assert "paxl validate" in capsys.readouterr().err
