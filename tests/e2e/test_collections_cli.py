"""`paxl collections BOOK -o placement.csv`: the placement file, status changes and reasons."""

import json

import pytest

from addin.cli import main
from addin.commands.collections import run_collections
from addin.workbook.encryption import encrypt_bytes
from addin.workbook.loader import load_book
from addin.workbook.sample import generate_sample
from addin.workbook.template import write_workbook
from tests.e2e.notice_records import charge, patient, read_csv, sha

NAMES = ("Rivera", "Chen", "Okafor", "Nakamura")


def statement(sid, pid, on, final=False):
    return {
        "StatementID": sid,
        "PatientID": pid,
        "StatementDate": on,
        "DueDate": on,
        "AmountDue": "100.00",
        "FinalNotice": final,
    }


def billed(pid):
    return [
        statement(f"S{pid}a", pid, "2026-01-15"),
        statement(f"S{pid}b", pid, "2026-04-15", True),
    ]


RECORDS = {
    "Patients": [
        patient("G1", "Rivera"),
        patient("K1", "Rivera", Guarantor="G1"),
        patient("G2", "Chen"),
        patient("G3", "Okafor", AssistanceStatus="Applied"),
        patient("G4", "Nakamura"),
    ],
    "Fees": [{"Code": "99213", "Charge": "100.00"}],
    "Charges": [
        charge("C1", "K1", "250.75"),
        charge("C2", "G2", "49.99"),
        charge("C3", "G3"),
        charge("C4", "G4"),
        charge("C5", "G4", "80.00", served="2026-03-01"),
    ],
    "Statements": [
        *billed("G1"),
        *billed("G2"),
        *billed("G3"),
        *billed("G4"),
        statement("SG4c", "G4", "2026-03-05"),  # first bill of G4's later care
    ],
}


@pytest.fixture
def book_path(tmp_path):
    path = tmp_path / "book.xlsx"
    write_workbook(path, RECORDS)
    return path


def test_collections_writes_placement_and_status_changes(book_path, tmp_path, capsys):
    before = sha(book_path)
    out = tmp_path / "out" / "placement.csv"
    assert main(["collections", str(book_path), "--as-of", "2026-06-01", "-o", str(out)]) == 0
    assert sha(book_path) == before
    placement = read_csv(out)
    assert [(r["Account"], r["Balance"], r["Patients"]) for r in placement] == [
        ("G1", "250.75", "K1"),
        ("G4", "180.00", "G4"),
    ]
    first = placement[0]
    assert (first["FirstStatementDate"], first["FinalNoticeDate"], first["DaysPast"]) == (
        "2026-01-15",
        "2026-04-15",
        "137",
    )
    assert first["GuarantorName"] == "Sam Rivera" and first["ZIP"] == "62704"
    changes = read_csv(tmp_path / "out" / "placement-status-changes.csv")
    assert [(c["PatientID"], c["Row"], c["From"], c["To"]) for c in changes] == [
        ("G1", "2", "Active", "Collections"),
        ("K1", "3", "Active", "Collections"),
        ("G4", "6", "Active", "Collections"),
    ]
    printed = capsys.readouterr()
    assert "2 eligible ($430.75)" in printed.out
    assert "assistance_pending: 1" in printed.out and "under_minimum: 1" in printed.out
    assert not any(name in printed.out + printed.err for name in NAMES)


def test_json_lists_the_ineligible_with_their_reasons(book_path, tmp_path, capsys):
    out = tmp_path / "placement.csv"
    args = ["collections", str(book_path), "--as-of", "2026-06-01", "-o", str(out), "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["reviewed"], data["eligible"], data["ineligible"]) == (4, 2, 2)
    reasons = {a["account"]: [r["code"] for r in a["reasons"]] for a in data["not_eligible"]}
    assert reasons == {"G2": ["under_minimum"], "G3": ["assistance_pending"]}
    assert [c["PatientID"] for c in data["changes"]] == ["G1", "K1", "G4"]


def test_nonprofit_hospital_waits_for_the_501r_dates(tmp_path, capsys):
    path = tmp_path / "hospital.xlsx"
    write_workbook(path, RECORDS, policy={"nonprofit_hospital": True})
    out = tmp_path / "placement.csv"
    args = ["collections", str(path), "--as-of", "2026-06-01", "-o", str(out), "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    g4 = next(a for a in data["not_eligible"] if a["account"] == "G4")
    assert [r["code"] for r in g4["reasons"]] == ["501r_too_early"]
    assert g4["earliest_eca"] == "2026-07-03"  # later care first billed 2026-03-05, + 120 days
    assert [r["Account"] for r in read_csv(out)] == ["G1"]


def test_collections_on_the_sample_places_only_eligible_active_accounts(tmp_path):
    sample = generate_sample(200, 1)
    path = tmp_path / "sample.xlsx"
    write_workbook(path, sample.records)
    out = tmp_path / "placement.csv"
    summary = run_collections(load_book(path), sample.as_of, out)
    assert summary.reviewed > 0
    placement = read_csv(out)
    assert len(placement) == summary.eligible
    assert all(float(r["Balance"]) >= 50 and int(r["DaysPast"]) > 120 for r in placement)
    changes = read_csv(tmp_path / "placement-status-changes.csv")
    assert len(changes) == summary.status_changes
    assert all(c["From"] in ("Active", "") and c["To"] == "Collections" for c in changes)


def test_a_password_protected_workbook_is_read_with_the_environment_password(
    book_path, tmp_path, monkeypatch, capsys
):
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(encrypt_bytes(book_path.read_bytes(), "s3cret-pw", ".xlsx"))
    monkeypatch.setenv("PAXL_PASSWORD", "s3cret-pw")
    out = tmp_path / "placement.csv"
    assert main(["collections", str(locked), "--as-of", "2026-06-01", "-o", str(out)]) == 0
    assert [r["Account"] for r in read_csv(out)] == ["G1", "G4"]
