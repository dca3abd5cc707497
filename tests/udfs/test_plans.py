import datetime as dt

import pytest

from addin.errors import PaxlError
from udfs import pa_amortize, pa_income_plan, pa_installments, pa_plan_options


def test_income_plan_worked_example_forgives_after_36_payments():
    assert pa_income_plan(4500, 2500, 0.04, 36) == [[100.0, 36, 100.0, 3600.0, 900.0]]


def test_income_plan_pays_off_with_a_smaller_final_payment():
    assert pa_income_plan(1230, 2500, "2%") == [[50.0, 25, 30.0, 1230.0, 0.0]]


def test_income_plan_floors_the_cap_to_the_cent():
    assert pa_income_plan(100, 2345.67, 0.04)[0][0] == 93.82


@pytest.mark.parametrize("balance", [[4500, 1230], [[4500], [1230]]])
def test_income_plan_works_a_column_of_balances(balance):
    assert pa_income_plan(balance, 2500, [[0.04], [0.02]], 36) == [
        [100.0, 36, 100.0, 3600.0, 900.0],
        [50.0, 25, 30.0, 1230.0, 0.0],
    ]


def test_income_plan_shows_a_bad_rows_message_in_that_row():
    rows = pa_income_plan([[4500], [0]], 2500, 0.04)
    assert rows[1][0].startswith("Error: the balance is zero")
    assert rows[0][1] == 45


def test_income_plan_refuses_a_zero_income_with_what_to_do():
    with pytest.raises(PaxlError, match=r"PA_INCOME_PLAN: .*screen the patient for financial"):
        pa_income_plan(4500, 0, 0.04)


def test_installments_split_exactly_with_month_end_due_dates():
    assert pa_installments(100, 3, dt.date(2026, 1, 31)) == [
        [1, dt.date(2026, 1, 31), 33.34],
        [2, dt.date(2026, 2, 28), 33.33],
        [3, dt.date(2026, 3, 31), 33.33],
    ]


def test_installments_without_a_first_due_date_have_blank_dates():
    assert pa_installments([[1000]], [[3]]) == [
        [1, None, 333.34],
        [2, None, 333.33],
        [3, None, 333.33],
    ]


def test_installments_every_three_months_from_a_serial_date():
    rows = pa_installments(90, 2, 46023.0, 3)  # 2026-01-01
    assert [r[1] for r in rows] == [dt.date(2026, 1, 1), dt.date(2026, 4, 1)]


def test_installments_take_one_balance():
    with pytest.raises(PaxlError, match="balance takes one value, not 2"):
        pa_installments([[100], [200]], 3)


def test_installments_refuse_a_fractional_count():
    with pytest.raises(PaxlError, match="PA_INSTALLMENTS: count: expected a whole number"):
        pa_installments(100, 2.5)


def test_amortize_ends_at_exactly_zero_and_payments_cover_interest():
    rows = pa_amortize(1000, 0.12, 3, dt.date(2026, 1, 15))
    assert rows[0] == [1, dt.date(2026, 1, 15), 340.02, 10.0, 330.02, 669.98]
    assert rows[-1][5] == 0.0
    assert sum(r[4] for r in rows) == pytest.approx(1000)
    assert all(r[2] == pytest.approx(r[3] + r[4]) for r in rows)


def test_amortize_refuses_a_zero_apr():
    with pytest.raises(PaxlError, match="at 0% use equal installments"):
        pa_amortize(1000, 0, 3)


def test_plan_options_with_defaults_recommend_the_longest_term():
    rows = pa_plan_options(600)
    assert [r[0] for r in rows] == [
        "Pay in full",
        "3 monthly payments",
        "6 monthly payments",
        "12 monthly payments",
    ]
    assert [r[8] for r in rows] == [False, False, False, True]
    assert rows[3][1:6] == [50.0, 12, 50.0, 600.0, 0.0]


def test_plan_options_with_income_offer_the_income_plan():
    rows = pa_plan_options(4500, 2500)
    income = rows[-1]
    assert income[0].startswith("Income-based: 4% of monthly income")
    assert income[1:9] == [100.0, 36, 100.0, 3600.0, 900.0, 0.0, 0.0, True]


def test_plan_options_take_the_policy_cells():
    rows = pa_plan_options(1200, None, "professional", [[6], [12]], 50, 0.08, 0.05, None, None)
    assert rows[0][0] == "Pay in full (5% prompt-pay discount)"
    assert rows[0][1] == 1140.0
    assert rows[0][6] == 60.0
    assert [r[0] for r in rows[1:]] == [
        "6 monthly payments at 8% APR",
        "12 monthly payments at 8% APR",
    ]
    assert all(r[7] > 0 for r in rows[1:])


def test_plan_options_refuse_an_unknown_biller_type():
    with pytest.raises(PaxlError, match="biller_type is 'Clinic'; use Hospital or Professional"):
        pa_plan_options(600, None, "Clinic")
