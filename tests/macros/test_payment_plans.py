"""plan_options and create_payment_plan on the memory adapter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from addin.errors import PaxlError
from addin.workbook.write_plan import PlanRejected
from macros.payment_plans import (
    OPTIONS_HEADER_ROW,
    create_payment_plan_on,
    plan_options_on,
)
from macros.payments import post_payments_on
from tests.macros.practice import NOW, USER, practice, select_patient, staged

SHEET = "Plan options P005"


def _options(workbook, patient_id: str = "P005"):
    select_patient(workbook, patient_id)
    return plan_options_on(workbook, now=NOW, user=USER)


def _create(workbook):
    return create_payment_plan_on(workbook, now=NOW, user=USER)


def _option_rows(workbook) -> dict[str, dict[str, object]]:
    values = workbook.values(SHEET)
    header = values[OPTIONS_HEADER_ROW - 1]
    rows = {}
    for row in values[OPTIONS_HEADER_ROW:]:
        if not row[0]:
            break
        record = dict(zip(header, row, strict=False))
        rows[record["Key"]] = record
    return rows


def _click_option(workbook, key: str) -> None:
    for number, row in enumerate(workbook.values(SHEET), start=1):
        if number > OPTIONS_HEADER_ROW and row[1] == key:
            workbook.select(SHEET, number, 3)
            return
    raise KeyError(key)


def _plan_rows(workbook) -> list[dict[str, object]]:
    header, *rows = workbook.values("PaymentPlans")
    return [dict(zip(header, r, strict=True)) for r in rows]


def test_options_sheet_lists_every_option_and_marks_the_recommended_one():
    # 1,200.00 due, income 3,000.00 a month, hospital bill → cap 4% = 120.00 a month
    workbook = practice()

    result = _options(workbook)

    options = _option_rows(workbook)
    assert list(options) == ["full", "equal-3", "equal-6", "equal-12", "income"]
    assert [options[k]["Installment"] for k in options] == [1200.0, 400.0, 200.0, 100.0, 120.0]
    assert options["income"]["Payments"] == 10
    assert [k for k, o in options.items() if o["Recommended"] == "Yes"] == ["equal-12"]
    assert {o["PatientID"] for o in options.values()} == {"P005"}
    labelled = {r[0]: r[1] for r in workbook.values(SHEET)[:10] if r[0]}
    assert labelled["Due from the patient (planned)"] == 1200.0
    assert labelled["Income cap per month"] == 120.0
    assert labelled["First payment due"] == dt.datetime(2026, 7, 6)  # today + 21 due days
    assert result.applied.appended == {"Audit": 1}
    assert workbook.values("Audit")[-1][2] == "plan_options"
    assert len(_plan_rows(workbook)) == 1  # nothing appended to PaymentPlans


def test_the_recommended_schedule_on_the_options_sheet_sums_to_the_balance():
    workbook = practice()
    _options(workbook)

    values = workbook.values(SHEET)
    start = next(i for i, r in enumerate(values) if r[:3] == ["#", "Due", "Amount"])
    payments = [r for r in values[start + 1 :] if isinstance(r[0], int)]
    assert len(payments) == 12
    assert sum(Decimal(str(r[2])) for r in payments) == Decimal("1200.00")


def test_create_from_a_patient_row_uses_the_recommended_option():
    workbook = practice()
    select_patient(workbook, "P005")

    result = _create(workbook)

    plan = _plan_rows(workbook)[-1]
    assert plan == {
        "PlanNo": "PP000002",
        "PatientID": "P005",
        "Created": dt.datetime(2026, 6, 15),
        "Balance": 1200.0,
        "Installment": 100.0,
        "Count": 12,
        "FirstDue": dt.datetime(2026, 7, 6),
        "Rule": "Equal",
        "Forgiven": 0.0,
        "Status": "Active",
    }
    schedule = workbook.values("Plan PP000002")
    assert schedule[0][0] == "Payment plan PP000002 for patient P005"
    assert [r[:3] for r in schedule if r[0] == 12] == [[12, dt.datetime(2027, 6, 6), 100.0]]
    assert workbook.values("Audit")[-1][2:5] == ["create_payment_plan", "PaymentPlans", 1]
    assert "PP000002" in result.message
    assert workbook.values("Patients") == practice().values("Patients")  # never rewritten


def test_create_uses_the_option_row_the_rep_clicked():
    workbook = practice()
    _options(workbook)
    _click_option(workbook, "income")

    _create(workbook)

    plan = _plan_rows(workbook)[-1]
    assert (plan["Rule"], plan["Installment"], plan["Count"]) == ("Income", 120.0, 10)


def test_a_click_on_the_options_sheet_outside_the_option_rows_is_refused():
    workbook = practice()
    _options(workbook)
    workbook.select(SHEET, 1, 1)

    with pytest.raises(PaxlError, match="Click one of the option rows on sheet Plan options P005"):
        _create(workbook)
    assert len(_plan_rows(workbook)) == 1


def test_pay_in_full_is_not_a_payment_plan():
    workbook = practice()
    _options(workbook)
    _click_option(workbook, "full")

    with pytest.raises(PaxlError, match="Pay in full is not a payment plan"):
        _create(workbook)


def test_options_that_changed_since_the_sheet_was_made_are_refused():
    workbook = practice(staging=[staged("P005", "200.00")])
    _options(workbook)
    post_payments_on(workbook, now=NOW, user=USER)  # the balance drops to 1,000.00
    _click_option(workbook, "equal-6")

    with pytest.raises(PaxlError, match="have changed since sheet Plan options P005"):
        _create(workbook)
    assert len(_plan_rows(workbook)) == 1


def test_a_second_plan_while_one_is_running_is_refused_naming_its_row():
    workbook = practice()
    select_patient(workbook, "P001")  # PP000001 runs until 2026-08-01

    with pytest.raises(PlanRejected) as caught:
        _create(workbook)

    (finding,) = caught.value.findings
    assert (finding.code, finding.sheet, finding.row, finding.column) == (
        "plan_running",
        "PaymentPlans",
        2,
        "Status",
    )
    assert "PP000001" in finding.message


def test_nothing_due_means_no_options_sheet():
    workbook = practice()

    result = _options(workbook, "P003")

    assert not result.wrote
    assert "Nothing is due from patient P003" in result.message
    assert "Plan options P003" not in workbook.sheet_names()
