"""`paxl worklist` on workbook files: the planted mistakes of a sample each listed once, ranked
tasks as text or JSON, no names, the workbook never written."""

import hashlib
import json
import re

import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from addin.cli import main
from addin.workbook.sample import generate_sample
from addin.workbook.template import write_workbook

#: what each injected mistake of the sample is reported as
CODES = {
    "unknown_patient": "unknown_reference",
    "negative_amount": "negative_amount",
    "future_date": "future_date",
    "duplicate_reference": "duplicate_payment",
    "malformed_icd10": "invalid_diagnosis_code",
}


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    sample = generate_sample(60, 11, with_errors=True)
    path = tmp_path_factory.mktemp("worklist") / "faulty.xlsx"
    write_workbook(path, sample.records)
    return sample, path


@pytest.fixture(scope="module")
def listed(faulty):
    """The worklist of the faulty sample as JSON (one run shared by the tests), and the file's
    hash before the run."""
    _, path = faulty
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.MonkeyPatch.context() as mp:
        import io
        import sys

        out = io.StringIO()
        mp.setattr(sys, "stdout", out)
        code = main(["worklist", str(path), "--as-of", "2026-11-15T14:00", "--json"])
    return code, json.loads(out.getvalue()), before


def test_each_planted_mistake_is_listed_once_with_its_reason(faulty, listed):
    sample, _ = faulty
    code, data, _ = listed
    assert code == 0
    fixes = [t for t in data["tasks"] if t["kind"] == "fix_data"]
    assert sorted((t["sheet"], t["row"]) for t in fixes) == sorted(
        (m.table, m.row) for m in sample.injected
    )
    for mistake in sample.injected:
        (task,) = [t for t in fixes if (t["sheet"], t["row"]) == (mistake.table, mistake.row)]
        assert task["codes"] == [CODES[mistake.kind]]
        assert mistake.id in task["ids"] or mistake.id in task["reason"] or task["ids"]
        assert task["deadline"] == "2026-11-15" and task["reason"] and task["action"]
    assert data["left_out_rows"] == 4  # 3 validation errors and the repeated payment


def test_no_task_is_listed_twice_and_the_list_is_ranked(listed):
    _, data, _ = listed
    keys = [
        (t["kind"], tuple(t["ids"]), t["sheet"], t["row"], t["column"], tuple(t["codes"]))
        for t in data["tasks"]
    ]
    assert len(keys) == len(set(keys))
    scores = [t["score"] for t in data["tasks"]]
    assert scores == sorted(scores, reverse=True)
    assert {t["kind"] for t in data["tasks"]} >= {"fix_data", "refund_credit", "dunning_notice"}


def test_the_workbook_is_only_read(faulty, listed):
    _, path = faulty
    assert hashlib.sha256(path.read_bytes()).hexdigest() == listed[2]


def test_text_lists_numbered_tasks_without_patient_names(faulty, capsys):
    sample, path = faulty
    assert main(["worklist", str(path), "--as-of", "2026-11-15"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Worklist for 2026-11-15 12:00 EST:")
    assert re.search(r"^ 1\. [a-z_]+  \$[\d,]+\.\d\d  due \d{4}-\d\d-\d\d ", out, re.MULTILINE)
    assert "fix_data" in out and "Why: " in out and "Do:  " in out
    for person in sample.records["Patients"]:
        assert f"{person['FirstName']} {person['LastName']}" not in out
        assert str(person["LastName"]) not in out.split()


ONE_PATIENT = {
    "Patients": [
        {
            "PatientID": "P1",
            "LastName": "Doe",
            "FirstName": "Sam",
            "DOB": "1970-06-01",
            "AccountStatus": "Active",
        }
    ]
}


def test_a_clean_hand_made_book_has_nothing_to_do(tmp_path, capsys):
    path = tmp_path / "quiet.xlsx"
    write_workbook(path, ONE_PATIENT)
    assert main(["worklist", str(path), "--as-of", "2026-11-15"]) == 0
    assert "Nothing to do today." in capsys.readouterr().out


def test_an_encrypted_workbook_is_read_with_the_password_from_the_environment(
    tmp_path, monkeypatch, capsys
):
    plain = tmp_path / "plain.xlsx"
    write_workbook(plain, ONE_PATIENT)
    locked = tmp_path / "locked.xlsx"
    with plain.open("rb") as source, locked.open("wb") as target:
        OOXMLFile(source).encrypt("s3cret", target)
    monkeypatch.setenv("PAXL_PASSWORD", "s3cret")
    assert main(["worklist", str(locked), "--as-of", "2026-11-15", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tasks"] == []
    monkeypatch.setenv("PAXL_PASSWORD", "guess")
    assert main(["worklist", str(locked), "--as-of", "2026-11-15"]) == 2
    assert "password" in capsys.readouterr().err.lower()


def test_bad_as_of_is_refused_with_the_format(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["worklist", str(tmp_path / "book.xlsx"), "--as-of", "15/11/2026"])
    assert exit_.value.code == 2
    assert "2026-11-15T10:30" in capsys.readouterr().err


def test_missing_workbook_exits_2_without_a_traceback(tmp_path, capsys):
    assert main(["worklist", str(tmp_path / "nope.xlsx")]) == 2
    assert "Traceback" not in capsys.readouterr().err
