import json

import pytest

from addin.cli import main
from addin.workbook.template import write_workbook
from tests.core.insurance_fixture import RECORDS


@pytest.fixture
def book_path(tmp_path):
    path = tmp_path / "book.xlsx"
    write_workbook(path, RECORDS)
    return path


def _estimate(book_path, capsys, *extra):
    args = ["estimate", str(book_path), "--codes", "99213,80053", "--date", "2026-03-10"]
    code = main([*args, *extra])
    return code, capsys.readouterr()


def test_estimate_prints_each_line_the_totals_and_the_plan_comparison(book_path, capsys):
    code, printed = _estimate(book_path, capsys, "--patient", "P1")
    assert code == 0
    out = printed.out
    assert "Coverage: primary GOLD, secondary SILVER" in out
    assert "Deductible left 800.00 → 760.00; out-of-pocket left 3,700.00 → 3,620.00" in out
    visit = next(line for line in out.splitlines() if line.startswith("99213"))
    assert visit.split()[-8:] == [
        "50.00",
        "25.00",
        "0.00",
        "15.00",
        "0.00",
        "60.00",
        "40.00",
        "0.00",
    ]
    assert "Patient owes: 40.00" in out
    comparison = out.split("Plan comparison")[1].splitlines()
    assert [row.split()[0] for row in comparison[3:]] == ["BRONZE", "GOLD", "SILVER"]


def test_estimate_json_has_money_as_two_decimal_strings(book_path, capsys):
    code, printed = _estimate(book_path, capsys, "--patient", "P1", "--json")
    assert code == 0
    data = json.loads(printed.out)
    assert data["primary"] == "GOLD" and data["secondary"] == "SILVER"
    visit, lab = data["lines"]
    assert visit == {
        "code": "99213",
        "description": "Office visit",
        "billed": "150.00",
        "allowed": "100.00",
        "contractual": "50.00",
        "copay": "25.00",
        "deductible": "0.00",
        "coinsurance": "15.00",
        "not_covered": "0.00",
        "plan": "60.00",
        "secondary": "40.00",
        "patient": "0.00",
        "allowed_source": "contract rate",
    }
    assert lab["deductible"] == "40.00" and lab["patient"] == "40.00"
    assert data["totals"]["patient"] == "40.00"
    assert data["accumulators"]["before"] == {"deductible_left": "800.00", "oop_left": "3700.00"}
    assert data["good_faith_total"] is None
    assert [(p["plan_id"], p["patient"]) for p in data["comparison"]["plans"]] == [
        ("BRONZE", "76.00"),
        ("GOLD", "80.00"),
        ("SILVER", "106.00"),
    ]


def test_self_pay_estimate_is_the_good_faith_estimate(book_path, capsys):
    code, printed = _estimate(book_path, capsys, "--patient", "P3", "--json")
    assert code == 0
    data = json.loads(printed.out)
    assert data["self_pay"] is True
    assert data["good_faith_total"] == "210.00"
    assert "good-faith" in data["messages"][0]


def test_unknown_patient_or_code_exits_2_saying_what_to_fix(book_path, capsys):
    code, printed = _estimate(book_path, capsys, "--patient", "P9")
    assert code == 2
    assert "PatientID P9 is not on the Patients sheet" in printed.err
    code = main(["estimate", str(book_path), "--patient", "P1", "--codes", "11111"])
    assert code == 2
    assert "code 11111 is not on the Fees sheet" in capsys.readouterr().err
