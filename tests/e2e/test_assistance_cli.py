"""`paxl assistance`: poverty-guideline screening, with default or workbook Policy tables."""

import json

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from addin.cli import main
from addin.workbook.template import write_workbook


def run(capsys, *argv):
    code = main(["assistance", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize(
    ("income", "household", "year", "percent", "discount"),
    [
        (65000, 4, 2025, "202.18", "0.75"),
        (65000, 4, 2026, "196.97", "1"),
        (122800, 9, 2026, "200.00", "1"),
    ],
)
def test_worked_screenings_without_a_workbook(capsys, income, household, year, percent, discount):
    data = run_json(capsys, "--income", income, "--household", household, "--year", year)
    assert (data["percent"], data["discount"]) == (percent, discount)


def test_text_screening_shows_guideline_percent_tier_and_discount(capsys):
    code, out, _ = run(capsys, "--income", "65000", "--household", "4", "--year", "2026")
    assert code == 0
    assert "Poverty guideline:     $33,000.00" in out
    assert "Percent of guideline:  196.97%" in out
    assert "up to 200% of the guideline" in out
    assert "Discount:              100%" in out


def test_balance_is_discounted(capsys):
    data = run_json(
        capsys, "--income", "65000", "--household", "4", "--year", "2025", "--balance", "100.02"
    )
    assert (data["discount_amount"], data["discounted_balance"]) == ("75.02", "25.00")


def test_income_above_every_tier_gets_no_discount(capsys):
    data = run_json(capsys, "--income", "200000", "--household", "1", "--year", "2026")
    assert data["tier_max_percent"] is None
    assert data["discount"] == "0"


def test_unknown_year_is_refused_naming_the_policy_table(capsys):
    code, _, err = run(capsys, "--income", "65000", "--household", "4", "--year", "2031")
    assert code == 2
    assert "PovertyGuidelines" in err and "2031" in err


def test_missing_inputs_say_what_to_give(capsys):
    code, _, err = run(capsys, "--income", "65000")
    assert code == 2
    assert "--household" in err


def test_bad_income_is_refused(capsys):
    code, _, err = run(capsys, "--income", "lots", "--household", "2", "--year", "2026")
    assert code == 2
    assert "--income" in err


def edit_policy(path, *, tiers=None, add_guideline=None):
    """Change the Policy tables of a test workbook (a fixture we built, never a user's file)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Policy"]
    if tiers:
        col, top, _, _ = range_boundaries(ws.tables["AssistanceTiers"].ref)
        for i, (max_percent, discount) in enumerate(tiers):
            ws.cell(top + 1 + i, col, max_percent)
            ws.cell(top + 1 + i, col + 1, discount)
    if add_guideline:
        table = ws.tables["PovertyGuidelines"]
        col, top, right, bottom = range_boundaries(table.ref)
        for j, value in enumerate(add_guideline):
            ws.cell(bottom + 1, col + j, value)
        table.ref = f"{ws.cell(top, col).coordinate}:{ws.cell(bottom + 1, right).coordinate}"
        table.autoFilter.ref = table.ref
    wb.save(path)


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "book.xlsx"
    write_workbook(
        path,
        {
            "Patients": [
                {
                    "PatientID": "P1",
                    "LastName": "Test",
                    "FirstName": "Pat",
                    "DOB": "1980-01-01",
                    "AccountStatus": "Active",
                    "HouseholdSize": 4,
                    "MonthlyIncome": "5416.67",
                },
                {
                    "PatientID": "P2",
                    "LastName": "Test",
                    "FirstName": "Two",
                    "DOB": "1980-01-01",
                    "AccountStatus": "Active",
                },
            ],
            "Fees": [{"Code": "99213", "Charge": "100"}],
            "Charges": [
                {
                    "ChargeID": "C1",
                    "PatientID": "P1",
                    "ServiceDate": "2026-01-10",
                    "Code": "99213",
                    "Amount": "400",
                    "Status": "Patient due",
                }
            ],
        },
        policy={"assistance_year": 2025},
    )
    return path


def test_book_policy_year_is_used_when_no_year_is_given(book, capsys):
    data = run_json(capsys, "--book", book, "--income", "65000", "--household", "4")
    assert (data["year"], data["percent"], data["discount"]) == (2025, "202.18", "0.75")


def test_book_policy_tiers_replace_the_defaults(book, capsys):
    edit_policy(book, tiers=[(2.5, 1)])
    data = run_json(capsys, "--book", book, "--income", "65000", "--household", "4")
    assert (data["tier_max_percent"], data["discount"]) == ("2.5", "1")


def test_more_guideline_years_come_from_the_book(book, capsys):
    edit_policy(book, add_guideline=(2027, 16000, 5800))
    data = run_json(
        capsys, "--book", book, "--income", "65000", "--household", "4", "--year", "2027"
    )
    assert data["guideline"] == "33400.00"
    assert data["percent"] == "194.61"


def test_patient_screening_takes_household_income_and_balance_from_the_book(book, capsys):
    data = run_json(capsys, "--book", book, "--patient", "P1", "--year", "2026")
    assert data["annual_income"] == "65000.04"  # 12 × 5,416.67
    assert data["household_size"] == 4
    assert data["discount"] == "1"
    assert (data["balance"], data["discounted_balance"]) == ("400.00", "0.00")


def test_patient_without_income_on_file_names_the_cell(book, capsys):
    code, _, err = run(capsys, "--book", book, "--patient", "P2")
    assert code == 2
    assert "MonthlyIncome" in err and "row 3" in err


def test_patient_needs_a_book(capsys):
    code, _, err = run(capsys, "--patient", "P1")
    assert code == 2
    assert "--book" in err
