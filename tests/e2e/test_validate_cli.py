"""`paxl validate`: the readable table, the JSON, and the exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import subprocess
import sys

from addin.cli import main


def test_a_clean_workbook_exits_0(make_workbook, records, capsys):
    assert main(["validate", str(make_workbook(records))]) == 0
    assert "No problems found." in capsys.readouterr().out


def test_warnings_alone_exit_0_and_are_listed(make_workbook, records, capsys):
    path = make_workbook(records, policy={"due_days": None})
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "warning" in out and "due_days" in out


def test_problems_are_printed_as_a_table_and_exit_1(make_workbook, records, capsys):
    records["Payments"][1]["Kind"] = "Gift"
    records["Charges"][1]["PatientID"] = "P404"
    assert main(["validate", str(make_workbook(records))]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["severity", "sheet", "row", "column", "problem", "fix"]
    body = [line.split()[:4] for line in lines[2:] if line.startswith("error")]
    assert body == [["error", "Charges", "3", "PatientID"], ["error", "Payments", "3", "Kind"]]
    assert lines[-1] == "2 problems."


def test_json_lists_each_problem_with_stable_keys(make_workbook, records, capsys):
    records["Payments"][1]["Amount"] = "twenty"
    assert main(["validate", str(make_workbook(records)), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data == [
        {
            "code": "wrong_type",
            "message": "Amount is not an amount.",
            "sheet": "Payments",
            "row": 3,
            "column": "Amount",
            "severity": "error",
            "fix": "Enter dollars and cents as a number, such as 125.00.",
            "ids": [],
        }
    ]


def test_json_of_a_clean_workbook_is_an_empty_list(make_workbook, records, capsys):
    assert main(["validate", "--json", str(make_workbook(records))]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_a_file_that_is_not_a_workbook_exits_2_with_one_sentence(tmp_path, capsys):
    path = tmp_path / "export.xlsx"
    path.write_text("PatientID,LastName\nP1,Smith\n")
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "export.xlsx is not an Excel workbook" in captured.err
    assert "Traceback" not in captured.err


def test_the_installed_command_reports_and_exits_like_main(make_workbook, records, tmp_path):
    records["Patients"][0]["AccountStatus"] = None
    bad = make_workbook(records)
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(b"\x00" * 64)
    command = [sys.executable, "-m", "addin.cli", "validate"]
    done = subprocess.run([*command, str(bad), "--json"], capture_output=True, text=True)
    assert done.returncode == 1
    assert [(f["sheet"], f["row"], f["column"]) for f in json.loads(done.stdout)] == [
        ("Patients", 2, "AccountStatus")
    ]
    done = subprocess.run([*command, str(corrupt)], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.startswith("paxl: corrupt.xlsx is not an Excel workbook")
    assert "Traceback" not in done.stderr
