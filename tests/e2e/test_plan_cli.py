"""`paxl plan BOOK --patient ID`: options, the recommended schedule, existing plans."""

import json
from decimal import Decimal

import pytest

from addin.cli import main
from addin.workbook.template import write_workbook

D = Decimal


def patient(pid, **extra):
    row = {"PatientID": pid, "LastName": "Test", "FirstName": "Pat", "DOB": "1980-02-01"}
    row["AccountStatus"] = "Active"
    row.update(extra)
    return row


def charge(cid, pid, amount, biller="Hospital"):
    return {
        "ChargeID": cid,
        "PatientID": pid,
        "ServiceDate": "2026-01-10",
        "Code": "99213",
        "Amount": amount,
        "BillerType": biller,
        "Status": "Patient due",
    }


RECORDS = {
    "Patients": [
        patient("P1", HouseholdSize=4, MonthlyIncome="2500"),
        patient("P2"),
        patient("P3", HouseholdSize=1, MonthlyIncome="2500"),
        patient("P4", HouseholdSize=2, MonthlyIncome="0"),
        patient("P5"),
    ],
    "Fees": [{"Code": "99213", "Charge": "100"}],
    "Charges": [
        charge("C1", "P1", "4600"),
        charge("C2", "P2", "1000"),
        charge("C3", "P3", "1230", biller="Professional"),
        charge("C4", "P4", "1200"),
        charge("C5", "P5", "50"),
    ],
    "Payments": [
        {
            "PaymentID": "X1",
            "Date": "2026-02-20",
            "PatientID": "P1",
            "Payer": "Patient",
            "Kind": "Payment",
            "Method": "Card",
            "Amount": "100",
        },
        {
            "PaymentID": "X2",
            "Date": "2026-02-01",
            "PatientID": "P5",
            "Payer": "Patient",
            "Kind": "Payment",
            "Method": "Cash",
            "Amount": "50",
        },
    ],
    "PaymentPlans": [
        {
            "PlanNo": "PL1",
            "PatientID": "P1",
            "Created": "2026-02-01",
            "Balance": "4600",
            "Installment": "100",
            "Count": 36,
            "FirstDue": "2026-02-21",
            "Rule": "Income",
            "Forgiven": "1000",
            "Status": "Active",
        }
    ],
}


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("plan") / "book.xlsx"
    write_workbook(path, RECORDS)
    return path


def run(capsys, *argv):
    code = main(["plan", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_income_plan_is_recommended_when_no_standard_term_fits_the_cap(book, capsys):
    data = run_json(capsys, book, "--patient", "P1", "--as-of", "2026-04-30")
    assert data["balance"] == "4500.00"
    assert data["income_cap"] == "100.00"
    assert [o["key"] for o in data["options"]] == [
        "full",
        "equal-3",
        "equal-6",
        "equal-12",
        "income",
    ]
    assert data["recommended"] == "income"
    income = data["options"][-1]
    assert (income["count"], income["total_paid"], income["forgiven"]) == (36, "3600.00", "900.00")
    assert len(data["schedule"]) == 36
    assert sum(D(r["amount"]) for r in data["schedule"]) == D("3600.00")
    # first payment due Policy due_days (21) after the as-of date, then monthly
    assert data["schedule"][0]["due_date"] == "2026-05-21"
    assert data["schedule"][1]["due_date"] == "2026-06-21"


def test_existing_plan_is_tracked_as_behind(book, capsys):
    data = run_json(capsys, book, "--patient", "P1", "--as-of", "2026-04-30")
    (plan,) = data["plans"]
    assert plan["plan_no"] == "PL1"
    assert plan["status"] == "behind"
    assert (plan["installments_due"], plan["installments_covered"], plan["missed"]) == (3, 1, 2)
    assert plan["next_due"] == "2026-03-21"
    assert plan["remaining"] == "3500.00"


def test_household_and_income_on_file_show_the_assistance_screening(book, capsys):
    data = run_json(capsys, book, "--patient", "P1", "--as-of", "2026-04-30")
    assert data["assistance"]["year"] == 2026
    assert data["assistance"]["percent"] == "90.91"  # 30,000 / 33,000
    assert data["assistance"]["discount"] == "1"


def test_text_output_marks_the_recommended_option_and_prints_its_schedule(book, capsys):
    code, out, _ = run(capsys, book, "--patient", "P1", "--as-of", "2026-04-30")
    assert code == 0
    assert "* Income-based: 4% of monthly income" in out
    assert "Schedule: Income-based" in out
    assert "36  2029-04-21  $100.00" in out
    assert "$900.00 is forgiven" in out
    assert "PL1" in out and "behind" in out


def test_unknown_income_recommends_the_lowest_standard_installment(book, capsys):
    data = run_json(capsys, book, "--patient", "P2", "--as-of", "2026-04-30")
    assert data["income_known"] is False
    assert data["recommended"] == "equal-12"
    assert [r["amount"] for r in data["schedule"][:2]] == ["83.34", "83.34"]
    assert sum(D(r["amount"]) for r in data["schedule"]) == D("1000.00")
    assert any("not screened" in n for n in data["notes"])


def test_professional_charges_use_the_professional_cap(book, capsys):
    data = run_json(capsys, book, "--patient", "P3", "--as-of", "2026-04-30")
    assert data["biller_type"] == "Professional"
    income = next(o for o in data["options"] if o["key"] == "income")
    assert (income["installment"], income["count"], income["final_payment"]) == (
        "50.00",
        25,
        "30.00",
    )


def test_biller_option_overrides_the_charges(book, capsys):
    data = run_json(
        capsys, book, "--patient", "P3", "--as-of", "2026-04-30", "--biller", "Hospital"
    )
    assert data["income_cap"] == "100.00"


def test_zero_income_says_no_income_plan_is_possible(book, capsys):
    data = run_json(capsys, book, "--patient", "P4", "--as-of", "2026-04-30")
    assert "income" not in [o["key"] for o in data["options"]]
    assert any("no income-based plan is possible" in n for n in data["notes"])


def test_nothing_due_prints_no_options(book, capsys):
    code, out, _ = run(capsys, book, "--patient", "P5", "--as-of", "2026-04-30")
    assert code == 0
    assert "Nothing is due" in out


def test_first_due_date_can_be_given(book, capsys):
    data = run_json(
        capsys, book, "--patient", "P2", "--as-of", "2026-04-30", "--first-due", "2026-05-31"
    )
    assert [r["due_date"] for r in data["schedule"][:3]] == [
        "2026-05-31",
        "2026-06-30",
        "2026-07-31",
    ]


def test_unknown_patient_is_refused_by_id(book, capsys):
    code, _, err = run(capsys, book, "--patient", "NOPE")
    assert code == 2
    assert "no patient NOPE" in err


def test_the_workbook_is_only_read(book, capsys):
    before = book.read_bytes()
    run(capsys, book, "--patient", "P1", "--as-of", "2026-04-30")
    assert book.read_bytes() == before


def test_with_an_apr_terms_are_amortized(tmp_path, capsys):
    path = tmp_path / "apr.xlsx"
    write_workbook(path, RECORDS, policy={"plan_apr": D("0.08"), "plan_terms": "12"})
    data = run_json(capsys, path, "--patient", "P2", "--as-of", "2026-04-30")
    assert [o["key"] for o in data["options"]] == ["full", "interest-12"]
    assert data["recommended"] == "interest-12"
    rows = data["schedule"]
    assert rows[0]["payment"] == "86.99"
    assert rows[-1]["remaining"] == "0.00"
    code, out, _ = run(capsys, path, "--patient", "P2", "--as-of", "2026-04-30")
    assert code == 0
    assert "Interest" in out and "Principal" in out


def test_a_workbook_with_errors_is_refused(tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    records = dict(RECORDS)
    records["Charges"] = [*RECORDS["Charges"], charge("C9", "P404", "10")]
    write_workbook(path, records)
    code, _, err = run(capsys, path, "--patient", "P1")
    assert code == 2
    assert "problem" in err
