"""`paxl audit`: validation problems and discrepancies of a workbook file, with exit codes."""

import json

import pytest

from addin.cli import main
from addin.workbook.sample import INJECTED_KINDS, generate_sample
from addin.workbook.template import write_workbook

PATIENTS = [
    {
        "PatientID": pid,
        "LastName": "Doe",
        "FirstName": "Sam",
        "DOB": "1970-06-01",
        "AccountStatus": "Active",
    }
    for pid in ("P1", "P2")
]
FEES = [{"Code": "99213", "Charge": "100.00"}]


def charge(cid, **extra):
    values = {
        "ChargeID": cid,
        "PatientID": "P1",
        "ServiceDate": "2026-01-05",
        "Code": "99213",
        "Diagnoses": "I10",
        "Amount": "100.00",
    }
    return {**values, **extra}


def payment(pid, **extra):
    values = {
        "PaymentID": pid,
        "Date": "2026-02-01",
        "PatientID": "P1",
        "Payer": "Patient",
        "Kind": "Payment",
        "Method": "Check",
        "Amount": "40.00",
    }
    return {**values, **extra}


def workbook(tmp_path, charges, payments=()):
    path = tmp_path / "book.xlsx"
    records = {"Patients": PATIENTS, "Fees": FEES, "Charges": charges, "Payments": list(payments)}
    write_workbook(path, records)
    return path


def audit(capsys, path, *options):
    code = main(["audit", str(path), "--as-of", "2026-03-31", *options])
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_workbook_exits_0_with_nothing_found(tmp_path, capsys):
    path = workbook(tmp_path, [charge("C1")], [payment("Y1", ChargeID="C1", Reference="101")])
    code, out, _ = audit(capsys, path)
    assert code == 0
    assert "No findings found." in out


def test_discrepancies_are_listed_with_sheet_row_and_exit_1(tmp_path, capsys):
    path = workbook(
        tmp_path,
        [charge("C1"), charge("C2"), charge("C3", Code="9921", ServiceDate="2026-05-01")],
        [payment("Y1", Reference="7"), payment("Y2", Reference="7")],
    )
    code, out, _ = audit(capsys, path, "--json")
    assert code == 1
    found = {(f["code"], f["sheet"], f["row"]) for f in json.loads(out)}
    assert {
        ("duplicate_charge", "Charges", 3),
        ("invalid_procedure_code", "Charges", 4),
        ("future_date", "Charges", 4),
        ("duplicate_payment", "Payments", 3),
    } <= found


def test_warnings_alone_exit_0(tmp_path, capsys):
    path = workbook(tmp_path, [charge("C1", Amount="90.00")])
    code, out, _ = audit(capsys, path, "--json")
    assert code == 0
    assert [f["code"] for f in json.loads(out)] == ["fee_mismatch"]


def test_a_problem_validation_reports_is_shown_once(tmp_path, capsys):
    path = workbook(tmp_path, [charge("C1")], [payment("Y1", ChargeID="C9", Reference="1")])
    code, out, _ = audit(capsys, path, "--json")
    assert code == 1
    at_cell = [f for f in json.loads(out) if (f["sheet"], f["row"]) == ("Payments", 2)]
    assert [(f["code"], f["column"]) for f in at_cell] == [("unknown_reference", "ChargeID")]


def test_as_of_decides_what_is_in_the_future(tmp_path, capsys):
    path = workbook(tmp_path, [charge("C1", ServiceDate="2026-05-01")])
    assert audit(capsys, path)[0] == 1
    assert main(["audit", str(path), "--as-of", "2026-05-01"]) == 0


def test_bad_as_of_date_is_refused_with_the_format(tmp_path, capsys):
    path = workbook(tmp_path, [charge("C1")])
    with pytest.raises(SystemExit) as exit_:
        main(["audit", str(path), "--as-of", "31/03/2026"])
    assert exit_.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_missing_file_exits_2_without_a_traceback(tmp_path, capsys):
    code = main(["audit", str(tmp_path / "nope.xlsx")])
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_the_workbook_is_not_modified(tmp_path, capsys):
    path = workbook(tmp_path, [charge("C1"), charge("C2")])
    before = path.read_bytes()
    audit(capsys, path)
    assert path.read_bytes() == before


# --- the synthetic sample ------------------------------------------------------------------------


def sample_findings(tmp_path, capsys, *, with_errors):
    sample = generate_sample(300, 11, with_errors=with_errors)
    path = tmp_path / "sample.xlsx"
    write_workbook(path, sample.records)
    code = main(["audit", str(path), "--as-of", sample.as_of.isoformat(), "--json"])
    return sample, code, json.loads(capsys.readouterr().out)


def test_sample_with_errors_has_each_injected_mistake_found_as_an_error(tmp_path, capsys):
    sample, code, findings = sample_findings(tmp_path, capsys, with_errors=True)
    assert code == 1
    assert {i.kind for i in sample.injected} == set(INJECTED_KINDS)
    errors = {(f["sheet"], f["row"], f["column"]) for f in findings if f["severity"] == "error"}
    for mistake in sample.injected:
        assert (mistake.table, mistake.row, mistake.column) in errors, mistake
    audited = {"duplicate_reference", "future_date", "malformed_icd10"}  # the rest: validation
    ids = {i for f in findings for i in f["ids"]}
    assert {i.id for i in sample.injected if i.kind in audited} <= ids


def test_clean_sample_has_no_errors(tmp_path, capsys):
    _, code, findings = sample_findings(tmp_path, capsys, with_errors=False)
    assert [f for f in findings if f["severity"] == "error"] == []
    assert code == 0
