import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addin.core.schedule import PlanError, add_months, build_schedule, due_dates, require_balance

D = dt.date


def test_month_end_due_dates_clamp_per_month_and_return_to_the_anchor_day():
    assert due_dates(D(2026, 1, 31), 4) == [
        D(2026, 1, 31),
        D(2026, 2, 28),
        D(2026, 3, 31),
        D(2026, 4, 30),
    ]


def test_leap_year_february_gets_the_29th():
    assert add_months(D(2028, 1, 30), 1) == D(2028, 2, 29)


def test_due_dates_every_three_months_cross_the_year():
    assert due_dates(D(2026, 11, 15), 3, every_months=3) == [
        D(2026, 11, 15),
        D(2027, 2, 15),
        D(2027, 5, 15),
    ]


def test_without_a_first_due_date_every_due_date_is_none():
    assert due_dates(None, 3) == [None, None, None]


def test_add_months_goes_backwards_too():
    assert add_months(D(2026, 3, 31), -1) == D(2026, 2, 28)


@pytest.mark.parametrize(("count", "every"), [(0, 1), (3, 0)])
def test_due_dates_refuse_empty_or_zero_month_schedules(count, every):
    with pytest.raises(ValueError, match="at least 1"):
        due_dates(D(2026, 1, 1), count, every)


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 1, 1)),
    st.integers(min_value=0, max_value=240),
)
def test_add_months_keeps_the_anchor_day_or_the_month_end(anchor, months):
    result = add_months(anchor, months)
    assert (result.year * 12 + result.month) - (anchor.year * 12 + anchor.month) == months
    next_day = result + dt.timedelta(days=1)
    assert result.day == anchor.day or (result.day < anchor.day and next_day.day == 1)


def test_build_schedule_numbers_from_one():
    schedule = build_schedule([1, 2], D(2026, 1, 31))
    assert [(i.n, i.due_date) for i in schedule] == [(1, D(2026, 1, 31)), (2, D(2026, 2, 28))]


@pytest.mark.parametrize(("balance", "words"), [("0", "zero"), ("-5", "credit"), ("1.005", "cent")])
def test_plan_balances_must_be_positive_whole_cents(balance, words):
    with pytest.raises(PlanError, match=words):
        require_balance(balance)
