import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addin.core.plans import (
    MAX_INSTALLMENTS,
    PlanError,
    equal_cents,
    equal_installments,
    income_cap,
    income_capped_plan,
)
from addin.errors import PaxlError

D = Decimal
money = st.integers(min_value=1, max_value=10_000_000).map(lambda c: Decimal(c) / 100)


def amounts(schedule):
    return [i.amount for i in schedule]


# --- equal installments -----------------------------------------------------------------------


def test_extra_cents_go_to_the_earliest_installments():
    assert amounts(equal_installments(D("1000.00"), 3)) == [D("333.34"), D("333.33"), D("333.33")]


def test_equal_installments_are_numbered_and_dated_monthly_clamped_to_month_end():
    schedule = equal_installments(D("300"), 3, first_due=dt.date(2026, 1, 31))
    assert [(i.n, i.due_date) for i in schedule] == [
        (1, dt.date(2026, 1, 31)),
        (2, dt.date(2026, 2, 28)),
        (3, dt.date(2026, 3, 31)),
    ]


def test_equal_installments_without_a_first_due_date_have_no_dates():
    assert {i.due_date for i in equal_installments(D("10"), 2)} == {None}


def test_a_balance_with_fewer_cents_than_installments_is_refused():
    with pytest.raises(PlanError, match="too small"):
        equal_installments(D("0.02"), 3)


@pytest.mark.parametrize(("count", "words"), [(0, "1 or more"), (MAX_INSTALLMENTS + 1, "fewer")])
def test_installment_counts_out_of_range_are_refused(count, words):
    with pytest.raises(PlanError, match=words):
        equal_installments(D("100"), count)


def test_plan_errors_are_user_errors_without_the_balance_in_the_message():
    with pytest.raises(PaxlError) as info:
        equal_installments(D("-123.45"), 3)
    assert "123.45" not in str(info.value)


@given(money, st.integers(min_value=1, max_value=120))
def test_equal_installments_sum_exactly_and_differ_by_at_most_a_cent(balance, count):
    if balance * 100 < count:
        return
    values = amounts(equal_installments(balance, count))
    assert sum(values) == balance
    assert len(values) == count
    assert max(values) - min(values) <= D("0.01")
    assert values == sorted(values, reverse=True)


@given(money, st.integers(min_value=-1, max_value=700))
def test_equal_cents_are_the_amounts_of_equal_installments_or_the_same_error(balance, count):
    try:
        expected = amounts(equal_installments(balance, count))
    except PlanError as exc:
        with pytest.raises(PlanError, match=re.escape(str(exc))):
            equal_cents(balance, count)
    else:
        assert [Decimal(c) / 100 for c in equal_cents(balance, count)] == expected


# --- income cap -------------------------------------------------------------------------------


def test_income_cap_rounds_down_to_the_cent():
    assert income_cap(D("2345.67"), D("0.04")) == D("93.82")


def test_income_cap_accepts_a_state_rate_of_five_percent():
    assert income_cap(D("2500"), D("0.05")) == D("125.00")


@pytest.mark.parametrize(
    ("income", "rate"), [(D("-1"), D("0.04")), (D("100"), D("0")), (D("1"), 2)]
)
def test_income_cap_refuses_negative_income_and_rates_outside_0_to_1(income, rate):
    with pytest.raises(PlanError):
        income_cap(income, rate)


def test_colorado_plan_stops_after_36_payments_and_forgives_the_rest():
    plan = income_capped_plan(D("4500"), D("2500"), D("0.04"), forgiveness_payments=36)
    assert plan.cap == D("100.00")
    assert plan.count == 36
    assert set(amounts(plan.installments)) == {D("100.00")}
    assert plan.forgiven == D("900.00")
    assert plan.total_paid == D("3600.00")


def test_floored_cap_drives_the_forgiven_amount():
    plan = income_capped_plan(D("4000"), D("2345.67"), D("0.04"), forgiveness_payments=36)
    assert plan.cap == D("93.82")
    assert plan.count == 36
    assert plan.forgiven == D("622.48")


def test_professional_bill_at_two_percent_ends_with_a_smaller_payment():
    plan = income_capped_plan(D("1230"), D("2500"), D("0.02"), forgiveness_payments=36)
    assert amounts(plan.installments) == [D("50.00")] * 24 + [D("30.00")]
    assert plan.final_payment == D("30.00")
    assert plan.forgiven == D("0.00")


def test_a_balance_that_divides_evenly_has_no_smaller_final_payment():
    plan = income_capped_plan(D("300"), D("2500"), D("0.04"))
    assert amounts(plan.installments) == [D("100.00")] * 3


def test_exactly_the_forgiveness_count_of_payments_forgives_nothing():
    plan = income_capped_plan(D("3600"), D("2500"), D("0.04"), forgiveness_payments=36)
    assert plan.count == 36
    assert plan.forgiven == D("0.00")


def test_without_forgiveness_the_plan_runs_until_paid():
    plan = income_capped_plan(D("4500"), D("2500"), D("0.04"), forgiveness_payments=0)
    assert plan.count == 45
    assert plan.forgiven == D("0.00")
    assert plan.forgiveness_payments is None


def test_zero_income_means_no_income_plan_and_says_so():
    with pytest.raises(PlanError, match="no income-based plan is possible"):
        income_capped_plan(D("500"), D("0"), D("0.04"))


def test_income_so_low_the_cap_floors_to_zero_means_no_income_plan():
    with pytest.raises(PlanError, match=r"\$0\.00"):
        income_capped_plan(D("500"), D("0.24"), D("0.04"))


def test_endless_plan_without_forgiveness_is_refused():
    with pytest.raises(PlanError, match="forgiveness_payments"):
        income_capped_plan(D("100000"), D("100"), D("0.02"))


def test_negative_balance_is_refused_for_income_plans():
    with pytest.raises(PlanError, match="credit"):
        income_capped_plan(D("-10"), D("2500"), D("0.04"))


@given(
    money,
    st.integers(min_value=100, max_value=2_000_000).map(lambda c: Decimal(c) / 100),
    st.sampled_from([D("0.02"), D("0.04"), D("0.05")]),
    st.sampled_from([None, 12, 36]),
)
def test_income_plans_never_exceed_the_cap_and_paid_plus_forgiven_is_the_balance(
    balance, income, rate, forgive
):
    try:
        plan = income_capped_plan(balance, income, rate, forgiveness_payments=forgive)
    except PlanError:
        return  # cap of $0.00 or an endless plan: refused, tested above
    assert plan.cap == income_cap(income, rate)
    assert plan.cap <= income * rate
    assert all(i.amount <= plan.cap for i in plan.installments)
    assert all(i.amount > 0 for i in plan.installments)
    assert all(i.amount == plan.cap for i in plan.installments[:-1])
    assert plan.total_paid + plan.forgiven == balance
    assert plan.forgiven >= 0
    if forgive:
        assert plan.count <= forgive
    if plan.forgiven:
        assert plan.count == forgive
